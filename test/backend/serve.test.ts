// backend/serve.ts as `npm start` and the end-to-end tests will run it: a child process whose one
// stdout line is the URL, serving until SIGTERM and then releasing the workspace.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVE = ['--import', 'tsx/esm', 'backend/serve.ts'];

function post(url: URL, token: string, key: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((res, rej) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path: `/api/${key}`, agent: false, headers: { 'content-type': 'application/json', 'x-resetpath-token': token } },
      (r) => {
        let b = '';
        r.on('data', (c: Buffer) => (b += c.toString()));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: JSON.parse(b) }));
      },
    );
    req.on('error', rej);
    req.end(JSON.stringify(payload));
  });
}

function renderer(dir: string): string {
  const d = join(dir, 'renderer');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'index.html'), '<!doctype html><title>ResetPath</title>');
  return d;
}

/** Starts serve.ts and resolves with its first stdout line. */
async function start(args: string[], dataDir: string) {
  const child = spawn(process.execPath, [...SERVE, ...args], { cwd: ROOT, env: { ...process.env, RESETPATH_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const line = await new Promise<string>((res, rej) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) res(out.split('\n')[0]!);
    });
    child.on('exit', () => rej(new Error(`serve exited early: ${err}`)));
  });
  return { child, line, exited, output: () => ({ out, err }) };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [...SERVE, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => res({ status, stdout, stderr }));
  });
}

describe('backend/serve.ts', () => {
  it('prints exactly one line with the URL, serves the sample workspace, and on SIGTERM exits 0 releasing the workspace', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const { child, line, exited, output } = await start(['--static', renderer(dir)], data);
    expect(line).toMatch(/^ResetPath is running at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const url = new URL(line.slice('ResetPath is running at '.length));
    const token = url.hash.slice('#token='.length);
    const info = await post(url, token, 'app.info', {});
    expect(info).toMatchObject({ status: 200, body: { mode: 'browser', readOnly: false, workspacePath: join(data, 'sample.resetpath') } });
    expect((await post(url, 'wrong', 'app.info', {})).status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toEqual({ out: `${line}\n`, err: '' });
    // The writer lock is free again: another writer can open the workspace.
    Workspace.open(join(data, 'sample.resetpath')).close();
  });

  it('opens a workspace that another process holds for writing read-only, saying so in one stderr line', async () => {
    const dir = tempDir();
    const path = join(dir, 'held.resetpath');
    const holder = Workspace.create(path);
    try {
      const { child, line, exited, output } = await start(['--static', renderer(dir), '--workspace', path], join(dir, 'data'));
      const url = new URL(line.slice('ResetPath is running at '.length));
      expect(await post(url, url.hash.slice('#token='.length), 'settings.set', { key: 'k', value: 1 })).toMatchObject({ status: 409, body: { code: 'conflict' } });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output().err).toMatch(/^resetpath serve: .*held\.resetpath.*; opening it read-only\n$/);
    } finally {
      holder.close();
    }
  });

  it('with --read-only serves a workspace for browsing and refuses every change with 409, leaving the file untouched', async () => {
    const dir = tempDir();
    const path = join(dir, 'evidence.resetpath');
    Workspace.create(path).close();
    const before = readFileSync(path);
    const { child, line, exited, output } = await start(['--static', renderer(dir), '--workspace', path, '--read-only'], join(dir, 'data'));
    const url = new URL(line.slice('ResetPath is running at '.length));
    const token = url.hash.slice('#token='.length);
    expect(await post(url, token, 'app.info', {})).toMatchObject({ status: 200, body: { readOnly: true, workspacePath: path } });
    expect((await post(url, token, 'library.list', {})).status).toBe(200);
    expect(await post(url, token, 'audit.verify', {})).toMatchObject({ status: 200, body: { ok: true } });
    const refused = [
      await post(url, token, 'settings.set', { key: 'theme', value: 'dark' }),
      await post(url, token, 'workflow.save', { fileName: 'x.yaml', text: 'resetpath: workflow/1\n' }),
    ];
    for (const r of refused) expect(r).toMatchObject({ status: 409, body: { code: 'conflict', message: `${path}: is open read-only; open it for writing to change it` } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output().err).toBe('');
    expect(readFileSync(path).equals(before)).toBe(true);
    // Nothing was held: a writer can open it at once.
    Workspace.open(path).close();
  });

  it('refuses unknown arguments, a missing renderer build and a missing workspace with one line and exit 2', async () => {
    const dir = tempDir();
    const built = renderer(dir);
    const env = { ...process.env, RESETPATH_DATA_DIR: join(dir, 'data') };
    const cases: [string[], RegExp][] = [
      [['--bogus'], /^resetpath serve: unknown argument --bogus/],
      [['--static', join(dir, 'nope')], /^resetpath serve: no built renderer at .*nope/],
      [['--static', built, '--workspace', join(dir, 'missing.resetpath'), '--read-only'], /^resetpath serve: .*missing\.resetpath: no such workspace \(with --read-only nothing is created; drop --read-only to create it\)\n$/],
      [['--static', built, '--workspace', join(dir, 'no-folder', 'new.resetpath')], /^resetpath serve: .*new\.resetpath: no such workspace, and its folder .*no-folder does not exist to create it in\n$/],
      [['--static', built, '--port', '70000'], /^resetpath serve: --port must be/],
    ];
    // In parallel: each start costs about a second of module loading.
    const results = await Promise.all(cases.map(([args]) => run(args, env)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    // Refusals before the workspace is needed leave no sample workspace behind, and create nothing.
    expect(existsSync(join(dir, 'data', 'sample.resetpath'))).toBe(false);
    expect(existsSync(join(dir, 'missing.resetpath'))).toBe(false);
  });

  it('creates a --workspace file that does not exist, saying so on stderr first, and serves it holding nothing but what creating a workspace writes', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.resetpath');
    const { child, line, exited, output } = await start(['--static', renderer(dir), '--workspace', path], join(dir, 'data'));
    expect(output().err).toBe(`resetpath serve: ${path}: no such workspace; creating a new, empty one\n`);
    const url = new URL(line.slice('ResetPath is running at '.length));
    const token = url.hash.slice('#token='.length);
    expect(await post(url, token, 'app.info', {})).toMatchObject({ status: 200, body: { readOnly: false, workspacePath: path } });
    // A new workspace: its audit log holds only what creating one writes.
    const fresh = join(dir, 'fresh.resetpath');
    Workspace.create(fresh).close();
    const created = Workspace.open(fresh, { readOnly: true });
    const entries = created.verifyAudit().entries;
    created.close();
    expect(await post(url, token, 'audit.verify', {})).toMatchObject({ status: 200, body: { ok: true, entries } });
    expect(await post(url, token, 'settings.set', { key: 'k', value: 1 })).toMatchObject({ status: 200 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The sample workspace was not needed, so not made.
    expect(existsSync(join(dir, 'data', 'sample.resetpath'))).toBe(false);
    Workspace.open(path).close();
  });
});
