// `resetpath report --format html`: one self-contained document a governance team opens or prints.
// Checked on two bundled weak workflows (the sections of the Markdown report, each workflow's graph,
// the gap matrix cell by cell against the report, the evidence cap), and on hostile names: nothing in
// the text can become markup, a link or a script, and a 100,000-character name stays one line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountabilityReport } from '../../analysis/index.ts';
import { accountabilityCsv, accountabilityHtml, accountabilityMarkdown, clip, esc, EVIDENCE_LIMIT, loadBundledWorkflows, OUTCOME_LOOK, TEXT_LIMIT } from '../../backend/index.ts';
import { HOSTILE_NAMES, hostileInputs } from '../fixtures/hostile-names.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-cli-report-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKFLOWS = ['standard-password-reset.weak', 'outsourced-service-desk.weak'];
/** Control, bidirectional and separator characters the display-text rule never lets through raw. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * What would make the document load or run something: a script element, an event-handler attribute,
 * a link or source that leaves the document, a CSS import or url() other than a fragment.
 */
function activeContent(html: string): string[] {
  const found: string[] = [];
  // Text is escaped, so every raw < opens a tag the renderer wrote: check each tag and its attributes.
  for (const [tag, name, attrs] of html.matchAll(/<\/?([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    if (/^(script|iframe|frame|object|embed|link|base|form|img|image|use|foreignObject|animate|set|meta)$/i.test(name!) && !/^<meta (charset|http-equiv="Content-Security-Policy"|name=)/.test(tag)) found.push(tag.slice(0, 80));
    for (const [attr, key, value] of attrs!.matchAll(/([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)/g)) {
      if (/^on/i.test(key!)) found.push(attr.slice(0, 80));
      if (/^(href|src|xlink:href|action|formaction|srcdoc)$/i.test(key!) && !/^["']?#/.test(value!)) found.push(attr.slice(0, 80));
      if (/url\(\s*(?!#)/i.test(value!)) found.push(attr.slice(0, 80));
    }
  }
  const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
  if (/@import|url\(/i.test(style)) found.push('style loads something');
  for (const m of html.matchAll(/javascript:|vbscript:/gi)) found.push(m[0]);
  return found;
}

const h2s = (html: string) => [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]);
const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);

let doc: AccountabilityReport;
let html: string;

beforeAll(async () => {
  const j = await run('report', ...WORKFLOWS, '--format', 'json');
  doc = JSON.parse(j.out) as AccountabilityReport;
  const file = join(dir, 'report.html');
  const r = await run('report', ...WORKFLOWS, '--format', 'html', '--out', file);
  expect(r.code).toBe(0);
  expect(r.out).toBe(`wrote ${file} (html, ${doc.gaps.length} gaps)\n`);
  html = readFileSync(file, 'utf8');
});

describe('resetpath report --format html', () => {
  it('loads and runs nothing: a strict Content-Security-Policy in the head, no script, no event attribute, no outside reference', () => {
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;/);
    expect(activeContent(html)).toEqual([]);
    // The only URLs are the SVG namespace (a name, never fetched).
    expect([...html.matchAll(/https?:\/\/[^\s"'<]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  });

  it('has the sections of the Markdown report, in the same order', () => {
    const md = accountabilityMarkdown(doc)
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    expect(h2s(html)).toEqual(md);
    expect(md).toEqual(['Scope and assumptions', 'Executive summary', 'Gaps and owners', 'Framework references', 'Least-friction control set', 'Residual risk', 'Evidence', 'Lint findings']);
  });

  it('draws each workflow as a graph: one box per step, one line per transition', () => {
    for (const id of WORKFLOWS) {
      const wf = loadBundledWorkflows().find((w) => w.id === id)!;
      const svg = svgs(html).find((s) => s.includes(`aria-label="Workflow graph of ${esc(wf.name)}"`))!;
      expect(svg, id).toBeDefined();
      expect(svg.match(/<rect width="\d+" height="\d+" rx="5"/g)!.length).toBe(wf.stepOrder.length);
      const transitions = wf.stepOrder.reduce((n, s) => n + (wf.steps[s]!.next ? 1 : 0) + (wf.steps[s]!.onFail ? 1 : 0) + new Set(wf.steps[s]!.routes.map((r) => r.to)).size, 0);
      expect(svg.match(/marker-end=/g)!.length).toBe(transitions);
      // Every arrowhead names a marker the document defines, once.
      for (const [, id] of svg.matchAll(/marker-end="url\(#([^)]+)\)"/g)) expect(html.split(`<marker id="${id}"`).length - 1, id).toBe(1);
    }
  });

  it('draws the gap matrix with one cell per workflow and scenario, whose letter names the outcome the report has', () => {
    const matrix = svgs(html).find((s) => s.includes('aria-label="Gap matrix'))!;
    const cells = [...matrix.matchAll(/<g><title>([^<]*)<\/title><rect [^>]*fill="([^"]+)"[^>]*\/><text [^>]*>([^<]*)<\/text><\/g>/g)];
    expect(cells.length).toBe(WORKFLOWS.length * doc.scope.scenarios.length);
    for (const w of doc.summary.perWorkflow)
      for (const o of w.outcomes) {
        const look = OUTCOME_LOOK[o.outcome];
        const cell = cells.find((c) => c[1]!.startsWith(`${w.workflow} × ${o.scenario}: `))!;
        expect(cell[1]!.startsWith(`${w.workflow} × ${o.scenario}: ${look.label}`), cell[1]).toBe(true);
        expect([cell[2], cell[3]]).toEqual([look.fill, esc(look.mark)]);
      }
    // The letters differ, so the matrix reads without colour; the legend names each.
    expect(new Set(Object.values(OUTCOME_LOOK).map((l) => l.mark)).size).toBe(4);
    for (const l of Object.values(OUTCOME_LOOK)) expect(html).toContain(`${esc(l.mark)}</span>${l.label}</span>`);
  });

  it('names per gap the control, its owner role, what it would have blocked, friction and every framework reference with its fit', () => {
    const section = html.slice(html.indexOf('<section id="gaps">'), html.indexOf('<section id="references">'));
    for (const g of doc.gaps) {
      const row = section.slice(section.indexOf(`<td><code>${g.control}</code><br>${esc(g.name)}`)).split('</tr>')[0]!;
      expect(row, g.control).toContain(esc(g.owner.title));
      expect(row).toContain('unassigned');
      for (const m of g.references) expect(row).toContain(`${esc(m.label)}${m.fit ? ` <i>(${m.fit})</i>` : ''}`);
      expect(row).toMatch(/\d+ min<br>/);
    }
  });

  it('marks a reference whose identifier is unconfirmed [U], in the gap row and under the reference', () => {
    const d: AccountabilityReport = structuredClone(doc);
    const m = d.gaps[0]!.references[0]!;
    m.existence = { ...m.existence!, status: 'unconfirmed' };
    const out = accountabilityHtml(d);
    const row = out.slice(out.indexOf(`<td><code>${d.gaps[0]!.control}</code>`)).split('</tr>')[0]!;
    expect(row).toContain(`${esc(m.label)} <i>(${m.fit})</i> <span class="tag u">[U]</span>`);
    const refs = out.slice(out.indexOf('<section id="references">'), out.indexOf('<section id="least-friction">'));
    expect(refs).toContain(`<td>${esc(m.label)}</td><td><span class="tag u">[U] unconfirmed</span></td>`);
  });

  it(`shows at most ${EVIDENCE_LIMIT} evidence classes per gap and counts the ones left out, as the Markdown does`, () => {
    const g = doc.gaps.find((x) => x.evidence.length > EVIDENCE_LIMIT)!;
    expect(g).toBeDefined();
    const left = g.evidence.length - EVIDENCE_LIMIT;
    const sentence = `${left} more class${left === 1 ? '' : 'es'} not shown`;
    expect(html).toContain(sentence);
    expect(accountabilityMarkdown(doc)).toContain(sentence);
    const evidence = html.slice(html.indexOf('<section id="evidence">'));
    const name = doc.scope.workflows.find((w) => w.id === g.workflow)!.name;
    const block = evidence.slice(evidence.indexOf(`<h3><code>${g.control}</code> in ${esc(name)} <code>${g.workflow}</code></h3>`)).split('<h3>')[1]!;
    expect(block.match(/<tr>/g)!.length).toBe(EVIDENCE_LIMIT + 1);
    for (const e of g.evidence.slice(EVIDENCE_LIMIT)) expect(block).not.toContain(`<code>${esc(e.class)}</code>`);
  });
});

describe('esc and clip', () => {
  it('escapes the five characters HTML gives meaning to, in text and in attribute values alike', () => {
    expect(esc(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('writes control and bidirectional characters visibly, and no scheme a reader could follow', () => {
    expect(esc('a\u202eb\u0007c\nd')).toBe('a\\u{202e}b\\u{7}c\\u{a}d');
    expect(esc('JavaScript :alert(1) data:x file:/etc')).toBe('JavaScript &#58;alert(1) data&#58;x file&#58;/etc');
  });

  it('caps text at whole code points and says how many characters it left out', () => {
    expect(clip('x'.repeat(TEXT_LIMIT))).toBe('x'.repeat(TEXT_LIMIT));
    expect(clip('😀'.repeat(TEXT_LIMIT + 3))).toBe(`${'😀'.repeat(TEXT_LIMIT)}… (3 more characters)`);
  });
});

describe('resetpath report --format html with hostile names', () => {
  const { workflow, report } = hostileInputs();
  const out = accountabilityHtml(report, { workflows: [workflow] });

  it('carries every hostile name into the document as text (so the checks below see them)', () => {
    expect(out).toContain(esc(clip(HOSTILE_NAMES.workflow)));
    expect(out).toContain(esc(clip(HOSTILE_NAMES.scenario)));
    expect(out).toContain(esc(clip(HOSTILE_NAMES.file)));
    expect(out).toContain(esc(clip(HOSTILE_NAMES.step, 80)));
  });

  it('is checked by a detector that does find markup, handlers, links and loads (so its silence means something)', () => {
    for (const bad of ['<img src=x>', '<b onclick="x">', '<a href="https://x">', '<svg><use href="x.svg#a"/></svg>', '<div style="background:url(http://x)">', '<p>javascript:x</p>', '<script>x</script>'])
      expect(activeContent(`<style></style>${bad}`), bad).not.toEqual([]);
  });

  it('writes no element, attribute, link or script from a name, and no raw override', () => {
    expect(activeContent(out)).toEqual([]);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('\\u{202e}');
    expect(out).toContain('&lt;script&gt;');
  });

  it('keeps a 100,000-character name to one capped line, saying how much was left out', () => {
    // The whole document is shorter than the one name.
    expect(out.length).toBeLessThan(HOSTILE_NAMES.long.length);
    expect(out).not.toContain('A'.repeat(TEXT_LIMIT + 1));
    expect(out).toMatch(/A{50}… \((99,800|99,920) more characters\)/);
  });
});

describe('a 100,000-character name in the other text formats', () => {
  const { report } = hostileInputs();

  it('is capped in Markdown at 1,000 characters with the count left out', () => {
    const out = accountabilityMarkdown(report);
    expect(out).not.toContain('A'.repeat(1001));
    expect(out).toContain(`${'A'.repeat(999)}… (99,000 more characters)`);
    expect(out.length).toBeLessThan(HOSTILE_NAMES.long.length);
  });

  it('is capped in CSV below Excel\'s 32,767-character cell, its formula prefix still neutralised', () => {
    const d = structuredClone(report);
    d.scope.workflows[0]!.name = HOSTILE_NAMES.long;
    const row = accountabilityCsv(d).split('\r\n')[1]!;
    // The second cell, quoted by RFC 4180 because the count holds a comma.
    const name = /^[^,]*,"([^"]*)"/.exec(row)![1]!;
    expect(name).toMatch(/^'-A+… \(68,000 more characters\)$/);
    expect(name.length).toBeLessThan(32_767);
  });
});
