// The analysis report document ("resetpath/analysis@2"): what an analysis says, as stable JSON.
// Takeover paths are reported as classes with exact counts and example routes, not listed one by
// one. Its zod schema is the published JSON Schema (schemas/analysis.schema.json); the CLI, the app,
// stored runs and the exporters all read this shape, never the engine's internals. Runs stored in
// the earlier "resetpath/analysis@1" shape are read through upgradeReport.
import { z } from 'zod';
import { ACCOUNT_CLASSES, EXISTENCE_STATUSES, FITS, formatRef, getControl, OWNER_ROLES, refKey, SOURCES, TAKEOVER_KIND_IDS, TAKEOVER_KINDS, type AccountClass, type TakeoverKind } from '../models/index.ts';
import { classGapControls, firstExample, type ClassResult, type ScenarioResult, type WorkflowAnalysis } from './analyze.ts';
import type { CampaignResult } from './campaign.ts';
import type { MinimalSetsResult } from './controlSets.ts';
import type { ExamplePath, Gap } from './examples.ts';
import { lazyField } from './lazy.ts';

export const REPORT_FORMAT = 'resetpath/analysis@2';

/** An exact count: a JSON number up to 2^53 - 1, else a decimal string. */
const count = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)]).describe('Exact count: a number up to 2^53 - 1, a decimal string beyond');
export type Count = z.infer<typeof count>;
/** The exact-count schema, for documents built on this report (analysis/accountability.ts). */
export const countSchema = count;

