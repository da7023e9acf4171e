// A notification a provider's agent sends after the reset, the attacker's agent identities, and the
// cooling-off that lets a notified user stop the reset: the closing combinations the engine names must
// be the brute-force oracle's (found by the property test with FC_RUNS=5000, seed 31337, and reduced to
// this desk). Until 2026-12-08 a provider contract's script clause made the provider's agent send it,
// so least privilege and the contract closed the path together; a contract now binds no agent's hand.
import { describe, expect, it } from 'vitest';
import { loadWorkflowOrThrow } from '../../models/index.ts';
import { expectEngineMatchesOracle } from './agreement.ts';
import { analyseOne, attacker, deskWorkflow } from './helpers.ts';

/** A desk whose notification after the reset is sent by a provider's agent, and a reset link to the mailbox on file. */
const desk = (notify: 'procedural' | 'system', cooldown: 'system' | null) =>
  deskWorkflow({
    actors: '  - { id: vendor, kind: agent, tier: 2, name: provider agent, operator: outsourced }',
    steps: `  - id: verify
    kind: proofing
    name: Verify
    actor: tier1
    next: reset`,
    delivery: 'email_on_file',
    resetControls: cooldown
      ? `      - control: cooldown.delay
        params: { hours: 24 }
        enforcement: ${cooldown}`
      : undefined,
    afterReset: `  - id: after
    kind: notification
    name: Notify
    actor: vendor
    controls:
      - control: notify.out_of_band
        params: { channels: [app_push], recipients: all_registered, min_contact_age_days: 0 }
        enforcement: ${notify}
    next: done`,
  });

/** Two agent identities and the victim's mailbox: the attacker acts as the provider's agent who should notify. */
const twoIdentities = attacker(['multiple_agent_accounts', 'victim_mailbox_control']);

const jointOf = (wf: ReturnType<typeof desk>) => analyseOne(wf, twoIdentities).classes.flatMap((c) => c.joint.map((j) => j.controls.join('+')));

describe('a notification a provider\'s agent sends after the reset, against two agent identities', () => {
  it('names no combination with the provider contract: a provider agent\'s procedural notification is not sent, contract or not (a contract binds no agent\'s hand)', () => {
    for (const cooldown of [null, 'system'] as const) {
      const wf = desk('procedural', cooldown);
      expect(jointOf(wf).filter((j) => j.includes('vendor.contract_controls'))).toEqual([]);
      expect(analyseOne(wf, twoIdentities).classes.flatMap((c) => c.contributing.map((x) => x.control))).not.toContain('vendor.contract_controls');
      expectEngineMatchesOracle(wf, twoIdentities);
    }
  });

  it('where the reset already waits out a cooling-off, the notification enforced in the provider\'s tooling closes the path on its own', () => {
    const wf = desk('procedural', 'system');
    expect(analyseOne(wf, twoIdentities).classes.every((c) => c.blocking.includes('notify.out_of_band'))).toBe(true);
    expect(analyseOne(desk('system', 'system'), twoIdentities).paths).toBe(0n);
    expectEngineMatchesOracle(wf, twoIdentities);
  });

  it('agrees with the oracle whoever sends the notification and performs the reset, enforced or not, for every kind of agent identity', () => {
    // A cooling-off of the reset's own, performed by the desk that resets; a notification after it.
    // Before the pairs were tried, 9 of these 36 desks named fewer closing combinations than the oracle.
    for (const notify of ['system', 'procedural'])
      for (const notifier of ['idp', 'vendor', 'tier1'])
        for (const resetBy of ['vendor', 'tier1'])
          for (const identity of ['multiple_agent_accounts', 'agent_account_compromised', 'insider_bribed_agent']) {
            const wf = loadWorkflowOrThrow(
              `resetpath: workflow/1
id: t.cooling-off-desk
name: A reset that waits out a cooling-off, then a notification
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1, name: tier-1 agent }
  - { id: vendor, kind: agent, tier: 2, name: provider agent, operator: outsourced }
  - { id: idp, kind: system, name: identity provider }
start: intake
steps:
  - { id: intake, kind: intake, channels: [phone], actor: tier1, next: verify }
  - { id: verify, kind: proofing, name: Verify, actor: tier1, next: reset }
  - id: reset
    kind: execution
    name: Reset
    actor: ${resetBy}
    action: password_reset
    delivery: email_on_file
    controls:
      - { control: cooldown.delay, params: { hours: 24 }, enforcement: procedural }
    next: after
  - id: after
    kind: notification
    name: Notify
    actor: ${notifier}
    controls:
      - control: notify.out_of_band
        params: { channels: [app_push], recipients: all_registered, min_contact_age_days: 0 }
        enforcement: ${notify}
    next: done
  - { id: done, kind: end }
`,
              'cooling-off-desk.yaml',
            );
            expectEngineMatchesOracle(wf, attacker([identity, 'victim_mailbox_control']));
          }
  });
});
