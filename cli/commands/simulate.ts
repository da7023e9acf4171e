// `resetpath simulate`: a service desk handles legitimate and hostile reset requests through a
// workflow over simulated days; seeded Monte Carlo replications give takeovers, friction for
// legitimate users and the desk's load with 95% confidence intervals. A progress bar on a terminal,
// plain progress lines otherwise (both on stderr, so --format json output stays clean).
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { DEFAULT_MAX_CANDIDATES, DEFAULT_RISK_TARGET, MAX_CANDIDATES, type Estimate, type SimulationReport, type TradeoffReport } from '../../analysis/index.ts';
import { DEFAULT_DESK, resolveDeskProfile, resolveScenarios, resolveWorkflows, runSimulation, runTradeoff } from '../../backend/index.ts';
import { ACCOUNT_CLASSES, formatIssue } from '../../models/index.ts';
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
  tradeoff?: boolean;
  riskTarget?: string;
  maxCandidates: string;
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
    .addOption(new Option('-s, --scenario <id|file>', 'hostile scenario to draw attempts from (repeatable)').argParser((v: string, acc: string[]) => [...acc, v]).default([] as string[], 'the bundled library'))
    .option('-f, --format <format>', 'table | json', 'table')
    .option('--tradeoff', 'simulate candidate control sets (subsets of the controls of the minimal sets) and print the risk-versus-friction frontier')
    .option('--risk-target <targets>', `with --tradeoff: takeovers per 1000 days a class may have, e.g. "5" (every class) or "privileged_admin=0.5,standard_employee=5" (default ${DEFAULT_RISK_TARGET})`)
    .option('--max-candidates <n>', `with --tradeoff: candidate sets simulated at most (1-${MAX_CANDIDATES})`, String(DEFAULT_MAX_CANDIDATES))
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
      if (!opts.tradeoff && opts.riskTarget !== undefined) return fail('--risk-target needs --tradeoff');
      const maxCandidates = int('--max-candidates', opts.maxCandidates, 1, MAX_CANDIDATES);
      if (typeof maxCandidates === 'string') return fail(maxCandidates);
      const targets = parseRiskTargets(opts.riskTarget ?? String(DEFAULT_RISK_TARGET));
      if (typeof targets === 'string') return fail(targets);
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
      if (opts.tradeoff) {
        let progress: ReturnType<typeof progressReporter> | null = null;
        const report = await runTradeoff(
          { workflow: w.workflows[0]!, scenarios: s.scenarios, profile: d.value, days: days as number, loadFactor: load },
          {
            runs: total,
            seed: seed as number,
            workers: workers as number,
            maxCandidates,
            targets: targets.byClass,
            defaultTarget: targets.all,
            onProgress: (done, all) => (progress ??= progressReporter(io, all, 'simulated candidate runs')).tick(done),
          },
        );
        (progress as ReturnType<typeof progressReporter> | null)?.stop();
        io.out(opts.format === 'json' ? jsonOut(report) : tradeoffText(report));
        return;
      }
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
function progressReporter(io: CommandIO, total: number, what = 'replications'): { tick: (done: number) => void; stop: () => void } {
  if (io.tty) {
    const bar = new cliProgress.SingleBar(
      { format: `simulate [{bar}] {value}/{total} ${what} | eta {eta}s`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    tick: (done) => {
      if (done % step === 0 || done === total) io.err(`simulate: ${done}/${total} ${what} done\n`);
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

/** Whether a scenario the exact analysis closes still had simulated takeovers (skips under load). */
function closedButTaken(r: SimulationReport): boolean {
  return Object.entries(r.summary.hostile).some(([id, h]) => r.scenarios.find((x) => x.id === id)?.analysisPaths === '0' && (h.takeoversDetected.mean > 0 || h.takeoversUndetected.mean > 0));
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
    ...(closedButTaken(r) ? ['A takeover of a scenario the analysis reports closed came through a loaded agent skipping checks alone.'] : []),
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
    '',
    'Exceptions granted at the desk',
    table(
      ['measure', 'value'],
      [
        ['granted to legitimate requesters', est(s.exceptions.granted)],
        ['granted to hostile callers', est(s.exceptions.grantedToAttackers)],
        ['granted with no expiry (none in the workflow, or skipped by an agent)', est(s.exceptions.withoutExpiry)],
        ['in force at the end of the period', est(s.exceptions.outstandingAtEnd)],
      ],
    ),
  ];
  if (s.exceptions.outstandingByDay.length > 1) {
    // In force at the end of each day, or of each week on a long run (mean over replications).
    const days = s.exceptions.outstandingByDay;
    const weekly = days.length > 14;
    const picked = days.map((e, d) => ({ day: d + 1, e })).filter(({ day }) => !weekly || day % 7 === 0 || day === days.length);
    out.push('', `Exceptions in force at the end of each ${weekly ? 'week' : 'day'} (mean)`, table(['day', 'in force'], picked.map(({ day, e }) => [String(day), est(e)])));
  }
  if (r.standingExceptions.length) {
    out.push('', shown(`Standing exceptions, in force throughout (never granted at the desk, never expiring): ${r.standingExceptions.map((x) => `${x.id} (${x.appliesTo ? x.appliesTo.join(', ') : 'every class'})`).join('; ')}`));
  }
  if (r.notes.length) out.push('', ...r.notes.map((n) => shown(`Note: ${n}`)));
  out.push('', shown(`Desk assumptions: ${r.desk.file} (${r.desk.assumptions.length} stated; ${r.desk.assumptions.filter((a) => /our estimate/i.test(a.source)).length} are our estimates)`));
  return `${out.join('\n')}\n`;
}

/**
 * Parses --risk-target: a number for every class, `class=number` pairs, or both ("5,privileged_admin=0.5"),
 * in takeovers per 1000 days; a message naming the bad part otherwise.
 */
export function parseRiskTargets(text: string): { all: number; byClass: Record<string, number> } | string {
  let all = DEFAULT_RISK_TARGET;
  const byClass: Record<string, number> = {};
  const num = (v: string) => (/^\d+(\.\d+)?$/.test(v) && Number(v) <= 1e9 ? Number(v) : null);
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([a-z_]+)=(.*)$/.exec(part);
    const v = num(m ? m[2]!.trim() : part);
    if (v === null) return `--risk-target: "${shown(part)}" is not a number of takeovers per 1000 days (0 or more) or class=number`;
    if (!m) all = v;
    else if (!(m[1]! in ACCOUNT_CLASSES)) return `--risk-target: "${shown(m[1]!)}" is not an account class (${Object.keys(ACCOUNT_CLASSES).join(', ')})`;
    else byClass[m[1]!] = v;
  }
  return { all, byClass };
}

/** The trade-off as tables: the frontier, the least-friction set per class, and every candidate. */
export function tradeoffText(r: TradeoffReport): string {
  const name = (controls: string[]) => (controls.length ? controls.join(' + ') : '(as it is)');
  const frictionCell = (p: TradeoffReport['points'][number]) => p.friction.expectedMinutes.toFixed(1);
  const row = (p: TradeoffReport['points'][number]) => [String(p.index), name(p.controls), frictionCell(p), est(p.risk), ...r.classes.map((c) => est(p.riskByClass[c]))];
  const head = ['#', 'controls', 'friction (min/request)', 'takeovers /1000 days', ...r.classes];
  const out: string[] = [
    shown(`Risk against friction: ${r.points.length} candidate control set(s) on ${r.workflow.name} (${r.workflow.id}), ${r.desk.name}`),
    shown(`${r.days} day(s) x ${r.runs} replication(s) each, seed ${r.seed}, load x${r.loadFactor}; the same draws for every candidate (common random numbers)`),
    'Friction: expected minutes per legitimate request the set adds (catalogue minutes, and escalations of those who fail).',
    'Risk: simulated takeovers per 1000 days, mean [95% interval].',
    '',
    'Pareto frontier (no other candidate has both less friction and less risk)',
    table(head, r.frontier.map((i) => row(r.points[i]!))),
    '',
    'Least-friction set meeting the risk target (the upper end of the interval at or below it)',
    table(
      ['class', 'target /1000 days', 'set', 'friction (min/request)', 'takeovers /1000 days'],
      r.choices.map((c) => {
        const p = c.candidate === null ? null : r.points[c.candidate]!;
        return [c.accountClass, String(c.target), p ? name(p.controls) : 'none meets it', p ? frictionCell(p) : '-', p ? est(p.riskByClass[c.accountClass]) : c.reason];
      }),
    ),
    '',
    `Controls of the minimal sets: ${r.pool.length ? r.pool.join(', ') : 'none'}`,
  ];
  if (r.notes.length) out.push(...r.notes.map((n) => shown(`Note: ${n}`)));
  out.push('', 'Every candidate', table(head, r.points.map(row)));
  return `${out.join('\n')}\n`;
}
