// Text from files and users never reaches the terminal raw: the CLI prints names, step names,
// actor names, file names and echoed values with control characters, escape sequences and
// bidirectional overrides written visibly (models/displayText.ts), never as bytes a terminal acts on.
// Model files with such names are refused at load (test/models/text-fields.test.ts); the renderers
// are also given models whose names were never checked (a revision stored before the rule), and
// the CLI is given file names, which no loader can refuse.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport, replayPath } from '../../analysis/index.ts';
import { loadBundledScenarios } from '../../backend/index.ts';
import { analysisMarkdown, analysisText } from '../../cli/commands/analyze.ts';
import { replayText } from '../../cli/commands/replay.ts';
import { renderShowText, showWorkflow } from '../../cli/commands/show.ts';
import { terminalText } from '../../cli/text.ts';
import { formatIssue, loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Any character the display-text rule covers, newline aside (output is lines). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What the issue's repro puts in names: SGR and screen-clearing CSI, an OSC title, a C1 CSI, CR/LF, NUL, RLO. */
const EVIL = {
  name: 'Reset \u001b[31mRED\u001b[0m \u001b]0;pwned\u0007 \u202egnp.exe \u009b2J',
  actor: 'Desk \u001b[2J agent\r\nFAKE LINE',
  step: 'Call \u202ein',
  nul: 'Reset \u0000 nul',
};

const q = (s: string) => JSON.stringify(s);

function workflowText(names: { name: string; actor: string; step: string; nul: string }): string {
  return `resetpath: workflow/1
id: evil
name: ${q(names.name)}
account_classes: [standard_employee]
actors:
  - { id: desk, kind: agent, name: ${q(names.actor)} }
start: intake
steps:
  - { id: intake, kind: intake, name: ${q(names.step)}, actor: desk, next: reset }
  - { id: reset, kind: execution, name: ${q(names.nul)}, actor: desk, action: password_reset, next: done }
  - { id: done, kind: end }
`;
}

const PLAIN = workflowText({ name: 'Plain name', actor: 'Desk', step: 'Call', nul: 'Reset' });

/** A workflow as a revision stored before names were checked would give it: the repro's names, unchecked. */
function hostileModel(): Workflow {
  const wf = loadWorkflowOrThrow(PLAIN, 'evil.yaml');
  return {
    ...wf,
    name: EVIL.name,
    actors: { desk: { ...wf.actors.desk!, name: EVIL.actor } },
    steps: { ...wf.steps, intake: { ...wf.steps.intake!, name: EVIL.step }, reset: { ...wf.steps.reset!, name: EVIL.nul } },
  };
}

const S01 = () => loadBundledScenarios().find((s) => s.id === 's01-osint-vishing')!;

describe('hostile names in what the CLI renders', () => {
  it('show writes a workflow name, step names and actor names with their escapes visible, each on its own line', () => {
    const text = renderShowText(showWorkflow(hostileModel(), 'evil.yaml'));
    expect(text).not.toMatch(RAW);
    expect(text.split('\n')[0]).toBe('Reset \\u{1b}[31mRED\\u{1b}[0m \\u{1b}]0;pwned\\u{7} \\u{202e}gnp.exe \\u{9b}2J (evil)');
    expect(text).toContain('  desk: agent, tier 1 — Desk \\u{1b}[2J agent\\u{d}\\u{a}FAKE LINE\n');
    expect(text).toContain('  intake [intake] actor desk, channels phone — Call \\u{202e}in\n');
    expect(text).toContain('— Reset \\u{0} nul\n');
    expect(text).not.toMatch(/^FAKE LINE/m);
  });

  it('replay writes step and actor names with their escapes visible', () => {
    const wf = hostileModel();
    const sc = S01();
    const cls = analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!.classes[0]!;
    const text = replayText(replayPath(wf, sc, cls.examples[0]!), 'class 1');
    expect(text).not.toMatch(RAW);
    expect(text).toContain('Call \\u{202e}in [intake, desk]');
    expect(text).toContain('Reset \\u{0} nul [execution, desk]');
  });

  it('the analyze table and Markdown write a workflow name and step names with their escapes visible', () => {
    const report = buildAnalysisReport([analyzeWorkflow(hostileModel(), [S01()])]);
    const table = analysisText(report.workflows);
    expect(table).not.toMatch(RAW);
    expect(table).toContain('Reset \\u{1b}[31mRED\\u{1b}[0m \\u{1b}]0;pwned\\u{7} \\u{202e}gnp.exe \\u{9b}2J');
    // Markdown escapes the backslash and brackets of the escapes too, so they render as written.
    const md = analysisMarkdown(report.workflows);
    expect(md).not.toMatch(RAW);
    expect(md).toContain('## Reset \\\\u{1b}\\[31mRED\\\\u{1b}\\[0m \\\\u{1b}\\]0;pwned\\\\u{7} \\\\u{202e}gnp.exe \\\\u{9b}2J (`evil`)');
  });

  it('a located issue is printed on one line with its escapes visible, whoever made it', () => {
    const line = formatIssue({ file: 'evil\u001b[2J.yaml', line: 3, column: 5, path: 'steps[0].name', message: 'found "\u001b[31mevil\r\nFAKE"' });
    expect(line).toBe('evil\\u{1b}[2J.yaml:3:5: found "\\u{1b}[31mevil\\u{d}\\u{a}FAKE" (at steps[0].name)');
  });
});

describe('hostile text through the command line', () => {
  it('show, replay and analyze refuse a file with the repro names and print the refusal with its escapes visible', async () => {
    const file = write('evil.yaml', workflowText(EVIL));
    for (const args of [['show', file], ['replay', file, '-s', 's01-osint-vishing'], ['analyze', file, '-s', 's01-osint-vishing', '--format', 'md']]) {
      const r = await run(...args);
      expect(r.code, args[0]).toBe(2);
      expect(r.out, args[0]).toBe('');
      expect(r.err, args[0]).not.toMatch(RAW);
      expect(r.err, args[0]).toContain(`${file}:3:7: name contains control characters (U+001B (ESC) at character 7); this field is one line of plain text (at name)`);
      expect(r.err, args[0]).toContain('(at steps[0].name)');
    }
  });

  it('a loader error about a hostile value names the character instead of echoing it', async () => {
    const r = await run('show', write('evil-id.yaml', PLAIN.replace('id: evil', `id: ${q('\u001b[31mevil\u009b2J')}`)));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(RAW);
    expect(r.err).toContain('id contains control characters (U+001B (ESC) at character 1)');
  });

  it('a hostile file name is printed escaped by show, the analyze table and lint, and in "file not found"', async () => {
    const file = write('x\u001b[2J\r\nFAKE\u202e.yaml', PLAIN);
    const shownName = 'x\\u{1b}[2J\\u{d}\\u{a}FAKE\\u{202e}.yaml';
    for (const args of [['show', file], ['analyze', file, '-s', 's01-osint-vishing'], ['lint', file], ['show', join(dir, 'missing\u001b[2J.yaml')]]) {
      const r = await run(...args);
      expect(r.all, args[0]).not.toMatch(RAW);
      expect(r.all, args[0]).toContain(args[1]!.includes('missing') ? 'missing\\u{1b}[2J.yaml: file not found' : shownName);
    }
  });

  it('JSON output stays valid JSON, with C1 and bidirectional characters as \\u escapes that parse back to the same text', async () => {
    const file = write('y\u009b\u202e.yaml', PLAIN);
    const cases: [string[], (doc: any) => unknown][] = [
      [['show', file, '--format', 'json'], (d) => d.file],
      [['lint', file, '--format', 'json'], (d) => d.files[0].file],
      [['analyze', file, '-s', 's01-osint-vishing', '--format', 'json'], (d) => d.workflows[0].file],
    ];
    for (const [args, fileOf] of cases) {
      const r = await run(...args);
      expect(r.out, args[0]).not.toMatch(RAW);
      expect(r.out, args[0]).toContain('y\\u009b\\u202e.yaml');
      expect(fileOf(JSON.parse(r.out)), args[0]).toBe(file);
    }
  });

  it("the command line parser's own errors echo a hostile argument escaped", async () => {
    const r = await run('show', '--\u001b]0;pwned\u0007');
    expect(r.code).toBe(2);
    expect(r.all).not.toMatch(RAW);
    expect(r.err).toContain('\\u{1b}]0;pwned\\u{7}');
  });
});

describe('terminalText, the last filter before stdout and stderr', () => {
  it("keeps only the CLI's own severity colours when colour is on, and escapes every other sequence", () => {
    const painted = '\u001b[31merror\u001b[0m RP001 \u001b[2J\u001b]8;;http://x\u0007link';
    expect(terminalText(painted, true)).toBe('\u001b[31merror\u001b[0m RP001 \\u{1b}[2J\\u{1b}]8;;http://x\\u{7}link');
    expect(terminalText(painted, false)).not.toMatch(RAW);
  });

  it('keeps the newlines and tabs that lay output out', () => {
    expect(terminalText('a\n\tb\r\n', false)).toBe('a\n\tb\\u{d}\n');
  });
});
