// The shell's own settings (last workspace, recent workspaces, window placement) in a JSON file in
// Electron's userData folder. They belong to this machine and user, not to a workspace, which may
// be shared or read-only. The file is untrusted input: anything malformed is dropped, never fatal.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { readStoredWindowState, type StoredWindowState } from './policy/windowBounds.ts';

export const MAX_RECENT_WORKSPACES = 10;
const MAX_SETTINGS_BYTES = 64 * 1024;

export interface ShellSettings {
  lastWorkspace: string | null;
  /** Most recent first, no duplicates. */
  recentWorkspaces: string[];
  window: StoredWindowState | null;
}

export const EMPTY_SETTINGS: Readonly<ShellSettings> = Object.freeze({ lastWorkspace: null, recentWorkspaces: [], window: null });

const isWorkspacePath = (p: unknown): p is string => typeof p === 'string' && p.length > 0 && p.length < 4096 && isAbsolute(p) && !p.includes('\0');

/** Settings from the file's text; fields that are missing or malformed fall back to empty. */
export function parseShellSettings(text: string | null): ShellSettings {
  if (!text || text.length > MAX_SETTINGS_BYTES) return { ...EMPTY_SETTINGS, recentWorkspaces: [] };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ...EMPTY_SETTINGS, recentWorkspaces: [] };
  }
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  const recent = Array.isArray(o.recentWorkspaces) ? o.recentWorkspaces.filter(isWorkspacePath) : [];
  return {
    lastWorkspace: isWorkspacePath(o.lastWorkspace) ? o.lastWorkspace : null,
    recentWorkspaces: [...new Set(recent)].slice(0, MAX_RECENT_WORKSPACES),
    window: readStoredWindowState(o.window),
  };
}

/** Settings after opening a workspace: it becomes the last one and moves to the top of Recent. */
export function rememberWorkspace(s: ShellSettings, path: string): ShellSettings {
  return { ...s, lastWorkspace: path, recentWorkspaces: [path, ...s.recentWorkspaces.filter((p) => p !== path)].slice(0, MAX_RECENT_WORKSPACES) };
}

/** Settings after a workspace could not be opened: it leaves Recent and is no longer the last one. */
export function forgetWorkspace(s: ShellSettings, path: string): ShellSettings {
  return { ...s, lastWorkspace: s.lastWorkspace === path ? null : s.lastWorkspace, recentWorkspaces: s.recentWorkspaces.filter((p) => p !== path) };
}

/** Reads the settings file; a missing or unreadable file means first run. */
export function readShellSettings(file: string): ShellSettings {
  try {
    return parseShellSettings(readFileSync(file, 'utf8'));
  } catch {
    return parseShellSettings(null);
  }
}

/** Writes the settings file atomically (a crash leaves the old or the new file, never half of one). */
export function writeShellSettings(file: string, s: ShellSettings): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
