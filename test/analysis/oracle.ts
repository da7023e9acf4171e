// The test oracle: a plain enumerator of the takeover paths of docs/analysis-semantics.md, written
// independently of the state-graph engine. It lists every path one by one (only for small
// workflows), attributes each by re-walking it in every counterfactual workflow — single controls,
// and every pair and triple for joint gaps — and groups the paths into classes. The engine must give
// the same classes, counts, outcomes, statuses and control sets (test/analysis/differential.test.ts).
import { ATTRIBUTABLE_IDS, placeControl, applyControls } from '../../analysis/index.ts';
import { ACCOUNT_CLASSES, CONTROLS, getControl, type AccountClass, type ControlInstance, type Workflow } from '../../models/index.ts';
import {
  AGENT_CAPABILITIES,
  attackerActsAs,
  scenarioContext,
  notPerformed,
  notPerformedUnknowns,
  delivery,
  logIntact,
  notifyVerdict,
  reviewVerdict,
  evaluateOutcome,
  evaluateStep,
  prepareWorkflow,
  type AttackChannel,
  type AttackContext,
  type InstanceVerdict,
  type PathOutcome,
  type Prepared,
  type Scenario,
  type WalkedStep,
} from '../../scenarios/index.ts';

export interface OraclePath {
  channel: AttackChannel;
  claim: AccountClass | null;
  walked: WalkedStep[];
  /** Exceptions in force when the path left each walked step: id -> how. */
  exceptions: Map<string, 'standing' | 'granted'>[];
  takeover: string;
  outcome: PathOutcome;
}

/** Loop backs, by the definition: a transition to a step still open on a depth-first walk from the start (next, on_fail, routes). */
export function loopBacks(wf: Workflow): Set<string> {
  const back = new Set<string>();
  const done = new Set<string>();
  const open = new Set<string>();
  const visit = (id: string) => {
    open.add(id);
    const s = wf.steps[id]!;
    const succ = [...new Set([s.next, s.onFail, ...s.routes.map((r) => r.to)].filter((x): x is string => x !== undefined))];
    for (const to of succ) {
      if (open.has(to)) back.add(`${id}>${to}`);
      else if (!done.has(to)) visit(to);
    }
    open.delete(id);
    done.add(id);
  };
  visit(wf.start);
  return back;
}

function channelOpen(prep: Prepared, scenario: Scenario, channel: AttackChannel): boolean {
  const ctx = scenarioContext(prep, scenario);
  const start = prep.wf.steps[prep.wf.start]!;
  if (channel === 'agent_console') {
    const a = start.actor ? prep.wf.actors[start.actor] : undefined;
    return ctx.agentIdentities > 0 && a?.kind === 'agent' && a.operator !== 'platform_support' && (!ctx.providerOnly || a.operator === 'outsourced' || a.operator === 'unknown');
  }
  return start.kind !== 'intake' || start.channels.includes(channel) || start.channels.includes('unknown');
}

const ids = (m: Map<string, 'standing' | 'granted'>) => [...m.keys()].sort();

/** Thrown by enumeratePaths past its limit: the case is too large for a brute-force check. */
export class TooManyPaths extends Error {
  constructor(limit: number) {
    super(`oracle: too many paths for a brute-force check (more than ${limit})`);
  }
}

/** Whether a workflow has at most `max` takeover paths against a scenario (listing stops past `limit`). */
export function fewPaths(wf: Workflow, scenario: Scenario, max: number, limit = 400): boolean {
  try {
    return enumeratePaths(wf, scenario, limit).length <= max;
  } catch (e) {
    if (e instanceof TooManyPaths) return false;
    throw e;
  }
}

