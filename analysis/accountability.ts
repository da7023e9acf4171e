// The accountability report ("resetpath/accountability@1"): an analysis re-read for a governance
// team. One row per gap (a control that would close or detect takeover paths) with its accountable
// owner role, effect, exact path counts, framework references and the classes that are its evidence;
// the scope and assumptions the counts rest on; an executive summary; residual risk; lint findings.
// Built from the analysis report (buildAnalysisReport), never by analysing again. Pure: the clock and
// the tool version are passed in, so the same inputs give a byte-identical document.
import { z } from 'zod';
import { ACCOUNT_CLASSES, SEVERITIES, TAKEOVER_KINDS, type Finding, type TakeoverKind } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import type { WorkflowAnalysis } from './analyze.ts';
import type { GapStatus } from './labels.ts';
import { buildAnalysisReport, countIn, countOut, countSchema, formatCount, reportMappingSchema, type AnalysisReport, type Count, type ReportCampaign, type ReportControl, type ReportWorkflow } from './report.ts';

export const ACCOUNTABILITY_FORMAT = 'resetpath/accountability@1';

/** A scenario's outcome against a workflow, best first. */
export const SCENARIO_OUTCOMES = ['not_applicable', 'blocked', 'takeover_detected', 'takeover_undetected'] as const;
export type AccountabilityOutcome = (typeof SCENARIO_OUTCOMES)[number];

const EFFECTS = ['blocks', 'blocks_jointly', 'detects', 'contributes'] as const;
export type AccountabilityEffect = (typeof EFFECTS)[number];

/** The wording of each effect for people. */
export const EFFECT_TEXT: Record<AccountabilityEffect, string> = {
  blocks: 'blocks',
  blocks_jointly: 'blocks jointly',
  detects: 'detects',
  contributes: 'contributes',
};

const scopeSchema = z.object({
  workflows: z.array(z.object({ id: z.string(), name: z.string(), family: z.string(), variant: z.string(), file: z.string().describe('The file the workflow was read from (workflows carry no revision yet)') })),
  scenarios: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      targetClass: z.string(),
      privileged: z.boolean(),
      capabilities: z.array(z.string()).describe('What the scenario\'s attacker can do'),
      timeToObjectiveHours: z.number().nullable().describe('Hours from takeover to the attacker\'s objective; a detector slower than this does not count (null: no bound)'),
      retries: z.number().int().nullable().describe('Loops back a path may take (the scenario\'s retry budget); null when no workflow analysed it'),
    }),
  ),
  exhaustive: z.boolean().describe('Every takeover path of every scenario was counted (loops back up to each scenario\'s retries)'),
  maxControlSetSize: z.number().int().describe('The largest control set the minimal-set search looked for'),
  assumptions: z.array(z.string()).describe('What the counts rest on, in words'),
});

/**
 * What to do about a control on the takeover paths it would close, by how it stands on them (its gap
 * statuses there): put in place where it is missing (`where`: where, hardened and enforced by the
 * system, as the analysis credits it), hardened, enforced, fixed, kept from being waived, moved where
 * it would act, made fast enough. One clause per status, in a fixed order; `subject` names the
 * control as the text wants it, `settings` its hardened parameters (hardenedSettingsText). Never "put
 * in place" for a control the workflow has in a weaker form.
 */
export function remedyText(subject: string, statuses: Iterable<string>, where: string, settings = ''): string {
  const has = new Set(statuses);
  const set = settings ? ` (${settings})` : '';
  const clauses: Record<GapStatus, string> = {
    absent: `Put ${subject} in place ${where}, hardened${set} and enforced by the system`,
    weak: `Harden ${subject} to the catalogue's hardened setting${set} (today it is set weaker)`,
    not_enforced: `Enforce ${subject} in the system (today it is a procedure the agent can skip)`,
    flawed: `Fix the known flaw by which ${subject} is passed`,
    waived: `Keep exceptions from setting ${subject} aside`,
    misplaced: `Place ${subject} where these paths pass (it is present, but not where it would act on them)`,
    insufficient: `Make ${subject} act before the attacker's objective is reached`,
  };
  const order: GapStatus[] = ['absent', 'weak', 'not_enforced', 'flawed', 'waived', 'misplaced', 'insufficient'];
  const out = order.filter((st) => has.has(st)).map((st) => clauses[st]);
  return out.length ? out.join('; ') : clauses.absent;
}

