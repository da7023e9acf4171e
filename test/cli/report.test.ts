// `resetpath report` writes the accountability report a governance team reads: per gap the control,
// its owner role, exact path counts, framework references and evidence, in Markdown, CSV and JSON.
// Checked on two bundled weak workflows against the analysis it is built from, and on a workflow
// whose names were never checked by a loader (hostile names) in every format.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountabilityReportSchema, analyzeWorkflow, buildAccountabilityReport, countIn, minutesText, type AccountabilityReport, type AnalysisReport } from '../../analysis/index.ts';
import { accountabilityCsv, accountabilityMarkdown, CSV_COLUMNS, csvCell, loadBundledScenarios, loadBundledWorkflows, runAnalysis } from '../../backend/index.ts';
import { jsonOut } from '../../cli/text.ts';
import { formatRef, getControl, lintWorkflow, OWNER_ROLES, type Workflow } from '../../models/index.ts';
import { validate } from '../models/json-schema.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKFLOWS = ['standard-password-reset.weak', 'outsourced-service-desk.weak'];
const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'accountability.schema.json'), 'utf8')) as Record<string, unknown>;

/** An RFC 4180 reader: quoted fields with doubled quotes, CRLF or LF record ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** The section headings of a Markdown document, in order. */
const headings = (md: string) => md.split('\n').filter((l) => /^## /.test(l));

/** The rows of the Markdown's "Gaps and owners" section. */
function gapsSection(md: string): string {
  return md.slice(md.indexOf('## Gaps and owners'), md.indexOf('## Framework references'));
}

let analysis: AnalysisReport;
let doc: AccountabilityReport;
let md: string;
let csv: string;
let json: string;

beforeAll(async () => {
  process.env['SOURCE_DATE_EPOCH'] = '1767225600';
  const res = runAnalysis({ workflows: WORKFLOWS, scenarios: [] });
  if (!res.ok) throw new Error('bundled workflows must load');
  analysis = res.report;
  const m = await run('report', ...WORKFLOWS);
  const c = await run('report', ...WORKFLOWS, '--format', 'csv');
  const j = await run('report', ...WORKFLOWS, '--format', 'json');
  for (const r of [m, c, j]) expect(r.err).toBe('');
  md = m.out;
  csv = c.out;
  json = j.out;
  doc = JSON.parse(json) as AccountabilityReport;
}, 120_000);
afterAll(() => {
  delete process.env['SOURCE_DATE_EPOCH'];
});

describe('resetpath report --format md', () => {
  it('has the sections a governance team reads, in order', () => {
    expect(headings(md)).toEqual(['## Scope and assumptions', '## Executive summary', '## Gaps and owners', '## Framework references', '## Least-friction control set', '## Residual risk', '## Evidence', '## Lint findings']);
  });

  it('agrees its verb with one scenario ending in a takeover', async () => {
    const r = await run('report', 'service-account-key-reset.weak');
    expect(r.out).toMatch(/- 1 of \d+ scenarios ends in a takeover/);
  });

  it('says how its counts overlap, and why a control that only blocks jointly or contributes has no status counted', () => {
    const section = gapsSection(md);
    expect(section).toContain('one path can count under more than one');
    const joint = doc.gaps.filter((g) => Object.keys(g.statuses).length === 0);
    expect(joint.length).toBeGreaterThan(0);
    for (const g of joint) {
      const part = section.slice(section.indexOf(`(\`${g.workflow}\`)`)).split('\n### ')[0]!;
      const row = part.split('\n').find((l) => l.startsWith(`| \`${g.control}\` |`))!;
      expect(row, g.control).toContain('| not counted (blocks only jointly or contributes) |');
    }
  });

  it('puts every CSF and SP 800-53 reference of a gap in that gap\'s row, with the owner role\'s title and "unassigned"', () => {
    const section = gapsSection(md);
    let csf = 0;
    let sp = 0;
    for (const wf of WORKFLOWS) {
      const part = section.slice(section.indexOf(`(\`${wf}\`)`)).split('\n### ')[0]!;
      for (const g of doc.gaps.filter((x) => x.workflow === wf)) {
        const rows = part.split('\n').filter((l) => l.startsWith(`| \`${g.control}\` |`));
        expect(rows, `${wf} ${g.control}`).toHaveLength(1);
        const def = getControl(g.control);
        expect(rows[0]).toContain(OWNER_ROLES[def.owner].replace(/&/g, '&amp;'));
        expect(rows[0]).toContain('| unassigned |');
        for (const m of def.mappings.filter((x) => x.framework === 'csf' || x.framework === 'sp800-53')) {
          expect(rows[0], `${g.control} ${m.id}`).toContain(formatRef(m).replace(/&/g, '&amp;'));
          if (m.framework === 'csf') csf++;
          else sp++;
        }
      }
    }
    // The issue's complaint: `... --format md | grep CSF` found nothing.
    expect(csf).toBeGreaterThan(0);
    expect(sp).toBeGreaterThan(0);
    expect(section).toMatch(/\| `callback\.number_on_file` \|.*CSF 2\.0 PR\.AA-02.*SP 800-53 r5 IA-12\(5\)/);
  });

  it('states the scope: every scenario with its capabilities, and that the count is exhaustive', () => {
    const scope = md.slice(md.indexOf('## Scope and assumptions'), md.indexOf('## Executive summary'));
    for (const s of loadBundledScenarios()) expect(scope).toContain(`| \`${s.id}\` |`);
    expect(scope).toContain('osint_personal_data, caller_id_spoofing');
    expect(scope).toContain('**Exhaustive:** yes');
    // What "verified" rests on: the catalogue's defeat rules, not attacks outside them.
    expect(scope).toContain("the control sets are verified against the catalogue's rules, not against attacks outside them");
  });

  it('says what each workflow\'s takeovers yield and, for a chained takeover, every stage and what the chain unlocks, as the analysis has them', () => {
    const summary = md.slice(md.indexOf('## Executive summary'), md.indexOf('## Gaps and owners'));
    for (const w of analysis.workflows) {
      const row = doc.summary.perWorkflow.find((p) => p.workflow === w.id)!;
      for (const s of w.scenarios) {
        const o = row.outcomes.find((x) => x.scenario === s.scenario)!;
        expect(o.yields, `${w.id} ${s.scenario}`).toBe(s.takeover?.name);
        if (s.takeover) expect(summary).toContain(`\`${s.scenario}\``);
      }
      // S20 takes over an agent, then an administrator through the same desk: both stages, the
      // complete chain and its blast radius (the admin console and the identity provider) are named.
      const s20 = w.scenarios.find((s) => s.scenario === 's20-agent-then-admin-campaign')!;
      if (s20.campaign?.stages[0]?.outcome !== 'takeover_undetected') continue;
      const c = row.outcomes.find((x) => x.scenario === s20.scenario)!.campaign!;
      expect(c.stages.map((st) => [st.stage, st.targetClass, st.outcome, st.paths])).toEqual(s20.campaign.stages.map((st) => [st.stage, st.targetClass, st.outcome, st.paths]));
      expect(c.blastRadius).toEqual(s20.campaign.blastRadius);
      expect(c.blastRadius).toEqual(expect.arrayContaining(['admin_console', 'identity_provider_configuration']));
      const line = summary.split('\n').find((l) => l.startsWith(`- Chained takeover \`${s20.scenario}\``))!;
      expect(line).toMatch(/stage 1 support_agent .*→ stage 2 privileged_admin .*taken over, undetected/);
      expect(line).toContain(`the chain unlocks ${c.blastRadius.join(', ')}`);
    }
    // A chain whose first stage never took over (not applicable here) is not listed as one.
    expect(summary).not.toContain('Chained takeover `s28-carrier-sim-change-campaign`');
  });

  it('gives the least-friction set the analysis verified, per workflow', () => {
    for (const w of analysis.workflows) {
      const lf = w.minimalSets.leastFriction!;
      expect(md).toContain(`(\`${w.id}\`): ${lf.controls.map((c) => `\`${c}\``).join(' + ')}, ≈${minutesText(lf.expectedMinutes)} min`);
    }
  });

  it('lists each workflow\'s lint findings by rule id', () => {
    const lint = md.slice(md.indexOf('## Lint findings'));
    for (const wf of loadBundledWorkflows().filter((w) => WORKFLOWS.includes(w.id))) {
      const findings = lintWorkflow(wf);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) expect(lint).toContain(`| \`${f.rule}\` ${f.name} |`);
    }
  });
});

