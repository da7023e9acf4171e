// The validated, normalised workflow that every other part of ResetPath works on.
import type { Enforcement, ParamValue } from '../catalogue/types.ts';
import type { AccountClass, Capability, DeliveryChannel, DeskOperator, OwnerRole, RequestChannel, ResetAction, StepKind } from '../vocabulary.ts';

export type ControlScope = { scope: 'step'; step: string } | { scope: 'workflow' } | { scope: 'exception'; exception: string };

export interface ControlInstance {
  /** Stable key: "<step>/<control>", "workflow/<control>" or "exception:<id>/<control>". */
  key: string;
  control: string;
  /** Every catalogue parameter, filled with the catalogue's hardened value when the file omits it. */
  params: Readonly<Record<string, ParamValue>>;
  enforcement: Enforcement;
  /**
   * True when the file says `enforcement: unknown`: the instance is evaluated as procedural (the
   * attacker-favourable value) and every finding that depends on it is conditional.
   */
  enforcementUnknown?: true;
  evidence: 'live' | 'ticket_field';
  where: ControlScope;
  /** Document path of the instance in its file, for lint locations. */
  path: string;
  /** A known flaw of the check (present but bypassable); absent when none is known. */
  flaw?: ControlFlaw;
}

export interface ControlFlaw {
  kind: 'known_bypass' | 'forceable_fallback';
  description: string;
  /** Attacker capabilities the flaw needs (empty: any requester can use it). */
  capabilities: readonly Capability[];
  source?: string;
}

export interface Actor {
  id: string;
  kind: 'agent' | 'manager' | 'security_team' | 'system' | 'reviewer' | 'requester' | 'account_holder';
  name: string;
  tier: number;
  /** Who operates the desk (agents); `outsourced: true` in a file means `operator: outsourced`. */
  operator: DeskOperator;
  /** Same as operator === 'outsourced' (kept for readers of the older field). */
  outsourced: boolean;
}

export interface Step {
  id: string;
  kind: StepKind;
  name: string;
  description?: string;
  actor?: string;
  controls: ControlInstance[];
  next?: string;
  onFail?: string;
  channels: RequestChannel[];
  basis: 'directory' | 'caller_claim';
  routes: { classes: AccountClass[]; to: string }[];
  action?: ResetAction;
  delivery: DeliveryChannel;
  grants?: string;
  /**
   * True when the file says `verification: unknown`: what is checked at this step is not known beyond
   * the listed controls; passing it is conditional.
   */
  verificationUnknown?: true;
  path: string;
}

export interface WorkflowException {
  id: string;
  name: string;
  description?: string;
  bypasses: string[];
  /** Classes the exception is for (by the account's class, or the class a caller claims); null: every class. */
  appliesTo: AccountClass[] | null;
  grantedBy?: string;
  owner?: OwnerRole;
  justificationRequired: boolean;
  controls: ControlInstance[];
  path: string;
}

export interface Workflow {
  id: string;
  name: string;
  family: string;
  variant: 'weak' | 'hardened' | 'custom';
  description?: string;
  sources: string[];
  /** The documented risk analysis behind agent-assisted recovery (SP 800-63B-4 §4.2.1), when the file names one. */
  recoveryRiskAnalysis?: { document: string; approved: string };
  accountClasses: AccountClass[];
  actors: Record<string, Actor>;
  controls: ControlInstance[];
  exceptions: WorkflowException[];
  start: string;
  steps: Record<string, Step>;
  /** Step ids in file order. */
  stepOrder: string[];
  file: string;
}
