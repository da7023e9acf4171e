// Visual edits of a workflow file: add or remove a step, rename it, set where it goes next or on
// failure, route an account class from a routing step, attach a catalogue control, remove one, set
// its enforcement. Each is a splice of the text at the ranges the YAML parser reports (a few
// splices, made as one change, for the edits that also rewire references), so everything else in
// the file (comments, order, quoting, folded descriptions) stays byte for byte, and an edit
// followed by its inverse gives the file back.
// Formatting of what is written: a name plainly when YAML reads it back unchanged, else in double
// quotes; a new key or list item at the indentation of its siblings, two spaces deeper than its
// parent otherwise.
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { CONTROLS, OWNER_ROLES, plainTextProblem, RESET_ACTION_IDS, type ControlDef, type ResetAction, type StepKind, type Workflow } from '../../models/index.ts';

/** `step: null` on a control edit means the workflow-wide controls (the file's top-level `controls`). */
export type VisualEdit =
  | { kind: 'renameStep'; step: string; name: string }
  | { kind: 'setTransition'; step: string; field: 'next' | 'on_fail'; target: string | null }
  | { kind: 'addControl'; step: string | null; control: string; enforcement: 'system' | 'procedural' }
  | { kind: 'removeControl'; step: string | null; control: string }
  | { kind: 'setEnforcement'; step: string | null; control: string; enforcement: 'system' | 'procedural' }
  | AddStep
  | { kind: 'removeStep'; step: string }
  | { kind: 'setRoute'; step: string; accountClass: string; target: string | null };

/**
 * A new step, written into the file right after the step `after` (at its siblings' indentation).
 * A step of any kind but `end` goes into the flow there: `after`'s next becomes the new step, and
 * the new step's next is the step `after` went to, so every request that passed `after` now passes
 * the new step too. A routing step sends every account class of the file to that step (nothing
 * changes until a route is set); an execution step needs its `action`, an exception step the
 * exception it `grants`. An `end` step is only written (nothing goes to it yet: point a next,
 * on_fail or route at it). Refused, in words: an id that is taken or not lower_snake_case, and a
 * step other than `end` after one with no next (a routing or end step).
 */
export interface AddStep {
  kind: 'addStep';
  after: string;
  id: string;
  name: string;
  stepKind: StepKind;
  action?: ResetAction;
  grants?: string;
}

/** One replacement of the text, in the coordinates of the text before the edit. */
export interface Splice {
  from: number;
  to: number;
  insert: string;
}

/**
 * The new text, or why the edit cannot be made (in words). `changes` are the splices (sorted, not
 * overlapping: one CodeMirror transaction); `from`/`to`/`insert` is the one splice that covers
 * them all. `note` says what an edit did besides the obvious (the references it moved).
 */
export type EditResult = { ok: true; text: string; from: number; to: number; insert: string; changes: Splice[]; note?: string } | { ok: false; problem: string };

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
  return { ok: true, text: text.slice(0, from) + insert + text.slice(to), from, to, insert, changes: [{ from, to, insert }] };
}

