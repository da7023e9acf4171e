// Path labels: what each move of the search graph says about the takeover paths through it, as
// values that combine along a path in any order (sets unite, statuses take the strongest, kill
// families keep their minimal members). A path's attribution is the combination of its moves'
// labels, so it can be computed for every path at once by dynamic programming (analysis/classes.ts).
import { belowHardened, getControl, type ControlDef, type ControlInstance } from '../models/index.ts';
import { agentActed, channelUnknowns, cooldownIdentity, cooldownReportUnknowns, detectorDelayHours, enrollsAttackerDevice, identityAvoidanceUnknowns, inTime, logIntact, notPerformed, ordinaryRecordIntact, passUnknowns, waiversAt, providerAgentActed, providerDeskActor, vendorReportUnknowns, visitUnknownParts, type AttackContext, type InstanceVerdict, type Prepared, type StepEvaluation } from '../scenarios/index.ts';
import { channelOpenFor } from './channels.ts';
import { ATTRIBUTABLE, Counterfactuals, DETECTION_ONLY, exceptionsIn, mayActAt, passOpen, waiverTag, type Counterfactual, type PassResult } from './counterfactuals.ts';
import { LIMITS } from './limits.ts';
import { moveKey, visitSummary, type GEdge, type GNode, type StateGraph, type TakeoverEnd } from './stateGraph.ts';

/**
 * How a control stands on a path, strongest first (docs/analysis-semantics.md, "Gap status"):
 * defeated, skipped and waived come from the path's own verdicts; the rest from presence.
 */
export const STATUS_CODE = {
  absent: 0,
  held: 1, // present where it held; the path went around it by the step's on_fail branch
  present: 2, // present at full strength, but not where it would act on this path
  procedural: 3, // present only as a procedure
  insufficient: 4, // a detector that would detect only after the attacker's objective is reached
  weakParams: 5, // present with parameters below the hardened ones
  flawed: 6, // present, but passed through a known flaw of the check
  waived: 7, // waived by an exception on this path
  skipped: 8, // skipped (a procedural control the agent left out)
  defeated: 9, // defeated by a capability (or a forged ticket field)
} as const;
export type StatusCode = (typeof STATUS_CODE)[keyof typeof STATUS_CODE];

export type GapStatus = 'absent' | 'weak' | 'not_enforced' | 'waived' | 'insufficient' | 'misplaced' | 'flawed';

/** Controls placed at workflow scope: they may change who performs a step, not only what it detects. */
const WORKFLOW_SCOPE: ReadonlySet<string> = new Set(ATTRIBUTABLE.filter((d) => d.attach.scope === 'workflow').map((d) => d.id));

/**
 * Workflow-wide controls that decide which agent identities the attacker holds and what they can do:
 * phishing-resistant authentication of agents (agent MFA, or phishing-resistant authenticators for
 * every user), the provider contract's session clause, and least privilege in the support tool. Two
 * of them can take a means away only together, neither alone changing anything: a stolen provider
 * agent password is stopped only by phishing-resistant agent authentication together with a contract
 * that secures the provider's sessions (docs/analysis-semantics.md, "Desk operators"); least
 * privilege with agent MFA on a console path opened at a desk of another operator is another.
 */
const IDENTITY_CONTROLS = ['agent.least_privilege', 'agent.mfa', 'authn.phishing_resistant', 'vendor.contract_controls'] as const;

/**
 * Pairs of controls that can take a means away only together: every pair of IDENTITY_CONTROLS. The
 * joint search tries these besides the pairs of controls that each take a means away, against an
 * attacker holding an agent identity (placing controls only ever takes identities away, and without
 * one each of these controls acts alone or not at all).
 */
export const INTERACTING: readonly (readonly [string, string])[] = IDENTITY_CONTROLS.flatMap((a, i) => IDENTITY_CONTROLS.slice(i + 1).map((b) => [a, b] as const));

/** The gap status a status code is reported as. */
export function statusName(code: number): GapStatus {
  switch (code) {
    case STATUS_CODE.defeated:
    case STATUS_CODE.weakParams:
      return 'weak';
    case STATUS_CODE.skipped:
    case STATUS_CODE.procedural:
      return 'not_enforced';
    case STATUS_CODE.waived:
      return 'waived';
    case STATUS_CODE.insufficient:
      return 'insufficient';
    case STATUS_CODE.flawed:
      return 'flawed';
    case STATUS_CODE.present:
    case STATUS_CODE.held:
      return 'misplaced';
    default:
      return 'absent';
  }
}

/** What a label keeps of its path's takeover end: the outcome, and the facts counterfactual detection needs. */
export interface EndPart {
  kind: TakeoverEnd['kind'];
  detectedBy: { control: string; delayHours: number } | null;
  /** The takeover step. */
  takeover: string;
  /** On the path as it is: a notification the user receives, a review that would fire on an intact record, an intact record, an attacker-held agent identity that acted (as a provider's agent). */
  notifies: boolean;
  review: boolean;
  intactLog: boolean;
  usedAgent: boolean;
  usedProviderAgent: boolean;
}

/** A label: interned, so equal labels are the same object and joins can be memoised by id. */
export interface Label {
  id: number;
  /** Minimal sets of controls whose joint placement closes the path (singles are the blocking controls). */
  kills: readonly (readonly string[])[];
  /** Controls that take away a means the attacker used, though another means remains. */
  contrib: readonly string[];
  /** Control -> strongest status code seen on the path. */
  status: ReadonlyMap<string, number>;
  /** Controls whose placement would turn the (undetected) takeover into a detected one (set by Attributor.finalize). */
  detects: readonly string[];
  /**
   * Detection facts a control's placement would add along the path ("control|fact": a notification
   * that fires for an enrolling or other takeover, a review candidate, an intact record, anomaly
   * rules, agent analytics, a provider's incident report); Attributor.finalize turns them into detecting and closing controls.
   */
  tokens: readonly string[];
  /** The path's outcome (set by its takeover end). */
  end: EndPart | null;
  /**
   * The unknowns of the workflow the path's takeover or outcome depends on (docs/analysis-semantics.md,
   * "Unknowns"): a channel the intake accepts only as unknown, a guard passed only through an unknown,
   * a step whose verification is unknown, a detector not performed only through an unknown, a
   * provider's incident report denied because the desk the attacker's identity acted as is of unknown
   * operator.
   */
  conds: readonly string[];
  key: string;
  /** The components' ids in the label's store (kills, detecting, end, unknowns): equal ids, equal components. */
  readonly pk: number;
  readonly pd: number;
  readonly pe: number;
  readonly pu: number;
  /** The strongest status code of a control on the path (0: absent), without building the status map. */
  statusCode(control: string): number;
  /** Scratch for the path-class DP (analysis/classes.ts): the state being built, and this label's cell there. */
  mark: number;
  slot: unknown;
}

interface LabelParts {
  kills?: readonly (readonly string[])[];
  contrib?: readonly string[];
  status?: ReadonlyMap<string, number>;
  detects?: readonly string[];
  tokens?: readonly string[];
  end?: EndPart | null;
  conds?: readonly string[];
}

/** What finalising a path label adds: its closing controls with those of detection and cooling-off, and its detecting controls. */
interface FinalParts {
  kills: readonly (readonly string[])[];
  detects: readonly string[];
  /** Unknowns the path's undetected outcome depends on besides its own: the identity left out only through them where analytics or a report would see it. */
  conds: readonly string[];
  /** Their component ids in the store that keeps them (set when kept). */
  pk?: number;
  pd?: number;
}

const setKey = (xs: readonly string[]) => xs.join('+');
const subset = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((x) => b.includes(x));

/** The same control ids in the same order (sets of ids are kept sorted). */
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Keeps the minimal sets of a family (drops duplicates and supersets), sorted by size then name. */
export function minimalFamily(family: readonly (readonly string[])[]): (readonly string[])[] {
  if (family.length <= 1) return [...family];
  // Each set's key made once (not twice per comparison of the sort).
  const byKey = new Map<string, readonly string[]>();
  for (const s of family) byKey.set(setKey(s), s);
  const sorted = [...byKey].sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: (readonly string[])[] = [];
  for (const [, s] of sorted) if (!out.some((t) => subset(t, s))) out.push(s);
  return out;
}

