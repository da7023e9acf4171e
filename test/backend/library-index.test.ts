// The build-time library index lets the host list the bundled library without parsing it cold.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledLibrary, summaryOf, writeLibraryIndex } from '../../backend/bundledLibrary.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/library.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('library index', () => {
  it('records the summary of every bundled workflow and scenario, keyed by the hash of its text', () => {
    const file = join(dir, 'library-index.json');
    const n = writeLibraryIndex(file);
    const workflows = loadBundledWorkflows();
    const scenarios = loadBundledScenarios();
    expect(n).toBe(workflows.length + scenarios.length);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.format).toBe('resetpath/library-index@1');
    const byId = new Map(doc.entries.map((e: { id: string }) => [e.id, e]));
    for (const w of workflows) expect(byId.get(w.id)).toMatchObject({ ...summaryOf('workflow', w), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    for (const s of scenarios) expect(byId.get(s.id)).toMatchObject(summaryOf('scenario', s));
  });

  it('gives the same summaries as parsing, and still parses a model when one is needed', () => {
    const lib = bundledLibrary();
    for (const [id, b] of lib.workflows) {
      expect(b.summary).toEqual(summaryOf('workflow', b.model));
      expect(b.model.id).toBe(id);
    }
    for (const b of lib.scenarios.values()) expect(b.summary).toEqual(summaryOf('scenario', b.model));
  });
});
