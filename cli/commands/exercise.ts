// `resetpath exercise plan`: what a facilitator rehearses before a tabletop exercise — the decision
// points the scenario's attacker brings the room to, the injects, the choices, what the workflow's
// controls require at each, and how the exercise ends for a room that gives way and one that does not.
import type { Command } from 'commander';
import { exercisePlan, type ExercisePlan, type PlannedPoint } from '../../analysis/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { resolvePair } from '../resolve.ts';
import { jsonOut, markdownText, oneLine, shown } from '../text.ts';

/** Registers the exercise command group. */
export function register(program: Command, io: CommandIO): void {
  const exercise = program.command('exercise').description('prepare tabletop exercises: the decision points, injects and expected decisions of a scenario (exercise plan)');
  exercise
    .command('plan')
    .description('print the decision points, injects and expected decisions of a scenario against a workflow, to rehearse an exercise')
    .argument('<workflow>', 'workflow file or bundled workflow id')
    .requiredOption('-s, --scenario <id|file>', 'scenario id or file')
    .option('-r, --route <channel[:class]>', 'the attack route to play (default: the first the scenario opens)')
    .option('-f, --format <format>', 'text | md | json', 'text')
    .action((workflow: string, opts: { scenario: string; route?: string; format: string }) => {
      const fail = (msg: string) => {
        io.err(`resetpath exercise plan: ${msg}\n`);
        io.setExitCode(EXIT.badInput);
      };
      if (!['text', 'md', 'json'].includes(opts.format)) return fail(`--format must be text, md or json (got "${shown(opts.format)}")`);
      const pair = resolvePair(io, workflow, opts.scenario);
      if (!pair) return;
      const plan = exercisePlan(pair.wf, pair.sc, opts.route);
      if ('error' in plan) return fail(plan.error);
      io.out(opts.format === 'json' ? jsonOut(plan) : opts.format === 'md' ? planMarkdown(plan) : planText(plan));
    });
}

const CHOICE: Record<string, string> = { approve: 'approve', fallback: 'send to the fallback', deny: 'refuse' };

function pointLines(p: PlannedPoint, md: boolean): string[] {
  const t = md ? markdownText : shown;
  const out: string[] = [];
  out.push(md ? `### ${t(p.inject.title)}` : `${p.inject.title}`);
  out.push(md ? '' : '');
  for (const line of p.inject.text.split('\n')) out.push(md ? `> ${t(line)}` : `  | ${oneLine(line)}`);
  if (md) out.push('');
  for (const c of p.controls) out.push(`${md ? '- ' : '    '}${t(`${c.name} (${c.enforcement}; owner: ${c.ownerTitle}): ${c.ifPerformed === 'holds' ? 'holds if performed' : c.ifPerformed === 'passes' ? 'the caller gets past it' : 'does not apply'} — ${oneLine(c.why)}`)}`);
  for (const n of p.narration) out.push(`${md ? '- ' : '    '}${t(`what happens (for the facilitator): ${oneLine(n)}`)}`);
  if (p.evidence.length) out.push(`${md ? '- ' : '    '}${t(`evidence offered: ${p.evidence.map(oneLine).join('; ')}`)}`);
  out.push(`${md ? '- ' : '    '}${t(`choices: ${p.options.map((o) => o.label).join(' / ')}`)}`);
  out.push(`${md ? '- **' : '    => '}${t(`the controls require: ${CHOICE[p.required.choice]}`)}${md ? '**' : ''}${t(` (${oneLine(p.required.why)})`)}`);
  if (p.roomGivesWay) out.push(`${md ? '- ' : '    '}${t(`if the room gives way here: ${p.roomGivesWay}`)}`);
  out.push('');
  return out;
}

/** The decision points in order, each after the steps that ran without the room before it, then the rest of the walk. */
function walkAndPoints(p: ExercisePlan, md: boolean): string[] {
  const out = p.points.flatMap((pt, i) => [...walkLines(p, i, md), ...pointLines(pt, md)]);
  out.push(...walkLines(p, p.points.length, md));
  if (!p.points.length) out.push("Nothing on this route is for the room to decide: the steps are performed by systems, the requester or the account holder. The room's part is the timed injects.", '');
  return out;
}

