// Shared helpers for storage tests: temporary folders, a deterministic clock and ids, and raw
// SQLite access for inspecting or tampering with a workspace from outside the storage API.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { WorkspaceError, type WorkspaceOptions } from '../../storage/index.ts';

const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'resetpath-storage-'));
  dirs.push(d);
  return d;
}

/** Options with a clock that ticks one second per call, numbered ids and a fixed user. */
export function deterministic(user = 'alice'): Required<Pick<WorkspaceOptions, 'clock' | 'user' | 'newId'>> {
  let t = Date.parse('2026-03-01T09:00:00Z');
  let n = 0;
  return {
    clock: () => new Date((t += 1000)),
    user,
    newId: () => `id-${String(++n).padStart(4, '0')}`,
  };
}

/** Opens the file with raw better-sqlite3 (tests only: the app goes through storage/). */
export function raw(path: string, opts: { readonly?: boolean } = {}): Database.Database {
  return new Database(path, { readonly: opts.readonly ?? false, fileMustExist: true });
}

/** A digest of every row of every table, to prove that a refused operation changed nothing. */
export function contentDigest(path: string): string {
  const db = raw(path, { readonly: true });
  try {
    const h = createHash('sha256');
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    for (const { name } of tables) {
      h.update(`table ${name}\n`);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().iterate()) h.update(`${JSON.stringify(row)}\n`);
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}

/** The WorkspaceError `fn` throws; fails the test when it throws something else or nothing. */
export function refusal(fn: () => unknown): WorkspaceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkspaceError);
    return e as WorkspaceError;
  }
  throw new Error('expected a refusal');
}