/** Where the remediation of a gap stands. */
export const REMEDIATION_STATUSES = ['open', 'planned', 'in_progress', 'done', 'risk_accepted'] as const;
export type RemediationState = (typeof REMEDIATION_STATUSES)[number];
/** The wording of each remediation status for people. */
export const REMEDIATION_TEXT: Record<RemediationState, string> = { open: 'open', planned: 'planned', in_progress: 'in progress', done: 'done', risk_accepted: 'risk accepted' };
export const SIGNOFF_DECISIONS = ['accept', 'remediate', 'transfer'] as const;
export type SignOffDecision = (typeof SIGNOFF_DECISIONS)[number];

const remediationSchema = z.object({
  status: z.enum(REMEDIATION_STATUSES),
  due: z.string().nullable().describe('YYYY-MM-DD'),
  overdue: z.boolean().describe('Due before the report\'s as-of date and neither done nor risk accepted'),
  ticket: z.string().nullable(),
  notes: z.string(),
  recorded: z.boolean().describe('False when the workspace holds no item for the gap (status open by default)'),
});

const gapRefSchema = z.object({ workflow: z.string(), control: z.string(), name: z.string() });

const accountabilitySchema = z
  .object({
    asOf: z.string().describe('The date overdue is judged against (ISO 8601)'),
    remediation: z.object({
      open: z.number().int(),
      planned: z.number().int(),
      in_progress: z.number().int(),
      done: z.number().int(),
      risk_accepted: z.number().int(),
      overdue: z.number().int(),
    }),
    signOff: z
      .object({ reportId: z.string(), signedBy: z.string(), signedAt: z.string(), decision: z.enum(SIGNOFF_DECISIONS), justification: z.string() })
      .nullable()
      .describe('The sign-off of this report, when it was signed'),
    trend: z
      .object({
        previous: z.object({ reportId: z.string(), signedBy: z.string(), signedAt: z.string(), decision: z.enum(SIGNOFF_DECISIONS) }),
        opened: z.array(gapRefSchema).describe('Gaps found now and not in the previous signed report'),
        closed: z.array(gapRefSchema).describe('Gaps of the previous signed report no longer found'),
        overdue: z.array(gapRefSchema.extend({ due: z.string(), newly: z.boolean().describe('Not overdue in the previous signed report') })),
        unchanged: z.number().int().describe('Gaps in both reports'),
      })
      .nullable()
      .describe('Against the previous signed report of the same scope; null when there is none'),
  })
  .describe('Named owners, remediation and sign-off from a workspace');

const gapSchema = z.object({
  workflow: z.string(),
  control: z.string(),
  name: z.string(),
  owner: z.object({
    role: z.string().describe('Catalogue owner role (models/vocabulary.ts OWNER_ROLES)'),
    title: z.string(),
    name: z.string().nullable().describe('The named person or team; null until owners are assigned'),
    assignment: z.enum(['unassigned', 'assigned']),
    contact: z.string().nullable().optional().describe('How to reach the named owner (from the workspace)'),
    scope: z.enum(['workspace', 'workflow']).optional().describe('Whether the name was assigned for this workflow or for the whole workspace'),
  }),
  effect: z.enum(EFFECTS).describe('The strongest effect the control has on some path: blocks on its own, blocks jointly with one or two others, detects, or contributes (takes a means away)'),
  blocksPaths: countSchema,
  jointPaths: countSchema,
  detectsPaths: countSchema,
  contributesPaths: countSchema,
  statuses: z.record(z.string(), countSchema).describe('Paths by the control\'s status (absent, weak, not enforced, ...), where it blocks or detects'),
  frictionMinutes: z.number().describe('Minutes the control adds to a legitimate request'),
  legitFailShare: z.number().describe('Share of legitimate requests the control fails'),
  inLeastFrictionSet: z.boolean(),
  references: z.array(reportMappingSchema).describe('Framework references with their fit and whether the identifier is confirmed'),
  evidence: z
    .array(
      z.object({
        scenario: z.string(),
        class: z.string(),
        paths: countSchema,
        effect: z.enum(EFFECTS),
        conditional: z.array(z.string()).describe('CONDITIONAL: the unknowns of the workflow, in words, the class\'s finding depends on; empty when it holds whatever they are'),
        example: z.object({ id: z.string(), steps: z.number().int(), trace: z.array(z.string()).describe('Names of the steps walked, in order') }),
      }),
    )
    .describe('The path classes behind the row, each with its first example path'),
  remediation: remediationSchema.optional().describe('The gap\'s remediation item from the workspace (status open when none is recorded); absent when the report was made without a workspace'),
  residualRisk: z.string().optional().describe('For a risk accepted: what stays open, in words'),
});

