// `resetpath analyze`, run in-process exactly as a user or a pipeline runs it: the readable table, the
// JSON report (valid against the published schema), Markdown, the --fail-on gate and bad input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisReportSchema, countIn, hardenedSettingsText, type AnalysisReport } from '../../analysis/index.ts';
import { OWNER_ROLES } from '../../models/index.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/**
 * A small phone desk written to a file: a call, date-of-birth proofing (with `verify`'s own lines
 * after its controls: next, on_fail), the given further steps, a reset read out, the end.
 */
function dobDesk(id: string, enforcement: string, verifyRest: string, steps = ''): string {
  return write(
    `${id}.yaml`,
    `resetpath: workflow/1
id: ${id}
name: ${id}
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1, name: Tier-1 agent }
start: intake
steps:
  - { id: intake, kind: intake, name: Call received, channels: [phone], actor: tier1, next: verify }
  - id: verify
    kind: proofing
    name: Date of birth
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: pii }, enforcement: ${enforcement} }
${verifyRest}${steps}  - { id: reset, kind: execution, name: Reset and read the password out, actor: tier1, action: password_reset, delivery: requester_on_call, next: done }
  - { id: done, kind: end }
`,
  );
}

const NO_STACK = /^\s+at /m;
const owner = (role: keyof typeof OWNER_ROLES) => OWNER_ROLES[role].split(' (')[0]!;

// The weak privileged-admin recovery (kbv questions, procedural mobile call-back, tier-1 executes):
// S01 (osint only) is stopped by the call-back; S04 (SIM swap) takes over a standard account;
// S16 (authority pressure) takes over the privileged admin. See test/analysis/expected-outcomes.test.ts.
const PAR_WEAK = 'privileged-admin-recovery.weak';
const PAR_HARDENED = 'privileged-admin-recovery.hardened';
const S01 = 's01-osint-vishing';
const S04 = 's04-sim-swap-sspr';
const S16 = 's16-privileged-mfa-reset-idp-takeover';

async function json(...args: string[]): Promise<AnalysisReport> {
  const r = await run('analyze', ...args, '--format', 'json');
  expect(r.err).toBe('');
  return analysisReportSchema.parse(JSON.parse(r.out));
}

