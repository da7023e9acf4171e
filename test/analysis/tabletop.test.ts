// Issue 13: a tabletop exercise runs the workflow's own machine with the room's decisions. Every
// decision point says what the caller claims, the evidence offered and the controls in play; a room
// that decides as the controls require is never taken over where the exhaustive analysis finds no
// takeover path; the room's own deviations become gaps with their owners.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, compliantRun, ExerciseError, exerciseNotPlayable, exerciseRouteText, exerciseRoutes, runExercise, type DecisionPoint, type ExerciseDecision, type ExerciseRoute, type ExerciseState } from '../../analysis/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { ACCOUNT_CLASSES, channelName, loadWorkflowOrThrow, type AccountClass } from '../../models/index.ts';

const scenarios = loadBundledScenarios();
const workflows = loadBundledWorkflows();
const wf = (id: string) => workflows.find((w) => w.id === id)!;
const sc = (id: string) => scenarios.find((s) => s.id === id)!;

/** Plays a log of choices given by option id only, each at whatever point the room is at. */
function play(workflowId: string, scenarioId: string, choices: string[]): { state: ExerciseState; log: ExerciseDecision[] } {
  const w = wf(workflowId);
  const s = sc(scenarioId);
  const route = exerciseRoutes(w, s).routes[0]!;
  const log: ExerciseDecision[] = [];
  let state = runExercise(w, s, route, log);
  for (const choice of choices) {
    log.push({ point: state.current!.id, choice });
    state = runExercise(w, s, route, log);
  }
  return { state, log };
}

/** A room that approves at every point until the exercise ends. */
function approveAll(workflowId: string, scenarioId: string): ExerciseState {
  const w = wf(workflowId);
  const s = sc(scenarioId);
  const route = exerciseRoutes(w, s).routes[0]!;
  const log: ExerciseDecision[] = [];
  let state = runExercise(w, s, route, log);
  while (state.current) {
    log.push({ point: state.current.id, choice: 'approve' });
    state = runExercise(w, s, route, log);
  }
  return state;
}

describe('decision points over every bundled workflow and scenario', () => {
  const pairs = workflows.flatMap((w) => scenarios.filter((s) => !exerciseNotPlayable(w, s)).flatMap((s) => exerciseRoutes(w, s).routes.map((route) => ({ w, s, route }))));

  it('covers the library: hundreds of playable workflow x scenario x route combinations', () => {
    expect(pairs.length).toBeGreaterThan(200);
  });

  it('names at every decision point the claim, the evidence offered, the controls in play and what the controls require', () => {
    let points = 0;
    for (const { w, s, route } of pairs) {
      const { state } = compliantRun(w, s, route);
      // Re-walk the compliant log to see every point the room met.
      const seen = new Set<string>();
      for (let i = 0; i <= state.decisions.length; i++) {
        const p = runExercise(w, s, route, state.decisions.slice(0, i).map((d) => ({ point: d.point, choice: d.choice }))).current;
        if (!p || seen.has(p.id)) continue;
        seen.add(p.id);
        points++;
        const where = `${w.id} x ${s.id} at ${p.stepName}`;
        expect(p.caller.claimedClass, where).toBeTruthy();
        expect(p.caller.channel, where).toBe(route.channel);
        expect(Array.isArray(p.evidence), where).toBe(true);
        // The room hears the channel and the claimed class in words, not their identifiers.
        if (p.kind === 'intake') expect(p.evidence[0], where).toBe(`opens the request by ${channelName(route.channel)}, claiming the ${ACCOUNT_CLASSES[p.caller.claimedClass as AccountClass].name} class`);
        const step = w.steps[p.step]!;
        const guards = step.controls.filter((c) => p.controls.some((x) => x.key === c.key));
        expect(p.controls.length, where).toBeGreaterThanOrEqual(guards.length);
        for (const c of p.controls) {
          expect(c.ownerTitle, where).toMatch(/^Owner of /);
          expect(['holds', 'passes', 'not_applicable'], where).toContain(c.ifPerformed);
          expect(c.why.length, where).toBeGreaterThan(0);
        }
        expect(['approve', 'fallback', 'deny'], where).toContain(p.required.choice);
        expect(p.options.map((o) => o.id), where).toContain(p.required.choice);
        expect(p.inject.title, where).toContain(p.stepName);
        expect(p.inject.text, where).toContain(p.stepName);
      }
    }
    expect(points).toBeGreaterThan(500);
  });

  it('ends blocked for a room that decides exactly as the controls require wherever the analysis finds no takeover path', () => {
    let blocked = 0;
    let takenWhereOpen = 0;
    for (const w of workflows) {
      const report = analyzeWorkflow(w, scenarios, { minimalSets: false });
      for (const r of report.scenarios) {
        const s = sc(r.scenario);
        if (exerciseNotPlayable(w, s)) continue;
        for (const route of exerciseRoutes(w, s).routes) {
          const { state } = compliantRun(w, s, route);
          expect(state.end, `${w.id} x ${s.id}: the compliant run finishes`).not.toBeNull();
          if (String(r.paths) === '0') {
            expect(state.end!.kind, `${w.id} x ${s.id} via ${route.channel}: analysis blocked, so must the room be`).toBe('blocked');
            blocked++;
          } else if (state.end!.kind !== 'blocked') takenWhereOpen++;
        }
      }
    }
    // Both sides occur: the property is not vacuous, and compliance alone does not stop a defeated control.
    expect(blocked).toBeGreaterThan(100);
    expect(takenWhereOpen).toBeGreaterThan(50);
  });

  it('plays the same log to the same state every time (a session resumes and replays exactly)', () => {
    const w = wf('standard-password-reset.weak');
    const s = sc('s01-osint-vishing');
    const route = exerciseRoutes(w, s).routes[0]!;
    const { log, state } = compliantRun(w, s, route);
    expect(runExercise(w, s, route, log)).toEqual(state);
  });
});

