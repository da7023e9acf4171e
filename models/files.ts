// Parsing of model files (YAML or JSON) with source positions, so every error can name the file,
// the line and column, and the path inside the document. Pure: callers read the bytes.
import { isMap, isNode, isScalar, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { displayText, plainTextProblem } from './displayText.ts';

/** Largest model file accepted; real workflows are a few kilobytes. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 * 1024;

export interface ModelIssue {
  file: string;
  line?: number;
  column?: number;
  /** JSON path inside the document, e.g. "steps[2].controls[0].params.method". */
  path: string;
  message: string;
}

/** Thrown (or returned) when a model file cannot be used. */
export class ModelFileError extends Error {
  readonly issues: ModelIssue[];
  constructor(issues: ModelIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ModelFileError';
    this.issues = issues;
  }
}

/**
 * "file:line:col: message (at path)" — the format editors and CI logs understand. One line, with
 * control and bidirectional characters (from a file name, an echoed value) written visibly.
 */
export function formatIssue(i: ModelIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return displayText(`${where}: ${i.message}${i.path ? ` (at ${i.path})` : ''}`);
}

export type PathSeg = string | number;

/** Formats a document path the way users read it: a.b[2].c */
export function formatPath(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export interface ParsedModel {
  file: string;
  value: unknown;
  /**
   * Issues with positions for a document path (walks up to the nearest existing node). With
   * `key`, points at the last segment's key instead of its value (e.g. a misspelt field name).
   */
  at(path: readonly PathSeg[], message: string, opts?: { key?: boolean }): ModelIssue;
}

/** Parses YAML or JSON text; returns the value and a locator, or the syntax issues. */
export function parseModelText(text: string, file: string): { ok: true; parsed: ParsedModel } | { ok: false; issues: ModelIssue[] } {
  if (text.length > MAX_MODEL_FILE_BYTES) {
    return {
      ok: false,
      issues: [{ file, path: '', message: `file is ${text.length} bytes; model files are limited to ${MAX_MODEL_FILE_BYTES} bytes` }],
    };
  }
  // CR-only (classic Mac) and CRLF line endings are read as LF: YAML treats CR as a line break, the
  // parser does not, so a CR-only file was one long comment ("empty") or one broken line. A CR is
  // one character as an LF is, so every line and column stays where the author sees it.
  text = text.replace(/\r\n?/g, '\n');
  const lineCounter = new LineCounter();
  const deep = excessiveNestingOffset(text);
  if (deep !== null) {
    const line = text.slice(0, deep).split('\n').length;
    const column = deep - text.lastIndexOf('\n', deep - 1);
    return { ok: false, issues: [{ file, line, column, path: '', message: `document nests more than ${MAX_NESTING_DEPTH} levels deep here; model files nest a few levels, so this is refused as hostile input` }] };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { ok: false, issues: [{ file, path: '', message: displayText(`cannot parse: ${firstLine((e as Error).message)}`) }] };
  }
  if (doc.errors.length > 0) return { ok: false, issues: [syntaxIssue(doc, text, file, lineCounter)] };
  if (doc.contents === null) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '', message: 'file is empty: a model file is a mapping that starts with "resetpath: <format>/<version>"' }] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAlias(doc);
    const pos = alias?.range ? lineCounter.linePos(alias.range[0]) : undefined;
    const message = /alias/i.test((e as Error).message)
      ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}); aliases that multiply like this are a resource-exhaustion attack`
      : `cannot read document: ${firstLine((e as Error).message)}`;
    return { ok: false, issues: [{ file, ...(pos ? { line: pos.line, column: pos.col } : {}), path: '', message }] };
  }
  // Messages echo values and keys from the file: they are made display-safe where they are made.
  const at = (path: readonly PathSeg[], raw: string, opts: { key?: boolean } = {}): ModelIssue => {
    const message = displayText(raw);
    const shownPath = displayText(formatPath(path));
    if (opts.key && path.length > 0) {
      const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as PathSeg[], true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === last);
        if (pair && isNode(pair.key) && pair.key.range) {
          const pos = lineCounter.linePos(pair.key.range[0]);
          return { file, line: pos.line, column: pos.col, path: shownPath, message };
        }
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as PathSeg[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { file, line: pos.line, column: pos.col, path: shownPath, message };
      }
    }
    return { file, path: shownPath, message };
  };
  return { ok: true, parsed: { file, value, at } };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** Aliases a document may expand before we call it an alias bomb; real model files use none. */
const MAX_ALIAS_COUNT = 50;

function firstAlias(doc: Document.Parsed): YamlNode | undefined {
  let found: YamlNode | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Deepest nesting a model file may have. Real workflows nest fewer than ten levels; the YAML parser
 * recurses once per level and overflows the stack somewhere near a thousand (how near depends on
 * the stack left), and a V8 stack overflow inside the parser is not something to provoke twice in a
 * long-running process. So depth is checked by a linear scan before parsing.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * Offset where YAML or JSON text first nests deeper than `limit` (block indentation, compact
 * "- - -" sequences and flow brackets together), or null. A scan, not a parser: it errs towards
 * counting, which only matters for documents far deeper than any real model.
 */
export function excessiveNestingOffset(text: string, limit: number = MAX_NESTING_DEPTH): number | null {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let scalarIndent = -1;
  let lineStart = 0;
  for (const raw of text.split('\n')) {
    const start = lineStart;
    lineStart += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (line[indent] === ' ') indent++;
    // Lines of a literal or folded block scalar are text, whatever they contain.
    if (scalarIndent >= 0) {
      if (indent >= line.length || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    let i = indent;
    let block = indents.length;
    if (flow === 0 && quote === null) {
      if (i >= line.length || line[i] === '#') continue;
      while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
      block = indents.length;
      while ((line[i] === '-' || line[i] === '?') && (line[i + 1] === ' ' || line[i + 1] === '\t')) {
        block++;
        i += 2;
        while (line[i] === ' ' || line[i] === '\t') i++;
      }
      if (block > limit) return start + i;
    }
    let prev = i > indent ? '-' : '';
    // Inside a plain scalar ("see [1]"), brackets are text until the scalar ends.
    let plain = false;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (plain) {
        const next = line[i + 1];
        if (c === '#' && (line[i - 1] === ' ' || line[i - 1] === '\t')) break;
        if (c === ':' && (next === undefined || next === ' ' || next === '\t')) {
          plain = false;
          prev = ':';
          continue;
        }
        if (!(flow > 0 && (c === ',' || c === ']' || c === '}'))) continue;
        plain = false;
      }
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = null;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = null;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      // Indicators count only where a node may start, not inside plain text ("see [1]", "don't").
      const atNodeStart = prev === '' || ':-?[{,'.includes(prev);
      if ((c === '"' || c === "'") && atNodeStart) quote = c;
      else if ((c === '[' || c === '{') && atNodeStart) {
        if (block + ++flow > limit) return start + i;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (atNodeStart && !',:-?'.includes(c)) plain = true;
      prev = c;
    }
    if (flow === 0 && quote === null && /(^|[\s:?-])[|>][0-9+-]*\s*(#.*)?$/.test(line.slice(indent))) scalarIndent = indent;
  }
  return null;
}

/** For "missing closing quote / bracket" errors: the opening character the parser never saw closed. */
function openerOf(message: string, text: string, at: number): { offset: number; what: string } | null {
  const quote = /Missing closing (["'])quote/.exec(message)?.[1] ?? (/Missing closing "quote/.test(message) ? '"' : null);
  if (quote) {
    const offset = text.lastIndexOf(quote, Math.min(at, text.length) - 1);
    return offset >= 0 ? { offset, what: `the ${quote === '"' ? 'double' : 'single'} quote` } : null;
  }
  const close = /end with an? ([\]}])/.exec(message)?.[1];
  if (!close) return null;
  const open = close === ']' ? '[' : '{';
  let depth = 0;
  for (let i = Math.min(at, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open) {
      if (depth === 0) return { offset: i, what: `the "${open}"` };
      depth--;
    }
  }
  return null;
}

/**
 * For a key whose value the parser saw continued by a deeper-indented key on the next line ("id: x"
 * then "    kind: y"): that next key, where it is, the key above and the column it starts at (1-based).
 */
function deeperKey(text: string, offset: number): { key: string; offset: number; above: string; column: number } | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) return null;
  const line = text.slice(lineStart, lineEnd);
  const above = /^(\s*(?:-\s+)?)([^\s:#][^:#]*?)\s*:/.exec(line);
  if (!above) return null;
  let at = lineEnd + 1;
  while (at < text.length) {
    const end = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    const next = text.slice(at, end);
    if (next.trim() === '' || next.trimStart().startsWith('#')) {
      at = end + 1;
      continue;
    }
    const m = /^(\s*)([^\s:#][^:#]*?)\s*:/.exec(next);
    if (!m || m[1]!.length <= above[1]!.length) return null;
    return { key: m[2]!, offset: at + m[1]!.length, above: above[2]!, column: above[1]!.length + 1 };
  }
  return null;
}

/**
 * One issue for a document that does not parse: the first error is the cause, the ones after it
 * are usually its echo (a stray tab yields a dozen), so they are counted, not listed.
 */
function syntaxIssue(doc: Document.Parsed, text: string, file: string, lineCounter: LineCounter): ModelIssue {
  const errors = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  // The parser reports a stack overflow per nesting level; the outermost one is where it starts.
  const overflow = errors.find((e) => /call stack/i.test(e.message));
  const err = overflow ?? errors[0]!;
  let pos = lineCounter.linePos(err.pos[0]);
  let message: string;
  let deeper: ReturnType<typeof deeperKey> = null;
  // An unclosed bracket or quote is reported where the parser gave up (often the next line or the
  // end of the file); the author needs the place where it was opened.
  const unclosed = overflow ? null : openerOf(err.message, text, err.pos[0]);
  // Where the parser's stack ran out depends on the stack size, so name a place that does not.
  const tooDeep = overflow ? excessiveNestingOffset(text) : null;
  if (tooDeep !== null) pos = lineCounter.linePos(tooDeep);
  if (unclosed) {
    pos = lineCounter.linePos(unclosed.offset);
    message = `syntax error: ${unclosed.what} opened here is never closed`;
  } else if (overflow) message = `document nests more than ${MAX_NESTING_DEPTH} levels deep here; model files nest a few levels, so this is refused as hostile input`;
  else if (err.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':,\n}]*)/.exec(text.slice(err.pos[0], err.pos[0] + 200))?.[1]?.trim() ?? '';
    message = `duplicate key${key ? ` "${key}"` : ''}: a key may appear only once in a mapping`;
  } else if (err.code === 'TAB_AS_INDENT') message = 'syntax error: tabs are not allowed as indentation in YAML; indent with spaces';
  else if (err.code === 'BLOCK_AS_IMPLICIT_KEY' && (deeper = deeperKey(text, err.pos[0]))) {
    // "Nested mappings are not allowed in compact mappings", reported on the line above the slip:
    // the key on the next line is indented deeper than the one it should line up with.
    const d = deeper;
    pos = lineCounter.linePos(d.offset);
    message = `syntax error: "${d.key}" is indented deeper than "${d.above}" on the line above, as if it were inside that value; line it up with "${d.above}" (column ${d.column})`;
  } else message = `syntax error: ${firstLine(err.message)}`;
  const more = overflow ? 0 : errors.length - 1;
  if (more > 0) message += ` (${more} more syntax error${more > 1 ? 's' : ''} after it, probably caused by this one)`;
  return { file, line: pos.line, column: pos.col, path: '', message: displayText(message) };
}

/** Converts zod issues into located model issues (one per zod issue, capped). */
/**
 * The fields an object of `schema` may hold at `path` (array indexes step into elements; optional,
 * nullable, default and pipe wrappers are looked through), or null where that is not one object
 * (a union of shapes, say): what an "unknown field" message lists.
 */
export function fieldsAt(schema: z.ZodType, path: readonly PathSeg[]): string[] | null {
  let s = schema as z.core.$ZodType;
  const unwrap = () => {
    for (;;) {
      const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') && def.innerType) s = def.innerType;
      else if (def.type === 'pipe' && def.in) s = def.in;
      else return def;
    }
  };
  for (const seg of path) {
    const def = unwrap() as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (typeof seg === 'number' && def.type === 'array' && def.element) s = def.element;
    else if (typeof seg === 'string' && def.type === 'object' && def.shape?.[seg]) s = def.shape[seg]!;
    else return null;
  }
  const def = unwrap() as { type: string; shape?: Record<string, unknown> };
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : null;
}

export function zodIssues(parsed: ParsedModel, error: z.ZodError, schema?: z.ZodType): ModelIssue[] {
  const pathOf = (iss: z.core.$ZodIssue) => iss.path.filter((p): p is PathSeg => typeof p === 'string' || typeof p === 'number');
  const isMissing = (path: PathSeg[]) => path.length > 0 && valueAt(parsed.value, path) === undefined && isRecord(valueAt(parsed.value, path.slice(0, -1)));
  // Missing fields per parent path, so a misspelt key can be matched with the field it was meant to be.
  const missing = new Map<string, string[]>();
  for (const iss of error.issues) {
    const path = pathOf(iss);
    if (isMissing(path)) {
      const k = formatPath(path.slice(0, -1));
      missing.set(k, [...(missing.get(k) ?? []), String(path[path.length - 1])]);
    }
  }
  const chosen = onePerPath(error.issues, pathOf);
  return error.issues.filter((iss) => chosen.has(iss)).slice(0, 50).flatMap((iss) => {
    const path = pathOf(iss);
    const field = typeof path[path.length - 1] === 'string' ? String(path[path.length - 1]) : 'value';
    // Zod's defaults start with "Invalid"/"Too"; custom messages from the schemas are kept as written.
    const generic = /^(Invalid (input|option)|Too (small|big))/.test(iss.message);
    let message = iss.message;
    if (iss.code === 'unrecognized_keys') {
      // One issue per key, pointing at the key itself, so an editor underlines the misspelt word.
      const candidates = missing.get(formatPath(path)) ?? [];
      const allowed = schema ? fieldsAt(schema, path) : null;
      return iss.keys.map((k) => {
        const meant = candidates.find((m) => editDistance(m, k) <= 2) ?? allowed?.find((m) => editDistance(m, k) <= 2);
        const known = !meant && allowed?.length ? `; known here: ${allowed.join(', ')}` : '';
        return parsed.at([...path, k], `unknown field "${k}"${meant ? ` (did you mean "${meant}"?)` : ''}${known}`, { key: true });
      });
    }
    if (isMissing(path)) message = `missing required field "${field}"`;
    else if ((iss.code === 'too_small' || iss.code === 'too_big') && generic) {
      const input = valueAt(parsed.value, path);
      const bound = iss.code === 'too_small' ? iss.minimum : iss.maximum;
      const word = iss.code === 'too_small' ? 'at least' : 'at most';
      const subject = path.length === 0 ? 'the document' : `"${field}"`;
      if (Array.isArray(input)) message = `${subject} needs ${word} ${String(bound)} item${bound === 1 ? '' : 's'} (found ${input.length})`;
      else if (typeof input === 'string') message = `${subject} must be ${word} ${String(bound)} characters long (found ${input.length})`;
      else if (typeof input === 'number') message = `${subject} must be ${word} ${String(bound)} (found ${input})`;
    } else if (iss.code === 'invalid_type' && generic) {
      const received = /received (\w+)/.exec(iss.message)?.[1] ?? typeOf(valueAt(parsed.value, path));
      message = `${path.length === 0 ? 'the document' : `"${field}"`} must be ${TYPE_WORDS[iss.expected] ?? iss.expected}, not ${TYPE_WORDS[received] ?? received}`;
    } else if (iss.code === 'invalid_value' && generic) {
      message = `unknown ${field} ${foundText(valueAt(parsed.value, path))}; expected one of: ${iss.values.map(String).join(', ')}`;
    } else if ((iss.code === 'invalid_value' || iss.code === 'invalid_format' || iss.code === 'invalid_union') && !generic) {
      // A schema's own message says what is expected; add what was found unless it already does.
      const shown = foundText(valueAt(parsed.value, path));
      if (shown !== undefined && !message.includes(shown)) message += ` (found ${shown})`;
    }
    return [parsed.at(path, message)];
  });
}

/** Most issues reported for hostile text in one document; the rest are the same problem again. */
const MAX_TEXT_ISSUES = 50;

/**
 * Every string of a parsed document (values and field names) checked against the display-text
 * rule: control characters and bidirectional overrides are refused wherever they are, named with
 * the field's path and the character. Fields in `prose` (descriptions and the like) may hold line
 * breaks and tabs; every other string is one line. Runs on the raw document, before the schema,
 * so a hostile string is reported even where the schema would also refuse the value.
 */
export function plainTextIssues(parsed: ParsedModel, prose: ReadonlySet<string>): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const walk = (v: unknown, path: PathSeg[], field: string) => {
    if (issues.length >= MAX_TEXT_ISSUES) return;
    if (typeof v === 'string') {
      const problem = plainTextProblem(v, { multiline: prose.has(field) });
      if (problem) issues.push(parsed.at(path, `${field} ${problem}`));
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], field));
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const problem = plainTextProblem(k);
        if (problem && issues.length < MAX_TEXT_ISSUES) issues.push(parsed.at([...path, k], `field name ${problem}`, { key: true }));
        walk(x, [...path, k], k);
      }
    }
  };
  walk(parsed.value, [], 'value');
  return issues;
}

/** `first` and then the issues of `rest` at a path `first` does not already report: one issue per bad value. */
export function mergeIssues(first: readonly ModelIssue[], rest: readonly ModelIssue[]): ModelIssue[] {
  const seen = new Set(first.map((i) => i.path));
  return [...first, ...rest.filter((i) => !seen.has(i.path))];
}

/** A value as a message quotes it: text in quotes, NaN and Infinity as such (JSON would say null). */
function foundText(v: unknown): string | undefined {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/**
 * The zod issues to report: one per document path, so one bad value gets one message. Where a value
 * breaks several bounds (an integer beyond the safe range and beyond the format's maximum), the
 * tightest is the one the author must meet; otherwise the first check that failed. Unknown keys are
 * reported per key and kept.
 */
function onePerPath(issues: readonly z.core.$ZodIssue[], pathOf: (iss: z.core.$ZodIssue) => PathSeg[]): Set<z.core.$ZodIssue> {
  const groups = new Map<string, z.core.$ZodIssue[]>();
  const kept = new Set<z.core.$ZodIssue>();
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') kept.add(iss);
    else {
      const k = formatPath(pathOf(iss));
      groups.set(k, [...(groups.get(k) ?? []), iss]);
    }
  }
  const bound = (iss: z.core.$ZodIssue) => Number(iss.code === 'too_big' ? iss.maximum : iss.code === 'too_small' ? iss.minimum : NaN);
  for (const group of groups.values()) {
    let pick = group[0]!;
    if (group.every((i) => i.code === 'too_big')) pick = group.reduce((a, b) => (bound(b) < bound(a) ? b : a));
    else if (group.every((i) => i.code === 'too_small')) pick = group.reduce((a, b) => (bound(b) > bound(a) ? b : a));
    kept.add(pick);
  }
  return kept;
}

/** The words a YAML author uses for JSON types. */
const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (key: value fields)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty (null)',
};

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function isRecord(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The value at a document path of a parsed document, read through own properties only: a key named
 * "__proto__" or "constructor" in the file is data, never the object's prototype or its constructor.
 */
export function valueAt(root: unknown, path: readonly PathSeg[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Splits a document path such as "steps[3].controls[0].params.method" into its segments. */
export function parsePath(path: string): PathSeg[] {
  const out: PathSeg[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  return out;
}

/**
 * A locator for document paths in one model text (parsed once, asked many times); null when the
 * text does not parse. Missing nodes resolve to their nearest existing ancestor.
 */
export function pathLocator(text: string, file: string): ((path: string) => { line: number; column: number } | null) | null {
  const p = parseModelText(text, file);
  if (!p.ok) return null;
  return (path) => {
    const issue = p.parsed.at(parsePath(path), '');
    return issue.line !== undefined ? { line: issue.line, column: issue.column ?? 1 } : null;
  };
}

/** Line and column of a document path (e.g. a lint finding's "steps[3].controls[0]") in model text. */
export function locatePath(text: string, file: string, path: string): { line: number; column: number } | null {
  return pathLocator(text, file)?.(path) ?? null;
}
