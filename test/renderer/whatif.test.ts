import { describe, expect, it } from 'vitest';
import { AnalysisCache, analyzeWorkflow, buildAnalysisReport, countIn, toggleControl } from '../../analysis/index.ts';
import { analyseWhatIf, applyWhatIf, nextChanges, whatIfRows } from '../../renderer/compute/computeWhatIf.ts';
import { loadScenarioOrThrow } from '../../scenarios/index.ts';
import { bundledScenarios, bundledWorkflow } from './library.ts';

// The scenarios these figures were written for (S01-S20): a scenario added to the library later adds
// its own paths to the totals without any change in what the renderer shows.
const scenarios = bundledScenarios().filter((s) => s.id < 's21');
const weak = bundledWorkflow('standard-password-reset.weak');

describe('what-if in the renderer', () => {
  it('with no change, gives exactly the report the backend computes', () => {
    const backend = buildAnalysisReport([analyzeWorkflow(weak, scenarios)]).workflows[0];
    expect(analyseWhatIf(applyWhatIf(weak, new Map()), scenarios, 'full')).toEqual(backend);
  });

  it('gives with the session cache exactly what an analysis without it gives, also when the cache starts again mid-analysis', () => {
    const json = (r: unknown) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const all = bundledScenarios();
    const admin = bundledWorkflow('privileged-admin-recovery.weak');
    for (const size of [300, 400_000]) {
      const cache = new AnalysisCache(size);
      let wf = admin;
      for (const [i, control] of ['sim_swap.signal', 'proofing.no_pii_kbv', 'agent.least_privilege', 'approval.dual', 'vendor.contract_controls'].entries()) {
        wf = toggleControl(i === 3 ? admin : wf, control, i % 3 !== 1);
        expect(json(analyseWhatIf(wf, all, 'full', cache))).toBe(json(analyseWhatIf(wf, all, 'full')));
      }
    }
  });

  it('closes every path of the weak standard reset when the least-friction set is switched on', () => {
    const base = analyseWhatIf(weak, scenarios, 'full');
    const set = base.minimalSets.leastFriction!.controls;
    const changed = applyWhatIf(weak, new Map(set.map((c) => [c, true])));
    const after = analyseWhatIf(changed, scenarios, 'paths');
    expect(base.totals.paths).toBe(16);
    expect(after.totals.paths).toBe(0);
    expect(after.scenarios.find((s) => s.scenario === 's01-osint-vishing')!.outcome).toBe('blocked');
  });

  it('computes exact counts, outcomes and transitions in the first pass and leaves attribution and sets to the second', () => {
    const quick = analyseWhatIf(weak, scenarios, 'paths');
    const full = analyseWhatIf(weak, scenarios, 'full');
    const counts = (r: typeof quick) => r.scenarios.map((s) => [s.scenario, s.outcome, s.paths, s.undetected]);
    expect(counts(quick)).toEqual(counts(full));
    expect(quick.transitions).toEqual(full.transitions);
    expect(quick.scenarios.flatMap((s) => s.classes).every((c) => c.gaps.length === 0 && c.blocking.length === 0 && c.examples.length > 0)).toBe(true);
    expect(full.scenarios.flatMap((s) => s.classes).every((c) => c.gaps.length > 0)).toBe(true);
    expect(quick.minimalSets.leastFriction).toBeNull();
    expect(full.minimalSets.leastFriction?.verified).toBe(true);
  });

  it('opens paths again when a control the file relies on is switched off', () => {
    const hardened = bundledWorkflow('mfa-reenrollment-phone.hardened');
    expect(analyseWhatIf(hardened, scenarios, 'paths').totals.paths).toBe(0);
    const after = analyseWhatIf(applyWhatIf(hardened, new Map([['step_up.verification', false]])), scenarios, 'paths');
    expect(countIn(after.totals.paths)).toBeGreaterThan(0n);
  });

  it('switching a control off again gives the same step objects, and leaves steps and lists without it as they were', () => {
    // What the session cache keeps on a step or list (its content signature) is then found again.
    const hardened = bundledWorkflow('mfa-reenrollment-phone.hardened');
    const off = () => applyWhatIf(hardened, new Map([['step_up.verification', false]]));
    const [a, b] = [off(), off()];
    const changed = hardened.stepOrder.filter((s) => a.steps[s] !== hardened.steps[s]);
    expect(changed.length).toBeGreaterThan(0);
    for (const s of hardened.stepOrder) {
      expect(b.steps[s], s).toBe(a.steps[s]);
      expect(a.steps[s]!.controls.some((c) => c.control === 'step_up.verification'), s).toBe(false);
      if (!changed.includes(s)) expect(hardened.steps[s]!.controls.some((c) => c.control === 'step_up.verification'), s).toBe(false);
    }
    expect(a.controls).toBe(hardened.controls);
    expect(a.exceptions).toBe(hardened.exceptions);
  });
});