const STAGE_OUTCOMES = ['takeover_undetected', 'takeover_detected', 'blocked', 'not_applicable', 'not_analysed'] as const;

/** A chained scenario's stages as a governance reader needs them: who was taken over next, how, and what it unlocked. */
const campaignSummarySchema = z.object({
  stages: z.array(
    z.object({
      stage: z.number().int().describe('1 is the scenario\'s own takeover'),
      workflow: z.string(),
      targetClass: z.string(),
      privileged: z.boolean(),
      outcome: z.enum(STAGE_OUTCOMES),
      paths: countSchema,
      undetectedPaths: countSchema,
      yields: z.string().optional().describe('For a stage that takes over: what its takeover yields, in words'),
      blastRadius: z.array(z.string()).describe('What the stage\'s takeovers unlock'),
    }),
  ),
  chainPaths: countSchema.describe('Complete chains: the product of the stages\' exact path counts (0 unless every stage takes over)'),
  outcome: z.enum(STAGE_OUTCOMES).describe('The outcome of the last stage reached'),
  blastRadius: z.array(z.string()).describe('What the chain unlocks: the union of its takeover stages\' blast radii'),
  yields: z.string().optional().describe('The highest-impact takeover any stage yields, in words'),
});

const workflowSummarySchema = z.object({
  workflow: z.string(),
  scenarios: z.number().int(),
  scenariosWithTakeover: z.number().int(),
  scenariosUndetected: z.number().int().describe('Scenarios with at least one undetected takeover path'),
  privilegedScenariosWithTakeover: z.number().int(),
  paths: countSchema,
  undetectedPaths: countSchema,
  privilegedPaths: countSchema,
  topGaps: z.array(z.object({ control: z.string(), name: z.string(), blocksPaths: countSchema, jointPaths: countSchema })).describe('Up to five controls, by the paths they would close on their own, then jointly; ties to the least-friction set\'s controls, then to the lower friction'),
  leastFriction: z
    .object({ controls: z.array(z.string()), expectedMinutes: z.number(), verified: z.boolean() })
    .nullable()
    .describe('The least-friction control set closing every closable path, verified by an exact count with the set applied'),
  closablePaths: countSchema,
  unclosablePaths: countSchema,
  outcomes: z
    .array(
      z.object({
        scenario: z.string(),
        outcome: z.enum(SCENARIO_OUTCOMES),
        paths: countSchema,
        undetectedPaths: countSchema,
        yields: z.string().optional().describe('For a takeover: what it yields, in words (docs/analysis-semantics.md, "Takeover kinds")'),
        campaign: campaignSummarySchema.optional().describe('For a scenario that chains takeovers: each stage, the complete chains and what the chain unlocks'),
      }),
    )
    .describe('Each scenario\'s outcome against the workflow, in scope order: a row of the gap matrix'),
});

export const accountabilityReportSchema = z.object({
  format: z.literal(ACCOUNTABILITY_FORMAT),
  generatedAt: z.string(),
  tool: z.object({ name: z.literal('resetpath'), version: z.string(), analysisFormat: z.string() }),
  scope: scopeSchema,
  summary: z.object({
    workflows: z.number().int(),
    scenariosWithTakeover: z.number().int().describe('Workflow x scenario pairs with a takeover path'),
    scenariosUndetected: z.number().int(),
    privilegedScenariosWithTakeover: z.number().int(),
    paths: countSchema,
    undetectedPaths: countSchema,
    perWorkflow: z.array(workflowSummarySchema),
  }),
  gaps: z.array(gapSchema).describe('One row per workflow and control that would close, detect or contribute to closing takeover paths'),
  residual: z.array(z.object({ workflow: z.string(), scenario: z.string(), class: z.string(), unclosablePaths: countSchema })).describe('Classes with paths no set of up to three catalogue controls closes'),
  lint: z.array(
    z.object({
      workflow: z.string(),
      findings: z.array(z.object({ rule: z.string(), name: z.string(), severity: z.enum(SEVERITIES as ['error', 'warning', 'info']), message: z.string(), path: z.string(), step: z.string().optional(), fixes: z.array(z.string()) })),
    }),
  ),
  accountability: accountabilitySchema.optional(),
});
export type AccountabilityReport = z.infer<typeof accountabilityReportSchema>;
export type AccountabilityGap = AccountabilityReport['gaps'][number];

