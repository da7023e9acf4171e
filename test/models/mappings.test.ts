// The framework mappings of the catalogue, checked against the ledger of verified ids
// (test/fixtures/frameworks/verified-ids.json, written by scripts/write-verified-ids.ts from fetched
// primary data that is not committed): every mapping has a rationale, an existence confirmation with
// its source and a fit; every ATT&CK and SP 800-53 id in use is in the ledger under its own domain and
// nothing in the ledger is unused; the pairs the issue-10 review rejected stay out.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ATTACK_ALIASES,
  CONTROLS,
  EXISTENCE_STATUSES,
  FITS,
  FRAMEWORK_SOURCES,
  FRAMEWORKS,
  formatRef,
  GUIDANCE,
  LINT_RULES,
  mappingChangesMarkdown,
  ref,
  refKey,
  SOURCES,
  type FrameworkRef,
  type PreviousCatalogue,
} from '../../models/index.ts';
import { controlEntry } from '../../analysis/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';
import { ATTACK_FRAMEWORKS, LEDGER_PATH, PINS, type VerifiedIds } from '../../scripts/write-verified-ids.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readJson = <T>(p: string): T => JSON.parse(readFileSync(join(root, p), 'utf8')) as T;

const ledger = readJson<VerifiedIds>(LEDGER_PATH);

const ALL = CONTROLS.flatMap((c) => c.mappings.map((m) => ({ control: c.id, m })));
const of = (control: string): string[] => CONTROLS.find((c) => c.id === control)!.mappings.map(refKey);

/** "framework:version:id" of the lint rules' focus, as references. */
const FOCUS = LINT_RULES.flatMap((r) => (r.focus ?? []).map((k) => ({ framework: k.split(':')[0]!, id: k.split(':').slice(2).join(':') })));

/** The v18 technique ids the bundled scenarios name (Enterprise and Mobile), the v19 ones, and those filed as Mobile. */
function scenarioTechniques(): { v18: string[]; v19: string[]; mobile: string[] } {
  const dir = join(root, 'scenarios/library');
  const ids = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .flatMap((f) => {
      const r = loadScenarioText(readFileSync(join(dir, f), 'utf8'), f);
      if (!r.ok) throw new Error(`${f} does not load`);
      return r.value.attackTechniques;
    });
  const part = (t: string): string => t.split(':')[2]!;
  const v18 = (t: string) => t.startsWith('attack:v18:') || t.startsWith('attack-mobile:v18:');
  return { v18: [...new Set(ids.filter(v18).map(part))], v19: [...new Set(ids.filter((t) => !v18(t)).map(part))], mobile: [...new Set(ids.filter((t) => t.startsWith('attack-mobile:')).map(part))] };
}

/** Ledger keys: "domain kind id" for ATT&CK, "sp800-53 id" for SP 800-53. */
const attackKey = (domain: string, kind: string, id: string): string => `${domain} ${kind} ${id}`;
function ledgerKeys(l: VerifiedIds): Set<string> {
  return new Set([...l.attack.ids.map((e) => attackKey(e.domain, e.kind, e.id)), ...l.sp80053.ids.map((c) => `sp800-53 ${c.id}`)]);
}

/** The ledger keys of the ATT&CK and SP 800-53 ids the given references use (other frameworks are skipped). */
function keysOf(ms: readonly Pick<FrameworkRef, 'framework' | 'id'>[] | { framework: string; id: string }[]): string[] {
  const out: string[] = [];
  for (const m of ms) {
    if (m.framework in ATTACK_FRAMEWORKS) {
      const { domain, kind } = ATTACK_FRAMEWORKS[m.framework as keyof typeof ATTACK_FRAMEWORKS];
      out.push(attackKey(domain, kind, m.id));
    } else if (m.framework === 'sp800-53') out.push(`sp800-53 ${m.id}`);
  }
  return out;
}

/** Every ledger key ResetPath uses: mappings, lint focus, the v18 ids of ATTACK_ALIASES, scenario techniques (either domain, as the ledger files them). */
function keysInUse(l: VerifiedIds): Set<string> {
  const scenario = scenarioTechniques().v18.map((id) => {
    const e = l.attack.ids.find((x) => x.id === id && x.kind === 'technique');
    return attackKey(e?.domain ?? 'enterprise', 'technique', id);
  });
  return new Set([...keysOf(ALL.map((x) => x.m)), ...keysOf(FOCUS), ...Object.keys(ATTACK_ALIASES).map((id) => attackKey('enterprise', 'technique', id)), ...scenario]);
}

