// Visual edits of a workflow file: each is a splice of the text, so the rest of the file stays
// byte for byte; an edit followed by its inverse gives back the same text (property tests over
// every bundled workflow, its steps and the controls that may sit on them); and the edited file
// loads with the change made.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { CONTROLS, loadWorkflowText, type Workflow } from '../../models/index.ts';
import { applyEdit, controlsFor, stepForm, variantText, yamlScalar, type VisualEdit } from '../../renderer/compute/computeVisualEdit.ts';
import { applyWhatIf } from '../../renderer/compute/computeWhatIf.ts';

const LIB = join(import.meta.dirname, '..', '..', 'models', 'library');
const FILES = loadBundledWorkflows().map((w) => ({ wf: w, text: readFileSync(join(LIB, `${w.id}.yaml`), 'utf8') }));
const RUNS = Number(process.env['FC_RUNS'] ?? 150);

function edit(text: string, e: VisualEdit): string {
  const r = applyEdit(text, e);
  if (!r.ok) throw new Error(r.problem);
  return r.text;
}
function load(text: string): Workflow {
  const r = loadWorkflowText(text, 'edited.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return r.value;
}
const pick = <T>(xs: readonly T[], n: number) => xs[n % xs.length]!;

describe('visual edits of a workflow file', () => {
  it('attaching a placeable catalogue control to any step, then removing it, gives back the same text; in between the file loads with it there', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (wi, si, ci, system) => {
        const { wf, text } = pick(FILES, wi);
        const step = wf.steps[pick(wf.stepOrder, si)]!;
        const choices = controlsFor(step.kind, step.controls.map((c) => c.control));
        if (choices.length === 0) return;
        const control = pick(choices, ci).id;
        const enforcement = system ? 'system' : 'procedural';
        const added = edit(text, { kind: 'addControl', step: step.id, control, enforcement });
        const inst = load(added).steps[step.id]!.controls.find((c) => c.control === control);
        expect(inst?.enforcement).toBe(enforcement);
        expect(edit(added, { kind: 'removeControl', step: step.id, control })).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('renaming a step and naming it back gives back the same text wherever the name was written plainly', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s)), (wi, si, name) => {
        const { wf, text } = pick(FILES, wi);
        const step = wf.steps[pick(wf.stepOrder, si)]!;
        const renamed = edit(text, { kind: 'renameStep', step: step.id, name });
        expect(load(renamed).steps[step.id]!.name).toBe(name);
        const back = edit(renamed, { kind: 'renameStep', step: step.id, name: step.name });
        expect(load(back).steps[step.id]!.name).toBe(step.name);
        if (text.includes(`name: ${yamlScalar(step.name)}\n`)) expect(back).toBe(text);
        else {
          // Written otherwise (quoted, or folded over lines): only that value is rewritten, in the stable form.
          let a = 0;
          while (a < back.length && back[a] === text[a]) a++;
          let b = 0;
          while (b < back.length - a && back[back.length - 1 - b] === text[text.length - 1 - b]) b++;
          expect(back.slice(a, back.length - b)).not.toContain('\n');
          expect(back).toContain(`name: ${yamlScalar(step.name)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('pointing a step elsewhere and back gives back the same text; removing on_fail and setting it again restores the transition', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (wi, si, ti) => {
        const { wf, text } = pick(FILES, wi);
        const step = wf.steps[pick(wf.stepOrder, si)]!;
        const form = stepForm(wf, step.id)!;
        if (step.next) {
          const target = pick(form.targets, ti);
          const moved = edit(text, { kind: 'setTransition', step: step.id, field: 'next', target });
          expect(moved.length - text.length).toBe(target.length - step.next.length);
          expect(edit(moved, { kind: 'setTransition', step: step.id, field: 'next', target: step.next })).toBe(text);
        }
        if (step.onFail) {
          const cut = edit(text, { kind: 'setTransition', step: step.id, field: 'on_fail', target: null });
          expect(text.length - cut.length).toBe(`on_fail: ${step.onFail}\n`.length + (text.split('\n').find((l) => l.trim() === `on_fail: ${step.onFail}`)?.indexOf('on_fail') ?? 0));
          const again = edit(cut, { kind: 'setTransition', step: step.id, field: 'on_fail', target: step.onFail });
          expect(again.length).toBe(text.length);
          expect(load(again).steps[step.id]!.onFail).toBe(step.onFail);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('setting a control\'s enforcement and back gives back the same text', () => {
    for (const { wf, text } of FILES) {
      for (const id of wf.stepOrder) {
        for (const c of wf.steps[id]!.controls) {
          if (c.enforcementUnknown) continue;
          const other = c.enforcement === 'system' ? 'procedural' : 'system';
          const r = applyEdit(text, { kind: 'setEnforcement', step: id, control: c.control, enforcement: other });
          if (!r.ok) continue;
          expect(load(r.text).steps[id]!.controls.find((x) => x.control === c.control)!.enforcement).toBe(other);
          const hadKey = r.insert === other;
          if (hadKey) expect(edit(r.text, { kind: 'setEnforcement', step: id, control: c.control, enforcement: c.enforcement })).toBe(text);
        }
      }
    }
  });

  it('refuses an edit it cannot make, saying why', () => {
    const { wf, text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    const verify = wf.stepOrder.find((id) => wf.steps[id]!.controls.length > 0)!;
    const present = wf.steps[verify]!.controls[0]!.control;
    expect(applyEdit(text, { kind: 'addControl', step: verify, control: present, enforcement: 'system' })).toEqual({ ok: false, problem: `${present} is already on step "${verify}"` });
    expect(applyEdit(text, { kind: 'addControl', step: 'nowhere', control: present, enforcement: 'system' })).toMatchObject({ ok: false, problem: expect.stringMatching(/no step "nowhere"/) });
    expect(applyEdit(text, { kind: 'addControl', step: verify, control: 'made.up', enforcement: 'system' })).toMatchObject({ ok: false, problem: 'made.up is not a control of the catalogue' });
    expect(applyEdit(text, { kind: 'renameStep', step: verify, name: '  ' })).toMatchObject({ ok: false });
  });

  it('offers only the controls the catalogue lets sit on the step\'s kind, with owner, friction and mappings', () => {
    const choices = controlsFor('callback', []);
    expect(choices.map((c) => c.id)).toContain('callback.number_on_file');
    expect(controlsFor('callback', ['callback.number_on_file']).map((c) => c.id)).not.toContain('callback.number_on_file');
    const cb = choices.find((c) => c.id === 'callback.number_on_file')!;
    expect(cb.owner).toMatch(/^Owner of /);
    expect(cb.friction).toMatch(/min added/);
    expect(cb.mappings.length).toBeGreaterThan(0);
  });
});

describe('a what-if saved as a variant', () => {
  const scenarios = loadBundledScenarios();
  const totals = (wf: Workflow) => {
    const r = buildAnalysisReport([analyzeWorkflow(wf, scenarios, { minimalSets: false })]).workflows[0]!;
    return { totals: r.totals, classes: r.scenarios.map((s) => [s.scenario, s.classes.map((c) => `${c.outcome}|${String(c.count)}|${[...c.blocking].sort().join('+')}`).sort()]) };
  };

  it('writes a file that analyses exactly as the what-if it was made from, for random toggles on every bundled workflow', () => {
    const ids = CONTROLS.filter((c) => c.attach.scope !== 'exception').map((c) => c.id);
    fc.assert(
      fc.property(fc.nat(), fc.uniqueArray(fc.tuple(fc.constantFrom(...ids), fc.boolean()), { minLength: 1, maxLength: 3, selector: ([id]) => id }), (wi, toggles) => {
        const { wf, text } = pick(FILES, wi);
        const changes = new Map(toggles);
        const v = variantText(text, wf, changes);
        if (!v.ok) throw new Error(v.problem);
        expect(totals(load(v.text))).toEqual(totals(applyWhatIf(wf, changes)));
      }),
      { numRuns: Math.min(RUNS, 40) },
    );
  });

  it('refuses a control that sits on exceptions, saying to edit it in the text', () => {
    const exc = CONTROLS.find((c) => c.attach.scope === 'exception');
    if (!exc) return;
    const { wf, text } = FILES[0]!;
    expect(variantText(text, wf, new Map([[exc.id, true]]))).toMatchObject({ ok: false, problem: expect.stringMatching(/sits on exceptions/) });
  });
});
