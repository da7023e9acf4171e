// A notice to the email on file of an account whose takeover gives the attacker its mailbox lands
// where the attacker reads and the user is locked out: it detects nothing, as an app push to the
// device the reset enrolled for the attacker detects nothing (docs/analysis-semantics.md,
// "Detection"). A reviewer found an email-only notice credited with detecting the takeover of a
// standard employee, whose blast radius is its mailbox.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_CLASSES, RESET_ACTIONS, type AccountClass } from '../../models/index.ts';
import { expectEngineMatchesOracle } from './agreement.ts';
import { analyseOne, attacker, deskWorkflow, kbvStep } from './helpers.ts';

/** The desk with a knowledge check an OSINT attacker answers, and a notice at the reset on these channels. */
const desk = (channels: string | null, opts: { classes?: string[]; enforcement?: string; cooldown?: boolean } = {}) =>
  deskWorkflow({
    classes: opts.classes,
    steps: kbvStep(),
    resetControls: [
      channels === null
        ? `      - control: notify.out_of_band
        enforcement: ${opts.enforcement ?? 'system'}`
        : `      - control: notify.out_of_band
        params: { channels: [${channels}], recipients: all_registered }
        enforcement: ${opts.enforcement ?? 'system'}`,
      ...(opts.cooldown
        ? [
            `      - control: cooldown.delay
        params: { hours: 24 }
        enforcement: system`,
          ]
        : []),
    ].join('\n'),
  });

const osint = (target = 'standard_employee', more: string[] = []) => attacker(['osint_personal_data', ...more], { target });

const MAILBOX_CLASSES = (Object.keys(ACCOUNT_CLASSES) as AccountClass[]).filter((c) => (ACCOUNT_CLASSES[c].blastRadius as readonly string[]).includes('mailbox'));

