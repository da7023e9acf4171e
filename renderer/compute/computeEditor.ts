// What the workflow editor knows about the text being typed: the loader's and lint's findings as
// located diagnostics, where a document path sits in the text, new workflows from a template or
// blank, and completion and hover from the published JSON Schema (schemas/workflow.schema.json)
// and the control catalogue. Pure: the editor component only hands these to CodeMirror.
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import schemaJson from '../../schemas/workflow.schema.json';
import { computeGraphLayout, CONTROLS, lintWorkflow, loadWorkflowText, OWNER_ROLES, type ControlDef, type Finding, type GraphLayout, type ModelIssue, type Workflow } from '../../models/index.ts';

/** A finding placed in the text: character offsets, severity and what it says. */
export interface Diagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  /** "loader" for what stops the file from loading, else the lint rule id. */
  source: string;
  message: string;
  /** 1-based line, for lists beside the editor. */
  line: number;
}

/**
 * What the editor asks of its check worker: load and lint a text (and lay its graph out), or say
 * what may be typed at an offset. Both parse the whole file, too slow for the UI thread at 200 steps.
 */
export type CheckRequest = { type: 'check'; seq: number; text: string; fileName: string } | { type: 'complete'; seq: number; text: string; offset: number };

/** The check worker's answer to the request `seq`. */
export type CheckResponse =
  | { type: 'checked'; seq: number; checked: Checked; layout: GraphLayout | null; layoutKey: string | null }
  | { type: 'completions'; seq: number; result: { from: number; options: Completion[] } | null };

/** The check worker's answer to a request (also what the editor computes itself before the worker is up). */
export function answerCheck(req: CheckRequest): CheckResponse {
  if (req.type === 'complete') return { type: 'completions', seq: req.seq, result: completionsAt(req.text, req.offset) };
  const checked = checkWorkflowText(req.text, req.fileName);
  const layout = checked.workflow ? computeGraphLayout(checked.workflow) : null;
  // The layout's content as text: an edit that leaves the drawing as it was (the workflow's name, a
  // comment, a lint fix) gives the same key, and the editor keeps the graph it shows (a message
  // from the worker is always a new object, so React alone would draw it again).
  return { type: 'checked', seq: req.seq, checked, layout, layoutKey: layout ? JSON.stringify(layout) : null };
}

/** The text checked as the loader and lint check it. */
export interface Checked {
  workflow: Workflow | null;
  diagnostics: Diagnostic[];
  findings: Finding[];
}

/** Offsets of each line start, for line/column to offset and back. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** "steps[2].controls[0].params.method" as keys: ['steps', 2, 'controls', 0, 'params', 'method']. */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return keys;
}

/**
 * Where a document path is in the text: the key of its pair (so a finding about a step points at
 * the step's line), else the node, else the nearest ancestor that exists; the document itself ("")
 * at its `id`; the whole first line when nothing matches.
 */
export function rangeOfPath(text: string, path: string, doc: Document = parseDocument(text)): { from: number; to: number } {
  // A finding about the whole workflow sits at its id, not at the comment that may open the file.
  const keys = path === '' ? ['id'] : pathKeys(path);
  for (let n = keys.length; n > 0; n--) {
    const parent = n > 1 ? doc.getIn(keys.slice(0, n - 1), true) : doc.contents;
    const last = keys[n - 1]!;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      const at = pair && isScalar(pair.key) ? pair.key.range : null;
      if (at) return { from: at[0], to: at[1] };
    }
    if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last] as { range?: [number, number, number] } | undefined;
      if (item?.range) return { from: item.range[0], to: Math.min(item.range[1], lineEnd(text, item.range[0])) };
    }
  }
  return { from: 0, to: lineEnd(text, 0) };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

/** Loads and lints the text: the loader's issues (at the line and column it names) and lint's findings (at their path). */
export function checkWorkflowText(text: string, file: string): Checked {
  const starts = lineStarts(text);
  const r = loadWorkflowText(text, file);
  const place = (from: number, to: number, severity: Diagnostic['severity'], source: string, message: string): Diagnostic => ({
    from,
    to: Math.max(to, Math.min(from + 1, text.length)),
    severity,
    source,
    message,
    line: lineOf(starts, from),
  });
  if (!r.ok) {
    let doc: Document | null = null;
    const diagnostics = r.issues.map((i: ModelIssue) => {
      const message = i.path ? `${i.path}: ${i.message}` : i.message;
      if (i.line !== undefined) {
        const from = Math.min(starts[i.line - 1] ?? text.length, text.length) + Math.max(0, (i.column ?? 1) - 1);
        const at = Math.min(from, text.length);
        return place(at, lineEnd(text, at), 'error', 'loader', message);
      }
      doc ??= parseDocument(text);
      const at = rangeOfPath(text, i.path, doc);
      return place(at.from, at.to, 'error', 'loader', message);
    });
    return { workflow: null, diagnostics, findings: [] };
  }
  const findings = lintWorkflow(r.value);
  const doc = parseDocument(text);
  const diagnostics = findings.map((f) => {
    const at = rangeOfPath(text, f.path, doc);
    return place(at.from, at.to, f.severity, f.rule, `${f.name}: ${f.message}`);
  });
  return { workflow: r.value, diagnostics, findings };
}