/** Every takeover path, listed. */
export function enumeratePaths(wf: Workflow, scenario: Scenario, limit = 20_000): OraclePath[] {
  const prep = prepareWorkflow(wf);
  const target = scenario.target.accountClass;
  if (!wf.accountClasses.includes(target)) return [];
  const ctx = scenarioContext(prep, scenario);
  const back = loopBacks(wf);
  const out: OraclePath[] = [];
  // Standing exceptions (no expiry) apply to every request for a class they cover, whatever the strategy.
  const standingFor = (cls: AccountClass) => wf.exceptions.filter((e) => !e.controls.some((c) => c.control === 'exception.expiry') && (e.appliesTo === null || e.appliesTo.includes(cls))).map((e) => e.id);
  const standing = new Map<string, 'standing' | 'granted'>(standingFor(target).map((id) => [id, 'standing']));
  const requests = scenario.strategy.exceptions.includes('request');

  for (const channel of scenario.strategy.channels) {
    if (!channelOpen(prep, scenario, channel)) continue;
    const walk = (step: string, claim: AccountClass | null, exc: Map<string, 'standing' | 'granted'>, takeover: string | null, retries: number, walked: WalkedStep[], excs: Map<string, 'standing' | 'granted'>[]) => {
      if (out.length > limit) throw new TooManyPaths(limit);
      const s = wf.steps[step]!;
      const finish = () => {
        const path = [...walked, { step, via: 'end' as const, verdicts: [] }];
        const outcome = evaluateOutcome(prep, ctx, path, takeover!, channel);
        if (outcome.kind !== 'blocked') out.push({ channel, claim, walked: path, exceptions: [...excs, exc], takeover: takeover!, outcome });
      };
      const go = (to: string, via: WalkedStep['via'], verdicts: InstanceVerdict[], next: { claim?: AccountClass | null; exc?: Map<string, 'standing' | 'granted'>; takeover?: string | null }) => {
        let r = retries;
        // The takeover is done once the execution step's move is made.
        const done = next.takeover !== undefined ? next.takeover : takeover;
        if (back.has(`${step}>${to}`)) {
          if (done !== null) {
            // After the takeover a loop back ends the path at the step it leads to.
            const path = [...walked, { step, via, verdicts }, { step: to, via: 'end' as const, verdicts: [] }];
            const outcome = evaluateOutcome(prep, ctx, path, done, channel);
            if (outcome.kind !== 'blocked') out.push({ channel, claim: next.claim !== undefined ? next.claim : claim, walked: path, exceptions: [...excs, exc, exc], takeover: done, outcome });
            return;
          }
          if (r >= scenario.strategy.retries) return;
          r++;
        }
        walk(to, next.claim !== undefined ? next.claim : claim, next.exc ?? exc, next.takeover !== undefined ? next.takeover : takeover, r, [...walked, { step, via, verdicts }], [...excs, exc]);
      };
      if (s.kind === 'end') {
        if (takeover !== null) finish();
        return;
      }
      if (s.kind === 'routing') {
        if (s.basis === 'directory') {
          const r = s.routes.find((x) => x.classes.includes(target));
          if (r) go(r.to, 'route', [], {});
          return;
        }
        // Routing steps met one after another route the request at once: if one of them routed by
        // the caller's claim, that claim routes this one too.
        let chained = false;
        for (let k = walked.length - 1; k >= 0 && walked[k]!.via === 'route'; k--) {
          const r = wf.steps[walked[k]!.step]!;
          if (r.kind === 'routing' && r.basis === 'caller_claim') chained = true;
        }
        const claims = claim !== null && (takeover !== null || chained) ? [claim] : scenario.strategy.claims.filter((c) => wf.accountClasses.includes(c));
        for (const c of claims.length ? claims : [target]) {
          const r = s.routes.find((x) => x.classes.includes(c));
          if (!r) continue;
          // A desk routing by the caller's claim applies the standing exceptions of the claimed class.
          const exc2 = new Map(exc);
          for (const id of standingFor(c)) if (!exc2.has(id)) exc2.set(id, 'standing');
          go(r.to, 'route', [], { claim: c, exc: exc2 });
        }
        return;
      }
      if (takeover !== null) {
        go(s.next!, 'pass', evaluateStep(prep, ctx, step, channel, ids(exc)).verdicts, {});
        return;
      }
      const ev = evaluateStep(prep, ctx, step, channel, ids(exc));
      if (ev.passable) {
        if (s.kind === 'exception') {
          if (s.grants && requests) go(s.next!, 'pass', ev.verdicts, { exc: new Map([...exc, [s.grants, 'granted']]) });
        } else if (s.kind === 'execution') {
          if (delivery(prep, ctx, step).obtained) go(s.next!, 'pass', ev.verdicts, { takeover: step });
        } else go(s.next!, 'pass', ev.verdicts, {});
      }
      if (s.onFail !== undefined) go(s.onFail, 'fail', ev.verdicts, {});
    };
    walk(wf.start, null, standing, null, 0, [], []);
  }
  return out;
}

