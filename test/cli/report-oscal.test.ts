// `resetpath report --format oscal-ar | oscal-poam`: the accountability report as OSCAL 1.0.6
// assessment results and plan of action and milestones, validated against NIST's released JSON
// schemas (test/fixtures/oscal/, copied from usnistgov/OSCAL v1.0.6 with its licence). Checked on two
// bundled weak workflows: every gap a finding, a risk with its owner role responsible, and a
// poam-item; every path class behind a gap an observation; identifiers stable from one run to the
// next; hostile names (markup, scripts, links, RTL override, a 100,000-character name, a hostile
// owner name) written as escaped text that still validates; a chained takeover (S20 on the weak
// standard reset: an agent taken over, then an administrator) said in the observations of its path
// classes and the risks they are evidence for, as the accountability report's campaign has it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCount, type AccountabilityReport } from '../../analysis/index.ts';
import { OSCAL_NS, oscalAssessmentResults, oscalPoam, uuidV5 } from '../../backend/index.ts';
import { chainText } from '../../backend/report/markdown.ts';
import { jsonOut, markdownText } from '../../cli/text.ts';
import { HOSTILE_NAMES, hostileInputs, PWN } from '../fixtures/hostile-names.ts';
import { validate } from '../models/json-schema.ts';
import { run } from './capture.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'oscal');
const AR_SCHEMA = JSON.parse(readFileSync(join(FIXTURES, 'oscal_assessment-results_schema.json'), 'utf8')) as Record<string, unknown>;
const POAM_SCHEMA = JSON.parse(readFileSync(join(FIXTURES, 'oscal_poam_schema.json'), 'utf8')) as Record<string, unknown>;
const WORKFLOWS = ['standard-password-reset.weak', 'outsourced-service-desk.weak'];
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

type Json = Record<string, any>;
type Campaign = NonNullable<AccountabilityReport['summary']['perWorkflow'][number]['outcomes'][number]['campaign']>;

const S20 = 's20-agent-then-admin-campaign';
const CHAIN_PROPS = ['chain-stages', 'chain-paths', 'chain-outcome', 'chain-yields', 'blast-radius'];
const propsOf = (x: Json, name: string) => ((x.props ?? []) as Json[]).filter((p) => p.name === name).map((p) => p.value as string);
const campaignOf = (d: AccountabilityReport, workflow: string, scenario: string) => d.summary.perWorkflow.find((w) => w.workflow === workflow)!.outcomes.find((o) => o.scenario === scenario)!.campaign;

let doc: AccountabilityReport;
let ar: Json;
let poam: Json;

beforeAll(async () => {
  doc = JSON.parse((await run('report', ...WORKFLOWS, '--format', 'json')).out) as AccountabilityReport;
  const a = await run('report', ...WORKFLOWS, '--format', 'oscal-ar');
  const p = await run('report', ...WORKFLOWS, '--format', 'oscal-poam');
  expect([a.code, p.code, a.err, p.err]).toEqual([0, 0, '', '']);
  ar = JSON.parse(a.out) as Json;
  poam = JSON.parse(p.out) as Json;
});

/** A document's strings, each checked to be escaped text: no tag, link or script, and no raw control or override character. */
function escapedStrings(d: Json): string[] {
  expect(jsonOut(d)).not.toMatch(RAW);
  const values: string[] = [];
  JSON.stringify(d, (_k, v) => (typeof v === 'string' ? (values.push(v), v) : v));
  for (const v of values) {
    expect(v).not.toMatch(/<\s*(script|img|svg|iframe|a)\b/i);
    expect(v).not.toMatch(/javascript:/i);
    expect(v).not.toMatch(RAW);
  }
  return values;
}