/** A gap as a previous signed report recorded it. */
export interface PreviousGap {
  workflow: string;
  control: string;
  name: string;
  overdue: boolean;
}

/** Owners, remediation and sign-offs, read from a workspace by the caller. */
export interface AccountabilityData {
  /** The moment overdue is judged against (ISO 8601), injected so the report is deterministic. */
  asOf: string;
  owners: readonly { role: string; workflow: string | null; name: string; contact: string | null }[];
  remediation: readonly { workflow: string; control: string; status: RemediationState; due: string | null; ticket: string | null; notes: string }[];
  /** This report's sign-off, when it is rendered signed. */
  signOff?: { reportId: string; signedBy: string; signedAt: string; decision: SignOffDecision; justification: string } | null;
  /** The previous signed report of the same scope (see scopeKey), with its gaps. */
  previous?: { reportId: string; signedBy: string; signedAt: string; decision: SignOffDecision; gaps: readonly PreviousGap[] } | null;
}

export interface AccountabilityOptions {
  /** When the report was generated (ISO 8601), passed in so the document is deterministic. */
  generatedAt: string;
  /** The ResetPath version that wrote it. */
  toolVersion: string;
  /** The scenarios the analyses ran, for their capabilities and time to objective. */
  scenarios: readonly Pick<Scenario, 'id' | 'name' | 'attacker' | 'target'>[];
  /** Named owners, remediation state and sign-offs; without it the report is as before (roles only). */
  accountability?: AccountabilityData;
}

const ASSUMPTIONS = [
  'Every takeover path is counted exactly; each loop back in a workflow costs the attacker one of the scenario\'s retries.',
  'A control the scenario\'s attacker would defeat is never credited; a detector slower than the attacker\'s time to objective does not count.',
  'Findings marked conditional hold only if the workflow\'s unknowns are as the attacker would have them.',
  'Only the scenarios listed were considered: an attacker with other capabilities may find other paths.',
  "A control is credited as holding against every capability for which the catalogue has no defeat rule: the control sets are verified against the catalogue's rules, not against attacks outside them.",
];

/** The strongest effect first, for a row's headline effect. */
const RANK: Record<AccountabilityEffect, number> = { blocks: 0, blocks_jointly: 1, detects: 2, contributes: 3 };

const sum = (xs: readonly Count[]) => xs.reduce<bigint>((t, x) => t + countIn(x), 0n);
const byCount = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);

/** The effect a control has on one class, if any (the strongest). */
function effectOn(control: string, k: ReportWorkflow['scenarios'][number]['classes'][number]): AccountabilityEffect | null {
  if (k.blocking.includes(control)) return 'blocks';
  if (k.joint.some((j) => j.controls.includes(control))) return 'blocks_jointly';
  if (k.detecting.includes(control)) return 'detects';
  if (k.contributing.some((c) => c.control === control)) return 'contributes';
  return null;
}

function gapRow(w: ReportWorkflow, c: ReportControl): AccountabilityGap | null {
  const counts = { blocks: countIn(c.blocksPaths), blocks_jointly: countIn(c.jointPaths), detects: countIn(c.detectsPaths), contributes: countIn(c.contributesPaths) };
  const effect = EFFECTS.find((e) => counts[e] > 0n);
  if (!effect) return null;
  const evidence: AccountabilityGap['evidence'] = [];
  for (const s of w.scenarios)
    for (const k of s.classes) {
      const e = effectOn(c.control, k);
      if (!e) continue;
      const ex = k.examples[0]!;
      evidence.push({ scenario: s.scenario, class: k.id, paths: k.count, effect: e, conditional: k.conditional?.why ?? [], example: { id: ex.id, steps: ex.route.length, trace: ex.route.map((r) => w.stepNames[r.step] ?? r.step) } });
    }
  evidence.sort((a, b) => RANK[a.effect] - RANK[b.effect] || byCount(countIn(a.paths), countIn(b.paths)) || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));
  return {
    workflow: w.id,
    control: c.control,
    name: c.name,
    owner: { role: c.owner, title: c.ownerTitle, name: null, assignment: 'unassigned' },
    effect,
    blocksPaths: c.blocksPaths,
    jointPaths: c.jointPaths,
    detectsPaths: c.detectsPaths,
    contributesPaths: c.contributesPaths,
    statuses: c.statuses,
    frictionMinutes: c.frictionMinutes,
    legitFailShare: c.legitFailShare,
    inLeastFrictionSet: w.minimalSets.leastFriction?.controls.includes(c.control) ?? false,
    references: c.mappings,
    evidence,
  };
}

