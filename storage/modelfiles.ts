// Validation of workflow and scenario text at the workspace boundary: the models' own loaders, plus
// the checks that matter for storing (size before reading, strict UTF-8, a display-safe name).
// The text itself is kept exactly as given, so export returns the same bytes.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { loadWorkflowText, MAX_MODEL_FILE_BYTES, plainTextProblem, type ModelIssue } from '../models/index.ts';
import { loadScenarioText } from '../scenarios/index.ts';
import { sha256 } from './audit.ts';
import { ModelRejectedError, WorkspaceError } from './errors.ts';

export type ModelKind = 'workflow' | 'scenario';
export type ModelFormat = 'yaml' | 'json';

/** A model text that passed every check, with what the workspace indexes it by. */
export interface ValidatedModel {
  kind: ModelKind;
  id: string;
  name: string;
  format: ModelFormat;
  text: string;
  sha256: string;
  bytes: number;
}

/** yaml or json from a file name, or undefined when the extension says neither. */
export function formatFromFileName(file: string): ModelFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return undefined;
}

/** Guesses the format from the text: JSON documents start with { or [. */
export function sniffFormat(text: string): ModelFormat {
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/**
 * Validates model text with the models' loader; throws ModelRejectedError with located issues.
 * `file` only names locations in messages.
 */
export function validateModelText(kind: ModelKind, text: string, file: string, format?: ModelFormat): ValidatedModel {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new ModelRejectedError(file, [{ file, path: '', message: `file is ${bytes} bytes; model files are limited to ${MAX_MODEL_FILE_BYTES} bytes` }]);
  }
  // The loaders see the text without a byte-order mark; the stored text keeps it.
  const body = text.replace(/^\uFEFF/, '');
  let result: { ok: true; value: { id: string; name: string } } | { ok: false; issues: ModelIssue[] };
  try {
    result = kind === 'workflow' ? loadWorkflowText(body, file) : loadScenarioText(body, file);
  } catch (e) {
    // The loaders refuse deep nesting themselves (models' parseModelText); should anything else in
    // hostile input still exhaust the stack, it must not escape as a crash.
    const message = e instanceof RangeError ? 'document is nested too deeply to read' : `cannot read document: ${(e as Error).message}`;
    throw new ModelRejectedError(file, [{ file, path: '', message }]);
  }
  if (!result.ok) throw new ModelRejectedError(file, result.issues);
  const { id, name } = result.value;
  const nameProblem = displayTextProblem(name);
  if (nameProblem) throw new ModelRejectedError(file, [locate(text, file, name, 'name', `name ${nameProblem}`)]);
  return { kind, id, name, format: format ?? sniffFormat(text), text, sha256: sha256(text), bytes };
}

/**
 * Why a name is unfit to list and print, or null. Names are shown in lists, terminals, audit logs
 * and exported reports, several of which are not HTML-escaping React views; markup is refused in
 * the name a workspace lists, and control characters and bidirectional overrides (which can
 * disguise text) by the one display-text rule, which the loaders already apply to every field.
 */
export function displayTextProblem(s: string): string | null {
  if (/<\s*[a-zA-Z!/?]/.test(s)) return 'contains HTML markup; names must be plain text';
  return plainTextProblem(s);
}

function locate(raw: string, file: string, needle: string, path: string, message: string): ModelIssue {
  // Lines as the loaders count them: CR-only and CRLF endings read as LF.
  const text = raw.replace(/\r\n?/g, '\n');
  const at = text.indexOf(needle);
  if (at < 0) return { file, path, message };
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { file, line, column, path, message };
}

/**
 * Reads a model file for import: refuses a missing, oversized (checked before reading) or non-UTF-8
 * file. Returns the exact text, byte-order mark included.
 */
export function readModelFileForImport(path: string): { text: string; fileName: string; format: ModelFormat | undefined } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new WorkspaceError('not-a-file', path, 'is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof WorkspaceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkspaceError('not-found', path, 'file not found');
    throw new WorkspaceError('io', path, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
  if (size > MAX_MODEL_FILE_BYTES) {
    throw new ModelRejectedError(path, [{ file: path, path: '', message: `file is ${size} bytes; model files are limited to ${MAX_MODEL_FILE_BYTES} bytes` }]);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WorkspaceError('io', path, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new ModelRejectedError(path, [{ file: path, path: '', message: 'file is not valid UTF-8 text' }]);
  }
  return { text, fileName: basename(path), format: formatFromFileName(path) };
}
