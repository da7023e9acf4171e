// Example paths of a class, made concrete: the walked steps with every verdict, the outcome from the
// same verdict functions replay uses, and the gap explained on that path (where each control would
// have acted, why it is absent, weak, not enforced, waived or misplaced there).
import { getControl, OWNER_ROLES, type AccountClass, type FrameworkRef, type Friction, type OwnerRole } from '../models/index.ts';
import {
  AGENT_CAPABILITIES,
  anomalyVerdict,
  attackerActsAs,
  byDetectionOrder,
  cooldownIdentity,
  containmentAt,
  detectorDelayHours,
  delivery,
  evaluateOutcome,
  evaluateStep,
  HOLDER_DIRECTING_CAPABILITIES,
  holderRequest,
  holderStep,
  insiderVerdict,
  notPerformed,
  notPerformedUnknowns,
  outcomeBlockedOn,
  reviewVerdict,
  stepGates,
  waiversAt,
  vendorReportVerdict,
  type AttackChannel,
  type AttackContext,
  type DetectionVerdict,
  type PathOutcome,
  type Prepared,
  type WalkedStep,
} from '../scenarios/index.ts';
import { channelOpenFor } from './channels.ts';
import type { PathClass } from './classes.ts';
import { DETECTION_ONLY, passClosedReason, passOpen, type Counterfactuals } from './counterfactuals.ts';
import { presenceCode, sameMeans, STATUS_CODE, statusName, waivedAt, weakParams, type Attributor, type GapStatus, type Label } from './labels.ts';
import { lazyField } from './lazy.ts';
import { activeIds, type GEdge, type GNode } from './stateGraph.ts';

/** One concrete takeover path (what replay re-runs, step by step). */
export interface ExamplePath {
  id: string;
  channel: AttackChannel;
  claimedClass: AccountClass | null;
  /** Exceptions that waived a check on this path. */
  exceptionsUsed: string[];
  /** Exceptions in force from the start (standing). */
  standingExceptions: string[];
  walked: WalkedStep[];
  takeoverStep: string;
  delivery: { reason: string; capabilities: string[] };
  outcome: PathOutcome;
  /** The controls named by the class, explained on this path. */
  gaps: Gap[];
}

export type GapEffect = 'blocks' | 'blocks_jointly' | 'detects' | 'contributes';

export interface Gap {
  control: string;
  name: string;
  effect: GapEffect;
  status: GapStatus;
  owner: OwnerRole;
  ownerTitle: string;
  /** The step of the path where the control would have acted. */
  actsAt: string | null;
  /** Why the control is absent, weak, not enforced, waived or misplaced on this path. */
  why: string;
  /** What happens on this path with the control in place (for a joint gap: with its partners). */
  effectReason: string;
  /** For a joint gap: the other controls of the combination. */
  with?: string[];
  detectionDelayHours?: number;
  mappings: readonly FrameworkRef[];
  friction: Friction;
}

/** What an example's gap is explained from, when first read. */
interface GapSource {
  att: Attributor;
  cfs: Counterfactuals;
  cls: PathClass;
  label: Label;
  moves: readonly GEdge[];
  root: GNode;
  last: GNode;
}
const exampleGaps = lazyField<ExamplePath, 'gaps', GapSource>('gaps', (s, path) => explainGaps(s.att, s.cfs, s.cls, s.label, s.moves, s.root, s.last, path));

/** Materialises one example of a class as a walked path; with `explain`, its gap explained on it. */
export function examplePath(att: Attributor, cfs: Counterfactuals, cls: PathClass, ex: PathClass['examples'][number], id: string, explain: boolean): ExamplePath {
  const g = att.g;
  const { prep, ctx } = g;
  const { moves, root, last, walked } = walkOf(att, cfs, ex, explain);
  const takeoverStep = last.takeover!;
  const d = cfs.cache.delivers(prep, ctx, takeoverStep);
  const outcome = evaluateOutcome(prep, ctx, walked, takeoverStep, root.channel);
  const used = new Set<string>();
  for (const w of walked) for (const v of w.verdicts) for (const m of v.means) if (m.kind === 'waived') used.add(m.exception);
  const exceptionsUsed = [...used].sort();
  const path: ExamplePath = {
    id,
    channel: root.channel,
    claimedClass: last.claim,
    exceptionsUsed,
    standingExceptions: root.exceptions.filter((x) => x.how === 'standing').map((x) => x.id),
    walked,
    takeoverStep,
    delivery: { reason: d.reason, capabilities: d.capabilities },
    outcome,
    gaps: [],
  };
  if (explain) {
    // The gap is explained when first read (most reports are read a class at a time, or only for
    // their counts); which controls it names is known now, from the class and the example's label.
    gapControlsOf.set(path, gapControls(cls, ex.label));
    exampleGaps.define(path, { att, cfs, cls, label: ex.label, moves, root, last });
  }
  return path;
}

