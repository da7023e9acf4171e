// `resetpath report --workspace`: named owners, remediation and the previous sign-off read from a
// workspace (read-only), and `--sign-off` storing the report with its sign-off. End to end: assign an
// owner, set a remediation item's status and due date, sign off, change the workflow, and see the
// next report's trend list the change. Hostile owner names and notes are neutralised in md, html
// and csv; the POA&M carries the status and due date and still validates.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAccountability, type AccountabilityReport } from '../../analysis/index.ts';
import { accountabilityCsv, accountabilityHtml, accountabilityMarkdown, CSV_ACCOUNTABILITY_COLUMNS, CSV_COLUMNS, oscalPoam, REMEDIATION_CSV_COLUMNS, remediationCsv } from '../../backend/index.ts';
import { Workspace } from '../../storage/index.ts';
import { HOSTILE_NAMES, hostileInputs, PWN } from '../fixtures/hostile-names.ts';
import { validate } from '../models/json-schema.ts';
import { run } from './capture.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LIB = join(ROOT, 'models', 'library');
const WEAK = 'standard-password-reset.weak';
const REPORT_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schemas', 'accountability.schema.json'), 'utf8')) as Record<string, unknown>;
const POAM_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'oscal', 'oscal_poam_schema.json'), 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-report-ws-'));
const wsPath = join(dir, 'gov.resetpath');
const wfFile = join(dir, 'reset.yaml');
const S = ['-s', 's01-osint-vishing', '-s', 's02-executive-pressure'];

const head = () => {
  const ws = Workspace.open(wsPath, { readOnly: true });
  const h = ws.auditHead().seq;
  ws.close();
  return h;
};
const section = (md: string, title: string) => {
  const start = md.indexOf(`## ${title}`);
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next === -1 ? undefined : next);
};

beforeAll(() => {
  // 2026-01-01T00:00:00Z: the report's date, and the date overdue is judged against.
  process.env['SOURCE_DATE_EPOCH'] = '1767225600';
  copyFileSync(join(LIB, `${WEAK}.yaml`), wfFile);
  const ws = Workspace.create(wsPath, { user: 'carol' });
  ws.setOwner({ role: 'proofing_standards_owner', name: 'Identity standards team', contact: 'iam@example.org' });
  ws.setOwner({ role: 'detection_owner', workflow: WEAK, name: 'SOC shift lead' });
  ws.setRemediation({ workflow: WEAK, control: 'proofing.no_pii_kbv', status: 'in_progress', due: '2025-12-15', ticket: 'SEC-101', notes: 'retire KBV script' });
  ws.setRemediation({ workflow: WEAK, control: 'detect.reset_anomaly', status: 'risk_accepted', notes: 'SOC backlog until Q3' });
  ws.close();
});
afterAll(() => {
  delete process.env['SOURCE_DATE_EPOCH'];
  rmSync(dir, { recursive: true, force: true });
});

