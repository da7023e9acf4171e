// Damage is not tampering: a workspace whose pages a bad disk or a cut copy garbled must be reported
// as damaged, in SQLite's words, and never as audit entries "altered" (which accuses a person).
import { copyFileSync, closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.ts';
import { main } from '../../cli/main.ts';
import { Workspace } from '../../storage/index.ts';
import { deterministic, raw, refusal, tempDir } from './helpers.ts';

/** A closed workspace whose audit log spans many pages (400 setting changes). */
function longLog(): string {
  const path = join(tempDir(), 'long.resetpath');
  const ws = Workspace.create(path, deterministic());
  for (let i = 0; i < 400; i++) ws.setSetting(`k${i % 20}`, { i, note: 'x'.repeat(i % 50) });
  ws.close();
  return path;
}

/** A copy of `path` with one 512-byte sector of a leaf page of the audit log overwritten with random bytes. */
function withGarbledSector(path: string, seed: number): string {
  const db = raw(path, { readonly: true });
  const pages = db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf' ORDER BY pageno").all().map((r) => r.pageno);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const random = prng(seed);
  const copy = join(tempDir(), `garbled-${seed}.resetpath`);
  copyFileSync(path, copy);
  const page = pages[Math.floor(random() * pages.length)]!;
  const sector = Math.floor(random() * (pageSize / 512));
  const junk = Buffer.alloc(512);
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(random() * 256);
  const fd = openSync(copy, 'r+');
  writeSync(fd, junk, 0, junk.length, (page - 1) * pageSize + sector * 512);
  closeSync(fd);
  return copy;
}

function verify(path: string) {
  const ws = Workspace.open(path, { readOnly: true });
  try {
    return ws.verifyAudit();
  } finally {
    ws.close();
  }
}

describe('a damaged workspace file', () => {
  it('is reported as damaged with SQLite\'s message, never as audit entries altered, whichever sector of its log is garbled', () => {
    const path = longLog();
    for (let seed = 1; seed <= 8; seed++) {
      const r = verify(withGarbledSector(path, seed));
      expect(r.ok, `seed ${seed}`).toBe(false);
      expect(r.damaged, `seed ${seed}: ${r.firstBad?.message}`).toEqual(expect.any(String));
      expect(r.firstBad?.message, `seed ${seed}`).toMatch(/^the workspace file is damaged \(SQLite: .+\), so its audit log was not judged: damage is not evidence of tampering; restore the workspace from a backup \(with ResetPath closed, delete its -wal and -shm files, then copy the backup over it\)$/);
      expect(r.firstBad?.message).not.toMatch(/altered/);
    }
  });

  it('makes `resetpath audit verify` say DAMAGED and exit 1', async () => {
    const copy = withGarbledSector(longLog(), 1);
    let out = '';
    let err = '';
    const code = await main(['node', 'resetpath', 'audit', 'verify', copy], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toMatch(new RegExp(`^DAMAGED: ${copy}: the workspace file is damaged \\(SQLite: [^\\n]+\\), so its audit log was not judged`));
  });

  it('with a value ResetPath could not have written (a hash that is not hex) is reported as malformed: damaged there, or edited by hand', () => {
    const path = longLog();
    const db = raw(path);
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = substr(hash, 1, 20) || char(0x7f) || substr(hash, 22) WHERE seq = 100");
    db.close();
    expect(verify(path).firstBad).toEqual({
      seq: 100,
      message: 'audit entry 100 is malformed (its hash is not 64 hex digits), which ResetPath never writes: the file is damaged there, or the entry was edited by hand',
    });
  });
});

describe('a workspace whose schema was changed outside ResetPath', () => {
  /** A closed workspace with its `workflows` table swapped for a view that never finishes (a recursive count with no end). */
  function withEndlessView(): string {
    const path = longLog();
    const db = raw(path);
    db.pragma('foreign_keys = OFF');
    db.exec(
      "DROP TABLE workflows; CREATE VIEW workflows AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT CAST(n AS TEXT) AS id, n AS latest_revision, '' AS created_at, NULL AS deleted_at FROM (SELECT count(*) AS n FROM c)",
    );
    db.close();
    return path;
  }

  it('is refused when opened, for writing or reading, naming the object, instead of running the SQL it brought (an endless view hung the host)', () => {
    const path = withEndlessView();
    const before = readFileSync(path);
    for (const readOnly of [false, true]) {
      const e = refusal(() => Workspace.open(path, { readOnly }));
      expect(e.code).toBe('damaged');
      expect(e.message).toMatch(new RegExp(`^${path}: has a schema changed outside ResetPath \\("workflows" is a view where a table is expected\\); refusing to open it, as its queries could run code it does not know; restore it from a backup`));
    }
    // Refused before anything is written: the file is as it was, with no change pending in a log beside it.
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
  });

  it('is refused for a trigger added or an append-only trigger rewritten, and opens when a trigger was only dropped (the audit check then names the edited entries)', () => {
    const added = longLog();
    let db = raw(added);
    db.exec("CREATE TRIGGER settings_spy AFTER UPDATE ON settings BEGIN SELECT 1; END");
    db.close();
    expect(refusal(() => Workspace.open(added)).message).toMatch(/\(trigger "settings_spy" is not one of its own\)/);
    const rewritten = longLog();
    db = raw(rewritten);
    db.exec("DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END");
    db.close();
    expect(refusal(() => Workspace.open(rewritten, { readOnly: true })).message).toMatch(/\(trigger "audit_log_no_update" is not defined as ResetPath defines it\)/);
    const dropped = longLog();
    db = raw(dropped);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.close();
    expect(verify(dropped)).toMatchObject({ ok: true });
  });

  it('makes `resetpath audit verify` fail (exit 1, as for a damaged file) with the reason, instead of hanging', async () => {
    const path = withEndlessView();
    let out = '';
    let err = '';
    const code = await main(['node', 'resetpath', 'audit', 'verify', path], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toMatch(/has a schema changed outside ResetPath \("workflows" is a view where a table is expected\)/);
  });
});
