// Lint expectations for the bundled library. Each expectation was written by reading the workflow
// file against the rules' meaning (docs/lint-rules.md), not copied from program output; a change to
// a file or a rule that alters a verdict must update the line here, in review.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflowFile, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import { lintWorkflow, PRIVILEGED_PATH_RULES, type Finding } from '../../models/index.ts';

/** Rule ids each weak variant must produce, and why, in the terms of the file. */
const WEAK: Record<string, { rules: string[]; why: string }> = {
  'standard-password-reset.weak.yaml': {
    rules: ['RP001', 'RP003', 'RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP026', 'RP027'],
    why: 'one route for all four classes including privileged_admin; procedural kbv proofing; ticket-notes record without approver or justification; no review, revocation or notification; tier-1 reads the new password to the caller; agent-assisted recovery with no documented risk analysis',
  },
  'mfa-reenrollment-phone.weak.yaml': {
    rules: ['RP001', 'RP003', 'RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022', 'RP024', 'RP025', 'RP027', 'RP028'],
    why: 'one route for admins and staff; procedural mobile call-back and pii fallback; notification only to the newly enrolled device; ticket-notes record; no review or revocation; approve/deny push falls to a vished user and the mobile call-back to a SIM swap; call-back and notice trust a contact changed however recently; no documented risk analysis; the push falls back to SMS (a declared flaw)',
  },
  'privileged-admin-recovery.weak.yaml': {
    rules: ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP018', 'RP022', 'RP024', 'RP027'],
    why: 'admin status taken from the caller, who can claim standard; procedural kbv, call-back and co-sign; co-sign without separation of duties, on the agent\'s record only, read from a ticket field; ticket-notes record; no review, revocation or notification; mobile call-back without a SIM-swap check, to a number changed however recently; no documented risk analysis',
  },
  'executive-vip-reset.weak.yaml': {
    rules: ['RP001', 'RP002', 'RP003', 'RP005', 'RP007', 'RP008', 'RP009', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022', 'RP024', 'RP026', 'RP027'],
    why: 'executive status from the caller; procedural pii, voice and caller-ID checks; VIP skip exception with no expiry, owner or justification; ticket-notes records; no review, revocation or notification on either path; voice recognition falls to a clone, inbound caller ID to spoofing, the mobile to a SIM swap; both desks read the password out; no documented risk analysis',
  },
  'vendor-account-unlock.weak.yaml': {
    rules: ['RP004', 'RP005', 'RP006', 'RP007', 'RP008', 'RP009', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022', 'RP024', 'RP027'],
    why: 'the tier-1 agent both "approves" (sponsor check) and unlocks; sponsor reached at a number the caller gives; pii proofing; standing MFA exclusion with no expiry, owner or justification; ticket-notes record; no review, revocation or notification; the SMS code falls to a SIM swap or a vished vendor, and goes to a number changed however recently; no documented risk analysis',
  },
  'shared-mailbox-reset.weak.yaml': {
    rules: ['RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP026', 'RP027'],
    why: 'an employee ID on the distribution list is the proof; ticket-notes record; no review, revocation or notification; tier-1 reads the new password to the caller; no documented risk analysis',
  },
  'service-account-key-reset.weak.yaml': {
    rules: ['RP003', 'RP006', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP016', 'RP018', 'RP027'],
    why: 'procedural owner approval read from a ticket field on an unauthenticated queue; rotation without owner authentication; key pasted into the ticket; ticket-notes record; no review, revocation or notification; platform support re-issues the key with no documented risk analysis',
  },
  'self-service-sms-fallback.weak.yaml': {
    rules: ['RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022', 'RP023', 'RP024', 'RP025', 'RP026', 'RP027'],
    why: 'kbv and pii fallbacks; local and ticket-notes records without approver or justification; no review or revocation; the portal confirms by SMS to the number the code went to and the desk path notifies nobody; the portal reset needs only a texted code (SIM swap, vished user, a number changed however recently) and its notice goes to that number; the desk reads the password out; no documented risk analysis',
  },
  'connected-app-consent.weak.yaml': {
    rules: ['RP006', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022'],
    why: 'users may authorise any app, so the consent restriction stops no one; a local sign-in log without approver or justification; no review, token revocation or notification; the sign-in is an approve/deny push a vished user approves',
  },
  'remote-support-session.weak.yaml': {
    rules: ['RP006', 'RP010', 'RP012', 'RP014', 'RP015', 'RP022', 'RP024'],
    why: 'any remote-access tool runs and any helper connects; the session leaves no record, no review, no revocation and no notification; the sign-in is an SMS code (SIM swap, vished user) to a number changed however recently',
  },
  'outsourced-service-desk.weak.yaml': {
    rules: ['RP001', 'RP003', 'RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP018', 'RP027', 'RP036'],
    why: 'no routing, so admins take the staff path; procedural pii proofing whose result the resolver reads from a ticket field; provider ticket-notes record; the provider\'s agents perform the proofing and keep the record by procedure (RP036); no review, revocation or notification; no documented risk analysis',
  },
  'walk-in-service-point.weak.yaml': {
    rules: ['RP010', 'RP011', 'RP012', 'RP014', 'RP015', 'RP022', 'RP027'],
    why: 'ticket-notes records without approver or justification at both the re-enrolment and the counter hand-over; no review, revocation or notification; the TOTP code falls to a vished user or a relay and the desk PIN to a vished user (RP022); agent-assisted recovery with no documented risk analysis; a signed-in session as proof and a document only looked at fall to capabilities lint does not count as commodity (a stolen session, a forged document): the analysis finds them',
  },
  'customer-account-recovery.weak.yaml': {
    rules: ['RP001', 'RP003', 'RP005', 'RP010', 'RP011', 'RP012', 'RP014', 'RP022', 'RP023', 'RP024', 'RP027', 'RP036'],
    why: 'high-value (privileged) and ordinary customers share one path; procedural kbv questions and a procedural review by the ID platform\'s team (a provider\'s and a platform\'s desk: RP036, with the outsourced agent\'s notice and record); ticket-notes record without approver or justification; no review or revocation (the notice exists, of unknown enforcement, so no RP015); the SMS code alone reaches the change (SIM swap, vished customer, relay; a number changed however recently); no documented risk analysis',
  },
  'carrier-sim-change.weak.yaml': {
    rules: ['RP001', 'RP003', 'RP005', 'RP010', 'RP012', 'RP014', 'RP015', 'RP027'],
    why: 'high-value (privileged) and ordinary customers share one path; procedural pii check; no record, review, revocation or notification of the SIM change; the carrier\'s desk changes the SIM with no documented risk analysis',
  },
};

/** Rule ids each hardened variant must produce: all of them were written to pass every rule. */
const HARDENED: Record<string, string[]> = {
  'standard-password-reset.hardened.yaml': [],
  'mfa-reenrollment-phone.hardened.yaml': [],
  'privileged-admin-recovery.hardened.yaml': [],
  'executive-vip-reset.hardened.yaml': [],
  'vendor-account-unlock.hardened.yaml': [],
  'shared-mailbox-reset.hardened.yaml': [],
  'service-account-key-reset.hardened.yaml': [],
  'self-service-sms-fallback.hardened.yaml': [],
  'outsourced-service-desk.hardened.yaml': [],
  'connected-app-consent.hardened.yaml': [],
  'remote-support-session.hardened.yaml': [],
  'walk-in-service-point.hardened.yaml': [],
  'customer-account-recovery.hardened.yaml': [],
  'carrier-sim-change.hardened.yaml': [],
};

const library = readdirSync(WORKFLOW_LIBRARY_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

function lintFile(name: string): Finding[] {
  const r = loadWorkflowFile(join(WORKFLOW_LIBRARY_DIR, name));
  if (!r.ok) throw new Error(`${name} does not load: ${r.issues.map((i) => i.message).join('; ')}`);
  return lintWorkflow(r.value);
}

const ruleIds = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))].sort();
const at = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).map((f) => f.path);

describe('lint on the bundled library', () => {
  it('has an expectation for every bundled workflow', () => {
    expect(library.filter((f) => !(f in WEAK) && !(f in HARDENED))).toEqual([]);
  });

  it.each(Object.entries(WEAK).filter(([f]) => library.includes(f)))('finds the expected rules in %s', (name, e) => {
    expect(ruleIds(lintFile(name)), e.why).toEqual(e.rules);
  });

  it.each(Object.entries(HARDENED).filter(([f]) => library.includes(f)))('finds the expected rules (none) in %s', (name, rules) => {
    expect(ruleIds(lintFile(name))).toEqual(rules);
  });

  it('finds none of the privileged-path findings on the hardened privileged-admin workflow', () => {
    const fs = lintFile('privileged-admin-recovery.hardened.yaml');
    expect(fs.filter((f) => PRIVILEGED_PATH_RULES.includes(f.rule))).toEqual([]);
  });

  it('points the weak privileged-admin findings at the flawed nodes', () => {
    const fs = lintFile('privileged-admin-recovery.weak.yaml');
    // The caller-claim routing step lets an admin take the standard route straight to the reset.
    expect(at(fs, 'RP002')).toEqual(['steps[3].basis']);
    expect(fs.find((f) => f.rule === 'RP001')).toMatchObject({ path: 'steps[3].basis', step: 'reset' });
    // The co-signer's approval neither enforces separation of duties nor comes from anywhere but a ticket field.
    expect(at(fs, 'RP004')).toEqual(['steps[4].controls[0].params.separation_enforced']);
    expect(at(fs, 'RP018')).toEqual(['steps[4].controls[0].evidence']);
    // The co-signer approves on the first agent's record, so an impostor who got past the checks gets past the co-sign too.
    expect(at(fs, 'RP006')).toEqual(['steps[4].controls[0].params.approver_evidence']);
    // Every guard on the admin's path is procedure only: kbv, the mobile call-back and the co-sign.
    expect(at(fs, 'RP003')).toEqual(['steps[1].controls[0]', 'steps[2].controls[0]', 'steps[4].controls[0]']);
  });

  it('points the service-account findings at the rotation parameter and the ticket delivery', () => {
    const fs = lintFile('service-account-key-reset.weak.yaml');
    expect(at(fs, 'RP006')).toEqual([
      'steps[0].controls[0].params.requester_authentication',
      'steps[1].controls[0].params.approver_evidence',
      'steps[2].controls[0].params.owner_authenticated',
    ]);
    expect(at(fs, 'RP016')).toEqual(['steps[2].delivery']);
    expect(fs.find((f) => f.rule === 'RP016')!.mappings.map((m) => `${m.framework}:${m.id}`)).toContain('nhi:NHI2');
  });
});
