import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, Workspace, WorkspaceError, type WorkspaceErrorCode } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `resetpath audit verify <file>` as a real process with a deadline: a file that makes opening
 * wait forever (a FIFO) must not hang the test run; the child is killed at the deadline.
 */
function verifyWithDeadline(file: string): { status: number | null; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'resetpath.js'), 'audit', 'verify', file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  return { status: r.status, stderr: r.stderr, timedOut: r.signal === 'SIGKILL' };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr || r.error?.message}`);
}

/** The error an open attempt throws (write and read-only modes must agree). */
function openError(path: string, opts: { readOnly?: boolean } = {}): WorkspaceError {
  try {
    Workspace.open(path, opts).close();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkspaceError);
    return e as WorkspaceError;
  }
  throw new Error(`expected ${path} to be refused`);
}

function expectRefused(path: string, code: WorkspaceErrorCode, message: RegExp): void {
  for (const readOnly of [false, true]) {
    const e = openError(path, { readOnly });
    expect(e.code).toBe(code);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/\n/);
  }
}

/** A closed workspace with enough data to span many pages. */
function sizeable(): string {
  const path = join(tempDir(), 'data.resetpath');
  const ws = Workspace.create(path, deterministic());
  for (let i = 0; i < 40; i++) ws.saveWorkflowRevision({ text: workflowYaml(`wf.n${i}`, `Workflow ${i}`, 'x'.repeat(2000)) });
  ws.close();
  return path;
}

describe('opening a file that is not a usable workspace', () => {
  it('names a missing file', () => {
    const path = join(tempDir(), 'nope.resetpath');
    expectRefused(path, 'not-found', /no such workspace file$/);
  });

  it('names a folder given as a workspace', () => {
    const path = join(tempDir(), 'folder.resetpath');
    mkdirSync(path);
    expectRefused(path, 'not-a-file', /is a directory, not a workspace file$/);
  });

  it('says a text file is not an SQLite database', () => {
    const path = join(tempDir(), 'notes.resetpath');
    writeFileSync(path, 'These are my meeting notes.\n');
    expectRefused(path, 'not-sqlite', /is not a ResetPath workspace: not an SQLite database \(it starts with "These are my mee"\)$/);
  });

  it('says a binary file is not an SQLite database', () => {
    const path = join(tempDir(), 'image.resetpath');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]));
    expectRefused(path, 'not-sqlite', /not an SQLite database \(it starts with "\.PNG\.\.\.\./);
  });

  it('says an empty file is not a workspace', () => {
    const path = join(tempDir(), 'empty.resetpath');
    writeFileSync(path, '');
    expectRefused(path, 'not-a-workspace', /is an empty file, not a ResetPath workspace$/);
  });

  it('says a truncated workspace is truncated, with the sizes', () => {
    const path = sizeable();
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size / 2));
    expectRefused(path, 'truncated', new RegExp(`is truncated: ${Math.floor(size / 2)} bytes, but its header says ${size} bytes .*; restore it from a backup: with ResetPath closed, delete \\S+-wal and \\S+-shm beside it .*, then copy the backup over it$`));
  });

  it('refuses to write a file with a second name as hard-linked, not as truncated, while another name\'s log holds pages its main file lacks', () => {
    // Mid-checkpoint of a writer through the other name, the header counts pages not yet written.
    const path = sizeable();
    const size = statSync(path).size;
    const second = `${path}.second`;
    linkSync(path, second);
    truncateSync(path, size - 2 * 4096);
    for (const name of [second, path]) {
      const e = openError(name);
      expect(e.code).toBe('hard-linked');
      expect(e.message).toMatch(/is one file with 2 names \(hard links\)/);
    }
  });

  it('says a workspace cut inside a page is truncated', () => {
    const path = sizeable();
    truncateSync(path, statSync(path).size - 100);
    expectRefused(path, 'truncated', /is truncated/);
  });

  it('says a workspace cut inside its header is truncated', () => {
    const path = sizeable();
    truncateSync(path, 60);
    expectRefused(path, 'truncated', /is truncated: only 60 bytes, less than an SQLite header/);
  });

  it('says a workspace with garbage over its schema page is damaged', () => {
    const path = sizeable();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(3000, 0xa5), 0, 3000, 100);
    closeSync(fd);
    const e = openError(path);
    expect(['damaged', 'not-sqlite']).toContain(e.code);
    expect(e.message).toMatch(new RegExp(`^${path}: is (damaged|not a ResetPath workspace)`));
  });

  it('tells an SQLite database of another program apart from a workspace, and leaves it untouched', () => {
    const path = join(tempDir(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE contacts (name TEXT)');
    db.close();
    const before = readFileSync(path);
    expectRefused(path, 'not-a-workspace', /is an SQLite database of another program \(application id 0\), not a ResetPath workspace$/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dirname(path)).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('says an empty SQLite database is not a workspace', () => {
    const path = join(tempDir(), 'blank.db');
    const db = new Database(path);
    db.pragma('user_version = 1');
    db.close();
    expectRefused(path, 'not-a-workspace', /is an empty SQLite database, not a ResetPath workspace$/);
  });

  it('says a workspace from a newer ResetPath needs a newer ResetPath, without touching it', () => {
    const path = join(tempDir(), 'future.resetpath');
    const future = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'future-feature', sql: 'CREATE TABLE future_feature (x INTEGER) STRICT;' }];
    Workspace.create(path, { ...deterministic(), migrations: future }).close();
    const before = readFileSync(path);
    expectRefused(path, 'newer-version', new RegExp(`was written by a newer version of ResetPath \\(workspace schema version ${future.length}, this ResetPath understands up to ${MIGRATIONS.length}\\); update ResetPath to open it$`));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('says a workspace whose schema version alone is newer needs a newer ResetPath', () => {
    const path = join(tempDir(), 'future2.resetpath');
    Workspace.create(path, deterministic()).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expectRefused(path, 'newer-version', /workspace schema version 99/);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO given as a workspace at once, naming it, instead of waiting on it forever', () => {
    const path = join(tempDir(), 'pipe.resetpath');
    mkfifo(path);
    const r = verifyWithDeadline(path);
    expect(r.timedOut, 'audit verify hung on the FIFO').toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`resetpath audit: ${path}: is a FIFO (named pipe), not a workspace file\n`);
  });

  it.skipIf(process.platform === 'win32')('refuses a workspace whose write-ahead log is a FIFO, naming the log, rather than let SQLite write the log into a pipe', () => {
    const path = sizeable();
    mkfifo(`${path}-wal`);
    const r = verifyWithDeadline(path);
    expect(r.timedOut, 'audit verify hung on the FIFO').toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`resetpath audit: ${path}-wal: is a FIFO (named pipe), not the write-ahead log SQLite keeps beside ${path}; remove it and open the workspace again\n`);
  });

  it('names a device given as a workspace by its type', () => {
    expectRefused('/dev/null', 'not-a-file', /^\/dev\/null: is a character device, not a workspace file$/);
  });
});
