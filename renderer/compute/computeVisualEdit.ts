// Visual edits of a workflow file: rename a step, set where it goes next or on failure, attach a
// catalogue control, remove one, set its enforcement. Each is a splice of the text at the ranges
// the YAML parser reports, so everything else in the file (comments, order, quoting, folded
// descriptions) stays byte for byte, and an edit followed by its inverse gives the file back.
// Formatting of what is written: a name plainly when YAML reads it back unchanged, else in double
// quotes; a new key or list item at the indentation of its siblings, two spaces deeper than its
// parent otherwise.
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { CONTROLS, OWNER_ROLES, type ControlDef, type StepKind, type Workflow } from '../../models/index.ts';

/** `step: null` on a control edit means the workflow-wide controls (the file's top-level `controls`). */
export type VisualEdit =
  | { kind: 'renameStep'; step: string; name: string }
  | { kind: 'setTransition'; step: string; field: 'next' | 'on_fail'; target: string | null }
  | { kind: 'addControl'; step: string | null; control: string; enforcement: 'system' | 'procedural' }
  | { kind: 'removeControl'; step: string | null; control: string }
  | { kind: 'setEnforcement'; step: string | null; control: string; enforcement: 'system' | 'procedural' };

/** The new text, or why the edit cannot be made (in words). */
export type EditResult = { ok: true; text: string; from: number; to: number; insert: string } | { ok: false; problem: string };

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
const lineEndIncl = (text: string, at: number) => {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i + 1;
};
const column = (text: string, at: number) => at - lineStart(text, at);