describe('the room moves the machine', () => {
  it('lets a pressured executive caller take over when the room approves every step of the weak VIP path', () => {
    const state = approveAll('executive-vip-reset.weak', 's02-executive-pressure');
    expect(state.end?.kind).toBe('takeover_undetected');
    // The room hears that the reset was done; how the credential reached the attacker is the facilitator's detail.
    expect(state.decisions.at(-1)!.result).toBe('The reset was performed');
    expect(state.decisions.at(-1)!.detail).toMatch(/takeover/);
    // The VIP exception never expires: the proofing it waives is the workflow's gap, not the room's.
    expect(state.gaps.map((g) => `${g.kind} ${g.control}`)).toEqual(['waived_by_exception proofing.ial2', 'defeated callback.number_on_file']);
  });

  it('records a procedural control the room skipped as a gap owned by the control\'s owner, and flags the decision as differing from what the controls require', () => {
    // A forged ID at the counter: the weak desk's procedural ID check would hold if performed.
    const state = approveAll('standard-password-reset.weak', 's25-forged-id-at-the-counter');
    const d = state.decisions.find((x) => x.gaps.some((g) => g.kind === 'skipped_by_room'))!;
    expect(d).toBeDefined();
    expect(d.matches).toBe(false);
    expect(d.required?.choice).not.toBe('approve');
    const g = d.gaps.find((x) => x.kind === 'skipped_by_room')!;
    expect(g.control).toBe('proofing.ial2');
    expect(g.ownerTitle).toMatch(/^Owner of identity-proofing standards/);
    expect(g.why).toMatch(/would have held/);
    expect(state.end?.kind).toMatch(/^takeover/);
    expect(state.gaps).toContainEqual(g);
  });

  it('blocks the same caller when the room performs the check the workflow requires', () => {
    const w = wf('standard-password-reset.weak');
    const s = sc('s25-forged-id-at-the-counter');
    const { state } = compliantRun(w, s, exerciseRoutes(w, s).routes[0]!);
    expect(state.end?.kind).toBe('blocked');
    expect(state.decisions.every((d) => d.matches !== false)).toBe(true);
    expect(state.gaps.filter((g) => g.kind === 'skipped_by_room')).toEqual([]);
  });

  it('refuses an approval where a system-enforced control holds: the machine stays shut whatever the room says', () => {
    let found = false;
    for (const w of workflows) {
      for (const s of scenarios) {
        if (exerciseNotPlayable(w, s) || found) continue;
        const route = exerciseRoutes(w, s).routes[0]!;
        const log: ExerciseDecision[] = [];
        let state = runExercise(w, s, route, log);
        while (state.current && !found) {
          const p = state.current;
          const system = p.controls.find((c) => c.enforcement === 'system' && c.ifPerformed === 'holds' && !/waive/.test(c.why));
          log.push({ point: p.id, choice: 'approve' });
          state = runExercise(w, s, route, log);
          if (system && state.decisions.at(-1)!.result.startsWith('The system refused')) {
            found = true;
            expect(state.decisions.at(-1)!.matches).toBe(false);
            expect(state.decisions.at(-1)!.result).toContain(system.name);
          }
        }
      }
    }
    expect(found).toBe(true);
  });

  it('follows the workflow\'s fallback when the room sends the caller there', () => {
    const w = wf('mfa-reenrollment-phone.weak');
    const s = sc('s05-my-phone-broke');
    const route = exerciseRoutes(w, s).routes[0]!;
    const log: ExerciseDecision[] = [];
    let state = runExercise(w, s, route, log);
    while (state.current && !state.current.options.some((o) => o.id === 'fallback')) {
      log.push({ point: state.current.id, choice: 'approve' });
      state = runExercise(w, s, route, log);
    }
    expect(state.current).not.toBeNull();
    const at = state.current!;
    const target = w.steps[w.steps[at.step]!.onFail!]!;
    log.push({ point: at.id, choice: 'fallback' });
    state = runExercise(w, s, route, log);
    expect(state.decisions.at(-1)!.result).toContain(target.name);
    expect(state.decisions.at(-1)!.machineState).toBe(target.id);
  });

  it('does not move the machine when the room performs a control or asks for evidence, and says what it revealed', () => {
    const { state } = play('standard-password-reset.weak', 's01-osint-vishing', ['approve']);
    const p = state.current!;
    const perform = p.options.find((o) => o.kind === 'perform');
    const choices = ['approve', 'ask_evidence', ...(perform ? [perform.id] : [])];
    const after = play('standard-password-reset.weak', 's01-osint-vishing', choices).state;
    expect(after.current!.step).toBe(p.step);
    expect(after.current!.options.some((o) => o.id === 'ask_evidence')).toBe(false);
    expect(after.decisions[1]!.detail).toMatch(/Offers: /);
    if (perform) expect(after.decisions[2]!.result).toMatch(/holds|gets past it/);
  });

  it('ends the exercise when the room refuses, and refuses a decision after the end with a clear error', () => {
    const { state, log } = play('standard-password-reset.weak', 's01-osint-vishing', ['deny']);
    expect(state.end).toMatchObject({ kind: 'blocked', by: 'room' });
    expect(state.current).toBeNull();
    const w = wf('standard-password-reset.weak');
    const s = sc('s01-osint-vishing');
    expect(() => runExercise(w, s, exerciseRoutes(w, s).routes[0]!, [...log, { point: '1.2', choice: 'approve' }])).toThrow(/after the exercise ended/);
  });

  it('refuses a decision for a point the room is not at, or a choice the point does not offer, naming both', () => {
    const w = wf('standard-password-reset.weak');
    const s = sc('s01-osint-vishing');
    const route = exerciseRoutes(w, s).routes[0]!;
    expect(() => runExercise(w, s, route, [{ point: '1.7', choice: 'approve' }])).toThrow(ExerciseError);
    expect(() => runExercise(w, s, route, [{ point: '1.7', choice: 'approve' }])).toThrow(/answers point 1.7, but the room is at point 1.1/);
    expect(() => runExercise(w, s, route, [{ point: '1.1', choice: 'launch' }])).toThrow(/"launch" is not a choice/);
  });

  it('refuses, rather than hangs on, a workflow whose routing steps route back to themselves', () => {
    const text = readFileSync(new URL('../../models/library/standard-password-reset.weak.yaml', import.meta.url), 'utf8');
    // The loader refuses such a file, at the route that closes the loop.
    expect(() => loadWorkflowOrThrow(text.replace('        to: verify\n', '        to: route\n'), 'looped.yaml')).toThrow(/routing steps route -> route form a loop with no other step in it/);
    // A workflow built in memory, past the loader, is still refused by the exercise.
    const looped = structuredClone(wf('standard-password-reset.weak'));
    for (const r of looped.steps['route']!.routes) if (r.to === 'verify') r.to = 'route';
    const s = sc('s01-osint-vishing');
    expect(exerciseNotPlayable(looped, s)).toMatch(/routing step "route" routes back to itself/);
    expect(() => runExercise(looped, s, { channel: 'phone', claimedClass: 'standard_employee' }, [])).toThrow(ExerciseError);
  });

  it('ends a takeover whose next move loops back at the step it leads to, counting that step\'s notification, as the analysis does', () => {
    // The gate holds, so the room sends the caller to the fallback: the reset itself. Its next step,
    // the notification, was first met on the gate's own branch, so the move to it loops back.
    const w = loadWorkflowOrThrow(
      `resetpath: workflow/1
id: test.loop-to-notice
name: Reset that loops back to a notice
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1 }
  - { id: idp, kind: system, name: identity provider }
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: gate }
  - id: gate
    kind: approval
    actor: tier1
    controls:
      - { control: approval.dual, params: { separation_enforced: true, approver_evidence: independent_contact }, enforcement: system }
    next: notice
    on_fail: reset
  - id: notice
    kind: notification
    actor: idp
    controls:
      - { control: notify.out_of_band, enforcement: system }
    next: reset
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: notice }
  - { id: done, kind: end }
`,
      'loop-to-notice.yaml',
    );
    const s = sc('s01-osint-vishing');
    const route = exerciseRoutes(w, s).routes[0]!;
    const { state } = compliantRun(w, s, route);
    const analysis = analyzeWorkflow(w, [s]).scenarios[0]!;
    const viaFallback = analysis.classes.flatMap((c) => c.examples).find((p) => p.walked.some((x) => x.step === 'gate' && x.via === 'fail'))!;
    expect(viaFallback.walked.map((x) => `${x.step}:${x.via}`)).toEqual(['intake:pass', 'gate:fail', 'reset:pass', 'notice:end']);
    expect(state.end).toMatchObject({ kind: viaFallback.outcome.kind, step: 'reset' });
    expect(state.end!.kind).toBe('takeover_detected');
    expect(state.events.at(-1)).toMatchObject({ step: 'notice', what: expect.stringContaining('loop back') });
  });

  it('walks routing steps in a row one at a time, so a loop back through them costs the caller a retry and the attempts end', () => {
    // The check holds, so the room sends the caller to triage, whose desks route the request straight
    // back to the check: the machine runs through both desks at once; the walk must see the loop back.
    const w = loadWorkflowOrThrow(
      `resetpath: workflow/1
id: test.triage-loop
name: Triage back to the check
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1 }
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: verify }
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }
    next: reset
    on_fail: triage
  - id: triage
    kind: routing
    basis: caller_claim
    routes:
      - { classes: [standard_employee], to: desk }
  - id: desk
    kind: routing
    basis: directory
    routes:
      - { classes: [standard_employee], to: verify }
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: done }
  - { id: done, kind: end }
`,
      'triage-loop.yaml',
    );
    const s = sc('s01-osint-vishing');
    const { state } = compliantRun(w, s, exerciseRoutes(w, s).routes[0]!, 100);
    expect(state.end).toMatchObject({ kind: 'blocked', by: 'retries' });
    expect(state.decisions.filter((d) => d.choice === 'fallback')).toHaveLength(s.strategy.retries + 1);
    expect(state.events.filter((e) => e.step === 'desk').length).toBe(s.strategy.retries + 1);
  });

  it('refuses a route the scenario cannot open against the workflow', () => {
    const w = wf('standard-password-reset.weak');
    const s = sc('s01-osint-vishing');
    expect(() => runExercise(w, s, { channel: 'walk_in', claimedClass: null }, [])).toThrow(/not open/);
  });
});