const union = (a: readonly string[], b: readonly string[]) => (b.length === 0 ? a : a.length === 0 ? b : [...new Set([...a, ...b])].sort());

/**
 * A memo of a join over dense ids: (x, y) -> result id (a commutative join is asked with x < y), in an
 * open-addressing hash table of typed arrays (no object, map or key string per entry, so the
 * millions of joins of a large analysis make no garbage).
 */
export class JoinTable {
  // Entries interleaved (x, y, result, unused) so a probe reads one cache line, not three arrays.
  private t: Int32Array;
  private mask: number;
  size = 0;

  // Small to start: a store has five tables, made afresh per analysis (they double as they fill).
  constructor(capacity = 64) {
    this.t = new Int32Array(4 * capacity).fill(-1);
    this.mask = capacity - 1;
  }

  private static slot(x: number, y: number, mask: number): number {
    return (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) & mask;
  }

  /** The memoised join of x < y, or -1. */
  get(x: number, y: number): number {
    const t = this.t;
    const mask = this.mask;
    for (let i = JoinTable.slot(x, y, mask); ; i = (i + 1) & mask) {
      const k = t[4 * i]!;
      if (k === -1) return -1;
      if (k === x && t[4 * i + 1] === y) return t[4 * i + 2]!;
    }
  }

  /** Empties the table, keeping its capacity (for a table reused as scratch). */
  clear(): void {
    if (this.size > 0) this.t.fill(-1);
    this.size = 0;
  }

  /** Entries the table has room for. */
  get capacity(): number {
    return this.mask + 1;
  }

  set(x: number, y: number, r: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.put(x, y, r);
    this.size++;
  }

  private put(x: number, y: number, r: number): void {
    const t = this.t;
    const mask = this.mask;
    let i = JoinTable.slot(x, y, mask);
    while (t[4 * i] !== -1) i = (i + 1) & mask;
    t[4 * i] = x;
    t[4 * i + 1] = y;
    t[4 * i + 2] = r;
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = new Int32Array(4 * cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < old.length; j += 4) if (old[j] !== -1) this.put(old[j]!, old[j + 1]!, old[j + 2]!);
  }
}

/**
 * Interns values of one component by a string key, and memoises the component's join. The join's
 * identity (the empty list, no end, no status) is interned first, as id 0: joining it changes nothing,
 * so that join is answered without a lookup (a move's label, mostly empty in some components, is
 * joined with and compared against every label after it).
 */
class Component<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string, number>();
  private readonly joins = new JoinTable();
  constructor(
    private readonly keyOf: (v: T) => string,
    private readonly joinOf: (a: T, b: T) => T,
    identity: T,
  ) {
    this.id(identity);
  }
  id(v: T): number {
    const k = this.keyOf(v);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.ids.set(k, id);
    }
    return id;
  }
  join(a: number, b: number): number {
    if (a === b) return a;
    const x = a < b ? a : b;
    const y = a < b ? b : a;
    if (x === 0) return y;
    let r = this.joins.get(x, y);
    if (r < 0) {
      r = this.id(this.joinOf(this.values[x]!, this.values[y]!));
      this.joins.set(x, y, r);
    }
    return r;
  }
}

const STATUS_INDEX = new Map<string, number>();

/** A label as the store keeps it: its status map is read at the roots only, so it is built on first read. */
class StoredLabel implements Label {
  private statusMap: Map<string, number> | null = null;
  /** Scratch for the path-class DP (analysis/classes.ts): the state being built, and this label's cell there. */
  mark = -1;
  slot: unknown = null;
  /** The next label of the store's hash bucket this label is in. */
  nextInBucket: StoredLabel | null = null;
  constructor(
    readonly id: number,
    readonly kills: readonly (readonly string[])[],
    readonly contrib: readonly string[],
    private readonly statusVector: Uint8Array,
    readonly detects: readonly string[],
    readonly tokens: readonly string[],
    readonly end: EndPart | null,
    readonly conds: readonly string[],
    // The ids of its components in the store (kills, contributing, statuses, detecting, tokens, end, unknowns).
    readonly pk: number,
    readonly pc: number,
    readonly ps: number,
    readonly pd: number,
    readonly pt: number,
    readonly pe: number,
    readonly pu: number,
  ) {}
  get key(): string {
    return `${this.pk},${this.pc},${this.ps},${this.pd},${this.pt},${this.pe},${this.pu}`;
  }
  statusCode(control: string): number {
    const i = STATUS_INDEX.get(control);
    return i === undefined || i >= this.statusVector.length ? 0 : this.statusVector[i]!;
  }
  get status(): ReadonlyMap<string, number> {
    if (this.statusMap) return this.statusMap;
    const m = new Map<string, number>();
    const sv = this.statusVector;
    for (const [control, i] of STATUS_INDEX) if (i < sv.length && sv[i]! > 0) m.set(control, sv[i]!);
    return (this.statusMap = m);
  }
}

const scenarioIds = new WeakMap<object, number>();
let scenarioCount = 0;

/** A number per scenario object (scenarios are immutable values once loaded: the same object, the same scenario). */
function scenarioId(scenario: object): number {
  let id = scenarioIds.get(scenario);
  if (id === undefined) scenarioIds.set(scenario, (id = scenarioCount++));
  return id;
}

/** Interns labels and memoises their join (component by component). */
export class LabelStore {
  // Labels by a hash of their component ids (chained through nextInBucket): interning builds no key string.
  private readonly buckets = new Map<number, StoredLabel>();
  private readonly byId: StoredLabel[] = [];
  private readonly joins = new JoinTable();
  private count = 0;
  private readonly kills = new Component<readonly (readonly string[])[]>(
    (v) => v.map(setKey).join('|'),
    (a, b) => (a.length === 0 ? b : b.length === 0 ? a : minimalFamily([...a, ...b])),
    [],
  );
  private readonly sets = new Component<readonly string[]>((v) => v.join(','), union, []);
  /** Status vectors: one code per control, in first-seen order of the controls. */
  private readonly statuses = new Component<Uint8Array>(
    // Codes are small: one character each (apply takes the typed array as it is, with no iterator).
    (v) => String.fromCharCode.apply(null, v as unknown as number[]),
    (a, b) => {
      const out = new Uint8Array(Math.max(a.length, b.length));
      for (let i = 0; i < out.length; i++) out[i] = Math.max(a[i] ?? 0, b[i] ?? 0);
      return out;
    },
    new Uint8Array(0),
  );
  private readonly ends = new Component<EndPart | null>((v) => (v ? JSON.stringify(v) : ''), (a, b) => a ?? b, null);
  readonly empty: Label;

  constructor() {
    this.empty = this.make({});
  }

  private statusVector(status: ReadonlyMap<string, number>): Uint8Array {
    // As long as the last control with a code above 0 (a view made by subarray costs more than this pass).
    let n = 0;
    for (const [c, code] of status) {
      let i = STATUS_INDEX.get(c);
      if (i === undefined) STATUS_INDEX.set(c, (i = STATUS_INDEX.size));
      if (code !== 0 && i + 1 > n) n = i + 1;
    }
    const v = new Uint8Array(n);
    for (const [c, code] of status) {
      const i = STATUS_INDEX.get(c)!;
      if (i < n) v[i] = code;
    }
    return v;
  }

