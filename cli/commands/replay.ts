// `resetpath replay`: one scenario driven through a workflow's state machine, step by step, with
// the evidence the attacker presents and every control's verdict and the rule behind it.
import type { Command } from 'commander';
import { analyzeWorkflow, buildStateGraph, pathsText, replayFurthestBlocked, replayPath } from '../../analysis/index.ts';
import { prepareWorkflow, type ReplayTrace } from '../../scenarios/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { resolvePair } from '../resolve.ts';
import { jsonOut, oneLine, shown } from '../text.ts';

/** Registers the replay command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('replay')
    .description('replay one scenario against a workflow and print the trace')
    .argument('<workflow>', 'workflow file or bundled workflow id')
    .requiredOption('-s, --scenario <id|file>', 'scenario id or file')
    .option('-c, --class <n>', 'which class of takeover paths to replay (1-based, as `analyze --format json` numbers them; default: the first)')
    .option('-e, --example <k>', 'which example path of the class (1-3, shortest first; default 1)')
    .option('--started-at <iso>', 'timestamp recorded as the start of the request', '1970-01-01T00:00:00.000Z')
    .option('-f, --format <format>', 'text | json', 'text')
    .action((workflow: string, opts: { scenario: string; class?: string; example?: string; startedAt: string; format: string }) => {
      const fail = (msg: string) => {
        io.err(`resetpath replay: ${msg}\n`);
        io.setExitCode(EXIT.badInput);
      };
      if (!['text', 'json'].includes(opts.format)) return fail(`--format must be text or json (got "${opts.format}")`);
      if (Number.isNaN(Date.parse(opts.startedAt))) return fail(`--started-at must be an ISO timestamp (got "${opts.startedAt}")`);
      const pair = resolvePair(io, workflow, opts.scenario);
      if (!pair) return;
      const { wf, sc } = pair;
      const startedAt = new Date(opts.startedAt).toISOString();
      const r = analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!;
      let trace: ReplayTrace | null;
      if (r.classes.length > 0) {
        const n = opts.class === undefined ? 1 : Number(opts.class);
        const cls = r.classes[n - 1];
        if (!Number.isInteger(n) || !cls) return fail(`--class must be between 1 and ${r.classes.length} (the classes of takeover paths)`);
        const k = opts.example === undefined ? 1 : Number(opts.example);
        const ex = cls.examples[k - 1];
        if (!Number.isInteger(k) || !ex) return fail(`--example must be between 1 and ${cls.examples.length} (the example paths of class ${n})`);
        trace = replayPath(wf, sc, ex, { startedAt });
        if (opts.format === 'json') io.out(jsonOut(trace));
        else io.out(replayText(trace, `class ${n} of ${r.classes.length}, example ${k} of ${cls.examples.length}; ${pathsText(cls.count)} in this class, ${pathsText(r.paths, 'takeover path')} in all`));
        return;
      }
      if (opts.class !== undefined || opts.example !== undefined) return fail(`${sc.id} has no takeover path against ${wf.id}, so there is no class to replay`);
      const g = buildStateGraph(prepareWorkflow(wf), sc);
      trace = replayFurthestBlocked(g, { startedAt });
      if (!trace) {
        io.out(`${shown(`${sc.id} never reaches ${wf.id}: ${g.blocks.map((b) => b.reason).join('; ') || g.notApplicableReason || 'no attempt possible'}`)}\n`);
        return;
      }
      io.out(opts.format === 'json' ? jsonOut(trace) : replayText(trace, `no takeover path: the attempt that got furthest`));
    });
}

/** A replay trace as text; names and reasons, which quote the files, are written display-safe. */
export function replayText(t: ReplayTrace, which: string): string {
  const out = [shown(`Replay of ${t.scenario} against ${t.workflow} (channel ${t.channel}${t.claimedClass ? `, claims ${t.claimedClass}` : ''}; ${which})`), ''];
  for (const e of t.entries) {
    out.push(shown(`${String(e.seq).padStart(2)}. +${e.atMinute} min  ${e.stepName} [${e.kind}${e.actor ? `, ${e.actor}` : ''}]  ${e.event ?? ''} → ${e.result}`));
    if (e.move?.narration) out.push(`      (${oneLine(e.move.narration)})`);
    if (e.move?.say) out.push(`      attacker: "${oneLine(e.move.say)}"`);
    for (const ev of e.evidence) out.push(`      uses: ${shown(ev)}`);
    for (const v of e.verdicts) out.push(shown(`      ${v.control}: ${v.verdict}${v.means.length ? ` [${v.means.map((m) => m.rule).join(', ')}]` : ''} — ${v.reason}`));
  }
  out.push('');
  const o = t.outcome;
  if (!('takeoverStep' in o)) out.push(shown(`Outcome: blocked at ${o.step}${o.controls.length ? ` by ${o.controls.join(', ')}` : ''}: ${o.reason}`));
  else {
    out.push(shown(`Outcome: ${o.kind === 'takeover_detected' ? 'takeover, detected' : 'takeover, undetected'} at ${o.takeoverStep} (${o.deliveryReason})`));
    if (o.detectedBy) out.push(shown(`  detected by ${o.detectedBy.control} within ${o.detectedBy.delayHours} h: ${o.detectedBy.reason}`));
    for (const d of o.detections.filter((x) => !x.detects)) out.push(shown(`  not detected by ${d.control}: ${d.reason}`));
    out.push(shown(`  blast radius: ${o.blastRadius.join(', ')}; sessions after detection: ${o.containment}`));
  }
  return `${out.join('\n')}\n`;
}