describe('a notice to the mailbox the takeover gives the attacker', () => {
  it('detects nothing when it is the notice\'s only channel: the standard employee\'s takeover is undetected, not detected by the notice within 4 h', () => {
    const r = analyseOne(desk('email_on_file'), osint());
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.detectedBy).toBeNull();
    const notice = r.classes[0]!.examples[0]!.outcome.detections.find((d) => d.control === 'notify.out_of_band')!;
    expect(notice.detects).toBe(false);
    expect(notice.reason).toBe('no notified address reaches the real user: email_on_file goes to the mailbox of the Standard employee account the takeover gives the attacker, which the user is locked out of');
  });

  it('is silenced for every class whose blast radius holds a mailbox, whatever the attacker\'s capabilities', () => {
    expect(MAILBOX_CLASSES.sort()).toEqual(['executive', 'remote_staff', 'shared_mailbox', 'standard_employee']);
    for (const cls of MAILBOX_CLASSES) {
      const r = analyseOne(desk('email_on_file', { classes: [cls] }), osint(cls));
      expect(r.outcome, cls).toBe('takeover_undetected');
    }
  });

  it('still detects where the takeover gives no mailbox: a developer, an administrator, a vendor or a customer reads the notice', () => {
    for (const cls of ['developer', 'privileged_admin', 'vendor', 'customer']) {
      const r = analyseOne(desk('email_on_file', { classes: [cls] }), osint(cls));
      expect(r.outcome, cls).toBe('takeover_detected');
      for (const c of r.classes) expect(c.detectedBy, cls).toEqual({ control: 'notify.out_of_band', delayHours: 4 });
    }
  });

  it('still detects through another channel of the same notice that the attacker does not hold (text, the manager, a push to the user\'s own device, post)', () => {
    for (const other of ['sms_on_file', 'manager_email', 'app_push', 'postal']) {
      const r = analyseOne(desk(`email_on_file, ${other}`), osint());
      expect(r.outcome, other).toBe('takeover_detected');
      const notice = r.classes[0]!.examples[0]!.outcome.detections.find((d) => d.control === 'notify.out_of_band')!;
      expect(notice.reason, other).toBe(`the real user is notified on ${other} and repudiates the reset`);
    }
    // The other channel held by the attacker too: nothing reaches the user.
    expect(analyseOne(desk('email_on_file, sms_on_file'), osint('standard_employee', ['sim_swap'])).outcome).toBe('takeover_undetected');
  });

  it('leaves the catalogue\'s hardened notice credited, on the channels independent of the takeover, and names it as the path\'s detecting control with a status that says where the weak one goes', () => {
    // At the catalogue's hardened channels (the file omits them): the text and the manager reach the user.
    const hardened = analyseOne(desk(null), osint());
    expect(hardened.outcome).toBe('takeover_detected');
    expect(hardened.classes[0]!.examples[0]!.outcome.detectedBy!.reason).toBe('the real user is notified on sms_on_file, manager_email and repudiates the reset');
    // The email-only notice is weak through its channels: hardening them detects the path.
    const weak = analyseOne(desk('email_on_file'), osint());
    for (const c of weak.classes) {
      expect(c.detecting).toContain('notify.out_of_band');
      expect(c.statuses['notify.out_of_band']).toBe('weak');
      const gap = c.examples[0]!.gaps.find((g) => g.control === 'notify.out_of_band')!;
      expect(gap.effect).toBe('detects');
      expect(gap.why).toContain('channels=email_on_file');
      expect(gap.why).toContain('email_on_file goes to the mailbox of the Standard employee account the takeover gives the attacker');
      expect(gap.effectReason).toContain('the real user is notified on sms_on_file, manager_email and repudiates the reset');
    }
  });

  it('reports an app push to the enrolled device the same way: a weak status that says where the notice goes', () => {
    const w = desk('app_push');
    w.steps.reset!.action = 'mfa_device_enrollment';
    const c = analyseOne(w, osint()).classes[0]!;
    expect(c.statuses['notify.out_of_band']).toBe('weak');
    expect(c.examples[0]!.gaps.find((g) => g.control === 'notify.out_of_band')!.why).toContain('app_push goes to the device the reset enrolled for the attacker');
  });

  it('lets no cooling-off hold the reset, since the user it should warn is not told', () => {
    expect(analyseOne(desk('email_on_file', { cooldown: true }), osint()).outcome).toBe('takeover_undetected');
    // Where the takeover gives no mailbox, the user reads the notice and stops the reset.
    expect(analyseOne(desk('email_on_file', { classes: ['developer'], cooldown: true }), osint('developer')).outcome).toBe('blocked');
  });

  it('makes no path conditional on the notice\'s unknown enforcement: sent or not, it would reach the attacker only', () => {
    const pressured = (target: string) => attacker(['osint_personal_data', 'urgency_pressure'], { target });
    const w = desk('email_on_file', { classes: ['standard_employee', 'developer'], enforcement: 'unknown' });
    for (const c of analyseOne(w, pressured('standard_employee')).classes) expect(c.conditional).toEqual([]);
    // For a developer the notice, if sent, would reach the user: the undetected path depends on it.
    for (const c of analyseOne(w, pressured('developer')).classes) expect(c.conditional).toContain('enforcement:reset/notify.out_of_band');
  });

  it('is decided by the target\'s class alone: no reset action unlocks a mailbox of its own', () => {
    for (const [id, a] of Object.entries(RESET_ACTIONS)) expect(a.unlocks as readonly string[], id).not.toContain('mailbox');
  });

  it('agrees with the oracle', () => {
    for (const channels of ['email_on_file', 'email_on_file, sms_on_file', null]) {
      for (const target of ['standard_employee', 'developer']) {
        expectEngineMatchesOracle(desk(channels, { classes: ['standard_employee', 'developer'], cooldown: channels === 'email_on_file' }), osint(target));
        expectEngineMatchesOracle(desk(channels, { classes: ['standard_employee', 'developer'], enforcement: 'unknown' }), attacker(['osint_personal_data', 'urgency_pressure'], { target }));
      }
    }
  });
});
