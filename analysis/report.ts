// The analysis report document ("resetpath/analysis@1"): what an analysis says, as stable JSON.
// Its zod schema is the published JSON Schema (schemas/analysis.schema.json); the CLI's JSON
// output, the app and the exporters all read this shape, never the engine's internals.
import { z } from 'zod';
import { ACCOUNT_CLASSES, formatRef, type AccountClass } from '../models/index.ts';
import type { WorkflowAnalysis } from './analyze.ts';
import type { MinimalSetsResult } from './minimalSets.ts';

const verdictSchema = z.object({
  control: z.string(),
  key: z.string(),
  verdict: z.enum(['satisfied', 'defeated', 'skipped', 'waived', 'unmet']),
  rules: z.array(z.string()).describe('Ids of the rules that let the attacker past (defeat rules, deviations, waivers)'),
  reason: z.string(),
});

const gapSchema = z.object({
  control: z.string(),
  name: z.string(),
  effect: z.enum(['blocks', 'detects']),
  status: z.enum(['absent', 'weak', 'not_enforced', 'waived', 'misplaced']),
  owner: z.string(),
  ownerTitle: z.string(),
  actsAt: z.string().nullable(),
  why: z.string(),
  effectReason: z.string(),
  detectionDelayHours: z.number().optional(),
  mappings: z.array(z.object({ ref: z.string(), label: z.string(), confidence: z.enum(['C', 'C2', 'U', 'D']), note: z.string().optional() })),
  frictionMinutes: z.number(),
  legitFailShare: z.number(),
});

const setSchema = z.object({
  controls: z.array(z.string()),
  frictionMinutes: z.number(),
  legitFailShare: z.number(),
  expectedMinutes: z.number().describe('Expected minutes added per legitimate request, escalations included'),
  verified: z.boolean().nullable(),
});

const minimalSetsSchema = z.object({
  closablePaths: z.number().int(),
  unclosablePaths: z.array(z.string()),
  sets: z.array(setSchema),
  sizeBound: z.number().int(),
  truncated: z.boolean(),
  leastFriction: setSchema.nullable(),
  highestLeverage: z.object({ control: z.string(), paths: z.number().int() }).nullable(),
});

const pathSchema = z.object({
  id: z.string(),
  channel: z.string(),
  claimedClass: z.string().nullable(),
  exceptionsUsed: z.array(z.string()),
  steps: z.array(z.object({ step: z.string(), name: z.string(), via: z.enum(['pass', 'fail', 'route', 'end']), verdicts: z.array(verdictSchema) })),
  takeoverStep: z.string(),
  delivery: z.string(),
  outcome: z.enum(['takeover_detected', 'takeover_undetected']),
  detectedBy: z.object({ control: z.string(), step: z.string().nullable(), delayHours: z.number(), reason: z.string() }).nullable(),
  detectionNotes: z.array(z.string()),
  containment: z.enum(['revoked', 'persists']),
  blastRadius: z.array(z.string()),
  blocking: z.array(z.string()),
  detecting: z.array(z.string()),
  gaps: z.array(gapSchema),
});

const scenarioSchema = z.object({
  scenario: z.string(),
  name: z.string(),
  targetClass: z.string(),
  privileged: z.boolean(),
  outcome: z.enum(['not_applicable', 'blocked', 'takeover_detected', 'takeover_undetected']),
  notApplicableReason: z.string().optional(),
  exhaustive: z.boolean(),
  boundReasons: z.array(z.string()),
  statesVisited: z.number().int(),
  blockedAt: z.array(z.object({ step: z.string(), stepName: z.string(), kind: z.string(), controls: z.array(z.string()), reason: z.string() })),
  paths: z.array(pathSchema),
});

