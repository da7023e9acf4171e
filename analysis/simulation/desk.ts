// One replication of the service desk over a period: arrivals (legitimate by class and hour, hostile
// from the scenarios), agents by group, tier and shift, a first-come-first-served queue, handling by
// the workflow, and the pressure the queue puts on agents. Pure: the replication is fixed by the
// inputs, the seed and its index. docs/analysis-semantics.md, "Service-desk simulation", states the rules.
import { getControl, type AccountClass, type Workflow } from '../../models/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { detectionDelayHours, HostileDesk } from './hostile.ts';
import { compileLegit, walkLegit, walkLegitPlan, type LegitPlan, type LegitWalkOut } from './legit.ts';
import { skipProbability } from './pressure.ts';
import type { DeskProfile, PressureCurve } from './profile.ts';
import { Rng } from './random.ts';

const DAY = 1440;

/** What a simulation is run on. */
export interface SimulationInput {
  workflow: Workflow;
  scenarios: Scenario[];
  profile: DeskProfile;
  days: number;
  /** Multiplier of the legitimate arrival rates (default 1): the load a what-if raises. */
  loadFactor?: number;
  /** Replaces the profile's pressure curve (tests: no pressure, full pressure). */
  pressure?: PressureCurve;
}

export interface LegitClassResult {
  requests: number;
  recovered: number;
  failed: number;
  escalated: number;
  /** Requests no agent group of the needed tier could take (no such group, or never on shift). */
  unserved: number;
  failureRate: number | null;
  escalationRate: number | null;
  /** Minutes from arrival to the reset, over recovered requests. */
  recoveryMedianMinutes: number | null;
  recoveryP95Minutes: number | null;
}

export interface HostileScenarioResult {
  targetClass: AccountClass;
  attempts: number;
  takeoversDetected: number;
  takeoversUndetected: number;
  /** Mean hours from takeover to detection over detected takeovers. */
  meanHoursToDetect: number | null;
}

/** One replication's results: plain numbers, so replications can be summarised and sent between threads. */
export interface ReplicationResult {
  index: number;
  legit: Record<string, LegitClassResult>;
  hostile: Record<string, HostileScenarioResult>;
  takeoversByClass: Record<string, { detected: number; undetected: number }>;
  skips: {
    /** Procedural controls agents met at their steps, and how many they skipped. */
    opportunities: number;
    skipped: number;
    skipRate: number | null;
    /** Skips of system-enforced controls (zero by construction; the tests check the walks' gaps). */
    systemSkipped: number;
  };
  utilisation: number | null;
  meanWaitMinutes: number | null;
  /** Share of requests picked up within the service-level target. */
  withinTarget: number | null;
  /** Mean queue length at each hour of the day (00:00 .. 23:00), over the days simulated. */
  queueByHour: number[];
  /** Takeovers per day by the hour of day their attempt arrived (00 .. 23), over the days simulated. */
  takeoversByHour: number[];
  /** Exceptions the desk granted (at exception steps that grant one) and how many were still in force. */
  exceptions: ExceptionsResult;
}

export interface ExceptionsResult {
  /** Granted to legitimate requesters, and to hostile callers. */
  granted: number;
  grantedToAttackers: number;
  /** Granted with no expiry: the workflow's exception has no `exception.expiry`, or the agent skipped setting it. */
  withoutExpiry: number;
  /** In force at the end of each day (day 1 .. days), and at the end of the period. */
  outstandingByDay: number[];
  outstandingAtEnd: number;
}

/**
 * How long each exception of a workflow stays in force once granted, in minutes (Infinity: it does
 * not expire), and whether the agent who grants it may skip setting the expiry (a procedural
 * `exception.expiry` granted by an agent).
 */
export function exceptionLifetimes(wf: Workflow): { minutes: number; skippable: boolean }[] {
  return wf.exceptions.map((x) => {
    const inst = x.controls.find((c) => c.control === 'exception.expiry');
    if (!inst) return { minutes: Number.POSITIVE_INFINITY, skippable: false };
    const hours = typeof inst.params['hours'] === 'number' ? inst.params['hours'] : Number(getControl('exception.expiry').params['hours']?.hardened ?? 8);
    const by = x.grantedBy !== undefined ? wf.actors[x.grantedBy] : undefined;
    return { minutes: hours * 60, skippable: inst.enforcement !== 'system' && by?.kind === 'agent' };
  });
}

