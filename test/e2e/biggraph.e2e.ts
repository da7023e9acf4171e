// End to end in Chromium (`npm run e2e`): a 200-step workflow is usable on the workbench graph. The
// generated workflow of the scaling benchmark (bench/generate.ts) is dropped on the window and
// analysed; Fit shows every step inside the pane; the minimap pans the view; the step search jumps
// to a step at reading scale; the steps take the keyboard focus and the arrow keys walk them; and a
// long chain (test/renderer/library.ts) collapses into a few boxes that keep the takeover counts and
// open again. Saves big-*.png in test/e2e/screenshots/.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generateWorkflowText } from '../../bench/generate.ts';
import { chainWorkflowText } from '../renderer/library.ts';
import { dropFile, e2eRunner, openSession, shot } from './harness.ts';

const { step, finish } = e2eRunner('large graph end-to-end run');
const GRAPH = '[data-testid="workflow-graph"]';

/** The boxes (steps and collapsed runs) drawn outside the graph pane, as "id: where". */
async function outside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pane = document.querySelector('.graph')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="workflow-graph"] :is([data-step], [data-run])')].flatMap((el) => {
      const r = el.querySelector('.node-box')!.getBoundingClientRect();
      const inside = r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 && r.top >= pane.top - 0.5 && r.bottom <= pane.bottom + 0.5;
      return inside ? [] : [`${el.getAttribute('data-step') ?? el.getAttribute('data-run')}: ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`];
    });
  });
}

/** The scale the graph is drawn at (from its zoom transform). */
async function scale(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = document.querySelector('[data-testid="workflow-graph"] > g')!;
    const m = /scale\(([\d.e-]+)\)/.exec(g.getAttribute('transform') ?? '');
    return m ? Number(m[1]) : 1;
  });
}

async function waitForScale(page: Page, test: (k: number) => boolean): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const k = await scale(page);
    if (test(k)) return k;
    await page.waitForTimeout(50);
  }
  return scale(page);
}

const inPane = async (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const pane = document.querySelector('.graph')!.getBoundingClientRect();
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
  }, selector);

