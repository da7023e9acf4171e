// The after-action report of a tabletop session, in the usual after-action report / improvement
// plan shape: overview, timeline of injects and decisions with their exercise times, where the
// room's decision differed from what the workflow's controls require, the takeover path classes
// the workflow leaves open for the scenario (exact, from the analysis), gaps with named owners, and
// an improvement plan (who, what, by when). Rendered as Markdown and as a self-contained HTML page
// (no script; every string escaped by one function).
import { analyzeWorkflow, classOfWalk, exerciseClockText, hardenedSettingsText, exerciseGapKindText, exerciseRouteText, formatCount, pathsText, placementOf, placementPhrase, remedyText, runExercise, type ExerciseRoute, type ScenarioResult } from '../analysis/index.ts';
import type { ConsoleView } from '../contract/index.ts';
import { getControl, htmlText, markdownText, OWNER_ROLES, type OwnerRole, type Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';

/** One row of the improvement plan. */
export interface PlanItem {
  control: string;
  controlName: string;
  owner: string;
  ownerTitle: string;
  ownerNames: string[];
  action: string;
  why: string;
  due: string;
  priority: 'high' | 'medium';
}

export interface AfterAction {
  format: 'resetpath/after-action@1';
  title: string;
  generatedAt: string;
  view: ConsoleView;
  workflowName: string;
  scenarioName: string;
  durationMinutes: number;
  outcome: string;
  differing: ConsoleView['decisions'];
  timeline: { atMinute: number; kind: 'decision' | 'inject' | 'facilitator' | 'workflow'; text: string; detail: string; gap: string; undone: boolean }[];
  openClasses: { outcome: string; count: string; blocking: string[]; detecting: string[]; walkedByRoom: boolean }[];
  totalOpen: string;
  plan: PlanItem[];
}

const CHOICE = { approve: 'approve', fallback: 'send to the fallback', deny: 'refuse' } as const;

/** Who answers for the exceptions a workflow grants: the owner of their expiry control in the catalogue. */
const EXCEPTION_OWNER = getControl('exception.expiry').owner as OwnerRole;

/** The participants who play an owner role: named by its id or by its title. */
export function participantsIn(setup: Pick<ConsoleView['setup'], 'participants'>, role: string): string[] {
  return setup.participants.filter((p) => p.role === role || p.role === (OWNER_ROLES as Record<string, string>)[role]).map((p) => p.name);
}

/** A participant's role as people read it: an owner role of the catalogue by its title, any other role as written. */
export function roleText(role: string): string {
  return (OWNER_ROLES as Record<string, string>)[role] ?? role;
}

/**
 * Whether the room walked a path of a class: the session ended in a takeover, and the request's walk
 * (its channel and claim, every step in order and how it left each) is a takeover path of the
 * analysis in that class (`classOfWalk`: any of its paths, not only the examples the report shows).
 */
function roomWalk(view: ConsoleView, wf: Workflow, sc: Scenario): string | null {
  const end = view.end;
  if (!end || end.kind === 'blocked') return null;
  const route = view.setup.route as ExerciseRoute;
  const state = runExercise(wf, sc, route, view.decisions.map((d) => ({ point: d.point, choice: d.choice })), { decisionsAt: view.setup.decisionsAt ?? 'every_step' });
  return classOfWalk(wf, sc, { channel: route.channel, claimedClass: route.claimedClass ?? sc.target.accountClass, steps: state.walked });
}

/**
 * What a control does to the class of paths the room walked (the analysis's attribution of that
 * class), for an improvement-plan item: closes it on its own, only together with others, or not at
 * all. Null when the room walked no class (no takeover, or one the analysis has no path for).
 */
function effectOnWalked(cls: ScenarioResult['classes'][number] | undefined, control: string): string | null {
  if (!cls) return null;
  const name = (id: string) => `"${getControl(id).name}"`;
  if (cls.blocking.includes(control)) return `on its own it closes the path the room walked`;
  const joint = cls.joint.filter((j) => j.controls.includes(control));
  if (joint.length) return `it closes the path the room walked only together with ${joint.map((j) => j.controls.filter((c) => c !== control).map(name).join(' and ')).join(', or with ')}`;
  return `on its own it does not close the path the room walked`;
}

/** Builds the after-action report of a session from its console view (the state after its log). */
export function buildAfterAction(view: ConsoleView, wf: Workflow, sc: Scenario, now: Date): AfterAction {
  const r = analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!;
  const walkedClass = roomWalk(view, wf, sc);
  const walkedBy = (classId: string) => walkedClass === classId;
  const walked = r.classes.find((c) => c.id === walkedClass);
  const openClasses = r.classes.map((c) => {
    return {
      outcome: c.outcome === 'takeover_detected' ? `takeover, detected${c.detectedBy ? ` by ${getControl(c.detectedBy.control).name}` : ''}` : 'takeover, undetected',
      count: pathsText(c.count),
      blocking: c.blocking.map((k) => getControl(k).name),
      detecting: c.detecting.map((k) => getControl(k).name),
      walkedByRoom: walkedBy(c.id),
    };
  });
  const due = new Date(now.getTime() + view.setup.improvementDays * 86_400_000).toISOString().slice(0, 10);
  const took = view.end !== null && view.end.kind !== 'blocked';
  const plan = new Map<string, PlanItem>();
  const namesOf = (role: OwnerRole) => participantsIn(view.setup, role);
  for (const g of view.gaps) {
    const key = `${g.control}|${g.kind}`;
    if (plan.has(key)) continue;
    const waived = g.kind === 'waived_by_room' || g.kind === 'waived_by_exception';
    const action =
      g.kind === 'skipped_by_room'
        ? `Make "${g.controlName}" impossible to skip at "${g.stepName}": enforce it in the system, or script, train and spot-check it`
        : waived
          ? `Restrict the exceptions that set aside "${g.controlName}": who may grant them, for which classes, and when they expire`
          : `Strengthen "${g.controlName}" at "${g.stepName}" so this attacker cannot get past it, or add a control that holds`;
    // Restricting exceptions is the exception owner's (the accountability report's owner of exception.expiry), not the waived check's.
    const owner = waived ? { owner: EXCEPTION_OWNER, ownerTitle: OWNER_ROLES[EXCEPTION_OWNER], ownerNames: namesOf(EXCEPTION_OWNER) } : { owner: g.owner, ownerTitle: g.ownerTitle, ownerNames: g.ownerNames };
    // What the fix would do to the path the room walked: restricting exceptions acts through their expiry.
    const effect = g.kind === 'skipped_by_room' ? null : effectOnWalked(walked, waived ? 'exception.expiry' : g.control);
    plan.set(key, { control: g.control, controlName: g.controlName, ...owner, action, why: effect ? `${g.why}; ${effect}` : g.why, due, priority: took ? 'high' : 'medium' });
  }
  // A class's blocking controls each close every path of that class, so a control closes on its own
  // the paths of the classes that list it: every path of the scenario only when each class does.
  const total = r.classes.reduce((a, c) => a + BigInt(c.count), 0n);
  const alone = (k: string) => r.classes.filter((c) => c.blocking.includes(k)).reduce((a, c) => a + BigInt(c.count), 0n);
  for (const c of r.classes) {
    for (const k of c.blocking) {
      // Already planned for the control itself (skipped or defeated on the walk); an item that restricts
      // the exceptions waiving it is about the exceptions, so the control still gets its own.
      if (plan.has(`${k}|skipped_by_room`) || plan.has(`${k}|defeated`) || plan.has(`${k}|class`)) continue;
      const n = alone(k);
      const def = getControl(k);
      const names = namesOf(def.owner as OwnerRole);
      plan.set(`${k}|class`, {
        control: k,
        controlName: def.name,
        owner: def.owner,
        ownerTitle: OWNER_ROLES[def.owner as OwnerRole],
        ownerNames: names,
        action: `${remedyText(`"${def.name}"`, r.classes.filter((c) => c.blocking.includes(k)).map((c) => c.statuses[k] ?? 'absent'), placementPhrase(placementOf(wf, k), (s) => `"${wf.steps[s]?.name ?? s}"`, 3), hardenedSettingsText(k))}: the analysis says it closes ${n === total ? 'every open takeover path of this scenario' : 'some of the open takeover paths of this scenario; the others need other controls'}`,
        why: `it closes ${formatCount(n)} of ${pathsText(total)} on its own`,
        due,
        priority: 'medium',
      });
    }
  }
  const timeline: AfterAction['timeline'] = [];
  const decisionsBySeq = new Map(view.decisions.map((d) => [d.seq, d]));
  for (const e of view.log) {
    const d = decisionsBySeq.get(e.seq);
    if (d) {
      timeline.push({
        atMinute: e.atMinute,
        kind: 'decision',
        text: `${d.stepName}: ${d.choiceLabel}${d.decidedBy ? ` (${d.decidedBy})` : ''}`,
        detail: `${d.result}${d.detail ? ` (${d.detail})` : ''}${d.required ? `. The controls required: ${CHOICE[d.required.choice]} (${d.required.why})` : ''}${d.rationale ? `. Rationale: ${d.rationale}` : ''}`,
        gap: d.gaps.map((g) => `${g.controlName} (${exerciseGapKindText(g.kind)}; owner: ${g.ownerNames.length ? g.ownerNames.join(', ') : g.ownerTitle})`).join('; '),
        undone: false,
      });
    } else timeline.push({ atMinute: e.atMinute, kind: /^Inject/.test(e.what) ? 'inject' : 'facilitator', text: e.what, detail: '', gap: '', undone: e.undone });
  }
  const end = view.end;
  return {
    format: 'resetpath/after-action@1',
    title: `After-action report: ${view.session.title}`,
    generatedAt: now.toISOString(),
    view,
    workflowName: wf.name,
    scenarioName: sc.name,
    durationMinutes: view.clock.elapsedMinutes,
    outcome: end ? `${end.kind === 'blocked' ? 'Blocked' : end.kind === 'takeover_detected' ? 'Takeover, detected' : 'Takeover, undetected'} at "${wf.steps[end.step]?.name ?? end.step}": ${end.reason}` : 'The exercise did not reach an end',
    differing: view.decisions.filter((d) => d.matches === false),
    timeline,
    openClasses,
    totalOpen: pathsText(r.paths),
    plan: [...plan.values()],
  };
}

const md = markdownText;

/** The plan's dates are the setup's default, not commitments: said above the plan in both formats. */
const dueNote = (a: AfterAction) =>
  `Dates are proposed: ${a.view.setup.improvementDays} days from the report, the period the session's setup gives each owner; agree them with the owners before they are tracked.`;

/** A stored time (ISO 8601, UTC) as people read it in a report: "2026-12-06 10:55:37 UTC". */
const whenText = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** The report as Markdown. */
export function afterActionMarkdown(a: AfterAction): string {
  const v = a.view;
  const out: string[] = [
    `# ${md(a.title)}`,
    '',
    '## Exercise overview',
    '',
    `- Workflow: ${md(a.workflowName)} (\`${md(v.session.workflow.id)}\`${v.session.workflow.revision !== null ? `, revision ${v.session.workflow.revision}` : ', bundled'})`,
    `- Scenario: ${md(a.scenarioName)} (\`${md(v.session.scenario.id)}\`); route: ${md(exerciseRouteText(v.setup.route))}`,
    `- Facilitator: ${md(v.session.facilitator)}; started ${whenText(v.session.startedAt)}${v.session.closedAt ? `, closed ${whenText(v.session.closedAt)}` : ' (still open)'}; exercise time ${exerciseClockText(a.durationMinutes)}`,
    `- Participants: ${v.setup.participants.length ? v.setup.participants.map((p) => `${md(p.name)} (${md(roleText(p.role))})`).join(', ') : 'not recorded'}`,
    `- Verdicts shown to the room: ${v.setup.verdicts === 'live' ? 'after each decision' : 'in the debrief'}`,
    `- Outcome: **${md(a.outcome)}**`,
    `- Decisions: ${v.decisions.length}; differing from what the controls require: ${a.differing.length}; gaps left: ${v.gaps.length}`,
    '',
    '## Timeline',
    '',
    '| time | what | result | gap left |',
    '|---|---|---|---|',
    ...a.timeline.map((t) => `| ${exerciseClockText(t.atMinute)} | ${t.undone ? '~~' : ''}${md(t.text)}${t.undone ? '~~ (undone)' : ''} | ${md(t.detail)} | ${md(t.gap)} |`),
    '',
    '## Where the room differed from the controls',
    '',
    ...(a.differing.length
      ? a.differing.map((d) => `- ${md(d.stepName)} (at ${exerciseClockText(d.atMinute)}): the room chose "${md(d.choiceLabel)}"; the controls required ${CHOICE[d.required!.choice]}: ${md(d.required!.why)}`)
      : ['- None: every decision that moved the request was the one the controls require.']),
    '',
    '## Takeover paths the workflow leaves open for this scenario',
    '',
    `Exact, from the exhaustive analysis: ${md(a.totalOpen)}.`,
    '',
    ...(a.openClasses.length
      ? ['| class | outcome | paths | closed by (each alone) | detected by | walked by the room |', '|---|---|---|---|---|---|', ...a.openClasses.map((c, i) => `| ${i + 1} | ${md(c.outcome)} | ${md(c.count)} | ${md(c.blocking.join(', ') || 'no single control')} | ${md(c.detecting.join(', ') || '-')} | ${c.walkedByRoom ? 'yes' : 'no'} |`)]
      : ['None: no takeover path exists for this scenario.']),
    '',
    '## Gaps and their owners',
    '',
    ...(v.gaps.length
      ? ['| step | control | kind | owner | why |', '|---|---|---|---|---|', ...v.gaps.map((g) => `| ${md(g.stepName)} | ${md(g.controlName)} | ${md(exerciseGapKindText(g.kind))} | ${md(g.ownerNames.length ? `${g.ownerNames.join(', ')} (${g.ownerTitle})` : g.ownerTitle)} | ${md(g.why)} |`)]
      : ['No gap was exposed: every control on the run held or was never reached.']),
    '',
    '## Improvement plan',
    '',
    md(dueNote(a)),
    '',
    '| priority | what | who | by when (proposed) | why |',
    '|---|---|---|---|---|',
    ...a.plan.map((p) => `| ${p.priority} | ${md(p.action)} | ${md(p.ownerNames.length ? `${p.ownerNames.join(', ')} (${p.ownerTitle})` : `${p.ownerTitle} (no participant named)`)} | ${p.due} | ${md(p.why)} |`),
    '',
  ];
  if (v.session.notes.trim() || Object.keys(v.setup.stepNotes).length) {
    out.push('## Facilitator\'s notes', '');
    if (v.session.notes.trim()) out.push(...v.session.notes.trim().split('\n').map((l) => `> ${md(l)}`), '');
    for (const [point, note] of Object.entries(v.setup.stepNotes)) out.push(`- Point ${md(point)}: ${md(note.replace(/\s*\n\s*/g, ' '))}`);
    out.push('');
  }
  out.push(`Generated by ResetPath at ${whenText(a.generatedAt)}.`, '');
  return out.join('\n');
}

const h = (s: string) => htmlText(s);
const hm = (s: string) => htmlText(s, { multiline: true });

/** The report as one self-contained HTML page: no script, no external resource, print styles. */
export function afterActionHtml(a: AfterAction): string {
  const v = a.view;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const sections: string[] = [];
  sections.push(`<h1>${h(a.title)}</h1>`);
  sections.push(
    `<section><h2>Exercise overview</h2><dl>${[
      ['Workflow', `${a.workflowName} (${v.session.workflow.id})`],
      ['Scenario', `${a.scenarioName} (${v.session.scenario.id}); route ${exerciseRouteText(v.setup.route)}`],
      ['Facilitator', v.session.facilitator],
      ['Started', `${whenText(v.session.startedAt)}${v.session.closedAt ? `; closed ${whenText(v.session.closedAt)}` : ' (still open)'}; exercise time ${exerciseClockText(a.durationMinutes)}`],
      ['Participants', v.setup.participants.map((p) => `${p.name} (${roleText(p.role)})`).join(', ') || 'not recorded'],
      ['Outcome', a.outcome],
      ['Decisions', `${v.decisions.length}; differing from the controls: ${a.differing.length}; gaps left: ${v.gaps.length}`],
    ]
      .map(([k, x]) => `<dt>${h(k!)}</dt><dd>${h(x!)}</dd>`)
      .join('')}</dl></section>`,
  );
  sections.push(`<section><h2>Timeline</h2>${table(['time', 'what', 'result', 'gap left'], a.timeline.map((t) => [exerciseClockText(t.atMinute), `${t.undone ? '<s>' : ''}${h(t.text)}${t.undone ? '</s> (undone)' : ''}`, h(t.detail), h(t.gap)]))}</section>`);
  sections.push(
    `<section><h2>Where the room differed from the controls</h2>${
      a.differing.length ? `<ul>${a.differing.map((d) => `<li>${h(`${d.stepName} (at ${exerciseClockText(d.atMinute)}): the room chose "${d.choiceLabel}"; the controls required ${CHOICE[d.required!.choice]}: ${d.required!.why}`)}</li>`).join('')}</ul>` : '<p>None: every decision that moved the request was the one the controls require.</p>'
    }</section>`,
  );
  sections.push(
    `<section><h2>Takeover paths the workflow leaves open for this scenario</h2><p>${h(`Exact, from the exhaustive analysis: ${a.totalOpen}.`)}</p>${
      a.openClasses.length
        ? table(['class', 'outcome', 'paths', 'closed by (each alone)', 'detected by', 'walked by the room'], a.openClasses.map((c, i) => [String(i + 1), h(c.outcome), h(c.count), h(c.blocking.join(', ') || 'no single control'), h(c.detecting.join(', ') || '-'), c.walkedByRoom ? 'yes' : 'no']))
        : '<p>None: no takeover path exists for this scenario.</p>'
    }</section>`,
  );
  sections.push(
    `<section><h2>Gaps and their owners</h2>${
      v.gaps.length ? table(['step', 'control', 'kind', 'owner', 'why'], v.gaps.map((g) => [h(g.stepName), h(g.controlName), h(exerciseGapKindText(g.kind)), h(g.ownerNames.length ? `${g.ownerNames.join(', ')} (${g.ownerTitle})` : g.ownerTitle), h(g.why)])) : '<p>No gap was exposed: every control on the run held or was never reached.</p>'
    }</section>`,
  );
  sections.push(`<section><h2>Improvement plan</h2><p>${h(dueNote(a))}</p>${table(['priority', 'what', 'who', 'by when (proposed)', 'why'], a.plan.map((p) => [h(p.priority), h(p.action), h(p.ownerNames.length ? `${p.ownerNames.join(', ')} (${p.ownerTitle})` : `${p.ownerTitle} (no participant named)`), h(p.due), h(p.why)]))}</section>`);
  if (v.session.notes.trim() || Object.keys(v.setup.stepNotes).length) {
    sections.push(`<section><h2>Facilitator's notes</h2>${v.session.notes.trim() ? `<blockquote>${hm(v.session.notes.trim()).replace(/\n/g, '<br>')}</blockquote>` : ''}<ul>${Object.entries(v.setup.stepNotes).map(([p, n]) => `<li>${h(`Point ${p}`)}: ${hm(n)}</li>`).join('')}</ul></section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${h(a.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#eef1f5}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
footer{margin-top:2rem;color:#555;font-size:.85rem}
@media print{body{margin:0;max-width:none}section{break-inside:auto}tr{break-inside:avoid}h2{break-after:avoid}}
</style></head><body>
${sections.join('\n')}
<footer>${h(`Generated by ResetPath at ${whenText(a.generatedAt)}.`)}</footer>
</body></html>
`;
}
