// `npm run bench`: measures library loading, the full analysis matrix, what-if recomputation, the
// xstate/graph baseline and scaling, then rewrites the "Analysis engine" section of docs/benchmarks.md.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSimplePaths } from 'xstate/graph';
import { analyzeWorkflow, explore, toggleControl } from '../analysis/index.ts';
import { libraryFiles, loadBundledScenarios, loadBundledWorkflows, readModelFile, SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from '../backend/index.ts';
import { compileWorkflow, loadWorkflowText, STEP_EVENTS, type Verdict, type Workflow } from '../models/index.ts';
import { attackContext, evaluateStep, loadScenarioText, prepareWorkflow, type Scenario } from '../scenarios/index.ts';
import { generateWorkflow } from './generate.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const lines: string[] = [];
const log = (s = '') => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};

// 1. Loading and compiling the bundled library (issue 2).
const files = [...libraryFiles(WORKFLOW_LIBRARY_DIR), ...libraryFiles(SCENARIO_LIBRARY_DIR)];
const texts = files.map((f) => ({ f, t: (readModelFile(f) as { ok: true; value: string }).value }));
const loadRuns: number[] = [];
for (let i = 0; i < (quick ? 5 : 30); i++) {
  const [, t] = time(() => {
    for (const { f, t } of texts) {
      if (f.startsWith(WORKFLOW_LIBRARY_DIR)) {
        const r = loadWorkflowText(t, f);
        if (!r.ok) throw new Error(f);
        compileWorkflow(r.value);
      } else if (!loadScenarioText(t, f).ok) throw new Error(f);
    }
  });
  loadRuns.push(t);
}
const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();
const L = stats(loadRuns);
log(`### Library load and compile`);
log('');
log(`${workflows.length} workflows parsed, validated and compiled to XState machines, plus ${scenarios.length} scenarios parsed and validated (files read once; parse + validate + compile timed): median ${ms(L.median)}, p95 ${ms(L.p95)} over ${L.n} runs.`);

// 2. Full matrix: every workflow against every scenario, exhaustive, with attribution and verified minimal sets.
const matrixRuns: number[] = [];
let pathsTotal = 0;
let states = 0;
for (let i = 0; i < (quick ? 2 : 10); i++) {
  const [analyses, t] = time(() => workflows.map((w) => analyzeWorkflow(w, scenarios)));
  matrixRuns.push(t);
  pathsTotal = analyses.reduce((n, a) => n + a.totals.paths, 0);
  states = analyses.reduce((n, a) => n + a.scenarios.reduce((m, s) => m + s.statesVisited, 0), 0);
}
const M = stats(matrixRuns);
log('');
log(`### Full library matrix (target: under 1 s)`);
log('');
log(`${workflows.length} workflows x ${scenarios.length} scenarios = ${workflows.length * scenarios.length} explorations, exhaustive, with gap attribution of every path and verified minimal control sets per workflow and per class: ${pathsTotal} takeover paths, ${states} states visited. Median ${ms(M.median)}, p95 ${ms(M.p95)}, min ${ms(M.min)} over ${M.n} runs.`);

// 3. What-if: one control toggled on the open workflow, re-analysed against all scenarios.
const target = workflows.find((w) => w.id === 'mfa-reenrollment-phone.weak') ?? workflows[0]!;
const toggles = ['sim_swap.signal', 'callback.number_on_file', 'notify.out_of_band', 'approval.dual', 'agent.mfa'];
const whatIfExplore: number[] = [];
const whatIfFull: number[] = [];
for (let i = 0; i < (quick ? 20 : 200); i++) {
  const id = toggles[i % toggles.length]!;
  const changed = toggleControl(target, id, i % 2 === 0);
  whatIfExplore.push(time(() => scenarios.map((s) => explore(changed, s)))[1]);
  whatIfFull.push(time(() => analyzeWorkflow(changed, scenarios, { minimalSets: false }))[1]);
}
const W1 = stats(whatIfExplore);
const W2 = stats(whatIfFull);
log('');
log(`### What-if recompute (target: median under 16 ms, one frame)`);
log('');
log(`Toggling one control on \`${target.id}\` and re-running it against all ${scenarios.length} scenarios:`);
log('');
log(`| recompute | median | p95 | runs |`);
log(`|---|---|---|---|`);
log(`| paths and outcomes (what the graph shows) | ${ms(W1.median)} | ${ms(W1.p95)} | ${W1.n} |`);
log(`| paths, outcomes and gap attribution of every path | ${ms(W2.median)} | ${ms(W2.p95)} | ${W2.n} |`);

