// Hostile input through the save API and the workspace: text that could disguise itself (a
// bidirectional override) or drive a terminal (a control character) is refused where it enters,
// with the field named, and nothing is written.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace, WorkspaceError } from '../../storage/index.ts';
import { contentDigest, deterministic as storageClock, tempDir as storageDir } from '../storage/helpers.ts';
import { workflowYaml } from '../storage/fixtures/models.ts';
import { auditLength, newService } from './helpers.ts';

describe('the save API and hostile names', () => {
  it('refuses a workflow whose step name carries a right-to-left override, with the located issue, and saves nothing', async () => {
    const { service } = newService();
    const before = await auditLength(service);
    const text = workflowYaml('wf.rlo').replace('    kind: proofing\n', '    kind: proofing\n    name: "Verify \u202edetartsinimda"\n');
    const r = await service.dispatch('workflow.save', { fileName: 'rlo.yaml', text });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_model');
    expect(r.error.issues).toEqual([{ file: 'rlo.yaml', line: 17, column: 11, path: 'steps[1].name', message: 'name contains bidirectional-override characters (U+202E at character 8), which can disguise text' }]);
    expect(await auditLength(service)).toBe(before);
  });

  it('refuses a save reason with a bidirectional override or a control character, naming the reason, and saves nothing', async () => {
    const { service } = newService();
    const before = await auditLength(service);
    for (const [reason, problem] of [
      ['approved \u202eby the CISO', /^workflow\.save: reason: contains bidirectional-override characters \(U\+202E at character 10\)/],
      ['ok\u001b]0;pwned\u0007', /^workflow\.save: reason: contains control characters \(U\+001B \(ESC\) at character 3\)/],
    ] as const) {
      const r = await service.dispatch('workflow.save', { fileName: 'a.yaml', text: workflowYaml('wf.a'), reason });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(problem) } });
    }
    expect(await auditLength(service)).toBe(before);
    // A reason may run over several lines.
    expect(await service.dispatch('workflow.save', { fileName: 'a.yaml', text: workflowYaml('wf.a'), reason: 'tighten proofing\nticket CHG-12' })).toMatchObject({ ok: true });
  });

  it('refuses a file name with control or bidirectional characters, naming it', async () => {
    const { service } = newService();
    const r = await service.dispatch('workflow.save', { fileName: 'evil\u202eLMTH.yaml', text: workflowYaml('wf.a') });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^workflow\.save: fileName: contains bidirectional-override characters/) } });
  });
});

describe('the workspace and hostile reasons', () => {
  it('refuses a reason with a control or bidirectional character for any change, and writes nothing', () => {
    const path = join(storageDir(), 'w.resetpath');
    const clock = storageClock();
    const first = Workspace.create(path, clock);
    first.saveWorkflowRevision({ text: workflowYaml('wf.a'), file: 'a.yaml' });
    first.close();
    const before = contentDigest(path);
    const ws = Workspace.open(path, clock);
    const changes: [string, (reason: string) => void][] = [
      ['save', (reason) => ws.saveWorkflowRevision({ text: workflowYaml('wf.a', 'A', 'v2'), file: 'a.yaml', reason })],
      ['setting', (reason) => ws.setSetting('theme', 'dark', { reason })],
      ['delete', (reason) => ws.deleteWorkflow('wf.a', { reason })],
    ];
    for (const [what, change] of changes) {
      for (const reason of ['because \u202eevil', 'because \u009b2J']) {
        let error: unknown;
        try {
          change(reason);
        } catch (e) {
          error = e;
        }
        expect(error, what).toBeInstanceOf(WorkspaceError);
        expect((error as WorkspaceError).code).toBe('invalid-input');
        expect((error as WorkspaceError).message).toMatch(/: reason contains (bidirectional-override|control) characters/);
      }
    }
    ws.close();
    expect(contentDigest(path)).toBe(before);
  });
});
