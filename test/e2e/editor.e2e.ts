// End to end in Chromium (`npm run e2e`): an architect starts a workflow from a bundled template in
// the editor, sees the exact analysis follow as they type, breaks a value and sees the error at its
// line (and cannot save), fixes it, strengthens a control and sees path classes close against the
// saved revision, undoes and redoes, saves with a reason (revision 1, then 2), reopens revision 1
// from the history, and is asked before unsaved changes are discarded; in the step panel attaches a
// control, adds a step and removes it again, and routes a class elsewhere. Saves PNGs of the screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRunner, openSession, ROOT, shot } from './harness.ts';

const ID = 'e2e-authored.reset';
const TEMPLATE = 'standard-password-reset.weak';
const { step, finish } = e2eRunner('editor end-to-end run');
const TEMPLATE_TEXT = readFileSync(join(ROOT, 'models', 'library', `${TEMPLATE}.yaml`), 'utf8');
/** 1-based line of the template's `params: { method: kbv }` (the template keeps its line count). */
const KBV_LINE = TEMPLATE_TEXT.slice(0, TEMPLATE_TEXT.indexOf('params: { method: kbv }')).split('\n').length;
/** 1-based line of the template's first `kind: proofing`. */
const PROOFING_LINE = TEMPLATE_TEXT.slice(0, TEMPLATE_TEXT.indexOf('kind: proofing')).split('\n').length;

