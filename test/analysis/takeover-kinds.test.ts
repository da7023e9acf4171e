// Takeover kinds (docs/analysis-semantics.md, "Takeover kinds"): what a takeover yields, from the
// target class's blast radius and the scenario's objective; carried by the analysis, the report @2
// (optional field, valid against the published schema) and the campaign's stages and chain.
import { describe, expect, it } from 'vitest';
import { analysisReportSchema, analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { ACCOUNT_CLASS_IDS, takeoverKindOf, takeoverKindsWithin, TAKEOVER_KINDS } from '../../models/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();
const wf = (id: string) => workflows.find((w) => w.id === id)!;
const sc = (id: string) => scenarios.find((s) => s.id === id)!;

describe('what a takeover of each account class can yield', () => {
  it('always includes a sign-in, and adds the kinds whose assets the class\'s blast radius holds', () => {
    for (const cls of ACCOUNT_CLASS_IDS) expect(takeoverKindsWithin(cls)[0], cls).toBe('sign_in_only');
    expect(takeoverKindsWithin('standard_employee')).toEqual(['sign_in_only']);
    expect(takeoverKindsWithin('executive')).toEqual(['sign_in_only', 'transaction_authorised']);
    expect(takeoverKindsWithin('support_agent')).toEqual(['sign_in_only', 'read_only_tool_access', 'customer_data_viewed_or_exported']);
    expect(takeoverKindsWithin('privileged_admin')).toEqual(['sign_in_only', 'read_only_tool_access']);
    expect(takeoverKindsWithin('service_account')).toEqual(['sign_in_only', 'read_only_tool_access', 'customer_data_viewed_or_exported']);
  });

  it('yields the objective when it is in reach, the highest kind in reach when none is stated', () => {
    expect(takeoverKindOf('executive', 'transaction_authorised')).toMatchObject({ kind: 'transaction_authorised', capped: false });
    expect(takeoverKindOf('support_agent', 'read_only_tool_access')).toMatchObject({ kind: 'read_only_tool_access', capped: false });
    expect(takeoverKindOf('support_agent', null)).toMatchObject({ kind: 'customer_data_viewed_or_exported', objective: null, capped: false });
  });

  it('caps an objective beyond the account at the highest kind in reach below it, and says why', () => {
    const t = takeoverKindOf('standard_employee', 'transaction_authorised');
    expect(t).toMatchObject({ kind: 'sign_in_only', objective: 'transaction_authorised', capped: true });
    expect(t.reason).toContain('payment_approvals');
    expect(takeoverKindOf('privileged_admin', 'customer_data_viewed_or_exported')).toMatchObject({ kind: 'read_only_tool_access', capped: true });
  });

  it('orders the kinds by impact, as the vocabulary lists them', () => {
    expect(Object.values(TAKEOVER_KINDS).map((k) => k.rank)).toEqual([0, 1, 2, 3]);
  });
});

describe('takeover kinds in the analysis and the report', () => {
  it('gives a takeover its kind, capped by the class (S25 wants a payment, a clerk\'s account gives a sign-in), and a blocked scenario none', () => {
    const a = analyzeWorkflow(wf('walk-in-service-point.weak'), [sc('s25-forged-id-at-the-counter'), sc('s01-osint-vishing')], { minimalSets: false });
    const [s25, s01] = a.scenarios;
    expect(s25!.outcome).toBe('takeover_undetected');
    expect(s25!.takeover).toMatchObject({ kind: 'sign_in_only', objective: 'transaction_authorised', capped: true });
    expect(s01!.outcome).toBe('blocked');
    expect(s01!.takeover).toBeUndefined();
  });

  it('writes the kind into the report @2 as an optional field the published schema accepts', () => {
    const report = buildAnalysisReport([analyzeWorkflow(wf('executive-vip-reset.weak'), [sc('s03-deepfake-verification'), sc('s24-push-fatigue-otp-relay')], { minimalSets: false })]);
    const doc = analysisReportSchema.parse(JSON.parse(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))));
    const [s03, s24] = doc.workflows[0]!.scenarios;
    expect(s03!.takeover).toEqual({ kind: 'transaction_authorised', name: 'Transaction authorised', objective: null, capped: false, reason: expect.stringContaining('Executive') });
    expect(s24!.outcome).toBe('blocked');
    expect(s24!.takeover).toBeUndefined();
  });

  it('gives each campaign stage that takes over its kind, and the chain the highest of them', () => {
    const r = analyzeWorkflow(wf('mfa-reenrollment-phone.weak'), [sc('s20-agent-then-admin-campaign')], { minimalSets: false }).scenarios[0]!;
    expect(r.campaign!.stages.map((s) => s.takeoverKind)).toEqual(['customer_data_viewed_or_exported', 'read_only_tool_access']);
    expect(r.campaign!.takeoverKind).toBe('customer_data_viewed_or_exported');
  });

  it('refuses an unknown objective in a scenario file, naming the field and the known kinds', () => {
    const r = loadScenarioText(
      'resetpath: scenario/1\nid: x\nname: x\nattacker: { name: x, capabilities: [osint_personal_data], objective: steal_everything }\ntarget: { account_class: standard_employee }\nstrategy: { channels: [phone], moves: [{ move: contact }] }\n',
      'x.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.message).toContain('unknown takeover kind "steal_everything"');
      expect(r.issues[0]!.message).toContain('transaction_authorised');
    }
  });
});
