// The bundled scenario library (scenarios/library): every file loads cleanly, covers the 18 attack
// scenarios of the domain reference (section 8), cites only ATT&CK techniques the reference lists,
// and is usable in a tabletop (at least three injects, in time order).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../models/index.ts';
import { loadScenarioText, type Scenario } from '../../scenarios/index.ts';

const LIBRARY = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios', 'library');
const FILES = readdirSync(LIBRARY)
  .filter((f) => /\.(ya?ml|json)$/i.test(f))
  .sort();

/**
 * ATT&CK technique ids that domain-reference section 4 (and the chains of section 8) give, with the
 * version they belong to. `unconfirmed` are the ones the reference marks [U]: a file may use them
 * only with a "[U]" comment on the same line.
 */
const KNOWN_TECHNIQUES: Record<string, { version: string; unconfirmed?: true }> = {
  T1589: { version: 'v18' },
  'T1589.001': { version: 'v18' },
  'T1589.002': { version: 'v18' },
  'T1589.003': { version: 'v18' },
  T1591: { version: 'v18', unconfirmed: true },
  T1593: { version: 'v18', unconfirmed: true },
  'T1598.004': { version: 'v18' },
  T1586: { version: 'v18' },
  'T1586.002': { version: 'v18' },
  'T1566.004': { version: 'v18' },
  T1656: { version: 'v18' },
  'T1684.001': { version: 'v19' },
  T1078: { version: 'v18' },
  'T1078.004': { version: 'v18' },
  T1098: { version: 'v18' },
  'T1098.005': { version: 'v18' },
  'T1098.001': { version: 'v18', unconfirmed: true },
  'T1098.003': { version: 'v18', unconfirmed: true },
  'T1556.006': { version: 'v18' },
  T1621: { version: 'v18' },
  T1111: { version: 'v18', unconfirmed: true },
  T1199: { version: 'v18' },
  T1219: { version: 'v18' },
  T1534: { version: 'v18' },
  T1070: { version: 'v18', unconfirmed: true },
  'T1562.008': { version: 'v18', unconfirmed: true },
  T1539: { version: 'v18', unconfirmed: true },
  'T1550.004': { version: 'v18', unconfirmed: true },
  'T1484.002': { version: 'v18', unconfirmed: true },
  T1451: { version: 'v18' }, // ATT&CK Mobile
};

interface Loaded {
  file: string;
  text: string;
  scenario: Scenario;
}

function loadAll(): { loaded: Loaded[]; problems: string[] } {
  const loaded: Loaded[] = [];
  const problems: string[] = [];
  for (const file of FILES) {
    const text = readFileSync(join(LIBRARY, file), 'utf8');
    const r = loadScenarioText(text, `scenarios/library/${file}`);
    if (r.ok) loaded.push({ file, text, scenario: r.value });
    else problems.push(...r.issues.map(formatIssue));
  }
  return { loaded, problems };
}

const { loaded, problems } = loadAll();
const byId = new Map(loaded.map((l) => [l.scenario.id, l.scenario]));

