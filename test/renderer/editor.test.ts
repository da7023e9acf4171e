// The workflow editor's computations: the loader's and lint's findings placed at the right line,
// new workflows from a template or blank, and completion and hover from the published schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledWorkflows, runAnalysis } from '../../backend/index.ts';
import { getControl } from '../../models/index.ts';
import { answerCheck, blankWorkflow, checkWorkflowText, completionsAt, fromTemplate, hoverAt, newIdProblem, pathKeys, rangeOfPath } from '../../renderer/compute/computeEditor.ts';
import { liveSummary, liveText } from '../../renderer/compute/computeLive.ts';

const LIB = join(import.meta.dirname, '..', '..', 'models', 'library');
const WEAK = readFileSync(join(LIB, 'standard-password-reset.weak.yaml'), 'utf8');
const lineOfText = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
/** The text with the cursor where `|` is, and the offset of that cursor. */
const at = (text: string) => ({ text: text.replace('|', ''), offset: text.indexOf('|') });

describe('checking the text as it is typed', () => {
  it('places a value the schema refuses at its line, naming the path', () => {
    const broken = WEAK.replace('kind: proofing', 'kind: proofng');
    const c = checkWorkflowText(broken, 'e.yaml');
    expect(c.workflow).toBeNull();
    const d = c.diagnostics.find((x) => x.message.includes('kind'))!;
    expect(d.severity).toBe('error');
    expect(d.source).toBe('loader');
    expect(d.line).toBe(lineOfText(broken, 'kind: proofng'));
  });

  it('places a YAML syntax error at the line and column the parser names', () => {
    const broken = `${WEAK.split('\n').slice(0, 12).join('\n')}\nsteps: [}\n`;
    const c = checkWorkflowText(broken, 'e.yaml');
    expect(c.workflow).toBeNull();
    expect(c.diagnostics[0]!.line).toBe(13);
  });

  it('places a reference to a missing step at the key that makes it', () => {
    const broken = WEAK.replace(/next: (\w+)/, 'next: nowhere');
    const c = checkWorkflowText(broken, 'e.yaml');
    expect(c.workflow).toBeNull();
    expect(c.diagnostics.some((d) => d.message.includes('nowhere') && d.line === lineOfText(broken, 'next: nowhere'))).toBe(true);
  });

  it('loads a valid file and places each lint finding at the step it is about', () => {
    const c = checkWorkflowText(WEAK, 'w.yaml');
    expect(c.workflow?.id).toBe('standard-password-reset.weak');
    expect(c.diagnostics.every((d) => d.source !== 'loader')).toBe(true);
    for (const f of c.findings.filter((x) => x.step)) {
      const d = c.diagnostics.find((x) => x.source === f.rule && x.message.endsWith(f.message))!;
      expect(WEAK.slice(d.from, d.to).length).toBeGreaterThan(0);
    }
  });

  it('answers a check with its graph and a key that changes only when the drawing does (so an edit of the name keeps the graph shown)', () => {
    const check = (text: string) => {
      const r = answerCheck({ type: 'check', seq: 1, text, fileName: 'e.yaml' });
      if (r.type !== 'checked') throw new Error('not a check answer');
      return r;
    };
    const base = check(WEAK);
    expect(base.layout?.nodes.length).toBeGreaterThan(0);
    expect(base.layoutKey).toBe(JSON.stringify(base.layout));
    // The workflow's own name is not drawn: the same key.
    expect(check(WEAK.replace(/^name: (.*)$/m, 'name: $1 (draft)')).layoutKey).toBe(base.layoutKey);
    // A step's name is: another key.
    const stepName = /^    name: (.*)$/m.exec(WEAK)![1]!;
    expect(check(WEAK.replace(`    name: ${stepName}`, `    name: ${stepName} again`)).layoutKey).not.toBe(base.layoutKey);
    // A text that does not load has no graph and no key.
    const broken = check(WEAK.replace('kind: proofing', 'kind: proofng'));
    expect([broken.layout, broken.layoutKey]).toEqual([null, null]);
  });

  it('finds a path\'s key in the text, or its nearest ancestor', () => {
    expect(pathKeys('steps[2].controls[0].params.method')).toEqual(['steps', 2, 'controls', 0, 'params', 'method']);
    const r = rangeOfPath(WEAK, 'steps[1].kind');
    expect(WEAK.slice(r.from, r.to)).toBe('kind');
    const missing = rangeOfPath(WEAK, 'steps[1].no_such_key');
    expect(WEAK.slice(missing.from).startsWith('- id:') || WEAK.slice(missing.from).startsWith('id:')).toBe(true);
  });
});

