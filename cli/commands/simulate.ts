// `resetpath simulate`: a service desk handles legitimate and hostile reset requests through a
// workflow over simulated days; seeded Monte Carlo replications give takeovers, friction for
// legitimate users and the desk's load with 95% confidence intervals. A progress bar on a terminal,
// plain progress lines otherwise (both on stderr, so --format json output stays clean).
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Estimate, SimulationReport } from '../../analysis/index.ts';
import { DEFAULT_DESK, resolveDeskProfile, resolveScenarios, resolveWorkflows, runSimulation } from '../../backend/index.ts';
import { formatIssue } from '../../models/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { jsonOut, shown } from '../text.ts';

interface Opts {
  desk: string;
  days: string;
  runs: string;
  seed: string;
  workers?: string;
  load: string;
  scenario: string[];
  format: string;
}

/** Registers the simulate command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('simulate')
    .description('simulate a service desk handling legitimate and hostile resets through a workflow: takeovers, friction and load, with confidence intervals')
    .argument('<workflow>', 'workflow file or bundled workflow id')
    .option('-d, --desk <profile>', 'desk profile: bundled id (in-house-20, outsourced-200, follow-the-sun) or YAML file', DEFAULT_DESK)
    .option('--days <n>', 'days simulated, starting on a Monday (1-3660)', '7')
    .option('-n, --runs <n>', 'Monte Carlo replications (1-10000)', '10')
    .option('--seed <s>', 'seed of the replications (integer 0-4294967295); the same seed gives the same result', '1')
    .option('-w, --workers <n>', 'worker threads (0: this thread; default: the cores available, at most the runs)')
    .option('--load <factor>', 'multiplier of the desk profile\'s legitimate arrival rates (0-100)', '1')
    .option('-s, --scenario <id|file>', 'hostile scenario to draw attempts from (repeatable; default: the bundled library)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-f, --format <format>', 'table | json', 'table')
    .action(async (workflow: string, opts: Opts) => {
      const fail = (msg: string) => {
        io.err(`resetpath simulate: ${msg}\n`);
        io.setExitCode(EXIT.badInput);
      };
      if (!['table', 'json'].includes(opts.format)) return fail(`--format must be table or json (got "${shown(opts.format)}")`);
      const int = (name: string, v: string, lo: number, hi: number): number | string => {
        const n = Number(v);
        return /^\d+$/.test(v) && Number.isSafeInteger(n) && n >= lo && n <= hi ? n : `${name} must be a whole number from ${lo} to ${hi} (got "${shown(v)}")`;
      };
      const days = int('--days', opts.days, 1, 3660);
      const runs = int('--runs', opts.runs, 1, 10_000);
      const seed = int('--seed', opts.seed, 0, 0xffffffff);
      const workers = opts.workers === undefined ? Math.min(availableParallelism(), typeof runs === 'number' ? runs : 1) : int('--workers', opts.workers, 0, 256);
      for (const v of [days, runs, seed, workers]) if (typeof v === 'string') return fail(v);
      const load = Number(opts.load);
      if (!/^\d+(\.\d+)?$/.test(opts.load) || !(load >= 0 && load <= 100)) return fail(`--load must be a number from 0 to 100 (got "${shown(opts.load)}")`);
      const w = resolveWorkflows([workflow], false);
      const s = resolveScenarios(opts.scenario);
      const d = resolveDeskProfile(opts.desk);
      const issues = [...w.issues, ...s.issues, ...(d.ok ? [] : d.issues)];
      if (issues.length || !d.ok) {
        for (const i of issues) io.err(`${formatIssue(i)}\n`);
        io.setExitCode(EXIT.badInput);
        return;
      }
      const total = runs as number;
      const progress = progressReporter(io, total);
      const report = await runSimulation(
        { workflow: w.workflows[0]!, scenarios: s.scenarios, profile: d.value, days: days as number, loadFactor: load },
        { runs: total, seed: seed as number, workers: workers as number, onProgress: progress.tick },
      );
      progress.stop();
      io.out(opts.format === 'json' ? jsonOut(report) : simulationText(report));
    });
}

/** A cli-progress bar when both streams are terminals; otherwise a plain line about every tenth of the way. */
function progressReporter(io: CommandIO, total: number): { tick: (done: number) => void; stop: () => void } {
  if (io.tty) {
    const bar = new cliProgress.SingleBar(
      { format: 'simulate [{bar}] {value}/{total} replications | eta {eta}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    tick: (done) => {
      if (done % step === 0 || done === total) io.err(`simulate: ${done}/${total} replications done\n`);
    },
    stop: () => {},
  };
}

/** "mean [lo, hi]" with `digits` decimals, scaled (100 for percentages); a dash when never observed. */
function est(e: Estimate | undefined, digits = 1, scale = 1, unit = ''): string {
  if (!e || e.n === 0) return '-';
  const f = (x: number) => (x * scale).toFixed(digits);
  return e.n > 1 ? `${f(e.mean)}${unit} [${f(e.lo)}, ${f(e.hi)}]` : `${f(e.mean)}${unit}`;
}

/** The report as tables for a terminal. */
export function simulationText(r: SimulationReport): string {
  const s = r.summary;
  const perDay = (e: Estimate): Estimate => ({ mean: e.mean / r.days, lo: e.lo / r.days, hi: e.hi / r.days, n: e.n });
  const out: string[] = [
    shown(`Simulated ${r.days} day(s) of ${r.desk.name} (${r.desk.id}) handling ${r.workflow.name} (${r.workflow.id})`),
    shown(`${r.runs} replication(s), seed ${r.seed}, load x${r.loadFactor}; means with 95% confidence intervals [lo, hi] over replications`),
    '',
    'Legitimate requests',
    table(
      ['class', 'per day', 'failed', 'escalated', 'recovery median (min)', 'recovery p95 (min)'],
      Object.entries(s.legit).map(([cls, c]) => [cls, est(perDay(c.requests)), est(c.failureRate, 1, 100, '%'), est(c.escalationRate, 1, 100, '%'), est(c.recoveryMedianMinutes, 0), est(c.recoveryP95Minutes, 0)]),
    ),
    '',
    'Hostile attempts by scenario',
    table(
      ['scenario', 'target', 'analysis (worst case)', 'attempts', 'takeovers detected', 'takeovers undetected', 'hours to detect'],
      Object.entries(s.hostile).map(([id, h]) => {
        const sc = r.scenarios.find((x) => x.id === id);
        return [id, sc?.targetClass ?? '', sc ? (sc.analysisPaths === '0' ? 'closed' : `${sc.analysisPaths} path(s)`) : '', est(h.attempts), est(h.takeoversDetected, 2), est(h.takeoversUndetected, 2), est(h.meanHoursToDetect)];
      }),
    ),
    'A takeover where the analysis reports the scenario closed came through a loaded agent skipping checks alone.',
    '',
    'Takeovers by account class',
    table(
      ['class', 'detected', 'undetected'],
      Object.entries(s.takeoversByClass).map(([cls, t]) => [cls, est(t.detected, 2), est(t.undetected, 2)]),
    ),
    '',
    'Desk',
    table(
      ['measure', 'value'],
      [
        ['agent utilisation', est(s.utilisation, 1, 100, '%')],
        ['mean wait for an agent (min)', est(s.meanWaitMinutes)],
        ['picked up within target', est(s.withinTarget, 1, 100, '%')],
        ['procedural controls skipped', est(s.skips.skipRate, 2, 100, '%')],
        ['system-enforced controls skipped', est(s.skips.systemSkipped, 0)],
      ],
    ),
    '',
    'Queue length by hour of day (mean)',
    table(
      ['hour', ...Array.from({ length: 12 }, (_, h) => String(h).padStart(2, '0'))],
      [
        ['00-11', ...s.queueByHour.slice(0, 12).map((e) => est({ ...e, n: Math.min(e.n, 1) }))],
        ['12-23', ...s.queueByHour.slice(12).map((e) => est({ ...e, n: Math.min(e.n, 1) }))],
      ],
    ),
  ];
  if (r.notes.length) out.push('', ...r.notes.map((n) => shown(`Note: ${n}`)));
  out.push('', shown(`Desk assumptions: ${r.desk.file} (${r.desk.assumptions.length} stated; ${r.desk.assumptions.filter((a) => /our estimate/i.test(a.source)).length} are our estimates)`));
  return `${out.join('\n')}\n`;
}
