// `npm start`: builds what is missing or stale, then opens the desktop app; where Electron's binary
// cannot be found (an offline machine that could not download it), says so in one line and starts
// browser mode instead, printing the URL to open.
//
//   npm start                          desktop app, or browser mode on the sample workspace
//   npm start -- --browser             browser mode even where Electron is available
//   npm start -- --workspace <file>    open another workspace, created empty when missing (passed to the host)
//   npm start -- --port <n>            browser mode on a fixed port (passed to the host)
//
// Lines it prints: at most one about building, at most one about Electron, then the host's own
// "ResetPath is running at <url>" and one line saying how to use it. Ctrl+C stops everything.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RENDERER_OUT = join(ROOT, 'out', 'renderer');
/** The browser-mode host (backend/serve.ts) bundled by `vite build --mode host`; see vite.config.ts. */
const HOST_BUNDLE = join(ROOT, 'out', 'serve.mjs');

/** What the browser build of the renderer is made from (it bundles the pure folders too). */
const RENDERER_INPUTS = ['renderer', 'models', 'scenarios', 'analysis', 'contract'];
/** What the host bundle is made from. */
const HOST_INPUTS = ['backend', 'storage', 'models', 'scenarios', 'analysis', 'contract'];
const BUILD_FILES = ['vite.config.ts', 'package-lock.json'];

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string, detail?: string): never {
  if (detail) process.stderr.write(detail.endsWith('\n') ? detail : `${detail}\n`);
  process.stderr.write(`npm start: ${line}\n`);
  process.exit(1);
}

/** Newest modification time of the source files under the given folders and files. */
export function newestMtime(root: string, dirs: readonly string[], files: readonly string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'library') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(tsx?|css|html|svg|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of files) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** True when a build output is missing or older than any of its sources. */
export function isStale(output: string, inputs: readonly string[], root = ROOT): boolean {
  if (!existsSync(output)) return true;
  return newestMtime(root, inputs, BUILD_FILES) > statSync(output).mtimeMs;
}

/** A package's own CLI file in node_modules (packages' "exports" hide their bin paths from require). */
function packageFile(name: string, rel: string): string {
  const p = join(ROOT, 'node_modules', name, rel);
  if (!existsSync(p)) fail(`${name} is not installed (${rel} missing); run npm install first`);
  return p;
}

/** Builds the interface and/or the host bundle for browser mode, whichever is missing or stale. */
function buildBrowserMode(): void {
  const renderer = isStale(join(RENDERER_OUT, 'index.html'), RENDERER_INPUTS);
  const host = isStale(HOST_BUNDLE, HOST_INPUTS);
  if (!renderer && !host) return;
  const t0 = performance.now();
  process.stdout.write(`Building ${renderer && host ? 'the interface and the browser-mode host' : renderer ? 'the interface' : 'the browser-mode host'} (vite build)… `);
  const vite = packageFile('vite', 'bin/vite.js');
  const config = join(ROOT, 'vite.config.ts');
  for (const mode of [...(renderer ? ['production'] : []), ...(host ? ['host'] : [])]) {
    const r = spawnSync(process.execPath, [vite, 'build', '--config', config, '--mode', mode, '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) {
      say('failed.');
      fail(`vite build --mode ${mode} failed (output above)`, `${r.stdout ?? ''}${r.stderr ?? ''}`);
    }
  }
  say(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

/** The Electron executable if it is on disk, without triggering the electron package's download. */
function electronOnDisk(): string | null {
  const pkgDir = join(ROOT, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return null;
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel ?? 'electron');
    return existsSync(p) ? p : null;
  }
  if (!rel) return null;
  const p = join(pkgDir, 'dist', rel);
  return existsSync(p) ? p : null;
}

/**
 * Finds Electron's binary, letting the electron package fetch it once if it never has (Electron 42+
 * downloads lazily on first use). Offline that attempt fails within a second or so.
 */
async function findElectron(): Promise<string | null> {
  const onDisk = electronOnDisk();
  if (onDisk) return onDisk;
  if (!existsSync(join(ROOT, 'node_modules', 'electron', 'index.js'))) return null;
  return new Promise((res) => {
    const child = spawn(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const slow = setTimeout(() => say("Fetching Electron's binary (first start only)…"), 3000);
    const giveUp = setTimeout(() => child.kill('SIGTERM'), 10 * 60_000);
    child.on('close', (code) => {
      clearTimeout(slow);
      clearTimeout(giveUp);
      const p = out.trim();
      res(code === 0 && p && existsSync(p) ? p : null);
    });
    child.on('error', () => res(null));
  });
}

/** Forwards Ctrl+C and termination to the child and exits with its status. */
function supervise(child: ChildProcess): void {
  const forward = (sig: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(sig);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

/** better-sqlite3 built for Electron's ABI (README "Native module"); built once per machine. */
function ensureElectronSqlite(): boolean {
  if (existsSync(join(ROOT, 'native', 'electron', 'better_sqlite3.node'))) return true;
  const script = join(ROOT, 'scripts', 'build-sqlite-electron.mjs');
  if (!existsSync(script)) return true;
  process.stdout.write('Building the database module for Electron (once per machine)… ');
  const r = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8' });
  say(r.status === 0 ? 'done.' : 'failed.');
  if (r.status !== 0) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.status === 0;
}

function startDesktop(electron: string, passThrough: string[]): void {
  if (existsSync(join(ROOT, 'electron.vite.config.ts'))) {
    process.stdout.write('Building the desktop app (electron-vite build)… ');
    const cli = packageFile('electron-vite', 'bin/electron-vite.js');
    const r = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) {
      say('failed.');
      fail('the desktop app did not build (output above)', `${r.stdout ?? ''}${r.stderr ?? ''}`);
    }
    say('done.');
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main?: string };
  const entry = pkg.main ? '.' : join(ROOT, 'out', 'main.js');
  const child = spawn(electron, [entry, ...passThrough], { cwd: ROOT, stdio: 'inherit' });
  supervise(child);
}

function startBrowser(passThrough: string[]): void {
  const hasStatic = passThrough.includes('--static') || passThrough.some((a) => a.startsWith('--static='));
  // The bundled host starts in plain node; `npm run serve` runs the same backend/serve.ts from source.
  const args = [HOST_BUNDLE, ...(hasStatic ? [] : ['--static', RENDERER_OUT]), ...passThrough];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    process.stdout.write(d);
    buffered += d.toString();
    if (buffered.includes('ResetPath is running at ')) {
      buffered = '';
      say('Open that address in a browser on this machine (it carries a one-time key); Ctrl+C stops ResetPath.');
    }
  });
  supervise(child);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const browserOnly = argv.includes('--browser') || process.env.RESETPATH_BROWSER === '1';
  const passThrough = argv.filter((a) => a !== '--browser');

  const electron = browserOnly ? null : await findElectron();
  if (electron && ensureElectronSqlite()) {
    startDesktop(electron, passThrough);
    return;
  }
  buildBrowserMode();
  if (electron) say("The database module could not be built for Electron (output above); starting browser mode instead.");
  else if (!browserOnly) say('Electron is not installed on this machine (its binary could not be downloaded); starting browser mode instead.');
  startBrowser(passThrough);
}

await main();