/** A bundled workflow's text as a new workflow: its id, name and variant replaced, the rest (comments too) kept. */
export function fromTemplate(text: string, id: string, name: string): string {
  const quoted = (s: string) => (/^[\w .,()/-]+$/.test(s) && !/^[\d-]/.test(s) ? s : JSON.stringify(s));
  return text
    .replace(/^id: .*$/m, `id: ${id}`)
    .replace(/^name: .*$/m, `name: ${quoted(name)}`)
    .replace(/^variant: .*$/m, 'variant: custom');
}

/** The smallest workflow that loads: an intake, the reset, the end. */
export function blankWorkflow(id: string, name: string): string {
  return `# yaml-language-server: $schema=https://resetpath.invalid/schemas/workflow.schema.json
resetpath: workflow/1
id: ${id}
name: ${JSON.stringify(name)}
family: ${id.replace(/\..*$/, '')}
variant: custom
description: >
  What the workflow is for, who runs it, and what it checks.
account_classes: [standard_employee]
actors:
  - { id: agent, kind: agent, tier: 1, name: Service-desk agent }
start: intake
steps:
  - id: intake
    kind: intake
    name: Caller asks for a password reset
    channels: [phone]
    actor: agent
    next: reset
  - id: reset
    kind: execution
    name: Agent resets the password
    actor: agent
    action: password_reset
    next: done
  - id: done
    kind: end
    name: Ticket closed
`;
}