/** An example's moves, first and last state, and walked steps. */
function walkOf(att: Attributor, cfs: Counterfactuals, ex: PathClass['examples'][number], explain: boolean): { moves: GEdge[]; root: GNode; last: GNode; walked: WalkedStep[] } {
  const g = att.g;
  const { prep, ctx } = g;
  const moves = ex.edges.map((e) => g.edges[e]!);
  const root = g.nodes[ex.root]!;
  const last = g.nodes[moves.length ? moves[moves.length - 1]!.to : root.id]!;
  // Verdicts before the takeover come from the search; after it, only with `explain` (they feed no
  // outcome, and replay recomputes every verdict of a route anyway).
  const walked: WalkedStep[] = moves.map((e) => {
    const from = g.nodes[e.from]!;
    const verdicts = e.via === 'route' ? [] : e.ev ? e.ev.verdicts : explain ? cfs.cache.evaluate(prep, ctx, from.step, from.channel, activeIds(from.exceptions)).verdicts : [];
    return { step: from.step, via: e.via, verdicts };
  });
  walked.push({ step: last.step, via: 'end', verdicts: [] });
  return { moves, root, last, walked };
}

/**
 * The residuals of an explained example (what `residuals` gives on examplePath(..., true)) without
 * making the example concrete: they read its channel, the verdicts of its pass moves (as the walk
 * gives them: with `explain`, a move after the takeover is evaluated), its walked steps, its takeover
 * step, and of its outcome only whether it is blocked (scenarios' outcomeBlockedOn) and the containment
 * (which reads the takeover step only). What a move says about an agent or the holder is worked out
 * once per move of the graph (a scenario's classes share most of their first examples' moves).
 */
export function exampleResiduals(att: Attributor, cfs: Counterfactuals, ex: PathClass['examples'][number]): { reducesLikelihood: Residual[]; limitsImpact: Residual[] } {
  const g = att.g;
  const { prep, ctx } = g;
  const root = g.nodes[ex.root]!;
  const last = g.nodes[ex.edges.length ? g.edges[ex.edges[ex.edges.length - 1]!]!.to : root.id]!;
  const takeoverStep = last.takeover!;
  let facts = moveFacts.get(att);
  if (!facts) moveFacts.set(att, (facts = []));
  let deceived: string | null = null;
  let manipulated: string | null = null;
  for (const id of ex.edges) {
    const e = g.edges[id]!;
    if (e.via !== 'pass') continue;
    let f = facts[id];
    if (!f) {
      const from = g.nodes[e.from]!;
      const verdicts = e.ev ? e.ev.verdicts : cfs.cache.evaluate(prep, ctx, from.step, from.channel, activeIds(from.exceptions)).verdicts;
      facts[id] = f = { deceived: deceivedAt(prep, ctx, from.step, verdicts), manipulated: manipulatedAt(prep, from.step, verdicts) };
    }
    deceived ??= f.deceived;
    manipulated ??= f.manipulated;
    if (deceived !== null && manipulated !== null) break;
    // Up to and including the takeover step's first pass, as passesToTakeover reads a walked path.
    if (g.nodes[e.from]!.step === takeoverStep) break;
  }
  if (root.channel === 'agent_console') deceived = null;
  // Residuals read of the outcome's kind only whether it is blocked: any takeover kind stands for
  // "not blocked". Whether it is blocked reads the walked steps only where a cooling-off could block it.
  const steps = prep.byStep.get(takeoverStep)?.has('cooldown.delay') ? [...ex.edges.map((id) => g.nodes[g.edges[id]!.from]!.step), last.step] : [];
  const blocked = steps.length > 0 && outcomeBlockedOn(prep, ctx, steps, takeoverStep);
  return residualsOf(prep, deceived, manipulated, takeoverStep, blocked ? 'blocked' : 'takeover_undetected', containmentAt(prep, ctx, takeoverStep));
}

/** Per attributor (one scenario's graph), what each pass move says about a deceived agent or a directed holder. */
const moveFacts = new WeakMap<Attributor, ({ deceived: string | null; manipulated: string | null } | undefined)[]>();

const gapControlsOf = new WeakMap<ExamplePath, readonly string[]>();

/** The controls explainGaps names for a class on an example with this label, in its order. */
export function gapControls(cls: PathClass, label: Label): string[] {
  const out = new Set<string>([...cls.blocking, ...cls.detecting]);
  for (const set of label.kills) if (set.length > 1) for (const c of set) out.add(c);
  for (const c of label.contrib) out.add(c);
  return [...out];
}

/** The controls an example's gap names, without explaining the gap (for a first example; [] otherwise). */
export function exampleGapControls(path: ExamplePath): readonly string[] {
  return gapControlsOf.get(path) ?? path.gaps.map((g) => g.control);
}