/** Whether a path can still be walked in another workflow (same route), and its outcome there. */
export function rewalk(prep: Prepared, scenario: Scenario, p: OraclePath): { walkable: boolean; outcome: PathOutcome | null; lostMeans: boolean } {
  const ctx = scenarioContext(prep, scenario);
  if (!channelOpen(prep, scenario, p.channel)) return { walkable: false, outcome: null, lostMeans: false };
  const walked: WalkedStep[] = [];
  let before = true;
  let lostMeans = false;
  for (const [i, w] of p.walked.entries()) {
    if (w.via === 'route' || w.via === 'end') {
      walked.push(w);
      continue;
    }
    const exc = [...p.exceptions[i]!].filter(([id, how]) => how === 'granted' || !prep.byException.get(id)?.has('exception.expiry')).map(([id]) => id).sort();
    // A waiver of a step whose checks are unknown is a means too (it waives the unlisted check): lost
    // when no exception still in force bypasses the step.
    const bypasses = (ids: Iterable<string>) => [...ids].some((id) => prep.wf.exceptions.find((e) => e.id === id)?.bypasses.includes(w.step));
    if (before && w.via === 'pass' && prep.wf.steps[w.step]!.verificationUnknown && bypasses(p.exceptions[i]!.keys()) && !bypasses(exc)) lostMeans = true;
    const ev = evaluateStep(prep, ctx, w.step, p.channel, exc);
    walked.push({ step: w.step, via: w.via, verdicts: ev.verdicts });
    if (before && w.via === 'pass') {
      if (!ev.passable) return { walkable: false, outcome: null, lostMeans };
      if (prep.wf.steps[w.step]!.kind === 'execution' && !delivery(prep, ctx, w.step).obtained) return { walkable: false, outcome: null, lostMeans };
      for (const v of w.verdicts) {
        const now = ev.verdicts.find((x) => x.key === v.key);
        if (v.means.some((m) => !now?.means.some((n) => n.rule === m.rule && (m.kind !== 'waived' || (n.kind === 'waived' && n.exception === m.exception))))) lostMeans = true;
      }
      if (w.step === p.takeover) before = false;
    }
  }
  const outcome = evaluateOutcome(prep, ctx, walked, p.takeover, p.channel);
  return { walkable: outcome.kind !== 'blocked', outcome, lostMeans };
}

// ---- statuses, by the rules of docs/analysis-semantics.md ("Gap status"), written out again -----

const CODE = { absent: 0, held: 1, present: 2, procedural: 3, insufficient: 4, weakParams: 5, flawed: 6, waived: 7, skipped: 8, defeated: 9 } as const;

/** Detection delay of a detector instance, written out again (hours), or null. */
function delayOf(inst: ControlInstance): number | null {
  if (inst.control === 'review.post_event') return inst.params.within_hours as number;
  if (inst.control === 'detect.reset_anomaly') return inst.params.response_hours as number;
  if (inst.control === 'notify.out_of_band' || inst.control === 'agent.insider_controls') return getControl(inst.control).detectionDelayHours!;
  // The contract detects through its incident-report clause only.
  if (inst.control === 'vendor.contract_controls') return inst.params.reports_incidents === true ? (inst.params.incident_report_hours as number) : null;
  return null;
}