/** Rows in report order: strongest effect, most paths closed, then most detected, then by id. */
function gapOrder(a: AccountabilityGap, b: AccountabilityGap): number {
  return (
    RANK[a.effect] - RANK[b.effect] ||
    byCount(countIn(a.blocksPaths), countIn(b.blocksPaths)) ||
    byCount(countIn(a.jointPaths), countIn(b.jointPaths)) ||
    byCount(countIn(a.detectsPaths), countIn(b.detectsPaths)) ||
    byCount(countIn(a.contributesPaths), countIn(b.contributesPaths)) ||
    (a.control < b.control ? -1 : a.control > b.control ? 1 : 0)
  );
}

function workflowSummary(w: ReportWorkflow, gaps: readonly AccountabilityGap[]): AccountabilityReport['summary']['perWorkflow'][number] {
  const taken = w.scenarios.filter((s) => s.outcome === 'takeover_detected' || s.outcome === 'takeover_undetected');
  const lf = w.minimalSets.leastFriction;
  const closers = gaps
    .filter((g) => countIn(g.blocksPaths) > 0n || countIn(g.jointPaths) > 0n)
    // Ties go to the controls of the verified least-friction set, then to the cheaper control: of
    // equal closers, the one a governance reader should fund first.
    .sort(
      (a, b) =>
        byCount(countIn(a.blocksPaths), countIn(b.blocksPaths)) ||
        byCount(countIn(a.jointPaths), countIn(b.jointPaths)) ||
        Number(b.inLeastFrictionSet) - Number(a.inLeastFrictionSet) ||
        a.frictionMinutes - b.frictionMinutes ||
        (a.control < b.control ? -1 : 1),
    );
  return {
    workflow: w.id,
    scenarios: w.scenarios.length,
    scenariosWithTakeover: taken.length,
    scenariosUndetected: w.scenarios.filter((s) => countIn(s.undetected) > 0n).length,
    privilegedScenariosWithTakeover: taken.filter((s) => s.privileged).length,
    paths: w.totals.paths,
    undetectedPaths: w.totals.undetected,
    privilegedPaths: w.totals.privilegedPaths,
    topGaps: closers.slice(0, 5).map((g) => ({ control: g.control, name: g.name, blocksPaths: g.blocksPaths, jointPaths: g.jointPaths })),
    leastFriction: lf ? { controls: lf.controls, expectedMinutes: lf.expectedMinutes, verified: lf.verified } : null,
    closablePaths: w.minimalSets.closablePaths,
    unclosablePaths: w.minimalSets.unclosablePaths,
    outcomes: w.scenarios.map((s) => ({
      scenario: s.scenario,
      outcome: s.outcome,
      paths: s.paths,
      undetectedPaths: s.undetected,
      ...(s.takeover ? { yields: s.takeover.name } : {}),
      ...(s.campaign ? { campaign: campaignSummary(s.campaign) } : {}),
    })),
  };
}

/** What a takeover kind yields, in words. */
const yieldName = (kind: TakeoverKind | undefined) => (kind ? TAKEOVER_KINDS[kind].name : undefined);

function campaignSummary(c: ReportCampaign): z.infer<typeof campaignSummarySchema> {
  const chainYields = yieldName(c.takeoverKind);
  return {
    stages: c.stages.map((st) => {
      const yields = yieldName(st.takeoverKind);
      return { stage: st.stage, workflow: st.workflow, targetClass: st.targetClass, privileged: st.privileged, outcome: st.outcome, paths: st.paths, undetectedPaths: st.undetected, ...(yields ? { yields } : {}), blastRadius: st.blastRadius ?? [] };
    }),
    chainPaths: c.chainPaths,
    outcome: c.outcome,
    blastRadius: c.blastRadius,
    ...(chainYields ? { yields: chainYields } : {}),
  };
}

/**
 * Builds the accountability report from analyses of one workflow or several (pure; deterministic
 * for the same inputs). `lintFindings` holds each workflow's findings by workflow id.
 */
