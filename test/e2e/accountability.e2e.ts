// End to end in Chromium (`npm run e2e`): a governance lead adds a workflow, builds its
// accountability report, names the owner of its gaps, sets a remediation item's status and due date,
// signs the report off; the workflow is then changed (hardened), the next report's trend lists the
// gaps closed since the sign-off, and the report is exported as HTML (with the trend and the named
// owner) and as a PDF printed by Chromium. Saves PNGs of the screen in test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropFile, e2eRunner, openSession, ROOT, shot } from './harness.ts';

const ID = 'e2e-governed-reset';
const OWNER = 'Priya Shah, IAM';
const SIGNER = 'Dana Lee, CISO';
const HOSTILE_CONTACT = '<img src=x onerror="window.pwned=1">';
const { step, finish } = e2eRunner('accountability end-to-end run');

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** A bundled workflow's file under the test's own id, so its changes are revisions of one workflow. */
function workflowText(bundled: string, name: string): string {
  return readFileSync(join(ROOT, 'models', 'library', `${bundled}.yaml`), 'utf8')
    .replace(new RegExp(`^id: ${bundled.replace('.', '\\.')}$`, 'm'), `id: ${ID}`)
    .replace(/^variant: .*$/m, 'variant: custom')
    .replace(/^name: .*$/m, `name: ${name}`);
}