/** Keys in use that the ledger lacks (not verified, or verified under another ATT&CK domain or kind). */
const unverified = (used: Iterable<string>, l: VerifiedIds = ledger): string[] => [...used].filter((k) => !ledgerKeys(l).has(k));
/** Ledger entries nothing uses any more. */
const stale = (l: VerifiedIds = ledger): string[] => [...ledgerKeys(l)].filter((k) => !keysInUse(l).has(k));

describe('the ledger of verified framework ids', () => {
  it('names the source repository, commit and version it was read at, which are the ones the script pins, with the licence notes', () => {
    expect(ledger.attack.source).toMatchObject({ repo: PINS.attack.repo, commit: PINS.attack.commit, attackVersion: PINS.attack.version });
    expect(ledger.sp80053.source.repo).toBe(PINS.oscalFull.repo);
    expect(ledger.sp80053.source.catalogue).toMatchObject({ commit: PINS.oscalFull.commit, path: PINS.oscalFull.path, version: '5.0.1' });
    expect(ledger.sp80053.source.baselines.commit).toBe(PINS.oscalBaselines.commit);
    expect(SOURCES['attack-stix'].checked).toContain(PINS.attack.commit);
    expect(ledger.attack.licence.join(' ')).toMatch(/The MITRE Corporation \(MITRE\) hereby grants you a non-exclusive, royalty-free license/);
    expect(ledger.sp80053.licence.join(' ')).toMatch(/public domain/);
  });

  it('gives every id a name or title as read in the source, and every ATT&CK id its domain and kind', () => {
    for (const e of ledger.attack.ids) {
      expect(e.name.trim().length, e.id).toBeGreaterThan(2);
      expect(['enterprise', 'mobile']).toContain(e.domain);
      expect(e.kind).toBe(e.id.startsWith('M') ? 'mitigation' : 'technique');
    }
    for (const c of ledger.sp80053.ids) {
      expect(c.title.trim().length, c.id).toBeGreaterThan(2);
      expect(c.in.length, c.id).toBeGreaterThan(0);
    }
    expect(ledger.attack.ids.find((e) => e.id === 'T1656')).toEqual({ id: 'T1656', name: 'Impersonation', domain: 'enterprise', kind: 'technique' });
    expect(ledger.attack.ids.find((e) => e.id === 'T1451')).toEqual({ id: 'T1451', name: 'SIM Card Swap', domain: 'mobile', kind: 'technique' });
    expect(ledger.sp80053.ids.find((c) => c.id === 'AU-9(4)')?.title).toBe('Access by Subset of Privileged Users');
  });

  it('holds only ids ResetPath uses, so it stays a record of what we checked and not a copy of the dataset', () => {
    expect(stale()).toEqual([]);
  });

  it('lists each id once', () => {
    const keys = [...ledger.attack.ids.map((e) => attackKey(e.domain, e.kind, e.id)), ...ledger.sp80053.ids.map((c) => c.id)];
    expect(keys.length).toBe(new Set(keys).size);
  });
});

describe('the check against the ledger', () => {
  it('flags an unverified ATT&CK id, a mobile technique filed as enterprise and an unverified SP 800-53 enhancement', () => {
    const bad = [ref('attack:v18:T9999', 'direct', 'invented'), ref('attack:v18:T1451', 'direct', 'wrong domain'), ref('sp800-53:r5:IA-12(99)', 'direct', 'invented')];
    expect(unverified(keysOf(bad))).toEqual(['enterprise technique T9999', 'enterprise technique T1451', 'sp800-53 IA-12(99)']);
  });

  it('flags a ledger entry no mapping, lint focus, alias or scenario uses', () => {
    const padded: VerifiedIds = { ...ledger, sp80053: { ...ledger.sp80053, ids: [...ledger.sp80053.ids, { id: 'CA-5', title: 'Plan of Action and Milestones', in: ['5.0.1'] }] } };
    expect(stale(padded)).toEqual(['sp800-53 CA-5']);
  });
});

