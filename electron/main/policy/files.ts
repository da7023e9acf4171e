// Which files the desktop dialogs offer and accept. A workspace is one SQLite file named
// *.resetpath (the README's convention): a distinct extension lets the OS associate it with the
// app, and keeps a workspace from being mistaken for any other SQLite database.
import { basename, extname } from 'node:path';

export const WORKSPACE_EXTENSION = 'resetpath';
export const WORKFLOW_EXTENSIONS = Object.freeze(['yaml', 'yml', 'json']);

export interface FileFilter {
  name: string;
  extensions: string[];
}

export const WORKSPACE_FILTERS: readonly FileFilter[] = Object.freeze([{ name: 'ResetPath workspace', extensions: [WORKSPACE_EXTENSION] }]);
export const WORKFLOW_FILTERS: readonly FileFilter[] = Object.freeze([{ name: 'Workflow files (YAML, JSON)', extensions: [...WORKFLOW_EXTENSIONS] }]);

/**
 * The path a save dialog answered, with .resetpath added (Linux dialogs do not add it). Trailing
 * dots and spaces go first, as Windows drops them anyway: "desk." means "desk.resetpath".
 */
export function withWorkspaceExtension(path: string): string {
  return extname(path).toLowerCase() === `.${WORKSPACE_EXTENSION}` ? path : `${path.replace(/[. ]+$/, '')}.${WORKSPACE_EXTENSION}`;
}

/** True for a file name the import accepts (by extension; the loader judges the content). */
export function isWorkflowFileName(path: string): boolean {
  const ext = extname(basename(path)).slice(1).toLowerCase();
  return WORKFLOW_EXTENSIONS.includes(ext);
}