describe('resetpath analyze output', () => {
  it('says a request the account holder makes stops where the holder will not act for an attacker who cannot direct them, and names the grant restriction for one who can', async () => {
    const r = await run('analyze', 'connected-app-consent.weak', '-s', S04, '-s', 's29-connected-app-consent-vishing');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`${S04}\\s+standard_employee\\s+blocked\\s+stopped at The employee opens the app's authorisation link \\(the account holder does not act for this attacker\\)`));
    expect(r.out).toMatch(/s29-connected-app-consent-vishing\s+standard_employee\s+TAKEOVER \(undetected\)/);
    expect(r.out).toMatch(/consent\.app_restriction\s+Owner of authenticators/);
  });

  it('says why an attempt stops where no control holds it: the credential goes to the real user, or the request goes round a loop that never reaches a reset', async () => {
    const delivered = await run('analyze', 'standard-password-reset.hardened', '-s', 's09-bribed-insider-agent');
    expect(delivered.out).toMatch(/s09-bribed-insider-agent\s+standard_employee\s+blocked\s+stopped at [^\n]*; Send one-time reset link to email on file \(the credential goes to the real user's mailbox on file\)/);
    // A file whose approval leads back to the check before it, with no way on (lint's RP020): the
    // analysis does not report the scenario as blocked by nothing.
    const loop = dobDesk('loop-back', 'procedural', '    next: approve\n', '  - { id: approve, kind: approval, name: Team lead approves, actor: tier1, next: verify }\n');
    const r = await run('analyze', loop, '-s', S01);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`${S01}\\s+standard_employee\\s+blocked\\s+stopped at Team lead approves \\(passing it leads back to "Date of birth": after \\d+ retr(y|ies) the attempt ends on this loop, never reaching a reset or an end step\\)`));
  });

  it('says where a control the file already has would act, when the path passes it by (misplaced)', async () => {
    // Date-of-birth proofing whose failure leads on as its success does: the path fails it and goes
    // on, so hardening it there closes nothing; it would act at the reset, where it can also sit.
    const file = dobDesk('fail-leads-on', 'system', '    next: reset\n    on_fail: reset\n');
    for (const format of ['table', 'md']) {
      const r = await run('analyze', file, '-s', S01, '--format', format);
      expect(r.err).toBe('');
      expect(r.out, format).toMatch(/misplaced \d+ \(would act at Reset and read the password out\)/);
    }
  });

  it('prints a table of each scenario\'s outcome, then the gap controls with their accountable owners', async () => {
    const r = await run('analyze', PAR_WEAK, '-s', S01, '-s', S04, '-s', S16);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(`[${PAR_WEAK}]`);
    expect(r.out).toMatch(new RegExp(`${S01}\\s+standard_employee\\s+blocked\\s+stopped at Call back the mobile number in the directory \\(callback\\.number_on_file\\)`));
    expect(r.out).toMatch(new RegExp(`${S04}\\s+standard_employee\\s+TAKEOVER \\(undetected\\)`));
    expect(r.out).toMatch(new RegExp(`${S16}\\s+privileged_admin\\s+TAKEOVER \\(undetected\\)`));
    // What each takeover yields (docs/analysis-semantics.md, "Takeover kinds"): an administrator's
    // account opens consoles; a standard employee's gives a sign-in only.
    expect(r.out).toMatch(new RegExp(`${S16}\\s+privileged_admin\\s+TAKEOVER \\(undetected\\)\\s+[^\\n]*; yields tool or console access\\n`));
    expect(r.out).toMatch(new RegExp(`${S04}\\s+standard_employee\\s+TAKEOVER \\(undetected\\)\\s+[^\\n]*; yields sign-in only\\n`));
    expect(r.out).toContain('accountable owner');
    // The call-back is the control an owner must fix; it is named with that owner's title.
    expect(r.out).toMatch(new RegExp(`callback\\.number_on_file\\s+${owner('proofing_standards_owner')}`));
    expect(r.out).toMatch(new RegExp(`privileged\\.separate_path\\s+${owner('approval_rules_owner')}`));
    expect(r.out).toContain('Least-friction set closing every closable path:');
  });

  it('says how a control set must be placed, and gives the least-friction set of each account class with paths, in the table and in Markdown', async () => {
    const report = await json(PAR_WEAK, '-s', S04, '-s', S16);
    const classes = Object.entries(report.workflows[0]!.minimalSetsByClass).filter(([, v]) => v.leastFriction);
    expect(classes.map(([k]) => k).sort()).toEqual(['privileged_admin', 'standard_employee']);
    for (const format of ['table', 'md']) {
      const r = await run('analyze', PAR_WEAK, '-s', S04, '-s', S16, '--format', format);
      // Where each control of the least-friction set goes: the steps the verification placed it on.
      const lf = report.workflows[0]!.minimalSets.leastFriction!.controls;
      const places = report.workflows[0]!.placements!;
      for (const c of lf) {
        const p = places[c]!;
        expect(p.scope === 'step' ? p.at.length : 1, c).toBeGreaterThan(0);
        const settings = hardenedSettingsText(c);
        if (p.scope === 'step') expect(r.out.replace(/\\/g, ''), `${format} ${c}`).toContain(`${c}${settings ? ` (${settings})` : ''} at ${p.at.map((s) => `“${report.workflows[0]!.stepNames[s]}”`).join(', ')}`);
      }
      expect(r.out, format).toMatch(/Where (it goes|they go), at hardened parameters and enforced by the system: /);
      expect(r.out, format).toContain('Least-friction set per account class with takeover paths:');
      for (const [cls, v] of classes) expect(r.out, `${format} ${cls}`).toContain(`${cls}: ${v.leastFriction!.controls.join(' + ')} (`);
      expect(r.out, format).toMatch(/Highest-leverage control/);
    }
  });

  it('says beside the least-friction set which lint rules still fire with it applied, in the table and in Markdown', async () => {
    for (const format of ['table', 'md']) {
      const r = await run('analyze', 'standard-password-reset.weak', '--format', format);
      expect(r.code, format).toBe(0);
      // The set closes the scenarios' paths; the password read to the caller is still there to see.
      expect(r.out, format).toMatch(/With the set applied, lint still reports \d+ error rules \([^)]*RP026 password-read-to-caller/);
      // What "enforced by the system" asks of whoever builds the set's controls (the credit rests on it).
      expect(r.out.replace(/\\/g, ''), format).toContain('a box the agent ticks is a procedure, and an insider or a pressured agent can tick it');
    }
  });

  it('analyses a scenario named twice once, and refuses two different models with one id, naming both files', async () => {
    const once = await json(PAR_WEAK, '-s', S04);
    const twice = await json(PAR_WEAK, '-s', S04, '-s', S04);
    expect(twice.workflows[0]!.totals).toEqual(once.workflows[0]!.totals);
    expect(twice.workflows[0]!.scenarios).toHaveLength(1);
    const copy = join(dir, 'copy-of-s04.yaml');
    writeFileSync(copy, readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'library', `${S04}.yaml`), 'utf8'));
    const r = await run('analyze', PAR_WEAK, '-s', copy, '-s', S04);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`scenario id "${S04}" is already given by ${copy}`);
    const wf = join(dir, 'copy-of-par.yaml');
    writeFileSync(wf, readFileSync(join(import.meta.dirname, '..', '..', 'models', 'library', `${PAR_WEAK}.yaml`), 'utf8'));
    const w = await run('analyze', wf, PAR_WEAK, '-s', S04);
    expect(w.code).toBe(2);
    expect(w.err).toContain(`workflow id "${PAR_WEAK}" is already given by ${wf}`);
  });

  it('marks a finding that depends on an unknown of the workflow CONDITIONAL in the table and in Markdown, naming the unknowns', async () => {
    const r = await run('analyze', 'customer-account-recovery.weak', '-s', 's27-forged-id-web-form', '-s', 's26-high-value-customer-recovery');
    expect(r.code).toBe(0);
    // S27 opens only through the intake's unknown channel: every path, so the outcome itself is conditional.
    expect(r.out).toMatch(/s27-forged-id-web-form\s+customer\s+TAKEOVER \(undetected\) \(CONDITIONAL\)/);
    expect(r.out).toContain('CONDITIONAL: every path depends on unknowns (the intake accepts ticket_portal only as an unknown channel');
    // S26: only the paths through the escalations desk depend on an unknown; the outcome is not marked.
    expect(r.out).toMatch(/s26-high-value-customer-recovery\s+high_value_customer\s+TAKEOVER \(undetected\)\s+\d+ paths/);
    expect(r.out).toMatch(/CONDITIONAL: \d+ paths? depends? on unknowns \(what step "escalate" checks is unknown\)/);
    const md = await run('analyze', 'customer-account-recovery.weak', '-s', 's27-forged-id-web-form', '--format', 'md');
    expect(md.out).toMatch(/\| s27-forged-id-web-form \| customer \| TAKEOVER \(undetected\) \(CONDITIONAL\) \| .*CONDITIONAL: every path/);
  });

  it('writes JSON that parses and validates against the published analysis report schema', async () => {
    const r = await run('analyze', PAR_WEAK, PAR_HARDENED, '--format', 'json');
    expect(r.code).toBe(0);
    const parsed = analysisReportSchema.safeParse(JSON.parse(r.out));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    const report = parsed.data!;
    expect(report.format).toBe('resetpath/analysis@2');
    expect(report.workflows.map((w) => w.id)).toEqual([PAR_WEAK, PAR_HARDENED]);
    // No --scenario: the whole bundled library is analysed.
    expect(report.workflows[0]!.scenarios.length).toBeGreaterThanOrEqual(15);
    const s16 = report.workflows[0]!.scenarios.find((s) => s.scenario === S16)!;
    expect(s16).toMatchObject({ outcome: 'takeover_undetected', privileged: true, search: { exhaustive: true } });
    expect(s16.classes.some((c) => c.blocking.includes('privileged.separate_path'))).toBe(true);
    expect(report.workflows[0]!.controls.find((c) => c.control === 'privileged.separate_path')).toMatchObject({ owner: 'approval_rules_owner' });
    expect(report.workflows[1]!.scenarios.find((s) => s.scenario === S16)!.outcome).toBe('blocked');
  });

  it('prints a campaign\'s stages under its scenario, with the chain\'s count and blast radius, resolving a stage\'s workflow from the bundled library', async () => {
    const file = write(
      'campaign.yaml',
      `resetpath: scenario/1
id: cli-campaign
name: Agent, then an admin through the admin recovery desk
attacker: { name: crew, capabilities: [osint_personal_data, urgency_pressure] }
target: { account_class: support_agent }
strategy: { channels: [phone], moves: [{ move: contact }] }
then:
  - name: Admin through the recovery desk
    gains: [agent_account_taken_over]
    workflow: ${PAR_WEAK}
    target: { account_class: privileged_admin }
    strategy: { channels: [agent_console], moves: [{ move: contact }] }
`,
    );
    const r = await run('analyze', 'mfa-reenrollment-phone.weak', '-s', file);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/cli-campaign\s+support_agent\s+TAKEOVER \(undetected\)/);
    expect(r.out).toMatch(/\n {4}stage 1\s+support_agent\s+TAKEOVER \(undetected\)\s+mfa-reenrollment-phone\.weak: 2 paths in 2 classes \(yields customer data viewed or exported\)\n/);
    expect(r.out).toMatch(new RegExp(`\\n {4}stage 2\\s+privileged_admin\\s+TAKEOVER \\(undetected\\)\\s+${PAR_WEAK.replace(/\./g, '\\.')}: \\d+ paths? in \\d+ class(es)? \\(yields tool or console access\\); gained agent_account_taken_over\\n`));
    expect(r.out).toMatch(/\n {4}chain\s+TAKEOVER \(undetected\)\s+\d+ campaign paths?; blast radius: support_console, other_users_credentials, customer_records, persistent_second_factor, admin_console, identity_provider_configuration; yields at most customer data viewed or exported\n/);
    const doc = await json('mfa-reenrollment-phone.weak', '-s', file);
    const c = doc.workflows[0]!.scenarios[0]!.campaign!;
    expect(c.stages.map((s) => [s.workflow, s.outcome])).toEqual([
      ['mfa-reenrollment-phone.weak', 'takeover_undetected'],
      [PAR_WEAK, 'takeover_undetected'],
    ]);
    expect(countIn(c.chainPaths)).toBe(countIn(c.stages[0]!.paths) * countIn(c.stages[1]!.paths));
  });

  it('renders Markdown with a scenario table and a gap table', async () => {
    const r = await run('analyze', PAR_WEAK, '-s', S01, '-s', S16, '--format', 'md');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# ResetPath analysis$/m);
    expect(r.out).toContain(`## Privileged admin recovery (as found) (\`${PAR_WEAK}\`)`);
    expect(r.out).toContain('| Scenario | Target | Outcome | Detail |');
    expect(r.out).toContain('|---|---|---|---|');
    expect(r.out).toMatch(new RegExp(`^\\| ${S16} \\| privileged_admin \\| TAKEOVER \\(undetected\\) \\| `, 'm'));
    expect(r.out).toMatch(new RegExp(`^\\| ${S01} \\| standard_employee \\| blocked \\| `, 'm'));
    expect(r.out).toContain('| Control | Accountable owner | Blocks | Jointly | Detects | Contributes | Reduces likelihood | Limits impact | Status where it blocks or detects | Framework references |');
    expect(r.out).toMatch(new RegExp(`^\\| callback\\.number_on_file \\| ${owner('proofing_standards_owner')} \\| \\d+ \\| \\d+ \\| \\d+ \\| `, 'm'));
    // Governance reads the framework references next to each control.
    expect(r.out).toMatch(/\| callback\.number_on_file \|.*CSF 2\.0 PR\.AA-02/);
    // Each reference says how well it fits and, when not confirmed in primary data, how it exists.
    expect(r.out).toMatch(/\| callback\.number_on_file \|.*CSF 2\.0 PR\.AA-02 \(direct\);.*SP 800-63-4 63B §4\.2\.1\.2 \(analogy\);.*ISO 27001:2022 A\.5\.37 \(partial; exists: secondary\)/);
  });
});

