import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, applyControls, explore, placeControl, type TakeoverPath } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { CONTROLS } from '../../models/index.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();
const PREVENT = CONTROLS.filter((c) => c.functions.includes('prevent') && (c.role === 'guard' || c.role === 'modifier')).map((c) => c.id);

/** A path's route: what the attacker did, independent of the verdicts met on the way. */
const route = (p: TakeoverPath) => `${p.channel}|${p.claimedClass}|${p.walked.map((w) => `${w.step}:${w.via}`).join('>')}`;

describe('analysis properties', () => {
  it('adding a prevent control anywhere never opens a new takeover path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...workflows),
        fc.constantFrom(...scenarios),
        fc.constantFrom(...PREVENT),
        fc.option(fc.nat(), { nil: undefined }),
        (wf, sc, control, stepPick) => {
          const steps = stepPick === undefined ? undefined : [wf.stepOrder[stepPick % wf.stepOrder.length]!];
          const before = new Set(explore(wf, sc).paths.map(route));
          const after = explore(placeControl(wf, control, steps), sc).paths.map(route);
          for (const r of after) expect(before.has(r), `${control} on ${steps ?? 'all steps'} opened ${r}`).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('every reported minimal control set leaves zero closable takeover paths, and no proper subset does', () => {
    const weak = workflows.filter((w) => w.variant === 'weak');
    fc.assert(
      fc.property(fc.constantFrom(...weak), (wf) => {
        const a = analyzeWorkflow(wf, scenarios, { sizeBound: 3 });
        const unclosable = new Set(a.minimalSets.unclosablePaths);
        const remaining = (controls: string[]) =>
          scenarios.flatMap((sc) =>
            explore(applyControls(wf, controls), sc)
              .paths.map((p) => `${sc.id}:${route(p)}`)
              .filter((r) => !a.scenarios.some((s) => s.paths.some((p) => unclosable.has(`${s.scenario}:${p.id}`) && `${s.scenario}:${route(p)}` === r))),
          );
        for (const set of a.minimalSets.sets.slice(0, 6)) {
          expect(set.verified).toBe(true);
          expect(remaining(set.controls)).toEqual([]);
          for (const drop of set.controls) {
            const subset = set.controls.filter((c) => c !== drop);
            expect(remaining(subset).length, `${set.controls.join('+')} without ${drop}`).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 8, seed: 7 },
    );
  });
});
