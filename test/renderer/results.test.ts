import { describe, expect, it } from 'vitest';
import { analysisReportSchema, analyzeWorkflow, buildAnalysisReport, toggleControl, type ReportWorkflow } from '../../analysis/index.ts';
import { replay } from '../../scenarios/index.ts';
import { computeGraphLayout } from '../../renderer/compute/computeGraphLayout.ts';
import { computeOverlay, pathEdgeIds } from '../../renderer/compute/computeOverlay.ts';
import {
  campaignView,
  classView,
  drawnText,
  exampleFacts,
  exampleTabs,
  exampleTrace,
  findClass,
  fixView,
  gapRows,
  mappingView,
  isModelFileName,
  openingClass,
  outcomeRows,
  reportExport,
  setView,
  stepNames,
  totals,
  totalsLine,
} from '../../renderer/compute/computeResults.ts';
import { applyWhatIf } from '../../renderer/compute/computeWhatIf.ts';
import { branchingWorkflow, bundledScenarios, bundledWorkflow } from './library.ts';

// The scenarios these figures were written for (S01-S20): a scenario added to the library later adds
// its own paths to the totals without any change in what the renderer shows.
const scenarios = bundledScenarios().filter((s) => s.id < 's21');
const scenario = (id: string) => scenarios.find((s) => s.id === id)!;
const reportOf = (wf: ReturnType<typeof bundledWorkflow>) => buildAnalysisReport([analyzeWorkflow(wf, scenarios)]).workflows[0]!;
const weakWf = bundledWorkflow('standard-password-reset.weak');
const weak = reportOf(weakWf);

// 24 branching checks: the OSINT caller has 2^24 + 2^48 + 2^72 takeover paths, far past 2^53.
const bigWf = branchingWorkflow(24);
const big = reportOf(bigWf);
const W = 2n ** 24n;
const S01_BIG = W + W * W + W * W * W;