async function main(): Promise<void> {
  const downloads = mkdtempSync(join(tmpdir(), 'resetpath-e2e-downloads-'));
  const { app, page, problems, close } = await openSession({ width: 1600, height: 1000 });
  try {
    const exported = async (format: string): Promise<string> => {
      await page.selectOption('.acc-export select >> nth=0', format);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export report")')]);
      const file = join(downloads, download.suggestedFilename());
      await download.saveAs(file);
      return file;
    };
    const rowOf = (control: string) => page.locator(`tr[data-gap="${ID}/${control}"]`);

    let firstControl = '';
    await step('a workflow dropped on the workbench is in the workspace, and the Accountability screen builds its report', async () => {
      await page.goto(app.url);
      await page.waitForSelector('.sidebar');
      await dropFile(page, `${ID}.yaml`, workflowText('standard-password-reset.weak', 'Governed desk reset'));
      await page.waitForSelector(`[data-workflow-id="${ID}"]`);
      await page.waitForFunction((id) => document.querySelector('.notice')?.textContent?.includes(`Added to the workspace: ${id}`) ?? false, ID);
      await page.click('nav.modes button:has-text("Accountability")');
      await page.waitForSelector('h1:has-text("Accountability report")');
      await page.fill('.acc-scope input[type="search"]', ID);
      await page.check(`.acc-wf:has(code:text-is("${ID}")) input`);
      await page.click('button:has-text("Build the report")');
      await page.waitForSelector('#gaps-title');
      const gaps = await page.locator('tr[data-gap]').count();
      assert.ok(gaps >= 2, `the weak workflow has gaps (${gaps})`);
      firstControl = (await page.locator('tr[data-gap]').first().getAttribute('data-gap'))!.split('/')[1]!;
      assert.match(await page.locator('#trend-title + p').innerText(), /No signed report of this scope yet/);
    });

    await step('naming the owner of a role puts the name on every gap that role owns', async () => {
      const role = await page.locator('.acc-owners form select >> nth=0').inputValue();
      await page.fill('.acc-owners form input >> nth=0', OWNER);
      // A contact written as markup is shown as the text it is, and runs nothing.
      await page.fill('.acc-owners form input >> nth=1', HOSTILE_CONTACT);
      await page.click('button:has-text("Assign owner")');
      await page.waitForSelector(`.acc-owners tr[data-role="${role}"] strong:has-text("${OWNER}")`);
      assert.ok((await page.locator(`.acc-owners tr[data-role="${role}"]`).innerText()).includes(HOSTILE_CONTACT), 'the contact is shown as text');
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'no script ran');
      assert.equal(await page.locator('.acc-owners img').count(), 0);
      await page.waitForFunction((o) => [...document.querySelectorAll('tr[data-gap] strong')].some((s) => s.textContent === o), OWNER);
      assert.match(await page.locator('.accountability-main .run-status').innerText(), /Report built|now owns/);
    });

    await step('a gap\'s remediation gets a status, a due date (already past, so overdue) and a ticket', async () => {
      await rowOf(firstControl).locator('button:has-text("Edit")').click();
      const form = page.locator('form.acc-form[aria-label^="Remediation of"]');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SELECT', 'focus moves to the form\'s first field');
      await form.locator('select').selectOption('in_progress');
      await form.locator('input[type="date"]').fill('2026-01-15');
      await form.locator('label:has-text("Ticket") input').fill('SEC-42');
      await form.locator('label:has-text("Reason") input').fill('approved in the risk committee');
      await form.locator('button:has-text("Save remediation")').click();
      await page.waitForFunction((c) => document.querySelector(`tr[data-gap$="/${c}"]`)?.textContent?.includes('SEC-42') ?? false, firstControl);
      const text = await rowOf(firstControl).innerText();
      assert.match(text, /in progress/);
      assert.match(text, /due 2026-01-15 \(overdue\)/);
    });

    await step('the report is signed off with a decision and a justification', async () => {
      const form = page.locator('form[aria-label="Sign the report off"]');
      await form.locator('label:has-text("Signed off by") input').fill(SIGNER);
      await form.locator('input[value="remediate"]').check();
      await form.locator('textarea').fill('Fund the call-back to the number on file before Q3.');
      await form.locator('button:has-text("Sign off")').click();
      await page.waitForFunction((s) => document.querySelector('.accountability-main .run-status')?.textContent?.includes(`Signed off by ${s}`) ?? false, SIGNER);
      await page.waitForSelector(`.acc-signed li:has-text("${SIGNER}")`);
      // The report is built again at once, now with a trend against the sign-off (nothing changed yet).
      await page.waitForSelector('#trend-title + p:has-text("Against the report signed off by")');
      assert.equal(await page.locator('.trend-good li').count(), 0);
      await shot(page, 'g01-accountability');
    });

    let closed = 0;
    await step('after the workflow is changed, the next report\'s trend lists the gaps closed since the sign-off', async () => {
      await page.click('nav.modes button:has-text("Workbench") >> visible=true');
      await dropFile(page, `${ID}.yaml`, workflowText('standard-password-reset.hardened', 'Governed desk reset'));
      await page.waitForFunction(() => /revision 2/i.test(document.querySelector('.notice')?.textContent ?? ''));
      await page.click('nav.modes button:has-text("Accountability") >> visible=true');
      await page.click('button:has-text("Build the report again")');
      // Right after the sign-off the trend is against it with nothing changed; the new build fills "Closed".
      await page.waitForSelector('.trend-good li');
      const intro = await page.locator('#trend-title + p').innerText();
      assert.match(intro, new RegExp(`signed off by ${SIGNER} on \\d{4}-\\d{2}-\\d{2} \\(decision: remediate\\)`));
      closed = await page.locator('.trend-good li').count();
      assert.ok(closed >= 1, 'hardening the workflow closes at least one gap of the signed report');
      await page.locator('#trend-title').scrollIntoViewIfNeeded();
      await shot(page, 'g02-accountability-trend');
    });

    await step('the exported HTML report carries the trend, the named owner and the previous sign-off', async () => {
      const file = await exported('html');
      assert.match(file, new RegExp(`resetpath-report-${ID}-\\d{4}-\\d{2}-\\d{2}\\.html$`));
      const html = readFileSync(file, 'utf8');
      assert.match(html, /Trend since the previous sign-off/);
      assert.ok(html.includes('Dana Lee, CISO'), 'the previous sign-off is named');
      assert.ok(!/<script\b/i.test(html), 'the report carries no script');
    });

    await step('the PDF export is printed by Chromium and has the report\'s headings', async () => {
      await page.selectOption('.acc-export select >> nth=0', 'pdf');
      await page.waitForSelector('.acc-export label:has-text("Paper")');
      const file = await exported('pdf');
      assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
      if (has('pdftotext')) {
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        for (const h of ['Executive summary', 'Trend since the previous sign-off']) assert.ok(text.includes(h), `the PDF has "${h}"`);
      }
    });

    await step('at a projector\'s 1280x720 the screen still reads', async () => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.locator('#gaps-title').scrollIntoViewIfNeeded();
      await shot(page, 'g03-accountability-1280');
      assert.deepEqual(problems, [], 'no page errors or console warnings');
    });
  } finally {
    await close();
    rmSync(downloads, { recursive: true, force: true });
  }
}

void finish(main);