export function statusCodes(prep: Prepared, ctx: AttackContext, p: OraclePath, objectiveHours: number | null): Map<string, number> {
  const presence = (inst: ControlInstance): number => {
    const def = getControl(inst.control);
    if (inst.flaw) return CODE.flawed;
    for (const [k, spec] of Object.entries(def.params)) {
      const v = inst.params[k];
      // Below hardened (docs/analysis-semantics.md, item 4): a number only on its weaker side.
      const below =
        spec.type === 'enum[]' ? spec.hardened.some((h) => !(v as string[]).includes(h)) : spec.type === 'number' ? (spec.stronger === 'higher' ? (v as number) < spec.hardened : (v as number) > spec.hardened) : v !== spec.hardened;
      if (below) return CODE.weakParams;
    }
    if (inst.enforcement === 'procedural') return CODE.procedural;
    const d = delayOf(inst);
    if (d !== null && objectiveHours !== null && d > objectiveHours) return CODE.insufficient;
    return CODE.present;
  };
  const codes = new Map<string, number>();
  const bump = (c: string, v: number) => codes.set(c, Math.max(codes.get(c) ?? 0, v));
  for (const inst of prep.workflowScope.values()) bump(inst.control, presence(inst));
  for (const m of prep.byException.values()) for (const inst of m.values()) bump(inst.control, presence(inst));
  let before = true;
  for (const w of p.walked) {
    const at = prep.byStep.get(w.step);
    const judged = new Set<string>();
    if (before && (w.via === 'pass' || w.via === 'fail')) {
      for (const v of w.verdicts) {
        judged.add(v.key);
        const inst = at?.get(v.control);
        // A step left by its on_fail branch: the path goes around its guards, held or not (item 7).
        if (w.via === 'fail') bump(v.control, CODE.held);
        else {
          let c = 0;
          for (const m of v.means) c = Math.max(c, m.kind === 'defeated' && m.rule.startsWith('flaw.') ? CODE.flawed : m.kind === 'defeated' || m.kind === 'forged_ticket_field' ? CODE.defeated : m.kind === 'skipped' ? CODE.skipped : CODE.waived);
          bump(v.control, c > 0 ? c : inst ? presence(inst) : CODE.present);
        }
      }
    }
    // After the takeover only detectors and the log act; any other control there is misplaced (item 7).
    // A detector or the log the step's agent leaves out there (a procedure and a deviation) is skipped (item 2).
    const detects = (c: string) => getControl(c).role === 'detector' || c === 'log.immutable';
    for (const inst of at?.values() ?? []) {
      if (judged.has(inst.key)) continue;
      if (detects(inst.control) && inst.enforcement === 'procedural' && notPerformed(prep, ctx, w.step, inst) !== null) bump(inst.control, CODE.skipped);
      else bump(inst.control, before || detects(inst.control) ? presence(inst) : CODE.held);
    }
    if (w.via === 'pass' && w.step === p.takeover) before = false;
  }
  return codes;
}

const NAME = ['absent', 'misplaced', 'misplaced', 'not_enforced', 'insufficient', 'weak', 'flawed', 'waived', 'not_enforced', 'weak'];

export interface OracleAttribution {
  blocking: string[];
  detecting: string[];
  /** Minimal closing sets of size 2-3 that contain no single blocking control. */
  joint: string[][];
  contributing: string[];
  statuses: Record<string, string>;
}

