// The exact engine against the plain enumerator (test/analysis/oracle.ts): on every bundled
// workflow x scenario and on generated workflows small enough to list every path, both must find the
// same classes of takeover paths with the same counts, outcomes, blocking, joint, detecting and
// contributing controls and statuses, the same takeover paths through each workflow transition (the
// graph's overlay), and the same minimal control sets.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, countIn, type ScenarioResult } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/library.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { Workflow } from '../../models/index.ts';
import { attribute, classesOf, enumeratePaths, pathUnknowns, positive, setCloses, transitionsThrough, type OracleAttribution, type OraclePath } from './oracle.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();

/** The engine's classes of one scenario in the oracle's terms. */
function engineClasses(r: ScenarioResult, withTriples: boolean) {
  return new Map(
    r.classes.map((c) => [
      JSON.stringify({ outcome: c.outcome, detectedBy: c.detectedBy, blocking: c.blocking, detecting: c.detecting, statuses: c.statuses, conditional: c.conditional }),
      {
        count: Number(c.count),
        joint: new Map(c.joint.filter((j) => withTriples || j.controls.length === 2).map((j) => [j.controls.join('+'), Number(j.paths)])),
        contributing: new Map(c.contributing.map((x) => [x.control, Number(x.paths)])),
        unclosable: Number(c.unclosable),
      },
    ]),
  );
}

function compare(wf: Workflow, sc: Scenario, r: ScenarioResult, withTriples: boolean): { paths: OraclePath[]; attr: OracleAttribution[] } {
  const paths = enumeratePaths(wf, sc);
  const attr = attribute(wf, sc, paths, { triples: withTriples });
  const oracle = classesOf(paths, attr, paths.map((p) => pathUnknowns(wf, sc, p)));
  const engine = engineClasses(r, withTriples);
  expect(countIn(r.paths), `${wf.id} x ${sc.id}: number of takeover paths`).toBe(BigInt(paths.length));
  expect([...engine.keys()].sort(), `${wf.id} x ${sc.id}: classes`).toEqual([...oracle.keys()].sort());
  for (const [key, o] of oracle) {
    const e = engine.get(key)!;
    expect(e.count, `${wf.id} x ${sc.id}: paths of ${key}`).toBe(o.count);
    expect(Object.fromEntries([...e.joint].sort()), `${wf.id} x ${sc.id}: joint sets of ${key}`).toEqual(Object.fromEntries([...o.joint].filter(([k]) => withTriples || k.split('+').length === 2).sort()));
    expect(Object.fromEntries([...e.contributing].sort()), `${wf.id} x ${sc.id}: contributing controls of ${key}`).toEqual(Object.fromEntries([...o.contributing].sort()));
    if (withTriples) expect(e.unclosable, `${wf.id} x ${sc.id}: unclosable paths of ${key}`).toBe(o.unclosable);
  }
  expect(positive(r.transitions), `${wf.id} x ${sc.id}: takeover paths through each transition`).toEqual(positive(transitionsThrough(paths)));
  return { paths, attr };
}

/** Minimal control sets by brute force: every minimal set of up to `bound` controls that closes every closable path. */
function bruteForceSets(wf: Workflow, per: { sc: Scenario; paths: OraclePath[]; attr: OracleAttribution[] }[], bound: number): string[] {
  const closable = per.flatMap(({ sc, paths, attr }) => paths.map((p, i) => ({ sc, p, a: attr[i]! })).filter((x) => x.a.blocking.length + x.a.joint.length > 0));
  if (closable.length === 0) return [];
  const cands = [...new Set(closable.flatMap((x) => [...x.a.blocking, ...x.a.joint.flat()]))].sort();
  const found: string[][] = [];
  const choose = (start: number, set: string[]) => {
    if (set.length > 0 && !found.some((f) => f.every((c) => set.includes(c)))) {
      if (closable.every((x) => x.a.blocking.some((b) => set.includes(b)) || x.a.joint.some((j) => j.every((c) => set.includes(c))) || setCloses(wf, x.sc, x.p, set))) {
        found.push([...set]);
        return;
      }
    }
    if (set.length >= bound) return;
    for (let i = start; i < cands.length; i++) choose(i + 1, [...set, cands[i]!]);
  };
  choose(0, []);
  return found.filter((s) => !found.some((t) => t.length < s.length && t.every((c) => s.includes(c)))).map((s) => s.join('+')).sort();
}

describe('the exact engine agrees with a plain enumerator on every bundled workflow and scenario', () => {
  for (const wf of workflows) {
    it(`${wf.id}: same classes, counts, statuses, joint and contributing controls, and the same minimal control sets`, () => {
      const a = analyzeWorkflow(wf, scenarios, { sizeBound: 3 });
      const per = a.scenarios.map((r) => {
        const sc = scenarios.find((s) => s.id === r.scenario)!;
        return { sc, ...compare(wf, sc, r, true) };
      });
      const engineSets = a.minimalSets.sets.map((s) => s.controls.join('+')).sort();
      expect(engineSets, `${wf.id}: minimal control sets`).toEqual(bruteForceSets(wf, per, 3));
      expect(a.minimalSets.sets.every((s) => s.verified)).toBe(true);
    });
  }
});

describe('the exact engine agrees with a plain enumerator on generated workflows', () => {
  for (const [steps, seed] of [
    [10, 1],
    [12, 7],
    [16, 3],
    [20, 42],
  ] as const) {
    it(`a generated ${steps}-step workflow (seed ${seed}): same classes, counts and statuses against every scenario`, () => {
      const wf = generateWorkflow(steps, 25, seed);
      const a = analyzeWorkflow(wf, scenarios, { minimalSets: false });
      for (const r of a.scenarios) compare(wf, scenarios.find((s) => s.id === r.scenario)!, r, false);
    });
  }
});
