// The HTML report in a real browser, and its PDF form end to end: Debian's Chromium (through
// playwright-core, as test/e2e does) opens a report whose names carry scripts and event handlers
// and must run none of them; `resetpath report --format pdf` prints a report, pdftotext must find its
// headings and pdftoppm must turn a page into an image. Without Chromium or poppler-utils the tests
// are skipped with the reason, except in CI (CI=true), where .ci/run installs both and a missing
// one fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAccountability } from '../../analysis/index.ts';
import { accountabilityHtml } from '../../backend/index.ts';
import { chromiumPath, launchChromium, type Browser } from '../e2e/harness.ts';
import { HOSTILE_NAMES, hostileInputs, PWN } from '../fixtures/hostile-names.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-report-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const CHROMIUM = (() => {
  try {
    return chromiumPath();
  } catch {
    return null;
  }
})();
const POPPLER = has('pdftotext') && has('pdftoppm');
const CI = process.env.CI === 'true';

describe('resetpath report --format pdf without what it needs', () => {
  it('refuses without --out, before analysing', async () => {
    const r = await run('report', 'standard-password-reset.weak', '--format', 'pdf');
    expect(r.code).toBe(2);
    expect(r.err).toBe('resetpath report: --format pdf needs --out <file.pdf> (a PDF is not written to a terminal)\n');
  });

  it('says in one line that Chromium is missing and how to install it, exit 2, no file', async () => {
    const before = process.env.RESETPATH_CHROMIUM;
    process.env.RESETPATH_CHROMIUM = join(dir, 'no-chromium-here');
    try {
      const out = join(dir, 'none.pdf');
      const r = await run('report', 'standard-password-reset.weak', '--format', 'pdf', '--out', out);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^resetpath report: --format pdf prints the HTML report with Chromium, which was not found \(looked for RESETPATH_CHROMIUM=.*no-chromium-here\); install it \(Debian\/Ubuntu: apt-get install -y chromium;/);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.RESETPATH_CHROMIUM;
      else process.env.RESETPATH_CHROMIUM = before;
    }
  });

  it('refuses a paper size it does not know', async () => {
    const r = await run('report', 'standard-password-reset.weak', '--format', 'pdf', '--out', join(dir, 'x.pdf'), '--paper', 'a3');
    expect(r.code).toBe(2);
    expect(r.err).toBe('resetpath report: --paper must be a4 or letter (got "a3")\n');
  });
});

describe.skipIf(!CHROMIUM && !CI)(`the HTML report in Chromium${CHROMIUM ? '' : ' (skipped: Chromium not found; apt-get install -y chromium)'}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ width: 1200, height: 900 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a file, recording every request the page makes and every console message. */
  async function open(file: string) {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const console: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => console.push(m.text()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Give an onload, onerror or a deferred handler the chance to run if one slipped through.
    await page.mouse.move(200, 300);
    await page.waitForTimeout(300);
    return { page, requests, console };
  }

  /**
   * Writes a report, opens it, and checks what a hostile name must never achieve: a script run, a title
   * changed, a request beyond the file, a script-capable element or an event-handler attribute. Returns
   * the page and the text of the body and of the sign-off and remediation sections.
   */
  async function openInert(file: string, html: string) {
    writeFileSync(file, html);
    const { page, requests } = await open(file);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe('ResetPath accountability report');
    expect(requests).toEqual([pathToFileURL(file).href]);
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script, iframe, object, embed, img, image, foreignObject, a[href^="javascript"]').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName}[${a.name}]`)),
      text: document.body.innerText,
      signOff: document.querySelector('#signoff')?.textContent ?? '',
      remediation: document.querySelector('#remediation')?.textContent ?? '',
    }));
    expect(dom.scripts).toBe(0);
    expect(dom.handlers).toEqual([]);
    return { page, dom };
  }

  it('detects a script that runs (the check below can fail): a page with one sets the marker', async () => {
    const file = join(dir, 'control.html');
    writeFileSync(file, `<!DOCTYPE html><title>control</title><script>${PWN}</script>`);
    const { page } = await open(file);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(1);
    expect(await page.title()).toBe('pwned');
    await page.close();
  });

  it('runs no script from hostile names, loads nothing, and shows the names as text', async () => {
    const { workflow, report } = hostileInputs();
    const { page, dom } = await openInert(join(dir, 'hostile.html'), accountabilityHtml(report, { workflows: [workflow] }));
    expect(dom.text).toContain('<script>window.__pwned=1;');
    expect(dom.text).toContain('\\u{202e}');
    expect(dom.text).toContain(`${HOSTILE_NAMES.long.slice(0, 50)}`);
    // The CSP is enforced, not only written: a script element added after load is refused by it.
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
          const s = document.createElement('script');
          s.textContent = 'window.__pwned = 2';
          document.body.appendChild(s);
          setTimeout(() => resolve('no violation reported'), 2000);
        }),
    );
    expect(violated).toMatch(/^script-src/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('runs no script from hostile owner names, tickets, notes or a sign-off, and shows them as text', async () => {
    const { workflow, report } = hostileInputs();
    const g = report.gaps[0]!;
    const withData = withAccountability(report, {
      asOf: '2026-01-01T00:00:00.000Z',
      owners: [{ role: g.owner.role, workflow: null, name: HOSTILE_NAMES.workflow, contact: HOSTILE_NAMES.step }],
      remediation: [{ workflow: g.workflow, control: g.control, status: 'risk_accepted', due: '2025-01-01', ticket: HOSTILE_NAMES.file, notes: `${HOSTILE_NAMES.scenario}\n${HOSTILE_NAMES.long}` }],
      signOff: { reportId: 'r-1', signedBy: HOSTILE_NAMES.workflow, signedAt: '2026-01-01T00:00:00.000Z', decision: 'accept', justification: HOSTILE_NAMES.scenario },
    });
    const { page, dom } = await openInert(join(dir, 'hostile-accountability.html'), accountabilityHtml(withData, { workflows: [workflow] }));
    expect(dom.signOff).toContain('<script>window.__pwned=1;');
    expect(dom.remediation).toContain('Risk accepted without');
    await page.close();
  });
});

describe.skipIf((!CHROMIUM || !POPPLER) && !CI)(`resetpath report --format pdf${CHROMIUM && POPPLER ? '' : ' (skipped: needs chromium and poppler-utils)'}`, () => {
  const out = join(dir, 'report.pdf');
  let text = '';

  beforeAll(async () => {
    const r = await run('report', 'standard-password-reset.weak', 'outsourced-service-desk.weak', '--format', 'pdf', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*report\.pdf \(pdf, A4, \d+ gaps\)\n$/);
    text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  }, 180_000);

  it('prints every heading of the report on A4 pages', () => {
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const h of ['ResetPath accountability report', 'Scope and assumptions', 'Executive summary', 'Gaps and owners', 'Framework references', 'Least-friction control set', 'Residual risk', 'Evidence', 'Lint findings']) expect(text, h).toContain(h);
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThan(5);
  });

  it('carries the names, ids and counts as text, not only as pictures', () => {
    expect(text).toContain('Standard employee password reset (as found)');
    expect(text).toContain('approval.dual');
    expect(text).toMatch(/CSF 2\.0 PR\.AA-0\d/);
  });

  it('turns its first page into a PNG image', () => {
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', out, join(dir, 'page')]);
    const png = join(dir, 'page-01.png');
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });
});
