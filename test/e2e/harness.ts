// Shared by the end-to-end test and the cold-start benchmark: start browser mode as a child
// process (the launcher `npm start` runs, or the host alone), read the one URL line it prints,
// and drive Debian's Chromium through playwright-core with a fresh profile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
/** Where the end-to-end runs save their PNGs of each screen. */
export const SHOTS = join(ROOT, 'test', 'e2e', 'screenshots');

/**
 * Builds the renderer with Vite, as `npm start` does; throws with Vite's output when it fails.
 * `npm run e2e` builds it once before its runs and says so with RESETPATH_E2E_RENDERER_BUILT=1.
 */
export function buildRenderer(): void {
  if (process.env.RESETPATH_E2E_RENDERER_BUILT === '1') return;
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}${build.stderr}`);
}

/** Saves a PNG of the page (the viewport, or the whole page) in test/e2e/screenshots/. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Drops a file on the app's window as a user dragging it from the file manager would. */
export async function dropFile(page: Page, name: string, content: string): Promise<void> {
  const dt = await page.evaluateHandle(
    ([n, c]) => {
      const d = new DataTransfer();
      d.items.add(new File([c], n, { type: 'application/yaml' }));
      return d;
    },
    [name, content] as const,
  );
  await page.dispatchEvent('.app', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('.app', 'drop', { dataTransfer: dt });
}

/** A browser-mode host on a fresh data folder, Chromium, and one watched page: what most runs start with. */
export interface Session {
  app: Running;
  browser: Browser;
  page: Page;
  /** Page errors and console errors or warnings seen so far. */
  problems: string[];
  /** Closes the browser, stops the host and removes the data folder. */
  close(): Promise<void>;
}

/** Builds the renderer, starts the browser-mode host (backend/serve.ts) on a fresh data folder, and opens a watched page. */
export async function openSession(viewport: { width: number; height: number }): Promise<Session> {
  mkdirSync(SHOTS, { recursive: true });
  buildRenderer();
  const data = tempDataDir();
  const app = await startAndWaitForUrl(TSX, [join(ROOT, 'backend', 'serve.ts')], { ...process.env, RESETPATH_DATA_DIR: data.dir });
  const browser = await launchChromium(viewport);
  const page = await browser.context.newPage();
  const problems: string[] = [];
  watchPage(page, problems);
  return {
    app,
    browser,
    page,
    problems,
    async close() {
      await browser.close();
      await app.stop();
      data.remove();
    },
  };
}

/** Collects the page's errors, console errors and console warnings into `problems`, each prefixed by `label`. */
export function watchPage(page: Page, problems: string[], label = ''): void {
  const p = label ? `${label}: ` : '';
  page.on('pageerror', (e) => problems.push(`${p}page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${p}console ${m.type()}: ${m.text()}`);
  });
}

/** Flags from docs/toolchain.md: headless, no sandbox as root, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`Chromium not found at ${p}; install it with: apt-get update && apt-get install -y chromium`);
  return p;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh, throw-away profile. */
export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'resetpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Running {
  url: string;
  child: ChildProcess;
  /** Everything the process printed, for diagnostics. */
  output(): string;
  stop(): Promise<void>;
}

const URL_LINE = /ResetPath is running at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/;

/**
 * Spawns a command (in its own process group, so stopping it stops tsx's child too) and resolves
 * with the URL once the "ResetPath is running at <url>" line appears.
 */
export function startAndWaitForUrl(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Running> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        res();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000).unref();
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no URL line within ${timeoutMs} ms; output:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (x: Buffer) => (out += x.toString()));
        resolvePromise({ url: m[1]!, child, output: () => out, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before printing its URL; output:\n${out}`));
    });
  });
}

/** A fresh data folder, so the sample workspace is created for this run and nothing else. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'resetpath-data-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The TAP-like runner of an end-to-end file: `step` prints ok/not ok with the time taken and
 * rethrows, so the first failure ends the walk; `finish` runs the walk, says why when it failed
 * before any step, prints the totals and exits 1 on any failure.
 */
export function e2eRunner(label: string): { step(name: string, fn: () => Promise<void>): Promise<void>; finish(main: () => Promise<void>): Promise<never> } {
  let passed = 0;
  let failed = 0;
  return {
    async step(name, fn) {
      const t0 = performance.now();
      try {
        await fn();
        passed++;
        console.log(`ok - ${name} (${Math.round(performance.now() - t0)} ms)`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${name}\n  ${(e instanceof Error ? (e.stack ?? e.message) : String(e)).split('\n').join('\n  ')}`);
        throw e;
      }
    },
    async finish(main) {
      try {
        await main();
      } catch (e) {
        // A failing step has already said why; anything else (build, start-up) is said here.
        if (failed === 0) {
          console.log(`not ok - ${label}\n  ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          failed = 1;
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}
