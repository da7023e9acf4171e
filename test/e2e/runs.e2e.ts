// End to end in Chromium (`npm run e2e`, after app.e2e.ts): kept runs and browser-mode sessions
// (issue 11, items 4, 5 and 7). Starts browser mode on a --workspace file that does not exist (it is
// created, after a line saying so), picks a scenario before running and sees it kept, reloads the
// page (the session survives, the token stays out of the address bar), leaves the workflow and
// comes back to its kept run, changes the workflow and sees the run marked stale, deletes a run,
// and exports during a what-if a file labelled what-if that holds the what-if numbers.
// Saves a full-page PNG of each screen in test/e2e/screenshots/ (names start with "r"). Not part of `npm test`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildRenderer, dropFile, e2eRunner, launchChromium, ROOT, shot, SHOTS, startAndWaitForUrl, tempDataDir, TSX, watchPage } from './harness.ts';

const { step, finish } = e2eRunner('kept runs and sessions');
const WEAK = 'standard-password-reset.weak';
// S04 has takeover paths but is not the first scenario: before the fix, a run selected S01's first class instead.
const S04 = 's04-sim-swap-sspr';


const text = (page: Page, selector: string) => page.locator(selector).first().innerText();


/** Opens a workflow from the sidebar and waits until its graph is drawn. */
async function openWorkflow(page: Page, id: string): Promise<void> {
  await page.click(`[data-workflow-id="${id}"]`);
  await page.waitForSelector(`[data-workflow-id="${id}"][aria-current="true"]`);
  await page.waitForSelector('[data-testid="workflow-graph"] [data-step]');
}

