// Text from files and users never reaches the terminal raw: the CLI prints names, step names,
// actor names, file names and echoed values with control characters, escape sequences and
// bidirectional overrides written visibly (models/displayText.ts), never as bytes a terminal acts on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalText } from '../../cli/text.ts';
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

/** What the repro puts in names: SGR and screen-clearing CSI, an OSC title, a C1 CSI, CR/LF, NUL, RLO. */
const EVIL = {
  name: 'Reset \u001b[31mRED\u001b[0m \u001b]0;pwned\u0007 \u202egnp.exe \u009b2J',
  actor: 'Desk \u001b[2J agent\r\nFAKE LINE',
  step: 'Call \u202ein',
  nul: 'Reset \u0000 nul',
};

const yamlString = (s: string) => JSON.stringify(s);

function hostileWorkflow(): string {
  return `resetpath: workflow/1
id: evil
name: ${yamlString(EVIL.name)}
account_classes: [standard_employee]
actors:
  - { id: desk, kind: agent, name: ${yamlString(EVIL.actor)} }
start: intake
steps:
  - { id: intake, kind: intake, name: ${yamlString(EVIL.step)}, actor: desk, next: reset }
  - { id: reset, kind: execution, name: ${yamlString(EVIL.nul)}, actor: desk, action: password_reset, next: done }
  - { id: done, kind: end }
`;
}

describe('hostile text in the CLI output', () => {
  it('show never prints a raw control or bidirectional character from a name, step name or actor name', async () => {
    const r = await run('show', write('evil.yaml', hostileWorkflow()));
    expect(r.all).not.toMatch(RAW);
    expect(r.all).toContain('\\u{1b}[31mRED');
    expect(r.all).toContain('\\u{202e}');
  });

  it('replay never prints a raw control or bidirectional character from a step or actor name', async () => {
    const r = await run('replay', write('evil-replay.yaml', hostileWorkflow()), '-s', 's01-osint-vishing');
    expect(r.all).not.toMatch(RAW);
    expect(r.all.length).toBeGreaterThan(0);
  });

  it('the analyze table and Markdown never print a raw control or bidirectional character from a workflow or step name', async () => {
    const file = write('evil-analyze.yaml', hostileWorkflow());
    for (const format of ['table', 'md']) {
      const r = await run('analyze', file, '-s', 's01-osint-vishing', '--format', format);
      expect(r.all).not.toMatch(RAW);
      expect(r.all).toContain('\\u{1b}');
    }
  });

  it('a loader error echoes a hostile value with its escapes written visibly', async () => {
    const r = await run('show', write('evil-id.yaml', hostileWorkflow().replace('id: evil', `id: ${yamlString('\u001b[31mevil\u009b2J')}`)));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(RAW);
    expect(r.err).toContain('found "\\u{1b}[31mevil\\u{9b}2J"');
  });

  it('a hostile file name is printed escaped by show, the analyze table and lint, and in "file not found"', async () => {
    const name = 'x\u001b[2J\r\nFAKE\u202e.yaml';
    const file = write(name, hostileWorkflow().replace(/name: .*\n/, 'name: Plain name\n').replace(/ name: "[^"]*",/g, ''));
    for (const args of [['show', file], ['analyze', file, '-s', 's01-osint-vishing'], ['lint', file], ['show', join(dir, `missing\u001b[2J.yaml`)]]) {
      const r = await run(...args);
      expect(r.all, args.join(' ')).not.toMatch(RAW);
      expect(r.all, args.join(' ')).toMatch(/x\\u\{1b\}\[2J\\u\{d\}\\u\{a\}FAKE\\u\{202e\}\.yaml|missing\\u\{1b\}\[2J\.yaml/);
    }
  });

  it('JSON output stays valid JSON, with C1 and bidirectional characters as \\u escapes that parse back to the same text', async () => {
    const file = write('y\u009b\u202e.yaml', hostileWorkflow().replace(/name: .*\n/, 'name: Plain name\n').replace(/ name: "[^"]*",/g, ''));
    const cases: [string[], (doc: any) => unknown][] = [
      [['show', file, '--format', 'json'], (d) => d.file],
      [['lint', file, '--format', 'json'], (d) => d.files[0].file],
      [['analyze', file, '-s', 's01-osint-vishing', '--format', 'json'], (d) => d.workflows[0].file],
    ];
    for (const [args, fileOf] of cases) {
      const r = await run(...args);
      expect(r.out, args.join(' ')).not.toMatch(RAW);
      expect(r.out, args.join(' ')).toContain('y\\u009b\\u202e.yaml');
      expect(fileOf(JSON.parse(r.out)), args.join(' ')).toBe(file);
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
    const painted = '\u001b[31merror\u001b[0m RP001 \u001b[2J\u001b]8;;http://x\u0007link\u001b[31m';
    expect(terminalText(painted, true)).toBe('\u001b[31merror\u001b[0m RP001 \\u{1b}[2J\\u{1b}]8;;http://x\\u{7}link\u001b[31m');
    expect(terminalText(painted, false)).not.toMatch(RAW);
  });

  it('keeps the newlines and tabs that lay output out', () => {
    expect(terminalText('a\n\tb\r\n', false)).toBe('a\n\tb\\u{d}\n');
  });
});