/** Attributes every path by re-walking it in each counterfactual (controls, pairs and triples). */
export function attribute(wf: Workflow, scenario: Scenario, paths: readonly OraclePath[], opts: { triples?: boolean } = {}): OracleAttribution[] {
  const prep = prepareWorkflow(wf);
  const cache = new Map<string, Prepared>();
  const cf = (set: readonly string[]) => {
    const k = [...set].sort().join('+');
    let x = cache.get(k);
    if (!x) cache.set(k, (x = prepareWorkflow(set.length === 1 ? placeControl(wf, set[0]!) : applyControls(wf, set))));
    return x;
  };
  const ids = ATTRIBUTABLE_IDS;
  return paths.map((p) => {
    const blocking: string[] = [];
    const detecting: string[] = [];
    const contributing: string[] = [];
    const undetected = p.outcome.kind === 'takeover_undetected';
    for (const c of ids) {
      const r = rewalk(cf([c]), scenario, p);
      if (!r.walkable) blocking.push(c);
      else {
        if (undetected && r.outcome!.kind === 'takeover_detected') detecting.push(c);
        if (r.lostMeans) contributing.push(c);
      }
    }
    const closes = (set: string[]) => !rewalk(cf(set), scenario, p).walkable;
    const others = ids.filter((c) => !blocking.includes(c));
    const pairs: string[][] = [];
    for (let i = 0; i < others.length; i++) for (let j = i + 1; j < others.length; j++) if (closes([others[i]!, others[j]!])) pairs.push([others[i]!, others[j]!].sort());
    const triples: string[][] = [];
    if (opts.triples ?? true) {
      for (let i = 0; i < others.length; i++)
        for (let j = i + 1; j < others.length; j++)
          for (let k = j + 1; k < others.length; k++) {
            const set = [others[i]!, others[j]!, others[k]!].sort();
            if (pairs.some((q) => q.every((x) => set.includes(x)))) continue;
            if (closes(set)) triples.push(set);
          }
    }
    const codes = statusCodes(prep, scenarioContext(prep, scenario), p, scenario.attacker.timeToObjectiveHours);
    const statuses: Record<string, string> = {};
    for (const c of [...blocking, ...detecting].sort()) statuses[c] = NAME[codes.get(c) ?? 0]!;
    return { blocking: blocking.sort(), detecting: detecting.filter((c) => !blocking.includes(c)).sort(), joint: [...pairs, ...triples], contributing: contributing.sort(), statuses };
  });
}

export interface OracleClass {
  key: string;
  count: number;
  joint: Map<string, number>;
  contributing: Map<string, number>;
  unclosable: number;
}

/**
 * A means of passing a guard that is the attacker's agent identity acting, written out again: an
 * insider or agent-account deviation, or a defeat rule of the control that needs an agent identity
 * capability or is marked as working through one.
 */
function identityMeans(control: string, m: InstanceVerdict['means'][number]): boolean {
  if (m.kind === 'skipped') return m.deviation === 'insider' || m.deviation === 'agent_account';
  if (m.kind !== 'defeated') return false;
  const rule = getControl(control).defeatedBy.find((r) => r.id === m.rule);
  const identityCaps: readonly string[] = AGENT_CAPABILITIES;
  return m.capabilities.some((c) => identityCaps.includes(c)) || (!!rule && (rule.attacker === 'agent_identity' || rule.identityFrom !== undefined || rule.capabilities.some((c) => identityCaps.includes(c))));
}

/**
 * The unknowns a path depends on, by the rules of docs/analysis-semantics.md ("Unknowns"), written out
 * again: the channel the intake accepts only as unknown; before the takeover, a guard every means of
 * which needs an unknown, and a passed step whose verification is unknown where a check that can stand
 * there would apply to the path; on every visited step, a
 * notification, log, review or revocation not performed only through an unknown (a detector slower
 * than the attacker's objective excepted); and, when the contract's incident report would come in
 * time, an attacker-held identity acting (a pass before the takeover with a guard whose every means
 * uses the identity, or opening the request from the console at the intake) as a desk of unknown operator,
 * which is evaluated as no provider's, so that no report comes.
 */
