// What the issue-10 review of the framework mappings changed, kept as data: the pairs dropped and the
// pairs renamed (free-text 63A labels to section numbers, T1451 and its mitigations to ATT&CK Mobile),
// each with its reason. Added pairs need no entry: their reason is the mapping's own rationale.
// docs/mapping-changes.md is generated from this, the catalogue and the catalogue as it stood before.
import { CONTROLS } from './controls.ts';
import { formatExistence, formatRef, refKey, type Confidence, type FrameworkId, type FrameworkRef } from './frameworks.ts';

/** A pair the review took out of the catalogue. */
export interface DroppedMapping {
  control: string;
  /** "framework:version:id" as the previous catalogue had it. */
  ref: string;
  reason: string;
}

/** A pair kept but stored under another key. */
export interface RenamedMapping {
  control: string;
  from: string;
  to: string;
  reason: string;
}

const M1017 = 'M1017 User Training is the only mitigation ATT&CK lists against T1656/T1566.004, but this control is a verification check, not training; ATT&CK has no verification mitigation, so the column stays empty (M1017 stays on training.helpdesk)';
const CIS_NO_PROOFING = '6.1 is the access-granting process on hire or role change; CIS v8 has no identity-proofing safeguard, so none is mapped';
const NHI_HUMAN = 'OWASP NHI risks apply to non-human identities; this control is about people';

