// Comparing two versions of a workflow: steps and controls added, removed or changed, and the path
// classes each scenario gains or loses, told apart by outcome and by the controls that close them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../backend/index.ts';
import { loadWorkflowText, type Workflow } from '../../models/index.ts';
import { classDiff, markText, structureDiff } from '../../renderer/compute/computeCompare.ts';
import { liveSummary } from '../../renderer/compute/computeLive.ts';
import { applyEdit } from '../../renderer/compute/computeVisualEdit.ts';

const WEAK = readFileSync(join(import.meta.dirname, '..', '..', 'models', 'library', 'standard-password-reset.weak.yaml'), 'utf8');
const load = (t: string): Workflow => {
  const r = loadWorkflowText(t, 'w.yaml');
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value;
};
const edited = (() => {
  const r = applyEdit(WEAK, { kind: 'addControl', step: 'verify', control: 'callback.number_on_file', enforcement: 'system' });
  if (!r.ok) throw new Error(r.problem);
  const t = applyEdit(r.text, { kind: 'setEnforcement', step: 'verify', control: 'proofing.ial2', enforcement: 'system' });
  if (!t.ok) throw new Error(t.problem);
  return t.text;
})();

describe('comparing two versions of a workflow', () => {
  it('lists the controls added and changed, and no step change when the steps are the same', () => {
    const d = structureDiff(load(WEAK), load(edited));
    expect(d.steps).toEqual([]);
    expect(d.controls).toEqual([
      { sign: '+', text: 'callback.number_on_file (system) on verify' },
      { sign: '~', text: 'proofing.ial2 on verify: procedural → system' },
    ]);
    expect(structureDiff(load(edited), load(WEAK)).controls[0]).toEqual({ sign: '−', text: 'callback.number_on_file (system) on verify' });
  });

  it('lists steps added, removed and renamed between two workflows', () => {
    const renamed = applyEdit(WEAK, { kind: 'renameStep', step: 'verify', name: 'Check the caller' });
    if (!renamed.ok) throw new Error(renamed.problem);
    expect(structureDiff(load(WEAK), load(renamed.text)).steps).toEqual([{ sign: '~', text: 'verify name: Knowledge questions → Check the caller' }]);
  });

  it('names per scenario the path classes a change closed, with what closed them, and none opened by adding a control', () => {
    const before = runAnalysis({ workflows: ['standard-password-reset.weak'], library: false });
    if (!before.ok) throw new Error('analysis failed');
    const a = liveSummary(before.report.workflows[0]!);
    const b = { ...a, marks: { ...a.marks, 's01-osint-vishing': [] } };
    const d = classDiff(a, b);
    expect(d.opened).toBe(0);
    expect(d.closed).toBe(a.marks['s01-osint-vishing']!.length);
    expect(d.scenarios.map((s) => s.scenario)).toEqual(['s01-osint-vishing']);
    expect(markText(d.scenarios[0]!.closed[0]!)).toMatch(/^(un)?detected takeover, [\d,]+ paths?; closed by /);
    expect(classDiff(a, a)).toEqual({ scenarios: [], opened: 0, closed: 0 });
  });
});
