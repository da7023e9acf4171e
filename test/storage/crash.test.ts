// The crash test: a child process writes through the storage API in a loop and is killed with
// SIGKILL at seeded random moments; after every kill the workspace must open for writing (no stale
// lock), pass SQLite's integrity check and the audit verification, and hold every change the child
// reported as committed. CRASH_DEBUG=1 prints the time each kill spent loading, writing and verifying.
// The second test races two writers through two names of one file (the file's own and a symbolic
// link's, and a hard link made while one writes): only one may ever hold it, the other takes over
// once the first is killed, a writer through a hard link is refused, and nothing committed is lost.
import { prng } from '../../bench/generate.ts';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
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
      void exited.then(() => rej(new Error(`writer exited before "${prefix}": ${stderr.trim().split('\n').slice(-25).join(' | ')}`)));
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

/** What writers reported as committed, and a check that the workspace still holds all of it. */
class Committed {
  readonly wf = new Map<string, string>();
  readonly runs = new Set<string>();
  readonly settings = new Map<string, number>();
  readonly decisions = new Map<string, number>();
  total = 0;

  add(lines: readonly string[]): void {
    for (const line of lines) {
      const [kind, a, b, c] = line.split(' ');
      if (kind === 'wf') this.wf.set(`${a}#${b}`, c!);
      else if (kind === 'run') this.runs.add(a!);
      else if (kind === 'setting') this.settings.set(a!, Number(b));
      else if (kind === 'decision') this.decisions.set(a!, Math.max(this.decisions.get(a!) ?? 0, Number(b)));
      else continue;
      this.total++;
    }
  }

  /** Opened for writing, the check also proves that no killed writer left the lock behind. */
  expectHeldBy(path: string, when: string, opts: { forWriting?: boolean } = {}): void {
    const ws = Workspace.open(path, opts.forWriting ? deterministic('verifier') : { readOnly: true });
    try {
      expect(ws.integrityCheck(), `integrity ${when}`).toEqual([]);
      expect(ws.verifyAudit().firstBad, `audit ${when}`).toBeUndefined();
      for (const [key, sha] of this.wf) {
        const [id, rev] = key.split('#');
        expect(ws.getWorkflow(id!, Number(rev))?.sha256, `workflow ${key} ${when}`).toBe(sha);
      }
      for (const id of this.runs) expect(ws.getRun(id), `run ${id} ${when}`).toBeDefined();
      for (const [key, value] of this.settings) expect(ws.getSetting(key) as number, `setting ${key} ${when}`).toBeGreaterThanOrEqual(value);
      for (const [sid, maxSeq] of this.decisions) expect(ws.getTabletopSession(sid)?.decisions.length ?? 0, `decisions of ${sid} ${when}`).toBeGreaterThanOrEqual(maxSeq);
    } finally {
      ws.close();
    }
  }
}

describe('crash safety', () => {
  it(`keeps the workspace sound and every committed change after ${KILLS} SIGKILLs at random moments`, async () => {
    const path = join(tempDir(), 'crash.resetpath');
    Workspace.create(path, deterministic()).close();
    const random = prng(SEED); // seeded (bench/generate.ts), so a failing kill schedule can be replayed
    const committed = new Committed();
    const pool: Writer[] = [];
    let killedDuringOpen = 0;
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

        committed.add(w.lines);
        const t2 = performance.now();
        committed.expectHeldBy(path, `after kill ${k + 1}`, { forWriting: true });
        if (process.env.CRASH_DEBUG) console.log(`kill ${k}: load-wait ${(t1 - t0).toFixed(0)} write ${(t2 - t1).toFixed(0)} verify ${(performance.now() - t2).toFixed(0)} lines ${w.lines.length}`);
      }
    } finally {
      for (const w of pool) w.child.kill('SIGKILL');
    }
    // The schedule must exercise both kinds of moment, and the writers must have done real work.
    expect(killedDuringOpen).toBeGreaterThan(0);
    expect(committed.total).toBeGreaterThan(KILLS * 5);
  }, 120_000);
});

