import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditLogDocument } from '../../cli/commands/audit.ts';
import { main } from '../../cli/main.ts';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, raw, tempDir } from './helpers.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'resetpath', ...args], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
  return { code, out, err };
}

function workspace(): string {
  const path = join(tempDir(), 'cli.resetpath');
  const ws = Workspace.create(path, deterministic('carol'));
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one'), reason: 'first draft' });
  ws.setSetting('theme', 'dark');
  ws.close();
  return path;
}

describe('resetpath audit verify', () => {
  it('exits 0 and prints the entry count and head when the chain verifies', async () => {
    const path = workspace();
    const r = await run('audit', 'verify', path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^ok: ${path}: audit log verifies \\(9 entries\\); head 9:[0-9a-f]{64}\\n$`));
    expect(r.err).toBe('');
  });

  it('exits 1 and names the first bad entry when the chain is broken', async () => {
    const path = workspace();
    const db = raw(path);
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'cover-up' WHERE seq = 8");
    db.close();
    const r = await run('audit', 'verify', path);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAILED: .*: first bad entry 8: audit entry 8 was altered/);
  });

  it('exits 1 when the log no longer extends an anchor printed earlier', async () => {
    const path = workspace();
    const first = await run('audit', 'verify', path);
    const anchor = /head (\d+:[0-9a-f]{64})/.exec(first.out)![1]!;
    expect((await run('audit', 'verify', path, '--anchor', anchor)).code).toBe(0);
    const db = raw(path);
    // The last entry cut off together with the setting it recorded, so log and data agree again.
    db.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 9; UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_log WHERE seq = 8); DELETE FROM settings WHERE key = 'theme'");
    db.close();
    expect((await run('audit', 'verify', path)).code).toBe(0);
    const r = await run('audit', 'verify', path, '--anchor', anchor);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/audit entry 9 from the anchor recorded earlier is missing/);
  });

  it('exits 2 with one line, no stack trace, for a missing file', async () => {
    const r = await run('audit', 'verify', join(tempDir(), 'missing.resetpath'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^resetpath audit: .*missing\.resetpath: no such workspace file\n$/);
    expect(r.out).toBe('');
  });

  it('exits 2 with one line for a file that is not a workspace', async () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'just some notes\n');
    const r = await run('audit', 'verify', path);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`resetpath audit: ${path}: is not a ResetPath workspace: not an SQLite database (it starts with "just some notes.")\n`);
  });

  it('prints the verification as JSON on request', async () => {
    const r = await run('audit', 'verify', workspace(), '--format', 'json');
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, entries: 9 });
  });

  it('verifies a workspace while another process holds it open for writing', async () => {
    const path = workspace();
    const ws = Workspace.open(path);
    ws.setSetting('theme', 'light');
    const r = await run('audit', 'verify', path);
    ws.close();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/10 entries/);
  });
});

describe('resetpath audit log', () => {
  it('prints one line per entry, oldest first, with actor, action, entity and reason', async () => {
    const r = await run('audit', 'log', workspace());
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[7]).toMatch(/^ {4}8 {2}2026-03-01T09:00:\d\d\.000Z {2}carol {2}create workflow wf\.one {2}bytes=\d+ format=yaml name="Workflow wf.one" revision=1 sha256=[0-9a-f]{12} {2}reason: "first draft"$/);
    expect(lines[8]).toMatch(/set setting theme {2}"dark"$/);
  });

  it('limits to the last N entries and prints JSON on request', async () => {
    const r = await run('audit', 'log', workspace(), '--format', 'json', '--limit', '2');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as AuditLogDocument;
    expect(doc.format).toBe('resetpath-audit-log/1');
    expect(doc.head.seq).toBe(9);
    expect(doc.entries.map((e) => [e.seq, e.entityType, e.action])).toEqual([
      [8, 'workflow', 'create'],
      [9, 'setting', 'set'],
    ]);
  });

  it('refuses a limit that is not a positive whole number with exit 2', async () => {
    const r = await run('audit', 'log', workspace(), '--limit', 'ten');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/must be a whole number of entries/);
  });

  it('prints logged text with terminal control sequences and bidirectional overrides written visibly', async () => {
    const path = workspace();
    const ws = Workspace.open(path);
    // Reasons are refused with such characters (test/backend/hostile-input.test.ts); a setting's value is free JSON.
    ws.setSetting('note', 'evil \u001b[2J\u001b]0;title\u0007 \u009b2J \u202eesrever value');
    ws.close();
    const r = await run('audit', 'log', path, '--limit', '1');
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.out).toContain('evil \\u001b[2J\\u001b]0;title\\u0007 \\u{9b}2J \\u{202e}esrever value');
  });
});
