// Service-desk simulation throughput (`npm run bench:simulation`; not a timed test): simulated
// requests (legitimate and hostile) per second in one thread, the speed-up with worker threads on
// this machine's cores, and a year of the 200-agent outsourced desk with 10 replications. Each
// worker-count run is checked to give the same report as the one-thread run (same seed). Writes the
// "Service-desk simulation" section of docs/benchmarks.md; --quick measures less and writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { runReplications, type ReplicationResult, type SimulationInput } from '../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows, runSimulation } from '../backend/index.ts';
import { buildBundle, bundledSimulationWorker } from '../scripts/cli-bundle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const WORKFLOW = 'standard-password-reset.weak';
const SEED = 42;

const workflow = loadBundledWorkflows().find((w) => w.id === WORKFLOW)!;
const scenarios = loadBundledScenarios();
const profile = (id: string) => loadBundledDeskProfiles().find((p) => p.id === id)!;
const requestsOf = (reps: readonly ReplicationResult[]) =>
  reps.reduce((n, r) => n + Object.values(r.legit).reduce((a, c) => a + c.requests, 0) + Object.values(r.hostile).reduce((a, h) => a + h.attempts, 0), 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (s: string) => console.log(s);

// 1. One thread: requests simulated per second (the JIT warmed by a first, untimed run).
const oneCore: SimulationInput = { workflow, scenarios, profile: profile('outsourced-200'), days: quick ? 7 : 30 };
runReplications(oneCore, SEED, [0]);
const rates: number[] = [];
let perRun = 0;
for (let i = 0; i < (quick ? 1 : 5); i++) {
  const t0 = performance.now();
  const reps = runReplications(oneCore, SEED, [i + 1]);
  const s = (performance.now() - t0) / 1000;
  perRun = requestsOf(reps);
  rates.push(perRun / s);
}
const rate = median(rates);
log(`one thread: ${Math.round(rate).toLocaleString('en-US')} simulated requests per second (${perRun.toLocaleString('en-US')} requests per ${oneCore.days}-day replication of outsourced-200)`);

// 2. A year of the 200-agent desk, 10 replications, with 0, 1 and 2 worker threads. Threads start
// from the CLI bundle's worker module, as `resetpath simulate --workers N` starts them.
if (!bundledSimulationWorker()) await buildBundle();
process.env.RESETPATH_SIMULATION_WORKER = bundledSimulationWorker() ?? '';
const year: SimulationInput = { workflow, scenarios, profile: profile('outsourced-200'), days: quick ? 30 : 365 };
const runs = quick ? 2 : 10;
const rows: { workers: number; seconds: number; same: boolean }[] = [];
let yearRequests = 0;
let reference: unknown = null;
for (const workers of [0, 1, 2]) {
  const t0 = performance.now();
  const report = await runSimulation(year, { runs, seed: SEED, workers });
  const seconds = (performance.now() - t0) / 1000;
  reference ??= report;
  if (workers === 0) yearRequests = Math.round(Object.values(report.summary.legit).reduce((a, c) => a + c.requests.mean, 0) * runs + Object.values(report.summary.hostile).reduce((a, h) => a + h.attempts.mean, 0) * runs);
  rows.push({ workers, seconds, same: isDeepStrictEqual(report, reference) });
  log(`${year.days} days x ${runs} runs, ${workers} worker thread(s): ${seconds.toFixed(1)} s${isDeepStrictEqual(report, reference) ? '' : ' (REPORT DIFFERS)'}`);
}
if (rows.some((r) => !r.same)) {
  console.error('the report changed with the worker count');
  process.exit(1);
}
if (quick) process.exit(0);

const t1 = rows.find((r) => r.workers === 1)!.seconds;
const t2 = rows.find((r) => r.workers === 2)!.seconds;
const best = Math.min(...rows.map((r) => r.seconds));
const section = `## Service-desk simulation

Command: \`npm run bench:simulation\` (bench/simulation.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end. Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Workflow \`${WORKFLOW}\` against the bundled scenarios, seed ${SEED}.

| measure | result | target |
|---|---|---|
| simulated requests per second, one thread (legitimate and hostile, outsourced-200, ${oneCore.days}-day replications, median of 5) | **${Math.round(rate).toLocaleString('en-US')}** | at least 1,000,000 — ${rate >= 1e6 ? 'met' : 'not met'} |
| a year of the 200-agent desk (outsourced-200, ${year.days} days), ${runs} replications, this thread | ${rows[0]!.seconds.toFixed(1)} s: ${yearRequests.toLocaleString('en-US')} requests, **${Math.round(yearRequests / rows[0]!.seconds).toLocaleString('en-US')} per second** | at least 1,000,000 per second — ${yearRequests / rows[0]!.seconds >= 1e6 ? 'met' : 'not met'} |
| the same with 1 worker thread | ${t1.toFixed(1)} s | |
| the same with 2 worker threads (this machine's cores) | **${t2.toFixed(1)} s** (speed-up ${(rows[0]!.seconds / t2).toFixed(2)}x over this thread, ${(t1 / t2).toFixed(2)}x over 1 worker) | under 30 s — ${best < 30 ? 'met' : 'not met'} |

Every worker count gave the same report as this thread (checked by the benchmark). The first row times a whole \`runReplications\` call per 30-day replication, so it includes building the desk each time (the hostile walk tree: about 80 tabletop walks through the XState machine) and a colder first replication; the year row amortises that over ${runs} year-long replications. Worker threads start from the CLI bundle's worker module (\`out/cli/simulation-worker-*.mjs\`, as \`resetpath simulate --workers N\` starts them) and pay that start-up, and each its own desk, inside the times above.
`;
const file = join(ROOT, 'docs', 'benchmarks.md');
const doc = readFileSync(file, 'utf8');
const start = doc.indexOf('## Service-desk simulation');
const next = start < 0 ? -1 : doc.indexOf('\n## ', start + 1);
const out = start < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start)}${section}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`;
writeFileSync(file, out);
log(`wrote the Service-desk simulation section of ${file}`);
