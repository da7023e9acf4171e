// Workflow lint rules: each fires on a minimal workflow that has the flaw and stays silent once the
// flaw is fixed. The base workflow below passes every rule; each case changes one thing in it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findControl,
  formatRef,
  getLintRule,
  LINT_RULES,
  lintWorkflow,
  loadWorkflowOrThrow,
  locatePath,
  PRIVILEGED_PATH_RULES,
  ruleMappings,
  type Finding,
} from '../../models/index.ts';

/**
 * Standard staff and admins on separate, directory-routed paths; system-enforced proofing; dual
 * approval by IAM before an IdP-executed admin reset; revocation, notification, full immutable
 * record and review after every reset.
 */
const BASE = `resetpath: workflow/1
id: lint.base
name: Lint base
account_classes: [standard_employee, privileged_admin]
actors:
  - { id: agent, kind: agent }
  - { id: iam, kind: security_team }
  - { id: idp, kind: system }
  - { id: reviewer, kind: reviewer }
start: intake
steps:
  - id: intake
    kind: intake
    actor: agent
    next: route
  - id: route
    kind: routing
    basis: directory
    routes:
      - { classes: [standard_employee], to: verify }
      - { classes: [privileged_admin], to: verify_admin }
  - id: verify
    kind: proofing
    actor: agent
    controls:
      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }
    next: reset
  - id: verify_admin
    kind: proofing
    actor: iam
    controls:
      - { control: proofing.ial2, params: { method: in_person }, enforcement: system }
    next: approve_admin
  - id: approve_admin
    kind: approval
    actor: iam
    controls:
      - { control: approval.dual, enforcement: system }
      - { control: sim_swap.signal }
    next: reset_admin
  - id: reset
    kind: execution
    actor: idp
    action: password_reset
    delivery: email_on_file
    controls:
      - { control: session.revoke_on_reset }
      - { control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }
      - { control: log.immutable }
    next: review
  - id: reset_admin
    kind: execution
    actor: idp
    action: password_reset
    delivery: in_person
    controls:
      - { control: session.revoke_on_reset }
      - { control: notify.out_of_band }
      - { control: log.immutable }
    next: review
  - id: review
    kind: review
    actor: reviewer
    controls:
      - { control: review.post_event }
    next: done
  - id: done
    kind: end
`;