interface Group {
  tier: number;
  count: number;
  windows: (day: number) => [number, number][];
  /** Agents' free times, a binary min-heap (agents of a group are interchangeable). */
  heap: Float64Array;
  shifts: ShiftTable;
}

/**
 * What a desk keeps between its replications (a desk lives for one simulation's replications, in
 * one thread): the legitimate walks' compiled workflow and the arrival buffers, grown as needed.
 */
class Scratch {
  plan: LegitPlan | null = null;
  planOf: Workflow | null = null;
  rawT = new Float64Array(0);
  rawK = new Int32Array(0);
  rawR = new Int32Array(0);
  times = new Float64Array(0);
  kinds = new Int32Array(0);
  routes = new Int32Array(0);
  starts = new Float64Array(0);
  /** Recovery times, per class of the profile's arrivals. */
  minutes: Float64Array[] = [];

  /** Makes every buffer hold at least n arrivals, keeping the raw arrivals drawn so far. */
  reserve(n: number): void {
    if (this.rawT.length >= n) return;
    const t = new Float64Array(n);
    t.set(this.rawT);
    this.rawT = t;
    const k = new Int32Array(n);
    k.set(this.rawK);
    this.rawK = k;
    const r = new Int32Array(n);
    r.set(this.rawR);
    this.rawR = r;
    this.times = new Float64Array(n);
    this.kinds = new Int32Array(n);
    this.routes = new Int32Array(n);
    this.starts = new Float64Array(n);
  }
}

const scratches = new WeakMap<HostileDesk, Scratch>();

function scratchOf(desk: HostileDesk): Scratch {
  let s = scratches.get(desk);
  if (!s) scratches.set(desk, (s = new Scratch()));
  return s;
}

function legitPlanOf(scratch: Scratch, wf: Workflow): LegitPlan | null {
  if (scratch.planOf !== wf) {
    scratch.plan = compileLegit(wf);
    scratch.planOf = wf;
  }
  return scratch.plan;
}

/** Saturdays and Sundays among the first `days` days (day 0 is a Monday). */
function weekendDays(days: number): number {
  let n = 0;
  for (let d = 0; d < days; d++) if (d % 7 >= 5) n++;
  return n;
}