describe('resetpath report --format csv', () => {
  it('parses back as RFC 4180 with the header and one row per gap, counts exactly as the analysis has them', () => {
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(doc.gaps.length);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const keys = body.map((r) => `${r[col('workflow')]} ${r[col('control')]}`);
    expect(new Set(keys).size).toBe(keys.length);
    let closing = 0;
    for (const r of body) {
      expect(r).toHaveLength(CSV_COLUMNS.length);
      const c = analysis.workflows.find((w) => w.id === r[col('workflow')])!.controls.find((x) => x.control === r[col('control')])!;
      expect(r[col('blocks_paths')]).toBe(String(c.blocksPaths));
      expect(r[col('joint_paths')]).toBe(String(c.jointPaths));
      expect(r[col('detects_paths')]).toBe(String(c.detectsPaths));
      expect(r[col('contributes_paths')]).toBe(String(c.contributesPaths));
      expect(r[col('owner_role_title')]).toBe(c.ownerTitle);
      if (countIn(c.blocksPaths) > 0n) closing++;
    }
    // Every control the analysis names as closing, detecting or contributing has its row.
    const named = analysis.workflows.flatMap((w) => w.controls.filter((c) => countIn(c.blocksPaths) + countIn(c.jointPaths) + countIn(c.detectsPaths) + countIn(c.contributesPaths) > 0n).map((c) => `${w.id} ${c.control}`));
    expect(keys.sort()).toEqual(named.sort());
    expect(closing).toBeGreaterThan(0);
  });

  it('neutralises a cell a spreadsheet would read as a formula, and quotes by RFC 4180', () => {
    expect(csvCell('=cmd|\' /C calc\'!A0')).toBe('\'=cmd|\' /C calc\'!A0');
    for (const lead of ['+', '-', '@']) expect(csvCell(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(csvCell('\tx')).toBe('\'\\u{9}x');
    expect(csvCell('\r=1')).toBe('\'\\u{d}=1');
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes counts past 2^53 as exact decimal strings', () => {
    const big = structuredClone(doc);
    big.gaps[0]!.blocksPaths = '10035028776102458818560';
    const row = parseCsv(accountabilityCsv(big))[1]!;
    expect(row[CSV_COLUMNS.indexOf('blocks_paths')]).toBe('10035028776102458818560');
    expect(accountabilityMarkdown(big)).toContain('10,035,028,776,102,458,818,560 (1.0 x 10^22)');
  });
});

describe('resetpath report --format json', () => {
  it('validates against the published schemas/accountability.schema.json and the zod schema', () => {
    expect(doc.format).toBe('resetpath/accountability@1');
    expect(doc.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(validate(SCHEMA, doc)).toEqual([]);
    expect(accountabilityReportSchema.safeParse(doc).success).toBe(true);
    expect(doc.scope.workflows.map((w) => w.id)).toEqual(WORKFLOWS);
  });

  it('is refused by the schema with an effect the report never writes or a field it does not know', () => {
    const wrong = structuredClone(doc) as unknown as { gaps: { effect: string }[]; extra?: boolean };
    wrong.gaps[0]!.effect = 'prevents';
    expect(validate(SCHEMA, wrong).join('\n')).toContain('effect');
    const extra = structuredClone(doc) as unknown as Record<string, unknown>;
    extra['extra'] = true;
    expect(validate(SCHEMA, extra)).not.toEqual([]);
  });

  it('sums the executive summary from the per-workflow counts of the analysis', () => {
    for (const w of analysis.workflows) {
      const s = doc.summary.perWorkflow.find((x) => x.workflow === w.id)!;
      expect(s.paths).toEqual(w.totals.paths);
      expect(s.scenariosWithTakeover).toBe(w.totals.scenariosWithTakeover);
      expect(s.leastFriction?.controls).toEqual(w.minimalSets.leastFriction?.controls);
    }
    expect(BigInt(doc.summary.paths)).toBe(analysis.workflows.reduce((t, w) => t + countIn(w.totals.paths), 0n));
  });

  it('cites for each gap the classes behind it, each with its first example path and the steps it walked', () => {
    for (const g of doc.gaps) {
      expect(g.evidence.length, g.control).toBeGreaterThan(0);
      const w = analysis.workflows.find((x) => x.id === g.workflow)!;
      for (const e of g.evidence) {
        const k = w.scenarios.find((s) => s.scenario === e.scenario)!.classes.find((c) => c.id === e.class)!;
        expect(e.example.id).toBe(k.examples[0]!.id);
        expect(e.example.trace).toEqual(k.examples[0]!.route.map((r) => w.stepNames[r.step]));
      }
    }
  });
});

/** Names a revision stored before names were checked could carry: markup, a script link, RTL override, a formula. */
const HOSTILE = {
  name: '=cmd|\' /C calc\'!A0 <script>alert(1)</script> [x](javascript:alert(2))',
  step: 'Knowledge \u202eseuq <img src=x onerror=alert(3)>',
  scenario: '@SUM(1+1) \u202eRTL scenario',
  file: '+evil.yaml',
};

function hostileReport(): AccountabilityReport {
  const base = loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!;
  const wf: Workflow = structuredClone(base);
  wf.name = HOSTILE.name;
  wf.file = HOSTILE.file;
  wf.steps['verify']!.name = HOSTILE.step;
  const scenarios = loadBundledScenarios()
    .filter((s) => s.id === 's01-osint-vishing')
    .map((s) => ({ ...s, name: HOSTILE.scenario }));
  return buildAccountabilityReport([analyzeWorkflow(wf, scenarios)], { [wf.id]: lintWorkflow(wf) }, { generatedAt: '2026-01-01T00:00:00Z', toolVersion: 'test', scenarios });
}

describe('resetpath report with hostile names', () => {
  const r = hostileReport();
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('carries the hostile step name into the evidence (so the checks below see it)', () => {
    expect(r.gaps.some((g) => g.evidence.some((e) => e.example.trace.includes(HOSTILE.step)))).toBe(true);
  });

  it('writes no markup, script link or raw override in Markdown', () => {
    const out = accountabilityMarkdown(r);
    expect(out).not.toMatch(RAW);
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/javascript:/i);
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('\\u{202e}');
  });

  it('starts no CSV cell with a formula character and writes no raw override', () => {
    const out = accountabilityCsv(r);
    expect(out.replace(/\r\n/g, '\n')).not.toMatch(RAW);
    const rows = parseCsv(out);
    expect(rows.length).toBe(r.gaps.length + 1);
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    const names = rows.slice(1).map((row) => row[CSV_COLUMNS.indexOf('workflow_name')]);
    expect(new Set(names)).toEqual(new Set([`'${HOSTILE.name}`]));
  });

  it('keeps the names in JSON as data, with the override escaped', () => {
    const out = jsonOut(r);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('\\u202e');
    const back = JSON.parse(out) as AccountabilityReport;
    expect(back.scope.workflows[0]!.name).toBe(HOSTILE.name);
    expect(back.scope.scenarios[0]!.name).toBe(HOSTILE.scenario);
    expect(validate(SCHEMA, back)).toEqual([]);
  });
});

describe('resetpath report: exit codes and conditional findings, as analyze', () => {
  it('exits 1 with --fail-on any when a takeover path exists, after writing the report', async () => {
    const r = await run('report', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'json', '--fail-on', 'any');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as AccountabilityReport).gaps.length).toBeGreaterThan(0);
    expect(r.err).toBe('resetpath: takeover paths exist for at least one account class (--fail-on any)\n');
    const hardened = await run('report', 'standard-password-reset.hardened', '-s', 's01-osint-vishing', '--fail-on', 'any');
    expect(hardened.code).toBe(0);
  });

  it('exits 2 with one located line for a workflow that is neither a file nor a bundled id', async () => {
    const r = await run('report', join(dir, 'nope.yaml'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('nope.yaml');
  });

  it('marks the evidence of a class that depends on an unknown of the workflow CONDITIONAL, naming the unknowns', async () => {
    const j = await run('report', 'customer-account-recovery.weak', '-s', 's27-forged-id-web-form', '--format', 'json');
    const d = JSON.parse(j.out) as AccountabilityReport;
    const ev = d.gaps.flatMap((g) => g.evidence);
    expect(ev.length).toBeGreaterThan(0);
    // S27 opens only through the intake's unknown channel: every class is conditional.
    for (const e of ev) expect(e.conditional.join('; ')).toContain('the intake accepts ticket_portal only as an unknown channel');
    const m = await run('report', 'customer-account-recovery.weak', '-s', 's27-forged-id-web-form');
    expect(m.out).toMatch(/\| `s27-forged-id-web-form#1` \| \d+ \| [a-z ]+ \(CONDITIONAL: the intake accepts ticket_portal only as an unknown channel/);
    // A workflow without unknowns has no conditional evidence.
    expect(doc.gaps.flatMap((g) => g.evidence).every((e) => e.conditional.length === 0)).toBe(true);
  });
});

describe('resetpath report: residual risk', () => {
  it('lists each class with paths no set of up to three controls closes, with that exact count', () => {
    const scenarios = loadBundledScenarios().filter((s) => s.id === 's01-osint-vishing' || s.id === 's10-outsourced-desk');
    const a = analyzeWorkflow(loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!, scenarios);
    const k = a.scenarios.find((s) => s.classes.length > 0)!.classes[0]!;
    // The bundled library has no unclosable path: mark one class's paths unclosable as the engine would.
    k.unclosable = 2n ** 60n;
    const r = buildAccountabilityReport([a], {}, { generatedAt: 'now', toolVersion: 'test', scenarios });
    expect(r.residual).toEqual([{ workflow: 'standard-password-reset.weak', scenario: k.id.split('#')[0], class: k.id, unclosablePaths: '1152921504606846976' }]);
    expect(accountabilityMarkdown(r)).toContain(`| \`${k.id}\` | 1,152,921,504,606,846,976 (1.1 x 10^18) |`);
    expect(validate(SCHEMA, JSON.parse(jsonOut(r)))).toEqual([]);
  });
});

describe('resetpath report of a workflow file with hostile names the loader accepts', () => {
  it('neutralises markup, a script link and a leading formula in Markdown and CSV', async () => {
    const file = join(dir, 'hostile.yaml');
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'models', 'library', 'standard-password-reset.weak.yaml'), 'utf8').replace(/^name: .*$/m, `name: ${JSON.stringify(HOSTILE.name)}`);
    writeFileSync(file, text);
    const m = await run('report', file, '-s', 's01-osint-vishing');
    expect(m.code).toBe(0);
    expect(m.out).toContain('&lt;script&gt;');
    expect(m.out).not.toContain('<script');
    expect(m.out).not.toMatch(/javascript:/i);
    const c = await run('report', file, '-s', 's01-osint-vishing', '--format', 'csv');
    const rows = parseCsv(c.out);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[1]![CSV_COLUMNS.indexOf('workflow_name')]).toBe(`'${HOSTILE.name}`);
  });
});