export function buildAccountabilityReport(analyses: readonly WorkflowAnalysis[], lintFindings: Readonly<Record<string, readonly Finding[]>>, options: AccountabilityOptions): AccountabilityReport {
  return accountabilityFromReport(buildAnalysisReport(analyses), lintFindings, options);
}

/**
 * The same from an analysis report already built (`resetpath/analysis@2`, one workflow or several):
 * what the app uses, whose analyses run one workflow at a time off the host's thread.
 */
export function accountabilityFromReport(report: AnalysisReport, lintFindings: Readonly<Record<string, readonly Finding[]>>, options: AccountabilityOptions): AccountabilityReport {
  const gapsBy = report.workflows.map((w) => w.controls.map((c) => gapRow(w, c)).filter((g): g is AccountabilityGap => g !== null).sort(gapOrder));
  const perWorkflow = report.workflows.map((w, i) => workflowSummary(w, gapsBy[i]!));
  const all = report.workflows.flatMap((w) => w.scenarios);
  const retries = new Map(all.map((s) => [s.scenario, s.search.retries]));
  const doc: AccountabilityReport = {
    format: ACCOUNTABILITY_FORMAT,
    generatedAt: options.generatedAt,
    tool: { name: 'resetpath', version: options.toolVersion, analysisFormat: report.format },
    scope: {
      workflows: report.workflows.map((w) => ({ id: w.id, name: w.name, family: w.family, variant: w.variant, file: w.file })),
      scenarios: options.scenarios.map((s) => ({
        id: s.id,
        name: s.name,
        targetClass: s.target.accountClass,
        privileged: ACCOUNT_CLASSES[s.target.accountClass].privileged,
        capabilities: [...s.attacker.capabilities],
        timeToObjectiveHours: s.attacker.timeToObjectiveHours,
        retries: retries.get(s.id) ?? null,
      })),
      exhaustive: all.every((s) => s.search.exhaustive),
      maxControlSetSize: report.workflows[0]?.minimalSets.sizeBound ?? 0,
      assumptions: ASSUMPTIONS,
    },
    summary: {
      workflows: report.workflows.length,
      scenariosWithTakeover: perWorkflow.reduce((n, w) => n + w.scenariosWithTakeover, 0),
      scenariosUndetected: perWorkflow.reduce((n, w) => n + w.scenariosUndetected, 0),
      privilegedScenariosWithTakeover: perWorkflow.reduce((n, w) => n + w.privilegedScenariosWithTakeover, 0),
      paths: countOut(sum(perWorkflow.map((w) => w.paths))),
      undetectedPaths: countOut(sum(perWorkflow.map((w) => w.undetectedPaths))),
      perWorkflow,
    },
    gaps: gapsBy.flat(),
    residual: report.workflows.flatMap((w) => w.scenarios.flatMap((s) => s.classes.filter((k) => countIn(k.unclosable) > 0n).map((k) => ({ workflow: w.id, scenario: s.scenario, class: k.id, unclosablePaths: k.unclosable })))),
    lint: report.workflows.map((w) => ({
      workflow: w.id,
      findings: (lintFindings[w.id] ?? []).map((f) => ({ rule: f.rule, name: f.name, severity: f.severity, message: f.message, path: f.path, ...(f.step !== undefined ? { step: f.step } : {}), fixes: [...f.fixes] })),
    })),
  };
  return options.accountability ? withAccountability(doc, options.accountability) : doc;
}

/**
 * What a report covers, as a key: the workflows and the scenarios, each sorted. Two reports with the
 * same key are comparable, so the trend is taken against the previous signed report with this key.
 */
export function scopeKey(r: Pick<AccountabilityReport, 'scope'>): string {
  const sorted = (xs: string[]) => [...new Set(xs)].sort().join(',');
  return `workflows=${sorted(r.scope.workflows.map((w) => w.id))};scenarios=${sorted(r.scope.scenarios.map((s) => s.id))}`;
}

/** The gaps of a stored report (its JSON), for the trend; null when it is not an accountability report. */
export function previousGaps(stored: unknown): PreviousGap[] | null {
  const parsed = z
    .object({
      format: z.literal(ACCOUNTABILITY_FORMAT),
      gaps: z.array(z.object({ workflow: z.string(), control: z.string(), name: z.string(), remediation: z.object({ overdue: z.boolean() }).optional() })),
    })
    .safeParse(stored);
  if (!parsed.success) return null;
  return parsed.data.gaps.map((g) => ({ workflow: g.workflow, control: g.control, name: g.name, overdue: g.remediation?.overdue ?? false }));
}