function gapBase(control: string): Pick<Gap, 'control' | 'name' | 'owner' | 'ownerTitle' | 'mappings' | 'friction'> {
  const def = getControl(control);
  return { control, name: def.name, owner: def.owner, ownerTitle: OWNER_ROLES[def.owner], mappings: def.mappings, friction: def.friction };
}

/** The gap of an example path: the controls its label names, with their effect, status and reasons. */
function explainGaps(att: Attributor, cfs: Counterfactuals, cls: PathClass, label: Label, moves: readonly GEdge[], root: GNode, end: GNode, path: ExamplePath): Gap[] {
  const g = att.g;
  const why = whyExplainer(g.prep, g.ctx, path);
  const code = (c: string) => label.status.get(c) ?? 0;
  const gaps: Gap[] = [];
  for (const c of cls.blocking) {
    const w = closeAt(att, cfs, moves, root, end, [c], path);
    gaps.push({ ...gapBase(c), effect: 'blocks', status: statusName(code(c)), actsAt: w.step, why: why(c, code(c)), effectReason: w.reason });
  }
  for (const c of cls.detecting) {
    const d = detectionBy(att, cfs, c, end, moves, path);
    gaps.push({
      ...gapBase(c),
      effect: 'detects',
      status: statusName(code(c)),
      actsAt: d?.step ?? path.takeoverStep,
      why: why(c, code(c)),
      effectReason: !d
        ? 'it would detect the takeover'
        : d.control === c
          ? `${getControl(c).name} detects it within ${d.delayHours} h: ${d.reason}`
          : `with ${getControl(c).name} in place, ${getControl(d.control).name}${d.step ? ` at "${stepName(g.prep, d.step)}"` : ''} detects it within ${d.delayHours} h: ${d.reason}`,
      ...(d?.delayHours !== undefined ? { detectionDelayHours: d.delayHours } : {}),
    });
  }
  for (const set of label.kills.filter((k) => k.length > 1)) {
    const w = closeAt(att, cfs, moves, root, end, set, path);
    for (const c of set) {
      if (gaps.some((x) => x.control === c)) continue;
      const others = set.filter((x) => x !== c);
      gaps.push({ ...gapBase(c), effect: 'blocks_jointly', status: statusName(code(c)), actsAt: w.step, why: why(c, code(c)), effectReason: `together with ${others.join(' and ')}: ${w.reason}`, with: others });
    }
  }
  for (const c of label.contrib) {
    if (gaps.some((x) => x.control === c)) continue;
    const at = contributesAt(att, cfs, moves, c);
    gaps.push({ ...gapBase(c), effect: 'contributes', status: statusName(code(c)), actsAt: at?.step ?? null, why: why(c, code(c)), effectReason: at?.reason ?? 'takes away a means the attacker used here, but another means remains' });
  }
  return gaps;
}

/** Where a set of controls closes the path: at the first move it closes, at the takeover end (cooling-off), or at the channel. */
function closeAt(att: Attributor, cfs: Counterfactuals, moves: readonly GEdge[], root: GNode, end: GNode, controls: readonly string[], path: ExamplePath): { step: string | null; reason: string } {
  const g = att.g;
  const cf = cfs.of(controls);
  const ctx = cfs.ctx(cf, g.scenario);
  const sorted = [...controls].sort();
  const has = (l: Label) => l.kills.some((k) => k.length === sorted.length && k.every((x, i) => x === sorted[i]));
  if (has(att.rootLabel(root))) {
    const ch = channelOpenFor(cf.prep, ctx, root.channel);
    return { step: g.prep.wf.start, reason: `the request cannot be opened: ${ch.reason}` };
  }
  for (const e of moves) {
    if (!e.pre || e.via !== 'pass' || !has(att.edgeLabel(e))) continue;
    const from = g.nodes[e.from]!;
    const r = passOpen(cfs.cache, cf.prep, ctx, from.step, from.channel, from.exceptions);
    return { step: from.step, reason: `the path stops at "${g.prep.wf.steps[from.step]!.name}": ${passClosedReason(r)}` };
  }
  const T = end.takeover!;
  const hours = controls.includes('notify.out_of_band') ? getControl('notify.out_of_band').detectionDelayHours! : end.end?.notifyHours ?? null;
  const c = cfs.cache.cooldown(cf.prep, ctx, T, hours);
  if (c) return { step: T, reason: c.reason };
  // A notification the set brings about otherwise (a workflow-wide control that has the desk send the
  // one it left out) lets the user stop the reset during the cooling-off: the path's outcome in the
  // counterfactual says so.
  const o = evaluateOutcome(cf.prep, ctx, path.walked, T, path.channel);
  return o.kind === 'blocked' && o.blockedBy ? { step: T, reason: o.blockedBy.reason } : { step: null, reason: 'the path can no longer be walked' };
}

