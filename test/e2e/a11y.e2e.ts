// End to end in Chromium (`npm run e2e`): accessibility of every main screen. axe-core is injected
// into each state (Workbench: welcome, a workflow open, analysed with a class selected, each
// inspector tab; Editor; Gap matrix analysed; Accountability report built; Tabletop setup and a
// decision; Simulation) and run at 1600x1000 and 1280x720, in the light and the dark theme (the
// system's prefers-color-scheme, emulated). The count of all violations is printed per screen, size
// and theme; any serious or critical one fails the run. Each state is also checked for reflow at the
// 150 % and 200 % zoom proxies (853x480 and 640x600 CSS px: no horizontal page scroll) and for text
// under 12 CSS px (SVG text measured on screen, after the graph's scale).
// Keyboard: the skip link is the first Tab stop, the inspector tabs follow the arrow keys, focus
// stays on Run analysis after a run, and the graph's steps are listed for screen readers.
//
// How axe gets in: the app's CSP has no 'unsafe-inline', so `page.addScriptTag({ content })` is
// refused by the page. The source is evaluated through the DevTools protocol instead
// (`page.evaluate(source)`), which CSP does not govern; the page's own CSP stays in force, so the
// run audits the app as users get it (no `bypassCSP`).
//
// Saves a11y-*.png in test/e2e/screenshots/: each screen at 1280x720 light and dark, and at 640 px.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateWorkflowText } from '../../bench/generate.ts';
import { dropFile, e2eRunner, openSession, ROOT, SHOTS } from './harness.ts';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const WORKFLOW = 'standard-password-reset.weak';
const SIZES = [
  { width: 1600, height: 1000 },
  { width: 1280, height: 720 },
] as const;
const REFLOW = [
  { width: 853, height: 480, label: '150%' },
  { width: 640, height: 600, label: '200%' },
] as const;
const THEMES = ['light', 'dark'] as const;
const { step, finish } = e2eRunner('accessibility end-to-end run');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string; html: string }[];
}

let injection = '';

/** Puts axe in the page (once per document) and runs it on the whole document, or on the parts `include` selects. */
async function runAxe(page: Page, include?: string[]): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) {
    // Not a script tag: the CSP refuses it (and logs the refusal, which the run counts as a problem).
    await page.evaluate(AXE);
    injection ||= 'page.evaluate(source)';
  }
  return page.evaluate(async (parts) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(parts ? { include: parts.map((p) => [p]) } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html })) }));
  }, include ?? null);
}

