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
import { CONTROLS, loadWorkflowText, RESET_ACTION_IDS, ROUTING_STEP_NAME, STEP_KINDS, type Workflow } from '../../models/index.ts';
import { applyEdit, controlsFor, editorText, fileText, lineEnding, newStepIdProblem, routeTable, stepForm, variantText, yamlScalar, type VisualEdit } from '../../renderer/compute/computeVisualEdit.ts';
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

const NAME = fc.string({ minLength: 0, maxLength: 40 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s));
const NEW_ID = fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/);

describe('adding and removing steps', () => {
  it('adding a step of any kind after any step, then removing it, gives back the same text; in between the file loads with the step in the flow', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.constantFrom(...STEP_KINDS), NEW_ID, NAME, fc.nat(), (wi, si, stepKind, id, name, xi) => {
        const { wf, text } = pick(FILES, wi);
        const after = wf.steps[pick(wf.stepOrder, si)]!;
        if (wf.steps[id]) return;
        if (stepKind === 'exception' && wf.exceptions.length === 0) return;
        const e: VisualEdit = {
          kind: 'addStep',
          after: after.id,
          id,
          name,
          stepKind,
          ...(stepKind === 'execution' ? { action: pick(RESET_ACTION_IDS, xi) } : {}),
          ...(stepKind === 'exception' ? { grants: pick(wf.exceptions, xi).id } : {}),
        };
        const r = applyEdit(text, e);
        if (stepKind !== 'end' && !after.next) {
          expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(new RegExp(`"${after.id}" has none`)) });
          return;
        }
        if (!r.ok) throw new Error(r.problem);
        const added = load(r.text);
        const step = added.steps[id]!;
        expect(step.kind).toBe(stepKind);
        expect(step.name).toBe(name.trim() || (stepKind === 'routing' ? ROUTING_STEP_NAME : id));
        expect(added.stepOrder.indexOf(id)).toBe(wf.stepOrder.indexOf(after.id) + 1);
        if (stepKind === 'end') expect(added.steps[after.id]!.next).toBe(after.next);
        else {
          expect(added.steps[after.id]!.next).toBe(id);
          if (stepKind === 'routing') expect(step.routes).toEqual([{ classes: wf.accountClasses, to: after.next }]);
          else expect(step.next).toBe(after.next);
        }
        // Only the new item and the rewired next were written.
        expect(r.changes.length).toBe(stepKind === 'end' ? 1 : 2);
        expect(edit(r.text, { kind: 'removeStep', step: id })).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('removing a step moves every next, on_fail and route that went to it to where it went next, or refuses in words naming them', () => {
    for (const { wf, text } of FILES) {
      for (const id of wf.stepOrder) {
        const r = applyEdit(text, { kind: 'removeStep', step: id });
        const st = wf.steps[id]!;
        // A routing step that sends every class to one step goes there as if it were its next.
        const tos = new Set(st.routes.map((rt) => rt.to));
        const sole = st.kind === 'routing' && tos.size === 1 && wf.accountClasses.every((c) => st.routes.some((rt) => rt.classes.includes(c))) ? [...tos][0] : undefined;
        const via = st.next ?? sole;
        const pointers = wf.stepOrder.filter((o) => o !== id && (wf.steps[o]!.next === id || wf.steps[o]!.onFail === id || wf.steps[o]!.routes.some((rt) => rt.to === id)));
        if (!r.ok) {
          const bypassed = wf.exceptions.some((x) => x.bypasses.includes(id));
          const reason = id === wf.start ? 'start' : bypassed ? 'bypassed' : !via && pointers.length ? 'no next' : 'self';
          if (reason === 'self') expect(pointers).toContain(via);
          for (const p of reason === 'no next' ? pointers : []) expect(r.problem).toContain(`"${p}"`);
          continue;
        }
        const after = load(r.text);
        expect(after.steps[id]).toBeUndefined();
        expect(after.stepOrder).toEqual(wf.stepOrder.filter((s) => s !== id));
        for (const o of after.stepOrder) {
          const was = wf.steps[o]!;
          const now = after.steps[o]!;
          expect(now.next).toBe(was.next === id ? via : was.next);
          expect(now.onFail).toBe(was.onFail === id ? via : was.onFail);
          expect(now.routes).toEqual(was.routes.map((rt) => (rt.to === id ? { ...rt, to: via } : rt)));
        }
      }
    }
  });

  it('refuses a new step whose id is taken or not lower_snake_case', () => {
    const { text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: 'reset', name: 'Again', stepKind: 'callback' })).toEqual({ ok: false, problem: 'there is already a step "reset"' });
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: 'Call-Back', name: 'x', stepKind: 'callback' })).toMatchObject({ ok: false, problem: expect.stringMatching(/lower_snake_case/) });
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: '', name: 'x', stepKind: 'callback' })).toEqual({ ok: false, problem: 'a step needs an id' });
    expect(newStepIdProblem('verify', ['intake', 'verify'])).toBe('there is already a step "verify"');
    expect(newStepIdProblem('call_back_2', ['intake', 'verify'])).toBeNull();
  });

  it('refuses a new step after a step that goes nowhere next, unless it is an end step', () => {
    const { text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    expect(applyEdit(text, { kind: 'addStep', after: 'done', id: 'later', name: 'Later', stepKind: 'review' })).toMatchObject({ ok: false, problem: expect.stringMatching(/"done" has none \(a end step\)|"done" has none/) });
    expect(applyEdit(text, { kind: 'addStep', after: 'route', id: 'later', name: 'Later', stepKind: 'review' })).toMatchObject({ ok: false, problem: expect.stringMatching(/"route" has none \(a routing step\)/) });
    const end = applyEdit(text, { kind: 'addStep', after: 'done', id: 'refused', name: 'Request refused', stepKind: 'end' });
    expect(end).toMatchObject({ ok: true, note: expect.stringMatching(/not in the flow yet/) });
  });

  it('refuses an execution step without an action and an exception step without a declared exception to grant', () => {
    const { text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: 'unlock', name: 'Unlock', stepKind: 'execution' })).toMatchObject({ ok: false, problem: expect.stringMatching(/needs an action: one of password_reset/) });
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: 'waive', name: 'Waive', stepKind: 'exception', grants: 'travel' })).toMatchObject({ ok: false, problem: expect.stringMatching(/declares none/) });
    expect(applyEdit(text, { kind: 'addStep', after: 'verify', id: 'odd', name: 'two\nlines', stepKind: 'review' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^the name contains control characters/) });
  });

  it('refuses to remove the start step, a step an exception bypasses, or a step with no one place to go that others still go to, naming them', () => {
    const weak = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!.text;
    expect(applyEdit(weak, { kind: 'removeStep', step: 'intake' })).toEqual({ ok: false, problem: '"intake" is where the workflow starts (start: intake); make another step the start first' });
    expect(applyEdit(weak, { kind: 'removeStep', step: 'done' })).toEqual({ ok: false, problem: '"done" has no next to send what points at it to: "reset" goes next to it; point it elsewhere first' });
    const vip = FILES.find((f) => f.wf.id === 'executive-vip-reset.weak')!;
    // Its routes go to two steps: no one place to send what went to it.
    expect(applyEdit(vip.text, { kind: 'removeStep', step: 'route' })).toEqual({ ok: false, problem: '"route" has no next to send what points at it to: "intake" goes next to it; point it elsewhere first' });
    const bypassed = vip.wf.exceptions[0]!.bypasses[0]!;
    expect(applyEdit(vip.text, { kind: 'removeStep', step: bypassed })).toMatchObject({ ok: false, problem: expect.stringMatching(new RegExp(`^the exception "${vip.wf.exceptions[0]!.id}" bypasses "${bypassed}"`)) });
    expect(applyEdit(weak, { kind: 'removeStep', step: 'nowhere' })).toEqual({ ok: false, problem: 'no step "nowhere" in the file' });
  });

  it('removing a routing step that sends every class to one step joins what went to it to that step', () => {
    const weak = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!.text;
    const r = applyEdit(weak, { kind: 'removeStep', step: 'route' });
    expect(r).toMatchObject({ ok: true, note: '"intake" goes next to "verify" now' });
    if (r.ok) expect(load(r.text).steps['intake']!.next).toBe('verify');
  });

  it('removing a step in the middle of the flow joins its neighbours and says so', () => {
    const weak = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!.text;
    const r = applyEdit(weak, { kind: 'removeStep', step: 'verify' });
    expect(r).toMatchObject({ ok: true, note: '"route" routes standard_employee, remote_staff, developer, privileged_admin, support_agent to "reset" now' });
    if (r.ok) expect(r.text).not.toContain('Knowledge questions');
  });
});