/** The route of a scenario against a workflow given as "channel:class". */
function routeOf(workflowId: string, scenarioId: string, channel: string, claim: AccountClass): ExerciseRoute {
  const r = exerciseRoutes(wf(workflowId), sc(scenarioId)).routes.find((x) => x.channel === channel && x.claimedClass === claim);
  expect(r, `${scenarioId} opens ${channel}:${claim} against ${workflowId}`).toBeDefined();
  return r!;
}

/** Plays choices on a given route, each at whatever point the room is at. */
function playOn(workflowId: string, scenarioId: string, route: ExerciseRoute, choices: string[]): ExerciseState {
  const log: ExerciseDecision[] = [];
  let state = runExercise(wf(workflowId), sc(scenarioId), route, log);
  for (const choice of choices) {
    log.push({ point: state.current!.id, choice });
    state = runExercise(wf(workflowId), sc(scenarioId), route, log);
  }
  return state;
}

describe('what the room hears', () => {
  const moveTexts = (s: Scenario) => s.strategy.moves;

  it("quotes a move's words (say) to the room and keeps its narration for the facilitator", () => {
    const p = runExercise(wf('walk-in-service-point.weak'), sc('s25-forged-id-at-the-counter'), routeOf('walk-in-service-point.weak', 's25-forged-id-at-the-counter', 'walk_in', 'standard_employee'), []).current!;
    expect(p.caller.says).toBe("I've lost my phone and forgotten my desk PIN, here's my ID.");
    expect(p.inject.text).toContain(`The caller: "I've lost my phone and forgotten my desk PIN, here's my ID."`);
    expect(p.narration).toEqual(['At the counter, the attacker hands over the forged ID card.']);
    expect(p.inject.text).not.toContain('forged');
  });

  it('quotes nothing to the room for a move that is narration only, and gives the facilitator the narration', () => {
    const p = runExercise(wf('walk-in-service-point.weak'), sc('s25-forged-id-at-the-counter'), routeOf('walk-in-service-point.weak', 's25-forged-id-at-the-counter', 'phone', 'standard_employee'), []).current!;
    expect(p.caller.says).toBeNull();
    expect(p.inject.text).not.toMatch(/The caller:|virtual camera|Elsewhere/);
    expect(p.narration.join(' ')).toContain('virtual camera');
  });

  it("quotes the opening line of the class the route claims, not another claim's", () => {
    const w = 'standard-password-reset.weak';
    const s = 's16-privileged-mfa-reset-idp-takeover';
    const std = runExercise(wf(w), sc(s), routeOf(w, s, 'phone', 'standard_employee'), []).current!;
    expect(std.caller.says).toBe("Hi, I'm Jesse in IT ops, I just need my MFA cleared, new phone.");
    expect(std.inject.text).not.toMatch(/identity platform lead/);
  });

  it('never puts narration in an inject, and quotes only words a move of the scenario says, on every bundled route', () => {
    let quoted = 0;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => !exerciseNotPlayable(w, x))) {
        const says = new Set(moveTexts(s).flatMap((m) => (m.say ? [m.say.trim().replace(/\s+/g, ' ')] : [])));
        const narrations = moveTexts(s).flatMap((m) => (m.narration ? [m.narration.trim().replace(/\s+/g, ' ')] : []));
        for (const route of exerciseRoutes(w, s).routes) {
          const { state } = compliantRun(w, s, route);
          for (let i = 0; i <= state.decisions.length; i++) {
            const p = runExercise(w, s, route, state.decisions.slice(0, i).map((d) => ({ point: d.point, choice: d.choice }))).current;
            if (!p) continue;
            for (const n of narrations) expect(p.inject.text, `${w.id} ${s.id} ${route.channel}:${route.claimedClass} ${p.id}`).not.toContain(n);
            for (const q of [p.caller.says, p.pressure.says]) {
              if (q === null) continue;
              quoted++;
              expect(says.has(q), `${s.id}: "${q}" is a say of the scenario`).toBe(true);
            }
          }
        }
      }
    }
    expect(quoted).toBeGreaterThan(50);
  });
});

