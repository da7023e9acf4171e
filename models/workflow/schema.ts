// The workflow file format (YAML or JSON), as one zod schema: the loader validates with it and the
// published JSON Schema (schemas/workflow.schema.json) is generated from it.
import { z } from 'zod';
import { CONTROL_IDS } from '../catalogue/controls.ts';
import { nonAsciiNote } from '../displayText.ts';
import {
  ACCOUNT_CLASS_IDS,
  CAPABILITY_IDS,
  DELIVERY_CHANNELS,
  DESK_OPERATORS,
  OWNER_ROLES,
  REQUEST_CHANNELS,
  RESET_ACTION_IDS,
  STEP_KINDS,
  type AccountClass,
  type Capability,
} from '../vocabulary.ts';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: (iss) => `must be lower_snake_case: a letter, then letters, digits or _${typeof iss.input === 'string' ? nonAsciiNote(iss.input) : ''}` })
  .max(64);

const accountClass = z.enum(ACCOUNT_CLASS_IDS as [AccountClass, ...AccountClass[]], {
  error: (iss) => `unknown account class ${JSON.stringify(iss.input)}; known: ${ACCOUNT_CLASS_IDS.join(', ')}`,
});

export const controlInstanceSchema = z.strictObject({
  control: z.enum(CONTROL_IDS as [string, ...string[]], {
    error: (iss) => `unknown control ${JSON.stringify(iss.input)}; run "resetpath controls" for the catalogue`,
  }),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())], { error: 'a parameter is text, a number, true or false, or a list of text' })).optional(),
  enforcement: z
    .enum(['system', 'procedural', 'unknown'])
    .optional()
    .describe('system, procedural, or unknown (evaluated as procedural; findings that depend on it are conditional)'),
  evidence: z
    .enum(['live', 'ticket_field'])
    .optional()
    .describe('Where the step reads this control\'s evidence from; ticket_field means a field in the ticket'),
  flaw: z
    .strictObject({
      kind: z.enum(['known_bypass', 'forceable_fallback']).describe('known_bypass: a documented way around the check; forceable_fallback: a weaker fallback the requester can force'),
      description: z.string().min(1).max(500).describe('What the flaw is, in a sentence'),
      capabilities: z
        .array(z.enum(CAPABILITY_IDS as [Capability, ...Capability[]]))
        .optional()
        .describe('Attacker capabilities the flaw needs (none: any requester can use it)'),
      source: z.string().max(500).optional(),
    })
    .optional()
    .describe('A known flaw of this (guard) check: it is present but bypassable, and the gap names the flaw, not its absence'),
  note: z.string().max(2000).optional(),
});
export type ControlInstanceFile = z.infer<typeof controlInstanceSchema>;

const actorSchema = z.strictObject({
  id,
  kind: z.enum(['agent', 'manager', 'security_team', 'system', 'reviewer', 'requester', 'account_holder']).describe('account_holder: the real holder of the target account performs the step (approves an app, grants a remote session)'),
  name: z.string().max(200).optional(),
  tier: z.number().int().min(1).max(3).optional(),
  outsourced: z.boolean().optional().describe('Same as operator: outsourced'),
  operator: z
    .enum(DESK_OPERATORS)
    .optional()
    .describe('Who operates the desk: in_house (default), outsourced, carrier, platform_support or unknown'),
});

const routeSchema = z.strictObject({
  classes: z.array(accountClass).min(1),
  to: id,
});

const stepSchema = z.strictObject({
  id,
  kind: z.enum(STEP_KINDS),
  name: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  actor: id.optional(),
  controls: z.array(controlInstanceSchema).optional(),
  next: id.optional(),
  on_fail: id.optional().describe('Where the request goes when the requester cannot pass this step'),
  channels: z.array(z.enum(REQUEST_CHANNELS)).min(1).optional(),
  basis: z.enum(['directory', 'caller_claim']).optional().describe('Routing: class looked up in the directory or taken from the caller'),
  routes: z.array(routeSchema).min(1).optional(),
  action: z.enum(RESET_ACTION_IDS as [string, ...string[]]).optional(),
  delivery: z.enum(DELIVERY_CHANNELS).optional(),
  grants: id.optional().describe('Exception step: the exception it grants'),
  verification: z
    .literal('unknown')
    .optional()
    .describe('unknown: what this step checks is not known beyond its listed controls; passing it is conditional'),
});
export type StepFile = z.infer<typeof stepSchema>;

const exceptionSchema = z.strictObject({
  id,
  name: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  bypasses: z.array(id).min(1).describe('Steps whose controls the exception waives'),
  applies_to: z
    .array(accountClass)
    .min(1)
    .optional()
    .describe('Account classes the exception is for (default: every class). One without expiry stays in force for every later request for these classes'),
  granted_by: id.optional(),
  owner: z.enum(Object.keys(OWNER_ROLES) as [string, ...string[]]).optional(),
  justification_required: z.boolean().optional(),
  controls: z.array(controlInstanceSchema).optional(),
});
export type ExceptionFile = z.infer<typeof exceptionSchema>;

export const workflowFileSchema = z.strictObject({
  resetpath: z.literal('workflow/1', { error: 'must be "workflow/1" (the file format and its version)' }),
  id: z.string().regex(/^[a-z][a-z0-9_.-]*$/, { error: (iss) => `must be lowercase letters, digits, ".", "-" or "_"${typeof iss.input === 'string' ? nonAsciiNote(iss.input) : ''}` }).max(96),
  name: z.string().min(1).max(200),
  family: z.string().max(96).optional(),
  variant: z.enum(['weak', 'hardened', 'custom']).optional(),
  description: z.string().max(8000).optional(),
  sources: z.array(z.string().max(500)).optional(),
  recovery_risk_analysis: z
    .strictObject({
      document: z.string().min(1).max(500).describe('Where the risk analysis is kept (title, reference or URL)'),
      approved: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' })
        .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), { error: 'must be a real calendar date (YYYY-MM-DD)' })
        .describe('The date it was approved'),
    })
    .optional()
    .describe('The documented risk analysis an agent-assisted recovery method is based on (SP 800-63B-4 §4.2.1)'),
  account_classes: z.array(accountClass).min(1),
  actors: z.array(actorSchema).min(1),
  controls: z.array(controlInstanceSchema).optional().describe('Controls that apply to the whole workflow'),
  exceptions: z.array(exceptionSchema).optional(),
  start: id,
  steps: z.array(stepSchema).min(2),
});
export type WorkflowFile = z.infer<typeof workflowFileSchema>;
