// `resetpath report --format navigator` writes an ATT&CK Navigator layer: the ATT&CK Enterprise
// techniques the scenarios cite, scored by what the workflow did to those scenarios, with the
// blocking controls and their owner roles in the comment. Checked on standard-password-reset.weak
// and its hardened twin against the layer file format v4.5 (a checker written from the format's
// property tables below; no dependency), the ATT&CK ids verified in MITRE's STIX data
// (test/fixtures/frameworks/verified-ids.json), the analysis the layer is built from, and on a
// workflow and scenario with hostile names.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport, navigatorLayer, NAVIGATOR_SCORES, type AnalysisReport, type NavigatorLayer } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows, runAnalysis } from '../../backend/index.ts';
import { jsonOut } from '../../cli/text.ts';
import { getControl, OWNER_ROLES, type Workflow } from '../../models/index.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-navigator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WEAK = 'standard-password-reset.weak';
const HARDENED = 'standard-password-reset.hardened';
const EPOCH = '1767225600';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What in `layer` breaks the ATT&CK Navigator layer file format v4.5 (layerformat-v4.5.md: the
 * property table and the Version, Technique, Gradient, LegendItem, Metadata, Link, Divider and
 * Layout object tables): required fields, types, allowed values, and no field the format does not
 * define. Empty when it conforms.
 */
