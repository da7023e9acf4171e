// Issue 13 through the service: a facilitator sets up a session, the room decides, the presenter
// view never carries the facilitator's notes or hidden verdicts, the session resumes after a
// restart exactly where it was, every entry is in the audit log, and the after-action report lists
// each decision with its exercise time and the gap it left.
import { describe, expect, it } from 'vitest';
import { exerciseRouteText, exerciseClockText as minuteText } from '../../analysis/index.ts';
import type { ConsoleView } from '../../contract/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { buildAfterAction } from '../../backend/afterAction.ts';
import { deterministic, newService } from './helpers.ts';
import { Workspace } from '../../storage/index.ts';

const WF = 'standard-password-reset.weak';
const SC = 's25-forged-id-at-the-counter';
const SECRET = 'FACILITATOR-ONLY: the assistant is in on it';

/** A clock the test moves by hand, in minutes. */
function manualClock() {
  let t = Date.parse('2026-06-01T10:00:00Z');
  return { clock: () => new Date(t), advance: (min: number) => (t += min * 60_000) };
}

async function setUp(verdicts: 'live' | 'debrief' = 'debrief') {
  const c = manualClock();
  const { service, path } = newService({ clock: c.clock });
  const view = await service.api['tabletop.create']({
    title: 'Q3 counter drill',
    workflowId: WF,
    scenarioId: SC,
    participants: [
      { name: 'Priya Shah', role: 'proofing_standards_owner' },
      { name: 'Sam Ortiz', role: 'Service-desk lead' },
    ],
    verdicts,
    facilitator: 'Dana',
    notes: SECRET,
  });
  return { service, path, clock: c, id: view.session.id, view };
}

async function approve(service: Awaited<ReturnType<typeof setUp>>['service'], id: string, view: ConsoleView, by = 'Sam Ortiz'): Promise<ConsoleView> {
  return service.api['tabletop.decide']({ sessionId: id, point: view.current!.id, choice: 'approve', decidedBy: by, rationale: 'the caller had ID' });
}