/** The steps that run without the room between the point before and point `i` (the walk of a room that gives way). */
function walkLines(p: ExercisePlan, i: number, md: boolean): string[] {
  const t = md ? markdownText : shown;
  const events = p.walk.filter((e) => e.afterDecision === i);
  return events.length ? [...events.map((e) => `${md ? '- ' : '  '}· ${t(`${e.stepName}: ${oneLine(e.what)}`)}`), ''] : [];
}

/** How many decisions a room that does what the controls require makes, and how many of them perform a check. */
function decisionsText(p: ExercisePlan): string {
  const c = p.ifRoomComplies;
  return `${c.decisions} decision${c.decisions === 1 ? '' : 's'}${c.performed ? `, ${c.performed} of them performing a check` : ''}`;
}

function endText(e: ExercisePlan['ifRoomGivesWay']['end']): string {
  return `${e.kind.replace(/_/g, ' ')} at ${e.step}: ${e.reason}`;
}

/** The plan as text for a terminal. */
export function planText(p: ExercisePlan): string {
  const out = [
    shown(`Exercise plan: ${p.scenario.name} (${p.scenario.id}) against ${p.workflow.name} (${p.workflow.id})`),
    shown(`Route: ${p.route.channel}${p.route.claimedClass ? `, claiming ${p.route.claimedClass}` : ''}; target: ${p.scenario.targetClass}; attacker: ${p.scenario.attacker}`),
    shown(`Other routes: ${p.otherRoutes.length ? p.otherRoutes.join('; ') : 'none'}`),
    '',
    'Decision points (the caller pushes through; each shows what the controls require), and (·) the steps that run without the room:',
    '',
  ];
  out.push(...walkAndPoints(p, false));
  out.push(shown(`If the room gives way at every point: ${endText(p.ifRoomGivesWay.end)}`));
  out.push(shown(`If the room does what the controls require: ${endText(p.ifRoomComplies.end)} (${decisionsText(p)})`));
  if (p.timedInjects.length) {
    out.push('', 'Timed injects from the scenario (minutes of exercise time):');
    for (const i of p.timedInjects) out.push(shown(`  +${i.atMinute} min  ${i.title}${i.note ? ` (${i.note})` : ''}: ${oneLine(i.text)}${i.prompt ? ` — ${oneLine(i.prompt)}` : ''}${i.options.length ? ` (${i.options.map(oneLine).join(' / ')})` : ''}`));
  }
  return `${out.join('\n')}\n`;
}

/** The plan as Markdown (facilitator's handout). */
export function planMarkdown(p: ExercisePlan): string {
  const t = markdownText;
  const out = [
    `# Exercise plan: ${t(p.scenario.name)}`,
    '',
    `- Workflow: ${t(p.workflow.name)} (\`${t(p.workflow.id)}\`)`,
    `- Scenario: ${t(p.scenario.id)}; target: ${t(p.scenario.targetClass)}; attacker: ${t(p.scenario.attacker)}`,
    `- Route: ${t(p.route.channel)}${p.route.claimedClass ? `, claiming ${t(p.route.claimedClass)}` : ''}`,
    `- Other routes: ${p.otherRoutes.length ? t(p.otherRoutes.join('; ')) : 'none'}`,
    `- If the room gives way at every point: ${t(endText(p.ifRoomGivesWay.end))}`,
    `- If the room does what the controls require: ${t(endText(p.ifRoomComplies.end))} (${decisionsText(p)})`,
    '',
    '## Decision points',
    '',
    'With (·) the steps that run without the room, where they come.',
    '',
  ];
  out.push(...walkAndPoints(p, true));
  if (p.timedInjects.length) {
    out.push('## Timed injects', '', '| minute | inject | text | decision for the room |', '|---|---|---|---|');
    for (const i of p.timedInjects) out.push(`| +${i.atMinute} | ${t(i.title)}${i.note ? ` *(${t(i.note)})*` : ''} | ${t(oneLine(i.text))} | ${i.prompt ? `${t(oneLine(i.prompt))}${i.options.length ? ` (${t(i.options.map(oneLine).join(' / '))})` : ''}` : ''} |`);
  }
  return `${out.join('\n')}\n`;
}
