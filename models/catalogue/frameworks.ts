// Framework references are stored as versioned ids ("csf:2.0:PR.AA-05", "attack:v18:T1656"). Each
// carries two separate judgements an auditor needs apart: whether the id is confirmed to exist in the
// pinned framework version (and from which source, at which version or commit), and how well it fits
// the control (direct, partial, analogy), with a one-line rationale.

/** Frameworks a control can map to, with the version pinned in the domain reference. */
export const FRAMEWORKS = {
  csf: { name: 'NIST Cybersecurity Framework', version: '2.0' },
  'sp800-63': { name: 'NIST SP 800-63 Digital Identity Guidelines', version: '4' },
  nhi: { name: 'OWASP Non-Human Identities Top 10', version: '2025' },
  attack: { name: 'MITRE ATT&CK Enterprise (technique)', version: 'v18' },
  'attack-mitigation': { name: 'MITRE ATT&CK Enterprise (mitigation)', version: 'v18' },
  'attack-mobile': { name: 'MITRE ATT&CK Mobile (technique)', version: 'v18' },
  'attack-mobile-mitigation': { name: 'MITRE ATT&CK Mobile (mitigation)', version: 'v18' },
  iso27001: { name: 'ISO/IEC 27001 Annex A', version: '2022' },
  'sp800-53': { name: 'NIST SP 800-53', version: 'r5' },
  cis: { name: 'CIS Critical Security Controls', version: 'v8' },
  'aa23-320a': { name: 'CISA/FBI et al. advisory AA23-320A (Scattered Spider) mitigations', version: '2025-07-29' },
} as const;
export type FrameworkId = keyof typeof FRAMEWORKS;

/**
 * Source confidence, as marked in the domain reference: C confirmed in a listed source,
 * C2 confirmed through a secondary source only, U unconfirmed (shown as such), D our derivation.
 * Kept for reports already stored as resetpath/analysis@2; it is derived from `existence` now.
 */
export type Confidence = 'C' | 'C2' | 'U' | 'D';

/** How well a framework item fits the control: says the same thing, covers part of it, or is only alike. */
export const FITS = ['direct', 'partial', 'analogy'] as const;
export type Fit = (typeof FITS)[number];

/** Whether the id is confirmed to exist in the pinned version: in primary data, only via a secondary copy, or not at all. */
export const EXISTENCE_STATUSES = ['confirmed', 'secondary', 'unconfirmed'] as const;
export type ExistenceStatus = (typeof EXISTENCE_STATUSES)[number];

/** A source the existence of ids was checked against, with the version or commit read. */
export interface SourceDef {
  title: string;
  /** The version or commit of the source that was read. */
  checked: string;
  /** primary: the publisher's own data or a faithful copy of it; secondary: a third-party reproduction or summary. */
  kind: 'primary' | 'secondary';
  /** Who checked it: a test against a pinned extract, or the catalogue review of issue 10. */
  checkedBy: string;
}

const REVIEW = 'the issue-10 catalogue review (shared/docs/reviews/catalogue-and-verdict-audit.md, §0 sources)';

export const SOURCES = {
  'attack-stix': {
    title: 'MITRE ATT&CK STIX data (mitre/cti)',
    checked: 'ATT&CK v18.1, commit 421deacb77191b38bdd1bf63268954e93da91365',
    kind: 'primary',
    checkedBy: 'test against the pinned extract test/fixtures/frameworks/attack-v18.1.json',
  },
  'oscal-sp800-53r5': {
    title: 'NIST OSCAL SP 800-53 r5 catalogue (usnistgov/oscal-content)',
    checked: 'catalogue 5.0.1 @ a849dbca46, baselines 5.1.1 @ 88bb8deeaa',
    kind: 'primary',
    checkedBy: 'test against the pinned extract test/fixtures/frameworks/sp800-53-r5.json',
  },
  'sp800-63b-4-text': {
    title: 'SP 800-63B-4 source text (usnistgov/800-63-4, _sp800-63b/4_events.md)',
    checked: 'commit d26e8a278c1aad19d859b13f772be327ab9ed888',
    kind: 'primary',
    checkedBy: `${REVIEW}; §4.2.1 re-read for issue 10`,
  },
  'sp800-63a-4-summary': {
    title: 'Section summary of the final SP 800-63A-4 (third party), with the draft fraud-management text (usnistgov/800-63-4 _sp800-63a/3_ialgen.md)',
    checked: 'final 63A-4 (Aug 2025) via summary; draft text @ 433f22fa4b',
    kind: 'secondary',
    checkedBy: `${REVIEW}; §2.5.1, §3.2.1, §3.14 re-read for issue 10`,
  },
  'csf-2.0': {
    title: 'NIST CSF 2.0 (CSWP 29) Appendix A subcategory table, verbatim copy',
    checked: 'CSF 2.0, Feb 2024',
    kind: 'primary',
    checkedBy: REVIEW,
  },
  'owasp-nhi-2025': {
    title: 'OWASP Non-Human Identities Top 10 (OWASP/www-project-non-human-identities-top-10, 2025/docs/top-10-2025.md)',
    checked: 'commit 7c9ee8d',
    kind: 'primary',
    checkedBy: REVIEW,
  },
  'iso27001-2022-lists': {
    title: 'ISO/IEC 27001:2022 Annex A control list via public reproductions (the standard is paywalled)',
    checked: '2022 edition',
    kind: 'secondary',
    checkedBy: REVIEW,
  },
  'cis-v8.1-lists': {
    title: 'CIS Controls v8.1 safeguard tables via public reproductions',
    checked: 'v8.1',
    kind: 'secondary',
    checkedBy: `${REVIEW}; 14.9, 15.5, 15.6 titles re-read for issue 10`,
  },
  'aa23-320a-text': {
    title: 'CISA/FBI et al. Joint Cybersecurity Advisory AA23-320A, stored copy of the advisory page',
    checked: 'updated 29 Jul 2025',
    kind: 'primary',
    checkedBy: 'domain reference §6.1 (as captured); not re-read for issue 10',
  },
  'aa23-320a-repro': {
    title: 'AA23-320A mitigations section as reproduced by a third party (SOCRadar)',
    checked: '2023 text',
    kind: 'secondary',
    checkedBy: 'domain reference §6.1 (as captured); not re-read for issue 10',
  },
} as const satisfies Record<string, SourceDef>;
export type SourceId = keyof typeof SOURCES;

