// Names and texts of model files are plain text: a control character or a bidirectional override
// in any of them (not only the workflow's name) is refused at load, with the file, the line and
// column, the field's path and the character named. Multi-line prose keeps its line breaks.
import { describe, expect, it } from 'vitest';
import { loadWorkflowText, type ModelIssue } from '../../models/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';

type Doc = Record<string, unknown>;

/** A valid workflow that uses every free-text field the format has. */
function workflowDoc(): Doc {
  return {
    resetpath: 'workflow/1',
    id: 'texts',
    name: 'Every text field',
    family: 'texts',
    description: 'A workflow\nover two lines.\n',
    sources: ['domain reference §4'],
    recovery_risk_analysis: { document: 'IAM-RA-7', approved: '2026-01-01' },
    account_classes: ['standard_employee'],
    actors: [{ id: 'desk', kind: 'agent', name: 'Service desk' }],
    controls: [{ control: 'detect.reset_anomaly', note: 'SIEM rule 12' }],
    exceptions: [{ id: 'vip', name: 'VIP bypass', description: 'For executives', bypasses: ['verify'] }],
    start: 'intake',
    steps: [
      { id: 'intake', kind: 'intake', name: 'Call comes in', description: 'Phone line', actor: 'desk', next: 'verify' },
      {
        id: 'verify',
        kind: 'proofing',
        name: 'Verify',
        actor: 'desk',
        controls: [{ control: 'proofing.ial2', note: 'KBV', flaw: { kind: 'known_bypass', description: 'answers from a form', source: 'pentest 2025' } }],
        next: 'reset',
      },
      { id: 'reset', kind: 'execution', name: 'Reset', actor: 'desk', action: 'password_reset', next: 'done' },
      { id: 'done', kind: 'end', name: 'Done' },
    ],
  };
}

/** A valid scenario that uses every free-text field the format has. */
function scenarioDoc(): Doc {
  const strategy = { channels: ['phone'], moves: [{ move: 'contact', channel: 'phone', say: 'Hi,\nit is me.' }] };
  return {
    resetpath: 'scenario/1',
    id: 'texts',
    name: 'Every text field',
    summary: 'Two\nlines.',
    reference: 'domain-reference S01',
    examples: [{ name: 'A case', source: 'https://example.org/case' }],
    attacker: { name: 'Caller', capabilities: ['osint_personal_data', 'agent_account_taken_over'] },
    target: { account_class: 'standard_employee', description: 'An employee' },
    strategy,
    then: [{ name: 'Next stage', gains: ['sim_swap'], target: { account_class: 'privileged_admin', description: 'An admin' }, strategy }],
    injects: [{ at_minute: 0, title: 'The call', text: 'It rings.\nTwice.', decision: { prompt: 'Answer?', options: ['yes', 'no'] } }],
  };
}

type Seg = string | number;

function withValue(doc: Doc, path: readonly Seg[], value: string): string {
  const copy = structuredClone(doc);
  let node: any = copy;
  for (const seg of path.slice(0, -1)) node = node[seg];
  node[path[path.length - 1]!] = value;
  // JSON is YAML: control characters arrive through \u escapes, the others as they are.
  return JSON.stringify(copy, null, 2);
}

