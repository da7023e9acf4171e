// Content-addressed caches of an analysis session. A step is evaluated from its own content, the
// workflow-wide controls and exceptions, the attacker and the channel — nothing else — so results
// are keyed by those contents, not by workflow objects. A what-if toggle changes the content of the
// steps the control sits on (or the workflow-wide part); every other step, in the workflow and in
// each counterfactual workflow, is found in the cache: re-analysis is incremental by construction.
import { getControl, type ControlInstance, type Step, type Workflow } from '../models/index.ts';
import { capabilitiesKey, cooldownBlocks, delivery, evaluateStepUncached, fastestReview, holderRequest, longestCoolingOff, ticketFieldsProtected, waiversAt, workflowActions, type AttackChannel, type AttackContext, type Prepared, type StepEvaluation } from '../scenarios/index.ts';

// Signatures are kept on the objects they describe: a counterfactual or what-if workflow shares
// every step object (and the workflow-wide lists) it did not change, so their signatures and ids are
// computed once, not once per workflow copy.
const stepSigs = new WeakMap<Step, { actors: Workflow['actors']; sig: string }>();
const listSigs = new WeakMap<readonly unknown[], string>();
const ticketFlags = new WeakMap<Prepared, boolean>();
const ctxSigs = new WeakMap<AttackContext, string>();

const instSig = (c: ControlInstance) => [c.control, c.params, c.enforcement, c.enforcementUnknown ?? false, c.evidence, c.flaw ?? null];

/** Everything about a step that its evaluation reads (its id included: verdicts carry instance keys). */
export function stepSig(prep: Prepared, stepId: string): string {
  const st = prep.wf.steps[stepId]!;
  const hit = stepSigs.get(st);
  if (hit && hit.actors === prep.wf.actors) return hit.sig;
  const sig = JSON.stringify([stepId, st.kind, st.name, st.actor ? prep.wf.actors[st.actor] : null, st.controls.map(instSig), st.action ?? null, st.delivery, st.grants ?? null, st.channels, st.verificationUnknown ?? false]);
  stepSigs.set(st, { actors: prep.wf.actors, sig });
  return sig;
}

const shapeSigs = new WeakMap<Step, { actors: Workflow['actors']; sig: string }>();

/**
 * A step's content without its id and name: what decides which controls close or take a means away
 * at it. Evaluation reads a step's id only to name verdicts (instance keys) and, through exceptions,
 * to know which waive it (callers key those separately); its name only in reasons.
 */
export function shapeSig(prep: Prepared, stepId: string): string {
  const st = prep.wf.steps[stepId]!;
  const hit = shapeSigs.get(st);
  if (hit && hit.actors === prep.wf.actors) return hit.sig;
  const sig = JSON.stringify([st.kind, st.actor ? prep.wf.actors[st.actor] : null, st.controls.map(instSig), st.action ?? null, st.delivery, st.grants ?? null, st.channels, st.verificationUnknown ?? false]);
  shapeSigs.set(st, { actors: prep.wf.actors, sig });
  return sig;
}

function listSig(list: readonly unknown[], f: () => string): string {
  let s = listSigs.get(list);
  if (s === undefined) listSigs.set(list, (s = f()));
  return s;
}

function ticketProtected(prep: Prepared): boolean {
  let t = ticketFlags.get(prep);
  if (t === undefined) ticketFlags.set(prep, (t = ticketFieldsProtected(prep)));
  return t;
}

/**
 * The workflow-wide part every step's evaluation may read: workflow controls, exceptions, protected
 * ticket fields, whether the holder opens every request, the grants the workflow makes, its
 * longest cooling-off and its fastest review.
 */
export function envSig(prep: Prepared): string {
  const controls = listSig(prep.wf.controls, () => JSON.stringify(prep.wf.controls.map(instSig)));
  const exceptions = listSig(prep.wf.exceptions, () => JSON.stringify(prep.wf.exceptions.map((e) => [e.id, e.bypasses, e.controls.map(instSig)])));
  return `${controls}|${exceptions}|${ticketProtected(prep)}|${holderRequest(prep)}|${[...workflowActions(prep)].sort().join(',')}|${longestCoolingOff(prep)}|${fastestReview(prep)}`;
}

