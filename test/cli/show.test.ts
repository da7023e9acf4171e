// `resetpath show`: the compiled machine as a reviewer reads it, in text and in a stable JSON shape.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import type { ShowReport } from '../../cli/commands/show.ts';
import { WORKFLOW_FIXTURES } from '../fixtures/invalid-cases.ts';
import { run } from './capture.ts';

const WEAK = join(WORKFLOW_LIBRARY_DIR, 'standard-password-reset.weak.yaml');
const HARDENED = join(WORKFLOW_LIBRARY_DIR, 'standard-password-reset.hardened.yaml');

describe('resetpath show', () => {
  it('lists states with their transitions, events, guards and controls', async () => {
    const r = await run('show', WEAK);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Standard employee password reset (as found) (standard-password-reset.weak)');
    expect(r.out).toContain('serves: standard_employee, remote_staff, developer, privileged_admin (privileged)');
    expect(r.out).toContain('  verify [proofing] actor tier1 — Knowledge questions');
    expect(r.out).toContain('    control proofing.ial2 {method: kbv, document_authentication: true} (not in the file, so hardened: document_authentication) — procedural, owner proofing_standards_owner, guard isIdentityProofed');
    expect(r.out).toContain('    proofing.passed -> reset if isIdentityProofed(verify/proofing.ial2)');
    expect(r.out).toContain('    proofing.failed -> __refused');
    expect(r.out).toContain('    always -> verify if isRoutedClass(standard_employee, remote_staff, developer, privileged_admin, support_agent as claimed by the caller)');
    expect(r.out).toContain('    always -> __unrouted');
    expect(r.out).toContain('  done [end] final — Ticket closed');
  });

  it('shows workflow-level controls with their parameters, enforcement and owner', async () => {
    const r = await run('show', HARDENED);
    expect(r.out).toContain('Workflow controls');
    expect(r.out).toContain('  privileged.separate_path {min_executor_tier: 2} (not in the file, so hardened: min_executor_tier) — system, owner approval_rules_owner');
    expect(r.out).toContain('    control notify.out_of_band {channels: [email_on_file, sms_on_file, manager_email], recipients: all_registered, min_contact_age_days: 30} (not in the file, so hardened: min_contact_age_days) — system, owner authentication_owner');
  });

  it('writes the machine as JSON: every declared state plus the synthetic refused and unrouted ones', async () => {
    const r = await run('show', WEAK, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ShowReport;
    expect(report.format).toBe('resetpath-show/1');
    expect(report.workflow).toMatchObject({ id: 'standard-password-reset.weak', variant: 'weak', start: 'intake' });
    expect(report.states.map((s) => s.id)).toEqual(['intake', 'route', 'verify', 'reset', 'done', '__refused', '__unrouted']);
    const verify = report.states.find((s) => s.id === 'verify')!;
    expect(verify.controls).toEqual([
      {
        control: 'proofing.ial2',
        name: 'Identity proofing at IAL2 or stronger',
        params: { method: 'kbv', document_authentication: true },
        enforcement: 'procedural',
        defaultedParams: ['document_authentication'],
        owner: 'proofing_standards_owner',
        role: 'guard',
        guard: 'isIdentityProofed',
        evidence: 'live',
      },
    ]);
    expect(verify.transitions).toEqual([
      { event: 'proofing.passed', target: 'reset', guards: ['isIdentityProofed(verify/proofing.ial2)'], actions: ['recordVerification'] },
      { event: 'proofing.failed', target: '__refused', guards: [], actions: [] },
    ]);
    const route = report.states.find((s) => s.id === 'route')!;
    expect(route.transitions.map((t) => [t.event, t.target])).toEqual([
      [null, 'verify'],
      [null, '__unrouted'],
    ]);
    expect(report.states.find((s) => s.id === 'reset')).toMatchObject({ action: 'password_reset', delivery: 'requester_on_call', actor: 'tier1' });
    expect(report.states.find((s) => s.id === '__refused')).toMatchObject({ final: true, declared: false });
  });

  it('takes a bundled workflow id, as analyze and replay do, and -f for --format; lint too', async () => {
    const byId = await run('show', 'standard-password-reset.weak', '-f', 'json');
    const byFile = await run('show', WEAK, '--format', 'json');
    expect(byId.code).toBe(0);
    expect((JSON.parse(byId.out) as ShowReport).states).toEqual((JSON.parse(byFile.out) as ShowReport).states);
    const lint = await run('lint', 'standard-password-reset.weak', '-f', 'json');
    expect(lint.code).toBe(1);
    expect((JSON.parse(lint.out) as { summary: { invalid: number; error: number } }).summary).toMatchObject({ invalid: 0 });
    const unknown = await run('show', 'no-such.workflow');
    expect([unknown.code, unknown.err]).toEqual([2, 'no-such.workflow: file not found\n']);
  });

  it('marks the parameters a control instance leaves out, which take the catalogue\'s hardened value', async () => {
    const r = await run('show', WEAK, '--format', 'json');
    const report = JSON.parse(r.out) as ShowReport;
    const mfa = report.controls.find((c) => c.control === 'agent.mfa')!;
    expect(mfa.params).toMatchObject({ phishing_resistant: false });
    expect(mfa.defaultedParams).toEqual(['covers']);
    const ial2 = report.states.flatMap((s) => s.controls).find((c) => c.control === 'proofing.ial2')!;
    expect(ial2.defaultedParams).toEqual(['document_authentication']);
    const text = await run('show', WEAK);
    expect(text.out).toMatch(/agent\.mfa \{phishing_resistant: false, covers: \[[^\]]*\]\} \(not in the file, so hardened: covers\)/);
    // A control given every parameter marks none.
    for (const c of report.states.flatMap((s) => s.controls)) if (c.defaultedParams) expect(c.defaultedParams.every((k) => k in c.params), c.control).toBe(true);
  });

  it('exits 2 with the located loader error and no stack trace on a malformed file', async () => {
    const file = join(WORKFLOW_FIXTURES, 'dangling-next.yaml');
    const r = await run('show', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:21:11: next step "rest" is not a step of this workflow`);
    expect(r.all).not.toMatch(/^\s+at /m);
  });
});