/** Runs replication `index` of the simulation under `seed`. `desk` may be shared between replications of the same input (its walks are memoised). */
export function runReplication(input: SimulationInput, seed: number, index: number, desk: HostileDesk = new HostileDesk(input.workflow, input.scenarios)): ReplicationResult {
  const { workflow: wf, profile } = input;
  const rng = new Rng(seed, index);
  const horizon = input.days * DAY;
  const load = input.loadFactor ?? 1;
  const curve = input.pressure ?? profile.pressure;
  const specs = profile.arrivals;
  const nClasses = specs.length;
  const served = specs.map((a) => wf.accountClasses.includes(a.accountClass));

  // Arrivals: Poisson per hour, uniform within the hour, in typed arrays (time, kind: index into the
  // profile's arrivals or -1 - attack index, route). Each hour's arrivals lie within the hour, so
  // sorting hour by hour (stably: ties keep the order drawn) gives the order of one stable sort.
  const hostileWeights = profile.hostile.hourlyWeights ?? new Array<number>(24).fill(1);
  const weightSum = hostileWeights.reduce((s, w) => s + w, 0);
  const nAttacks = desk.attacks.length;
  // Room for the expected count and then some (the buffers are kept for the desk's next replication).
  let expected = nAttacks && weightSum > 0 ? profile.hostile.perDay * input.days : 0;
  const expectedByClass = new Array<number>(nClasses).fill(0);
  for (let k = 0; k < nClasses; k++) {
    if (!served[k]) continue;
    const a = specs[k]!;
    const perDay = a.hourly.reduce((s, x) => s + x, 0) * load;
    const classExpected = perDay * (input.days - weekendDays(input.days)) + perDay * a.weekendFactor * weekendDays(input.days);
    expectedByClass[k] = classExpected;
    expected += classExpected;
  }
  const scratch = scratchOf(desk);
  scratch.reserve(Math.ceil(expected + 8 * Math.sqrt(expected)) + 1024);
  let { rawT, rawK, rawR } = scratch;
  let cap = rawT.length;
  let count = 0;
  const hourStarts: number[] = [];
  for (let day = 0; day < input.days; day++) {
    const weekend = day % 7 >= 5;
    for (let h = 0; h < 24; h++) {
      const t0 = day * DAY + h * 60;
      hourStarts.push(count);
      for (let k = 0; k < nClasses; k++) {
        const a = specs[k]!;
        const n = rng.poisson(a.hourly[h]! * (weekend ? a.weekendFactor : 1) * load);
        if (!served[k]) continue;
        if (count + n > cap) {
          scratch.reserve(2 * (count + n));
          ({ rawT, rawK, rawR } = scratch);
          cap = rawT.length;
        }
        for (let i = 0; i < n; i++) {
          rawT[count] = t0 + rng.next() * 60;
          rawK[count] = k;
          rawR[count++] = 0;
        }
      }
      if (nAttacks && weightSum > 0) {
        const n = rng.poisson((profile.hostile.perDay * hostileWeights[h]!) / weightSum);
        if (count + n > cap) {
          scratch.reserve(2 * (count + n));
          ({ rawT, rawK, rawR } = scratch);
          cap = rawT.length;
        }
        for (let i = 0; i < n; i++) {
          const a = rng.int(nAttacks);
          rawT[count] = t0 + rng.next() * 60;
          rawK[count] = -1 - a;
          rawR[count++] = rng.int(desk.attacks[a]!.routes.length);
        }
      }
    }
  }
  hourStarts.push(count);
  const times = scratch.times.subarray(0, count);
  const kinds = scratch.kinds;
  const routesOf = scratch.routes;
  {
    // Per hour, a stable bucket sort by time: buckets by position within the hour (monotone in the
    // time, so bucket order is time order), filled in the order drawn, then a stable insertion sort
    // inside each bucket. Expected linear; the result is the order of a stable sort by time.
    let order = new Int32Array(64);
    let fill = new Int32Array(65);
    for (let b = 0; b + 1 < hourStarts.length; b++) {
      const from = hourStarts[b]!;
      const n = hourStarts[b + 1]! - from;
      if (n === 0) continue;
      if (order.length < n) {
        order = new Int32Array(n * 2);
        fill = new Int32Array(n * 2 + 1);
      }
      const t0 = Math.floor(b / 24) * DAY + (b % 24) * 60;
      const scale = n / 60;
      fill.fill(0, 0, n + 1);
      for (let i = 0; i < n; i++) {
        const k = Math.min(n - 1, Math.max(0, Math.floor((rawT[from + i]! - t0) * scale)));
        fill[k + 1]!++;
      }
      for (let k = 0; k < n; k++) fill[k + 1]! += fill[k]!;
      for (let i = 0; i < n; i++) {
        const k = Math.min(n - 1, Math.max(0, Math.floor((rawT[from + i]! - t0) * scale)));
        order[fill[k]!++] = from + i;
      }
      // fill[k] is now the end of bucket k (the start of bucket k + 1); the sort is over the whole
      // block at once: each element only moves back within its bucket, since buckets are in order.
      for (let i = 1; i < n; i++) {
        const j = order[i]!;
        const t = rawT[j]!;
        let q = i - 1;
        while (q >= 0 && rawT[order[q]!]! > t) {
          order[q + 1] = order[q]!;
          q--;
        }
        order[q + 1] = j;
      }
      for (let i = 0; i < n; i++) {
        const j = order[i]!;
        times[from + i] = rawT[j]!;
        kinds[from + i] = rawK[j]!;
        routesOf[from + i] = rawR[j]!;
      }
    }
  }

  const groups: Group[] = profile.agents.map((g) => {
    const windows = shiftWindows(g.shifts);
    return { tier: g.tier, count: g.count, windows, heap: new Float64Array(g.count), shifts: shiftTable(windows, input.days) };
  });
  const tier = requiredTier(wf);
  const eligible = tier === null ? [] : groups.filter((g) => g.tier >= tier);
  const nEligible = eligible.length;
  const noDesk = tier === null;

  // Recovery times per class, in buffers kept on the desk (sized for the expected count, grown if need be).
  const legitRec = specs.map((_, k) => {
    const want = Math.ceil(expectedByClass[k]! + 8 * Math.sqrt(expectedByClass[k]!)) + 64;
    let minutes = scratch.minutes[k];
    if (!minutes || minutes.length < want) scratch.minutes[k] = minutes = new Float64Array(want);
    return { requests: 0, recovered: 0, failed: 0, escalated: 0, unserved: 0, minutes, n: 0 };
  });
  const hostile: Record<string, HostileScenarioResult & { hours: number[] }> = {};
  for (const a of desk.attacks) hostile[a.scenario.id] = { targetClass: a.scenario.target.accountClass, attempts: 0, takeoversDetected: 0, takeoversUndetected: 0, meanHoursToDetect: null, hours: [] };
  const takeoversByClass: Record<string, { detected: number; undetected: number }> = {};
  for (const a of desk.attacks) takeoversByClass[a.scenario.target.accountClass] ??= { detected: 0, undetected: 0 };
  let opportunities = 0;
  let skipped = 0;
  let systemSkipped = 0;
  let busy = 0;
  let waitSum = 0;
  let waited = 0;
  let inTarget = 0;
  const takeoversByHour = new Array<number>(24).fill(0);
  const startTimes = scratch.starts;
  let nStarts = 0;
  const draws = { skipProbability: 0, minutesPerStep: profile.handling.minutesPerStep, spread: profile.handling.spread, rng };
  const plan = legitPlanOf(scratch, wf);
  const classRoutes = specs.map((a) => (plan ? plan.routes(a.accountClass) : new Int32Array(0)));
  const classScopes = specs.map((a) => (plan ? plan.scope(a.accountClass) : null));
  const walked: LegitWalkOut = { recovered: false, escalated: false, agentMinutes: 0, minutes: 0, opportunities: 0, skipped: 0, granted: -1, grantedAtMinutes: 0, grantedBy: -1 };
  // Exceptions granted: when, and until when (Infinity: no expiry). Whether an agent skips setting a
  // procedural expiry is drawn from a stream of its own, so the rest of the replication draws what it
  // drew before exceptions were counted.
  const lifetimes = exceptionLifetimes(wf);
  const exceptionRng = new Rng((seed ^ 0x45584350) >>> 0, index);
  const grantedAt: number[] = [];
  const expiresAt: number[] = [];
  let grantedToAttackers = 0;
  let withoutExpiry = 0;
  const grant = (x: number, at: number, skipP: number) => {
    const life = lifetimes[x]!;
    const skipsExpiry = life.skippable && exceptionRng.chance(skipP);
    const until = skipsExpiry ? Number.POSITIVE_INFINITY : at + life.minutes;
    if (until === Number.POSITIVE_INFINITY) withoutExpiry++;
    grantedAt.push(at);
    expiresAt.push(until);
  };
  const exceptionIndex = new Map(wf.exceptions.map((x, i) => [x.id, i]));
  const target = profile.targetMinutes;
  const idleSkip = skipProbability(curve, 0, 0);
  // Requests arrived by `start` (upperBound(times, start)); starts never decrease, so a pointer moves forward.
  let arrivedBy = 0;
  let lastStart = Number.NEGATIVE_INFINITY;

  for (let i = 0; i < count; i++) {
    const at = times[i]!;
    const kind = kinds[i]!;
    // The agent who can start earliest: each group's least busy agent, moved into its shift.
    let start = Number.POSITIVE_INFINITY;
    let group: Group | null = null;
    for (let e = 0; e < nEligible; e++) {
      const g = eligible[e]!;
      const free = g.heap[0]!;
      const t = at > free ? at : free;
      // nextOnShift's table case, inline (the common one): t itself when a window covers it, else the next window's start.
      const sh = g.shifts;
      let s: number;
      if (t >= sh.nextAt && t < sh.complete) {
        const to = sh.to;
        let p = sh.next;
        while (p < to.length && to[p]! <= t) p++;
        sh.next = p;
        sh.nextAt = t;
        s = p < to.length ? (t > sh.from[p]! ? t : sh.from[p]!) : nextOnShift(g, t);
      } else s = nextOnShift(g, t);
      if (s < start) {
        start = s;
        group = g;
      }
    }
    if (!noDesk && !group) {
      if (kind >= 0) legitRec[kind]!.unserved++;
      continue;
    }
    if (noDesk) start = at;
    const wait = start - at;
    let queuePerAgent = 0;
    if (!noDesk) {
      if (start < lastStart) arrivedBy = upperBound(times, start);
      else while (arrivedBy < count && times[arrivedBy]! <= start) arrivedBy++;
      lastStart = start;
      const behind = arrivedBy - (i + 1);
      // With nobody behind the queue per agent is 0 whoever is on shift: the count is not needed.
      if (behind > 0) {
        let onShift = 0;
        for (let e = 0; e < nEligible; e++) {
          const g = eligible[e]!;
          if (onShiftAt(g, start)) onShift += g.count;
        }
        queuePerAgent = behind / Math.max(1, onShift);
      }
      waitSum += wait;
      waited++;
      if (wait <= target) inTarget++;
      startTimes[nStarts++] = start;
    }
    const overTarget = Math.max(0, wait - target) / target;
    let agentMinutes: number;
    if (kind >= 0) {
      const spec = specs[kind]!;
      const rec = legitRec[kind]!;
      // With no queue and no wait over target the curve gives its value at (0, 0): computed once.
      draws.skipProbability = noDesk ? 0 : queuePerAgent === 0 && overTarget === 0 ? idleSkip : skipProbability(curve, queuePerAgent, overTarget);
      const cannot = rng.chance(spec.cannotCompleteStandard);
      if (plan) walkLegitPlan(plan, classRoutes[kind]!, classScopes[kind]!, cannot, draws, walked);
      else {
        const w = walkLegit(wf, spec.accountClass, cannot, draws);
        walked.recovered = w.outcome === 'recovered';
        walked.escalated = w.escalated;
        walked.agentMinutes = w.agentMinutes;
        walked.minutes = w.minutes;
        walked.opportunities = w.opportunities;
        walked.skipped = w.skipped;
        walked.granted = w.granted === null ? -1 : exceptionIndex.get(w.granted)!;
        walked.grantedAtMinutes = w.grantedAtMinutes;
      }
      if (walked.granted >= 0) grant(walked.granted, start + walked.grantedAtMinutes, draws.skipProbability);
      rec.requests++;
      if (walked.escalated) rec.escalated++;
      if (walked.recovered) {
        rec.recovered++;
        if (rec.n === rec.minutes.length) {
          const grown = new Float64Array(rec.n * 2);
          grown.set(rec.minutes);
          rec.minutes = scratch.minutes[kind] = grown;
        }
        rec.minutes[rec.n++] = wait + walked.minutes;
      } else rec.failed++;
      opportunities += walked.opportunities;
      skipped += walked.skipped;
      agentMinutes = walked.agentMinutes;
    } else {
      const k = -1 - kind;
      const attack = desk.attacks[k]!;
      draws.skipProbability = noDesk ? 0 : skipProbability(curve, queuePerAgent, overTarget, attack.pushes);
      const w = desk.walk(k, routesOf[i]!, draws);
      const rec = hostile[attack.scenario.id]!;
      rec.attempts++;
      if (w.granted !== null) {
        const x = exceptionIndex.get(w.granted);
        if (x !== undefined) {
          grant(x, start + w.grantedAtMinutes, draws.skipProbability);
          grantedToAttackers++;
        }
      }
      opportunities += w.opportunities;
      skipped += w.skipped;
      for (const key of w.skippedHolding) if (desk.enforcementOf(key) === 'system') systemSkipped++;
      agentMinutes = w.agentMinutes;
      if (w.end.kind === 'takeover_detected' || w.end.kind === 'takeover_undetected') {
        takeoversByHour[Math.floor((at % DAY) / 60)]! += 1 / input.days;
        const hours = detectionDelayHours(w.end.outcome, rng, profile.detection.responseSpread, (key) => desk.reviewHours(key));
        const byClass = takeoversByClass[attack.scenario.target.accountClass]!;
        if (hours === null) {
          rec.takeoversUndetected++;
          byClass.undetected++;
        } else {
          rec.takeoversDetected++;
          byClass.detected++;
          rec.hours.push(hours);
        }
      }
    }
    if (group) {
      replaceTop(group.heap, start + agentMinutes);
      busy += Math.max(0, Math.min(start + agentMinutes, horizon) - Math.min(start, horizon));
    }
  }

  const scheduled = eligible.reduce((s, g) => s + g.count * scheduledMinutes(g, input.days), 0);
  // Starts never decrease (see above); sorted anyway should that ever not hold.
  const starts = startTimes.subarray(0, nStarts);
  for (let j = 1; j < nStarts; j++) {
    if (starts[j]! < starts[j - 1]!) {
      starts.sort();
      break;
    }
  }
  const queueByHour = new Array<number>(24).fill(0);
  if (tier !== null) {
    for (let day = 0; day < input.days; day++) {
      for (let h = 0; h < 24; h++) {
        const t = day * DAY + h * 60;
        queueByHour[h]! += (upperBound(times, t) - upperBound(starts, t)) / input.days;
      }
    }
  }
  const legit: Record<string, LegitClassResult> = {};
  specs.forEach((spec, k) => {
    if (!served[k]) return;
    const r = legitRec[k]!;
    // The two nearest-rank quantiles by selection (the values a full sort would put at those ranks).
    const times = r.minutes.subarray(0, r.n);
    const p95 = selectRank(times, 0, r.n, rank(r.n, 0.95));
    const median = r.n ? selectRank(times, 0, rank(r.n, 0.95) + 1, rank(r.n, 0.5)) : null;
    legit[spec.accountClass] = {
      requests: r.requests,
      recovered: r.recovered,
      failed: r.failed,
      escalated: r.escalated,
      unserved: r.unserved,
      failureRate: r.requests ? r.failed / r.requests : null,
      escalationRate: r.requests ? r.escalated / r.requests : null,
      recoveryMedianMinutes: median,
      recoveryP95Minutes: p95,
    };
  });
  const hostileOut: Record<string, HostileScenarioResult> = {};
  for (const [id, { hours, ...r }] of Object.entries(hostile)) hostileOut[id] = { ...r, meanHoursToDetect: hours.length ? hours.reduce((s, x) => s + x, 0) / hours.length : null };
  return {
    index,
    legit,
    hostile: hostileOut,
    takeoversByClass,
    skips: { opportunities, skipped, skipRate: opportunities ? skipped / opportunities : null, systemSkipped },
    utilisation: scheduled > 0 ? busy / scheduled : null,
    meanWaitMinutes: waited ? waitSum / waited : null,
    withinTarget: waited ? inTarget / waited : null,
    queueByHour,
    takeoversByHour,
    exceptions: exceptionsResult(grantedAt, expiresAt, grantedToAttackers, withoutExpiry, input.days),
  };
}

