// The engine against the brute-force oracle (test/analysis/oracle.ts) on one workflow and scenario:
// the comparison the differential and property tests make, in one place.
import { expect } from 'vitest';
import { analyzeWorkflow, countIn } from '../../analysis/index.ts';
import type { Workflow } from '../../models/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { attribute, classesOf, enumeratePaths, pathUnknowns, positive, transitionsThrough } from './oracle.ts';

/**
 * The engine's classes of one workflow against one scenario equal the oracle's: counts, outcome,
 * detecting control and delay, blocking, detecting, joint and contributing controls, statuses,
 * unknowns and the paths no set closes, and the takeover paths through each workflow transition (each
 * path once, however often it takes the transition). Asserts with vitest's expect.
 */
export function expectEngineMatchesOracle(wf: Workflow, sc: Scenario): void {
  const r = analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!;
  const paths = enumeratePaths(wf, sc);
  const oracle = classesOf(paths, attribute(wf, sc, paths), paths.map((p) => pathUnknowns(wf, sc, p)));
  expect(countIn(r.paths)).toBe(BigInt(paths.length));
  const engine = new Map(r.classes.map((c) => [JSON.stringify({ outcome: c.outcome, detectedBy: c.detectedBy, blocking: c.blocking, detecting: c.detecting, statuses: c.statuses, conditional: c.conditional }), c]));
  expect([...engine.keys()].sort()).toEqual([...oracle.keys()].sort());
  for (const [k, o] of oracle) {
    const e = engine.get(k)!;
    expect(Number(e.count)).toBe(o.count);
    expect(Object.fromEntries(e.joint.map((j) => [j.controls.join('+'), Number(j.paths)]).sort())).toEqual(Object.fromEntries([...o.joint].sort()));
    expect(Object.fromEntries(e.contributing.map((x) => [x.control, Number(x.paths)]).sort())).toEqual(Object.fromEntries([...o.contributing].sort()));
    expect(Number(e.unclosable)).toBe(o.unclosable);
  }
  expect(positive(r.transitions)).toEqual(positive(transitionsThrough(paths)));
}
