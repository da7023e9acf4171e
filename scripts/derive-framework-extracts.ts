// Derives the pinned framework extracts in test/fixtures/frameworks/ from primary data, so the test
// that checks every ATT&CK and SP 800-53 id in the catalogue compares against published data, not a
// list typed by hand. Run it on git checkouts of the sources (read with `git show`, no work tree needed):
//
//   tsx scripts/derive-framework-extracts.ts --attack <mitre/cti git dir> --oscal <usnistgov/oscal-content git dir>
//
// ATT&CK: mitre/cti at the "ATT&CK v18.1 Enterprise" commit, one STIX bundle per object (the single-file
// bundles of mitre-attack/attack-stix-data are over 4 MiB and were absent from the snapshot we could fetch).
// SP 800-53 r5: the full OSCAL catalogue at the last oscal-content commit where it is under 4 MiB
// (5.0.1), joined with the 5.1.1 LOW/MODERATE/HIGH/PRIVACY resolved baselines at the pinned HEAD.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned commits; change them deliberately, then re-run and review the diff of the fixtures. */
export const PINS = {
  attack: { repo: 'mitre/cti', commit: '421deacb77191b38bdd1bf63268954e93da91365', version: '18.1' },
  oscalFull: { repo: 'usnistgov/oscal-content', commit: 'a849dbca4649e0cc626fefdd46cf5232c8308f4c', path: 'nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog-min.json' },
  oscalBaselines: {
    repo: 'usnistgov/oscal-content',
    commit: '88bb8deeaa815f8914d68ea7e31a622ebbc1719d',
    paths: ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'].map((b) => `nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_${b}-baseline-resolved-profile_catalog-min.json`),
  },
} as const;

const ATTACK_LICENCE = [
  'Derived from MITRE ATT&CK STIX data (ids, names and domains only).',
  'ATT&CK terms of use (LICENSE.txt of mitre/cti): The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license to use ATT&CK® for research, development, and commercial purposes. Any copy you make for such purposes is authorized provided that you reproduce MITRE\'s copyright designation and this license in any such copy.',
  '"© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation."',
];
const NIST_LICENCE = [
  'Derived from the NIST OSCAL SP 800-53 rev5 catalogue (control ids, titles, withdrawn status only).',
  'usnistgov/oscal-content LICENSE.md: as a work of the United States government, this project is in the public domain within the United States; copyright and related rights are waived worldwide through CC0 1.0 Universal.',
];

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`missing --${name} <git dir>; usage: tsx scripts/derive-framework-extracts.ts --attack <mitre/cti git dir> --oscal <oscal-content git dir>`);
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

export interface AttackEntry {
  id: string;
  name: string;
  domain: 'enterprise' | 'mobile';
  kind: 'technique' | 'mitigation';
}

function attackObjects(dir: string, commit: string, domain: 'enterprise' | 'mobile'): AttackEntry[] {
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

function main(): void {
  const attackDir = arg('attack');
  const oscalDir = arg('oscal');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'frameworks');
  mkdirSync(root, { recursive: true });

  const a = PINS.attack;
  const head = git(attackDir, 'rev-parse', `${a.commit}^{commit}`).trim();
  if (head !== a.commit) throw new Error(`mitre/cti commit ${a.commit} not found in ${attackDir}`);
  const entries = [...attackObjects(attackDir, a.commit, 'enterprise'), ...attackObjects(attackDir, a.commit, 'mobile')].sort(
    (x, y) => x.domain.localeCompare(y.domain) || x.kind.localeCompare(y.kind) || x.id.localeCompare(y.id, 'en', { numeric: true }),
  );
  writeFileSync(
    join(root, `attack-v${a.version}.json`),
    `${JSON.stringify({ source: { repo: a.repo, commit: a.commit, attackVersion: a.version, derivedBy: 'scripts/derive-framework-extracts.ts' }, licence: ATTACK_LICENCE, entries }, null, 1)}\n`,
  );

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
  const controls = [...byId.values()].sort((x, y) => x.id.localeCompare(y.id, 'en', { numeric: true }));
  writeFileSync(
    join(root, 'sp800-53-r5.json'),
    `${JSON.stringify(
      {
        source: {
          repo: full.repo,
          catalogue: { commit: full.commit, path: full.path, version: catalogVersion },
          baselines: { commit: base.commit, paths: base.paths, version: baselineVersion },
          derivedBy: 'scripts/derive-framework-extracts.ts',
          note: `the full catalogue is the last one under 4 MiB in the repository (${catalogVersion}); "in" lists the releases each id was read from (the ${baselineVersion} resolved baselines cover only baseline controls)`,
        },
        licence: NIST_LICENCE,
        controls,
      },
      null,
      1,
    )}\n`,
  );
  process.stdout.write(`wrote ${entries.length} ATT&CK entries and ${controls.length} SP 800-53 controls to ${root}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