const ROUNDS = 12;

describe('crash safety with two writers through two names of one file', () => {
  it(`loses nothing committed over ${ROUNDS} rounds of writers racing through a symbolic link and a hard link, killed at random moments`, async () => {
    const dir = tempDir();
    const path = join(dir, 'shared.resetpath');
    const alias = join(tempDir(), 'alias.resetpath'); // a symbolic link from another folder
    const second = join(dir, 'second-name.resetpath'); // a hard link, made while a writer writes
    Workspace.create(path, deterministic()).close();
    symlinkSync(path, alias);
    const random = prng(SEED + 1);
    const committed = new Committed();
    const live: Writer[] = [];
    let handovers = 0;
    let linkedRefusals = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const when = `after round ${round + 1}`;
        if (round % 3 === 2) {
          // The case: a second name is made while a writer holds the file; a writer through
          // it must be refused for as long as both names exist, even once the first writer is dead.
          const a = startWriter(random() < 0.5 ? path : alias);
          live.push(a);
          await a.waitFor('loaded');
          a.child.stdin.write('go\n');
          await a.waitFor('ready');
          await a.waitForChanges(1 + Math.floor(random() * 6));
          linkSync(path, second);
          const b = startWriter(second, ['--retry']);
          live.push(b);
          await b.waitFor('loaded');
          b.child.stdin.write('go\n');
          await b.waitFor('refused');
          await a.waitForChanges(8 + Math.floor(random() * 6)); // a keeps writing while b is refused
          a.child.kill('SIGKILL');
          await a.exited;
          await b.waitFor('refused hard-linked'); // the lock is free now; the second name still bars b
          await sleep(30);
          b.child.kill('SIGKILL');
          await b.exited;
          expect(b.lines.some((l) => l.startsWith('ready')), `writer through the hard link ${when}`).toBe(false);
          unlinkSync(second);
          linkedRefusals++;
          committed.add(a.lines);
        } else {
          // Two writers through two names (the file's, a symbolic link's) start together: one wins
          // the lock, the other waits refused until the winner is killed, then takes over.
          const names = random() < 0.5 ? [path, alias] : [alias, path];
          const pair = names.map((n) => startWriter(n, ['--retry']));
          live.push(...pair);
          await Promise.all(pair.map((w) => w.waitFor('loaded')));
          for (const w of pair) w.child.stdin.write('go\n');
          const first = await Promise.race(pair.map((w) => w.waitFor('ready').then(() => w)));
          const other = pair.find((w) => w !== first)!;
          await first.waitForChanges(1 + Math.floor(random() * 12));
          // The other must be refused while the winner holds the file (waited for, not sampled: on a
          // loaded machine it may not have tried yet when the winner has done its changes).
          await other.waitFor('refused locked');
          await sleep(random() * 8);
          // Read before the kill: once the winner is dead the lock is free, and the other may take
          // it before this process sees the winner's exit.
          const readyBeforeKill = other.lines.some((l) => l.startsWith('ready'));
          first.child.kill('SIGKILL');
          await first.exited;
          expect(readyBeforeKill, `both writers held the file at once ${when}`).toBe(false);
          await other.waitFor('ready');
          await other.waitForChanges(1 + Math.floor(random() * 12));
          await sleep(random() * 8);
          other.child.kill('SIGKILL');
          await other.exited;
          handovers++;
          committed.add(first.lines);
          committed.add(other.lines);
        }
        live.length = 0;
        committed.expectHeldBy(path, when, { forWriting: true });
      }
    } finally {
      for (const w of live) w.child.kill('SIGKILL');
    }
    expect(handovers).toBeGreaterThan(0);
    expect(linkedRefusals).toBeGreaterThan(0);
    expect(committed.total).toBeGreaterThan(ROUNDS * 5);
  }, 120_000);
});

