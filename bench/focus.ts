// Focused, repeatable timings of the analysis engine for before/after comparisons while optimising
// (not a test; nothing asserted). `npx tsx bench/focus.ts <what> [runs]` where <what> is
//   matrix   - the full library matrix (all bundled workflows x scenarios, with sets)
//   gen:N    - one generated workflow of N steps, all scenarios
//   whatif:N - what-if toggles through analyseWhatIf with the session cache on a generated workflow of N steps
//   first:N  - the first toggle of each control in a session (its cache has seen the workflow only),
//              on generated workflows of N steps of four seeds; the JIT warmed on another seed first
//   --cpu    - CPU time per run instead of wall time (less noisy on a shared machine)
//   --warm N - warm-up toggles before whatif:N's timed ones (default 12)
//   golden   - writes the JSON reports of the library, generated workflows (24, 60, 200 steps) and a
//              sequence of what-if toggles to stdout, for byte-for-byte comparisons across changes
import { AnalysisCache, analyzeWorkflow, buildAnalysisReport, toggleControl } from '../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../backend/index.ts';
import { analyseWhatIf } from '../renderer/compute/computeWhatIf.ts';
import { jsonOut } from '../cli/text.ts';
import { generateWorkflow } from './generate.ts';
import { WHATIF_TOGGLES } from './whatif-session.ts';

// --warm N: warm-up toggles before a what-if's timed ones (default 12, as bench/run.ts; a few hundred
// measure a session whose JIT has settled).
const warmAt = process.argv.indexOf('--warm');
const warm = warmAt > 0 ? Number(process.argv[warmAt + 1]) : 12;
if (!Number.isInteger(warm) || warm < 0) throw new Error(`--warm: expected a whole number of warm-up toggles, got "${process.argv[warmAt + 1] ?? ''}"`);
const [what = 'matrix', runsArg] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--warm');
const runs = Number(runsArg ?? 20);
const scenarios = loadBundledScenarios();
const workflows = loadBundledWorkflows();
const toggles = WHATIF_TOGGLES;

function report(samples: number[], label: string): void {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  process.stdout.write(`${label}: median ${q(0.5).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms (${s.length} runs)\n`);
}
// --cpu: CPU time of the process (user + system) instead of wall time: on a shared machine, time
// spent waiting for the core is left out.
const cpu = process.argv.includes('--cpu');
const time = (f: () => unknown) => {
  if (cpu) {
    const c0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  }
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

if (what === 'golden') {
  const out: string[] = [];
  out.push(jsonOut(buildAnalysisReport(workflows.map((w) => analyzeWorkflow(w, scenarios)))));
  for (const n of [24, 60, 200]) out.push(jsonOut(buildAnalysisReport([analyzeWorkflow(generateWorkflow(n, 25, 42), scenarios)])));
  for (const wf of [generateWorkflow(60, 25, 42), ...workflows.slice(0, 6)]) {
    const cache = new AnalysisCache();
    out.push(jsonOut(analyseWhatIf(wf, scenarios, 'full', cache)));
    for (let i = 0; i < 8; i++) out.push(jsonOut(analyseWhatIf(toggleControl(wf, toggles[i % toggles.length]!, i % 2 === 0), scenarios, 'full', cache)));
  }
  process.stdout.write(out.join(''));
} else if (what === 'matrix') {
  for (let i = 0; i < 15; i++) workflows.map((w) => analyzeWorkflow(w, scenarios));
  report(Array.from({ length: runs }, () => time(() => workflows.map((w) => analyzeWorkflow(w, scenarios)))), 'matrix');
} else if (what.startsWith('gen:')) {
  const wf = generateWorkflow(Number(what.slice(4)), 25, 42);
  const first = time(() => analyzeWorkflow(wf, scenarios));
  for (let i = 0; i < 2; i++) analyzeWorkflow(wf, scenarios);
  report(Array.from({ length: runs }, () => time(() => analyzeWorkflow(wf, scenarios))), `${what} (first ${first.toFixed(0)} ms)`);
  process.stdout.write(`maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
} else if (what.startsWith('first:')) {
  const n = Number(what.slice(6));
  const warm = generateWorkflow(n, 25, 7);
  const warmCache = new AnalysisCache();
  analyseWhatIf(warm, scenarios, 'full', warmCache);
  for (let i = 0; i < 24; i++) analyseWhatIf(toggleControl(warm, toggles[i % toggles.length]!, i % 2 === 0), scenarios, 'full', warmCache);
  const samples: number[] = [];
  for (const seed of [42, 43, 44, 45]) {
    const wf = generateWorkflow(n, 25, seed);
    const cache = new AnalysisCache();
    analyseWhatIf(wf, scenarios, 'full', cache);
    toggles.forEach((t, i) => {
      const changed = toggleControl(wf, t, i % 2 === 0);
      samples.push(time(() => analyseWhatIf(changed, scenarios, 'full', cache)));
    });
  }
  report(samples, `${what} (each control's first toggle)`);
} else if (what.startsWith('whatif:')) {
  const wf = generateWorkflow(Number(what.slice(7)), 25, 42);
  const cache = new AnalysisCache();
  analyseWhatIf(wf, scenarios, 'full', cache);
  for (let i = 0; i < warm; i++) analyseWhatIf(toggleControl(wf, toggles[i % toggles.length]!, i % 2 === 0), scenarios, 'full', cache);
  report(
    Array.from({ length: runs }, (_, i) => {
      const changed = toggleControl(wf, toggles[i % toggles.length]!, i % 2 === 0);
      return time(() => analyseWhatIf(changed, scenarios, 'full', cache));
    }),
    what,
  );
}