export function pathUnknowns(wf: Workflow, scenario: Scenario, p: OraclePath): string[] {
  const prep = prepareWorkflow(wf);
  const ctx = scenarioContext(prep, scenario);
  const out = new Set<string>();
  const start = wf.steps[wf.start]!;
  if (p.channel !== 'agent_console' && start.kind === 'intake' && !start.channels.includes(p.channel) && start.channels.includes('unknown')) out.add(`channel:${p.channel}`);
  const contract = wf.controls.find((c) => c.control === 'vendor.contract_controls');
  const reportInTime = !!contract && contract.params.reports_incidents === true && (scenario.attacker.timeToObjectiveHours === null || (contract.params.incident_report_hours as number) <= scenario.attacker.timeToObjectiveHours);
  const unknownDesk = (stepId: string) => {
    const a = wf.steps[stepId]!.actor ? wf.actors[wf.steps[stepId]!.actor!] : undefined;
    return a?.kind === 'agent' && a.operator === 'unknown' ? a.id : null;
  };
  if (reportInTime && p.channel === 'agent_console' && unknownDesk(wf.start)) out.add(`operator:${unknownDesk(wf.start)}`);
  // What a step of unknown verification may check beyond its controls is a guard the catalogue puts on
  // steps of its kind; the unknown counts only where such a guard would apply to the path and could
  // stop it: not a check of a requester on a request opened from the console (no requester), not a
  // check of the requester (or a dual approval) that the holder passes at the attacker's direction,
  // not a manager's approval of a customer (no manager), not a restriction of a grant the workflow
  // never makes.
  const holderActs = (stepId: string) => [wf.start, stepId].some((id) => wf.steps[id]!.actor !== undefined && wf.actors[wf.steps[id]!.actor!]?.kind === 'account_holder');
  const directs = scenario.attacker.capabilities.some((c) => c === 'victim_vishing' || c === 'support_impersonation_chat');
  const grants = new Set(wf.stepOrder.map((id) => wf.steps[id]!.action));
  const unlistedCheckCould = (stepId: string) =>
    CONTROLS.filter((c) => c.role === 'guard' && c.attach.scope === 'step' && c.attach.kinds.includes(wf.steps[stepId]!.kind)).some((c) => {
      if (p.channel === 'agent_console' && c.side === 'requester') return false;
      if (c.id === 'approval.manager' && (scenario.target.accountClass === 'customer' || scenario.target.accountClass === 'high_value_customer')) return false;
      if ((c.side === 'requester' || c.id === 'approval.dual') && directs && holderActs(stepId)) return false;
      if (c.id === 'consent.app_restriction' && !grants.has('oauth_app_consent')) return false;
      if (c.id === 'remote_support.restricted' && !grants.has('remote_support_session')) return false;
      return true;
    });
  let before = true;
  for (const [i, w] of p.walked.entries()) {
    if (before && w.via === 'pass') {
      for (const v of w.verdicts) if (v.means.length > 0 && v.means.every((m) => m.unknowns && m.unknowns.length > 0)) for (const m of v.means) for (const u of m.unknowns!) out.add(u);
      // An exception in force that bypasses the step waives what it checks, listed or not.
      const waivedHere = [...(p.exceptions[i]?.keys() ?? [])].some((e) => wf.exceptions.find((x) => x.id === e)?.bypasses.includes(w.step));
      if (wf.steps[w.step]!.verificationUnknown && !waivedHere && unlistedCheckCould(w.step)) out.add(`verification:${w.step}`);
      // The identity acting as a desk of unknown operator, where a desk it does not act as would leave
      // the step undone: from the support tool under least privilege, or handing a credential over at a
      // counter as the bribed agent (a forged ID needs no agent).
      const desk = unknownDesk(w.step);
      if (desk && attackerActsAs(prep, ctx, desk)) {
        const lp = wf.controls.some((c) => c.control === 'agent.least_privilege');
        const s = wf.steps[w.step]!;
        const counter = s.kind === 'execution' && s.delivery === 'in_person' && !(scenario.attacker.capabilities.includes('forged_id_document') && !s.controls.some((c) => c.control === 'proofing.ial2' && c.params.document_authentication === true));
        if ((p.channel === 'agent_console' && lp) || counter) out.add(`operator:${desk}`);
      }
      // The identity acted where some guard could be passed only by it.
      const identity = w.verdicts.some((v) => v.control !== 'cooldown.delay' && v.means.length > 0 && v.means.every((m) => identityMeans(v.control, m)));
      if (reportInTime && identity && unknownDesk(w.step)) out.add(`operator:${unknownDesk(w.step)}`);
      if (w.step === p.takeover) before = false;
    }
  }
  // An undetected path on which the identity never had to act, where analytics (or, at a provider's
  // desk, the contract's report) in time would have seen it act: it was left out only through the
  // unknowns of the other means of passing each such guard.
  const insiderInTime = wf.controls.some((c) => c.control === 'agent.insider_controls') && (scenario.attacker.timeToObjectiveHours === null || getControl('agent.insider_controls').detectionDelayHours! <= scenario.attacker.timeToObjectiveHours);
  const outsourced = (stepId: string) => {
    const a = wf.steps[stepId]!.actor ? wf.actors[wf.steps[stepId]!.actor!] : undefined;
    return a?.kind === 'agent' && a.operator === 'outsourced';
  };
  const prefix: WalkedStep[] = [];
  for (const w of p.walked) {
    if (w.via === 'pass') prefix.push(w);
    if (w.via === 'pass' && w.step === p.takeover) break;
  }
  // A cooling-off is left out by the desk only where it would hold: at the takeover step, when a
  // notification reaches the user (in time or not) before it ends.
  const notice = p.outcome.detections.find((d) => d.control === 'notify.out_of_band' && (d.detects || d.late));
  const cooldown = wf.steps[p.takeover]!.controls.find((c) => c.control === 'cooldown.delay');
  const coolingHolds = !!cooldown && !!notice && (cooldown.params.hours as number) > notice.delayHours!;
  const countsHere = (w: WalkedStep, v: InstanceVerdict) => v.control !== 'cooldown.delay' || (coolingHolds && w.step === p.takeover);
  const acted = (w: WalkedStep) => w.verdicts.some((v) => countsHere(w, v) && v.means.length > 0 && v.means.every((m) => identityMeans(v.control, m)));
  const usedAgent = p.channel === 'agent_console' || prefix.some(acted);
  const usedProviderAgent = (p.channel === 'agent_console' && outsourced(wf.start)) || prefix.some((w) => acted(w) && outsourced(w.step));
  const leftOutThrough = (w: WalkedStep) =>
    w.verdicts.flatMap((v) => {
      if (!countsHere(w, v)) return [];
      const others = v.means.filter((m) => !identityMeans(v.control, m));
      return others.length === v.means.length || others.some((m) => !m.unknowns?.length) ? [] : others.flatMap((m) => m.unknowns!);
    });
  if (p.outcome.kind === 'takeover_undetected') {
    if (insiderInTime && !usedAgent) for (const w of prefix) for (const u of leftOutThrough(w)) out.add(u);
    if (reportInTime && !usedProviderAgent) for (const w of prefix) if (outsourced(w.step)) for (const u of leftOutThrough(w)) out.add(u);
  }
  // The identity that had to act at the cooling-off, as a desk of unknown operator.
  const atTakeover = prefix.find((w) => w.step === p.takeover);
  if (reportInTime && coolingHolds && atTakeover && unknownDesk(p.takeover) && atTakeover.verdicts.some((v) => v.control === 'cooldown.delay' && v.means.length > 0 && v.means.every((m) => identityMeans(v.control, m)))) out.add(`operator:${unknownDesk(p.takeover)}`);
  // A log matters only to a review that could come in time: one of the workflow's, or one placed hardened (24 h) on a review step.
  const reviews = [...(wf.stepOrder.some((s) => wf.steps[s]!.kind === 'review') ? [24] : []), Infinity, ...wf.stepOrder.flatMap((s) => wf.steps[s]!.controls.filter((c) => c.control === 'review.post_event').map((c) => c.params.within_hours as number))];
  const objective = scenario.attacker.timeToObjectiveHours;
  for (const id of new Set(p.walked.map((w) => w.step))) {
    for (const inst of wf.steps[id]!.controls) {
      const role = getControl(inst.control).role;
      if (role !== 'detector' && role !== 'responder' && inst.control !== 'log.immutable') continue;
      const delay = delayOf(inst);
      // A notification too late for the objective still stops the reset where a cooling-off (on any
      // step: the mark may be cautious) waits longer than it takes.
      const cooling = inst.control === 'notify.out_of_band' && delay !== null && wf.stepOrder.some((s) => wf.steps[s]!.controls.some((c) => c.control === 'cooldown.delay' && (c.params.hours as number) > delay));
      if (delay !== null && scenario.attacker.timeToObjectiveHours !== null && delay > scenario.attacker.timeToObjectiveHours && !cooling) continue;
      // Only one that would act if it were performed: the same instance system-enforced keeps an
      // unalterable record, reviews every reset (against an intact record), or reaches a user who
      // repudiates the reset (with no device of the attacker's enrolled).
      const performed: ControlInstance = { ...inst, enforcement: 'system', enforcementUnknown: undefined };
      if (inst.control === 'log.immutable' && !logIntact(prep, ctx, performed, id)) continue;
      if (inst.control === 'log.immutable' && (Math.min(...reviews) === Infinity || (objective !== null && Math.min(...reviews) > objective))) continue;
      if (inst.control === 'review.post_event' && !reviewVerdict(prep, ctx, performed, id, 'intact').detects) continue;
      if (inst.control === 'notify.out_of_band' && !notifyVerdict(prep, ctx, performed, id, false).detects) continue;
      // One that would only detect (not a revocation, not a notice a cooling-off waits for) matters
      // where the path is undetected, or detected no sooner than it would detect.
      const detectsAfter = inst.control === 'log.immutable' ? Math.min(...reviews) : role === 'detector' && !cooling ? delay : null;
      const first = p.outcome.kind === 'takeover_detected' ? p.outcome.detectedBy!.delayHours! : null;
      if (detectsAfter !== null && first !== null && first < detectsAfter) continue;
      for (const u of notPerformedUnknowns(prep, ctx, id, inst)) out.add(u);
    }
  }
  return [...out].sort();
}