/** Text drawn under 12 CSS px: HTML by its computed size, SVG text by its size times the SVG's scale on screen. */
async function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement as Element | null;
      if (!el || seen.has(el) || !n.textContent?.trim()) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || el.closest('.sr-only,[hidden]')) continue;
      // Clipped to 1 px by the visually-hidden pattern: not drawn.
      if (cs.position === 'absolute' && r.width <= 1 && r.height <= 1) continue;
      let size = parseFloat(cs.fontSize);
      if (el instanceof SVGElement && el.ownerSVGElement) {
        const m = (el as unknown as SVGGraphicsElement).getScreenCTM?.();
        if (m) size *= Math.hypot(m.a, m.b);
      }
      if (size < 11.95) out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} "${n.textContent.trim().slice(0, 30)}" ${size.toFixed(1)}px`);
    }
    return out;
  });
}

interface Row {
  screen: string;
  size: string;
  theme: string;
  total: number;
  serious: string[];
  all: string[];
}

const rows: Row[] = [];
const failures: string[] = [];

/** A check that is reported at once and fails the summary, without ending the walk (so every screen is still audited). */
async function check(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    console.log(`  check ok - ${name}`);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    console.log(`  check FAILED - ${name}: ${msg}`);
    failures.push(`${name}: ${msg}`);
  }
}

/** Audits the state on screen: axe at both sizes and themes, reflow at 150 % and 200 %, small text, and PNGs. */
async function audit(page: Page, screen: string, slug: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const v = await runAxe(page);
      const serious = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      const row: Row = {
        screen,
        size: `${size.width}x${size.height}`,
        theme,
        total: v.reduce((a, x) => a + x.nodes.length, 0),
        serious: serious.map((x) => `${x.id} (${x.impact}) x${x.nodes.length}: ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
        all: v.map((x) => `${x.id}/${x.impact}/${x.nodes.length}`),
      };
      rows.push(row);
      console.log(`  axe ${screen} @ ${row.size} ${theme}: ${row.total} violation node(s) in ${v.length} rule(s)${v.length ? ' [' + row.all.join(', ') + ']' : ''}`);
      for (const x of serious) {
        const n = x.nodes[0]!;
        console.log(`      first: ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').split('\n').slice(1, 3).join(' ').trim()}`);
      }
      for (const s of row.serious) {
        console.log(`    SERIOUS ${s}`);
        failures.push(`${screen} @ ${row.size} ${theme}: ${s}`);
      }
      if (size.width === 1280) {
        await page.screenshot({ path: join(SHOTS, `a11y-${slug}-1280-${theme}.png`) });
        if (theme === 'light') {
          const small = await smallText(page);
          if (small.length) failures.push(`${screen}: ${small.length} text(s) under 12 px, e.g. ${small.slice(0, 4).join('; ')}`);
          console.log(`  text under 12 px on ${screen} at 1280x720: ${small.length}${small.length ? ' (' + small.slice(0, 4).join('; ') + ')' : ''}`);
        }
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  for (const z of REFLOW) {
    await page.setViewportSize({ width: z.width, height: z.height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    console.log(`  reflow ${screen} at ${z.label} (${z.width} px): page ${scroll} px wide`);
    if (scroll > client + 1) {
      failures.push(`${screen}: at ${z.label} zoom (${z.width} px) the page scrolls sideways (${scroll} px wide)`);
      // The innermost elements that stick out, to say what to fix.
      const out = await page.evaluate((w) => {
        const all = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1 && e.getBoundingClientRect().width > 0);
        return all.filter((e) => !all.some((o) => o !== e && e.contains(o))).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${String(e.getAttribute('class') ?? '').split(' ')[0]} (${Math.round(e.getBoundingClientRect().right)} px)`);
      }, z.width);
      console.log(`    wider than the window: ${out.join(', ')}`);
    }
    // Reflowed means one column using the window, not the wide layout squeezed into a narrow one
    // (a later media rule once kept the three-column grid at 640 px: main was 228 px wide).
    const mainWidth = await page.evaluate(() => {
      const m = [...document.querySelectorAll('main')].find((e) => e.getBoundingClientRect().width > 0);
      return m ? m.getBoundingClientRect().width : null;
    });
    if (mainWidth !== null && mainWidth < 0.8 * z.width) failures.push(`${screen}: at ${z.label} zoom (${z.width} px) the main content is only ${Math.round(mainWidth)} px wide`);
    // A whole page at 640 px is tall (the gap matrix's is thousands of pixels): on a loaded machine
    // its capture has come close to Playwright's 30 s default, so it gets longer (it is for review).
    if (z.width === 640) await page.screenshot({ path: join(SHOTS, `a11y-${slug}-640.png`), fullPage: true, timeout: 120_000 });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

const nav = (page: Page, label: string) => page.click(`.screen:not([hidden]) .modes button:has-text("${label}"), body > #root > :not(.screen) .modes button:has-text("${label}")`);

async function main(): Promise<void> {
  const { app, page, problems, close } = await openSession({ width: 1280, height: 720 });
  try {

    await step('Workbench, welcome: axe, reflow, text size; the skip link is the first Tab stop', async () => {
      await page.goto(app.url);
      await page.waitForSelector(`[data-workflow-id="${WORKFLOW}"]`);
      await audit(page, 'workbench-welcome', 'workbench-welcome');
      await check('the skip link is the first Tab stop and moves focus to the main content', async () => {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim() ?? '', href: document.activeElement?.getAttribute('href') ?? '' }));
      assert.match(first.text, /^Skip to (main content|results)$/, `first Tab stop: "${first.text}"`);
      const visible = await page.evaluate(() => {
        const r = document.activeElement!.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0;
      });
      assert.ok(visible, 'the skip link is visible when focused');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to the main content');
      });
    });

    await step('Workbench, a workflow open: axe, reflow; its steps are listed for screen readers beside the graph', async () => {
      await page.click(`[data-workflow-id="${WORKFLOW}"]`);
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step="verify"]');
      await check('the steps are listed beside the graph with kind, name, actor and controls', async () => {
      const items = await page.locator('[data-testid="step-list"] li[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
      assert.deepEqual(items, ['intake', 'route', 'verify', 'reset', 'done']);
      const verify = (await page.locator('[data-testid="step-list"] li[data-step="verify"]').textContent({ timeout: 2000 })) ?? '';
      assert.match(verify, /^Identity proofing step 3: Knowledge questions\. Performed by: .*Tier-1/i);
      assert.match(verify, /Controls: proofing\.ial2 \(procedural, below hardened: method=kbv\)/);
      assert.match(verify, /Leads to: next: .*Reset/i);
      });
      await audit(page, 'workbench-open', 'workbench-open');
    });

    await step('Workbench, analysed with a class selected: focus stays on Run analysis; axe on each inspector tab', async () => {
      await page.focus('[data-testid="run-analysis"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="outcome-table"] tr[data-scenario="s01-osint-vishing"]', { timeout: 120_000 });
      await check('focus stays on Run analysis after the run', async () => {
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'run-analysis');
      });
      await check('the step list says how many takeover paths cross each step', async () => {
        const list = (await page.locator('[data-testid="step-list"] li[data-step="verify"]').textContent({ timeout: 2000 })) ?? '';
        assert.match(list, /[\d,]+ takeover (path crosses|paths cross) this step/);
      });
      await page.click('[data-class="s01-osint-vishing#1"]');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s01-osint-vishing#1"]');
      await audit(page, 'workbench-analysed', 'workbench-analysed');
      await check('Steps shows the list on screen, focusable so it scrolls from the keyboard, and hides it again', async () => {
        await page.click('.graph-tools button:has-text("Steps")');
        await page.waitForSelector('[data-testid="step-list"].is-shown');
        assert.equal(await page.locator('.graph-tools button:has-text("Steps")').getAttribute('aria-expanded'), 'true');
        assert.equal(await page.locator('[data-testid="step-list"]').getAttribute('tabindex'), '0');
        await page.screenshot({ path: join(SHOTS, 'a11y-workbench-steps-1280-light.png') });
        await page.click('.graph-tools button:has-text("Steps")');
        await page.waitForSelector('[data-testid="step-list"].sr-only', { state: 'attached' });
      });
      for (const tab of ['path', 'workflow', 'whatif', 'fix', 'runs']) {
        await page.click(`[role="tab"][data-tab="${tab}"]`);
        await page.waitForSelector(`[role="tab"][data-tab="${tab}"][aria-selected="true"]`);
        await audit(page, `workbench-tab-${tab}`, `workbench-tab-${tab}`);
      }
    });

    await check('focus stays on the control used: a class button, and a what-if switch through its re-analysis', async () => {
      await page.focus('.path-btn[data-class="s01-osint-vishing#1"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="class-panel"][data-class="s01-osint-vishing#1"]');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-class')), 's01-osint-vishing#1');
      await page.click('[role="tab"][data-tab="whatif"]');
      const box = page.locator('.whatif-row:not(.is-disabled) input[type="checkbox"]').first();
      const control = await box.evaluate((b) => b.closest('[data-control]')!.getAttribute('data-control'));
      await box.focus();
      const graphTop = await page.locator('[data-testid="workflow-graph"]').evaluate((g) => g.getBoundingClientRect().top);
      await page.keyboard.press('Space');
      await page.waitForSelector('.whatif-banner[data-changes="1"]');
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      // The banner was there from the tab's opening: switching a control does not move the graph.
      assert.equal(await page.locator('[data-testid="workflow-graph"]').evaluate((g) => g.getBoundingClientRect().top), graphTop, 'the graph stays where it was');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-control]')?.getAttribute('data-control') ?? document.activeElement?.tagName), control);
      await page.keyboard.press('Space');
      await page.waitForSelector('.whatif-banner[data-changes="0"]');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-control]')?.getAttribute('data-control') ?? document.activeElement?.tagName), control);
    });

    await check('the inspector tabs follow Left/Right/Home/End, the selected tab is the only Tab stop', async () => {
      await page.focus('[role="tab"][data-tab="workflow"]');
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowRight');
      const sel = () => page.evaluate(() => [document.activeElement?.getAttribute('data-tab'), document.querySelector('.inspector [role="tab"][aria-selected="true"]')?.getAttribute('data-tab')]);
      assert.deepEqual(await sel(), ['path', 'path']);
      await page.keyboard.press('End');
      assert.deepEqual(await sel(), ['runs', 'runs']);
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await sel(), ['workflow', 'workflow'], 'Right on the last tab wraps to the first');
      await page.keyboard.press('ArrowLeft');
      assert.deepEqual(await sel(), ['runs', 'runs']);
      await page.keyboard.press('Home');
      assert.deepEqual(await sel(), ['workflow', 'workflow']);
      assert.deepEqual(await page.locator('.inspector [role="tab"]').evaluateAll((ts) => ts.map((t) => t.getAttribute('tabindex'))), ['0', '-1', '-1', '-1', '-1']);
    });

    await step('Editor with a workflow open: axe, reflow', async () => {
      await nav(page, 'Editor');
      await page.selectOption('.editor-bar select >> nth=0', WORKFLOW);
      await page.click('.editor-bar button:has-text("Open in the editor")');
      await page.waitForSelector('.cm-content', { timeout: 30_000 });
      await page.waitForSelector('.screen:not([hidden]) .editor-graph [data-testid="workflow-graph"]', { timeout: 30_000 });
      await audit(page, 'editor', 'editor');
    });

    await step('Gap matrix, analysed: axe, reflow', async () => {
      await nav(page, 'Gap matrix');
      await page.click('button:has-text("Analyse the library")');
      await page.waitForSelector('section[aria-labelledby="matrix-title"] table.matrix tbody tr', { timeout: 180_000 });
      await audit(page, 'gap-matrix', 'gap-matrix');
      await check('on another screen too, the skip link is the first Tab stop and lands on that screen\'s main content', async () => {
        // Tab order is DOM order here (no positive tabindex): the first element that takes Tab on the page.
        const first = await page.evaluate(() => {
          const tabbable = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter(
            (e) => e.tabIndex >= 0 && !e.closest('[hidden]') && !(e as HTMLButtonElement).disabled && getComputedStyle(e).display !== 'none',
          );
          return tabbable[0]?.textContent?.trim() ?? '';
        });
        assert.equal(first, 'Skip to main content');
        await page.focus('.screen:not([hidden]) .skip-link');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement?.matches('.screen:not([hidden]) main.matrix-main')), true);
      });
    });

    await step('Accountability, report built: axe, reflow', async () => {
      await nav(page, 'Accountability');
      await page.waitForSelector('h1:has-text("Accountability report")');
      await page.fill('.acc-scope input[type="search"]', WORKFLOW);
      await page.check(`.acc-wf:has(code:text-is("${WORKFLOW}")) input`);
      await page.click('button:has-text("Build the report")');
      await page.waitForSelector('#gaps-title', { timeout: 120_000 });
      await audit(page, 'accountability', 'accountability');
    });

    await step('Tabletop, setup and a decision: axe, reflow', async () => {
      await nav(page, 'Tabletop exercise');
      await page.waitForSelector('h1:has-text("Tabletop exercise")');
      await page.click('button:has-text("New session")');
      await page.waitForSelector('.setup-form:visible');
      await audit(page, 'tabletop-setup', 'tabletop-setup');
      await page.fill('input[placeholder="Q3 help-desk drill"]', 'Accessibility drill');
      await page.selectOption('.setup-form:visible label:has-text("Workflow") select', 'walk-in-service-point.weak');
      await page.selectOption('.setup-form:visible label:has-text("Scenario") select', 's25-forged-id-at-the-counter');
      await page.fill('.setup-form:visible textarea >> nth=0', 'Priya Shah — proofing_standards_owner\nSam Ortiz — Service-desk lead');
      await page.fill('.setup-form:visible label:has-text("Facilitator") input', 'Dana Lee');
      await page.click('button:has-text("Create session")');
      await page.waitForSelector('#point-title:has-text("Decision point 1.1")');
      await audit(page, 'tabletop-decision', 'tabletop-decision');
    });

    await step('Simulation, a small trade-off drawn: axe, reflow', async () => {
      await nav(page, 'Simulation');
      await page.waitForSelector('h1:has-text("Simulation: risk against friction")');
      await page.selectOption('.sim-form label:has-text("Workflow") select', WORKFLOW);
      await page.fill('.sim-form label:has-text("Days") input', '2');
      await page.fill('.sim-form label:has-text("Runs per candidate") input', '2');
      await page.fill('.sim-form label:has-text("Candidates at most") input', '4');
      await page.click('button:has-text("Simulate candidates")');
      await page.waitForSelector('.sim-chart .sim-point', { timeout: 120_000 });
      // Picked from the keyboard: points of equal friction and risk are drawn over one another, so
      // the first in the chart may lie under another and take no click.
      const first = page.locator('.sim-chart .sim-point').first();
      await first.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.sim-chart .sim-point.is-picked');
      await audit(page, 'simulation', 'simulation');
    });

    await step('Workbench, side panels collapsed: axe, reflow; then a long analysis running: axe on its progress bar and Cancel', async () => {
      await nav(page, 'Workbench');
      await page.click('[data-testid="toggle-library"]');
      await page.click('[data-testid="toggle-inspector"]');
      await page.waitForSelector('#workbench-inspector', { state: 'hidden' });
      await audit(page, 'workbench-collapsed', 'workbench-collapsed');
      await page.click('[data-testid="toggle-library"]');
      await page.click('[data-testid="toggle-inspector"]');
      // A 400-step workflow runs long enough to audit the page while its progress bar is up and then
      // press Cancel (the 200-step workflow's run became short enough to finish first).
      await dropFile(page, 'generated-400.yaml', generateWorkflowText(400, 25, 42));
      await page.waitForSelector('[data-workflow-id="generated.s400.c25.seed42"][aria-current="true"]');
      await page.waitForSelector('[data-testid="workflow-graph"] [data-step]');
      await page.click('.notice button[aria-label="Dismiss"]');
      // One run per theme: axe takes about two seconds a theme on a page drawing 400 steps, and the
      // engine analyses them in a few, so a run audited in both themes could end during the audit.
      // A run that ends before its audit does is started again (the audit saw it end, not run).
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        let v: AxeViolation[] = [];
        for (let attempt = 1; ; attempt++) {
          await page.click('[data-testid="run-analysis"]');
          await page.waitForSelector('[role="progressbar"][aria-valuenow]');
          // What the run adds (the top bar, the toolbar, the progress row); the rest was audited above.
          v = await runAxe(page, ['.screen:not([hidden]) .topbar', '.screen:not([hidden]) .toolbar', '[data-testid="run-progress"]']);
          await page.screenshot({ path: join(SHOTS, `a11y-workbench-running-1280-${theme}.png`) });
          if ((await page.locator('[data-testid="run-progress"]').count()) === 1) break;
          assert.ok(attempt < 3, `the analysis ended before the ${theme} audit did ${attempt} times`);
          console.log(`  the analysis ended before the ${theme} audit did: running it again`);
          await page.waitForSelector('[data-testid="run-analysis"]:not([disabled])');
        }
        const serious = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
        rows.push({ screen: 'workbench-running', size: '1280x720', theme, total: v.reduce((a, x) => a + x.nodes.length, 0), serious: serious.map((x) => `${x.id} (${x.impact}) x${x.nodes.length}: ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), all: v.map((x) => `${x.id}/${x.impact}/${x.nodes.length}`) });
        console.log(`  axe workbench-running @ 1280x720 ${theme}: ${v.length} rule(s) [${v.map((x) => `${x.id}/${x.impact}/${x.nodes.length}`).join(', ')}]`);
        for (const x of serious) failures.push(`workbench-running ${theme}: ${x.id} (${x.impact})`);
        await check(`the progress bar was up for the whole ${theme} audit`, async () => {
          assert.equal(await page.locator('[data-testid="run-progress"]').count(), 1, 'the analysis ended before the audit did');
        });
        await check('the analysis is still running when Cancel is pressed', async () => {
          assert.equal(await page.locator('[data-testid="cancel-analysis"]').count(), 1, 'the analysis ended before Cancel could be pressed');
        });
        // Cancel races the run's end: a cancel that reaches the backend just after the analysis finished
        // cancels nothing, and the result is shown (the app's answer to that race). If that happens, the
        // run is started again and cancelled at once, with the whole analysis ahead of the cancel.
        for (let attempt = 1; ; attempt++) {
          await page.focus('[data-testid="cancel-analysis"]');
          await page.keyboard.press('Enter');
          await page.waitForSelector('[data-testid="cancel-analysis"]', { state: 'detached', timeout: 120_000 });
          if ((await page.locator('.notice:has-text("Analysis cancelled")').count()) === 1) break;
          assert.ok(attempt < 3, `the analysis finished before Cancel took effect ${attempt} times`);
          console.log('  the analysis finished before Cancel took effect: running it again and cancelling at once');
          await page.click('[data-testid="run-analysis"]');
          await page.waitForSelector('[data-testid="cancel-analysis"]');
        }
        await check('after Cancel from the keyboard, focus is on Run analysis', async () => {
          assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'run-analysis');
        });
        // The next theme's cancel is known by its own notice.
        await page.click('.notice:has-text("Analysis cancelled") button[aria-label="Dismiss"]');
      }
      await page.emulateMedia({ colorScheme: 'light' });
      // The cancelled run's 409 is expected: the only such line in the page's log.
      problems.splice(0, problems.length, ...problems.filter((p) => !/status of 409/.test(p)));
    });

    await step('summary: violations per screen, size and theme; no serious or critical one, no sideways scroll, no text under 12 px', async () => {
      console.log(`  axe injected with ${injection}`);
      console.log('  screen                   size       theme  all  serious+critical');
      for (const r of rows) console.log(`  ${r.screen.padEnd(24)} ${r.size.padEnd(10)} ${r.theme.padEnd(6)} ${String(r.total).padStart(3)}  ${r.serious.length}`);
      assert.deepEqual(failures, []);
    });

    await step('no page errors or console errors', async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await close();
  }
}

await finish(main);