/** The attacker as evaluation sees it. */
export function ctxSig(ctx: AttackContext): string {
  let s = ctxSigs.get(ctx);
  if (s === undefined) {
    s = `${capabilitiesKey(ctx.caps)}|${ctx.target}|${ctx.agentIdentities}|${ctx.agentVia.join(',')}|${ctx.providerOnly ? 'p' : ''}|${ctx.contactAgeDays}|${ctx.objectiveHours}`;
    ctxSigs.set(ctx, s);
  }
  return s;
}

/** A step content's evaluations under one workflow-wide part (AnalysisCache.evaluate). */
interface EvalRow {
  plain: Map<number, StepEvaluation>;
  waived: Map<string, StepEvaluation> | null;
}

/** Caches shared by every analysis of one session (for example the open workflow and its what-if changes). */
export class AnalysisCache {
  private maps = new Map<string, Map<string, unknown>>();
  // Evaluations, the hottest lookups, by numbers: (step content, workflow-wide part) -> (attacker,
  // channel) -> waivers. No key string is built per lookup.
  // Per (workflow-wide part, step content): evaluations without waivers by (attacker, channel), and the
  // few with waivers by (attacker, channel) and waivers (one map fewer per evaluation kept).
  private evals: (EvalRow | undefined)[][] = [];
  private deliveries: (Map<number, Map<number, ReturnType<typeof delivery>>> | undefined)[] = [];
  private cooldowns = new Map<string, ReturnType<typeof cooldownBlocks>>();
  private entries = 0;
  // Long content signatures are interned to small ids once per workflow object, so keys stay short.
  private ids = { s: new Map<string, number>(), e: new Map<string, number>(), a: new Map<string, number>(), h: new Map<string, number>() };
  private counts = { s: 0, e: 0, a: 0, h: 0 };
  private stepIds = new WeakMap<Step, { actors: Workflow['actors']; id: number }>();
  private shapeIds = new WeakMap<Step, { actors: Workflow['actors']; id: number }>();
  private envIds = new WeakMap<Prepared, number>();
  private ctxIds = new WeakMap<AttackContext, number>();
  private channels = new Map<string, number>();

  constructor(readonly maxEntries = 400_000) {}

