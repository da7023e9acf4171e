// One replication of the service desk over a period: arrivals (legitimate by class and hour, hostile
// from the scenarios), agents by group, tier and shift, a first-come-first-served queue, handling by
// the workflow, and the pressure the queue puts on agents. Pure: the replication is fixed by the
// inputs, the seed and its index. docs/analysis-semantics.md, "Service-desk simulation", states the rules.
import { type AccountClass, type Workflow } from '../../models/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { detectionDelayHours, HostileDesk } from './hostile.ts';
import { walkLegit } from './legit.ts';
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
}

interface Arrival {
  t: number;
  /** Index into the profile's arrivals (legitimate), or -1 - attack index (hostile). */
  kind: number;
  route: number;
}

interface Group {
  tier: number;
  count: number;
  windows: (day: number) => [number, number][];
  heap: MinHeap;
}

/** Runs replication `index` of the simulation under `seed`. `desk` may be shared between replications of the same input (its walks are memoised). */
export function runReplication(input: SimulationInput, seed: number, index: number, desk: HostileDesk = new HostileDesk(input.workflow, input.scenarios)): ReplicationResult {
  const { workflow: wf, profile } = input;
  const rng = new Rng(seed, index);
  const horizon = input.days * DAY;
  const load = input.loadFactor ?? 1;
  const curve = input.pressure ?? profile.pressure;
  const served = profile.arrivals.map((a) => wf.accountClasses.includes(a.accountClass));

  // Arrivals: Poisson per hour, uniform within the hour.
  const arrivals: Arrival[] = [];
  const hostileWeights = profile.hostile.hourlyWeights ?? new Array<number>(24).fill(1);
  const weightSum = hostileWeights.reduce((s, w) => s + w, 0);
  for (let day = 0; day < input.days; day++) {
    const weekend = day % 7 >= 5;
    for (let h = 0; h < 24; h++) {
      const t0 = day * DAY + h * 60;
      profile.arrivals.forEach((a, k) => {
        const n = rng.poisson(a.hourly[h]! * (weekend ? a.weekendFactor : 1) * load);
        for (let i = 0; i < n; i++) if (served[k]) arrivals.push({ t: t0 + rng.next() * 60, kind: k, route: 0 });
      });
      if (desk.attacks.length && weightSum > 0) {
        const n = rng.poisson((profile.hostile.perDay * hostileWeights[h]!) / weightSum);
        for (let i = 0; i < n; i++) {
          const a = rng.int(desk.attacks.length);
          arrivals.push({ t: t0 + rng.next() * 60, kind: -1 - a, route: rng.int(desk.attacks[a]!.routes.length) });
        }
      }
    }
  }
  arrivals.sort((x, y) => x.t - y.t);
  const times = Float64Array.from(arrivals, (a) => a.t);

  const groups: Group[] = profile.agents.map((g) => ({ tier: g.tier, count: g.count, windows: shiftWindows(g.shifts), heap: new MinHeap(new Array<number>(g.count).fill(0)) }));
  const tier = requiredTier(wf);
  const eligible = tier === null ? [] : groups.filter((g) => g.tier >= tier);

  const legitRec = profile.arrivals.map(() => ({ requests: 0, recovered: 0, failed: 0, escalated: 0, unserved: 0, minutes: [] as number[] }));
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
  const starts: number[] = [];
  const draws = { skipProbability: 0, minutesPerStep: profile.handling.minutesPerStep, spread: profile.handling.spread, rng };

  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    // The agent who can start earliest: each group's least busy agent, moved into its shift.
    let start = Number.POSITIVE_INFINITY;
    let group: Group | null = null;
    for (const g of eligible) {
      const s = nextOnShift(g, Math.max(a.t, g.heap.peek()));
      if (s < start) [start, group] = [s, g];
    }
    const noDesk = tier === null;
    if (!noDesk && !group) {
      if (a.kind >= 0) legitRec[a.kind]!.unserved++;
      continue;
    }
    if (noDesk) start = a.t;
    const wait = start - a.t;
    let queuePerAgent = 0;
    if (!noDesk) {
      const behind = upperBound(times, start) - (i + 1);
      const onShift = eligible.reduce((s, g) => s + (onShiftAt(g, start) ? g.count : 0), 0);
      queuePerAgent = Math.max(0, behind) / Math.max(1, onShift);
      waitSum += wait;
      waited++;
      if (wait <= profile.targetMinutes) inTarget++;
      starts.push(start);
    }
    const overTarget = Math.max(0, wait - profile.targetMinutes) / profile.targetMinutes;
    let agentMinutes: number;
    if (a.kind >= 0) {
      const spec = profile.arrivals[a.kind]!;
      const rec = legitRec[a.kind]!;
      draws.skipProbability = noDesk ? 0 : skipProbability(curve, queuePerAgent, overTarget);
      const w = walkLegit(wf, spec.accountClass, rng.chance(spec.cannotCompleteStandard), draws);
      rec.requests++;
      if (w.escalated) rec.escalated++;
      if (w.outcome === 'recovered') {
        rec.recovered++;
        rec.minutes.push(wait + w.minutes);
      } else rec.failed++;
      opportunities += w.opportunities;
      skipped += w.skipped;
      agentMinutes = w.agentMinutes;
    } else {
      const k = -1 - a.kind;
      const attack = desk.attacks[k]!;
      draws.skipProbability = noDesk ? 0 : skipProbability(curve, queuePerAgent, overTarget, attack.pushes);
      const w = desk.walk(k, a.route, draws);
      const rec = hostile[attack.scenario.id]!;
      rec.attempts++;
      opportunities += w.opportunities;
      skipped += w.skipped;
      for (const key of w.skippedHolding) if (desk.enforcementOf(key) === 'system') systemSkipped++;
      agentMinutes = w.agentMinutes;
      if (w.end.kind === 'takeover_detected' || w.end.kind === 'takeover_undetected') {
        takeoversByHour[Math.floor((a.t % DAY) / 60)]! += 1 / input.days;
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
      group.heap.replaceTop(start + agentMinutes);
      busy += Math.max(0, Math.min(start + agentMinutes, horizon) - Math.min(start, horizon));
    }
  }

  const scheduled = eligible.reduce((s, g) => s + g.count * scheduledMinutes(g, input.days), 0);
  starts.sort((x, y) => x - y);
  const startTimes = Float64Array.from(starts);
  const queueByHour = new Array<number>(24).fill(0);
  if (tier !== null) {
    for (let day = 0; day < input.days; day++) {
      for (let h = 0; h < 24; h++) {
        const t = day * DAY + h * 60;
        queueByHour[h]! += (upperBound(times, t) - upperBound(startTimes, t)) / input.days;
      }
    }
  }
  const legit: Record<string, LegitClassResult> = {};
  profile.arrivals.forEach((spec, k) => {
    if (!served[k]) return;
    const r = legitRec[k]!;
    const sorted = r.minutes.sort((x, y) => x - y);
    legit[spec.accountClass] = {
      requests: r.requests,
      recovered: r.recovered,
      failed: r.failed,
      escalated: r.escalated,
      unserved: r.unserved,
      failureRate: r.requests ? r.failed / r.requests : null,
      escalationRate: r.requests ? r.escalated / r.requests : null,
      recoveryMedianMinutes: quantile(sorted, 0.5),
      recoveryP95Minutes: quantile(sorted, 0.95),
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
  };
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
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
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

/** The first moment at or after t when the group takes requests (infinity when it never does). */
function nextOnShift(g: Group, t: number): number {
  const d0 = Math.floor(t / DAY);
  let best = Number.POSITIVE_INFINITY;
  for (let d = d0 - 1; d <= d0 + 7; d++) {
    for (const [from, to] of g.windows(d)) if (t < to) best = Math.min(best, Math.max(t, from));
    if (best < Number.POSITIVE_INFINITY && best <= (d + 1) * DAY) return best;
  }
  return best;
}

function onShiftAt(g: Group, t: number): boolean {
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

/** A binary min-heap of agents' free times (agents of a group are interchangeable). */
class MinHeap {
  constructor(private readonly a: number[]) {}
  peek(): number {
    return this.a[0]!;
  }
  /** Replaces the smallest value and restores the heap. */
  replaceTop(v: number): void {
    const a = this.a;
    a[0] = v;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

