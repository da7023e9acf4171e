// The external witness: without a key, whoever can write the workspace can rewrite its whole audit
// chain with recomputed hashes, and the chain alone then verifies. A report exported from the
// workspace carries the chain's head (entry count and hash); `resetpath audit verify --against
// <report.json>` fails unless the chain still holds that head at that position.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisReportSchema } from '../../analysis/index.ts';
import { main } from '../../cli/main.ts';
import { reportExport } from '../../renderer/compute/computeResults.ts';
import { entryHash, Workspace, type AuditRow } from '../../storage/index.ts';
import { raw } from '../storage/helpers.ts';
import { newService, tempDir } from './helpers.ts';

const WEAK = 'standard-password-reset.weak';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'resetpath', ...args], { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {}, color: false });
  return { code, out, err };
}

function headOf(path: string): { seq: number; hash: string } {
  const ws = Workspace.open(path, { readOnly: true });
  try {
    return ws.auditHead();
  } finally {
    ws.close();
  }
}

/** A workspace with a setting and a saved run, and the report the UI would export from that run. */
async function exported(): Promise<{ path: string; report: string }> {
  const { service, path } = newService({ analysis: 'inline' });
  await service.api['settings.set']({ key: 'theme', value: 'dark' });
  const res = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: ['s01-osint-vishing'], save: true });
  const { fileName, text } = reportExport(res.report.workflows[0]!, { runId: res.runId, stale: false, changes: new Map() }, res.auditHead);
  const report = join(tempDir(), fileName);
  writeFileSync(report, text);
  service.close();
  return { path, report };
}

/**
 * Rewrites the setting's value in its audit entry and in the settings table, then recomputes every
 * later hash and the recorded head: a consistent forgery, as someone who read storage/audit.ts would.
 */
function rewriteChain(path: string): void {
  const db = raw(path);
  db.exec('DROP TRIGGER audit_log_no_update');
  const rows = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
  let prev = rows[0]!.prev_hash;
  for (const row of rows) {
    const forged = { ...row, prev_hash: prev, after_json: row.entity_type === 'setting' ? '"light"' : row.after_json };
    const hash = entryHash(forged);
    db.prepare('UPDATE audit_log SET after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(forged.after_json, prev, hash, row.seq);
    prev = hash;
  }
  db.prepare("UPDATE settings SET value_json = '\"light\"' WHERE key = 'theme'").run();
  db.prepare('UPDATE audit_head SET hash = ?').run(prev);
  db.close();
}

describe('the audit head as an external witness', () => {
  it('is returned by analysis.run after the run is saved, and by analysis.get', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const res = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: ['s01-osint-vishing'], save: true });
    const got = await service.api['analysis.get']({ runId: res.runId! });
    service.close();
    const head = headOf(path);
    expect(head.seq).toBe(8); // creation (7 entries) and the run
    expect(res.auditHead).toEqual(head);
    expect(got.auditHead).toEqual(head);
  });

  it('is written into the report the UI exports, which still parses as resetpath/analysis@2', async () => {
    const { path, report } = await exported();
    const doc = analysisReportSchema.parse(JSON.parse(readFileSync(report, 'utf8')));
    expect(doc.auditHead).toEqual(headOf(path));
  });

  it('lets `audit verify --against <report>` detect a full rewrite of the chain with recomputed hashes, which verifies without it', async () => {
    const { path, report } = await exported();
    const before = await cli('audit', 'verify', path, '--against', report);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(new RegExp(`; holds the head recorded in ${report} \\(entry 9\\)\\n$`));

    rewriteChain(path);
    const alone = await cli('audit', 'verify', path);
    expect(alone.code, 'a consistent rewrite verifies without a witness: that is why the witness exists').toBe(0);
    const r = await cli('audit', 'verify', path, '--against', report);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^FAILED: ${path}: first bad entry 9: audit entry 9 differs from the head recorded in ${report} \\(hash [0-9a-f]{12}, found [0-9a-f]{12}\\): the log was rewritten`));
  });

  it('detects the chain cut back below the head a report recorded', async () => {
    const { path, report } = await exported();
    const db = raw(path);
    db.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 9; DELETE FROM runs; UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_log WHERE seq = 8)");
    db.close();
    expect((await cli('audit', 'verify', path)).code).toBe(0);
    const r = await cli('audit', 'verify', path, '--against', report);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/audit entry 9 from the head recorded in .* is missing: the log ends at entry 8/);
  });

  it('also takes the JSON of `audit verify` and `audit log` as witnesses', async () => {
    const { path } = await exported();
    const dir = tempDir();
    const verified = join(dir, 'verify.json');
    const logged = join(dir, 'log.json');
    writeFileSync(verified, (await cli('audit', 'verify', path, '--format', 'json')).out);
    writeFileSync(logged, (await cli('audit', 'log', path, '--format', 'json')).out);
    expect((await cli('audit', 'verify', path, '--against', verified, '--against', logged)).code).toBe(0);
    rewriteChain(path);
    expect((await cli('audit', 'verify', path, '--against', logged)).code).toBe(1);
  });

  it('refuses a witness file that is not JSON or records no head with one line naming it, exit 2', async () => {
    const { path } = await exported();
    const dir = tempDir();
    const cases: [string, string, RegExp][] = [
      ['notes.txt', 'just notes', /^resetpath audit: .*notes\.txt: is not JSON \(.*\); pass a report exported from the workspace\n$/],
      ['cli.json', JSON.stringify({ format: 'resetpath/analysis@2', workflows: [] }), /^resetpath audit: .*cli\.json: records no audit head \("auditHead" with seq and hash\)/],
      ['bad.json', JSON.stringify({ auditHead: { seq: -1, hash: 'x' } }), /^resetpath audit: .*bad\.json: its audit head must have "seq", a whole number, and "hash", 64 hex digits\n$/],
    ];
    for (const [name, text, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = await cli('audit', 'verify', path, '--against', file);
      expect(r.code, name).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    }
    expect((await cli('audit', 'verify', path, '--against', join(dir, 'missing.json'))).err).toMatch(/missing\.json: no such file\n$/);
  });
});
