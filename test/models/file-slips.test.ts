// Slips that used to give a misleading answer: a file with old Mac (CR-only) line endings was
// "empty" or a syntax error, and one bad number was reported twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import { loadWorkflowText } from '../../models/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';

const WORKFLOW = readFileSync(join(WORKFLOW_LIBRARY_DIR, 'standard-password-reset.weak.yaml'), 'utf8');
const SCENARIO = readFileSync(join(SCENARIO_LIBRARY_DIR, 's01-osint-vishing.yaml'), 'utf8');
const cr = (s: string) => s.replace(/\n/g, '\r');

describe('CR-only line endings', () => {
  it('reads a workflow written with CR line endings as the same workflow', () => {
    const lf = loadWorkflowText(WORKFLOW, 'w.yaml');
    const r = loadWorkflowText(cr(WORKFLOW), 'w.yaml');
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(r.ok && lf.ok && { ...r.value }).toEqual(lf.ok && { ...lf.value });
  });

  it('reads a scenario that starts with a comment, which used to be reported as an empty file', () => {
    expect(SCENARIO.startsWith('#')).toBe(true);
    const r = loadScenarioText(cr(SCENARIO), 's.yaml');
    expect(r.ok ? [] : r.issues).toEqual([]);
    const lf = loadScenarioText(SCENARIO, 's.yaml');
    expect(r.ok && lf.ok && r.value).toEqual(lf.ok && lf.value);
  });

  it('locates an error in a CR-only file on the line where it is', () => {
    const bad = cr(WORKFLOW.replace('kind: proofing', 'kind: proofingg'));
    const r = loadWorkflowText(bad, 'w.yaml');
    expect(r.ok).toBe(false);
    const line = WORKFLOW.split('\n').findIndex((l) => l.includes('kind: proofing')) + 1;
    if (!r.ok) expect(r.issues[0]).toMatchObject({ line, path: expect.stringMatching(/^steps\[\d+\]\.kind$/) });
  });
});

describe('one bad value, one message', () => {
  it('reports a tier far beyond its range once, with the bound the format sets', () => {
    const r = loadWorkflowText(WORKFLOW.replace(/tier: 1\b/, 'tier: 99999999999999999999'), 'w.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message)).toEqual(['"tier" must be at most 3 (found 100000000000000000000)']);
  });

  it('reports a negative fractional number once', () => {
    const r = loadScenarioText(SCENARIO.replace(/retries: \d+/, 'retries: -1.5'), 's.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toHaveLength(1);
  });

  it('reports an id that is both too long and malformed once', () => {
    const r = loadWorkflowText(WORKFLOW.replace(/^id: .*$/m, `id: ${'X'.repeat(120)}`), 'w.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.filter((i) => i.path === 'id')).toHaveLength(1);
  });

  it('says what a parameter value may be instead of "Invalid input"', () => {
    const r = loadWorkflowText(WORKFLOW.replace('params: { method: kbv', 'params: { method: .nan'), 'w.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toBe('a parameter is text, a number, true or false, or a list of text (found NaN)');
  });
});

describe('an id with a lookalike character', () => {
  it('names the character and where it is, since the quoted id looks right', () => {
    // "verify" with a Cyrillic "е" (U+0435) in a route's target, and in a step's own id.
    const ref = loadWorkflowText(WORKFLOW.replace('to: verify', 'to: v\u0435rify'), 'w.yaml');
    expect(ref.ok).toBe(false);
    if (!ref.ok) expect(ref.issues[0]!.message).toContain('it holds U+0435 at character 2, which is not an ASCII letter (a lookalike?)');
    const own = loadWorkflowText(WORKFLOW.replace('id: verify', 'id: v\u0435rify'), 'w.yaml');
    expect(own.ok).toBe(false);
    if (!own.ok) expect(own.issues.map((i) => i.message).join('\n')).toContain('U+0435 at character 2');
    const scenario = loadScenarioText(SCENARIO.replace('id: s01-osint-vishing', 'id: s01-\u043esint-vishing'), 's.yaml');
    expect(scenario.ok).toBe(false);
    if (!scenario.ok) expect(scenario.issues[0]!.message).toContain('U+043E at character 5');
  });
});

describe('an unknown field', () => {
  it('lists the fields known at that place, or names the one a misspelling was meant to be', () => {
    const top = loadWorkflowText(WORKFLOW.replace('name: ', 'owner: someone\nname: '), 'w.yaml');
    expect(top.ok).toBe(false);
    if (!top.ok) expect(top.issues[0]!.message).toBe('unknown field "owner"; known here: resetpath, id, name, family, variant, description, sources, recovery_risk_analysis, account_classes, actors, controls, exceptions, start, steps');
    // In a control instance, inside the steps list; an optional field misspelt is recognised too.
    const inControl = loadWorkflowText(WORKFLOW.replace('enforcement: ', 'enforcment: '), 'w.yaml');
    expect(inControl.ok).toBe(false);
    if (!inControl.ok) expect(inControl.issues[0]!.message).toBe('unknown field "enforcment" (did you mean "enforcement"?)');
  });
});

describe('a key indented too deep', () => {
  it('is located on its own line and told which key to line up with, not in the parser\'s words on the line above', () => {
    const lines = WORKFLOW.split('\n');
    const at = lines.findIndex((l) => l.trim() === 'kind: proofing');
    const bad = [...lines.slice(0, at), `  ${lines[at]}`, ...lines.slice(at + 1)].join('\n');
    const r = loadWorkflowText(bad, 'w.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]).toMatchObject({ line: at + 1, column: 7 });
      expect(r.issues[0]!.message).toMatch(/^syntax error: "kind" is indented deeper than "id" on the line above, as if it were inside that value; line it up with "id" \(column 5\)/);
    }
  });
});