/**
 * The detection a detecting control would make on this path: its own (its instance's verdict, or the
 * report of the identity it makes act), or else the first detection the path's outcome fires in its
 * counterfactual (a workflow-wide control may detect through another: a provider's contract has the
 * desk perform the notification it left out). Null only where neither fires, never a verdict that
 * does not detect.
 */
function detectionBy(att: Attributor, cfs: Counterfactuals, control: string, end: GNode, moves: readonly GEdge[], path: ExamplePath): DetectionVerdict | null {
  const cf = cfs.of([control]);
  const ctx = cfs.ctx(cf, att.g.scenario);
  // The detections of the path's outcome in the counterfactual, worked out once if asked for.
  let fired: DetectionVerdict[] | undefined;
  const firing = () => (fired ??= evaluateOutcome(cf.prep, ctx, path.walked, end.takeover!, path.channel).detections.filter((d) => d.detects).sort(byDetectionOrder));
  const own = ownDetection(att, cfs, control, end, moves, firing);
  if (own?.detects) return own;
  return firing()[0] ?? null;
}

/** A detecting control's own detection on the path (detectionBy), which may not fire; `firing` gives the outcome's firing detections in the counterfactual. */
function ownDetection(att: Attributor, cfs: Counterfactuals, control: string, end: GNode, moves: readonly GEdge[], firing: () => readonly DetectionVerdict[]): DetectionVerdict | null {
  const g = att.g;
  const cf = cfs.of([control]);
  const ctx = cfs.ctx(cf, g.scenario);
  const T = end.takeover!;
  const s = end.summary;
  // With the control placed, the attacker's identity may have to act where it did not (the control
  // takes the other means of passing a guard away): the moves' labels say where (analysis/labels.ts).
  const resolved = end.end!;
  const notifyHours = control === 'notify.out_of_band' ? getControl(control).detectionDelayHours! : resolved.notifyHours;
  const atCooldown = cooldownIdentity(cf.prep, ctx, T, notifyHours);
  const identityActs = (fact: 'usedAgent' | 'usedProviderAgent') =>
    resolved[fact] || (fact === 'usedAgent' ? atCooldown.acted : atCooldown.provider) || moves.some((e) => e.pre && e.via === 'pass' && att.edgeLabel(e).tokens.includes(`${control}|${fact}`));
  switch (control) {
    case 'notify.out_of_band':
    case 'review.post_event': {
      // Where it detects is where the path's outcome in the counterfactual finds it firing: any of its
      // instances on the steps the path walks (in path order, before the takeover or after) or at
      // workflow scope, the first to fire (as the outcome orders detections); not only one at the
      // takeover step, or the workflow's first review wherever it is.
      return firing().find((d) => d.control === control) ?? null;
    }
    case 'log.immutable': {
      if (!s.review) return null;
      const inst = g.prep.byStep.get(s.review.step ?? '')?.get('review.post_event');
      return inst ? reviewVerdict(cf.prep, ctx, inst, s.review.step, 'intact') : null;
    }
    case 'detect.reset_anomaly': {
      const inst = cf.prep.workflowScope.get(control);
      return inst ? anomalyVerdict(inst, null) : null;
    }
    case 'agent.insider_controls': {
      const inst = cf.prep.workflowScope.get(control);
      return inst ? insiderVerdict(inst, null, identityActs('usedAgent')) : null;
    }
    case 'vendor.contract_controls': {
      const inst = cf.prep.workflowScope.get(control);
      return inst ? vendorReportVerdict(inst, null, identityActs('usedProviderAgent')) : null;
    }
    default: {
      // A control that is no detector detects by making the identity act where the analytics or the
      // provider's report in force see it (it takes the other means of passing a guard away).
      const found: DetectionVerdict[] = [];
      const insider = cf.prep.workflowScope.get('agent.insider_controls');
      if (insider && !resolved.usedAgent && identityActs('usedAgent')) found.push(insiderVerdict(insider, null, true));
      const contract = cf.prep.workflowScope.get('vendor.contract_controls');
      if (contract && !resolved.usedProviderAgent && identityActs('usedProviderAgent')) found.push(vendorReportVerdict(contract, null, true));
      return found.filter((d) => d.detects).sort(byDetectionOrder)[0] ?? null;
    }
  }
}

/**
 * The first step of the path where the control takes a means away, and which: the guard's means on
 * the path that the control's counterfactual no longer has, and the ones it still has there (what
 * keeps the path open).
 */
