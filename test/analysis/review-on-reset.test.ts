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
  it('is named as detecting the undetected takeovers of a workflow without a review step: the reset\'s ticket is the record it reads', () => {
    for (const wf of [deskWorkflow({ steps: kbvStep() }), deskWorkflow({ steps: kbvStep(), resetControls: LOG })]) {
      const r = analyseOne(wf, vished);
      expect(r.outcome).toBe('takeover_undetected');
      expect(r.classes.every((c) => c.detecting.includes('review.post_event'))).toBe(true);
      expect(r.classes.some((c) => c.detecting.includes('log.immutable'))).toBe(false);
    }
  });

  it('against an attacker who can alter the ticket, is named only where an immutable log keeps the record, and the log is named where a review reads it', () => {
    const tamperer = attacker(['osint_personal_data', 'urgency_pressure', 'log_tampering']);
    const bare = analyseOne(deskWorkflow({ steps: kbvStep() }), tamperer);
    expect(bare.outcome).toBe('takeover_undetected');
    expect(bare.classes.some((c) => c.detecting.includes('review.post_event'))).toBe(false);
    expect(analyseOne(deskWorkflow({ steps: kbvStep(), resetControls: LOG }), tamperer).classes.every((c) => c.detecting.includes('review.post_event'))).toBe(true);
    const reviewed = analyseOne(deskWorkflow({ steps: kbvStep(), resetControls: '      - { control: review.post_event, enforcement: system }' }), tamperer);
    expect(reviewed.outcome).toBe('takeover_undetected');
    expect(reviewed.classes.every((c) => c.detecting.includes('log.immutable'))).toBe(true);
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

  it('is named as detecting on the bundled weak workflows, none of which has a review step', () => {
    const scenarios = loadBundledScenarios();
    const weak = loadBundledWorkflows().filter((w) => w.variant === 'weak');
    expect(weak.length).toBeGreaterThan(10);
    for (const w of weak) {
      expect(w.stepOrder.some((s) => w.steps[s]!.kind === 'review'), w.id).toBe(false);
      const review = analyzeWorkflow(w, scenarios, { minimalSets: false }).controls.find((c) => c.control === 'review.post_event');
      expect(review?.detectsPaths ?? 0n, w.id).toBeGreaterThan(0n);
    }
  });
});
