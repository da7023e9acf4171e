// The scenario file format (YAML or JSON): an attacker profile, a target account class, a strategy,
// optional campaign stages (`then:`) and optional tabletop injects. The published JSON Schema is
// generated from this zod schema.
import { z } from 'zod';
import { ACCOUNT_CLASS_IDS, CAPABILITY_IDS, CONTROL_IDS, nonAsciiNote, REQUEST_CHANNELS, STEP_KINDS, TAKEOVER_KIND_IDS, type AccountClass, type Capability, type TakeoverKind } from '../models/index.ts';

const accountClass = z.enum(ACCOUNT_CLASS_IDS as [AccountClass, ...AccountClass[]], {
  error: (iss) => `unknown account class ${JSON.stringify(iss.input)}; known: ${ACCOUNT_CLASS_IDS.join(', ')}`,
});
const capability = z.enum(CAPABILITY_IDS as [Capability, ...Capability[]], {
  error: (iss) => `unknown attacker capability ${JSON.stringify(iss.input)}; known: ${CAPABILITY_IDS.join(', ')}`,
});

/**
 * Channels an attacker can use: the workflow's request channels (but `unknown`, which only an intake
 * lists), plus an agent's own console.
 */
export const ATTACK_CHANNELS = ['phone', 'chat', 'email', 'ticket_portal', 'self_service', 'walk_in', 'agent_console'] as const;
// Every request channel but `unknown` is an attack channel (a compile-time check).
const _everyKnownChannel: Exclude<(typeof REQUEST_CHANNELS)[number], 'unknown'> extends (typeof ATTACK_CHANNELS)[number] ? true : never = true;
void _everyKnownChannel;
export type AttackChannel = (typeof ATTACK_CHANNELS)[number];

export const MOVES = [
  'recon', // learn the procedure or the target (no workflow effect)
  'contact', // open a request on a channel, claiming a class
  'present_evidence', // answer the current step with whatever the capabilities allow
  'pressure', // urge the agent to skip a step
  'claim_inability', // "my phone broke": take the step's fail branch
  'request_exception', // ask for an exception the workflow offers
  'use_standing_exception', // use an exception left in place earlier
  'act_as_agent', // use a controlled agent identity to perform a step
  'inject_ticket', // create or edit a ticket in the queue
  'tamper_logs', // edit or delete the record afterwards
  'use_access', // use what the reset unlocked
] as const;

const moveSchema = z.strictObject({
  move: z.enum(MOVES),
  channel: z.enum(ATTACK_CHANNELS).optional(),
  claim: accountClass.optional(),
  exception: z.string().max(64).optional(),
  at: z
    .array(z.enum(STEP_KINDS))
    .min(1)
    .optional()
    .describe('present_evidence only: the kinds of step this evidence answers (e.g. [proofing]); the tabletop gives its line only at a step of one of these kinds, and none without it'),
  say: z
    .string()
    .max(2000)
    .optional()
    .describe('What the attacker says or writes to the desk, word for word: the tabletop quotes it to the room. Narration goes in `narration`'),
  narration: z
    .string()
    .max(2000)
    .optional()
    .describe('What happens, in the facilitator\'s words (stage directions, what the attacker does out of sight, why it works): for the trace and the facilitator, never shown to the room'),
});

/** What a timed inject presupposes: the tabletop says, per inject, whether it holds for the workflow and the walk. */
const assumesSchema = z
  .strictObject({
    takeover: z
      .literal(true, { error: 'takeover: write true (the inject describes the aftermath of a takeover), or leave it out' })
      .optional()
      .describe('The inject describes the aftermath of a takeover: it holds only in an ending where the attacker took over'),
    detected: z
      .literal(true, { error: 'detected: write true (the inject describes the takeover being detected), or leave it out' })
      .optional()
      .describe('The inject describes the takeover being detected (implies takeover): it holds only in an ending where a control detects the takeover in time'),
    controls: z
      .array(
        z.enum(CONTROL_IDS as [string, ...string[]], {
          error: (iss) => `unknown control ${JSON.stringify(iss.input)}; known: ${CONTROL_IDS.join(', ')}`,
        }),
      )
      .min(1)
      .optional()
      .describe('Catalogue controls the workflow must have somewhere (on a step, workflow-wide or on an exception), every one of them'),
    step_kinds: z
      .array(
        z.enum(STEP_KINDS, {
          error: (iss) => `unknown step kind ${JSON.stringify(iss.input)}; known: ${STEP_KINDS.join(', ')}`,
        }),
      )
      .min(1)
      .optional()
      .describe('Kinds of step the workflow must have, every one of them (e.g. [approval] for an inject about a second approver)'),
  })
  .refine((a) => a.takeover || a.detected || a.controls || a.step_kinds, { error: 'assumes: name at least one of takeover, detected, controls, step_kinds, or leave assumes out' });

