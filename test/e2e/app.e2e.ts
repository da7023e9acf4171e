// End to end in Chromium (`npm run e2e`): builds the interface, starts browser mode the way
// `npm start` does (the launcher, with a throw-away data folder), opens the printed URL in Debian's
// Chromium and walks the main job: pick the weak standard password reset, run the analysis through
// the real backend, read a campaign's chain of takeovers, a class of takeover paths, its gap and an
// example's replayed trace, close the paths with a what-if change, and read counts far past 2^53 on a
// workflow whose paths multiply.
// Saves a full-page PNG of each screen in test/e2e/screenshots/. Not part of `npm test`.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/library.ts';
import { branchingWorkflowText } from '../renderer/library.ts';
import { buildRenderer, dropFile, e2eRunner, launchChromium, ROOT, shot, SHOTS, startAndWaitForUrl, tempDataDir, TSX, watchPage } from './harness.ts';

const { step, finish } = e2eRunner('end-to-end run');


const text = (page: Page, selector: string) => page.locator(selector).first().innerText();


async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  buildRenderer();

  const data = tempDataDir();
  const app = await startAndWaitForUrl(TSX, [join(ROOT, 'scripts', 'start.ts')], { ...process.env, RESETPATH_DATA_DIR: data.dir });
  const browser = await launchChromium({ width: 1440, height: 900 });
  const problems: string[] = [];
  try {
    const page = await browser.context.newPage();
    watchPage(page, problems);
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });

    await step('the launcher says Electron is missing and prints the browser-mode URL', async () => {
      assert.match(app.output(), /Electron is not installed on this machine \(its binary could not be downloaded\); starting browser mode instead\./);
      assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    });

    await step('the first screen lists the workflow families and scenarios, and the token leaves the address bar', async () => {
      await page.goto(app.url);
      await page.waitForSelector('[data-workflow-id="standard-password-reset.weak"]');
      // Every bundled workflow, scenario and family, counted from the library itself.
      const workflows = loadBundledWorkflows();
      assert.equal(await page.locator('[data-workflow-id]').count(), workflows.length);
      assert.equal(await page.locator('[data-scenario-id]').count(), loadBundledScenarios().length);
      assert.equal(await page.locator('.family').count(), new Set(workflows.map((w) => w.family)).size);
      assert.equal(new URL(page.url()).hash, '', 'the token must be removed from the URL once read');
      await shot(page, '01-library', true);
    });

    await step('opening the weak standard password reset draws it as a graph', async () => {
      await page.click('[data-workflow-id="standard-password-reset.weak"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step="verify"]');
      assert.deepEqual(await page.locator('[data-testid="workflow-graph"] [data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))), [
        'intake',
        'route',
        'verify',
        'reset',
        'done',
      ]);
      assert.equal(await page.locator('[data-step="verify"] .chip-procedural[data-control="proofing.ial2"]').count(), 1);
      assert.match(await text(page, '.toolbar h1'), /Standard employee password reset/);
      assert.match(await text(page, '.wf-panel'), /Tier-1 agent verifies the caller/);
      await page.click('.graph-tools button[aria-pressed]');
      assert.match(await text(page, '.legend'), /procedural control/);
      await shot(page, '02-workflow', true);
      await page.click('.graph-tools button[aria-pressed]');
    });

    await step('running the analysis through the backend shows a takeover for S01 OSINT vishing', async () => {
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="outcome-table"] tr[data-scenario="s01-osint-vishing"]');
      const row = page.locator('tr[data-scenario="s01-osint-vishing"]');
      assert.equal(await row.getAttribute('data-outcome'), 'takeover_undetected');
      assert.match(await row.innerText(), /Takeover, undetected/);
      assert.match(await row.innerText(), /1 path in 1 class, undetected/);
      // One row per scenario, and under S20's the chain of its campaign.
      assert.equal(await page.locator('[data-testid="outcome-table"] tbody tr[data-scenario]').count(), loadBundledScenarios().length);
      assert.equal(await page.locator('[data-testid="outcome-table"] tbody tr.campaign-row').count(), 1);
      assert.match(await text(page, '[data-testid="totals"]'), /^19 takeover paths in 17 classes, 14 of 23 applicable scenarios · 19 undetected · 5 on privileged accounts/);
      // One button per class, its count in its accessible name.
      assert.equal(await page.locator('.path-btn[data-class="s16-privileged-mfa-reset-idp-takeover#1"]').getAttribute('aria-label'), 'S16 class #1: 2 paths, undetected');
      assert.match(await text(page, '[data-testid="run-status"]'), new RegExp(`${loadBundledScenarios().length} scenarios analysed by the backend in .*run saved in the workspace`));
      // Takeover paths are drawn on the graph from the exact per-transition counts: all 19 pass the knowledge questions.
      // The run selects S01's first class, so the graph draws S01's path; Show all draws every scenario's.
      assert.match(await text(page, '.paths-note'), /^Drawn: S01, 1 path of 19\s*Show all$/);
      assert.equal(await page.locator('[data-edge-count="verify>reset>next"] text').textContent(), '1');
      await page.click('.paths-note button');
      assert.equal(await page.locator('[data-edge-count="verify>reset>next"] text').textContent(), '19');
      await shot(page, '03-results', true);
    });

    await step('a campaign shows its chain under its scenario: both takeovers in words, the downgrade, and the blast radius', async () => {
      const chain = page.locator('tr.campaign-row[data-campaign-of="s20-agent-then-admin-campaign"]');
      assert.equal(await page.locator('tr[data-scenario="s20-agent-then-admin-campaign"]').getAttribute('data-outcome'), 'takeover_undetected');
      assert.deepEqual(await chain.locator('.stage').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))), ['takeover_undetected', 'takeover_undetected']);
      const stage1 = await chain.locator('.stage[data-stage="1"]').innerText();
      assert.match(stage1, /Stage 1\s+Help-desk \/ support agent ★\s+●?\s*Takeover, undetected\s+1 path in 1 class/);
      const stage2 = await chain.locator('.stage[data-stage="2"]').innerText();
      assert.match(stage2, /Stage 2\s+Privileged administrator ★\s+●?\s*Takeover, undetected\s+1 path in 1 class\s+via standard-password-reset\.weak\s+gained agent_account_compromised/);
      // The desk reset only the agent's password: the report says the gain was downgraded, and why.
      assert.match(stage2, /agent_account_taken_over downgraded to agent_account_compromised: stage 1's takeovers hand over a password only/);
      assert.match(await text(page, '[data-campaign-of="s20-agent-then-admin-campaign"] [data-testid="campaign-chain"]'), /Chain\s+Takeover, undetected\s+1 campaign path\s+blast radius: support console, other users credentials, customer records, admin console, identity provider configuration/);
      await chain.scrollIntoViewIfNeeded();
      await shot(page, '03b-campaign', true);
    });

    await step('a class shows its count, the controls that close it with their status, its gap, and an example traced by replay', async () => {
      await page.click('[data-class="s01-osint-vishing#1"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s01-osint-vishing#1"]');
      assert.match(await text(page, '[data-testid="class-count"]'), /^1 path in this class/);
      assert.match(await text(page, '[data-testid="class-controls"] [data-control="proofing.ial2"]'), /proofing\.ial2\s+weak/);
      assert.match(await text(page, '[data-testid="class-controls"] [data-joint="cooldown.delay+notify.out_of_band"]'), /closes the path/);
      const gaps = page.locator('[data-testid="gap-list"] .gap');
      const controls = await gaps.evaluateAll((els) => els.map((e) => e.getAttribute('data-control')));
      assert.ok(controls.includes('proofing.ial2'), `gap names proofing.ial2: ${controls.join(', ')}`);
      assert.ok(controls.includes('callback.number_on_file'), `gap names callback.number_on_file: ${controls.join(', ')}`);
      const ial2 = await text(page, '.gap[data-control="proofing.ial2"]');
      assert.match(ial2, /weak/);
      assert.match(ial2, /Owner of identity-proofing standards/);
      assert.match(ial2, /CSF 2\.0 PR\.AA-02/);
      // The trace is replayed from the example's route once the scenario is loaded.
      await page.waitForSelector('[data-testid="trace"]');
      const trace = await text(page, '[data-testid="trace"]');
      assert.match(trace, /defeated\s+proofing\.ial2\s+knowledge and personal-data answers are known to the attacker from OSINT/);
      assert.match(trace, /\[proofing\.knowledge\.osint\]/);
      assert.match(trace, /takeover: credential obtained/);
      assert.equal(await page.locator('.node.on-path').count(), 5, 'the example is highlighted on the graph');
      assert.equal(await page.locator('[data-step="verify"] .chip.verdict.tone-bad[data-control="proofing.ial2"]').count(), 1, 'its chips take their replayed verdict');
      await shot(page, '04-class', true);
      // The inspector scrolls; a tall window shows the whole class view for review.
      await page.setViewportSize({ width: 1440, height: 2400 });
      await shot(page, '04b-class-tall', true);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator('[data-testid="trace"]').scrollIntoViewIfNeeded();
      await shot(page, '04d-class-trace', true);
    });

    await step('the examples of a class are offered shortest first, and the classes of a scenario are stepped through', async () => {
      await page.click('[data-class="s16-privileged-mfa-reset-idp-takeover#1"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s16-privileged-mfa-reset-idp-takeover#1"]');
      assert.match(await text(page, '[data-testid="class-count"]'), /^2 paths in this class/);
      assert.deepEqual(await page.locator('.example-btn').allInnerTexts(), ['Example 1 · 5 steps', 'Example 2 · 5 steps']);
      await page.click('.example-btn[data-example="1"]');
      assert.equal(await page.locator('.example-btn[data-example="1"]').getAttribute('aria-pressed'), 'true');
      await page.waitForSelector('[data-testid="trace"]');
      assert.match(await text(page, '[data-testid="trace"]'), /takeover: credential obtained/);
      await shot(page, '04c-example-2', true);
      await page.click('[data-class="s09-bribed-insider-agent#1"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s09-bribed-insider-agent#1"]');
      await page.click('[aria-label="Next class"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s09-bribed-insider-agent#2"]');
      assert.equal(await page.locator('[data-class="s09-bribed-insider-agent#2"].path-btn').getAttribute('aria-pressed'), 'true');
      assert.match(await text(page, '.stepper'), /2 of 2/);
    });

    await step('each mapping shows its fit; its existence check (source, version) and rationale are in the tooltip', async () => {
      await page.click('[data-class="s07-compromised-agent-account#1"]');
      await page.waitForSelector('.gap[data-control="agent.insider_controls"]');
      const gap = '.gap[data-control="agent.insider_controls"]';
      assert.equal(await page.locator(`${gap} .mapping.is-unconfirmed`).count(), 0);
      const pm12 = page.locator(`${gap} .mapping`, { hasText: 'SP 800-53 r5 PM-12' });
      assert.equal(await pm12.innerText(), 'SP 800-53 r5 PM-12');
      assert.match((await pm12.getAttribute('title')) ?? '', /fit: direct; exists: confirmed in NIST OSCAL SP 800-53 r5 catalogue .*Insider Threat Program/);
      const a64 = page.locator(`${gap} .mapping.is-secondary`, { hasText: 'ISO 27001:2022 A.6.4' });
      assert.equal(await a64.innerText(), 'ISO 27001:2022 A.6.4 · partial');
      await page.click('[data-class="s01-osint-vishing#1"]');
    });

    await step('the least-friction set that closes every path is named and verified', async () => {
      await page.click('[data-tab="fix"]');
      const lf = await text(page, '[data-testid="least-friction"]');
      // The call-back stops the impostors; the bribed agent's console path has no caller to call back:
      // ticket integrity closes it, the tool acting only on a request its requester made.
      assert.match(lf, /callback\.number_on_file/);
      assert.match(lf, /ticket\.integrity/);
      assert.match(lf, /verified/);
      // Where each goes: the steps of the file the verification placed them on.
      assert.deepEqual(await page.locator('[data-testid="least-friction"] [data-testid="placed"]').allInnerTexts(), [
        'placed at Knowledge questions, hardened (mode outbound_callback, number_source hris, number_type desk_phone, min_contact_age_days 30) and enforced by the system',
        'placed at Call received, hardened (requester_authentication sso_session, reauthentication phishing_resistant) and enforced by the system',
      ]);
      assert.equal(await text(page, '[data-testid="highest-leverage"]'), 'Highest leverage: approval.dual closes 15 paths on its own.');
      // What the set does not fix: the lint rules still firing with it applied.
      assert.match(await text(page, '[data-testid="lint-after"]'), /^With the set applied, lint still reports \d+ error rules \(.*RP026 password-read-to-caller/);
      await shot(page, '05-fix', true);
    });

    await step('switching the least-friction set on in what-if closes the paths at once', async () => {
      await page.click('[data-tab="whatif"]');
      await page.waitForSelector('[data-testid="whatif-panel"]');
      await page.click('.whatif-row[data-control="callback.number_on_file"] input');
      await page.waitForFunction(() => /→ \d+ takeover paths/.test(document.querySelector('[data-testid="totals"]')?.textContent ?? ''));
      assert.equal(await page.locator('tr[data-scenario="s01-osint-vishing"]').getAttribute('data-outcome'), 'blocked');
      assert.equal(await page.locator('tr[data-scenario="s09-bribed-insider-agent"]').getAttribute('data-outcome'), 'takeover_undetected', 'a call-back does nothing against the bribed agent at the console');
      // Once the gaps are in, the tags are the what-if's: the call-back has nothing left to close, and
      // the least-friction tags mark what to add to close the rest.
      await page.waitForFunction(() => !document.querySelector('[data-testid="whatif-status"]')?.textContent?.includes('gaps…'));
      assert.equal(await page.locator('.whatif-row[data-control="callback.number_on_file"] .tag').count(), 0);
      assert.ok((await page.locator('.whatif-row .tag-lf').count()) > 0, 'the what-if still has a least-friction set');
      await page.click('.whatif-row[data-control="ticket.integrity"] input');
      await page.waitForFunction(() => document.querySelector('[data-testid="totals"]')?.textContent?.includes('→ 0 takeover paths'));
      assert.equal(await page.locator('tr[data-scenario="s01-osint-vishing"]').getAttribute('data-outcome'), 'blocked');
      assert.match(await page.locator('tr[data-scenario="s01-osint-vishing"]').innerText(), /was undetected/);
      assert.equal(await page.locator('.edge-count').count(), 0, 'no takeover path is left on the graph');
      assert.equal(await page.locator('[data-step="verify"] [data-control="callback.number_on_file"]').count(), 1, 'the added control is drawn on its step');
      await page.waitForFunction(() => document.querySelector('[data-testid="whatif-status"]')?.getAttribute('data-commit-ms') !== '');
      const status = page.locator('[data-testid="whatif-status"]');
      const analysisMs = Number(await status.getAttribute('data-analysis-ms'));
      const commitMs = Number(await status.getAttribute('data-commit-ms'));
      console.log(`  what-if: analysis ${analysisMs.toFixed(1)} ms, graph and table updated ${commitMs.toFixed(1)} ms after the click`);
      await page.waitForFunction(() => !document.querySelector('[data-testid="whatif-status"]')?.textContent?.includes('gaps…'));
      assert.equal(await page.locator('.whatif-row .tag').count(), 0, 'with no takeover path left, no control is tagged as closing or detecting any');
      await shot(page, '06-whatif', true);
      await page.click('[data-tab="path"]');
      assert.match(await text(page, '.tab-body'), /This class of paths is closed by the what-if changes/);
      await page.click('[data-tab="whatif"]');
    });

    await step('during what-if, Export JSON exports the what-if analysis on screen, named as such', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export JSON")')]);
      assert.equal(download.suggestedFilename(), 'standard-password-reset.weak.what-if.analysis.json');
      const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; workflows: { totals: { paths: number } }[]; view: { kind: string; changes: unknown[] } };
      assert.equal(doc.format, 'resetpath/analysis@2');
      assert.equal(doc.workflows[0]!.totals.paths, 0);
      assert.equal(doc.view.kind, 'what-if');
      assert.equal(doc.view.changes.length, 2);
      assert.match(await text(page, '.notice'), /Exported the what-if analysis \(2 control changes/);
      await page.click('.notice button[aria-label="Dismiss"]');
    });

    await step('undoing the change restores the analysed workflow', async () => {
      await page.click('.whatif-status button');
      await page.waitForFunction(() => /^19 takeover paths/.test(document.querySelector('[data-testid="totals"]')?.textContent ?? ''));
      assert.equal(await page.locator('tr[data-scenario="s01-osint-vishing"]').getAttribute('data-outcome'), 'takeover_undetected');
      // The class the what-if change closed is back.
      await page.click('[data-tab="path"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s01-osint-vishing#1"]');
    });

    await step('the analysis exports as the published JSON report', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export JSON")')]);
      assert.equal(download.suggestedFilename(), 'standard-password-reset.weak.baseline.analysis.json');
      const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; workflows: { id: string; totals: { paths: number } }[] };
      assert.equal(doc.format, 'resetpath/analysis@2');
      assert.deepEqual(doc.workflows.map((w) => [w.id, w.totals.paths]), [['standard-password-reset.weak', 19]]);
    });

    await step('a workflow file dropped on the window is saved to the workspace and opened; a bad one is refused with its location', async () => {
      const good = readFileSync(join(ROOT, 'models', 'library', 'standard-password-reset.weak.yaml'), 'utf8')
        .replace('id: standard-password-reset.weak', 'id: e2e-desk-reset')
        .replace('variant: weak', 'variant: custom')
        .replace('name: Standard employee password reset (as found)', 'name: Desk reset dropped in the e2e test');
      await dropFile(page, 'e2e-desk-reset.yaml', good);
      await page.waitForSelector('[data-workflow-id="e2e-desk-reset"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step="verify"]');
      assert.match(await text(page, '.notice'), /Added to the workspace: e2e-desk-reset/);
      await dropFile(page, 'broken.yaml', 'resetpath: workflow/1\nid: broken\nsteps: [}\n');
      await page.waitForSelector('.notice.tone-bad');
      const refused = await text(page, '.notice.tone-bad');
      assert.match(refused, /broken\.yaml was not added/);
      assert.match(refused, /broken\.yaml:3/);
      await shot(page, '08-import-refused', true);
      await page.click('.notice button[aria-label="Dismiss"]');
      // The refusal is an answer from the backend (HTTP 422), not a page problem.
      for (let i = problems.length - 1; i >= 0; i--) if (/HTTP 422 .*\/api\/workflow\.save/.test(problems[i]!) || /status of 422/.test(problems[i]!)) problems.splice(i, 1);
    });

    await step('workflows with 200-character unbroken names keep the library sidebar in its column, their names cut with the whole in the tooltip', async () => {
      const long = 'W'.repeat(200);
      const base = readFileSync(join(ROOT, 'models', 'library', 'standard-password-reset.weak.yaml'), 'utf8').replace('variant: weak', 'variant: custom');
      // One in a family of its own (its name is the family's title), one in the bundled family (its name labels its badge).
      await dropFile(page, 'e2e-long-family.yaml', base.replace('id: standard-password-reset.weak', 'id: e2e-long-family').replace(/^family: .*$/m, 'family: e2e-long-family').replace('name: Standard employee password reset (as found)', `name: ${long}`));
      await page.waitForSelector('[data-workflow-id="e2e-long-family"]');
      await page.click('.notice button[aria-label="Dismiss"]');
      await dropFile(page, 'e2e-long-label.yaml', base.replace('id: standard-password-reset.weak', 'id: e2e-long-label').replace('name: Standard employee password reset (as found)', `name: L${long.slice(1)}`));
      await page.waitForSelector('[data-workflow-id="e2e-long-label"]');
      await page.click('.notice button[aria-label="Dismiss"]');
      const sidebar = page.locator('nav.sidebar');
      const [scrollW, clientW] = await sidebar.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      assert.ok(scrollW <= clientW, `the sidebar's content is ${scrollW} px wide in a ${clientW} px column`);
      const title = page.locator('.family-title', { hasText: 'WWWW' });
      assert.equal(await title.getAttribute('title'), long);
      const box = (await sidebar.boundingBox())!;
      // The title stops at three lines, the badge at one.
      for (const [el, lines] of [[title, 3], [page.locator('[data-workflow-id="e2e-long-label"]'), 1]] as const) {
        const b = (await el.boundingBox())!;
        assert.ok(b.x + b.width <= box.x + box.width, `${await el.getAttribute('class')} ends at ${b.x + b.width} px, inside the sidebar's ${box.x + box.width} px`);
        const lineHeight = await el.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
        assert.ok(b.height <= lines * lineHeight + 6, `${await el.getAttribute('class')} is ${b.height} px high, at most ${lines} line(s) of ${lineHeight} px`);
      }
      assert.match((await page.locator('[data-workflow-id="e2e-long-label"]').getAttribute('title'))!, /^LWWW/);
      await page.locator('[data-workflow-id="e2e-long-label"]').scrollIntoViewIfNeeded();
      await shot(page, '10-long-names', true);
    });

    await step('the hardened standard reset blocks every applicable scenario', async () => {
      await page.click('[data-workflow-id="standard-password-reset.hardened"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step="callback"]');
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="outcome-table"]');
      const outcomes = await page.locator('[data-testid="outcome-table"] tbody tr[data-scenario]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
      assert.equal(outcomes.length, loadBundledScenarios().length);
      assert.ok(outcomes.every((o) => o === 'blocked' || o === 'not_applicable'), outcomes.join(', '));
      // S20's first stage stops at in-person proofing, so its second is never reached.
      assert.deepEqual(await page.locator('tr.campaign-row[data-campaign-of="s20-agent-then-admin-campaign"] .stage').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))), ['blocked', 'not_analysed']);
      assert.match(await text(page, 'tr.campaign-row .stage[data-stage="2"]'), /not reached: stage 1 ends without a takeover \(blocked\)/);
      await shot(page, '07-hardened', true);
    });

    await step('a workflow whose paths multiply past 2^53 shows exact counts in the table and readable badges on the graph', async () => {
      await dropFile(page, 'branching-24.yaml', branchingWorkflowText(24));
      await page.waitForSelector('[data-workflow-id="branching-24"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step="gate"]');
      await page.click('.notice button[aria-label="Dismiss"]');
      await page.click('[data-testid="run-analysis"]');
      await page.waitForSelector('[data-testid="outcome-table"] tr[data-scenario="s01-osint-vishing"]');
      // 2^24 + 2^48 + 2^72 paths for the OSINT caller, digit for digit.
      assert.match(await text(page, '[data-testid="totals"]'), /^9,444,736,061,964,218,793,984 \(9\.4 x 10\^21\) takeover paths in 11 classes/);
      assert.match(await text(page, 'tr[data-scenario="s01-osint-vishing"]'), /4,722,366,764,344,638,701,568 \(4\.7 x 10\^21\) paths in 1 class/);
      assert.equal(await page.locator('.path-btn[data-class="s01-osint-vishing#1"]').getAttribute('aria-label'), 'S01 class #1: 4,722,366,764,344,638,701,568 (4.7 x 10^21) paths, undetected');
      const badge = page.locator('[data-edge-count="gate>reset>next"]');
      // The graph draws the selected S01's paths: all of them pass the gate.
      assert.equal(await badge.locator('text').textContent(), '4.7e21');
      assert.equal(await badge.getAttribute('data-count'), '4722366764344638701568');
      assert.equal(await badge.locator('title').textContent(), '4,722,366,764,344,638,701,568 (4.7 x 10^21) takeover paths use this transition');
      // The badge is wide enough for its label.
      const [rectW, textW] = await badge.evaluate((g) => [g.querySelector('rect')!.getBBox().width, g.querySelector('text')!.getBBox().width]);
      assert.ok(textW + 6 <= rectW, `badge text ${textW} px fits its ${rectW} px pill`);
      await page.waitForSelector('[data-testid="trace"]');
      await shot(page, '09-large-counts', true);
      await page.click('[data-tab="fix"]');
      assert.match(await text(page, '[data-testid="highest-leverage"]'), /approval\.dual closes 9,444,735,780,489,225,306,112 \(9\.4 x 10\^21\) paths on its own/);
      await shot(page, '09b-large-counts-fix', true);
    });

    await step('the gap matrix shows every workflow against every scenario in words and glyphs, and a cell opens the pair in the workbench', async () => {
      await page.click('.screen:not([hidden]) .modes button:has-text("Gap matrix")');
      await page.click('button:has-text("Analyse the library")');
      const outcomes = 'section[aria-labelledby="matrix-title"] table.matrix';
      await page.waitForSelector(`${outcomes} tbody tr`, { timeout: 120_000 });
      assert.equal(await page.locator(`${outcomes} tbody tr`).count(), await page.locator('[data-workflow-id]').count(), 'one row per workflow of the library');
      assert.equal(await page.locator(`${outcomes} thead th.matrix-col`).count(), loadBundledScenarios().length);
      const row = page.locator(`${outcomes} tbody tr[data-row-workflow="standard-password-reset.weak"]`);
      const cell = row.locator('td.matrix-cell button').first();
      assert.match((await cell.getAttribute('aria-label')) ?? '', /^Standard employee password reset \(as found\) against S\d+ .*: (Takeover, (un)?detected, [\d,]+ takeover paths?|Blocked)$/);
      assert.ok((await page.locator('.req-table tbody tr').count()) > 10, 'gaps are listed under their framework requirements');
      await page.selectOption('.requirements select', 'CSF 2.0');
      assert.ok((await page.locator('.req-table tbody th').allInnerTexts()).every((t) => t.startsWith('CSF 2.0 ')));
      await shot(page, '10-gap-matrix', true);
      await cell.click();
      await page.waitForSelector('[data-workflow-id="standard-password-reset.weak"][aria-current="true"]');
      assert.ok(await page.locator('[data-testid="workflow-graph"]').isVisible());
    });

    await step('controls x path classes: each gap of a workflow against each of its classes, and a cell opens that class in the workbench, where a run again keeps it', async () => {
      await page.click('.screen:not([hidden]) .modes button:has-text("Gap matrix")');
      const table = 'section[aria-labelledby="cc-title"] table.matrix';
      await page.selectOption('section[aria-labelledby="cc-title"] label:has-text("Workflow") select', 'standard-password-reset.weak');
      await page.selectOption('section[aria-labelledby="cc-title"] label:has-text("Sort") select', 'paths');
      const rows = page.locator(`${table} tbody tr`);
      assert.ok((await rows.count()) >= 5, 'one row per gap of the workflow');
      assert.ok(await page.locator(`${table} tbody tr[data-row-control="approval.dual"]`).count(), 'dual approval is a gap of the weak desk reset');
      const labels = await page.locator(`${table} td.matrix-cell button`).evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
      assert.ok(labels.length > 0 && labels.every((l) => / on S\d+[a-z]?#\d+: .*, [\d,]+ takeover paths?: (blocks|detects|takes)/.test(l)), labels[0]);
      // A class past its scenario's first, so the workbench shows that very class and not the first.
      const heads = page.locator(`${table} thead button.matrix-col-open`);
      const ids = await heads.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-class') ?? ''));
      const target = ids.find((id) => !id.endsWith('#1')) ?? ids[0]!;
      await page.locator('#cc-title').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.querySelector('#cc-title')?.scrollIntoView({ block: 'start' }));
      await shot(page, '10b-controls-by-class', true);
      await page.click(`${table} thead button.matrix-col-open[data-class="${target}"]`);
      await page.waitForSelector('[data-workflow-id="standard-password-reset.weak"][aria-current="true"]');
      // The weak reset was analysed earlier: its stored run opens at that class.
      await page.waitForSelector(`[data-testid="class-panel"][data-class="${target}"]`, { timeout: 30_000 });
      // A run again keeps the class the user is reading.
      await page.click('[data-testid="run-analysis"]');
      await page.waitForFunction(() => / analysed by the backend in /.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
      await page.waitForSelector(`[data-testid="class-panel"][data-class="${target}"]`);
    });

    await step('a what-if is saved as a new variant whose file analyses as the what-if did', async () => {
      await page.click('.screen:not([hidden]) .modes button:has-text("Workbench")');
      await page.click('[data-workflow-id="standard-password-reset.weak"]');
      await page.waitForSelector('[data-testid="totals"]');
      await page.click('[data-tab="whatif"]');
      for (const c of ['callback.number_on_file', 'cooldown.delay', 'notify.out_of_band']) await page.click(`.whatif-row[data-control="${c}"] input`);
      await page.waitForFunction(() => document.querySelector('[data-testid="totals"]')?.textContent?.includes('→ 0 takeover paths'));
      await page.click('button:has-text("Save as a variant…")');
      assert.equal(await page.locator('form[aria-label="Save the what-if as a variant"] input').inputValue(), 'standard-password-reset.weak.variant');
      await page.click('button:has-text("Save variant")');
      await page.waitForSelector('.notice:has-text("Saved the what-if as standard-password-reset.weak.variant (revision 1)")');
      await page.waitForSelector('[data-workflow-id="standard-password-reset.weak.variant"][aria-current="true"]');
      await page.click('[data-testid="run-analysis"]');
      await page.waitForFunction(() => /^0 takeover paths/.test(document.querySelector('[data-testid="totals"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
      assert.equal(await page.locator('[data-step="verify"] [data-control="callback.number_on_file"]').count(), 1, 'the call-back is in the variant\'s file, on its step');
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