describe('step edits in a file written in another style', () => {
  // Items at the key's own column, a blank line between steps, a comment line, a flow-map step,
  // wider indentation after a dash, a block list of classes, a key after the steps, no final newline.
  const STYLED = [
    'resetpath: workflow/1',
    'id: styled',
    'name: Styled',
    'account_classes: [standard_employee, developer]',
    'actors: [{ id: a, kind: agent }]',
    'start: intake',
    'steps:',
    '- id: intake   # the call',
    '  kind: intake',
    '  next: check',
    '',
    '- id: check',
    '  kind: proofing',
    '  next: route',
    '  on_fail: done',
    '-   id: route',
    '    kind: routing',
    '    routes:',
    '    - { classes: [standard_employee], to: done }',
    '    - classes:',
    '      - developer',
    '      to: done',
    '# closing',
    '- {id: done, kind: end}',
    'exceptions: []',
  ].join('\n');

  it('adds a step of each kind after each step it can follow and removes it again, byte for byte', () => {
    load(STYLED);
    for (const after of ['intake', 'check', 'route', 'done']) {
      for (const stepKind of ['review', 'routing', 'end'] as const) {
        const r = applyEdit(STYLED, { kind: 'addStep', after, id: 'added', name: 'Added: a step', stepKind });
        if (!r.ok) {
          expect(stepKind).not.toBe('end');
          expect(['route', 'done']).toContain(after);
          continue;
        }
        expect(load(r.text).steps['added']!.name).toBe('Added: a step');
        expect(edit(r.text, { kind: 'removeStep', step: 'added' })).toBe(STYLED);
      }
    }
    expect(edit(STYLED, { kind: 'addStep', after: 'check', id: 'added', name: 'Added', stepKind: 'review' })).toContain('  next: added\n  on_fail: done\n- id: added\n  kind: review\n  name: Added\n  next: route\n-   id: route');
  });

  it('moves a class out of a block list of classes by changing that route\'s target, and refuses to rewrite the list itself', () => {
    const moved = load(edit(STYLED, { kind: 'setRoute', step: 'route', accountClass: 'developer', target: 'check' }));
    expect(routeTable(moved, 'route')).toEqual([
      { accountClass: 'standard_employee', target: 'done' },
      { accountClass: 'developer', target: 'check' },
    ]);
    expect(applyEdit(STYLED, { kind: 'setRoute', step: 'route', accountClass: 'standard_employee', target: 'check' })).toMatchObject({ ok: true, changes: [{ insert: 'check' }] });
    const first = edit(STYLED, { kind: 'setRoute', step: 'route', accountClass: 'standard_employee', target: 'check' });
    // Joining the route that goes to check: the block-list route goes, the flow list takes the class.
    expect(routeTable(load(edit(first, { kind: 'setRoute', step: 'route', accountClass: 'developer', target: 'check' })), 'route').map((r) => r.target)).toEqual(['check', 'check']);
    // Joining the block-list route would mean rewriting it.
    expect(applyEdit(first, { kind: 'setRoute', step: 'route', accountClass: 'standard_employee', target: 'done' })).toEqual({ ok: false, problem: 'the classes of a route of "route" are written as a block list; edit them in the text' });
  });

  it('refuses to remove a step with no next that a next, an on_fail and routes point at, naming each', () => {
    expect(applyEdit(STYLED, { kind: 'removeStep', step: 'done' })).toEqual({
      ok: false,
      problem: '"done" has no next to send what points at it to: "check" goes on failure to it, "route" routes standard_employee to it, "route" routes developer to it; point them elsewhere first',
    });
  });
});