/** `base` with each [from, to] replacement applied once; a missing `from` is a bug in the test. */
function edited(base: string, edits: [string, string][]): string {
  let text = base;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`test edit does not apply: ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

/** BASE with the edits applied. */
const variant = (...edits: [string, string][]): string => edited(BASE, edits);

function lint(text: string): Finding[] {
  return lintWorkflow(loadWorkflowOrThrow(text, 'lint.yaml'));
}

const ruleIds = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))].sort();
const of = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

const ADMIN_ROUTE = '      - { classes: [privileged_admin], to: verify_admin }\n';
const STD_ROUTE = '      - { classes: [standard_employee], to: verify }\n';
const RESET_CONTROLS = `    controls:
      - { control: session.revoke_on_reset }
      - { control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }
      - { control: log.immutable }
`;

describe('the lint base workflow', () => {
  it('passes every rule, so each case below isolates one flaw', () => {
    expect(lint(BASE)).toEqual([]);
  });
});

describe('RP001 shared-privileged-path', () => {
  it('fires when a route sends a privileged and a standard class down one path, pointing at that route', () => {
    const fs = of(lint(variant([STD_ROUTE, '      - { classes: [standard_employee, privileged_admin], to: verify }\n'])), 'RP001');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ path: 'steps[1].routes[0]', step: 'reset', severity: 'error', fixes: ['privileged.separate_path'], owners: ['approval_rules_owner'] });
    expect(fs[0]!.message).toContain('privileged class privileged_admin and standard class standard_employee follow the same path');
  });

  it('fires when the workflow does not route at all, pointing at the account classes it serves', () => {
    const text = variant(['    next: route\n', '    next: verify\n'], ['  - id: route\n    kind: routing\n    basis: directory\n    routes:\n' + STD_ROUTE + ADMIN_ROUTE, '']);
    expect(of(lint(text), 'RP001').map((f) => f.path)).toEqual(['account_classes']);
  });

  it('stays silent when the privileged class has its own path, even though both end at a review', () => {
    expect(of(lint(BASE), 'RP001')).toEqual([]);
  });

  it('stays silent when only privileged classes are served', () => {
    const text = variant(['account_classes: [standard_employee, privileged_admin]', 'account_classes: [privileged_admin]'], [STD_ROUTE, '']);
    expect(of(lint(text), 'RP001')).toEqual([]);
  });
});

describe('RP002 routing-trusts-caller-claim', () => {
  it('fires when routing to different paths uses the class the caller claims', () => {
    const fs = lint(variant(['basis: directory', 'basis: caller_claim']));
    expect(of(fs, 'RP002').map((f) => f.path)).toEqual(['steps[1].basis']);
    // An admin can claim to be standard staff, so the two classes share the standard path.
    expect(of(fs, 'RP001').map((f) => f.step)).toEqual(['reset']);
  });

  it('stays silent when the class is looked up in the directory', () => {
    expect(of(lint(BASE), 'RP002')).toEqual([]);
  });
});

describe('RP003 procedural-guard-on-privileged-path', () => {
  const procedural = ['      - { control: approval.dual, enforcement: system }', '      - { control: approval.dual, enforcement: procedural }'] as [string, string];

  it('fires on a procedural guard on the privileged path, naming that control as the fix', () => {
    const fs = of(lint(variant(procedural)), 'RP003');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ path: 'steps[4].controls[0]', step: 'approve_admin', fixes: ['approval.dual'], owners: ['approval_rules_owner'] });
    // The security team performs it: the analysis has only help-desk agents deviate, so the message
    // does not say the check is skipped under pressure.
    expect(fs[0]!.message).toBe('approval.dual is performed by hand by iam (security_team), which the analysis credits as done, with nothing in the system to hold it, and it guards a path that privileged class privileged_admin can take; enforce it in the system');
  });

  it('says an agent under pressure can skip a procedural guard a help-desk agent performs', () => {
    const text = variant(procedural, ['  - id: approve_admin\n    kind: approval\n    actor: iam\n', '  - id: approve_admin\n    kind: approval\n    actor: agent\n']);
    expect(of(lint(text), 'RP003')[0]!.message).toMatch(/^approval\.dual is procedural only, so an agent under pressure can skip it, and it guards a path/);
  });

  it('takes the catalogue default when the file omits enforcement (proofing is procedural by default)', () => {
    const fs = of(lint(variant(['{ control: proofing.ial2, params: { method: in_person }, enforcement: system }', '{ control: proofing.ial2, params: { method: in_person } }'])), 'RP003');
    expect(fs.map((f) => f.path)).toEqual(['steps[3].controls[0]']);
  });

  it('stays silent on a procedural guard that only standard classes pass', () => {
    const text = variant(['{ control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }', '{ control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: procedural }']);
    expect(of(lint(text), 'RP003')).toEqual([]);
  });
});

describe('RP004 approver-can-be-executor', () => {
  it('fires when dual approval does not enforce separation of duties', () => {
    const fs = of(lint(variant(['{ control: approval.dual, enforcement: system }', '{ control: approval.dual, params: { separation_enforced: false }, enforcement: system }'])), 'RP004');
    expect(fs.map((f) => f.path)).toEqual(['steps[4].controls[0].params.separation_enforced']);
  });

  it('fires when the approval step and the execution it leads to have the same actor', () => {
    const text = variant(['    actor: idp\n    action: password_reset\n    delivery: in_person\n', '    actor: iam\n    action: password_reset\n    delivery: in_person\n']);
    const fs = of(lint(text), 'RP004');
    expect(fs.map((f) => f.path)).toEqual(['steps[4].actor']);
    expect(fs[0]!.message).toContain('approval step "approve_admin" and execution step "reset_admin" have the same actor "iam"');
  });

  it('stays silent when approver and executor differ and separation is enforced', () => {
    expect(of(lint(BASE), 'RP004')).toEqual([]);
  });
});

describe('RP005 knowledge-based-proof', () => {
  it.each(['kbv', 'pii', 'employee_id'])('fires when proofing accepts method %s', (method) => {
    const fs = of(lint(variant(['params: { method: verified_id_facecheck }', `params: { method: ${method} }`])), 'RP005');
    expect(fs.map((f) => f.path)).toEqual(['steps[2].controls[0].params.method']);
    expect(fs[0]!.fixes).toEqual(['proofing.no_pii_kbv', 'proofing.ial2']);
  });

  it('stays silent when the step also refuses personal data as proof (proofing.no_pii_kbv)', () => {
    const text = variant(['params: { method: verified_id_facecheck }, enforcement: system }\n', 'params: { method: kbv }, enforcement: system }\n      - { control: proofing.no_pii_kbv }\n']);
    expect(of(lint(text), 'RP005')).toEqual([]);
  });
});

describe('RP006 control-defeated-by-anyone', () => {
  const callback = (source: string) =>
    variant(['    next: reset\n  - id: verify_admin', `    next: callback\n  - id: callback\n    kind: callback\n    actor: agent\n    controls:\n      - { control: callback.number_on_file, params: { number_source: ${source} }, enforcement: system }\n    next: reset\n  - id: verify_admin`]);

  it('fires on a call-back to a number the caller supplies', () => {
    const fs = of(lint(callback('caller_supplied')), 'RP006');
    expect(fs.map((f) => f.path)).toEqual(['steps[3].controls[0].params.number_source']);
    expect(fs[0]).toMatchObject({ fixes: ['callback.number_on_file'], owners: ['proofing_standards_owner'] });
    expect(fs[0]!.message).toContain('the call-back goes to a number the caller supplied');
  });

  it('stays silent on a call-back to the number in HRIS', () => {
    expect(of(lint(callback('hris')), 'RP006')).toEqual([]);
  });
});

describe('RP007-RP009 exceptions', () => {
  const exception = (extra: string, controls: string) =>
    variant(['start: intake\n', `exceptions:\n  - id: vip_skip\n    bypasses: [verify]\n${extra}${controls}start: intake\n`]);

  it('fires RP007, RP008 and RP009 on an exception without expiry, owner and justification', () => {
    const fs = lint(exception('', ''));
    expect(ruleIds(fs)).toEqual(['RP007', 'RP008', 'RP009']);
    expect(fs.map((f) => f.path)).toEqual(['exceptions[0]', 'exceptions[0]', 'exceptions[0]']);
    expect(of(fs, 'RP007')[0]).toMatchObject({ severity: 'error', fixes: ['exception.expiry'], owners: ['escalation_owner'] });
    expect(of(fs, 'RP008')[0]!.severity).toBe('warning');
  });

  it('stays silent on an exception that expires, has an owner and requires a justification', () => {
    const fs = lint(exception('    owner: escalation_owner\n    justification_required: true\n', '    controls:\n      - { control: exception.expiry, params: { hours: 8 } }\n'));
    expect(ruleIds(fs).filter((r) => ['RP007', 'RP008', 'RP009'].includes(r))).toEqual([]);
  });
});

describe('RP033 exception-waives-nothing', () => {
  const EXPIRING = '    owner: escalation_owner\n    justification_required: true\n    controls:\n      - { control: exception.expiry, params: { hours: 8 } }\n';
  const withException = (...edits: [string, string][]) => variant(['start: intake\n', `exceptions:\n  - id: vip_skip\n    bypasses: [verify]\n${EXPIRING}start: intake\n`], ...edits);
  const grantStep = (next: string) => `  - id: grant\n    kind: exception\n    actor: agent\n    grants: vip_skip\n    next: ${next}\n`;

  it('fires on an exception that expires (so it is not standing) and that no step grants', () => {
    const fs = of(lint(withException()), 'RP033');
    expect(fs.map((f) => f.path)).toEqual(['exceptions[0]']);
    expect(fs[0]!.message).toBe('exception "vip_skip" expires, so it is not standing, and no exception step grants it: it never waives anything');
  });

  it('fires on an exception granted only after the steps it bypasses', () => {
    const text = withException(['    next: reset\n  - id: verify_admin', `    next: grant\n${grantStep('reset')}  - id: verify_admin`]);
    const fs = of(lint(text), 'RP033');
    expect(fs.map((f) => [f.path, f.message])).toEqual([['exceptions[0].bypasses', 'exception "vip_skip" is granted only at "grant", and none of the steps it bypasses (verify) comes after: it never waives anything; grant it before them, or remove it']]);
  });

  it('stays silent on an exception granted before a step it bypasses, and on a standing one', () => {
    const text = withException(['    next: route\n', `    next: grant\n${grantStep('route')}`]);
    expect(of(lint(text), 'RP033')).toEqual([]);
    expect(of(lint(variant(['start: intake\n', 'exceptions:\n  - id: vip_skip\n    bypasses: [verify]\nstart: intake\n'])), 'RP033')).toEqual([]);
  });
});

describe('RP034 check-without-guard', () => {
  const VERIFY = '      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n';

  it('fires on a proofing step that holds only a modifier: the name says a check, the file gives none, so every requester passes', () => {
    const fs = of(lint(variant([VERIFY, '      - { control: proofing.no_pii_kbv }\n    next: reset\n'])), 'RP034');
    expect(fs.map((f) => [f.path, f.step, f.severity])).toEqual([['steps[2]', 'verify', 'error']]);
    expect(fs[0]).toMatchObject({ fixes: ['proofing.ial2'], owners: ['proofing_standards_owner'] });
    expect(fs[0]!.message).toBe('step "verify" is a proofing step, but holds only proofing.no_pii_kbv (modifier), none of which a requester must pass: every requester passes it, the attacker included; add the check it is there for (proofing.ial2, at its hardened setting), or write `verification: unknown` on the step if the file cannot say what is checked there');
  });

  it('fires on an approval step with no control, naming the approval that is missing', () => {
    const fs = of(lint(variant(['    controls:\n      - { control: approval.dual, enforcement: system }\n      - { control: sim_swap.signal }\n', ''])), 'RP034');
    expect(fs.map((f) => [f.step, f.fixes])).toEqual([['approve_admin', ['approval.dual']]]);
    expect(fs[0]!.message).toContain('holds no control');
  });

  it('stays silent where a guard is held, and on a step whose verification the file says is unknown', () => {
    expect(of(lint(BASE), 'RP034')).toEqual([]);
    expect(of(lint(variant([VERIFY, '      - { control: proofing.no_pii_kbv }\n    verification: unknown\n    next: reset\n'])), 'RP034')).toEqual([]);
  });
});

describe('RP035 factor-contradicted, and RP023 with phishing-resistant authenticators', () => {
  const SMS_PATH: [string, string] = ['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n', '      - { control: step_up.verification, params: { factor: sms_otp } }\n    next: reset\n'];
  const PHISHING_RESISTANT: [string, string] = ['start: intake\n', 'controls:\n  - { control: authn.phishing_resistant }\nstart: intake\n'];

  it('fires RP023 on a reset reached with an SMS code as the only proof', () => {
    expect(of(lint(variant(SMS_PATH)), 'RP023').map((f) => f.step)).toEqual(['reset']);
    expect(of(lint(variant(SMS_PATH)), 'RP035')).toEqual([]);
  });

  it('says instead that the file contradicts itself when every user holds phishing-resistant authenticators: the analysis reads the step-up as phishing-resistant, the file names SMS', () => {
    const fs = lint(variant(SMS_PATH, PHISHING_RESISTANT));
    expect(of(fs, 'RP023')).toEqual([]);
    const c = of(fs, 'RP035');
    expect(c.map((f) => [f.path, f.step, f.severity])).toEqual([['steps[2].controls[0].params.factor', 'verify', 'warning']]);
    expect(c[0]).toMatchObject({ fixes: ['step_up.verification'], owners: ['authentication_owner'] });
    expect(c[0]!.message).toContain('set the one it uses (e.g. fido2)');
    // Nor does the code go to a contact the attacker may have changed: no code goes to a phone.
    expect(of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n', '      - { control: step_up.verification, params: { factor: sms_otp, min_contact_age_days: 0 } }\n    next: reset\n'], PHISHING_RESISTANT)), 'RP024')).toEqual([]);
    expect(of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n', '      - { control: step_up.verification, params: { factor: sms_otp, min_contact_age_days: 0 } }\n    next: reset\n'])), 'RP024')).toHaveLength(1);
  });

  it('stays silent on a step-up that names fido2', () => {
    expect(of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n', '      - { control: step_up.verification, params: { factor: fido2 } }\n    next: reset\n'], PHISHING_RESISTANT)), 'RP035')).toEqual([]);
  });
});

describe('RP010 no-accountable-record and RP011 editable-record', () => {
  it('fires RP010 on each reset that no immutable record covers', () => {
    const text = variant(['      - { control: log.immutable }\n    next: review\n', '    next: review\n'], ['      - { control: log.immutable }\n    next: review\n', '    next: review\n']);
    expect(of(lint(text), 'RP010').map((f) => [f.path, f.step])).toEqual([
      ['steps[5]', 'reset'],
      ['steps[6]', 'reset_admin'],
    ]);
  });

  it('fires RP010 when the record lacks who authorised and why', () => {
    const fs = of(lint(variant(['      - { control: log.immutable }\n    next: review\n', '      - { control: log.immutable, params: { records: [requester, executor] } }\n    next: review\n'])), 'RP010');
    expect(fs.map((f) => f.path)).toEqual(['steps[5].controls[2].params.records']);
    expect(fs[0]!.message).toContain('does not hold approver, justification');
  });

  it('counts a record written by a logging step on the same path', () => {
    const text = variant(
      ['      - { control: log.immutable }\n    next: review\n', '    next: record\n  - id: record\n    kind: logging\n    actor: idp\n    controls:\n      - { control: log.immutable }\n    next: review\n'],
    );
    expect(of(lint(text), 'RP010')).toEqual([]);
  });

  it('fires RP011 when the record is kept in ticket notes', () => {
    const fs = of(lint(variant(['      - { control: log.immutable }\n    next: review\n', '      - { control: log.immutable, params: { store: ticket_notes } }\n    next: review\n'])), 'RP011');
    expect(fs.map((f) => f.path)).toEqual(['steps[5].controls[2].params.store']);
  });

  it('stays silent on a complete record in a central append-only store', () => {
    expect(ruleIds(lint(BASE)).filter((r) => r === 'RP010' || r === 'RP011')).toEqual([]);
  });
});

describe('RP012 no-post-event-review and RP013 partial-privileged-review', () => {
  it('fires RP012 on a reset whose path reaches the end without review', () => {
    const text = variant(['    delivery: email_on_file\n' + RESET_CONTROLS + '    next: review\n', '    delivery: email_on_file\n' + RESET_CONTROLS + '    next: done\n']);
    expect(of(lint(text), 'RP012').map((f) => f.step)).toEqual(['reset']);
  });

  it('stays silent when the review sits on the reset it reviews', () => {
    const text = variant(['    delivery: email_on_file\n' + RESET_CONTROLS + '    next: review\n', '    delivery: email_on_file\n' + RESET_CONTROLS + '      - { control: review.post_event }\n    next: done\n']);
    expect(of(lint(text), 'RP012')).toEqual([]);
  });

  it('fires RP013 when fewer than all privileged resets are reviewed', () => {
    const fs = of(lint(variant(['      - { control: review.post_event }', '      - { control: review.post_event, params: { privileged_sample_rate: 0.25 } }'])), 'RP013');
    expect(fs.map((f) => f.path)).toEqual(['steps[7].controls[0].params.privileged_sample_rate']);
    expect(fs[0]!.message).toContain('25% of privileged resets');
  });

  it('stays silent when every path after a reset passes a full review', () => {
    expect(ruleIds(lint(BASE)).filter((r) => r === 'RP012' || r === 'RP013')).toEqual([]);
  });
});

describe('RP014 no-session-revocation', () => {
  it('fires on a reset that leaves sessions valid', () => {
    const fs = of(lint(variant(['    delivery: email_on_file\n    controls:\n      - { control: session.revoke_on_reset }\n', '    delivery: email_on_file\n    controls:\n'])), 'RP014');
    expect(fs.map((f) => [f.path, f.step])).toEqual([['steps[5]', 'reset']]);
  });

  it('stays silent when the reset revokes sessions', () => {
    expect(of(lint(BASE), 'RP014')).toEqual([]);
  });
});

describe('RP015 no-out-of-band-notification', () => {
  const notify = (params: string, action = 'password_reset') =>
    variant(
      ['{ control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }', `{ control: notify.out_of_band, params: ${params} }`],
      ['    action: password_reset\n    delivery: email_on_file\n', `    action: ${action}\n    delivery: email_on_file\n`],
    );

  it('fires when nothing notifies the real user after a reset', () => {
    const text = variant(['      - { control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }\n', '']);
    expect(of(lint(text), 'RP015').map((f) => f.path)).toEqual(['steps[5]']);
  });

  it('fires when only the newly set contact is notified', () => {
    expect(of(lint(notify('{ recipients: new_contact_only }')), 'RP015').map((f) => f.path)).toEqual(['steps[5].controls[1].params.recipients']);
  });

  it('fires when the only channel notified is the one the credential was delivered to', () => {
    const fs = of(lint(notify('{ channels: [email_on_file] }')), 'RP015');
    expect(fs.map((f) => f.path)).toEqual(['steps[5].controls[1].params.channels']);
    expect(fs[0]!.message).toContain('goes only to email_on_file, which the requester of the password reset at step "reset" may hold');
  });

  it('fires when the only channel notified is the one the requester proved the request with', () => {
    const text = variant(
      ['{ control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }', '{ control: notify.out_of_band, params: { channels: [sms_on_file] } }'],
      ['{ control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }', '{ control: step_up.verification, params: { factor: sms_otp } }'],
      ['  - id: verify\n    kind: proofing\n', '  - id: verify\n    kind: step_up\n'],
    );
    expect(of(lint(text), 'RP015').map((f) => f.path)).toEqual(['steps[5].controls[1].params.channels']);
  });

  it('fires when an MFA enrolment notifies only by push to the device it enrols', () => {
    expect(of(lint(notify('{ channels: [app_push] }', 'mfa_device_enrollment')), 'RP015').map((f) => f.path)).toEqual(['steps[5].controls[1].params.channels']);
  });

  it('fires when the only channel notified is the mailbox that the reset of a mailbox account hands over, wherever the credential goes', () => {
    const text = variant(
      ['{ control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }', '{ control: notify.out_of_band, params: { channels: [email_on_file] } }'],
      ['    action: password_reset\n    delivery: email_on_file\n', '    action: password_reset\n    delivery: in_person\n'],
    );
    const fs = of(lint(text), 'RP015');
    expect(fs.map((f) => f.path)).toEqual(['steps[5].controls[1].params.channels']);
    expect(fs[0]!.message).toContain('hands over the mailbox it goes to');
  });

  it('stays silent for a notice to the email on file of a reset that only classes without a mailbox reach', () => {
    // Only the privileged administrator, whose blast radius holds no mailbox, is routed to reset_admin.
    const text = variant(['      - { control: notify.out_of_band }\n      - { control: log.immutable }\n    next: review\n  - id: review', '      - { control: notify.out_of_band, params: { channels: [email_on_file] } }\n      - { control: log.immutable }\n    next: review\n  - id: review']);
    expect(of(lint(text), 'RP015')).toEqual([]);
  });

  it('stays silent when a channel the requester does not receive is notified', () => {
    expect(of(lint(notify('{ channels: [email_on_file, sms_on_file] }')), 'RP015')).toEqual([]);
  });
});

describe('RP016 credential-in-ticket and RP017 nhi-reissue-without-owner', () => {
  it('fires RP016 when the credential is pasted into the ticket, mapped to OWASP NHI2', () => {
    const fs = of(lint(variant(['    delivery: email_on_file\n', '    delivery: ticket\n'])), 'RP016');
    expect(fs.map((f) => f.path)).toEqual(['steps[5].delivery']);
    expect(fs[0]!.fixes).toEqual(['ticket.integrity']);
    expect(fs[0]!.mappings.map((m) => `${m.framework}:${m.id}`)).toContain('nhi:NHI2');
  });

  it('fires RP017 when support re-issues an API key without owner-authenticated rotation', () => {
    const fs = of(lint(variant(['    action: password_reset\n    delivery: email_on_file\n', '    action: api_key_reissue\n    delivery: owner_pipeline\n'])), 'RP017');
    expect(fs.map((f) => f.path)).toEqual(['steps[5]']);
  });

  it('stays silent on an owner-authenticated rotation delivered to the owner pipeline', () => {
    const text = variant(['    action: password_reset\n    delivery: email_on_file\n    controls:\n', '    action: api_key_reissue\n    delivery: owner_pipeline\n    controls:\n      - { control: nhi.rotation }\n']);
    expect(ruleIds(lint(text)).filter((r) => r === 'RP016' || r === 'RP017')).toEqual([]);
  });
});

describe('RP018 ticket-field-trusted', () => {
  const ticketField = ['{ control: approval.dual, enforcement: system }', '{ control: approval.dual, enforcement: system, evidence: ticket_field }'] as [string, string];

  it('fires when a control reads its evidence from a ticket field nobody authenticates', () => {
    expect(of(lint(variant(ticketField)), 'RP018').map((f) => f.path)).toEqual(['steps[4].controls[0].evidence']);
  });

  it('stays silent when intake authenticates requesters through SSO (ticket.integrity)', () => {
    const text = variant(ticketField, ['    actor: agent\n    next: route\n', '    actor: agent\n    controls:\n      - { control: ticket.integrity, params: { requester_authentication: sso_session } }\n    next: route\n']);
    expect(of(lint(text), 'RP018')).toEqual([]);
  });
});

describe('RP019 unreachable-step, RP020 dead-end-step and RP021 unrouted-class', () => {
  it('fires RP019 on a step nothing leads to', () => {
    const text = variant(['  - id: done\n', '  - id: orphan\n    kind: notification\n    actor: idp\n    next: done\n  - id: done\n']);
    expect(of(lint(text), 'RP019').map((f) => [f.path, f.step])).toEqual([['steps[8]', 'orphan']]);
  });

  it('fires RP020 on steps caught in a loop that never reaches an end step', () => {
    const text = variant(['    next: approve_admin\n', '    next: approve_admin\n  - id: loop_a\n    kind: notification\n    actor: idp\n    next: loop_b\n  - id: loop_b\n    kind: notification\n    actor: idp\n    next: loop_a\n'], ['    next: reset_admin\n', '    next: loop_a\n']);
    const fs = lint(text);
    expect(of(fs, 'RP020').map((f) => f.step)).toEqual(['verify_admin', 'loop_a', 'loop_b', 'approve_admin']);
    // Each finding names the loop: the steps on it go round it; the steps before it run into it.
    const message = (step: string) => of(fs, 'RP020').find((f) => f.step === step)!.message;
    expect(message('loop_a')).toBe('no path leads from step "loop_a" to an end step: it goes round the loop loop_a → loop_b → loop_a, which has no way out');
    expect(message('approve_admin')).toBe('no path leads from step "approve_admin" to an end step: its paths run into loops with no way out, such as loop_a → loop_b → loop_a');
  });

  it('fires RP021 on a served class that no route covers', () => {
    const fs = of(lint(variant(['account_classes: [standard_employee, privileged_admin]', 'account_classes: [standard_employee, privileged_admin, developer]'])), 'RP021');
    expect(fs.map((f) => f.path)).toEqual(['steps[1].routes']);
    expect(fs[0]!.message).toContain('no route for developer');
  });

  it('stays silent on a workflow where every step is reachable, ends, and every class is routed', () => {
    expect(ruleIds(lint(BASE)).filter((r) => ['RP019', 'RP020', 'RP021'].includes(r))).toEqual([]);
  });
});

describe('lint rule metadata', () => {
  it('gives every rule a unique RPnnn id, a kebab-case name and a severity', () => {
    expect(new Set(LINT_RULES.map((r) => r.id)).size).toBe(LINT_RULES.length);
    for (const r of LINT_RULES) {
      expect(r.id).toMatch(/^RP\d{3}$/);
      expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
    }
  });

  it('names only catalogue controls as fixes, and focuses only on mappings those controls have', () => {
    for (const r of LINT_RULES) {
      for (const c of r.fixes) expect(findControl(c), `${r.id} fix ${c}`).toBeDefined();
      const keys = new Set(r.fixes.flatMap((c) => findControl(c)!.mappings.map((m) => `${m.framework}:${m.version}:${m.id}`)));
      for (const f of r.focus ?? []) expect(keys.has(f), `${r.id} focus ${f}`).toBe(true);
    }
  });

  it('marks the rules about the privileged path', () => {
    expect(PRIVILEGED_PATH_RULES).toEqual(['RP001', 'RP002', 'RP003', 'RP013']);
    expect(getLintRule('RP001').privilegedPath).toBe(true);
    expect(() => getLintRule('RP999')).toThrow('unknown lint rule');
  });

  it('reports for each finding exactly the mappings the catalogue gives its fixing controls', () => {
    const fs = lint(variant([STD_ROUTE, '      - { classes: [standard_employee, privileged_admin], to: verify }\n']));
    for (const f of fs) {
      const catalogue = f.fixes.flatMap((c) => findControl(c)!.mappings);
      for (const m of f.mappings) expect(catalogue).toContainEqual(m);
    }
  });
});

/** A self-service portal: the user proves with a second authenticator and sets a new password there. */
const SELF = `resetpath: workflow/1
id: lint.self
name: Lint self-service
account_classes: [standard_employee]
actors:
  - { id: portal, kind: system }
  - { id: reviewer, kind: reviewer }
start: intake
steps:
  - id: intake
    kind: intake
    channels: [self_service]
    actor: portal
    next: second
  - id: second
    kind: step_up
    actor: portal
    controls:
      - { control: recovery.self_service_strong, params: { method: second_authenticator } }
    next: reset
  - id: reset
    kind: execution
    actor: portal
    action: password_reset
    delivery: requester_on_call
    controls:
      - { control: session.revoke_on_reset }
      - { control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }
      - { control: log.immutable, params: { records: [requester, verification, executor, notifications] } }
    next: review
  - id: review
    kind: review
    actor: reviewer
    controls:
      - { control: review.post_event }
    next: done
  - id: done
    kind: end
`;

/** SELF with the edits applied. */
const selfVariant = (...edits: [string, string][]): string => edited(SELF, edits);

const SECOND = '      - { control: recovery.self_service_strong, params: { method: second_authenticator } }\n';
const SMS_ONLY = '      - { control: step_up.verification, params: { factor: sms_otp } }\n      - { control: sim_swap.signal }\n';

describe('a self-service reset', () => {
  it('passes every rule with a second authenticator, a notice to every address and a record of who asked and how they proved it (no approver to record)', () => {
    expect(lint(SELF)).toEqual([]);
  });

  it('fires RP010 when its record does not say how the requester proved who they are', () => {
    const fs = of(lint(selfVariant(['records: [requester, verification, executor, notifications]', 'records: [requester, executor]'])), 'RP010');
    expect(fs.map((f) => f.path)).toEqual(['steps[2].controls[2].params.records']);
    expect(fs[0]!.message).toContain('does not hold verification: a self-service reset must record who requested it and how they proved it');
  });
});

describe('RP022 commodity-defeat', () => {
  it('fires on voice recognition as proof, naming the cloned voice and the parameter', () => {
    const fs = of(lint(variant(['params: { method: verified_id_facecheck }', 'params: { method: voice_recognition }'])), 'RP022');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ path: 'steps[2].controls[0].params.method', step: 'verify', severity: 'error', fixes: ['proofing.ial2'] });
    expect(fs[0]!.message).toContain('falls to a cloned voice');
  });

  it('fires on a call-back that trusts the inbound caller ID, and on one to a mobile without a SIM-swap check', () => {
    const callback = '      - { control: callback.number_on_file, params: { mode: inbound_caller_id, number_type: mobile }, enforcement: system }\n';
    const fs = of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n', `      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n${callback}`])), 'RP022');
    expect(fs.map((f) => f.message.slice(0, f.message.indexOf(':')))).toEqual([
      'callback.number_on_file at step "verify" falls to caller-ID spoofing (any VoIP service sets the displayed number)',
      'callback.number_on_file at step "verify" falls to a SIM swap or port-out (bought from or talked out of a carrier)',
    ]);
    expect(fs[1]!.fixes).toEqual(['callback.number_on_file', 'sim_swap.signal']);
  });

  it('stays silent on the mobile call-back once a SIM-swap check sits on the same step, as the analysis reads the rule', () => {
    const callback = '      - { control: callback.number_on_file, params: { number_type: mobile }, enforcement: system }\n      - { control: sim_swap.signal }\n';
    expect(of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n', `      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n${callback}`])), 'RP022')).toEqual([]);
  });

  it('fires on an approver who calls the holder\'s mobile without a SIM-swap check (a SIM swap with a cloned voice)', () => {
    const fs = of(lint(variant(['      - { control: approval.dual, enforcement: system }\n      - { control: sim_swap.signal }\n', '      - { control: approval.dual, enforcement: system }\n'])), 'RP022');
    expect(fs.map((f) => [f.path, f.step])).toEqual([['steps[4].controls[0].params.approver_evidence', 'approve_admin']]);
    expect(fs[0]!.message).toContain('a SIM swap or port-out (bought from or talked out of a carrier) with a cloned voice');
    // The approval is at its hardened evidence already (left out of the file, so assumed): hardening
    // it changes nothing, so the fix is what lifts the rule, and the message says why.
    expect(fs[0]!.fixes).toEqual(['sim_swap.signal']);
    expect(fs[0]!.message).toContain('approval.dual is already at its hardened approver_evidence (independent_contact), so what lifts it is sim_swap.signal on the same step');
  });

  it('fires on approve/deny push and on a saved recovery code, which a vished user approves or reads out', () => {
    const text = selfVariant([SECOND, '      - { control: step_up.verification, params: { factor: push } }\n      - { control: recovery.self_service_strong, params: { method: recovery_codes } }\n']);
    const fs = of(lint(text), 'RP022');
    expect([...new Set(fs.map((f) => f.path))]).toEqual(['steps[1].controls[0].params.factor', 'steps[1].controls[1].params.method']);
    // The push falls to a vished user, to push fatigue and to a relay page: one finding each.
    expect(fs.filter((f) => f.path === 'steps[1].controls[0].params.factor').map((f) => f.message.slice(f.message.indexOf('falls to ') + 9, f.message.indexOf(' ('))).sort()).toEqual(['a real-time phishing relay', 'a vished user', 'push fatigue']);
  });
});

describe('RP023 pstn-only-proof', () => {
  it('fires when a texted code is the only proof on the way to the reset, even with a SIM-swap check', () => {
    const fs = of(lint(selfVariant([SECOND, SMS_ONLY])), 'RP023');
    expect(fs.map((f) => [f.path, f.step])).toEqual([['steps[2]', 'reset']]);
  });

  it('fires when the texted code is the way around a failed stronger check: failing a step proves nothing', () => {
    const text = selfVariant(['    next: reset\n  - id: reset\n', '    next: reset\n    on_fail: sms\n  - id: sms\n    kind: step_up\n    actor: portal\n    controls:\n' + SMS_ONLY + '    next: reset\n  - id: reset\n']);
    expect(of(lint(text), 'RP023').map((f) => f.step)).toEqual(['reset']);
  });

  it('stays silent when a second independent method follows the texted code', () => {
    const text = selfVariant([SECOND, SMS_ONLY], ['    next: reset\n  - id: reset\n', '    next: codes\n  - id: codes\n    kind: step_up\n    actor: portal\n    controls:\n' + SECOND + '    next: reset\n  - id: reset\n']);
    expect(of(lint(text), 'RP023')).toEqual([]);
  });
});

describe('RP024 recent-contact-trusted and RP025 recent-contact-notified', () => {
  it('fires RP024 on a call-back that trusts a number however recently it changed, and RP025 on a notice sent there', () => {
    const callback = '      - { control: callback.number_on_file, params: { min_contact_age_days: 0 }, enforcement: system }\n';
    const text = variant(
      ['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n', `      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n${callback}`],
      ['params: { channels: [email_on_file, sms_on_file, manager_email] } }', 'params: { channels: [email_on_file, sms_on_file, manager_email], min_contact_age_days: 7 } }'],
    );
    const fs = lint(text);
    expect(of(fs, 'RP024').map((f) => [f.path, f.severity, f.fixes])).toEqual([['steps[2].controls[1].params.min_contact_age_days', 'error', ['callback.number_on_file']]]);
    expect(of(fs, 'RP025').map((f) => [f.path, f.severity])).toEqual([['steps[5].controls[1].params.min_contact_age_days', 'warning']]);
    expect(of(fs, 'RP025')[0]!.message).toContain('changed as little as 7 days before');
  });

  it('stays silent at 30 days, and on a step-up whose factor is no contact (a passkey)', () => {
    const step = '      - { control: step_up.verification, params: { factor: fido2, min_contact_age_days: 0 } }\n';
    const text = variant(
      ['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n', `      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n      - { control: callback.number_on_file, params: { min_contact_age_days: 30 }, enforcement: system }\n`],
      ['    kind: proofing\n    actor: iam\n', '    kind: proofing\n    actor: iam\n'],
    );
    expect(ruleIds(lint(text)).filter((r) => r === 'RP024' || r === 'RP025')).toEqual([]);
    expect(of(lint(selfVariant([SECOND, step])), 'RP024')).toEqual([]);
  });
});

describe('RP026 password-read-to-caller', () => {
  it('fires when an agent resets the password and hands it to the caller in the session', () => {
    const fs = of(lint(variant(['    actor: idp\n    action: password_reset\n    delivery: email_on_file\n', '    actor: agent\n    action: password_reset\n    delivery: requester_on_call\n'])), 'RP026');
    expect(fs.map((f) => [f.path, f.step])).toEqual([['steps[5].delivery', 'reset']]);
  });

  it('stays silent on a one-time pass read to the verified caller and on a portal showing the password the user set', () => {
    expect(of(lint(variant(['    actor: idp\n    action: password_reset\n    delivery: email_on_file\n', '    actor: agent\n    action: temporary_access_pass\n    delivery: requester_on_call\n'])), 'RP026')).toEqual([]);
    expect(of(lint(SELF), 'RP026')).toEqual([]);
  });
});

describe('RP027 no-recovery-risk-analysis', () => {
  const byAgent = ['    actor: idp\n    action: password_reset\n    delivery: email_on_file\n', '    actor: agent\n    action: temporary_access_pass\n    delivery: requester_on_call\n'] as [string, string];

  it('fires on the document when an agent performs a recovery and the workflow names no documented risk analysis', () => {
    const fs = of(lint(variant(byAgent)), 'RP027');
    expect(fs.map((f) => [f.path, f.step, f.severity])).toEqual([['', 'reset', 'error']]);
    expect(fs[0]!.message).toBe('the temporary access pass at step "reset" recovers the account through an agent, and the workflow names no documented risk analysis it is based on (add recovery_risk_analysis)');
  });

  it('says a security team\'s re-issue is agent-assisted recovery too, which is why it fires', () => {
    const fs = of(lint(variant([byAgent[0], '    actor: iam\n    action: temporary_access_pass\n    delivery: requester_on_call\n'])), 'RP027');
    expect(fs.map((f) => f.message)).toEqual(['the temporary access pass at step "reset" recovers the account through a security team, which counts as agent-assisted recovery as much as a help-desk agent does, and the workflow names no documented risk analysis it is based on (add recovery_risk_analysis)']);
  });

  it('stays silent once the workflow names the risk analysis and when it was approved', () => {
    const text = variant(byAgent, ['account_classes:', 'recovery_risk_analysis: { document: "IAM-RA-7 help-desk recovery", approved: "2026-03-01" }\naccount_classes:']);
    expect(of(lint(text), 'RP027')).toEqual([]);
  });

  it('refuses a risk analysis whose approval date is not a calendar date, naming the field', () => {
    const text = variant(['account_classes:', 'recovery_risk_analysis: { document: "IAM-RA-7", approved: "2026-02-30" }\naccount_classes:']);
    expect(() => loadWorkflowOrThrow(text, 'lint.yaml')).toThrow('lint.yaml:4:59: must be a real calendar date (YYYY-MM-DD) (at recovery_risk_analysis.approved)');
  });
});

describe('RP028 declared-flaw', () => {
  it('fires on a check the file declares bypassable, naming who can use the flaw', () => {
    const flawed = "      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system, flaw: { kind: forceable_fallback, description: a failed match falls back to questions, capabilities: [osint_personal_data] } }\n";
    const fs = of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n', flawed])), 'RP028');
    expect(fs.map((f) => [f.path, f.step, f.fixes])).toEqual([['steps[2].controls[0].flaw', 'verify', ['proofing.ial2']]]);
    expect(fs[0]!.message).toContain('has a fallback the requester can force that an attacker with osint_personal_data can use: a failed match falls back to questions');
  });

  it('stays silent on checks that declare no flaw', () => {
    expect(of(lint(BASE), 'RP028')).toEqual([]);
  });
});

describe('RP029 provider-incidents-unreported', () => {
  /** BASE with the intake run by a desk of this operator and a contract with these params. */
  const provider = (operator: string, params: string, intakeActor = 'bpo') =>
    variant(
      ['  - { id: agent, kind: agent }\n', `  - { id: agent, kind: agent }\n  - { id: bpo, kind: agent, operator: ${operator}, name: Provider desk }\n`],
      ['start: intake\n', `controls:\n  - { control: vendor.contract_controls, params: ${params} }\nstart: intake\n`],
      ['    kind: intake\n    actor: agent\n', `    kind: intake\n    actor: ${intakeActor}\n`],
    );

  it('fires on a contract without the incident-report clause where a provider runs a desk, pointing at the clause and naming the desk', () => {
    const fs = of(lint(provider('outsourced', '{ reports_incidents: false }')), 'RP029');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ path: 'controls[0].params.reports_incidents', severity: 'warning', fixes: ['vendor.contract_controls'], owners: ['supplier_owner'] });
    expect(fs[0]!.message).toContain('does not oblige the provider to report incidents involving its agents (reports_incidents: false), and a provider runs the desk "bpo" (outsourced)');
    expect(fs[0]!.mappings.map(formatRef)).toEqual(['CSF 2.0 GV.SC-05', 'CSF 2.0 GV.SC-08', 'ISO 27001:2022 A.5.20', 'CIS v8 15.4']);
  });

  it('counts a desk of unknown operator, which may be a provider\'s', () => {
    expect(of(lint(provider('unknown', '{ reports_incidents: false }')), 'RP029')[0]!.message).toContain('"bpo" (operator unknown, may be a provider)');
  });

  it('stays silent with the clause, with only the organisation\'s own desks, or with a provider desk that performs no step', () => {
    expect(of(lint(provider('outsourced', '{ reports_incidents: true, incident_report_hours: 24 }')), 'RP029')).toEqual([]);
    expect(of(lint(provider('outsourced', '{ script_enforces_standard: true }')), 'RP029')).toEqual([]);
    expect(of(lint(provider('in_house', '{ reports_incidents: false }')), 'RP029')).toEqual([]);
    expect(of(lint(provider('outsourced', '{ reports_incidents: false }', 'agent')), 'RP029')).toEqual([]);
  });
});

describe('RP030 customer-has-no-manager', () => {
  /** BASE serving customers: standard customers on the standard path, high-value ones on the admin path. */
  const customers = (...edits: [string, string][]) =>
    variant(
      ['account_classes: [standard_employee, privileged_admin]', 'account_classes: [customer, high_value_customer]'],
      [STD_ROUTE, '      - { classes: [customer], to: verify }\n'],
      [ADMIN_ROUTE, '      - { classes: [high_value_customer], to: verify_admin }\n'],
      ...edits,
    );
  const MANAGER = ['      - { control: approval.dual, enforcement: system }\n', '      - { control: approval.dual, enforcement: system }\n      - { control: approval.manager, enforcement: system }\n'] as [string, string];
  const NOTICE = '      - { control: notify.out_of_band, params: { channels: [email_on_file, sms_on_file, manager_email] } }\n';

  it('fires on a manager\'s approval where the workflow serves only customers, pointing at the approval', () => {
    const fs = of(lint(customers(MANAGER)), 'RP030');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ path: 'steps[4].controls[1]', step: 'approve_admin', severity: 'warning', fixes: [] });
    expect(fs[0]!.message).toContain('approval.manager at step "approve_admin" asks the requester\'s manager to approve, but the workflow serves only customers (customer, high_value_customer), who have no manager in the directory');
  });

  it('fires on a notice whose only channel is the manager\'s, pointing at its channels', () => {
    const fs = of(lint(customers([NOTICE, '      - { control: notify.out_of_band, params: { channels: [manager_email] } }\n'])), 'RP030');
    expect(fs.map((f) => [f.path, f.step, f.fixes])).toEqual([['steps[5].controls[1].params.channels', 'reset', ['notify.out_of_band']]]);
    expect(fs[0]!.message).toContain('the notice reaches nobody and the reset is never notified');
  });

  it('stays silent on a notice that also reaches the customer\'s own contacts, and wherever staff are served too', () => {
    expect(of(lint(customers()), 'RP030')).toEqual([]);
    const mixed = variant(['account_classes: [standard_employee, privileged_admin]', 'account_classes: [standard_employee, privileged_admin, customer]'], MANAGER);
    expect(of(lint(mixed), 'RP030')).toEqual([]);
  });
});

describe('RP031 proof-method-contradicted', () => {
  it.each(['kbv', 'pii', 'employee_id'])('fires where a step proofs by method %s and also refuses knowledge as proof', (method) => {
    const text = variant(['params: { method: verified_id_facecheck }, enforcement: system }\n', `params: { method: ${method} }, enforcement: system }\n      - { control: proofing.no_pii_kbv }\n`]);
    const fs = of(lint(text), 'RP031');
    expect(fs.map((f) => [f.path, f.step])).toEqual([['steps[2].controls[0].params.method', 'verify']]);
    expect(fs[0]!.message).toContain(`(method ${method}), which proofing.no_pii_kbv on the same step refuses as proof`);
    expect(fs[0]!.fixes).toEqual(['proofing.ial2']);
  });

  it('stays silent where the step names evidence the modifier accepts', () => {
    const text = variant(['params: { method: verified_id_facecheck }, enforcement: system }\n', 'params: { method: verified_id_facecheck }, enforcement: system }\n      - { control: proofing.no_pii_kbv }\n']);
    expect(of(lint(text), 'RP031')).toEqual([]);
  });
});

describe('RP032 failed-check-leads-on', () => {
  it('fires where a failed check leads where the passed one does, naming the checks that stop no one', () => {
    const fs = of(lint(variant(['      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n', '      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }\n    next: reset\n    on_fail: reset\n'])), 'RP032');
    expect(fs.map((f) => [f.path, f.step, f.severity])).toEqual([['steps[2].on_fail', 'verify', 'error']]);
    expect(fs[0]!.message).toContain('a requester who fails proofing.ial2 goes on all the same');
  });

  it('stays silent where a failed check leads elsewhere, or where the step holds no check', () => {
    expect(of(lint(variant(['    next: reset\n  - id: verify_admin', '    next: reset\n    on_fail: done\n  - id: verify_admin'])), 'RP032')).toEqual([]);
    expect(of(lint(BASE), 'RP032')).toEqual([]);
  });
});

describe('docs/lint-rules.md', () => {
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/lint-rules.md'), 'utf8');
  const sections = new Map(doc.split(/^## /m).slice(1).map((s) => [s.slice(0, s.indexOf('\n')), s] as const));

  it.each(LINT_RULES.map((r) => [r.id, r] as const))('documents %s with its name, severity, fixing controls, mappings and the clause it rests on', (_id, r) => {
    const section = sections.get(`${r.id} ${r.name} (${r.severity})`);
    expect(section, `a "## ${r.id} ${r.name} (${r.severity})" section`).toBeDefined();
    expect(section).toContain(`Basis: ${r.basis}\n`);
    for (const c of r.fixes) expect(section).toContain(`\`${c}\` (owner: ${findControl(c)!.owner})`);
    const mappings = ruleMappings(r, r.fixes).map(formatRef);
    if (mappings.length > 0) expect(section).toContain(`Mappings: ${mappings.join(', ')}\n`);
    if (r.privilegedPath) expect(section).toContain('*Privileged path.*');
  });
});