  private fromParts(k: number, c: number, s: number, d: number, t: number, e: number, u: number): StoredLabel {
    let h = Math.imul(k, 0x9e3779b1) ^ c;
    h = Math.imul(h, 0x85ebca6b) ^ s;
    h = Math.imul(h, 0xc2b2ae35) ^ d;
    h = Math.imul(h, 0x27d4eb2f) ^ t;
    h = Math.imul(h, 0x165667b1) ^ e;
    h = Math.imul(h, 0x9e3779b1) ^ u;
    const first = this.buckets.get(h);
    for (let l: StoredLabel | null = first ?? null; l; l = l.nextInBucket) if (l.pk === k && l.pc === c && l.ps === s && l.pd === d && l.pt === t && l.pe === e && l.pu === u) return l;
    const l = new StoredLabel(this.count++, this.kills.values[k]!, this.sets.values[c]!, this.statuses.values[s]!, this.sets.values[d]!, this.sets.values[t]!, this.ends.values[e]!, this.sets.values[u]!, k, c, s, d, t, e, u);
    l.nextInBucket = first ?? null;
    this.buckets.set(h, l);
    this.byId.push(l);
    return l;
  }

  make(p: LabelParts): Label {
    return this.fromParts(
      this.kills.id(p.kills ?? []),
      this.sets.id(p.contrib ?? []),
      this.statuses.id(this.statusVector(p.status ?? new Map())),
      this.sets.id(p.detects ?? []),
      this.sets.id(p.tokens ?? []),
      this.ends.id(p.end ?? null),
      this.sets.id(p.conds ?? []),
    );
  }

  /**
   * The label with its kills and detecting controls replaced and its detection facts dropped, the
   * rest kept as it is (what finalising makes: no status map is rebuilt).
   */
  finalised(l: Label, parts: FinalParts): Label {
    const x = l as StoredLabel;
    // The parts' component ids are worked out once per parts object (parts are kept by this store).
    parts.pk ??= this.kills.id(parts.kills);
    parts.pd ??= this.sets.id(parts.detects);
    const pu = parts.conds.length === 0 ? x.pu : this.sets.id([...new Set([...l.conds, ...parts.conds])].sort());
    return this.fromParts(parts.pk, x.pc, x.ps, parts.pd, (this.noTokens ??= this.sets.id([])), x.pe, pu);
  }
  private noTokens: number | undefined;

  /** What finalising adds to a path label, by what it reads (Attributor.finalize); counted in the weight. */
  readonly finals = new Map<string, FinalParts>();
  /**
   * Move labels by what a move's label reads (Attributor.edgeLabel): the graph's part, the state's
   * move key, the step's content id, and the kind of move (six slots); counted in the weight. Nested
   * by the parts, which are strings kept on their objects (hashed once), not one key string per lookup.
   */
  private readonly edges = new Map<string, Map<string, Map<number, (Label | undefined)[]>>>();
  private edgeCount = 0;

  /** The slots of move labels of one graph part, state kind and step content. */
  edgeSlots(graphKey: string, moveKey: string, step: number): (Label | undefined)[] {
    let byMove = this.edges.get(graphKey);
    if (!byMove) this.edges.set(graphKey, (byMove = new Map()));
    let byStep = byMove.get(moveKey);
    if (!byStep) byMove.set(moveKey, (byStep = new Map()));
    let slots = byStep.get(step);
    if (!slots) byStep.set(step, (slots = []));
    return slots;
  }

  /** Counts a move label kept in edgeSlots. */
  keptEdge(): void {
    this.edgeCount++;
  }
  private readonly named = new Map<string, number>();

  /** A small id for a set of named controls (as a key), so move keys need not carry the list. */
  namedId(key: string): number {
    let id = this.named.get(key);
    if (id === undefined) this.named.set(key, (id = this.named.size));
    return id;
  }

  get size(): number {
    return this.count;
  }

  /** Labels and memoised joins held (what a store shared by a session is bounded by). */
  get weight(): number {
    return this.count + this.joinCount + this.finals.size + this.edgeCount;
  }

  private joinCount = 0;

  /**
   * Whether `a` adds nothing to `b` (join(a, b) is b), component by component: the components' join
   * memos are small, so this reads far less memory than the label join memo on a large analysis.
   */
  absorbs(a: Label, b: Label): boolean {
    if (a === this.empty || a === b) return true;
    const x = a as StoredLabel;
    const y = b as StoredLabel;
    return (
      (x.pk === y.pk || this.kills.join(x.pk, y.pk) === y.pk) &&
      (x.pc === y.pc || this.sets.join(x.pc, y.pc) === y.pc) &&
      (x.ps === y.ps || this.statuses.join(x.ps, y.ps) === y.ps) &&
      (x.pd === y.pd || this.sets.join(x.pd, y.pd) === y.pd) &&
      (x.pt === y.pt || this.sets.join(x.pt, y.pt) === y.pt) &&
      (x.pe === y.pe || this.ends.join(x.pe, y.pe) === y.pe) &&
      (x.pu === y.pu || this.sets.join(x.pu, y.pu) === y.pu)
    );
  }

  /** The label of a path made of two parts (commutative, associative, idempotent). */
  join(a: Label, b: Label): Label {
    if (a === this.empty) return b;
    if (b === this.empty) return a;
    if (a === b) return a;
    // Every label is the store's own (made by make or join).
    const x = (a.id < b.id ? a : b) as StoredLabel;
    const y = (a.id < b.id ? b : a) as StoredLabel;
    const hit = this.joins.get(x.id, y.id);
    if (hit >= 0) return this.byId[hit]!;
    const l = this.fromParts(this.kills.join(x.pk, y.pk), this.sets.join(x.pc, y.pc), this.statuses.join(x.ps, y.ps), this.sets.join(x.pd, y.pd), this.sets.join(x.pt, y.pt), this.ends.join(x.pe, y.pe), this.sets.join(x.pu, y.pu));
    this.joins.set(x.id, y.id, l.id);
    this.joinCount++;
    return l;
  }

}

/**
 * Whether `after` takes away a means a guard had in `before` (same guard key; only the guards of
 * `control` when given). A guard that disappears loses nothing: it no longer has to be passed.
 */
function removesMeans(before: StepEvaluation, after: StepEvaluation, control?: string): boolean {
  // A step has a few verdicts of a few means each: plain scans, no map, set or key string per call.
  for (const v of before.verdicts) {
    if (control !== undefined && v.control !== control) continue;
    if (v.means.length === 0) continue;
    // The last verdict of the key, as a map from key to verdict would keep.
    let a: InstanceVerdict | undefined;
    for (const x of after.verdicts) if (x.key === v.key) a = x;
    if (!a) continue;
    for (const m of v.means) if (!a.means.some((n) => sameMeans(m, n))) return true;
  }
  return false;
}

/** Whether two means are the same way past a guard: the same rule, and for a waiver the same exception. */
export function sameMeans(m: InstanceVerdict['means'][number], n: InstanceVerdict['means'][number]): boolean {
  return m.rule === n.rule && (m.kind === 'waived' ? m.exception : '') === (n.kind === 'waived' ? n.exception : '');
}

/** The parameters an instance sets below the catalogue's hardened values (belowHardened: a value beyond the hardened one is not below). */
export function weakParams(def: ControlDef, inst: ControlInstance): string[] {
  return Object.entries(def.params)
    .filter(([k, spec]) => belowHardened(spec, inst.params[k]))
    .map(([k]) => k);
}

/**
 * The status code of an instance judged by presence alone: its parameters, a detection slower than
 * the attacker's objective, its enforcement.
 */
export function presenceCode(inst: ControlInstance, ctx: AttackContext): number {
  const def = getControl(inst.control);
  if (inst.flaw) return STATUS_CODE.flawed;
  if (weakParams(def, inst).length > 0) return STATUS_CODE.weakParams;
  // A procedure first: a detector left to a procedure may not be performed at all, which says more
  // than how late it would be.
  if (inst.enforcement === 'procedural') return STATUS_CODE.procedural;
  const delay = detectorDelayHours(inst);
  if (delay !== null && !inTime(ctx, delay)) return STATUS_CODE.insufficient;
  return STATUS_CODE.present;
}