function contributesAt(att: Attributor, cfs: Counterfactuals, moves: readonly GEdge[], control: string): { step: string; reason: string } | null {
  const g = att.g;
  for (const e of moves) {
    if (!e.pre || e.via !== 'pass' || !e.ev) continue;
    if (!att.edgeLabel(e).contrib.includes(control)) continue;
    const from = g.nodes[e.from]!;
    const cf = cfs.of([control]);
    const after = passOpen(cfs.cache, cf.prep, cfs.ctx(cf, g.scenario), from.step, from.channel, from.exceptions).ev.verdicts;
    const parts: string[] = [];
    for (const v of e.ev.verdicts) {
      // The last verdict of the guard's key, as the attribution reads it (removesMeans).
      let a: (typeof after)[number] | undefined;
      for (const x of after) if (x.key === v.key) a = x;
      if (!a) continue;
      const gone = v.means.filter((m) => !a.means.some((n) => sameMeans(m, n)));
      if (gone.length === 0) continue;
      const kept = a.means.map((m) => `${m.reason} [${m.rule}]`);
      parts.push(`it takes away ${listed(gone.map((m) => `${m.reason} [${m.rule}]`))}, but ${v.control} is still passed there${kept.length ? `: ${listed(kept)}` : ''}`);
    }
    // An exception's waiver of a step whose checks are unknown, which the control ends (labels.ts, computePass).
    if (parts.length === 0 && g.prep.wf.steps[from.step]!.verificationUnknown && waivedAt(g.prep, from.step, from.exceptions) && !waivedAt(cf.prep, from.step, from.exceptions)) {
      const by = waiversAt(g.prep, from.step, activeIds(from.exceptions)).map((id) => `"${id}"`);
      parts.push(`it ends the waiver of the step by ${listed(by)}, but what the step checks is unknown, and the analysis takes it as passed (CONDITIONAL on it)`);
    }
    return { step: from.step, reason: parts.length ? `at "${stepName(g.prep, from.step)}": ${parts.join('; ')}` : 'takes away a means the attacker used here, but another means remains' };
  }
  return null;
}

const stepName = (prep: Prepared, id: string) => prep.wf.steps[id]?.name ?? id;
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

const MAX_PLACES = 3;
const listed = (items: string[]) => {
  const u = uniq(items);
  return u.length <= MAX_PLACES ? u.join('; ') : `${u.slice(0, MAX_PLACES).join('; ')}; and at ${u.length - MAX_PLACES} more step${u.length - MAX_PLACES === 1 ? '' : 's'}`;
};

/**
 * Explains, for any control, why it has its status on the path: from the path's own verdicts (the
 * means the attacker used before the takeover) and the control's presence. Built once per path.
 */
