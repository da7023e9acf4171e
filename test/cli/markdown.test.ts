// `resetpath analyze --format md` is pasted into wikis, tickets and pull requests, which render
// Markdown and often HTML: a name from a model file must come out as the text it is, never as
// markup, a link or a broken table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownText } from '../../cli/text.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-md-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE_NAME = 'Evil <img src=x onerror=alert(1)> & <script>alert(2)</script> | a | `code` [click](javascript:alert(3))';
const HOSTILE_STEP = 'Verify [me](JavaScript:alert(4)) <a href="data:text/html,x">d</a> | \\| pipe';

/** A workflow whose proofing step stops S01, so its name appears in the scenario's detail cell. */
const WORKFLOW = `resetpath: workflow/1
id: md.hostile
name: ${JSON.stringify(HOSTILE_NAME)}
account_classes: [standard_employee]
actors:
  - { id: desk, kind: agent }
start: intake
steps:
  - { id: intake, kind: intake, actor: desk, next: verify }
  - id: verify
    kind: proofing
    name: ${JSON.stringify(HOSTILE_STEP)}
    actor: desk
    controls:
      - { control: proofing.ial2, enforcement: system }
    next: reset
  - { id: reset, kind: execution, actor: desk, action: password_reset, next: done }
  - { id: done, kind: end }
`;

/** Cells of a Markdown table row, split on the pipes that are not escaped. */
const cells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/);

describe('analyze --format md with hostile names', () => {
  it('writes HTML in names as text, so no tag or entity reaches a renderer', async () => {
    const file = join(dir, 'hostile.yaml');
    writeFileSync(file, WORKFLOW);
    const r = await run('analyze', file, '-s', 's01-osint-vishing', '--format', 'md');
    expect(r.err).toBe('');
    expect(r.out).not.toMatch(/<(img|script|a)\b/i);
    expect(r.out).toContain('## Evil &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;alert(2)&lt;/script&gt; \\| a \\| \\`code\\` \\[click\\](javascript&#58;alert(3)) (`md.hostile`)');
  });

  it('keeps the table whole and makes no link of a name, whatever the scheme', async () => {
    const file = join(dir, 'hostile-table.yaml');
    writeFileSync(file, WORKFLOW);
    const r = await run('analyze', file, '-s', 's01-osint-vishing', '--format', 'md');
    const row = r.out.split('\n').find((l) => l.startsWith('| s01-osint-vishing'))!;
    expect(cells(row)).toHaveLength(4);
    expect(row).toContain('stopped at Verify \\[me\\](JavaScript&#58;alert(4)) &lt;a href="data&#58;text/html,x"&gt;d&lt;/a&gt; \\| \\\\\\| pipe (proofing.ial2)');
    expect(r.out).not.toMatch(/\]\(\s*(javascript|data|vbscript|file):/i);
  });
});

describe('analyze --format md with URLs, addresses and domains in names', () => {
  it('renders, in a Markdown renderer that links bare URLs and domains (markdown-it with linkify), with no link at all and the names as written', async () => {
    const names = ['Verify at https://evil.example/desk-login', 'Call www.evil.com or it@evil.org', 'Sign in at sso.evil.com/reset (ftp://x.evil.org)'];
    const file = join(dir, 'links.yaml');
    writeFileSync(file, WORKFLOW.replace(JSON.stringify(HOSTILE_NAME), JSON.stringify(names[0])).replace(JSON.stringify(HOSTILE_STEP), JSON.stringify(names[1])));
    const r = await run('analyze', file, '-s', 's01-osint-vishing', '--format', 'md');
    expect(r.code).toBe(0);
    const html = new MarkdownIt({ linkify: true }).render(r.out);
    expect(html).not.toMatch(/<a /);
    for (const n of names.slice(0, 2)) expect(html).toContain(new MarkdownIt().utils.escapeHtml(n));
    // The renderer does link them when they are not escaped (so the check above can fail).
    expect(new MarkdownIt({ linkify: true }).render(names.join('\n\n')).match(/<a /g)).toHaveLength(5);
    expect(new MarkdownIt({ linkify: true }).render(names.map((n) => markdownText(n)).join('\n\n'))).not.toMatch(/<a /);
  });
});

describe('markdownText', () => {
  it('escapes HTML and the characters that make tables, code and links', () => {
    expect(markdownText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(markdownText('x | y `z` [w] \\')).toBe('x \\| y \\`z\\` \\[w\\] \\\\');
  });

  it('neutralises javascript:, data:, vbscript: and file: whatever their case', () => {
    expect(markdownText('javascript:a DATA:b VbScript:c file:///etc/passwd')).toBe('javascript&#58;a DATA&#58;b VbScript&#58;c file&#58;///etc/passwd');
  });

  it('keeps a URL, an address or a domain in a name as text an autolinker leaves alone (GFM autolink literals, markdown-it linkify), and control ids, versions and abbreviations as they are', () => {
    expect(markdownText('Verify at https://evil.example/desk-login')).toBe('Verify at https&#58;//evil.example/desk-login');
    expect(markdownText('see www.evil.example or mail it@evil.example')).toBe('see www&#46;evil.example or mail it&#64;evil.example');
    expect(markdownText('log in at evil.com/login or sso.evil.io')).toBe('log in at evil&#46;com/login or sso.evil&#46;io');
    for (const plain of ['proofing.no_pii_kbv', 'standard-password-reset.weak', 'v1.2, e.g. a PIN', 'Step 3. Call back']) expect(markdownText(plain)).toBe(plain);
  });

  it('writes control characters visibly and keeps a cell on one line', () => {
    expect(markdownText('one\ntwo \u001b[2J')).toBe('one\\\\u{a}two \\\\u{1b}\\[2J');
  });
});