/**
 * A control's code at a step the path visits after the takeover: a detector or the log acts there as
 * anywhere the path goes (its presence), any other control cannot stop a takeover that has happened —
 * misplaced on the path whatever its parameters or enforcement (docs/analysis-semantics.md, Gap status).
 */
function afterTakeoverCode(inst: ControlInstance, ctx: AttackContext): number {
  return DETECTION_ONLY.has(inst.control) ? presenceCode(inst, ctx) : STATUS_CODE.held;
}

/**
 * A control's code at a step the path visits, judged without a verdict: a detector, log, review or
 * revocation the step's agent leaves out there (a procedure and a deviation: pressure, an identity
 * the attacker holds, a provider's desk) is skipped, which says more than its parameters or how late
 * it would be (docs/analysis-semantics.md, Gap status, item 2); otherwise its presence, before the
 * takeover or after it.
 */
export function visitCode(prep: Prepared, ctx: AttackContext, stepId: string, inst: ControlInstance, pre: boolean): number {
  if (inst.enforcement === 'procedural' && DETECTION_ONLY.has(inst.control) && notPerformed(prep, ctx, stepId, inst) !== null) return STATUS_CODE.skipped;
  return pre ? presenceCode(inst, ctx) : afterTakeoverCode(inst, ctx);
}

/** The status code a guard verdict gives its control on a path that passed the step. */
export function verdictCode(v: InstanceVerdict, inst: ControlInstance | undefined, ctx: AttackContext): number {
  let code = 0;
  for (const m of v.means) {
    const c =
      m.kind === 'defeated' && m.rule.startsWith('flaw.')
        ? STATUS_CODE.flawed
        : m.kind === 'defeated' || m.kind === 'forged_ticket_field'
          ? STATUS_CODE.defeated
          : m.kind === 'skipped'
            ? STATUS_CODE.skipped
            : STATUS_CODE.waived;
    if (c > code) code = c;
  }
  return code > 0 ? code : inst ? presenceCode(inst, ctx) : STATUS_CODE.present;
}

/**
 * Computes the labels of one state graph's moves, ends and roots against the counterfactual
 * workflows (each memoised: many states share a step, channel and exceptions).
 */
/** Whether a workflow-wide detector of a (counterfactual) workflow is in force and would detect before the attacker's objective. */
function detectorTimely(p: Prepared, ctx: AttackContext, control: string): boolean {
  const inst = p.workflowScope.get(control);
  const delay = inst ? detectorDelayHours(inst) : null;
  return delay !== null && inTime(ctx, delay);
}

/**
 * What a pass move before the takeover says about placing each control: the sets that close it, the
 * controls that take a means away, and (tokens "c|usedAgent", "c|usedProviderAgent") the controls
 * that leave the attacker's agent identity as the only means of passing some guard here, so that
 * the identity now has to act (as a provider's agent, at an outsourced desk's step).
 */
interface PassParts {
  kills: (readonly string[])[];
  contrib: string[];
  tokens: string[];
}

/** Whether an exception in force in this workflow (a standing one lapses once it has an expiry) bypasses the step. */
export function waivedAt(prep: Prepared, stepId: string, exceptions: GNode['exceptions']): boolean {
  return exceptions.length > 0 && waiversAt(prep, stepId, exceptionsIn(prep, exceptions)).length > 0;
}

export class Attributor {
  // Memos made on first use: a scenario the workflow does not serve never uses them, and every
  // analysis makes an attributor per scenario.
  private edgeMemoMap: Map<string, Label[]> | null = null;
  private byEdgeList: (Label | undefined)[] | null = null;
  private rootLabelMap: Map<number, Label> | null = null;
  private passMemoMap: Map<string, PassParts> | null = null;
  private tokenMemoMap: Map<string, string[]> | null = null;
  private rootMemoMap: Map<number, (readonly string[])[]> | null = null;
  private finalMemoMap: Map<number, Label> | null = null;
  private get edgeMemo(): Map<string, Label[]> {
    return (this.edgeMemoMap ??= new Map());
  }
  private get byEdge(): (Label | undefined)[] {
    return (this.byEdgeList ??= []);
  }
  private get rootLabels(): Map<number, Label> {
    return (this.rootLabelMap ??= new Map());
  }
  private get passMemo(): Map<string, PassParts> {
    return (this.passMemoMap ??= new Map());
  }
  private get tokenMemo(): Map<string, string[]> {
    return (this.tokenMemoMap ??= new Map());
  }
  private get rootMemo(): Map<number, (readonly string[])[]> {
    return (this.rootMemoMap ??= new Map());
  }
  private get finalMemo(): Map<number, Label> {
    return (this.finalMemoMap ??= new Map());
  }
  private named: Set<string> | null = null;

  constructor(
    readonly g: StateGraph,
    readonly cfs: Counterfactuals,
    readonly store: LabelStore,
    /** False: outcomes only (no blocking, detecting or status labels), for a quick first answer. */
    readonly attribute = true,
  ) {}

  private cf(controls: readonly string[]): Counterfactual {
    return this.cfs.of(controls);
  }

  // Per attributable control (by its place in ATTRIBUTABLE): the scenario's attacker in its
  // counterfactual, asked for at every move, state and step (an array read, not key lookups). The
  // counterfactual itself is the analysis's (Counterfactuals.single): not kept here, so a result's
  // lazy parts do not hold the counterfactual workflows once the analysis lets them go.
  private singleCtxs: (AttackContext | undefined)[] = [];
  /** The same for sets of two or three controls (by their key, "a+b"). */
  private readonly setCtxs = new Map<string, AttackContext>();

  /** The scenario's attacker in the counterfactual with the i-th attributable control placed. */
  private singleCtx(i: number): AttackContext {
    return (this.singleCtxs[i] ??= this.cfs.ctx(this.cfs.single(i), this.g.scenario));
  }

  /** Whether a workflow-wide detector of this graph's workflow is in force and in time. */
  private detectorInTime(control: string): boolean {
    return detectorTimely(this.g.prep, this.g.ctx, control);
  }

  /**
   * Controls some label of this graph can name (blocking, joint, detecting or contributing): only
   * their statuses can ever be reported, so only theirs are carried along paths (fewer labels).
   */
  namedControls(): ReadonlySet<string> {
    if (this.named) return this.named;
    const named = new Set<string>(['cooldown.delay']);
    const g = this.g;
    for (const e of g.edges) {
      if (!e.pre || e.via !== 'pass' || !e.ev) continue;
      const { kills, contrib, tokens } = this.passLabel(g.nodes[e.from]!, e.ev.verdicts);
      for (const k of kills) for (const c of k) named.add(c);
      for (const c of contrib) named.add(c);
      for (const t of tokens) named.add(t.slice(0, t.indexOf('|')));
      // (Avoidance tokens, "~avoid|u", are added by the move's label, not here, and name no control.)
    }
    const steps = new Set(g.nodes.map((n) => n.step));
    for (const step of steps) for (const t of this.visitTokens(step)) for (const c of t.slice(0, t.indexOf('|')).split('+')) named.add(c);
    for (const t of this.rootTokens()) named.add(t.slice(0, t.indexOf('|')));
    for (const r of g.roots) for (const k of this.rootKills(g.nodes[r]!)) for (const c of k) named.add(c);
    this.named = named;
    return named;
  }

  private namedText: string | null = null;

  /** The controls this graph can name, as a key. */
  private namedKey(): string {
    return (this.namedText ??= [...this.namedControls()].sort().join(','));
  }

  private bump(m: Map<string, number>, control: string, code: number): void {
    if (!this.namedControls().has(control)) return;
    if ((m.get(control) ?? 0) < code) m.set(control, code);
  }

