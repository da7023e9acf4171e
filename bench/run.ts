// `npm run bench`: the analysis engine's benchmarks, on one core (the process pins itself with
// taskset when it can), in a heap with the analysis young generation the app's renderer and analysis
// worker run with (backend/heap.ts; the process starts itself again with the flag), then rewrites the
// "Analysis engine" section of docs/benchmarks.md.
//   1. the bundled library loaded and compiled;
//   2. the full library matrix, exhaustive, with attribution and verified control sets;
//   3. generated workflows of 50-400 steps, each measured in its own process for peak RSS;
//   4. what-if through the function the renderer calls, with its session cache (the 60-step one also
//      against the 19 scenarios the library held when its target was set, and after 200 warm-ups),
//      then the same sessions in a page of Debian's Chromium, the engine the renderer runs it in
//      (bench/whatif-page.ts; skipped, and said so, without Chromium);
//   5. paired ratios against the enumerating engine this one replaced (commit 0c4035d, checked
//      out of git history into a temporary folder) and against xstate/graph;
//   6. the hostile shapes that exhausted the old engine;
//   7. the matrix and the 60-step what-if again in processes with Node's default heap (the CLI's and
//      the browser mode's).
// Flags: --quick (fewer runs, no file written); --child <json> (one measurement, internal).
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSimplePaths } from 'xstate/graph';
import { AnalysisCache, AnalysisLimitError, analyzeWorkflow, countIn, formatCount, toggleControl } from '../analysis/index.ts';
import { analysisHeapFlag, ANALYSIS_SEMI_SPACE_MB, libraryFiles, loadBundledScenarios, loadBundledWorkflows, readModelFile, SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from '../backend/index.ts';
import { compileWorkflow, loadWorkflowOrThrow, loadWorkflowText, STEP_EVENTS, type Verdict, type Workflow } from '../models/index.ts';
import { analyseWhatIf } from '../renderer/compute/computeWhatIf.ts';
import { evaluateStep, loadScenarioText, prepareWorkflow, scenarioContext, type Scenario } from '../scenarios/index.ts';
import { hostileWorkflow } from '../test/fixtures/hostile.ts';
import { generateWorkflow, generateWorkflowText } from './generate.ts';
import type { PageBenchInput, PageBenchOutput } from './whatif-page.ts';
import { WHATIF_TOGGLES, whatIfSession } from './whatif-session.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const LEGACY_COMMIT = '0c4035d';
/**
 * The scenarios the bundled library held when issue 8 set the what-if target (2026-11-26; `git log
 * --diff-filter=A -- scenarios/library`): the what-if is also measured against these alone.
 */
const SCENARIOS_WHEN_TARGET_SET = [
  's01-osint-vishing', 's02-executive-pressure', 's03-deepfake-verification', 's04-sim-swap-sspr', 's05-my-phone-broke', 's06-reverse-vishing', 's07-compromised-agent-account', 's08-ticket-queue-injection', 's09-bribed-insider-agent', 's09b-two-agent-identities', 's10-outsourced-desk', 's11-nhi-api-key-via-support', 's12-exception-never-expires', 's13-log-tampering', 's14-shared-mailbox', 's15-vendor-unlock', 's16-privileged-mfa-reset-idp-takeover', 's17-self-service-weak-recovery', 's18-contact-prepositioning',
];

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

const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : x < 10_000 ? `${x.toFixed(0)} ms` : `${(x / 1000).toFixed(1)} s`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

// ---- one measurement in a child process (peak RSS is per process) -------------------------------

interface ChildJob {
  kind: 'generated' | 'hostile' | 'legacy-generated';
  steps: number;
  runs: number;
}
interface ChildResult {
  times: number[];
  /** The first analysis in the fresh process (the JIT compiling as it goes). */
  first?: number;
  paths: string;
  classes: number;
  states: number;
  sets: string;
  verified: boolean;
  exhaustive: boolean;
  maxRssKb: number;
  /** Set when the analysis was refused at a documented limit (its located message). */
  refused?: string;
}

async function child(job: ChildJob): Promise<ChildResult> {
  const scenarios = loadBundledScenarios();
  if (job.kind === 'legacy-generated') {
    const legacy = (await import(join(ROOT, '.legacy-analysis', 'index.ts'))) as { analyzeWorkflow: (w: Workflow, s: Scenario[]) => { totals: { paths: number }; minimalSets: { leastFriction: { controls: string[]; verified: boolean | null } | null }; scenarios: { exhaustive: boolean; statesVisited: number }[] } };
    const wf = generateWorkflow(job.steps, 25, 42);
    const times: number[] = [];
    let last: ReturnType<typeof legacy.analyzeWorkflow> | null = null;
    for (let i = 0; i < job.runs; i++) times.push(time(() => (last = legacy.analyzeWorkflow(wf, scenarios)))[1]);
    const a = last!;
    return { times, paths: String(a.totals.paths), classes: 0, states: a.scenarios.reduce((n, s) => n + s.statesVisited, 0), sets: a.minimalSets.leastFriction?.controls.join(' + ') ?? '-', verified: a.minimalSets.leastFriction?.verified === true, exhaustive: a.scenarios.every((s) => s.exhaustive), maxRssKb: process.resourceUsage().maxRSS };
  }
  const wf = job.kind === 'hostile' ? loadWorkflowOrThrow(hostileWorkflow(job.steps), 'hostile.yaml') : generateWorkflow(job.steps, 25, 42);
  const times: number[] = [];
  let last: ReturnType<typeof analyzeWorkflow> | null = null;
  // The first run in a fresh process (JIT compiling as it goes), then warm-up runs until the JIT has
  // settled (at least 3 s of them, at least two runs), then the measured runs.
  let first: number;
  try {
    first = time(() => analyzeWorkflow(wf, scenarios))[1];
  } catch (e) {
    // A workflow past a documented limit is refused with a located error: that is the result.
    if (!(e instanceof AnalysisLimitError)) throw e;
    return { times: [], paths: '0', classes: 0, states: 0, sets: '-', verified: false, exhaustive: false, maxRssKb: process.resourceUsage().maxRSS, refused: e.message };
  }
  let warm = first;
  for (let i = 0; i < 30 && (i < 2 || warm < 3000); i++) warm += time(() => analyzeWorkflow(wf, scenarios))[1];
  for (let i = 0; i < job.runs; i++) times.push(time(() => (last = analyzeWorkflow(wf, scenarios)))[1]);
  const a = last!;
  return {
    times,
    first,
    paths: a.totals.paths.toString(),
    classes: a.totals.classes,
    states: a.scenarios.reduce((n, s) => n + s.states, 0),
    sets: a.minimalSets.leastFriction?.controls.join(' + ') ?? '-',
    verified: a.minimalSets.sets.every((s) => s.verified),
    exhaustive: true,
    maxRssKb: process.resourceUsage().maxRSS,
  };
}

function runChild(job: ChildJob): ChildResult {
  // In the analysis heap, as the analysis worker that runs a stored analysis in the app.
  const r = spawnSync(process.execPath, [analysisHeapFlag(), '--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(job)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`benchmark child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

// ---- the legacy enumerating engine, from git history ---------------------------------------------

/** Checks the replaced engine's analysis/ out of git into .legacy-analysis/ (a sibling of models/, so its imports resolve). */
function materializeLegacy(): boolean {
  const dir = join(ROOT, '.legacy-analysis');
  if (existsSync(dir)) return true;
  try {
    const tmp = mkdtempSync(join(ROOT, '.legacy-tmp-'));
    execSync(`git archive ${LEGACY_COMMIT} analysis | tar -x -C ${JSON.stringify(tmp)}`, { cwd: ROOT, stdio: 'pipe' });
    renameSync(join(tmp, 'analysis'), dir);
    rmSync(tmp, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

// ---- the what-if in a Chromium page ----------------------------------------------------------------

/**
 * Runs what-if sessions (bench/whatif-session.ts) of `targets` in a Chromium page: bench/whatif-page.ts
 * built for the browser with esbuild, the files' texts handed to it. The browser inherits this
 * process's core. Returns why not when Chromium is missing.
 */
async function whatIfInChromium(targets: readonly Workflow[], sessions: PageBenchInput['sessions']): Promise<{ browser: string; rows: PageBenchOutput } | string> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return `no Chromium at ${executablePath} (apt-get install -y chromium)`;
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const bundle = await build({ entryPoints: [join(ROOT, 'bench', 'whatif-page.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  const fileText = (file: string) => {
    const t = readModelFile(join(ROOT, file));
    if (!t.ok) throw new Error(`${file}: ${t.issues[0]?.message}`);
    return t.value;
  };
  // A generated workflow has no file: its text is made again from its id ("generated.s60.c25.seed42").
  const generatedText = (w: Workflow) => {
    const m = /^generated\.s(\d+)\.c(\d+)\.seed(\d+)$/.exec(w.id);
    if (!m) throw new Error(`${w.id}: not a generated workflow's id`);
    return generateWorkflowText(Number(m[1]), Number(m[2]), Number(m[3]));
  };
  const input: PageBenchInput = {
    workflows: targets.map((w) => ({ text: w.file.startsWith('generated-') ? generatedText(w) : fileText(w.file), file: w.file })),
    scenarios: libraryFiles(SCENARIO_LIBRARY_DIR).map((f) => ({ text: fileText(join('scenarios', 'library', basename(f))), file: `scenarios/library/${basename(f)}` })),
    sessions,
  };
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', `--js-flags=${analysisHeapFlag()}`] });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>what-if benchmark</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const rows = await page.evaluate((x) => (globalThis as unknown as { resetpathWhatIfBench: (i: PageBenchInput) => PageBenchOutput }).resetpathWhatIfBench(x), input);
    return { browser: `Chromium ${browser.version()}`, rows };
  } finally {
    await browser.close();
  }
}

// ---- xstate/graph baseline -----------------------------------------------------------------------

function xstatePaths(wf: Workflow, sc: Scenario): number {
  const prep = prepareWorkflow(wf);
  const ctx = scenarioContext(prep, sc);
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

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const lines: string[] = [];
  const log = (s = '') => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  const workflows = loadBundledWorkflows();
  const scenarios = loadBundledScenarios();

  // 1. Loading and compiling the bundled library.
  const files = [...libraryFiles(WORKFLOW_LIBRARY_DIR), ...libraryFiles(SCENARIO_LIBRARY_DIR)];
  const texts = files.map((f) => ({ f, t: (readModelFile(f) as { ok: true; value: string }).value }));
  const loadRuns: number[] = [];
  for (let i = 0; i < (quick ? 5 : 30); i++) {
    loadRuns.push(
      time(() => {
        for (const { f, t } of texts) {
          if (f.startsWith(WORKFLOW_LIBRARY_DIR)) {
            const r = loadWorkflowText(t, f);
            if (!r.ok) throw new Error(f);
            compileWorkflow(r.value);
          } else if (!loadScenarioText(t, f).ok) throw new Error(f);
        }
      })[1],
    );
  }
  const L = stats(loadRuns);
  log('### Library load and compile');
  log('');
  log(`${workflows.length} workflows parsed, validated and compiled to XState machines, plus ${scenarios.length} scenarios parsed and validated: median ${ms(L.median)}, p95 ${ms(L.p95)} over ${L.n} runs.`);

  // 2. The full library matrix.
  // The matrix is many small analyses: the JIT settles only after about twenty passes.
  for (let i = 0; i < (quick ? 5 : 25); i++) workflows.map((w) => analyzeWorkflow(w, scenarios));
  const matrix: number[] = [];
  let libPaths = 0n;
  let libClasses = 0;
  for (let i = 0; i < (quick ? 5 : 40); i++) {
    const [as, t] = time(() => workflows.map((w) => analyzeWorkflow(w, scenarios)));
    matrix.push(t);
    libPaths = as.reduce((n, a) => n + a.totals.paths, 0n);
    libClasses = as.reduce((n, a) => n + a.totals.classes, 0);
  }
  const M = stats(matrix);
  log('');
  log('### Full library matrix (target: under 100 ms)');
  log('');
  log(`${workflows.length} workflows x ${scenarios.length} scenarios, exhaustive, with attribution (blocking, joint, detecting and contributing controls), each class's residuals read off its first example's walk (the example paths and the explained gaps are made concrete when first read: analysis/lazy.ts), and verified minimal control sets per workflow and per class: ${formatCount(libPaths)} takeover paths in ${libClasses} classes. Median **${ms(M.median)}**, p95 ${ms(M.p95)}, min ${ms(M.min)} over ${M.n} runs.`);

  // 3. Scaling: each size in its own process, for its peak RSS.
  log('');
  log('### Generated workflows (targets: 200 steps under 1 s, 400 steps under 2 s)');
  log('');
  log(`Seeded workflows from \`bench/generate.ts\` (a chain of verification stages with fallbacks, 25 catalogue controls), against all ${scenarios.length} scenarios, exhaustive, with attribution and verified control sets; each size in a fresh process (the first run, then warm-up runs until the JIT settles, then the median of the measured runs):`);
  log('');
  log('| steps | median | min | first run | takeover paths (exact) | classes | search states | least-friction set (verified) | peak RSS |');
  log('|---|---|---|---|---|---|---|---|---|');
  const sizes = quick ? [50, 200] : [50, 100, 200, 400];
  const results = new Map<number, ChildResult>();
  const refusals = new Map<number, string>();
  for (const n of sizes) {
    const r = runChild({ kind: 'generated', steps: n, runs: quick ? 1 : n >= 400 ? 5 : 7 });
    if (r.refused) {
      refusals.set(n, r.refused);
      log(`| ${n} | refused at a limit: ${r.refused} | | | | | | | ${mb(r.maxRssKb)} |`);
      continue;
    }
    results.set(n, r);
    const S = stats(r.times);
    log(`| ${n} | **${ms(S.median)}** | ${ms(S.min)} | ${r.first !== undefined ? ms(r.first) : '-'} | ${formatCount(countIn(r.paths))} | ${r.classes} | ${r.states.toLocaleString('en-US')} | ${r.sets}${r.verified ? '' : ' (NOT verified)'} | ${mb(r.maxRssKb)} |`);
  }

  // 4. What-if through the renderer's own function, with its session cache.
  log('');
  log('### What-if (target: median under 16 ms, one frame)');
  log('');
  log('One control toggled on (hardened, everywhere it attaches) or off, then the workflow re-analysed against all scenarios with attribution and verified sets, through `analyseWhatIf` (renderer/compute/computeWhatIf.ts) with the session cache the workbench keeps for the open workflow:');
  log('');
  log('| workflow | median | min | p95 | runs |');
  log('|---|---|---|---|---|');
  const whatIfOf = (wf: Workflow, scs: readonly Scenario[], warm: number, runs: number) => stats(whatIfSession(wf, scs, warm, runs));
  const whatIfTargets: Workflow[] = [generateWorkflow(60, 25, 42), ...workflows];
  const whatIfMedians = new Map<string, number>();
  for (const wf of whatIfTargets) {
    const S = whatIfOf(wf, scenarios, 12, quick ? 10 : 60);
    whatIfMedians.set(wf.id, S.median);
    log(`| \`${wf.id}\` (${wf.stepOrder.length} steps) | ${ms(S.median)} | ${ms(S.min)} | ${ms(S.p95)} | ${S.n} |`);
  }

  // A user's first toggle of a control: the session cache has seen the workflow only, so the
  // evaluations and labels of the toggled steps are new (the JIT is warm from the rows above).
  const firstToggles: number[] = [];
  for (const seed of quick ? [42] : [42, 43, 44, 45]) {
    const wf = generateWorkflow(60, 25, seed);
    const cache = new AnalysisCache();
    analyseWhatIf(wf, scenarios, 'full', cache);
    WHATIF_TOGGLES.forEach((t, i) => {
      const changed = toggleControl(wf, t, i % 2 === 0);
      firstToggles.push(time(() => analyseWhatIf(changed, scenarios, 'full', cache))[1]);
    });
  }
  const F = stats(firstToggles);
  log('');
  log(`The rows above are repeated toggles: the warm-up has toggled each control before, so the session cache holds every evaluation and label they need. A control's *first* toggle in a session, on 60-step workflows of ${quick ? 'one seed' : 'four seeds'} (${F.n} toggles, each the first of its control in its session): median ${ms(F.median)}, min ${ms(F.min)}, p95 ${ms(F.p95)}.`);

  // The 60-step what-if by the scenarios it runs against and how settled the JIT is: the target was
  // set when the library held 19 scenarios; the 13 added since include the costliest.
  const original = scenarios.filter((s) => SCENARIOS_WHEN_TARGET_SET.includes(s.id));
  const sixty = generateWorkflow(60, 25, 42);
  log('');
  log(`The 60-step what-if by the scenarios it is run against: all ${scenarios.length} bundled now, and the ${original.length} the library held when the 16 ms target was set (s01 to s18 and s09b${SCENARIOS_WHEN_TARGET_SET.length === original.length ? '' : `; ${SCENARIOS_WHEN_TARGET_SET.length - original.length} of them no longer in the library`}); after the 12 warm-up toggles of the rows above${quick ? '' : ', and after 200 (a settled JIT, as in a session of some length)'}. Each in a session cache of its own, later in the process than the rows above (whose first row met a JIT less warm):`);
  log('');
  log('| scenarios | warm-up toggles | median | min | p95 | runs |');
  log('|---|---|---|---|---|---|');
  let originalMedian = Number.NaN;
  for (const [label, scs] of [[`all ${scenarios.length}`, scenarios], [`the ${original.length} of the target's day`, original]] as const) {
    for (const warm of quick ? [12] : [12, 200]) {
      const S = whatIfOf(sixty, scs, warm, quick ? 10 : 120);
      if (scs === original) originalMedian = S.median;
      log(`| ${label} | ${warm} | ${ms(S.median)} | ${ms(S.min)} | ${ms(S.p95)} | ${S.n} |`);
    }
  }

  // 4b. The same what-if in Chromium's V8: the renderer runs it there, not in Node's. Every workflow
  // after 12 warm-up toggles as above, then the 60-step one in a session of its own after 200.
  const settledRuns = quick ? 10 : 120;
  const inPage = await whatIfInChromium(whatIfTargets, [...whatIfTargets.map((_, i) => ({ workflow: i, warm: 12, runs: quick ? 10 : 60 })), { workflow: 0, warm: quick ? 12 : 200, runs: settledRuns }]);
  log('');
  log("#### In the renderer's engine (Chromium)");
  log('');
  const pageMedians = new Map<string, number>();
  if (typeof inPage === 'string') log(`(Not measured: ${inPage}.)`);
  else {
    log(`The desktop app's renderer calls \`analyseWhatIf\` in Chromium's V8, not in Node's (Node ${process.version} has V8 ${process.versions.v8}). The same sessions as above (the same toggles, workflows and scenarios, loaded from their files by the pure loaders) in a page of ${inPage.browser} (headless, on the same core, \`--js-flags=${analysisHeapFlag()}\` as the desktop app gives its renderer): every workflow after 12 warm-up toggles, then the 60-step one in a session of its own after ${quick ? 12 : 200} (the last row). Electron 45.5.0 ships a Chromium of its own, which cannot be run here; Debian's is the nearest engine at hand.`);
    log('');
    log('| workflow | warm-up toggles | median | min | p95 | runs |');
    log('|---|---|---|---|---|---|');
    for (const r of inPage.rows) {
      const S = stats(r.samples);
      if (r.warm === 12) pageMedians.set(r.id, S.median);
      log(`| \`${r.id}\` (${r.steps} steps) | ${r.warm} | ${ms(S.median)} | ${ms(S.min)} | ${ms(S.p95)} | ${S.n} |`);
    }
  }

  // 5. Paired ratios against the replaced enumerating engine and xstate/graph.
  log('');
  log('### Against the enumerating engine it replaced, and xstate/graph');
  log('');
  if (materializeLegacy()) {
    log(`The engine of commit ${LEGACY_COMMIT} (depth-first enumeration of paths, stopping at 500 per scenario; re-walk of every path for attribution), run on the same machine, in its own processes, on the same generated workflows with all scenarios; each engine's first run in a fresh process:`);
    log('');
    log('| steps | enumerating engine | exact engine | ratio | enumerating: paths seen, exhaustive? | exact: paths |');
    log('|---|---|---|---|---|---|');
    for (const n of quick ? [50] : [24, 50, 200]) {
      const old = runChild({ kind: 'legacy-generated', steps: n, runs: 1 });
      const neu = results.get(n) ?? runChild({ kind: 'generated', steps: n, runs: 3 });
      const o = stats(old.times).median;
      // Like for like: the enumerating engine's one run in a fresh process against the exact engine's first run.
      const e = neu.first ?? stats(neu.times).median;
      log(`| ${n} | ${ms(o)} (peak ${mb(old.maxRssKb)}) | ${ms(e)} (peak ${mb(neu.maxRssKb)}) | ${(o / e).toFixed(1)} : 1 | ${old.paths}, ${old.exhaustive ? 'exhaustive' : 'bounded'}; least-friction set ${old.sets} ${old.verified ? 'verified' : 'failed its verification'} | ${formatCount(countIn(neu.paths))} |`);
    }
  } else log(`(The engine of commit ${LEGACY_COMMIT} could not be checked out of git history here; no paired ratio.)`);
  const pairs = workflows.flatMap((w) => scenarios.filter((s) => w.accountClasses.includes(s.target.accountClass)).map((s) => [w, s] as const));
  const ours: number[] = [];
  const graph: number[] = [];
  let graphPaths = 0;
  for (let i = 0; i < (quick ? 1 : 5); i++) {
    ours.push(time(() => pairs.forEach(([w, s]) => analyzeWorkflow(w, [s], { attribute: false })))[1]);
    graph.push(time(() => (graphPaths = pairs.reduce((n, [w, s]) => n + xstatePaths(w, s), 0)))[1]);
  }
  const O = stats(ours);
  const G = stats(graph);
  log('');
  log(`xstate/graph \`getSimplePaths\` over the ${pairs.length} applicable workflow x scenario pairs' compiled machines, fed the same verdicts as events, to every end state: median ${ms(G.median)} (${graphPaths} simple paths, takeover or not; it knows no delivery, detection or retries). The exact engine counting the same pairs' takeover paths with outcomes: median ${ms(O.median)}. Ratio ${(G.median / O.median).toFixed(1)} : 1.`);

  // 6. Hostile shapes.
  log('');
  log('### Hostile shapes');
  log('');
  log('| workflow | time | takeover paths (exact) | search states | peak RSS |');
  log('|---|---|---|---|---|');
  for (const n of [24, 60]) {
    const r = runChild({ kind: 'hostile', steps: n, runs: 1 });
    log(`| ${n} steps whose \`next\` and \`on_fail\` both lead on, a gate looping back to the start | ${ms(r.times[0]!)} | ${formatCount(countIn(r.paths))} | ${r.states} | ${mb(r.maxRssKb)} |`);
  }

  // 7. The same measures in Node's default heap (the CLI and the browser mode keep it).
  log('');
  log("### In Node's default heap");
  log('');
  log(`Everything above ran with a ${ANALYSIS_SEMI_SPACE_MB} MiB semi-space (\`${analysisHeapFlag()}\`), the young generation the desktop app's renderer (the what-if) and its analysis worker run with (backend/heap.ts). The CLI and the browser mode run with Node's or Chromium's default (16 MiB on 64-bit). The same measures in fresh processes with the default (\`bench/focus.ts\`, pinned to the same core):`);
  log('');
  log('| measure | median | min | p95 | runs |');
  log('|---|---|---|---|---|');
  for (const [what, runs, label] of [['matrix', quick ? 5 : 30, 'full library matrix'], ['whatif:60', quick ? 10 : 60, 'what-if, 60-step generated workflow']] as const) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'focus.ts'), what, String(runs)], { cwd: ROOT, encoding: 'utf8' });
    const m = /median ([\d.]+) ms, min ([\d.]+) ms, p95 ([\d.]+) ms \((\d+) runs\)/.exec(out);
    if (!m) throw new Error(`bench/focus.ts ${what}: unexpected output ${out}`);
    log(`| ${label} | ${ms(Number(m[1]))} | ${ms(Number(m[2]))} | ${ms(Number(m[3]))} | ${m[4]} |`);
  }

  // 8. The targets, met or not, from the medians above.
  log('');
  log('### Targets');
  log('');
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const at = (n: number) => results.get(n) ? stats(results.get(n)!.times).median : null;
  const t200 = at(200);
  const t400 = at(400);
  const slowWhatIf = [...whatIfMedians].filter(([, m]) => m >= 16);
  log(`- Full library matrix under 100 ms: ${verdict(M.median < 100)} (median ${M.median.toFixed(1)} ms).`);
  if (t200 !== null) log(`- 200 steps under 1 s: ${verdict(t200 < 1000)} (median ${t200.toFixed(0)} ms).`);
  if (t400 !== null) log(`- 400 steps under 2 s: ${verdict(t400 < 2000)} (median ${t400.toFixed(0)} ms).`);
  for (const [n, why] of refusals) log(`- ${n} steps: **not met**, the analysis is refused at a documented limit (${why}).`);
  log(`- What-if under 16 ms median on the 60-step workflow and every bundled one: ${verdict(slowWhatIf.length === 0)}${slowWhatIf.length ? ` (over: ${slowWhatIf.map(([id, m]) => `\`${id}\` ${ms(m)}`).join(', ')})` : ''}.`);
  if (typeof inPage !== 'string') {
    const slowInPage = [...pageMedians].filter(([, m]) => m >= 16);
    const settled = stats(inPage.rows[inPage.rows.length - 1]!.samples).median;
    log(`- The same in the renderer's engine (${inPage.browser}, above): ${verdict(slowInPage.length === 0)}${slowInPage.length ? ` (over: ${slowInPage.map(([id, m]) => `\`${id}\` ${ms(m)}`).join(', ')})` : ''}; the 60-step workflow after ${quick ? 12 : 200} warm-up toggles: median ${ms(settled)}.`);
  }
  log(`- (Not the target, which is read against every bundled scenario: the 60-step what-if against the ${original.length} scenarios the library held when the target was set, median ${ms(originalMedian)} after ${quick ? 12 : 200} warm-up toggles${originalMedian < 16 ? ', under 16 ms' : ''}.)`);
  log('');
  log('Run-to-run spread on this shared VM is wide (compare each median with its minimum), so a median near a target can fall either side of it from one run to the next.');

  if (!quick) {
    const date = execSync('date -u "+%Y-%m-%d %H:%M UTC"').toString().trim();
    const pinned = process.env.RESETPATH_BENCH_PINNED === '1' ? 'pinned to one core with taskset' : 'not pinned (taskset unavailable)';
    const header = ['<!-- bench:analysis:start -->', '## Analysis engine', '', `Command: \`npm run bench\` (bench/run.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${pinned}. Date: ${date}.`, ''];
    const section = [...header, ...lines, '<!-- bench:analysis:end -->'].join('\n');
    const file = join(ROOT, 'docs', 'benchmarks.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const re = /<!-- bench:analysis:start -->[\s\S]*<!-- bench:analysis:end -->/;
    writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n${section}\n`);
    process.stdout.write('\nwrote docs/benchmarks.md\n');
  }
}

const childArg = process.argv.indexOf('--child');
// Pinned to one core (the targets are stated for one core) when taskset is here and not yet done.
const pin = childArg < 0 && process.env.RESETPATH_BENCH_PINNED !== '1' && spawnSync('taskset', ['--version']).status === 0;
if (childArg >= 0) {
  const r = await child(JSON.parse(process.argv[childArg + 1]!) as ChildJob);
  process.stdout.write(`${JSON.stringify(r)}\n`);
} else if (pin || !process.execArgv.includes(analysisHeapFlag())) {
  // Re-run pinned, in the analysis heap.
  const node = [process.execPath, analysisHeapFlag(), '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const [cmd, ...args] = pin ? ['taskset', '-c', '0', ...node] : node;
  execFileSync(cmd!, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...(pin ? { RESETPATH_BENCH_PINNED: '1' } : {}) } });
} else {
  await main();
}