describe('asking the caller for more evidence', () => {
  it('tells the room what the caller says, not how the attacker gets past the check: that is the facilitator\'s detail', () => {
    const first = play('standard-password-reset.weak', 's01-osint-vishing', ['approve']).state.current!;
    expect(first.kind).toBe('proofing');
    expect(first.evidence.length).toBeGreaterThan(0);
    const d = play('standard-password-reset.weak', 's01-osint-vishing', ['approve', 'ask_evidence']).state.decisions[1]!;
    expect(d.result).toBe('Asked for more evidence, the caller says: "Sure - my employee ID is 40718, date of birth 14 March 1986, and my manager is Priya Shah."');
    for (const e of first.evidence) expect(d.result).not.toContain(e);
    expect(d.result).not.toMatch(/osint|spoofed|Offers/i);
    expect(d.detail).toContain('The desk display shows Jordan\'s desk extension: the caller ID is spoofed.');
    expect(d.detail).toContain(`Offers: ${first.evidence.join('; ')}`);
  });

  it('gives an evidence line only at the kind of step it answers, and a neutral line where none does', () => {
    const w = 'walk-in-service-point.weak';
    const s = 's25-forged-id-at-the-counter';
    const route = routeOf(w, s, 'walk_in', 'standard_employee');
    // At the authenticator-code step the counter agent's photo comparison is no answer.
    const atCode = playOn(w, s, route, ['approve', 'ask_evidence']);
    expect(atCode.decisions[0]!.step).not.toBe(atCode.current!.step);
    expect(atCode.current!.kind).toBe('step_up');
    const asked = atCode.decisions[1]!;
    expect(asked.result).toBe('Asked for more evidence; the facilitator tells the room what the caller offers');
    expect(asked.detail).not.toMatch(/counter agent/);
    // At the counter's photo-ID check it is.
    let state = playOn(w, s, route, []);
    const choices: string[] = [];
    while (state.current && state.current.kind !== 'proofing') {
      choices.push(state.current.required.choice);
      state = playOn(w, s, route, choices);
    }
    expect(state.current?.kind).toBe('proofing');
    const atCounter = playOn(w, s, route, [...choices, 'ask_evidence']).decisions.at(-1)!;
    expect(atCounter.detail).toMatch(/compares the card's photo/);
  });

  it('only ever offers an evidence line tied to the kind of step the room is at, on every bundled route', () => {
    let lines = 0;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => !exerciseNotPlayable(w, x))) {
        const evidence = s.strategy.moves.filter((m) => m.move === 'present_evidence');
        for (const route of exerciseRoutes(w, s).routes) {
          const { log } = compliantRun(w, s, route);
          const seen = new Set<string>();
          for (let i = 0; i <= log.length; i++) {
            const p = runExercise(w, s, route, log.slice(0, i)).current;
            if (!p || seen.has(p.id) || !p.options.some((o) => o.id === 'ask_evidence')) continue;
            seen.add(p.id);
            const d = runExercise(w, s, route, [...log.slice(0, i), { point: p.id, choice: 'ask_evidence' }]).decisions.at(-1)!;
            const fits = evidence.filter((m) => m.at?.includes(p.kind as never));
            const said = evidence.filter((m) => (m.say && d.result.includes(m.say.trim().replace(/\s+/g, ' '))) || (m.narration && d.detail!.includes(m.narration.trim().replace(/\s+/g, ' '))));
            for (const m of said) expect(fits, `${s.id} at ${w.id} ${p.id} (${p.kind})`).toContain(m);
            lines += said.length;
          }
        }
      }
    }
    expect(lines).toBeGreaterThan(20);
  });
});

