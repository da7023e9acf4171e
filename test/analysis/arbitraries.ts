// fast-check arbitraries of small random workflows and attackers: steps of every kind, random
// transitions (loops back and skips included), random catalogue controls with random parameters and
// enforcement, exceptions with and without expiry, caller-claim routing, and attackers with random
// capabilities, channels, claims, retry budgets and exception strategies. Steps may be the account
// holder's (and so may the whole request), and executions may be user grants. anyClassesArb also
// draws the two account classes from the whole vocabulary and the workflow-wide controls' parameters.
import fc from 'fast-check';
import { ACCOUNT_CLASS_IDS, CAPABILITY_IDS, CONTROLS, loadWorkflowOrThrow, type AccountClass, type ParamSpec, type StepKind, type Workflow } from '../../models/index.ts';
import { AGENT_CAPABILITIES, loadScenarioOrThrow, type Scenario } from '../../scenarios/index.ts';

/** Known flaws a guard may carry (mostly none): one any requester can use, ones that need a capability. */
const FLAWS = [
  '',
  '',
  '',
  '{ kind: known_bypass, description: "a documented bypass" }',
  '{ kind: forceable_fallback, description: "a fallback to SMS", capabilities: [sim_swap] }',
  '{ kind: known_bypass, description: "answers accepted from a form", capabilities: [osint_personal_data] }',
];

const KINDS: StepKind[] = ['proofing', 'callback', 'step_up', 'approval', 'exception', 'execution', 'notification', 'logging', 'review', 'routing'];
/** The two account classes a random workflow serves (routing sends the first forward, the second anywhere). */
type Classes = readonly [AccountClass, AccountClass];
const CLASSES: Classes = ['standard_employee', 'privileged_admin'];
/** Any two distinct classes of the vocabulary (customers, executives, service accounts, ...). */
const classesArb: fc.Arbitrary<Classes> = fc.tuple(fc.constantFrom(...ACCOUNT_CLASS_IDS), fc.constantFrom(...ACCOUNT_CLASS_IDS)).filter(([a, b]) => a !== b);
const ACTORS = ['tier1', 'tier2', 'vendor', 'manager', 'idp', 'reviewer', 'holder'];

const paramValue = (spec: ParamSpec): fc.Arbitrary<unknown> => {
  switch (spec.type) {
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'enum[]':
      return fc.subarray([...spec.values], { minLength: 1 });
    case 'number':
      return fc.constantFrom(spec.min, spec.hardened, spec.max);
    case 'boolean':
      return fc.boolean();
  }
};

const controlsFor = (kind: StepKind | 'intake'): fc.Arbitrary<string[]> => {
  const fits = CONTROLS.filter((c) => c.attach.scope === 'step' && c.attach.kinds.includes(kind as StepKind));
  if (fits.length === 0) return fc.constant([]);
  return fc.subarray(fits, { maxLength: Math.min(2, fits.length) }).chain((defs) =>
    defs.length === 0
      ? fc.constant([])
      : fc.tuple(
          ...defs.map((d) =>
            fc
              .record({ params: fc.tuple(...Object.values(d.params).map(paramValue)), enforcement: fc.constantFrom('system', 'procedural', 'unknown'), ticket: fc.boolean(), flaw: fc.constantFrom(...FLAWS) })
              .map(({ params, enforcement, ticket, flaw }) => {
                const names = Object.keys(d.params);
                const p = names.length ? `, params: { ${names.map((n, i) => `${n}: ${JSON.stringify(params[i])}`).join(', ')} }` : '';
                const f = flaw && d.role === 'guard' ? `, flaw: ${flaw}` : '';
                return `      - { control: ${d.id}${p}, enforcement: ${enforcement}${ticket && d.role === 'guard' ? ', evidence: ticket_field' : ''}${f} }`;
              }),
          ),
        ),
  );
};

/** Up to three workflow-wide controls with the catalogue's defaults. */
const plainWorkflowControlsArb: fc.Arbitrary<string[]> = fc.subarray(
  CONTROLS.filter((c) => c.attach.scope === 'workflow').map((c) => `  - { control: ${c.id} }`),
  { maxLength: 3 },
);

