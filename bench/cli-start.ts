// CLI start-up (`npm run bench:cli`; not a timed test): wall time of `node bin/resetpath.js ...` as
// whole processes, from spawn to exit, run from the bundle in out/cli/ (what users and CI run) and
// through the old path (the TypeScript sources compiled by tsx at every start, RESETPATH_FROM_SOURCE=1),
// in pairs so that both see the same machine load. stdout goes to /dev/null.
// Also measured: the staleness check bin/resetpath.js does at every start, and a start that has to
// rebuild the bundle first (its stamp removed; sources are never touched).
// Writes the "CLI start-up" section of docs/benchmarks.md; --quick does 5 runs and writes nothing.
import { execSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'resetpath.js');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 21;
const TARGET_MS = 400;

const COMMANDS: { args: string[]; target: boolean }[] = [
  { args: ['--help'], target: true },
  { args: ['controls'], target: true },
  { args: ['controls', 'callback.number_on_file'], target: true },
  { args: ['analyze', '--library', '--format', 'json'], target: false },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Nearest-rank percentile. */
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
const s2 = (x: number) => `${(x / 1000).toFixed(2)} s`;

const devNull = openSync('/dev/null', 'w');
const env = (fromSource: boolean): NodeJS.ProcessEnv => {
  const e = { ...process.env };
  delete e.RESETPATH_FROM_SOURCE;
  return fromSource ? { ...e, RESETPATH_FROM_SOURCE: '1' } : e;
};

/** One whole process, spawn to exit, in milliseconds; fails loudly on a non-zero exit or stderr. */
function once(args: string[], fromSource: boolean): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(fromSource), stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
  const t = performance.now() - t0;
  if (r.status !== 0 || r.stderr) throw new Error(`resetpath ${args.join(' ')}${fromSource ? ' (tsx)' : ''} exited ${r.status}: ${r.stderr}`);
  return t;
}

// Build (or confirm) the bundle first, so no measured run includes a build.
const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'cli-bundle.mjs')], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`the CLI bundle did not build:\n${build.stdout}${build.stderr}`);
const stamp = () => JSON.parse(readFileSync(join(ROOT, 'out', 'cli', 'stamp.json'), 'utf8')) as { entry: string; inputs: Record<string, unknown> };
const inputs = Object.keys(stamp().inputs).length;

interface Row {
  command: string;
  target: boolean;
  bundle: number[];
  tsx: number[];
  ratios: number[];
}

const rows: Row[] = [];
for (const c of COMMANDS) {
  once(c.args, false); // warm-up: OS file cache, not counted
  once(c.args, true);
  const row: Row = { command: `node bin/resetpath.js ${c.args.join(' ')}`, target: c.target, bundle: [], tsx: [], ratios: [] };
  for (let i = 0; i < RUNS; i++) {
    // Alternate which path goes first, so a drift in load favours neither.
    let b: number;
    let t: number;
    if (i % 2 === 0) {
      b = once(c.args, false);
      t = once(c.args, true);
    } else {
      t = once(c.args, true);
      b = once(c.args, false);
    }
    row.bundle.push(b);
    row.tsx.push(t);
    row.ratios.push(t / b);
  }
  rows.push(row);
  console.log(`${row.command}: bundle median ${ms(median(row.bundle))} (p95 ${ms(pct(row.bundle, 95))}), tsx median ${ms(median(row.tsx))} (p95 ${ms(pct(row.tsx, 95))}), paired ratio ${median(row.ratios).toFixed(2)}x`);
}

// The staleness check bin/resetpath.js runs at every start: import scripts/cli-bundle.mjs and stat
// every input listed in the stamp, in a fresh process each time (so cold, as at a real start). The
// module loader's own start-up (paid by any ES module program) is excluded by a first import.
const probe = `await import('node:fs'); const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'scripts', 'cli-bundle.mjs')).href)}); const t1 = performance.now(); if (!m.freshBundle()) throw new Error('stale'); process.stdout.write(JSON.stringify([t1 - t0, performance.now() - t1]));`;
const checks: { load: number; check: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`staleness probe failed: ${r.stderr}`);
  const [load, check] = JSON.parse(r.stdout) as [number, number];
  checks.push({ load, check });
}
const checkMs = median(checks.map((c) => c.check));
const loadMs = median(checks.map((c) => c.load));
console.log(`staleness check: ${checkMs.toFixed(1)} ms to stat ${inputs} inputs (+ ${loadMs.toFixed(1)} ms to load the module), medians of ${RUNS} fresh processes`);

