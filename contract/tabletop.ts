// The tabletop part of the contract: requests are strict (they come from a UI that may be hostile),
// responses describe the facilitator's console and the room's presenter view. The presenter view
// is a separate key whose schema has no field for the facilitator's notes or, before the debrief,
// the model's verdicts: what the room's screen can show is decided here and in the backend, never
// by hiding things in the UI.
import { z } from 'zod';
import { plainTextProblem } from '../models/index.ts';

const plain = (multiline: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const problem = plainTextProblem(s, { multiline });
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
const line = (max: number) => z.string().max(max).superRefine(plain(false));
const prose = (max: number) => z.string().max(max).superRefine(plain(true));
const name = (max: number) => z.string().trim().min(1).max(max).superRefine(plain(false));
const modelId = z.string().min(1).max(96).regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'must be lowercase letters, digits, ".", "-" or "_"' });
export const sessionId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, { error: 'must be a session id' });
const pointId = z.string().regex(/^[0-9]{1,4}\.[0-9]{1,4}$/, { error: 'must be a decision point such as "1.3"' });

/** A participant of the exercise and the part they play (an owner role of the catalogue, or any role). */
export const participantSchema = z.strictObject({ name: name(120), role: line(160) });

/** The setup of an exercise as stored with the session (JSON); the backend validates it when read. */
export const exerciseSetupSchema = z.strictObject({
  format: z.literal('resetpath/exercise-setup@1'),
  route: z.strictObject({ channel: z.string(), claimedClass: z.string().nullable() }),
  participants: z.array(participantSchema).max(50),
  verdicts: z.enum(['live', 'debrief']).describe('live: the room sees what the controls required after each decision; debrief: only once the session is closed'),
  improvementDays: z.number().int().min(1).max(365).describe('Days the after-action improvement plan gives each owner'),
  injectEdits: z.record(z.string(), z.strictObject({ title: line(200), text: prose(4000) })),
  stepNotes: z.record(z.string(), prose(4000)),
  customInjects: z.array(z.strictObject({ atMinute: z.number().min(0).max(24 * 60), title: name(200), text: prose(4000) })).max(100),
  decisionsAt: z
    .enum(['people', 'every_step'])
    .optional()
    .describe("people: the room decides only at steps the organisation's people perform, the others go as the model says; every_step (and absent: sessions stored before 2026-12-07): at every step of a deciding kind"),
});
export type ExerciseSetup = z.infer<typeof exerciseSetupSchema>;

const requiredSchema = z.object({ choice: z.enum(['approve', 'fallback', 'deny']), why: z.string() });
const gapSchema = z.object({
  step: z.string(),
  stepName: z.string(),
  key: z.string(),
  control: z.string(),
  controlName: z.string(),
  owner: z.string(),
  ownerTitle: z.string(),
  kind: z.enum(['skipped_by_room', 'defeated', 'waived_by_room', 'waived_by_exception']),
  why: z.string(),
  /** Participants who play the owner's role, by name. */
  ownerNames: z.array(z.string()),
});
const controlInPlay = z.object({
  key: z.string(),
  control: z.string(),
  name: z.string(),
  enforcement: z.enum(['system', 'procedural']),
  owner: z.string(),
  ownerTitle: z.string(),
  params: z.string(),
  ifPerformed: z.enum(['holds', 'passes', 'not_applicable']),
  why: z.string(),
});
const option = z.object({ id: z.string(), kind: z.string(), label: z.string(), advances: z.boolean() });
const pointSchema = z.object({
  id: z.string(),
  attempt: z.number().int(),
  position: z.number().int(),
  step: z.string(),
  stepName: z.string(),
  stepDescription: z.string().nullable(),
  kind: z.string(),
  actor: z.object({ name: z.string(), kind: z.string(), tier: z.number(), operator: z.string().nullable() }).nullable(),
  modelMinute: z.number(),
  caller: z.object({ channel: z.string(), claimedClass: z.string(), targetClass: z.string(), stance: z.string(), says: z.string().nullable() }),
  /** The scenario's narration at this point: the facilitator's, never the room's. */
  narration: z.array(z.string()),
  evidence: z.array(z.string()),
  pressure: z.object({ applied: z.boolean(), capabilities: z.array(z.string()), says: z.string().nullable() }),
  controls: z.array(controlInPlay),
  activeExceptions: z.array(z.string()),
  options: z.array(option),
  required: requiredSchema,
  inject: z.object({ title: z.string(), text: z.string(), edited: z.boolean() }),
  note: z.string(),
});
const decisionSchema = z.object({
  seq: z.number().int(),
  point: z.string(),
  step: z.string(),
  stepName: z.string(),
  choice: z.string(),
  choiceLabel: z.string(),
  kind: z.string(),
  atMinute: z.number(),
  decidedBy: z.string().nullable(),
  rationale: z.string().nullable(),
  result: z.string(),
  detail: z.string().nullable(),
  required: requiredSchema.nullable(),
  matches: z.boolean().nullable(),
  gaps: z.array(gapSchema),
});
const endSchema = z.object({ kind: z.string(), step: z.string(), reason: z.string(), by: z.string().nullable() }).nullable();
const injectSchema = z.object({
  index: z.number().int(),
  atMinute: z.number(),
  title: z.string(),
  text: z.string(),
  prompt: z.string().nullable(),
  options: z.array(z.string()),
  source: z.enum(['scenario', 'facilitator']),
  /** Whether what a scenario inject assumes (a takeover, a control, a kind of step) holds for the workflow and the walk so far: for the facilitator only; null when it assumes nothing. */
  applies: z.object({ holds: z.boolean(), note: z.string() }).nullable(),
  released: z.boolean(),
  releasedAtMinute: z.number().nullable(),
});
const clockSchema = z.object({ elapsedMinutes: z.number(), paused: z.boolean(), asOf: z.string() });
const logEntry = z.object({ seq: z.number().int(), atMinute: z.number(), what: z.string(), by: z.string().nullable(), undone: z.boolean() });

