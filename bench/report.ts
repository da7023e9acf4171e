// The accountability report for the whole bundled library (`npm run bench:report`; not a timed
// test): one pass from the files to every format but PDF — analysis of every workflow against every
// scenario, lint, the report model, then Markdown, HTML, CSV, the remediation CSV, JSON, the ATT&CK
// Navigator layer and OSCAL assessment results and POA&M — in one process, as `resetpath report`
// does for one format. Each stage is timed; the total is the figure the issue's target is about.
// Writes the "Accountability report" section of docs/benchmarks.md; --quick does 3 runs and writes nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAccountabilityReport, navigatorLayer } from '../analysis/index.ts';
import { accountabilityCsv, accountabilityHtml, accountabilityMarkdown, oscalAssessmentResults, oscalPoam, remediationCsv, runAnalysis } from '../backend/index.ts';
import { jsonOut } from '../cli/text.ts';
import { lintWorkflow } from '../models/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 15;
const TARGET_MS = 2000;
const STAGES = ['analysis', 'lint + report model', 'md', 'html', 'csv', 'csv-remediation', 'json', 'navigator', 'oscal-ar', 'oscal-poam'] as const;
type Stage = (typeof STAGES)[number];

function once(): { times: Record<Stage, number>; bytes: Partial<Record<Stage, number>>; total: number } {
  const times = {} as Record<Stage, number>;
  const bytes: Partial<Record<Stage, number>> = {};
  const t0 = performance.now();
  let t = t0;
  const lap = (stage: Stage, out?: string) => {
    const now = performance.now();
    times[stage] = now - t;
    if (out !== undefined) bytes[stage] = Buffer.byteLength(out, 'utf8');
    t = now;
  };
  const res = runAnalysis({ workflows: [], library: true });
  if (!res.ok) throw new Error(`the library did not analyse: ${res.issues.map((i) => i.message).join('; ')}`);
  lap('analysis');
  const opts = { generatedAt: '2026-01-01T00:00:00.000Z', toolVersion: 'bench', scenarios: res.scenarios };
  const doc = buildAccountabilityReport(res.analyses, Object.fromEntries(res.workflows.map((w) => [w.id, lintWorkflow(w)])), opts);
  lap('lint + report model');
  lap('md', accountabilityMarkdown(doc));
  lap('html', accountabilityHtml(doc, { workflows: res.workflows }));
  lap('csv', accountabilityCsv(doc));
  lap('csv-remediation', remediationCsv(doc));
  lap('json', jsonOut(doc));
  lap('navigator', jsonOut(navigatorLayer(res.report, opts)));
  lap('oscal-ar', jsonOut(oscalAssessmentResults(doc)));
  lap('oscal-poam', jsonOut(oscalPoam(doc)));
  return { times, bytes, total: performance.now() - t0 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

const first = once();
const runs = Array.from({ length: RUNS }, () => once());
const totals = runs.map((r) => r.total);
const med = median(totals);
console.log(`first run ${fmt(first.total)}; median ${fmt(med)} over ${RUNS} runs (target ${TARGET_MS} ms)`);
for (const s of STAGES) console.log(`  ${s}: ${fmt(median(runs.map((r) => r.times[s])))}`);

if (!quick) {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    '<!-- bench:report:start -->',
    `Command: \`npm run bench:report\` (bench/report.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Date: ${date} UTC. Load average when it finished: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    'The accountability report of the whole bundled library (every workflow against every scenario) in every',
    'format but PDF, from the model files, in one process: analysis, lint and the report model once, then each',
    `renderer. The first run (cold JIT), then the median of ${RUNS} runs.`,
    '',
    '| stage | median | output |',
    '|---|---|---|',
    ...STAGES.map((s) => `| ${s} | ${fmt(median(runs.map((r) => r.times[s])))} | ${first.bytes[s] !== undefined ? `${Math.round(first.bytes[s]! / 1024)} KiB` : ''} |`),
    `| **all formats** | **${fmt(med)}** (min ${fmt(Math.min(...totals))}, first run ${fmt(first.total)}) | |`,
    '',
    `Target: under ${TARGET_MS} ms — **${med < TARGET_MS ? 'met' : 'not met'}**. As whole processes, \`node bin/resetpath.js report --library --format <f>\` re-analyses for each format; the figure above is one analysis shared by all formats, as an app or a pipeline writing several formats would do it.`,
    '<!-- bench:report:end -->',
  ];
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:report:start -->[\s\S]*<!-- bench:report:end -->/;
  const section = lines.join('\n');
  writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n## Accountability report\n\n${section}\n`);
  console.log('wrote docs/benchmarks.md');
}
