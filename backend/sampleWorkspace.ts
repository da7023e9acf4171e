// The workspace a first run opens: created once in the user's data folder and seeded with the
// bundled workflows, so the app never starts on an empty screen.
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Workspace, WorkspaceError } from '../storage/index.ts';
import { libraryFiles, WORKFLOW_LIBRARY_DIR } from './library.ts';

/** File name of the sample workspace inside the data folder. */
export const SAMPLE_WORKSPACE_FILE = 'sample.resetpath';

/**
 * The per-user data folder: RESETPATH_DATA_DIR when set, else $XDG_DATA_HOME/resetpath, else the
 * platform's usual place (~/.local/share/resetpath on Linux).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.RESETPATH_DATA_DIR) return resolve(env.RESETPATH_DATA_DIR);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)) return join(env.XDG_DATA_HOME, 'resetpath');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'ResetPath');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'ResetPath');
  return join(home, '.local', 'share', 'resetpath');
}

/** Creates the sample workspace in `dir` if absent (seeded with the bundled workflows); returns its path. */
export function ensureSampleWorkspace(dir: string, options: { clock?: () => Date; user?: string; nativeBinding?: string } = {}): string {
  // Owner-only: workspaces describe the user's own security processes.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, SAMPLE_WORKSPACE_FILE);
  if (existsSync(path)) return path;
  let ws: Workspace;
  try {
    ws = Workspace.create(path, options);
  } catch (e) {
    // Another process created it first: theirs is as good as ours.
    if (e instanceof WorkspaceError && e.code === 'already-exists') return path;
    throw e;
  }
  try {
    // One transaction: the seed is all there or not at all (a crash here leaves an empty but valid
    // workspace, and the bundled library is listed anyway).
    ws.importFiles(
      libraryFiles(WORKFLOW_LIBRARY_DIR).map((p) => ({ kind: 'workflow' as const, path: p })),
      { reason: 'seeded the sample workspace with the bundled workflows', message: 'bundled with ResetPath' },
    );
  } finally {
    ws.close();
  }
  return path;
}