describe('routing an account class', () => {
  const routing = FILES.flatMap(({ wf, text }) => wf.stepOrder.filter((id) => wf.steps[id]!.kind === 'routing').map((id) => ({ wf, text, id })));

  it('sending a class to another step, then back, routes every class as before; in between only that class moved', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (ri, ci, ti) => {
        const { wf, text, id } = pick(routing, ri);
        const table = routeTable(wf, id);
        const row = pick(table, ci);
        const target = pick(wf.stepOrder.filter((s) => s !== id && s !== row.target), ti);
        const moved = load(edit(text, { kind: 'setRoute', step: id, accountClass: row.accountClass, target }));
        expect(routeTable(moved, id)).toEqual(table.map((r) => (r.accountClass === row.accountClass ? { ...r, target } : r)));
        const backEdit = applyEdit(edit(text, { kind: 'setRoute', step: id, accountClass: row.accountClass, target }), { kind: 'setRoute', step: id, accountClass: row.accountClass, target: row.target });
        if (row.target === null) {
          expect(backEdit.ok).toBe(true);
          return;
        }
        if (!backEdit.ok) throw new Error(backEdit.problem);
        expect(routeTable(load(backEdit.text), id)).toEqual(table);
      }),
      { numRuns: RUNS },
    );
  });

  it('sending a class that shares its route to another step and back gives back the same text, byte for byte, on every routing step of the library', () => {
    let checked = 0;
    for (const { wf, text, id } of routing) {
      for (const row of routeTable(wf, id)) {
        // A class alone on its route that joins another route comes back as a new route at the end
        // of the list: the same routing, not the same bytes (the next test).
        if (row.target === null || wf.steps[id]!.routes.find((r) => (r.classes as readonly string[]).includes(row.accountClass))!.classes.length === 1) continue;
        checked++;
        for (const target of wf.stepOrder.filter((s) => s !== id && s !== row.target)) {
          const there = applyEdit(text, { kind: 'setRoute', step: id, accountClass: row.accountClass, target });
          if (!there.ok) throw new Error(there.problem);
          expect(edit(there.text, { kind: 'setRoute', step: id, accountClass: row.accountClass, target: row.target }), `${wf.id}: ${row.accountClass} to ${target} and back`).toBe(text);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('a class alone on its route that joined another comes back as a new route written as the routes before it are', () => {
    const { text } = FILES.find((f) => f.wf.id === 'carrier-sim-change.hardened')!;
    const joined = edit(text, { kind: 'setRoute', step: 'route', accountClass: 'customer', target: 'hv_sim_lock' });
    expect(joined).toContain('- { classes: [customer, high_value_customer], to: hv_sim_lock }');
    const back = edit(joined, { kind: 'setRoute', step: 'route', accountClass: 'customer', target: 'sim_lock' });
    expect(back).toContain('      - { classes: [high_value_customer], to: hv_sim_lock }\n      - { classes: [customer], to: sim_lock }\n');
    expect(load(back).steps['route']!.routes).toEqual([
      { classes: ['high_value_customer'], to: 'hv_sim_lock' },
      { classes: ['customer'], to: 'sim_lock' },
    ]);
  });

  it('moving the only class of a route changes that route\'s target alone, and moving it back gives back the same text', () => {
    const { text } = FILES.find((f) => f.wf.id === 'executive-vip-reset.weak')!;
    const moved = applyEdit(text, { kind: 'setRoute', step: 'route', accountClass: 'executive', target: 'std_verify' });
    // std_verify already has a route: the class joins it and its own route goes.
    if (!moved.ok) throw new Error(moved.problem);
    expect(moved.text).toContain('- classes: [standard_employee, executive]');
    const other = applyEdit(text, { kind: 'setRoute', step: 'route', accountClass: 'executive', target: 'std_reset' });
    expect(other).toMatchObject({ ok: true, changes: [{ insert: 'std_reset' }] });
    if (other.ok) expect(edit(other.text, { kind: 'setRoute', step: 'route', accountClass: 'executive', target: 'vip_verify' })).toBe(text);
  });

  it('refuses to route from a step that is not a routing step, a class the file does not list, or away the last route', () => {
    const { text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    expect(applyEdit(text, { kind: 'setRoute', step: 'verify', accountClass: 'developer', target: 'reset' })).toEqual({ ok: false, problem: '"verify" is a proofing step; only a routing step routes by account class' });
    expect(applyEdit(text, { kind: 'setRoute', step: 'route', accountClass: 'executive', target: 'reset' })).toEqual({ ok: false, problem: 'the class "executive" is not listed in account_classes' });
    expect(applyEdit(text, { kind: 'setRoute', step: 'route', accountClass: 'developer', target: 'verify' })).toEqual({ ok: false, problem: '"route" already routes developer to "verify"' });
    expect(applyEdit(text, { kind: 'setRoute', step: 'route', accountClass: 'developer', target: 'route' })).toEqual({ ok: false, problem: 'a routing step cannot route to itself' });
    let t = text;
    for (const c of ['standard_employee', 'remote_staff', 'developer', 'privileged_admin']) t = edit(t, { kind: 'setRoute', step: 'route', accountClass: c, target: null });
    expect(load(t).steps['route']!.routes).toEqual([{ classes: ['support_agent'], to: 'verify' }]);
    expect(applyEdit(t, { kind: 'setRoute', step: 'route', accountClass: 'support_agent', target: null })).toMatchObject({ ok: false, problem: expect.stringMatching(/needs a route/) });
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

  it('keeps the line endings of a CRLF file: every line of the variant ends in CRLF, and it analyses as the what-if', () => {
    const { wf, text } = FILES.find((f) => f.wf.id === 'standard-password-reset.weak')!;
    const crlf = text.replace(/\n/g, '\r\n');
    const changes = new Map([['callback.number_on_file', true], ['log.immutable', false]]);
    const v = variantText(crlf, wf, changes);
    if (!v.ok) throw new Error(v.problem);
    expect(v.text).not.toBe(crlf);
    expect(v.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(totals(load(v.text))).toEqual(totals(applyWhatIf(wf, changes)));
    // The same edit of the LF file, line for line.
    const lf = variantText(text, wf, changes);
    expect(lf.ok && lf.text.replace(/\n/g, '\r\n')).toBe(v.text);
  });

  it('refuses a control that sits on exceptions, saying to edit it in the text', () => {
    const exc = CONTROLS.find((c) => c.attach.scope === 'exception');
    if (!exc) return;
    const { wf, text } = FILES[0]!;
    expect(variantText(text, wf, new Map([[exc.id, true]]))).toMatchObject({ ok: false, problem: expect.stringMatching(/sits on exceptions/) });
  });
});

describe("a file's line endings", () => {
  it('are CRLF when most line breaks are CRLF, else LF (a file without breaks is LF)', () => {
    expect(lineEnding('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(lineEnding('a\nb\nc\r\n')).toBe('\n');
    expect(lineEnding('a\r\nb\n')).toBe('\n');
    expect(lineEnding('one line')).toBe('\n');
  });

  it('are LF in the editor, as CodeMirror holds them (CRLF and a lone CR alike)', () => {
    expect(editorText('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
  });

  it("are written back as the file's own when saved, so an edited CRLF file keeps CRLF on every line", () => {
    expect(fileText('a\nb\n', '\r\n')).toBe('a\r\nb\r\n');
    expect(fileText('a\r\nb\n', '\n')).toBe('a\nb\n');
    expect(fileText(editorText('a\r\nb\r\n'), '\r\n')).toBe('a\r\nb\r\n');
  });
});
