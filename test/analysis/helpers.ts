// Small builders for analysis tests: a workflow or scenario written inline as YAML.
import { analyzeWorkflow, type ExamplePath, type ScenarioResult } from '../../analysis/index.ts';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { loadScenarioOrThrow, type Scenario } from '../../scenarios/index.ts';

/** A phone desk workflow: intake → the given steps → reset (read to caller) → end. */
export function deskWorkflow(opts: {
  id?: string;
  classes?: string[];
  steps: string;
  controls?: string;
  exceptions?: string;
  resetControls?: string;
  afterReset?: string;
  actors?: string;
  first?: string;
  delivery?: string;
  /** Controls on the intake step (YAML list items, indented six spaces). */
  intakeControls?: string;
}): Workflow {
  const yaml = `
resetpath: workflow/1
id: ${opts.id ?? 'test.workflow'}
name: Test workflow
account_classes: [${(opts.classes ?? ['standard_employee']).join(', ')}]
actors:
  - { id: tier1, kind: agent, tier: 1, name: tier-1 agent }
  - { id: tier2, kind: agent, tier: 2, name: tier-2 agent }
  - { id: sec, kind: security_team, tier: 3, name: security team }
  - { id: idp, kind: system, name: identity provider }
  - { id: reviewer, kind: reviewer, name: reviewer }
${opts.actors ?? ''}
${opts.controls ? `controls:\n${opts.controls}` : ''}
${opts.exceptions ? `exceptions:\n${opts.exceptions}` : ''}
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone, ticket_portal]
    actor: tier1
${opts.intakeControls ? `    controls:\n${opts.intakeControls}` : ''}
    next: ${opts.first ?? 'verify'}
${opts.steps}
  - id: reset
    kind: execution
    name: Reset
    actor: tier1
    action: password_reset
    delivery: ${opts.delivery ?? 'requester_on_call'}
${opts.resetControls ? `    controls:\n${opts.resetControls}` : ''}
    next: ${opts.afterReset ? 'after' : 'done'}
${opts.afterReset ?? ''}
  - id: done
    kind: end
`;
  return loadWorkflowOrThrow(yaml, 'inline-test.yaml');
}

/** The desk's knowledge-answer check: step `id` (default `verify`), run by the tier-1 agent, system-enforced KBV, then `next`. */
export const kbvStep = (next = 'reset', id = 'verify'): string => `
  - id: ${id}
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system
    next: ${next}`;

/**
 * The desk with a knowledge-answer check (system-enforced) and then a dual approval with separation
 * enforced, on the given evidence: the approver reviews the agent's record or contacts the holder.
 */
export function approvalAfterKbv(evidence: 'agent_record' | 'independent_contact'): Workflow {
  return deskWorkflow({
    steps: `${kbvStep('approve')}
  - id: approve
    kind: approval
    actor: tier2
    controls:
      - control: approval.dual
        params: { separation_enforced: true, approver_evidence: ${evidence} }
        enforcement: system
    next: reset`,
  });
}

/** A scenario with the given capabilities against a target class (default standard employee). */
export function attacker(capabilities: string[], opts: { target?: string; channels?: string[]; exceptions?: string[]; id?: string } = {}): Scenario {
  const yaml = `
resetpath: scenario/1
id: ${opts.id ?? 'test-attacker'}
name: Test attacker
attacker:
  name: test
  capabilities: [${capabilities.join(', ')}]
target:
  account_class: ${opts.target ?? 'standard_employee'}
strategy:
  channels: [${(opts.channels ?? ['phone']).join(', ')}]
  retries: 2
  exceptions: [${(opts.exceptions ?? []).join(', ')}]
  moves:
    - move: contact
`;
  return loadScenarioOrThrow(yaml, 'inline-scenario.yaml');
}

/** The analysis of one workflow against one attacker (attribution on, no control sets). */
export function analyseOne(wf: Workflow, sc: Scenario): ScenarioResult {
  return analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!;
}

/** analyseOne, or null for a random workflow over the analysis limits (refused: other tests cover that). */
export function analyseOrRefused(wf: Workflow, sc: Scenario): ScenarioResult | null {
  try {
    return analyseOne(wf, sc);
  } catch {
    return null;
  }
}

/** The exact number of takeover paths of one attacker against one workflow. */
export function pathCount(wf: Workflow, sc: Scenario): number {
  return Number(analyseOne(wf, sc).paths);
}

/** Example paths of every class (the first one of each class carries its explained gap), shortest first per class. */
export function examples(wf: Workflow, sc: Scenario): ExamplePath[] {
  return analyseOne(wf, sc).classes.flatMap((c) => c.examples);
}