describe('what-if with campaigns', () => {
  const campaign = loadScenarioOrThrow(
    `resetpath: scenario/1
id: whatif-campaign
name: Agent, then an admin through the admin recovery desk
attacker: { name: crew, capabilities: [osint_personal_data, urgency_pressure] }
target: { account_class: support_agent }
strategy: { channels: [phone], moves: [{ move: contact }] }
then:
  - name: Admin through the recovery desk
    gains: [agent_account_taken_over]
    workflow: privileged-admin-recovery.weak
    target: { account_class: privileged_admin }
    strategy: { channels: [agent_console], moves: [{ move: contact }] }
  - name: Back on the open desk
    gains: [victim_mailbox_control]
    target: { account_class: privileged_admin }
    strategy: { channels: [agent_console], moves: [{ move: contact }] }
`,
    'whatif-campaign.yaml',
  );
  const mfaWeak = bundledWorkflow('mfa-reenrollment-phone.weak');
  const stages = (r: ReturnType<typeof analyseWhatIf>) => r.scenarios[0]!.campaign!.stages.map((s) => [s.workflow, s.outcome]);

  it('goes through the other workflows it is given, and reports a stage through one it is not given as not analysed', () => {
    const others = new Map([['privileged-admin-recovery.weak', bundledWorkflow('privileged-admin-recovery.weak')]]);
    expect(stages(analyseWhatIf(mfaWeak, [campaign], 'paths', undefined, others))).toEqual([
      ['mfa-reenrollment-phone.weak', 'takeover_undetected'],
      ['privileged-admin-recovery.weak', 'takeover_undetected'],
      ['mfa-reenrollment-phone.weak', 'takeover_undetected'],
    ]);
    expect(stages(analyseWhatIf(mfaWeak, [campaign], 'paths'))).toEqual([
      ['mfa-reenrollment-phone.weak', 'takeover_undetected'],
      ['privileged-admin-recovery.weak', 'not_analysed'],
      ['mfa-reenrollment-phone.weak', 'not_analysed'],
    ]);
  });

  it('analyses a stage through the open workflow with the what-if changes: agent MFA switched on stops S20\'s second stage on the weak standard reset, which handed over only the agent\'s password', () => {
    const s20 = scenarios.find((sc) => sc.id === 's20-agent-then-admin-campaign')!;
    const outcomes = (r: ReturnType<typeof analyseWhatIf>) => r.scenarios[0]!.campaign!.stages.map((st) => st.outcome);
    expect(outcomes(analyseWhatIf(weak, [s20], 'paths'))).toEqual(['takeover_undetected', 'takeover_undetected']);
    expect(outcomes(analyseWhatIf(applyWhatIf(weak, new Map([['agent.mfa', true]])), [s20], 'paths'))).toEqual(['takeover_undetected', 'blocked']);
  });
});

