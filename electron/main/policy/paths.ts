// Where the shell finds its parts, in a checkout and in a packaged app. electron-vite writes
// out/main.js, out/preload/index.cjs and out/renderer/; electron-builder.yml puts Electron's build
// of better-sqlite3 in resources/native/ (outside app.asar, where a native module cannot load).
import { join } from 'node:path';

export interface ShellPaths {
  preload: string;
  renderer: string;
  /** better_sqlite3.node built for Electron's ABI (README "Native module (better-sqlite3)"). */
  nativeBinding: string;
}

/** The shell's paths, given the folder of the running main bundle (out/). */
export function shellPaths(outDir: string, runtime: { packaged: boolean; resourcesPath: string }): ShellPaths {
  return {
    preload: join(outDir, 'preload', 'index.cjs'),
    renderer: join(outDir, 'renderer'),
    nativeBinding: runtime.packaged ? join(runtime.resourcesPath, 'native', 'better_sqlite3.node') : join(outDir, '..', 'native', 'electron', 'better_sqlite3.node'),
  };
}