/** Exceptions in force at the end of each day: granted by then and not expired by then. */
function exceptionsResult(grantedAt: readonly number[], expiresAt: readonly number[], grantedToAttackers: number, withoutExpiry: number, days: number): ExceptionsResult {
  const outstandingByDay = new Array<number>(days).fill(0);
  for (let j = 0; j < grantedAt.length; j++) {
    // In force at the end of day d (minute (d + 1) * DAY) when granted by then and expiring after.
    const first = Math.max(0, Math.ceil(grantedAt[j]! / DAY) - 1);
    for (let d = first; d < days; d++) {
      const t = (d + 1) * DAY;
      if (grantedAt[j]! > t) continue;
      if (expiresAt[j]! <= t) break;
      outstandingByDay[d]! += 1;
    }
  }
  return { granted: grantedAt.length - grantedToAttackers, grantedToAttackers, withoutExpiry, outstandingByDay, outstandingAtEnd: days > 0 ? outstandingByDay[days - 1]! : 0 };
}

/** The tier a request needs: the intake's agent's, else the lowest agent tier of the workflow; null when no agent acts (no queue). */
export function requiredTier(wf: Workflow): number | null {
  const intake = wf.steps[wf.start]?.actor;
  const first = intake !== undefined ? wf.actors[intake] : undefined;
  if (first?.kind === 'agent') return first.tier;
  const tiers = Object.values(wf.actors).filter((a) => a.kind === 'agent').map((a) => a.tier);
  return tiers.length ? Math.min(...tiers) : null;
}

