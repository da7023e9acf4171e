// Writes test/fixtures/frameworks/verified-ids.json, the ledger of the ATT&CK and SP 800-53 ids
// ResetPath itself uses, each with the name or title read in the publisher's own data and (for
// ATT&CK) its domain, under the source repository, commit and version read. It is our evidence of
// having checked each id, like a bibliography: it holds only ids in use, never a copy of the dataset.
// test/models/mappings.test.ts checks that every id in use is in it, under the right domain, and
// that nothing in it is no longer used.
//
// Procedure (a developer re-runs it when a mapping, a lint focus, an alias or a scenario technique
// changes, or when the pins below move):
//   1. fetch github:mitre/cti and github:usnistgov/oscal-content (git snapshots; no work tree needed,
//      they are read with `git show`). Keep the snapshots out of the repository: the environment
//      forbids committing fetched data, which is why no extract of them is committed here.
//   2. tsx scripts/write-verified-ids.ts --attack <mitre/cti git dir> --oscal <usnistgov/oscal-content git dir>
//   3. review the diff of the ledger and commit it.
// It fails, naming them, on ids in use that the source does not have (or has as revoked, deprecated
// or withdrawn, or under another ATT&CK domain or kind), and writes nothing then.
//
// ATT&CK: mitre/cti at the "ATT&CK v18.1 Enterprise" commit, one STIX bundle per object under
// {enterprise,mobile}-attack/{attack-pattern,course-of-action}/ (the single-file bundles of
// mitre-attack/attack-stix-data are over 4 MiB and were absent from the snapshot we could fetch).
// SP 800-53 r5: nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog-min.json at the last
// oscal-content commit where it is under 4 MiB (5.0.1), joined with the 5.1.1 LOW/MODERATE/HIGH/PRIVACY
// resolved baselines at the pinned HEAD.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACK_ALIASES, CONTROLS, LINT_RULES, type FrameworkRef } from '../models/index.ts';
import { loadScenarioText } from '../scenarios/index.ts';

/** The pinned commits; change them deliberately, then re-run and review the diff of the ledger. */
export const PINS = {
  attack: { repo: 'mitre/cti', commit: '421deacb77191b38bdd1bf63268954e93da91365', version: '18.1' },
  oscalFull: { repo: 'usnistgov/oscal-content', commit: 'a849dbca4649e0cc626fefdd46cf5232c8308f4c', path: 'nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog-min.json' },
  oscalBaselines: {
    repo: 'usnistgov/oscal-content',
    commit: '88bb8deeaa815f8914d68ea7e31a622ebbc1719d',
    paths: ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'].map((b) => `nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_${b}-baseline-resolved-profile_catalog-min.json`),
  },
} as const;

export const LEDGER_PATH = 'test/fixtures/frameworks/verified-ids.json';

const ATTACK_LICENCE = [
  'Names and domains of the ATT&CK ids ResetPath uses, read from MITRE ATT&CK STIX data.',
  'ATT&CK terms of use (LICENSE.txt of mitre/cti): The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license to use ATT&CK® for research, development, and commercial purposes. Any copy you make for such purposes is authorized provided that you reproduce MITRE\'s copyright designation and this license in any such copy.',
  '"© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation."',
];
const NIST_LICENCE = [
  'Titles of the SP 800-53 r5 ids ResetPath uses, read from the NIST OSCAL catalogue.',
  'usnistgov/oscal-content LICENSE.md: as a work of the United States government, this project is in the public domain within the United States; copyright and related rights are waived worldwide through CC0 1.0 Universal.',
];

export type AttackDomain = 'enterprise' | 'mobile';
export type AttackKind = 'technique' | 'mitigation';

export interface AttackEntry {
  id: string;
  name: string;
  domain: AttackDomain;
  kind: AttackKind;
}
export interface Sp80053Entry {
  id: string;
  title: string;
  /** The OSCAL releases the id was read in. */
  in: string[];
}
export interface VerifiedIds {
  about: string;
  attack: { source: { repo: string; commit: string; attackVersion: string; read: string }; licence: string[]; ids: AttackEntry[] };
  sp80053: {
    source: { repo: string; catalogue: { commit: string; path: string; version: string }; baselines: { commit: string; paths: string[]; version: string } };
    licence: string[];
    ids: Sp80053Entry[];
  };
}

/** The ATT&CK domain and kind each ATT&CK framework of the catalogue stands for. */
export const ATTACK_FRAMEWORKS = {
  attack: { domain: 'enterprise', kind: 'technique' },
  'attack-mitigation': { domain: 'enterprise', kind: 'mitigation' },
  'attack-mobile': { domain: 'mobile', kind: 'technique' },
  'attack-mobile-mitigation': { domain: 'mobile', kind: 'mitigation' },
} as const;