describe('every mapping of the catalogue', () => {
  it.each(ALL.map(({ control, m }) => [`${control} → ${refKey(m)}`, m] as const))('%s has a one-line rationale, a fit and an existence confirmation with its source', (_name, m) => {
    expect(m.rationale.trim().length).toBeGreaterThan(3);
    expect(m.rationale).not.toMatch(/\n/);
    expect(FITS).toContain(m.fit);
    expect(EXISTENCE_STATUSES).toContain(m.existence.status);
    expect(SOURCES[m.existence.source]?.checked).toBeTruthy();
    if (m.existence.status === 'unconfirmed') expect(m.note).toBeTruthy();
    expect(m.confidence).toBe({ confirmed: 'C', secondary: 'C2', unconfirmed: 'U' }[m.existence.status]);
  });

  it('names only ATT&CK and SP 800-53 ids the ledger records as verified, each ATT&CK id under its own domain', () => {
    expect(unverified(keysOf(ALL.map((x) => x.m)))).toEqual([]);
  });

  it('confirms ATT&CK and SP 800-53 ids against primary data, not a secondary source', () => {
    for (const { m } of ALL.filter(({ m }) => m.framework in ATTACK_FRAMEWORKS || m.framework === 'sp800-53')) {
      expect(m.existence).toEqual({ status: 'confirmed', source: FRAMEWORK_SOURCES[m.framework] });
    }
  });

  it('has no unconfirmed mapping left (every stale flag of the review resolved)', () => {
    expect(ALL.filter(({ m }) => m.existence.status === 'unconfirmed').map(({ control, m }) => `${control} ${refKey(m)}`)).toEqual([]);
  });

  it('cites SP 800-63 by section number or assurance level, never a free-text label', () => {
    for (const { m } of ALL.filter(({ m }) => m.framework === 'sp800-63')) expect(m.id).toMatch(/^63[AB] (§\d+(\.\d+)*|AAL[1-3])$/);
  });

  it('records each SP 800-63B id as confirmed in the source file that holds its section (AALs in 2_aal.md, authenticators §3 in 3_authenticators.md, events §4 in 4_events.md), 63A only through its summary', () => {
    const fileOf = (id: string) => (/^63B AAL/.test(id) ? '2_aal.md' : id.startsWith('63B §3') ? '3_authenticators.md' : id.startsWith('63B §4') ? '4_events.md' : null);
    for (const { control, m } of ALL.filter(({ m }) => m.framework === 'sp800-63')) {
      const file = fileOf(m.id);
      if (file) expect(SOURCES[m.existence.source].title, `${control} ${m.id}`).toContain(`_sp800-63b/${file}`);
      else expect(m.existence, `${control} ${m.id}`).toEqual({ status: 'secondary', source: 'sp800-63a-4-summary' });
    }
  });

  it('only uses frameworks the catalogue defines, at their pinned version', () => {
    for (const { m } of ALL) expect(m.version).toBe(FRAMEWORKS[m.framework].version);
  });
});

describe('the lint rules and ATT&CK aliases', () => {
  it('focus only on ATT&CK and SP 800-53 ids the ledger records as verified', () => {
    expect(FOCUS.length).toBeGreaterThan(0);
    expect(unverified(keysOf(FOCUS))).toEqual([]);
  });

  it('keep as v18 id of each alias an enterprise technique the ledger records', () => {
    expect(unverified(Object.keys(ATTACK_ALIASES).map((id) => attackKey('enterprise', 'technique', id)))).toEqual([]);
  });
});

describe('the bundled scenarios', () => {
  it('name only ATT&CK v18 techniques the ledger records as verified, each filed under its own domain (T1451 is the one from Mobile), and v19 ids only as the recorded alias', () => {
    const { v18, v19, mobile } = scenarioTechniques();
    expect(v19).toEqual(Object.values(ATTACK_ALIASES).map((a) => a.v19));
    expect(v18.length).toBeGreaterThan(0);
    const technique = (id: string) => ledger.attack.ids.find((e) => e.id === id && e.kind === 'technique');
    expect(v18.filter((id) => !technique(id))).toEqual([]);
    expect(v18.filter((id) => technique(id)!.domain === 'mobile')).toEqual(['T1451']);
    // A Mobile technique cited under the Enterprise prefix would be taken for an Enterprise one.
    expect(mobile).toEqual(['T1451']);
  });
});