/** A scalar as YAML text: plain when it reads back as the same string, else JSON-quoted (valid YAML). */
export function yamlScalar(s: string): string {
  const plain = /^[A-Za-z][\w .,()/'’-]*$/.test(s) && !/[ ]$/.test(s) && !/: |\s#/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s);
  if (plain && parseDocument(`k: ${s}`).get('k') === s) return s;
  return JSON.stringify(s);
}

function splice(text: string, from: number, to: number, insert: string): EditResult {
  return { ok: true, text: text.slice(0, from) + insert + text.slice(to), from, to, insert };
}

function stepNode(text: string, step: string | null): { map: YAMLMap; start: number; end: number; keyCol: number } | null {
  const doc = parseDocument(text);
  if (step === null) {
    const top = doc.contents;
    return isMap(top) ? { map: top, start: 0, end: text.length, keyCol: 0 } : null;
  }
  const steps = doc.get('steps', true);
  if (!isSeq(steps)) return null;
  for (const it of steps.items) {
    if (isMap(it) && it.get('id') === step && it.range) return { map: it, start: it.range[0], end: it.range[2], keyCol: column(text, it.range[0]) };
  }
  return null;
}

function pairOf(map: YAMLMap, key: string) {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** Inserts `key: value` as the last line of a step's map, at its keys' indentation. */
function appendKey(text: string, s: { end: number; keyCol: number }, line: string): EditResult {
  const at = s.end > 0 && text[s.end - 1] !== '\n' ? s.end : s.end;
  const pre = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return splice(text, at, at, `${pre}${' '.repeat(s.keyCol)}${line}\n`);
}

/** Applies one visual edit to the file text. */
export function applyEdit(text: string, e: VisualEdit): EditResult {
  const s = stepNode(text, e.step);
  if (!s) return { ok: false, problem: e.step === null ? 'the file is not a YAML map (fix its errors first)' : `no step "${e.step}" in the file (fix the file's errors first)` };
  const where = e.step === null ? 'the workflow-wide controls' : `step "${e.step}"`;
  switch (e.kind) {
    case 'renameStep': {
      if (e.name.trim() === '') return { ok: false, problem: 'a step needs a name' };
      const p = pairOf(s.map, 'name');
      if (p && isScalar(p.value) && p.value.range) return splice(text, p.value.range[0], p.value.range[1], yamlScalar(e.name));
      return appendKey(text, s, `name: ${yamlScalar(e.name)}`);
    }
    case 'setTransition': {
      const p = pairOf(s.map, e.field);
      if (e.target === null) {
        if (!p || !isScalar(p.key) || !p.key.range) return { ok: false, problem: `step "${e.step}" has no ${e.field}` };
        const from = lineStart(text, p.key.range[0]);
        return splice(text, from, lineEndIncl(text, p.key.range[0]), '');
      }
      if (p && isScalar(p.value) && p.value.range) return splice(text, p.value.range[0], p.value.range[1], e.target);
      return appendKey(text, s, `${e.field}: ${e.target}`);
    }
    case 'addControl': {
      const def = CONTROLS.find((c) => c.id === e.control);
      if (!def) return { ok: false, problem: `${e.control} is not a control of the catalogue` };
      const p = pairOf(s.map, 'controls');
      if (p && isSeq(p.value) && p.value.items.some((c) => isMap(c) && c.get('control') === e.control)) return { ok: false, problem: `${e.control} is already on ${where}` };
      if (p && isSeq(p.value) && p.value.range && p.value.items.length && !p.value.flow) {
        const first = p.value.items[0]!;
        const dashCol = column(text, (first as { range: [number, number, number] }).range[0]) - 2;
        const at = p.value.range[2];
        const pre = text[at - 1] !== '\n' ? '\n' : '';
        return splice(text, at, at, `${pre}${' '.repeat(dashCol)}- control: ${e.control}\n${' '.repeat(dashCol + 2)}enforcement: ${e.enforcement}\n`);
      }
      if (p) return { ok: false, problem: `the controls of ${where} are written inline; edit them in the text` };
      return appendKey(text, s, `controls:\n${' '.repeat(s.keyCol + 2)}- control: ${e.control}\n${' '.repeat(s.keyCol + 4)}enforcement: ${e.enforcement}`);
    }
    case 'removeControl': {
      const p = pairOf(s.map, 'controls');
      if (!p || !isSeq(p.value) || p.value.flow) return { ok: false, problem: `${where} has no list of controls to remove ${e.control} from` };
      const i = p.value.items.findIndex((c) => isMap(c) && c.get('control') === e.control);
      if (i < 0) return { ok: false, problem: `${e.control} is not on ${where}` };
      const item = p.value.items[i] as { range: [number, number, number] };
      if (p.value.items.length === 1 && isScalar(p.key) && p.key.range) return splice(text, lineStart(text, p.key.range[0]), lineEndIncl(text, item.range[2] - 1), '');
      return splice(text, lineStart(text, item.range[0]), lineEndIncl(text, item.range[2] - 1), '');
    }
    case 'setEnforcement': {
      const p = pairOf(s.map, 'controls');
      const item = p && isSeq(p.value) ? p.value.items.find((c) => isMap(c) && c.get('control') === e.control) : undefined;
      if (!item || !isMap(item) || !item.range) return { ok: false, problem: `${e.control} is not on ${where}` };
      const enf = pairOf(item, 'enforcement');
      if (enf && isScalar(enf.value) && enf.value.range) return splice(text, enf.value.range[0], enf.value.range[1], e.enforcement);
      if (item.flow) return { ok: false, problem: `${e.control} on ${where} is written inline; edit it in the text` };
      return appendKey(text, { end: item.range[2], keyCol: column(text, item.range[0]) }, `enforcement: ${e.enforcement}`);
    }
  }
}

/** A catalogue control as the add-control form shows it: what it is, who owns it, what it costs, what it maps to. */
export interface ControlChoice {
  id: string;
  name: string;
  owner: string;
  friction: string;
  mappings: string;
  defaultEnforcement: 'system' | 'procedural';
}

/** The catalogue controls that may sit on a step of this kind and are not on it yet. */
export function controlsFor(kind: StepKind, present: readonly string[]): ControlChoice[] {
  const have = new Set(present);
  return CONTROLS.filter((c: ControlDef) => c.attach.scope === 'step' && c.attach.kinds.includes(kind) && !have.has(c.id)).map((c) => ({
    id: c.id,
    name: c.name,
    owner: OWNER_ROLES[c.owner as keyof typeof OWNER_ROLES] ?? c.owner,
    friction: `about ${c.friction.minutesAdded} min added, ${Math.round(c.friction.legitFailShare * 100)}% of legitimate requests fail it (estimates)`,
    mappings: [...new Set(c.mappings.map((m) => m.framework))].join(', '),
    defaultEnforcement: c.defaultEnforcement === 'procedural' ? 'procedural' : 'system',
  }));
}

/** One step as the visual editor shows it: its fields and its controls, from the loaded workflow. */
export interface StepForm {
  id: string;
  kind: StepKind;
  name: string;
  next: string | null;
  onFail: string | null;
  controls: { control: string; name: string; enforcement: string; owner: string }[];
  targets: string[];
}

export function stepForm(wf: Workflow, id: string): StepForm | null {
  const st = wf.steps[id];
  if (!st) return null;
  return {
    id: st.id,
    kind: st.kind,
    name: st.name,
    next: st.next ?? null,
    onFail: st.onFail ?? null,
    controls: st.controls.map((c) => {
      const def = CONTROLS.find((d) => d.id === c.control);
      return { control: c.control, name: def?.name ?? c.control, enforcement: c.enforcementUnknown ? 'unknown' : c.enforcement, owner: def ? (OWNER_ROLES[def.owner as keyof typeof OWNER_ROLES] ?? def.owner) : '' };
    }),
    targets: wf.stepOrder.filter((s) => s !== id),
  };
}

/**
 * The file text of a what-if's changes made real: each control switched on is written, at hardened
 * parameters (the catalogue's, by leaving the parameters out) and system-enforced, on every step it
 * attaches to (or workflow-wide), replacing the instance there; each control switched off is removed
 * everywhere. In catalogue order, as the what-if applies them. A control that sits on exceptions is
 * refused: exceptions are edited in the text.
 */
export function variantText(text: string, wf: Workflow, changes: ReadonlyMap<string, boolean>): EditResult {
  let out = text;
  let first = text.length;
  const run = (e: VisualEdit): string | null => {
    const r = applyEdit(out, e);
    if (!r.ok) return r.problem;
    out = r.text;
    first = Math.min(first, r.from);
    return null;
  };
  for (const def of CONTROLS) {
    const on = changes.get(def.id);
    if (on === undefined) continue;
    if (def.attach.scope === 'exception') return { ok: false, problem: `${def.id} sits on exceptions, which the variant cannot write; edit it in the text` };
    const places: (string | null)[] = def.attach.scope === 'workflow' ? [null] : wf.stepOrder.filter((id) => (def.attach as { kinds: readonly StepKind[] }).kinds.includes(wf.steps[id]!.kind));
    for (const where of places) {
      const has = where === null ? wf.controls.some((c) => c.control === def.id) : wf.steps[where]!.controls.some((c) => c.control === def.id);
      if (has) {
        const p = run({ kind: 'removeControl', step: where, control: def.id });
        if (p) return { ok: false, problem: p };
      }
      if (on) {
        const p = run({ kind: 'addControl', step: where, control: def.id, enforcement: 'system' });
        if (p) return { ok: false, problem: p };
      }
    }
  }
  return { ok: true, text: out, from: 0, to: text.length, insert: out };
}
