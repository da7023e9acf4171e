// Framework references are stored as versioned ids ("csf:2.0:PR.AA-05", "attack:v18:T1656") with
// the confidence of the source behind them, so reports can say which mappings are unconfirmed.

/** Frameworks a control can map to, with the version pinned in the domain reference. */
export const FRAMEWORKS = {
  csf: { name: 'NIST Cybersecurity Framework', version: '2.0' },
  'sp800-63': { name: 'NIST SP 800-63 Digital Identity Guidelines', version: '4' },
  nhi: { name: 'OWASP Non-Human Identities Top 10', version: '2025' },
  attack: { name: 'MITRE ATT&CK Enterprise (technique)', version: 'v18' },
  'attack-mitigation': { name: 'MITRE ATT&CK Mitigation', version: 'v18' },
  iso27001: { name: 'ISO/IEC 27001 Annex A', version: '2022' },
  'sp800-53': { name: 'NIST SP 800-53', version: 'r5' },
  cis: { name: 'CIS Critical Security Controls', version: 'v8' },
} as const;
export type FrameworkId = keyof typeof FRAMEWORKS;

/**
 * Source confidence, as marked in the domain reference: C confirmed in a listed source,
 * C2 confirmed through a secondary source only, U unconfirmed (shown as such), D our derivation.
 */
export type Confidence = 'C' | 'C2' | 'U' | 'D';

export interface FrameworkRef {
  framework: FrameworkId;
  version: string;
  id: string;
  confidence: Confidence;
  /** Why the mapping is partial or unconfirmed, when it is. */
  note?: string;
}

/** Parses "framework:version:id" into a reference; throws on an unknown framework (a data bug). */
export function ref(key: string, confidence: Confidence = 'C', note?: string): FrameworkRef {
  const [framework = "", version, ...rest] = key.split(':');
  const id = rest.join(':');
  if (!(framework in FRAMEWORKS) || !version || !id) throw new Error(`bad framework reference "${key}"`);
  return note === undefined
    ? { framework: framework as FrameworkId, version, id, confidence }
    : { framework: framework as FrameworkId, version, id, confidence, note };
}

/** Formats a reference the way reports print it, e.g. "NIST CSF 2.0 PR.AA-05 [unconfirmed]". */
export function formatRef(r: FrameworkRef): string {
  const short: Record<FrameworkId, string> = {
    csf: 'CSF 2.0',
    'sp800-63': 'SP 800-63-4',
    nhi: 'OWASP NHI 2025',
    attack: `ATT&CK ${r.version}`,
    'attack-mitigation': `ATT&CK ${r.version}`,
    iso27001: 'ISO 27001:2022',
    'sp800-53': 'SP 800-53 r5',
    cis: 'CIS v8',
  };
  const mark = r.confidence === 'U' ? ' [unconfirmed]' : '';
  return `${short[r.framework]} ${r.id}${mark}`;
}

/** ATT&CK v19 renumbered Impersonation; we keep the v18 id and record the alias. */
export const ATTACK_ALIASES: Record<string, { v19: string; confidence: Confidence }> = {
  T1656: { v19: 'T1684.001', confidence: 'C2' },
};
