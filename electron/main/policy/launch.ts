// What a launch asks for: a workspace file given on the command line (by the OS when the user
// double-clicks a .resetpath file, or by a second launch that forwards it to the first instance).
import { isAbsolute, resolve } from 'node:path';
import { WORKSPACE_EXTENSION } from './files.ts';

/**
 * The workspace path among launch arguments, resolved against the launching directory; the last
 * one wins. Options (anything starting with "-") are never read as paths, so a crafted
 * "--foo=x.resetpath" switch cannot smuggle one in.
 */
export function workspaceArgument(argv: readonly string[], cwd: string): string | null {
  let found: string | null = null;
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || arg.includes('\0')) continue;
    if (!arg.toLowerCase().endsWith(`.${WORKSPACE_EXTENSION}`)) continue;
    found = isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return found;
}