  /** The label of one move (it carries the visit of the step the move leaves). */
  edgeLabel(e: GEdge): Label {
    if (!this.attribute) return this.store.empty;
    const known = this.byEdge[e.id];
    if (known) return known;
    const from = this.g.nodes[e.from]!;
    // Per state kind (its moveKey string, kept on the node) a slot per kind of move: no key string per move.
    const mk = moveKey(from);
    let row = this.edgeMemo.get(mk);
    if (!row) this.edgeMemo.set(mk, (row = []));
    const slot = (e.via === 'pass' ? 0 : e.via === 'fail' ? 2 : 4) + (e.pre ? 1 : 0);
    let l = row[slot];
    if (!l) {
      // A move's label reads the step's content, the workflow-wide part, the attacker, the channel and
      // exceptions, the controls this graph can name, and (through its counterfactual attackers) the
      // scenario: in the store's memo under those, shared by a session's analyses (as finalize).
      // The graph's part first: working out the named controls may start the cache again, renumbering its ids.
      const gk = this.graphKey();
      const shared = this.store.edgeSlots(gk, mk, this.cfs.cache.stepId(this.g.prep, from.step));
      l = shared[slot];
      if (!l) {
        l = shared[slot] = this.computeEdge(e, from);
        this.store.keptEdge();
      }
      row[slot] = l;
    }
    this.byEdge[e.id] = l;
    return l;
  }

  private graphKeyText: string | null = null;
  private graphKeyGeneration = -1;

  /**
   * What every move label of this graph reads besides the move: the workflow-wide part, the attacker,
   * the controls the graph can name (by an id in the store) and the scenario, under the cache's
   * current generation (its ids are valid within one).
   */
  private graphKey(): string {
    const c = this.cfs.cache;
    // The named controls first: working them out may start the cache again, renumbering its ids.
    const named = this.store.namedId(this.namedKey());
    if (this.graphKeyText === null || this.graphKeyGeneration !== c.generation) {
      const { prep, ctx, scenario } = this.g;
      this.graphKeyText = `${c.envKey(prep)}|${c.ctxKey(ctx)}|n${named}|${scenarioId(scenario)}|${c.generation}`;
      this.graphKeyGeneration = c.generation;
    }
    return this.graphKeyText;
  }

  private computeEdge(e: GEdge, from: GNode): Label {
    const prep = this.g.prep;
    const at = prep.byStep.get(from.step);
    const status = new Map<string, number>();
    const { always: visited, late } = this.visitConds(from.step);
    const tokens = late.length === 0 ? this.visitTokens(from.step) : [...this.visitTokens(from.step), ...late].sort();
    if (e.via === 'route' || !e.pre || !e.ev) {
      for (const inst of at?.values() ?? []) this.bump(status, inst.control, visitCode(prep, this.g.ctx, from.step, inst, e.pre));
      return this.store.make({ status, tokens, conds: visited });
    }
    const byKey = new Map<string, InstanceVerdict>(e.ev.verdicts.map((v) => [v.key, v]));
    for (const v of e.ev.verdicts) {
      const inst = at?.get(v.control);
      // A path that leaves the step by its on_fail branch goes around every guard there, whether the
      // guard held or the attacker could have passed it: hardening, enforcing or fixing it there would
      // not close the path, so its strength there is not the path's gap (misplaced, as a guard that held).
      this.bump(status, v.control, e.via === 'fail' ? STATUS_CODE.held : verdictCode(v, inst, this.g.ctx));
    }
    for (const inst of at?.values() ?? []) if (!byKey.has(inst.key)) this.bump(status, inst.control, visitCode(prep, this.g.ctx, from.step, inst, true));
    if (e.via === 'fail') return this.store.make({ status, tokens, conds: visited });
    const pass = this.passLabel(from, e.ev.verdicts);
    const conds = [...new Set([...visited, ...passUnknowns(prep, this.g.ctx, from.step, from.channel, e.ev.verdicts, from.exceptions.map((x) => x.id)), ...vendorReportUnknowns(prep, this.g.ctx, from.step, e.ev.verdicts, from.channel)])].sort();
    // Where the identity is left out here only through unknowns: tokens "~avoid|u" (and "~avoidP|u"
    // at a provider's desk) that finalize turns into unknowns of an undetected outcome.
    const insiderOn = this.detectorInTime('agent.insider_controls');
    const reportOn = this.detectorInTime('vendor.contract_controls') && providerDeskActor(prep, from.step);
    const avoid = insiderOn || reportOn ? identityAvoidanceUnknowns(e.ev.verdicts) : [];
    const avoidTokens = avoid.length === 0 ? [] : [...(insiderOn ? avoid.map((u) => `~avoid|${u}`) : []), ...(reportOn ? avoid.map((u) => `~avoidP|${u}`) : [])];
    const all = pass.tokens.length === 0 && avoidTokens.length === 0 ? tokens : [...tokens, ...pass.tokens, ...avoidTokens].sort();
    return this.store.make({ status, kills: pass.kills, contrib: pass.contrib, tokens: all, conds });
  }

  /**
   * What placing each control would add to detection at a visited step: a notification that would
   * now fire (for an enrolling or other takeover), a review that would fire on an intact record, an
   * intact record — compared with the step as it is (placing a control never takes detection away).
   */
  /**
   * What visiting a step makes the path depend on (visitUnknownParts): unknowns whatever the outcome,
   * and tokens "~late|h|u" for an unknown that would only detect after h hours, which finalize turns
   * into an unknown of an undetected outcome or of one detected no sooner.
   */
  private visitConds(stepId: string): { always: string[]; late: string[] } {
    let v = this.condMemo.get(stepId);
    if (!v) {
      const parts = visitUnknownParts(this.g.prep, this.g.ctx, stepId);
      this.condMemo.set(stepId, (v = { always: parts.always, late: parts.detection.flatMap((d) => d.unknowns.map((u) => `~late|${d.hours}|${u}`)) }));
    }
    return v;
  }
  private readonly condMemo = new Map<string, { always: string[]; late: string[] }>();

  private visitTokens(stepId: string): string[] {
    let t = this.tokenMemo.get(stepId);
    if (t) return t;
    const { prep, ctx } = this.g;
    t = this.cfs.cache.get('tokens', `${this.cfs.cache.stepKey(prep, stepId)}|${this.cfs.cache.envKey(prep)}|${this.cfs.cache.ctxKey(ctx)}`, () => this.computeTokens(stepId));
    this.tokenMemo.set(stepId, t);
    return t;
  }

  private computeTokens(stepId: string): string[] {
    const { prep, scenario, ctx } = this.g;
    const base = this.cfs.cache.visit(prep, ctx, stepId, visitSummary);
    const kind = prep.wf.steps[stepId]!.kind;
    const watched = prep.byStep.get(stepId);
    const hasDetection = !!watched && (watched.has('notify.out_of_band') || watched.has('review.post_event') || watched.has('log.immutable'));
    const t: string[] = [];
    for (let i = 0; i < ATTRIBUTABLE.length; i++) {
      const def = ATTRIBUTABLE[i]!;
      // Detection at a step changes only by placing a detector or the log there, or by a
      // workflow-wide control that changes who performs the step's own detectors and log.
      const places = def.attach.scope === 'step' && def.attach.kinds.includes(kind) && (def.role === 'detector' || def.id === 'log.immutable');
      if (!places && !(def.attach.scope === 'workflow' && hasDetection)) continue;
      const cf = this.cfs.single(i);
      if (cf.unchanged) continue;
      const v = this.cfs.cache.visit(cf.prep, this.singleCtx(i), stepId, visitSummary);
      if (v.notifyIfEnroll && !base.notifyIfEnroll) t.push(`${def.id}|notifyIfEnroll`);
      if (v.notifyOtherwise && !base.notifyOtherwise) t.push(`${def.id}|notifyOtherwise`);
      if (v.review && !base.review) t.push(`${def.id}|review`);
      if (v.intactLog && !base.intactLog) t.push(`${def.id}|intactLog`);
    }
    // A pair of the controls that decide the attacker's agent identities may together change who
    // performs the step's notification when neither alone does (each leaves the attacker an identity
    // the other takes away). Only a notification is looked for: with a cooling-off at the takeover it
    // lets the user stop the reset (finalize); detection is credited to single controls only.
    if (ctx.agentIdentities > 0 && watched?.has('notify.out_of_band')) {
      for (const [a, b] of INTERACTING) {
        const cf = this.cf([a, b]);
        if (cf.unchanged) continue;
        const v = this.cfs.cache.visit(cf.prep, this.cfs.ctx(cf, scenario), stepId, visitSummary);
        for (const fact of ['notifyIfEnroll', 'notifyOtherwise'] as const) {
          if (v[fact] && !base[fact] && !t.includes(`${a}|${fact}`) && !t.includes(`${b}|${fact}`)) t.push(`${[a, b].sort().join('+')}|${fact}`);
        }
      }
    }
    return t.sort();
  }