export const DROPPED_MAPPINGS: readonly DroppedMapping[] = [
  { control: 'proofing.ial2', ref: 'attack-mitigation:v18:M1017', reason: M1017 },
  { control: 'proofing.ial2', ref: 'cis:v8:6.1', reason: CIS_NO_PROOFING },
  { control: 'proofing.no_pii_kbv', ref: 'attack-mitigation:v18:M1017', reason: M1017 },
  { control: 'proofing.no_pii_kbv', ref: 'cis:v8:14.2', reason: '14.2 trains staff to recognise social engineering; this control is a rule about what counts as proof' },
  { control: 'deepfake.liveness', ref: 'csf:2.0:PR.AT-02', reason: 'a training subcategory on a technical liveness and injection check' },
  { control: 'deepfake.liveness', ref: 'attack-mitigation:v18:M1017', reason: M1017 },
  { control: 'deepfake.liveness', ref: 'iso27001:2022:A.6.3', reason: 'awareness training on a technical liveness check' },
  { control: 'deepfake.liveness', ref: 'sp800-53:r5:AT-2(3)', reason: 'a training enhancement on a technical check; dropped for the reason the review gives for PR.AT-02, A.6.3 and 14.2 on this control (AT-2(3) stays on training.helpdesk)' },
  { control: 'deepfake.liveness', ref: 'cis:v8:14.2', reason: 'a training safeguard on a technical check' },
  { control: 'callback.number_on_file', ref: 'attack-mitigation:v18:M1017', reason: M1017 },
  { control: 'callback.number_on_file', ref: 'cis:v8:6.1', reason: CIS_NO_PROOFING },
  { control: 'approval.manager', ref: 'iso27001:2022:A.5.3', reason: "a manager's confirmation is an authorisation, not segregation of duties; A.5.18 covers it" },
  { control: 'approval.dual', ref: 'cis:v8:6.8', reason: 'role-based access control is not dual authorisation; CIS v8 has no dual-authorisation safeguard' },
  { control: 'privileged.separate_path', ref: 'cis:v8:6.5', reason: 'MFA for administrative access does not describe a separate recovery path; 5.4 does' },
  { control: 'notify.out_of_band', ref: 'csf:2.0:RS.CO-02', reason: 'RS.CO-02 is notifying stakeholders of declared incidents, not a routine notice of a reset' },
  { control: 'notify.out_of_band', ref: 'sp800-53:r5:IR-6', reason: 'IR-6 is personnel reporting incidents to the incident-response capability' },
  { control: 'cooldown.delay', ref: 'sp800-53:r5:AC-2(12)', reason: 'Account Monitoring for Atypical Usage is monitoring, not a waiting period (it stays on detect.reset_anomaly)' },
  { control: 'session.revoke_on_reset', ref: 'nhi:2025:NHI7', reason: `${NHI_HUMAN}: the sessions of a human reset are not long-lived NHI secrets` },
  { control: 'authn.phishing_resistant', ref: 'nhi:2025:NHI4', reason: `${NHI_HUMAN}: NHI4 is insecure authentication between services` },
  { control: 'recovery.self_service_strong', ref: 'cis:v8:6.1', reason: CIS_NO_PROOFING },
  { control: 'sim_swap.signal', ref: 'sp800-53:r5:SI-4', reason: 'System Monitoring is a monitoring programme; checking a risk signal before trusting a PSTN factor is IA-10 Adaptive Authentication (added), and SI-4 moves to detect.reset_anomaly' },
  { control: 'agent.least_privilege', ref: 'nhi:2025:NHI5', reason: `${NHI_HUMAN}: it scopes agents' roles; the tooling's service accounts are not in its definition or evidence` },
  { control: 'agent.insider_controls', ref: 'attack:v18:T1586', reason: 'Compromise Accounts is Resource Development; the "paying employees" phrase is in its text, but ATT&CK has no technique for an insider abusing a desk role' },
  { control: 'agent.insider_controls', ref: 'attack-mitigation:v18:M1018', reason: 'User Account Management is account lifecycle; ATT&CK has no mitigation for insider analytics' },
  { control: 'agent.insider_controls', ref: 'cis:v8:14.1', reason: 'an awareness programme; insider analytics is not awareness' },
  { control: 'ticket.integrity', ref: 'csf:2.0:PR.PS-04', reason: 'log generation; this control is requester authentication and secret hygiene (PR.AA-03 added)' },
  { control: 'ticket.integrity', ref: 'csf:2.0:DE.AE-03', reason: 'event correlation; nothing in this control correlates' },
  { control: 'ticket.integrity', ref: 'attack:v18:T1534', reason: 'Internal Spearphishing is phishing colleagues from a compromised internal account; a forged mail-to-ticket sender is T1672 Email Spoofing and a request from the taken-over mailbox is T1078 (both added)' },
  { control: 'ticket.integrity', ref: 'attack-mitigation:v18:M1018', reason: 'account management does not cover authenticating ticket requesters' },
  { control: 'ticket.integrity', ref: 'iso27001:2022:A.8.15', reason: 'logging; nothing in this control is about logs' },
  { control: 'ticket.integrity', ref: 'sp800-53:r5:AU-12', reason: 'Audit Record Generation is not part of this control' },
  { control: 'ticket.integrity', ref: 'cis:v8:8.2', reason: 'Collect Audit Logs is not part of this control' },
  { control: 'log.immutable', ref: 'nhi:2025:NHI10', reason: `${NHI_HUMAN}: NHI10 is humans acting as a service identity; an immutable log of human resets is not about NHIs` },
  { control: 'detect.reset_anomaly', ref: 'nhi:2025:NHI10', reason: `${NHI_HUMAN}: NHI10 is humans using service accounts` },
  { control: 'detect.reset_anomaly', ref: 'attack-mitigation:v18:M1036', reason: 'Account Use Policies is a preventive mitigation; M1047 Audit already covers detection' },
  { control: 'review.post_event', ref: 'csf:2.0:ID.IM-02', reason: 'improvements from tests and exercises; a review of resets is not an exercise' },
  { control: 'review.post_event', ref: 'sp800-63:4:63A fraud program reviews', reason: "the 63A-4 clause (§3.2.2) has relying parties periodically review their CSP's fraud programme; it is not a re-check of individual resets" },
  { control: 'review.post_event', ref: 'iso27001:2022:A.5.35', reason: 'independent review of the ISMS (audit), not a review of individual resets; A.5.36 fits and stays' },
  { control: 'review.post_event', ref: 'cis:v8:17.7', reason: 'Conduct Routine Incident Response Exercises; not a review of resets' },
  { control: 'exception.expiry', ref: 'nhi:2025:NHI7', reason: `${NHI_HUMAN}: expiring policy exceptions for people is only an analogy to long-lived NHI secrets` },
  { control: 'exception.expiry', ref: 'nhi:2025:NHI1', reason: `${NHI_HUMAN}: NHI1 is improper offboarding of NHIs, unrelated to MFA or conditional-access exceptions` },
  { control: 'exception.expiry', ref: 'sp800-53:r5:CA-5', reason: 'CA-5 is Plan of Action and Milestones (tracking remediation of control deficiencies); AC-2(2) and AC-2(3) cover expiry' },
  { control: 'exception.expiry', ref: 'cis:v8:5.3', reason: 'Disable Dormant Accounts; an exception is not a dormant account' },
  { control: 'vendor.contract_controls', ref: 'nhi:2025:NHI3', reason: `${NHI_HUMAN}: NHI3 is third-party NHIs (IDE extensions, SaaS holding your NHIs); an outsourced human desk is not one (15.5/15.6 added)` },
];

/** A pair the review called doubtful that was kept, with the fit it now records and why. */
export interface KeptMapping {
  control: string;
  ref: string;
  reason: string;
}