describe('a tabletop session through the service', () => {
  it('records each decision with its exercise time, moves the machine, and names the gap the room left with its owner', async () => {
    const { service, id, view, clock } = await setUp();
    expect(view.current?.kind).toBe('intake');
    clock.advance(3);
    let v = await approve(service, id, view);
    expect(v.decisions[0]).toMatchObject({ atMinute: 3, choice: 'approve', decidedBy: 'Sam Ortiz', matches: true });
    while (v.current) {
      clock.advance(2);
      v = await approve(service, id, v);
    }
    expect(v.end?.kind).toMatch(/^takeover/);
    const skipped = v.gaps.find((g) => g.kind === 'skipped_by_room')!;
    expect(skipped).toMatchObject({ control: 'proofing.ial2', ownerNames: ['Priya Shah'] });
    expect(v.decisions.some((d) => d.matches === false)).toBe(true);
  });

  it('keeps the facilitator\'s notes and, in debrief mode, the verdicts out of the presenter view', async () => {
    const { service, id, view } = await setUp('debrief');
    await service.api['tabletop.edit']({ sessionId: id, stepNote: { point: view.current!.id, text: `${SECRET} (step)` } });
    let v = await approve(service, id, view);
    v = await approve(service, id, v);
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    const text = JSON.stringify(p);
    expect(text).not.toContain('FACILITATOR-ONLY');
    expect(p.verdictsShown).toBe(false);
    expect(p.decisions.every((d) => d.required === null && d.matches === null)).toBe(true);
    expect(p.current?.injectText).toBe(v.current!.inject.text);
    // Closing the session is the debrief: the verdicts are shown, the notes still are not.
    await service.api['tabletop.close']({ sessionId: id });
    const after = await service.api['tabletop.presenter']({ sessionId: id });
    expect(after.verdictsShown).toBe(true);
    expect(after.decisions.some((d) => d.required !== null)).toBe(true);
    expect(JSON.stringify(after)).not.toContain('FACILITATOR-ONLY');
  });

  it('shows the room the steps that ran without it since its last decision (a portal\'s code, an automated ID check), not the earlier ones', async () => {
    const { service } = newService({ clock: manualClock().clock });
    let v = await service.api['tabletop.create']({ title: 'Web-form drill', workflowId: 'customer-account-recovery.weak', scenarioId: 's27-forged-id-web-form', verdicts: 'debrief' });
    const id = v.session.id;
    const seen: string[][] = [];
    while (v.current) {
      const p = await service.api['tabletop.presenter']({ sessionId: id });
      const since = v.events.filter((e) => e.afterDecision === v.decisions.length);
      expect(p.walk).toEqual(since.map((e) => ({ stepName: e.stepName, what: e.what })));
      seen.push(p.walk.map((e) => e.stepName));
      v = await service.api['tabletop.decide']({ sessionId: id, point: v.current.id, choice: v.current.required.choice });
    }
    // After the first decision the app backend's texted code, after the second the platform's ID check: each shown once.
    expect(seen[1]).toEqual(['Code texted to the number on file']);
    expect(seen[2]).toEqual(['Automated ID document check on the ID-verification platform']);
    expect((await service.api['tabletop.presenter']({ sessionId: id })).walk.map((e) => e.stepName)).not.toContain('Code texted to the number on file');
  });

  it('tells the room what the system did when it refuses a step, and keeps the rule behind it (the control\'s parameters) for the debrief', async () => {
    for (const verdicts of ['debrief', 'live'] as const) {
      const c = manualClock();
      const { service } = newService({ clock: c.clock });
      let v = await service.api['tabletop.create']({ title: 'Counter drill', workflowId: 'walk-in-service-point.weak', scenarioId: SC, participants: [], verdicts, facilitator: 'Dana' });
      const id = v.session.id;
      while (v.current && !v.decisions.some((d) => d.result.startsWith('The system refused'))) v = await service.api['tabletop.decide']({ sessionId: id, point: v.current.id, choice: 'approve' });
      const refused = v.decisions.find((d) => d.result.startsWith('The system refused'))!;
      expect(refused.result).toMatch(/is enforced by the system and does not let the request past/);
      expect(refused.result).not.toMatch(/=|holds:/);
      expect(refused.detail).toMatch(/holds: /);
      const p = await service.api['tabletop.presenter']({ sessionId: id });
      const seen = p.decisions.find((d) => d.seq === refused.seq)!;
      expect(seen.result).toBe(refused.result);
      expect(seen.detail).toBe(verdicts === 'live' ? refused.detail : null);
    }
  });

  it('tells the room that the caller was asked for more evidence, and keeps how the attacker gets past the checks for the facilitator until the debrief', async () => {
    const { service } = newService({ clock: manualClock().clock });
    let v = await service.api['tabletop.create']({ title: 'Counter drill', workflowId: 'walk-in-service-point.weak', scenarioId: SC, route: 'walk_in', verdicts: 'debrief' });
    const id = v.session.id;
    // The room goes as the controls require to the counter's photo-ID check, which the forged card gets past.
    while (v.current && !v.current.evidence.some((e) => e.startsWith('forged_id_document'))) v = await service.api['tabletop.decide']({ sessionId: id, point: v.current.id, choice: v.current.required.choice });
    const evidence = v.current!.evidence;
    v = await service.api['tabletop.decide']({ sessionId: id, point: v.current!.id, choice: 'ask_evidence' });
    expect(v.decisions.at(-1)!.detail).toContain(`Offers: ${evidence.join('; ')}`);
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    const shown = p.decisions.at(-1)!;
    expect(shown.choiceLabel).toBe('Ask the caller for more evidence');
    expect(shown.detail).toBeNull();
    const room = JSON.stringify(p);
    expect(room).not.toContain('Offers');
    for (const e of evidence) expect(room).not.toContain(e);
    await service.api['tabletop.close']({ sessionId: id });
    expect((await service.api['tabletop.presenter']({ sessionId: id })).decisions.at(-1)!.detail).toContain('Offers: ');
  });

  it('notes on each scenario inject of the console whether it holds: one the workflow lacks a control for, and one that assumes a takeover before the exercise reached it; the room sees neither note', async () => {
    const { service, id, view } = await setUp('live');
    const inj = (v: ConsoleView, title: string) => v.injects.find((i) => i.title === title)!;
    // s25 on the weak password reset: its video check assumes liveness, which the workflow has nowhere.
    expect(inj(view, 'A video check on a virtual camera').applies).toEqual({ holds: false, note: expect.stringMatching(/^Does not apply: the workflow has no liveness .*\(deepfake\.liveness\)/) });
    expect(inj(view, 'The real clerk at the counter').applies).toEqual({ holds: false, note: expect.stringMatching(/^Assumes a takeover, which the exercise has not reached/) });
    expect(inj(view, 'A card that looks right').applies).toBeNull();
    // The facilitator is told, not stopped: the inject can still be released.
    const clerk = inj(view, 'The real clerk at the counter');
    let v = await service.api['tabletop.control']({ sessionId: id, action: 'release_inject', inject: clerk.index });
    expect(inj(v, 'The real clerk at the counter').released).toBe(true);
    const room = JSON.stringify(await service.api['tabletop.presenter']({ sessionId: id }));
    expect(room).toContain('The real clerk at the counter');
    expect(room).not.toMatch(/Assumes a takeover|Does not apply|applies/);
    // Once the room has given way to the takeover, the post-takeover inject holds.
    while (v.current) v = await approve(service, id, v);
    expect(v.end?.kind).toMatch(/^takeover/);
    expect(inj(v, 'The real clerk at the counter').applies).toEqual({ holds: true, note: 'After a takeover: the exercise has reached one.' });
    expect(inj(v, 'A video check on a virtual camera').applies?.holds).toBe(false);
  });

  it('shows the verdicts to the room after each decision in live mode', async () => {
    const { service, id, view } = await setUp('live');
    await approve(service, id, view);
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    expect(p.verdictsShown).toBe(true);
    expect(p.decisions[0]!.required).toMatch(/^approve: /);
  });

  it('resumes after a restart exactly where the room was, and undoes the last decision on the facilitator\'s word', async () => {
    const { service, path, id, view } = await setUp();
    let v = await approve(service, id, view);
    v = await approve(service, id, v);
    const before = v.current!.id;
    service.close();
    const { service: again } = newService({ workspacePath: path, clock: manualClock().clock });
    const resumed = await again.api['tabletop.get']({ sessionId: id });
    expect(resumed.current!.id).toBe(before);
    expect(resumed.decisions.map((d) => d.choice)).toEqual(['approve', 'approve']);
    const undone = await again.api['tabletop.control']({ sessionId: id, action: 'undo' });
    expect(undone.decisions).toHaveLength(1);
    expect(undone.log.at(-2)!.undone).toBe(true);
    expect((await again.api['audit.verify']({})).ok).toBe(true);
    const actions = (await again.api['audit.log']({})).entries.filter((e) => e.entityType.startsWith('tabletop'));
    expect(actions.map((e) => e.action)).toEqual(['create', 'record', 'record', 'record']);
  });

  it('decides only at steps the organisation\'s people perform in a new session, and replays a session stored before as it was played: with the room deciding at the portal too', async () => {
    const { service, path } = newService({ clock: manualClock().clock });
    const v = await service.api['tabletop.create']({ title: 'SIM swap drill', workflowId: 'self-service-sms-fallback.weak', scenarioId: 's04-sim-swap-sspr' });
    expect(v.setup.decisionsAt).toBe('people');
    // The portal performs every step of this route: the walk is there to read, no point is open.
    expect(v.current).toBeNull();
    expect(v.end?.kind).toBe('takeover_undetected');
    expect(v.events.some((e) => e.what.startsWith('performed by Self-service password reset portal, not the room'))).toBe(true);
    const id = v.session.id;
    service.close();
    // A session stored before the rule has no decisionsAt in its setup.
    const ws = Workspace.open(path, deterministic());
    const setup = JSON.parse(ws.getTabletopSession(id)!.setup!) as Record<string, unknown>;
    delete setup.decisionsAt;
    ws.setTabletopSetup(id, JSON.stringify(setup));
    ws.close();
    const { service: again } = newService({ workspacePath: path, clock: manualClock().clock });
    const old = await again.api['tabletop.get']({ sessionId: id });
    expect(old.current?.actor?.kind).toBe('system');
    const next = await again.api['tabletop.decide']({ sessionId: id, point: old.current!.id, choice: 'approve' });
    expect(next.decisions).toHaveLength(1);
  });

  it('stops the clock while paused and counts only running time', async () => {
    const { service, id, clock } = await setUp();
    clock.advance(5);
    await service.api['tabletop.control']({ sessionId: id, action: 'pause' });
    clock.advance(30);
    const paused = await service.api['tabletop.get']({ sessionId: id });
    expect(paused.clock).toMatchObject({ elapsedMinutes: 5, paused: true });
    await service.api['tabletop.control']({ sessionId: id, action: 'resume' });
    clock.advance(2);
    expect((await service.api['tabletop.get']({ sessionId: id })).clock).toMatchObject({ elapsedMinutes: 7, paused: false });
    await expect(service.api['tabletop.control']({ sessionId: id, action: 'resume' })).rejects.toThrow(/not paused/);
  });

  it('stands the clock still at the close: a closed session is paused for good, on the console and on the presenter', async () => {
    const { service, id, clock } = await setUp();
    clock.advance(6);
    await service.api['tabletop.close']({ sessionId: id });
    clock.advance(45);
    expect((await service.api['tabletop.get']({ sessionId: id })).clock).toMatchObject({ elapsedMinutes: 6, paused: true });
    expect((await service.api['tabletop.presenter']({ sessionId: id })).clock).toMatchObject({ elapsedMinutes: 6, paused: true });
  });

  it('keeps the time paused before a close paused, and counts no time after the close', async () => {
    const { service, id, clock } = await setUp();
    clock.advance(4);
    await service.api['tabletop.control']({ sessionId: id, action: 'pause' });
    clock.advance(10);
    await service.api['tabletop.close']({ sessionId: id });
    clock.advance(10);
    expect((await service.api['tabletop.get']({ sessionId: id })).clock).toMatchObject({ elapsedMinutes: 4, paused: true });
  });

  it('shows the room the debrief, not the open decision, when the facilitator closes the session before the walk ends', async () => {
    const { service, id, view } = await setUp('debrief');
    const v = await approve(service, id, view);
    expect(v.current).not.toBeNull();
    expect(v.end).toBeNull();
    await service.api['tabletop.close']({ sessionId: id });
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    expect(p.status).toBe('closed');
    expect(p.current).toBeNull();
    expect(p.ended).toBe(true);
    expect(p.verdictsShown).toBe(true);
    expect(p.decisions).toHaveLength(1);
    expect(p.decisions[0]!.required).not.toBeNull();
  });

  it('releases timed injects to the room and lets the facilitator add one and edit the generated inject', async () => {
    const { service, id, view } = await setUp();
    const added = await service.api['tabletop.edit']({ sessionId: id, addInject: { atMinute: 10, title: 'Second call', text: 'The same caller calls again from another number.' } });
    const mine = added.injects.find((i) => i.source === 'facilitator')!;
    expect(mine.released).toBe(false);
    await service.api['tabletop.control']({ sessionId: id, action: 'release_inject', inject: mine.index });
    const edited = await service.api['tabletop.edit']({ sessionId: id, inject: { point: view.current!.id, title: 'A walk-in at 8 am', text: 'A man with a driving licence asks for a new password.' } });
    expect(edited.current!.inject).toMatchObject({ title: 'A walk-in at 8 am', edited: true });
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    expect(p.injects.map((i) => i.title)).toEqual(['Second call']);
    expect(p.current!.injectTitle).toBe('A walk-in at 8 am');
    await expect(service.api['tabletop.control']({ sessionId: id, action: 'release_inject', inject: mine.index })).rejects.toThrow(/already released/);
  });

  it('lists the released injects to the room in the order they were released, so its screen can show the latest', async () => {
    const { service, id, clock, view } = await setUp();
    // The scenario's injects in their list order; the later one released first.
    const timed = view.injects.filter((i) => !i.released).sort((a, b) => a.index - b.index);
    const [first, last] = [timed[0]!, timed.at(-1)!];
    expect(timed.length).toBeGreaterThan(1);
    await service.api['tabletop.control']({ sessionId: id, action: 'release_inject', inject: last.index });
    clock.advance(5);
    await service.api['tabletop.control']({ sessionId: id, action: 'release_inject', inject: first.index });
    const p = await service.api['tabletop.presenter']({ sessionId: id });
    expect(p.injects.map((i) => i.title)).toEqual([last.title, first.title]);
  });

  it('refuses a decision for a point the room has left, unsaved, naming where the room is', async () => {
    const { service, id, view } = await setUp();
    await approve(service, id, view);
    const entries = (await service.api['audit.verify']({})).entries;
    await expect(service.api['tabletop.decide']({ sessionId: id, point: view.current!.id, choice: 'approve' })).rejects.toThrow(/answers point 1.1, but the room is at point/);
    expect((await service.api['audit.verify']({})).entries).toBe(entries);
  });

  it('refuses hostile or malformed requests with the field named', async () => {
    const { service, id } = await setUp();
    const bad = async (key: 'tabletop.decide' | 'tabletop.edit' | 'tabletop.create', payload: unknown) => service.dispatch(key, payload);
    expect(await bad('tabletop.decide', { sessionId: id, point: 'x', choice: 'approve' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/point/) } });
    expect(await bad('tabletop.decide', { sessionId: id, point: '1.1', choice: 'approve', rationale: 'ok\u202Eevil' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/rationale: contains bidirectional-override/) } });
    expect(await bad('tabletop.edit', { sessionId: id, notes: 'x'.repeat(20_001) })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/notes/) } });
    expect(await bad('tabletop.create', { title: 'T', workflowId: WF, scenarioId: SC, route: 'walk_in:executive' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/route "walk_in:executive" is not open/) } });
    expect(await bad('tabletop.create', { title: 'T', workflowId: WF, scenarioId: SC, extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses changes to a closed session but still reports it', async () => {
    const { service, id, view } = await setUp();
    await service.api['tabletop.close']({ sessionId: id });
    await expect(service.api['tabletop.decide']({ sessionId: id, point: view.current!.id, choice: 'approve' })).rejects.toThrow(/is closed/);
    expect((await service.api['tabletop.report']({ sessionId: id, format: 'md' })).text).toMatch(/^# After-action report: Q3 counter drill/);
  });
});

