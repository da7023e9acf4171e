// `npm run bench:compare -- <revision> [what] [pairs]`: the analysis engine of a git revision against
// the working tree's, on one core, in pairs of fresh processes run back to back (which goes first
// alternating), each process its own heap and the median of its runs after warm-up. On a shared VM
// two measurements a few minutes apart can differ by 40%; a pair meets the same machine state, so the
// paired ratio is how an engine change is measured. Prints both medians and the median and range of
// the paired ratios (working tree over revision: below 1 is faster). Nothing is asserted and no file
// is written.
//   what: matrix (default)  the library matrix (all bundled workflows x scenarios, with sets)
//         gen:N             a generated workflow of N steps, all scenarios
//         whatif:N[:W]      what-if toggles through analyseWhatIf with the session cache, N steps,
//                           after W warm-up toggles (default 12; a few hundred: a settled JIT)
// The revision's tree is extracted with `git archive` into the system's temporary folder (kept for the
// next run), with a link to this checkout's node_modules so its imports resolve.
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [revision, what = 'matrix', runsArg] = process.argv[2] === '--child' ? [] : process.argv.slice(2);

type Engine = Record<string, (...args: never[]) => unknown> & Record<string, unknown>;

/** The revision's tree, extracted once. */
function extract(rev: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', `${rev}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `resetpath-compare-${sha}`);
  if (existsSync(dir)) return dir;
  const tmp = mkdtempSync(join(tmpdir(), 'resetpath-compare-tmp-'));
  try {
    execSync(`git archive ${sha} | tar -x -C ${JSON.stringify(tmp)}`, { cwd: ROOT, stdio: 'pipe' });
    symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'), 'dir');
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

async function load(root: string): Promise<Engine> {
  const mod = (p: string) => import(pathToFileURL(join(root, p)).href) as Promise<Engine>;
  return { ...(await mod('analysis/index.ts')), ...(await mod('backend/index.ts')), ...(await mod('bench/generate.ts')), ...(await mod('renderer/compute/computeWhatIf.ts')) };
}

/** One unit of work of `what` with an engine: the call that is timed. */
function job(M: Engine, kind: string): () => void {
  const E = M as any;
  const scenarios = E.loadBundledScenarios();
  if (kind === 'matrix') {
    const workflows = E.loadBundledWorkflows();
    return () => workflows.forEach((w: unknown) => E.analyzeWorkflow(w, scenarios));
  }
  const [name, size, warmArg] = kind.split(':');
  const wf = E.generateWorkflow(Number(size), 25, 42);
  if (name === 'gen') return () => E.analyzeWorkflow(wf, scenarios);
  if (name !== 'whatif') throw new Error(`unknown measure "${kind}": matrix, gen:N or whatif:N[:W]`);
  const warm = Number(warmArg ?? 12);
  if (!Number.isInteger(warm) || warm < 0) throw new Error(`measure "${kind}": W (warm-up toggles) must be a whole number, got "${warmArg}"`);
  // bench/run.ts's what-if: its toggles, each on or off, after its twelve warm-up toggles (the session
  // cache then holds what the workbench's would). Each call gets a workflow object of its own, made
  // before it is timed, as each click of the workbench makes one (toggleControl): objects the engine
  // has met before would find their per-object memos filled.
  const toggles = ['sim_swap.signal', 'callback.number_on_file', 'notify.out_of_band', 'approval.dual', 'agent.mfa', 'proofing.no_pii_kbv'];
  const toggled = (i: number) => E.toggleControl(wf, toggles[i % toggles.length], i % 2 === 0);
  const cache = new E.AnalysisCache();
  E.analyseWhatIf(wf, scenarios, 'full', cache);
  for (let i = 0; i < warm; i++) E.analyseWhatIf(toggled(i), scenarios, 'full', cache);
  const fresh = Array.from({ length: 256 }, (_, i) => toggled(i));
  let i = 0;
  return () => E.analyseWhatIf(fresh[i++ % fresh.length], scenarios, 'full', cache);
}

/** One engine measured in this process (a child): the median of `runs` timed calls after warm-up. */
async function measure(root: string, kind: string, runs: number): Promise<number> {
  const f = job(await load(root), kind);
  for (let i = 0; i < 3; i++) f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

async function main(): Promise<void> {
  if (!revision) throw new Error('usage: npm run bench:compare -- <revision> [matrix|gen:N|whatif:N[:W]] [pairs]');
  const pairs = Number(runsArg ?? 8);
  const runs = what === 'matrix' ? 30 : what.startsWith('whatif') ? 36 : 6;
  const roots = { base: extract(revision), head: ROOT };
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = (root: string) => {
    const out = execFileSync(process.execPath, [tsx, fileURLToPath(import.meta.url), '--child', root, what, String(runs)], { cwd: ROOT, encoding: 'utf8', env: process.env });
    return Number(out.trim().split('\n').pop());
  };
  const tb: number[] = [];
  const th: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Each engine in a fresh process (its own heap), the pair back to back, the order alternating.
    let b: number;
    let h: number;
    if (i % 2 === 0) {
      b = child(roots.base);
      h = child(roots.head);
    } else {
      h = child(roots.head);
      b = child(roots.base);
    }
    tb.push(b);
    th.push(h);
    ratios.push(h / b);
  }
  const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
  const sorted = [...ratios].sort((a, b) => a - b);
  process.stdout.write(
    `${what}: ${pairs} pairs of processes, each the median of ${runs} runs after warm-up. ${revision}: median ${ms(median(tb))}; working tree: median ${ms(median(th))}; paired ratio (working tree / ${revision}) median ${median(ratios).toFixed(2)}, range ${sorted[0]!.toFixed(2)}-${sorted[sorted.length - 1]!.toFixed(2)}\n`,
  );
}

if (process.env.RESETPATH_BENCH_PINNED !== '1' && spawnSync('taskset', ['--version']).status === 0) {
  // Pinned to one core, as the engine's targets are stated for one core.
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  execFileSync('taskset', ['-c', '0', process.execPath, tsx, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, RESETPATH_BENCH_PINNED: '1' } });
} else if (process.argv[2] === '--child') {
  const [, , , root, kind, runs] = process.argv;
  process.stdout.write(`${await measure(root!, kind!, Number(runs))}\n`);
} else {
  await main().catch((e: unknown) => {
    process.stderr.write(`bench:compare: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