  /** Dense ids per kind (step contents, workflow-wide parts, attackers), so they index arrays. */
  private intern(kind: 's' | 'e' | 'a' | 'h', sig: string): number {
    // One table per kind: the signature (kept per object, its hash computed once) is the key as it
    // is, not a new string with the kind in front of it to hash again on every lookup.
    const ids = this.ids[kind];
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = this.counts[kind]++));
    return id;
  }

  /** A small id for a step's content in a workflow. */
  stepId(prep: Prepared, stepId: string): number {
    const st = prep.wf.steps[stepId]!;
    const hit = this.stepIds.get(st);
    if (hit && hit.actors === prep.wf.actors) return hit.id;
    const id = this.intern('s', stepSig(prep, stepId));
    this.stepIds.set(st, { actors: prep.wf.actors, id });
    return id;
  }

  /** A small id for a workflow's workflow-wide part. */
  envId(prep: Prepared): number {
    let k = this.envIds.get(prep);
    if (k === undefined) this.envIds.set(prep, (k = this.intern('e', envSig(prep))));
    return k;
  }

  /** A small id for an attacker. */
  ctxId(ctx: AttackContext): number {
    let k = this.ctxIds.get(ctx);
    if (k === undefined) this.ctxIds.set(ctx, (k = this.intern('a', ctxSig(ctx))));
    return k;
  }

  /** A small id for a step's content without its id and name (shapeSig). */
  shapeId(prep: Prepared, stepId: string): number {
    const st = prep.wf.steps[stepId]!;
    const hit = this.shapeIds.get(st);
    if (hit && hit.actors === prep.wf.actors) return hit.id;
    const id = this.intern('h', shapeSig(prep, stepId));
    this.shapeIds.set(st, { actors: prep.wf.actors, id });
    return id;
  }

  /** A short key for a step's content without its id and name (shapeSig). */
  shapeKey(prep: Prepared, stepId: string): string {
    return `h${this.shapeId(prep, stepId)}`;
  }

  /** A short key for a step's content in a workflow. */
  stepKey(prep: Prepared, stepId: string): string {
    return `s${this.stepId(prep, stepId)}`;
  }

  /** A short key for a workflow's workflow-wide part. */
  envKey(prep: Prepared): string {
    return `e${this.envId(prep)}`;
  }

  /** A short key for an attacker. */
  ctxKey(ctx: AttackContext): string {
    return `a${this.ctxId(ctx)}`;
  }

  private channelId(channel: string): number {
    let c = this.channels.get(channel);
    if (c === undefined) this.channels.set(channel, (c = this.channels.size));
    return c;
  }

  /** Counts an entry; a long session over many workflows starts again rather than grow without bound. */
  private admit(): boolean {
    if (this.entries < this.maxEntries) {
      this.entries++;
      return true;
    }
    this.restart();
    this.entries = 1;
    return false;
  }

  /**
   * Forgets everything kept, as when the cache starts again: an analysis that made its own cache
   * releases it when it is done (analyzeWorkflow), so its results do not hold every evaluation it
   * made. What a result computes later (its lazy examples) is looked up by content, so it is the same.
   */
  release(): void {
    this.restart();
    this.entries = 0;
  }

  /** Drops every table and starts a new generation (keys built from the old ids name nothing now). */
  private restart(): void {
    this.maps = new Map();
    this.slots = new Map();
    this.generation++;
    this.evals = [];
    this.deliveries = [];
    this.visits = [];
    this.cooldowns = new Map();
    this.ids = { s: new Map(), e: new Map(), a: new Map(), h: new Map() };
    this.counts = { s: 0, e: 0, a: 0, h: 0 };
    this.shapeIds = new WeakMap();
    this.stepIds = new WeakMap();
    this.envIds = new WeakMap();
    this.ctxIds = new WeakMap();
  }

  private slots = new Map<string, unknown>();
  /** How many times the cache started again: keys built from its ids are valid within one generation. */
  generation = 0;

  /**
   * One shared object of the session by name (for example the label store, whose labels are values
   * interned by content): made on first use, and made again when `full` says it has grown too large
   * or after the cache started again, so its memory stays bounded.
   */
  shared<T>(name: string, make: () => T, full: (v: T) => boolean): T {
    let v = this.slots.get(name) as T | undefined;
    if (v === undefined || full(v)) this.slots.set(name, (v = make()));
    return v;
  }

  /** The cached value of `kind` under `key`, computed on a miss. */
  get<T>(kind: string, key: string, compute: () => T): T {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    const hit = m.get(key);
    if (hit !== undefined || m.has(key)) return hit as T;
    // Starting again renumbers the ids the caller built `key` from: the value is computed, not kept
    // under a key that may now name other content.
    if (!this.admit()) return compute();
    const v = compute();
    m.set(key, v);
    return v;
  }

  /** A step's evaluation for an attacker on a channel with these exceptions active. */
  evaluate(prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, exceptions: readonly string[]): StepEvaluation {
    // In a function of its own: a closure over this method's arguments would make V8 allocate a
    // context on every call of this, the hottest lookup, exceptions or not.
    const waivers = exceptions.length > 0 ? waiverKey(prep, stepId, exceptions) : '';
    // Dense ids index arrays; the attacker and channel make one small-integer key.
    const env = this.envId(prep);
    const st = this.stepId(prep, stepId);
    const k2 = this.ctxId(ctx) * 64 + this.channelId(channel);
    const byStep = (this.evals[env] ??= []);
    let row = byStep[st];
    if (!row) byStep[st] = row = { plain: new Map(), waived: null };
    const wk = waivers === '' ? '' : `${k2}|${waivers}`;
    const hit = wk === '' ? row.plain.get(k2) : row.waived?.get(wk);
    if (hit) return hit;
    if (!this.admit()) return this.evaluate(prep, ctx, stepId, channel, exceptions);
    const ev = evaluateStepUncached(prep, ctx, stepId, channel, waivers === '' ? [] : waivers.split(','));
    if (wk === '') row.plain.set(k2, ev);
    else (row.waived ??= new Map()).set(wk, ev);
    return ev;
  }

  /**
   * Whether a cooling-off at the takeover step lets a user notified within `notifyHours` stop the
   * reset (scenarios' cooldownBlocks). Its guard is evaluated from the same inputs as a step's
   * evaluation — the step's content, the workflow-wide part and the attacker — so it is keyed by them.
   */
  cooldown(prep: Prepared, ctx: AttackContext, takeoverStep: string, notifyHours: number | null): ReturnType<typeof cooldownBlocks> {
    if (notifyHours === null || !prep.byStep.get(takeoverStep)?.has('cooldown.delay')) return null;
    const k = `${this.envId(prep)},${this.stepId(prep, takeoverStep)},${this.ctxId(ctx)},${notifyHours}`;
    const hit = this.cooldowns.get(k);
    if (hit !== undefined || this.cooldowns.has(k)) return hit!;
    if (!this.admit()) return this.cooldown(prep, ctx, takeoverStep, notifyHours);
    const c = cooldownBlocks(prep, ctx, takeoverStep, notifyHours);
    this.cooldowns.set(k, c);
    return c;
  }

  /** Visit summaries (of analysis/stateGraph.ts, which imports this module: typed by the caller). */
  private visits: (Map<number, Map<number, unknown>> | undefined)[] = [];

  /**
   * A value read from a step's content, the workflow-wide part and the attacker, kept in one of the
   * tables by those three ids (numbers index arrays; no key string per lookup).
   */
  private byStepEnvCtx<T>(table: 'visits' | 'deliveries', prep: Prepared, ctx: AttackContext, stepId: string, compute: (prep: Prepared, ctx: AttackContext, stepId: string) => T): T {
    const rows = this[table] as (Map<number, Map<number, T>> | undefined)[];
    const st = this.stepId(prep, stepId);
    let byEnv = rows[st];
    if (!byEnv) rows[st] = byEnv = new Map();
    const env = this.envId(prep);
    let row = byEnv.get(env);
    if (!row) byEnv.set(env, (row = new Map()));
    const a = this.ctxId(ctx);
    const hit = row.get(a);
    if (hit) return hit;
    // Starting again renumbers the ids and replaces the tables: look up again in the new ones.
    if (!this.admit()) return this.byStepEnvCtx(table, prep, ctx, stepId, compute);
    const v = compute(prep, ctx, stepId);
    row.set(a, v);
    return v;
  }

  /**
   * What visiting a step adds to a path's detection summary (visitSummary). It reads the step's
   * content, the workflow-wide part and the attacker, so it is keyed by them: counterfactuals that
   * leave a step and the workflow-wide part alone share it with the workflow itself. `compute` is
   * visitSummary (passed in, with its type: the state graph's module imports this one).
   */
  visit<T>(prep: Prepared, ctx: AttackContext, stepId: string, compute: (prep: Prepared, ctx: AttackContext, stepId: string) => T): T {
    // `compute` is passed on as it is: no closure is made per lookup (this is one of the hottest).
    return this.byStepEnvCtx('visits', prep, ctx, stepId, compute);
  }

  /**
   * Whether the credential handed over at an execution step reaches the attacker. The workflow-wide
   * part matters too: least privilege decides whether a bribed agent performs an in-person hand-over.
   */
  delivers(prep: Prepared, ctx: AttackContext, stepId: string): ReturnType<typeof delivery> {
    return this.byStepEnvCtx('deliveries', prep, ctx, stepId, delivery);
  }
}

/** The active exceptions that waive a step, as a key ('' when none does). */
function waiverKey(prep: Prepared, stepId: string, exceptions: readonly string[]): string {
  return waiversAt(prep, stepId, exceptions).join(',');
}

/** The control ids a step's content names (for filters). */
export function controlsAt(prep: Prepared, stepId: string): string[] {
  return prep.wf.steps[stepId]!.controls.map((c) => getControl(c.control).id);
}
