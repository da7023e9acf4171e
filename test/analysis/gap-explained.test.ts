// An explained gap says where and how each control would act on the path: a detecting control, the
// detection that fires on the example path in its counterfactual (docs/analysis-semantics.md,
// "Attribution"), with its delay; a blocking one, the step where the path stops or the cooling-off
// that holds the reset. A probe of random workflows found explanations that named a detection that
// does not fire ("detects it within undefined h: ... has no incident to report") — a provider's contract
// that detects through the notification it has the desk perform, a notification that detects at
// another step of the path than the takeover step — and a cooling-off that holds together with a
// control that has the desk send the notification it left out, explained as "the path can no longer
// be walked".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, firstExample, type ScenarioResult } from '../../analysis/index.ts';
import { bundledScenarios, bundledWorkflow, bundledWorkflowIds } from '../renderer/library.ts';
import { anyClassesArb } from './arbitraries.ts';
import { analyseOne, analyseOrRefused, attacker, deskWorkflow, kbvStep } from './helpers.ts';

const detectingGaps = (r: ScenarioResult) => r.classes.flatMap((c) => firstExample(c).gaps.filter((g) => g.effect === 'detects').map((g) => ({ cls: c.id, ...g })));

describe('the explained gap of a detecting control', () => {
  it('names a detection that fires, with its delay, for every detecting control of every class of the library', () => {
    const scenarios = bundledScenarios();
    let seen = 0;
    for (const id of bundledWorkflowIds()) {
      for (const r of analyzeWorkflow(bundledWorkflow(id), scenarios).scenarios) {
        for (const g of detectingGaps(r)) {
          seen++;
          expect(g.detectionDelayHours, `${id} ${g.cls} ${g.control}: ${g.effectReason}`).toEqual(expect.any(Number));
          expect(g.effectReason, `${id} ${g.cls} ${g.control}`).toMatch(/ detects it within \d+(\.\d+)? h: /);
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('names the notification itself, not a provider contract, where the provider\'s agent leaves the notice out (a contract binds no agent\'s hand)', () => {
    const r = analyzeWorkflow(bundledWorkflow('customer-account-recovery.weak'), bundledScenarios().filter((s) => s.id === 's27-forged-id-web-form')).scenarios[0]!;
    expect(detectingGaps(r).filter((g) => g.control === 'vendor.contract_controls')).toEqual([]);
    const notices = detectingGaps(r).filter((g) => g.control === 'notify.out_of_band');
    expect(notices.length).toBeGreaterThan(0);
    for (const g of notices) {
      expect(g.effectReason).toMatch(/^Out-of-band notification of the real user detects it within 4 h: the real user is notified/);
      expect(g.actsAt).toBe('change_email');
      expect(g.detectionDelayHours).toBe(4);
    }
  });

  it('names the notification at the step of the path where it fires, not the takeover step where a new one would not', () => {
    // Placed hardened at the reset, a notification goes to email, SMS and the manager, all the
    // attacker's; hardened over the weak one after the reset, it keeps the app push, which is not.
    const wf = deskWorkflow({
      steps: kbvStep(),
      afterReset: `
  - id: after
    kind: notification
    name: Tell the user
    actor: idp
    controls:
      - control: notify.out_of_band
        params: { channels: [sms_on_file, app_push], recipients: new_contact_only }
        enforcement: system
    next: done`,
    });
    const r = analyseOne(wf, attacker(['osint_personal_data', 'victim_mailbox_control', 'sim_swap', 'manager_mailbox_control']));
    const gaps = detectingGaps(r).filter((g) => g.control === 'notify.out_of_band');
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.status).toBe('weak');
      expect(g.actsAt).toBe('after');
      expect(g.effectReason).toMatch(/^Out-of-band notification of the real user detects it within \d+ h: the real user is notified on app_push/);
    }
  });

  it('names a detection that fires on random workflows, loops and exceptions included', () => {
    fc.assert(
      fc.property(anyClassesArb, ([wf, sc]) => {
        const r = analyseOrRefused(wf, sc);
        if (!r) return;
        for (const g of detectingGaps(r)) {
          expect(g.detectionDelayHours, `${g.cls} ${g.control}: ${g.effectReason}`).toEqual(expect.any(Number));
          expect(g.effectReason, `${g.cls} ${g.control}`).toMatch(/ detects it within \d+(\.\d+)? h: /);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('names where a blocking control or combination stops each random workflow\'s paths, a cooling-off held by a notification the combination brings about included', () => {
    fc.assert(
      fc.property(anyClassesArb, ([wf, sc]) => {
        const r = analyseOrRefused(wf, sc);
        if (!r) return;
        for (const c of r.classes) {
          for (const g of firstExample(c).gaps) {
            if (g.effect !== 'blocks' && g.effect !== 'blocks_jointly') continue;
            expect(g.effectReason, `${c.id} ${g.control}`).not.toMatch(/the path can no longer be walked/);
            expect(g.actsAt, `${c.id} ${g.control}`).not.toBeNull();
          }
        }
      }),
      { numRuns: 2000, seed: 23 },
    );
  });

  it('names, for a contributing control, the means it takes away and the ones that keep the path open', () => {
    // The carrier's weak SIM-change desk against a high-value customer: a no-PII question set takes
    // the OSINT answers away, but the representative still skips the check under pressure.
    const r = analyzeWorkflow(bundledWorkflow('carrier-sim-change.weak'), bundledScenarios().filter((s) => s.id === 's26-high-value-customer-recovery')).scenarios[0]!;
    const gaps = r.classes.flatMap((c) => firstExample(c).gaps).filter((g) => g.effect === 'contributes' && g.control === 'proofing.no_pii_kbv');
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.effectReason).toMatch(/^at ".+": it takes away knowledge and personal-data answers .*\[proofing\.knowledge\.osint\], but proofing\.ial2 is still passed there: .*skips this procedural check under urgency pressure \[deviation\.pressure\]$/);
    }
  });
});


describe('the status of a detector the step\'s agent leaves out', () => {
  // A notice the tier-1 agent sends by procedure after the reset, by SMS only (below the hardened
  // channels): weak by its parameters when the agent sends it; left out when the agent
  // deviates (pressure), which says more than its channels (docs/analysis-semantics.md, Gap status, item 2).
  const wf = deskWorkflow({
    steps: kbvStep(),
    afterReset: `  - id: after
    kind: notification
    name: Tell the user
    actor: tier1
    controls:
      - control: notify.out_of_band
        params: { channels: [sms_on_file], recipients: all_registered }
        enforcement: procedural
    next: done`,
  });
  const noticeGaps = (caps: string[]) => analyseOne(wf, attacker(caps, { channels: ['phone'] })).classes.flatMap((c) => firstExample(c).gaps.filter((g) => g.control === 'notify.out_of_band'));

  it('is not enforced, not weak, where a pressured agent leaves the notice out, and the explanation says it was not performed and why', () => {
    const gaps = noticeGaps(['osint_personal_data', 'urgency_pressure']);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.status).toBe('not_enforced');
      expect(g.why).toMatch(/^at "Tell the user": procedural only and not performed — .*under urgency pressure.*\[deviation\.pressure\]/);
    }
  });

  it('keeps its presence status where the agent sends it: weak, through the one channel a SIM swap silences', () => {
    const gaps = noticeGaps(['osint_personal_data', 'sim_swap']);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(g.status).toBe('weak');
  });
});