export function whyExplainer(prep: Prepared, ctx: AttackContext, path: ExamplePath): (control: string, code: number) => string {
  type Means = { kind: string; reason: string; rule: string; step: string; unknowns?: string[] };
  const means = new Map<string, Means[]>();
  // Steps whose guards the path goes around by the on_fail branch: where the guard held, and where
  // the attacker could have passed it but took the branch.
  const held = new Map<string, string[]>();
  const around = new Map<string, string[]>();
  // Steps the path passes (or routes through) up to its takeover, where a guard's presence acts on
  // it; and those it visits after, where only detectors and the log act.
  const passed = new Set<string>();
  const failed = new Set<string>();
  const after: string[] = [];
  let before = true;
  for (const w of path.walked) {
    if (before && w.via !== 'fail') passed.add(w.step);
    if (before && w.via === 'fail') failed.add(w.step);
    if (!before) after.push(w.step);
    if (before && w.via === 'pass') for (const v of w.verdicts) for (const m of v.means) (means.get(v.control) ?? means.set(v.control, []).get(v.control)!).push({ kind: m.kind, reason: m.reason, rule: m.rule, step: w.step, ...(m.unknowns?.length ? { unknowns: m.unknowns } : {}) });
    if (w.via === 'fail') {
      for (const v of w.verdicts) {
        const into = v.verdict === 'unmet' ? held : around;
        (into.get(v.control) ?? into.set(v.control, []).get(v.control)!).push(w.step);
      }
    }
    if (w.via === 'pass' && w.step === path.takeoverStep) before = false;
  }
  const steps = uniq(path.walked.map((w) => w.step));
  const isDefeat = (m: Means) => m.kind === 'defeated' || m.kind === 'forged_ticket_field';
  const isFlaw = (m: Means) => m.kind === 'defeated' && m.rule.startsWith('flaw.');
  // A status names the strongest way the path got past the control (the order of strength, Gap
  // status); the path may also get past it another way, which fixing only what the status names
  // would leave open: the explanation says so.
  const besides = (ms: Means[], own: (m: Means) => boolean) => {
    const other = ms.filter((m) => !own(m) && (isDefeat(m) || m.kind === 'skipped' || m.kind === 'waived'));
    if (other.length === 0) return '';
    return `; this path also gets past it ${listed(other.map((m) => `at "${stepName(prep, m.step)}": ${m.kind === 'waived' ? m.reason : `${m.reason} [${m.rule}]`}`))}, which that fix alone would leave open`;
  };
  // A control on exceptions other than the ones this path uses: an expiry on one exception while the
  // path is let through by another, standing one.
  const onOtherExceptions = (control: string): string | null => {
    const on = [...prep.byException].filter(([, m]) => m.has(control)).map(([id]) => id);
    if (on.length === 0) return null;
    const used = uniq([...path.standingExceptions, ...path.exceptionsUsed]).filter((x) => !on.includes(x));
    return `present on ${listed(on.map((x) => `exception "${x}"`))}${used.length ? `, not on ${listed(used.map((x) => `"${x}"`))}, which this path uses` : ', not on an exception this path uses'}`;
  };
  return (control, code) => {
    const def = getControl(control);
    const ms = means.get(control) ?? [];
    switch (code) {
      case STATUS_CODE.defeated:
        return listed(ms.filter(isDefeat).map((m) => `at "${stepName(prep, m.step)}": ${m.reason} [${m.rule}]`)) + besides(ms, isDefeat);
      case STATUS_CODE.skipped: {
        const own = (m: Means) => m.kind === 'skipped';
        if (!ms.some(own) && DETECTION_ONLY.has(control)) {
          // A detector, log, review or revocation the agent of a step of the path leaves out (Gap status, item 2).
          const left = steps.flatMap((s) => {
            const inst = prep.byStep.get(s)?.get(control);
            const why = inst ? notPerformed(prep, ctx, s, inst) : null;
            if (!inst || why === null) return [];
            const u = notPerformedUnknowns(prep, ctx, s, inst);
            return [`at "${stepName(prep, s)}": procedural only and not performed — ${why}${u.length ? ` (CONDITIONAL on: ${u.join(', ')})` : ''}`];
          });
          if (left.length) return listed(left);
        }
        return listed(ms.filter(own).map((m) => `at "${stepName(prep, m.step)}": procedural only — ${m.reason} [${m.rule}]${m.unknowns ? ` (CONDITIONAL on: ${m.unknowns.join(', ')})` : ''}`)) + besides(ms, own);
      }
      case STATUS_CODE.flawed: {
        const used = ms.filter(isFlaw);
        if (used.length) return listed(used.map((m) => `present at "${stepName(prep, m.step)}", but passed through ${m.reason} [${m.rule}]`)) + besides(ms, isFlaw);
        return 'present, but with a known flaw (a bypass or a forceable fallback) that the catalogue\'s version of the check does not have';
      }
      case STATUS_CODE.waived: {
        const own = (m: Means) => m.kind === 'waived';
        return listed(ms.filter(own).map((m) => `at "${stepName(prep, m.step)}": ${m.reason}`)) + besides(ms, own);
      }
      case STATUS_CODE.held: {
        const parts: string[] = [];
        const h = held.get(control) ?? [];
        const a = (around.get(control) ?? []).filter((s) => !h.includes(s));
        if (h.length) parts.push(`present at ${listed(h.map((s) => `"${stepName(prep, s)}"`))}, where it held; this path goes around it by the step's on_fail branch`);
        if (a.length) parts.push(`present at ${listed(a.map((s) => `"${stepName(prep, s)}"`))}, which this path goes around by the step's on_fail branch (hardening it there would not close the path)`);
        const late = after.filter((s) => prep.byStep.get(s)?.has(control) && !h.includes(s) && !a.includes(s));
        if (late.length) parts.push(`present at ${listed(late.map((s) => `"${stepName(prep, s)}"`))}, after the takeover: it cannot stop a reset already made`);
        return parts.join('; ') || onOtherExceptions(control) || 'present, but not where it would act on this path';
      }
      case STATUS_CODE.absent: {
        const elsewhere = prep.wf.stepOrder.some((s) => prep.byStep.get(s)?.has(control));
        return elsewhere ? 'present on other steps of the workflow, not on this path' : 'not in the workflow';
      }
      default: {
        // A guard's presence is read where it acts on the path (docs/analysis-semantics.md, Gap status, item 7).
        const where = DETECTION_ONLY.has(control) ? steps : steps.filter((s) => passed.has(s));
        const present = [
          ...where.map((s) => prep.byStep.get(s)?.get(control)).filter((i) => i !== undefined),
          ...(prep.workflowScope.get(control) ? [prep.workflowScope.get(control)!] : []),
          ...[...prep.byException.values()].map((m) => m.get(control)).filter((i) => i !== undefined),
        ].filter((i) => presenceCode(i, ctx) === code);
        // A modifier (or other control without a verdict) counts by its presence at a step the path
        // leaves by on_fail, where it hardens nothing the path passes: say so, not only how it is set.
        if (present.length === 0 && !DETECTION_ONLY.has(control)) {
          const gone = [...failed].filter((s) => {
            const inst = prep.byStep.get(s)?.get(control);
            return !passed.has(s) && inst !== undefined && presenceCode(inst, ctx) === code;
          });
          if (gone.length > 0) {
            const how = code === STATUS_CODE.weakParams ? 'with weak parameters' : code === STATUS_CODE.procedural ? 'as a procedure' : code === STATUS_CODE.insufficient ? 'too slow for the attacker\'s objective' : 'at full strength';
            return `present (${how}) only at ${listed(gone.map((s) => `"${stepName(prep, s)}"`))}, which this path goes around by the step's on_fail branch: hardening or enforcing it there would not close the path`;
          }
        }
        if (code === STATUS_CODE.weakParams && present[0]) {
          const inst = present[0];
          const params = weakParams(def, inst).map((k) => {
            const v = inst.params[k];
            return `${k}=${Array.isArray(v) ? v.join('+') : String(v)} (hardened: ${JSON.stringify(def.params[k]!.hardened)})`;
          });
          // A detector performed on this path says what its parameters leave it doing there (a notice
          // whose every channel is the attacker's: where each goes), as its verdict on the path does.
          const missed = def.role === 'detector' ? path.outcome.detections.find((d) => d.key === inst.key && !d.detects && notPerformed(prep, ctx, d.step, inst) === null) : undefined;
          return `present with weak parameters: ${params.join(', ')}${missed ? `; on this path ${missed.reason}` : ''}`;
        }
        if (code === STATUS_CODE.procedural) return present.some((i) => i.enforcementUnknown) ? 'present, its enforcement unknown (evaluated as a procedure only; CONDITIONAL)' : 'present as a procedure only';
        if (code === STATUS_CODE.insufficient && present[0]) {
          return `present, but it detects only after ${detectorDelayHours(present[0])} h, later than the attacker's objective (${ctx.objectiveHours} h)`;
        }
        const at = where.filter((s) => {
          const inst = prep.byStep.get(s)?.get(control);
          return inst !== undefined && presenceCode(inst, ctx) === code;
        });
        if (code === STATUS_CODE.present && at.length > 0) return `present at full strength at ${listed(at.map((s) => `"${stepName(prep, s)}"`))}, but not where it would act on this path`;
        return onOtherExceptions(control) ?? 'present, but not where it would act on this path';
      }
    }
  };
}

