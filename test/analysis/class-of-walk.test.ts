// classOfWalk: the class of the analysis a concrete walk belongs to, for any of the class's paths
// (the after-action report's "walked by the room" reads it). Checked against the plain enumerator of
// test/analysis/oracle.ts: every path it lists is put in a class, and each class gets exactly the
// number of paths the engine counts for it.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, classOfWalk, compliantRun, exerciseNotPlayable, exerciseRoutes, runExercise, type ConcreteWalk, type ExerciseDecision } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { enumeratePaths, fewPaths, type OraclePath } from './oracle.ts';

const scenarios = loadBundledScenarios();
const workflows = loadBundledWorkflows();
const walkOf = (p: OraclePath, target: ConcreteWalk['claimedClass']): ConcreteWalk => ({ channel: p.channel, claimedClass: p.claim ?? target, steps: p.walked.map((x) => ({ step: x.step, via: x.via })) });

describe('the class of a concrete walk', () => {
  it('puts every takeover path the plain enumerator lists in a class, each class getting exactly the paths the engine counts for it, on every bundled workflow and scenario', () => {
    let pairs = 0;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => w.accountClasses.includes(x.target.accountClass))) {
        if (!fewPaths(w, s, 60)) continue;
        const paths = enumeratePaths(w, s);
        if (paths.length === 0) continue;
        pairs++;
        const r = analyzeWorkflow(w, [s], { minimalSets: false }).scenarios[0]!;
        const got = new Map<string, number>();
        for (const p of paths) {
          const id = classOfWalk(w, s, walkOf(p, s.target.accountClass));
          expect(id, `${w.id} ${s.id}: ${p.walked.map((x) => `${x.step}>${x.via}`).join(' ')}`).not.toBeNull();
          got.set(id!, (got.get(id!) ?? 0) + 1);
        }
        expect(got, `${w.id} ${s.id}`).toEqual(new Map(r.classes.map((c) => [c.id, Number(c.count)])));
      }
    }
    expect(pairs).toBeGreaterThan(40);
  });

  it('finds the class of a path that is not one of the examples the report shows', () => {
    const w = generateWorkflow(24, 25, 42);
    const s = scenarios.find((x) => x.id === 's01-osint-vishing')!;
    const r = analyzeWorkflow(w, [s], { minimalSets: false }).scenarios[0]!;
    const big = r.classes.find((c) => c.count > 3n)!;
    expect(big).toBeDefined();
    const shown = new Set(big.examples.map((e) => e.walked.map((x) => `${x.step}>${x.via}`).join(' ')));
    const others = enumeratePaths(w, s).filter((p) => classOfWalk(w, s, walkOf(p, s.target.accountClass)) === big.id && !shown.has(p.walked.map((x) => `${x.step}>${x.via}`).join(' ')));
    expect(others.length).toBe(Number(big.count) - big.examples.length);
  });

  it('finds no class for a walk the analysis does not make: an attempt the controls stop, or a check passed that holds against this attacker', () => {
    // A room that does what the controls require stops the forged ID at the counter: no takeover path.
    const w = workflows.find((x) => x.id === 'standard-password-reset.weak')!;
    const s = scenarios.find((x) => x.id === 's25-forged-id-at-the-counter')!;
    const route = exerciseRoutes(w, s).routes[0]!;
    const stopped = compliantRun(w, s, route).state;
    expect(stopped.end?.kind).toBe('blocked');
    expect(classOfWalk(w, s, { channel: route.channel, claimedClass: route.claimedClass, steps: stopped.walked })).toBeNull();
    // A room that approves past the procedural ID check that would hold walks a path no attacker gets
    // by its own means: the room's gap, not one of the analysis's paths.
    const log: ExerciseDecision[] = [];
    let state = runExercise(w, s, route, log);
    while (state.current) {
      log.push({ point: state.current.id, choice: 'approve' });
      state = runExercise(w, s, route, log);
    }
    expect(state.gaps.some((g) => g.kind === 'skipped_by_room')).toBe(true);
    expect(state.end?.kind).toMatch(/^takeover/);
    expect(classOfWalk(w, s, { channel: route.channel, claimedClass: route.claimedClass, steps: state.walked })).toBeNull();
    expect(exerciseNotPlayable(w, s)).toBeNull();
  });
});