describe('the after-action report', () => {
  it('lists each decision with its exercise time and the gap it left, the open path classes and an improvement plan with named owners', async () => {
    const { service, id, view, clock } = await setUp();
    let v = view;
    while (v.current) {
      clock.advance(4);
      v = await approve(service, id, v);
    }
    await service.api['tabletop.close']({ sessionId: id });
    const md = (await service.api['tabletop.report']({ sessionId: id, format: 'md' })).text;
    for (const d of v.decisions) expect(md).toContain(`| ${minuteText(d.atMinute)} | ${d.stepName}: ${d.choiceLabel}`);
    expect(v.decisions.map((d) => minuteText(d.atMinute))).toEqual(v.decisions.map((_, i) => minuteText(4 * (i + 1))));
    expect(md).toMatch(/\| Identity proofing at IAL2 or stronger \(skipped by the room \(the room's decision\); owner: Priya Shah\)/);
    expect(md).toContain('## Takeover paths the workflow leaves open for this scenario');
    expect(md).toMatch(/\| high \| Make "Identity proofing at IAL2 or stronger" impossible to skip .* \| Priya Shah \(Owner of identity-proofing/);
    // The dates are the setup's default period, said to be proposals, not commitments.
    expect(md).toContain('Dates are proposed: 30 days from the report');
    expect(md).toContain('| priority | what | who | by when (proposed) | why |');
    expect(md).toContain('## Where the room differed from the controls');
    // The route and the times in words a room reads, not identifiers and machine timestamps.
    const route = exerciseRouteText(v.setup.route);
    expect(md).toContain(`route: ${route}`);
    expect(route).not.toMatch(/_/);
    expect(md).toMatch(/started \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC, closed \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC; exercise time/);
    const html = (await service.api['tabletop.report']({ sessionId: id, format: 'html' })).text;
    expect(html).toContain(`route ${route}`);
    expect(html).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h2>Improvement plan</h2>');
  });

  it('plans a control the analysis credits as closing every open path of the scenario only when every class lists it, with the exact paths it closes on its own', async () => {
    const plan = async (scenarioId: string, workflowId = WF) => {
      const { service } = newService({ clock: manualClock().clock });
      const v = await service.api['tabletop.create']({ title: 'Insider drill', workflowId, scenarioId, participants: [] });
      const md = (await service.api['tabletop.report']({ sessionId: v.session.id, format: 'md' })).text;
      return md.slice(md.indexOf('## Improvement plan'));
    };
    // S09: dual approval closes both classes of paths; ticket integrity only the second.
    const s09 = await plan('s09-bribed-insider-agent');
    expect(s09).toMatch(/\| Put "Dual approval with separation of duties" in place at "[^"]+"[^|]*, hardened[^|]* and enforced by the system: the analysis says it closes every open takeover path of this scenario \|[^\n]*\| it closes 2 of 2 paths on its own \|/);
    expect(s09).toMatch(/\| Put "Ticket and queue integrity" in place at "Call received", hardened \(requester_authentication sso_session, reauthentication phishing_resistant\) and enforced by the system: the analysis says it closes some of the open takeover paths of this scenario; the others need other controls \|[^\n]*\| it closes 1 of 2 paths on its own \|/);
    // S09b: no control closes both classes.
    const s09b = await plan('s09b-two-agent-identities');
    expect(s09b).not.toContain('closes every open takeover path');
    expect(s09b.match(/it closes 1 of 2 paths on its own/g)).toHaveLength(5);
  });

  it('gives restricting the exceptions that set a check aside to the owner of exceptions, as the accountability report does, not to the check\'s owner', async () => {
    const { service } = newService({ clock: manualClock().clock });
    let v = await service.api['tabletop.create']({
      title: 'VIP drill',
      workflowId: 'executive-vip-reset.weak',
      scenarioId: 's02-executive-pressure',
      participants: [
        { name: 'Lee Park', role: 'escalation_owner' },
        { name: 'Priya Shah', role: 'proofing_standards_owner' },
      ],
    });
    while (v.current) v = await service.api['tabletop.decide']({ sessionId: v.session.id, point: v.current.id, choice: 'approve' });
    expect(v.gaps.some((g) => g.kind === 'waived_by_exception')).toBe(true);
    const md = (await service.api['tabletop.report']({ sessionId: v.session.id, format: 'md' })).text;
    expect(md).toMatch(/\| Restrict the exceptions that set aside "Identity proofing at IAL2 or stronger"[^|]* \| Lee Park \(Owner of escalation thresholds/);
    expect(md).not.toMatch(/\| Restrict the exceptions that set aside [^|]* \| Priya Shah/);
    // Neither fix of the walk closes it alone: the plan says so, from the walked class's attribution.
    expect(md).toMatch(/\| Restrict the exceptions that set aside [^\n]*; it closes the path the room walked only together with "Call-back to the number on file" \|/);
    expect(md).toMatch(/\| Strengthen "Call-back to the number on file"[^\n]*; it closes the path the room walked only together with "Expiry, owner and justification for exceptions" \|/);
    // The waived check itself still gets its own item (restricting exceptions is another fix).
    expect(md).toMatch(/\| medium \| Enforce "Identity proofing at IAL2 or stronger" in the system/);
  });

  it('asks to harden, enforce or stop waiving a control the workflow has in a weaker form, and to put in place only one it lacks', async () => {
    const plan = async (workflowId: string, scenarioId: string) => {
      const { service } = newService({ clock: manualClock().clock });
      const v = await service.api['tabletop.create']({ title: 'Drill', workflowId, scenarioId, participants: [] });
      const md = (await service.api['tabletop.report']({ sessionId: v.session.id, format: 'md' })).text;
      return md.slice(md.indexOf('## Improvement plan'));
    };
    const proofing = 'Identity proofing at IAL2 or stronger';
    // The VIP desk's proofing is there, with a weaker method than the catalogue's hardened one.
    const weak = await plan('executive-vip-reset.weak', 's01-osint-vishing');
    expect(weak).toContain(`| Harden "${proofing}" to the catalogue's hardened setting (method verified_id_facecheck, document_authentication true) (today it is set weaker): the analysis says it closes`);
    expect(weak).not.toContain(`Put "${proofing}" in place`);
    // Against the executive-pressure caller it is a procedure the agent can skip.
    expect(await plan('executive-vip-reset.weak', 's02-executive-pressure')).toContain(`| Enforce "${proofing}" in the system (today it is a procedure the agent can skip): the analysis says`);
    // The never-expiring exception waives it.
    expect(await plan('executive-vip-reset.weak', 's12-exception-never-expires')).toContain(`Keep exceptions from setting "${proofing}" aside`);
  });

  describe('the open path classes the room walked', () => {
    const W = 'customer-account-recovery.weak';
    const S = 's26-high-value-customer-recovery';
    const wfModel = loadBundledWorkflows().find((w) => w.id === W)!;
    const scModel = loadBundledScenarios().find((x) => x.id === S)!;
    /** Plays a session as the controls require; `last` is the choice at the reset itself. */
    async function walk(last: 'required' | 'deny') {
      const { service } = newService({ clock: manualClock().clock });
      let v = await service.api['tabletop.create']({ title: 'Recovery drill', workflowId: W, scenarioId: S });
      while (v.current) {
        const final = v.current.kind === 'execution';
        v = await service.api['tabletop.decide']({ sessionId: v.session.id, point: v.current.id, choice: final && last === 'deny' ? 'deny' : v.current.required.choice });
      }
      return buildAfterAction(v, wfModel, scModel, new Date('2026-06-02T10:00:00Z'));
    }

    it('says "walked by the room" of exactly the class whose path the room walked to its takeover', async () => {
      const aar = await walk('required');
      expect(aar.view.end?.kind).toMatch(/^takeover/);
      expect(aar.openClasses.length).toBeGreaterThan(1);
      const walked = aar.openClasses.filter((c) => c.walkedByRoom);
      expect(walked).toHaveLength(1);
      expect(walked[0]!.outcome).toMatch(aar.view.end!.kind === 'takeover_detected' ? /^takeover, detected/ : /^takeover, undetected/);
    });

    it('says no class was walked by a room that stopped the caller before the takeover, whatever steps it passed', async () => {
      const aar = await walk('deny');
      expect(aar.view.end?.kind).toBe('blocked');
      expect(aar.view.decisions.filter((d) => d.kind === 'approve').length).toBeGreaterThan(1);
      expect(aar.openClasses.map((c) => c.walkedByRoom)).toEqual(aar.openClasses.map(() => false));
    });
  });

  it('neutralises hostile names and notes in Markdown and HTML', async () => {
    const c = manualClock();
    const { service } = newService({ clock: c.clock });
    const hostile = '<script>alert(1)</script> [x](javascript:alert(1)) =HYPERLINK("http://e")';
    const v = await service.api['tabletop.create']({ title: hostile, workflowId: WF, scenarioId: SC, participants: [{ name: hostile, role: 'proofing_standards_owner' }], notes: hostile });
    await service.api['tabletop.decide']({ sessionId: v.session.id, point: '1.1', choice: 'approve', rationale: hostile, decidedBy: 'x'.repeat(100) });
    const html = (await service.api['tabletop.report']({ sessionId: v.session.id, format: 'html' })).text;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const md = (await service.api['tabletop.report']({ sessionId: v.session.id, format: 'md' })).text;
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/\]\(javascript:/);
  });
});