/** Writes an exact count (numbers past 2^53 - 1 as decimal strings). */
export function countOut(n: bigint): Count {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** Reads an exact count back as a BigInt. */
export function countIn(c: Count | bigint): bigint {
  return typeof c === 'bigint' ? c : BigInt(c);
}

const via = z.enum(['pass', 'fail', 'route', 'end']);

// fit, rationale and existence were added within @2; reports written before them still load.
const mappingSchema = z.object({
  ref: z.string(),
  label: z.string(),
  confidence: z.enum(['C', 'C2', 'U', 'D']).describe('Source confidence in the older single-flag form: C confirmed, C2 via a secondary source only, U unconfirmed, D derived'),
  note: z.string().optional(),
  fit: z.enum(FITS).optional().describe('How well the framework item fits the control: direct, partial or analogy'),
  rationale: z.string().optional().describe('One line: why the item maps to the control'),
  existence: z
    .object({
      status: z.enum(EXISTENCE_STATUSES).describe('confirmed in primary data, secondary (only via a third-party copy), or unconfirmed'),
      source: z.string().describe('Id of the source the identifier was checked against'),
      sourceTitle: z.string(),
      checked: z.string().describe('The version or commit of the source that was read'),
    })
    .optional()
    .describe('Whether the identifier is confirmed to exist in the pinned framework version, and where that was checked'),
});
export type ReportMapping = z.infer<typeof mappingSchema>;
/** The framework-mapping schema, for documents built on this report (analysis/accountability.ts). */
export const reportMappingSchema = mappingSchema;

/** A mapping as reports print it in text: "CSF 2.0 PR.AA-03 (direct)", "… (partial; exists: secondary)". */
export function mappingText(m: ReportMapping): string {
  const parts = [m.fit, m.existence && m.existence.status !== 'confirmed' ? `exists: ${m.existence.status}` : undefined].filter(Boolean);
  return parts.length ? `${m.label} (${parts.join('; ')})` : m.label;
}

const gapSchema = z.object({
  control: z.string(),
  effect: z.enum(['blocks', 'blocks_jointly', 'detects', 'contributes']),
  status: z.enum(['absent', 'weak', 'not_enforced', 'waived', 'insufficient', 'misplaced', 'flawed']),
  actsAt: z.string().nullable().describe('The step of the example path where the control would act'),
  why: z.string().describe('Why the control is absent, weak, not enforced, waived or misplaced on the example path'),
  effectReason: z.string().describe('What happens on the example path with the control in place'),
  with: z.array(z.string()).optional().describe('For a joint gap: the other controls of the combination'),
  detectionDelayHours: z.number().optional(),
  conditional: z.boolean().optional().describe('True when the path this gap is explained on is conditional: its takeover or outcome depends on an unknown of the workflow (see the class\'s conditional)'),
});

const conditionalSchema = z
  .object({
    on: z.array(z.string()).describe('The unknowns: "channel:<channel>", "verification:<step>", "enforcement:<instance key>", "operator:<actor>"'),
    why: z.array(z.string()).describe('Each unknown in words, in the same order'),
  })
  .describe('CONDITIONAL: these paths\' takeover or outcome holds only if the unknowns of the workflow are as the attacker would have them; absent when the finding holds whatever they are');

const exampleSchema = z.object({
  id: z.string(),
  channel: z.string(),
  claimedClass: z.string().nullable(),
  standingExceptions: z.array(z.string()),
  exceptionsUsed: z.array(z.string()),
  route: z.array(z.object({ step: z.string(), via })).describe('The moves of the path; `resetpath replay` re-runs it with every verdict'),
  takeoverStep: z.string(),
  delivery: z.string(),
  detectedBy: z.object({ control: z.string(), step: z.string().nullable(), delayHours: z.number(), reason: z.string() }).nullable(),
  detectionNotes: z.array(z.string()),
  containment: z.enum(['revoked', 'persists']),
  blastRadius: z.array(z.string()),
});

const residualSchema = z.object({
  control: z.string(),
  status: z.enum(['absent', 'not_enforced', 'misplaced']),
  why: z.string(),
});

const classSchema = z.object({
  id: z.string(),
  count,
  outcome: z.enum(['takeover_detected', 'takeover_undetected']),
  detectedBy: z.object({ control: z.string(), delayHours: z.number() }).nullable(),
  blocking: z.array(z.string()).describe('Controls that close every path of the class on their own'),
  detecting: z.array(z.string()).describe('Controls that would turn the class\'s undetected takeovers into detected ones'),
  statuses: z.record(z.string(), z.enum(['absent', 'weak', 'not_enforced', 'waived', 'insufficient', 'misplaced', 'flawed'])).describe('Status of each blocking and detecting control on these paths'),
  joint: z.array(z.object({ controls: z.array(z.string()), paths: count })).describe('Minimal combinations of 2-3 controls that close paths of the class together'),
  contributing: z.array(z.object({ control: z.string(), paths: count })).describe('Controls that take away a means the attacker used without closing the path'),
  unclosable: count.describe('Paths of the class no set of up to three catalogue controls closes'),
  conditional: conditionalSchema.optional(),
  gaps: z.array(gapSchema).describe('The named controls explained on the first example'),
  reducesLikelihood: z
    .array(residualSchema)
    .optional()
    .describe('Controls never credited with blocking whose absence made the first example more likely (training where an honest agent was deceived or pressured; warnings to users where the real account holder acted for the attacker)'),
  limitsImpact: z
    .array(residualSchema)
    .optional()
    .describe('Controls never credited with blocking that would limit the harm of the first example (session revocation where the attacker\'s sessions persist)'),
  examples: z.array(exampleSchema).min(1).max(3),
});

const transitionSchema = z.object({ transition: z.string().describe('"from>to>next|on_fail|route"'), paths: count });

/** What a takeover yields, from the least to the most impact (models/vocabulary.ts TAKEOVER_KINDS). */
const takeoverKind = z.enum(TAKEOVER_KIND_IDS as [TakeoverKind, ...TakeoverKind[]]);

const stageOutcome = z.enum(['takeover_undetected', 'takeover_detected', 'blocked', 'not_applicable', 'not_analysed']);

const campaignSchema = z
  .object({
    stages: z.array(
      z.object({
        stage: z.number().int().describe('1 is the scenario\'s own takeover; later stages come from its then: list'),
        name: z.string(),
        workflow: z.string().describe('Id of the workflow the stage went through'),
        targetClass: z.string(),
        privileged: z.boolean(),
        gained: z.array(z.string()).describe('Capabilities the stage\'s attacker gained from the takeover before it (after any downgrade)'),
        downgraded: z
          .array(z.object({ from: z.string(), to: z.string(), reason: z.string() }))
          .optional()
          .describe('Gains weakened because the takeover before handed over less than the scenario says (a password, not the factor)'),
        derived: z
          .array(z.object({ capability: z.string(), reason: z.string() }))
          .optional()
          .describe('Capabilities gained from how the stage before took over, beyond the stage\'s gains (a carrier\'s SIM change gives sim_swap)'),
        afterDays: z.number().int().optional().describe('Days after the stage before that this stage\'s request came, when the scenario says'),
        contactAgeDays: z.number().int().optional().describe('Age in days of the contact the attacker had changed, as this stage sees it'),
        outcome: stageOutcome,
        paths: count,
        undetected: count,
        classes: z.number().int(),
        blocking: z.array(z.string()).describe('Controls that close some class of the stage\'s paths on their own (union over its classes)'),
        blastRadius: z.array(z.string()).optional().describe('What the stage\'s takeovers unlock'),
        takeoverKind: takeoverKind.optional().describe('For a stage that takes over: what its takeover yields'),
        reason: z.string().optional().describe('Why the stage was blocked, not applicable, not analysed or not reached'),
      }),
    ),
    chainPaths: count.describe('Complete chains: the product of the stages\' exact path counts (0 unless every stage takes over)'),
    blastRadius: z.array(z.string()).describe('Union of the blast radii of the stages that end in a takeover'),
    outcome: stageOutcome.describe('The outcome of the last stage reached'),
    takeoverKind: takeoverKind.optional().describe('The highest-impact kind any stage\'s takeover yields'),
  })
  .describe('A scenario that chains takeovers: each stage, and the chain\'s count and blast radius');

const scenarioSchema = z.object({
  scenario: z.string(),
  name: z.string(),
  targetClass: z.string(),
  privileged: z.boolean(),
  outcome: z.enum(['not_applicable', 'blocked', 'takeover_detected', 'takeover_undetected']),
  notApplicableReason: z.string().optional(),
  paths: count,
  undetected: count,
  detected: count,
  search: z.object({
    exhaustive: z.boolean().describe('Every path of the definition was counted (false only for runs converted from resetpath/analysis@1 that were bounded)'),
    retries: z.number().int().describe('Loops back a path may take'),
    states: z.number().int(),
    moves: z.number().int(),
    note: z.string().optional(),
  }),
  blockedAt: z.array(z.object({ step: z.string(), stepName: z.string(), kind: z.string(), controls: z.array(z.string()), reason: z.string() })),
  classes: z.array(classSchema),
  transitions: z.array(transitionSchema),
  campaign: campaignSchema.optional(),
  takeover: z
    .object({
      kind: takeoverKind.describe('What the takeover yields'),
      name: z.string(),
      objective: takeoverKind.nullable().describe('The scenario\'s objective (null: none stated)'),
      capped: z.boolean().describe('The objective is beyond what the target account yields, so the kind is the highest one below it within reach'),
      reason: z.string(),
    })
    .optional()
    .describe('For a scenario that ends in a takeover: what the takeover yields (docs/analysis-semantics.md, "Takeover kinds")'),
});

const setSchema = z.object({
  controls: z.array(z.string()),
  frictionMinutes: z.number(),
  legitFailShare: z.number(),
  expectedMinutes: z.number().describe('Expected minutes added per legitimate request, escalations included'),
  verified: z.boolean().describe('An exact count with the set applied found no closable takeover path'),
});

const minimalSetsSchema = z.object({
  closablePaths: count,
  unclosablePaths: count,
  sets: z.array(setSchema),
  sizeBound: z.number().int(),
  truncated: z.boolean(),
  notes: z.array(z.string()),
  leastFriction: setSchema.nullable(),
  highestLeverage: z.object({ control: z.string(), paths: count }).nullable(),
});

const controlSchema = z.object({
  control: z.string(),
  name: z.string(),
  role: z.string(),
  owner: z.string(),
  ownerTitle: z.string(),
  frictionMinutes: z.number(),
  legitFailShare: z.number(),
  mappings: z.array(mappingSchema),
  blocksPaths: count,
  jointPaths: count,
  detectsPaths: count,
  contributesPaths: count,
  reducesLikelihoodPaths: count.optional().describe('Takeover paths its absence made more likely (training, warnings to users; never credited with blocking)'),
  limitsImpactPaths: count.optional().describe('Takeover paths whose harm it would limit (session revocation; never credited with blocking)'),
  statuses: z.record(z.string(), count).describe('Paths by the control\'s status, where it blocks or detects'),
});

export const analysisReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  workflows: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      family: z.string(),
      variant: z.string(),
      file: z.string(),
      stepNames: z.record(z.string(), z.string()),
      totals: z.object({ paths: count, undetected: count, detected: count, privilegedPaths: count, scenariosWithTakeover: z.number().int(), classes: z.number().int() }),
      scenarios: z.array(scenarioSchema),
      controls: z.array(controlSchema).describe('Every control the report names, with its owner, friction, mappings and exact path counts'),
      transitions: z.array(transitionSchema),
      minimalSets: minimalSetsSchema,
      minimalSetsByClass: z.record(z.string(), minimalSetsSchema),
      placements: z
        .record(
          z.string(),
          z.object({
            scope: z.enum(['step', 'workflow', 'exception']),
            at: z.array(z.string()).describe('Step ids in workflow order (scope step) or exception ids (scope exception); empty for workflow scope'),
            lapses: z
              .array(z.string())
              .optional()
              .describe('For an expiry put on exceptions: the standing exceptions no step grants, which with an expiry are never in force (the set closes their paths by, in effect, removing them)'),
          }),
        )
        .optional()
        .describe(
          'Where each control of a minimal set is put when the set is applied, hardened and enforced by the system (as its verification applied it): the steps it sits on, every exception, or workflow-wide. Absent from runs stored before it was recorded',
        ),
    }),
  ),
  auditHead: z
    .object({ seq: z.number().int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) })
    .optional()
    .describe(
      'Exports from a workspace: the head of its audit chain when the report was exported (entry count and SHA-256 of the last entry), a witness kept outside the workspace; `resetpath audit verify <workspace> --against <this file>` fails if the chain no longer holds it',
    ),
  view: z
    .object({
      kind: z.enum(['baseline', 'what-if']).describe('baseline: the analysis of the workflow file; what-if: the file with the listed control changes, which were not saved to it'),
      runId: z.string().nullable().describe('The stored run the baseline is (or the what-if was made from); null when the analysis was not saved'),
      stale: z.boolean().describe('The run was made on an earlier version of the workflow than the workspace now holds'),
      changes: z.array(z.object({ control: z.string(), on: z.boolean() })).describe('What-if only: the controls switched on (true) or off (false); empty for a baseline'),
    })
    .optional()
    .describe('Exports from the workbench: what was on screen when the report was exported'),
});
export type AnalysisReport = z.infer<typeof analysisReportSchema>;
export type ReportWorkflow = AnalysisReport['workflows'][number];
export type ReportScenario = ReportWorkflow['scenarios'][number];
export type ReportClass = ReportScenario['classes'][number];
export type ReportExample = ReportClass['examples'][number];
export type ReportGap = ReportClass['gaps'][number];
export type ReportControl = ReportWorkflow['controls'][number];
export type ReportSet = ReportWorkflow['minimalSets']['sets'][number];
export type ReportCampaign = NonNullable<ReportScenario['campaign']>;

