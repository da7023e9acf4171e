// End to end in Chromium (`npm run e2e`, after app.e2e.ts): kept runs and browser-mode sessions
// (issue 11, items 4, 5 and 7). Starts browser mode on a --workspace file that does not exist (it is
// created, after a line saying so), picks a scenario before running and sees it kept, reloads the
// page (the session survives, the token stays out of the address bar), leaves the workflow and
// comes back to its kept run, changes the workflow and sees the run marked stale, deletes a run,
// and exports during a what-if a file labelled what-if that holds the what-if numbers. Then (issue 11,
// items 5 and 6) it imports a 200-step generated workflow, watches a run's progress bar, cancels the
// run and sees the previous result kept, and collapses and expands the side panels.
// Saves a full-page PNG of each screen in test/e2e/screenshots/ (names start with "r"). Not part of `npm test`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateWorkflowText } from '../../bench/generate.ts';
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
    // A request still in flight when the test reloads the page is cut by that reload, not failed by
    // the app: only those are let pass (net::ERR_ABORTED while reloading).
    let reloading = false;
    page.on('requestfailed', (r) => {
      const error = r.failure()?.errorText ?? '';
      if (reloading && error === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${r.url()} ${error}`);
    });
    const reload = async () => {
      reloading = true;
      try {
        await page.reload();
      } finally {
        reloading = false;
      }
    };
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
      await reload();
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

    let bigTotal = '';
    await step('a long analysis shows its progress and a Cancel button; cancelled, the previous result stays and the app still responds', async () => {
      await dropFile(page, 'generated-200.yaml', generateWorkflowText(200, 25, 42));
      await page.waitForSelector('.notice:has-text("Added to the workspace: generated.s200.c25.seed42")');
      await page.click('.notice button[aria-label="Dismiss"]');
      await page.waitForSelector('[data-workflow-id="generated.s200.c25.seed42"][aria-current="true"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step]');
      // A first run to the end: its result is the one a cancelled run must leave on screen.
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="run-progress"] [role="progressbar"]');
      await page.waitForFunction(() => /run saved in the workspace/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), undefined, { timeout: 120_000 });
      assert.equal(await page.locator('[data-testid="run-progress"]').count(), 0, 'the progress bar goes once the run is done');
      bigTotal = await text(page, '[data-testid="totals"]');
      const before = await text(page, '[data-testid="run-status"]');
      // Again, from the keyboard: the bar fills scenario by scenario until Cancel is pressed.
      await page.focus('[data-testid="run-analysis"]');
      await page.keyboard.press('Enter');
      const bar = page.locator('[data-testid="run-progress"] [role="progressbar"]');
      await bar.waitFor();
      assert.equal(await text(page, '[data-testid="run-status"]'), 'Analysing every scenario…');
      await page.waitForFunction(() => document.querySelector('[role="progressbar"][aria-valuenow]') !== null || !document.querySelector('[data-testid="run-progress"]'));
      assert.equal(await bar.count(), 1, 'the run was still going once the backend had said how far it had got');
      const scenarios = await page.locator('[data-scenario-id]').count();
      assert.equal(await bar.getAttribute('aria-valuemax'), String(scenarios));
      const now = Number(await bar.getAttribute('aria-valuenow'));
      assert.ok(now >= 0 && now <= scenarios, `aria-valuenow ${now}`);
      assert.match(await text(page, '[data-testid="progress-text"]'), new RegExp(`^\\d+ of ${scenarios} scenarios$`));
      assert.match((await bar.getAttribute('aria-valuetext')) ?? '', new RegExp(`^\\d+ of ${scenarios} scenarios, (now: .+|finding the minimal control sets)`));
      await shot(page, 'r07-analysis-progress');
      await page.click('[data-testid="cancel-analysis"]');
      await page.waitForSelector('.notice:has-text("Analysis cancelled")');
      assert.equal(await text(page, '.notice strong'), 'Analysis cancelled; nothing of it was saved. The previous result stays on screen.');
      assert.equal(await page.locator('[data-testid="run-progress"]').count(), 0);
      assert.equal(await text(page, '[data-testid="run-status"]'), before, 'the status line is the previous run\'s again');
      assert.equal(await text(page, '[data-testid="totals"]'), bigTotal, 'the previous result stays on screen');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'run-analysis', 'focus goes back to Run, not to the page');
      await shot(page, 'r08-analysis-cancelled');
      // The cancelled run's 409 is the answer expected, in the page's log as well as on the wire.
      const expected = (p: string) => /409/.test(p) && (/api\/analysis\.run/.test(p) || /status of 409/.test(p));
      assert.ok(problems.some(expected), `the cancelled run answered 409: ${problems.join('; ')}`);
      problems.splice(0, problems.length, ...problems.filter((p) => !expected(p)));
      // The app still responds: the Runs tab lists the finished run only, and a scenario can be picked.
      await page.click('[data-tab="runs"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-panel"] .run-item').length === 1);
      await page.click('.notice button[aria-label="Dismiss"]');
      await page.click(`[data-scenario-id="${S04}"]`);
      assert.equal(await page.locator(`[data-scenario-id="${S04}"]`).getAttribute('aria-pressed'), 'true');
    });

    await step('opening another workflow while an analysis runs cancels that run and says so; the next Run is not refused', async () => {
      const BIG = 'generated.s200.c25.seed42';
      // The move races the run's end: a cancel that reaches the backend after the analysis finished
      // cancels nothing (that run is saved, and nothing is said). Then the big workflow is opened
      // again and the move made at once, with the whole analysis ahead of it.
      for (let attempt = 1; ; attempt++) {
        await page.click('[data-testid="run-analysis"]');
        await page.waitForSelector('[data-testid="cancel-analysis"]');
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/analysis.cancel'));
        await openWorkflow(page, WEAK);
        const { cancelled } = (await (await answer).json()) as { cancelled: boolean };
        if (cancelled) break;
        assert.ok(attempt < 3, `the analysis finished before the move took effect ${attempt} times`);
        console.log('  the analysis finished before the move took effect: opening it again and moving on at once');
        await openWorkflow(page, BIG);
        await page.waitForSelector('[data-testid="workflow-graph"] [data-step]');
      }
      await page.waitForSelector('.notice:has-text("was cancelled when you moved on")');
      assert.equal(await text(page, '.notice strong'), 'The analysis of “Generated workflow (200 steps, 25 controls)” was cancelled when you moved on from it; nothing of it was saved. Run it again to see its result.');
      await shot(page, 'r08b-run-left-cancelled');
      await page.click('.notice button[aria-label="Dismiss"]');
      // The workspace is free: this workflow's run is not refused as "already running".
      await page.click('[data-testid="run-analysis"]');
      await page.waitForFunction(() => /run saved in the workspace/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), undefined, { timeout: 120_000 });
      // The cancelled run's 409 is the answer expected, in the page's log as well as on the wire.
      const expected = (p: string) => /409/.test(p) && (/api\/analysis\.run/.test(p) || /status of 409/.test(p));
      problems.splice(0, problems.length, ...problems.filter((p) => !expected(p)));
      await openWorkflow(page, BIG);
      await page.click(`[data-scenario-id="${S04}"]`);
    });

    await step('the library and the inspector collapse and expand by their labelled buttons, the graph takes the room, and the tab remembers', async () => {
      // The big workflow's kept run is on screen (its report is loaded) before the panels move.
      await page.waitForSelector('[data-testid="outcome-table"]');
      const graphWidth = () => page.locator('[data-testid="workflow-graph"]').evaluate((e) => e.getBoundingClientRect().width);
      const wide = await graphWidth();
      const library = page.locator('[data-testid="toggle-library"]');
      const inspector = page.locator('[data-testid="toggle-inspector"]');
      assert.equal(await library.getAttribute('aria-expanded'), 'true');
      assert.equal(await library.getAttribute('aria-controls'), 'workbench-library');
      assert.equal(await inspector.getAttribute('aria-controls'), 'workbench-inspector');
      await library.click();
      assert.equal(await library.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('#workbench-library').isVisible(), false);
      await page.waitForFunction((w) => (document.querySelector('[data-testid="workflow-graph"]')?.getBoundingClientRect().width ?? 0) > w + 200, wide);
      await inspector.click();
      assert.equal(await inspector.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('#workbench-inspector').isVisible(), false);
      await page.waitForFunction((w) => (document.querySelector('[data-testid="workflow-graph"]')?.getBoundingClientRect().width ?? 0) > w + 600, wide);
      // The graph fits its new pane: every step is still drawn inside it.
      await page.waitForTimeout(400);
      await shot(page, 'r09-panels-collapsed');
      await reload();
      await page.waitForSelector('[data-testid="toggle-library"][aria-expanded="false"]');
      assert.equal(await page.locator('[data-testid="toggle-inspector"]').getAttribute('aria-expanded'), 'false', 'collapsed panels stay collapsed for the tab');
      assert.equal(await page.locator('#workbench-library').isVisible(), false);
      // Expanded from the keyboard; focus stays on the button.
      await page.focus('[data-testid="toggle-library"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#workbench-library [data-workflow-id]');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'toggle-library');
      await page.focus('[data-testid="toggle-inspector"]');
      await page.keyboard.press('Space');
      await page.waitForSelector('#workbench-inspector [role="tablist"]');
      assert.equal(await page.locator('#workbench-inspector').isVisible(), true);
      await openWorkflow(page, 'generated.s200.c25.seed42');
      await page.waitForSelector('[data-testid="outcome-table"]');
      await page.waitForFunction((w) => Math.abs((document.querySelector('[data-testid="workflow-graph"]')?.getBoundingClientRect().width ?? 0) - w) < 2, wide);
      await shot(page, 'r10-panels-expanded');
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