describe('the attacker\'s pressure', () => {
  it('quotes a pressure line at one point of a walk only: once said, the room hears the caller push, not the same words again', () => {
    let walks = 0;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => !exerciseNotPlayable(w, x) && x.strategy.moves.some((m) => m.move === 'pressure' && m.say?.trim()))) {
        for (const route of exerciseRoutes(w, s).routes) {
          // Rooms that do what the controls require, that send every caller to the fallback where there
          // is one, and that give way: each meets the pressure wherever a check would hold.
          for (const pick of [(p: DecisionPoint) => p.required.choice, (p: DecisionPoint) => (p.options.some((o) => o.id === 'fallback') ? 'fallback' : 'approve'), () => 'approve']) {
            const log: ExerciseDecision[] = [];
            const said: string[] = [];
            let state = runExercise(w, s, route, log);
            while (state.current && log.length < 200) {
              if (state.current.pressure.says) said.push(state.current.pressure.says);
              log.push({ point: state.current.id, choice: pick(state.current) });
              state = runExercise(w, s, route, log);
            }
            const lines = s.strategy.moves.filter((m) => m.move === 'pressure' && m.say?.trim()).length;
            expect(said.length, `${w.id} ${s.id} ${route.channel}: ${said.join(' | ')}`).toBeLessThanOrEqual(lines);
            if (said.length) walks++;
          }
        }
      }
    }
    expect(walks).toBeGreaterThan(2);
  });
});