describe('scenario x outcome table', () => {
  it('shows a takeover for OSINT vishing against the weak standard reset with its exact count of paths and classes, in words as well as colour', () => {
    const row = outcomeRows(weak).find((r) => r.scenario === 's01-osint-vishing')!;
    expect(row).toMatchObject({ code: 'S01', outcome: 'takeover_undetected', label: 'Takeover, undetected', tone: 'bad', target: 'Standard employee' });
    expect(row.detail).toBe('1 path in 1 class, undetected');
  });

  it('says where a blocked scenario was stopped at a step before the channels the workflow turns away, as the CLI does', () => {
    // The SIM swapper tries the phone first, which the self-service workflow does not take; with the
    // hardened self-service reset its code step stops it.
    const wf = bundledWorkflow('self-service-sms-fallback.hardened');
    const report = reportOf(wf);
    const s04 = report.scenarios.find((s) => s.scenario === 's04-sim-swap-sspr')!;
    expect(s04.outcome).toBe('blocked');
    expect(s04.blockedAt.some((b) => b.kind === 'channel')).toBe(true);
    const row = outcomeRows(report).find((r) => r.scenario === 's04-sim-swap-sspr')!;
    expect(row.detail).toMatch(/^stopped at “/);
  });

  it('offers one button per class of takeover paths, with the class count in its title', () => {
    const s16 = outcomeRows(weak).find((r) => r.scenario === 's16-privileged-mfa-reset-idp-takeover')!;
    expect(s16.detail).toBe('2 paths in 1 class, all undetected');
    expect(s16.classes).toEqual([{ id: 's16-privileged-mfa-reset-idp-takeover#1', label: '#1', count: 2, outcome: 'takeover_undetected', title: 'S16 class #1: 2 paths, undetected' }]);
    const s09 = outcomeRows(weak).find((r) => r.scenario === 's09-bribed-insider-agent')!;
    expect(s09.classes.map((c) => [c.label, c.title])).toEqual([
      ['#1', 'S09 class #1: 1 path, undetected'],
      ['#2', 'S09 class #2: 1 path, undetected'],
    ]);
  });

  it('writes a count past 2^53 exactly, digit for digit, with its order of magnitude', () => {
    expect(S01_BIG).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    const row = outcomeRows(big).find((r) => r.scenario === 's01-osint-vishing')!;
    expect(row.classes[0]!.count).toBe(S01_BIG.toString());
    expect(row.detail).toBe('4,722,366,764,344,638,701,568 (4.7 x 10^21) paths in 1 class, all undetected');
    expect(row.classes[0]!.title).toBe('S01 class #1: 4,722,366,764,344,638,701,568 (4.7 x 10^21) paths, undetected');
  });

  it('says how many of a scenario\'s paths end undetected when some are detected', () => {
    const sms = reportOf(bundledWorkflow('self-service-sms-fallback.weak'));
    const mixed = sms.scenarios.find((s) => BigInt(s.undetected) > 0n && BigInt(s.detected) > 0n);
    expect(mixed && outcomeRows(sms).find((r) => r.scenario === mixed.scenario)!.detail).toMatch(/^\d+ paths in \d+ class(es)?, \d+ undetected$/);
    // No bundled workflow keeps a detected path now; the weak VIP reset with anomaly detection
    // switched on detects every path of the OSINT vishing scenario.
    const watched = reportOf(toggleControl(bundledWorkflow('executive-vip-reset.weak'), 'detect.reset_anomaly', true));
    const detected = watched.scenarios.find((s) => s.scenario === 's01-osint-vishing')!;
    expect(BigInt(detected.undetected)).toBe(0n);
    expect(outcomeRows(watched).find((r) => r.scenario === detected.scenario)!.detail).toMatch(/, all detected$/);
  });

  it('says why a scenario was blocked or does not apply', () => {
    const rows = outcomeRows(weak);
    expect(rows.find((r) => r.scenario === 's06-reverse-vishing')!.detail).toContain('does not accept requests by self-service');
    expect(rows.find((r) => r.scenario === 's14-shared-mailbox')).toMatchObject({ outcome: 'not_applicable', label: 'Not applicable', tone: 'muted', classes: [] });
  });

  it('marks what a what-if change moved, and in which direction', () => {
    const hardened = reportOf(bundledWorkflow('standard-password-reset.hardened'));
    const rows = outcomeRows(hardened, weak);
    const s01 = rows.find((r) => r.scenario === 's01-osint-vishing')!;
    expect(s01.outcome).toBe('blocked');
    expect(s01.was).toEqual({ outcome: 'takeover_undetected', label: 'Takeover, undetected', paths: 1, title: 'before the what-if changes: takeover, undetected, 1 path' });
    expect(s01.change).toBe('better');
    expect(outcomeRows(weak, weak).every((r) => r.change === null && r.was === null)).toBe(true);
  });

  it('compares exact counts, so one path fewer past 2^53 still counts as better', () => {
    // 2^53 + 1 and 2^53 are the same JavaScript number; as exact counts they differ.
    const withPaths = (w: ReportWorkflow, n: string): ReportWorkflow => ({ ...w, scenarios: w.scenarios.map((s) => (s.scenario === 's01-osint-vishing' ? { ...s, paths: n, undetected: n } : s)) });
    const before = withPaths(big, '9007199254740993');
    const after = withPaths(big, '9007199254740992');
    const s01 = outcomeRows(after, before).find((r) => r.scenario === 's01-osint-vishing')!;
    expect(s01.change).toBe('better');
    expect(s01.was?.paths).toBe('9007199254740993');
  });

  it('headlines the exact total, and the total before a what-if change', () => {
    // Every scenario whose target class the workflow serves is analysed.
    const served = scenarios.filter((s) => bundledWorkflow('standard-password-reset.weak').accountClasses.includes(s.target.accountClass)).length;
    expect(totals(weak)).toMatchObject({ paths: 16, undetected: 16, classes: 14, scenariosWithTakeover: 12, scenariosAnalysed: served });
    const hardened = reportOf(bundledWorkflow('standard-password-reset.hardened'));
    expect(totalsLine(totals(hardened), totals(weak))).toEqual({
      was: '16 takeover paths',
      now: '0 takeover paths',
      rest: `in 0 classes, 0 of ${served} applicable scenarios · 0 undetected · 0 on privileged accounts`,
    });
    expect(totalsLine(totals(weak), totals(weak)).was).toBeNull();
    expect(totalsLine(totals(big), null).now).toBe('9,444,735,499,014,231,818,240 (9.4 x 10^21) takeover paths');
  });

  it('says which paths the graph draws, briefly, with the exact counts in its title', () => {
    expect(drawnText(weak, null)).toEqual({ text: 'Drawn: all 16 takeover paths', title: 'All 16 takeover paths' });
    expect(drawnText(weak, 's09-bribed-insider-agent')).toEqual({ text: 'Drawn: S09, 2 paths of 16', title: 'S09: 2 paths of 16 takeover paths' });
    expect(drawnText(weak, 's06-reverse-vishing').text).toBe('S06: no takeover path (16 in other scenarios)');
    expect(drawnText(big, 's01-osint-vishing')).toEqual({
      text: 'Drawn: S01, 4.7 x 10^21 paths of 9.4 x 10^21',
      title: 'S01: 4,722,366,764,344,638,701,568 (4.7 x 10^21) paths of 9,444,735,499,014,231,818,240 (9.4 x 10^21) takeover paths',
    });
  });
});

