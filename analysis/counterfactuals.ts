// Counterfactual workflows of one analysis: the workflow with a control (or a small set of controls)
// placed hardened and system-enforced at every attach point, prepared once and shared by every
// scenario, and the question every attribution asks of them: can this move still be made there?
import { CONTROLS, getControl, type ControlDef, type Workflow } from '../models/index.ts';
import { agentsPhishingResistant, platformCredentialsCovered, prepareWorkflow, providerSessionsUnsecured, scenarioContext, type AttackChannel, type AttackContext, type Prepared, type Scenario, type StepEvaluation } from '../scenarios/index.ts';
import { AnalysisCache } from './cache.ts';
import { applyControls } from './counterfactual.ts';
import type { ActiveException, GNode } from './stateGraph.ts';

/**
 * Controls considered for attribution: deterrents and responders never block or detect, by design,
 * except the log, which lets a post-event review detect.
 */
export const ATTRIBUTABLE: readonly ControlDef[] = CONTROLS.filter((c) => (c.role !== 'deterrent' && c.role !== 'responder') || c.id === 'log.immutable');
export const ATTRIBUTABLE_IDS: readonly string[] = ATTRIBUTABLE.map((c) => c.id);

/** Detectors, the log and the contract (its incident-report clause): controls that can turn an undetected takeover into a detected one. */
export const DETECTING_IDS: ReadonlySet<string> = new Set(['notify.out_of_band', 'review.post_event', 'detect.reset_anomaly', 'agent.insider_controls', 'vendor.contract_controls', 'log.immutable']);

export interface Counterfactual {
  /** The controls placed (sorted). */
  controls: readonly string[];
  prep: Prepared;
  /** True when placing the controls changed nothing in the workflow. */
  unchanged: boolean;
}

/** The counterfactual workflows of one workflow, built on first use. */
export class Counterfactuals {
  readonly base: Prepared;
  private readonly byKey = new Map<string, Counterfactual>();

  constructor(
    base: Prepared,
    /** Evaluations and labels shared with other analyses of the session. */
    readonly cache: AnalysisCache = new AnalysisCache(),
  ) {
    this.base = base;
  }

  // The single-control counterfactuals by the control's place in ATTRIBUTABLE: attribution asks for
  // each of them at every move (an array read, not a key lookup).
  private singleList: (Counterfactual | undefined)[] = [];

  /** The workflow with the i-th attributable control placed (the same object as `of([id])`). */
  single(i: number): Counterfactual {
    return (this.singleList[i] ??= this.of([ATTRIBUTABLE[i]!.id]));
  }

  /** The workflow with these controls placed (hardened, system-enforced, everywhere they attach). */
  of(controls: readonly string[], key: string = controlSetKey(controls)): Counterfactual {
    // One control (attribution asks for each, at every move) is looked up by its id, and a set its
    // callers already sorted (pairs and triples of attribution, the control sets) without a copy;
    // a caller that has the set's key (controlSetKey) passes it.
    let cf = this.byKey.get(key);
    if (!cf) {
      const sorted = [...controls].sort();
      const wf: Workflow = applyControls(this.base.wf, sorted);
      cf = { controls: sorted, prep: wf === this.base.wf ? this.base : prepareWorkflow(wf), unchanged: wf === this.base.wf };
      this.byKey.set(key, cf);
    }
    return cf;
  }

  /**
   * Forgets the counterfactual workflows made so far (scaffolding of an analysis, rebuilt on demand
   * when a result's lazy parts ask for one again; the attackers' contexts are kept, so a rebuilt one
   * gets the same context object).
   */
  release(): void {
    this.byKey.clear();
    this.singleList = [];
  }

  private readonly ctxs = new Map<Scenario, Map<string, AttackContext>>();
  /** Each counterfactual's agent identities as a key (what its attacker contexts depend on). */
  private readonly identities = new WeakMap<Counterfactual, string>();
  /** Each counterfactual's context per scenario, once worked out. */
  private readonly ctxOf = new WeakMap<Counterfactual, Map<Scenario, AttackContext>>();

  /**
   * The attacker's context in a counterfactual. A context depends on the workflow only through the
   * agent identities it leaves the attacker (phishing-resistant agent MFA or authenticators for all,
   * whether agent MFA covers the support platform's service accounts and API tokens, and whether a
   * contract secures the provider's sessions), and every evaluation is
   * cached by content (AnalysisCache), never in the context: so counterfactuals that leave the
   * identities alone share the workflow's own context.
   */
  ctx(cf: Counterfactual, scenario: Scenario): AttackContext {
    let mine = this.ctxOf.get(cf);
    if (!mine) this.ctxOf.set(cf, (mine = new Map()));
    const known = mine.get(scenario);
    if (known) return known;
    let row = this.ctxs.get(scenario);
    if (!row) this.ctxs.set(scenario, (row = new Map()));
    // What of the workflow the context reads, once per counterfactual (not once per scenario).
    let key = this.identities.get(cf);
    if (key === undefined) this.identities.set(cf, (key = `${agentsPhishingResistant(cf.prep)}|${platformCredentialsCovered(cf.prep.workflowScope.get('agent.mfa'))}|${providerSessionsUnsecured(cf.prep)}`));
    let c = row.get(key);
    if (!c) row.set(key, (c = scenarioContext(cf.prep, scenario)));
    mine.set(scenario, c);
    return c;
  }
}

