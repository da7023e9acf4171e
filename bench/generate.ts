// Seeded generator of large synthetic workflows (for the scaling benchmark and the memory test).
// Run directly, it writes one as a YAML file that resetpath can lint and analyse:
//   npx tsx bench/generate.ts --steps N [--seed S] [--controls C] --out FILE
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CONTROLS, loadWorkflowOrThrow, MAX_MODEL_FILE_BYTES, type StepKind, type Workflow } from '../models/index.ts';

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

/** Catalogue parameters newer than the generator (see the parameter loop). */
const LATER_PARAMS = new Set(['approver_evidence', 'min_contact_age_days', 'document_authentication', 'reauthentication', 'detects', 'covers', 'phishing_resistant']);
/** Enum values added to the catalogue after the generator was written: never drawn, for the same reason. */
const LATER_VALUES: Readonly<Record<string, readonly string[]>> = { factor: ['account_pin', 'sso_session'] };

/**
 * A workflow of `steps` steps drawing on `controls` distinct catalogue controls: a chain of
 * verification stages, some with fail-over edges that skip ahead (the branching real fallbacks
 * create), then an execution, notification, review and end.
 */
export function generateWorkflow(steps: number, controls = 25, seed = 1): Workflow {
  return loadWorkflowOrThrow(generateWorkflowText(steps, controls, seed), `generated-${steps}.yaml`);
}

/** The YAML text of the workflow `generateWorkflow` returns for the same arguments. */
export function generateWorkflowText(steps: number, controls = 25, seed = 1): string {
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
            // Parameters added to the catalogue after the generator was written keep their hardened
            // value and draw no random number, so a seed gives the same workflow as it always did.
            const v = LATER_PARAMS.has(name)
              ? JSON.stringify(spec.hardened)
              : spec.type === 'enum'
                ? JSON.stringify(rnd() < 0.6 ? pick(spec.values.filter((x) => x !== spec.hardened && !LATER_VALUES[name]?.includes(x))) : spec.hardened)
                : spec.type === 'boolean'
                  ? String(rnd() < 0.5)
                  : spec.type === 'number'
                    ? String(spec.hardened)
                    : JSON.stringify(spec.hardened);
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
  return yaml;
}

/** Smallest workflow the generator builds: intake, routing, one stage and its fallback, and the four closing steps. */
const MIN_STEPS = 8;

/** `generate.ts --steps N [--seed S] [--controls C] --out FILE`; returns the exit code (2 for bad arguments). */
export function generateCli(argv: string[], io: { out(s: string): void; err(s: string): void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): number {
  const int = (what: string, min: number, max: number) => (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
  const program = new Command('generate.ts')
    .description('write a seeded synthetic workflow as YAML (resetpath lint/analyze load it)')
    .requiredOption('--steps <n>', `number of steps, at least ${MIN_STEPS} (an odd number gives one step fewer)`, int('--steps', MIN_STEPS, 100_000))
    .option('--seed <s>', 'seed of the generator', int('--seed', 0, 2 ** 32 - 1), 1)
    .option('--controls <c>', 'how many catalogue controls to draw on', int('--controls', 1, CONTROLS.length), 25)
    .requiredOption('--out <file>', 'YAML file to write')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
    throw e;
  }
  const { steps, seed, controls, out } = program.opts<{ steps: number; seed: number; controls: number; out: string }>();
  const text = generateWorkflowText(steps, controls, seed);
  if (Buffer.byteLength(text) > MAX_MODEL_FILE_BYTES) {
    io.err(`generate.ts: --steps ${steps} gives a ${Buffer.byteLength(text)}-byte file; resetpath loads model files up to ${MAX_MODEL_FILE_BYTES} bytes (about 8000 steps)\n`);
    return 2;
  }
  // Loaded under the output's name before writing, so a file is written only if it loads.
  const wf = loadWorkflowOrThrow(text, out);
  try {
    writeFileSync(out, text);
  } catch (e) {
    io.err(`generate.ts: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 2;
  }
  io.out(`${out}: ${wf.id}, ${Object.keys(wf.steps).length} steps, controls drawn from the first ${controls} of the catalogue\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = generateCli(process.argv);
