// The bundled workflows and scenarios with their exact file text, loaded once per process: the
// files ship with the app and never change while it runs. Listing them needs only a few fields,
// which a build-time index (out/library-index.json, written by `vite build --mode host`) holds
// per file content hash; a model is then parsed only when something needs it (an analysis, or a
// file the index does not know), because loading all of them cold costs half a second at start.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorkflowText, ModelFileError, type LoadResult, type Workflow } from '../models/index.ts';
import { loadScenarioText, type Scenario } from '../scenarios/index.ts';
import { libraryFiles, readModelFile, SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from './library.ts';

/** What library.list shows of a model; derived from the model, or read from the index. */
export type ModelSummaryFields =
  | { kind: 'workflow'; id: string; name: string; family: string; variant: string; accountClasses: string[] }
  | { kind: 'scenario'; id: string; name: string; targetClass: string; capabilities: string[]; reference: string | null };

/** A bundled model file: its text, its summary, and the validated model (parsed on first use). */
export interface BundledModel<T> {
  readonly model: T;
  readonly summary: ModelSummaryFields;
  text: string;
  fileName: string;
  format: 'yaml' | 'json';
  sha256: string;
}

export interface BundledLibrary {
  workflows: ReadonlyMap<string, BundledModel<Workflow>>;
  scenarios: ReadonlyMap<string, BundledModel<Scenario>>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build writes the index (next to the bundled host, out/serve.mjs). */
export const LIBRARY_INDEX_FILE = join(ROOT, 'out', 'library-index.json');

interface IndexFile {
  format: 'resetpath/library-index@1';
  entries: (ModelSummaryFields & { sha256: string })[];
}

let cached: BundledLibrary | undefined;

/** The summary fields of a loaded workflow or scenario. */
export function summaryOf(kind: 'workflow' | 'scenario', model: Workflow | Scenario): ModelSummaryFields {
  if (kind === 'workflow') {
    const w = model as Workflow;
    return { kind, id: w.id, name: w.name, family: w.family, variant: w.variant, accountClasses: [...w.accountClasses] };
  }
  const s = model as Scenario;
  return { kind, id: s.id, name: s.name, targetClass: s.target.accountClass, capabilities: [...s.attacker.capabilities], reference: s.reference ?? null };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function readIndex(): Map<string, ModelSummaryFields> {
  const out = new Map<string, ModelSummaryFields>();
  if (!existsSync(LIBRARY_INDEX_FILE)) return out;
  try {
    const idx = JSON.parse(readFileSync(LIBRARY_INDEX_FILE, 'utf8')) as IndexFile;
    if (idx.format !== 'resetpath/library-index@1' || !Array.isArray(idx.entries)) return out;
    for (const { sha256: h, ...summary } of idx.entries) out.set(`${summary.kind}:${h}`, summary as ModelSummaryFields);
  } catch {
    // A damaged index only costs the parse it was meant to save.
  }
  return out;
}

/** The bundled library, read on first use; a broken bundled file is a bug, so this throws. */
export function bundledLibrary(): BundledLibrary {
  if (!cached) {
    const index = readIndex();
    cached = {
      workflows: loadDir('workflow', WORKFLOW_LIBRARY_DIR, 'models/library', loadWorkflowText, index),
      scenarios: loadDir('scenario', SCENARIO_LIBRARY_DIR, 'scenarios/library', loadScenarioText, index),
    };
  }
  return cached;
}

function loadDir<T extends Workflow | Scenario>(
  kind: 'workflow' | 'scenario',
  dir: string,
  label: string,
  load: (text: string, file: string) => LoadResult<T>,
  index: Map<string, ModelSummaryFields>,
): Map<string, BundledModel<T>> {
  const out = new Map<string, BundledModel<T>>();
  for (const path of libraryFiles(dir)) {
    const fileName = basename(path);
    const read = readModelFile(path);
    if (!read.ok) throw new ModelFileError(read.issues);
    const text = read.value;
    const hash = sha256(text);
    // The same file label the CLI's loadBundled* use, so reports name bundled files identically.
    const parse = (): T => {
      const r = load(text, `${label}/${fileName}`);
      if (!r.ok) throw new ModelFileError(r.issues);
      return r.value;
    };
    let model: T | undefined;
    const known = index.get(`${kind}:${hash}`);
    if (!known) model = parse();
    const summary = known ?? summaryOf(kind, model!);
    out.set(summary.id, {
      get model() {
        model ??= parse();
        return model;
      },
      summary,
      text,
      fileName,
      format: extname(fileName).toLowerCase() === '.json' ? 'json' : 'yaml',
      sha256: hash,
    });
  }
  return out;
}

/** Writes the library index for the current bundled files (run at build time). */
export function writeLibraryIndex(file = LIBRARY_INDEX_FILE): number {
  const entries: IndexFile['entries'] = [];
  for (const [kind, dir, load] of [
    ['workflow', WORKFLOW_LIBRARY_DIR, loadWorkflowText],
    ['scenario', SCENARIO_LIBRARY_DIR, loadScenarioText],
  ] as const) {
    for (const path of libraryFiles(dir)) {
      const read = readModelFile(path);
      if (!read.ok) throw new ModelFileError(read.issues);
      const r = (load as (t: string, f: string) => LoadResult<Workflow | Scenario>)(read.value, path);
      if (!r.ok) throw new ModelFileError(r.issues);
      entries.push({ ...summaryOf(kind, r.value), sha256: sha256(read.value) });
    }
  }
  const doc: IndexFile = { format: 'resetpath/library-index@1', entries };
  writeFileSync(file, `${JSON.stringify(doc)}\n`);
  return entries.length;
}