describe('the attacker\'s pressure after a fallback', () => {
  it('does not repeat the caller\'s pressure line at the fallback\'s check once the room heard it at the check before', () => {
    // Two checks that hold against the executive impersonator, the second the first's fallback; the scenario has one pressure line.
    const w = loadWorkflowOrThrow(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'tabletop', 'pressure-twice.yaml'), 'utf8'), 'pressure-twice.yaml');
    const s = sc('s02-executive-pressure');
    expect(s.strategy.moves.filter((m) => m.move === 'pressure')).toHaveLength(1);
    const route = exerciseRoutes(w, s).routes[0]!;
    const { log } = compliantRun(w, s, route);
    const points = new Map<string, DecisionPoint>();
    for (let i = 0; i <= log.length; i++) {
      const p = runExercise(w, s, route, log.slice(0, i)).current;
      if (p) points.set(p.id, p);
    }
    const verify = [...points.values()].find((p) => p.step === 'verify')!;
    const callback = [...points.values()].find((p) => p.step === 'callback')!;
    expect(verify.pressure.says).toMatch(/^I don't have time/);
    expect(verify.inject.text).toContain(`Pressure: "${verify.pressure.says}"`);
    // At the call-back the caller still pushes (the capability), without the same words again.
    expect(callback.pressure.says).toBeNull();
    expect(callback.inject.text).toContain('The caller pushes hard (urgency pressure, authority pressure).');
  });
});

