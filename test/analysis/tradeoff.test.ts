// Issue 14, item 3: the risk-versus-friction trade-off. The frontier holds exactly the non-dominated
// candidates, the set chosen for a class meets its target with the least friction of all candidates,
// candidates share their random draws (common random numbers), and the candidate bound is stated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyControls, candidateWorkflow, combinations, frictionOf, leastFrictionMeeting, paretoFrontier, placesNew, privilegedShareOf, runTradeoffUnits, tradeoff, tradeoffPlan, tradeoffUnits, type SimulationInput, type TradeoffReport } from '../../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';

const base = loadBundledDeskProfiles().find((p) => p.id === 'in-house-20')!;
const input: SimulationInput = {
  workflow: loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!,
  scenarios: loadBundledScenarios(),
  // Many hostile callers over two days: takeovers to tell candidates apart.
  profile: { ...base, hostile: { perDay: 40, hourlyWeights: null } },
  days: 2,
};
const dominates = (a: { friction: number; risk: number }, b: { friction: number; risk: number }) => a.friction <= b.friction && a.risk <= b.risk && (a.friction < b.friction || a.risk < b.risk);

describe('Pareto frontier', () => {
  const pointsArb = fc.array(fc.record({ friction: fc.integer({ min: 0, max: 20 }), risk: fc.integer({ min: 0, max: 20 }) }), { maxLength: 40 });

  it('keeps only non-dominated points, and every point left out is dominated by or equal to a point kept', () => {
    fc.assert(
      fc.property(pointsArb, (pts) => {
        const front = paretoFrontier(pts);
        for (const i of front) for (const p of pts) expect(dominates(p, pts[i]!)).toBe(false);
        for (let i = 0; i < pts.length; i++) {
          if (front.includes(i)) continue;
          expect(front.some((j) => dominates(pts[j]!, pts[i]!) || (pts[j]!.friction === pts[i]!.friction && pts[j]!.risk === pts[i]!.risk))).toBe(true);
        }
        // By friction, risk falling strictly along the frontier.
        for (let k = 1; k < front.length; k++) {
          expect(pts[front[k]!]!.friction).toBeGreaterThan(pts[front[k - 1]!]!.friction);
          expect(pts[front[k]!]!.risk).toBeLessThan(pts[front[k - 1]!]!.risk);
        }
      }),
    );
  });

  it('enumerates every k-subset once, in lexicographic order', () => {
    const all = [...combinations(6, 3)];
    expect(all).toHaveLength(20);
    expect(new Set(all.map((c) => c.join())).size).toBe(20);
    expect(all[0]).toEqual([0, 1, 2]);
    expect(all.at(-1)).toEqual([3, 4, 5]);
    expect([...combinations(2, 3)]).toEqual([]);
  });
});