// A start that finds no valid stamp (as after a source change): bin/resetpath.js builds, then runs.
const REBUILDS = quick ? 3 : 7;
const rebuilds: number[] = [];
for (let i = 0; i < REBUILDS; i++) {
  rmSync(join(ROOT, 'out', 'cli', 'stamp.json'));
  rebuilds.push(once(['--help'], false));
  if (!existsSync(join(ROOT, 'out', 'cli', 'stamp.json'))) throw new Error('the run did not rebuild the bundle');
}
console.log(`--help with a rebuild first: median ${ms(median(rebuilds))} (min ${ms(Math.min(...rebuilds))}, max ${ms(Math.max(...rebuilds))}), ${REBUILDS} runs`);
closeSync(devNull);

// What the packages left external cost to import (fresh processes), to say where the time goes.
const PACKAGES = ['commander', 'zod', 'yaml', 'xstate', 'better-sqlite3'];
const importMs = Object.fromEntries(
  PACKAGES.map((name) => {
    const t: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const t0 = performance.now(); await import(${JSON.stringify(name)}); process.stdout.write(String(performance.now() - t0));`], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`import ${name} failed: ${r.stderr}`);
      t.push(Number(r.stdout));
    }
    return [name, median(t)];
  }),
);
console.log(`import cost: ${PACKAGES.map((p) => `${p} ${ms(importMs[p]!)}`).join(', ')}`);

const met = rows.filter((r) => r.target).every((r) => median(r.bundle) < TARGET_MS);
console.log(`target (--help and controls under ${TARGET_MS} ms median): ${met ? 'met' : 'NOT met'}`);

if (!quick) {
  const date = execSync('date').toString().trim();
  const load = execSync('cat /proc/loadavg 2>/dev/null || true').toString().trim().split(' ').slice(0, 3).join(' ');
  const lines = [
    '<!-- bench:cli:start -->',
    `Command: \`npm run bench:cli\` (bench/cli-start.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Date: ${date}. Load average when it finished: ${load}.`,
    '',
    'Wall time of whole processes, from spawn to exit, stdout to /dev/null: `node bin/resetpath.js ...`',
    'running the bundle in out/cli/ (built by `npm ci` or on first run), and the same command through',
    'the old path, the TypeScript sources compiled by tsx at every start (`RESETPATH_FROM_SOURCE=1`).',
    `After one unmeasured warm-up of each, ${RUNS} pairs per command, alternating which runs first; the`,
    'ratio is the median of the per-pair ratios tsx / bundle.',
    '',
    '| command | bundle median | bundle p95 | tsx median | tsx p95 | paired ratio |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| \`${r.command}\` | **${s2(median(r.bundle))}** | ${s2(pct(r.bundle, 95))} | ${s2(median(r.tsx))} | ${s2(pct(r.tsx, 95))} | ${median(r.ratios).toFixed(2)}× |`),
    '',
    `Target: \`--help\` and \`controls\` under ${TARGET_MS / 1000} s median as whole processes: ${met ? 'met' : 'NOT met'}.`,
    '',
    `- Staleness check at every start: ${checkMs.toFixed(1)} ms to stat the ${inputs} inputs listed in out/cli/stamp.json, plus ${loadMs.toFixed(1)} ms to load scripts/cli-bundle.mjs (medians of ${RUNS} fresh processes).`,
    `- A start that must rebuild first (stamp removed, as after a source change): \`--help\` median ${s2(median(rebuilds))} (${REBUILDS} runs), once per change.`,
    '- What the bundle saves is mostly tsx: registering its loader and compiling each TypeScript file at',
    '  start. Lazy command modules do the rest: `--help` loads only commander; `controls` loads the',
    '  catalogue but not zod, YAML, XState or SQLite. Importing each package on its own in a fresh',
    `  process (median of 5): ${PACKAGES.map((p) => `${p} ${ms(importMs[p]!)}`).join(', ')}.`,
    '  `analyze` still loads and runs the whole engine, so its ratio is smaller.',
    '<!-- bench:cli:end -->',
  ];
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:cli:start -->[\s\S]*<!-- bench:cli:end -->/;
  const section = lines.join('\n');
  writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n## CLI start-up\n\n${section}\n`);
  console.log('wrote docs/benchmarks.md');
}
