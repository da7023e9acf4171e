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
  'aa23-320a': { name: 'CISA/FBI et al. Joint Cybersecurity Advisory AA23-320A (Scattered Spider), mitigations', version: '2025-07-29' },
  'hc3-2024': { name: 'HHS HC3 Sector Alert "Social Engineering Attempts on IT Help Desks"', version: '2024-04-03' },
  'mandiant-unc3944': { name: 'Google/Mandiant "Defending Against UNC3944: Cybercrime Hardening Guidance from the Frontlines"', version: '2025-05-06' },
  'ncsc-retail-2025': { name: 'UK NCSC "Incidents impacting retailers - recommendations from the NCSC"', version: '2025-05' },
  'nydfs-2024': { name: 'NYDFS industry letter "Cybersecurity Alert: Social Engineering"', version: '2024-09-27' },
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
  /** Who checked it: scripts/write-verified-ids.ts and the ledger test, or the catalogue review of issue 10. */
  checkedBy: string;
}

const REVIEW = 'the issue-10 catalogue review (shared/docs/reviews/catalogue-and-verdict-audit.md, §0 sources)';

export const SOURCES = {
  'attack-stix': {
    title: 'MITRE ATT&CK STIX data (mitre/cti)',
    checked: 'ATT&CK v18.1, commit 421deacb77191b38bdd1bf63268954e93da91365',
    kind: 'primary',
    checkedBy: 'scripts/write-verified-ids.ts on a fetched mitre/cti; each id in use recorded in test/fixtures/frameworks/verified-ids.json, which a test checks',
  },
  'oscal-sp800-53r5': {
    title: 'NIST OSCAL SP 800-53 r5 catalogue (usnistgov/oscal-content)',
    checked: 'catalogue 5.0.1 @ a849dbca46, baselines 5.1.1 @ 88bb8deeaa',
    kind: 'primary',
    checkedBy: 'scripts/write-verified-ids.ts on a fetched usnistgov/oscal-content; each id in use recorded in test/fixtures/frameworks/verified-ids.json, which a test checks',
  },
  'sp800-63b-4-text': {
    title: 'SP 800-63B-4 source text (usnistgov/800-63-4, _sp800-63b/4_events.md)',
    checked: 'commit d26e8a278c1aad19d859b13f772be327ab9ed888',
    kind: 'primary',
    checkedBy: `${REVIEW}; §4.2.1 re-read for issue 10`,
  },
  'sp800-63b-4-authenticators': {
    title: 'SP 800-63B-4 source text (usnistgov/800-63-4, _sp800-63b/3_authenticators.md)',
    checked: 'commit d26e8a278c1aad19d859b13f772be327ab9ed888',
    kind: 'primary',
    checkedBy: 're-read 2026-12-07 in the stored copy of that commit: §3.1.1.2 (password verifiers, items 7 and 8), §3.1.3.3 (PSTN: restricted; risk indicators before use)',
  },
  'sp800-63b-4-aal': {
    title: 'SP 800-63B-4 source text (usnistgov/800-63-4, _sp800-63b/2_aal.md)',
    checked: 'commit d26e8a278c1aad19d859b13f772be327ab9ed888',
    kind: 'primary',
    checkedBy: 're-read 2026-12-07 in the stored copy of that commit: AAL2 (permitted types; a phishing-resistant option SHALL be offered), AAL3 (hardware-based, phishing-resistant)',
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
    title: 'CISA/FBI et al. Joint Cybersecurity Advisory AA23-320A, stored copy of the advisory page (cisa.gov/news-events/cybersecurity-advisories/aa23-320a)',
    checked: 'as updated 29 Jul 2025',
    kind: 'primary',
    checkedBy: 'domain reference §6.1 ("Actions to take today" [C]); not re-read for issue 10 (no copy of the page was reachable)',
  },
  'aa23-320a-repro': {
    title: 'AA23-320A mitigations section as reproduced by a third party (socradar.io/free-tools/campaigns/1159)',
    checked: '2023 text',
    kind: 'secondary',
    checkedBy: 'domain reference §6.1 [C2]; the reproduction re-read for issue 10',
  },
  'hc3-2024-reports': {
    title: 'Reporting on the HHS HC3 TLP:CLEAR sector alert (industrialcyber.co, AHA notice via securelogix.com); original PDF not reached',
    checked: 'alert of 3 Apr 2024',
    kind: 'secondary',
    checkedBy: 'domain reference §6.7 [C2]; not re-read for issue 10',
  },
  'mandiant-unc3944-repro': {
    title: 'Google/Mandiant UNC3944 hardening guidance, title and date via archive, text via a reproduction (labdevs.org)',
    checked: 'post of 6 May 2025',
    kind: 'secondary',
    checkedBy: 'domain reference §6.3 [C2]; not re-read for issue 10',
  },
  'ncsc-retail-2025-repro': {
    title: 'NCSC blog (Ellison, Whitehouse) via reproductions; canonical URL not confirmed',
    checked: 'May 2025',
    kind: 'secondary',
    checkedBy: 'domain reference §6.2 [C2]; not re-read for issue 10',
  },
  'nydfs-2024-letter': {
    title: 'NYDFS industry letter, dfs.ny.gov/industry-guidance/industry-letters/il20240927-cyber-alert-social-engineering',
    checked: 'letter of 27 Sep 2024',
    kind: 'primary',
    checkedBy: 'domain reference §6.8 [C]; not re-read for issue 10',
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
  'hc3-2024': 'hc3-2024-reports',
  'mandiant-unc3944': 'mandiant-unc3944-repro',
  'ncsc-retail-2025': 'ncsc-retail-2025-repro',
  'nydfs-2024': 'nydfs-2024-letter',
};

/** A recommendation of a guidance publication, as the domain reference records it (§6). */
export interface GuidanceItem {
  /** Short name used in reports. */
  short: string;
  /** The recommendation, as close to the publication's words as the source we read allows. */
  text: string;
  /** Where its text was read, when not the publication's default source. */
  source?: SourceId;
}

/**
 * The guidance family: public help-desk guidance a gap can say it breaks. These publications do not
 * number their recommendations, so the id is ResetPath's short key for the recommendation quoted
 * here, never an identifier the publisher assigned. Only recommendations the domain reference could
 * source are listed; AA23-320A prescribes no help-desk verification step in the text captured, so it
 * has none here (domain reference §6.1, §10 item 5).
 */
export const GUIDANCE: Partial<Record<FrameworkId, Record<string, GuidanceItem>>> = {
  'aa23-320a': {
    'phishing-resistant-mfa': { short: 'enable and enforce phishing-resistant MFA', text: 'Actions to take today: enable and enforce phishing-resistant multifactor authentication (MFA).' },
    'fido-or-pki-mfa': {
      short: 'FIDO/WebAuthn or PKI-based MFA',
      text: 'Use FIDO/WebAuthn or PKI-based MFA to protect against phishing, push bombing and SIM swapping.',
      source: 'aa23-320a-repro',
    },
  },
  'hc3-2024': {
    'callback-number-on-record': { short: 'call back the number on record', text: 'Call back the phone number on record for password resets and new MFA-device enrollment.' },
    'contact-supervisor': { short: 'contact the supervisor', text: "Contact the employee's supervisor to verify the request." },
  },
  'mandiant-unc3944': {
    'positively-identify': { short: 'positively identify before changing security information', text: 'Train help-desk staff to positively identify employees before changing or providing security information, including initial enrollment; at minimum for privileged accounts.' },
    'strong-auth-before-method-change': { short: 'strong authentication before changing methods', text: 'Require strong authentication before changing authentication methods (e.g. before adding a new MFA device).' },
    'notify-security-changes': { short: 'notify users of security changes', text: 'Notify users of authentication and security changes.' },
    'out-of-band-verification': { short: 'out-of-band verification for high-risk changes', text: 'Out-of-band verification for high-risk changes, e.g. a call-back to a registered number or confirmation via a known corporate email, before proceeding.' },
    'no-public-personal-data': { short: 'do not rely on public personal data', text: 'Do not rely on publicly available personal data (date of birth, last four of SSN) for verification.' },
    'remove-phishable-factors': { short: 'remove SMS, phone call and email as factors', text: 'Remove SMS, phone call and email as factors; use number matching or FIDO2 / passwordless where possible.' },
  },
  'ncsc-retail-2025': {
    'review-helpdesk-reset-authentication': {
      short: 'review how the help desk authenticates staff before resets',
      text: 'Review help-desk password reset processes, including how the help desk authenticates staff before resetting passwords, especially for staff with escalated privileges.',
    },
  },
  'nydfs-2024': {
    'diligent-authentication-for-factor-changes': {
      short: 'authenticate diligently before changing authentication factors',
      text: 'Help-desk staff must be especially diligent authenticating anyone requesting changes to authentication factors; controls so attackers cannot easily change passwords or intercept SMS/app MFA.',
    },
  },
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
  const oldForm = ['C', 'C2', 'U', 'D', undefined].includes(fit as string) ? ` (ref(key, confidence, note) is the form before issue 10: give ref(key, fit, rationale, { unconfirmed? }))` : '';
  if (!(FITS as readonly string[]).includes(fit)) throw new Error(`bad fit "${fit}" for "${key}": expected one of ${FITS.join(', ')}${oldForm}`);
  if (typeof rationale !== 'string' || !rationale.trim()) throw new Error(`framework reference "${key}" has no rationale`);
  const fw = framework as FrameworkId;
  const guidance = GUIDANCE[fw];
  if (guidance && !(id in guidance)) throw new Error(`framework reference "${key}": "${id}" is not a recommendation of ${FRAMEWORKS[fw].name} listed in GUIDANCE (known: ${Object.keys(guidance).join(', ')})`);
  const source = opts.source ?? guidance?.[id]?.source ?? (fw === 'sp800-63' ? sp80063Source(key, id) : FRAMEWORK_SOURCES[fw]);
  if (!(source in SOURCES)) throw new Error(`framework reference "${key}" names unknown source "${source}"`);
  const status: ExistenceStatus = opts.unconfirmed !== undefined ? 'unconfirmed' : SOURCES[source].kind === 'primary' ? 'confirmed' : 'secondary';
  const out: FrameworkRef = { framework: fw, version, id, confidence: CONFIDENCE_OF[status], existence: { status, source }, fit, rationale };
  if (opts.unconfirmed !== undefined) out.note = opts.unconfirmed;
  return out;
}

/**
 * SP 800-63-4 is checked file by file of its source text: 63B's AALs (§2) in 2_aal.md, its
 * authenticators (§3) in 3_authenticators.md, its events (§4) in 4_events.md. Any other part (63A,
 * 63C, 63B §5 on) names its source, so an id is never recorded as confirmed in a file that does not
 * hold it.
 */
const SP800_63_FILES: readonly (readonly [RegExp, SourceId])[] = [
  [/^63B AAL[1-3]$/, 'sp800-63b-4-aal'],
  [/^63B §3(\.|$)/, 'sp800-63b-4-authenticators'],
  [/^63B §4(\.|$)/, 'sp800-63b-4-text'],
];

function sp80063Source(key: string, id: string): SourceId {
  const hit = SP800_63_FILES.find(([re]) => re.test(id));
  if (!hit) throw new Error(`framework reference "${key}": SP 800-63-4 "${id}" is in no source file the catalogue records by section (63B AAL1-3, §3, §4): name its source`);
  return hit[1];
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
    'hc3-2024': 'HC3 2024',
    'mandiant-unc3944': 'Mandiant UNC3944',
    'ncsc-retail-2025': 'NCSC 2025',
    'nydfs-2024': 'NYDFS 2024',
  };
  const mark = r.confidence === 'U' ? ' [unconfirmed]' : '';
  const item = GUIDANCE[r.framework]?.[r.id];
  return item ? `${short[r.framework]}: ${item.short}${mark}` : `${short[r.framework]} ${r.id}${mark}`;
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