/** Up to three workflow-wide controls, each with the catalogue's defaults or random parameters and enforcement. */
const workflowControlsArb: fc.Arbitrary<string[]> = fc
  .subarray(
    CONTROLS.filter((c) => c.attach.scope === 'workflow'),
    { maxLength: 3 },
  )
  .chain((defs) =>
    fc.tuple(
      ...defs.map((d) =>
        fc.record({ set: fc.boolean(), params: fc.tuple(...Object.values(d.params).map(paramValue)), enforcement: fc.constantFrom('system', 'procedural', 'unknown') }).map(({ set, params, enforcement }) => {
          if (!set) return `  - { control: ${d.id} }`;
          const names = Object.keys(d.params);
          const p = names.length ? `, params: { ${names.map((n, i) => `${n}: ${JSON.stringify(params[i])}`).join(', ')} }` : '';
          return `  - { control: ${d.id}${p}, enforcement: ${enforcement} }`;
        }),
      ),
    ),
  );

/** A random workflow of 3-6 middle steps between an intake and an end, as a loaded Workflow. */
export const workflowArb: fc.Arbitrary<Workflow> = workflowArbFor(CLASSES, plainWorkflowControlsArb);

/** A random workflow serving two given classes, with workflow-wide controls drawn by `wfControls`. */
function workflowArbFor(classes: Classes, wfControls: fc.Arbitrary<string[]>): fc.Arbitrary<Workflow> {
  return fc
    .record({
      n: fc.integer({ min: 3, max: 6 }),
      channels: fc.subarray(['phone', 'email', 'ticket_portal', 'self_service'], { minLength: 1 }),
      intakeActor: fc.constantFrom('tier1', 'idp', 'holder'),
      intakeControls: controlsFor('intake'),
      seed: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
      wfControls,
      exceptionExpiry: fc.tuple(fc.boolean(), fc.boolean()),
      exceptionFor: fc.tuple(fc.constantFrom('all', ...classes), fc.constantFrom('all', ...classes)),
      outsourced: fc.boolean(),
      vendorOperator: fc.constantFrom('outsourced', 'platform_support', 'carrier', 'unknown'),
      unknownChannel: fc.boolean(),
      unknownVerification: fc.boolean(),
    })
    .chain((r) => {
      const kinds: StepKind[] = [];
      let k = 0;
      const rnd = (m: number) => r.seed[k++ % r.seed.length]! % m;
      for (let i = 0; i < r.n; i++) kinds.push(KINDS[rnd(KINDS.length)]!);
      if (!kinds.includes('execution')) kinds[rnd(r.n)] = 'execution';
      return fc.tuple(...kinds.map((kind) => controlsFor(kind))).map((controls) => {
        const ids = kinds.map((_, i) => `s${i}`);
        const target = (i: number) => (rnd(5) === 0 ? 'done' : ids[rnd(ids.length)]!);
        const lines: string[] = [];
        kinds.forEach((kind, i) => {
          const id = ids[i]!;
          const forward = i + 1 < ids.length ? ids[i + 1]! : 'done';
          lines.push(`  - id: ${id}`, `    kind: ${kind}`);
          if (kind === 'routing') {
            // A route back to a routing step would close a loop of routing alone, which the loader refuses.
            const back = target(i);
            const j = back === 'done' ? -1 : Number(back.slice(1));
            const to = j >= 0 && j <= i && kinds[j] === 'routing' ? 'done' : back;
            lines.push(`    basis: ${rnd(2) ? 'directory' : 'caller_claim'}`, `    routes:`, `      - { classes: [${classes[0]}], to: ${forward} }`, `      - { classes: [${classes[1]}], to: ${to} }`);
            return;
          }
          lines.push(`    actor: ${ACTORS[rnd(ACTORS.length)]}`);
          if (controls[i]!.length) lines.push('    controls:', ...controls[i]!);
          if (r.unknownVerification && ['proofing', 'step_up', 'callback', 'approval'].includes(kind) && rnd(2)) lines.push('    verification: unknown');
          if (kind === 'execution') lines.push(`    action: ${['password_reset', 'mfa_device_enrollment', 'oauth_app_consent', 'remote_support_session'][rnd(4)]}`, `    delivery: ${['requester_on_call', 'sms_on_file', 'email_on_file', 'requesting_client'][rnd(4)]}`);
          if (kind === 'exception') lines.push(`    grants: ex${rnd(2)}`);
          lines.push(`    next: ${rnd(4) === 0 ? target(i) : forward}`);
          if (rnd(2) && !['notification', 'logging', 'review'].includes(kind)) lines.push(`    on_fail: ${target(i)}`);
        });
        const exc = [0, 1]
          .map((j) =>
            [
              `  - id: ex${j}`,
              `    bypasses: [${ids[rnd(ids.length)]}]`,
              ...(r.exceptionFor[j] !== 'all' ? [`    applies_to: [${r.exceptionFor[j]}]`] : []),
              ...(r.exceptionExpiry[j] ? ['    controls:', '      - { control: exception.expiry }'] : []),
            ].join('\n'),
          )
          .join('\n');
        const yaml = `resetpath: workflow/1
id: random
name: Random workflow
account_classes: [${classes.join(', ')}]
actors:
  - { id: tier1, kind: agent, tier: 1 }
  - { id: tier2, kind: agent, tier: 2, outsourced: ${r.outsourced} }
  - { id: vendor, kind: agent, tier: 1, operator: ${r.vendorOperator} }
  - { id: manager, kind: manager }
  - { id: idp, kind: system }
  - { id: reviewer, kind: reviewer }
  - { id: holder, kind: account_holder }
${r.wfControls.length ? `controls:\n${r.wfControls.join('\n')}` : ''}
exceptions:
${exc}
start: intake
steps:
  - id: intake
    kind: intake
    actor: ${r.intakeActor}
    channels: [${[...r.channels, ...(r.unknownChannel ? ['unknown'] : [])].join(', ')}]
${r.intakeControls.length ? `    controls:\n${r.intakeControls.join('\n')}` : ''}
    next: ${ids[0]}
${lines.join('\n')}
  - id: done
    kind: end
`;
        return loadWorkflowOrThrow(yaml, 'random.yaml');
      });
    });
}