function layerProblems(layer: unknown): string[] {
  const p: string[] = [];
  const str = (o: Json, k: string, where: string, required = false) => {
    if (o[k] === undefined) return void (required && p.push(`${where}.${k} is required`));
    if (typeof o[k] !== 'string') p.push(`${where}.${k} must be a string`);
  };
  const bool = (o: Json, k: string, where: string) => o[k] !== undefined && typeof o[k] !== 'boolean' && p.push(`${where}.${k} must be a boolean`);
  const num = (o: Json, k: string, where: string, required = false) => {
    if (o[k] === undefined) return void (required && p.push(`${where}.${k} is required`));
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) p.push(`${where}.${k} must be a number`);
  };
  const oneOf = (o: Json, k: string, where: string, allowed: readonly unknown[]) => o[k] !== undefined && !allowed.includes(o[k]) && p.push(`${where}.${k} must be one of ${allowed.join(', ')} (got ${String(o[k])})`);
  const only = (o: Json, where: string, keys: readonly string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) p.push(`${where}.${k} is not a field of the format`);
  };
  const list = (o: Json, k: string, where: string, each: (x: unknown, at: string) => void) => {
    if (o[k] === undefined) return;
    if (!Array.isArray(o[k])) return void p.push(`${where}.${k} must be an array`);
    (o[k] as unknown[]).forEach((x, i) => each(x, `${where}.${k}[${i}]`));
  };
  const divider = (x: Json, at: string) => {
    only(x, at, ['divider']);
    if (typeof x['divider'] !== 'boolean') p.push(`${at}.divider must be a boolean`);
  };
  const metadata = (x: unknown, at: string) => {
    if (!isObject(x)) return void p.push(`${at} must be an object`);
    if ('divider' in x) return divider(x, at);
    only(x, at, ['name', 'value']);
    str(x, 'name', at, true);
    str(x, 'value', at, true);
  };
  const link = (x: unknown, at: string) => {
    if (!isObject(x)) return void p.push(`${at} must be an object`);
    if ('divider' in x) return divider(x, at);
    only(x, at, ['label', 'url']);
    str(x, 'label', at, true);
    str(x, 'url', at, true);
    if (typeof x['url'] === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(x['url'])) p.push(`${at}.url must start with a protocol identifier`);
  };

  if (!isObject(layer)) return ['the layer must be a JSON object'];
  only(layer, 'layer', ['versions', 'name', 'description', 'domain', 'customDataURL', 'filters', 'sorting', 'layout', 'hideDisabled', 'techniques', 'gradient', 'legendItems', 'showTacticRowBackground', 'tacticRowBackground', 'selectTechniquesAcrossTactics', 'selectSubtechniquesWithParent', 'selectVisibleTechniques', 'metadata', 'links']);
  str(layer, 'name', 'layer', true);
  str(layer, 'description', 'layer');
  if (layer['domain'] === undefined) p.push('layer.domain is required');
  oneOf(layer, 'domain', 'layer', ['enterprise-attack', 'mobile-attack', 'ics-attack']);
  str(layer, 'customDataURL', 'layer');
  if (layer['versions'] !== undefined) {
    const v = layer['versions'];
    if (!isObject(v)) p.push('layer.versions must be an object');
    else {
      only(v, 'versions', ['attack', 'navigator', 'layer']);
      str(v, 'attack', 'versions');
      if (typeof v['attack'] === 'string' && !/^\d+(\.\d+)?$/.test(v['attack'])) p.push(`versions.attack must be an ATT&CK version such as "18" (got ${v['attack']})`);
      str(v, 'navigator', 'versions', true);
      const nav = typeof v['navigator'] === 'string' ? /^(\d+)\.(\d+)\.(\d+)$/.exec(v['navigator']) : null;
      if (typeof v['navigator'] === 'string' && (!nav || Number(nav[1]) * 1e6 + Number(nav[2]) * 1e3 + Number(nav[3]) < 4009000)) p.push(`versions.navigator must be at least "4.9.0" (got ${v['navigator']})`);
      if (v['layer'] !== '4.5') p.push(`versions.layer must be "4.5" (got ${String(v['layer'])})`);
    }
  }
  if (layer['filters'] !== undefined) {
    const f = layer['filters'];
    if (!isObject(f)) p.push('layer.filters must be an object');
    else {
      only(f, 'filters', ['platforms']);
      list(f, 'platforms', 'filters', (x, at) => typeof x !== 'string' && p.push(`${at} must be a string`));
    }
  }
  oneOf(layer, 'sorting', 'layer', [0, 1, 2, 3]);
  if (layer['layout'] !== undefined) {
    const l = layer['layout'];
    if (!isObject(l)) p.push('layer.layout must be an object');
    else {
      only(l, 'layout', ['layout', 'showID', 'showName', 'showAggregateScores', 'countUnscored', 'aggregateFunction', 'expandedSubtechniques']);
      oneOf(l, 'layout', 'layout', ['side', 'flat', 'mini']);
      for (const k of ['showID', 'showName', 'showAggregateScores', 'countUnscored']) bool(l, k, 'layout');
      oneOf(l, 'aggregateFunction', 'layout', ['average', 'min', 'max', 'sum']);
      oneOf(l, 'expandedSubtechniques', 'layout', ['none', 'all', 'annotated']);
    }
  }
  for (const k of ['hideDisabled', 'showTacticRowBackground', 'selectTechniquesAcrossTactics', 'selectSubtechniquesWithParent', 'selectVisibleTechniques']) bool(layer, k, 'layer');
  str(layer, 'tacticRowBackground', 'layer');
  list(layer, 'techniques', 'layer', (x, at) => {
    if (!isObject(x)) return void p.push(`${at} must be an object`);
    only(x, at, ['techniqueID', 'tactic', 'comment', 'enabled', 'score', 'color', 'metadata', 'links', 'showSubtechniques']);
    str(x, 'techniqueID', at, true);
    if (typeof x['techniqueID'] === 'string' && !/^T\d{4}(\.\d{3})?$/.test(x['techniqueID'])) p.push(`${at}.techniqueID must be "T####" or "T####.###" (got ${x['techniqueID']})`);
    for (const k of ['tactic', 'comment', 'color']) str(x, k, at);
    bool(x, 'enabled', at);
    bool(x, 'showSubtechniques', at);
    num(x, 'score', at);
    list(x, 'metadata', at, metadata);
    list(x, 'links', at, link);
  });
  if (layer['gradient'] !== undefined) {
    const g = layer['gradient'];
    if (!isObject(g)) p.push('layer.gradient must be an object');
    else {
      only(g, 'gradient', ['colors', 'minValue', 'maxValue']);
      if (!Array.isArray(g['colors']) || g['colors'].length < 2) p.push('gradient.colors must hold at least two colours');
      else for (const c of g['colors']) if (typeof c !== 'string' || !/^#[0-9a-f]{6}$/i.test(c)) p.push(`gradient.colors must be hexadecimal RGB values (got ${String(c)})`);
      num(g, 'minValue', 'gradient', true);
      num(g, 'maxValue', 'gradient', true);
      if (typeof g['minValue'] === 'number' && typeof g['maxValue'] === 'number' && !(g['maxValue'] > g['minValue'])) p.push('gradient.maxValue must be > minValue');
    }
  }
  list(layer, 'legendItems', 'layer', (x, at) => {
    if (!isObject(x)) return void p.push(`${at} must be an object`);
    only(x, at, ['label', 'color']);
    str(x, 'label', at, true);
    str(x, 'color', at, true);
  });
  list(layer, 'metadata', 'layer', metadata);
  list(layer, 'links', 'layer', link);
  return p;
}

interface Verified {
  attack: { source: { attackVersion: string }; ids: { id: string; domain: string; kind: string }[] };
}
const VERIFIED = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'frameworks', 'verified-ids.json'), 'utf8')) as Verified;
const ENTERPRISE_TECHNIQUES = new Set(VERIFIED.attack.ids.filter((i) => i.kind === 'technique' && i.domain === 'enterprise').map((i) => i.id));

