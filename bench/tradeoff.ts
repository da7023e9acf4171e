// The app's default risk-versus-friction trade-off (`npm run bench:tradeoff`; not a timed test):
// standard-password-reset.weak on the in-house desk, 24 candidates x 5 runs x 7 days (the app's
// defaults), timed in this thread, with 1 and 2 fresh simulation threads (start-up included, as the
// CLI pays it) and with the app's warm pool of 2. Each run also checks the result is the same for every worker count. Writes the
// "Risk-versus-friction trade-off" section of docs/benchmarks.md; --quick does one run and writes nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { SimulationInput, TradeoffReport } from '../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows, runTradeoff, SimulationPool } from '../backend/index.ts';
import { APP_TRADEOFF_DEFAULTS } from '../backend/simulationService.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 1 : 3;
const TARGET_MS = 5000;
const { days, runs, maxCandidates, seed } = APP_TRADEOFF_DEFAULTS;

const input: SimulationInput = {
  workflow: loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!,
  scenarios: loadBundledScenarios(),
  profile: loadBundledDeskProfiles().find((p) => p.id === 'in-house-20')!,
  days,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);

const rows: { workers: string; median: number; min: number }[] = [];
let reference: TradeoffReport | null = null;
// The app's pool: threads started beforehand (when the screen opens) and kept; the first run here is untimed.
const pool = new SimulationPool(2);
pool.warm();
await runTradeoff(input, { runs, seed, workers: 2, maxCandidates, pool });
for (const workers of ['0 (this thread)', '1 (fresh thread)', '2 (fresh threads)', '2 (the app\'s warm pool)']) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const n = Number(workers[0]);
    const r = await runTradeoff(input, { runs, seed, workers: n, maxCandidates, ...(workers.includes('pool') ? { pool } : {}) });
    times.push(performance.now() - t0);
    if (reference === null) reference = r;
    else if (!isDeepStrictEqual(r, reference)) throw new Error(`the trade-off with ${workers} worker(s) differs from the one in this thread`);
  }
  rows.push({ workers, median: median(times), min: Math.min(...times) });
  process.stdout.write(`workers ${workers}: median ${ms(median(times))} (min ${ms(Math.min(...times))})\n`);
}

await pool.close();
const replications = reference!.points.length * runs;
const app = rows.find((r) => r.workers.includes('pool'))!.median;
const section = [
  `Command: \`npm run bench:tradeoff\` (bench/tradeoff.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Load average when it finished: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
  '',
  `The app's default trade-off: standard-password-reset.weak on the in-house-20 desk, ${reference!.points.length} candidate sets x ${runs} runs x ${days} days (${replications} replications), the exact analysis for the minimal sets included. Median of ${RUNS} run(s) per row. Fresh threads include their start-up (loading the engine's sources through tsx, as the CLI pays it); the app keeps a pool started when the Simulation screen opens, so a run there pays no start-up. The result is checked identical for every worker count.`,
  '',
  '| workers | median | min |',
  '|---|---|---|',
  ...rows.map((r) => `| ${r.workers} | ${ms(r.median)} | ${ms(r.min)} |`),
  '',
  `Target: the app's default run in a few seconds on 2 cores (under ${TARGET_MS} ms, warm pool) — **${app < TARGET_MS ? 'met' : 'not met'}** (${ms(app)}).`,
].join('\n');

if (!quick) {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = '<!-- bench:tradeoff:start -->';
  const end = '<!-- bench:tradeoff:end -->';
  const block = `${start}\n${section}\n${end}`;
  const next = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${text.trimEnd()}\n\n## Risk-versus-friction trade-off\n\n${block}\n`;
  writeFileSync(file, next);
}
process.stdout.write(`${section}\n`);