describe('who decides at a step', () => {
  it('leaves a step a system or the account holder performs to the model: the room decides only where the organisation\'s people do, and the walk records the rest', () => {
    const w = wf('self-service-sms-fallback.weak');
    const s = sc('s04-sim-swap-sspr');
    const route = exerciseRoutes(w, s).routes[0]!;
    const state = runExercise(w, s, route, []);
    // The portal runs every step: nothing for the room to decide, and the SIM swap takes the account over.
    expect(state.current).toBeNull();
    expect(state.decisions).toEqual([]);
    expect(state.end?.kind).toBe('takeover_undetected');
    expect(state.events.filter((e) => /^performed by Self-service password reset portal, not the room: /.test(e.what)).map((e) => e.step)).toEqual(['intake', 'sms_code', 'portal_reset']);
    // The code reaching the attacker's SIM is the workflow's gap, as when a room passes the step.
    expect(state.gaps.map((g) => `${g.kind} ${g.control}`)).toContain('defeated step_up.verification');
    // As sessions stored before were played: the room decided there too.
    expect(runExercise(w, s, route, [], { decisionsAt: 'every_step' }).current?.actor?.kind).toBe('system');
  });

  it('never makes a decision point of a step no person of the organisation performs, and keeps the guarantee: a compliant room ends where the model says, on every bundled route', () => {
    let auto = 0;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => !exerciseNotPlayable(w, x))) {
        for (const route of exerciseRoutes(w, s).routes) {
          const { log, state } = compliantRun(w, s, route);
          const legacy = compliantRun(w, s, route, 10_000, { decisionsAt: 'every_step' }).state;
          // The same ending at the same step (who ended it differs: the room's refusal was the step's own).
          expect({ kind: state.end?.kind, step: state.end?.step }, `${w.id} ${s.id} ${route.channel}`).toEqual({ kind: legacy.end?.kind, step: legacy.end?.step });
          if (state.end?.kind !== 'blocked') expect(state.end).toEqual(legacy.end);
          for (let i = 0; i <= log.length; i++) {
            const p = runExercise(w, s, route, log.slice(0, i)).current;
            if (p?.actor) expect(['agent', 'manager', 'security_team', 'reviewer'], `${w.id} ${s.id} ${p.id}`).toContain(p.actor.kind);
          }
          auto += state.events.filter((e) => e.what.includes(', not the room: ')).length;
        }
      }
    }
    expect(auto).toBeGreaterThan(100);
  });
});

