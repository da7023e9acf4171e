// End to end in Chromium (`npm run e2e`, after tabletop.e2e.ts): an architect opens the Simulation
// screen, runs a small risk-versus-friction trade-off, picks a point of the frontier with the mouse
// and another with the keyboard, and sees each one's controls, risk with its interval and friction,
// and the simulated day. Saves PNGs in test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { e2eRunner, openSession, shot } from './harness.ts';

const WORKFLOW = 'standard-password-reset.weak';
const { step, finish } = e2eRunner('simulation end-to-end run');


async function main(): Promise<void> {
  const { app, page, problems, close } = await openSession({ width: 1440, height: 900 });
  try {

    await step('the Simulation screen opens from the mode switch, next to the workbench, the gap matrix and the tabletop', async () => {
      await page.goto(app.url);
      await page.click('nav.modes button:has-text("Simulation")');
      await page.waitForSelector('h1:has-text("Simulation: risk against friction")');
      assert.equal(await page.locator('nav.modes button[aria-current="page"]:visible').innerText(), 'Simulation');
    });

    await step('a small trade-off runs in the backend\'s workers and draws the frontier, every axis labelled with its unit', async () => {
      await page.selectOption('.sim-form label:has-text("Workflow") select', WORKFLOW);
      await page.fill('.sim-form label:has-text("Days") input', '3');
      await page.fill('.sim-form label:has-text("Runs per candidate") input', '3');
      await page.fill('.sim-form label:has-text("Candidates at most") input', '12');
      const started = Date.now();
      await page.click('button:has-text("Simulate candidates")');
      await page.waitForSelector('.sim-chart .sim-point', { timeout: 120_000 });
      process.stdout.write(`  (trade-off of 12 candidates x 3 runs x 3 days answered in ${Date.now() - started} ms)\n`);
      const axes = await page.locator('.sim-chart .axis-label').allTextContents();
      // The chart starts on the risk of the class most at risk as the workflow is, named on its axis and in the view's selector.
      const view = await page.locator('.sim-view select option:checked').innerText();
      assert.notEqual(view, 'All classes');
      assert.deepEqual(axes, ['Friction: expected minutes added per legitimate request (square-root scale)', `Risk: ${view} takeovers per 1000 days`]);
      assert.equal(await page.locator('.sim-chart .sim-point').count(), 12);
      assert.ok((await page.locator('.sim-chart .sim-point[data-frontier="true"]').count()) >= 1, 'some point is on the frontier');
    });

    await step('picking a frontier point lists its controls, its risk with interval and its friction', async () => {
      // The frontier point of most friction (points are drawn frontier last, so it comes first).
      const point = page.locator('.sim-chart .sim-point[data-frontier="true"]').first();
      const index = await point.getAttribute('data-point');
      // The symbol itself, as a user aims at it (labels let clicks through).
      await point.locator('path').click();
      await page.waitForSelector(`#sim-point-title:has-text("Candidate #${index}")`);
      assert.equal(await point.getAttribute('aria-pressed'), 'true');
      const details = await page.locator('.sim-details').innerText();
      assert.match(details, /takeovers per 1000 days \(all classes\)/);
      assert.match(details, /On the Pareto frontier/);
      assert.match(details, /\[[\d.]+, [\d.]+\]/, 'the risk comes with its 95% interval');
      assert.match(details, /expected minutes per legitimate request/);
      const controls = await page.locator('.sim-controls li').allInnerTexts();
      if (index !== '0') assert.ok(controls.length > 0 && controls.every((c) => /^[a-z0-9_]+\.[a-z0-9_.]+ — /.test(c)), `controls listed: ${controls.join(' | ')}`);
      assert.equal(await page.locator('.sim-hours').count(), 2, 'queue length and takeovers over the simulated day');
      assert.equal(await page.locator('.sim-hours').first().locator('rect.bar').count(), 24);
      await shot(page, 's01-simulation-frontier', true);
    });

    await step('the keyboard moves along the frontier: Home picks the riskiest end, ArrowRight the next point', async () => {
      await page.locator('.sim-chart .sim-point').first().focus();
      await page.keyboard.press('Home');
      const first = await page.evaluate(() => document.activeElement?.getAttribute('data-point'));
      await page.waitForSelector(`#sim-point-title:has-text("Candidate #${first}")`);
      const frontierCount = await page.locator('.sim-chart .sim-point[data-frontier="true"]').count();
      await page.keyboard.press('ArrowRight');
      const second = await page.evaluate(() => document.activeElement?.getAttribute('data-point'));
      if (frontierCount > 1) assert.notEqual(second, first);
      await page.waitForSelector(`#sim-point-title:has-text("Candidate #${second}")`);
      await page.keyboard.press('Enter');
      await shot(page, 's02-simulation-keyboard');
      await page.locator('#sim-day-title').scrollIntoViewIfNeeded();
      await shot(page, 's03-simulation-day-and-choices');
    });

    await step('the chart plots one class\'s risk with its target line and least-friction set, or every class together without them', async () => {
      await page.selectOption('.sim-view select', { label: 'Standard employee' });
      assert.equal(await page.locator('.sim-chart .axis-label').nth(1).textContent(), 'Risk: Standard employee takeovers per 1000 days');
      assert.match((await page.locator('.sim-chart .sim-target text').textContent()) ?? '', /^target 10$/);
      const chosen = page.locator('.sim-chart .sim-point.role-chosen');
      assert.equal(await chosen.count(), 1, 'the class\'s least-friction set is marked');
      const chosenIndex = await chosen.getAttribute('data-point');
      const row = await page.locator('section[aria-labelledby="sim-choices-title"] tbody tr:has-text("Standard employee")').innerText();
      assert.match(row, new RegExp(`#${chosenIndex} `), 'the chart marks the set the choices table names');
      await page.locator('.sim-grid').evaluate((el) => el.scrollIntoView());
      await shot(page, 's04-simulation-class-view');
      await page.selectOption('.sim-view select', { label: 'All classes' });
      assert.equal(await page.locator('.sim-chart .axis-label').nth(1).textContent(), 'Risk: takeovers per 1000 days, all classes');
      assert.equal(await page.locator('.sim-chart .sim-point.role-chosen').count(), 0, 'no class\'s choice on the all-class axis');
      assert.equal(await page.locator('.sim-chart .sim-target').count(), 0);
      assert.match(await page.locator('.sim-legend').innerText(), /Targets are set per class/);
      await page.locator('.sim-grid').evaluate((el) => el.scrollIntoView());
      await shot(page, 's05-simulation-all-classes');
    });

    await step('the least-friction set per class is listed with its target, and its link picks that set', async () => {
      const rows = page.locator('section[aria-labelledby="sim-choices-title"] tbody tr');
      const texts = await rows.allInnerTexts();
      assert.ok(texts.some((r) => /^Standard employee\t10\t/.test(r)), texts.join('\n'));
      const link = rows.locator('button.link').first();
      if ((await link.count()) > 0) {
        const index = (await link.innerText()).match(/^#(\d+)/)![1];
        await link.click();
        await page.waitForSelector(`#sim-point-title:has-text("Candidate #${index}")`);
      }
    });

    await step('no page errors or console errors', async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await close();
  }
}

await finish(main);