const STAGE_OUTCOME_TEXT: Record<ReportCampaign['outcome'], string> = {
  takeover_undetected: 'taken over, undetected',
  takeover_detected: 'taken over, detected',
  blocked: 'blocked',
  not_applicable: 'not applicable',
  not_analysed: 'not analysed',
};

/** Where attempts were stopped at a step (controls, a cooling-off, a delivery elsewhere, the account holder, a loop), rather than turned away before any step (a channel not accepted, no route). */
const AT_A_STEP: ReadonlySet<string> = new Set(['controls', 'cooldown', 'delivery', 'holder', 'loop']);

/**
 * A blocked scenario's stops, most telling first: those at a step (the checks an architect weighs),
 * then the rest, each group in the analysis's order. The CLI and the workbench both lead with the first.
 */
export function stopsAtSteps<T extends { kind: string }>(blockedAt: readonly T[]): { atSteps: T[]; others: T[] } {
  return { atSteps: blockedAt.filter((b) => AT_A_STEP.has(b.kind)), others: blockedAt.filter((b) => !AT_A_STEP.has(b.kind)) };
}

/** A campaign stage in words, as plain text each format escapes: "stage 2 privileged_admin (privileged) via <workflow>: taken over, undetected". */
export function stageText(st: Pick<ReportCampaign['stages'][number], 'stage' | 'targetClass' | 'privileged' | 'workflow' | 'outcome'>): string {
  return `stage ${st.stage} ${st.targetClass}${st.privileged ? ' (privileged)' : ''} via ${st.workflow}: ${STAGE_OUTCOME_TEXT[st.outcome]}`;
}
export type ReportStage = ReportCampaign['stages'][number];