describe('bundled scenario library', () => {
  it('has a file for each reference scenario', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(18);
  });

  it('loads every file with no issues', () => {
    expect(problems).toEqual([]);
    expect(loaded.length).toBe(FILES.length);
  });

  it('uses unique ids that match the file names', () => {
    const ids = loaded.map((l) => l.scenario.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of loaded) expect(l.file.replace(/\.(ya?ml|json)$/i, '')).toBe(l.scenario.id);
  });

  it('covers all 18 scenarios S01-S18 of domain-reference section 8, and cites a public advisory for each composite actor', () => {
    const covered = new Set<string>();
    for (const l of loaded) {
      const m = /^domain-reference (S\d{2})\b/.exec(l.scenario.reference ?? '');
      if (m) covered.add(m[1]!);
      else {
        // A composite actor (one crew with an advisory's whole capability set) cites the advisory and its section.
        expect(l.scenario.reference, `${l.file}: reference must start with "domain-reference Sxx" or cite an advisory`).toMatch(/^CISA\/FBI AA\d{2}-\d{3}A \(domain-reference §\d+(\.\d+)*\)$/);
        expect(l.scenario.examples.some((e) => e.source?.startsWith('https://www.cisa.gov/')), l.file).toBe(true);
      }
    }
    const expected = Array.from({ length: 18 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
    expect([...covered].sort()).toEqual(expected);
  });

  it('cites only ATT&CK techniques the domain reference lists, with their version', () => {
    for (const l of loaded) {
      expect(l.scenario.attackTechniques.length, `${l.file}: no attack_techniques`).toBeGreaterThan(0);
      for (const ref of l.scenario.attackTechniques) {
        const [, version, id] = ref.split(':') as [string, string, string];
        const known = KNOWN_TECHNIQUES[id];
        expect(known, `${l.file}: ${ref} is not a technique the domain reference lists`).toBeDefined();
        expect(version, `${l.file}: ${ref} belongs to ATT&CK ${known!.version}`).toBe(known!.version);
      }
    }
  });

  it('marks every technique the reference leaves unconfirmed with a [U] comment', () => {
    for (const l of loaded) {
      for (const ref of l.scenario.attackTechniques) {
        const id = ref.split(':')[2]!;
        if (!KNOWN_TECHNIQUES[id]?.unconfirmed) continue;
        const line = l.text.split('\n').find((ln) => ln.includes(ref));
        expect(line, `${l.file}: ${ref} is [U] in the reference and needs a "# [U] ..." comment`).toMatch(/#.*\[U\]/);
      }
    }
  });

  it('gives each scenario at least 3 tabletop injects in time order, decisions with 2-4 options', () => {
    for (const l of loaded) {
      const inj = l.scenario.injects;
      expect(inj.length, `${l.file}: needs at least 3 injects`).toBeGreaterThanOrEqual(3);
      expect(inj.length, `${l.file}: at most 6 injects`).toBeLessThanOrEqual(6);
      for (let i = 1; i < inj.length; i++) expect(inj[i]!.atMinute, `${l.file}: inject ${i} out of order`).toBeGreaterThanOrEqual(inj[i - 1]!.atMinute);
      for (const d of inj.map((x) => x.decision).filter((x) => x !== undefined)) {
        expect(d.options.length).toBeGreaterThanOrEqual(2);
        expect(d.options.length).toBeLessThanOrEqual(4);
      }
      expect(inj.some((x) => x.decision), `${l.file}: at least one inject should ask the room to decide`).toBe(true);
    }
  });

  it('keeps moves consistent with the strategy: claims are among strategy.claims', () => {
    for (const l of loaded) {
      for (const m of l.scenario.strategy.moves) {
        if (m.claim) expect(l.scenario.strategy.claims, `${l.file}: move claims ${m.claim}`).toContain(m.claim);
      }
    }
  });

  // The tabletop quotes `say` to the room as the caller's words; a stage direction there would tell
  // the room how the attack works. Narration belongs in `narration`, which only the facilitator sees.
  it("keeps the attacker's words (say) free of narration: no stage direction, no attacker in the third person, no alternatives", () => {
    const narrated = /^\(|\)$|\b(the attacker|the insider|the crew|the group|agent [AB])\b|^(if|or|alternatively|elsewhere|in parallel|at the counter)\b[^"]*:/i;
    let says = 0;
    for (const l of loaded) {
      for (const stage of [l.scenario.strategy, ...(l.scenario.then ?? []).map((t) => t.strategy)]) {
        for (const m of stage.moves) {
          if (m.say === undefined) continue;
          says++;
          expect(m.say.trim(), `${l.file}: ${m.move}`).not.toMatch(narrated);
        }
      }
    }
    expect(says).toBeGreaterThan(30);
  });

  it('ties every evidence line to the kinds of step it answers, so the tabletop gives it only there', () => {
    for (const l of loaded) {
      for (const m of l.scenario.strategy.moves) if (m.move === 'present_evidence') expect(m.at?.length, `${l.file}: present_evidence "${m.say ?? m.narration}"`).toBeGreaterThan(0);
    }
  });

  it('refuses "at" on a move that is not evidence: only present_evidence answers a step', () => {
    const text = readFileSync(join(LIBRARY, FILES[0]!), 'utf8').replace('- move: recon\n', '- move: recon\n      at: [proofing]\n');
    expect(text).toContain('at: [proofing]');
    const r = loadScenarioText(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map(formatIssue).join('\n')).toMatch(/"at" ties a present_evidence move/);
  });
});

// The modelling choices the analysis depends on: an over-armed attacker makes every workflow look
// broken, an under-armed one hides paths. These pin the choices the library documents.
describe('scenario library modelling choices', () => {
  const caps = (id: string) => [...(byId.get(id)?.attacker.capabilities ?? [])].sort();

  it('S01 isolates the proofing weakness: personal data and caller-ID spoofing, no pressure', () => {
    expect(caps('s01-osint-vishing')).toEqual(['caller_id_spoofing', 'osint_personal_data']);
  });

  it('S02 is the pressure scenario against an executive', () => {
    const s = byId.get('s02-executive-pressure')!;
    expect(s.target.accountClass).toBe('executive');
    expect(s.attacker.capabilities).toEqual(expect.arrayContaining(['urgency_pressure', 'authority_pressure']));
  });

  it('S09 and S09b differ only in one identity versus two', () => {
    const one = byId.get('s09-bribed-insider-agent')!;
    const two = byId.get('s09b-two-agent-identities')!;
    expect(one.attacker.capabilities).toEqual(['insider_bribed_agent']);
    expect(two.attacker.capabilities).toEqual(['multiple_agent_accounts']);
    expect(two.target.accountClass).toBe(one.target.accountClass);
    expect(two.strategy.channels).toEqual(one.strategy.channels);
    expect(two.strategy.claims).toEqual(one.strategy.claims);
  });

  it('only scenarios about exceptions use them: S12 (request and standing) and S15 (standing vendor exclusions)', () => {
    const withExceptions = loaded.filter((l) => l.scenario.strategy.exceptions.length > 0).map((l) => l.scenario.id);
    expect(withExceptions.sort()).toEqual(['s12-exception-never-expires', 's15-vendor-unlock']);
    expect([...byId.get('s12-exception-never-expires')!.strategy.exceptions].sort()).toEqual(['request', 'use_standing']);
    expect(byId.get('s15-vendor-unlock')!.strategy.exceptions).toEqual(['use_standing']);
  });

  it('S21-S25 each isolate the capabilities of issue 9 item 9 they are about, against a standard employee', () => {
    expect(caps('s21-synced-authenticator-seed')).toEqual(['osint_personal_data', 'synced_authenticator_seed']);
    expect(caps('s22-stolen-session-portal')).toEqual(['stolen_session']);
    expect(caps('s23-leaked-support-platform-credential')).toEqual(['support_platform_credential_leaked']);
    expect(caps('s24-push-fatigue-otp-relay')).toEqual(['mfa_push_fatigue', 'otp_relay_phishing']);
    expect(caps('s25-forged-id-at-the-counter')).toEqual(['camera_injection', 'forged_id_document', 'video_deepfake']);
    for (const id of ['s21-synced-authenticator-seed', 's22-stolen-session-portal', 's23-leaked-support-platform-credential', 's24-push-fatigue-otp-relay', 's25-forged-id-at-the-counter']) {
      expect(byId.get(id)!.target.accountClass, id).toBe('standard_employee');
    }
    expect(byId.get('s25-forged-id-at-the-counter')!.strategy.channels).toContain('walk_in');
  });

  it('S20 chains two takeovers: an impostor without agent identity takes over a help-desk agent, and only its second stage uses the console, with the agent account it gained', () => {
    const s = byId.get('s20-agent-then-admin-campaign')!;
    expect(s.target.accountClass).toBe('support_agent');
    expect(caps('s20-agent-then-admin-campaign')).toEqual(['caller_id_spoofing', 'osint_personal_data', 'urgency_pressure']);
    expect(s.then).toEqual([
      expect.objectContaining({ gains: ['agent_account_taken_over'], workflow: null, target: expect.objectContaining({ accountClass: 'privileged_admin' }), strategy: expect.objectContaining({ channels: ['agent_console'] }) }),
    ]);
    // Only the bundled campaigns have stages: S20 (agent, then admin) and S28 (carrier, then customer desk).
    expect(loaded.filter((l) => l.scenario.then).map((l) => l.scenario.id)).toEqual(['s20-agent-then-admin-campaign', 's28-carrier-sim-change-campaign']);
  });

  it('agent-console scenarios hold an agent identity, and only S07/S13 use a compromised account', () => {
    const agentConsole = loaded.filter((l) => l.scenario.strategy.channels.includes('agent_console')).map((l) => l.scenario.id);
    expect(agentConsole.sort()).toEqual(['s07-compromised-agent-account', 's09-bribed-insider-agent', 's09b-two-agent-identities', 's13-log-tampering', 's23-leaked-support-platform-credential']);
    expect(caps('s07-compromised-agent-account')).toEqual(['agent_account_compromised']);
    expect(caps('s13-log-tampering')).toEqual(['agent_account_compromised', 'log_tampering']);
  });
});
