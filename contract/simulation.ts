// The simulation part of the contract: the risk-versus-friction trade-off of a workflow on a desk
// (analysis/simulation/tradeoff.ts), run by the backend in its simulation workers. The request is
// strict and bounded so a hostile or careless UI cannot ask for hours of simulation: at most 28 days,
// 20 replications and 128 candidate sets.
import { z } from 'zod';
import { ACCOUNT_CLASSES } from '../models/index.ts';

const modelId = z.string().min(1).max(96).regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'must be lowercase letters, digits, ".", "-" or "_"' });
const accountClass = z.enum(Object.keys(ACCOUNT_CLASSES) as [string, ...string[]], { error: 'must be an account class' });
/** Takeovers per 1000 days. */
const target = z.number().min(0).max(1_000_000);

/** Largest trade-off the app may ask for. */
export const SIMULATION_LIMITS = { days: 28, runs: 20, maxCandidates: 128 } as const;

const estimate = z.object({ mean: z.number(), lo: z.number(), hi: z.number(), n: z.number().int() });
const point = z.object({
  index: z.number().int(),
  controls: z.array(z.string()),
  added: z.array(z.string()),
  minimal: z.boolean(),
  friction: z.object({ minutes: z.number(), failShare: z.number(), expectedMinutes: z.number() }),
  risk: estimate,
  riskByClass: z.record(z.string(), estimate),
  /** Means over replications; null when no request of the class recovered. */
  legit: z.record(z.string(), z.object({ recoveryMedianMinutes: z.number().nullable(), failureRate: z.number().nullable() })),
  queueByHour: z.array(z.number()).length(24),
  takeoversByHour: z.array(z.number()).length(24),
});

export const SIMULATION_API = {
  'simulation.desks': {
    request: z.strictObject({}),
    response: z.object({ desks: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), agents: z.number().int() })) }),
  },
  'simulation.run': {
    request: z.strictObject({
      workflowId: modelId,
      deskId: modelId.optional().describe('A bundled desk profile (default in-house-20)'),
      scenarioIds: z.array(modelId).max(200).optional().describe('Hostile scenarios (default: every scenario of the workspace and the bundled library)'),
      days: z.number().int().min(1).max(SIMULATION_LIMITS.days).optional().describe('Days simulated per replication (default 7)'),
      runs: z.number().int().min(1).max(SIMULATION_LIMITS.runs).optional().describe('Replications per candidate (default 5)'),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      maxCandidates: z.number().int().min(1).max(SIMULATION_LIMITS.maxCandidates).optional().describe('Candidate control sets simulated at most (default 24)'),
      riskTarget: target.optional().describe('Takeovers per 1000 days every class may have (default 10)'),
      riskTargets: z.partialRecord(accountClass, target).optional().describe('Per-class targets, over riskTarget'),
    }),
    response: z.object({
      format: z.literal('resetpath/tradeoff@1'),
      workflow: z.object({ id: z.string(), name: z.string() }),
      desk: z.object({ id: z.string(), name: z.string() }),
      days: z.number().int(),
      runs: z.number().int(),
      seed: z.number().int(),
      loadFactor: z.number(),
      pool: z.array(z.string()),
      subsets: z.number(),
      maxCandidates: z.number().int(),
      truncated: z.boolean(),
      notes: z.array(z.string()),
      classes: z.array(z.string()),
      points: z.array(point),
      frontier: z.array(z.number().int()),
      choices: z.array(z.object({ accountClass: z.string(), target: z.number(), candidate: z.number().int().nullable(), reason: z.string() })),
    }),
  },
} as const;

export type ApiTradeoff = z.output<(typeof SIMULATION_API)['simulation.run']['response']>;
export type ApiTradeoffPoint = ApiTradeoff['points'][number];
