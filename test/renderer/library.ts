// The bundled library as the renderer sees it: file texts parsed with the same pure loaders the
// renderer uses for what-if, so these tests exercise the renderer's real inputs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { loadScenarioOrThrow, type Scenario } from '../../scenarios/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export function bundledWorkflow(id: string): Workflow {
  const file = join(ROOT, 'models/library', `${id}.yaml`);
  return loadWorkflowOrThrow(readFileSync(file, 'utf8'), file);
}

export function bundledWorkflowIds(): string[] {
  return readdirSync(join(ROOT, 'models/library'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export function bundledScenarios(): Scenario[] {
  const dir = join(ROOT, 'scenarios/library');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadScenarioOrThrow(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
