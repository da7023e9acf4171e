// The window's webPreferences, fixed in one frozen object so no call site can loosen a flag. Each
// flag is Electron's security checklist item; the ones equal to Electron's default are still
// spelled out, because a default can change between versions and this file is what a reviewer reads.

/** The hardening flags every ResetPath window is created with. */
export const HARDENED_FLAGS = Object.freeze({
  // Checklist 3: the preload's world and the page's world do not share globals or prototypes.
  contextIsolation: true,
  // Checklist 4: the renderer runs in Chromium's OS sandbox; the preload gets only a minimal require.
  sandbox: true,
  // Checklist 2: no Node.js in the page, in its workers or in any subframe.
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  // Checklists 11-12: no <webview>, so no second, separately configured guest page.
  webviewTag: false,
  // Checklist 6: same-origin policy stays on.
  webSecurity: true,
  // Checklist 8: no http:// content inside the app's secure origin.
  allowRunningInsecureContent: false,
  // Checklists 9-10: no experimental or individually enabled Blink features.
  experimentalFeatures: false,
  // A dropped file must reach the page as a File, never replace the app by navigating to it.
  navigateOnDragDrop: false,
  // Legacy surfaces the app does not use.
  enableWebSQL: false,
  plugins: false,
  // The spellchecker downloads dictionaries from Google's CDN; the app stays offline.
  spellcheck: false,
  // A page cannot trap the user in a loop of alert() dialogs.
  safeDialogs: true,
});

export type HardenedWebPreferences = Readonly<typeof HARDENED_FLAGS & { preload: string }>;

/**
 * The frozen webPreferences of the main window. `preload` must be the CommonJS build: a sandboxed
 * preload cannot be an ES module.
 */
export function hardenedWebPreferences(preloadPath: string): HardenedWebPreferences {
  if (!/^(\/|[A-Za-z]:[\\/])/.test(preloadPath)) throw new Error(`the preload path must be absolute: ${preloadPath}`);
  if (!preloadPath.endsWith('.cjs')) throw new Error(`the preload must be the CommonJS build (.cjs), since a sandboxed preload cannot be an ES module: ${preloadPath}`);
  return Object.freeze({ ...HARDENED_FLAGS, preload: preloadPath });
}