export const KEPT_DOUBTFUL: readonly KeptMapping[] = [
  { control: 'exception.expiry', ref: 'sp800-53:r5:CM-3', reason: 'doubtful in the review; kept as a partial fit because conditional-access exclusions, one kind of exception this control expires, are configuration changes under CM-3' },
];

const SECTION = 'the free-text label replaced by the 63A-4 section number (final text via a third-party section summary, so existence is "secondary")';
const MOBILE = 'filed as ATT&CK Enterprise; it is in the ATT&CK Mobile domain';

export const RENAMED_MAPPINGS: readonly RenamedMapping[] = [
  { control: 'proofing.ial2', from: 'sp800-63:4:63A IAL2', to: 'sp800-63:4:63A §4.2', reason: 'the level name replaced by the 63A-4 section that sets the IAL2 requirements' },
  { control: 'proofing.no_pii_kbv', from: 'sp800-63:4:63A-4 KBV not for verification', to: 'sp800-63:4:63A §2.5.1', reason: SECTION },
  { control: 'deepfake.liveness', from: 'sp800-63:4:63A remote attended randomized cues', to: 'sp800-63:4:63A §3.14', reason: SECTION },
  { control: 'authn.phishing_resistant', from: 'attack:v18:T1451', to: 'attack-mobile:v18:T1451', reason: MOBILE },
  { control: 'sim_swap.signal', from: 'sp800-63:4:63A fraud management: SIM-swap detection', to: 'sp800-63:4:63A §3.2.1', reason: SECTION },
  { control: 'sim_swap.signal', from: 'attack:v18:T1451', to: 'attack-mobile:v18:T1451', reason: MOBILE },
  { control: 'sim_swap.signal', from: 'attack-mitigation:v18:M1011', to: 'attack-mobile-mitigation:v18:M1011', reason: `${MOBILE} (was marked only by a "mobile" note)` },
  { control: 'sim_swap.signal', from: 'attack-mitigation:v18:M1012', to: 'attack-mobile-mitigation:v18:M1012', reason: `${MOBILE} (was marked only by a "mobile" note)` },
  { control: 'detect.reset_anomaly', from: 'sp800-63:4:63A fraud management: transaction analytics', to: 'sp800-63:4:63A §3.2.1', reason: SECTION },
  { control: 'training.helpdesk', from: 'sp800-63:4:63A agents trained to spot manipulation', to: 'sp800-63:4:63A §3.2.1', reason: SECTION },
];

/** The catalogue's mappings before the change, as docs/data/mappings-before-issue10.json holds them. */
export interface PreviousCatalogue {
  source: { commit: string; path: string; note?: string };
  controls: { control: string; mappings: { ref: string; confidence: Confidence; note?: string }[] }[];
}

/** One changed (control, framework item) pair: what it was, what it is, and why. */
export interface MappingChange {
  control: string;
  kind: 'dropped' | 'renamed' | 'added' | 'existence re-checked' | 'kept, fit recorded';
  previous: string | null;
  current: string | null;
  reason: string;
}

function label(key: string, confidence: Confidence): string {
  const [framework = '', version = '', ...rest] = key.split(':');
  return formatRef({ framework: framework as FrameworkId, version, id: rest.join(':'), confidence });
}

function previousText(p: { ref: string; confidence: Confidence; note?: string }): string {
  return `${label(p.ref, p.confidence)} (flag ${p.confidence}${p.note ? `: ${p.note}` : ''})`;
}

function currentText(m: FrameworkRef): string {
  return `${formatRef(m)} (exists: ${m.existence.status}; fit: ${m.fit})`;
}

/**
 * Every pair that differs between the previous catalogue and the current one, with its reason.
 * Throws when a removed pair has no recorded reason, or a recorded change does not match the data,
 * so the record cannot drift from the catalogue.
 */