/**
 * A control never credited with blocking or detecting (training, session revocation) that is
 * missing where it would have mattered on a path: it would make the path less likely, or the
 * takeover less harmful.
 */
export interface Residual {
  control: string;
  status: 'absent' | 'not_enforced' | 'misplaced';
  why: string;
}

/** What the residuals of a path read: its channel, walked steps, takeover step, and its outcome's kind and containment. */
type ResidualPath = Pick<ExamplePath, 'channel' | 'walked' | 'takeoverStep'> & { outcome: Pick<PathOutcome, 'kind' | 'containment'> };

/** Signs that the path deceived or pressured an honest agent: a guard the agent ran was passed by a capability or skipped under pressure. */
function deceivedAgent(prep: Prepared, ctx: AttackContext, path: ResidualPath): string | null {
  if (path.channel === 'agent_console') return null;
  for (const w of passesToTakeover(path)) {
    const d = deceivedAt(prep, ctx, w.step, w.verdicts);
    if (d !== null) return d;
  }
  return null;
}

/**
 * The steps a path passes up to and including its takeover: what made the takeover happen, which is
 * what training and warnings make less likely (a step after it changes nothing of the takeover).
 */
function passesToTakeover(path: ResidualPath): WalkedStep[] {
  const out: WalkedStep[] = [];
  for (const w of path.walked) {
    if (w.via !== 'pass') continue;
    out.push(w);
    if (w.step === path.takeoverStep) break;
  }
  return out;
}

