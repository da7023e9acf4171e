// Every malformed model file must fail with an error that names the file, the place (line and
// column, or the document path when there is no position) and what is wrong — never a crash.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, loadWorkflowFile } from '../../backend/index.ts';
import { excessiveNestingOffset, MAX_NESTING_DEPTH, type ModelIssue } from '../../models/index.ts';
import { SCENARIO_CASES, SCENARIO_FIXTURES, WORKFLOW_CASES, WORKFLOW_FIXTURES, writeGeneratedFixtures, type Expected } from '../fixtures/invalid-cases.ts';

/** Files too big to commit, written by the test into a temporary folder. */
const generatedDir = mkdtempSync(join(tmpdir(), 'resetpath-invalid-'));
afterAll(() => rmSync(generatedDir, { recursive: true, force: true }));
const GENERATED_CASES = writeGeneratedFixtures(generatedDir);

function expectIssue(issues: ModelIssue[], file: string, e: Expected): void {
  expect(issues.length).toBeGreaterThan(0);
  const first = issues[0]!;
  expect(first.file).toBe(file);
  expect(first.message).toContain(e.message);
  if (e.line !== undefined) expect(first.line).toBe(e.line);
  if (e.column !== undefined) expect(first.column).toBe(e.column);
  if (e.path !== undefined) expect(first.path).toBe(e.path);
  // Every issue says where: a position, or failing that a document path, or (for unreadable bytes) the whole file.
  for (const i of issues) expect(i.line !== undefined || i.path !== '' || e.line === undefined).toBe(true);
}

describe('malformed workflow files', () => {
  it('has an expectation for every committed fixture, and at least 22 of them', () => {
    expect(readdirSync(WORKFLOW_FIXTURES).sort()).toEqual(Object.keys(WORKFLOW_CASES).sort());
    expect(Object.keys(WORKFLOW_CASES).length).toBeGreaterThanOrEqual(22);
  });

  it.each(Object.entries(WORKFLOW_CASES))('refuses %s, naming the file, the place and the problem', (name, e) => {
    const file = join(WORKFLOW_FIXTURES, name);
    const r = loadWorkflowFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expectIssue(r.issues, file, e);
  });

  it.each(Object.entries(GENERATED_CASES))('refuses the generated %s without parsing it to the end', (name, e) => {
    const file = join(generatedDir, name);
    const r = loadWorkflowFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expectIssue(r.issues, file, e);
  });
});

describe('malformed scenario files', () => {
  it('has an expectation for every committed fixture, and at least 16 of them', () => {
    expect(readdirSync(SCENARIO_FIXTURES).sort()).toEqual(Object.keys(SCENARIO_CASES).sort());
    expect(Object.keys(SCENARIO_CASES).length).toBeGreaterThanOrEqual(16);
  });

  it.each(Object.entries(SCENARIO_CASES))('refuses %s, naming the file, the place and the problem', (name, e) => {
    const file = join(SCENARIO_FIXTURES, name);
    const r = loadScenarioFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expectIssue(r.issues, file, e);
  });
});

describe('error messages for common slips', () => {
  it('suggests the field a misspelt key was meant to be', () => {
    const r = loadScenarioFile(join(SCENARIO_FIXTURES, 'unknown-field.yaml'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message)).toContain('unknown field "account_clas" (did you mean "account_class"?)');
  });

  it('reports one cause for a stray tab instead of its echoes', () => {
    const r = loadWorkflowFile(join(WORKFLOW_FIXTURES, 'tab-indentation.yaml'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]!.message).toMatch(/more syntax errors? after it/);
    }
  });
});

describe('the nesting guard that runs before the YAML parser', () => {
  const top = 'resetpath: workflow/1\nname: ';

  it('accepts nesting up to the limit and refuses the first level past it', () => {
    // The top-level mapping is one level, so 63 brackets make 64 levels.
    expect(excessiveNestingOffset(`${top}${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n`)).toBeNull();
    expect(excessiveNestingOffset(`${top}${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}\n`)).toBe(top.length + MAX_NESTING_DEPTH - 1);
  });

  it('does not count brackets inside quotes, plain text, comments or block scalars', () => {
    const many = '['.repeat(200);
    const text = `${top}"${many}"\nalso: '${many}'\nplain: see ${many}\n# ${many}\ndescription: |\n  ${many}\n  {{{{\nend: 1\n`;
    expect(excessiveNestingOffset(text)).toBeNull();
  });

  it('counts compact nested sequences ("- - -") as levels', () => {
    expect(excessiveNestingOffset(`steps:\n${'- '.repeat(MAX_NESTING_DEPTH + 5)}x\n`)).not.toBeNull();
    expect(excessiveNestingOffset('steps:\n  - - - x\n')).toBeNull();
  });

  it('survives several hostile documents in one process, each refused before the parser sees it', () => {
    for (let i = 0; i < 5; i++) {
      const r = loadWorkflowFile(join(WORKFLOW_FIXTURES, 'hostile-nesting.yaml'));
      expect(r.ok).toBe(false);
    }
  });
});
