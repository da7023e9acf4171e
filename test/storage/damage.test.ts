// Damage is not tampering: a workspace whose pages a bad disk or a cut copy garbled must be reported
// as damaged, in SQLite's words, and never as audit entries "altered" (which accuses a person).
import { copyFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.ts';
import { main } from '../../cli/main.ts';
import { Workspace } from '../../storage/index.ts';
import { deterministic, raw, tempDir } from './helpers.ts';

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