const setsOut = (s: MinimalSetsResult) => ({
  closablePaths: countOut(s.closablePaths),
  unclosablePaths: countOut(s.unclosablePaths),
  sets: s.sets,
  sizeBound: s.sizeBound,
  truncated: s.truncated,
  notes: s.notes,
  leastFriction: s.leastFriction,
  highestLeverage: s.highestLeverage ? { control: s.highestLeverage.control, paths: countOut(s.highestLeverage.paths) } : null,
});

const transitionsOut = (m: ReadonlyMap<string, bigint>) =>
  [...m]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([transition, n]) => ({ transition, paths: countOut(n) }));

function exampleOut(p: ExamplePath): ReportExample {
  const d = p.outcome.detectedBy;
  return {
    id: p.id,
    channel: p.channel,
    claimedClass: p.claimedClass,
    standingExceptions: p.standingExceptions,
    exceptionsUsed: p.exceptionsUsed,
    route: p.walked.map((w) => ({ step: w.step, via: w.via })),
    takeoverStep: p.takeoverStep,
    delivery: p.delivery.reason,
    detectedBy: d ? { control: d.control, step: d.step, delayHours: d.delayHours!, reason: d.reason } : null,
    detectionNotes: p.outcome.detections.filter((x) => !x.detects).map((x) => `${x.control}: ${x.reason}`),
    containment: p.outcome.containment,
    blastRadius: p.outcome.blastRadius,
  };
}