/**
 * A set of control ids as a key: its ids sorted, joined by "+". One id is its own key, and a set its
 * caller already sorted (pairs and triples of attribution, the control sets) is joined without a copy.
 */
export function controlSetKey(controls: readonly string[]): string {
  return controls.length === 1 ? controls[0]! : isSorted(controls) ? controls.join('+') : [...controls].sort().join('+');
}

function isSorted(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false;
  return true;
}

const NONE_ACTIVE: readonly string[] = Object.freeze([]);

/** The exceptions still in force in a counterfactual: a standing one ends once it has an expiry. */
export function exceptionsIn(prep: Prepared, xs: readonly ActiveException[]): readonly string[] {
  if (xs.length === 0) return NONE_ACTIVE;
  return xs.filter((x) => x.how === 'granted' || !prep.byException.get(x.id)?.has('exception.expiry')).map((x) => x.id);
}

/** Whether a pass move is open in a workflow, the evaluation that says so, and what stopped the credential's hand-over. */
export interface PassResult {
  open: boolean;
  ev: StepEvaluation;
  /** Why the credential handed over at an execution step does not reach the attacker (null: not what closed it). */
  undelivered: string | null;
}

/**
 * Whether the pass move at a step (before the takeover) is still open in a workflow: every guard can
 * be passed and, at an execution step, the credential still reaches the attacker. Why it is closed,
 * in words, only when asked (passClosedReason): most callers read whether it is open.
 */
export function passOpen(cache: AnalysisCache, prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, exceptions: readonly ActiveException[]): PassResult {
  const ev = cache.evaluate(prep, ctx, stepId, channel, exceptionsIn(prep, exceptions));
  if (!ev.passable) return { open: false, ev, undelivered: null };
  if (prep.wf.steps[stepId]!.kind === 'execution') {
    const d = cache.delivers(prep, ctx, stepId);
    if (!d.obtained) return { open: false, ev, undelivered: d.reason };
  }
  return { open: true, ev, undelivered: null };
}

/** Why a closed pass move is closed: the step's refusal or its unmet guards' reasons, or the failed hand-over. */
export function passClosedReason(r: PassResult): string {
  if (r.undelivered !== null) return r.undelivered;
  return r.ev.refusal ?? r.ev.verdicts.filter((v) => v.verdict === 'unmet').map((h) => h.reason).join('; ');
}

/**
 * Controls that act on detection only: the detectors and the log. A step gives verdicts for guards
 * only, and no guard's rule, hand-over or attacker identity reads them, so placing one never changes
 * whether a move is open; what they add is detection (Attributor.visitTokens and finalize). A test
 * (test/analysis/detection-only.test.ts) checks this on every bundled workflow and scenario.
 */
export const DETECTION_ONLY: ReadonlySet<string> = new Set(ATTRIBUTABLE.filter((c) => c.role === 'detector' || c.id === 'log.immutable').map((c) => c.id));

/**
 * Which of a state's active exceptions waive its step ("w") or not ("-"), in order: with the step's
 * content, channel and exception ids, what decides whether its move stays open (analysis/cache.ts, shapeSig).
 */
export function waiverTag(prep: Prepared, n: Pick<GNode, 'step' | 'exceptions'>): string {
  return n.exceptions.map((x) => (prep.wf.exceptions.find((e) => e.id === x.id)?.bypasses.includes(n.step) ? 'w' : '-')).join('');
}

/** Whether placing this control can change how the given step is evaluated (a cheap, safe filter). */
export function mayActAt(def: ControlDef, prep: Prepared, stepId: string, hasStanding: boolean): boolean {
  if (DETECTION_ONLY.has(def.id)) return false;
  const a = def.attach;
  if (a.scope === 'workflow') return true;
  if (a.scope === 'exception') return hasStanding;
  const step = prep.wf.steps[stepId]!;
  if (a.kinds.includes(step.kind)) return true;
  // Ticket integrity anywhere protects the ticket fields every step reads.
  if (def.id === 'ticket.integrity') return step.controls.some((c) => c.evidence === 'ticket_field');
  return false;
}

/** Friction-ordered comparison of control ids (cheapest first), for stable, useful ordering. */
export function controlOrder(a: string, b: string): number {
  const fa = getControl(a).friction;
  const fb = getControl(b).friction;
  return fa.minutesAdded - fb.minutesAdded || fa.legitFailShare - fb.legitFailShare || (a < b ? -1 : a > b ? 1 : 0);
}
