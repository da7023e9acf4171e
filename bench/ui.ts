// The workbench's responsiveness in Chromium (`npm run bench:ui`; not a timed test). Browser mode as
// `npm start` runs it (the production renderer build and the bundled host on a fresh data folder),
// Debian's Chromium driven by playwright-core, a 1600x1000 window. Three measures:
//   1. What-if: a control's checkbox clicked to the graph and the table repainted, on every bundled
//      workflow and a 60-step generated one (target: median under 50 ms on each).
//   2. First paint of a 200-step graph: a click on the workflow in the library to the graph with all
//      its steps painted (target: under 300 ms); each open is of another workflow, 200 to 209 steps.
//   3. Typing in the editor on the 200-step workflow: a key pressed to the character painted, while
//      the live analysis follows in its worker (target: under 50 ms).
// How "repainted" is taken, in the page: a capture listener reads the input event's timeStamp (when
// the browser created the event, so queueing behind other work counts), then requestAnimationFrame
// callbacks, the first registered before the app's own handlers run, find the first frame whose DOM
// holds the new state, and a setTimeout(0) from that callback fires once the frame's style, layout
// and paint are done. As a cross-
// check, the browser's own Event Timing entries (what INP is built from; 8 ms granularity, none below
// 16 ms) are reported for the same interactions.
// Writes the "Workbench in Chromium" section of docs/benchmarks.md; --quick measures fewer samples
// on fewer workflows and writes nothing, --only=whatif|paint|typing measures one thing and writes
// nothing, UI_BENCH_VERBOSE=1 prints every key's time.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dropFile, launchChromium, ROOT, startAndWaitForUrl, tempDataDir } from '../test/e2e/harness.ts';
import { generateWorkflowText } from './generate.ts';

const quick = process.argv.includes('--quick');
/** --only=whatif|paint|typing measures one thing and writes nothing (for trying a change). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? null;
const does = (what: string) => only === null || only === what;
const WHATIF_CLICKS = quick ? 3 : 9;
const PAINT_RUNS = quick ? 3 : 9;
const KEYS = quick ? 8 : 40;
const TARGETS = { whatif: 50, paint: 300, typing: 50 };

interface Mark {
  kind: string;
  t0: number;
  frame: number;
  painted: number;
  ok: boolean;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (x: number) => (Number.isNaN(x) ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);

function build(mode: 'production' | 'host'): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--mode', mode, '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build --mode ${mode} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Installs the page-side probes. Each probe waits for an input event, then for the first frame whose
 * DOM holds what `ready` names, then for that frame to be painted.
 */
async function installProbes(page: Page): Promise<void> {
  // tsx compiles with esbuild's keepNames, which wraps named functions in a `__name` helper that
  // exists in Node, not in the page: the page gets one that does nothing.
  await page.evaluate('globalThis.__name = (f) => f');
  await page.evaluate(() => {
    // Types only (erased): the page sees none of this module's values.
    type W = Window & { __marks: Mark[]; __events: { name: string; duration: number; interactionId: number; startTime: number }[]; __arm: (kind: string, type: string, ready: string, value: string) => void };
    const w = window as unknown as W;
    if (w.__marks) return;
    w.__marks = [];
    w.__events = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceEventTiming[]) if (e.interactionId) w.__events.push({ name: e.name, duration: e.duration, interactionId: e.interactionId, startTime: e.startTime });
    }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
    /** `ready` is a selector, and `value` what its element's text or data-seq must then hold ("count>=N" counts matches). */
    const holds = (ready: string, value: string): boolean => {
      if (value.startsWith('count>=')) return document.querySelectorAll(ready).length >= Number(value.slice(7));
      const el = document.querySelector(ready);
      if (!el) return false;
      if (value.startsWith('seq=')) return el.getAttribute('data-seq') === value.slice(4);
      // CodeMirror renders in a shadow root: look into it.
      const host = el.shadowRoot ? el.shadowRoot.querySelector('.cm-content') : el;
      return (host?.textContent ?? '').includes(value);
    };
    w.__arm = (kind, type, ready, value) => {
      const onEvent = (e: Event) => {
        document.removeEventListener(type, onEvent, true);
        const t0 = e.timeStamp;
        // Registered before the event's own handlers run, this callback comes first in its frame, and
        // so does the timer it sets: work the app defers to a timer of its own (gap attribution after
        // a what-if) is not counted. It looks again each frame until the DOM holds the new state.
        const onFrame = () => {
          if (!holds(ready, value)) {
            if (performance.now() - t0 > 30_000) w.__marks.push({ kind, t0, frame: NaN, painted: NaN, ok: false });
            else requestAnimationFrame(onFrame);
            return;
          }
          const frame = performance.now();
          setTimeout(() => w.__marks.push({ kind, t0, frame, painted: performance.now(), ok: true }), 0);
        };
        requestAnimationFrame(onFrame);
      };
      document.addEventListener(type, onEvent, true);
    };
  });
}