describe('resetpath analyze --fail-on', () => {
  it('privileged: exits 1 when the weak workflow lets a privileged account be taken over, 0 on the hardened one', async () => {
    const weak = await run('analyze', PAR_WEAK, '-s', S16, '-s', S04, '--fail-on', 'privileged');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('takeover paths exist for a privileged account class (--fail-on privileged)');
    const hardened = await run('analyze', PAR_HARDENED, '-s', S16, '-s', S04, '--fail-on', 'privileged');
    expect(hardened.err).toBe('');
    expect(hardened.code).toBe(0);
  });

  it('privileged: exits 0 when the only takeovers are of standard accounts', async () => {
    // S04 takes over a standard employee on the weak workflow; that is not a privileged finding.
    expect((await json(PAR_WEAK, '-s', S04)).workflows[0]!.scenarios[0]!.outcome).toBe('takeover_undetected');
    expect((await run('analyze', PAR_WEAK, '-s', S04, '--fail-on', 'privileged')).code).toBe(0);
  });

  it('any: exits 1 for a takeover of any class and 0 when every scenario is blocked', async () => {
    const standard = await run('analyze', PAR_WEAK, '-s', S04, '--fail-on', 'any');
    expect(standard.code).toBe(1);
    expect(standard.err).toContain('takeover paths exist for at least one account class (--fail-on any)');
    // The same weak workflow stops S01 at the call-back: nothing to fail on.
    expect((await json(PAR_WEAK, '-s', S01)).workflows[0]!.scenarios[0]!.outcome).toBe('blocked');
    expect((await run('analyze', PAR_WEAK, '-s', S01, '--fail-on', 'any')).code).toBe(0);
  });

  it('exits 2 on an unknown --fail-on or --format value', async () => {
    expect((await run('analyze', PAR_WEAK, '-s', S01, '--fail-on', 'everything')).code).toBe(2);
    expect((await run('analyze', PAR_WEAK, '-s', S01, '--format', 'xml')).code).toBe(2);
  });
});