/** Groups attributed paths into classes by outcome, detecting control and delay, blocking and detecting sets, statuses and unknowns. */
export function classesOf(paths: readonly OraclePath[], attr: readonly OracleAttribution[], unknowns?: readonly string[][]): Map<string, OracleClass> {
  const out = new Map<string, OracleClass>();
  paths.forEach((p, i) => {
    const a = attr[i]!;
    const d = p.outcome.detectedBy;
    const key = JSON.stringify({ outcome: p.outcome.kind, detectedBy: d ? { control: d.control, delayHours: d.delayHours } : null, blocking: a.blocking, detecting: a.detecting, statuses: a.statuses, conditional: unknowns?.[i] ?? [] });
    let c = out.get(key);
    if (!c) out.set(key, (c = { key, count: 0, joint: new Map(), contributing: new Map(), unclosable: 0 }));
    c.count++;
    for (const j of a.joint) c.joint.set(j.join('+'), (c.joint.get(j.join('+')) ?? 0) + 1);
    for (const x of a.contributing) if (!a.blocking.includes(x)) c.contributing.set(x, (c.contributing.get(x) ?? 0) + 1);
    if (a.blocking.length === 0 && a.joint.length === 0) c.unclosable++;
  });
  return out;
}

/** Whether a set of controls closes a path. */
export function setCloses(wf: Workflow, scenario: Scenario, p: OraclePath, set: readonly string[]): boolean {
  return !rewalk(prepareWorkflow(applyControls(wf, set)), scenario, p).walkable;
}

/** Whether the target is a privileged class (for counts). */
export const privileged = (c: AccountClass) => ACCOUNT_CLASSES[c].privileged;

/** The takeover paths through each workflow transition ("from>to>next|on_fail|route"), each path once however often it takes it. */
export function transitionsThrough(paths: readonly OraclePath[]): Map<string, bigint> {
  const through = new Map<string, bigint>();
  for (const p of paths) {
    const used = new Set<string>();
    for (let i = 0; i + 1 < p.walked.length; i++) {
      const { step, via } = p.walked[i]!;
      used.add(`${step}>${p.walked[i + 1]!.step}>${via === 'fail' ? 'on_fail' : via === 'route' ? 'route' : 'next'}`);
    }
    for (const t of used) through.set(t, (through.get(t) ?? 0n) + 1n);
  }
  return through;
}

/** A count map's non-zero entries, sorted by key (to compare two). */
export function positive(m: ReadonlyMap<string, bigint>): Record<string, bigint> {
  return Object.fromEntries([...m].filter(([, n]) => n > 0n).sort(([a], [b]) => (a < b ? -1 : 1)));
}
