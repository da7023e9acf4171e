import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, MAX_RESULT_BYTES, Workspace, WorkspaceError, type AuditRow } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, raw, refusal, tempDir } from './helpers.ts';

/** A closed workspace with a dozen audit entries (5 from creation, then 7 changes). */
function populated(): string {
  const path = join(tempDir(), 'audited.resetpath');
  const ws = Workspace.create(path, deterministic());
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'One') }); // 8
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'One, revised'), reason: 'tighten proofing' }); // 9
  ws.setSetting('theme', 'dark'); // 10
  const run = ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one', revision: 2 }, result: { paths: 3 } }); // 11
  ws.saveReportSnapshot({ title: 'Q1', format: 'json', content: '{"paths":3}', runId: run.id }); // 12
  ws.saveWorkflowRevision({ text: workflowYaml('wf.two', 'Two') }); // 13
  ws.setSetting('theme', 'light'); // 14
  expect(ws.verifyAudit()).toMatchObject({ ok: true, entries: 14 });
  ws.close();
  return path;
}

/** Raw access with the append-only triggers dropped, as a tamperer with file access would. */
function tamper(path: string, fn: (db: Database.Database) => void): void {
  const db = raw(path);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  fn(db);
  db.close();
}

function verify(path: string, opts: Parameters<Workspace['verifyAudit']>[0] = {}) {
  const ws = Workspace.open(path, { readOnly: true });
  try {
    return ws.verifyAudit(opts);
  } finally {
    ws.close();
  }
}

const COLS = 'at, actor, entity_type, entity_id, action, before_json, after_json, reason, prev_hash, hash';