async function main(): Promise<void> {
  const { app, page, problems, close } = await openSession({ width: 1440, height: 900 });
  try {
    await step('a generated 200-step workflow dropped on the window opens as a graph with every step drawn', async () => {
      await page.goto(app.url);
      await page.waitForSelector('[data-workflow-id]');
      await dropFile(page, 'generated-200.yaml', generateWorkflowText(200));
      await page.waitForSelector('[data-workflow-id="generated.s200.c25.seed1"]');
      await page.waitForSelector(`${GRAPH} [data-step="stage_96"]`, { timeout: 30_000 });
      assert.equal(await page.locator(`${GRAPH} [data-step]`).count(), 200);
      if (await page.locator('.notice button[aria-label="Dismiss"]').count()) await page.click('.notice button[aria-label="Dismiss"]');
    });

    await step('the analysis runs, and the graph offers a minimap, a step search and the collapse toggle', async () => {
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="outcome-table"] tr[data-scenario]', { timeout: 120_000 });
      await page.waitForSelector('[data-testid="minimap"]');
      assert.equal(await page.locator('[data-testid="minimap"]').getAttribute('aria-hidden'), 'true', 'the minimap is hidden from screen readers: the steps list says it in words');
      assert.equal(await page.locator('[data-testid="step-search"]').count(), 1);
      assert.equal(await page.locator('[data-testid="collapse-runs"]').count(), 1);
      await shot(page, 'big-01-analysed');
    });

    await step('Fit shows the whole 200-step graph: every step box is inside the pane', async () => {
      await page.click('[data-testid="fit"]');
      const k = await waitForScale(page, (x) => x < 0.2);
      assert.ok(k < 0.2, `Fit went below the old 0.2 floor (k = ${k})`);
      assert.deepEqual((await outside(page)).slice(0, 5), []);
      await shot(page, 'big-02-fit-whole');
      // Zooming out further stops at the whole graph.
      await page.click('.graph-tools button[aria-label="Zoom out"]');
      assert.ok((await scale(page)) >= k - 1e-6, 'the zoom floor is the whole-graph scale');
    });

    await step('a click on the minimap pans the pane there', async () => {
      await page.click('[data-testid="step-search"]');
      await page.fill('[data-testid="step-search"]', 'intake');
      await page.keyboard.press('Enter');
      await waitForScale(page, (x) => x >= 1);
      assert.ok(await inPane(page, `${GRAPH} [data-step="intake"]`));
      const mm = await page.locator('[data-testid="minimap"]').boundingBox();
      assert.ok(mm);
      await page.mouse.click(mm.x + mm.width / 2, mm.y + mm.height - 6);
      await page.waitForTimeout(100);
      assert.ok(await inPane(page, `${GRAPH} [data-step="done"]`), 'the end of the workflow is in view after a click at the bottom of the minimap');
      assert.ok(!(await inPane(page, `${GRAPH} [data-step="intake"]`)));
      await shot(page, 'big-03-minimap-pan');
    });

    await step('the step search lists matches and Enter jumps to the step at reading scale and highlights it', async () => {
      await page.click('[data-testid="fit"]');
      await waitForScale(page, (x) => x < 0.2);
      await page.fill('[data-testid="step-search"]', 'stage 90');
      const options = await page.locator('.find-results [role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-match')));
      assert.equal(options[0], 'stage_90');
      await shot(page, 'big-04-search-list');
      await page.keyboard.press('Enter');
      const k = await waitForScale(page, (x) => x >= 1);
      assert.ok(k >= 1, `the step is shown at reading scale (k = ${k})`);
      assert.ok(await inPane(page, `${GRAPH} [data-step="stage_90"]`), 'stage_90 is in view');
      assert.match((await page.locator(`${GRAPH} [data-step="stage_90"]`).getAttribute('class')) ?? '', /is-found/);
      await shot(page, 'big-05-search-jump');
    });

    await step('the steps take the keyboard focus with their name and takeover paths, arrows walk them and Enter selects', async () => {
      await page.focus(`${GRAPH} [data-nav="stage_90"]`);
      const label = (await page.locator(`${GRAPH} [data-nav="stage_90"]`).getAttribute('aria-label')) ?? '';
      assert.match(label, /stage 90/i);
      assert.match(label, /takeover paths? cross/);
      await page.keyboard.press('ArrowDown');
      const next = await page.evaluate(() => document.activeElement?.getAttribute('data-nav'));
      assert.ok(next && next !== 'stage_90', `ArrowDown moved the focus (to ${next})`);
      assert.ok(await inPane(page, `${GRAPH} [data-step="${next}"] .node-box`));
      // Only one step is a Tab stop: the one that has the focus.
      assert.equal(await page.locator(`${GRAPH} [data-nav][tabindex="0"]`).count(), 1);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="step-card"]');
      assert.match(await page.locator('[data-testid="step-card"]').innerText(), /Leads to:/);
      await page.waitForTimeout(100);
      const [boxBottom, cardTop] = await page.evaluate((id) => [
        document.querySelector(`[data-testid="workflow-graph"] [data-step="${id}"] .node-box`)!.getBoundingClientRect().bottom,
        document.querySelector('[data-testid="step-card"]')!.getBoundingClientRect().top,
      ], next);
      assert.ok(boxBottom <= cardTop, `the selected step (bottom ${boxBottom}) is panned above its card (top ${cardTop})`);
      await shot(page, 'big-06-keyboard-select');
      await page.click('.step-card-close');
    });

    await step('a long chain collapses into a few boxes whose takeover counts are exact, and Fit shows them all', async () => {
      await dropFile(page, 'chain-200.yaml', chainWorkflowText(200, 25));
      await page.waitForSelector('[data-workflow-id="chain-200"]');
      await page.waitForSelector(`${GRAPH} [data-step="check_200"]`, { timeout: 30_000 });
      if (await page.locator('.notice button[aria-label="Dismiss"]').count()) await page.click('.notice button[aria-label="Dismiss"]');
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="outcome-table"] tr[data-scenario]', { timeout: 120_000 });
      // Show every scenario's paths, so the first run (holding the start) carries them all.
      if (await page.locator('.paths-note button').count()) await page.click('.paths-note button');
      const before = await page.locator(`${GRAPH} [data-step]`).count();
      const exitCount = await page.locator('[data-edge-count="check_25>check_26>next"]').getAttribute('data-count');
      const total = /^([\d,]+) takeover paths/.exec(await page.locator('[data-testid="totals"]').innerText())![1]!;
      await page.click('[data-testid="collapse-runs"]');
      await page.waitForSelector(`${GRAPH} [data-run]`);
      await shot(page, 'big-07a-collapsed-reading-scale');
      const runs = await page.locator(`${GRAPH} [data-run]`).count();
      const steps = await page.locator(`${GRAPH} [data-step]`).count();
      assert.ok(runs >= 5, `${runs} runs collapsed`);
      assert.ok(steps < before / 4, `${steps} of ${before} steps still drawn one by one`);
      const first = page.locator(`${GRAPH} [data-nav="run:intake"]`);
      const firstLabel = (await first.getAttribute('aria-label')) ?? '';
      assert.match(firstLabel, /^26 steps: intake … Knowledge check 25, collapsed\. .*takeover paths? (cross|enter)/);
      // The run holding the start step is crossed by every takeover path: its total is the table's, exactly.
      assert.match(firstLabel, new RegExp(`${total} takeover paths cross each of these steps`));
      // A transition out of a run keeps its own exact count.
      assert.equal(await page.locator('[data-edge-count="check_25>check_26>next"]').getAttribute('data-count'), exitCount);
      await page.click('[data-testid="fit"]');
      await page.waitForTimeout(150);
      assert.deepEqual((await outside(page)).slice(0, 5), []);
      await shot(page, 'big-07-collapsed');
    });

    await step('a collapsed run opens with a click, and a search into a collapsed run opens it and shows the step', async () => {
      const runsBefore = await page.locator(`${GRAPH} [data-run]`).count();
      await page.locator(`${GRAPH} [data-run="run:check_26"] .node-box`).click();
      await page.waitForSelector(`${GRAPH} [data-step="check_30"]`);
      assert.equal(await page.locator(`${GRAPH} [data-run]`).count(), runsBefore - 1);
      await page.fill('[data-testid="step-search"]', 'check_130');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`${GRAPH} [data-step="check_130"].is-found`);
      await waitForScale(page, (x) => x >= 1);
      assert.ok(await inPane(page, `${GRAPH} [data-step="check_130"]`), 'check_130 is in view once its run opened');
      await shot(page, 'big-08-run-opened-by-search');
      // Enter on a focused run box opens it too, and the focus moves to its first step.
      await page.click('[data-testid="fit"]');
      const another = page.locator(`${GRAPH} [data-run]`).first();
      const id = (await another.getAttribute('data-run'))!;
      await page.focus(`${GRAPH} [data-nav="${id}"]`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`${GRAPH} [data-step="${id.slice(4)}"]`);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-nav')), id.slice(4));
    });

    await step('no page errors or console warnings', async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await close();
  }
}

await finish(main);
