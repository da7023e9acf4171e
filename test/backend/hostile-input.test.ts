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

describe('settings values and keys that name an object property', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`settings.set refuses "${key}" anywhere in a value, naming where, instead of dropping it, and stores nothing`, async () => {
      const { service } = newService();
      const before = await auditLength(service);
      // As the browser host receives it: JSON.parse makes "__proto__" an own key, as any other.
      const payload = JSON.parse(`{"key":"layout","value":{"panes":[{"width":3},{"${key}":{"polluted":true}}]}}`);
      const r = await service.dispatch('settings.set', payload);
      expect(r).toEqual({
        ok: false,
        error: { code: 'bad_request', message: expect.stringMatching(new RegExp(`setting "layout": value\\.panes\\[1\\]\\.${key}: the key "${key}" is refused`)) },
      });
      expect(await auditLength(service)).toBe(before);
      expect(await service.api['settings.get']({ key: 'layout' })).toEqual({ value: null });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('the workspace refuses it too, whoever calls it, and a value without such keys is stored as given', () => {
    const path = join(storageDir(), 'w.resetpath');
    const ws = Workspace.create(path, storageClock());
    expect(() => ws.setSetting('s', JSON.parse('{"__proto__":{"x":1}}'))).toThrow(/setting "s": value\.__proto__: the key "__proto__" is refused/);
    ws.setSetting('s', { a: [1, { b: 'c' }] });
    expect(ws.getSetting('s')).toEqual({ a: [1, { b: 'c' }] });
    ws.close();
  });
});