export function mappingChanges(previous: PreviousCatalogue, controls: readonly { id: string; mappings: readonly FrameworkRef[] }[] = CONTROLS): MappingChange[] {
  const out: MappingChange[] = [];
  const used = new Set<string>();
  for (const p of previous.controls) {
    const c = controls.find((x) => x.id === p.control);
    if (!c) throw new Error(`control "${p.control}" of the previous catalogue is not in the catalogue`);
    const now = new Map(c.mappings.map((m) => [refKey(m), m]));
    const before = new Map(p.mappings.map((m) => [m.ref, m]));
    const renamedTo = new Set<string>();
    for (const pm of p.mappings) {
      const cur = now.get(pm.ref);
      if (cur) {
        const kept = KEPT_DOUBTFUL.find((k) => k.control === p.control && k.ref === pm.ref);
        if (kept) {
          used.add(`keep ${p.control} ${pm.ref}`);
          out.push({ control: p.control, kind: 'kept, fit recorded', previous: previousText(pm), current: currentText(cur), reason: `${kept.reason}; ${cur.rationale}` });
        } else if (cur.confidence !== pm.confidence) out.push({ control: p.control, kind: 'existence re-checked', previous: previousText(pm), current: currentText(cur), reason: `${formatExistence(cur.existence)}; fit: ${cur.rationale}` });
        continue;
      }
      const dropped = DROPPED_MAPPINGS.find((d) => d.control === p.control && d.ref === pm.ref);
      const renamed = RENAMED_MAPPINGS.find((r) => r.control === p.control && r.from === pm.ref);
      if (dropped) {
        used.add(`drop ${p.control} ${pm.ref}`);
        out.push({ control: p.control, kind: 'dropped', previous: previousText(pm), current: null, reason: dropped.reason });
      } else if (renamed) {
        const to = now.get(renamed.to);
        if (!to) throw new Error(`${p.control}: "${pm.ref}" is recorded as renamed to "${renamed.to}", which the catalogue does not have`);
        used.add(`rename ${p.control} ${pm.ref}`);
        renamedTo.add(renamed.to);
        out.push({ control: p.control, kind: 'renamed', previous: previousText(pm), current: currentText(to), reason: `${renamed.reason}; ${to.rationale}` });
      } else {
        throw new Error(`${p.control}: "${pm.ref}" was removed with no reason recorded in DROPPED_MAPPINGS or RENAMED_MAPPINGS`);
      }
    }
    for (const [key, m] of now) {
      if (before.has(key) || renamedTo.has(key)) continue;
      out.push({ control: p.control, kind: 'added', previous: null, current: currentText(m), reason: m.rationale });
    }
  }
  for (const d of DROPPED_MAPPINGS) if (!used.has(`drop ${d.control} ${d.ref}`)) throw new Error(`DROPPED_MAPPINGS lists ${d.control} "${d.ref}", which the previous catalogue did not have or the catalogue still has`);
  for (const k of KEPT_DOUBTFUL) if (!used.has(`keep ${k.control} ${k.ref}`)) throw new Error(`KEPT_DOUBTFUL lists ${k.control} "${k.ref}", which is not in both the previous catalogue and the catalogue`);
  for (const r of RENAMED_MAPPINGS) if (!used.has(`rename ${r.control} ${r.from}`)) throw new Error(`RENAMED_MAPPINGS lists ${r.control} "${r.from}", which the previous catalogue did not have or the catalogue still has`);
  return out;
}

function cell(s: string | null): string {
  return s === null ? '—' : s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** docs/mapping-changes.md: the table of changed pairs, generated from the data. */
export function mappingChangesMarkdown(previous: PreviousCatalogue, controls?: readonly { id: string; mappings: readonly FrameworkRef[] }[]): string {
  const changes = mappingChanges(previous, controls);
  const count = (k: MappingChange['kind']): number => changes.filter((c) => c.kind === k).length;
  const lines = [
    '# Framework mapping changes (issue 10)',
    '',
    '<!-- Generated by `npx tsx scripts/write-mapping-changes.ts` from models/catalogue/ and',
    `     docs/data/mappings-before-issue10.json; a test fails when this file differs. Do not edit by hand. -->`,
    '',
    `Every (control, framework item) pair that differs from the catalogue at commit ${previous.source.commit.slice(0, 10)} (the one`,
    'reviewed in shared/docs/reviews/catalogue-and-verdict-audit.md), with the previous value, the new value and the reason.',
    '"exists" says whether the id is confirmed in the pinned framework version (confirmed: primary data;',
    'secondary: only via a third-party copy; unconfirmed); "fit" says how well it fits the control (direct,',
    'partial, analogy). `resetpath controls <id>` prints the source and version behind each.',
    '',
    `${count('dropped')} dropped, ${count('renamed')} renamed, ${count('added')} added, ${count('kept, fit recorded')} doubtful pair kept with its fit, ${count('existence re-checked')} with the existence flag re-checked. Every other pair is unchanged except that it now records a fit and a rationale (\`resetpath controls <id>\`).`,
    '',
    '| control | change | previous | new | reason |',
    '|---|---|---|---|---|',
    ...changes.map((c) => `| ${c.control} | ${c.kind} | ${cell(c.previous)} | ${cell(c.current)} | ${cell(c.reason)} |`),
    '',
  ];
  return lines.join('\n');
}
