// The shape of one expected-outcome cell (a weak workflow against a scenario) and the helpers that
// build cells, shared by test/analysis/expected-outcomes.test.ts and the per-topic partial matrices
// in this folder. A cell is written from the semantics before the engine is run, with its reason.
import type { GapStatus } from '../../../analysis/index.ts';

/** Whether the takeover classes depend on an unknown of the workflow (CONDITIONAL): all, some or none of them. */
export type Conditional = 'all' | 'some' | 'none';

export type Cell =
  | { outcome: 'not_applicable'; why: string }
  | { outcome: 'blocked'; stop: 'channel' | 'holder' | { step: string; control: string } | { step: string; delivery: true }; why: string }
  | {
      outcome: 'takeover_detected' | 'takeover_undetected';
      /** Controls expected in the gap of at least one path, with their status there. */
      gap: [control: string, status: GapStatus][];
      /** Controls expected to take a means away on some path without closing it. */
      contributing?: string[];
      detectedBy?: string;
      /** For a campaign: the outcome of every stage, stage 1 first. */
      chain?: string[];
      /** Whether the takeover classes depend on an unknown (CONDITIONAL); absent: none. */
      conditional?: Conditional;
      why: string;
    };

/** Weak workflow id -> scenario id -> expected outcome (a partial matrix when exported by a topic module). */
export type WeakMatrix = Record<string, Record<string, Cell>>;

/**
 * Hardened workflow id -> the scenarios of the classes it serves that it blocks, and those where a
 * residual (detected) path is left on purpose (a partial list when exported by a topic module).
 */
export type HardenedExpectations = Record<string, { blocks: string[]; detected?: Record<string, Cell> }>;

export const na = (why: string): Cell => ({ outcome: 'not_applicable', why });
export const channel = (why: string): Cell => ({ outcome: 'blocked', stop: 'channel', why });
/** Blocked at a step of the real account holder, who does not act for an attacker that cannot direct them. */
export const holder = (why: string): Cell => ({ outcome: 'blocked', stop: 'holder', why });
export const stoppedAt = (step: string, control: string, why: string): Cell => ({ outcome: 'blocked', stop: { step, control }, why });
/** Blocked where the credential is handed over: every guard passed, but the delivery does not reach the attacker. */
export const notDelivered = (step: string, why: string): Cell => ({ outcome: 'blocked', stop: { step, delivery: true }, why });
export const undetected = (gap: [string, GapStatus][], why: string, contributing?: string[]): Cell => ({ outcome: 'takeover_undetected', gap, why, ...(contributing ? { contributing } : {}) });
/** A campaign whose stages end as `chain` (stage 1 is the cell's own outcome). */
export const campaign = (chain: string[], gap: [string, GapStatus][], why: string): Cell => ({ outcome: chain[0] as 'takeover_undetected', gap, chain, why });
export const detected = (by: string, gap: [string, GapStatus][], why: string): Cell => ({ outcome: 'takeover_detected', detectedBy: by, gap, why });

export const NOT_SERVED = (cls: string): Cell => na(`the workflow does not serve the ${cls} class`);

/** Merges partial weak matrices row by row (a later module's cells join the same workflow's row). */
export function mergeWeak(...parts: WeakMatrix[]): WeakMatrix {
  const out: WeakMatrix = {};
  for (const part of parts) {
    for (const [wf, row] of Object.entries(part)) {
      for (const sc of Object.keys(row)) {
        if (out[wf]?.[sc]) throw new Error(`expected-outcome cell ${wf} x ${sc} is defined twice`);
      }
      out[wf] = { ...(out[wf] ?? {}), ...row };
    }
  }
  return out;
}

/** Merges partial hardened expectations: the blocked lists and residual cells of one workflow join. */
export function mergeHardened(...parts: HardenedExpectations[]): HardenedExpectations {
  const out: HardenedExpectations = {};
  for (const part of parts) {
    for (const [wf, h] of Object.entries(part)) {
      const prev = out[wf] ?? { blocks: [] };
      out[wf] = { blocks: [...prev.blocks, ...h.blocks], ...(prev.detected || h.detected ? { detected: { ...(prev.detected ?? {}), ...(h.detected ?? {}) } } : {}) };
    }
  }
  return out;
}