export const analysisReportSchema = z.object({
  format: z.literal('resetpath/analysis@1'),
  workflows: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      family: z.string(),
      variant: z.string(),
      file: z.string(),
      totals: z.object({ paths: z.number().int(), undetected: z.number().int(), detected: z.number().int(), privilegedPaths: z.number().int(), scenariosWithTakeover: z.number().int() }),
      scenarios: z.array(scenarioSchema),
      controls: z.array(z.object({ control: z.string(), name: z.string(), owner: z.string(), ownerTitle: z.string(), blocksPaths: z.number().int(), detectsPaths: z.number().int(), statuses: z.record(z.string(), z.number().int()) })),
      minimalSets: minimalSetsSchema,
      minimalSetsByClass: z.record(z.string(), minimalSetsSchema),
    }),
  ),
});
export type AnalysisReport = z.infer<typeof analysisReportSchema>;

const setOut = (s: MinimalSetsResult) => ({
  closablePaths: s.closablePaths,
  unclosablePaths: s.unclosablePaths,
  sets: s.sets,
  sizeBound: s.sizeBound,
  truncated: s.truncated,
  leastFriction: s.leastFriction,
  highestLeverage: s.highestLeverage,
});

/** Builds the report document from analyses (pure; key order and content are deterministic). */
export function buildAnalysisReport(analyses: readonly WorkflowAnalysis[]): AnalysisReport {
  return {
    format: 'resetpath/analysis@1',
    workflows: analyses.map((a) => ({
      id: a.workflow.id,
      name: a.workflow.name,
      family: a.workflow.family,
      variant: a.workflow.variant,
      file: a.workflow.file,
      totals: a.totals,
      scenarios: a.scenarios.map((r) => ({
        scenario: r.scenario,
        name: r.scenarioName,
        targetClass: r.targetClass,
        privileged: ACCOUNT_CLASSES[r.targetClass as AccountClass].privileged,
        outcome: r.outcome,
        ...(r.notApplicableReason ? { notApplicableReason: r.notApplicableReason } : {}),
        exhaustive: r.exhaustive,
        boundReasons: r.boundReasons,
        statesVisited: r.statesVisited,
        blockedAt: r.blockedAt,
        paths: r.paths.map((p) => ({
          id: p.id,
          channel: p.channel,
          claimedClass: p.claimedClass,
          exceptionsUsed: p.exceptionsUsed,
          steps: p.walked.map((w) => ({
            step: w.step,
            name: a.workflow.stepNames[w.step] ?? w.step,
            via: w.via,
            verdicts: w.verdicts.map((v) => ({ control: v.control, key: v.key, verdict: v.verdict, rules: v.means.map((m) => m.rule), reason: v.reason })),
          })),
          takeoverStep: p.takeoverStep,
          delivery: p.delivery.reason,
          outcome: p.outcome.kind as 'takeover_detected' | 'takeover_undetected',
          detectedBy: p.outcome.detectedBy
            ? { control: p.outcome.detectedBy.control, step: p.outcome.detectedBy.step, delayHours: p.outcome.detectedBy.delayHours!, reason: p.outcome.detectedBy.reason }
            : null,
          detectionNotes: p.outcome.detections.filter((d) => !d.detects).map((d) => `${d.control}: ${d.reason}`),
          containment: p.outcome.containment,
          blastRadius: p.outcome.blastRadius,
          blocking: p.attribution.blocking,
          detecting: p.attribution.detecting,
          gaps: p.attribution.gaps.map((g) => ({
            control: g.control,
            name: g.name,
            effect: g.effect,
            status: g.status,
            owner: g.owner,
            ownerTitle: g.ownerTitle,
            actsAt: g.actsAt,
            why: g.why,
            effectReason: g.effectReason,
            ...(g.detectionDelayHours !== undefined ? { detectionDelayHours: g.detectionDelayHours } : {}),
            mappings: g.mappings.map((m) => ({ ref: `${m.framework}:${m.version}:${m.id}`, label: formatRef(m), confidence: m.confidence, ...(m.note ? { note: m.note } : {}) })),
            frictionMinutes: g.friction.minutesAdded,
            legitFailShare: g.friction.legitFailShare,
          })),
        })),
      })),
      controls: a.controls,
      minimalSets: setOut(a.minimalSets),
      minimalSetsByClass: Object.fromEntries(Object.entries(a.minimalSetsByClass).map(([k, v]) => [k, setOut(v!)])),
    })),
  };
}
