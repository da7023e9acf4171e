// Parsing of model files (YAML or JSON) with source positions, so every error can name the file,
// the line and column, and the path inside the document. Pure: callers read the bytes.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

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

/** "file:line:col: message (at path)" — the format editors and CI logs understand. */
export function formatIssue(i: ModelIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${where}: ${i.message}${i.path ? ` (at ${i.path})` : ''}`;
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
  /** Issues with positions for a document path (walks up to the nearest existing node). */
  at(path: readonly PathSeg[], message: string): ModelIssue;
}

/** Parses YAML or JSON text; returns the value and a locator, or the syntax issues. */
export function parseModelText(text: string, file: string): { ok: true; parsed: ParsedModel } | { ok: false; issues: ModelIssue[] } {
  if (text.length > MAX_MODEL_FILE_BYTES) {
    return {
      ok: false,
      issues: [{ file, path: '', message: `file is ${text.length} bytes; model files are limited to ${MAX_MODEL_FILE_BYTES} bytes` }],
    };
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { ok: false, issues: [{ file, path: '', message: `cannot parse: ${(e as Error).message}` }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.slice(0, 20).map((err) => {
        const pos = lineCounter.linePos(err.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: `syntax error: ${firstLine(err.message)}` };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { ok: false, issues: [{ file, path: '', message: `cannot read document: ${firstLine((e as Error).message)}` }] };
  }
  const at = (path: readonly PathSeg[], message: string): ModelIssue => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as PathSeg[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { file, line: pos.line, column: pos.col, path: formatPath(path), message };
      }
    }
    return { file, path: formatPath(path), message };
  };
  return { ok: true, parsed: { file, value, at } };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** Converts zod issues into located model issues (one per zod issue, capped). */
export function zodIssues(parsed: ParsedModel, error: z.ZodError): ModelIssue[] {
  return error.issues.slice(0, 50).map((iss) => {
    const path = iss.path.filter((p): p is PathSeg => typeof p === 'string' || typeof p === 'number');
    let message = iss.message;
    if (iss.code === 'unrecognized_keys') message = `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    if (iss.code === 'invalid_type' && /received undefined/.test(iss.message)) message = `missing required field "${String(path[path.length - 1])}"`;
    return parsed.at(path, message);
  });
}
