#!/usr/bin/env node
// The CLI bundle: cli/main.ts and everything it imports from the repository, bundled by esbuild
// into out/cli/ as ES modules, one chunk per command module (cli/main.ts imports them lazily), with
// node_modules packages left external (better-sqlite3 is native; the others load fast from disk).
// bin/resetpath.js runs it with plain node instead of compiling TypeScript through tsx at every
// start. Built by `npm ci`/`npm install` (the `prepare` script), by `npm run build:cli`, and by
// bin/resetpath.js itself when the bundle is missing or stale.
//
// Staleness: out/cli/stamp.json records the modification time and size of every file the build
// read (each is stat-ed before it is read, so an edit during the build also counts as a change),
// plus this script, package.json and tsconfig.json. The bundle is fresh only while every one of
// them still matches, so after any source change the next start rebuilds rather than run old code.
//
// This file is plain JavaScript because bin/resetpath.js imports it on every start: it must load
// without a TypeScript loader, and it imports esbuild only when it actually builds.
import { readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this script belongs to. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join('out', 'cli');
const STAMP = 'stamp.json';
const FORMAT = 'resetpath/cli-bundle@1';
/** Files that shape the build without being bundled. */
const BUILD_FILES = ['scripts/cli-bundle.mjs', 'package.json', 'tsconfig.json'];
/**
 * Folders whose modules have no side effects when loaded (the architecture rules keep them pure: no
 * I/O, clocks, timers or console), so a command gets only the modules it uses from their index.ts:
 * `controls` needs the catalogue, not the workflow schema (zod) or the YAML loader.
 */
const PURE_FOLDERS = new Set(['models', 'scenarios', 'analysis', 'contract']);
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.json': 'json' };

/**
 * @typedef {object} Stamp
 * @property {string} format
 * @property {string} entry       the entry module's file name in out/cli/
 * @property {string} [simulationWorker]  the simulation worker thread's entry module in out/cli/
 * @property {string[]} outputs   every file of the build in out/cli/
 * @property {Record<string, [number, number]>} inputs  repo-relative path -> [mtimeMs, size]
 */

/** The stamp of the bundle in `root`, or null when there is none or it cannot be read. */
function readStamp(root) {
  try {
    const s = JSON.parse(readFileSync(join(root, OUT, STAMP), 'utf8'));
    return s && s.format === FORMAT && typeof s.entry === 'string' && Array.isArray(s.outputs) && s.inputs ? /** @type {Stamp} */ (s) : null;
  } catch {
    return null;
  }
}

/** [mtimeMs, size] of a file, or null when it is not there. */
function fileStat(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? [st.mtimeMs, st.size] : null;
}

/**
 * The absolute path of the bundle's entry module when the bundle exists and every input still has
 * the modification time and size it had when it was built; otherwise null (missing or stale).
 */
export function freshBundle(root = ROOT) {
  const stamp = readStamp(root);
  if (!stamp) return null;
  for (const [file, [mtime, size]] of Object.entries(stamp.inputs)) {
    const now = fileStat(join(root, file));
    if (!now || now[0] !== mtime || now[1] !== size) return null;
  }
  for (const file of stamp.outputs) if (!existsSync(join(root, OUT, file))) return null;
  return join(root, OUT, stamp.entry);
}

/**
 * The simulation worker's entry module of a fresh bundle (absolute path), or null. `resetpath
 * simulate --workers N` starts its threads from it, so a thread loads bundled JavaScript instead of
 * transpiling the TypeScript sources through tsx (seconds on a busy machine).
 */
export function bundledSimulationWorker(root = ROOT) {
  if (!freshBundle(root)) return null;
  const name = readStamp(root)?.simulationWorker;
  return name ? join(root, OUT, name) : null;
}

/** Writes a file so that a concurrent reader sees either nothing or the whole of it. */
function writeAtomically(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Source files see their own location in `import.meta.url` (backend/ finds the checkout and the
 * bundled library relative to itself), not the chunk's in out/cli/: each use is rewritten to a URL
 * relative to the chunk that resolves to the source file. Every file is stat-ed just before it is
 * read, for the stamp. Modules of the pure folders are declared free of side effects.
 */
function sourcePlugin(root, outdir, inputs) {
  return {
    name: 'resetpath-sources',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\//, namespace: 'file' }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        const top = relative(root, path).split(sep)[0];
        if (!PURE_FOLDERS.has(top) || !statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
        return { path, sideEffects: false };
      });
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const loader = LOADERS[extname(args.path)];
        if (!loader) return { errors: [{ text: `the CLI bundle cannot load ${args.path} (unknown file type)` }] };
        const rel = relative(root, args.path).split(sep).join('/');
        const st = fileStat(args.path);
        let contents = readFileSync(args.path, 'utf8');
        if (st) inputs[rel] = st;
        if (/import\.meta\.(dirname|filename)\b/.test(contents)) {
          return { errors: [{ text: `${rel}: import.meta.dirname/filename would name out/cli/ in the CLI bundle; derive paths from import.meta.url` }] };
        }
        if (contents.includes('import.meta.url')) {
          const fromChunk = relative(outdir, args.path).split(sep).join('/');
          contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`);
        }
        return { contents, loader, resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Builds the bundle into `root`/out/cli/ and returns the entry module's absolute path. Safe to run
 * from several processes at once: every file is written whole under a content-hashed name and the
 * stamp last, so a reader sees the old bundle or the new one. Files of builds before the previous
 * one are removed.
 */
export async function buildBundle(root = ROOT) {
  const outdir = join(root, OUT);
  /** @type {Record<string, [number, number]>} */
  const inputs = {};
  for (const f of BUILD_FILES) {
    const st = fileStat(join(root, f));
    if (st) inputs[f] = st;
  }
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: join(root, 'cli', 'main.ts'), 'simulation-worker': join(root, 'backend', 'worker', 'simulationWorker.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [sourcePlugin(root, outdir, inputs)],
  });
  mkdirSync(outdir, { recursive: true });
  const previous = readStamp(root);
  const outputs = [];
  let entry = '';
  let simulationWorker = '';
  for (const file of result.outputFiles) {
    const name = relative(outdir, file.path).split(sep).join('/');
    outputs.push(name);
    const from = result.metafile.outputs[relative(root, file.path).split(sep).join('/')]?.entryPoint;
    if (from === 'cli/main.ts') entry = name;
    if (from === 'backend/worker/simulationWorker.ts') simulationWorker = name;
    // Content-hashed names: an existing file of that name already holds these bytes.
    if (!existsSync(file.path)) writeAtomically(file.path, file.contents);
  }
  if (!entry) throw new Error('esbuild produced no entry module');
  /** @type {Stamp} */
  const stamp = { format: FORMAT, entry, ...(simulationWorker ? { simulationWorker } : {}), outputs: outputs.sort(), inputs };
  writeAtomically(join(outdir, STAMP), `${JSON.stringify(stamp, null, 1)}\n`);
  const keep = new Set([STAMP, ...outputs, ...(previous?.outputs ?? [])]);
  for (const name of readdirSync(outdir)) {
    if (keep.has(name) || !/\.mjs$/.test(name)) continue;
    try {
      unlinkSync(join(outdir, name));
    } catch {
      /* another build removed it first */
    }
  }
  return join(outdir, entry);
}

/** Why a build failed, in one line: esbuild's first located message, or the error's first line. */
export function buildError(e) {
  const first = e?.errors?.[0];
  if (first) return `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`;
  return String(e?.message ?? e).split('\n')[0];
}

// `node scripts/cli-bundle.mjs` (npm run build:cli): build and say so; exit 1 if it fails.
// `--prepare` (the prepare script of npm ci/install): a failure is reported but does not fail the
// install (a work-in-progress syntax error should not stop installing dependencies); the CLI then
// builds on its first run, or runs from source, and says so.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  try {
    const entry = await buildBundle();
    process.stdout.write(`CLI bundle built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${relative(process.cwd(), entry) || entry}\n`);
  } catch (e) {
    const why = buildError(e);
    const prepare = process.argv.includes('--prepare');
    process.stderr.write(`build:cli: the CLI bundle did not build (${why})${prepare ? '; bin/resetpath.js will try again on its first run' : ''}\n`);
    if (!prepare) process.exitCode = 1;
  }
}