describe('a room with no caller in front of it', () => {
  it('is not offered to ask a caller for evidence on the agent console, and a stored session that asked there still replays', () => {
    const route = routeOf('standard-password-reset.weak', 's09-bribed-insider-agent', 'agent_console', 'standard_employee');
    const first = playOn('standard-password-reset.weak', 's09-bribed-insider-agent', route, []).current!;
    expect(first.options.map((o) => o.id)).not.toContain('ask_evidence');
    // Sessions stored before the option was withdrawn hold it: they open, and the choice moves nothing.
    const state = playOn('standard-password-reset.weak', 's09-bribed-insider-agent', route, ['ask_evidence']);
    expect(state.decisions[0]!.result).toMatch(/^Nobody to ask: on this route the request was opened in the support tool/);
    expect(state.current!.id).toBe(first.id);
    expect(state.current!.options.map((o) => o.id)).not.toContain('ask_evidence');
    // On a phone route the caller can still be asked.
    expect(playOn('standard-password-reset.weak', 's01-osint-vishing', exerciseRoutes(wf('standard-password-reset.weak'), sc('s01-osint-vishing')).routes[0]!, []).current!.options.map((o) => o.id)).toContain('ask_evidence');
  });
});

describe('whether a refusal is what the controls require', () => {
  it('scores a refusal as differing where the workflow sends the request to its fallback, and as required where the workflow itself refuses', () => {
    let fallbackSeen = false;
    let denySeen = false;
    for (const w of workflows) {
      for (const s of scenarios.filter((x) => !exerciseNotPlayable(w, x))) {
        const route = exerciseRoutes(w, s).routes[0]!;
        const { log } = compliantRun(w, s, route);
        for (let i = 0; i <= log.length && !(fallbackSeen && denySeen); i++) {
          const p = runExercise(w, s, route, log.slice(0, i)).current;
          if (!p || p.required.choice === 'approve') continue;
          const d = runExercise(w, s, route, [...log.slice(0, i), { point: p.id, choice: 'deny' }]).decisions.at(-1)!;
          expect(d.kind).toBe('deny');
          expect(d.matches, `${w.id} ${s.id} ${p.id}: required ${p.required.choice}`).toBe(p.required.choice === 'deny');
          if (p.required.choice === 'fallback') fallbackSeen = true;
          else denySeen = true;
        }
      }
    }
    expect(fallbackSeen && denySeen).toBe(true);
  });
});

describe('an exercise route in words', () => {
  it('names the channel and the claimed class as a room reads them, not by their identifiers', () => {
    expect(exerciseRouteText({ channel: 'walk_in', claimedClass: 'standard_employee' })).toBe('walk-in, claiming Standard employee');
    expect(exerciseRouteText({ channel: 'self_service', claimedClass: null })).toBe('self-service');
    expect(exerciseRouteText({ channel: 'ticket_portal', claimedClass: 'executive' })).toBe('ticket portal, claiming Executive / VIP');
    expect(exerciseRouteText({ channel: 'agent_console', claimedClass: null })).toBe('agent console');
  });
});