/** The q-quantile of sorted values (nearest rank), or null when there are none. */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[rank(sorted.length, q)]!;
}

/** The index of the nearest-rank q-quantile among n sorted values. */
function rank(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
}

/**
 * The value a sort of a[lo..hi) would put at index k (null when the range is empty), by
 * quickselect: afterwards a[lo..k) holds values no greater and a[k+1..hi) values no smaller.
 */
function selectRank(a: Float64Array, lo: number, hi: number, k: number): number | null {
  if (hi <= lo) return null;
  let l = lo;
  let r = hi - 1;
  while (r > l) {
    // Median of three as the pivot, then Hoare partition.
    const m = (l + r) >>> 1;
    const x = a[l]!;
    const y = a[m]!;
    const z = a[r]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k]!;
}

/** Windows [start, end) in minutes of the shifts that start on `day` (0: the first Monday). */
function shiftWindows(shifts: DeskProfile['agents'][number]['shifts']): (day: number) => [number, number][] {
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return (day) => {
    const out: [number, number][] = [];
    for (const s of shifts) {
      if (!s.days.includes(DAYS[((day % 7) + 7) % 7] as never)) continue;
      const from = day * DAY + s.startHour * 60;
      const to = day * DAY + (s.endHour > s.startHour ? s.endHour : s.endHour + 24) * 60;
      out.push([from, to]);
    }
    return out;
  };
}