describe('locatePath', () => {
  it('turns a finding path into the line and column of that node', () => {
    expect(locatePath(BASE, 'lint.yaml', 'steps[1].routes[0]')).toEqual({ line: 20, column: 9 });
    expect(locatePath(BASE, 'lint.yaml', 'steps[4].controls[0]')).toEqual({ line: 38, column: 9 });
  });

  it('falls back to the nearest existing node for a parameter the file leaves at its default', () => {
    // approve_admin's approval.dual omits separation_enforced: the control instance is named instead.
    expect(locatePath(BASE, 'lint.yaml', 'steps[4].controls[0].params.separation_enforced')).toEqual({ line: 38, column: 9 });
  });

  it('places the document itself at its first node and returns null for text that does not parse', () => {
    expect(locatePath(BASE, 'lint.yaml', '')).toEqual({ line: 1, column: 1 });
    expect(locatePath('a: [', 'x.yaml', 'a')).toBeNull();
  });
});

describe('RP036 procedural-at-provider-desk', () => {
  const desk = (operator: string, enforcement: string) => `resetpath: workflow/1
id: t.provider
name: Provider desk
account_classes: [standard_employee]
actors:
  - { id: vendor, kind: agent, tier: 1, name: provider agent, operator: ${operator} }
controls:
  - { control: vendor.contract_controls }
start: intake
steps:
  - { id: intake, kind: intake, channels: [phone], actor: vendor, next: verify }
  - id: verify
    kind: proofing
    actor: vendor
    controls:
      - { control: proofing.ial2, enforcement: ${enforcement} }
    next: reset
  - { id: reset, kind: execution, actor: vendor, action: password_reset, delivery: requester_on_call, next: done }
  - { id: done, kind: end }
`;
  const rp036 = (text: string) => lint(text).filter((f) => f.rule === 'RP036');

  it('flags a check an outsourced, platform-support or unknown desk performs by procedure, a contract notwithstanding, and names the check as the fix', () => {
    for (const operator of ['outsourced', 'platform_support', 'unknown']) {
      const [f, ...rest] = rp036(desk(operator, 'procedural'));
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ severity: 'warning', path: 'steps[1].controls[0]', fixes: ['proofing.ial2'] });
      expect(f!.message).toMatch(/its agents leave it out for any caller, and a contract does not make them perform it/);
    }
  });

  it('is silent where the provider\'s tooling enforces the check, and for the organisation\'s own desk', () => {
    expect(rp036(desk('outsourced', 'system'))).toEqual([]);
    expect(rp036(desk('in_house', 'procedural'))).toEqual([]);
  });

  it('is silent on a post-event review sitting on the provider\'s reset: the review\'s owner does it afterwards, not the desk', () => {
    const text = desk('outsourced', 'system').replace('delivery: requester_on_call, next: done }', 'delivery: requester_on_call, next: done, controls: [{ control: review.post_event, enforcement: procedural }] }');
    expect(text).toContain('review.post_event');
    expect(rp036(text)).toEqual([]);
  });
});
