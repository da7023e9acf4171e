import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMainWindow, createPresenterWindow, createPrintWindow, type MainWindowOptions, type PrintWindowOptions } from '../../electron/main/policy/mainWindow.ts';
import { MAX_DATA_URL, pageSizeOf, reportDataUrl } from '../../electron/main/policy/print.ts';
import type { WindowOf } from '../../electron/main/policy/ipc.ts';
import { presenterEntryUrl, presenterRequest } from '../../electron/main/policy/presenter.ts';

const PRELOAD = '/opt/ResetPath/resources/app.asar/out/preload/index.cjs';
const PLACEMENT = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false };

/** Stands in for Electron's BrowserWindow only to record the options the app passes it. */
class CapturingWindow {
  static last: MainWindowOptions | null = null;
  constructor(options: MainWindowOptions) {
    CapturingWindow.last = options;
  }
}

function created(preload = PRELOAD): Record<string, unknown> {
  createMainWindow(CapturingWindow, PLACEMENT, preload, 'desk.resetpath — ResetPath');
  return CapturingWindow.last!.webPreferences as unknown as Record<string, unknown>;
}

describe('the main window', () => {
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webviewTag', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['spellcheck', false],
    ['safeDialogs', true],
    ['navigateOnDragDrop', false],
    ['enableWebSQL', false],
    ['plugins', false],
    ['disableBlinkFeatures', 'Auxclick'],
  ])('sets webPreferences.%s to %s', (flag, value) => {
    expect(created()[flag]).toBe(value);
  });

  it('never enables individual Blink features', () => {
    expect('enableBlinkFeatures' in created()).toBe(false);
  });

  it('has no webPreferences besides the reviewed flags and the preload', () => {
    expect(Object.keys(created()).sort()).toEqual(
      ['contextIsolation', 'sandbox', 'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'webSecurity', 'allowRunningInsecureContent', 'experimentalFeatures', 'disableBlinkFeatures', 'navigateOnDragDrop', 'enableWebSQL', 'plugins', 'spellcheck', 'safeDialogs', 'preload'].sort(),
    );
  });

  it('loads the CommonJS preload, the only kind a sandboxed renderer can run, by absolute path', () => {
    expect(created().preload).toBe(PRELOAD);
    expect(() => created('/app/out/preload/index.mjs')).toThrow(/CommonJS/);
    expect(() => created('out/preload/index.cjs')).toThrow(/absolute/);
  });

  it('gives each window its own preferences, so changing one cannot loosen the next', () => {
    const first = created();
    first.sandbox = false;
    first.nodeIntegration = true;
    expect(created()).toMatchObject({ sandbox: true, nodeIntegration: false });
  });

  it('opens hidden at the restored placement, no smaller than the minimum', () => {
    created();
    expect(CapturingWindow.last).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false, minWidth: 720, minHeight: 480, title: 'desk.resetpath — ResetPath' });
  });

  it('is the only place in the shell that constructs a window or sets webPreferences', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const sites = walk(join(root, 'electron'))
      .filter((f) => /\.ts$/.test(f))
      .filter((f) => /new\s+(BrowserWindow|BrowserView|WebContentsView)\b|webPreferences\s*:/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).replace(/\\/g, '/'));
    expect(sites).toEqual(['electron/main/policy/mainWindow.ts']);
  });
});

describe('the presenter window of a tabletop session', () => {
  it('has exactly the main window\'s webPreferences and preload, at a projector\'s 1280x720, hidden until painted', () => {
    const main = created();
    createPresenterWindow(CapturingWindow, PRELOAD, 'Presenter — ResetPath');
    expect(CapturingWindow.last!.webPreferences).toEqual(main);
    expect(CapturingWindow.last).toMatchObject({ width: 1280, height: 720, show: false, title: 'Presenter — ResetPath' });
  });

  it('loads the app\'s entry page with only the session id in its fragment', () => {
    expect(presenterEntryUrl('sess-42')).toBe('app://resetpath/index.html#presenter=sess-42');
    expect(() => presenterEntryUrl('x&token=y')).toThrow(/not a tabletop session id/);
  });

  it('is opened only at the main window\'s request, for a session id of the contract\'s form', () => {
    const windowOf: WindowOf = (id) => (id === 1 ? { kind: 'main' } : id === 2 ? { kind: 'presenter', sessionId: 'sess-42' } : null);
    const from = (id: number, url = 'app://resetpath/index.html', parent: unknown = null) => ({ sender: { id }, senderFrame: { url, parent } });
    expect(presenterRequest(from(1), 'sess-42', windowOf)).toEqual({ sessionId: 'sess-42' });
    expect(presenterRequest(from(2), 'sess-42', windowOf)).toMatchObject({ refused: expect.stringMatching(/presenter window/) });
    expect(presenterRequest(from(3), 'sess-42', windowOf)).toMatchObject({ refused: expect.stringMatching(/ResetPath window/) });
    expect(presenterRequest(from(1, 'https://evil.example/'), 'sess-42', windowOf)).toMatchObject({ refused: expect.stringMatching(/outside the app/) });
    expect(presenterRequest(from(1, 'app://resetpath/index.html', {}), 'sess-42', windowOf)).toMatchObject({ refused: expect.stringMatching(/subframe/) });
    for (const bad of ['', 'a b', 'x#y', 7, null]) expect(presenterRequest(from(1), bad, windowOf)).toMatchObject({ refused: expect.stringMatching(/session id/) });
  });
});

describe('the hidden window that prints a report to PDF', () => {
  class PrintCapture {
    static last: PrintWindowOptions | null = null;
    constructor(options: PrintWindowOptions) {
      PrintCapture.last = options;
    }
  }

  it('has the main window\'s hardening, no preload (so no IPC) and no script, and stays hidden', () => {
    const main = created();
    createPrintWindow(PrintCapture);
    const { preload: _preload, ...hardening } = main;
    expect(PrintCapture.last!.show).toBe(false);
    expect(PrintCapture.last!.webPreferences).toEqual({ ...hardening, javascript: false });
    expect(PrintCapture.last!.webPreferences).not.toHaveProperty('preload');
  });

  it('loads the report as a data: URL (the session refuses file:// and the network), refusing one too long for Chromium in words', () => {
    const ok = reportDataUrl('<!doctype html><title>é</title>');
    expect(ok).toEqual({ url: `data:text/html;charset=utf-8;base64,${Buffer.from('<!doctype html><title>é</title>').toString('base64')}` });
    const big = reportDataUrl('x'.repeat(MAX_DATA_URL));
    expect(big).toMatchObject({ refused: expect.stringMatching(/^the report is 2\.0 MiB, more than the desktop printer loads; export it as HTML/) });
    expect(pageSizeOf('a4')).toBe('A4');
    expect(pageSizeOf('letter')).toBe('Letter');
  });
});
