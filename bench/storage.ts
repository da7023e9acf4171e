// Storage benchmark (not a timed test): (a) saving a workflow revision with its audit entry, and
// (b) opening and listing a workspace of 1,000 workflows and 10,000 runs.
// Run: npx tsx bench/storage.ts   (or npm run bench:storage). Results go in docs/benchmarks.md.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorkflowText } from '../models/index.ts';
import { Workspace } from '../storage/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAVES = 1000;
const WARMUP = 50;
const WORKFLOWS = 1000;
const RUNS = 10_000;
const LOAD_REPEATS = 7;

/** A real bundled workflow, so parsing and validation cost what they cost in use. */
const WORKFLOW = readFileSync(join(ROOT, 'models', 'library', 'standard-password-reset.hardened.yaml'), 'utf8');

function variant(id: string, n: number): string {
  return WORKFLOW.replace(/^id: .*$/m, `id: ${id}`).concat(`\n# revision note ${n}\n`);
}

/** A run result shaped like an analysis: a few takeover paths with steps and attributions. */
function result(i: number): unknown {
  return {
    paths: Array.from({ length: 4 }, (_, p) => ({
      id: `p${p}`,
      steps: ['intake', 'route', 'verify', 'approve', 'reset', 'notify'].map((s) => ({ step: s, verdict: (i + p) % 3 ? 'passed' : 'defeated' })),
      gaps: [{ control: 'proofing.ial2', owner: 'service_desk_manager', refs: ['nist-800-63-4:IAL2', 'csf-2.0:PR.AA-02'] }],
    })),
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function ms(x: number): string {
  return `${x.toFixed(3)} ms`;
}

const dir = mkdtempSync(join(tmpdir(), 'resetpath-bench-'));
try {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}, ${process.platform}`);

  // (a) saving a revision: validation with the models' loader, the revision row, the audit entry,
  // one IMMEDIATE transaction, synchronous=FULL commit.
  const savePath = join(dir, 'save.resetpath');
  const ws = Workspace.create(savePath);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + SAVES; i++) {
    const text = variant('bench.save', i);
    const t0 = performance.now();
    ws.saveWorkflowRevision({ text, reason: 'benchmark' });
    const t = performance.now() - t0;
    if (i >= WARMUP) times.push(t);
  }
  const audit = ws.verifyAudit();
  ws.close();
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`(a) save workflow revision + audit entry, ${SAVES} saves: median ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}, p99 ${ms(quantile(times, 0.99))}, mean ${ms(mean)} (audit verifies: ${audit.ok}, ${audit.entries} entries)`);
  // How much of a save is the models' loader (YAML parse + schema + cross-checks) rather than storage.
  const loads: number[] = [];
  for (let i = 0; i < WARMUP + SAVES; i++) {
    const text = variant('bench.save', i);
    const t0 = performance.now();
    loadWorkflowText(text, 'bench.yaml');
    if (i >= WARMUP) loads.push(performance.now() - t0);
  }
  loads.sort((a, b) => a - b);
  console.log(`    of which validation by the models' loader alone: median ${ms(quantile(loads, 0.5))}, p95 ${ms(quantile(loads, 0.95))} (a ${WORKFLOW.length}-byte workflow)`);

  // (b) generate 1,000 workflows and 10,000 runs through the API, then time open + list.
  const loadPath = join(dir, 'load.resetpath');
  const gen = Workspace.create(loadPath);
  const g0 = performance.now();
  for (let w = 0; w < WORKFLOWS; w++) gen.saveWorkflowRevision({ text: variant(`bench.wf${String(w).padStart(4, '0')}`, 0) });
  for (let r = 0; r < RUNS; r++) {
    const w = r % WORKFLOWS;
    gen.saveRun({ kind: 'analysis', workflow: { id: `bench.wf${String(w).padStart(4, '0')}`, revision: 1 }, scenarioIds: ['s01-osint-vishing', 's04-sim-swap-sspr'], summary: { paths: 4, privileged: r % 7 === 0 }, result: result(r) });
  }
  gen.close();
  const size = statSync(loadPath).size;
  console.log(`    generated ${WORKFLOWS} workflows + ${RUNS} runs in ${((performance.now() - g0) / 1000).toFixed(1)} s; file ${(size / 1024 / 1024).toFixed(1)} MB`);

  const opens: number[] = [];
  const loadsRo: number[] = [];
  let counts = '';
  for (let i = 0; i < LOAD_REPEATS; i++) {
    for (const readOnly of [false, true]) {
      const t0 = performance.now();
      const w = Workspace.open(loadPath, { readOnly });
      const workflows = w.listWorkflows();
      const runs = w.listRuns();
      const t = performance.now() - t0;
      w.close();
      (readOnly ? loadsRo : opens).push(t);
      counts = `${workflows.length} workflows, ${runs.length} runs`;
    }
  }
  opens.sort((a, b) => a - b);
  loadsRo.sort((a, b) => a - b);
  console.log(`(b) open for writing + listWorkflows + listRuns (${counts}), ${LOAD_REPEATS} times: median ${ms(quantile(opens, 0.5))}, max ${ms(opens[opens.length - 1]!)}`);
  console.log(`    same, opened read-only: median ${ms(quantile(loadsRo, 0.5))}, max ${ms(loadsRo[loadsRo.length - 1]!)}`);

  const v = Workspace.open(loadPath, { readOnly: true });
  const v0 = performance.now();
  const verified = v.verifyAudit();
  console.log(`    verifyAudit over ${verified.entries} entries and their content: ${ms(performance.now() - v0)} (ok: ${verified.ok})`);
  v.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