describe('ref()', () => {
  it('rejects an unknown framework, a fit outside direct/partial/analogy and an empty rationale with a message naming the reference', () => {
    expect(() => ref('cobit:5:APO01', 'direct', 'x')).toThrow(/bad framework reference "cobit:5:APO01"/);
    expect(() => ref('csf:2.0:PR.AA-01', 'close' as never, 'x')).toThrow(/bad fit "close" for "csf:2.0:PR.AA-01": expected one of direct, partial, analogy/);
    expect(() => ref('csf:2.0:PR.AA-01', 'direct', '  ')).toThrow(/"csf:2.0:PR.AA-01" has no rationale/);
    // A control written against the old ref(key, confidence, note) form is told what changed.
    expect(() => (ref as (...a: unknown[]) => unknown)('csf:2.0:PR.AA-01', 'C2')).toThrow(/is the form before issue 10: give ref\(key, fit, rationale/);
  });

  it('refuses an SP 800-63 id in no source file the catalogue records by section unless the reference names its source', () => {
    expect(() => ref('sp800-63:4:63C §4.2', 'direct', 'why')).toThrow(/SP 800-63-4 "63C §4.2" is in no source file the catalogue records by section \(63B AAL1-3, §3, §4\): name its source/);
    expect(ref('sp800-63:4:63B §3.1.3.3', 'direct', 'why').existence).toEqual({ status: 'confirmed', source: 'sp800-63b-4-authenticators' });
    expect(ref('sp800-63:4:63B AAL3', 'direct', 'why').existence).toEqual({ status: 'confirmed', source: 'sp800-63b-4-aal' });
  });

  it('marks an id it cannot confirm as unconfirmed, with the reason, whatever the source', () => {
    const r = ref('attack:v18:T1656', 'direct', 'why', { unconfirmed: 'not re-read' });
    expect(r).toMatchObject({ confidence: 'U', existence: { status: 'unconfirmed', source: 'attack-stix' }, note: 'not re-read' });
  });
});

describe('the pairs the review rejected or asked for', () => {
  it('maps ATT&CK M1017 User Training only to training', () => {
    expect(ALL.filter(({ m }) => refKey(m) === 'attack-mitigation:v18:M1017').map((x) => x.control)).toEqual(['training.helpdesk']);
  });

  it('maps OWASP NHI risks only to controls of non-human identities', () => {
    expect([...new Set(ALL.filter(({ m }) => m.framework === 'nhi').map((x) => x.control))].sort()).toEqual(['nhi.rotation', 'ticket.integrity']);
  });

  it('files SIM Card Swap (T1451) and its mitigations under ATT&CK Mobile', () => {
    expect(of('sim_swap.signal')).toEqual(expect.arrayContaining(['attack-mobile:v18:T1451', 'attack-mobile-mitigation:v18:M1011', 'attack-mobile-mitigation:v18:M1012']));
    expect(ALL.filter(({ m }) => m.framework === 'attack' && m.id === 'T1451')).toEqual([]);
  });

  it('drops SP 800-53 CA-5 (Plan of Action and Milestones) everywhere', () => {
    expect(ALL.filter(({ m }) => m.framework === 'sp800-53' && m.id === 'CA-5')).toEqual([]);
  });

  it('maps ticket integrity to requester authentication and a forged sender, not to logging', () => {
    const t = of('ticket.integrity');
    expect(t).toEqual(expect.arrayContaining(['csf:2.0:PR.AA-03', 'attack:v18:T1672']));
    for (const logging of ['csf:2.0:PR.PS-04', 'csf:2.0:DE.AE-03', 'iso27001:2022:A.8.15', 'sp800-53:r5:AU-12', 'cis:v8:8.2', 'attack:v18:T1534']) expect(t).not.toContain(logging);
  });

  it('puts SI-4 on anomaly detection and IA-10 on the SIM-swap signal', () => {
    expect(of('detect.reset_anomaly')).toContain('sp800-53:r5:SI-4');
    expect(of('sim_swap.signal')).toContain('sp800-53:r5:IA-10');
    expect(of('sim_swap.signal')).not.toContain('sp800-53:r5:SI-4');
  });

  it('maps SP 800-63B-4 §4.2.1 (agent-assisted recovery SHALL rest on a documented risk analysis)', () => {
    expect(ALL.filter(({ m }) => refKey(m) === 'sp800-63:4:63B §4.2.1').map((x) => x.control).sort()).toEqual(['privileged.separate_path', 'proofing.ial2']);
  });

  it('fits a step-up before a reset directly to re-authentication (IA-11) and only in part to MFA at sign-in (IA-2(1), IA-2(2), CIS 6.3, 6.5)', () => {
    const fit = (control: string, key: string) => CONTROLS.find((c) => c.id === control)!.mappings.find((m) => refKey(m) === key)?.fit;
    expect(fit('step_up.verification', 'sp800-53:r5:IA-11')).toBe('direct');
    for (const k of ['sp800-53:r5:IA-2(1)', 'sp800-53:r5:IA-2(2)', 'cis:v8:6.3', 'cis:v8:6.5']) expect(fit('step_up.verification', k), k).toBe('partial');
    // Sign-in MFA is what these two controls are.
    for (const c of ['authn.phishing_resistant', 'agent.mfa']) expect(fit(c, 'sp800-53:r5:IA-2(1)'), c).toBe('direct');
  });

  it('fits IA-12(5) Address Confirmation directly to a call-back to the number of record and in part to a notice of the reset', () => {
    const m = (control: string) => CONTROLS.find((c) => c.id === control)!.mappings.find((x) => refKey(x) === 'sp800-53:r5:IA-12(5)')!;
    expect(m('callback.number_on_file').fit).toBe('direct');
    expect(m('notify.out_of_band').fit).toBe('partial');
    // The enhancement allows a notice of proofing as well as a registration code: the partial fit is about what the notice is of.
    expect(m('notify.out_of_band').rationale).not.toMatch(/about registration codes/);
  });

  it('adds the better-fitting ids the review found missing', () => {
    const all = new Set(ALL.map(({ control, m }) => `${control} ${refKey(m)}`));
    for (const p of [
      'training.helpdesk attack:v18:T1598.004',
      'deepfake.liveness attack:v18:T1588.007',
      'session.revoke_on_reset attack:v18:T1550.004',
      'privileged.separate_path attack:v18:T1484.002',
      'training.helpdesk cis:v8:14.9',
      'detect.reset_anomaly cis:v8:13.1',
      'vendor.contract_controls cis:v8:15.5',
      'vendor.contract_controls cis:v8:15.6',
    ]) expect(all).toContain(p);
  });
});

describe('docs/mapping-changes.md', () => {
  it('is the table generated from the catalogue and the catalogue before the review (run scripts/write-mapping-changes.ts)', () => {
    const previous = readJson<PreviousCatalogue>('docs/data/mappings-before-issue10.json');
    expect(readFileSync(join(root, 'docs/mapping-changes.md'), 'utf8')).toBe(mappingChangesMarkdown(previous));
  });

  it('refuses a removed pair with no recorded reason', () => {
    const previous = readJson<PreviousCatalogue>('docs/data/mappings-before-issue10.json');
    const trimmed = CONTROLS.map((c) => (c.id === 'nhi.rotation' ? { id: c.id, mappings: c.mappings.filter((m) => m.id !== 'NHI9') } : c));
    expect(() => mappingChangesMarkdown(previous, trimmed)).toThrow(/nhi.rotation: "nhi:2025:NHI9" was removed with no reason recorded/);
  });
});

describe('the guidance family (AA23-320A and the other help-desk guidance of the domain reference)', () => {
  it('names only recommendations the domain reference sources, and says the publisher did not number them', () => {
    expect(() => ref('aa23-320a:2025-07-29:callback-procedures', 'direct', 'x')).toThrow(/"callback-procedures" is not a recommendation of CISA\/FBI .* listed in GUIDANCE \(known: phishing-resistant-mfa, fido-or-pki-mfa\)/);
    for (const { m } of ALL.filter(({ m }) => GUIDANCE[m.framework])) {
      const item = GUIDANCE[m.framework]![m.id]!;
      expect(item.text.length).toBeGreaterThan(10);
      expect(m.existence.source).toBe(item.source ?? FRAMEWORK_SOURCES[m.framework]);
    }
  });

  it('lets a gap say which AA23-320A recommendation it breaks', () => {
    const labels = controlEntry('authn.phishing_resistant').mappings.map((m) => m.label);
    expect(labels).toEqual(expect.arrayContaining(['AA23-320A: enable and enforce phishing-resistant MFA', 'AA23-320A: FIDO/WebAuthn or PKI-based MFA']));
    expect(formatRef(ref('hc3-2024:2024-04-03:callback-number-on-record', 'direct', 'x'))).toBe('HC3 2024: call back the number on record');
  });

  it('maps no AA23-320A recommendation to a help-desk verification step, which the advisory text captured does not prescribe', () => {
    const verification = ['proofing.ial2', 'callback.number_on_file', 'approval.manager', 'step_up.verification', 'proofing.no_pii_kbv'];
    expect(ALL.filter(({ control, m }) => m.framework === 'aa23-320a' && verification.includes(control))).toEqual([]);
  });
});
