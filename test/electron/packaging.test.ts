// The packaging configuration, read as data: it cannot be run here (no Electron binary, no
// electron-builder), so the security- and native-module-relevant settings are pinned by test.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shellPaths } from '../../electron/main/policy/paths.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('names the app and packs it into an asar archive', () => {
    expect(config).toMatchObject({ appId: 'org.resetpath.desktop', productName: 'ResetPath', asar: true });
  });

  it('starts the main bundle electron-vite writes, with the data backend/ reads at run time', () => {
    expect(config.extraMetadata.main).toBe('out/main.js');
    expect(readFileSync(join(ROOT, 'electron.vite.config.ts'), 'utf8')).toContain("entryFileNames: 'main.js'");
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'out/**', 'models/library/**', 'scenarios/library/**', '!node_modules/better-sqlite3/build/**']));
  });

  it('ships Electron\'s better-sqlite3 beside the asar, where the main process looks for it', () => {
    expect(config.extraResources).toEqual([{ from: 'native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' }]);
    const packaged = shellPaths('/app/resources/app.asar/out', { packaged: true, resourcesPath: '/app/resources' });
    expect(packaged.nativeBinding).toBe(join('/app/resources', config.extraResources[0].to));
    const checkout = shellPaths(join(ROOT, 'out'), { packaged: false, resourcesPath: '' });
    expect(checkout.nativeBinding).toBe(join(ROOT, config.extraResources[0].from));
    expect(checkout.preload).toBe(join(ROOT, 'out', 'preload', 'index.cjs'));
  });

  it('never rebuilds node_modules\' Node build of better-sqlite3 in place', () => {
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false });
  });

  it('flips the fuses that turn the app binary into a plain Node or debuggable runtime off', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb, a hardened-runtime dmg, and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist' });
    expect(config.win.target).toEqual(['nsis']);
  });

  it('builds for the packaging machine\'s own architecture only, the one its native module was built for', () => {
    expect(JSON.stringify(config)).not.toMatch(/"arch"/);
  });

  it('opens *.resetpath workspaces', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'resetpath' })]);
  });

  it('grants the macOS app only the JIT entitlement V8 needs', () => {
    const plist = readFileSync(join(ROOT, 'build', 'entitlements.mac.plist'), 'utf8');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
  });
});