/** An ATT&CK id in use; domain undefined when the user does not say (a scenario names a technique of either domain). */
export interface AttackUse {
  id: string;
  kind: AttackKind;
  domain?: AttackDomain;
  where: string;
}

/**
 * The ATT&CK and SP 800-53 ids ResetPath uses: the catalogue's mappings, the lint rules' focus, the
 * v18 ids of ATT&CK_ALIASES and the attack_techniques of the bundled scenarios.
 */
export function idsInUse(root: string): { attack: AttackUse[]; sp80053: { id: string; where: string }[] } {
  const attack: AttackUse[] = [];
  const sp80053: { id: string; where: string }[] = [];
  const add = (framework: string, id: string, where: string): void => {
    if (framework in ATTACK_FRAMEWORKS) attack.push({ id, ...ATTACK_FRAMEWORKS[framework as keyof typeof ATTACK_FRAMEWORKS], where });
    else if (framework === 'sp800-53') sp80053.push({ id, where });
  };
  for (const c of CONTROLS) for (const m of c.mappings as readonly FrameworkRef[]) add(m.framework, m.id, `control ${c.id}`);
  for (const r of LINT_RULES) for (const k of r.focus ?? []) add(k.split(':')[0]!, k.split(':').slice(2).join(':'), `lint ${r.id} focus`);
  for (const id of Object.keys(ATTACK_ALIASES)) attack.push({ id, kind: 'technique', domain: 'enterprise', where: 'ATTACK_ALIASES' });
  const dir = join(root, 'scenarios/library');
  for (const f of readdirSync(dir).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort()) {
    const r = loadScenarioText(readFileSync(join(dir, f), 'utf8'), f);
    if (!r.ok) throw new Error(`scenarios/library/${f} does not load`);
    // v18 ids only (Enterprise and Mobile); v19 ids appear only as the recorded alias, checked by the test.
    for (const t of r.value.attackTechniques.filter((x) => x.startsWith('attack:v18:') || x.startsWith('attack-mobile:v18:'))) add(t.split(':')[0]!, t.split(':')[2]!, `scenario ${f}`);
  }
  return { attack, sp80053 };
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`missing --${name} <git dir>; usage: tsx scripts/write-verified-ids.ts --attack <mitre/cti git dir> --oscal <oscal-content git dir>`);
  return v;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

interface StixObject {
  type: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  external_references?: { source_name: string; external_id?: string }[];
}

/** The current (not revoked, not deprecated) techniques and mitigations of a domain, read in memory. */
function attackObjects(dir: string, commit: string, domain: AttackDomain): AttackEntry[] {
  const out: AttackEntry[] = [];
  for (const [folder, kind] of [['attack-pattern', 'technique'], ['course-of-action', 'mitigation']] as const) {
    const files = git(dir, 'ls-tree', '-r', '--name-only', commit, `${domain}-attack/${folder}/`).split('\n').filter(Boolean);
    for (const f of files) {
      const bundle = JSON.parse(git(dir, 'show', `${commit}:${f}`)) as { objects: StixObject[] };
      for (const o of bundle.objects) {
        if (o.revoked || o.x_mitre_deprecated) continue;
        const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
        // Pre-2019 course-of-action objects repeat technique ids (T####) as "mitigations"; only M#### are mitigations.
        if (!id || !o.name || (kind === 'mitigation' && !/^M\d{4}$/.test(id))) continue;
        out.push({ id, name: o.name, domain, kind });
      }
    }
  }
  return out;
}

interface OscalControl {
  id: string;
  title: string;
  props?: { name: string; value: string }[];
  controls?: OscalControl[];
}

/** "ac-2.7" → "AC-2(7)", the form the catalogue and SP 800-53 itself print. */
function label(id: string): string {
  const m = /^([a-z]{2})-(\d+)(?:\.(\d+))?$/.exec(id);
  if (!m) throw new Error(`unexpected OSCAL control id "${id}"`);
  return `${m[1]!.toUpperCase()}-${m[2]}${m[3] ? `(${m[3]})` : ''}`;
}

function oscalControls(json: string): { id: string; title: string; withdrawn: boolean }[] {
  const doc = JSON.parse(json) as { catalog: { groups: { controls?: OscalControl[] }[] } };
  const out: { id: string; title: string; withdrawn: boolean }[] = [];
  const walk = (cs: OscalControl[] | undefined): void => {
    for (const c of cs ?? []) {
      out.push({ id: label(c.id), title: c.title, withdrawn: (c.props ?? []).some((p) => p.name === 'status' && p.value === 'withdrawn') });
      walk(c.controls);
    }
  };
  for (const g of doc.catalog.groups) walk(g.controls);
  return out;
}