/** The ATT&CK v18 technique ids the bundled scenarios cite. */
const CITED_V18 = new Set(loadBundledScenarios().flatMap((s) => s.attackTechniques.filter((r) => /^attack(-mobile)?:v18:/.test(r)).map((r) => r.split(':')[2]!)));

/** The comment's last line: "Owners: <control> (<id>): <owner role title>; ...". */
const ownersLine = (comment: string) => comment.split('\n').at(-1)!;
/** How a comment names a control, and how its owners line gives the control's owner role title. */
const named = (c: string) => `${getControl(c).name} (${c})`;
const owned = (c: string) => `${named(c)}: ${OWNER_ROLES[getControl(c).owner]}`;

/** Runs `resetpath report <args> --format navigator` with the generation time fixed; the parsed layer and its text. */
async function layerOf(...args: string[]): Promise<{ layer: NavigatorLayer; text: string }> {
  const r = await run('report', ...args, '--format', 'navigator');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return { layer: JSON.parse(r.out) as NavigatorLayer, text: r.out };
}

let weak: NavigatorLayer;
let hardened: NavigatorLayer;
let weakText: string;
let analysis: AnalysisReport;

beforeAll(async () => {
  process.env['SOURCE_DATE_EPOCH'] = EPOCH;
  ({ layer: weak, text: weakText } = await layerOf(WEAK));
  ({ layer: hardened } = await layerOf(HARDENED));
  const res = runAnalysis({ workflows: [WEAK, HARDENED], scenarios: [] });
  if (!res.ok) throw new Error('bundled workflows must load');
  analysis = res.report;
}, 120_000);
afterAll(() => {
  delete process.env['SOURCE_DATE_EPOCH'];
});

describe('the layer format checker written from the v4.5 property tables', () => {
  it('accepts the layer ResetPath writes and refuses each field broken the way the format forbids', () => {
    expect(layerProblems(weak)).toEqual([]);
    const broken = (change: (l: Json) => void) => {
      const l = structuredClone(weak) as unknown as Json;
      change(l);
      return layerProblems(l);
    };
    expect(broken((l) => (l['domain'] = 'mitre-enterprise'))).toEqual([expect.stringContaining('layer.domain must be one of')]);
    expect(broken((l) => delete l['name'])).toEqual(['layer.name is required']);
    expect(broken((l) => ((l['versions'] as Json)['layer'] = '4.4'))).toEqual(['versions.layer must be "4.5" (got 4.4)']);
    expect(broken((l) => ((l['versions'] as Json)['navigator'] = '4.8.2'))).toEqual(['versions.navigator must be at least "4.9.0" (got 4.8.2)']);
    expect(broken((l) => ((l['versions'] as Json)['attack'] = 'v18'))).toEqual([expect.stringContaining('versions.attack must be an ATT&CK version')]);
    expect(broken((l) => (((l['techniques'] as Json[])[0]!)['techniqueID'] = 'T1566.4'))).toEqual([expect.stringContaining('must be "T####" or "T####.###"')]);
    expect(broken((l) => (((l['techniques'] as Json[])[0]!)['score'] = '100'))).toEqual(['layer.techniques[0].score must be a number']);
    expect(broken((l) => (((l['techniques'] as Json[])[0]!)['metadata'] = [{ name: 'workflow' }]))).toEqual(['layer.techniques[0].metadata[0].value is required']);
    expect(broken((l) => ((l['gradient'] as Json)['colors'] = ['#ff6666']))).toEqual(['gradient.colors must hold at least two colours']);
    expect(broken((l) => ((l['gradient'] as Json)['maxValue'] = 0))).toEqual(['gradient.maxValue must be > minValue']);
    expect(broken((l) => (l['legendItems'] = [{ label: 'x' }]))).toEqual(['layer.legendItems[0].color is required']);
    expect(broken((l) => (l['version'] = '3.0'))).toEqual(['layer.version is not a field of the format']);
  });
});