const sessionSummary = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['open', 'closed']),
  workflow: z.object({ id: z.string(), name: z.string(), revision: z.number().int().nullable() }),
  scenario: z.object({ id: z.string(), name: z.string(), revision: z.number().int().nullable() }),
  facilitator: z.string(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  decisions: z.number().int(),
});

/** What the facilitator's console shows: everything, the model's verdicts and the notes included. */
export const consoleViewSchema = z.object({
  session: sessionSummary.extend({ notes: z.string() }),
  setup: exerciseSetupSchema,
  clock: clockSchema,
  current: pointSchema.nullable(),
  decisions: z.array(decisionSchema),
  events: z.array(z.object({ afterDecision: z.number().int(), step: z.string(), stepName: z.string(), what: z.string() })),
  end: endSchema,
  gaps: z.array(gapSchema),
  injects: z.array(injectSchema),
  log: z.array(logEntry),
});
export type ConsoleView = z.infer<typeof consoleViewSchema>;

/** What the room's screen shows: no notes, no evidence the facilitator has not revealed, verdicts only when the setup says so. */
export const presenterViewSchema = z.strictObject({
  title: z.string(),
  status: z.enum(['open', 'closed']),
  clock: clockSchema,
  verdictsShown: z.boolean(),
  current: z
    .strictObject({
      id: z.string(),
      stepName: z.string(),
      actorName: z.string().nullable(),
      injectTitle: z.string(),
      injectText: z.string(),
      choices: z.array(z.string()),
    })
    .nullable(),
  decisions: z.array(
    z.strictObject({
      seq: z.number().int(),
      stepName: z.string(),
      choiceLabel: z.string(),
      atMinute: z.number(),
      result: z.string(),
      /** The model's reasons behind the result: null unless verdicts are shown to the room. */
      detail: z.string().nullable(),
      required: z.string().nullable(),
      matches: z.boolean().nullable(),
    }),
  ),
  injects: z.array(z.strictObject({ atMinute: z.number(), title: z.string(), text: z.string(), prompt: z.string().nullable() })),
  /** The steps that ran without the room since its last decision (or since the start, before any): what a system, the requester or the account holder did, as the decisions' results say it. */
  walk: z.array(z.strictObject({ stepName: z.string(), what: z.string() })),
  /** The walk reached its end, or the facilitator closed the session for the debrief before it did. */
  ended: z.boolean(),
  end: z.strictObject({ kind: z.string(), reason: z.string() }).nullable(),
});
export type PresenterView = z.infer<typeof presenterViewSchema>;

/** The tabletop keys of the API table. */
export const TABLETOP_API = {
  'tabletop.create': {
    request: z.strictObject({
      title: name(200),
      workflowId: modelId,
      scenarioId: modelId,
      route: z.string().max(80).regex(/^[a-z_]+(:[a-z_]+)?$/, { error: 'must be a channel, or channel:class' }).optional(),
      participants: z.array(participantSchema).max(50).optional(),
      verdicts: z.enum(['live', 'debrief']).optional(),
      improvementDays: z.number().int().min(1).max(365).optional(),
      facilitator: name(120).optional(),
      notes: prose(20_000).optional(),
    }),
    response: consoleViewSchema,
  },
  'tabletop.list': {
    request: z.strictObject({}),
    response: z.object({ sessions: z.array(sessionSummary) }),
  },
  'tabletop.get': {
    request: z.strictObject({ sessionId }),
    response: consoleViewSchema,
  },
  'tabletop.decide': {
    request: z.strictObject({ sessionId, point: pointId, choice: z.string().min(1).max(200).regex(/^[a-z_]+(:[A-Za-z0-9_./@-]+)?$/, { error: 'must be a choice id' }), rationale: prose(4000).optional(), decidedBy: line(120).optional() }),
    response: consoleViewSchema,
  },
  'tabletop.control': {
    request: z.strictObject({ sessionId, action: z.enum(['undo', 'pause', 'resume', 'release_inject']), inject: z.number().int().min(0).max(500).optional() }),
    response: consoleViewSchema,
  },
  'tabletop.edit': {
    request: z.strictObject({
      sessionId,
      notes: prose(20_000).optional(),
      stepNote: z.strictObject({ point: pointId, text: prose(4000) }).optional(),
      inject: z.strictObject({ point: pointId, title: line(200), text: prose(4000) }).optional(),
      addInject: z.strictObject({ atMinute: z.number().min(0).max(24 * 60), title: name(200), text: prose(4000) }).optional(),
      verdicts: z.enum(['live', 'debrief']).optional(),
    }),
    response: consoleViewSchema,
  },
  'tabletop.close': {
    request: z.strictObject({ sessionId }),
    response: consoleViewSchema,
  },
  'tabletop.presenter': {
    request: z.strictObject({ sessionId }),
    response: presenterViewSchema,
  },
  'tabletop.report': {
    request: z.strictObject({ sessionId, format: z.enum(['md', 'html']) }),
    response: z.object({ fileName: z.string(), mediaType: z.string(), text: z.string() }),
  },
} as const;
