// Seeded generator of large synthetic workflows (for the scaling benchmark and the memory test).
import { CONTROLS, loadWorkflowOrThrow, type StepKind, type Workflow } from '../models/index.ts';

/** mulberry32: a tiny deterministic PRNG, so a seed always gives the same workflow. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GUARD_KINDS: StepKind[] = ['proofing', 'callback', 'step_up', 'approval'];

/**
 * A workflow of `steps` steps drawing on `controls` distinct catalogue controls: a chain of
 * verification stages, some with fail-over edges that skip ahead (the branching real fallbacks
 * create), then an execution, notification, review and end.
 */
export function generateWorkflow(steps: number, controls = 25, seed = 1): Workflow {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const pool = CONTROLS.slice(0, controls);
  const stageCount = Math.max(2, steps - 6);
  const lines: string[] = [];
  const stageId = (i: number) => `stage_${i}`;
  // Each stage is a verification step with an alternative fallback step (its on_fail), the way
  // real desks fall back to weaker checks; stages are chained, so paths multiply with depth.
  const stages = Math.max(1, Math.floor(stageCount / 2));
  // Every step-scope control that fits a verification stage is placed at least once (round robin),
  // so the workflow really uses the whole pool; the rest go on the fixed steps and workflow scope.
  const stageControls = pool.filter((c) => c.attach.scope === 'step' && GUARD_KINDS.some((k) => (c.attach as { kinds: readonly StepKind[] }).kinds.includes(k)));
  for (let i = 0; i < stages; i++) {
    const required = stageControls[i % Math.max(1, stageControls.length)];
    const kinds = required ? GUARD_KINDS.filter((k) => (required.attach as { kinds: readonly StepKind[] }).kinds.includes(k)) : GUARD_KINDS;
    const kind = pick(kinds);
    const fitting = pool.filter((c) => c.attach.scope === 'step' && c.attach.kinds.includes(kind));
    const chosen = [...new Set([required, pick(fitting)])].filter((c) => c !== undefined);
    const next = i + 1 < stages ? stageId(i + 1) : 'execute';
    lines.push(`  - id: ${stageId(i)}`, `    kind: ${kind}`, `    actor: ${rnd() < 0.2 ? 'vendor' : 'tier1'}`);
    if (chosen.length) {
      lines.push('    controls:');
      for (const c of chosen) {
        lines.push(`      - control: ${c.id}`);
        const params = Object.entries(c.params);
        if (params.length) {
          lines.push('        params:');
          for (const [name, spec] of params) {
            const v =
              spec.type === 'enum' ? JSON.stringify(rnd() < 0.6 ? pick(spec.values.filter((x) => x !== spec.hardened)) : spec.hardened) : spec.type === 'boolean' ? String(rnd() < 0.5) : spec.type === 'number' ? String(spec.hardened) : JSON.stringify(spec.hardened);
            lines.push(`          ${name}: ${v}`);
          }
        }
        lines.push(`        enforcement: ${rnd() < 0.6 ? 'procedural' : 'system'}`);
      }
    }
    lines.push(`    next: ${next}`, `    on_fail: alt_${i}`);
    const method = pick(['kbv', 'pii', 'employee_id']);
    lines.push(
      `  - id: alt_${i}`,
      '    kind: proofing',
      '    actor: tier1',
      '    controls:',
      '      - control: proofing.ial2',
      `        params: { method: ${method} }`,
      '        enforcement: procedural',
      `    next: ${next}`,
    );
  }
  const has = (id: string) => pool.some((c) => c.id === id);
  // Workflow-scope controls at weak settings, so attackers still find paths through the chain.
  const WORKFLOW_SCOPE: Record<string, string> = {
    'privileged.separate_path': '    enforcement: procedural',
    'authn.phishing_resistant': '',
    'agent.least_privilege': '',
    'agent.mfa': '    params: { phishing_resistant: false }',
    'agent.insider_controls': '',
    'detect.reset_anomaly': '    params: { response_hours: 24 }',
    'vendor.contract_controls': '',
    'training.helpdesk': '',
  };
  const wfControls = Object.entries(WORKFLOW_SCOPE).filter(([id]) => has(id));
  const workflowControls = wfControls.length ? `controls:\n${wfControls.map(([id, extra]) => `  - control: ${id}${extra ? `\n${extra}` : ''}`).join('\n')}` : '';
  const execControls = [
    has('log.immutable') ? '      - control: log.immutable' : '',
    has('cooldown.delay') ? '      - control: cooldown.delay\n        params: { hours: 2 }' : '',
    has('session.revoke_on_reset') ? '      - control: session.revoke_on_reset' : '',
    has('nhi.rotation') ? '      - control: nhi.rotation' : '',
  ].filter(Boolean);
  const yaml = `
resetpath: workflow/1
id: generated.s${steps}.c${controls}.seed${seed}
name: Generated workflow (${steps} steps, ${controls} controls)
account_classes: [standard_employee, privileged_admin, vendor]
actors:
  - { id: tier1, kind: agent, tier: 1 }
  - { id: vendor, kind: agent, tier: 1, outsourced: true }
  - { id: idp, kind: system }
  - { id: reviewer, kind: reviewer }
${workflowControls}
exceptions:
  - id: skip_stage_1
    bypasses: [${stageId(Math.min(1, stages - 1))}]
    granted_by: tier1
    owner: escalation_owner
${has('exception.expiry') ? '    controls:\n      - control: exception.expiry\n        params: { hours: 8 }' : ''}
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone, ticket_portal]
    actor: tier1
${has('ticket.integrity') ? '    controls:\n      - control: ticket.integrity\n        params: { requester_authentication: email_sender }' : ''}
    next: route
  - id: route
    kind: routing
    basis: caller_claim
    routes:
      - { classes: [standard_employee, privileged_admin, vendor], to: ${stageId(0)} }
${lines.join('\n')}
  - id: execute
    kind: execution
    actor: tier1
    action: password_reset
    delivery: requester_on_call
${execControls.length ? `    controls:\n${execControls.join('\n')}` : ''}
    next: notify
  - id: notify
    kind: notification
    actor: idp
    controls:
      - control: notify.out_of_band
        params: { channels: [email_on_file] }
    next: review
  - id: review
    kind: review
    actor: reviewer
    controls:
      - control: review.post_event
        params: { sample_rate: 0.1 }
    next: done
  - id: done
    kind: end
`;
  return loadWorkflowOrThrow(yaml, `generated-${steps}.yaml`);
}
