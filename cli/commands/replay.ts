// `resetpath replay`: one scenario driven through a workflow's state machine, step by step, with
// the evidence the attacker presents and every control's verdict and the rule behind it.
import type { Command } from 'commander';
import { explore, replayPath, replayScenario } from '../../analysis/index.ts';
import { resolveScenarios, resolveWorkflows } from '../../backend/index.ts';
import { formatIssue } from '../../models/index.ts';
import type { ReplayTrace } from '../../scenarios/index.ts';
import { EXIT, type CommandIO } from '../io.ts';

/** Registers the replay command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('replay')
    .description('replay one scenario against a workflow and print the trace')
    .argument('<workflow>', 'workflow file or bundled workflow id')
    .requiredOption('-s, --scenario <id|file>', 'scenario id or file')
    .option('-p, --path <n>', 'which takeover path to replay (1-based; default: the first, or the furthest blocked attempt)')
    .option('--started-at <iso>', 'timestamp recorded as the start of the request', '1970-01-01T00:00:00.000Z')
    .option('-f, --format <format>', 'text | json', 'text')
    .action((workflow: string, opts: { scenario: string; path?: string; startedAt: string; format: string }) => {
      const fail = (msg: string) => {
        io.err(`resetpath replay: ${msg}\n`);
        io.setExitCode(EXIT.badInput);
      };
      if (!['text', 'json'].includes(opts.format)) return fail(`--format must be text or json (got "${opts.format}")`);
      if (Number.isNaN(Date.parse(opts.startedAt))) return fail(`--started-at must be an ISO timestamp (got "${opts.startedAt}")`);
      const w = resolveWorkflows([workflow], false);
      const s = resolveScenarios([opts.scenario]);
      const issues = [...w.issues, ...s.issues];
      if (issues.length) {
        for (const i of issues) io.err(`${formatIssue(i)}\n`);
        io.setExitCode(EXIT.badInput);
        return;
      }
      const wf = w.workflows[0]!;
      const sc = s.scenarios[0]!;
      const ex = explore(wf, sc);
      let trace: ReplayTrace | null;
      const startedAt = new Date(opts.startedAt).toISOString();
      if (opts.path !== undefined) {
        const n = Number(opts.path);
        const p = ex.paths[n - 1];
        if (!Number.isInteger(n) || !p) return fail(`--path must be between 1 and ${ex.paths.length} (the number of takeover paths)`);
        trace = replayPath(wf, sc, p, { startedAt });
      } else trace = replayScenario(wf, sc, ex, { startedAt });
      if (!trace) {
        io.out(`${sc.id} never reaches ${wf.id}: ${ex.blocks.map((b) => b.reason).join('; ') || ex.notApplicableReason || 'no attempt possible'}\n`);
        return;
      }
      io.out(opts.format === 'json' ? `${JSON.stringify(trace, null, 2)}\n` : text(trace, ex.paths.length));
    });
}

function text(t: ReplayTrace, paths: number): string {
  const out = [`Replay of ${t.scenario} against ${t.workflow} (channel ${t.channel}${t.claimedClass ? `, claims ${t.claimedClass}` : ''}; ${paths} takeover path${paths === 1 ? '' : 's'} in all)`, ''];
  for (const e of t.entries) {
    out.push(`${String(e.seq).padStart(2)}. +${e.atMinute} min  ${e.stepName} [${e.kind}${e.actor ? `, ${e.actor}` : ''}]  ${e.event ?? ''} → ${e.result}`);
    if (e.move?.say) out.push(`      attacker: "${e.move.say.trim()}"`);
    for (const ev of e.evidence) out.push(`      uses: ${ev}`);
    for (const v of e.verdicts) out.push(`      ${v.control}: ${v.verdict}${v.means.length ? ` [${v.means.map((m) => m.rule).join(', ')}]` : ''} — ${v.reason}`);
  }
  out.push('');
  const o = t.outcome;
  if (!('takeoverStep' in o)) out.push(`Outcome: blocked at ${o.step}${o.controls.length ? ` by ${o.controls.join(', ')}` : ''}: ${o.reason}`);
  else {
    out.push(`Outcome: ${o.kind === 'takeover_detected' ? 'takeover, detected' : 'takeover, undetected'} at ${o.takeoverStep} (${o.deliveryReason})`);
    if (o.detectedBy) out.push(`  detected by ${o.detectedBy.control} within ${o.detectedBy.delayHours} h: ${o.detectedBy.reason}`);
    for (const d of o.detections.filter((x) => !x.detects)) out.push(`  not detected by ${d.control}: ${d.reason}`);
    out.push(`  blast radius: ${o.blastRadius.join(', ')}; sessions after detection: ${o.containment}`);
  }
  return `${out.join('\n')}\n`;
}
