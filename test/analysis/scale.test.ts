// Exact analysis at any size: a 200-step generated workflow, hostile workflows whose paths multiply
// exponentially (an enumerating engine walked them one by one until it ran out of memory), a
// 2,000-step chain (deeper than any recursion could go), and a workflow whose search graph is too
// large, which is refused with a located error instead of exhausting memory. Time is the
// benchmark's business (npm run bench), not this test's; memory is bounded here.
import { describe, expect, it } from 'vitest';
import { AnalysisLimitError, analyzeWorkflow, countIn, LIMITS } from '../../analysis/index.ts';
import { loadBundledScenarios } from '../../backend/library.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { ACCOUNT_CLASSES, loadWorkflowOrThrow } from '../../models/index.ts';
import { ATTACK_CHANNELS, loadScenarioOrThrow } from '../../scenarios/index.ts';
import { hostileWorkflow } from '../fixtures/hostile.ts';
import { attacker } from './helpers.ts';
import { GENERATED_200_PATHS } from '../fixtures/generated-counts.ts';

const mb = () => process.memoryUsage().rss / 1e6;

describe('exact analysis at scale', () => {
  it('counts every takeover path of a 200-step generated workflow exactly (about 10^29), with attribution and verified control sets, within a modest heap', () => {
    const wf = generateWorkflow(200, 25, 42);
    expect(wf.stepOrder).toHaveLength(200);
    const before = mb();
    // Every bundled scenario: the count moves when the library or a rule does (test/fixtures/generated-counts.ts).
    const a = analyzeWorkflow(wf, loadBundledScenarios());
    // The exact count, as computed by dynamic programming (docs/exact-analysis-design.md).
    expect(a.totals.paths).toBe(GENERATED_200_PATHS);
    expect(a.scenarios.every((s) => s.classes.every((c) => c.examples.length >= 1 && c.examples[0]!.gaps.length > 0))).toBe(true);
    expect(a.minimalSets.leastFriction?.verified).toBe(true);
    expect(a.minimalSets.sets.every((s) => s.verified)).toBe(true);
    expect(mb() - before).toBeLessThan(1500);
  });

  it('analyses a 400-step generated workflow against every scenario to the end, within its limits, rather than refusing it', () => {
    const wf = generateWorkflow(400, 25, 42);
    const before = mb();
    const a = analyzeWorkflow(wf, loadBundledScenarios());
    expect(a.totals.paths).toBeGreaterThan(GENERATED_200_PATHS);
    expect(a.scenarios.every((s) => s.classes.length <= LIMITS.classesPerScenario)).toBe(true);
    expect(a.minimalSets.leastFriction?.verified).toBe(true);
    expect(mb() - before).toBeLessThan(2000);
  });

  for (const n of [24, 60]) {
    it(`analyses the hostile ${n}-step workflow (next and on_fail both lead on; a gate loops back) exhaustively and exactly`, () => {
      const wf = loadWorkflowOrThrow(hostileWorkflow(n), `hostile-${n}.yaml`);
      const osint = attacker(['osint_personal_data']);
      const before = mb();
      const r = analyzeWorkflow(wf, [osint]).scenarios[0]!;
      // 2^n ways through the chain; the attacker's 2 retries allow up to two loops back from the gate,
      // each followed by another 2^n ways: 2^n + 2^2n + 2^3n paths in all.
      const w = 2n ** BigInt(n);
      expect(r.paths).toBe(w + w * w + w * w * w);
      expect(r.states).toBeLessThan(20 * n);
      expect(mb() - before).toBeLessThan(800);
    });
  }

  it('analyses a 2,000-step chain without running out of stack', () => {
    const steps = Array.from({ length: 2000 }, (_, i) => `  - { id: s${i}, kind: proofing, actor: tier1, controls: [{ control: proofing.ial2, params: { method: kbv }, enforcement: procedural }], next: ${i + 1 < 2000 ? `s${i + 1}` : 'reset'} }`);
    const wf = loadWorkflowOrThrow(
      `resetpath: workflow/1\nid: chain\nname: Chain\naccount_classes: [standard_employee]\nactors: [{ id: tier1, kind: agent }]\nstart: intake\nsteps:\n  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: s0 }\n${steps.join('\n')}\n  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }\n  - { id: done, kind: end }\n`,
      'chain.yaml',
    );
    const r = analyzeWorkflow(wf, [attacker(['osint_personal_data'])]).scenarios[0]!;
    expect(r.paths).toBe(1n);
    expect(r.classes[0]!.examples[0]!.walked).toHaveLength(2003);
    expect(r.classes[0]!.blocking).toContain('proofing.ial2');
  });

  it('refuses a workflow whose search graph would exceed the documented limit, naming the file and the step, in bounded memory', () => {
    // Twenty exception steps, each of which the attacker may pass (and be granted its exception) or
    // fail over: 2^20 combinations of active exceptions, more states than the limit allows.
    const k = 20;
    const steps = Array.from({ length: k }, (_, i) => `  - { id: e${i}, kind: exception, actor: tier1, grants: x${i}, next: ${i + 1 < k ? `e${i + 1}` : 'reset'}, on_fail: ${i + 1 < k ? `e${i + 1}` : 'reset'} }`);
    const exceptions = Array.from({ length: k }, (_, i) => `  - { id: x${i}, bypasses: [reset], controls: [{ control: exception.expiry }] }`);
    const wf = loadWorkflowOrThrow(
      `resetpath: workflow/1\nid: exceptions\nname: Exceptions\naccount_classes: [standard_employee]\nactors: [{ id: tier1, kind: agent }]\nexceptions:\n${exceptions.join('\n')}\nstart: intake\nsteps:\n  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: e0 }\n${steps.join('\n')}\n  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }\n  - { id: done, kind: end }\n`,
      'exceptions.yaml',
    );
    const before = mb();
    let error: unknown = null;
    try {
      analyzeWorkflow(wf, [attacker(['osint_personal_data'], { exceptions: ['request'] })]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalysisLimitError);
    const e = error as AnalysisLimitError;
    expect(e.file).toBe('exceptions.yaml');
    expect(e.path).toMatch(/^steps\[\d+\]$/);
    expect(e.message).toContain(`exceeds ${LIMITS.statesPerScenario.toLocaleString('en-US')} states`);
    expect(e.message).not.toContain('\n');
    expect(mb() - before).toBeLessThan(1200);
  });

  it('reports counts past 2^53 exactly as decimal strings in the report and as BigInt in the analysis', () => {
    const wf = loadWorkflowOrThrow(hostileWorkflow(60), 'hostile-60.yaml');
    const a = analyzeWorkflow(wf, [attacker(['osint_personal_data'])], { minimalSets: false });
    expect(countIn(a.totals.paths.toString())).toBe(a.totals.paths);
    expect(a.totals.paths > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('analyses a request on every attack channel, claiming every account class, with the largest retry budget (the search state keys hold every combination)', () => {
    const classes = Object.keys(ACCOUNT_CLASSES);
    const wf = loadWorkflowOrThrow(
      `resetpath: workflow/1
id: every-claim
name: Every claim
account_classes: [${classes.join(', ')}]
actors:
  - { id: tier1, kind: agent, tier: 1 }
start: intake
steps:
  - id: intake
    kind: intake
    actor: tier1
    channels: [${ATTACK_CHANNELS.filter((c) => c !== 'agent_console').join(', ')}]
    next: desk
  - id: desk
    kind: routing
    basis: caller_claim
    routes:
${classes.map((c) => `      - { classes: [${c}], to: verify }`).join('\n')}
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, enforcement: procedural }
    next: reset
    on_fail: intake
  - id: reset
    kind: execution
    actor: tier1
    action: password_reset
    delivery: requester_on_call
    next: done
  - id: done
    kind: end
`,
      'every-claim.yaml',
    );
    const sc = loadScenarioOrThrow(
      `resetpath: scenario/1
id: every-claim-attacker
name: Every claim
attacker:
  name: test
  capabilities: [osint_personal_data, agent_account_compromised]
target:
  account_class: standard_employee
strategy:
  channels: [${ATTACK_CHANNELS.join(', ')}]
  claims: [${classes.join(', ')}]
  retries: 10
  exceptions: []
  moves:
    - move: contact
`,
      'every-claim.yaml',
    );
    const r = analyzeWorkflow(wf, [sc]).scenarios[0]!;
    expect(r.outcome).not.toBe('not_applicable');
    expect(r.states).toBeGreaterThan(classes.length * ATTACK_CHANNELS.length);
  });
});
