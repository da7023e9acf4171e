// The PDF form of the accountability report: the HTML report printed by a Chromium the machine
// already has, run headless as a child process (no browser is bundled, and playwright is only a
// development dependency). Chromium gets a throw-away profile, nothing to fetch (the document loads
// nothing and its CSP forbids it), and the sandbox unless it runs as root, where Chromium refuses to
// start with it. Scripts stay on in the browser: the document has none and its CSP forbids them, and
// headless Chromium (156) writes no PDF at all with --blink-settings=scriptEnabled=false.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, openSync, readSync, closeSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Names a Chromium or Chrome binary goes by on Linux, macOS (through a PATH shim) and Windows. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'msedge'];
const MAC_APPS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

export type Paper = 'a4' | 'letter';
export const PAPERS: readonly Paper[] = ['a4', 'letter'];

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium to print with: RESETPATH_CHROMIUM when set (and only it), else the first of the usual
 * names on PATH, else the usual macOS application bundles. Null when there is none.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string | null; looked: string } {
  const forced = env['RESETPATH_CHROMIUM'];
  if (forced !== undefined && forced !== '') return { path: executable(forced) ? forced : null, looked: `RESETPATH_CHROMIUM=${forced}` };
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
  const exts = process.platform === 'win32' ? ['.exe'] : [''];
  for (const name of CANDIDATES) for (const d of dirs) for (const ext of exts) if (executable(join(d, name + ext))) return { path: join(d, name + ext), looked: 'PATH' };
  if (process.platform === 'darwin') for (const app of MAC_APPS) if (executable(app)) return { path: app, looked: 'Applications' };
  return { path: null, looked: `${CANDIDATES.slice(0, 3).join(', ')} on PATH` };
}

/** The one line said when no Chromium is found: what is missing and how to get it. */
export function missingChromiumMessage(looked: string, what = '--format pdf'): string {
  return `${what} prints the HTML report with Chromium, which was not found (looked for ${looked}); install it (Debian/Ubuntu: apt-get install -y chromium; macOS: brew install --cask chromium) or set RESETPATH_CHROMIUM to its path`;
}

/** The HTML with the paper size set, for printing (the HTML report itself leaves it to the reader's printer). */
export function withPaper(html: string, paper: Paper): string {
  return html.replace('</style>', `@page { size: ${paper === 'a4' ? 'A4' : 'letter'}; }\n</style>`);
}

/**
 * Prints `html` to a PDF at `out` with Chromium: written beside `out` under a temporary name and
 * renamed over it only when Chromium wrote a whole PDF, so a failed print never leaves half a file.
 * Throws with a one-line reason when Chromium fails or times out.
 */
export async function printPdf(chromium: string, html: string, out: string, paper: Paper, timeoutMs = 120_000): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'resetpath-pdf-'));
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const page = join(work, 'report.html');
    writeFileSync(page, withPaper(html, paper));
    const args = [
      '--headless',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      `--user-data-dir=${join(work, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${tmp}`,
      pathToFileURL(page).href,
    ];
    // Asynchronous, so a host that prints for the app keeps answering its other requests meanwhile.
    const r = await run(chromium, args, timeoutMs);
    if (r.error) throw new Error(`${chromium} did not run: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
    if (r.signal) throw new Error(`${chromium} was stopped (${r.signal}) before it printed the PDF`);
    if (!isPdf(tmp)) throw new Error(`${chromium} exited ${r.status} without writing a PDF${lastLine(r.stderr) ? `: ${lastLine(r.stderr)}` : ''}`);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs a child to its end (killed after `timeoutMs`), keeping the last 64 KiB of its stderr. */
function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ error: Error | null; signal: NodeJS.Signals | null; status: number | null; stderr: string }> {
  return new Promise((done) => {
    let stderr = '';
    let error: Error | null = null;
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-65_536);
    });
    child.on('error', (e) => {
      error = e;
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ error, signal: error ? null : signal, status, stderr });
    });
  });
}

function isPdf(p: string): boolean {
  try {
    const fd = openSync(p, 'r');
    const b = Buffer.alloc(5);
    readSync(fd, b, 0, 5, 0);
    closeSync(fd);
    return b.toString('latin1') === '%PDF-';
  } catch {
    return false;
  }
}

/** The last line of Chromium's stderr that says something (it logs dbus noise first). */
function lastLine(s: string | null | undefined): string {
  const lines = (s ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/dbus|Fontconfig/i.test(l));
  return lines.at(-1)?.slice(0, 200) ?? '';
}