/** The same sign at one step passed with these verdicts. */
function deceivedAt(prep: Prepared, ctx: AttackContext, stepId: string, verdicts: WalkedStep['verdicts']): string | null {
  const step = prep.wf.steps[stepId]!;
  const actor = step.actor ? prep.wf.actors[step.actor] : undefined;
  if (!actor || actor.kind !== 'agent') return null;
  for (const v of verdicts) {
    for (const m of v.means) {
      if (m.kind === 'skipped' && m.deviation === 'pressure') return `the ${actor.name} skipped ${v.control} at "${step.name}" under pressure`;
      // A defeat that needs an agent identity the attacker holds (a bribed agent, a taken-over or
      // second agent account, the platform's credential) was the attacker's own act, as on a path
      // opened from the agent console: no honest agent was deceived there.
      if (m.kind === 'defeated' && m.capabilities.length > 0 && !m.capabilities.some((c) => AGENT_CAPABILITIES.includes(c))) return `the ${actor.name} accepted ${v.control} at "${step.name}" (${m.capabilities.join(', ')})`;
    }
  }
  // A step whose check is unknown (`verification: unknown`) that the agent passed for an impostor: the
  // agent accepted the caller there, whatever it checked. Analysed as checking nothing (the unknown
  // resolved for the attacker), the step shows no capability or pressure; resolved the other way, the
  // caller deceived the agent. Training is named either way (docs/analysis-semantics.md, "Controls that
  // reduce likelihood or limit impact"). Not on a request the genuine holder makes: the agent dealt with
  // the real holder; nor where the attacker's own agent identity performs the step (no honest agent
  // was there to deceive).
  if (step.verificationUnknown && stepGates(step) && !holderRequest(prep) && !attackerActsAs(prep, ctx, step.actor)) return `the ${actor.name} accepted the caller at "${step.name}" (what it checks there is unknown)`;
  return null;
}

/**
 * Signs that the path had the real account holder act for the attacker: a step of the holder was
 * passed, or a check was passed because the holder, directed by the attacker, approved a prompt or
 * gave away a code (a defeat rule that needs a holder-directing capability).
 */
function manipulatedHolder(prep: Prepared, path: ResidualPath): string | null {
  for (const w of passesToTakeover(path)) {
    const m = manipulatedAt(prep, w.step, w.verdicts);
    if (m !== null) return m;
  }
  return null;
}

/** The same sign at one step passed with these verdicts. */
function manipulatedAt(prep: Prepared, stepId: string, verdicts: WalkedStep['verdicts']): string | null {
  const step = prep.wf.steps[stepId]!;
  // A holder's step that gates the request (one that can refuse it) is done for the attacker only by a
  // holder it directs; a notification, log or review step of the holder is no act for the attacker.
  if (holderStep(prep, step) && stepGates(step)) return `the real account holder performed "${step.name}" at the attacker's direction`;
  for (const v of verdicts) {
    for (const m of v.means) {
      if (m.kind === 'defeated' && m.capabilities.some((c) => HOLDER_DIRECTING_CAPABILITIES.includes(c))) return `the real account holder, directed by the attacker, passed ${v.control} at "${step.name}" for it (${m.rule})`;
    }
  }
  return null;
}

/**
 * The residual controls of an example path (docs/analysis-semantics.md, "Attribution"): role-based
 * training where an honest agent was deceived or pressured and the workflow has none, and warnings to
 * users where the real account holder was directed to act for the attacker and the workflow has none
 * (reduces likelihood), and session revocation where the attacker's sessions persist after the takeover
 * (limits impact).
 */
export function residuals(prep: Prepared, ctx: AttackContext, path: ResidualPath): { reducesLikelihood: Residual[]; limitsImpact: Residual[] } {
  return residualsOf(prep, deceivedAgent(prep, ctx, path), manipulatedHolder(prep, path), path.takeoverStep, path.outcome.kind, path.outcome.containment);
}

/** The residuals from what they read of a path: its signs of a deceived agent and a directed holder, its takeover step and outcome. */
function residualsOf(prep: Prepared, deceived: string | null, manipulated: string | null, takeoverStep: string, kind: PathOutcome['kind'], containment: PathOutcome['containment']): { reducesLikelihood: Residual[]; limitsImpact: Residual[] } {
  const reducesLikelihood: Residual[] = [];
  const limitsImpact: Residual[] = [];
  if (deceived && !prep.workflowScope.has('training.helpdesk')) reducesLikelihood.push({ control: 'training.helpdesk', status: 'absent', why: `${deceived}; agents trained to refuse and escalate make that less likely` });
  if (manipulated && !prep.workflowScope.has('user.support_warning')) reducesLikelihood.push({ control: 'user.support_warning', status: 'absent', why: `${manipulated}; users warned that support never asks for this make that less likely` });
  if (kind !== 'blocked' && containment === 'persists') {
    const atTakeover = prep.byStep.get(takeoverStep)?.get('session.revoke_on_reset');
    const elsewhere = [...prep.byStep.values()].some((m) => m.has('session.revoke_on_reset')) || prep.workflowScope.has('session.revoke_on_reset');
    const status: Residual['status'] = atTakeover ? 'not_enforced' : elsewhere ? 'misplaced' : 'absent';
    const why =
      status === 'not_enforced'
        ? 'the revocation at the takeover step is a procedure the agent leaves out on this path'
        : status === 'misplaced'
          ? 'sessions are revoked at another step, not where this path takes over'
          : 'nothing revokes the sessions and tokens the attacker holds once the takeover is found';
    limitsImpact.push({ control: 'session.revoke_on_reset', status, why });
  }
  return { reducesLikelihood, limitsImpact };
}