const gapOut = (g: Gap): ReportGap => ({
  control: g.control,
  effect: g.effect,
  status: g.status,
  actsAt: g.actsAt,
  why: g.why,
  effectReason: g.effectReason,
  ...(g.with ? { with: g.with } : {}),
  ...(g.detectionDelayHours !== undefined ? { detectionDelayHours: g.detectionDelayHours } : {}),
});

/** An unknown of the workflow in words (docs/analysis-semantics.md, "Unknowns"). */
export function unknownText(u: string): string {
  const i = u.indexOf(':');
  const kind = u.slice(0, i);
  const what = u.slice(i + 1);
  switch (kind) {
    case 'channel':
      return `the intake accepts ${what} only as an unknown channel`;
    case 'verification':
      return `what step "${what}" checks is unknown`;
    case 'enforcement':
      return `the enforcement of ${what} is unknown (evaluated as procedural)`;
    case 'operator':
      return `who operates "${what}" is unknown`;
    default:
      return u;
  }
}

// A class's explained gaps and example routes, written when first read (analysis/lazy.ts): a screen
// reads them a class at a time; JSON output reads them all, in the same key order.
const classGaps = lazyField<ReportClass, 'gaps', ClassResult>('gaps', (c) => {
  const conditional = c.conditional.length > 0;
  return firstExample(c).gaps.map((g) => (conditional ? { ...gapOut(g), conditional: true } : gapOut(g)));
});
const classRoutes = lazyField<ReportClass, 'examples', ClassResult>('examples', (c) => c.examples.map(exampleOut));

/** A residual control as the report writes it. */
const residualOut = (r: ClassResult['reducesLikelihood'][number]) => ({ control: r.control, status: r.status, why: r.why });

function classOut(c: ClassResult): ReportClass {
  const conditional = c.conditional.length > 0;
  // Every class takes the same steps (a literal, then the lazy fields in their places), so all share
  // one shape. Absent fields are undefined (JSON leaves them out).
  const out = {
    id: c.id,
    count: countOut(c.count),
    outcome: c.outcome,
    detectedBy: c.detectedBy,
    blocking: c.blocking,
    detecting: c.detecting,
    statuses: c.statuses,
    joint: c.joint.map((j) => ({ controls: j.controls, paths: countOut(j.paths) })),
    contributing: c.contributing.map((x) => ({ control: x.control, paths: countOut(x.paths) })),
    unclosable: countOut(c.unclosable),
    conditional: conditional ? { on: c.conditional, why: c.conditional.map(unknownText) } : undefined,
  } as Omit<ReportClass, 'gaps' | 'reducesLikelihood' | 'limitsImpact' | 'examples'> as ReportClass;
  classGaps.define(out, c);
  out.reducesLikelihood = c.reducesLikelihood.map(residualOut);
  out.limitsImpact = c.limitsImpact.map(residualOut);
  classRoutes.define(out, c);
  return out;
}

function scenarioOut(r: ScenarioResult): ReportScenario {
  return {
    scenario: r.scenario,
    name: r.scenarioName,
    targetClass: r.targetClass,
    privileged: ACCOUNT_CLASSES[r.targetClass].privileged,
    outcome: r.outcome,
    ...(r.notApplicableReason ? { notApplicableReason: r.notApplicableReason } : {}),
    paths: countOut(r.paths),
    undetected: countOut(r.undetected),
    detected: countOut(r.detected),
    search: { exhaustive: true, retries: r.retries, states: r.states, moves: r.moves },
    blockedAt: r.blockedAt,
    classes: r.classes.map(classOut),
    transitions: transitionsOut(r.transitions),
    ...(r.campaign ? { campaign: campaignOut(r.campaign) } : {}),
    ...(r.takeover ? { takeover: { kind: r.takeover.kind, name: TAKEOVER_KINDS[r.takeover.kind].name, objective: r.takeover.objective, capped: r.takeover.capped, reason: r.takeover.reason } } : {}),
  };
}

