// Attribution skips the detectors and the log when it asks which controls would close a move
// (analysis/counterfactuals.ts, DETECTION_ONLY): placing one of them never changes whether a move is
// open. These tests check that premise — on the catalogue's rules, and on every pass move of every
// bundled workflow against every bundled scenario — so a rule or evaluation change that starts
// reading one of them fails here instead of silently dropping a closing control.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTABLE, Counterfactuals, DETECTION_ONLY, passOpen } from '../../analysis/counterfactuals.ts';
import { buildStateGraph } from '../../analysis/stateGraph.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { CONTROLS } from '../../models/index.ts';
import { prepareWorkflow } from '../../scenarios/index.ts';

describe('controls that act on detection only', () => {
  it('are the attributable detectors and the log, and none of them is a guard (a step gives verdicts for guards only)', () => {
    expect([...DETECTION_ONLY].sort()).toEqual(['agent.insider_controls', 'detect.reset_anomaly', 'log.immutable', 'notify.out_of_band', 'review.post_event']);
    for (const id of DETECTION_ONLY) expect(ATTRIBUTABLE.find((c) => c.id === id)!.role).not.toBe('guard');
  });

  it('are named by no defeat rule of any control (no guard is judged by whether they are in place)', () => {
    for (const def of CONTROLS) {
      for (const rule of def.defeatedBy) {
        const named = [...(rule.unlessAtStep ?? []), ...(rule.unlessInWorkflow ?? []), ...(rule.unlessWorkflowParam ?? []).map((u) => u.control), ...(rule.unlessAtStepWith ?? []).map((u) => u.control)];
        for (const c of named) expect(DETECTION_ONLY.has(c), `${def.id} rule ${rule.id} names ${c}`).toBe(false);
      }
    }
  });

  it('never change whether a pass move is open, or its verdicts, on any bundled workflow and scenario', () => {
    const scenarios = loadBundledScenarios();
    let moves = 0;
    for (const wf of [...loadBundledWorkflows(), generateWorkflow(24, 25, 7)]) {
      const prep = prepareWorkflow(wf);
      const cfs = new Counterfactuals(prep);
      for (const sc of scenarios) {
        const g = buildStateGraph(prep, sc, cfs.cache);
        const seen = new Set<string>();
        for (const e of g.edges) {
          if (!e.pre || e.via !== 'pass' || !e.ev) continue;
          const n = g.nodes[e.from]!;
          const key = `${n.step}|${n.channel}|${n.exceptions.map((x) => x.id + x.how).join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const base = passOpen(cfs.cache, prep, g.ctx, n.step, n.channel, n.exceptions);
          for (const id of DETECTION_ONLY) {
            const cf = cfs.of([id]);
            const r = passOpen(cfs.cache, cf.prep, cfs.ctx(cf, sc), n.step, n.channel, n.exceptions);
            const summary = (x: typeof r) => ({ open: x.open, verdicts: x.ev.verdicts.map((v) => [v.key, v.verdict, v.means.map((m) => m.rule)]) });
            expect(summary(r), `${wf.id} / ${sc.id} at ${n.step} with ${id} placed`).toEqual(summary(base));
          }
          moves++;
        }
      }
    }
    // The check ran over a real number of moves, not an empty library.
    expect(moves).toBeGreaterThan(200);
  });
});