// 4. Baseline: the same machines' paths enumerated with xstate/graph.
function xstatePaths(wf: Workflow, sc: Scenario): number {
  const prep = prepareWorkflow(wf);
  const ctx = attackContext(prep, sc.attacker.capabilities, sc.target.accountClass);
  const machine = compileWorkflow(wf);
  const channel = sc.strategy.channels.find((c) => c !== 'agent_console') ?? 'phone';
  const paths = getSimplePaths(machine, {
    events: (snap) => {
      const state = String(snap.value);
      const step = wf.steps[state];
      if (!step || step.kind === 'end') return [];
      const ev = evaluateStep(prep, ctx, state, channel, snap.context.activeExceptions);
      const verdicts = Object.fromEntries(ev.verdicts.map((v) => [v.key, v.verdict])) as Record<string, Verdict>;
      const [pass, fail] = STEP_EVENTS[step.kind];
      const out: { type: string; [k: string]: unknown }[] = [];
      if (step.kind === 'intake') {
        for (const claim of sc.strategy.claims) out.push({ type: pass, verdicts, channel, targetClass: sc.target.accountClass, claimedClass: claim });
      } else out.push({ type: pass, verdicts });
      if (fail) out.push({ type: fail, verdicts });
      return out as never;
    },
    serializeState: (snap) => `${String(snap.value)}|${snap.context.claimedClass}|${snap.context.activeExceptions.join(',')}` as never,
    toState: (snap) => snap.status === 'done' && wf.steps[String(snap.value)]?.kind === 'end',
  });
  return paths.length;
}
const pairs = workflows.flatMap((w) => scenarios.filter((s) => w.accountClasses.includes(s.target.accountClass)).map((s) => [w, s] as const));
const oursRuns: number[] = [];
const graphRuns: number[] = [];
let graphPaths = 0;
let ourPaths = 0;
for (let i = 0; i < (quick ? 1 : 5); i++) {
  oursRuns.push(time(() => (ourPaths = pairs.reduce((n, [w, s]) => n + explore(w, s).paths.length, 0)))[1]);
  graphRuns.push(time(() => (graphPaths = pairs.reduce((n, [w, s]) => n + xstatePaths(w, s), 0)))[1]);
}
const O = stats(oursRuns);
const G = stats(graphRuns);
log('');
log(`### Baseline: xstate/graph`);
log('');
log(`Enumerating the ${pairs.length} applicable workflow x scenario pairs. ResetPath's explorer: median ${ms(O.median)} (${ourPaths} takeover paths). xstate/graph \`getSimplePaths\` over the same compiled machines, fed the same verdicts as events, to every end state: median ${ms(G.median)} (${graphPaths} simple paths to an end state, takeover or not; it has no notion of delivery, detection or retries). Ratio xstate/graph : ResetPath = ${(G.median / O.median).toFixed(1)} : 1.`);

// 5. Scaling with steps and with scenarios.
log('');
log(`### Scaling`);
log('');
log(`Generated workflows (seeded, \`bench/generate.ts\`): a chain of verification stages (random controls, mostly weak and procedural), each with a knowledge-question fallback as its on_fail branch, so paths multiply with depth, 25 catalogue controls, explored against all ${scenarios.length} scenarios with attribution (no minimal sets):`);
log('');
log(`| steps | time (all scenarios) | takeover paths | states visited | exhaustive | heap used after |`);
log(`|---|---|---|---|---|---|`);
for (const n of quick ? [25, 200] : [25, 50, 100, 200]) {
  const wf = generateWorkflow(n, 25, 42);
  const [a, t] = time(() => analyzeWorkflow(wf, scenarios, { minimalSets: false }));
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  log(`| ${n} | ${ms(t)} | ${a.totals.paths} | ${a.scenarios.reduce((m, s) => m + s.statesVisited, 0)} | ${a.scenarios.every((s) => s.exhaustive) ? 'yes' : `no (${[...new Set(a.scenarios.flatMap((s) => s.boundReasons))].join('; ')})`} | ${heap.toFixed(0)} MiB |`);
}
log('');
const wf100 = generateWorkflow(100, 25, 42);
log(`| scenarios (100-step workflow) | time |`);
log(`|---|---|`);
for (const k of [1, 5, 10, scenarios.length]) {
  const [, t] = time(() => analyzeWorkflow(wf100, scenarios.slice(0, k), { minimalSets: false }));
  log(`| ${k} | ${ms(t)} |`);
}

if (!quick) {
  const date = execSync('date -u +%Y-%m-%d').toString().trim();
  const header = [
    '<!-- bench:analysis:start -->',
    '## Analysis engine',
    '',
    `Command: \`npm run bench\` (bench/run.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, single-threaded. Date: ${date}.`,
    '',
  ];
  const section = [...header, ...lines, '<!-- bench:analysis:end -->'].join('\n');
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:analysis:start -->[\s\S]*<!-- bench:analysis:end -->/;
  writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n${section}\n`);
  process.stdout.write(`\nwrote docs/benchmarks.md\n`);
}