const gapKey = (g: { workflow: string; control: string }) => `${g.workflow}\u0000${g.control}`;

/** Whether an item is overdue on `asOf`: due before that day, and neither done nor accepted. */
export function isOverdue(item: { status: RemediationState; due: string | null }, asOf: string): boolean {
  return item.due !== null && (item.status === 'open' || item.status === 'planned' || item.status === 'in_progress') && item.due < asOf.slice(0, 10);
}

/** The residual-risk wording of a gap whose risk was accepted: what stays open, and who accepted it. */
export function residualRiskText(g: AccountabilityGap): string {
  const paths = (c: Count) => `${formatCount(c)} takeover path${countIn(c) === 1n ? '' : 's'}`;
  const parts: string[] = [];
  if (countIn(g.blocksPaths) > 0n) parts.push(`${paths(g.blocksPaths)} it would block on its own stay open`);
  if (countIn(g.jointPaths) > 0n) parts.push(`${paths(g.jointPaths)} it would block jointly stay open`);
  if (countIn(g.detectsPaths) > 0n) parts.push(`${paths(g.detectsPaths)} it would detect go unnoticed by it`);
  if (!parts.length) parts.push(`${paths(g.contributesPaths)} it would make harder stay as easy`);
  return `Risk accepted without ${g.control} (${g.name}): ${parts.join('; ')}. Accountable: ${g.owner.name ?? g.owner.title} (${g.owner.role}).`;
}

/** The report with named owners, remediation state, sign-off and trend (pure). */
export function withAccountability(doc: AccountabilityReport, data: AccountabilityData): AccountabilityReport {
  const owners = new Map(data.owners.map((o) => [`${o.role}\u0000${o.workflow ?? ''}`, o]));
  const items = new Map(data.remediation.map((i) => [gapKey(i), i]));
  const counts = { open: 0, planned: 0, in_progress: 0, done: 0, risk_accepted: 0, overdue: 0 };
  const gaps = doc.gaps.map((g): AccountabilityGap => {
    const own = owners.get(`${g.owner.role}\u0000${g.workflow}`);
    const ws = owners.get(`${g.owner.role}\u0000`);
    const o = own ?? ws;
    const owner: AccountabilityGap['owner'] = o ? { ...g.owner, name: o.name, assignment: 'assigned', contact: o.contact, scope: own ? 'workflow' : 'workspace' } : g.owner;
    const item = items.get(gapKey(g));
    const remediation = item
      ? { status: item.status, due: item.due, overdue: isOverdue(item, data.asOf), ticket: item.ticket, notes: item.notes, recorded: true }
      : { status: 'open' as const, due: null, overdue: false, ticket: null, notes: '', recorded: false };
    counts[remediation.status] += 1;
    if (remediation.overdue) counts.overdue += 1;
    const row: AccountabilityGap = { ...g, owner, remediation };
    return remediation.status === 'risk_accepted' ? { ...row, residualRisk: residualRiskText(row) } : row;
  });
  let trend: NonNullable<AccountabilityReport['accountability']>['trend'] = null;
  if (data.previous) {
    const prev = new Map(data.previous.gaps.map((g) => [gapKey(g), g]));
    const now = new Set(gaps.map(gapKey));
    const ref = (g: { workflow: string; control: string; name: string }) => ({ workflow: g.workflow, control: g.control, name: g.name });
    trend = {
      previous: { reportId: data.previous.reportId, signedBy: data.previous.signedBy, signedAt: data.previous.signedAt, decision: data.previous.decision },
      opened: gaps.filter((g) => !prev.has(gapKey(g))).map(ref),
      closed: data.previous.gaps.filter((g) => !now.has(gapKey(g))).map(ref),
      overdue: gaps.filter((g) => g.remediation?.overdue).map((g) => ({ ...ref(g), due: g.remediation!.due!, newly: !(prev.get(gapKey(g))?.overdue ?? false) })),
      unchanged: gaps.filter((g) => prev.has(gapKey(g))).length,
    };
  }
  return { ...doc, gaps, accountability: { asOf: data.asOf, remediation: counts, signOff: data.signOff ?? null, trend } };
}