/** A random attacker against the random workflows' classes. */
export const scenarioArb: fc.Arbitrary<Scenario> = scenarioArbFor(CLASSES);

/** A random attacker against two given classes. */
function scenarioArbFor(classes: Classes): fc.Arbitrary<Scenario> {
  return fc
    .record({
      caps: fc.subarray([...CAPABILITY_IDS], { maxLength: 6 }),
      target: fc.constantFrom(...classes),
      channels: fc.subarray(['phone', 'email', 'ticket_portal', 'self_service', 'agent_console'], { minLength: 1 }),
      claims: fc.subarray([...classes], { minLength: 1 }),
      retries: fc.integer({ min: 0, max: 2 }),
      exceptions: fc.subarray(['request', 'use_standing']),
      contactDays: fc.constantFrom(1, 7, 45),
      objective: fc.constantFrom(null, 2, 6, 48),
    })
    .map((r) => ({ ...r, channels: r.caps.some((c) => AGENT_CAPABILITIES.includes(c)) ? r.channels : r.channels.filter((c) => c !== 'agent_console') }))
    .filter((r) => r.channels.length > 0)
    .map((r) =>
      loadScenarioOrThrow(
        `resetpath: scenario/1
id: random-attacker
name: Random attacker
attacker:
  name: random
  capabilities: [${r.caps.join(', ')}]
${r.caps.includes('contact_prepositioned') ? `  contact_changed_days_ago: ${r.contactDays}\n` : ''}${r.objective !== null ? `  time_to_objective_hours: ${r.objective}\n` : ''}target:
  account_class: ${r.target}
strategy:
  channels: [${r.channels.join(', ')}]
  claims: [${r.claims.join(', ')}]
  retries: ${r.retries}
  exceptions: [${r.exceptions.join(', ')}]
  moves:
    - move: contact
`,
        'random-attacker.yaml',
      ),
    );
}

/** A random workflow (its workflow-wide controls with random parameters) and attacker, over any two classes of the vocabulary. */
export const anyClassesArb: fc.Arbitrary<[Workflow, Scenario]> = classesArb.chain((cls) => fc.tuple(workflowArbFor(cls, workflowControlsArb), scenarioArbFor(cls)));