function campaignOut(c: CampaignResult): ReportCampaign {
  return {
    stages: c.stages.map((s) => ({
      stage: s.stage,
      name: s.name,
      workflow: s.workflow,
      targetClass: s.targetClass,
      privileged: s.privileged,
      gained: s.gained,
      ...(s.downgraded ? { downgraded: s.downgraded.map((d) => ({ from: d.from, to: d.to, reason: d.reason })) } : {}),
      ...(s.derived ? { derived: s.derived.map((d) => ({ capability: d.capability, reason: d.reason })) } : {}),
      ...(s.afterDays !== undefined ? { afterDays: s.afterDays } : {}),
      ...(s.contactAgeDays !== undefined ? { contactAgeDays: s.contactAgeDays } : {}),
      outcome: s.outcome,
      paths: countOut(s.paths),
      undetected: countOut(s.undetected),
      classes: s.classes,
      blocking: s.blocking,
      blastRadius: s.blastRadius,
      ...(s.takeoverKind ? { takeoverKind: s.takeoverKind } : {}),
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
    })),
    chainPaths: countOut(c.chainPaths),
    blastRadius: c.blastRadius,
    outcome: c.outcome,
    ...(c.takeoverKind ? { takeoverKind: c.takeoverKind } : {}),
  };
}

/** The catalogue entry of a control as a report carries it (owner, friction, mappings). */
export function controlEntry(control: string): Omit<ReportControl, 'blocksPaths' | 'jointPaths' | 'detectsPaths' | 'contributesPaths' | 'reducesLikelihoodPaths' | 'limitsImpactPaths' | 'statuses'> {
  const def = getControl(control);
  return {
    control,
    name: def.name,
    role: def.role,
    owner: def.owner,
    ownerTitle: OWNER_ROLES[def.owner],
    frictionMinutes: def.friction.minutesAdded,
    legitFailShare: def.friction.legitFailShare,
    mappings: def.mappings.map((m) => ({
      ref: refKey(m),
      label: formatRef(m),
      confidence: m.confidence,
      ...(m.note ? { note: m.note } : {}),
      fit: m.fit,
      rationale: m.rationale,
      existence: { status: m.existence.status, source: m.existence.source, sourceTitle: SOURCES[m.existence.source].title, checked: SOURCES[m.existence.source].checked },
    })),
  };
}

/** Builds the report document from analyses (pure; key order and content are deterministic). */
export function buildAnalysisReport(analyses: readonly WorkflowAnalysis[]): AnalysisReport {
  return {
    format: REPORT_FORMAT,
    workflows: analyses.map((a) => {
      const named = new Set<string>();
      for (const r of a.scenarios) for (const c of r.classes) for (const g of classGapControls(c)) named.add(g);
      for (const c of a.controls) named.add(c.control);
      for (const s of [a.minimalSets, ...Object.values(a.minimalSetsByClass)]) for (const set of s!.sets) for (const c of set.controls) named.add(c);
      const summary = new Map(a.controls.map((c) => [c.control, c]));
      const controls = [...named].sort().map((control) => {
        const s = summary.get(control);
        return {
          ...controlEntry(control),
          blocksPaths: countOut(s?.blocksPaths ?? 0n),
          jointPaths: countOut(s?.jointPaths ?? 0n),
          detectsPaths: countOut(s?.detectsPaths ?? 0n),
          contributesPaths: countOut(s?.contributesPaths ?? 0n),
          reducesLikelihoodPaths: countOut(s?.reducesLikelihoodPaths ?? 0n),
          limitsImpactPaths: countOut(s?.limitsImpactPaths ?? 0n),
          statuses: Object.fromEntries(Object.entries(s?.statuses ?? {}).map(([k, v]) => [k, countOut(v)])),
        };
      });
      return {
        id: a.workflow.id,
        name: a.workflow.name,
        family: a.workflow.family,
        variant: a.workflow.variant,
        file: a.workflow.file,
        stepNames: a.workflow.stepNames,
        totals: {
          paths: countOut(a.totals.paths),
          undetected: countOut(a.totals.undetected),
          detected: countOut(a.totals.detected),
          privilegedPaths: countOut(a.totals.privilegedPaths),
          scenariosWithTakeover: a.totals.scenariosWithTakeover,
          classes: a.totals.classes,
        },
        scenarios: a.scenarios.map(scenarioOut),
        controls,
        transitions: transitionsOut(a.transitions),
        minimalSets: setsOut(a.minimalSets),
        minimalSetsByClass: Object.fromEntries(Object.entries(a.minimalSetsByClass).map(([k, v]) => [k, setsOut(v!)])),
        placements: a.placements,
      };
    }),
  };
}

// ---- reading runs stored as resetpath/analysis@1 -------------------------------------------------