describe('a campaign under its scenario', () => {
  const mfaWeak = reportOf(bundledWorkflow('mfa-reenrollment-phone.weak'));
  const row = (w: ReportWorkflow, id = 's20-agent-then-admin-campaign') => outcomeRows(w).find((r) => r.scenario === id)!;

  it('shows the chain under the scenario row: each stage\'s outcome in words, its count, what it gained, and the chain\'s count and blast radius', () => {
    const c = row(mfaWeak).campaign!;
    expect(c.stages.map((st) => [st.label, st.target, st.privileged, st.outcomeLabel, st.tone, st.detail, st.gained, st.workflow])).toEqual([
      ['Stage 1', 'Help-desk / support agent', true, 'Takeover, undetected', 'bad', '2 paths in 2 classes', '', 'mfa-reenrollment-phone.weak'],
      ['Stage 2', 'Privileged administrator', true, 'Takeover, undetected', 'bad', '3 paths in 1 class', 'gained agent_account_taken_over', 'mfa-reenrollment-phone.weak'],
    ]);
    expect(c.stages.every((st) => st.downgrade === null)).toBe(true);
    expect(c.chain).toEqual({
      outcome: 'takeover_undetected',
      label: 'Takeover, undetected',
      tone: 'bad',
      paths: '6 campaign paths',
      blastRadius: 'support console, other users credentials, customer records, persistent second factor, admin console, identity provider configuration',
      title: 'Campaign of 2 stages: takeover, undetected, 6 campaign paths; blast radius: support console, other users credentials, customer records, persistent second factor, admin console, identity provider configuration',
    });
    expect(row(mfaWeak, 's01-osint-vishing').campaign).toBeNull();
  });

  it('names a downgraded gain in words, and a stage never reached with its reason', () => {
    const down = row(weak).campaign!.stages[1]!;
    expect(down).toMatchObject({ outcome: 'takeover_undetected', gained: 'gained agent_account_compromised' });
    expect(down.downgrade).toMatch(/^agent_account_taken_over downgraded to agent_account_compromised: stage 1's takeovers hand over a password only/);
    const hardened = row(reportOf(bundledWorkflow('standard-password-reset.hardened'))).campaign!;
    expect(hardened.stages.map((st) => [st.outcomeLabel, st.tone, st.detail])).toEqual([
      ['Blocked', 'good', expect.any(String)],
      ['Not analysed', 'muted', 'not reached: stage 1 ends without a takeover (blocked)'],
    ]);
    expect(hardened.chain).toMatchObject({ label: 'Blocked', paths: '0 campaign paths', blastRadius: 'none' });
  });

  it('draws no chain where the scenario does not apply to the workflow', () => {
    expect(row(reportOf(bundledWorkflow('privileged-admin-recovery.weak')))).toMatchObject({ outcome: 'not_applicable', campaign: null });
  });

  it('writes a chain count past 2^53 exactly', () => {
    const c = campaignView({ stages: [], chainPaths: '22300745198530623141535718272648361505980416', blastRadius: [], outcome: 'takeover_undetected' });
    expect(c.chain.paths).toBe('22,300,745,198,530,623,141,535,718,272,648,361,505,980,416 (2.2 x 10^43) campaign paths');
  });
});

describe('a class of takeover paths', () => {
  // S09's bribed agent working in the console (its other class is the accomplice's call).
  const s09 = findClass(weak, 's09-bribed-insider-agent#2')!;

  it('is found by its id, with its scenario and position', () => {
    expect(s09.scenario.scenario).toBe('s09-bribed-insider-agent');
    expect(s09.index).toBe(1);
    expect(s09.cls.examples[0]!.channel).toBe('agent_console');
    expect(findClass(weak, 's09-bribed-insider-agent#9')).toBeNull();
  });

  it('shows its count and outcome, and the controls that close or detect it with their status on its paths', () => {
    const v = classView(s09.scenario, s09.cls, s09.index);
    expect(v).toMatchObject({ title: 'S09 class #2', count: '1 path', outcome: 'takeover_undetected', label: 'Takeover, undetected', tone: 'bad', unclosable: null });
    expect(v.facts.find((f) => f.label === 'Paths')!.value).toBe("1 path, of S09's 2 takeover paths");
    expect(v.facts.find((f) => f.label === 'Detection')!.value).toBe('none: nobody notices the takeover');
    expect(v.facts.find((f) => f.label === 'Yields')!.value).toBe('Sign-in only');
    // The bribed agent resets from the console: no caller, so no check of a requester is a candidate;
    // ticket integrity is, the tool then acting only on a request its requester made.
    expect(v.blocking.map((b) => [b.control, b.statusLabel])).toEqual([
      ['approval.dual', 'absent'],
      ['ticket.integrity', 'absent'],
    ]);
    expect(v.detecting.map((d) => d.control)).toEqual(['agent.insider_controls', 'detect.reset_anomaly', 'notify.out_of_band']);
    expect(v.joint).toEqual([
      {
        controls: [
          { id: 'cooldown.delay', name: 'Cooling-off delay after recovery' },
          { id: 'notify.out_of_band', name: 'Out-of-band notification of the real user' },
        ],
        paths: 'closes the path',
      },
    ]);
  });

  it('names, apart from the controls that close or detect it, the missing training that would make it less likely and the missing revocation that would limit its harm', () => {
    const { scenario: sc, cls, index } = findClass(weak, 's01-osint-vishing#1')!;
    const v = classView(sc, cls, index);
    expect(v.reducesLikelihood.map((r) => [r.control, r.statusLabel])).toEqual([['training.helpdesk', 'absent']]);
    expect(v.limitsImpact.map((r) => [r.control, r.statusLabel])).toEqual([['session.revoke_on_reset', 'absent']]);
    expect(v.blocking.map((b) => b.control)).not.toContain('training.helpdesk');
  });

  it('says how many of the class\'s paths each joint combination closes', () => {
    const { scenario: sc, cls, index } = findClass(weak, 's16-privileged-mfa-reset-idp-takeover#1')!;
    expect(classView(sc, cls, index).joint[0]!.paths).toBe('closes both paths');
    const part = { ...cls, count: 7, joint: [{ controls: ['cooldown.delay', 'notify.out_of_band'], paths: 3 }], unclosable: 4 };
    const v = classView(sc, part, index);
    expect(v.joint[0]!.paths).toBe('closes 3 of the 7 paths');
    expect(v.unclosable).toBe('4 paths of this class cannot be closed by any set of up to three catalogue controls.');
  });

  it('says what a takeover yields, and that the attacker\'s objective is beyond the account when it is', () => {
    // S25 wants to authorise a transaction; a standard employee's account holds no payment approvals.
    const walkIn = buildAnalysisReport([analyzeWorkflow(bundledWorkflow('walk-in-service-point.weak'), bundledScenarios())]).workflows[0]!;
    const s25 = walkIn.scenarios.find((x) => x.scenario === 's25-forged-id-at-the-counter')!;
    expect(s25.outcome).toBe('takeover_undetected');
    const v = classView(s25, s25.classes[0]!, 0);
    expect(v.facts.find((f) => f.label === 'Yields')!.value).toBe("Sign-in only; the attacker's objective (transaction authorised) is beyond this account");
    // A blocked scenario yields nothing, so its classes (none) carry no such fact.
    expect(walkIn.scenarios.find((x) => x.scenario === 's01-osint-vishing')!.takeover).toBeUndefined();
  });

  it('marks a class whose finding depends on an unknown of the workflow as conditional, in its view, its gap rows and the outcome table', () => {
    const customer = buildAnalysisReport([analyzeWorkflow(bundledWorkflow('customer-account-recovery.weak'), bundledScenarios())]).workflows[0]!;
    const s27 = customer.scenarios.find((x) => x.scenario === 's27-forged-id-web-form')!;
    const v = classView(s27, s27.classes[0]!, 0);
    expect(v.conditional).toContain('Conditional: this finding holds only if the intake accepts ticket_portal only as an unknown channel');
    expect(gapRows(customer, s27.classes[0]!, stepNames(customer)).every((g) => g.conditional)).toBe(true);
    expect(outcomeRows(customer).find((r) => r.scenario === 's27-forged-id-web-form')!.detail).toMatch(/; conditional on unknowns$/);
    expect(outcomeRows(customer).find((r) => r.scenario === 's26-high-value-customer-recovery')!.detail).toMatch(/; \d+ class(es)? conditional on unknowns$/);
    // Nothing unknown, nothing marked.
    const { scenario: sc, cls, index } = findClass(weak, 's01-osint-vishing#1')!;
    expect(classView(sc, cls, index).conditional).toBeNull();
    expect(gapRows(weak, cls, stepNames(weak)).some((g) => g.conditional)).toBe(false);
  });

  it('lists the controls that take a means away without closing the paths', () => {
    const { scenario: sc, cls, index } = findClass(weak, 's16-privileged-mfa-reset-idp-takeover#1')!;
    expect(classView(sc, cls, index).contributing).toEqual([{ control: 'proofing.no_pii_kbv', name: expect.any(String), paths: 'on 2 paths' }]);
  });

  it('explains the gap with effect, status, accountable owner, friction and framework mappings from the report', () => {
    const { cls } = findClass(weak, 's01-osint-vishing#1')!;
    const rows = gapRows(weak, cls, stepNames(weak));
    const ial2 = rows.find((r) => r.control === 'proofing.ial2')!;
    expect(ial2).toMatchObject({
      status: 'weak',
      statusLabel: 'weak',
      effect: 'blocks',
      effectLabel: 'blocks',
      owner: 'proofing_standards_owner',
      ownerTitle: weak.controls.find((c) => c.control === 'proofing.ial2')!.ownerTitle,
      friction: '+8 min, 6% of legitimate requests escalate',
      actsAt: null,
    });
    expect(ial2.ownerTitle).toMatch(/^Owner of identity-proofing standards/);
    expect(ial2.mappings.map((m) => m.label)).toContain('CSF 2.0 PR.AA-02');
    // Where an absent control would act is said once, when the explanation does not already name it.
    expect(rows.find((r) => r.control === 'callback.number_on_file')).toMatchObject({ status: 'absent', effect: 'blocks', actsAt: 'Knowledge questions' });
    expect(rows.find((r) => r.control === 'cooldown.delay')).toMatchObject({ effect: 'blocks_jointly', effectLabel: 'blocks with notify.out_of_band' });
    expect(rows.find((r) => r.effect === 'detects')!.effectLabel).toMatch(/^detects \(\d+ h\)$/);
  });

  it('shows each mapping with its fit, and its existence check (source, version) and rationale in the tooltip', () => {
    const { cls } = findClass(weak, 's07-compromised-agent-account#1')!;
    const insider = gapRows(weak, cls, stepNames(weak)).find((r) => r.control === 'agent.insider_controls')!;
    const pm12 = insider.mappings.find((m) => m.label.includes('PM-12'))!;
    expect(pm12).toMatchObject({ label: 'SP 800-53 r5 PM-12', unconfirmed: false, fit: 'direct' });
    expect(pm12.title).toContain('exists: confirmed in NIST OSCAL SP 800-53 r5 catalogue');
    expect(pm12.title).toContain('a849dbca46');
    expect(pm12.title).toContain('Insider Threat Program');
    const a64 = insider.mappings.find((m) => m.label.includes('A.6.4'))!;
    expect(a64).toMatchObject({ fit: 'partial', secondary: true });
  });

  it('shows a mapping of a report stored before fit and existence were recorded with its old flag, marking [unconfirmed] once', () => {
    const old = mappingView({ ref: 'sp800-53:r5:PM-12', label: 'SP 800-53 r5 PM-12 [unconfirmed]', confidence: 'U', note: 'title recalled' });
    expect(old).toEqual({ label: 'SP 800-53 r5 PM-12', unconfirmed: true, title: 'SP 800-53 r5 PM-12 (sp800-53:r5:PM-12); unconfirmed; title recalled' });
  });
});

describe('where a report opens', () => {
  const s09 = 's09-bribed-insider-agent';

  it('keeps the class the user was reading when the new run still has it in the scenario picked', () => {
    expect(openingClass(weak, s09, `${s09}#2`)).toEqual({ scenario: s09, cls: `${s09}#2`, picked: true });
  });

  it("opens the picked scenario at its first class when the class on screen is another scenario's or gone", () => {
    expect(openingClass(weak, s09, 's16-privileged-mfa-reset-idp-takeover#1')).toEqual({ scenario: s09, cls: `${s09}#1`, picked: true });
    expect(openingClass(weak, s09, `${s09}#9`)).toEqual({ scenario: s09, cls: `${s09}#1`, picked: true });
    expect(openingClass(weak, s09, null)).toEqual({ scenario: s09, cls: `${s09}#1`, picked: true });
  });

  it('keeps a picked scenario without takeover paths, with no class to show', () => {
    expect(openingClass(weak, 's14-shared-mailbox', `${s09}#2`)).toEqual({ scenario: 's14-shared-mailbox', cls: null, picked: true });
  });

  it('with no scenario picked, opens at the first class of a scenario with an undetected takeover', () => {
    const at = openingClass(weak, null, `${s09}#2`);
    expect(at.picked).toBe(false);
    const sc = weak.scenarios.find((s) => s.scenario === at.scenario)!;
    expect(sc.outcome).toBe('takeover_undetected');
    expect(at.cls).toBe(sc.classes[0]!.id);
    expect(weak.scenarios.slice(0, weak.scenarios.indexOf(sc)).every((s) => s.outcome !== 'takeover_undetected')).toBe(true);
  });

  it('opens at no class when no scenario has a takeover path', () => {
    const none = { ...weak, scenarios: weak.scenarios.map((s) => ({ ...s, outcome: 'blocked' as const, classes: [] })) };
    expect(openingClass(none, null, null)).toEqual({ scenario: null, cls: null, picked: false });
  });
});

describe('example paths of a class', () => {
  it('offers up to three examples per class, shortest first', () => {
    for (const s of [...weak.scenarios, ...big.scenarios]) {
      for (const c of s.classes) {
        const tabs = exampleTabs(c);
        expect(tabs.length).toBeGreaterThanOrEqual(1);
        expect(tabs.length).toBeLessThanOrEqual(3);
        const lengths = c.examples.map((e) => e.route.length);
        expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
      }
    }
    expect(exampleTabs(findClass(weak, 's16-privileged-mfa-reset-idp-takeover#1')!.cls).map((t) => [t.label, t.length])).toEqual([
      ['Example 1', '5 steps'],
      ['Example 2', '5 steps'],
    ]);
  });

  it('traces an example by replaying its route: each step with every control\'s verdict, reason and rule', () => {
    const ex = findClass(weak, 's01-osint-vishing#1')!.cls.examples[0]!;
    const t = exampleTrace(weakWf, scenario('s01-osint-vishing'), ex);
    if (!t.ok) throw new Error(t.error);
    expect(t.mismatch).toBeNull();
    expect(t.steps.map((s) => [s.step, s.via])).toEqual([
      ['intake', 'passed'],
      ['route', 'routed'],
      ['verify', 'passed'],
      ['reset', 'passed'],
      ['done', 'end'],
    ]);
    expect(t.steps.find((s) => s.step === 'verify')!.verdicts).toEqual([
      {
        key: 'verify/proofing.ial2',
        control: 'proofing.ial2',
        name: 'Identity proofing at IAL2 or stronger',
        verdict: 'defeated',
        label: 'defeated',
        tone: 'bad',
        reason: 'knowledge and personal-data answers are known to the attacker from OSINT',
        rules: ['proofing.knowledge.osint'],
      },
    ]);
    expect(t.steps.filter((s) => s.takeover).map((s) => s.step)).toEqual(['reset']);
  });

  it('gives the same verdicts as the replay of the same route that `resetpath replay` prints', () => {
    const ex = findClass(weak, 's09-bribed-insider-agent#2')!.cls.examples[0]!;
    const t = exampleTrace(weakWf, scenario('s09-bribed-insider-agent'), ex);
    const direct = replay(weakWf, scenario('s09-bribed-insider-agent'), { channel: 'agent_console', claimedClass: 'standard_employee', standingExceptions: [], steps: ex.route });
    expect(t.ok && t.steps.flatMap((s) => s.verdicts.map((v) => `${s.step} ${v.control} ${v.verdict}`))).toEqual(direct.entries.flatMap((e) => e.verdicts.map((v) => `${e.step} ${v.control} ${v.verdict}`)));
  });

  it('says so when the workflow on screen no longer lets the example through, instead of showing stale verdicts', () => {
    const ex = findClass(weak, 's01-osint-vishing#1')!.cls.examples[0]!;
    const hardened = applyWhatIf(weakWf, new Map([['callback.number_on_file', true]]));
    const t = exampleTrace(hardened, scenario('s01-osint-vishing'), ex);
    expect(t.ok && t.mismatch).toMatch(/^Replayed through the workflow machine, this example is blocked at “verify”/);
    const broken = exampleTrace(weakWf, scenario('s01-osint-vishing'), { ...ex, route: [{ step: 'reset', via: 'pass' }] });
    expect(broken).toMatchObject({ ok: false, error: expect.stringMatching(/^This example could not be replayed/) });
  });

  it('summarises an example: channel, claim, credential, detection, blast radius', () => {
    const facts = exampleFacts(findClass(weak, 's01-osint-vishing#1')!.cls.examples[0]!);
    const fact = (label: string) => facts.find((f) => f.label === label)?.value;
    expect(fact('Channel')).toBe('phone');
    expect(fact('Detection')).toBe('none: nobody notices the takeover');
    expect(fact('Blast radius')).toBe('mailbox, sso applications');
  });
});

describe('takeover paths on the graph', () => {
  const layout = computeGraphLayout(weakWf);
  const s01 = findClass(weak, 's01-osint-vishing#1')!.cls.examples[0]!;

  it('maps each walked step of an example onto the edge it left by', () => {
    expect(pathEdgeIds({ steps: s01.route })).toEqual(['intake>route>next', 'route>verify>route', 'verify>reset>next', 'reset>done>next']);
  });

  it('weighs and labels every edge with the report\'s exact count of takeover paths through it', () => {
    const o = computeOverlay(layout, weak.transitions, null);
    expect(o.edges.get('verify>reset>next')).toMatchObject({ count: 16n, label: '16', title: '16 takeover paths use this transition', selected: false });
    expect(o.maxCount).toBe(16n);
    const ids = new Set(layout.edges.map((e) => e.id));
    for (const t of weak.transitions) expect(ids.has(t.transition), t.transition).toBe(true);
    expect(o.steps.get('verify')!.touched).toBe(true);
  });

  it('draws one scenario\'s counts when that scenario is selected', () => {
    const s09 = weak.scenarios.find((s) => s.scenario === 's09-bribed-insider-agent')!;
    expect(computeOverlay(layout, s09.transitions, null).edges.get('verify>reset>next')!.count).toBe(2n);
  });

  it('fits a count past 2^53 in its badge as "9.4e21" and keeps the exact number in its title', () => {
    const o = computeOverlay(computeGraphLayout(bigWf), big.transitions, null);
    const gate = o.edges.get('gate>reset>next')!;
    expect(gate.count).toBe(9444735499014231818240n);
    expect(gate.label).toBe('9.4e21');
    expect(gate.title).toBe('9,444,735,499,014,231,818,240 (9.4 x 10^21) takeover paths use this transition');
    expect(gate.badgeWidth).toBeGreaterThanOrEqual(gate.label.length * 6);
    expect(gate.weight).toBe(7);
    // 8.26e21 of 9.44e21 paths: a thinner stroke, though both counts are far past 2^53.
    expect(o.edges.get('s0>s1>next')!.weight).toBeCloseTo(Math.sqrt(8264143244978047418368 / 9444735499014231818240) * 7, 5);
  });

  it('sets each count badge beside its own edge without covering another badge, an edge label or a step', () => {
    for (const [wf, report] of [
      [bigWf, big],
      [weakWf, weak],
      [bundledWorkflow('mfa-reenrollment-phone.weak'), reportOf(bundledWorkflow('mfa-reenrollment-phone.weak'))],
    ] as const) {
      const l = computeGraphLayout(wf);
      const o = computeOverlay(l, report.transitions, null);
      const box = (x: number, y: number, w: number, h: number) => ({ x0: x, x1: x + w, y0: y, y1: y + h });
      const hit = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      const badges = l.edges.filter((e) => o.edges.get(e.id)!.count > 0n).map((e) => {
        const b = o.edges.get(e.id)!;
        return { id: e.id, box: box(e.mid.x + b.badgeX - b.badgeWidth / 2, e.mid.y - 8, b.badgeWidth, 16) };
      });
      const others = [
        ...l.nodes.map((n) => ({ id: n.id, box: box(n.x, n.y, n.width, n.height) })),
        ...l.edges.filter((e) => e.labelWidth).map((e) => ({ id: `label ${e.id}`, box: box(e.mid.x - e.labelWidth / 2, e.mid.y - 8, e.labelWidth, 16) })),
      ];
      for (const [i, a] of badges.entries()) {
        for (const b of [...badges.slice(i + 1), ...others]) expect(hit(a.box, b.box), `${wf.id}: badge of ${a.id} covers ${b.id}`).toBe(false);
      }
    }
  });

  it('highlights the selected example and colours its chips by their replayed verdicts', () => {
    const t = exampleTrace(weakWf, scenario('s01-osint-vishing'), s01);
    if (!t.ok) throw new Error(t.error);
    const o = computeOverlay(layout, weak.transitions, t.route);
    expect(o.edges.get('verify>reset>next')).toMatchObject({ count: 16n, selected: true });
    expect(o.steps.get('reset')).toMatchObject({ selected: true, takeover: true, order: [4] });
    expect(o.chipVerdicts.get('verify/proofing.ial2')).toBe('defeated');
  });

  it('draws no weight on edges no path uses', () => {
    const o = computeOverlay(layout, [], null);
    for (const e of o.edges.values()) expect(e).toMatchObject({ count: 0n, weight: 0, selected: false });
    for (const s of o.steps.values()) expect(s.touched).toBe(false);
  });
});

describe('closing every path', () => {
  it('shows the verified least-friction set, the other sets and the highest-leverage control with the paths it closes', () => {
    const v = fixView(weak);
    expect(v.leastFriction).toEqual({
      controls: [
        // Where the verification placed each: the step kinds it attaches to in this file.
        // With the hardened settings the credit rests on (a call-back to a mobile is not this call-back).
        { id: 'callback.number_on_file', name: 'Call-back to the number on file', at: 'at Knowledge questions', settings: 'mode outbound_callback, number_source hris, number_type desk_phone, min_contact_age_days 30' },
        { id: 'ticket.integrity', name: 'Ticket and queue integrity', at: 'at Call received', settings: 'requester_authentication sso_session, reauthentication phishing_resistant' },
      ],
      summary: '+7 min per request, 13% escalate; expected +13 min',
      verified: true,
    });
    expect(v.others.map((s) => s.controls.map((c) => c.id).join(' + '))).toContain('callback.number_on_file + cooldown.delay + notify.out_of_band');
    expect(v.others.every((s) => s.verified)).toBe(true);
    expect(v.highestLeverage).toEqual({ control: 'callback.number_on_file', name: 'Call-back to the number on file', text: 'closes 12 paths on its own' });
    // S20's impostor calls as one of the desk's agents: the call-back to the agent's number on file stops it.
    expect(v.byClass.map((c) => [c.name, c.set?.controls.map((x) => x.id)])).toEqual([
      ['Privileged administrator', expect.any(Array)],
      ['Standard employee', ['callback.number_on_file', 'ticket.integrity']],
      ['Help-desk / support agent', ['callback.number_on_file']],
    ]);
    // Eight verified sets: the least-friction one and six others are listed, the report has the eighth.
    expect(weak.minimalSets.sets).toHaveLength(8);
    expect(v.others).toHaveLength(6);
    expect(v.notes).toEqual(['1 more verified set is not listed here; the exported report has them all']);
  });

  it('says beside the set which lint rules still fire with it applied: the set closes the scenarios\' paths, not every weakness lint flags', () => {
    // The weak standard reset reads the password to the caller and shares one path with privileged accounts, set or no set.
    const v = fixView(weak, weakWf);
    expect(v.lintAfter?.clean).toBe(false);
    expect(v.lintAfter?.text).toMatch(/^With the set applied, lint still reports \d+ error rules \(.*RP001 shared-privileged-path.*RP026 password-read-to-caller.*\)/);
    // Without the workflow on screen (or with another's) there is nothing to lint.
    expect(fixView(weak).lintAfter).toBeNull();
    expect(fixView(weak, bundledWorkflow('standard-password-reset.hardened')).lintAfter).toBeNull();
  });

  it('lists per control the exact paths it closes alone, jointly, or detects', () => {
    const callback = fixView(weak).controls.find((c) => c.control === 'callback.number_on_file')!;
    expect(callback.blocks).toEqual({ text: '12', title: 'Closes on its own: 12 paths' });
    const huge = fixView(big).controls.find((c) => c.control === 'proofing.no_pii_kbv')!;
    expect(huge.blocks).toEqual({ text: '9.4e21', title: 'Closes on its own: 9,444,734,373,114,257,866,752 (9.4 x 10^21) paths' });
    // Dual approval also stops the console paths of one compromised or bribed agent, which the KBV ban cannot.
    expect(fixView(big).highestLeverage).toMatchObject({ control: 'approval.dual', text: 'closes 9,444,735,217,539,238,330,368 (9.4 x 10^21) paths on its own' });
  });

  it('says in words why no set is offered', () => {
    const note = 'no verified set of catalogue controls closes every closable path';
    const none: ReportWorkflow = { ...weak, minimalSets: { ...weak.minimalSets, sets: [], leastFriction: null, notes: [note] } };
    const v = fixView(none);
    expect(v.leastFriction).toBeNull();
    expect(v.noSet).toBe('No verified set of up to 4 catalogue controls closes every closable path.');
    expect(v.notes).toEqual([note]);
  });

  it('shows a set with its names and friction', () => {
    expect(setView(weak.minimalSets.sets[1]!).controls.map((c) => c.id)).toEqual(['proofing.ial2', 'ticket.integrity']);
  });
});

describe('export and import helpers', () => {
  const BASELINE = { runId: 'run-1', stale: false, changes: new Map<string, boolean>() };

  it('exports the baseline on screen as the published resetpath/analysis@2 document, labelled baseline in its name and its view', () => {
    const { fileName, text } = reportExport(weak, BASELINE);
    expect(fileName).toBe('standard-password-reset.weak.baseline.analysis.json');
    const doc = analysisReportSchema.parse(JSON.parse(text));
    expect(doc.format).toBe('resetpath/analysis@2');
    expect(doc.workflows.map((w) => [w.id, w.totals.paths])).toEqual([['standard-password-reset.weak', 16]]);
    expect(doc.view).toEqual({ kind: 'baseline', runId: 'run-1', stale: false, changes: [] });
  });

  it('exports a what-if labelled what-if, listing its control changes in a stable order, and says when its run was stale', () => {
    const { fileName, text } = reportExport(weak, { runId: 'run-1', stale: true, changes: new Map([['proofing.ial2', true], ['callback.number_on_file', true], ['approval.dual', false]]) });
    expect(fileName).toBe('standard-password-reset.weak.what-if.analysis.json');
    expect(analysisReportSchema.parse(JSON.parse(text)).view).toEqual({
      kind: 'what-if',
      runId: 'run-1',
      stale: true,
      changes: [
        { control: 'approval.dual', on: false },
        { control: 'callback.number_on_file', on: true },
        { control: 'proofing.ial2', on: true },
      ],
    });
  });

  it('carries the workspace audit head it is given, as a witness `audit verify --against` checks, and none without one', () => {
    const head = { seq: 42, hash: 'ab'.repeat(32) };
    const doc = analysisReportSchema.parse(JSON.parse(reportExport(weak, BASELINE, head).text));
    expect(doc.auditHead).toEqual(head);
    expect(JSON.parse(reportExport(weak, BASELINE).text)).not.toHaveProperty('auditHead');
  });

  it('keeps a count past 2^53 exact in the exported JSON', () => {
    const doc = JSON.parse(reportExport(big, BASELINE).text) as { workflows: { totals: { paths: unknown } }[] };
    expect(doc.workflows[0]!.totals.paths).toBe('9444735499014231818240');
  });

  it('takes dropped YAML and JSON files as workflow files, nothing else', () => {
    expect(['a.yaml', 'b.YML', 'c.json', 'd.txt', 'yaml'].map(isModelFileName)).toEqual([true, true, true, false, false]);
  });
});
