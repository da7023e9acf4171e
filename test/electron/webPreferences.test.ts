import { describe, expect, it } from 'vitest';
import { HARDENED_FLAGS, hardenedWebPreferences } from '../../electron/main/policy/webPreferences.ts';

const PRELOAD = '/opt/ResetPath/resources/app.asar/out/preload/index.cjs';

describe('the main window webPreferences', () => {
  const prefs = hardenedWebPreferences(PRELOAD) as Record<string, unknown>;

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
  ])('sets %s to %s', (flag, value) => {
    expect(prefs[flag]).toBe(value);
  });

  it('never enables individual Blink features', () => {
    expect('enableBlinkFeatures' in prefs).toBe(false);
  });

  it('loads the CommonJS preload, the only kind a sandboxed renderer can run', () => {
    expect(prefs.preload).toBe(PRELOAD);
    expect(() => hardenedWebPreferences('/app/out/preload/index.mjs')).toThrow(/CommonJS/);
    expect(() => hardenedWebPreferences('out/preload/index.cjs')).toThrow(/absolute/);
  });

  it('has no keys besides the reviewed flags and the preload', () => {
    expect(Object.keys(prefs).sort()).toEqual([...Object.keys(HARDENED_FLAGS), 'preload'].sort());
  });

  it('is frozen, so no call site can loosen a flag', () => {
    expect(Object.isFrozen(prefs)).toBe(true);
    expect(Object.isFrozen(HARDENED_FLAGS)).toBe(true);
    expect(() => {
      (prefs as { sandbox: boolean }).sandbox = false;
    }).toThrow(TypeError);
    expect(prefs.sandbox).toBe(true);
  });
});