describe('resetpath report --format navigator', () => {
  it('validates against the layer file format v4.5: required fields, types, allowed values, nothing else', () => {
    expect(layerProblems(weak)).toEqual([]);
    expect(layerProblems(hardened)).toEqual([]);
    expect(weak.versions).toEqual({ attack: '18', navigator: '4.9.0', layer: '4.5' });
    expect(weak.domain).toBe('enterprise-attack');
    expect(weak.gradient).toEqual({ colors: [expect.any(String), expect.any(String), expect.any(String)], minValue: 0, maxValue: 100 });
    for (const t of weak.techniques) if (t.score !== undefined) expect(t.score).toBeGreaterThanOrEqual(weak.gradient.minValue), expect(t.score).toBeLessThanOrEqual(weak.gradient.maxValue);
  });

  it('records the ATT&CK version of the catalogue and of the verified STIX data', () => {
    expect(VERIFIED.attack.source.attackVersion.split('.')[0]).toBe(weak.versions.attack);
  });

  it('holds exactly the ATT&CK Enterprise v18 techniques the scenarios cite, each verified in MITRE\'s STIX data, sorted by id', () => {
    const ids = weak.techniques.map((t) => t.techniqueID);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(CITED_V18.has(id), `${id} is cited by no scenario`).toBe(true);
      expect(ENTERPRISE_TECHNIQUES.has(id), `${id} is not a verified ATT&CK Enterprise technique`).toBe(true);
    }
    // Every cited v18 id is in the layer, but the ATT&CK Mobile one (an enterprise layer cannot hold it).
    expect(new Set(ids)).toEqual(new Set([...CITED_V18].filter((id) => id !== 'T1451')));
    expect(hardened.techniques.map((t) => t.techniqueID)).toEqual(ids);
  });

  it('says which cited ids it leaves out and why: the ATT&CK Mobile technique and the v19 id of T1656', () => {
    expect(weak.techniques.map((t) => t.techniqueID)).not.toContain('T1451');
    expect(weak.techniques.map((t) => t.techniqueID)).not.toContain('T1684.001');
    expect(weak.description).toMatch(/Not in this layer: .*T1451: an ATT&CK Mobile technique/);
    expect(weak.description).toContain('T1684.001: an ATT&CK v19 id; this layer is ATT&CK 18 (the v19 id of T1656, which the layer scores)');
  });

  it('shows the sub-techniques of a technique whose sub-technique is in the layer', () => {
    const shown = weak.techniques.filter((t) => t.showSubtechniques).map((t) => t.techniqueID);
    const parents = [...new Set(weak.techniques.map((t) => t.techniqueID).filter((id) => id.includes('.')).map((id) => id.split('.')[0]!))];
    expect(shown.sort()).toEqual(parents.filter((p) => weak.techniques.some((t) => t.techniqueID === p)).sort());
    expect(shown).toContain('T1078');
  });

  it('scores a technique 100 on the weak workflow where a scenario citing it has an undetected takeover, 0 on the hardened twin where every one is blocked', () => {
    const wa = analysis.workflows.find((w) => w.id === WEAK)!;
    const cites = new Map(loadBundledScenarios().map((s) => [s.id, s.attackTechniques.map((r) => r.split(':')[2])]));
    for (const t of weak.techniques) {
      const outcomes = wa.scenarios.filter((s) => cites.get(s.scenario)!.includes(t.techniqueID)).map((s) => s.outcome);
      const expected = outcomes.includes('takeover_undetected') ? 100 : outcomes.includes('takeover_detected') ? 50 : 0;
      expect(t.score, t.techniqueID).toBe(expected);
    }
    expect(weak.techniques.filter((t) => t.score === 100).length).toBeGreaterThan(weak.techniques.length / 2);
    for (const t of hardened.techniques) {
      expect(t.score, t.techniqueID).toBe(0);
      expect(t.enabled).toBe(true);
    }
  });

  it('names in the comment the control that blocks the scenario on the hardened workflow and its owner role\'s title', () => {
    const t = hardened.techniques.find((x) => x.techniqueID === 'T1566.004')!;
    expect(t.comment).toContain(`(s01-osint-vishing) on Standard employee password reset (hardened) (${HARDENED}): blocked at "Verified ID with Face Check" by ${named('proofing.ial2')}\n`);
    expect(ownersLine(t.comment)).toMatch(/^Owners: /);
    expect(ownersLine(t.comment)).toContain(owned('proofing.ial2'));
    // One line per applicable workflow and scenario citing the technique, then the owners; the ids in the metadata.
    const ha = analysis.workflows.find((w) => w.id === HARDENED)!;
    const citing = loadBundledScenarios().filter((s) => s.attackTechniques.includes('attack:v18:T1566.004')).map((s) => s.id);
    const applicable = ha.scenarios.filter((s) => citing.includes(s.scenario) && s.outcome !== 'not_applicable').map((s) => s.scenario);
    expect(applicable.length).toBe(citing.length - 2); // S02 and S03 target executives.
    expect(t.comment.split('\n')).toHaveLength(applicable.length + 2);
    expect(t.comment).toContain('\nNot applicable: s02-executive-pressure on 1 workflow (the workflow does not serve the Executive / VIP account class); s03-deepfake-verification on 1 workflow (the workflow does not serve the Executive / VIP account class)\n');
    expect(t.metadata.filter((m) => 'name' in m && m.name === 'scenario').map((m) => (m as { value: string }).value)).toEqual([...applicable].sort());
    expect(t.metadata.at(-1)).toEqual({ name: 'not applicable', value: 's02-executive-pressure, s03-deepfake-verification' });
    expect(t.metadata.filter((m) => 'name' in m && m.name === 'workflow').every((m) => (m as { value: string }).value === HARDENED)).toBe(true);
  });

  it('names in the comment every control that closes every path of a one-class takeover on its own, with its owner role\'s title', () => {
    const s01 = analysis.workflows.find((w) => w.id === WEAK)!.scenarios.find((s) => s.scenario === 's01-osint-vishing')!;
    expect(s01.outcome).toBe('takeover_undetected');
    expect(s01.classes).toHaveLength(1);
    const line = weak.techniques.find((x) => x.techniqueID === 'T1589')!.comment.split('\n').find((l) => l.includes('(s01-osint-vishing)'))!;
    const blocking = s01.classes[0]!.blocking;
    expect(blocking.length).toBeGreaterThan(1);
    expect(line).toContain(`: takeover, ${s01.undetected} of ${s01.paths} path${s01.paths === 1 ? '' : 's'} undetected; any one of these closes every path on its own: ${[...blocking].sort().map(named).join(', ')}`);
    expect(line).not.toContain(' of 1 path,');
    const owners = ownersLine(weak.techniques.find((x) => x.techniqueID === 'T1589')!.comment);
    for (const c of blocking) expect(owners).toContain(owned(c));
  });

  /** The comment line of a scenario on the weak workflow, on the first technique that has one. */
  const weakLine = (scenario: string) =>
    weak.techniques
      .flatMap((t) => t.comment.split('\n'))
      .find((l) => l.includes(`(${scenario}) on `))!;
  const weakScenario = (scenario: string) => analysis.workflows.find((w) => w.id === WEAK)!.scenarios.find((s) => s.scenario === scenario)!;

  it('names as closing a two-class takeover only the control that closes both classes on its own, and gives each other control the paths it closes (s09)', () => {
    const s09 = weakScenario('s09-bribed-insider-agent');
    expect(s09.paths).toBe(2);
    expect(s09.classes.map((k) => k.blocking.includes('approval.dual'))).toEqual([true, true]);
    expect(s09.classes.filter((k) => k.blocking.includes('ticket.integrity'))).toHaveLength(1);
    const line = weakLine('s09-bribed-insider-agent');
    expect(line).toContain(`: takeover, 2 of 2 paths undetected; ${named('approval.dual')} closes every path on its own; on its own, `);
    for (const c of ['approval.manager', 'callback.number_on_file', 'proofing.ial2', 'step_up.verification', 'ticket.integrity']) expect(line).toContain(`${named(c)} closes 1 of 2 paths`);
    expect(line).not.toContain('would be closed by');
    // One control closes every path: no combination or set is needed to say what closes it.
    expect(line).not.toContain('together,');
    expect(line).not.toContain('least-friction');
  });

  it('says that no control closes a takeover on its own when each closes only one class, gives the exact paths each closes, the pair that closes both and the verified least-friction set (s09b)', () => {
    const s09b = weakScenario('s09b-two-agent-identities');
    expect(s09b.classes.map((k) => k.blocking)).toEqual([['approval.manager', 'callback.number_on_file', 'proofing.ial2', 'step_up.verification'], ['ticket.integrity']]);
    const least = analysis.workflows.find((w) => w.id === WEAK)!.minimalSets.leastFriction!;
    expect(least.verified).toBe(true);
    const line = weakLine('s09b-two-agent-identities');
    expect(line).toContain(': takeover, 2 of 2 paths undetected; no control closes every path on its own; on its own, ');
    for (const c of ['approval.manager', 'callback.number_on_file', 'proofing.ial2', 'step_up.verification', 'ticket.integrity']) expect(line).toContain(`${named(c)} closes 1 of 2 paths`);
    expect(line).toContain(`; together, ${named('cooldown.delay')} with ${named('notify.out_of_band')} close 2 of 2 paths`);
    expect(line).toMatch(new RegExp(`; the workflow's verified least-friction set closes them all: ${least.controls.map(named).join(' + ').replace(/[.()+]/g, '\\$&')}$`));
    expect(line).not.toContain('would be closed by');
    const comment = weak.techniques.find((t) => t.comment.includes('(s09b-two-agent-identities) on '))!.comment;
    for (const c of [...least.controls, 'cooldown.delay', 'notify.out_of_band']) expect(ownersLine(comment)).toContain(owned(c));
  });

  it('names every control that closes every path of a two-class takeover on its own, and counts the others (s23)', () => {
    const line = weakLine('s23-leaked-support-platform-credential');
    expect(line).toContain(`: takeover, 2 of 2 paths undetected; any one of these closes every path on its own: ${named('agent.mfa')}, ${named('approval.dual')}; on its own, `);
    for (const c of ['approval.manager', 'callback.number_on_file', 'proofing.ial2', 'step_up.verification', 'ticket.integrity']) expect(line).toContain(`${named(c)} closes 1 of 2 paths`);
  });

  it('says for a chained takeover what each later stage did and what the chain unlocks, as the analysis has it (s20)', () => {
    const s20 = analysis.workflows.find((w) => w.id === WEAK)!.scenarios.find((x) => x.scenario === 's20-agent-then-admin-campaign')!;
    const c = s20.campaign!;
    expect(c.stages[0]!.outcome).toBe('takeover_undetected');
    const line = weakLine(s20.scenario);
    expect(line).toContain(`; then stage 2 ${c.stages[1]!.targetClass} (privileged) via ${WEAK}: taken over, undetected; the chain unlocks ${c.blastRadius.join(', ')}`);
    expect(c.blastRadius).toEqual(expect.arrayContaining(['admin_console', 'identity_provider_configuration']));
  });

  it('claims, for every takeover of the weak workflow, that a control closes every path only when every class lists it, and otherwise the exact paths of the classes that do', () => {
    for (const s of analysis.workflows.find((w) => w.id === WEAK)!.scenarios.filter((x) => x.classes.length)) {
      const line = weakLine(s.scenario);
      const closesEvery = (c: string) => line.includes(`${named(c)} closes every path on its own`) || new RegExp(`any one of these closes every path on its own: [^;]*${named(c).replace(/[.()]/g, '\\$&')}`).test(line);
      for (const c of new Set(s.classes.flatMap((k) => k.blocking))) {
        const n = s.classes.filter((k) => k.blocking.includes(c)).reduce((a, k) => a + BigInt(k.count), 0n);
        if (s.classes.every((k) => k.blocking.includes(c))) expect(closesEvery(c), `${s.scenario}: ${c}`).toBe(true);
        else {
          expect(closesEvery(c), `${s.scenario}: ${c}`).toBe(false);
          expect(line, `${s.scenario}: ${c}`).toContain(`${named(c)} closes ${n} of ${s.paths} path`);
        }
      }
    }
  });

  it('is deterministic: two runs with the generation time fixed are byte-identical, and the order the workflows are given does not matter', async () => {
    expect((await layerOf(WEAK)).text).toBe(weakText);
    const ab = await layerOf(WEAK, HARDENED);
    const ba = await layerOf(HARDENED, WEAK);
    expect(ba.text).toBe(ab.text);
    expect(ab.layer.metadata).toContainEqual({ name: 'generated', value: '2026-01-01T00:00:00.000Z' });
    // Over both workflows, a technique scores the worse of the two.
    for (const t of ab.layer.techniques) expect(t.score).toBe(weak.techniques.find((x) => x.techniqueID === t.techniqueID)!.score);
    // The comment puts the worst outcome first (the hardened twin sorts before the weak workflow by id).
    const rank = (line: string) => (/: takeover, \d+ of \d+ paths? undetected;/.test(line) ? 100 : /, every one detected;/.test(line) ? 50 : /: blocked /.test(line) ? 0 : -1);
    const t1656 = ab.layer.techniques.find((t) => t.techniqueID === 'T1656')!.comment.split('\n').map(rank).filter((r) => r >= 0);
    expect(t1656).toEqual([...t1656].sort((a, b) => b - a));
    expect(t1656[0]).toBe(100);
    expect(t1656.at(-1)).toBe(0);
  });

  it('writes the same layer to --out atomically and says so on one line', async () => {
    const out = join(dir, 'layer.json');
    const r = await run('report', WEAK, '--format', 'navigator', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out} (navigator, ${weak.techniques.length} techniques)\n`);
    expect(readFileSync(out, 'utf8')).toBe(weakText);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('lists a technique whose scenarios apply to none of the workflows unscored and disabled, saying why', async () => {
    // S02 targets executives; the standard reset does not serve them.
    const { layer } = await layerOf(WEAK, '-s', 's02-executive-pressure');
    expect(layerProblems(layer)).toEqual([]);
    expect(layer.techniques.length).toBeGreaterThan(0);
    for (const t of layer.techniques) {
      expect(t.score).toBeUndefined();
      expect(t.enabled).toBe(false);
      expect(t.comment).toBe('No scenario citing it applies to these workflows.\nNot applicable: s02-executive-pressure on 1 workflow (the workflow does not serve the Executive / VIP account class)');
      expect(t.metadata).toEqual([{ name: 'not applicable', value: 's02-executive-pressure' }]);
    }
  });

  it('exits 1 with --fail-on any when a takeover path exists, after writing the layer', async () => {
    const r = await run('report', WEAK, '-s', 's01-osint-vishing', '--format', 'navigator', '--fail-on', 'any');
    expect(r.code).toBe(1);
    expect(layerProblems(JSON.parse(r.out))).toEqual([]);
  });
});

describe('navigatorLayer on an analysis edited as the engine could have found it', () => {
  /** The analysis of S01 alone on the weak workflow, to edit. */
  function s01Weak(): { report: AnalysisReport; s: AnalysisReport['workflows'][number]['scenarios'][number] } {
    const report = structuredClone(analysis);
    report.workflows = report.workflows.filter((w) => w.id === WEAK);
    report.workflows[0]!.scenarios = report.workflows[0]!.scenarios.filter((s) => s.scenario === 's01-osint-vishing');
    return { report, s: report.workflows[0]!.scenarios[0]! };
  }
  const layerOfReport = (report: AnalysisReport) => navigatorLayer(report, { generatedAt: 'now', toolVersion: 'test', scenarios: loadBundledScenarios() });


  it('scores 50 when a scenario citing the technique takes over and every path is detected', () => {
    const { report, s } = s01Weak();
    s.outcome = 'takeover_detected';
    s.undetected = 0;
    s.detected = s.paths;
    const layer = layerOfReport(report);
    expect(layer.techniques.map((t) => t.score)).toEqual(layer.techniques.map(() => NAVIGATOR_SCORES.takeover_detected));
    expect(layer.techniques[0]!.comment).toContain(`takeover, ${s.paths} path${s.paths === 1 ? '' : 's'}, every one detected; any one of these closes every path on its own: `);
  });

  it('names the joint combinations with the paths each closes, with their owners, when no control closes the takeover on its own; says so when none closes it', () => {
    const { report, s } = s01Weak();
    const joint = s.classes.flatMap((k) => k.joint.map((j) => j.controls));
    expect(joint.length).toBeGreaterThan(0);
    for (const k of s.classes) k.blocking = [];
    const comment = layerOfReport(report).techniques[0]!.comment;
    expect(comment).toContain('; no control closes every path on its own; together, ');
    for (const k of s.classes)
      for (const j of k.joint) {
        expect(comment).toContain(`${j.controls.map(named).join(' with ')} close ${j.paths} of ${s.paths} path`);
        for (const c of j.controls) expect(ownersLine(comment)).toContain(owned(c));
      }
    for (const k of s.classes) k.joint = [];
    // No control named: no owners line.
    expect(layerOfReport(report).techniques[0]!.comment).toMatch(/^[^\n]*: takeover, \d+ of \d+ paths? undetected; no set of up to three catalogue controls closes it$/);
  });

  /** The analysis of S09b alone on the weak workflow, to edit: two classes of one path, no control closing both. */
  function s09bWeak(): { report: AnalysisReport; w: AnalysisReport['workflows'][number]; s: AnalysisReport['workflows'][number]['scenarios'][number] } {
    const report = structuredClone(analysis);
    report.workflows = report.workflows.filter((w) => w.id === WEAK);
    const w = report.workflows[0]!;
    w.scenarios = w.scenarios.filter((s) => s.scenario === 's09b-two-agent-identities');
    return { report, w, s: w.scenarios[0]! };
  }

  it('points to the least-friction set only when the workflow has a verified one', () => {
    const { report, w } = s09bWeak();
    expect(layerOfReport(report).techniques[0]!.comment).toContain("; the workflow's verified least-friction set closes them all: ");
    w.minimalSets.leastFriction = { ...w.minimalSets.leastFriction!, verified: false };
    expect(layerOfReport(report).techniques[0]!.comment).not.toContain('least-friction');
    w.minimalSets.leastFriction = null;
    const comment = layerOfReport(report).techniques[0]!.comment;
    expect(comment).not.toContain('least-friction');
    expect(comment.split('\n')[0]).toMatch(/; no control closes every path on its own; on its own, .*; together, [^;]*close 2 of 2 paths$/);
  });

  it('counts the paths no set of up to three controls closes, and says the least-friction set closes the others', () => {
    const { report, s } = s09bWeak();
    const k = s.classes[1]!;
    k.blocking = [];
    k.joint = [];
    k.unclosable = k.count;
    const line = layerOfReport(report).techniques[0]!.comment.split('\n')[0]!;
    expect(line).toContain(`; no control closes every path on its own; on its own, ${named('approval.manager')} closes 1 of 2 paths`);
    expect(line).toContain(`together, ${named('cooldown.delay')} with ${named('notify.out_of_band')} close 1 of 2 paths`);
    expect(line).toContain("; 1 of 2 paths no set of up to three catalogue controls closes; the workflow's verified least-friction set closes every other path: ");
  });

  it('counts a joint pair\'s paths in a class one of its controls closes on its own, and leaves out a triple whose paths overlap its pair\'s', () => {
    const { report, s } = s09bWeak();
    const [a, b] = s.classes;
    // The pair is joint on the first class only; the second class is closed by one of its controls alone.
    a!.joint = [{ controls: ['cooldown.delay', 'notify.out_of_band'], paths: 1 }];
    b!.joint = [];
    b!.blocking = [...b!.blocking, 'notify.out_of_band'].sort();
    let line = layerOfReport(report).techniques[0]!.comment.split('\n')[0]!;
    expect(line).toContain(`${named('notify.out_of_band')} closes 1 of 2 paths`);
    expect(line).toContain(`together, ${named('cooldown.delay')} with ${named('notify.out_of_band')} close 2 of 2 paths`);
    // A triple in a class where a pair of it also closes paths jointly: how many paths the triple closes is not in the classes.
    a!.joint = [
      { controls: ['cooldown.delay', 'notify.out_of_band'], paths: 1 },
      { controls: ['approval.dual', 'cooldown.delay', 'notify.out_of_band'], paths: 1 },
    ];
    line = layerOfReport(report).techniques[0]!.comment.split('\n')[0]!;
    expect(line).not.toContain(named('approval.dual'));
    expect(line).toContain(`together, ${named('cooldown.delay')} with ${named('notify.out_of_band')} close 2 of 2 paths;`);
  });
});

describe('resetpath report --format navigator with hostile names', () => {
  const HOSTILE = {
    workflow: 'Reset\u202e kcatta \u001b[31m<script>x</script>\nforged line',
    id: 'hostile\u2066.weak',
    step: 'Verify\u200f\r\nstep',
    scenario: 'Vishing\u202e\u0085 scenario\nforged',
    scenarioId: 's01\u202e-hostile',
  };
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  function hostileLayer(): NavigatorLayer {
    const base = loadBundledWorkflows().find((w) => w.id === HARDENED)!;
    const wf: Workflow = structuredClone(base);
    wf.name = HOSTILE.workflow;
    wf.id = HOSTILE.id;
    wf.steps['verify']!.name = HOSTILE.step;
    const scenarios = loadBundledScenarios()
      .filter((s) => s.id === 's01-osint-vishing')
      .map((s) => ({ ...s, id: HOSTILE.scenarioId, name: HOSTILE.scenario }));
    return navigatorLayer(buildAnalysisReport([analyzeWorkflow(wf, scenarios)]), { generatedAt: 'now', toolVersion: 'test', scenarios });
  }

  it('escapes control and bidi characters in the name, description, comments and metadata: valid JSON, no forged comment line, nothing raw', () => {
    const layer = hostileLayer();
    // The hostile step is where the hardened workflow blocks S01, so its name reaches the comment.
    expect(layer.techniques[0]!.comment).toContain('blocked at "Verify\\u{200f}\\u{d}\\u{a}step" by ');
    const text = jsonOut(layer);
    expect(text).not.toMatch(RAW);
    const back = JSON.parse(text) as NavigatorLayer;
    expect(layerProblems(back)).toEqual([]);
    // No bidi or C1 character in any value either (JSON.stringify leaves those raw).
    expect(JSON.stringify(back)).not.toMatch(RAW);
    for (const s of [back.name, back.description, ...back.techniques.flatMap((t) => [t.comment, ...t.metadata.flatMap((m) => ('name' in m ? [m.name, m.value] : []))]), ...back.metadata.flatMap((m) => ('name' in m ? [m.name, m.value] : []))])
      expect(s.replace(/\n/g, ''), s).not.toMatch(RAW);
    expect(back.name).toBe('ResetPath: Reset\\u{202e} kcatta \\u{1b}[31m<script>x</script>\\u{a}forged line');
    expect(back.description).toContain('against 1 workflow: Reset\\u{202e} kcatta');
    for (const t of back.techniques) {
      // The run and the owners of the control that blocked it: a line break in a name forges no line.
      expect(t.comment.split('\n')).toHaveLength(2);
      expect(ownersLine(t.comment)).toBe(`Owners: ${owned('proofing.ial2')}`);
      expect(t.comment).toMatch(/^Vishing\\u\{202e\}\\u\{85\} scenario\\u\{a\}forged \(s01\\u\{202e\}-hostile\) on Reset\\u\{202e\} kcatta /);
      expect(t.metadata).toContainEqual({ name: 'workflow', value: 'hostile\\u{2066}.weak' });
      expect(t.metadata).toContainEqual({ name: 'scenario', value: 's01\\u{202e}-hostile' });
    }
  });
});
