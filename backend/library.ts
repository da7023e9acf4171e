// Reads model files from disk (the bundled library and user files) and hands them to the pure
// loaders; I/O problems become the same located issues as content problems.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorkflowText, MAX_MODEL_FILE_BYTES, ModelFileError, type LoadResult, type Workflow } from '../models/index.ts';
import { loadScenarioText, type Scenario } from '../scenarios/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKFLOW_LIBRARY_DIR = join(ROOT, 'models', 'library');
export const SCENARIO_LIBRARY_DIR = join(ROOT, 'scenarios', 'library');

const MODEL_EXT = /\.(ya?ml|json)$/i;

/** Reads a model file as text, or returns an issue naming the file and the I/O problem. */
export function readModelFile(path: string): LoadResult<string> {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, issues: [{ file: path, path: '', message: 'not a regular file' }] };
    if (st.size > MAX_MODEL_FILE_BYTES) {
      return { ok: false, issues: [{ file: path, path: '', message: `file is ${st.size} bytes; model files are limited to ${MAX_MODEL_FILE_BYTES} bytes` }] };
    }
    const buf = readFileSync(path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return { ok: true, value: text.replace(/^\uFEFF/, '') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      err.code === 'ENOENT' ? 'file not found' : err.code === 'EACCES' ? 'permission denied' : err instanceof TypeError ? 'file is not valid UTF-8 text' : `cannot read file (${err.code ?? err.message})`;
    return { ok: false, issues: [{ file: path, path: '', message }] };
  }
}

/** Loads a workflow file from disk. */
export function loadWorkflowFile(path: string): LoadResult<Workflow> {
  const t = readModelFile(path);
  return t.ok ? loadWorkflowText(t.value, path) : t;
}

/** Loads a scenario file from disk. */
export function loadScenarioFile(path: string): LoadResult<Scenario> {
  const t = readModelFile(path);
  return t.ok ? loadScenarioText(t.value, path) : t;
}

/** Model files of a library folder, sorted by name so results are deterministic. */
export function libraryFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => MODEL_EXT.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** The bundled workflows; a broken bundled file is a bug, so this throws. */
export function loadBundledWorkflows(): Workflow[] {
  return libraryFiles(WORKFLOW_LIBRARY_DIR).map((f) => {
    const r = loadWorkflowFile(f);
    if (!r.ok) throw new ModelFileError(r.issues);
    return { ...r.value, file: `models/library/${basename(f)}` };
  });
}

/** The bundled scenarios; a broken bundled file is a bug, so this throws. */
export function loadBundledScenarios(): Scenario[] {
  return libraryFiles(SCENARIO_LIBRARY_DIR).map((f) => {
    const r = loadScenarioFile(f);
    if (!r.ok) throw new ModelFileError(r.issues);
    return { ...r.value, file: `scenarios/library/${basename(f)}` };
  });
}