describe('trade-off over candidate control sets', () => {
  let report: TradeoffReport;
  const get = () => (report ??= tradeoff(input, 3, 11, { maxCandidates: 14, targets: { privileged_admin: 0 }, defaultTarget: 200 }));

  it('starts from the workflow as it is, then every minimal set of the exact analysis, then subsets of their controls, and says in words when the bound cuts them', () => {
    // A bound with room for the workflow as it is, every minimal set and a few subsets besides.
    const bound = tradeoffPlan(input, 4096).minimalSets.length + 4;
    const plan = tradeoffPlan(input, bound);
    expect(plan.candidates[0]).toEqual([]);
    expect(plan.minimalSets.length).toBeGreaterThan(0);
    for (const m of plan.minimalSets) expect(plan.candidates).toContainEqual(m);
    expect(new Set(plan.minimalSets.flat())).toEqual(new Set(plan.pool));
    expect(plan.candidates).toHaveLength(bound);
    expect(plan.subsets).toBe(2 ** plan.pool.length);
    expect(plan.truncated).toBe(true);
    expect(plan.notes.join(' ')).toMatch(new RegExp(`^bound hit: the \\d+ controls of the minimal sets give \\d+ candidate sets; ${bound} were simulated \\(at most ${bound}\\): the workflow as it is, the \\d+ minimal set\\(s\\), then .+, smallest first$`));
    // A bound smaller than the minimal sets says how many of them it took.
    expect(tradeoffPlan(input, 3).notes.join(' ')).toMatch(/: the workflow as it is, and 2 of the \d+ minimal sets \(in the exact analysis's order\); no other subset$/);
    // Unbounded enough, every subset is a candidate once and the bound is not mentioned.
    const all = tradeoffPlan(input, 4096);
    expect(all.candidates).toHaveLength(all.subsets);
    expect(new Set(all.candidates.map((c) => c.join())).size).toBe(all.subsets);
    expect(all.truncated).toBe(false);
    expect(all.notes.join(' ')).not.toMatch(/bound hit/);
  });

  it('applies a candidate as the what-if machinery applies a control set', () => {
    const set = tradeoffPlan(input, 14).minimalSets[0]!;
    expect(candidateWorkflow(input.workflow, set)).toEqual(applyControls(input.workflow, set));
    expect(candidateWorkflow(input.workflow, [])).toBe(input.workflow);
  });

  it('puts on the frontier exactly the candidates no other candidate beats on both friction and risk', () => {
    const r = get();
    const pts = r.points.map((p) => ({ friction: p.friction.expectedMinutes, risk: p.risk.mean }));
    expect(r.frontier.length).toBeGreaterThan(0);
    for (const i of r.frontier) for (const p of pts) expect(dominates(p, pts[i]!)).toBe(false);
    for (const p of r.points) if (!r.frontier.includes(p.index)) expect(r.frontier.some((j) => dominates(pts[j]!, pts[p.index]!) || (pts[j]!.friction === pts[p.index]!.friction && pts[j]!.risk === pts[p.index]!.risk))).toBe(true);
    // Not vacuous: the workflow as it is has takeovers, and some candidate closes them.
    expect(r.points[0]!.risk.mean).toBeGreaterThan(0);
    expect(Math.min(...r.points.map((p) => p.risk.mean))).toBeLessThan(r.points[0]!.risk.mean);
  }, 60_000);

  it('chooses for each class the least-friction set whose interval meets the target, and no cheaper candidate meets it', () => {
    const r = get();
    expect(r.choices.map((c) => c.accountClass)).toEqual(r.classes);
    for (const c of r.choices) {
      expect(c.target).toBe(c.accountClass === 'privileged_admin' ? 0 : 200);
      const risk = (i: number) => r.points[i]!.riskByClass[c.accountClass]!;
      if (c.candidate === null) {
        expect(r.points.every((p) => risk(p.index).hi > c.target)).toBe(true);
        continue;
      }
      const chosen = r.points[c.candidate]!;
      expect(risk(chosen.index).hi).toBeLessThanOrEqual(c.target);
      for (const p of r.points) if (p.friction.expectedMinutes < chosen.friction.expectedMinutes) expect(risk(p.index).hi, p.controls.join('+')).toBeGreaterThan(c.target);
      for (const i of r.frontier) if (r.points[i]!.friction.expectedMinutes < chosen.friction.expectedMinutes) expect(risk(i).hi).toBeGreaterThan(c.target);
    }
    expect(r.choices.some((c) => c.candidate !== null)).toBe(true);
  }, 60_000);

  it('says when no candidate meets a target, naming the lowest upper bound', () => {
    const r = get();
    const impossible = leastFrictionMeeting(r.points.slice(0, 1), 'standard_employee', -1);
    expect(impossible.candidate).toBeNull();
    expect(impossible.reason).toMatch(/^no candidate meets -1 per 1000 days; the lowest upper bound is [\d.]+ \(the workflow as it is\)$/);
  }, 60_000);

  it('gives every candidate the same arrivals in replication i (common random numbers), and charges friction only for controls the workflow lacks', () => {
    const r = get();
    // Arrivals are drawn before any handling: equal counts across candidates, replication by replication.
    const plan = tradeoffPlan(input, 14);
    const units = runTradeoffUnits(input, plan.candidates, 11, tradeoffUnits(plan.candidates.length, 3));
    const arrivals = (k: number) => units.filter((u) => u.candidate === k).map((u) => [u.result.legit['standard_employee']!.requests, Object.values(u.result.hostile).reduce((s, h) => s + h.attempts, 0)]);
    expect(arrivals(0)[0]![1]).toBeGreaterThan(0);
    for (let k = 1; k < plan.candidates.length; k++) expect(arrivals(k), plan.candidates[k]!.join('+')).toEqual(arrivals(0));
    for (const p of r.points) {
      expect(p.friction).toEqual(frictionOf(p.added, privilegedShareOf(input)));
      for (const c of p.added) expect(p.controls).toContain(c);
    }
    expect(r.points[0]!.friction.expectedMinutes).toBe(0);
  }, 60_000);

  it("charges a control the workflow has at one step when the set places it at another: the requester meets one check more", () => {
    const wf = input.workflow;
    // The weak reset proofs at its proofing step with proofing.ial2; the control also sits on execution steps.
    expect(Object.values(wf.steps).some((st) => st.kind === 'proofing' && st.controls.some((c) => c.control === 'proofing.ial2'))).toBe(true);
    expect(placesNew(wf, 'proofing.ial2')).toBe(true);
    const withIt = get().points.filter((p) => p.controls.includes('proofing.ial2'));
    expect(withIt.length).toBeGreaterThan(0);
    for (const p of withIt) {
      expect(p.added).toContain('proofing.ial2');
      expect(p.friction.expectedMinutes).toBeGreaterThanOrEqual(frictionOf(['proofing.ial2']).expectedMinutes);
    }
    // Once it sits at every step it attaches to, applying it again adds nothing: it costs no friction.
    const everywhere = applyControls(wf, ['proofing.ial2', 'agent.mfa', 'exception.expiry']);
    expect(placesNew(everywhere, 'proofing.ial2')).toBe(false);
    // Workflow scope: added only when the workflow lacks it.
    expect(placesNew(wf, 'agent.mfa')).toBe(false);
    expect(placesNew(wf, 'detect.reset_anomaly')).toBe(true);
    // Exception scope: nowhere to place it in a workflow without exceptions.
    expect(placesNew({ ...wf, exceptions: [] }, 'exception.expiry')).toBe(false);
  }, 60_000);

  it("weighs a control only privileged requests pay by their share of the desk's requests", () => {
    const share = privilegedShareOf(input);
    // in-house-20: privileged administrators are about 2% of the requests the weak reset serves.
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.05);
    const full = frictionOf(['privileged.separate_path']);
    const weighed = frictionOf(['privileged.separate_path'], share);
    expect(weighed.minutes).toBeCloseTo(share * full.minutes, 9);
    expect(weighed.expectedMinutes).toBeLessThan(full.expectedMinutes / 10);
    // Other controls are paid by every request, whatever the share.
    expect(frictionOf(['callback.number_on_file'], share)).toEqual(frictionOf(['callback.number_on_file']));
    const withPath = get().points.filter((p) => p.added.includes('privileged.separate_path'));
    expect(withPath.length).toBeGreaterThan(0);
    for (const p of withPath) expect(p.friction).toEqual(frictionOf(p.added, share));
    // A workflow serving no privileged class: nothing to weigh.
    expect(privilegedShareOf({ ...input, workflow: { ...input.workflow, accountClasses: ['standard_employee'] } })).toBe(0);
  }, 60_000);

  it('reports queue length and takeovers for each hour of the day, the takeovers summing to the daily rate', () => {
    const r = get();
    for (const p of r.points) {
      expect(p.queueByHour).toHaveLength(24);
      expect(p.takeoversByHour).toHaveLength(24);
      expect(p.takeoversByHour.reduce((s, x) => s + x, 0) * 1000).toBeCloseTo(p.risk.mean, 6);
    }
  }, 60_000);
});
