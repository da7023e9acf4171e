// The decisions behind File › New Workspace and File › Save Workspace As, kept out of the glue so
// they can be checked without Electron: what the save dialog proposes, which path its answer
// means, which answers are refused before backend/ is called, and the order of the steps (the glue
// passes the dialog, backend/'s calls and the workspace switch in as functions). backend/ refuses the same
// things again on the real file system (existing files, the open file under another name); this
// catches the common case with a message that fits the command.
import { posix, win32 } from 'node:path';
import { withWorkspaceExtension, WORKSPACE_EXTENSION, WORKSPACE_FILTERS, type FileFilter } from './files.ts';

/** A workspace file written by New or Save As: its absolute path, or the one line saying why not. */
export type FileOutcome = { ok: true; path: string } | { ok: false; message: string };

/** The two menu commands that write a new workspace file. */
export type WorkspaceFileCommand = 'workspace.new' | 'workspace.saveAs';

/** Options for Electron's showSaveDialog. */
export interface WorkspaceSaveDialog {
  title: string;
  buttonLabel: string;
  defaultPath: string;
  filters: FileFilter[];
  /**
   * macOS: the user may make a folder from the dialog. No overwrite prompt is asked for on Linux:
   * both commands refuse an existing file, so asking "replace it?" would promise what they never do.
   */
  properties: 'createDirectory'[];
}

export interface WorkspaceDialogContext {
  platform: string;
  /** The workspace open now, if any. */
  current: string | null;
  /** The user's documents folder (Electron's app.getPath('documents')). */
  documentsDir: string;
  /** The app's data folder, where the sample workspace lives; never proposed as a destination. */
  dataDir: string;
}

/** The dialog title of each command, also the start of its error dialogs. */
export const WORKSPACE_FILE_TITLES: Readonly<Record<WorkspaceFileCommand, string>> = Object.freeze({
  'workspace.new': 'New Workspace',
  'workspace.saveAs': 'Save Workspace As',
});

/** What the error dialog says when backend/ refused or failed the command. */
export const WORKSPACE_FILE_FAILURES: Readonly<Record<WorkspaceFileCommand, string>> = Object.freeze({
  'workspace.new': 'The workspace could not be created.',
  'workspace.saveAs': 'The workspace could not be copied.',
});

const pathApi = (platform: string) => (platform === 'win32' ? win32 : posix);
const foldCase = (platform: string) => (platform === 'darwin' || platform === 'win32' ? (s: string) => s.toLowerCase() : (s: string) => s);

/**
 * The save dialog a command shows. New proposes "Untitled" in Documents; Save As proposes
 * "<name> copy" beside the open workspace, or in Documents when the open one is in the app's data
 * folder (the sample), which a user should not have to find.
 */
export function workspaceSaveDialog(command: WorkspaceFileCommand, ctx: WorkspaceDialogContext): WorkspaceSaveDialog {
  const p = pathApi(ctx.platform);
  const ext = `.${WORKSPACE_EXTENSION}`;
  let defaultPath = p.join(ctx.documentsDir, `Untitled${ext}`);
  if (command === 'workspace.saveAs' && ctx.current) {
    const name = p.basename(ctx.current);
    const stem = name.toLowerCase().endsWith(ext) ? name.slice(0, -ext.length) : name;
    const folder = isInside(ctx.current, ctx.dataDir, ctx.platform) ? ctx.documentsDir : p.dirname(ctx.current);
    defaultPath = p.join(folder, `${stem} copy${ext}`);
  }
  return {
    title: WORKSPACE_FILE_TITLES[command],
    buttonLabel: command === 'workspace.new' ? 'Create' : 'Save Copy',
    defaultPath,
    filters: WORKSPACE_FILTERS.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: ['createDirectory'],
  };
}

/** Where a command should write, or why it will not: shown as a dialog of `severity`. */
export type WorkspaceTarget = { ok: true; path: string } | { ok: false; severity: 'info' | 'error'; message: string; detail: string };

/**
 * The path a save dialog's answer means for a command: made to end in .resetpath (Linux dialogs
 * do not add it), and refused when it names the workspace open now, which neither command may
 * write over (its changes are saved already; a new workspace would destroy it).
 */
export function workspaceTarget(command: WorkspaceFileCommand, answered: string, current: string | null, platform: string): WorkspaceTarget {
  const p = pathApi(platform);
  if (!answered || answered.includes('\0') || !p.isAbsolute(answered) || /[\\/]$/.test(answered) || p.basename(answered).replace(/[. ]+$/, '') === '') {
    return { ok: false, severity: 'error', message: WORKSPACE_FILE_FAILURES[command], detail: `"${answered}" is not a file name a workspace can be saved under.` };
  }
  const path = withWorkspaceExtension(p.normalize(answered));
  if (current && sameWorkspacePath(path, current, platform)) {
    const detail =
      command === 'workspace.saveAs'
        ? `${path} is the workspace you have open, and every change is already saved in it. To make a copy, choose a new file name.`
        : `${path} is the workspace you have open. To start an empty workspace, choose a new file name.`;
    return { ok: false, severity: 'info', message: 'That is the workspace you have open.', detail };
  }
  return { ok: true, path };
}

/**
 * Whether two absolute paths spell the same workspace file: after normalising, and without regard
 * to case on macOS and Windows, whose usual disks ignore it. Links and other spellings the disk
 * alone can see are backend/'s to catch.
 */
export function sameWorkspacePath(a: string, b: string, platform: string): boolean {
  const p = pathApi(platform);
  const fold = foldCase(platform);
  return fold(p.normalize(a)) === fold(p.normalize(b));
}

/** Whether `path` is `dir` or inside it (same case rule as sameWorkspacePath). */
function isInside(path: string, dir: string, platform: string): boolean {
  const p = pathApi(platform);
  const fold = foldCase(platform);
  const rel = p.relative(fold(p.normalize(dir)), fold(p.normalize(path)));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}

/** What running a command needs from the shell; each is one call into Electron or backend/. */
export interface WorkspaceFileEffects {
  /** The workspace open at this moment (asked again after the dialog, which may stay open long). */
  current(): string | null;
  /** Shows the save dialog; the chosen path, or null when cancelled. */
  askForPath(dialog: WorkspaceSaveDialog): Promise<string | null>;
  /** backend/'s createWorkspace. */
  create(path: string): FileOutcome;
  /** backend/'s online backup of the open workspace. */
  copy(path: string): Promise<FileOutcome>;
  /** Switches the app to a workspace, which also makes it the first of Open Recent. */
  open(path: string): void;
  /** Shows a message dialog. */
  tell(severity: 'info' | 'error', message: string, detail: string): void;
}

/**
 * Runs New Workspace or Save Workspace As: the dialog, the refusals above, backend/'s call, then
 * the app switches to the new file. A cancelled dialog or a refusal changes nothing; a failure is
 * told with backend/'s one-line reason and leaves the open workspace open.
 */
export async function runWorkspaceFileCommand(command: WorkspaceFileCommand, ctx: Omit<WorkspaceDialogContext, 'current'>, fx: WorkspaceFileEffects): Promise<void> {
  const answered = await fx.askForPath(workspaceSaveDialog(command, { ...ctx, current: fx.current() }));
  if (answered === null) return;
  const target = workspaceTarget(command, answered, fx.current(), ctx.platform);
  if (!target.ok) return fx.tell(target.severity, target.message, target.detail);
  const done = command === 'workspace.new' ? fx.create(target.path) : await fx.copy(target.path);
  if (!done.ok) return fx.tell('error', WORKSPACE_FILE_FAILURES[command], done.message);
  fx.open(done.path);
}