const pathText = (path: readonly Seg[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

const WORKFLOW_FIELDS: Seg[][] = [
  ['name'],
  ['family'],
  ['description'],
  ['sources', 0],
  ['recovery_risk_analysis', 'document'],
  ['actors', 0, 'name'],
  ['controls', 0, 'note'],
  ['exceptions', 0, 'name'],
  ['exceptions', 0, 'description'],
  ['steps', 0, 'name'],
  ['steps', 0, 'description'],
  ['steps', 1, 'controls', 0, 'note'],
  ['steps', 1, 'controls', 0, 'flaw', 'description'],
  ['steps', 1, 'controls', 0, 'flaw', 'source'],
];

const SCENARIO_FIELDS: Seg[][] = [
  ['name'],
  ['summary'],
  ['reference'],
  ['examples', 0, 'name'],
  ['examples', 0, 'source'],
  ['attacker', 'name'],
  ['target', 'description'],
  ['strategy', 'moves', 0, 'say'],
  ['then', 0, 'name'],
  ['then', 0, 'target', 'description'],
  ['then', 0, 'strategy', 'moves', 0, 'say'],
  ['injects', 0, 'title'],
  ['injects', 0, 'text'],
  ['injects', 0, 'decision', 'prompt'],
  ['injects', 0, 'decision', 'options', 1],
];

/** Hostile characters and what the refusal names. */
const HOSTILE: [string, string, RegExp][] = [
  ['right-to-left override', 'Reset \u202egnp.exe', /bidirectional-override characters \(U\+202E at character 7\)/],
  ['left-to-right isolate', 'a\u2066b', /bidirectional-override characters \(U\+2066 at character 2\)/],
  ['escape sequence', 'x\u001b[31mred', /control characters \(U\+001B \(ESC\) at character 2\)/],
  ['C1 control sequence introducer', 'x\u009b2J', /control characters \(U\+009B \(CSI\) at character 2\)/],
  ['NUL', 'x\u0000y', /control characters \(U\+0000 \(NUL\) at character 2\)/],
  ['carriage return', 'x\ry', /control characters \(U\+000D \(CR\) at character 2\)/],
  ['DEL', 'x\u007fy', /control characters \(U\+007F \(DEL\) at character 2\)/],
];

function expectRefusedAt(issues: ModelIssue[], file: string, path: readonly Seg[], problem: RegExp): void {
  const hit = issues.filter((i) => i.path === pathText(path));
  expect(hit, JSON.stringify(issues)).toHaveLength(1);
  expect(hit[0]!.file).toBe(file);
  expect(hit[0]!.line).toBeGreaterThan(1);
  expect(hit[0]!.message).toMatch(problem);
  expect(hit[0]!.message.startsWith(`${String(path.filter((p) => typeof p === 'string').at(-1))} contains`)).toBe(true);
}

describe('free text in model files', () => {
  it('the test documents load as they are', () => {
    const w = loadWorkflowText(JSON.stringify(workflowDoc()), 'w.json');
    expect(w.ok ? [] : w.issues).toEqual([]);
    const s = loadScenarioText(JSON.stringify(scenarioDoc()), 's.json');
    expect(s.ok ? [] : s.issues).toEqual([]);
  });

  for (const [what, value, problem] of HOSTILE) {
    it(`refuses a ${what} in every name and text field of a workflow, naming the field and the character`, () => {
      for (const path of WORKFLOW_FIELDS) {
        const r = loadWorkflowText(withValue(workflowDoc(), path, value), 'w.json');
        expect(r.ok, pathText(path)).toBe(false);
        if (!r.ok) expectRefusedAt(r.issues, 'w.json', path, problem);
      }
    });

    it(`refuses a ${what} in every name and text field of a scenario, naming the field and the character`, () => {
      for (const path of SCENARIO_FIELDS) {
        const r = loadScenarioText(withValue(scenarioDoc(), path, value), 's.json');
        expect(r.ok, pathText(path)).toBe(false);
        if (!r.ok) expectRefusedAt(r.issues, 's.json', path, problem);
      }
    });
  }

  it('refuses a line break in a name but keeps line breaks and tabs in descriptions, summaries, notes and what the attacker says', () => {
    const name = loadWorkflowText(withValue(workflowDoc(), ['steps', 0, 'name'], 'two\nlines'), 'w.json');
    expect(name.ok).toBe(false);
    if (!name.ok) expectRefusedAt(name.issues, 'w.json', ['steps', 0, 'name'], /U\+000A \(LF\) at character 4\); this field is one line of plain text/);
    for (const path of [['description'], ['steps', 0, 'description'], ['controls', 0, 'note']]) {
      expect(loadWorkflowText(withValue(workflowDoc(), path, 'line one\n\tline two\n'), 'w.json').ok, pathText(path)).toBe(true);
    }
    for (const path of [['summary'], ['strategy', 'moves', 0, 'say'], ['injects', 0, 'text']]) {
      expect(loadScenarioText(withValue(scenarioDoc(), path, 'line one\n\tline two\n'), 's.json').ok, pathText(path)).toBe(true);
    }
  });

  it('refuses a control character in a field name, pointing at the key', () => {
    const text = JSON.stringify(workflowDoc(), null, 2).replace('"family"', '"fam\\u001bily"');
    const r = loadWorkflowText(text, 'w.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const hit = r.issues.filter((i) => i.message.includes('U+001B'));
      expect(hit).toHaveLength(1);
      expect(hit[0]).toMatchObject({ line: 5, column: 3, path: 'fam\\u{1b}ily' });
      expect(hit[0]!.message).toMatch(/^field name contains control characters/);
    }
  });

  it('reports one issue for a hostile value that is also malformed (an id), not one per check', () => {
    const r = loadWorkflowText(withValue(workflowDoc(), ['actors', 0, 'id'], 'desk\u202e'), 'w.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.filter((i) => i.path === 'actors[0].id')).toHaveLength(1);
  });
});

describe('keys that name an object property rather than a parameter', () => {
  const withParams = (params: string) => workflowYaml.replace('PARAMS', params);
  const workflowYaml = `resetpath: workflow/1
id: proto
name: Prototype keys
account_classes: [standard_employee]
actors:
  - { id: desk, kind: agent }
start: intake
steps:
  - { id: intake, kind: intake, actor: desk, next: verify }
  - id: verify
    kind: proofing
    actor: desk
    controls:
      - control: proofing.ial2
        params: PARAMS
    next: reset
  - { id: reset, kind: execution, actor: desk, action: password_reset, next: done }
  - { id: done, kind: end }
`;

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses "${key}" in a control's params with a located error, instead of dropping or accepting it`, () => {
      for (const params of [`{ method: kbv, ${key}: document }`, `{ method: kbv, ${key}: { method: document } }`]) {
        const text = withParams(params);
        const r = loadWorkflowText(text, 'w.yaml');
        expect(r.ok, params).toBe(false);
        if (!r.ok) {
          expect(r.issues).toHaveLength(1);
          // Located at the value, as every unknown parameter is.
          const column = text.split('\n')[14]!.indexOf(`${key}: `) + key.length + 3;
          expect(r.issues[0]).toMatchObject({ file: 'w.yaml', line: 15, column, path: `steps[1].controls[0].params.${key}` });
          expect(r.issues[0]!.message).toMatch(new RegExp(`^control "proofing\\.ial2" has no parameter "${key}"; its parameters: method, `));
        }
      }
    });
  }

  it('refuses "__proto__" in the params of a JSON workflow too', () => {
    const text = JSON.stringify(workflowDoc()).replace('"note":"KBV"', '"params":{"__proto__":{"method":"kbv"}}');
    const r = loadWorkflowText(text, 'w.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => [i.path, i.message.split(';')[0]])).toEqual([['steps[1].controls[0].params.__proto__', 'control "proofing.ial2" has no parameter "__proto__"']]);
  });
});