describe('uuidV5', () => {
  it('gives the RFC 4122 v5 UUIDs (the RFC 4122 erratum 1352 and Python uuid5 examples)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

describe('resetpath report --format oscal-ar', () => {
  it('validates against NIST\'s OSCAL 1.0.6 assessment-results schema', () => {
    expect(validate(AR_SCHEMA, ar)).toEqual([]);
    expect(ar['assessment-results'].metadata['oscal-version']).toBe('1.0.6');
  });

  it('is refused by that schema with a broken UUID, timestamp or a field OSCAL does not have (so the validation means something)', () => {
    const broken = [
      (d: Json) => (d['assessment-results'].uuid = 'not-a-uuid'),
      (d: Json) => (d['assessment-results'].results[0].start = '5 December 2026'),
      (d: Json) => (d['assessment-results'].results[0].findings[0].owner = 'x'),
      (d: Json) => (d['assessment-results'].results[0].findings[0].target.status.state = 'fine'),
      (d: Json) => delete d['assessment-results'].metadata.title,
      (d: Json) => (d['assessment-results'].results[0].findings[0].props[0].value = ' padded '),
    ];
    for (const b of broken) {
      const d = structuredClone(ar);
      b(d);
      expect(validate(AR_SCHEMA, d).length, String(b)).toBeGreaterThan(0);
    }
  });

  it('makes each gap a finding on its control, not satisfied, with its framework references, observations and risk', () => {
    const r = ar['assessment-results'].results[0];
    expect(r.findings).toHaveLength(doc.gaps.length);
    const obs = new Set(r.observations.map((o: Json) => o.uuid));
    const risks = new Map(r.risks.map((x: Json) => [x.uuid, x]));
    doc.gaps.forEach((g, i) => {
      const f = r.findings[i];
      expect(f.target).toMatchObject({ type: 'objective-id', 'target-id': g.control, status: { state: 'not-satisfied' } });
      expect(f.props.filter((p: Json) => p.name === 'framework-reference').map((p: Json) => [p.value, p.class])).toEqual(g.references.map((m) => [m.label, m.fit]));
      expect(f.props.find((p: Json) => p.name === 'blocks-paths').value).toBe(String(g.blocksPaths));
      expect(f['related-observations']).toHaveLength(new Set(g.evidence.map((e) => e.class)).size);
      for (const o of f['related-observations']) expect(obs.has(o['observation-uuid'])).toBe(true);
      const risk = risks.get(f['related-risks'][0]['risk-uuid']) as Json;
      expect(risk.status).toBe('open');
      expect(risk.remediations[0].tasks[0]['responsible-roles']).toEqual([{ 'role-id': g.owner.role }]);
    });
  });

  it('calls a control missing only where it is absent: one present but weak or procedural is named so in its risk and finding', () => {
    const r = ar['assessment-results'].results[0];
    const weak = doc.gaps.filter((g) => Object.keys(g.statuses).length > 0 && !('absent' in g.statuses));
    const absent = doc.gaps.filter((g) => Object.keys(g.statuses).join() === 'absent');
    expect(weak.length).toBeGreaterThan(0);
    expect(absent.length).toBeGreaterThan(0);
    const riskOf = (g: (typeof doc.gaps)[number]) => r.risks.find((x: Json) => x.props.some((p: Json) => p.name === 'control' && p.value === g.control) && x.title.includes(`(${g.workflow})`));
    for (const g of weak) {
      const risk = riskOf(g);
      expect(`${risk.title} ${risk.statement} ${risk.description}`, g.control).not.toMatch(/missing|not in place/);
      expect(risk.title, g.control).toMatch(/weak|not enforced|waived|flawed|too slow|cannot act/);
    }
    for (const g of absent) expect(riskOf(g).title, g.control).toContain('missing');
    for (const f of r.findings) expect(f.title).not.toMatch(/ (blocks|blocks jointly|detects|contributes) takeover paths/);
  });

  it('asks to put a control in place only where it is missing: one present but weak or procedural is to be hardened or enforced, in the remediation, its task and the poam-item', () => {
    const r = ar['assessment-results'].results[0];
    const riskOf = (g: (typeof doc.gaps)[number]) => r.risks.find((x: Json) => x.props.some((p: Json) => p.name === 'control' && p.value === g.control) && x.title.includes(`(${g.workflow})`));
    const itemOf = (g: (typeof doc.gaps)[number]) => poam['plan-of-action-and-milestones']['poam-items'].find((x: Json) => x['related-risks'][0]['risk-uuid'] === riskOf(g).uuid);
    const titles = (g: (typeof doc.gaps)[number]) => {
      const rem = riskOf(g).remediations[0];
      return [rem.title, rem.tasks[0].title, itemOf(g).title] as string[];
    };
    let weak = 0;
    for (const g of doc.gaps) {
      const st = Object.keys(g.statuses);
      for (const t of titles(g)) {
        if (st.length > 0 && !st.includes('absent')) expect(t, `${g.workflow} ${g.control}`).not.toMatch(/^Put /);
        if (st.includes('weak')) expect(t, `${g.workflow} ${g.control}`).toMatch(/Harden .*to the catalogue's hardened setting/);
        if (st.includes('not_enforced')) expect(t, `${g.workflow} ${g.control}`).toMatch(/Enforce .*in the system/);
        if (st.length === 0 || st.includes('absent')) expect(t, `${g.workflow} ${g.control}`).toMatch(/^Put .* in place in .*, hardened( \(.*\))? and enforced by the system/);
      }
      if (st.length > 0 && !st.includes('absent')) weak++;
      // The friction a remediation adds is the catalogue's estimate, and says so.
      expect(riskOf(g).remediations[0].description, `${g.workflow} ${g.control}`).toMatch(/^By the catalogue's friction estimate \(a modelling estimate, not a measurement of this desk\), adds about /);
    }
    expect(weak).toBeGreaterThan(0);
  });

  it('makes each path class behind a gap one observation, its example path the evidence', () => {
    const r = ar['assessment-results'].results[0];
    const classes = new Set(doc.gaps.flatMap((g) => g.evidence.map((e) => `${g.workflow} ${e.class}`)));
    expect(r.observations).toHaveLength(classes.size);
    const e = doc.gaps[0]!.evidence[0]!;
    const o = r.observations.find((x: Json) => x.props.some((p: Json) => p.name === 'path-class' && p.value === e.class) && x.props.some((p: Json) => p.name === 'workflow' && p.value === doc.gaps[0]!.workflow));
    // The workflow's file is examined as a model; the live desk is not tested.
    expect(o.methods).toEqual(['EXAMINE']);
    expect(o.description).toContain('examined as a model, not tested on the live desk');
    expect(o['relevant-evidence'][0].description).toContain(markdownText(`Example path ${e.example.id}, ${e.example.steps} steps: ${e.example.trace.join(' → ')}`));
  });

  it('declares every owner role a gap names as a metadata role, and only those', () => {
    expect(ar['assessment-results'].metadata.roles.map((r: Json) => r.id)).toEqual([...new Set(doc.gaps.map((g) => g.owner.role))].sort());
    expect(ar['assessment-results'].metadata.parties).toBeUndefined();
  });

  it('names the owner as a party responsible for the role once one is assigned', () => {
    const d = structuredClone(doc);
    for (const g of d.gaps) if (g.owner.role === d.gaps[0]!.owner.role) g.owner = { ...g.owner, name: 'IAM platform team', assignment: 'assigned' };
    const out = oscalAssessmentResults(d) as Json;
    expect(validate(AR_SCHEMA, out)).toEqual([]);
    const party = out['assessment-results'].metadata.parties[0];
    expect(party).toMatchObject({ type: 'organization', name: 'IAM platform team' });
    expect(out['assessment-results'].metadata['responsible-parties']).toEqual([{ 'role-id': d.gaps[0]!.owner.role, 'party-uuids': [party.uuid] }]);
    const task = out['assessment-results'].results[0].risks[0].remediations[0].tasks[0];
    expect(task['responsible-roles']).toEqual([{ 'role-id': d.gaps[0]!.owner.role, 'party-uuids': [party.uuid] }]);
  });

  it('gives the same UUIDs on every run of the same analysis, all distinct, the document\'s tied to generatedAt', () => {
    const once = oscalAssessmentResults(doc) as Json;
    expect(jsonOut(oscalAssessmentResults(structuredClone(doc)))).toBe(jsonOut(once));
    const uuids = [...jsonOut(once).matchAll(/"uuid": "([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(uuids).size).toBe(uuids.length);
    const later = oscalAssessmentResults({ ...doc, generatedAt: '2030-01-01T00:00:00.000Z' }) as Json;
    expect(later['assessment-results'].uuid).not.toBe(once['assessment-results'].uuid);
    expect(later['assessment-results'].results[0].findings[0].uuid).toBe(once['assessment-results'].results[0].findings[0].uuid);
    // The CLI's run, made at another moment, names its findings the same.
    expect(ar['assessment-results'].results[0].findings[0].uuid).toBe(once['assessment-results'].results[0].findings[0].uuid);
  });
});

describe('resetpath report --format oscal-ar: chained takeovers', () => {
  const WF = 'standard-password-reset.weak';
  const obsOf = (d: Json, workflow: string, scenario: string) => (d['assessment-results'].results[0].observations as Json[]).filter((o) => propsOf(o, 'workflow')[0] === workflow && propsOf(o, 'scenario')[0] === scenario);
  let c: Campaign;
  beforeAll(() => {
    c = campaignOf(doc, WF, S20)!;
  });

  it('has S20 chain on the weak standard reset: the agent taken over, then an administrator, unlocking the admin console and the IdP configuration (so the tests below test something)', () => {
    expect(c.stages.map((st) => [st.targetClass, st.outcome])).toEqual([
      ['support_agent', 'takeover_undetected'],
      ['privileged_admin', 'takeover_undetected'],
    ]);
    expect(BigInt(c.chainPaths)).toBeGreaterThan(0n);
    expect(c.blastRadius).toEqual(expect.arrayContaining(['admin_console', 'identity_provider_configuration']));
  });

  it('says the chain in the remarks of each observation of the chained scenario\'s path classes, in the Markdown report\'s words', () => {
    const obs = obsOf(ar, WF, S20);
    expect(obs.length).toBe(new Set(doc.gaps.filter((g) => g.workflow === WF).flatMap((g) => g.evidence.filter((e) => e.scenario === S20).map((e) => e.class))).size);
    expect(obs.length).toBeGreaterThan(0);
    for (const o of obs) {
      expect(o.remarks).toBe(markdownText(`Chained takeover ${S20}: ${chainText(c)}.`));
      expect(o.remarks).toMatch(/stage 1 support_agent \(privileged\) via standard-password-reset\.weak: taken over, undetected .*→ stage 2 privileged_admin \(privileged\) via standard-password-reset\.weak: taken over, undetected/);
      expect(o.remarks).toContain(`${formatCount(c.chainPaths)} complete chain`);
      expect(o.remarks).toContain(`the chain unlocks ${markdownText(c.blastRadius.join(', '))}`);
    }
  });

  it('carries the chain as props in ResetPath\'s namespace: its stages, the exact complete-chain count, its outcome, what it yields and each thing it unlocks', () => {
    for (const o of obsOf(ar, WF, S20)) {
      const chain = (o.props as Json[]).filter((p) => CHAIN_PROPS.includes(p.name));
      expect(chain).toEqual([
        { name: 'chain-stages', ns: OSCAL_NS, value: String(c.stages.length) },
        { name: 'chain-paths', ns: OSCAL_NS, value: String(c.chainPaths) },
        { name: 'chain-outcome', ns: OSCAL_NS, value: c.outcome },
        ...(c.yields ? [{ name: 'chain-yields', ns: OSCAL_NS, value: c.yields }] : []),
        ...c.blastRadius.map((b) => ({ name: 'blast-radius', ns: OSCAL_NS, value: b })),
      ]);
      expect(propsOf(o, 'blast-radius')).toEqual(expect.arrayContaining(['admin_console', 'identity_provider_configuration']));
    }
  });

  it('says nothing of a chain where the first stage never took over (S28 here, S20 on the outsourced desk): no chain prop or remarks on any other observation', () => {
    expect(campaignOf(doc, 'outsourced-service-desk.weak', S20)!.stages[0]!.outcome).toBe('not_applicable');
    const r = ar['assessment-results'].results[0];
    const others = (r.observations as Json[]).filter((o) => !(propsOf(o, 'workflow')[0] === WF && propsOf(o, 'scenario')[0] === S20));
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) {
      expect((o.props as Json[]).filter((p) => CHAIN_PROPS.includes(p.name))).toEqual([]);
      expect(o.remarks).toBeUndefined();
    }
    expect(jsonOut([r.observations, r.risks, r.findings])).not.toContain('s28-carrier-sim-change-campaign');
    expect(jsonOut([r.observations, r.risks])).not.toMatch(/Chained takeover s20-agent-then-admin-campaign: stage 1 support_agent \(privileged\) via outsourced/);
  });

  it('says in the risk of each gap with the chained scenario among its evidence, in one sentence, that the takeover chains on; no other risk says so', () => {
    const r = ar['assessment-results'].results[0];
    const sentence = markdownText(`The takeover of scenario ${S20} chains on: ${chainText(c)}.`);
    let chained = 0;
    for (const g of doc.gaps) {
      const risk = (r.risks as Json[]).find((x) => propsOf(x, 'control')[0] === g.control && x.title.includes(`(${g.workflow})`))!;
      if (g.workflow === WF && g.evidence.some((e) => e.scenario === S20)) {
        expect(risk.description, g.control).toContain(sentence);
        expect(risk.description.endsWith(sentence), g.control).toBe(true);
        chained++;
      } else expect(risk.description, `${g.workflow} ${g.control}`).not.toContain('chains on');
    }
    expect(chained).toBeGreaterThan(0);
  });

  it('writes the same chain in the POA&M, whose observations and risks are the assessment results\'', () => {
    const p = poam['plan-of-action-and-milestones'];
    const r = ar['assessment-results'].results[0];
    const chainOf = (x: Json) => [x.uuid, x.remarks, (x.props as Json[]).filter((q) => CHAIN_PROPS.includes(q.name))];
    expect((p.observations as Json[]).map(chainOf)).toEqual((r.observations as Json[]).map(chainOf));
    expect((p.risks as Json[]).map((x) => x.description)).toEqual((r.risks as Json[]).map((x) => x.description));
    expect((p.observations as Json[]).some((o) => propsOf(o, 'chain-paths').length > 0)).toBe(true);
  });

  it('writes a chain no gap points at as an observation of its own, related to no finding, the same on every run, and both documents still validate', () => {
    const d = structuredClone(doc);
    d.gaps = d.gaps.map((g) => ({ ...g, evidence: g.evidence.filter((e) => !(g.workflow === WF && e.scenario === S20)) })).filter((g) => g.evidence.length > 0);
    const out = oscalAssessmentResults(d) as Json;
    expect(validate(AR_SCHEMA, out)).toEqual([]);
    expect(validate(POAM_SCHEMA, oscalPoam(d))).toEqual([]);
    const [o, ...more] = obsOf(out, WF, S20);
    expect(more).toEqual([]);
    expect(o!.description).toContain(markdownText(`Chained takeover ${S20}: ${chainText(c)}.`));
    expect(propsOf(o!, 'chain-paths')).toEqual([String(c.chainPaths)]);
    expect(propsOf(o!, 'blast-radius')).toEqual(c.blastRadius);
    expect(propsOf(o!, 'path-class')).toEqual([]);
    const r = out['assessment-results'].results[0];
    expect(jsonOut([r.findings, r.risks])).not.toContain(o!.uuid);
    expect(jsonOut(oscalAssessmentResults(structuredClone(d)))).toBe(jsonOut(out));
  });

  it('writes a complete-chain count past 2^53 as its exact decimal', () => {
    const d = structuredClone(doc);
    campaignOf(d, WF, S20)!.chainPaths = '123456789012345678901234567890';
    const out = oscalAssessmentResults(d) as Json;
    expect(validate(AR_SCHEMA, out)).toEqual([]);
    for (const o of obsOf(out, WF, S20)) expect(propsOf(o, 'chain-paths')).toEqual(['123456789012345678901234567890']);
  });
});

describe('resetpath report --format oscal-poam', () => {
  it('validates against NIST\'s OSCAL 1.0.6 POA&M schema', () => {
    expect(validate(POAM_SCHEMA, poam)).toEqual([]);
  });

  it('has one poam-item per open gap, with its remediation state, owner role, finding and risk', () => {
    const p = poam['plan-of-action-and-milestones'];
    expect(p['poam-items']).toHaveLength(doc.gaps.length);
    const findings = new Set(p.findings.map((f: Json) => f.uuid));
    const risks = new Set(p.risks.map((f: Json) => f.uuid));
    doc.gaps.forEach((g, i) => {
      const item = p['poam-items'][i];
      expect(item.props).toEqual([
        { name: 'remediation-status', ns: OSCAL_NS, value: 'open' },
        { name: 'owner-role', ns: OSCAL_NS, value: g.owner.role },
      ]);
      expect(findings.has(item['related-findings'][0]['finding-uuid'])).toBe(true);
      expect(risks.has(item['related-risks'][0]['risk-uuid'])).toBe(true);
    });
  });

  it('says in each item every effect the control would have, contributing paths included', () => {
    const items = poam['plan-of-action-and-milestones']['poam-items'];
    for (const [i, g] of doc.gaps.entries()) expect(items[i].description).toContain(`takes a means away on ${formatCount(g.contributesPaths)}`);
    expect(doc.gaps.some((g) => BigInt(g.contributesPaths) > 0n)).toBe(true);
  });

  it('is not written for an analysis without an open gap (OSCAL needs one poam-item), with one line and exit 2; the assessment results are', async () => {
    const p = await run('report', 'standard-password-reset.hardened', '-s', 's01-osint-vishing', '--format', 'oscal-poam');
    expect([p.code, p.out]).toEqual([2, '']);
    expect(p.err).toBe('resetpath report: no open gap in the workflows analysed, and an OSCAL POA&M needs at least one poam-item; nothing written (--format oscal-ar records the clean result)\n');
    const a = await run('report', 'standard-password-reset.hardened', '-s', 's01-osint-vishing', '--format', 'oscal-ar');
    expect(a.code).toBe(0);
    const clean = JSON.parse(a.out) as Json;
    expect(validate(AR_SCHEMA, clean)).toEqual([]);
    expect(clean['assessment-results'].results[0].findings).toBeUndefined();
  });

  it('shares its observation, risk and finding UUIDs with the assessment results of the same analysis', () => {
    const r = ar['assessment-results'].results[0];
    const p = poam['plan-of-action-and-milestones'];
    expect(p.findings.map((f: Json) => f.uuid)).toEqual(r.findings.map((f: Json) => f.uuid));
    expect(p.observations.map((f: Json) => f.uuid)).toEqual(r.observations.map((f: Json) => f.uuid));
  });
});

describe('OSCAL with hostile names', () => {
  const { report } = hostileInputs();
  report.gaps[0]!.owner = { ...report.gaps[0]!.owner, name: `  @owner <img src=x onerror="${PWN}"> \u202e${HOSTILE_NAMES.long}`, assignment: 'assigned' };
  const docs = { ar: oscalAssessmentResults(report), poam: oscalPoam(report) };

  it('still validates against both schemas', () => {
    expect(validate(AR_SCHEMA, docs.ar)).toEqual([]);
    expect(validate(POAM_SCHEMA, docs.poam)).toEqual([]);
  });

  it('writes markup fields as escaped Markdown and string fields on one line: no tag, link, script or raw override', () => {
    for (const d of Object.values(docs)) {
      const values = escapedStrings(d);
      expect(values.some((v) => v.includes('&lt;script&gt;'))).toBe(true);
      // A string field (the owner prop, the party's name) keeps the text, its tag made inert and its edges trimmed.
      expect(values.some((v) => v.startsWith('@owner &lt;img src=x onerror="'))).toBe(true);
      expect(values.some((v) => v.includes('\\u{202e}'))).toBe(true);
    }
  });

  it('caps a 100,000-character name and says how much it left out', () => {
    const text = jsonOut(docs.ar);
    expect(text).not.toContain('A'.repeat(1001));
    expect(text).toMatch(/more characters\)/);
    expect(text.length).toBeLessThan(HOSTILE_NAMES.long.length * 2);
  });
});

describe('OSCAL with a hostile chained takeover', () => {
  // The hostile report's S01 outcome made a chain whose stages, yields and blast radius are hostile
  // names, as a report of old stored data or a hand-edited scenario could carry them.
  const { report } = hostileInputs();
  const wf = report.summary.perWorkflow[0]!;
  const o = wf.outcomes.find((x) => x.scenario === 's01-osint-vishing')!;
  const stage = (n: number, workflow: string, targetClass: string, blastRadius: string[]) => ({ stage: n, workflow, targetClass, privileged: true, outcome: 'takeover_undetected' as const, paths: 2, undetectedPaths: 2, yields: HOSTILE_NAMES.scenario, blastRadius });
  o.campaign = {
    stages: [stage(1, wf.workflow, HOSTILE_NAMES.step, [HOSTILE_NAMES.workflow]), stage(2, HOSTILE_NAMES.file, HOSTILE_NAMES.long, [HOSTILE_NAMES.long, 'admin_console'])],
    chainPaths: 4,
    outcome: 'takeover_undetected',
    blastRadius: [HOSTILE_NAMES.workflow, HOSTILE_NAMES.long, 'admin_console'],
    yields: HOSTILE_NAMES.scenario,
  };
  const docs = { ar: oscalAssessmentResults(report), poam: oscalPoam(report) };
  const obs = (docs.ar as Json)['assessment-results'].results[0].observations.filter((x: Json) => propsOf(x, 'scenario')[0] === 's01-osint-vishing');

  it('still validates against both schemas, the chain written (so the escaping below is of it)', () => {
    expect(validate(AR_SCHEMA, docs.ar)).toEqual([]);
    expect(validate(POAM_SCHEMA, docs.poam)).toEqual([]);
    expect(obs.length).toBeGreaterThan(0);
    for (const x of obs) {
      expect(x.remarks).toMatch(/^Chained takeover s01-osint-vishing: stage 1 /);
      expect(propsOf(x, 'blast-radius')).toHaveLength(3);
    }
  });

  it('escapes the chain\'s names in remarks, risk descriptions and props: no tag, link, script or raw override', () => {
    for (const d of Object.values(docs)) {
      escapedStrings(d);
    }
    for (const x of obs) {
      expect(x.remarks).toContain('&lt;script&gt;');
      expect(x.remarks).toContain('\\u{202e}');
      expect(propsOf(x, 'blast-radius')[0]).toContain('&lt;script&gt;');
    }
  });

  it('caps each name in the chain on its own, so the words after a 100,000-character name survive', () => {
    const text = jsonOut(docs.ar);
    expect(text).not.toContain('A'.repeat(1001));
    for (const x of obs) {
      expect(x.remarks).toMatch(/more characters\)/);
      expect(x.remarks).toMatch(/4 complete chains; the chain unlocks .*admin\\?_console\.$/);
    }
    const risks = (docs.ar as Json)['assessment-results'].results[0].risks as Json[];
    expect(risks.some((x) => /The takeover of scenario s01-osint-vishing chains on: stage 1 .*4 complete chains; the chain unlocks .*admin\\?_console\.$/.test(x.description))).toBe(true);
  });
});