  /** Detection a control would add at workflow scope: an intact central record, anomaly rules, agent analytics, a provider's incident report. */
  private rootTokens(): string[] {
    const key = '#root';
    let t = this.tokenMemo.get(key);
    if (t) return t;
    const { prep, ctx } = this.g;
    const c = this.cfs.cache;
    t = c.get('rootTokens', `${c.envKey(prep)}|${c.ctxKey(ctx)}`, () => this.computeRootTokens());
    this.tokenMemo.set(key, t);
    return t;
  }

  private computeRootTokens(): string[] {
    const { prep, scenario, ctx } = this.g;
    // The record a review reads from the start of the request: the ticket's, unless the attacker can
    // alter it (a control that takes its means away makes it intact), or a workflow-wide log.
    const logIn = (p: Prepared, c: AttackContext) => {
      const w = p.workflowScope.get('log.immutable');
      return ordinaryRecordIntact(p, c) || (!!w && logIntact(p, c, w, null));
    };
    const t: string[] = [];
    for (let i = 0; i < ATTRIBUTABLE.length; i++) {
      const def = ATTRIBUTABLE[i]!;
      if (def.attach.scope !== 'workflow') continue;
      const cf = this.cfs.single(i);
      const c = this.singleCtx(i);
      if (logIn(cf.prep, c) && !logIn(prep, ctx)) t.push(`${def.id}|intactLog`);
      // A workflow-wide detector the control adds, or makes fast enough for the attacker's objective.
      const timely = (p: Prepared, control: string) => detectorTimely(p, ctx, control);
      if (timely(cf.prep, 'detect.reset_anomaly') && !timely(prep, 'detect.reset_anomaly')) t.push(`${def.id}|anomaly`);
      if (timely(cf.prep, 'agent.insider_controls') && !timely(prep, 'agent.insider_controls')) t.push(`${def.id}|insider`);
      // The provider's report covers the same identities in the counterfactual only if the contract
      // leaves them to the attacker: one that secures the provider's sessions takes away a stolen
      // provider password that was the attacker's only identity (the path then closes, or goes on
      // without any identity acting).
      if (timely(cf.prep, 'vendor.contract_controls') && !timely(prep, 'vendor.contract_controls') && (!ctx.providerOnly || c.providerOnly)) t.push(`${def.id}|vendorReport`);
    }
    return t.sort();
  }

  private passLabel(from: GNode, verdicts: readonly InstanceVerdict[]): PassParts {
    const memoKey = moveKey(from);
    const hit = this.passMemo.get(memoKey);
    if (hit) return hit;
    const { prep, ctx } = this.g;
    // The same step content, workflow-wide part and attacker give the same answer in any analysis,
    // at any step: the answer is control ids, and a step's id and name only name its verdicts and
    // reasons (analysis/cache.ts, shapeSig). Which active exceptions waive this step is keyed with
    // them (the waivers are read by id).
    const waived = waiverTag(prep, from);
    const out = this.cfs.cache.get('pass', `${this.cfs.cache.shapeKey(prep, from.step)}|${this.cfs.cache.envKey(prep)}|${this.cfs.cache.ctxKey(ctx)}|${memoKey.slice(from.step.length + 1)}|${waived}`, () => this.computePass(from, verdicts));
    this.passMemo.set(memoKey, out);
    return out;
  }

  private computePass(from: GNode, verdicts: readonly InstanceVerdict[]): PassParts {
    const { prep, scenario } = this.g;
    const hasStanding = from.exceptions.some((x) => x.how === 'standing');
    const kills: (readonly string[])[] = [];
    // The move in the counterfactual with a set of two or three controls (sorted) placed, once per set
    // here (a set is asked whether it closes the move, then how it changes the move).
    const tried = new Map<string, PassResult>();
    const evalIn = (set: readonly string[]) => {
      const k = set.join('+');
      let r = tried.get(k);
      if (r === undefined) {
        const cf = this.cfs.of(set, k);
        let ctx = this.setCtxs.get(k);
        if (ctx === undefined) this.setCtxs.set(k, (ctx = this.cfs.ctx(cf, scenario)));
        tried.set(k, (r = passOpen(this.cfs.cache, cf.prep, ctx, from.step, from.channel, from.exceptions)));
      }
      return r;
    };
    // Every control that can act here, alone: those that close the move, and how the others change it.
    const relevant: string[] = [];
    const single = new Map<string, StepEvaluation>();
    for (let i = 0; i < ATTRIBUTABLE.length; i++) {
      const def = ATTRIBUTABLE[i]!;
      if (!mayActAt(def, prep, from.step, hasStanding)) continue;
      const cf = this.cfs.single(i);
      if (cf.unchanged) continue;
      const r = passOpen(this.cfs.cache, cf.prep, this.singleCtx(i), from.step, from.channel, from.exceptions);
      if (!r.open) kills.push([def.id]);
      else {
        relevant.push(def.id);
        single.set(def.id, r.ev);
      }
    }
    const base = { verdicts } as StepEvaluation;
    // Contributing: takes away a means the attacker used here, though the move stays open. An
    // exception in force that bypasses a step of unknown verification waives its unlisted check (no
    // verdict records that means): a control that ends the waiver here (an expiry on a standing
    // exception) takes it away, and the unknown check, resolved for the attacker, keeps the move open.
    const waivedUnknown = prep.wf.steps[from.step]!.verificationUnknown === true && waivedAt(prep, from.step, from.exceptions);
    const contrib = relevant.filter((c) => removesMeans(base, single.get(c)!) || (waivedUnknown && !waivedAt(this.cfs.of([c]).prep, from.step, from.exceptions)));
    // Own-guard: the control's own (placed or hardened) guard here is passed only by some means —
    // a waiver, a defeat, a forged field — that other controls might take away.
    const ownGuard = relevant.filter((c) => single.get(c)!.verdicts.some((v) => v.control === c && v.means.length > 0));
    // Joint closes: controls that together leave some guard here without a means. Either each takes
    // a means away from a guard already here, or one places its own guard and the others take away
    // the means that guard would be passed by.
    const closes = (set: string[]) => !evalIn(set).open;
    const pairs: (readonly string[])[] = [];
    const helpers = new Map<string, string[]>();
    const pairOf = (a: string, b: string) => (a < b ? [a, b] : [b, a]);
    for (let i = 0; i < contrib.length; i++) for (let j = i + 1; j < contrib.length; j++) if (closes(pairOf(contrib[i]!, contrib[j]!))) pairs.push(pairOf(contrib[i]!, contrib[j]!));
    for (const a of ownGuard) {
      const help: string[] = [];
      for (const b of relevant) {
        if (b === a) continue;
        const set = pairOf(a, b);
        if (closes(set)) {
          if (!pairs.some((p) => sameList(p, set))) pairs.push(set);
          continue;
        }
        if (removesMeans(single.get(a)!, evalIn(set).ev, a)) help.push(b);
      }
      helpers.set(a, help);
    }
    // Controls that take a means away only together (neither alone changes anything here).
    // Only an attacker holding an agent identity has a means these pairs can take away together.
    const together = this.g.ctx.agentIdentities > 0 ? INTERACTING.filter(([a, b]) => relevant.includes(a) && relevant.includes(b)) : [];
    for (const [a, b] of together) {
      const set = pairOf(a, b);
      if (!pairs.some((p) => sameList(p, set)) && closes(set)) pairs.push(set);
    }
    const triples: (readonly string[])[] = [];
    if (LIMITS.jointSize >= 3) {
      const tryTriple = (x: string, y: string, z: string) => {
        const set = [x, y, z].sort();
        if (triples.some((t) => sameList(t, set)) || pairs.some((p) => subset(p, set))) return;
        if (closes(set)) triples.push(set);
      };
      for (let i = 0; i < contrib.length; i++) for (let j = i + 1; j < contrib.length; j++) for (let k = j + 1; k < contrib.length; k++) tryTriple(contrib[i]!, contrib[j]!, contrib[k]!);
      for (const [a, help] of helpers) for (let i = 0; i < help.length; i++) for (let j = i + 1; j < help.length; j++) tryTriple(a, help[i]!, help[j]!);
      for (const [a, b] of together) for (const c of contrib) if (c !== a && c !== b) tryTriple(a, b, c);
    }
    // The controls that leave the attacker's identity as the only means of passing some guard here
    // (taking the other means away): with them the identity has to act, which insider analytics and
    // a provider's incident report see (scenarios/evaluate.ts, agentActed). Placing a control only
    // takes means away, so an identity that had to act still has to.
    // Only where something would see the identity: analytics or a provider's report in force and in
    // time (or the control itself that brings them along).
    const tokens: string[] = [];
    const insiderOn = this.detectorInTime('agent.insider_controls');
    const reportOn = this.detectorInTime('vendor.contract_controls');
    const acted = agentActed(verdicts);
    const providerActed = providerAgentActed(prep, from.step, verdicts);
    for (const c of relevant) {
      const ev = single.get(c)!;
      if ((insiderOn || c === 'agent.insider_controls') && !acted && agentActed(ev.verdicts)) tokens.push(`${c}|usedAgent`);
      if ((reportOn || c === 'vendor.contract_controls') && !providerActed && providerAgentActed(prep, from.step, ev.verdicts)) tokens.push(`${c}|usedProviderAgent`);
    }
    return { kills: minimalFamily([...kills, ...pairs, ...triples]), contrib: contrib.sort(), tokens: tokens.sort() };
  }

