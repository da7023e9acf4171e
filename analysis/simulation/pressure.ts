// The pressure curve: how likely a loaded agent is to skip a procedural control that would stop the
// caller. docs/analysis-semantics.md, "Service-desk simulation", states it; the tests check that it
// never falls as load rises and that it never applies to a control the system enforces.
import type { PressureCurve } from './profile.ts';

/**
 * Probability that an agent skips one procedural control, given the queue behind the request per
 * on-shift agent and the request's wait over the service-level target (in multiples of the target):
 *
 *   p = baseline + (max - baseline) * (1 - exp(-(queuePerAgent / queueScale + overTarget / overTargetScale)))
 *
 * Non-decreasing in both inputs, between baseline (no load) and max (approached, never passed).
 * For an attacker who pushes (urgency or authority pressure), p becomes 1 - (1 - p)^exponent.
 */
export function skipProbability(curve: PressureCurve, queuePerAgent: number, overTarget: number, attackerPushes = false): number {
  const load = Math.max(0, queuePerAgent) / curve.queuePerAgentScale + Math.max(0, overTarget) / curve.overTargetScale;
  const p = curve.baseline + (curve.max - curve.baseline) * (1 - Math.exp(-load));
  // max(): mathematically 1-(1-p)^e >= p; in floating point a tiny p could round below it.
  const q = attackerPushes ? Math.max(p, 1 - Math.pow(1 - p, curve.attackerPressureExponent)) : p;
  return Math.min(1, Math.max(0, q));
}

/** A curve that never skips: every procedural control is performed at any load. */
export const NO_PRESSURE: PressureCurve = { baseline: 0, max: 0, queuePerAgentScale: 1, overTargetScale: 1, attackerPressureExponent: 1 };