/**
 * A group's shifts as sorted, merged intervals [from[j], to[j]) over days -1 .. days + 8 (the
 * windows of the shifts that start on those days; overlapping ones merged), with a pointer per
 * kind of query: both are asked at times that never decrease, so each pointer only moves forward.
 */
interface ShiftTable {
  from: Float64Array;
  to: Float64Array;
  /** Every window that starts before this is in the table: queries at or after it use the weekly pattern itself. */
  complete: number;
  next: number;
  nextAt: number;
  on: number;
  onAt: number;
}

function shiftTable(windows: (day: number) => [number, number][], days: number): ShiftTable {
  const last = days + 8;
  const all: [number, number][] = [];
  for (let d = -1; d <= last; d++) all.push(...windows(d));
  all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const from: number[] = [];
  const to: number[] = [];
  for (const [f, t] of all) {
    if (to.length && f <= to[to.length - 1]!) to[to.length - 1] = Math.max(to[to.length - 1]!, t);
    else {
      from.push(f);
      to.push(t);
    }
  }
  return { from: Float64Array.from(from), to: Float64Array.from(to), complete: (last + 1) * DAY, next: 0, nextAt: Number.NEGATIVE_INFINITY, on: 0, onAt: Number.NEGATIVE_INFINITY };
}

/** Index of the first interval ending after t, from position p (moved back to 0 if t went back). */
function firstEndingAfter(to: Float64Array, p: number, t: number, last: number): number {
  if (t < last) p = 0;
  while (p < to.length && to[p]! <= t) p++;
  return p;
}