/** Several splices as one edit (they must not overlap). */
function splices(text: string, list: Splice[], note?: string): EditResult {
  const sorted = [...list].sort((a, b) => a.from - b.from || a.to - b.to);
  let out = '';
  let at = 0;
  for (const c of sorted) {
    if (c.from < at) throw new Error('overlapping splices');
    out += text.slice(at, c.from) + c.insert;
    at = c.to;
  }
  out += text.slice(at);
  const from = sorted[0]!.from;
  const to = sorted[sorted.length - 1]!.to;
  const insert = out.slice(from, out.length - (text.length - to));
  return { ok: true, text: out, from, to, insert, changes: sorted, ...(note ? { note } : {}) };
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
  if (e.kind === 'addStep') return addStep(text, e);
  if (e.kind === 'removeStep') return removeStep(text, e.step);
  if (e.kind === 'setRoute') return setRoute(text, e);
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

/** A step item of the file's `steps` list, with the line span it takes and its indentation. */
interface StepItem {
  id: unknown;
  map: YAMLMap;
  /** From the start of the line of its dash to the end of its last line (newline included). */
  lineFrom: number;
  lineTo: number;
  dashCol: number;
  keyCol: number;
}

/** The dash that opens a list item whose content starts at `at` (the parser's range starts after it). */
function dashBefore(text: string, at: number): number {
  let k = at - 1;
  while (k >= 0 && /\s/.test(text[k]!)) k--;
  return text[k] === '-' ? k : lineStart(text, at);
}

function itemSpan(text: string, node: { range?: [number, number, number] | null; flow?: boolean }) {
  const r = node.range!;
  const dash = dashBefore(text, r[0]);
  const dashCol = column(text, dash);
  return { lineFrom: lineStart(text, dash), lineTo: lineEndIncl(text, Math.max(r[0], r[2] - 1)), dashCol, keyCol: node.flow ? dashCol + 2 : Math.max(column(text, r[0]), dashCol + 2) };
}

function stepItems(text: string): { doc: ReturnType<typeof parseDocument>; items: StepItem[] } | null {
  const doc = parseDocument(text);
  if (doc.errors.length) return null;
  const steps = doc.get('steps', true);
  if (!isSeq(steps) || steps.flow) return null;
  const items: StepItem[] = [];
  for (const it of steps.items) {
    if (!isMap(it) || !it.range) return null;
    items.push({ id: it.get('id'), map: it, ...itemSpan(text, it) });
  }
  return { doc, items };
}

const STEP_ID = /^[a-z][a-z0-9_]*$/;
/** "a review step", "an end step". */
const aStep = (kind: unknown) => `${/^[aeiou]/.test(String(kind)) ? 'an' : 'a'} ${String(kind)} step`;
const UNREADABLE = 'the steps cannot be read as a list of steps (fix the file\'s errors first)';

/** Why `id` cannot be the id of a new step in this workflow, or null. */
export function newStepIdProblem(id: string, taken: Iterable<string>): string | null {
  if (id === '') return 'a step needs an id';
  if (!STEP_ID.test(id) || id.length > 64) return 'a step id is lower_snake_case: a letter, then letters, digits or _ (at most 64 characters)';
  for (const t of taken) if (t === id) return `there is already a step "${id}"`;
  return null;
}

function scalarRange(map: YAMLMap, key: string): [number, number] | null {
  const p = pairOf(map, key);
  return p && isScalar(p.value) && p.value.range ? [p.value.range[0], p.value.range[1]] : null;
}

function addStep(text: string, e: AddStep): EditResult {
  const f = stepItems(text);
  if (!f) return { ok: false, problem: UNREADABLE };
  const after = f.items.find((s) => s.id === e.after);
  if (!after) return { ok: false, problem: `no step "${e.after}" in the file` };
  const idProblem = newStepIdProblem(e.id, f.items.map((s) => String(s.id)));
  if (idProblem) return { ok: false, problem: idProblem };
  const name = e.name.trim();
  const nameProblem = plainTextProblem(name);
  if (nameProblem) return { ok: false, problem: `the name ${nameProblem}` };
  if (name.length > 200) return { ok: false, problem: 'a step name is at most 200 characters' };
  const js = f.doc.toJS() as { account_classes?: unknown; exceptions?: { id?: unknown }[] };
  const ind = ' '.repeat(after.keyCol);
  const lines = [`${' '.repeat(after.dashCol)}-${' '.repeat(after.keyCol - after.dashCol - 1)}id: ${e.id}`, `${ind}kind: ${e.stepKind}`];
  if (name) lines.push(`${ind}name: ${yamlScalar(name)}`);
  if (e.stepKind === 'execution') {
    if (!e.action || !RESET_ACTION_IDS.includes(e.action)) return { ok: false, problem: `an execution step needs an action: one of ${RESET_ACTION_IDS.join(', ')}` };
    lines.push(`${ind}action: ${e.action}`);
  }
  if (e.stepKind === 'exception') {
    const declared = (Array.isArray(js.exceptions) ? js.exceptions : []).map((x) => x?.id).filter((x): x is string => typeof x === 'string');
    if (declared.length === 0) return { ok: false, problem: 'an exception step grants an exception declared under exceptions, and this file declares none' };
    if (!e.grants || !declared.includes(e.grants)) return { ok: false, problem: `an exception step needs the exception it grants: one of ${declared.join(', ')}` };
    lines.push(`${ind}grants: ${e.grants}`);
  }
  const at = after.lineTo;
  const pre = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  if (e.stepKind === 'end') return splices(text, [{ from: at, to: at, insert: `${pre}${lines.join('\n')}\n` }], `"${e.id}" is not in the flow yet: point a next, on_fail or route at it`);
  const next = scalarRange(after.map, 'next');
  if (!next) return { ok: false, problem: `a new ${e.stepKind} step goes between a step and its next, and "${e.after}" has none (${aStep(after.map.get('kind'))}); add it after another step` };
  const target = text.slice(next[0], next[1]);
  if (e.stepKind === 'routing') {
    const classes = Array.isArray(js.account_classes) ? js.account_classes.map(String) : [];
    if (classes.length === 0) return { ok: false, problem: 'a routing step routes the account classes of the file, and it lists none' };
    lines.push(`${ind}routes:`, `${ind}  - classes: [${classes.join(', ')}]`, `${ind}    to: ${target}`);
  } else lines.push(`${ind}next: ${target}`);
  return splices(
    text,
    [
      { from: next[0], to: next[1], insert: e.id },
      { from: at, to: at, insert: `${pre}${lines.join('\n')}\n` },
    ],
    `"${e.after}" now goes next to "${e.id}", and "${e.id}" to "${target}"`,
  );
}

/** A place in another step that names the step being removed. */
interface StepRef {
  owner: string;
  how: string;
  range: [number, number];
}

/**
 * Removes a step's item (its lines; comments above it stay). What pointed at it (another step's
 * next or on_fail, a route) is moved to where it went next, as an arrow drawn through it would be
 * (for a routing step that sends every class to one step, to that step).
 * Refused, naming what is in the way: the start step, a step an exception bypasses, a step with
 * no next that others still point at, and a removal that would make a step point at itself.
 */
function removeStep(text: string, step: string): EditResult {
  const f = stepItems(text);
  if (!f) return { ok: false, problem: UNREADABLE };
  const gone = f.items.find((s) => s.id === step);
  if (!gone) return { ok: false, problem: `no step "${step}" in the file` };
  if (f.doc.get('start') === step) return { ok: false, problem: `"${step}" is where the workflow starts (start: ${step}); make another step the start first` };
  const js = f.doc.toJS() as { exceptions?: { id?: unknown; bypasses?: unknown }[] };
  const bypassing = (Array.isArray(js.exceptions) ? js.exceptions : []).filter((x) => Array.isArray(x?.bypasses) && x.bypasses.includes(step)).map((x) => `"${String(x.id)}"`);
  if (bypassing.length) return { ok: false, problem: `the exception${bypassing.length > 1 ? 's' : ''} ${bypassing.join(', ')} bypass${bypassing.length > 1 ? '' : 'es'} "${step}"; edit ${bypassing.length > 1 ? 'them' : 'it'} in the text first` };
  const refs: StepRef[] = [];
  for (const s of f.items) {
    if (s === gone) continue;
    const owner = String(s.id);
    for (const [key, how] of [['next', 'goes next'], ['on_fail', 'goes on failure']] as const) {
      const r = scalarRange(s.map, key);
      if (r && s.map.get(key) === step) refs.push({ owner, how, range: r });
    }
    const routes = s.map.get('routes');
    if (isSeq(routes)) {
      for (const route of routes.items) {
        if (!isMap(route) || route.get('to') !== step) continue;
        const r = scalarRange(route, 'to');
        const classes = route.get('classes');
        const list = isSeq(classes) ? classes.items.map((c) => (isScalar(c) ? String(c.value) : '?')).join(', ') : 'some classes';
        if (r) refs.push({ owner, how: `routes ${list}`, range: r });
      }
    }
  }
  const target = gone.map.get('next') ?? soleRoute(gone.map, f.doc.toJS() as { account_classes?: unknown });
  const said = (r: StepRef) => `"${r.owner}" ${r.how}`;
  if (refs.length && typeof target !== 'string') return { ok: false, problem: `"${step}" has no next to send what points at it to: ${refs.map((r) => `${said(r)} to it`).join(', ')}; point ${refs.length > 1 ? 'them' : 'it'} elsewhere first` };
  const loop = refs.find((r) => r.owner === target);
  if (loop) return { ok: false, problem: `removing "${step}" would make "${loop.owner}", which ${loop.how} to it, point at itself; point it elsewhere first` };
  return splices(
    text,
    [...refs.map((r) => ({ from: r.range[0], to: r.range[1], insert: String(target) })), { from: gone.lineFrom, to: gone.lineTo, insert: '' }],
    refs.length ? refs.map((r) => `${said(r)} to "${String(target)}" now`).join('; ') : `nothing pointed at "${step}"`,
  );
}

/** Where a routing step sends every class of the file, when that is one step (it then acts as its next). */
function soleRoute(map: YAMLMap, js: { account_classes?: unknown }): string | undefined {
  const routes = map.get('routes');
  if (map.get('kind') !== 'routing' || !isSeq(routes) || !Array.isArray(js.account_classes)) return undefined;
  const rs = routes.items.map((r) => (isMap(r) ? (r.toJSON() as { classes?: unknown; to?: unknown }) : {}));
  const tos = new Set(rs.map((r) => r.to));
  const routed = new Set(rs.flatMap((r) => (Array.isArray(r.classes) ? r.classes : [])));
  const [to] = tos;
  return tos.size === 1 && typeof to === 'string' && js.account_classes.every((c) => routed.has(c)) ? to : undefined;
}

/**
 * Sets where a routing step sends one account class (by the basis it routes on: the directory or
 * the caller's claim), or with `target: null` stops routing it (the request then ends unrouted).
 * The class leaves the route it was in (the route goes when it was its only class) and joins the
 * route that already goes to the target (in account_classes order), or a new route at the end of the
 * list, written as the route before it is (a flow map or a block map). A route that held
 * only that class just has its target changed. Class lists are rewritten in flow form (`[a, b]`).
 */
function setRoute(text: string, e: { step: string; accountClass: string; target: string | null }): EditResult {
  const f = stepItems(text);
  if (!f) return { ok: false, problem: UNREADABLE };
  const s = f.items.find((x) => x.id === e.step);
  if (!s) return { ok: false, problem: `no step "${e.step}" in the file` };
  if (s.map.get('kind') !== 'routing') return { ok: false, problem: `"${e.step}" is ${aStep(s.map.get('kind'))}; only a routing step routes by account class` };
  const known = f.doc.toJS() as { account_classes?: unknown };
  if (!Array.isArray(known.account_classes) || !known.account_classes.includes(e.accountClass)) return { ok: false, problem: `the class "${e.accountClass}" is not listed in account_classes` };
  if (e.target !== null && !f.items.some((x) => x.id === e.target)) return { ok: false, problem: `no step "${e.target}" in the file` };
  if (e.target === e.step) return { ok: false, problem: `a routing step cannot route to itself` };
  const routes = s.map.get('routes', true);
  if (!isSeq(routes) || routes.flow || !routes.items.every((r) => isMap(r) && r.range && isSeq(r.get('classes', true)))) return { ok: false, problem: `the routes of "${e.step}" are not a list of routes the editor can change; edit them in the text` };
  const list = routes.items as YAMLMap[];
  const classesOf = (r: YAMLMap) => (r.get('classes', true) as unknown as { items: unknown[] }).items.map((c) => (isScalar(c) ? String(c.value) : ''));
  const cur = list.findIndex((r) => classesOf(r).includes(e.accountClass));
  if (cur >= 0 && list[cur]!.get('to') === e.target) return { ok: false, problem: `"${e.step}" already routes ${e.accountClass} to "${e.target}"` };
  if (cur < 0 && e.target === null) return { ok: false, problem: `"${e.step}" does not route ${e.accountClass}` };
  const dest = e.target === null ? -1 : list.findIndex((r) => r.get('to') === e.target);
  const rewrite = (r: YAMLMap, classes: string[]): Splice | string => {
    const seq = r.get('classes', true) as { flow?: boolean; range?: [number, number, number] | null };
    if (!seq.flow || !seq.range) return `the classes of a route of "${e.step}" are written as a block list; edit them in the text`;
    return { from: seq.range[0], to: seq.range[1], insert: `[${classes.join(', ')}]` };
  };
  const changes: Splice[] = [];
  const add = (c: Splice | string): string | null => (typeof c === 'string' ? c : (changes.push(c), null));
  if (cur >= 0) {
    const from = classesOf(list[cur]!);
    if (from.length === 1 && dest < 0 && e.target !== null) {
      const r = scalarRange(list[cur]!, 'to');
      if (!r) return { ok: false, problem: `a route of "${e.step}" has no target to change; edit it in the text` };
      return splice(text, r[0], r[1], e.target);
    }
    if (from.length === 1) {
      if (list.length === 1) return { ok: false, problem: `"${e.step}" routes only ${e.accountClass}, and a routing step needs a route; route another class first, or remove the step` };
      const span = itemSpan(text, list[cur]!);
      changes.push({ from: span.lineFrom, to: span.lineTo, insert: '' });
    } else {
      const p = add(rewrite(list[cur]!, from.filter((c) => c !== e.accountClass)));
      if (p) return { ok: false, problem: p };
    }
  }
  if (e.target !== null) {
    if (dest >= 0) {
      // In the file's account_classes order, before the first class that comes after it there (the
      // others keep their places): a class sent away and back gives back the same list.
      const order = (c: string) => (known.account_classes as unknown[]).indexOf(c);
      const joined = classesOf(list[dest]!);
      const at = joined.findIndex((c) => order(c) > order(e.accountClass));
      joined.splice(at < 0 ? joined.length : at, 0, e.accountClass);
      const p = add(rewrite(list[dest]!, joined));
      if (p) return { ok: false, problem: p };
    } else {
      const last = itemSpan(text, list[list.length - 1]!);
      const pre = last.lineTo > 0 && text[last.lineTo - 1] !== '\n' ? '\n' : '';
      const ind = ' '.repeat(last.keyCol);
      // Written as the route before it is: a flow map on one line, or a block map.
      const item = list[list.length - 1]!.flow
        ? `${' '.repeat(last.dashCol)}- { classes: [${e.accountClass}], to: ${e.target} }\n`
        : `${' '.repeat(last.dashCol)}-${' '.repeat(last.keyCol - last.dashCol - 1)}classes: [${e.accountClass}]\n${ind}to: ${e.target}\n`;
      changes.push({ from: last.lineTo, to: last.lineTo, insert: `${pre}${item}` });
    }
  }
  return splices(text, changes);
}

/** Where a routing step sends each account class of the workflow (null: not routed, the request ends). */
export function routeTable(wf: Workflow, step: string): { accountClass: string; target: string | null }[] {
  const st = wf.steps[step];
  if (!st || st.kind !== 'routing') return [];
  return wf.accountClasses.map((c) => ({ accountClass: c, target: st.routes.find((r) => r.classes.includes(c))?.to ?? null }));
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
    friction: `about ${c.friction.minutesAdded} min added${c.friction.privilegedOnly ? ' to a privileged-account request' : ''}${c.friction.waitMinutes > 0 ? ` (${c.friction.waitMinutes} of them waiting, no agent working on it)` : ''}, ${Math.round(c.friction.legitFailShare * 100)}% of legitimate requests fail it (estimates)`,
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

/** The line ending a file is written with. */
export type LineEnding = '\r\n' | '\n';

/** A file's line ending: CRLF when most of its line breaks are CRLF, else LF. */
export function lineEnding(text: string): LineEnding {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** A file's text as the editor holds it (CodeMirror breaks lines at CRLF, CR and LF alike, and writes LF). */
export function editorText(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** The editor's text written with the file's own line ending, so saving an edit does not rewrite every line of a CRLF file. */
export function fileText(text: string, eol: LineEnding): string {
  const lf = editorText(text);
  return eol === '\n' ? lf : lf.replace(/\n/g, eol);
}

/**
 * The file text of a what-if's changes made real: each control switched on is written, at hardened
 * parameters (the catalogue's, by leaving the parameters out) and system-enforced, on every step it
 * attaches to (or workflow-wide), replacing the instance there; each control switched off is removed
 * everywhere. In catalogue order, as the what-if applies them. A control that sits on exceptions is
 * refused: exceptions are edited in the text.
 */
export function variantText(text: string, wf: Workflow, changes: ReadonlyMap<string, boolean>): EditResult {
  // Edited with LF breaks (the splices write LF), written back with the file's own line ending.
  const eol = lineEnding(text);
  let out = editorText(text);
  const run = (e: VisualEdit): string | null => {
    const r = applyEdit(out, e);
    if (!r.ok) return r.problem;
    out = r.text;
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
  out = fileText(out, eol);
  return { ok: true, text: out, from: 0, to: text.length, insert: out, changes: [{ from: 0, to: text.length, insert: out }] };
}
