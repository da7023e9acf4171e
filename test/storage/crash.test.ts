// The crash test: a child process writes through the storage API in a loop and is killed with
// SIGKILL at seeded random moments; after every kill the workspace must open for writing (no stale
// lock), pass SQLite's integrity check and the audit verification, and hold every change the child
// reported as committed. CRASH_DEBUG=1 prints the time each kill spent loading, writing and verifying.
import { prng } from '../../bench/generate.ts';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { deterministic, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WRITER = join(ROOT, 'test', 'storage', 'fixtures', 'crash-writer.ts');
const KILLS = 50;
const SEED = 0x5eed_4;
/** Writers loading their modules ahead of their turn; loading, not writing, dominates a child's life. */
const WARM = 2;

/**
 * How a writer is started. The writer is compiled once, storage API and all, into one CommonJS
 * file with esbuild (the compiler tsx itself runs on every file): a child then starts in about a
 * third of the CPU time of `node --import tsx/esm`, which keeps 50 kills within a minute on two
 * cores. better-sqlite3 stays external and resolves through NODE_PATH. Without esbuild the test
 * falls back to tsx.
 */
let launch: { args: (workspace: string) => string[]; env: NodeJS.ProcessEnv } = {
  args: (ws) => ['--import', 'tsx/esm', WRITER, ws],
  env: process.env,
};

let bundleDir: string | undefined;
afterAll(() => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

beforeAll(async () => {
  let esbuild: typeof import('esbuild') | undefined;
  try {
    esbuild = await import('esbuild');
  } catch {
    return;
  }
  bundleDir = mkdtempSync(join(tmpdir(), 'resetpath-crash-writer-'));
  const out = join(bundleDir, 'crash-writer.cjs');
  await esbuild.build({ entryPoints: [WRITER], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, external: ['better-sqlite3'], logLevel: 'error' });
  launch = { args: (ws) => [out, ws], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } };
});

interface Writer {
  child: ChildProcessWithoutNullStreams;
  /** Complete lines received so far (a line cut by the kill is not complete). */
  lines: string[];
  waitFor(prefix: string): Promise<void>;
  /** Resolves once the writer has reported `n` committed changes (or has exited). */
  waitForChanges(n: number): Promise<void>;
  exited: Promise<void>;
}

const CHANGE = /^(wf|run|setting|decision) /;

function startWriter(path: string, extra: string[] = []): Writer {
  const child = spawn(process.execPath, [...launch.args(path), ...extra], { cwd: ROOT, env: launch.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: { done: () => boolean; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.filter((x) => x.done())) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const waitFor = (prefix: string) =>
    new Promise<void>((res, rej) => {
      const done = () => lines.some((l) => l.startsWith(prefix));
      if (done()) return res();
      waiters.push({ done, resolve: res });
      void exited.then(() => rej(new Error(`writer exited before "${prefix}": ${stderr.trim().split('\n').slice(-3).join(' | ')}`)));
    });
  const waitForChanges = (n: number) =>
    new Promise<void>((res) => {
      const done = () => lines.filter((l) => CHANGE.test(l)).length >= n;
      if (done()) return res();
      waiters.push({ done, resolve: res });
      void exited.then(() => res());
    });
  return { child, lines, waitFor, waitForChanges, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety', () => {
  it(`keeps the workspace sound and every committed change after ${KILLS} SIGKILLs at random moments`, async () => {
    const path = join(tempDir(), 'crash.resetpath');
    Workspace.create(path, deterministic()).close();
    const random = prng(SEED); // seeded (bench/generate.ts), so a failing kill schedule can be replayed
    const committed = { wf: new Map<string, string>(), runs: new Set<string>(), settings: new Map<string, number>(), decisions: new Set<string>() };
    const pool: Writer[] = [];
    let killedDuringOpen = 0;
    let totalChanges = 0;
    try {
      for (let k = 0; k < KILLS; k++) {
        while (pool.length < Math.min(WARM, KILLS - k)) pool.push(startWriter(path));
        const w = pool.shift()!;
        const t0 = performance.now();
        await w.waitFor('loaded');
        const t1 = performance.now();
        w.child.stdin.write('go\n');
        // Most kills land in the write loop; some land while the writer is still opening the file.
        // In the loop, the kill follows a random number of commits and then a random delay, so the
        // writers do real work however busy the machine is (a fixed delay did not on a loaded one).
        if (random() < 0.2) {
          await sleep(random() * 8);
        } else {
          await w.waitFor('ready');
          await w.waitForChanges(1 + Math.floor(random() * 12));
          await sleep(random() * 8);
        }
        w.child.kill('SIGKILL');
        await w.exited;
        if (!w.lines.some((l) => l.startsWith('ready'))) killedDuringOpen++;

        for (const line of w.lines) {
          const [kind, a, b, c] = line.split(' ');
          if (kind === 'wf') committed.wf.set(`${a}#${b}`, c!);
          else if (kind === 'run') committed.runs.add(a!);
          else if (kind === 'setting') committed.settings.set(a!, Number(b));
          else if (kind === 'decision') committed.decisions.add(`${a}#${b}`);
          else continue;
          totalChanges++;
        }

        const t2 = performance.now();
        const ws = Workspace.open(path, deterministic('verifier'));
        try {
          expect(ws.integrityCheck(), `integrity after kill ${k + 1}`).toEqual([]);
          const audit = ws.verifyAudit();
          expect(audit.firstBad, `audit after kill ${k + 1}`).toBeUndefined();
          for (const [key, sha] of committed.wf) {
            const [id, rev] = key.split('#');
            expect(ws.getWorkflow(id!, Number(rev))?.sha256, `workflow ${key} after kill ${k + 1}`).toBe(sha);
          }
          for (const id of committed.runs) expect(ws.getRun(id), `run ${id} after kill ${k + 1}`).toBeDefined();
          for (const [key, value] of committed.settings) expect(ws.getSetting(key) as number, `setting ${key} after kill ${k + 1}`).toBeGreaterThanOrEqual(value);
          const sessions = new Map<string, number>();
          for (const key of committed.decisions) {
            const [sid, seq] = key.split('#');
            sessions.set(sid!, Math.max(sessions.get(sid!) ?? 0, Number(seq)));
          }
          for (const [sid, maxSeq] of sessions) expect(ws.getTabletopSession(sid)?.decisions.length ?? 0, `decisions of ${sid} after kill ${k + 1}`).toBeGreaterThanOrEqual(maxSeq);
        } finally {
          ws.close();
        }
        if (process.env.CRASH_DEBUG) console.log(`kill ${k}: load-wait ${(t1 - t0).toFixed(0)} write ${(t2 - t1).toFixed(0)} verify ${(performance.now() - t2).toFixed(0)} lines ${w.lines.length}`);
      }
    } finally {
      for (const w of pool) w.child.kill('SIGKILL');
    }
    // The schedule must exercise both kinds of moment, and the writers must have done real work.
    expect(killedDuringOpen).toBeGreaterThan(0);
    expect(totalChanges).toBeGreaterThan(KILLS * 5);
  }, 120_000);
});
