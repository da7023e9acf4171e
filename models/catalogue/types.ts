// Types of the control catalogue: what a control is, where it sits, what defeats it, what it costs.
import type { Capability, OwnerRole, StepKind } from '../vocabulary.ts';
import type { Confidence, FrameworkRef } from './frameworks.ts';

export type ControlFunction = 'prevent' | 'detect' | 'respond' | 'deter';
export type Enforcement = 'system' | 'procedural';

/**
 * Whom a control checks or serves. A path driven by an attacker acting as a help-desk agent in the
 * support tool has no caller, ticket or queue: there requester-side controls do not apply.
 * - requester: checks the person or request asking for the reset (proofing, call-back, step-up,
 *   manager approval of the requester, ticket authentication);
 * - agent: constrains the help-desk identities and the tool action (agent MFA, least privilege,
 *   dual control, insider analytics, separate privileged path);
 * - target: reaches the real account holder (notification);
 * - process: the workflow around the reset (cooling-off, logging, review, exceptions, anomaly rules,
 *   the outsourcing contract, training).
 */
export type ControlSide = 'requester' | 'agent' | 'target' | 'process';

/**
 * How the analysis engine uses a control:
 * - guard: sits on a step; a requester passes only if it is satisfied, defeated or skipped;
 * - modifier: neutralises defeat rules or deviations of other controls (listed in their `unless`);
 * - detector: never blocks; turns a takeover into a detected one, with a delay;
 * - responder: limits what a detected takeover keeps (session revocation);
 * - deterrent: changes behaviour, not reachability; the exhaustive analysis never credits it.
 */
export type ControlRole = 'guard' | 'modifier' | 'detector' | 'responder' | 'deterrent';

export type ParamValue = string | number | boolean | string[];

export type ParamSpec =
  | { type: 'enum'; values: readonly string[]; hardened: string; description: string }
  | { type: 'enum[]'; values: readonly string[]; hardened: string[]; description: string }
  /** `stronger`: which way a value protects more than `hardened` (a longer cooling-off, a shorter detection delay). */
  | { type: 'number'; min: number; max: number; hardened: number; stronger: 'higher' | 'lower'; description: string }
  | { type: 'boolean'; hardened: boolean; description: string };

/** Where a control can be placed: on steps of some kinds, on the workflow as a whole, or on exceptions. */
export type Attach =
  | { scope: 'step'; kinds: readonly StepKind[] }
  | { scope: 'workflow' }
  | { scope: 'exception' };

/**
 * A rule saying when an attacker defeats a control instance. The rule applies when the attacker
 * holds every listed capability (an empty list means any requester), each `when` parameter has one
 * of the listed values, and none of the `unlessAtStep` / `unlessInWorkflow` controls is in place.
 */
export interface DefeatRule {
  id: string;
  capabilities: readonly Capability[];
  when?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  unlessAtStep?: readonly string[];
  unlessInWorkflow?: readonly string[];
  /**
   * `impostor`: applies where an honest agent did the work the approver reviews: to an attacker
   * holding no agent identity in the workflow, and to one that does on a caller's channel (it may
   * call as an impostor), not in the support tool. `agent_identity`: applies only to an attacker that
   * holds one (it can look the account up in the support tool, whatever capability gives it).
   */
  attacker?: 'impostor' | 'agent_identity';
  /**
   * The rule does not apply when one of these workflow-scope controls is present with the named
   * (boolean or enum) parameter at its hardened value: one parameter of a control can neutralise a
   * rule whatever its other parameters are.
   */
  unlessWorkflowParam?: readonly { control: string; param: string }[];
  /**
   * Applies only when this capability gives the attacker an agent identity in the workflow (a leaked
   * support-platform credential that the workflow's agent MFA does not stop).
   */
  identityFrom?: Capability;
  /**
   * Like `unlessAtStep`, for a control whose list parameter must also include a value: the rule does
   * not apply when that control is in force on the step and `param` includes `includes` (a liveness
   * check that also detects injected camera streams).
   */
  unlessAtStepWith?: readonly { control: string; param: string; includes: string }[];
  /**
   * Names the instance's minimum contact age parameter: the rule applies when the attacker changed
   * the contact on file at least that many days before (the contact counts as established).
   */
  contactAge?: string;
  /** The reason shown in traces and reports. */
  reason: string;
}

/**
 * Minutes a legitimate request that fails a control costs to resolve by escalation (re-proofing,
 * a second call, a manager's time). Our modelling estimate, used to rank control sets by friction.
 */
export const ESCALATION_MINUTES = 45;

export interface Friction {
  /** Minutes a legitimate request takes longer with the control (median estimate). */
  minutesAdded: number;
  /**
   * Of those minutes, the ones the request waits with no desk agent working on it (a cooling-off
   * period, a manager's reply): the requester's time to recovery includes them, an agent's handling
   * time does not (the desk simulation). The rest is agent work. 0 when the whole of it is work.
   */
  waitMinutes: number;
  /** Only requests for a privileged account class pay it (a separate path for them); otherwise every request does. */
  privilegedOnly?: true;
  /** Share of legitimate requests that fail the control or must escalate (0..1). */
  legitFailShare: number;
  /** Friction figures are our modelling estimates unless a source is named. */
  basis: 'estimate';
}

export interface ControlDef {
  id: string;
  name: string;
  summary: string;
  functions: readonly ControlFunction[];
  role: ControlRole;
  side: ControlSide;
  /** How the control is usually found when present without further detail. */
  defaultEnforcement: Enforcement;
  owner: OwnerRole;
  friction: Friction;
  attach: Attach;
  params: Readonly<Record<string, ParamSpec>>;
  defeatedBy: readonly DefeatRule[];
  /** For detectors: how long after the takeover detection happens, at hardened parameters. */
  detectionDelayHours?: number;
  /** Evidence the workflow record must hold for the control to count as present. */
  evidence: readonly string[];
  mappings: readonly FrameworkRef[];
  /** Confidence of the control definition itself (all are our derivation from sourced facts). */
  confidence: Confidence;
}

/**
 * True when a parameter's value protects less than the catalogue's hardened value: a number on the
 * weaker side of it (by its `stronger` direction), a list missing one of the hardened entries, any
 * other enum or boolean value (they have no order: any value but the hardened one counts as below
 * it). A number beyond the hardened one (a longer cooling-off) is not below.
 */
export function belowHardened(spec: ParamSpec, value: ParamValue | undefined): boolean {
  if (value === undefined) return false;
  switch (spec.type) {
    case 'number':
      return spec.stronger === 'higher' ? (value as number) < spec.hardened : (value as number) > spec.hardened;
    case 'enum[]':
      return spec.hardened.some((h) => !(value as readonly string[]).includes(h));
    default:
      return value !== spec.hardened;
  }
}

/**
 * The value a control placed hardened takes where the same control already is: the stronger of
 * the value set there and the hardened one. Placing a control hardened never weakens it (a tier-3
 * minimum stays tier 3, a 48 h cooling-off stays 48 h); a list keeps the entries set besides the
 * hardened ones.
 */
export function hardenedOver(spec: ParamSpec, existing: ParamValue | undefined): ParamValue {
  switch (spec.type) {
    case 'number':
      if (typeof existing !== 'number') return spec.hardened;
      return spec.stronger === 'higher' ? Math.max(existing, spec.hardened) : Math.min(existing, spec.hardened);
    case 'enum[]': {
      if (!Array.isArray(existing)) return [...spec.hardened];
      const held = new Set([...existing, ...spec.hardened]);
      return spec.values.filter((v) => held.has(v));
    }
    default:
      return spec.hardened;
  }
}