describe('resetpath report --workspace', () => {
  it('reads named owners, remediation state and the sign-off state without writing to the workspace', async () => {
    const before = head();
    const r = await run('report', wfFile, ...S, '--workspace', wsPath);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(head()).toBe(before);
    expect(r.out.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## Scope and assumptions',
      '## Executive summary',
      '## Trend since the previous sign-off',
      '## Gaps and owners',
      '## Framework references',
      '## Least-friction control set',
      '## Residual risk',
      '## Remediation',
      '## Evidence',
      '## Lint findings',
      '## Sign-off',
    ]);
    expect(section(r.out, 'Trend')).toMatch(/this report is the baseline/);
    const gaps = section(r.out, 'Gaps and owners');
    expect(gaps).toMatch(/\| `proofing\.no_pii_kbv` \|[^\n]*\| Identity standards team \(iam&#64;example&#46;org\) \|[^\n]*\| in progress, due 2025-12-15 \(OVERDUE\), SEC-101 \|/);
    expect(gaps).toMatch(/\| `detect\.reset_anomaly` \|[^\n]*\| SOC shift lead \|/);
    const rem = section(r.out, 'Remediation');
    expect(rem).toMatch(/As of 2026-01-01: \d+ open, 0 planned, 1 in progress, 0 done, 1 risk accepted; \*\*1 overdue\*\*\./);
    expect(rem).toContain('| `standard-password-reset.weak` | `proofing.no_pii_kbv` | Identity standards team (iam&#64;example&#46;org) | in progress | 2025-12-15 **OVERDUE** | SEC-101 | retire KBV script |');
    expect(section(r.out, 'Residual risk')).toMatch(/### Accepted risks\n\n- .*Risk accepted without detect\.reset_anomaly \(Post-reset anomaly detection\): .* Accountable: SOC shift lead \(detection_owner\)\. Notes: SOC backlog until Q3/);
    expect(section(r.out, 'Sign-off')).toMatch(/^## Sign-off\n\nNot signed off\./);
  });

  it('writes the remediation items as CSV, one row per gap', async () => {
    const r = await run('report', wfFile, ...S, '--workspace', wsPath, '--format', 'csv-remediation');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(REMEDIATION_CSV_COLUMNS.join(','));
    expect(lines).toContain(`${WEAK},proofing.no_pii_kbv,No personal data or knowledge answers as proof,proofing_standards_owner,Identity standards team,iam@example.org,in_progress,2025-12-15,yes,SEC-101,retire KBV script,yes,,2026-01-01T00:00:00.000Z,no`);
  });

  it('says in both CSVs, in a last column, that a gap marked done is still found: yes on its row, no on every other', async () => {
    const donePath = join(dir, 'done.resetpath');
    const ws = Workspace.create(donePath, { user: 'carol' });
    ws.setRemediation({ workflow: WEAK, control: 'callback.number_on_file', status: 'done', ticket: 'SEC-202', notes: 'call-back rolled out' });
    ws.setRemediation({ workflow: WEAK, control: 'proofing.no_pii_kbv', status: 'in_progress', due: '2026-03-01' });
    ws.close();
    // The Markdown report says so in words, the POA&M as still being remediated.
    const md = await run('report', wfFile, ...S, '--workspace', donePath);
    expect(section(md.out, 'Gaps and owners')).toMatch(/\| `callback\.number_on_file` \|[^\n]*\| done \(the analysis still finds this gap\), SEC-202 \|/);

    const gaps = await run('report', wfFile, ...S, '--workspace', donePath, '--format', 'csv');
    expect(gaps.code).toBe(0);
    const gapLines = gaps.out.trimEnd().split('\n');
    // Added after every other column, so the positions of the existing ones do not move.
    expect(gapLines[0]).toBe([...CSV_COLUMNS, 'owner_contact', 'remediation_status', 'due', 'overdue', 'ticket', 'done_but_still_found'].join(','));
    expect(CSV_ACCOUNTABILITY_COLUMNS.at(-1)).toBe('done_but_still_found');
    const gapRow = (control: string) => gapLines.find((l) => l.startsWith(`${WEAK},`) && l.split(',')[2] === control)!;
    expect(gapRow('callback.number_on_file')).toMatch(/,done,,no,SEC-202,yes$/);
    expect(gapRow('proofing.no_pii_kbv')).toMatch(/,in_progress,2026-03-01,no,,no$/);
    const rest = gapLines.slice(1).filter((l) => l !== gapRow('callback.number_on_file'));
    expect(rest.length).toBeGreaterThan(1);
    for (const l of rest) expect(l, l).toMatch(/,no$/);

    const items = await run('report', wfFile, ...S, '--workspace', donePath, '--format', 'csv-remediation');
    expect(items.code).toBe(0);
    const itemLines = items.out.trimEnd().split('\n');
    expect(itemLines[0]).toBe('workflow,control,control_name,owner_role,owner_name,owner_contact,status,due,overdue,ticket,notes,recorded,residual_risk,as_of,done_but_still_found');
    expect(itemLines).toContain(`${WEAK},callback.number_on_file,Call-back to the number on file,proofing_standards_owner,unassigned,,done,,no,SEC-202,call-back rolled out,yes,,2026-01-01T00:00:00.000Z,yes`);
    const others = itemLines.slice(1).filter((l) => !l.startsWith(`${WEAK},callback.number_on_file,`));
    expect(others).toHaveLength(gapLines.length - 2);
    for (const l of others) expect(l, l).toMatch(/,no$/);
  });

  it('writes the remediation CSV to a file with CRLF record ends, as RFC 4180 and Excel expect', async () => {
    const out = join(dir, 'items.csv');
    const r = await run('report', wfFile, ...S, '--workspace', wsPath, '--format', 'csv-remediation', '--out', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith(`${REMEDIATION_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('puts the status and due date into the OSCAL POA&M, which still validates', async () => {
    const r = await run('report', wfFile, ...S, '--workspace', wsPath, '--format', 'oscal-poam');
    const poam = JSON.parse(r.out) as { 'plan-of-action-and-milestones': { 'poam-items': { title: string; props: { name: string; value: string }[] }[]; risks: { title: string; status: string; deadline?: string }[] } };
    expect(validate(POAM_SCHEMA, poam)).toEqual([]);
    const p = poam['plan-of-action-and-milestones'];
    const item = p['poam-items'].find((i) => i.title.includes('proofing.no_pii_kbv'))!;
    expect(item.props).toEqual(expect.arrayContaining([{ name: 'remediation-status', value: 'in_progress', ns: expect.any(String) }, expect.objectContaining({ name: 'due-date', value: '2025-12-15' }), expect.objectContaining({ name: 'overdue', value: 'true' }), expect.objectContaining({ name: 'ticket', value: 'SEC-101' })]));
    const risk = p.risks.find((x) => x.title.includes('proofing.no_pii_kbv'))!;
    expect(risk).toMatchObject({ status: 'remediating', deadline: '2025-12-15T23:59:59Z' });
    expect(p.risks.find((x) => x.title.includes('detect.reset_anomaly'))).toMatchObject({ status: 'deviation-approved' });
  });

  it('signs off, then after the workflow changes the trend of the next report lists the gaps it closed', async () => {
    const before = head();
    const out = join(dir, 'signed.md');
    const signed = await run('report', wfFile, ...S, '--workspace', wsPath, '--sign-off', 'Dana Whitfield (CISO)', '--decision', 'remediate', '--justification', 'Fund the call-back and retire KBV this quarter', '--out', out);
    expect(signed.err).toBe('');
    expect(signed.out).toMatch(/^wrote .*signed\.md \(md, \d+ gaps\)\nresetpath report: signed off by Dana Whitfield \(CISO\) \(remediate\): stored as report [0-9a-f-]{36} in .*gov\.resetpath, audit entry \d+\n$/);
    expect(head()).toBe(before + 2);
    const reportId = /stored as report ([0-9a-f-]{36})/.exec(signed.out)![1]!;
    const md = readFileSync(out, 'utf8');
    // Signed when it was signed (the workspace's clock), whatever date the report carries.
    expect(section(md, 'Sign-off')).toMatch(/\| Dana Whitfield \(CISO\) \| \d{4}-\d\d-\d\dT[\d:.]+Z \|/);
    expect(section(md, 'Sign-off')).toContain(`| remediate | Fund the call-back and retire KBV this quarter | \`${reportId}\` |`);

    // The stored snapshot is the JSON report, and `audit verify` vouches for it.
    const ws = Workspace.open(wsPath, { readOnly: true });
    const snap = JSON.parse(ws.getReportSnapshot(reportId)!.content) as AccountabilityReport;
    expect(snap.format).toBe('resetpath/accountability@1');
    expect(ws.listSignOffs()[0]).toMatchObject({ reportId, signedBy: 'Dana Whitfield (CISO)', decision: 'remediate' });
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();

    // The workflow changes: the hardened design, saved under the same id.
    const hardened = readFileSync(join(LIB, 'standard-password-reset.hardened.yaml'), 'utf8').replace(/^id: standard-password-reset\.hardened$/m, `id: ${WEAK}`);
    writeFileSync(wfFile, hardened);
    const next = await run('report', wfFile, ...S, '--workspace', wsPath);
    expect(next.code).toBe(0);
    const trend = section(next.out, 'Trend');
    expect(trend).toMatch(new RegExp(`Against report \`${reportId}\`, signed by Dana Whitfield \\(CISO\\) on [\\dT:.Z-]+ \\(decision: remediate\\)\\.`));
    const counts = /Gaps opened: (\d+); closed: (\d+); unchanged: (\d+); overdue: (\d+) \((\d+) newly\)\./.exec(trend)!;
    expect(Number(counts[2])).toBeGreaterThan(0);
    const closed = trend.split('\n').filter((l) => l.startsWith('| closed |'));
    expect(closed).toHaveLength(Number(counts[2]));
    expect(closed.join('\n')).toContain('`proofing.no_pii_kbv`');
    const json = JSON.parse((await run('report', wfFile, ...S, '--workspace', wsPath, '--format', 'json')).out) as AccountabilityReport;
    // The published schema (accountability@1) describes the new optional fields.
    expect(validate(REPORT_SCHEMA, json)).toEqual([]);
    expect(json.gaps.every((g) => g.remediation !== undefined)).toBe(true);
    expect(json.accountability!.trend!.closed.map((g) => g.control)).toEqual(closed.map((l) => /`([^`]+)`/.exec(l.split('|')[3]!)![1]));
  });

  it('refuses bad input in one located line with exit 2, writing nothing', async () => {
    const before = head();
    const cases: [string[], RegExp][] = [
      [['--sign-off', 'Dana', '--decision', 'accept', '--justification', 'ok'], /^resetpath report: --sign-off stores the report in a workspace; give --workspace <file>\n$/],
      [['--workspace', wsPath, '--sign-off', 'Dana', '--decision', 'ignore', '--justification', 'ok'], /^resetpath report: --decision must be accept, remediate or transfer \(got "ignore"\)\n$/],
      [['--workspace', wsPath, '--sign-off', 'Dana', '--decision', 'accept'], /^resetpath report: --sign-off needs --justification "<why>"\n$/],
      [['--workspace', wsPath, '--sign-off', 'Dana\u202e', '--decision', 'accept', '--justification', 'ok'], /^resetpath report: --sign-off contains bidirectional-override characters/],
      [['--workspace', wsPath, '--decision', 'accept'], /^resetpath report: --decision is the decision of a sign-off; give --sign-off "<name>" too\n$/],
      [['--workspace', join(dir, 'missing.resetpath')], /^resetpath report: --workspace .*missing\.resetpath.*\n$/],
      [['--workspace', wsPath, '--format', 'navigator'], /^resetpath report: --workspace: the Navigator layer carries no owners/],
    ];
    for (const [args, message] of cases) {
      const r = await run('report', wfFile, ...S, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(2);
      expect(r.out).toBe('');
    }
    expect(head()).toBe(before);
  });

  it('stores no sign-off when the requested format cannot be written (a POA&M of a workflow with no gap)', async () => {
    const before = head();
    const r = await run('report', 'standard-password-reset.hardened', ...S, '--workspace', wsPath, '--sign-off', 'Dana', '--decision', 'accept', '--justification', 'ok', '--format', 'oscal-poam');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^resetpath report: no open gap in the workflows analysed/);
    expect(head()).toBe(before);
  });
});

describe('hostile owner names and notes', () => {
  const base = hostileInputs().report;
  const role = base.gaps[0]!.owner.role;
  const r = withAccountability(base, {
    asOf: '2026-01-01T00:00:00.000Z',
    owners: [{ role, workflow: null, name: HOSTILE_NAMES.workflow, contact: HOSTILE_NAMES.scenario }],
    remediation: [
      { workflow: base.gaps[0]!.workflow, control: base.gaps[0]!.control, status: 'risk_accepted', due: null, ticket: HOSTILE_NAMES.file, notes: `${HOSTILE_NAMES.step}\n${HOSTILE_NAMES.long}` },
      ...(base.gaps[1] ? [{ workflow: base.gaps[1].workflow, control: base.gaps[1].control, status: 'planned' as const, due: '2025-01-01', ticket: '=1+1', notes: HOSTILE_NAMES.scenario }] : []),
    ],
    signOff: { reportId: 'r-1', signedBy: HOSTILE_NAMES.workflow, signedAt: '2026-01-01T00:00:00.000Z', decision: 'accept', justification: HOSTILE_NAMES.scenario },
  });

  it('are inert in Markdown: no tag, no javascript: link, no RTL override, no 100k-character line', () => {
    const md = accountabilityMarkdown(r);
    expect(md).not.toMatch(/<(script|img|svg|iframe|a)\b/i);
    expect(md).not.toMatch(/javascript:/i);
    expect(md).not.toContain('\u202e');
    expect(Math.max(...md.split('\n').map((l) => l.length))).toBeLessThan(20_000);
    expect(md).toContain('=HYPERLINK(');
  });

  it('are inert in HTML: escaped text, nothing that runs', () => {
    const html = accountabilityHtml(r);
    expect(html).not.toContain(PWN.replace(/'/g, '&#39;') + '</script>');
    expect(html.match(/<script/gi) ?? []).toHaveLength(0);
    expect(html).not.toMatch(/<[^>]*\son(error|load|mouseover)=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('\u202e');
    expect(html.length).toBeLessThan(base.gaps.length * 40_000 + 400_000);
  });

  it('cannot start a formula in either CSV, and stay one record per gap', () => {
    for (const csv of [accountabilityCsv(r), remediationCsv(r)]) {
      const records = csv.split('\r\n').filter(Boolean);
      expect(records).toHaveLength(r.gaps.length + 1);
      for (const rec of records) for (const cell of rec.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
      expect(csv).not.toContain('\u202e');
    }
  });
});

describe('notes and a justification written over several lines', () => {
  const base = hostileInputs().report;
  const g = base.gaps[0]!;
  const r = withAccountability(base, {
    asOf: '2026-01-01T00:00:00.000Z',
    owners: [],
    remediation: [{ workflow: g.workflow, control: g.control, status: 'risk_accepted', due: null, ticket: null, notes: 'Line one,\nline "two"' }],
    signOff: { reportId: 'r-1', signedBy: 'Dana', signedAt: '2026-01-01T00:00:00.000Z', decision: 'accept', justification: 'Budget next year.\nReviewed by the board.' },
  });

  it('keep their line breaks in every format instead of showing an escape', () => {
    const csv = remediationCsv(r);
    expect(csv).toContain('"Line one,\nline ""two"""');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(r.gaps.length + 1);
    const html = accountabilityHtml(r);
    expect(html).toContain('Line one,<br>line &quot;two&quot;');
    expect(html).toContain('Budget next year.<br>Reviewed by the board.');
    const md = accountabilityMarkdown(r);
    expect(md).toContain('Line one, / line "two"');
    expect(md).toContain('| Budget next year. / Reviewed by the board. |');
    const poam = JSON.stringify(oscalPoam(r));
    expect(poam).toContain('Line one,\\nline \\"two\\"');
    for (const text of [csv, html, md, poam]) expect(text).not.toContain('u{a}');
  });
});