/**
 * The first moment at or after t when the group takes requests (infinity when it never does): t
 * itself when a window covers it, else the next window's start; the same as nextOnShiftByDays.
 */
function nextOnShift(g: Group, t: number): number {
  const s = g.shifts;
  if (t < s.complete) {
    const p = (s.next = firstEndingAfter(s.to, s.next, t, s.nextAt));
    s.nextAt = t;
    // A start found in the table is before every start the table leaves out.
    if (p < s.to.length) return t > s.from[p]! ? t : s.from[p]!;
  }
  return nextOnShiftByDays(g, t);
}

/** Is a window of the group open at t? The same as onShiftAtByDays. */
function onShiftAt(g: Group, t: number): boolean {
  const s = g.shifts;
  if (t < s.complete) {
    const p = (s.on = firstEndingAfter(s.to, s.on, t, s.onAt));
    s.onAt = t;
    return p < s.to.length && s.from[p]! <= t;
  }
  return onShiftAtByDays(g, t);
}

/** The first moment at or after t when the group takes requests, from the windows day by day (beyond the table). */
function nextOnShiftByDays(g: Group, t: number): number {
  const d0 = Math.floor(t / DAY);
  let best = Number.POSITIVE_INFINITY;
  for (let d = d0 - 1; d <= d0 + 7; d++) {
    for (const [from, to] of g.windows(d)) if (t < to) best = Math.min(best, Math.max(t, from));
    if (best < Number.POSITIVE_INFINITY && best <= (d + 1) * DAY) return best;
  }
  return best;
}

function onShiftAtByDays(g: Group, t: number): boolean {
  const d0 = Math.floor(t / DAY);
  for (let d = d0 - 1; d <= d0; d++) for (const [from, to] of g.windows(d)) if (t >= from && t < to) return true;
  return false;
}

function scheduledMinutes(g: Group, days: number): number {
  let sum = 0;
  for (let d = 0; d < days; d++) for (const [from, to] of g.windows(d)) sum += Math.min(to, days * DAY) - from;
  return sum;
}

/** Number of values <= x in a sorted array. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Replaces the smallest of a binary min-heap of agents' free times and restores the heap. */
function replaceTop(a: Float64Array, v: number): void {
  a[0] = v;
  const n = a.length;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && a[l]! < a[m]!) m = l;
    if (r < n && a[r]! < a[m]!) m = r;
    if (m === i) return;
    const x = a[i]!;
    a[i] = a[m]!;
    a[m] = x;
    i = m;
  }
}