describe('new workflows', () => {
  it('makes a new workflow from every bundled template: new id and name, variant custom, comments kept', () => {
    for (const w of loadBundledWorkflows()) {
      const text = readFileSync(join(LIB, `${w.id}.yaml`), 'utf8');
      const made = fromTemplate(text, 'my-desk.reset', 'My desk: reset (draft)');
      const c = checkWorkflowText(made, 'my-desk.reset.yaml');
      expect(c.workflow, `${w.id}: ${c.diagnostics.map((d) => d.message).join('; ')}`).not.toBeNull();
      expect(c.workflow).toMatchObject({ id: 'my-desk.reset', name: 'My desk: reset (draft)', variant: 'custom' });
      if (text.startsWith('#')) expect(made.startsWith('#')).toBe(true);
    }
  });

  it('makes a blank workflow that loads, and that lint says has no controls yet', () => {
    const c = checkWorkflowText(blankWorkflow('blank.one', 'A "quoted" name'), 'blank.one.yaml');
    expect(c.workflow).toMatchObject({ id: 'blank.one', name: 'A "quoted" name' });
    expect(c.diagnostics.filter((d) => d.source === 'loader')).toEqual([]);
    expect(c.findings.length).toBeGreaterThan(0);
  });

  it('refuses an id that is malformed or already in the library', () => {
    expect(newIdProblem('Bad Id', new Set())).toMatch(/lowercase/);
    expect(newIdProblem('standard-password-reset.weak', new Set(['standard-password-reset.weak']))).toMatch(/already in the library/);
    expect(newIdProblem('my-desk.reset', new Set(['standard-password-reset.weak']))).toBeNull();
  });
});