/** The parts of an "@1" document the upgrade reads (every takeover path listed, with its gaps). */
interface ReportV1 {
  format: 'resetpath/analysis@1';
  workflows: {
    id: string;
    name: string;
    family: string;
    variant: string;
    file: string;
    totals: { scenariosWithTakeover: number };
    scenarios: {
      scenario: string;
      name: string;
      targetClass: string;
      privileged: boolean;
      outcome: ReportScenario['outcome'];
      notApplicableReason?: string;
      exhaustive: boolean;
      boundReasons: string[];
      statesVisited: number;
      blockedAt: ReportScenario['blockedAt'];
      paths: {
        id: string;
        channel: string;
        claimedClass: string | null;
        exceptionsUsed: string[];
        steps: { step: string; name: string; via: 'pass' | 'fail' | 'route' | 'end' }[];
        takeoverStep: string;
        delivery: string;
        outcome: 'takeover_detected' | 'takeover_undetected';
        detectedBy: { control: string; step: string | null; delayHours: number; reason: string } | null;
        detectionNotes: string[];
        containment: 'revoked' | 'persists';
        blastRadius: string[];
        blocking: string[];
        detecting: string[];
        gaps: { control: string; effect: 'blocks' | 'detects'; status: ReportGap['status']; actsAt: string | null; why: string; effectReason: string; detectionDelayHours?: number }[];
      }[];
    }[];
    minimalSets: { closablePaths: number; unclosablePaths: string[]; sets: { controls: string[]; frictionMinutes: number; legitFailShare: number; expectedMinutes: number; verified: boolean | null }[]; sizeBound: number; truncated: boolean; highestLeverage: { control: string; paths: number } | null };
    minimalSetsByClass: Record<string, ReportV1['workflows'][number]['minimalSets']>;
  }[];
}

/**
 * Reads a stored report of either format as "@2". An "@1" run listed every path it found (up to a
 * bound): its paths are grouped into classes with those counts, its sets keep their own verification
 * (a set it could not verify is dropped), and every scenario says it was converted.
 */
