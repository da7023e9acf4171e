// Content-addressed caches of an analysis session. A step is evaluated from its own content, the
// workflow-wide controls and exceptions, the attacker and the channel — nothing else — so results
// are keyed by those contents, not by workflow objects. A what-if toggle changes the content of the
// steps the control sits on (or the workflow-wide part); every other step, in the workflow and in
// each counterfactual workflow, is found in the cache: re-analysis is incremental by construction.
import { getControl, type ControlInstance, type Step, type Workflow } from '../models/index.ts';
import { delivery, evaluateStepUncached, inForce, type AttackChannel, type AttackContext, type Prepared, type StepEvaluation } from '../scenarios/index.ts';

// Signatures are kept on the objects they describe: a counterfactual or what-if workflow shares
// every step object (and the workflow-wide lists) it did not change, so their signatures and ids are
// computed once, not once per workflow copy.
const stepSigs = new WeakMap<Step, { actors: Workflow['actors']; sig: string }>();
const listSigs = new WeakMap<readonly unknown[], string>();
const ticketFlags = new WeakMap<Prepared, boolean>();
const ctxSigs = new WeakMap<AttackContext, string>();

const instSig = (c: ControlInstance) => [c.control, c.params, c.enforcement, c.evidence];

/** Everything about a step that its evaluation reads (its id included: verdicts carry instance keys). */
export function stepSig(prep: Prepared, stepId: string): string {
  const st = prep.wf.steps[stepId]!;
  const hit = stepSigs.get(st);
  if (hit && hit.actors === prep.wf.actors) return hit.sig;
  const sig = JSON.stringify([stepId, st.kind, st.name, st.actor ? prep.wf.actors[st.actor] : null, st.controls.map(instSig), st.action ?? null, st.delivery, st.grants ?? null]);
  stepSigs.set(st, { actors: prep.wf.actors, sig });
  return sig;
}

function listSig(list: readonly unknown[], f: () => string): string {
  let s = listSigs.get(list);
  if (s === undefined) listSigs.set(list, (s = f()));
  return s;
}

function ticketProtected(prep: Prepared): boolean {
  let t = ticketFlags.get(prep);
  if (t === undefined) ticketFlags.set(prep, (t = inForce(prep.workflowScope.get('ticket.integrity')) || [...prep.byStep.values()].some((m) => inForce(m.get('ticket.integrity')))));
  return t;
}

/** The workflow-wide part every step's evaluation may read: workflow controls, exceptions, protected ticket fields. */
export function envSig(prep: Prepared): string {
  const controls = listSig(prep.wf.controls, () => JSON.stringify(prep.wf.controls.map(instSig)));
  const exceptions = listSig(prep.wf.exceptions, () => JSON.stringify(prep.wf.exceptions.map((e) => [e.id, e.bypasses, e.controls.map(instSig)])));
  return `${controls}|${exceptions}|${ticketProtected(prep)}`;
}

/** The attacker as evaluation sees it. */
export function ctxSig(ctx: AttackContext): string {
  let s = ctxSigs.get(ctx);
  if (s === undefined) {
    s = `${[...ctx.caps].sort().join(',')}|${ctx.target}|${ctx.agentIdentities}|${ctx.agentVia.join(',')}|${ctx.contactAgeDays}|${ctx.objectiveHours}`;
    ctxSigs.set(ctx, s);
  }
  return s;
}

/** Caches shared by every analysis of one session (for example the open workflow and its what-if changes). */
export class AnalysisCache {
  private maps = new Map<string, Map<string, unknown>>();
  private entries = 0;
  // Long content signatures are interned to short ids once per workflow object, so cache keys stay short.
  private ids = new Map<string, number>();
  private stepIds = new WeakMap<Step, { actors: Workflow['actors']; key: string }>();
  private envIds = new WeakMap<Prepared, string>();
  private ctxIds = new WeakMap<AttackContext, string>();

  constructor(readonly maxEntries = 400_000) {}

  private intern(prefix: string, sig: string): string {
    let id = this.ids.get(sig);
    if (id === undefined) this.ids.set(sig, (id = this.ids.size));
    return `${prefix}${id}`;
  }

  /** A short key for a step's content in a workflow. */
  stepKey(prep: Prepared, stepId: string): string {
    const st = prep.wf.steps[stepId]!;
    const hit = this.stepIds.get(st);
    if (hit && hit.actors === prep.wf.actors) return hit.key;
    const key = this.intern('s', stepSig(prep, stepId));
    this.stepIds.set(st, { actors: prep.wf.actors, key });
    return key;
  }

  /** A short key for a workflow's workflow-wide part. */
  envKey(prep: Prepared): string {
    let k = this.envIds.get(prep);
    if (k === undefined) this.envIds.set(prep, (k = this.intern('e', envSig(prep))));
    return k;
  }

  /** A short key for an attacker. */
  ctxKey(ctx: AttackContext): string {
    let k = this.ctxIds.get(ctx);
    if (k === undefined) this.ctxIds.set(ctx, (k = this.intern('a', ctxSig(ctx))));
    return k;
  }

  /** The cached value of `kind` under `key`, computed on a miss. */
  get<T>(kind: string, key: string, compute: () => T): T {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    const hit = m.get(key);
    if (hit !== undefined || m.has(key)) return hit as T;
    if (this.entries >= this.maxEntries) {
      // A long session over many workflows: start again rather than grow without bound.
      this.maps = new Map();
      this.entries = 0;
      this.ids = new Map();
      this.stepIds = new WeakMap();
      this.envIds = new WeakMap();
      this.ctxIds = new WeakMap();
      return this.get(kind, key, compute);
    }
    const v = compute();
    m.set(key, v);
    this.entries++;
    return v;
  }

  /** A step's evaluation for an attacker on a channel with these exceptions active. */
  evaluate(prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, exceptions: readonly string[]): StepEvaluation {
    const waivers = exceptions.length === 0 ? exceptions : exceptions.filter((e) => prep.wf.exceptions.find((x) => x.id === e)?.bypasses.includes(stepId));
    return this.get('eval', `${this.stepKey(prep, stepId)}|${this.envKey(prep)}|${this.ctxKey(ctx)}|${channel}|${waivers.join(',')}`, () => evaluateStepUncached(prep, ctx, stepId, channel, waivers));
  }

  /** Whether the credential handed over at an execution step reaches the attacker. */
  delivers(prep: Prepared, ctx: AttackContext, stepId: string): ReturnType<typeof delivery> {
    return this.get('delivery', `${this.stepKey(prep, stepId)}|${this.ctxKey(ctx)}`, () => delivery(prep, ctx, stepId));
  }
}

/** The control ids a step's content names (for filters). */
export function controlsAt(prep: Prepared, stepId: string): string[] {
  return prep.wf.steps[stepId]!.controls.map((c) => getControl(c.control).id);
}