/** The number at the start of the totals line ("19 takeover paths …", or "19 → 0 takeover paths" during a what-if: the number now). */
async function pathsNow(page: Page): Promise<number> {
  const t = await text(page, '[data-testid="totals"]');
  const m = /(?:→\s*)?([\d,]+) takeover paths?/.exec(t.includes('→') ? t.slice(t.indexOf('→')) : t);
  assert.ok(m, `totals line: ${t}`);
  return Number(m[1]!.replace(/,/g, ''));
}

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  buildRenderer();

  const data = tempDataDir();
  const workspace = join(data.dir, 'brand-new.resetpath');
  const app = await startAndWaitForUrl(TSX, [join(ROOT, 'backend', 'serve.ts'), '--static', join(ROOT, 'out', 'renderer'), '--workspace', workspace], { ...process.env, RESETPATH_DATA_DIR: data.dir });
  const browser = await launchChromium({ width: 1440, height: 900 });
  const problems: string[] = [];
  try {
    const page = await browser.context.newPage();
    watchPage(page, problems);
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });

    await step('browser mode with a --workspace file that does not exist says so, creates it and serves it', async () => {
      assert.match(app.output(), new RegExp(`resetpath serve: ${workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such workspace; creating a new, empty one`));
      assert.ok(existsSync(workspace), 'the workspace file exists');
      await page.goto(app.url);
      await page.waitForSelector(`[data-workflow-id="${WEAK}"]`);
      assert.match(await text(page, '.topbar .ws'), /workspace\s+brand-new\.resetpath/);
      assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar once read');
    });

    await step('a scenario picked before the run stays picked after it, and focus stays on Run', async () => {
      await openWorkflow(page, WEAK);
      assert.match(await text(page, '[data-testid="run-status"]'), /^Not analysed yet$/);
      await page.click(`[data-scenario-id="${S04}"]`);
      assert.equal(await page.locator(`[data-scenario-id="${S04}"]`).getAttribute('aria-pressed'), 'true');
      await page.focus('[data-testid="run-analysis"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`[data-testid="outcome-table"] tr[data-scenario="${S04}"]`);
      assert.equal(await page.locator(`[data-scenario-id="${S04}"]`).getAttribute('aria-pressed'), 'true', 'S04 is still the picked scenario');
      assert.equal(await page.locator(`tr[data-scenario="${S04}"]`).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator(`tr[data-scenario="${S04}"]`).getAttribute('data-outcome'), 'takeover_undetected');
      assert.match(await text(page, '.paths-note'), /^Drawn: S04, 1 path of \d+/);
      // Its first class is the one on the Path class tab.
      await page.waitForSelector(`[data-testid="class-panel"][data-class="${S04}#1"]`);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'run-analysis', 'focus is kept on the Run button');
      // The sidebar says each outcome by shape as well as colour.
      const glyphs = await page.locator('[data-scenario-id] .sc-dot').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome-glyph')));
      assert.ok(glyphs.includes('●') && glyphs.includes('■'), `sidebar glyphs: ${[...new Set(glyphs)].join(' ')}`);
      await shot(page, 'r01-picked-scenario-kept', true);
    });

    let firstTotal = 0;
    await step('reloading the page keeps the session for the tab without the token in the address bar, and the kept run comes back', async () => {
      firstTotal = await pathsNow(page);
      await page.reload();
      await page.waitForSelector(`[data-workflow-id="${WEAK}"]`);
      const url = new URL(page.url());
      assert.equal(url.hash, '');
      assert.ok(!page.url().includes('token'), `no token in ${page.url()}`);
      await openWorkflow(page, WEAK);
      await page.waitForSelector('[data-testid="outcome-table"]');
      assert.match(await text(page, '[data-testid="run-status"]'), /^Last stored run, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · \d+ scenarios$/);
      assert.equal(await pathsNow(page), firstTotal);
      await shot(page, 'r02-after-reload-kept-run', true);
    });

    await step('switching to another workflow and back shows the kept run again, not "Not analysed yet"', async () => {
      await openWorkflow(page, 'standard-password-reset.hardened');
      await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'Not analysed yet');
      assert.equal(await page.locator('[data-testid="outcome-table"]').count(), 0);
      await openWorkflow(page, WEAK);
      await page.waitForSelector('[data-testid="outcome-table"]');
      assert.match(await text(page, '[data-testid="run-status"]'), /^Last stored run, /);
      assert.equal(await pathsNow(page), firstTotal);
    });

    await step('the Runs tab lists the stored runs with their counts, which one is on screen, and the workspace size', async () => {
      await page.click('[data-testid="run-analysis"]');
      await page.waitForFunction(() => /run saved in the workspace/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
      await page.click('[data-tab="runs"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-panel"] .run-item').length === 2);
      const items = page.locator('.run-item');
      assert.equal(await items.nth(0).locator('.badge', { hasText: 'on screen' }).count(), 1, 'the newest run is the one on screen');
      assert.match(await items.nth(0).innerText(), new RegExp(`${firstTotal} takeover paths · \\d+ undetected · \\d+ on privileged accounts`));
      assert.match(await items.nth(0).innerText(), /\d+ scenarios, exhaustive · made on the bundled file · [\d.]+ kB/);
      assert.match(await text(page, '[data-testid="workspace-size"]'), /^Workspace on disk: [\d.]+ (kB|MB), holding 2 stored runs/);
      assert.match(await text(page, '[data-tab="runs"]'), /Runs\s*2/);
      await shot(page, 'r03-runs-tab', true);
    });

    await step('changing the workflow (a re-import with the same id) marks its kept run stale', async () => {
      const changed = readFileSync(join(ROOT, 'models', 'library', `${WEAK}.yaml`), 'utf8').replace('name: Standard employee password reset (as found)', 'name: Standard employee password reset (as found, edited)');
      await dropFile(page, `${WEAK}.yaml`, changed);
      await page.waitForSelector('.notice');
      await page.click('.notice button[aria-label="Dismiss"]');
      await page.waitForSelector('[data-testid="run-status"][data-stale="true"]');
      assert.match(await text(page, '[data-testid="run-status"]'), /^stale\s*Last stored run, /);
      assert.equal(await text(page, '[data-testid="stale-banner"] span'), 'Stale run: made on the bundled file of this workflow, which has changed since: these results may no longer hold.');
      await page.click('[data-tab="runs"]');
      await page.waitForFunction(() => document.querySelectorAll('.run-item[data-stale="true"]').length === 2);
      await shot(page, 'r04-stale-run', true);
    });

    let shownRun = '';
    await step('a run is deleted after a confirming second click, and the next newest one is shown', async () => {
      const ids = await page.locator('.run-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
      await page.click(`.run-item[data-run-id="${ids[0]}"] button:has-text("Delete…")`);
      await shot(page, 'r05-delete-confirm', true);
      await page.click(`.run-item[data-run-id="${ids[0]}"] button:has-text("Delete for good")`);
      await page.waitForFunction(() => document.querySelectorAll('.run-item').length === 1);
      assert.match(await text(page, '.notice'), /^Deleted the run of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d from the workspace \(recorded in the audit log\)\./);
      await page.waitForSelector(`.run-item[data-run-id="${ids[1]}"] .badge:has-text("on screen")`);
      shownRun = ids[1]!;
      assert.match(await text(page, '[data-testid="workspace-size"]'), /holding 1 stored run /);
      await page.click('.notice button[aria-label="Dismiss"]');
    });

    await step('export during a what-if gives a file labelled what-if with the what-if numbers; without one, a file labelled baseline', async () => {
      const baseline = await pathsNow(page);
      await page.click('[data-tab="whatif"]');
      await page.waitForSelector('.whatif-row[data-control="callback.number_on_file"] input:not([disabled])');
      await page.click('.whatif-row[data-control="callback.number_on_file"] input');
      await page.waitForFunction(() => /→/.test(document.querySelector('[data-testid="totals"]')?.textContent ?? ''));
      const whatIf = await pathsNow(page);
      assert.ok(whatIf < baseline, `what-if ${whatIf} < baseline ${baseline}`);
      assert.equal(await text(page, '[data-testid="export-json"]'), 'Export JSON · what-if');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
      assert.equal(download.suggestedFilename(), `${WEAK}.what-if.analysis.json`);
      const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { workflows: { totals: { paths: number } }[]; view: unknown };
      assert.equal(doc.workflows[0]!.totals.paths, whatIf);
      assert.deepEqual(doc.view, { kind: 'what-if', runId: shownRun, stale: true, changes: [{ control: 'callback.number_on_file', on: true }] });
      assert.match(await text(page, '.notice'), new RegExp(`Exported the what-if analysis \\(1 control change on the file, not saved\\) as ${WEAK.replace(/\./g, '\\.')}\\.what-if\\.analysis\\.json`));
      await shot(page, 'r06-whatif-export', true);
      await page.click('.notice button[aria-label="Dismiss"]');
      await page.click('.whatif-banner button');
      await page.waitForFunction(() => !/→/.test(document.querySelector('[data-testid="totals"]')?.textContent ?? ''));
      const [base] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
      assert.equal(base.suggestedFilename(), `${WEAK}.baseline.analysis.json`);
      const bdoc = JSON.parse(readFileSync((await base.path())!, 'utf8')) as { workflows: { totals: { paths: number } }[]; view: { kind: string; changes: unknown[] } };
      assert.equal(bdoc.workflows[0]!.totals.paths, baseline);
      assert.equal(bdoc.view.kind, 'baseline');
      assert.deepEqual(bdoc.view.changes, []);
    });

    await step('no page errors, console errors or failed requests', async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await browser.close();
    await app.stop();
    data.remove();
  }
}

await finish(main);
