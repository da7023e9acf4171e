// Training and session revocation never block or detect a takeover, but their absence matters:
// training makes an agent's deception less likely, revocation limits what a takeover keeps. They are
// named in their own columns (docs/analysis-semantics.md, "Attribution"), never as blocking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport, toggleControl } from '../../analysis/index.ts';
import { residuals } from '../../analysis/examples.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { prepareWorkflow, scenarioContext } from '../../scenarios/index.ts';
import { bundledScenarios, bundledWorkflow, bundledWorkflowIds } from '../renderer/library.ts';
import { anyClassesArb } from './arbitraries.ts';
import { analyseOne, analyseOrRefused, attacker, deskWorkflow, kbvStep } from './helpers.ts';

const scenarios = bundledScenarios();
const weak = bundledWorkflow('standard-password-reset.weak');
const classesOf = (wf: typeof weak, id: string) => analyzeWorkflow(wf, scenarios).scenarios.find((s) => s.scenario === id)!.classes;

describe('controls that reduce likelihood or limit impact', () => {
  it('names missing agent training as reducing the likelihood of a path on which the desk agent was deceived, never as blocking it', () => {
    const [c] = classesOf(weak, 's01-osint-vishing');
    expect(c!.reducesLikelihood).toEqual([{ control: 'training.helpdesk', status: 'absent', why: expect.stringMatching(/accepted proofing\.ial2 .*osint_personal_data/) }]);
    expect([...c!.blocking, ...c!.detecting, ...c!.joint.flatMap((j) => j.controls), ...c!.contributing.map((x) => x.control)]).not.toContain('training.helpdesk');
  });

  it('names missing session revocation as limiting the impact of a takeover whose sessions persist, never as blocking it', () => {
    const [c] = classesOf(weak, 's01-osint-vishing');
    expect(c!.examples[0]!.outcome.containment).toBe('persists');
    expect(c!.limitsImpact).toEqual([{ control: 'session.revoke_on_reset', status: 'absent', why: expect.any(String) }]);
    expect(c!.blocking).not.toContain('session.revoke_on_reset');
  });

  it('does not name training on a path driven from the support console, where no honest agent was deceived', () => {
    const consoleClass = classesOf(weak, 's07-compromised-agent-account').find((c) => c.examples[0]!.channel === 'agent_console')!;
    expect(consoleClass.reducesLikelihood).toEqual([]);
    expect(consoleClass.limitsImpact.map((r) => r.control)).toEqual(['session.revoke_on_reset']);
  });

  it('does not name training where the check was passed by an agent identity the attacker holds: a bribed agent, or its second account', () => {
    // The desk agent who accepts the knowledge answers is the attacker's (S09), or the attacker acts
    // through a second agent account (S09b): training makes no honest agent less likely to be deceived there.
    for (const id of ['s09-bribed-insider-agent', 's09b-two-agent-identities']) {
      const classes = classesOf(weak, id);
      expect(classes.length, id).toBeGreaterThan(0);
      for (const c of classes) expect(c.reducesLikelihood.map((r) => r.control), `${id} ${c.id}`).not.toContain('training.helpdesk');
    }
    // The same check passed with answers from OSINT by an honest agent still names it (S01).
    expect(classesOf(weak, 's01-osint-vishing')[0]!.reducesLikelihood.map((r) => r.control)).toContain('training.helpdesk');
  });

  it('names training where the agent passed the caller at a step whose checks are unknown (what it checks is unknown), not at a system\'s such step', () => {
    // verification: unknown is analysed as checking nothing, so no capability or pressure shows; the
    // agent still accepted an impostor there (docs/analysis-semantics.md, "Controls that reduce likelihood").
    const unknownAt = (actor: string) => deskWorkflow({ steps: `  - id: verify\n    kind: proofing\n    actor: ${actor}\n    verification: unknown\n    next: reset` });
    const [a] = analyseOne(unknownAt('tier1'), attacker([])).classes;
    expect(a!.reducesLikelihood).toEqual([{ control: 'training.helpdesk', status: 'absent', why: expect.stringMatching(/accepted the caller at .*unknown/) }]);
    const [b] = analyseOne(unknownAt('idp'), attacker([])).classes;
    expect(b!.reducesLikelihood.map((r) => r.control)).not.toContain('training.helpdesk');
    // A bribed agent performing the step itself deceives nobody there: the caller is its accomplice.
    const insider = analyseOne(unknownAt('tier1'), attacker(['insider_bribed_agent']));
    expect(insider.classes.length).toBeGreaterThan(0);
    for (const c of insider.classes) expect(c.reducesLikelihood.map((r) => r.control), c.id).not.toContain('training.helpdesk');
  });

  it('does not say the holder acted for the attacker at a holder step that cannot stop the request, or after the takeover', () => {
    const holder = '  - { id: holder, kind: account_holder, name: account holder }';
    const kbv = kbvStep('told');
    // A notification the holder receives before the reset: no act of the holder's gets the attacker
    // through, and this attacker cannot direct the holder at all.
    const notified = deskWorkflow({ actors: holder, steps: `${kbv}\n  - id: told\n    kind: notification\n    actor: holder\n    next: reset` });
    const [a] = analyseOne(notified, attacker(['osint_personal_data'])).classes;
    expect(a!.reducesLikelihood.map((r) => r.control)).toEqual(['training.helpdesk']);
    // A holder's confirmation after the reset, which a vishing attacker has the holder give: the
    // takeover was made before it, so warning users would not have made it less likely.
    const confirmed = deskWorkflow({
      actors: holder,
      steps: kbvStep(),
      afterReset: `
  - id: after
    kind: step_up
    actor: holder
    next: done`,
    });
    for (const c of analyseOne(confirmed, attacker(['osint_personal_data', 'victim_vishing'])).classes) expect(c.reducesLikelihood.map((r) => r.control), c.id).not.toContain('user.support_warning');
  });

  it('names neither once the workflow trains its agents and revokes sessions on reset', () => {
    const fixed = toggleControl(toggleControl(weak, 'training.helpdesk', true), 'session.revoke_on_reset', true);
    const [c] = classesOf(fixed, 's01-osint-vishing');
    expect(c!.examples[0]!.outcome.containment).toBe('revoked');
    expect(c!.reducesLikelihood).toEqual([]);
    expect(c!.limitsImpact).toEqual([]);
  });

  it('gives every class the residuals of its first example as made concrete (they are read off its walk before any example is), on the library and on generated workflows with a cooling-off', () => {
    let classes = 0;
    let cooled = 0;
    for (const wf of [...bundledWorkflowIds().map(bundledWorkflow), toggleControl(weak, 'cooldown.delay', true), generateWorkflow(24, 25, 42), generateWorkflow(60, 25, 7)]) {
      const prep = prepareWorkflow(wf);
      for (const r of analyzeWorkflow(wf, scenarios).scenarios) {
        const ctx = scenarioContext(prep, scenarios.find((sc) => sc.id === r.scenario)!);
        for (const c of r.classes) {
          const { reducesLikelihood, limitsImpact } = c;
          const first = c.examples[0]!;
          expect({ reducesLikelihood, limitsImpact }, `${wf.id} ${c.id}`).toEqual(residuals(prep, ctx, first));
          classes++;
          if (prep.byStep.get(first.takeoverStep)?.has('cooldown.delay') && limitsImpact.length > 0) cooled++;
        }
      }
    }
    expect(classes).toBeGreaterThan(100);
    expect(cooled, 'classes taking over at a step with a cooling-off (not blocked: nobody is told) whose sessions persist').toBeGreaterThan(0);
  });

  it('gives every class of random workflows (loops, holder steps, exceptions) the residuals of its first example as made concrete', () => {
    // The class's residuals are read off its moves (analysis/examples.ts, exampleResiduals); the
    // definition reads the walked path (residuals): they must agree wherever a path loops back through
    // its takeover step or passes a holder's or an agent's step after it.
    fc.assert(
      fc.property(anyClassesArb, ([wf, sc]) => {
        const r = analyseOrRefused(wf, sc);
        if (!r) return;
        const prep = prepareWorkflow(wf);
        const ctx = scenarioContext(prep, sc);
        for (const c of r.classes) expect({ reducesLikelihood: c.reducesLikelihood, limitsImpact: c.limitsImpact }, c.id).toEqual(residuals(prep, ctx, c.examples[0]!));
      }),
      { numRuns: 600, seed: 31 },
    );
  });

  it('counts, per control, the exact paths it would make less likely or less harmful, in the published report', () => {
    const report = buildAnalysisReport([analyzeWorkflow(weak, scenarios)]).workflows[0]!;
    const control = (id: string) => report.controls.find((c) => c.control === id)!;
    const total = report.totals.paths;
    expect(control('session.revoke_on_reset')).toMatchObject({ blocksPaths: 0, detectsPaths: 0, limitsImpactPaths: total });
    expect(control('training.helpdesk').blocksPaths).toBe(0);
    expect(Number(control('training.helpdesk').reducesLikelihoodPaths)).toBeGreaterThan(0);
    expect(Number(control('training.helpdesk').reducesLikelihoodPaths)).toBeLessThan(Number(total));
    const s01 = report.scenarios.find((s) => s.scenario === 's01-osint-vishing')!.classes[0]!;
    expect(s01.reducesLikelihood![0]!.control).toBe('training.helpdesk');
  });
});
