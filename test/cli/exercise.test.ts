// `resetpath exercise plan` prints what a facilitator rehearses: every decision point the scenario's
// caller brings the room to, with the inject, the controls in play, the choices and what the
// controls require, and how the exercise ends for a room that gives way and one that does not.
import { describe, expect, it } from 'vitest';
import { exercisePlan } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { run } from './capture.ts';

const wf = (id: string) => loadBundledWorkflows().find((w) => w.id === id)!;
const sc = (id: string) => loadBundledScenarios().find((s) => s.id === id)!;

describe('resetpath exercise plan', () => {
  it('prints each decision point with the caller\'s words, the controls in play and what they require, then both endings', async () => {
    const r = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's25-forged-id-at-the-counter');
    expect(r.code).toBe(0);
    const plan = exercisePlan(wf('standard-password-reset.weak'), sc('s25-forged-id-at-the-counter'));
    if ('error' in plan) throw new Error(plan.error);
    for (const p of plan.points) {
      expect(r.out).toContain(p.inject.title);
      expect(r.out).toContain(`the controls require: ${{ approve: 'approve', fallback: 'send to the fallback', deny: 'refuse' }[p.required.choice]}`);
      for (const c of p.controls) expect(r.out).toContain(c.name);
    }
    expect(r.out).toMatch(/If the room gives way at every point: takeover/);
    expect(r.out).toMatch(/If the room does what the controls require: blocked/);
    expect(r.out).toContain('Timed injects from the scenario');
  });

  it('counts the compliant room\'s decisions so they square with the points listed: checks performed are said apart', async () => {
    const r = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'json');
    const plan = JSON.parse(r.out) as { points: unknown[]; ifRoomComplies: { decisions: number; performed: number } };
    expect(plan.ifRoomComplies.decisions).toBe(plan.points.length + plan.ifRoomComplies.performed);
    expect(plan.ifRoomComplies.performed).toBeGreaterThan(0);
    const text = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's01-osint-vishing');
    expect(text.out).toContain(`(${plan.ifRoomComplies.decisions} decisions, ${plan.ifRoomComplies.performed} of them performing a check)`);
  });

  it('writes the plan as JSON with every point, and as Markdown for a handout', async () => {
    const j = await run('exercise', 'plan', 'mfa-reenrollment-phone.weak', '-s', 's05-my-phone-broke', '--format', 'json');
    expect(j.code).toBe(0);
    const plan = JSON.parse(j.out) as { format: string; points: { controls: unknown[]; evidence: string[]; caller: { claimedClass: string } }[] };
    expect(plan.format).toBe('resetpath/exercise-plan@1');
    expect(plan.points.length).toBeGreaterThan(1);
    for (const p of plan.points) expect(p.caller.claimedClass).toBeTruthy();
    const md = await run('exercise', 'plan', 'mfa-reenrollment-phone.weak', '-s', 's05-my-phone-broke', '--format', 'md');
    expect(md.out).toMatch(/^# Exercise plan: /);
    expect(md.out).toContain('## Decision points');
  });

  it('gives the handout what the terminal plan has: the other routes, the decision count, and each timed inject\'s question with its options', async () => {
    const plan = exercisePlan(wf('standard-password-reset.weak'), sc('s09-bribed-insider-agent'));
    if ('error' in plan) throw new Error(plan.error);
    const withDecision = plan.timedInjects.filter((i) => i.prompt && i.options.length);
    expect(withDecision.length).toBeGreaterThan(0);
    expect(plan.otherRoutes.length).toBeGreaterThan(0);
    for (const format of ['text', 'md']) {
      const r = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's09-bribed-insider-agent', '--format', format);
      expect(r.out, format).toContain(plan.otherRoutes[0]);
      expect(r.out, format).toContain(`(${plan.ifRoomComplies.decisions} decision`);
      for (const i of withDecision) {
        expect(r.out, `${format} ${i.title}`).toContain(i.prompt!);
        expect(r.out, `${format} ${i.title}`).toContain(i.options.join(' / '));
      }
    }
  });

  it('plays the route asked for, and names the open routes when the one asked for is not', async () => {
    const bad = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--route', 'walk_in');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/route "walk_in" is not open .* open routes: phone/);
  });

  it('says why a scenario cannot be played against a workflow that does not serve its target, with exit 2', async () => {
    const r = await run('exercise', 'plan', 'service-account-key-reset.weak', '-s', 's02-executive-pressure');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot be played against service-account-key-reset.weak: the workflow does not serve the Executive \/ VIP account class/);
  });

  it('refuses an unknown format and an unknown workflow with a one-line error', async () => {
    expect((await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'pdf')).err).toMatch(/--format must be text, md or json/);
    const r = await run('exercise', 'plan', 'no-such-workflow', '-s', 's01-osint-vishing');
    expect(r.code).toBe(2);
  });

  it('marks the post-takeover injects of s01 as only after a takeover on the hardened reset, where neither ending reaches one', async () => {
    const plan = exercisePlan(wf('standard-password-reset.hardened'), sc('s01-osint-vishing'));
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.ifRoomGivesWay.end.kind).toBe('blocked');
    expect(plan.ifRoomComplies.end.kind).toBe('blocked');
    const inj = (title: string) => plan.timedInjects.find((i) => i.title === title)!;
    for (const title of ['The real employee calls', 'Forwarding rule found', 'SOC sees a new device']) {
      expect(inj(title), title).toMatchObject({ applies: 'after_takeover', holdsIf: { roomGivesWay: false, roomComplies: false } });
      expect(inj(title).note, title).toMatch(/^only after a takeover.*, which neither ending reaches/);
    }
    expect(inj('A polite call from a local number')).toMatchObject({ applies: 'yes', note: null });
    for (const format of ['text', 'md']) {
      const r = await run('exercise', 'plan', 'standard-password-reset.hardened', '-s', 's01-osint-vishing', '--format', format);
      const line = r.out.split('\n').find((l) => l.includes('The real employee calls'))!;
      expect(line, format).toContain('(only after a takeover, which neither ending reaches)');
    }
  });

  it('says which ending a post-takeover inject belongs to, and that a detection inject does not hold when nothing detects the takeover in time', () => {
    const plan = exercisePlan(wf('standard-password-reset.weak'), sc('s25-forged-id-at-the-counter'));
    const weak = exercisePlan(wf('standard-password-reset.weak'), sc('s01-osint-vishing'));
    if ('error' in plan || 'error' in weak) throw new Error('no plan');
    expect(weak.ifRoomGivesWay.end.kind).toBe('takeover_undetected');
    const inj = (p: typeof weak, title: string) => p.timedInjects.find((i) => i.title === title)!;
    expect(inj(weak, 'The real employee calls').holdsIf.roomGivesWay).toBe(true);
    expect(inj(weak, 'SOC sees a new device')).toMatchObject({ holdsIf: { roomGivesWay: false } });
    expect(inj(weak, 'SOC sees a new device').note).toContain('no control detects the takeover in time');
    expect(plan.ifRoomGivesWay.end.kind).toMatch(/^takeover/);
    expect(plan.ifRoomComplies.end.kind).toBe('blocked');
    expect(inj(plan, 'The real clerk at the counter')).toMatchObject({ holdsIf: { roomGivesWay: true, roomComplies: false }, note: 'only after a takeover: if the room gives way' });
  });

  it('marks an inject as not applying on a route that never reaches the control it assumes, though the workflow has it on another route', () => {
    // The VIP desk's dual approval is on its executive path; a caller claiming to be an ordinary employee is routed past it.
    const standard = exercisePlan(wf('executive-vip-reset.hardened'), sc('s09-bribed-insider-agent'), 'phone:standard_employee');
    if ('error' in standard) throw new Error(standard.error);
    expect(standard.timedInjects.find((i) => i.title === 'Second approval requested')).toMatchObject({
      applies: 'no',
      note: 'does not apply: the workflow has no dual approval with separation of duties (approval.dual) on this route (it has one elsewhere)',
    });
    // Where the route does pass the approval, it applies.
    const exec = exercisePlan(wf('executive-vip-reset.hardened'), sc('s02-executive-pressure'));
    if ('error' in exec) throw new Error(exec.error);
    for (const i of exec.timedInjects) expect(i.note ?? '', i.title).not.toContain('on this route');
  });

  it('marks "Second approval requested" of s09 as not applying on the weak reset, which has no dual approval, in every format', async () => {
    const plan = exercisePlan(wf('standard-password-reset.weak'), sc('s09-bribed-insider-agent'));
    if ('error' in plan) throw new Error(plan.error);
    const second = plan.timedInjects.find((i) => i.title === 'Second approval requested')!;
    expect(second).toMatchObject({ applies: 'no', holdsIf: { roomGivesWay: false, roomComplies: false } });
    expect(second.note).toBe('does not apply: the workflow has no dual approval with separation of duties (approval.dual)');
    expect(plan.timedInjects.find((i) => i.title === 'The employee reports a strange reset')!.note).toMatch(/^does not apply: .*notify\.out_of_band/);
    for (const format of ['text', 'md']) {
      const r = await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's09-bribed-insider-agent', '--format', format);
      const line = r.out.split('\n').find((l) => l.includes('Second approval requested'))!;
      expect(line, format).toContain('does not apply: the workflow has no dual approval');
    }
    const json = JSON.parse((await run('exercise', 'plan', 'standard-password-reset.weak', '-s', 's09-bribed-insider-agent', '--format', 'json')).out) as { timedInjects: { title: string; applies: string }[] };
    expect(json.timedInjects.find((i) => i.title === 'Second approval requested')!.applies).toBe('no');
  });
});