const injectSchema = z.strictObject({
  at_minute: z.number().min(0).max(600),
  title: z.string().min(1).max(200),
  text: z.string().max(4000),
  assumes: assumesSchema
    .optional()
    .describe('What the inject presupposes (a takeover, a detection, controls or kinds of step the workflow has): the exercise plan and the console say whether it holds'),
  decision: z
    .strictObject({
      prompt: z.string().max(1000),
      options: z.array(z.string().max(300)).min(2).max(8),
    })
    .optional(),
});

const strategySchema = z.strictObject({
  channels: z.array(z.enum(ATTACK_CHANNELS)).min(1).describe('Channels tried, in order'),
  claims: z.array(accountClass).optional().describe('Classes the attacker may claim; default: the target class'),
  retries: z.number().int().min(0).max(10).optional(),
  exceptions: z.array(z.enum(['request', 'use_standing'])).optional(),
  moves: z.array(moveSchema).min(1),
});

const targetSchema = z.strictObject({
  account_class: accountClass,
  description: z.string().max(1000).optional(),
});

/** One further takeover of a campaign: what the last takeover gave the attacker, and whom it goes for next. */
const stageSchema = z.strictObject({
  name: z.string().min(1).max(200),
  gains: z
    .array(capability)
    .min(1, { error: 'list at least one gain, or omit gains when a rule gives them (a carrier\'s SIM change)' })
    .optional()
    .describe('Capabilities the previous stage\'s takeover gives the attacker (e.g. agent_account_taken_over); may be omitted when the previous takeover gives them by a rule (a carrier\'s SIM change gives sim_swap)'),
  workflow: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]*$/, { error: 'must be a workflow id: lowercase letters, digits, ".", "-" or "_"' })
    .max(96)
    .optional()
    .describe('Id of the workflow this stage goes through (bundled or in the workspace); default: the workflow being analysed'),
  after_days: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .optional()
    .describe('Days between the takeover of the stage before and this stage\'s request; a contact the campaign changed ages by them (docs/analysis-semantics.md, "Campaigns")'),
  target: targetSchema,
  strategy: strategySchema,
});

export const scenarioFileSchema = z.strictObject({
  resetpath: z.literal('scenario/1', { error: 'must be "scenario/1" (the file format and its version)' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: (iss) => `must be lowercase letters, digits, ".", "-" or "_"${typeof iss.input === 'string' ? nonAsciiNote(iss.input) : ''}` }).max(96),
  name: z.string().min(1).max(200),
  summary: z.string().max(4000).optional(),
  reference: z.string().max(200).optional().describe('Where the scenario comes from, e.g. "domain-reference S01"'),
  attack_techniques: z
    .array(z.string().regex(/^attack(-mobile)?:v\d+:T\d{4}(\.\d{3})?$/, { error: 'must look like "attack:v18:T1656" (ATT&CK Enterprise) or "attack-mobile:v18:T1451" (ATT&CK Mobile)' }))
    .optional(),
  examples: z
    .array(
      z.strictObject({
        name: z.string().max(200),
        year: z.number().int().min(1990).max(2100).optional(),
        source: z.string().max(500).optional(),
        confidence: z.enum(['C', 'C2', 'U']).optional(),
      }),
    )
    .optional(),
  attacker: z.strictObject({
    name: z.string().min(1).max(200),
    capabilities: z.array(capability),
    contact_changed_days_ago: z
      .number()
      .min(0)
      .max(3650)
      .optional()
      .describe('With contact_prepositioned: how many days before the attack the target\'s contact on file was changed to the attacker\'s (default 7)'),
    time_to_objective_hours: z
      .number()
      .positive()
      .max(8760)
      .optional()
      .describe('Hours from the takeover to the attacker\'s objective (data taken, money moved); a detection slower than this is too late'),
    objective: z
      .enum(TAKEOVER_KIND_IDS as [TakeoverKind, ...TakeoverKind[]], {
        error: (iss) => `unknown takeover kind ${JSON.stringify(iss.input)}; known: ${TAKEOVER_KIND_IDS.join(', ')}`,
      })
      .optional()
      .describe('What the attacker is after: the takeover kind it aims for (capped at what the target account yields); default: whatever the account yields'),
  }),
  target: targetSchema,
  strategy: strategySchema,
  then: z
    .array(stageSchema)
    .min(1)
    .max(3)
    .optional()
    .describe('A campaign: further takeovers that use what the previous takeover gave (a stage is analysed only when the one before it ends in a takeover)'),
  injects: z.array(injectSchema).optional(),
});
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