async function main(): Promise<void> {
  const { app, page, problems, close } = await openSession({ width: 1600, height: 1000 });
  try {
    /** Goes to the method's line by keyboard, selects its value (the last word before " }") and types over it. */
    const setMethod = async (value: string, current: string) => {
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+Home');
      for (let i = 1; i < KBV_LINE; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < current.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.type(value);
    };
    const headline = () => page.locator('.live-headline').innerText();

    await step('a new workflow from a bundled template opens in the editor, and its exact analysis follows', async () => {
      await page.goto(app.url);
      await page.waitForSelector('.sidebar');
      await page.click('nav.modes button:has-text("Editor")');
      await page.click('button:has-text("New workflow…")');
      await page.selectOption('form[aria-label="New workflow"] select', TEMPLATE);
      await page.fill('form[aria-label="New workflow"] label:has-text("Id") input', 'standard-password-reset.weak');
      assert.match(await page.locator('#new-id-problem').innerText(), /already in the library/);
      await page.fill('form[aria-label="New workflow"] label:has-text("Id") input', ID);
      await page.fill('form[aria-label="New workflow"] label:has-text("Name") input', 'Authored desk reset');
      await page.click('form[aria-label="New workflow"] button:has-text("Create")');
      await page.waitForSelector(`#editor-title:has-text("${ID}")`);
      await page.waitForSelector('.live-headline');
      assert.match(await headline(), /^14 of \d+ scenarios end in a takeover · 17 path classes · 19 takeover paths/);
      assert.ok(await page.locator('[data-testid="workflow-graph"]').isVisible(), 'the graph is drawn beside the file');
      assert.ok(await page.locator('button:has-text("Save revision")').isEnabled());
      await shot(page, 'e01-editor-new');
    });

    await step('a value the schema refuses is marked at its line, and the file cannot be saved until it is fixed', async () => {
      await setMethod('kbx', 'kbv');
      await page.waitForSelector('.editor-findings h2:has-text("Errors")');
      const first = await page.locator('.editor-findings li').first().innerText();
      assert.match(first, new RegExp(`^line ${KBV_LINE} error .*method`));
      assert.ok(await page.locator('.cm-lintRange-error').count(), 'the error is underlined in the text');
      assert.equal(await page.locator('button:has-text("Save revision")').isDisabled(), true);
      await page.keyboard.press('Control+Home');
      await page.click('.editor-findings li button.finding-line >> nth=0');
      assert.match(await page.locator('.cm-activeLine').innerText(), /params: \{ method: kbx \}/, 'a finding takes the cursor to its line');
      await shot(page, 'e02-editor-error');
      await setMethod('kbv', 'kbx');
      await page.waitForSelector('.editor-findings h2:has-text("Lint findings")');
    });

    await step('the first revision is saved with its reason; the history lists it', async () => {
      await page.fill('form[aria-label="Save a revision"] input', 'Our desk as it runs today');
      await page.click('button:has-text("Save revision")');
      await page.waitForSelector(`.notice:has-text("${ID} added to the workspace (revision 1)")`);
      await page.waitForSelector('.editor-history li:has-text("Our desk as it runs today")');
    });

    await step('a stronger proofing method closes path classes against the saved revision, as typed; undo and redo follow', async () => {
      await setMethod('verified_id_facecheck', 'kbv');
      await page.waitForFunction(() => document.querySelector('.live-headline')?.textContent?.includes('12 path classes') ?? false, undefined, { timeout: 30_000 });
      assert.match(await page.locator('.live-change').innerText(), /^5 fewer path classes than the saved revision \(17\)/);
      assert.ok((await page.locator('.live-closed').count()) >= 1, 'the scenarios whose classes closed are named');
      await shot(page, 'e03-editor-classes-closed');
      await page.click('.editor-tools button:has-text("Undo")');
      await page.waitForFunction(() => document.querySelector('.live-change')?.textContent?.startsWith('Same path classes') ?? false, undefined, { timeout: 30_000 });
      await page.click('.editor-tools button:has-text("Redo")');
      await page.waitForFunction(() => document.querySelector('.live-headline')?.textContent?.includes('12 path classes') ?? false, undefined, { timeout: 30_000 });
    });

    await step('Ctrl+Space offers the values the schema allows at the cursor, answered off the UI thread', async () => {
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+Home');
      for (let i = 1; i < PROOFING_LINE; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      for (let i = 0; i < 'ing'.length; i++) await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+Space');
      const options = page.locator('.cm-tooltip-autocomplete li');
      await options.first().waitFor();
      assert.ok((await options.allInnerTexts()).some((t) => t.includes('proofing')), 'the step kinds that start with what is typed are offered');
      await shot(page, 'e03b-editor-completion');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('.live-headline')?.textContent?.includes('12 path classes') ?? false, undefined, { timeout: 30_000 });
      assert.equal(await page.locator('[data-testid="workflow-editor"] .cm-line', { hasText: /^\s*kind: proofing$/ }).count() >= 1, true, 'the chosen value is written back');
    });

    await step('switching to another workflow with unsaved changes asks first; keeping them keeps editing', async () => {
      await page.selectOption('.editor-bar select', 'standard-password-reset.hardened');
      await page.click('button:has-text("Open in the editor")');
      await page.waitForSelector('[role="alertdialog"]:has-text("are not saved")');
      await page.click('[role="alertdialog"] button:has-text("Keep editing")');
      assert.match(await page.locator('#editor-title').innerText(), new RegExp(ID.replace('.', '\\.')));
    });

    await step('the change is saved as revision 2 with its reason, and revision 1 can be opened again from the history', async () => {
      await page.fill('form[aria-label="Save a revision"] input', 'Proof identity with a verified ID and face check');
      await page.click('button:has-text("Save revision")');
      await page.waitForSelector(`.notice:has-text("${ID}: revision 2 saved.")`);
      await page.waitForFunction(() => document.querySelectorAll('.editor-history li').length === 2);
      await page.click('.editor-history li:has-text("revision 1") button:has-text("Open")');
      await page.waitForSelector('#editor-title:has-text("revision 1")');
      await page.waitForFunction(() => document.querySelector('.live-headline')?.textContent?.includes('17 path classes') ?? false, undefined, { timeout: 30_000 });
      await shot(page, 'e04-editor-history');
    });

    await step('attaching a call-back control in the step panel writes it into the file, and path classes close', async () => {
      await page.click('.editor-graph [data-step="verify"]');
      assert.equal(await page.locator('.step-panel select >> nth=0').inputValue(), 'verify', 'a click on the graph picks the step');
      await page.selectOption('form[aria-label="Attach a control"] select', 'callback.number_on_file');
      assert.match(await page.locator('.control-facts').innerText(), /Owner[\s\S]*Friction[\s\S]*min added[\s\S]*Maps to/);
      await page.check('form[aria-label="Attach a control"] input[value="system"]');
      await page.click('button:has-text("Attach control")');
      await page.waitForSelector('.step-controls li[data-control="callback.number_on_file"]');
      assert.ok(await page.locator('.cm-line', { hasText: '- control: callback.number_on_file' }).count(), 'the control is written into the file');
      await page.waitForFunction(() => document.querySelector('.live-headline')?.textContent?.includes(' 5 path classes') ?? false, undefined, { timeout: 30_000 });
      assert.match(await page.locator('.live-change').innerText(), /^12 fewer path classes than the saved revision \(17\)/);
      await shot(page, 'e05-editor-visual');
      await page.click('.editor-tools button:has-text("Undo")');
      await page.waitForFunction(() => !document.querySelector('.step-controls li[data-control="callback.number_on_file"]'), undefined, { timeout: 30_000 });
      await page.click('.editor-tools button:has-text("Redo")');
      await page.waitForSelector('.step-controls li[data-control="callback.number_on_file"]');
      await page.fill('form[aria-label="Save a revision"] input', 'Call back on the number on file before any reset');
      await page.click('button:has-text("Save revision")');
      await page.waitForSelector(`.notice:has-text("${ID}: revision 3 saved.")`);
    });

    await step('comparing the saved revision with revision 1 lists the control added and the path classes it closed', async () => {
      await page.selectOption('.compare-chooser select', 'rev:1');
      await page.click('.compare-chooser button:has-text("Compare")');
      await page.waitForSelector('#compare-title:has-text("revision 1 → the text in the editor")');
      await page.waitForSelector('.compare-block h3:has-text("Path classes:")', { timeout: 30_000 });
      const controls = await page.locator('.compare-block:has(h3:text-is("Controls")) li').allInnerTexts();
      assert.ok(controls.some((c) => /^\+\s+callback\.number_on_file \(system\) on verify$/.test(c.trim())), controls.join(' | '));
      const head = await page.locator('.compare-block h3:has-text("Path classes:")').innerText();
      const [, closed] = /Path classes: (\d+) closed, (\d+) opened/.exec(head)!;
      assert.ok(Number(closed) >= 12, head);
      const sides = await page.locator('.compare-sides p').allInnerTexts();
      assert.match(sides[0]!, / 17 path classes /);
      assert.match(sides[1]!, / 5 path classes /);
      await page.locator('#compare-title').scrollIntoViewIfNeeded();
      await shot(page, 'e06-editor-compare');
      await page.click('button:has-text("Close comparison")');
    });

    await step('a step added after verify in the step panel is written into the file and drawn on the graph, is one Undo, and removing it gives the saved text back', async () => {
      const nodes = () => page.locator('.editor-graph g[data-step]').count();
      const before = await nodes();
      await page.selectOption('.step-panel select >> nth=0', 'verify');
      await page.click('.step-panel button:has-text("Add step after verify…")');
      await page.selectOption('form[aria-label="Add a step"] label:has-text("Kind") select', 'callback');
      await page.fill('form[aria-label="Add a step"] label:has-text("Id") input', 'reset');
      assert.equal(await page.locator('#new-step-problem').innerText(), 'there is already a step "reset"');
      assert.equal(await page.locator('form[aria-label="Add a step"] button:has-text("Add step")').isDisabled(), true);
      await page.fill('form[aria-label="Add a step"] label:has-text("Id") input', 'manager_callback');
      await page.fill('form[aria-label="Add a step"] label:has-text("Name") input', 'Call the manager back');
      assert.match(await page.locator('form[aria-label="Add a step"] p').innerText(), /between "verify" and "reset"/);
      await page.locator('form[aria-label="Add a step"]').scrollIntoViewIfNeeded();
      await shot(page, 'e07-editor-step-add-form');
      await page.click('form[aria-label="Add a step"] button:has-text("Add step")');
      await page.waitForSelector('.editor-graph g[data-step="manager_callback"]', { timeout: 30_000 });
      assert.equal(await nodes(), before + 1, 'the graph gains one node');
      assert.ok(await page.locator('.cm-line', { hasText: '- id: manager_callback' }).count(), 'the step is written into the file');
      assert.match(await page.locator('.notice').innerText(), /"verify" now goes next to "manager_callback", and "manager_callback" to "reset"/);
      assert.equal(await page.locator('.step-panel select >> nth=0').inputValue(), 'manager_callback', 'the new step is picked in the panel');
      await page.waitForSelector('.editor-head .badge:has-text("unsaved changes")');
      await page.locator('.editor-graph').evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await page.click('.editor-graph button:text-is("Fit")');
      await shot(page, 'e07-editor-step-added');
      // The step and the next that now points at it are one change: one Undo takes both back.
      await page.click('.editor-tools button:has-text("Undo")');
      await page.waitForSelector('.editor-head .badge:text-is("saved")');
      await page.waitForFunction(() => !document.querySelector('.editor-graph g[data-step="manager_callback"]'), undefined, { timeout: 30_000 });
      assert.equal(await page.locator('.notice:has-text("Changed in the file")').count(), 0, 'the note on the change goes with the change');
      await page.click('.editor-tools button:has-text("Redo")');
      await page.waitForSelector('.editor-graph g[data-step="manager_callback"]', { timeout: 30_000 });
      await page.locator('.step-panel').scrollIntoViewIfNeeded();
      await page.click('.step-panel button:has-text("Remove step manager_callback…")');
      await page.waitForSelector('.step-confirm[role="alertdialog"]');
      // By keyboard: the question opens on "Keep it", Escape closes it back onto its button, Enter asks again.
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep it');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.step-confirm'));
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Remove step manager_callback…');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.step-confirm[role="alertdialog"]');
      assert.match(await page.locator('#remove-step-text').innerText(), /^Remove step manager_callback from the file\? Then "verify" goes next to "reset" now\. Undo takes it back\.$/);
      await shot(page, 'e08-editor-step-remove-confirm');
      await page.click('.step-confirm button:text-is("Remove step")');
      await page.waitForFunction(() => !document.querySelector('.editor-graph [data-step="manager_callback"]'), undefined, { timeout: 30_000 });
      assert.equal(await nodes(), before);
      await page.waitForSelector('.editor-head .badge:text-is("saved")');
      assert.equal(await page.locator('.cm-line', { hasText: 'manager_callback' }).count(), 0, 'the text is back as saved');
      await page.selectOption('.step-panel select >> nth=0', 'intake');
      await page.click('.step-panel button:has-text("Remove step intake…")');
      assert.match(await page.locator('.step-confirm[role="alert"]').innerText(), /intake cannot be removed: "intake" is where the workflow starts/);
      await page.click('.step-confirm button:has-text("OK")');
    });

    await step('a routing step sends an account class elsewhere from the step panel, in the file, and Undo takes it back', async () => {
      await page.selectOption('.step-panel select >> nth=0', 'route');
      await page.selectOption('.step-routes select[aria-label="Route privileged_admin to"]', 'reset');
      await page.waitForSelector('.cm-line:has-text("- classes: [privileged_admin]")');
      await page.waitForFunction(() => (document.querySelector<HTMLSelectElement>('.step-routes select[aria-label="Route privileged_admin to"]')?.value ?? '') === 'reset', undefined, { timeout: 30_000 });
      await page.locator('.step-panel').scrollIntoViewIfNeeded();
      await shot(page, 'e09-editor-route');
      await page.click('.editor-tools button:has-text("Undo")');
      await page.waitForSelector('.editor-head .badge:text-is("saved")');
      await page.waitForFunction(() => (document.querySelector<HTMLSelectElement>('.step-routes select[aria-label="Route privileged_admin to"]')?.value ?? '') === 'verify', undefined, { timeout: 30_000 });
    });

    await step('a file written with CRLF line endings opens as saved, an edit undone is saved again, and a saved edit keeps CRLF on every line', async () => {
      const origin = new URL(app.url);
      const token = new URLSearchParams(origin.hash.slice(1)).get('token')!;
      const call = async (key: string, body: object) => {
        const res = await fetch(new URL(`/api/${key}`, origin), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-ResetPath-Token': token }, body: JSON.stringify(body) });
        assert.equal(res.status, 200, `${key}: HTTP ${res.status}`);
        return (await res.json()) as { text?: string };
      };
      const crlfId = 'e2e-crlf.reset';
      const lf = TEMPLATE_TEXT.replace(`id: ${TEMPLATE}`, `id: ${crlfId}`);
      await call('workflow.save', { fileName: `${crlfId}.yaml`, text: lf.replace(/\n/g, '\r\n') });
      await page.reload();
      await page.click('nav.modes button:has-text("Editor")');
      await page.selectOption('.editor-bar select', crlfId);
      await page.click('button:has-text("Open in the editor")');
      await page.waitForSelector(`#editor-title:has-text("${crlfId}")`);
      await page.waitForSelector('.editor-head .badge:text-is("saved")');
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('# x');
      await page.waitForSelector('.editor-head .badge:has-text("unsaved changes")');
      for (let i = 0; i < 3 && (await page.locator('.editor-head .badge:has-text("unsaved changes")').count()); i++) await page.click('.editor-tools button:has-text("Undo")');
      await page.waitForSelector('.editor-head .badge:text-is("saved")');
      await page.click('.editor-graph [data-step="verify"]');
      await page.selectOption('form[aria-label="Attach a control"] select', 'callback.number_on_file');
      await page.check('form[aria-label="Attach a control"] input[value="system"]');
      await page.click('button:has-text("Attach control")');
      await page.waitForSelector('.step-controls li[data-control="callback.number_on_file"]');
      await page.fill('form[aria-label="Save a revision"] input', 'Call back on the number on file');
      await page.click('button:has-text("Save revision")');
      await page.waitForSelector(`.notice:has-text("${crlfId}: revision 2 saved.")`);
      const saved = (await call('workflow.get', { id: crlfId })).text!;
      assert.match(saved, /- control: callback\.number_on_file\r\n/);
      assert.equal(saved.replace(/\r\n/g, '').search(/[\r\n]/), -1, 'every line break of the saved file is CRLF');
      assert.equal(saved.replace(/\r\n/g, '\n').split('\n').length - lf.split('\n').length, 2, 'the control and its enforcement are the only lines added');
    });

    await step('at a projector\'s 1280x720 the editor and its side panel fit', async () => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await shot(page, 'e10-editor-1280');
      assert.deepEqual(problems, [], 'no page errors or console warnings');
    });
  } finally {
    await close();
  }
}

void finish(main);
