// The bundled workflows and scenarios with their exact file text, loaded once per process: the
// files ship with the app and never change while it runs, and loading all of them costs about
// 200 ms, too much to repeat on every library.list or analysis.run.
import { basename, extname } from 'node:path';
import { loadWorkflowText, ModelFileError, type LoadResult, type Workflow } from '../models/index.ts';
import { loadScenarioText, type Scenario } from '../scenarios/index.ts';
import { libraryFiles, readModelFile, SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from './library.ts';

/** A bundled model file: the validated model and the text it was loaded from. */
export interface BundledModel<T> {
  model: T;
  text: string;
  fileName: string;
  format: 'yaml' | 'json';
}

export interface BundledLibrary {
  workflows: ReadonlyMap<string, BundledModel<Workflow>>;
  scenarios: ReadonlyMap<string, BundledModel<Scenario>>;
}

let cached: BundledLibrary | undefined;

/** The bundled library, loaded on first use; a broken bundled file is a bug, so this throws. */
export function bundledLibrary(): BundledLibrary {
  cached ??= {
    workflows: loadDir(WORKFLOW_LIBRARY_DIR, 'models/library', loadWorkflowText),
    scenarios: loadDir(SCENARIO_LIBRARY_DIR, 'scenarios/library', loadScenarioText),
  };
  return cached;
}

function loadDir<T extends { id: string }>(
  dir: string,
  label: string,
  load: (text: string, file: string) => LoadResult<T>,
): Map<string, BundledModel<T>> {
  const out = new Map<string, BundledModel<T>>();
  for (const path of libraryFiles(dir)) {
    const fileName = basename(path);
    const read = readModelFile(path);
    if (!read.ok) throw new ModelFileError(read.issues);
    // The same file label the CLI's loadBundled* use, so reports name bundled files identically.
    const r = load(read.value, `${label}/${fileName}`);
    if (!r.ok) throw new ModelFileError(r.issues);
    out.set(r.value.id, { model: r.value, text: read.value, fileName, format: extname(fileName).toLowerCase() === '.json' ? 'json' : 'yaml' });
  }
  return out;
}
