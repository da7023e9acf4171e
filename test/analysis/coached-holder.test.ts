// An attacker who is talking to the real account holder while the reset runs (vishing them as fake
// IT, or chatting as a fake help desk) gets past whatever asks that holder: a phishable second
// authenticator (they approve the push or read out the code), and an approval whose approver
// "independently" contacts them (told to expect the change, they confirm it), as a notification to
// them is discounted. docs/analysis-semantics.md, "Self-service recovery with a second
// authenticator" and "Approver evidence".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import { loadWorkflowOrThrow } from '../../models/index.ts';

const scenarios = loadBundledScenarios();
const coaching = scenarios.filter((s) => s.attacker.capabilities.some((c) => c === 'victim_vishing' || c === 'support_impersonation_chat'));

describe('an attacker coaching the real account holder', () => {
  it('gets past a second authenticator for self-service recovery that is not phishing-resistant, and not past one that is', () => {
    const text = readFileSync(join(WORKFLOW_LIBRARY_DIR, 'self-service-sms-fallback.hardened.yaml'), 'utf8');
    const line = 'params: { method: second_authenticator, phishing_resistant: true }';
    expect(text).toContain(line);
    const strong = loadWorkflowOrThrow(text, 'strong.yaml');
    const phishable = loadWorkflowOrThrow(text.replace(line, line.replace('true', 'false')), 'phishable.yaml');
    const relaying = scenarios.filter((s) => ['s06-reverse-vishing', 's24-push-fatigue-otp-relay', 's31-code-readout-chat'].includes(s.id));
    expect(relaying).toHaveLength(3);
    for (const s of relaying) {
      expect(analyzeWorkflow(strong, [s]).scenarios[0]!.outcome, s.id).toBe('blocked');
      const weak = analyzeWorkflow(phishable, [s]).scenarios[0]!;
      expect(weak.outcome, s.id).not.toBe('blocked');
    }
  });

  it('is never stopped, alone or jointly, by an approval that rests on contacting that holder', () => {
    expect(coaching.length).toBeGreaterThan(2);
    let checked = 0;
    for (const wf of loadBundledWorkflows().filter((w) => w.variant === 'weak')) {
      for (const s of analyzeWorkflow(wf, coaching).scenarios) {
        for (const k of s.classes) {
          checked++;
          for (const c of ['approval.manager', 'approval.dual']) {
            expect(k.blocking, `${wf.id} ${s.scenario}`).not.toContain(c);
            expect(k.joint.flatMap((j) => j.controls), `${wf.id} ${s.scenario}`).not.toContain(c);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('a face-swap on a live video call (s03)', () => {
  const video = (detects: string) => `resetpath: workflow/1
id: vip-video
name: VIP video check with liveness prompts
family: vip-video
variant: custom
account_classes: [executive]
actors:
  - { id: vip_desk, kind: agent, tier: 2, name: VIP desk agent }
start: intake
steps:
  - { id: intake, kind: intake, name: Call received, channels: [phone], actor: vip_desk, next: verify }
  - id: verify
    kind: proofing
    name: Video call with photo ID and liveness prompts
    actor: vip_desk
    controls:
      - { control: proofing.ial2, params: { method: video_id, document_authentication: true }, enforcement: system }
      - { control: deepfake.liveness, params: { detects: ${detects} }, enforcement: system }
    next: reset
  - { id: reset, kind: execution, name: Reset, actor: vip_desk, action: password_reset, delivery: requester_on_call, next: done }
  - { id: done, kind: end, name: done }
`;
  const s03 = scenarios.find((s) => s.id === 's03-deepfake-verification')!;

  it('reaches the call through a virtual camera: liveness prompts that do not detect an injected stream do not stop it, ones that do still do', () => {
    expect(s03.attacker.capabilities).toContain('camera_injection');
    expect(analyzeWorkflow(loadWorkflowOrThrow(video('[]'), 'plain.yaml'), [s03]).scenarios[0]!.outcome).not.toBe('blocked');
    const detecting = analyzeWorkflow(loadWorkflowOrThrow(video('[injected_stream]'), 'detecting.yaml'), [s03]).scenarios[0]!;
    expect(detecting.outcome).toBe('blocked');
  });
});