const numeric = (x: string, y: string): number => x.localeCompare(y, 'en', { numeric: true });

function main(): void {
  const attackDir = arg('attack');
  const oscalDir = arg('oscal');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const use = idsInUse(root);
  const missing: string[] = [];

  const a = PINS.attack;
  const head = git(attackDir, 'rev-parse', `${a.commit}^{commit}`).trim();
  if (head !== a.commit) throw new Error(`mitre/cti commit ${a.commit} not found in ${attackDir}`);
  const source = [...attackObjects(attackDir, a.commit, 'enterprise'), ...attackObjects(attackDir, a.commit, 'mobile')];
  const attackIds = new Map<string, AttackEntry>();
  for (const u of use.attack) {
    const found = source.filter((e) => e.id === u.id && e.kind === u.kind && (!u.domain || e.domain === u.domain));
    if (found.length !== 1) {
      const elsewhere = source.filter((e) => e.id === u.id).map((e) => `${e.domain} ${e.kind}`);
      missing.push(`ATT&CK ${u.id} (${u.domain ?? 'any domain'} ${u.kind}, ${u.where}): ${found.length ? 'in both domains; say which' : elsewhere.length ? `only as ${elsewhere.join(', ')}` : `not a current id of ATT&CK v${a.version}`}`);
      continue;
    }
    const e = found[0]!;
    attackIds.set(`${e.domain}/${e.kind}/${e.id}`, e);
  }

  const full = PINS.oscalFull;
  const base = PINS.oscalBaselines;
  const fullDoc = git(oscalDir, 'show', `${full.commit}:${full.path}`);
  const catalogVersion = (JSON.parse(fullDoc) as { catalog: { metadata: { version: string } } }).catalog.metadata.version;
  const byId = new Map<string, { id: string; title: string; withdrawn: boolean; in: string[] }>();
  for (const c of oscalControls(fullDoc)) byId.set(c.id, { ...c, in: [catalogVersion] });
  let baselineVersion = '';
  for (const p of base.paths) {
    const doc = git(oscalDir, 'show', `${base.commit}:${p}`);
    baselineVersion = (JSON.parse(doc) as { catalog: { metadata: { version: string } } }).catalog.metadata.version;
    for (const c of oscalControls(doc)) {
      const e = byId.get(c.id) ?? { ...c, in: [] };
      if (!e.in.includes(baselineVersion)) e.in.push(baselineVersion);
      byId.set(c.id, e);
    }
  }
  const spIds = new Map<string, Sp80053Entry>();
  for (const u of use.sp80053) {
    const c = byId.get(u.id);
    if (!c || c.withdrawn) missing.push(`SP 800-53 ${u.id} (${u.where}): ${c ? 'withdrawn' : 'not in the r5 catalogue'}`);
    else spIds.set(c.id, { id: c.id, title: c.title, in: c.in });
  }

  if (missing.length) throw new Error(`ids in use not found in the pinned sources; nothing written:\n  ${[...new Set(missing)].join('\n  ')}`);

  const ledger: VerifiedIds = {
    about: `The ATT&CK and SP 800-53 ids ResetPath uses (catalogue mappings, lint focus, ATTACK_ALIASES, bundled scenarios), each as read in the publisher's data at the commit below; written by scripts/write-verified-ids.ts, checked by test/models/mappings.test.ts. Not a copy of either dataset.`,
    attack: {
      source: { repo: a.repo, commit: a.commit, attackVersion: a.version, read: '{enterprise,mobile}-attack/{attack-pattern,course-of-action}/*.json, revoked and deprecated objects excluded' },
      licence: ATTACK_LICENCE,
      ids: [...attackIds.values()].sort((x, y) => x.domain.localeCompare(y.domain) || x.kind.localeCompare(y.kind) || numeric(x.id, y.id)),
    },
    sp80053: {
      source: {
        repo: full.repo,
        catalogue: { commit: full.commit, path: full.path, version: catalogVersion },
        baselines: { commit: base.commit, paths: [...base.paths], version: baselineVersion },
      },
      licence: NIST_LICENCE,
      ids: [...spIds.values()].sort((x, y) => numeric(x.id, y.id)),
    },
  };
  writeFileSync(join(root, LEDGER_PATH), `${JSON.stringify(ledger, null, 1)}\n`);
  process.stdout.write(`wrote ${ledger.attack.ids.length} ATT&CK and ${ledger.sp80053.ids.length} SP 800-53 ids to ${LEDGER_PATH}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
