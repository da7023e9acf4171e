// The one place a ResetPath window is constructed, with its webPreferences spelled out at the
// constructor. A fresh literal per window means no shared object exists that other code could
// loosen before the next window, and static scanners (electronegativity reads the object literal
// passed to `new BrowserWindow`) see every flag. The constructor is passed in, so this module
// does not load Electron and the test can capture exactly what a window is given.
import { MIN_WINDOW_SIZE, type WindowPlacement } from './windowBounds.ts';

/** The window options this module sets (a subset of Electron's BrowserWindowConstructorOptions). */
export interface MainWindowOptions {
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  webPreferences: {
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInWorker: boolean;
    nodeIntegrationInSubFrames: boolean;
    webviewTag: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent: boolean;
    experimentalFeatures: boolean;
    disableBlinkFeatures: string;
    navigateOnDragDrop: boolean;
    enableWebSQL: boolean;
    plugins: boolean;
    spellcheck: boolean;
    safeDialogs: boolean;
    preload: string;
  };
}

/** Refuses a preload that a sandboxed renderer could not run or that is not pinned to a path. */
export function checkPreloadPath(preloadPath: string): string {
  if (!/^(\/|[A-Za-z]:[\\/])/.test(preloadPath)) throw new Error(`the preload path must be absolute: ${preloadPath}`);
  if (!preloadPath.endsWith('.cjs')) throw new Error(`the preload must be the CommonJS build (.cjs), since a sandboxed preload cannot be an ES module: ${preloadPath}`);
  return preloadPath;
}

/** Size and title of a window, everything but its webPreferences. */
export type WindowFrame = Omit<MainWindowOptions, 'webPreferences'>;

/** The presenter window's first size: a projector's 1280x720. */
export const PRESENTER_SIZE = { width: 1280, height: 720 } as const;

/** Creates the main window, hidden until its first paint, at the restored placement. */
export function createMainWindow<W>(BrowserWindow: new (options: MainWindowOptions) => W, placement: WindowPlacement, preloadPath: string, title: string): W {
  return createAppWindow(BrowserWindow, { ...placement.bounds, minWidth: MIN_WINDOW_SIZE.width, minHeight: MIN_WINDOW_SIZE.height, show: false, title }, preloadPath);
}

/**
 * Creates the room's presenter window of a tabletop session (hidden until its first paint): the
 * same page, preload and webPreferences as the main window; the IPC wrapper lets it read the
 * presenter view only (policy/ipc.ts).
 */
export function createPresenterWindow<W>(BrowserWindow: new (options: MainWindowOptions) => W, preloadPath: string, title: string): W {
  return createAppWindow(BrowserWindow, { ...PRESENTER_SIZE, minWidth: MIN_WINDOW_SIZE.width, minHeight: MIN_WINDOW_SIZE.height, show: false, title }, preloadPath);
}

/** The hidden window that prints a report to PDF: the main window's preferences without a preload, and no script at all. */
export interface PrintWindowOptions {
  width: number;
  height: number;
  show: false;
  webPreferences: Omit<MainWindowOptions['webPreferences'], 'preload'> & { javascript: false };
}

/**
 * Creates the hidden window Electron's printToPDF prints a report from (electron/main/printPdf.ts).
 * The report is a script-free document with its own CSP; this window cannot run script even if one
 * got in, has no preload (so no IPC), and stays hidden. Flags as in createAppWindow below.
 */
export function createPrintWindow<W>(BrowserWindow: new (options: PrintWindowOptions) => W): W {
  return new BrowserWindow({
    width: 1240,
    height: 1754,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      enableWebSQL: false,
      plugins: false,
      spellcheck: false,
      safeDialogs: true,
      javascript: false,
    },
  });
}

/**
 * Every ResetPath window. Each flag is an item of Electron's security checklist; the ones equal
 * to Electron's default are still spelled out, because a default can change between versions and
 * this is what a reviewer reads.
 */
function createAppWindow<W>(BrowserWindow: new (options: MainWindowOptions) => W, frame: WindowFrame, preloadPath: string): W {
  const preload = checkPreloadPath(preloadPath);
  return new BrowserWindow({
    ...frame,
    webPreferences: {
      // Checklist 3: the preload's world and the page's world share no globals or prototypes.
      contextIsolation: true,
      // Checklist 4: the renderer runs in Chromium's OS sandbox; the preload gets a minimal require.
      sandbox: true,
      // Checklist 2: no Node.js in the page, its workers or any subframe.
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Checklists 11-12: no <webview>, so no second, separately configured guest page.
      webviewTag: false,
      // Checklist 6: the same-origin policy stays on.
      webSecurity: true,
      // Checklist 8: no http:// content inside the app's secure origin.
      allowRunningInsecureContent: false,
      // Checklists 9-10: no experimental Blink features, none enabled one by one (enableBlinkFeatures
      // is deliberately absent), and middle-click cannot open links in a new window.
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      // A dropped file reaches the page as a File; it never replaces the app by navigating to it.
      navigateOnDragDrop: false,
      // Legacy surfaces the app does not use.
      enableWebSQL: false,
      plugins: false,
      // The spellchecker downloads dictionaries from Google's CDN; the app stays offline.
      spellcheck: false,
      // A page cannot trap the user in a loop of alert() dialogs.
      safeDialogs: true,
      // Reviewed: the preload exposes the contract's verbs and one message subscription, never
      // ipcRenderer or an IPC event (electron/preload, test/electron/contract-coverage.test.ts).
      preload, // eng-disable PRELOAD_JS_CHECK (reviewed, see above)
    },
  });
}