describe('resetpath report --out', () => {
  it('refuses a directory with one line and exit 2, leaving it as it was', async () => {
    const target = join(dir, 'a-dir');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'x');
    const r = await run('report', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--out', target);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`resetpath report: --out ${target} is a directory; give a file path\n`);
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it('refuses a path whose folder does not exist', async () => {
    const r = await run('report', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--out', join(dir, 'missing', 'r.md'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('does not exist');
  });

  it('replaces an existing file with the whole report and leaves no temporary file', async () => {
    const sub = join(dir, 'out');
    mkdirSync(sub);
    const file = join(sub, 'gaps.csv');
    writeFileSync(file, 'old');
    const r = await run('report', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'csv', '--out', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*gaps\.csv \(csv, \d+ gaps\)\n$/);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const stdout = await run('report', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'csv');
    expect(text).toBe(stdout.out.replace(/\n/g, '\r\n'));
    expect(readdirSync(sub)).toEqual(['gaps.csv']);
  });

  it('refuses an unknown format with exit 2 before analysing', async () => {
    const r = await run('report', 'standard-password-reset.weak', '--format', 'docx');
    expect(r.code).toBe(2);
    expect(r.err).toBe('resetpath report: --format must be md, html, pdf, csv, csv-remediation, json, navigator, oscal-ar or oscal-poam (got "docx")\n');
  });
});