/** The source each framework's ids are checked against, unless a mapping names another. */
export const FRAMEWORK_SOURCES: Record<FrameworkId, SourceId> = {
  csf: 'csf-2.0',
  'sp800-63': 'sp800-63b-4-text',
  nhi: 'owasp-nhi-2025',
  attack: 'attack-stix',
  'attack-mitigation': 'attack-stix',
  'attack-mobile': 'attack-stix',
  'attack-mobile-mitigation': 'attack-stix',
  iso27001: 'iso27001-2022-lists',
  'sp800-53': 'oscal-sp800-53r5',
  cis: 'cis-v8.1-lists',
  'aa23-320a': 'aa23-320a-text',
};

export interface Existence {
  status: ExistenceStatus;
  source: SourceId;
}

export interface FrameworkRef {
  framework: FrameworkId;
  version: string;
  id: string;
  /** Source confidence in the old single-flag form (C, C2, U); derived from existence. */
  confidence: Confidence;
  /** Is the id confirmed to exist in the pinned version, and where was that checked. */
  existence: Existence;
  /** How well the framework item fits the control. */
  fit: Fit;
  /** One line: why this item maps to this control (and, if partial or analogy, what it leaves out). */
  rationale: string;
  /** Why the id is unconfirmed, when it is. */
  note?: string;
}

export interface RefOptions {
  /** Check the id against this source instead of the framework's default one. */
  source?: SourceId;
  /** The id could not be confirmed: say why. It prints as "[unconfirmed]". */
  unconfirmed?: string;
}

const CONFIDENCE_OF: Record<ExistenceStatus, Confidence> = { confirmed: 'C', secondary: 'C2', unconfirmed: 'U' };

/**
 * A mapping of a control to a framework item: "framework:version:id", its fit and a one-line rationale.
 * Throws on an unknown framework, a fit outside direct/partial/analogy or an empty rationale (data bugs).
 */
export function ref(key: string, fit: Fit, rationale: string, opts: RefOptions = {}): FrameworkRef {
  const [framework = '', version, ...rest] = key.split(':');
  const id = rest.join(':');
  if (!(framework in FRAMEWORKS) || !version || !id) throw new Error(`bad framework reference "${key}": expected framework:version:id with framework one of ${Object.keys(FRAMEWORKS).join(', ')}`);
  if (!(FITS as readonly string[]).includes(fit)) throw new Error(`bad fit "${fit}" for "${key}": expected one of ${FITS.join(', ')}`);
  if (!rationale.trim()) throw new Error(`framework reference "${key}" has no rationale`);
  const fw = framework as FrameworkId;
  const source = opts.source ?? FRAMEWORK_SOURCES[fw];
  if (!(source in SOURCES)) throw new Error(`framework reference "${key}" names unknown source "${source}"`);
  const status: ExistenceStatus = opts.unconfirmed !== undefined ? 'unconfirmed' : SOURCES[source].kind === 'primary' ? 'confirmed' : 'secondary';
  const out: FrameworkRef = { framework: fw, version, id, confidence: CONFIDENCE_OF[status], existence: { status, source }, fit, rationale };
  if (opts.unconfirmed !== undefined) out.note = opts.unconfirmed;
  return out;
}

/** The "framework:version:id" key of a reference. */
export function refKey(r: Pick<FrameworkRef, 'framework' | 'version' | 'id'>): string {
  return `${r.framework}:${r.version}:${r.id}`;
}

/** Formats a reference the way reports print it, e.g. "CSF 2.0 PR.AA-05 [unconfirmed]". */
export function formatRef(r: Pick<FrameworkRef, 'framework' | 'version' | 'id' | 'confidence'>): string {
  const short: Record<FrameworkId, string> = {
    csf: 'CSF 2.0',
    'sp800-63': 'SP 800-63-4',
    nhi: 'OWASP NHI 2025',
    attack: `ATT&CK ${r.version}`,
    'attack-mitigation': `ATT&CK ${r.version}`,
    'attack-mobile': `ATT&CK Mobile ${r.version}`,
    'attack-mobile-mitigation': `ATT&CK Mobile ${r.version}`,
    iso27001: 'ISO 27001:2022',
    'sp800-53': 'SP 800-53 r5',
    cis: 'CIS v8',
    'aa23-320a': 'AA23-320A',
  };
  const mark = r.confidence === 'U' ? ' [unconfirmed]' : '';
  return `${short[r.framework]} ${r.id}${mark}`;
}

/** What the existence attribute says, in words: "confirmed in <source> (<version or commit>)". */
export function formatExistence(e: Existence): string {
  const s = SOURCES[e.source];
  const how = e.status === 'confirmed' ? 'confirmed in' : e.status === 'secondary' ? 'confirmed only via' : 'not confirmed in';
  return `${how} ${s.title} (${s.checked})`;
}

/** ATT&CK v19 renumbered Impersonation; we keep the v18 id and record the alias. */
export const ATTACK_ALIASES: Record<string, { v19: string; confidence: Confidence }> = {
  T1656: { v19: 'T1684.001', confidence: 'C2' },
};
