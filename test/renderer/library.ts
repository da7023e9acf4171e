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

/**
 * A workflow whose takeover paths multiply: n proofing steps whose next and on_fail both lead on
 * (2^n ways through), then a gate whose on_fail loops back to the start. Against the OSINT caller,
 * who may loop back twice, that is 2^n + 2^2n + 2^3n paths: past 2^53 from n = 18.
 */
export function branchingWorkflowText(n: number): string {
  const steps = Array.from(
    { length: n },
    (_, i) =>
      `  - { id: s${i}, name: Knowledge check ${i + 1}, kind: proofing, actor: tier1, controls: [{ control: proofing.ial2, params: { method: kbv }, enforcement: system }], next: ${i + 1 < n ? `s${i + 1}` : 'gate'}, on_fail: ${i + 1 < n ? `s${i + 1}` : 'gate'} }`,
  );
  return `resetpath: workflow/1
id: branching-${n}
name: Branching reset (${n} knowledge checks)
account_classes: [standard_employee]
actors: [{ id: tier1, kind: agent }]
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: s0 }
${steps.join('\n')}
  - { id: gate, name: Personal-data check, kind: proofing, actor: tier1, controls: [{ control: proofing.ial2, params: { method: pii }, enforcement: system }], next: reset, on_fail: intake }
  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }
  - { id: done, kind: end }
`;
}

export function branchingWorkflow(n: number): Workflow {
  return loadWorkflowOrThrow(branchingWorkflowText(n), `branching-${n}.yaml`);
}

/**
 * A long workflow made of linear runs: intake, then `n` knowledge checks in a chain where every
 * `branchEvery`-th check fails over to a fallback call-back that rejoins the chain at the next
 * check, then a reset and the end. Between the branches, runs of one-way-in, one-way-out steps.
 */
export function chainWorkflowText(n: number, branchEvery = 25): string {
  const id = (i: number) => (i < n ? `check_${i + 1}` : 'reset');
  const steps: string[] = [];
  for (let i = 0; i < n; i++) {
    const branch = (i + 1) % branchEvery === 0 && i + 1 < n;
    steps.push(
      `  - { id: ${id(i)}, name: Knowledge check ${i + 1}, kind: proofing, actor: tier1, controls: [{ control: proofing.ial2, params: { method: kbv }, enforcement: system }], next: ${id(i + 1)}${branch ? `, on_fail: fallback_${i + 1}` : ''} }`,
    );
    if (branch) steps.push(`  - { id: fallback_${i + 1}, name: Fallback call-back ${i + 1}, kind: callback, actor: tier1, next: ${id(i + 1)} }`);
  }
  return `resetpath: workflow/1
id: chain-${n}
name: Long chain reset (${n} knowledge checks)
account_classes: [standard_employee]
actors: [{ id: tier1, kind: agent }]
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: check_1 }
${steps.join('\n')}
  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }
  - { id: done, kind: end }
`;
}

export function chainWorkflow(n: number, branchEvery = 25): Workflow {
  return loadWorkflowOrThrow(chainWorkflowText(n, branchEvery), `chain-${n}.yaml`);
}