describe('what-if control list', () => {
  const report = analyseWhatIf(weak, scenarios, 'full');

  it('lists every catalogue control by role with its state in the file', () => {
    const groups = whatIfRows(weak, new Map(), weak, report);
    expect(groups.map((g) => g.role)).toEqual(['guard', 'modifier', 'detector', 'responder', 'deterrent']);
    const rows = groups.flatMap((g) => g.rows);
    const ial2 = rows.find((r) => r.id === 'proofing.ial2')!;
    expect(ial2.original).toEqual({ instances: 1, enforcement: 'procedural', weakened: true });
    expect(ial2.state).toBe('in the workflow (procedural, below hardened)');
    const callback = rows.find((r) => r.id === 'callback.number_on_file')!;
    expect(callback).toMatchObject({ original: null, placeable: true, inLeastFriction: true, state: 'not in the workflow' });
    expect(callback.blocksPaths).toBe(12n);
    expect(callback.tags).toEqual([{ text: 'blocks 12', title: "Closes 12 paths of the file's analysis on its own" }]);
    // A recovery flow's check sits on a step-up step only, and the workflow has none.
    expect(rows.find((r) => r.id === 'recovery.self_service_strong')).toMatchObject({ placeable: false, state: 'no step it can sit on' });
    // A post-event review sits on the reset it reviews when there is no review step: absent, it is named for the paths it would detect.
    const review = rows.find((r) => r.id === 'review.post_event')!;
    expect(review).toMatchObject({ placeable: true, state: 'not in the workflow' });
    expect(review.detectsPaths).toBeGreaterThan(0n);
  });

  it('with changes, tags what is left to close in the what-if analysis: the control switched on loses its tag, the least-friction set is the rest', () => {
    const changes = new Map([['callback.number_on_file', true]]);
    const wf = applyWhatIf(weak, changes);
    const after = analyseWhatIf(wf, scenarios, 'full');
    const rows = whatIfRows(weak, changes, wf, after, 'what-if').flatMap((g) => g.rows);
    const before = whatIfRows(weak, new Map(), weak, report).flatMap((g) => g.rows);
    const callback = rows.find((r) => r.id === 'callback.number_on_file')!;
    expect(before.find((r) => r.id === 'callback.number_on_file')!.blocksPaths).toBe(12n);
    // Every path it closed on its own is gone with it in place: nothing left for it to close.
    expect(callback).toMatchObject({ blocksPaths: 0n, tags: [], inLeastFriction: false });
    // The least-friction tags mark the what-if's own set (what to add next), not the file's.
    const least = after.minimalSets.leastFriction!.controls;
    expect(least).not.toContain('callback.number_on_file');
    expect(rows.filter((r) => r.inLeastFriction).map((r) => r.id).sort()).toEqual([...least].sort());
    // Counts are the what-if's, and their titles say so.
    const left = after.controls.find((c) => countIn(c.blocksPaths) > 0n)!;
    const row = rows.find((r) => r.id === left.control)!;
    expect(row.blocksPaths).toBe(countIn(left.blocksPaths));
    expect(row.tags[0]!.title).toMatch(/of the what-if analysis on its own$/);
  });

  it('switches an absent control on, and back off by dropping the change', () => {
    const row = { id: 'callback.number_on_file', original: null, change: undefined };
    const on = nextChanges(new Map(), row, 'toggle');
    expect([...on]).toEqual([['callback.number_on_file', true]]);
    expect([...nextChanges(on, { ...row, change: true }, 'toggle')]).toEqual([]);
  });

  it('switches a present control off, hardens it, and undoes a change', () => {
    const row = { id: 'proofing.ial2', original: { instances: 1, enforcement: 'procedural' as const, weakened: true }, change: undefined };
    expect([...nextChanges(new Map(), row, 'toggle')]).toEqual([['proofing.ial2', false]]);
    expect([...nextChanges(new Map(), row, 'harden')]).toEqual([['proofing.ial2', true]]);
    expect([...nextChanges(new Map([['proofing.ial2', false]]), { ...row, change: false }, 'toggle')]).toEqual([]);
    expect([...nextChanges(new Map([['proofing.ial2', true]]), row, 'undo')]).toEqual([]);
  });

  it('shows the state after changes: added, hardened or removed', () => {
    const changes = new Map([['callback.number_on_file', true], ['proofing.ial2', true], ['agent.mfa', false]]);
    const rows = whatIfRows(weak, changes, applyWhatIf(weak, changes), report).flatMap((g) => g.rows);
    expect(rows.find((r) => r.id === 'callback.number_on_file')!.state).toBe('added, hardened (what-if)');
    expect(rows.find((r) => r.id === 'proofing.ial2')).toMatchObject({ state: 'hardened and enforced (what-if)', current: { enforcement: 'system', weakened: false } });
    expect(rows.find((r) => r.id === 'agent.mfa')).toMatchObject({ state: 'removed (what-if)', current: null });
  });
});
