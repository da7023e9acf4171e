import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { computeGraphLayout } from '../../renderer/compute/computeGraphLayout.ts';
import { computeOverlay, edgeCounts, pathEdgeIds } from '../../renderer/compute/computeOverlay.ts';
import { findPath, gapRows, isModelFileName, outcomeRows, pathSummary, pathTrace, reportExport, setView, stepNames, totals } from '../../renderer/compute/computeResults.ts';
import { bundledScenarios, bundledWorkflow } from './library.ts';

const scenarios = bundledScenarios();
const reportOf = (id: string) => buildAnalysisReport([analyzeWorkflow(bundledWorkflow(id), scenarios)]).workflows[0]!;
const weak = reportOf('standard-password-reset.weak');

describe('scenario x outcome table', () => {
  it('shows a takeover for OSINT vishing against the weak standard reset, in words as well as colour', () => {
    const row = outcomeRows(weak).find((r) => r.scenario === 's01-osint-vishing')!;
    expect(row).toMatchObject({ code: 'S01', outcome: 'takeover_undetected', label: 'Takeover, undetected', tone: 'bad', target: 'Standard employee' });
    expect(row.paths).toEqual([{ id: 's01-osint-vishing#1', label: '#1', outcome: 'takeover_undetected' }]);
    expect(row.detail).toBe('1 path: 1 undetected');
  });

  it('says why a scenario was blocked or does not apply', () => {
    const rows = outcomeRows(weak);
    expect(rows.find((r) => r.scenario === 's06-reverse-vishing')!.detail).toContain('does not accept requests by self_service');
    expect(rows.find((r) => r.scenario === 's14-shared-mailbox')).toMatchObject({ outcome: 'not_applicable', label: 'Not applicable', tone: 'muted' });
  });

  it('marks what a what-if change moved, and in which direction', () => {
    const hardened = reportOf('standard-password-reset.hardened');
    const rows = outcomeRows(hardened, weak);
    const s01 = rows.find((r) => r.scenario === 's01-osint-vishing')!;
    expect(s01.outcome).toBe('blocked');
    expect(s01.was).toEqual({ outcome: 'takeover_undetected', label: 'Takeover, undetected', paths: 1 });
    expect(s01.change).toBe('better');
    expect(outcomeRows(weak, weak).every((r) => r.change === null && r.was === null)).toBe(true);
  });

  it('totals the paths of the workflow', () => {
    expect(totals(weak)).toMatchObject({ paths: weak.totals.paths, undetected: weak.totals.undetected, scenariosWithTakeover: 10 });
  });
});

