// The published JSON Schemas are generated from the loaders' zod schemas and must never drift from
// them; they must also accept every bundled file, so an editor never flags a valid workflow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { libraryFiles, loadBundledScenarios, loadBundledWorkflows, SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from '../../backend/library.ts';
import { DESK_PROFILE_DIR } from '../../backend/simulation.ts';
import { generateSchemas, SCHEMA_DIR } from '../../scripts/write-schemas.ts';
import { validate } from './json-schema.ts';

const committed = (name: string) => readFileSync(join(SCHEMA_DIR, name), 'utf8');
const schema = (name: string) => JSON.parse(committed(name)) as Record<string, unknown>;

const MINIMAL = {
  resetpath: 'workflow/1',
  id: 'schema.check',
  name: 'Schema check',
  account_classes: ['standard_employee'],
  actors: [{ id: 'agent', kind: 'agent' }],
  start: 'intake',
  steps: [
    { id: 'intake', kind: 'intake', next: 'verify' },
    { id: 'verify', kind: 'proofing', controls: [{ control: 'proofing.ial2', params: { method: 'in_person' } }], next: 'done' },
    { id: 'done', kind: 'end' },
  ],
};

describe('published JSON Schemas', () => {
  it('equal what `npm run schemas` generates now (run it and commit when this fails)', () => {
    const fresh = generateSchemas();
    expect(Object.keys(fresh).sort()).toEqual(['accountability.schema.json', 'analysis.schema.json', 'desk.schema.json', 'scenario.schema.json', 'workflow.schema.json']);
    for (const [name, text] of Object.entries(fresh)) expect(committed(name), name).toBe(text);
  });

  it('identify themselves with $id, title and description', () => {
    for (const name of ['workflow.schema.json', 'scenario.schema.json', 'desk.schema.json', 'analysis.schema.json', 'accountability.schema.json']) {
      const s = schema(name);
      expect(s['$schema']).toBe('http://json-schema.org/draft-07/schema#');
      expect(s['$id']).toMatch(/^urn:resetpath:schema:(workflow|scenario|desk|analysis|accountability)\/1$/);
      expect(String(s['title'])).toContain('ResetPath');
      expect(String(s['description']).length).toBeGreaterThan(40);
    }
  });

  it('accept every bundled workflow', () => {
    const files = libraryFiles(WORKFLOW_LIBRARY_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(validate(schema('workflow.schema.json'), parse(readFileSync(f, 'utf8'))), f).toEqual([]);
  });

  it('accept every bundled scenario', () => {
    for (const f of libraryFiles(SCENARIO_LIBRARY_DIR)) expect(validate(schema('scenario.schema.json'), parse(readFileSync(f, 'utf8'))), f).toEqual([]);
  });

  it('accept every bundled desk profile, and refuse a misspelt field in one', () => {
    const files = libraryFiles(DESK_PROFILE_DIR);
    expect(files.length).toBe(3);
    for (const f of files) expect(validate(schema('desk.schema.json'), parse(readFileSync(f, 'utf8'))), f).toEqual([]);
    const doc = parse(readFileSync(files[0]!, 'utf8')) as Record<string, unknown>;
    expect(validate(schema('desk.schema.json'), { ...doc, agnets: [] }).join('\n')).toContain('.agnets: not allowed');
  });

  it('offer each control its own catalogue parameters, so an editor flags a value the loader would refuse', () => {
    const s = schema('workflow.schema.json');
    expect(validate(s, MINIMAL)).toEqual([]);
    const badValue = structuredClone(MINIMAL);
    badValue.steps[1]!.controls![0]!.params = { method: 'horoscope' };
    expect(validate(s, badValue).join('\n')).toContain('.steps[1].controls[0].params.method: "horoscope" not in enum');
    const unknownParam = structuredClone(MINIMAL);
    unknownParam.steps[1]!.controls![0]!.params = { method: 'in_person', strength: 'high' } as { method: string };
    expect(validate(s, unknownParam).join('\n')).toContain('.steps[1].controls[0].params.strength: not allowed');
  });

  it('accept the analysis report of the whole bundled library (every workflow x every scenario), as `resetpath analyze --format json` writes it', () => {
    const scenarios = loadBundledScenarios();
    const report = buildAnalysisReport(loadBundledWorkflows().map((w) => analyzeWorkflow(w, scenarios)));
    // Through JSON, as a consumer of the CLI's output receives it.
    const doc = JSON.parse(JSON.stringify(report)) as unknown;
    expect(validate(schema('analysis.schema.json'), doc)).toEqual([]);
    expect(report.workflows.flatMap((w) => w.scenarios.flatMap((s) => s.classes)).length).toBeGreaterThan(0);
  });

  it('refuse an analysis report with an outcome or gap status the engine never produces, or an unknown field', () => {
    const s = schema('analysis.schema.json');
    const wf = loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!;
    const doc = JSON.parse(JSON.stringify(buildAnalysisReport([analyzeWorkflow(wf, loadBundledScenarios().filter((x) => x.id === 's01-osint-vishing'))]))) as {
      workflows: { scenarios: { outcome: string; classes: { gaps: { status: string }[] }[] }[] }[];
    };
    expect(validate(s, doc)).toEqual([]);
    const badOutcome = structuredClone(doc);
    badOutcome.workflows[0]!.scenarios[0]!.outcome = 'compromised';
    expect(validate(s, badOutcome).join('\n')).toContain('.workflows[0].scenarios[0].outcome: "compromised" not in enum');
    const badStatus = structuredClone(doc);
    badStatus.workflows[0]!.scenarios[0]!.classes[0]!.gaps[0]!.status = 'missing';
    expect(validate(s, badStatus).join('\n')).toContain('.status: "missing" not in enum');
    expect(validate(s, { ...doc, verdict: 'bad' }).join('\n')).toContain('.verdict: not allowed');
  });

  it('refuse a misspelt field and a wrong format version', () => {
    const s = schema('workflow.schema.json');
    expect(validate(s, { ...MINIMAL, resetpath: 'workflow/2' }).join('\n')).toContain('.resetpath: expected "workflow/1"');
    expect(validate(s, { ...MINIMAL, stat: 'intake' }).join('\n')).toContain('.stat: not allowed');
  });
});