  /** The label of a takeover end: its outcome and what counterfactual detection needs, and the end step's visit. */
  endLabel(n: GNode): Label {
    const end = n.end!;
    const s = n.summary;
    const endPart: EndPart = {
      kind: end.kind,
      detectedBy: end.detectedBy ? { control: end.detectedBy.control, delayHours: end.detectedBy.delayHours } : null,
      takeover: n.takeover!,
      notifies: end.notifyHours !== null,
      review: s.review !== null,
      intactLog: s.intactLog,
      usedAgent: end.usedAgent,
      usedProviderAgent: end.usedProviderAgent,
    };
    if (!this.attribute) return this.store.make({ end: { ...endPart, takeover: '', notifies: false, review: false, intactLog: false, usedAgent: false, usedProviderAgent: false } });
    const status = new Map<string, number>();
    for (const inst of this.g.prep.byStep.get(n.step)?.values() ?? []) this.bump(status, inst.control, afterTakeoverCode(inst, this.g.ctx));
    // The cooling-off of the takeover step: the unknowns the identity was left out of it through
    // (as "~avoid" tokens, like a move's), and a provider's report of an identity that had to act at a
    // desk of unknown operator.
    const { always: visited, late } = this.visitConds(n.step);
    const visits = late.length === 0 ? this.visitTokens(n.step) : [...this.visitTokens(n.step), ...late].sort();
    const avoid = end.cooldownAvoid;
    const insiderOn = avoid.length > 0 && this.detectorInTime('agent.insider_controls');
    const reportOn = avoid.length > 0 && this.detectorInTime('vendor.contract_controls') && providerDeskActor(this.g.prep, n.takeover!);
    const tokens = !insiderOn && !reportOn ? visits : [...visits, ...(insiderOn ? avoid.map((u) => `~avoid|${u}`) : []), ...(reportOn ? avoid.map((u) => `~avoidP|${u}`) : [])].sort();
    const report = cooldownReportUnknowns(this.g.prep, this.g.ctx, n.takeover!, end.cooldownActed);
    return this.store.make({ status, tokens, end: endPart, conds: report.length === 0 ? visited : [...new Set([...visited, ...report])].sort() });
  }

  /** The label of a root: controls that would close the channel, workflow-scope detection, presence at workflow and exception scope. */
  rootLabel(n: GNode): Label {
    if (!this.attribute) return this.store.empty;
    const known = this.rootLabels.get(n.id);
    if (known) return known;
    const { prep } = this.g;
    const status = new Map<string, number>();
    for (const inst of prep.workflowScope.values()) this.bump(status, inst.control, presenceCode(inst, this.g.ctx));
    for (const m of prep.byException.values()) for (const inst of m.values()) this.bump(status, inst.control, presenceCode(inst, this.g.ctx));
    const conds = [...new Set([...channelUnknowns(prep, n.channel), ...vendorReportUnknowns(prep, this.g.ctx, null, [], n.channel)])].sort();
    const l = this.store.make({ status, kills: this.rootKills(n), tokens: this.rootTokens(), conds });
    this.rootLabels.set(n.id, l);
    return l;
  }

  /** Controls whose placement would stop the attacker opening a request on this root's channel. */
  private rootKills(n: GNode): (readonly string[])[] {
    const memo = this.rootMemo.get(n.id);
    if (memo) return memo;
    const { prep, ctx, scenario } = this.g;
    const c = this.cfs.cache;
    const kills = c.get('rootKills', `${c.envKey(prep)}|${c.stepKey(prep, prep.wf.start)}|${c.ctxKey(ctx)}|${n.channel}`, () => {
      const out: (readonly string[])[] = [];
      for (let i = 0; i < ATTRIBUTABLE.length; i++) {
        const def = ATTRIBUTABLE[i]!;
        // Only the intake and the attacker's agent identities decide a channel; only workflow-wide
        // controls or those placed at the intake can change them.
        if (def.attach.scope === 'exception') continue;
        if (def.attach.scope === 'step' && !def.attach.kinds.includes(prep.wf.steps[prep.wf.start]!.kind)) continue;
        const cf = this.cfs.single(i);
        if (cf.unchanged) continue;
        if (!channelOpenFor(cf.prep, this.singleCtx(i), n.channel).open) out.push([def.id]);
      }
      for (const [a, b] of ctx.agentIdentities > 0 ? INTERACTING : []) {
        if (out.some((k) => k[0] === a || k[0] === b)) continue;
        const cf = this.cf([a, b]);
        if (!channelOpenFor(cf.prep, this.cfs.ctx(cf, scenario), n.channel).open) out.push([a, b].sort());
      }
      return out;
    });
    this.rootMemo.set(n.id, kills);
    return kills;
  }

  /**
   * A whole path's label made final: with each control's detection facts, which controls would make
   * the takeover detected, and which would let a notified user stop it with a cooling-off (alone, or
   * a cooling-off together with the control that makes the notification reach the user).
   */
  finalize(l: Label): Label {
    if (!this.attribute || !l.end) return l;
    const hit = this.finalMemo.get(l.id);
    if (hit) return hit;
    // What finalising adds (closing and detecting controls) reads only the label's kills, detection
    // facts and end — many labels of a graph differ only in statuses, contributing controls or
    // unknowns — and the takeover step's content, the workflow-wide part, the attacker and the
    // scenario (for the counterfactuals' attackers): in the store's memo under those, so analyses
    // sharing a store (a session's) share it. Component ids are the store's, so the memo goes with it.
    const sl = l as StoredLabel;
    const c = this.cfs.cache;
    const { prep, ctx, scenario } = this.g;
    // The cache's ids are renumbered when it starts again (its generation).
    const key = `${sl.pk},${sl.pt},${sl.pe}|${c.stepKey(prep, l.end.takeover)}|${c.envKey(prep)}|${c.ctxKey(ctx)}|${scenarioId(scenario)}|${c.generation}`;
    let parts = this.store.finals.get(key);
    if (!parts) {
      parts = this.computeFinal(l);
      this.store.finals.set(key, parts);
    }
    const out = this.store.finalised(l, parts);
    this.finalMemo.set(l.id, out);
    return out;
  }