export function upgradeReport(doc: unknown): AnalysisReport {
  const d = doc as { format?: unknown };
  if (d?.format === REPORT_FORMAT) return doc as AnalysisReport;
  if (d?.format !== 'resetpath/analysis@1') throw new Error(`not a ResetPath analysis report (format ${JSON.stringify(d?.format)})`);
  const v1 = doc as ReportV1;
  return {
    format: REPORT_FORMAT,
    workflows: v1.workflows.map((w) => {
      const stepNames: Record<string, string> = {};
      const perControl = new Map<string, { blocks: bigint; detects: bigint; statuses: Map<string, bigint> }>();
      const allTransitions = new Map<string, bigint>();
      const scenarios: ReportScenario[] = w.scenarios.map((s) => {
        const groups = new Map<string, ReportV1['workflows'][number]['scenarios'][number]['paths']>();
        for (const p of s.paths) {
          for (const st of p.steps) stepNames[st.step] = st.name;
          const statuses = Object.fromEntries(p.gaps.map((g) => [g.control, g.status]).sort());
          const key = JSON.stringify([p.outcome, p.detectedBy?.control ?? null, p.detectedBy?.delayHours ?? null, [...p.blocking].sort(), [...p.detecting].sort(), statuses]);
          (groups.get(key) ?? groups.set(key, []).get(key)!).push(p);
        }
        const transitions = new Map<string, bigint>();
        for (const p of s.paths) {
          const seen = new Set<string>();
          for (let i = 0; i + 1 < p.steps.length; i++) {
            const st = p.steps[i]!;
            if (st.via === 'end') continue;
            seen.add(`${st.step}>${p.steps[i + 1]!.step}>${st.via === 'pass' ? 'next' : st.via === 'fail' ? 'on_fail' : 'route'}`);
          }
          for (const t of seen) transitions.set(t, (transitions.get(t) ?? 0n) + 1n);
        }
        for (const [t, n] of transitions) allTransitions.set(t, (allTransitions.get(t) ?? 0n) + n);
        const classes: ReportClass[] = [...groups.values()].map((ps, i) => {
          const first = ps[0]!;
          const n = BigInt(ps.length);
          for (const g of first.gaps) {
            let c = perControl.get(g.control);
            if (!c) perControl.set(g.control, (c = { blocks: 0n, detects: 0n, statuses: new Map() }));
            if (g.effect === 'blocks') c.blocks += n;
            else c.detects += n;
            c.statuses.set(g.status, (c.statuses.get(g.status) ?? 0n) + n);
          }
          return {
            id: `${s.scenario}#${i + 1}`,
            count: countOut(n),
            outcome: first.outcome,
            detectedBy: first.detectedBy ? { control: first.detectedBy.control, delayHours: first.detectedBy.delayHours } : null,
            blocking: [...first.blocking].sort(),
            detecting: [...first.detecting].sort(),
            statuses: Object.fromEntries(first.gaps.map((g) => [g.control, g.status])),
            joint: [],
            contributing: [],
            unclosable: countOut(first.blocking.length === 0 ? n : 0n),
            gaps: first.gaps.map((g) => ({ control: g.control, effect: g.effect, status: g.status, actsAt: g.actsAt, why: g.why, effectReason: g.effectReason, ...(g.detectionDelayHours !== undefined ? { detectionDelayHours: g.detectionDelayHours } : {}) })),
            examples: ps.slice(0, 3).map((p) => ({
              id: p.id,
              channel: p.channel,
              claimedClass: p.claimedClass,
              standingExceptions: [],
              exceptionsUsed: p.exceptionsUsed,
              route: p.steps.map((st) => ({ step: st.step, via: st.via })),
              takeoverStep: p.takeoverStep,
              delivery: p.delivery,
              detectedBy: p.detectedBy,
              detectionNotes: p.detectionNotes,
              containment: p.containment,
              blastRadius: p.blastRadius,
            })),
          };
        });
        const total = BigInt(s.paths.length);
        const undetected = BigInt(s.paths.filter((p) => p.outcome === 'takeover_undetected').length);
        return {
          scenario: s.scenario,
          name: s.name,
          targetClass: s.targetClass,
          privileged: s.privileged,
          outcome: s.outcome,
          ...(s.notApplicableReason ? { notApplicableReason: s.notApplicableReason } : {}),
          paths: countOut(total),
          undetected: countOut(undetected),
          detected: countOut(total - undetected),
          search: {
            exhaustive: s.exhaustive,
            retries: 0,
            states: s.statesVisited,
            moves: 0,
            note: `converted from a resetpath/analysis@1 run, which listed paths one by one${s.exhaustive ? '' : ` and was bounded (${s.boundReasons.join('; ')}): the counts are of the paths it listed, not of all paths`}`,
          },
          blockedAt: s.blockedAt,
          classes,
          transitions: transitionsOut(transitions),
        };
      });
      const setsV1 = (m: ReportV1['workflows'][number]['minimalSets']) => {
        const sets = m.sets.filter((x) => x.verified === true).map((x) => ({ ...x, verified: true }));
        return {
          closablePaths: countOut(BigInt(m.closablePaths)),
          unclosablePaths: countOut(BigInt(m.unclosablePaths.length)),
          sets,
          sizeBound: m.sizeBound,
          truncated: m.truncated,
          notes: ['converted from a resetpath/analysis@1 run: sets it could not verify are not shown'],
          leastFriction: sets[0] ?? null,
          highestLeverage: m.highestLeverage ? { control: m.highestLeverage.control, paths: countOut(BigInt(m.highestLeverage.paths)) } : null,
        };
      };
      const sum = (f: (s: ReportScenario) => bigint) => scenarios.reduce((x, s) => x + f(s), 0n);
      const controls = [...perControl]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([control, c]) => ({
          ...controlEntry(control),
          blocksPaths: countOut(c.blocks),
          jointPaths: 0,
          detectsPaths: countOut(c.detects),
          contributesPaths: 0,
          statuses: Object.fromEntries([...c.statuses].map(([k, v]) => [k, countOut(v)])),
        }));
      return {
        id: w.id,
        name: w.name,
        family: w.family,
        variant: w.variant,
        file: w.file,
        stepNames,
        totals: {
          paths: countOut(sum((s) => countIn(s.paths))),
          undetected: countOut(sum((s) => countIn(s.undetected))),
          detected: countOut(sum((s) => countIn(s.detected))),
          privilegedPaths: countOut(sum((s) => (ACCOUNT_CLASSES[s.targetClass as AccountClass]?.privileged ? countIn(s.paths) : 0n))),
          scenariosWithTakeover: w.totals.scenariosWithTakeover,
          classes: scenarios.reduce((n, s) => n + s.classes.length, 0),
        },
        scenarios,
        controls,
        transitions: transitionsOut(allTransitions),
        minimalSets: setsV1(w.minimalSets),
        minimalSetsByClass: Object.fromEntries(Object.entries(w.minimalSetsByClass).map(([k, v]) => [k, setsV1(v)])),
      };
    }),
  };
}

/**
 * A count for people: digits grouped by thousands, with the order of magnitude for very large ones
 * ("10,035,028,776,102,458,818,560 (1.0 x 10^22)").
 */
export function formatCount(c: Count | bigint): string {
  const s = typeof c === 'bigint' ? c.toString() : String(c);
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (s.length <= 12) return grouped;
  return `${grouped} (${s[0]}.${s[1]} x 10^${s.length - 1})`;
}

/** "1 path" / "3 paths" with an exact count. */
export function pathsText(c: Count | bigint, noun = 'path'): string {
  return `${formatCount(c)} ${noun}${BigInt(c) === 1n ? '' : 's'}`;
}
