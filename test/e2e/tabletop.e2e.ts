// End to end in Chromium, at a projector's 1280x720 (`npm run e2e`, after app.e2e.ts): a facilitator
// sets up a tabletop session, opens the presenter view in a second tab, takes the room through six
// decision points with the presenter kept in step (and never showing the facilitator's notes), the
// host is restarted mid-session, the session resumes where it was, the room finishes, the session is
// closed for the debrief and the after-action report lists each decision with its time and gap.
// Saves PNGs of the console and the presenter view in test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildRenderer, e2eRunner, launchChromium, ROOT, type Running, shot, SHOTS, startAndWaitForUrl, tempDataDir, TSX, watchPage } from './harness.ts';

const SECRET = 'FACILITATOR-ONLY';
const WORKFLOW = 'walk-in-service-point.weak';
const SCENARIO = 's25-forged-id-at-the-counter';
const { step, finish } = e2eRunner('tabletop end-to-end run');



/** The presenter tab shows `n` decisions and the console's current inject (or the end), and no note of the facilitator's. */
async function inStep(presenter: Page, n: number, injectTitle: string | null): Promise<void> {
  await presenter.waitForFunction((k) => document.querySelector('.presenter-count')?.textContent?.startsWith(`${k} decision`), n, { timeout: 10_000 });
  if (injectTitle) await presenter.waitForFunction((t) => document.querySelector('.presenter-point h2')?.textContent === t, injectTitle, { timeout: 10_000 });
  const body = await presenter.locator('body').innerText();
  assert.ok(!body.includes(SECRET), 'the presenter view never shows the facilitator\'s notes');
}

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  buildRenderer();

  const data = tempDataDir();
  const start = () => startAndWaitForUrl(TSX, [join(ROOT, 'backend', 'serve.ts')], { ...process.env, RESETPATH_DATA_DIR: data.dir });
  let app: Running = await start();
  const browser = await launchChromium({ width: 1280, height: 720 });
  const problems: string[] = [];
  try {
    let page = await browser.context.newPage();
    watchPage(page, problems, 'console');
    let presenter: Page;
    const openPresenter = async () => {
      const [p] = await Promise.all([browser.context.waitForEvent('page'), page.click('button:has-text("Open presenter view")')]);
      watchPage(p, problems, 'presenter');
      await p.waitForSelector('.presenter-head h1');
      return p;
    };
    const current = async () => (await page.locator('#point-title').innerText()).trim();
    const injectTitle = async () => (await page.locator('.inject h3').innerText()).replace(/\s*edited$/, '').trim();
    let decisions = 0;
    const approve = async () => {
      const before = await current();
      await page.click('.choices:not(.secondary) .choice-approve');
      decisions++;
      await page.waitForFunction((b) => document.querySelector('#point-title')?.textContent?.trim() !== b, before);
    };

    await step('the facilitator sets up a session: workflow, scenario, participants with their roles, notes kept from the room', async () => {
      await page.goto(app.url);
      await page.click('button:has-text("Tabletop exercise")');
      await page.waitForSelector('h1:has-text("Tabletop exercise")');
      await shot(page, 't01-tabletop-welcome');
      await page.click('button:has-text("New session")');
      await page.fill('input[placeholder="Q3 help-desk drill"]', 'Walk-in counter drill');
      // A pair that cannot be played says why, beside the button, which stays disabled.
      await page.selectOption('.setup-form label:has-text("Workflow") select', 'service-account-key-reset.weak');
      await page.selectOption('.setup-form label:has-text("Scenario") select', 's01-osint-vishing');
      await page.waitForSelector('[data-testid="not-playable"]');
      assert.match(await page.locator('[data-testid="not-playable"]').innerText(), /cannot be played against this workflow: the workflow does not serve the Standard employee account class/);
      assert.ok(await page.locator('button:has-text("Create session")').isDisabled(), 'an unplayable pair cannot be created');
      await page.selectOption('.setup-form label:has-text("Workflow") select', WORKFLOW);
      await page.selectOption('.setup-form label:has-text("Scenario") select', SCENARIO);
      // The routes the scenario's attacker can take into this workflow; the first is the default.
      const routeSelect = page.locator('.setup-form label:has-text("Route the attacker takes") select');
      await routeSelect.waitFor();
      assert.deepEqual(await routeSelect.locator('option').allInnerTexts(), ['walk-in, claiming Standard employee', 'phone, claiming Standard employee']);
      await page.fill('.setup-form textarea >> nth=0', 'Priya Shah — proofing_standards_owner\nSam Ortiz — Service-desk lead');
      await page.fill('.setup-form label:has-text("Facilitator") input', 'Dana Lee');
      await page.fill('.setup-form label:has-text("notes") textarea', `${SECRET}: Sam tends to wave people through`);
      await shot(page, 't02-tabletop-setup');
      await page.click('button:has-text("Create session")');
      await page.waitForSelector('#point-title:has-text("Decision point 1.1")');
    });

    await step('the presenter view opens in a second tab, shows the room the same inject, and not the notes', async () => {
      presenter = await openPresenter();
      await inStep(presenter, 0, await injectTitle());
      // The tab holds a token of its own that reads the room's view and nothing else.
      const tokenOf = (p: Page) => p.evaluate(() => (JSON.parse(sessionStorage.getItem('resetpath.session') ?? '{}') as { token?: string }).token ?? '');
      const [mine, its] = [await tokenOf(page), await tokenOf(presenter)];
      assert.ok(its && mine && its !== mine, 'the presenter tab was handed a token other than the console\'s');
      // Asked from here, not from the tab, whose console would log the refusal as an error.
      const list = async (t: string) => (await fetch(new URL('/api/tabletop.list', presenter.url()), { method: 'POST', headers: { 'content-type': 'application/json', 'x-resetpath-token': t }, body: '{}' })).status;
      assert.equal(await list(its), 403, "the presenter tab's token cannot list the sessions");
      assert.equal(await list(mine), 200, "the console's token can (so the 403 above is the token's scope)");
      // Its token reads its own session's view, and no other session's.
      const view = async (sessionId: string) => (await fetch(new URL('/api/tabletop.presenter', presenter.url()), { method: 'POST', headers: { 'content-type': 'application/json', 'x-resetpath-token': its }, body: JSON.stringify({ sessionId }) })).status;
      assert.equal(await view(its.slice(0, its.indexOf('.'))), 200, "the presenter tab's token reads its session's view");
      assert.equal(await view('another-session'), 403, "the presenter tab's token cannot read another session's view");
    });

    await step('the room decides at three points; the presenter follows each; a note on a step stays with the facilitator', async () => {
      await page.fill('.step-note textarea', `${SECRET}: hesitation at the counter`);
      await page.click('button:has-text("Save note")');
      await page.selectOption('.decide-fields select', 'Sam Ortiz');
      await page.fill('.decide-fields input', 'the caller showed a licence');
      await approve();
      await inStep(presenter, 1, await injectTitle());
      // The identity provider's code checks ran before the next point, without the room: its screen says what they did.
      const walkShown = await presenter.locator('[data-testid="presenter-walk"]').innerText();
      assert.match(walkShown, /Since the last decision, without the room[\s\S]*Code from the authenticator app: performed by Identity provider, not the room: failed/, walkShown);
      await shot(presenter, 't04b-presenter-walk');
      const [height, room] = await presenter.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
      assert.ok(height! <= room!, `the presenter page with the walk needs no scrolling at 1280x720 (${height} px of content, ${room} px of screen)`);
      await page.click('.choices.secondary button:has-text("Ask the caller for more evidence")');
      decisions++;
      await inStep(presenter, 2, await injectTitle());
      await approve();
      await inStep(presenter, 3, await injectTitle());
      await approve();
      await inStep(presenter, 4, await injectTitle());
    });

    await step('the facilitator releases every timed inject; the room sees the newest, and its screen still fits a 1280x720 projector', async () => {
      const buttons = page.locator('button.btn-small:has-text("Release")');
      const n = await buttons.count();
      assert.ok(n >= 3, `the scenario has timed injects to release (${n})`);
      // What an inject assumes: the counter workflow has no liveness check, and the room has not given way to a takeover yet.
      const notes = await page.locator('.injects .inject-applies').allInnerTexts();
      assert.ok(notes.some((t) => t.includes('Does not apply: the workflow has no liveness')), `the console says the video-check inject does not apply:\n${notes.join('\n')}`);
      assert.ok(notes.some((t) => t.includes('Assumes a takeover, which the exercise has not reached')), `the console says the clerk's call assumes a takeover:\n${notes.join('\n')}`);
      for (let left = n - 1; left >= 0; left--) {
        await buttons.first().click();
        await page.waitForFunction((l) => [...document.querySelectorAll('button.btn-small')].filter((b) => b.textContent?.trim() === 'Release').length === l, left);
      }
      await presenter.waitForFunction((count) => document.querySelector('[data-testid="presenter-injects"] h3')?.textContent === `Latest inject (${count} released)`, n, { timeout: 10_000 });
      assert.equal(await presenter.locator('[data-testid="presenter-injects"] li').count(), 1, 'the room sees the newest inject');
      const roomText = await presenter.locator('body').innerText();
      assert.ok(!/Does not apply|Assumes a takeover|check first/.test(roomText), 'the room never sees the console\'s note on an inject');
      await shot(page, 't03-console-1280x720');
      await shot(presenter, 't04-presenter-1280x720');
      const [height, room] = await presenter.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
      assert.ok(height! <= room!, `the presenter page needs no scrolling at 1280x720 (${height} px of content, ${room} px of screen)`);
    });

    let resumedAt = '';
    await step('the host restarts mid-session and the session resumes at the same decision point', async () => {
      resumedAt = await current();
      await presenter.close();
      await app.stop();
      app = await start();
      await page.close();
      page = await browser.context.newPage();
      watchPage(page, problems, 'console after restart');
      await page.goto(app.url);
      await page.click('button:has-text("Tabletop exercise")');
      await page.click('.session-item:has-text("Walk-in counter drill")');
      await page.waitForSelector('#point-title');
      assert.equal(await current(), resumedAt);
      assert.equal(await page.locator('.timeline li:not(.t-walk)').count(), 4);
      // The steps that ran without the room (the routing step) are listed in the walk, where they came.
      assert.ok((await page.locator('.timeline li.t-walk').count()) >= 1, 'the walk shows the steps the room did not decide');
      presenter = await openPresenter();
      await inStep(presenter, 4, await injectTitle());
    });

    await step('the room goes on to the end of the walk; every step is followed by the presenter', async () => {
      for (let i = 0; i < 10 && (await page.locator('.choices .choice-approve').count()) > 0; i++) {
        await approve();
        const ended = (await page.locator('.choices .choice-approve').count()) === 0;
        await inStep(presenter, decisions, ended ? null : await injectTitle());
      }
      const distinctPoints = new Set((await page.locator('.timeline li:not(.t-walk) strong').allInnerTexts()).map((s) => s.trim()));
      assert.ok(distinctPoints.size >= 4, `the room passed ${distinctPoints.size} decision points`);
      // The identity provider's code checks are not the room's to decide: the walk says what they did.
      const walk = await page.locator('.timeline li.t-walk').allInnerTexts();
      assert.ok(walk.some((t) => /performed by Identity provider, not the room: failed/.test(t)), `the walk lists the identity provider's steps:\n${walk.join('\n')}`);
      await page.waitForSelector('.end h2');
      assert.match(await page.locator('.end h2').innerText(), /Takeover/);
      await presenter.waitForSelector('h2:has-text("The exercise has reached its end")');
      assert.equal(await presenter.locator('text=The controls required').count(), 0, 'debrief mode: no verdicts before the debrief');
      await shot(page, 't05-console-end');
    });

    await step('closing the session for the debrief shows the room the verdicts, still without the notes', async () => {
      await page.click('button:has-text("Close for debrief")');
      await page.waitForSelector('.console-actions .badge:has-text("closed")');
      await presenter.waitForSelector('text=The controls required', { timeout: 10_000 });
      const body = await presenter.locator('body').innerText();
      assert.ok(!body.includes(SECRET));
      // Every decision is in the debrief, the one no control decides (more evidence asked for) too.
      assert.equal(await presenter.locator('.presenter-debrief li').count(), decisions, 'one debrief line per decision');
      assert.equal(await presenter.locator('.presenter-debrief li.is-open').count(), 1, 'the evidence asked for is the room’s own call');
      await shot(presenter, 't06-presenter-debrief');
    });

    await step('the after-action report lists each decision with its exercise time and the gap it left', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("After-action report (Markdown)")')]);
      const md = readFileSync((await download.path())!, 'utf8');
      assert.match(md, /^# After-action report: Walk-in counter drill/);
      const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Where the room differed'));
      const rows = timeline.split('\n').filter((l) => /^\| \d\d:\d\d \| /.test(l));
      const shown = await page.locator('.timeline li:not(.t-walk)').count();
      assert.equal(rows.filter((r) => !/Facilitator|Inject/.test(r)).length, shown, `one timeline row per decision (${shown} on the console):\n${rows.join('\n')}`);
      assert.ok(rows.some((r) => /\(skipped by the room \(the room's decision\); owner: Priya Shah\)|\(defeated by the caller \(the workflow's gap\); owner/.test(r)), 'a decision names the gap it left and its owner');
      assert.match(md, /## Improvement plan/);
      assert.match(md, /Sam Ortiz/);
      const [html] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("After-action report (HTML)")')]);
      const report = await browser.context.newPage();
      await report.setContent(readFileSync((await html.path())!, 'utf8'));
      await report.setViewportSize({ width: 1280, height: 720 });
      await shot(report, 't07-after-action-report');
      await report.close();
    });

    await step('a route whose every step the portal performs: the setup form says the room decides nothing there, and the session shows the walk', async () => {
      await page.click('button:has-text("New session")');
      await page.fill('input[placeholder="Q3 help-desk drill"]', 'SIM swap drill');
      await page.selectOption('.setup-form label:has-text("Workflow") select', 'self-service-sms-fallback.weak');
      await page.selectOption('.setup-form label:has-text("Scenario") select', 's04-sim-swap-sspr');
      await page.waitForSelector('[data-testid="no-room-decision"]');
      assert.match(await page.locator('[data-testid="no-room-decision"]').innerText(), /Nothing on this route is the room's to decide/);
      assert.equal(await page.locator('button:has-text("Create session")').isDisabled(), false, 'it can still be played: the walk, the injects and the debrief');
      await page.click('button:has-text("Create session")');
      await page.waitForSelector('.end h2:has-text("Takeover, undetected")');
      assert.match(await page.locator('.end').innerText(), /Nothing on this route was the room's to decide/);
      const walk = await page.locator('.timeline li.t-walk').allInnerTexts();
      assert.ok(walk.some((t) => /Six-digit code texted to the mobile on file: performed by Self-service password reset portal, not the room: passed/.test(t)), `the walk shows the portal's code step:\n${walk.join('\n')}`);
      assert.equal(await page.locator('.timeline li:not(.t-walk)').count(), 0, 'no decision');
      await shot(page, 't08-console-no-room-decision');
    });

    await step('no page errors or console errors in either tab', async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await browser.close();
    await app.stop();
    data.remove();
  }
}

await finish(main);