describe('path trace and gap list', () => {
  const found = findPath(weak, 's01-osint-vishing#1')!;

  it('walks the path step by step with each control\'s verdict, reason and rule', () => {
    const trace = pathTrace(found.path);
    expect(trace.map((t) => t.step)).toEqual(['intake', 'route', 'verify', 'reset', 'done']);
    const verify = trace.find((t) => t.step === 'verify')!;
    expect(verify.verdicts).toEqual([
      {
        control: 'proofing.ial2',
        name: 'Identity proofing at IAL2 or stronger',
        verdict: 'defeated',
        label: 'defeated',
        tone: 'bad',
        reason: 'knowledge and personal-data answers are known to the attacker from OSINT',
        rules: ['proofing.knowledge.osint'],
      },
    ]);
    expect(trace.filter((t) => t.takeover).map((t) => t.step)).toEqual(['reset']);
  });

  it('names the missing controls with status, effect, owner and framework mappings, blockers first', () => {
    const rows = gapRows(found.path, stepNames(weak));
    const ids = rows.map((r) => r.control);
    expect(ids).toContain('proofing.ial2');
    expect(ids).toContain('callback.number_on_file');
    const firstDetector = rows.findIndex((r) => r.effect === 'detects');
    expect(rows.slice(0, firstDetector).every((r) => r.effect === 'blocks')).toBe(true);
    const ial2 = rows.find((r) => r.control === 'proofing.ial2')!;
    expect(ial2).toMatchObject({ status: 'weak', statusLabel: 'weak', effectLabel: 'blocks', owner: 'proofing_standards_owner', actsAt: null });
    expect(ial2.mappings.map((m) => m.label)).toContain('CSF 2.0 PR.AA-02');
    // Where an absent control would act is said once, when the explanation does not already name it.
    expect(rows.find((r) => r.control === 'callback.number_on_file')).toMatchObject({ status: 'absent', actsAt: 'Knowledge questions' });
  });

  it('flags unconfirmed framework mappings', () => {
    const all = weak.scenarios.flatMap((s) => s.paths.flatMap((p) => gapRows(p, new Map())));
    const unconfirmed = all.flatMap((r) => r.mappings).filter((m) => m.unconfirmed);
    expect(unconfirmed.length).toBeGreaterThan(0);
    expect(unconfirmed.every((m) => m.title.includes('unconfirmed'))).toBe(true);
  });

  it('summarises the path: channel, claim, credential, detection, blast radius', () => {
    const s = pathSummary(found.scenario, found.path);
    expect(s.title).toBe('S01 path #1');
    expect(s.facts.find((f) => f.label === 'Detection')!.value).toBe('none: nobody notices the takeover');
    expect(s.facts.find((f) => f.label === 'Blast radius')!.value).toBe('mailbox, sso applications');
  });

  it('shows the least-friction set with names and friction', () => {
    const v = setView(weak.minimalSets.leastFriction!);
    expect(v.controls).toEqual([{ id: 'callback.number_on_file', name: 'Call-back to the number on file' }]);
    expect(v.summary).toBe('+5 min per request, 8% escalate; expected +8.6 min');
    expect(v.verified).toBe(true);
  });
});

describe('takeover paths on the graph', () => {
  const layout = computeGraphLayout(bundledWorkflow('standard-password-reset.weak'));
  const paths = weak.scenarios.flatMap((s) => s.paths);

  it('maps each walked step onto the edge it left by', () => {
    expect(pathEdgeIds(findPath(weak, 's01-osint-vishing#1')!.path)).toEqual(['intake>route>next', 'route>verify>route', 'verify>reset>next', 'reset>done>next']);
  });

  it('counts every takeover path on each edge it walks, and every drawn edge exists in the layout', () => {
    const counts = edgeCounts(paths);
    expect(counts.get('verify>reset>next')).toBe(paths.length);
    const ids = new Set(layout.edges.map((e) => e.id));
    for (const id of counts.keys()) expect(ids.has(id), id).toBe(true);
  });

  it('highlights the selected path and colours its chips by verdict', () => {
    const sel = findPath(weak, 's01-osint-vishing#1')!.path;
    const o = computeOverlay(layout, paths, sel);
    expect(o.edges.get('verify>reset>next')).toMatchObject({ count: paths.length, selected: true });
    expect(o.steps.get('reset')).toMatchObject({ selected: true, takeover: true, order: [4] });
    expect(o.chipVerdicts.get('verify/proofing.ial2')).toBe('defeated');
    expect(o.maxCount).toBe(paths.length);
  });

  it('draws no weight on edges no path uses', () => {
    const o = computeOverlay(layout, [], null);
    for (const e of o.edges.values()) expect(e).toEqual({ count: 0, weight: 0, selected: false });
  });
});

describe('export and import helpers', () => {
  it('exports the analysis as the published report document', () => {
    const { fileName, text } = reportExport(weak);
    expect(fileName).toBe('standard-password-reset.weak.analysis.json');
    const doc = JSON.parse(text) as { format: string; workflows: { id: string }[] };
    expect(doc.format).toBe('resetpath/analysis@1');
    expect(doc.workflows.map((w) => w.id)).toEqual(['standard-password-reset.weak']);
  });

  it('takes dropped YAML and JSON files as workflow files, nothing else', () => {
    expect(['a.yaml', 'b.YML', 'c.json', 'd.txt', 'yaml'].map(isModelFileName)).toEqual([true, true, true, false, false]);
  });
});
