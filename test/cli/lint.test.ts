// `resetpath lint`: editor-style findings, a stable JSON shape, and exit codes a pipeline can gate on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libraryFiles, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import type { LintReport } from '../../cli/commands/lint.ts';
import { WORKFLOW_CASES, WORKFLOW_FIXTURES, writeGeneratedFixtures } from '../fixtures/invalid-cases.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GENERATED = writeGeneratedFixtures(dir);

const HEADER = `resetpath: workflow/1
id: cli.fixture
name: CLI fixture
account_classes: [standard_employee]
actors:
  - { id: agent, kind: agent }
  - { id: idp, kind: system }
start: intake
`;

/** A workflow that passes every rule: proofing, revocation, notification, full record, review. */
const CLEAN = `${HEADER}steps:
  - id: intake
    kind: intake
    actor: agent
    next: verify
  - id: verify
    kind: proofing
    actor: agent
    controls:
      - control: proofing.ial2
        params: { method: verified_id_facecheck }
        enforcement: system
    next: reset
  - id: reset
    kind: execution
    actor: idp
    action: password_reset
    delivery: email_on_file
    controls:
      - control: session.revoke_on_reset
      - control: notify.out_of_band
        params: { channels: [sms_on_file, manager_email], recipients: all_registered }
      - control: log.immutable
    next: review
  - id: review
    kind: review
    actor: agent
    controls:
      - control: review.post_event
    next: done
  - id: done
    kind: end
`;

/** Only warnings: nothing revokes sessions. */
const WARNS = CLEAN.replace('      - control: session.revoke_on_reset\n', '');

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const NO_STACK = /^\s+at /m;

describe('resetpath lint', () => {
  it('exits 0 and says it passed when a workflow has no findings', async () => {
    const r = await run('lint', write('clean.yaml', CLEAN));
    expect(r.err).toBe('');
    expect(r.out).toContain('1 file checked: 0 errors, 0 warnings, 0 info; passed');
    expect(r.code).toBe(0);
  });

  it('prints file:line:col: severity rule-id message for each finding', async () => {
    const file = write('warns.yaml', WARNS);
    const r = await run('lint', file);
    // The execution step "reset" starts on line 22 ("  - id: reset"), column 5.
    expect(r.out).toContain(`${file}:22:5: warning RP014 the password reset at step "reset" leaves existing sessions and tokens valid`);
    expect(r.out).toContain('fix: session.revoke_on_reset (owner: authentication_owner)');
    expect(r.out).toContain('maps to: CSF 2.0 RS.MI-01');
  });

  it('exits 0 on warnings by default and 1 when --fail-on warning', async () => {
    const file = write('warns2.yaml', WARNS);
    expect((await run('lint', file)).code).toBe(0);
    expect((await run('lint', file, '--fail-on', 'warning')).code).toBe(1);
    expect((await run('lint', file, '--fail-on', 'info')).code).toBe(1);
  });

  it('exits 1 on the bundled weak workflows, whose findings include errors', async () => {
    const weak = libraryFiles(WORKFLOW_LIBRARY_DIR).filter((f) => f.endsWith('.weak.yaml'));
    expect(weak.length).toBeGreaterThan(0);
    const r = await run('lint', ...weak);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/: error RP\d{3} /);
  });

  it('lints the whole bundled library given as relative paths, as `npx resetpath lint models/library/*.yaml` does', async () => {
    const files = libraryFiles(WORKFLOW_LIBRARY_DIR).map((f) => relative(process.cwd(), f));
    const r = await run('lint', ...files);
    expect(r.err).toBe('');
    expect([0, 1]).toContain(r.code);
    expect(r.out).toContain(`${files.length} files checked`);
  });

  it('writes a stable JSON report with positions, fixes, owners and mappings', async () => {
    const file = write('warns3.yaml', WARNS);
    const r = await run('lint', file, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as LintReport;
    expect(report.format).toBe('resetpath-lint/1');
    expect(report.failOn).toBe('error');
    expect(report.summary).toEqual({ files: 1, invalid: 0, error: 0, warning: 1, info: 0, failed: false });
    const f = report.files[0]!;
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.workflow).toEqual({ id: 'cli.fixture', name: 'CLI fixture', variant: 'custom' });
    expect(f.findings).toHaveLength(1);
    const finding = f.findings[0]!;
    expect(finding).toMatchObject({
      file,
      line: 22,
      column: 5,
      rule: 'RP014',
      name: 'no-session-revocation',
      severity: 'warning',
      path: 'steps[2]',
      step: 'reset',
      fixes: ['session.revoke_on_reset'],
      owners: ['authentication_owner'],
    });
    expect(finding.mappings).toContainEqual(expect.objectContaining({ framework: 'csf', version: '2.0', id: 'RS.MI-01', confidence: 'C', fit: 'direct', existence: { status: 'confirmed', source: 'csf-2.0' } }));
  });

  it('keeps linting the other files when one cannot be loaded, and exits 2', async () => {
    const good = write('good.yaml', CLEAN);
    const r = await run('lint', good, join(dir, 'missing.yaml'), '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as LintReport;
    expect(report.summary.invalid).toBe(1);
    expect(report.files[1]).toEqual({ file: join(dir, 'missing.yaml'), ok: false, issues: [{ file: join(dir, 'missing.yaml'), path: '', message: 'file not found' }] });
  });

  it('exits 2 on an unknown --format or --fail-on value', async () => {
    expect((await run('lint', write('x.yaml', CLEAN), '--format', 'xml')).code).toBe(2);
    expect((await run('lint', write('y.yaml', CLEAN), '--fail-on', 'fatal')).code).toBe(2);
  });
});

describe('resetpath lint on malformed workflow files', () => {
  it.each(Object.entries(WORKFLOW_CASES))('exits 2 on %s with the located error and no stack trace', async (name, e) => {
    const file = join(WORKFLOW_FIXTURES, name);
    const r = await run('lint', file);
    expect(r.code).toBe(2);
    expect(r.all).not.toMatch(NO_STACK);
    expect(r.err).toContain(e.message);
    if (e.line !== undefined && e.column !== undefined) expect(r.err).toContain(`${file}:${e.line}:${e.column}: `);
    else if (e.line !== undefined) expect(r.err).toContain(`${file}:${e.line}:`);
    else expect(r.err).toContain(`${file}: `);
  });

  it.each(Object.entries(GENERATED))('exits 2 on the generated %s with the file named and no stack trace', async (name, e) => {
    const file = join(dir, name);
    const r = await run('lint', file);
    expect(r.code).toBe(2);
    expect(r.all).not.toMatch(NO_STACK);
    expect(r.err).toContain(e.line !== undefined ? `${file}:${e.line}:${e.column ?? 1}: ` : `${file}: `);
    expect(r.err).toContain(e.message);
  });
});