describe('resetpath analyze inputs', () => {
  it('exits 2 on a malformed workflow file, naming file, line and column, with no stack trace', async () => {
    const file = write(
      'bad-workflow.yaml',
      `resetpath: workflow/1
id: bad.workflow
name: Bad workflow
account_classes: [standard_employee]
actors:
  - { id: agent, kind: agent, tier: 1 }
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone]
    actor: agent
    next: verify
  - id: verify
    kind: proofing
    actor: agent
    controls:
      - control: proofing.ial2
        params: { method: horoscope }
    next: done
  - id: done
    kind: end
`,
    );
    const r = await run('analyze', file, '-s', S01);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.all).not.toMatch(NO_STACK);
    // The bad value sits on line 19 ("        params: { method: horoscope }").
    expect(r.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:19:\\d+: .*horoscope`, 'm'));
  });

  it('exits 2 on an unknown scenario id, listing the bundled ids, and writes no report', async () => {
    const r = await run('analyze', PAR_WEAK, '-s', 's99-no-such-scenario');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.all).not.toMatch(NO_STACK);
    expect(r.err).toContain('s99-no-such-scenario: no bundled scenario has this id and no such file exists');
    expect(r.err).toContain(S16);
  });

  it('reads a scenario from a file given to --scenario', async () => {
    // Not a bundled id: only the file can supply it. A SIM swapper claiming to be an administrator:
    // the mobile call-back rings its SIM, and the claimed class sends it to the co-sign, which a
    // single outside attacker cannot fake (no pressure, no agent identity, no ticket injection).
    const file = write(
      'sim-swap-admin.yaml',
      `resetpath: scenario/1
id: x-sim-swap-admin
name: SIM swap against an administrator
attacker:
  name: SIM swapper with OSINT
  capabilities: [sim_swap, osint_personal_data]
target:
  account_class: privileged_admin
strategy:
  channels: [phone]
  claims: [privileged_admin, standard_employee]
  retries: 1
  moves:
    - move: contact
`,
    );
    const rel = relative(process.cwd(), file);
    const report = await json(PAR_WEAK, '--scenario', rel);
    const s = report.workflows[0]!.scenarios;
    expect(s.map((x) => x.scenario)).toEqual(['x-sim-swap-admin']);
    // Claiming a standard account skips the co-sign; claiming the admin account passes it too, since the
    // co-signer approves on the first agent's record of checks the SIM swapper already got past.
    expect(s[0]).toMatchObject({ outcome: 'takeover_undetected', targetClass: 'privileged_admin', privileged: true });
    expect(new Set(s[0]!.classes.flatMap((c) => c.examples.map((p) => p.claimedClass)))).toEqual(new Set(['standard_employee', 'privileged_admin']));
    expect((await run('analyze', PAR_WEAK, '--scenario', rel, '--fail-on', 'privileged')).code).toBe(1);
  });

  it('refuses a workflow whose search graph exceeds the documented limit with one located line and exit 2, never a crash', async () => {
    const k = 20;
    const steps = Array.from({ length: k }, (_, i) => `  - { id: e${i}, kind: exception, actor: tier1, grants: x${i}, next: ${i + 1 < k ? `e${i + 1}` : 'reset'}, on_fail: ${i + 1 < k ? `e${i + 1}` : 'reset'} }`);
    const exceptions = Array.from({ length: k }, (_, i) => `  - { id: x${i}, bypasses: [reset], controls: [{ control: exception.expiry }] }`);
    const wf = write(
      'too-many-exceptions.yaml',
      `resetpath: workflow/1\nid: too-many-exceptions\nname: Too many exceptions\naccount_classes: [standard_employee]\nactors: [{ id: tier1, kind: agent }]\nexceptions:\n${exceptions.join('\n')}\nstart: intake\nsteps:\n  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: e0 }\n${steps.join('\n')}\n  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }\n  - { id: done, kind: end }\n`,
    );
    const sc = write('asks.yaml', `resetpath: scenario/1\nid: asks\nname: Asks for every exception\nattacker: { name: x, capabilities: [osint_personal_data] }\ntarget: { account_class: standard_employee }\nstrategy: { channels: [phone], exceptions: [request], moves: [{ move: contact }] }\n`);
    const r = await run('analyze', wf, '--scenario', sc);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/too-many-exceptions\.yaml: workflow "too-many-exceptions" is too large to analyse against scenario "asks": its search graph exceeds 200,000 states .* \(at steps\[\d+\]\)/);
    expect(r.err).not.toMatch(NO_STACK);
  });
});