/** Arms a probe, performs the action, and waits for its mark. */
async function measure(page: Page, kind: string, type: string, ready: string, value: string, act: () => Promise<void>): Promise<Mark> {
  const before = await page.evaluate(() => (window as unknown as { __marks: unknown[] }).__marks.length);
  await page.evaluate(([k, t, r, v]) => (window as unknown as { __arm: (...a: string[]) => void }).__arm(k!, t!, r!, v!), [kind, type, ready, value]);
  await act();
  const handle = await page.waitForFunction((n) => (window as unknown as { __marks: unknown[] }).__marks.length > n, before, { timeout: 60_000, polling: 20 });
  await handle.dispose();
  const m = await page.evaluate((n) => (window as unknown as { __marks: Mark[] }).__marks[n]!, before);
  if (!m.ok) throw new Error(`${kind}: the DOM did not show the new state within 30 s of the ${type}`);
  return m;
}

const eventsSince = async (page: Page, since: number) =>
  page.evaluate((t) => (window as unknown as { __events: { duration: number; interactionId: number; startTime: number }[] }).__events.filter((e) => e.startTime >= t), since);

/** Largest Event Timing duration per interaction (the INP definition), over the interactions since `since`. */
const interactionDurations = (events: { duration: number; interactionId: number }[]) => {
  const by = new Map<number, number>();
  for (const e of events) by.set(e.interactionId, Math.max(by.get(e.interactionId) ?? 0, e.duration));
  return [...by.values()];
};

build('production');
build('host');
const data = tempDataDir();
const app = await startAndWaitForUrl(process.execPath, [join(ROOT, 'out', 'serve.mjs'), '--static', join(ROOT, 'out', 'renderer')], { ...process.env, RESETPATH_DATA_DIR: data.dir });
const browser = await launchChromium({ width: 1600, height: 1000 });
const page = await browser.context.newPage();
const G200 = 'generated-200';
const G60 = 'generated-60';

interface WhatIfRow {
  id: string;
  steps: number;
  samples: number[];
  inp: number[];
}
const whatIf: WhatIfRow[] = [];
const paint: number[] = [];
const paintInp: number[] = [];
const typing: number[] = [];
const typingInp: number[] = [];
let typingWorker = 0;

