// SQLite reports most damage only when a statement reads the damaged page, long after the file was
// opened. Such a failure must reach the user like every other workspace failure: one line naming
// the file and what to do, never a raw SqliteError (HTTP 500 with SQLite's words, or the CLI's
// "bad input").
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { Workspace, WorkspaceError } from '../../storage/index.ts';
import { deterministic, raw, refusal, tempDir } from './helpers.ts';

/** A closed workspace whose audit log spans many pages, with one of its leaf pages' header overwritten. */
function withBrokenLogPage(): string {
  const path = join(tempDir(), 'broken.resetpath');
  const ws = Workspace.create(path, deterministic());
  for (let i = 0; i < 200; i++) ws.setSetting(`k${i % 10}`, { i, note: 'x'.repeat(40) });
  ws.close();
  const db = raw(path, { readonly: true });
  const pages = db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf' ORDER BY pageno").all();
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const page = pages[Math.floor(pages.length / 2)]!.pageno;
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, (page - 1) * pageSize); // an impossible page type
  closeSync(fd);
  return path;
}

describe('damage met while a statement runs', () => {
  it('is a WorkspaceError saying the file is damaged and to restore it, not SQLite\'s raw error', () => {
    const path = withBrokenLogPage();
    const ws = Workspace.open(path, { readOnly: true });
    try {
      const e = refusal(() => ws.auditLog());
      expect(e).toBeInstanceOf(WorkspaceError);
      expect(e.code).toBe('damaged');
      expect(e.message).toMatch(new RegExp(`^${path}: is damaged \\(database disk image is malformed\\); restore it from a backup`));
      // Restoring means removing the -wal and -shm too: SQLite would replay a leftover log onto the backup.
      expect(e.message).toMatch(/; restore it from a backup: with ResetPath closed, delete broken\.resetpath-wal and broken\.resetpath-shm beside it \(a leftover log would be replayed onto the backup\), then copy the backup over it$/);
    } finally {
      ws.close();
    }
  });

  it('makes `resetpath audit log` say the file is damaged in one line and exit 1, not 2 (bad input)', async () => {
    const path = withBrokenLogPage();
    let out = '';
    let err = '';
    const code = await main(['node', 'resetpath', 'audit', 'log', path], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^resetpath audit: ${path}: is damaged \\(database disk image is malformed\\); restore it from a backup[^\\n]*\\n$`));
    expect(code).toBe(1);
  });

  it('still lets verify report DAMAGED in SQLite\'s own words (not a message naming the file twice)', () => {
    const path = withBrokenLogPage();
    const ws = Workspace.open(path, { readOnly: true });
    try {
      expect(ws.verifyAudit().firstBad?.message).toMatch(/^the workspace file is damaged \(SQLite: (?!\/)[^)]+\), so its audit log was not judged/);
    } finally {
      ws.close();
    }
  });
});