  private computeFinal(l: Label): FinalParts {
    const { prep, scenario, ctx } = this.g;
    const end = l.end!;
    const T = end.takeover;
    const enroll = enrollsAttackerDevice(prep.wf.steps[T]!);
    const notifyHours = getControl('notify.out_of_band').detectionDelayHours!;
    // What placing each control alone would add to detection on the path, and (pairFacts) what a pair
    // of identity controls adds only together ("a+b").
    const facts = new Map<string, Set<string>>();
    const pairFacts = new Map<string, Set<string>>();
    const avoided = { insider: new Set<string>(), provider: new Set<string>() };
    const late: { hours: number; unknown: string }[] = [];
    for (const t of l.tokens) {
      const i = t.indexOf('|');
      const c = t.slice(0, i);
      if (c === '~avoid' || c === '~avoidP') {
        (c === '~avoid' ? avoided.insider : avoided.provider).add(t.slice(i + 1));
        continue;
      }
      if (c === '~late') {
        const j = t.indexOf('|', i + 1);
        late.push({ hours: Number(t.slice(i + 1, j)), unknown: t.slice(j + 1) });
        continue;
      }
      const into = c.includes('+') ? pairFacts : facts;
      (into.get(c) ?? into.set(c, new Set()).get(c)!).add(t.slice(i + 1));
    }
    const singles = new Set(l.kills.filter((k) => k.length === 1).map((k) => k[0]!));
    const kills: (readonly string[])[] = [...l.kills];
    const detects: string[] = [];
    const notifiesWith = (f: Set<string> | undefined) => end.notifies || !!f?.has(enroll ? 'notifyIfEnroll' : 'notifyOtherwise');
    const blocksIn = (set: readonly string[], notifies: boolean) => {
      if (!notifies) return false;
      const cf = this.cf(set);
      return !!this.cfs.cache.cooldown(cf.prep, this.cfs.ctx(cf, scenario), T, notifyHours);
    };
    const undetected = end.kind === 'takeover_undetected';
    // A detector counts only if it detects before the attacker's objective.
    const timely = (p: Prepared, control: string) => detectorTimely(p, ctx, control);
    const anomalyHere = timely(prep, 'detect.reset_anomaly');
    const insiderHere = timely(prep, 'agent.insider_controls');
    const vendorHere = timely(prep, 'vendor.contract_controls');
    const notifyInTime = inTime(ctx, notifyHours);
    // Candidates: the controls that add detection facts, the cooling-off itself, and — when the
    // takeover step has a cooling-off of its own — the workflow-wide controls that decide whether the
    // desk performs it (an outsourced desk's contract, agent MFA, least privilege).
    const enablers = ['cooldown.delay'];
    if (prep.byStep.get(T)?.has('cooldown.delay')) for (const def of ATTRIBUTABLE) if (def.attach.scope === 'workflow') enablers.push(def.id);
    const candidates = new Set([...facts.keys(), ...enablers]);
    for (const c of candidates) {
      if (singles.has(c)) continue;
      const f = facts.get(c);
      const notifies = notifiesWith(f);
      if (blocksIn([c], notifies)) {
        kills.push([c]);
        continue;
      }
      if (!undetected) continue;
      const cf = this.cf([c]);
      // With c placed, the identity may have to act at the cooling-off (c takes the desk's other way
      // of leaving it out away, or adds the notification that makes it hold).
      const atCooldown = notifies ? cooldownIdentity(cf.prep, this.cfs.ctx(cf, scenario), T, notifyHours) : null;
      const detected =
        (notifies && notifyInTime) ||
        ((end.intactLog || !!f?.has('intactLog')) && (end.review || !!f?.has('review'))) ||
        anomalyHere ||
        (!!f?.has('anomaly') && timely(cf.prep, 'detect.reset_anomaly')) ||
        ((insiderHere || (!!f?.has('insider') && timely(cf.prep, 'agent.insider_controls'))) && (end.usedAgent || !!f?.has('usedAgent') || !!atCooldown?.acted)) ||
        ((vendorHere || (!!f?.has('vendorReport') && timely(cf.prep, 'vendor.contract_controls'))) && (end.usedProviderAgent || !!f?.has('usedProviderAgent') || !!atCooldown?.provider));
      if (detected) detects.push(c);
    }
    // A cooling-off that holds (placed, or performed once a workflow-wide control stops the desk's
    // deviation) together with the control that makes a notification reach the user.
    const single = (c: string) => singles.has(c) || kills.some((k) => k.length === 1 && k[0] === c);
    for (const e of enablers) {
      if (single(e)) continue;
      for (const [c, f] of facts) {
        if (c === e || single(c)) continue;
        if (blocksIn([e, c], notifiesWith(f))) kills.push([e, c].sort());
      }
    }
    // The same with a pair of identity controls in a single control's place: a pair that makes the
    // notification reach the user only together (with a cooling-off of the takeover step's own, or
    // one placed), and a pair that together makes the desk perform the takeover step's own
    // cooling-off (with the notification the path has, or one a control adds). Sets stay within
    // LIMITS.jointSize; minimalFamily drops those a smaller kill already covers.
    const within = (set: readonly string[]) => set.length <= LIMITS.jointSize && !set.some(single);
    const factsOf = (set: readonly string[]) => {
      const out = new Set<string>();
      for (const c of set) for (const x of facts.get(c) ?? []) out.add(x);
      for (let i = 0; i < set.length; i++) for (let j = i + 1; j < set.length; j++) for (const x of pairFacts.get([set[i]!, set[j]!].sort().join('+')) ?? []) out.add(x);
      return out;
    };
    const tryKill = (set: readonly string[]) => {
      const sorted = [...new Set(set)].sort();
      if (!within(sorted) || kills.some((k) => k.every((c) => sorted.includes(c)))) return;
      if (blocksIn(sorted, notifiesWith(factsOf(sorted)))) kills.push(sorted);
    };
    for (const pair of pairFacts.keys()) {
      const [a, b] = pair.split('+') as [string, string];
      tryKill([a, b]);
      for (const e of enablers) if (e !== a && e !== b) tryKill([e, a, b]);
    }
    if (ctx.agentIdentities > 0 && prep.byStep.get(T)?.has('cooldown.delay')) {
      for (const [a, b] of INTERACTING) {
        const pair = [a, b];
        if (!within(pair) || kills.some((k) => k.every((c) => pair.includes(c)))) continue;
        // Whether the desk performs the cooling-off with both placed (a notified user would then stop
        // the reset): if not, no control that only adds a notification makes a triple with them.
        if (!blocksIn(pair, true)) continue;
        if (notifiesWith(factsOf(pair))) {
          kills.push(pair);
          continue;
        }
        for (const [c, f] of facts) if (c !== a && c !== b && (WORKFLOW_SCOPE.has(c) || notifiesWith(f))) tryKill([a, b, c]);
      }
    }
    // An undetected outcome that analytics or a provider's report in force would have detected had the
    // identity acted depends on the unknowns it was left out through.
    const conds = new Set<string>();
    if (undetected && insiderHere && !end.usedAgent) for (const u of avoided.insider) conds.add(u);
    if (undetected && vendorHere && !end.usedProviderAgent) for (const u of avoided.provider) conds.add(u);
    // A detector left out only through an unknown matters where, performed, it could detect first.
    for (const x of late) if (end.kind === 'takeover_undetected' || (end.detectedBy && end.detectedBy.delayHours >= x.hours)) conds.add(x.unknown);
    return { kills: minimalFamily(kills), detects: detects.filter((c) => !kills.some((k) => k.length === 1 && k[0] === c)).sort(), conds: [...conds].sort() };
  }
}