try {
  await page.goto(app.url);
  await page.waitForSelector('[data-workflow-id]');
  await installProbes(page);
  // The 200-step and 60-step generated workflows join the workspace by the app's own import (a drop).
  for (const [id, n] of [
    [G200, 200],
    [G60, 60],
  ] as const) {
    await dropFile(page, `${id}.yaml`, generateWorkflowText(n, 25, 42).replace(/^id: .*$/m, `id: ${id}`));
    await page.waitForSelector(`[data-workflow-id="${id}"]`);
  }

  // 1. What-if on every bundled workflow and the 60-step one.
  const library = readdirSync(join(ROOT, 'models', 'library'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
  const targets = !does('whatif') ? [] : quick ? [G60, ...library.slice(0, 3)] : [G60, ...library];
  for (const id of targets) {
    await page.click(`[data-workflow-id="${id}"]`);
    await page.waitForSelector('[data-testid="workflow-graph"] [data-step]');
    await page.click('[data-testid="run-analysis"]');
    await page.waitForSelector('[data-testid="outcome-table"] tbody tr[data-scenario]', { timeout: 120_000 });
    await page.click('[data-tab="whatif"]');
    await page.waitForSelector('[data-testid="whatif-status"]');
    const steps = await page.locator('[data-testid="workflow-graph"] [data-step]').count();
    const controls = await page.locator('.whatif-row:not(.is-disabled)').evaluateAll((els) => els.map((e) => e.getAttribute('data-control')!));
    const row: WhatIfRow = { id, steps, samples: [], inp: [] };
    const since = await page.evaluate(() => performance.now());
    // One control at a time from the file's own design: switched (measured), then switched back
    // (the baseline again, nothing to analyse: not measured). The next click waits for gap
    // attribution of the previous one to finish, as a user reading the result would.
    for (let i = 0; i < WHATIF_CLICKS + 1; i++) {
      const control = controls[i % controls.length]!;
      const box = page.locator(`.whatif-row[data-control="${control}"] input`);
      const seq = Number(await page.locator('[data-testid="whatif-status"]').getAttribute('data-seq'));
      const m = await measure(page, 'whatif', 'click', '[data-testid="whatif-status"]', `seq=${seq + 1}`, () => box.click());
      if (i > 0) row.samples.push(m.painted - m.t0); // the first click also warms the session cache
      await page.waitForFunction(() => !document.querySelector('[data-testid="whatif-status"]')?.textContent?.includes('gaps…'), undefined, { timeout: 60_000 });
      await box.click();
      await page.waitForFunction((s) => document.querySelector('[data-testid="whatif-status"]')?.getAttribute('data-seq') === String(s), seq + 2);
    }
    row.inp = interactionDurations(await eventsSince(page, since));
    whatIf.push(row);
    console.log(`what-if ${id} (${steps} steps): median ${fmt(median(row.samples))}, max ${fmt(Math.max(...row.samples))} over ${row.samples.length} clicks`);
  }

  // 2. First paint of a 200-step graph: opened from the library, alternating with a small workflow.
  // Each open is of another generated workflow, of 200 to 209 steps, so each is a graph never laid
  // out before: the renderer keeps the placements of the graphs it drew last and re-places a graph of
  // the same steps and transitions from them (models/graphLayout.ts), which would not be a first paint.
  const small = library[0]!;
  const largeIds = Array.from({ length: does('paint') ? PAINT_RUNS + 1 : 0 }, (_, i) => (i === 0 ? G200 : `generated-${200 + i}`));
  for (const [i, id] of largeIds.entries()) {
    if (i === 0) continue;
    await dropFile(page, `${id}.yaml`, generateWorkflowText(200 + i, 25, 42).replace(/^id: .*$/m, `id: ${id}`));
    await page.waitForSelector(`[data-workflow-id="${id}"]`);
  }
  for (const [i, large] of largeIds.entries()) {
    await page.click(`[data-workflow-id="${small}"]`);
    await page.waitForFunction(() => { const n = document.querySelectorAll('[data-testid="workflow-graph"] [data-step]').length; return n > 0 && n < 100; });
    await page.waitForTimeout(200);
    const since = await page.evaluate(() => performance.now());
    const m = await measure(page, 'paint', 'click', '[data-testid="workflow-graph"] [data-step]', 'count>=200', () => page.click(`[data-workflow-id="${large}"]`));
    if (i > 0) {
      paint.push(m.painted - m.t0);
      paintInp.push(...interactionDurations(await eventsSince(page, since)));
    }
    console.log(`first paint of the 200-step graph #${i}: ${fmt(m.painted - m.t0)}${i === 0 ? ' (warm-up, not counted)' : ''}`);
  }

  // 3. Typing in the editor on the 200-step workflow: characters appended to its name, each a valid file.
  if (does('typing')) await typingRun();
  async function typingRun(): Promise<void> {
  await page.click('nav.modes button:has-text("Editor")');
  await page.selectOption('.editor-bar select', G200);
  await page.click('button:has-text("Open in the editor")');
  await page.waitForSelector('.cm-content');
  await page.locator('.cm-line', { hasText: /^name: Generated workflow/ }).first().click();
  await page.keyboard.press('End');
  const since = await page.evaluate(() => performance.now());
  const nameText = generateWorkflowText(200, 25, 42).split('\n').find((l) => l.startsWith('name: '))!;
  let typed = '';
  const word = 'quick brown fox jumps over the lazy dog ';
  for (let i = 0; i < KEYS; i++) {
    const ch = word[i % word.length]!;
    typed += ch;
    const m = await measure(page, 'typing', 'keydown', '[data-testid="workflow-editor"]', `${nameText}${typed}`, () => page.keyboard.press(ch === ' ' ? 'Space' : ch));
    typing.push(m.painted - m.t0);
    if (process.env.UI_BENCH_VERBOSE) console.log(`key ${JSON.stringify(ch)}: ${fmt(m.painted - m.t0)} (frame at ${fmt(m.frame - m.t0)})`);
    // About 9 keys a second within a word, a fast typist, and a pause between words long enough for
    // the editor's check (250 ms after the last key) to start: the next key may meet it.
    await page.waitForTimeout(ch === ' ' ? 450 : 110);
  }
  typingInp.push(...interactionDurations(await eventsSince(page, since)));
  typingWorker = await page.locator('.live-headline').count();
  console.log(`typing on the 200-step workflow: median ${fmt(median(typing))}, 95th ${fmt(pct(typing, 95))}, max ${fmt(Math.max(...typing))} over ${typing.length} keys`);
  }
} finally {
  await browser.close();
  await app.stop();
  data.remove();
}

// The target is on the bundled workflows; the 60-step generated one is reported beside them.
const bundled = whatIf.filter((r) => r.id !== G60);
const allWhatIf = bundled.flatMap((r) => r.samples);
const worstWhatIf = bundled.reduce((a, r) => (median(r.samples) > median(a.samples) ? r : a), bundled[0] ?? { id: '', steps: 0, samples: [], inp: [] });
const g60 = whatIf.find((r) => r.id === G60);
if (bundled.length) console.log(`what-if, bundled workflows: median over all ${allWhatIf.length} clicks ${fmt(median(allWhatIf))}; worst workflow median ${fmt(median(worstWhatIf.samples))} (${worstWhatIf.id})`);
if (paint.length) console.log(`first paint of the 200-step graph: median ${fmt(median(paint))}`);

if (!quick && only === null) {
  const date = execSync('date').toString().trim();
  const chromium = execSync('/usr/bin/chromium --version 2>/dev/null || true').toString().trim();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const met = (x: number, t: number) => (x < t ? 'met' : '**not met**');
  const inpText = (xs: number[]) => (xs.length === 0 ? 'none at or over 16 ms' : `${xs.length} at or over 16 ms, largest ${fmt(Math.max(...xs))}`);
  const lines = [
    '<!-- bench:ui:start -->',
    `Command: \`npm run bench:ui\` (bench/ui.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${chromium}, headless, window 1600x1000. Date: ${date}. Load average when it ended: ${load}.`,
    '',
    'Browser mode as `npm start` runs it: the production renderer build, the bundled host on a fresh data folder. Each sample runs from the input event\'s own timestamp (so waiting behind other work counts) to the end of the first frame painted with the new state in the DOM: a requestAnimationFrame callback checks the DOM holds it (a sample where it does not is an error, not a number), and a `setTimeout(0)` from that callback fires once the frame\'s style, layout and paint are done. "Event Timing" is the browser\'s own measure of the same interactions (the entries INP is built from; 8 ms granularity, nothing reported under 16 ms).',
    '',
    '| measure | target | median | 95th percentile | max | samples | Event Timing | |',
    '|---|---|---|---|---|---|---|---|',
    `| what-if: checkbox click to graph and table repainted, every bundled workflow | under 50 ms median on each | **${fmt(median(allWhatIf))}** (worst workflow: ${fmt(median(worstWhatIf.samples))}, ${worstWhatIf.id}) | ${fmt(pct(allWhatIf, 95))} | ${fmt(Math.max(...allWhatIf))} | ${allWhatIf.length} | ${inpText(bundled.flatMap((r) => r.inp))} | ${met(median(worstWhatIf.samples), TARGETS.whatif)} |`,
    ...(g60 ? [`| what-if on the 60-step generated workflow (beside the target) | | ${fmt(median(g60.samples))} | ${fmt(pct(g60.samples, 95))} | ${fmt(Math.max(...g60.samples))} | ${g60.samples.length} | ${inpText(g60.inp)} | |`] : []),
    `| first paint of a 200-step graph: library click to every step painted | under 300 ms | **${fmt(median(paint))}** | ${fmt(pct(paint, 95))} | ${fmt(Math.max(...paint))} | ${paint.length} | ${inpText(paintInp)} | ${met(median(paint), TARGETS.paint)} |`,
    `| typing in the editor on the 200-step workflow: key to character painted | under 50 ms | **${fmt(median(typing))}** | ${fmt(pct(typing, 95))} | ${fmt(Math.max(...typing))} | ${typing.length} | ${inpText(typingInp)} | median ${met(median(typing), TARGETS.typing)}, 95th percentile ${met(pct(typing, 95), TARGETS.typing)} |`,
    '',
    `What-if per workflow (${WHATIF_CLICKS} clicks each after one warm-up; each click switches one control from the file's design, and the next waits until gap attribution of the previous is done):`,
    '',
    '| workflow | steps | median | max |',
    '|---|---|---|---|',
    ...whatIf.map((r) => `| ${r.id} | ${r.steps} | ${fmt(median(r.samples))} | ${fmt(Math.max(...r.samples))} |`),
    '',
    `Typing: ${KEYS} characters appended to the workflow's name at about 9 a second within a word and a 450 ms pause after each word (the editor checks the text 250 ms after the last key, so keys meet checks and redraws); every one leaves a valid file, so the live analysis runs in its worker (${typingWorker ? 'its headline on screen' : 'no headline seen'}) and the graph is redrawn when it answers, between keys. The first paint opens a generated workflow from the library (fetching its file from the host, loading it, laying out its steps, drawing), alternating with a small workflow; each open is of another one, of 200 to 209 steps, so each is a graph never laid out before.`,
    '<!-- bench:ui:end -->',
  ];
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:ui:start -->[\s\S]*<!-- bench:ui:end -->/;
  const section = lines.join('\n');
  writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n## Workbench in Chromium\n\n${section}\n`);
  console.log('wrote docs/benchmarks.md');
}
