// A post-event review sits on a review step or on the execution step whose reset it reviews
// (docs/analysis-semantics.md, "Detection"): a workflow with no review step still has a place for one,
// so the analysis can name the missing review, as practitioners and SP 800-53 AU-6 do.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { analyseOne, attacker, deskWorkflow, kbvStep } from './helpers.ts';

const vished = attacker(['osint_personal_data', 'urgency_pressure']);
const LOG = '      - { control: log.immutable, enforcement: system }';

describe('a post-event review on the reset it reviews', () => {
  it('is named as detecting the undetected takeovers of a workflow without a review step, where the reset is recorded intact', () => {
    const r = analyseOne(deskWorkflow({ steps: kbvStep(), resetControls: LOG }), vished);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.every((c) => c.detecting.includes('review.post_event'))).toBe(true);
  });

  it('is not named where there is no record to review (a review reads the intact record only)', () => {
    const r = analyseOne(deskWorkflow({ steps: kbvStep() }), vished);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.some((c) => c.detecting.includes('review.post_event'))).toBe(false);
  });

  it('in the file, detects the takeover of a reset it reviews within the attacker\'s objective, and not one slower than it', () => {
    const reviewed = deskWorkflow({ steps: kbvStep(), resetControls: `${LOG}\n      - { control: review.post_event, enforcement: system }` });
    const r = analyseOne(reviewed, vished);
    expect(r.outcome).toBe('takeover_detected');
    expect(r.classes.map((c) => c.detectedBy)).toEqual([{ control: 'review.post_event', delayHours: 24 }]);
    const quick = analyseOne(reviewed, { ...vished, attacker: { ...vished.attacker, timeToObjectiveHours: 2 } });
    expect(quick.outcome).toBe('takeover_undetected');
  });

  it('is done by the review\'s owner, so a pressured agent of an outsourced desk executing the reset does not leave a procedural review out', () => {
    const wf = deskWorkflow({
      actors: '  - { id: vendor, kind: agent, tier: 1, name: provider agent, operator: outsourced }',
      steps: kbvStep(),
      resetControls: `${LOG}\n      - { control: review.post_event, enforcement: procedural }`,
    });
    // The reset executed by the provider's agent (the helper's reset is the in-house tier-1 agent's).
    const onVendor = { ...wf, steps: { ...wf.steps, reset: { ...wf.steps.reset!, actor: 'vendor' } } };
    const r = analyseOne(onVendor, vished);
    expect(r.outcome).toBe('takeover_detected');
    expect(r.classes.map((c) => c.detectedBy?.control)).toEqual(['review.post_event']);
  });

  it('is named as detecting on the bundled weak workflows with an intact record and no review step', () => {
    const scenarios = loadBundledScenarios();
    const weak = loadBundledWorkflows().filter((w) => w.variant === 'weak' && !w.stepOrder.some((s) => w.steps[s]!.kind === 'review'));
    expect(weak.length).toBeGreaterThan(10);
    const naming = weak.filter((w) => (analyzeWorkflow(w, scenarios, { minimalSets: false }).controls.find((c) => c.control === 'review.post_event')?.detectsPaths ?? 0n) > 0n);
    // Not on a workflow that keeps no intact record of the reset (carrier-sim-change.weak, remote-support-session.weak) or whose provider's agents leave the record out.
    expect(naming.map((w) => w.id)).toContain('standard-password-reset.weak');
    expect(naming.length).toBeGreaterThanOrEqual(10);
    expect(naming.map((w) => w.id)).not.toContain('carrier-sim-change.weak');
  });
});