describe('audit chain verification', () => {
  it('verifies an untouched log and reports its head', () => {
    const path = populated();
    const r = verify(path);
    expect(r.ok).toBe(true);
    expect(r.entries).toBe(14);
    expect(r.head.seq).toBe(14);
    expect(r.head.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.firstBad).toBeUndefined();
  });

  it('detects an edited audit entry and names it', () => {
    const path = populated();
    tamper(path, (db) => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 9").run());
    expect(verify(path)).toMatchObject({ ok: false, entries: 8, firstBad: { seq: 9, message: expect.stringMatching(/^audit entry 9 was altered: its content does not match its hash/) } });
  });

  it('detects an edited reason, before or after value and names the entry', () => {
    for (const [col, value] of [
      ['reason', 'routine'],
      ['before_json', '{"revision":0}'],
      ['after_json', 'not json at all'],
    ] as const) {
      const path = populated();
      tamper(path, (db) => db.prepare(`UPDATE audit_log SET ${col} = ? WHERE seq = 9`).run(value));
      expect(verify(path).firstBad?.seq).toBe(9);
    }
  });

  it('detects a deleted audit entry and names the missing one', () => {
    const path = populated();
    tamper(path, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 10').run());
    expect(verify(path)).toMatchObject({ ok: false, firstBad: { seq: 10, message: expect.stringMatching(/^audit entry 10 is missing: .*the log continues at entry 11/) } });
  });

  it('detects a deleted and renumbered entry (no gap left) and names where the chain breaks', () => {
    const path = populated();
    tamper(path, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq = 10').run();
      db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 10').run();
    });
    expect(verify(path).firstBad).toMatchObject({ seq: 10, message: expect.stringMatching(/does not follow entry 9/) });
  });

  it('detects two reordered entries and names the first', () => {
    const path = populated();
    tamper(path, (db) => {
      const a = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?').get(10)!;
      const b = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?').get(11)!;
      const put = db.prepare(`UPDATE audit_log SET (${COLS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE seq = ?`);
      const values = (r: AuditRow) => [r.at, r.actor, r.entity_type, r.entity_id, r.action, r.before_json, r.after_json, r.reason, r.prev_hash, r.hash];
      put.run(...values(b), 10);
      put.run(...values(a), 11);
    });
    expect(verify(path)).toMatchObject({ ok: false, firstBad: { seq: 10 } });
  });

  it('detects an entry edited and re-hashed by someone who knows the hash format', () => {
    const path = populated();
    tamper(path, (db) => {
      const row = db.prepare<[], AuditRow>('SELECT * FROM audit_log WHERE seq = 9').get()!;
      const forged = { ...row, actor: 'mallory' };
      db.prepare('UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 9').run('mallory', entryHash(forged));
    });
    expect(verify(path).firstBad).toMatchObject({ seq: 10, message: expect.stringMatching(/audit entry 10 does not follow entry 9/) });
  });

  it('detects entries cut off the end of the log', () => {
    const path = populated();
    tamper(path, (db) => db.prepare('DELETE FROM audit_log WHERE seq >= 13').run());
    expect(verify(path).firstBad).toMatchObject({ seq: 13, message: expect.stringMatching(/the log ends at entry 12 but the workspace recorded 14 entries/) });
  });

  it('detects a cut-off end that also rewrote the recorded head, given an anchor recorded earlier', () => {
    const path = populated();
    const anchor = verify(path).head;
    tamper(path, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq = 14').run();
      const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get()!;
      db.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(last.seq, last.hash);
    });
    // The setting entry 14 changed still holds its value: the data no longer matches the shortened log.
    expect(verify(path).firstBad?.message).toMatch(/^audit entry 10 records setting "theme" with value "dark", but the workspace holds "light"/);
    // A tamperer who also puts the data back as entry 10 left it is caught by the anchor alone.
    const db = raw(path);
    db.prepare(`UPDATE settings SET value_json = '"dark"', updated_at = (SELECT at FROM audit_log WHERE seq = 10) WHERE key = 'theme'`).run();
    db.close();
    expect(verify(path).ok).toBe(true);
    expect(verify(path, { anchor }).firstBad).toMatchObject({ seq: 14, message: expect.stringMatching(/audit entry 14 from the anchor recorded earlier is missing/) });
  });

  it('detects a workflow revision edited outside ResetPath and names the audit entry that vouched for it', () => {
    const path = populated();
    tamper(path, (db) => {
      db.exec('DROP TRIGGER workflow_revisions_immutable');
      db.prepare("UPDATE workflow_revisions SET source_text = replace(source_text, 'kbv', 'document_liveness') WHERE workflow_id = 'wf.one' AND revision = 2").run();
    });
    expect(verify(path)).toMatchObject({
      ok: false,
      firstBad: { seq: 9, message: expect.stringMatching(/^audit entry 9 records workflow "wf.one" revision 2 with SHA-256 \w+, but the stored content hashes to \w+: it was edited outside ResetPath$/) },
    });
  });

  it('detects an analysis result edited outside ResetPath', () => {
    const path = populated();
    tamper(path, (db) => db.prepare('UPDATE run_results SET result_json = \'{"paths":0}\'').run());
    expect(verify(path).firstBad).toMatchObject({ seq: 11, message: expect.stringMatching(/the result of run/) });
  });

  it('reports a stored result crafted to inflate past what a run may hold (a gzip bomb) as damaged, in the read and in the audit check, instead of running out of memory', () => {
    const path = populated();
    const runId = (raw(path, { readonly: true }).prepare('SELECT run_id FROM run_results').get() as { run_id: string }).run_id;
    // Under a megabyte stored; 64 MiB more than MAX_RESULT_BYTES when inflated.
    const bomb = `gzip;base64,${gzipSync(Buffer.alloc(MAX_RESULT_BYTES + 64 * 1024 * 1024, 0x20), { level: 9 }).toString('base64')}`;
    expect(bomb.length).toBeLessThan(1024 * 1024);
    tamper(path, (db) => db.prepare('UPDATE run_results SET result_json = ?').run(bomb));
    expect(verify(path)).toMatchObject({ ok: false, firstBad: { seq: 11, message: expect.stringMatching(/the stored result of run "id-0001" is damaged \(it does not decompress, or decompresses to more than the 256 MiB/) } });
    const ws = Workspace.open(path, { readOnly: true });
    try {
      const e = refusal(() => ws.getRun(runId));
      expect(e).toBeInstanceOf(WorkspaceError);
      expect(e.message).toMatch(new RegExp(`the stored result of run "${runId}" is damaged \\(it does not decompress, or decompresses to more than the 256 MiB a result may hold\\)`));
    } finally {
      ws.close();
    }
  });

  it('refuses to store a run result larger than it could read back', () => {
    const ws = Workspace.create(join(tempDir(), 'big.resetpath'), deterministic());
    try {
      const huge = { trace: 'x'.repeat(MAX_RESULT_BYTES) };
      expect(() => ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one' }, result: huge })).toThrow(/the run result is 256 MiB of JSON, more than the 256 MiB a workspace stores per run/);
      expect(ws.listRuns()).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('detects a workflow revision inserted without an audit entry', () => {
    const path = populated();
    tamper(path, (db) =>
      db
        .prepare("INSERT INTO workflow_revisions (workflow_id, revision, name, format, source_text, source_sha256, created_at, author) VALUES ('wf.two', 2, 'x', 'yaml', 'x', 'x', 'now', 'mallory')")
        .run(),
    );
    expect(verify(path).firstBad?.message).toMatch(/workflow "wf.two" revision 2 has no audit entry: it was added outside ResetPath/);
  });

  it('refuses updates and deletes of audit rows through SQL while the triggers stand', () => {
    const path = populated();
    const db = raw(path);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    db.close();
  });

  it('still lists a tampered log, showing unparsable values as text', () => {
    const path = populated();
    tamper(path, (db) => db.prepare("UPDATE audit_log SET after_json = '{broken' WHERE seq = 10").run());
    const ws = Workspace.open(path, { readOnly: true });
    expect(ws.auditLog({ limit: 5 })[0]!.after).toBe('{broken');
    ws.close();
  });
});

/**
 * A closed workspace with one of everything a user sees: settings, a revised workflow with a
 * message, a run, a report, a tabletop session with notes and a decision. Entry numbers in comments.
 */
function everything(): string {
  const path = join(tempDir(), 'everything.resetpath');
  const ws = Workspace.create(path, deterministic()); // 1-7
  ws.setSetting('theme', 'dark'); // 8
  ws.setSetting('theme', 'light'); // 9
  ws.setSetting('retention.days', 30); // 10
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'One'), message: 'first draft' }); // 11
  const run = ws.saveRun({ kind: 'analysis', label: 'baseline', workflow: { id: 'wf.one', revision: 1 }, params: { depth: 2 }, summary: { paths: 3 }, result: { paths: 3 } }); // 12
  ws.saveReportSnapshot({ title: 'Q1', format: 'json', content: '{"paths":3}', runId: run.id }); // 13
  const session = ws.createTabletopSession({ title: 'Drill', scenario: { id: 's01-osint-vishing' }, notes: 'start' }); // 14
  ws.recordTabletopDecision(session.id, { atMinute: 5, prompt: 'Reset the password?', choice: 'no' }); // 15
  ws.setTabletopNotes(session.id, 'caller hung up'); // 16
  ws.saveWorkflowRevision({ text: workflowYaml('wf.two', 'Two') }); // 17
  ws.deleteWorkflow('wf.two', { reason: 'duplicate' }); // 18
  const exercise = ws.createTabletopSession({ title: 'Live', scenario: { id: 's02-executive-pressure' }, setup: '{"verdicts":"debrief"}' }); // 19
  ws.setTabletopSetup(exercise.id, '{"verdicts":"live"}'); // 20
  ws.recordTabletopDecision(exercise.id, { atMinute: 2, prompt: 'Accept the request?', choice: 'approve', point: '1.1' }); // 21
  ws.setOwner({ role: 'service_desk_manager', name: 'Desk leads', contact: 'desk@example.org' }); // 22
  ws.setRemediation({ workflow: 'wf.one', control: 'ctl.callback', status: 'planned', due: '2026-04-01', ticket: 'SEC-1', notes: 'budgeted' }); // 23
  ws.signReport({ report: { title: 'Q1 signed', format: 'json', content: '{"gaps":[]}' }, scope: 'workflows=wf.one', signedBy: 'CISO', decision: 'remediate', justification: 'fund the call-back' }); // 24 (report id-0005), 25 (sign-off id-0006)
  expect(ws.verifyAudit()).toMatchObject({ ok: true, entries: 25 });
  ws.close();
  return path;
}

describe('every row a user sees is bound to the audit chain', () => {
  const cases: { what: string; sql: string; seq: number; message: RegExp }[] = [
    {
      what: 'a setting edited outside ResetPath',
      sql: `UPDATE settings SET value_json = '"dark"' WHERE key = 'theme'`,
      seq: 9,
      message: /^audit entry 9 records setting "theme" with value "light", but the workspace holds "dark": it was edited outside ResetPath$/,
    },
    {
      what: 'a setting added outside ResetPath',
      sql: `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES ('telemetry', 'true', '2026-03-01T09:00:00.000Z', 'alice')`,
      seq: 0,
      message: /^setting "telemetry" has no audit entry: it was added outside ResetPath$/,
    },
    {
      what: 'a setting deleted outside ResetPath',
      sql: `DELETE FROM settings WHERE key = 'retention.days'`,
      seq: 10,
      message: /^audit entry 10 records setting "retention.days", but the workspace no longer holds it: it was deleted outside ResetPath$/,
    },
    {
      what: 'who last changed a setting, edited',
      sql: `UPDATE settings SET updated_by = 'bob' WHERE key = 'theme'`,
      seq: 9,
      message: /^audit entry 9 records setting "theme" with updatedBy "alice", but the workspace holds "bob"/,
    },
    {
      what: 'a deleted workflow un-deleted outside ResetPath',
      sql: `UPDATE workflows SET deleted_at = NULL WHERE id = 'wf.two'`,
      seq: 18,
      message: /^audit entry 18 records workflow "wf.two" with deletedAt "[^"]+", but the workspace holds null: it was edited outside ResetPath$/,
    },
    {
      what: 'a workflow revision message edited',
      sql: `DROP TRIGGER workflow_revisions_immutable; UPDATE workflow_revisions SET message = 'approved by CISO' WHERE workflow_id = 'wf.one'`,
      seq: 11,
      message: /^audit entry 11 records workflow "wf.one" revision 1 with message "first draft", but the workspace holds "approved by CISO"/,
    },
    {
      what: 'a run label edited',
      sql: `UPDATE runs SET label = 'approved'`,
      seq: 12,
      message: /^audit entry 12 records run "id-0001" with label "baseline", but the workspace holds "approved"/,
    },
    {
      what: 'a run summary edited',
      sql: `UPDATE runs SET summary_json = '{"paths":0}'`,
      seq: 12,
      message: /^audit entry 12 records run "id-0001" with summary \{"paths":3\}, but the workspace holds \{"paths":0\}/,
    },
    {
      what: 'run parameters edited',
      sql: `UPDATE runs SET params_json = '{"depth":9}'`,
      seq: 12,
      message: /^audit entry 12 records run "id-0001" with params \{"depth":2\}, but the workspace holds \{"depth":9\}/,
    },
    {
      what: 'a report title edited',
      sql: `DROP TRIGGER report_snapshots_immutable; UPDATE report_snapshots SET title = 'Q2'`,
      seq: 13,
      message: /^audit entry 13 records report snapshot "id-0002" with title "Q1", but the workspace holds "Q2"/,
    },
    {
      what: 'tabletop notes edited',
      sql: `UPDATE tabletop_sessions SET notes = 'caller verified'`,
      seq: 16,
      message: /^audit entry 16 records tabletop session "id-0003" with notesSha256 [0-9a-f]{12}, but the workspace holds [0-9a-f]{12}/,
    },
    {
      what: 'a session title edited',
      sql: `UPDATE tabletop_sessions SET title = 'Exercise'`,
      seq: 14,
      message: /^audit entry 14 records tabletop session "id-0003" with title "Drill", but the workspace holds "Exercise"/,
    },
    {
      what: 'a recorded decision edited',
      sql: `DROP TRIGGER tabletop_decisions_immutable; UPDATE tabletop_decisions SET choice = 'yes'`,
      seq: 15,
      message: /^audit entry 15 records decision 1 of tabletop session "id-0003" with choice "no", but the workspace holds "yes"/,
    },
    {
      what: 'an exercise setup edited',
      sql: `UPDATE tabletop_sessions SET setup = '{"verdicts":"debrief"}' WHERE title = 'Live'`,
      seq: 20,
      message: /^audit entry 20 records tabletop session "id-0004" with setup "\{\\"verdicts\\":\\"live\\"\}", but the workspace holds/,
    },
    {
      what: 'the decision point a decision answers, edited',
      sql: `DROP TRIGGER tabletop_decisions_immutable; UPDATE tabletop_decisions SET point = '1.2' WHERE session_id = 'id-0004'`,
      seq: 21,
      message: /^audit entry 21 records decision 1 of tabletop session "id-0004" with point "1.1", but the workspace holds "1.2"/,
    },
    {
      what: 'an owner name edited',
      sql: `UPDATE owner_assignments SET name = 'Mallory'`,
      seq: 22,
      message: /^audit entry 22 records owner assignment "service_desk_manager@\*" with name "Desk leads", but the workspace holds "Mallory": it was edited outside ResetPath$/,
    },
    {
      what: 'an owner assignment added outside ResetPath',
      sql: `INSERT INTO owner_assignments (role, workflow_id, name, contact, updated_at, updated_by) VALUES ('iam_engineering', 'wf.one', 'Eve', NULL, '2026-03-01T09:00:00.000Z', 'alice')`,
      seq: 0,
      message: /^owner assignment "iam_engineering@wf.one" has no audit entry: it was added outside ResetPath$/,
    },
    {
      what: 'a remediation status edited',
      sql: `UPDATE remediation_items SET status = 'done'`,
      seq: 23,
      message: /^audit entry 23 records remediation item "wf.one#ctl.callback" with status "planned", but the workspace holds "done"/,
    },
    {
      what: 'a remediation due date moved',
      sql: `UPDATE remediation_items SET due_date = '2027-01-01'`,
      seq: 23,
      message: /^audit entry 23 records remediation item "wf.one#ctl.callback" with due "2026-04-01", but the workspace holds "2027-01-01"/,
    },
    {
      what: 'remediation notes edited',
      sql: `UPDATE remediation_items SET notes = 'never mind'`,
      seq: 23,
      message: /^audit entry 23 records remediation item "wf.one#ctl.callback" with notes "budgeted", but the workspace holds "never mind"/,
    },
    {
      what: 'a remediation item deleted outside ResetPath',
      sql: `DELETE FROM remediation_items`,
      seq: 23,
      message: /^audit entry 23 records remediation item "wf.one#ctl.callback", but the workspace no longer holds it: it was deleted outside ResetPath$/,
    },
    {
      what: 'a sign-off decision edited',
      sql: `DROP TRIGGER report_signoffs_immutable; UPDATE report_signoffs SET decision = 'accept'`,
      seq: 25,
      message: /^audit entry 25 records sign-off "id-0006" with decision "remediate", but the workspace holds "accept"/,
    },
    {
      what: 'who signed, edited',
      sql: `DROP TRIGGER report_signoffs_immutable; UPDATE report_signoffs SET signed_by = 'Intern'`,
      seq: 25,
      message: /^audit entry 25 records sign-off "id-0006" with signedBy "CISO", but the workspace holds "Intern"/,
    },
    {
      what: 'a sign-off deleted outside ResetPath',
      sql: `DROP TRIGGER report_signoffs_no_delete; DELETE FROM report_signoffs`,
      seq: 25,
      message: /^audit entry 25 records sign-off "id-0006", but the workspace no longer holds it: it was deleted outside ResetPath$/,
    },
    {
      what: 'a signed report\'s content edited',
      sql: `DROP TRIGGER report_snapshots_immutable; UPDATE report_snapshots SET content = '{"gaps":["none"]}' WHERE id = 'id-0005'`,
      seq: 24,
      message: /^audit entry 24 records report snapshot "id-0005" with SHA-256 [0-9a-f]{12}, but the stored content hashes to [0-9a-f]{12}: it was edited outside ResetPath$/,
    },
    {
      what: 'a decision inserted outside ResetPath',
      sql: `INSERT INTO tabletop_decisions (session_id, seq, at_minute, prompt, choice, recorded_at, recorded_by) VALUES ('id-0003', 2, 9, 'Escalate?', 'yes', '2026-03-01T09:00:00.000Z', 'alice')`,
      seq: 0,
      message: /^decision 2 of tabletop session "id-0003" has no audit entry: it was added outside ResetPath$/,
    },
  ];
  for (const c of cases) {
    it(`detects ${c.what} and names the entry that recorded it`, () => {
      const path = everything();
      const db = raw(path);
      db.exec(c.sql);
      db.close();
      const r = verify(path);
      expect(r.ok).toBe(false);
      expect(r.firstBad?.seq).toBe(c.seq);
      expect(r.firstBad?.message).toMatch(c.message);
    });
  }
});

describe('workspaces written before every field was logged', () => {
  it('still verify: a run without logged params and a revision without a logged message are checked on the fields their entries did record', () => {
    const path = everything();
    // Rewrite the log as an earlier ResetPath wrote it (no params, no message), re-hashing the chain.
    tamper(path, (db) => {
      let prev = db.prepare<[], { prev_hash: string }>('SELECT prev_hash FROM audit_log WHERE seq = 1').get()!.prev_hash;
      for (const row of db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all()) {
        const after = row.after_json === null ? null : (JSON.parse(row.after_json) as Record<string, unknown>);
        if (after && (row.entity_type === 'run' || row.entity_type === 'workflow')) {
          delete after.params;
          delete after.message;
        }
        const next = { ...row, after_json: after === null ? null : canonicalJson(after), prev_hash: prev };
        const hash = entryHash(next);
        db.prepare('UPDATE audit_log SET after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(next.after_json, prev, hash, row.seq);
        prev = hash;
      }
      db.prepare('UPDATE audit_head SET hash = ?').run(prev);
    });
    expect(verify(path)).toMatchObject({ ok: true, entries: 25 });
  });
});