/** Why an id cannot name a new workflow, or null; taken ids are those of the library. */
export function newIdProblem(id: string, taken: ReadonlySet<string>): string | null {
  if (!/^[a-z0-9][a-z0-9_.-]{0,95}$/.test(id)) return 'an id is lowercase letters, digits, ".", "-" or "_", starting with a letter or digit';
  if (taken.has(id)) return `${id} is already in the library; choose another id, or open it to edit it`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Completion and hover from the published JSON Schema.

type Json = { [k: string]: unknown };
const ROOT = schemaJson as unknown as Json;

function deref(s: Json | undefined): Json | undefined {
  let cur = s;
  for (let i = 0; i < 8 && cur && typeof cur['$ref'] === 'string'; i++) {
    const parts = (cur['$ref'] as string).replace(/^#\//, '').split('/');
    let node: unknown = ROOT;
    for (const p of parts) node = (node as Json | undefined)?.[p];
    cur = node as Json | undefined;
  }
  return cur;
}

/** The branches a value may take (anyOf/oneOf/allOf-then), each dereferenced. */
function branches(s: Json | undefined): Json[] {
  const d = deref(s);
  if (!d) return [];
  const out = [d];
  for (const k of ['anyOf', 'oneOf']) for (const b of (d[k] as Json[] | undefined) ?? []) out.push(...branches(b));
  return out;
}

/** The schema of the value at a document path, following properties and array items. */
export function schemaAt(keys: readonly (string | number)[]): Json[] {
  let cur: Json[] = [ROOT];
  for (const k of keys) {
    const next: Json[] = [];
    for (const s of cur.flatMap(branches)) {
      if (typeof k === 'number') {
        if (s['items']) next.push(...branches(s['items'] as Json));
      } else {
        const p = (s['properties'] as Json | undefined)?.[k] as Json | undefined;
        if (p) next.push(...branches(p));
      }
    }
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

/** A completion the editor offers: the text to insert, a label and what it means. */
export interface Completion {
  label: string;
  apply: string;
  detail: string;
  type: 'property' | 'enum' | 'reference';
}

const CURSOR = '__resetpath_cursor__';

/** The document path of a node from the ancestors `visit` hands over: pair keys and list indexes. */
function keysOf(path: readonly unknown[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let i = 1; i < path.length; i++) {
    const a = path[i];
    const parent = path[i - 1];
    if (isPair(a) && isScalar(a.key)) keys.push(a.key.value as string);
    else if (isSeq(parent)) keys.push(parent.items.indexOf(a as never));
  }
  return keys;
}

/** The document path of the cursor's key or value, from the text with the word being typed replaced by a marker. */
function cursorPath(text: string, offset: number): { keys: (string | number)[]; mode: 'key' | 'value'; from: number; doc: Document } | null {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(start, offset);
  const m = /^(\s*)((?:-\s+)*)(.*)$/.exec(before)!;
  const rest = m[3]!;
  const kv = /^([\w.-]+):\s*(.*)$/.exec(rest);
  let mode: 'key' | 'value';
  let from: number;
  let line: string;
  if (kv) {
    mode = 'value';
    const value = kv[2]!;
    const word = /[\w.-]*$/.exec(value)![0];
    from = offset - word.length;
    const head = value.slice(0, value.length - word.length);
    line = `${m[1]}${m[2]}${kv[1]}: ${head}${CURSOR}${closers(head)}`;
  } else if (/^[\w.-]*$/.test(rest)) {
    mode = 'key';
    from = offset - rest.length;
    line = `${m[1]}${m[2]}${CURSOR}: 0`;
  } else return null;
  const after = lineEnd(text, offset);
  const probe = text.slice(0, start) + line + text.slice(after);
  const doc = parseDocument(probe);
  let found: (string | number)[] | null = null;
  visit(doc, {
    Scalar(key, node, path) {
      if (node.value !== CURSOR) return undefined;
      const keys = keysOf(path);
      if (isSeq(path[path.length - 1])) keys.push(key as number);
      if (mode === 'value' && key === 'key') {
        // A key being typed in a flow map (`params: { mo|`): the path of the map, then the key.
        const pair = path[path.length - 1];
        if (!isPair(pair) || pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) return visit.BREAK;
        mode = 'key';
      }
      found = keys;
      return visit.BREAK;
    },
  });
  if (!found) return null;
  return { keys: found, mode, from, doc };
}

/** What closes the flow lists and maps left open in `head`, innermost first (quoted text is not looked into). */
function closers(head: string): string {
  const open: string[] = [];
  for (const ch of head.replace(/"[^"]*"|'[^']*'/g, '')) {
    if (ch === '[' || ch === '{') open.push(ch === '[' ? ']' : '}');
    else if ((ch === ']' || ch === '}') && open.length) open.pop();
  }
  return open.reverse().join('');
}

/** The catalogue control of the control instance whose `params` map is at `params` (a document path), if the document names one. */
function controlOfParams(doc: Document, params: readonly (string | number)[]): (typeof CONTROLS)[number] | undefined {
  if (params.at(-1) !== 'params') return undefined;
  const id = doc.getIn([...params.slice(0, -1), 'control']);
  return typeof id === 'string' ? CONTROLS.find((c) => c.id === id) : undefined;
}

/** A parameter's meaning and its hardened value, as a completion's detail. */
function paramDetail(spec: ControlDef['params'][string]): string {
  const hardened = Array.isArray(spec.hardened) ? `[${spec.hardened.join(', ')}]` : String(spec.hardened);
  return `${spec.description} — hardened: ${hardened}`;
}

/** Step and actor ids of the document, for `next`, `on_fail`, `start` and `actor`. */
function ids(doc: Document, list: 'steps' | 'actors'): string[] {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return [];
  return seq.items.flatMap((it) => (isMap(it) ? [it.get('id')] : [])).filter((v): v is string => typeof v === 'string');
}

const STEP_REFS = new Set(['next', 'on_fail', 'start', 'to', 'fallback']);

/**
 * What may be typed at `offset`: the properties of the map the cursor is in (those not there yet),
 * or the values of the key it follows: the schema's enum values, true/false, control ids of the
 * catalogue, and the document's own step and actor ids where a step or actor is named.
 */
export function completionsAt(text: string, offset: number): { from: number; options: Completion[] } | null {
  const c = cursorPath(text, offset);
  if (!c) return null;
  if (c.mode === 'key') {
    const mapKeys = c.keys.slice(0, -1);
    const present = new Set<string>();
    const node = mapKeys.length ? c.doc.getIn(mapKeys, true) : c.doc.contents;
    if (isMap(node)) for (const p of node.items) if (isScalar(p.key) && p.key.value !== CURSOR) present.add(String(p.key.value));
    const options = new Map<string, Completion>();
    // A control's parameters are the catalogue's, per control (the schema allows any).
    const ctl = controlOfParams(c.doc, mapKeys);
    if (ctl) for (const [k, spec] of Object.entries(ctl.params)) if (!present.has(k)) options.set(k, { label: k, apply: `${k}: `, detail: paramDetail(spec), type: 'property' });
    for (const s of schemaAt(mapKeys)) {
      const props = (s['properties'] as Json | undefined) ?? {};
      const required = new Set((s['required'] as string[] | undefined) ?? []);
      for (const [k, v] of Object.entries(props)) {
        if (present.has(k) || options.has(k)) continue;
        options.set(k, { label: k, apply: `${k}: `, detail: `${required.has(k) ? 'required' : 'optional'}${describe(v as Json) ? ` — ${describe(v as Json)}` : ''}`, type: 'property' });
      }
    }
    return { from: c.from, options: [...options.values()] };
  }
  const key = c.keys.at(-1);
  const inArray = typeof key === 'number';
  const field = inArray ? c.keys.at(-2) : key;
  const options: Completion[] = [];
  const param = typeof field === 'string' ? controlOfParams(c.doc, c.keys.slice(0, inArray ? -2 : -1))?.params[field] : undefined;
  if (param) {
    const values = param.type === 'boolean' ? ['true', 'false'] : param.type === 'number' ? [String(param.hardened)] : param.values;
    const hardened = new Set((Array.isArray(param.hardened) ? param.hardened : [param.hardened]).map(String));
    // In a list of values (enum[]), the ones it holds already are not offered again.
    const list = inArray ? c.doc.getIn(c.keys.slice(0, -1), true) : null;
    const taken = new Set(isSeq(list) ? list.items.flatMap((it) => (isScalar(it) && it.value !== CURSOR ? [String(it.value)] : [])) : []);
    for (const v of values) if (!taken.has(v)) options.push({ label: v, apply: v, detail: `${hardened.has(v) ? 'hardened — ' : ''}${param.description}${param.type === 'number' ? ` (${param.min}–${param.max})` : ''}`, type: 'enum' });
  } else if (field === 'control') for (const ctl of CONTROLS) options.push({ label: ctl.id, apply: ctl.id, detail: `${ctl.name} — owner ${ctl.owner}`, type: 'enum' });
  else if (typeof field === 'string' && STEP_REFS.has(field)) for (const id of ids(c.doc, 'steps')) options.push({ label: id, apply: id, detail: 'a step of this workflow', type: 'reference' });
  else if (field === 'actor') for (const id of ids(c.doc, 'actors')) options.push({ label: id, apply: id, detail: 'an actor of this workflow', type: 'reference' });
  else {
    const seen = new Set<string>();
    for (const s of schemaAt(c.keys)) {
      const values = [...((s['enum'] as unknown[] | undefined) ?? []), ...(s['type'] === 'boolean' ? [true, false] : []), ...(s['const'] !== undefined ? [s['const']] : [])];
      for (const v of values) {
        const label = String(v);
        if (seen.has(label)) continue;
        seen.add(label);
        options.push({ label, apply: label, detail: describe(s) ?? '', type: 'enum' });
      }
    }
  }
  return options.length ? { from: c.from, options } : null;
}

function describe(s: Json): string | undefined {
  const d = deref(s);
  return typeof d?.['description'] === 'string' ? (d['description'] as string) : undefined;
}

/**
 * What hovering at `offset` explains: a key (its description and allowed values from the schema)
 * or a control id (its name, owner role and friction from the catalogue). Null over anything else.
 */
export function hoverAt(text: string, offset: number): { from: number; to: number; title: string; body: string } | null {
  const doc = parseDocument(text);
  let hit: { from: number; to: number; title: string; body: string } | null = null;
  visit(doc, {
    Pair(_k, pair, path) {
      if (!isScalar(pair.key) || !pair.key.range) return undefined;
      const keys = keysOf(path);
      const last = path[path.length - 1];
      if (isSeq(last)) keys.push(last.items.indexOf(pair as never));
      const name = String(pair.key.value);
      const [kf, kt] = pair.key.range;
      if (offset >= kf && offset <= kt) {
        const ss = schemaAt([...keys.filter((k) => typeof k !== 'object'), name]);
        const body = ss.map(describe).find((d) => d) ?? '';
        const values = [...new Set(ss.flatMap((s) => ((s['enum'] as unknown[] | undefined) ?? ((s['items'] as Json | undefined) ? ((deref(s['items'] as Json)?.['enum'] as unknown[] | undefined) ?? []) : [])).map(String)))];
        if (!body && !values.length) return visit.BREAK;
        hit = { from: kf, to: kt, title: name, body: [body, values.length ? `One of: ${values.join(', ')}` : ''].filter(Boolean).join('\n') };
        return visit.BREAK;
      }
      if (name === 'control' && isScalar(pair.value) && pair.value.range && offset >= pair.value.range[0] && offset <= pair.value.range[1]) {
        const ctl = CONTROLS.find((c) => c.id === pair.value!.toString());
        if (ctl) {
          hit = {
            from: pair.value.range[0],
            to: pair.value.range[1],
            title: `${ctl.name} (${ctl.id})`,
            body: `Owner: ${OWNER_ROLES[ctl.owner as keyof typeof OWNER_ROLES] ?? ctl.owner}\nFriction: about ${ctl.friction.minutesAdded} min added to a legitimate ${ctl.friction.privilegedOnly ? 'privileged-account ' : ''}request${ctl.friction.waitMinutes > 0 ? ` (${ctl.friction.waitMinutes} of them waiting, no agent working on it)` : ''}, ${Math.round(ctl.friction.legitFailShare * 100)}% fail it (estimates)`,
          };
        }
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return hit;
}
