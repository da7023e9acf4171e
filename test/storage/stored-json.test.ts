// A JSON column edited by hand or damaged on disk (`update runs set summary_json = '{bad'`) is one
// damaged row: it is named (file, table, row, column) where it is read, listings show it as damaged
// instead of failing whole, it can still be deleted or overwritten, and verify calls it damage.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { DamagedValueError, Workspace } from '../../storage/index.ts';
import { deterministic, raw, refusal, tempDir } from './helpers.ts';

/** A closed workspace with two runs (id-0001, id-0002) and two settings, then `sql` run on it from outside. */
function damaged(sql: string): string {
  const path = join(tempDir(), 'damaged.resetpath');
  const ws = Workspace.create(path, deterministic());
  ws.saveRun({ kind: 'analysis', workflow: { id: 'wf' }, result: { ok: 1 }, summary: { paths: 3 } });
  ws.saveRun({ kind: 'analysis', workflow: { id: 'wf' }, result: { ok: 2 }, summary: { paths: 4 } });
  ws.setSetting('theme', 'dark');
  ws.setSetting('zoom', 2);
  ws.close();
  const db = raw(path);
  db.exec(sql);
  db.close();
  return path;
}

describe('a stored JSON value that does not parse', () => {
  it('leaves the run listing whole: the damaged run is listed as damaged, naming its row and column, and the others as usual', () => {
    const path = damaged("UPDATE runs SET summary_json = '{bad' WHERE id = 'id-0001'");
    const ws = Workspace.open(path, deterministic());
    try {
      const runs = ws.listRuns();
      expect(runs.map((r) => r.id).sort()).toEqual(['id-0001', 'id-0002']);
      const bad = runs.find((r) => r.id === 'id-0001')!;
      expect(bad.damaged).toMatch(new RegExp(`^${path}: is damaged: runs row "id-0001": summary_json is not JSON \\(`));
      expect(bad.summary).toBeNull();
      expect(runs.find((r) => r.id === 'id-0002')).toMatchObject({ summary: { paths: 4 } });
      expect(runs.find((r) => r.id === 'id-0002')!.damaged).toBeUndefined();
      expect(ws.getRunInfo('id-0001')?.damaged).toBe(bad.damaged);
    } finally {
      ws.close();
    }
  });

  it('is named (file, table, row, column) when the damaged run is opened, as a damaged workspace and not a crash', () => {
    const path = damaged("UPDATE runs SET params_json = 'nope' WHERE id = 'id-0002'");
    const ws = Workspace.open(path, { readOnly: true });
    try {
      const e = refusal(() => ws.getRun('id-0002'));
      expect(e).toBeInstanceOf(DamagedValueError);
      expect(e.code).toBe('damaged');
      expect(e.message).toMatch(new RegExp(`^${path}: is damaged: runs row "id-0002": params_json is not JSON \\(.+\\), which ResetPath never writes`));
      expect(e.message).not.toMatch(/\n/);
    } finally {
      ws.close();
    }
  });

  it('does not stop the damaged run from being deleted, and the delete entry keeps the text that was stored', () => {
    const path = damaged("UPDATE runs SET summary_json = '{bad' WHERE id = 'id-0001'");
    const ws = Workspace.open(path, deterministic());
    try {
      ws.deleteRun('id-0001', { reason: 'damaged' });
      expect(ws.listRuns().map((r) => r.id)).toEqual(['id-0002']);
      const entry = ws.auditLog({ entityType: 'run', entityId: 'id-0001' }).at(-1)!;
      expect(entry.action).toBe('delete');
      expect(entry.before).toMatchObject({ damaged: { column: 'summary_json', stored: '{bad' } });
    } finally {
      ws.close();
    }
  });

  it('in a setting is named when read, left out of the settings list with a note, and the setting can be overwritten or deleted', () => {
    const path = damaged("UPDATE settings SET value_json = 'nope' WHERE key IN ('theme', 'zoom')");
    const ws = Workspace.open(path, deterministic());
    try {
      expect(refusal(() => ws.getSetting('theme')).message).toMatch(new RegExp(`^${path}: is damaged: settings row "theme": value_json is not JSON \\(`));
      const notes: string[] = [];
      expect(ws.listSettings({ onDamaged: (e) => notes.push(`${e.table}/${e.row}/${e.column}`) })).toEqual({});
      expect(notes).toEqual(['settings/theme/value_json', 'settings/zoom/value_json']);
      ws.setSetting('theme', 'light');
      expect(ws.getSetting('theme')).toBe('light');
      expect(ws.auditLog({ entityType: 'setting', entityId: 'theme' }).at(-1)!.before).toEqual({ damaged: { column: 'value_json', stored: 'nope' } });
      expect(ws.deleteSetting('zoom')).toBe(true);
      expect(ws.listSettings()).toEqual({ theme: 'light' });
    } finally {
      ws.close();
    }
  });

  it('makes `resetpath audit verify` say DAMAGED naming the table, row and column, and exit 1 (not 2, bad input)', async () => {
    const path = damaged("UPDATE runs SET summary_json = '{bad' WHERE id = 'id-0001'");
    let out = '';
    let err = '';
    const code = await main(['node', 'resetpath', 'audit', 'verify', path], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`^DAMAGED: ${path}: the workspace is damaged: runs row "id-0001": summary_json is not JSON \\(.+\\), which ResetPath never writes`));
  });

  it('in a setting makes verify report damage at that row rather than an edit', () => {
    const path = damaged("UPDATE settings SET value_json = 'nope' WHERE key = 'zoom'");
    const ws = Workspace.open(path, { readOnly: true });
    try {
      const r = ws.verifyAudit();
      expect(r.ok).toBe(false);
      expect(r.damaged).toMatch(/^settings row "zoom": value_json is not JSON \(/);
    } finally {
      ws.close();
    }
  });
});