describe('completion and hover', () => {
  it('offers the keys a step may still have, with what each means', () => {
    const { text, offset } = at(WEAK.replace('    kind: end\n', '    kind: end\n    |\n'));
    const c = completionsAt(text, offset)!;
    const labels = c.options.map((o) => o.label);
    expect(labels).toContain('on_fail');
    expect(labels).toContain('controls');
    expect(labels).not.toContain('kind');
    expect(labels).not.toContain('name');
    expect(c.options.find((o) => o.label === 'on_fail')!.detail).toMatch(/cannot pass this step/);
  });

  it('offers the allowed values of an enum, the catalogue\'s control ids and the document\'s step ids', () => {
    const kind = at(WEAK.replace('kind: proofing', 'kind: pro|'));
    const k = completionsAt(kind.text, kind.offset)!;
    expect(k.options.map((o) => o.label)).toEqual(expect.arrayContaining(['proofing', 'intake', 'execution']));
    expect(kind.text.slice(k.from, kind.offset)).toBe('pro');

    const ctl = at(WEAK.replace(/control: [\w.]+/, 'control: |'));
    const cs = completionsAt(ctl.text, ctl.offset)!;
    expect(cs.options.map((o) => o.label)).toContain('callback.number_on_file');

    const next = at(WEAK.replace(/next: \w+/, 'next: |'));
    const ns = completionsAt(next.text, next.offset)!;
    expect(ns.options.every((o) => o.type === 'reference')).toBe(true);
    expect(ns.options.length).toBeGreaterThanOrEqual(3);
  });

  it('offers values inside a flow list', () => {
    const ch = at(WEAK.replace(/channels: \[([^\]]*)\]/, 'channels: [phone, ch|]'));
    const c = completionsAt(ch.text, ch.offset)!;
    expect(c.options.map((o) => o.label)).toContain('chat');
  });

  it('offers a control\'s own parameters from the catalogue, in flow and block maps, without those already set', () => {
    const flow = at(WEAK.replace('params: { method: kbv }', 'params: { method: kbv, |}'));
    const f = completionsAt(flow.text, flow.offset)!;
    const labels = f.options.map((o) => o.label);
    expect(labels).toEqual(Object.keys(getControl('proofing.ial2').params).filter((k) => k !== 'method'));
    expect(f.options.every((o) => o.type === 'property' && /^.+ — hardened: .+$/.test(o.detail))).toBe(true);
    const block = at(WEAK.replace('    params: { phishing_resistant: false }', '    params:\n      |'));
    const b = completionsAt(block.text, block.offset)!;
    expect(b.options.map((o) => o.label)).toEqual(Object.keys(getControl('agent.mfa').params));
    expect(b.options[0]!.apply).toBe('phishing_resistant: ');
  });

  it('offers a parameter\'s allowed values with the hardened one marked, and in a list only the values it lacks', () => {
    const v = at(WEAK.replace('params: { method: kbv }', 'params: { method: ve| }'));
    const c = completionsAt(v.text, v.offset)!;
    const method = getControl('proofing.ial2').params['method']!;
    expect(method.type).toBe('enum');
    expect(c.options.map((o) => o.label)).toEqual(method.type === 'enum' ? method.values : []);
    expect(c.options.filter((o) => o.detail.startsWith('hardened')).map((o) => o.label)).toEqual(['verified_id_facecheck']);
    expect(v.text.slice(c.from, v.offset)).toBe('ve');
    const bool = at(WEAK.replace('params: { phishing_resistant: false }', 'params: { phishing_resistant: | }'));
    expect(completionsAt(bool.text, bool.offset)!.options.map((o) => [o.label, o.detail.startsWith('hardened')])).toEqual([
      ['true', true],
      ['false', false],
    ]);
    const list = at(WEAK.replace('records: [requester, executor]', 'records: [requester, |]'));
    const l = completionsAt(list.text, list.offset)!.options.map((o) => o.label);
    expect(l).not.toContain('requester');
    expect(l).toContain('executor');
    expect(l).toContain('approver');
  });

  it('explains a key from the schema and a control id from the catalogue', () => {
    const h = hoverAt(WEAK, WEAK.indexOf('on_fail') + 2);
    if (WEAK.includes('on_fail')) expect(h).toMatchObject({ title: 'on_fail', body: expect.stringMatching(/cannot pass this step/) });
    const m = /control: ([\w.]+)/.exec(WEAK)!;
    const c = hoverAt(WEAK, m.index + 'control: '.length + 1)!;
    expect(c.title).toContain(`(${m[1]})`);
    expect(c.body).toMatch(/^Owner: /);
  });
});

describe('the live analysis headline', () => {
  const base = { scenarios: 32, scenariosWithTakeover: 14, classes: 17, paths: '19', undetected: '19', classesByScenario: { s01: 2, s04: 1, s09: 3 }, marks: {} };
  it('says the exact totals, and how many classes closed or opened against the saved revision, per scenario', () => {
    const now = { ...base, scenariosWithTakeover: 13, classes: 15, paths: '16', classesByScenario: { s01: 1, s09: 3, s10: 1 } };
    const t = liveText(now, base);
    expect(t.headline).toBe('13 of 32 scenarios end in a takeover · 15 path classes · 16 takeover paths (19 undetected), counted exactly');
    expect(t.change).toBe('2 fewer path classes than the saved revision (17).');
    expect(t.closed).toEqual(['s01: 1 class closed', 's04: 1 class closed']);
    expect(t.opened).toEqual(['s10: 1 class opened']);
    expect(liveText(base, base).change).toBe('Same path classes as the saved revision.');
    expect(liveText(base, null).change).toBeNull();
  });

  it('summarises an analysis report with counts past 2^53 as exact decimal strings', () => {
    const res = runAnalysis({ workflows: ['standard-password-reset.weak'], library: false });
    if (!res.ok) throw new Error('analysis failed');
    const s = liveSummary(res.report.workflows[0]!);
    expect(s.classes).toBe(res.report.workflows[0]!.totals.classes);
    expect(Object.values(s.classesByScenario).reduce((a, b) => a + b, 0)).toBe(s.classes);
    expect(typeof s.paths).toBe('string');
  });
});
