// Whole-workspace file operations for the shells (File › New Workspace, File › Save Workspace As):
// creating an empty workspace and taking a consistent copy of the open one. They are not contract
// keys on purpose: they write wherever a path says, so only the main process and the CLI, which
// get the path from the user's own dialog or command line, may call them; the UI cannot.
// Failures are thrown as ApiError, mapped by toApiErrorBody like every contract call, so a shell
// can show the message without knowing storage/'s error type.
import { lstatSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../contract/index.ts';
import { Workspace } from '../storage/index.ts';
import { toApiErrorBody } from './errors.ts';

export interface CreateWorkspaceOptions {
  /** Source of the creation timestamp; injected so tests are deterministic. */
  clock?: () => Date;
  /** Recorded as the audit actor of the creation; defaults to the OS user. */
  user?: string;
  /** better_sqlite3.node built for the running runtime (Electron); see README "Native module". */
  nativeBinding?: string;
  /** Receives the detail of unexpected errors, which never reach the caller; defaults to stderr. */
  log?: (line: string) => void;
}

/** What a backup wrote: the copy's path and size, and its audit head to keep as an anchor. */
export interface WorkspaceBackup {
  path: string;
  bytes: number;
  auditHead: { seq: number; hash: string };
}

const stderrLog = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * Creates a new, empty workspace file at `path` (its folder must exist) and returns its absolute
 * path, closed: the caller opens it like any other. Never replaces anything already at the path.
 */
export function createWorkspace(path: string, options: CreateWorkspaceOptions = {}): string {
  const target = resolve(path);
  const log = options.log ?? stderrLog;
  // lstat, not exists: a dangling symlink would otherwise be replaced by the new file.
  if (occupied(target)) throw new ApiError('conflict', `${target}: already exists; a new workspace never replaces a file, so choose another name or open this one`);
  try {
    Workspace.create(target, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.user ? { user: options.user } : {}),
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    }).close();
  } catch (e) {
    throw asApiError(e, 'workspace.create', log);
  }
  return target;
}

/**
 * Copies the workspace open as `ws` to `destPath` with SQLite's online backup (consistent while
 * `ws` keeps writing), refusing the open file itself under any name and any existing file.
 */
export async function backupWorkspace(ws: Workspace, destPath: string, log: (line: string) => void = stderrLog): Promise<WorkspaceBackup> {
  const dest = resolve(destPath);
  if (sameFile(dest, resolve(ws.path))) {
    throw new ApiError('conflict', `${dest}: is the workspace that is open, and every change is already saved in it; choose a new file name for the copy`);
  }
  if (occupied(dest)) throw new ApiError('conflict', `${dest}: already exists; a copy never replaces a file, so choose a new file name`);
  try {
    const r = await ws.backup(dest);
    return { path: r.path, bytes: r.bytes, auditHead: { seq: r.auditHead.seq, hash: r.auditHead.hash } };
  } catch (e) {
    throw asApiError(e, 'workspace.backup', log);
  }
}

/** True when anything, even a dangling symlink, is at `path`. */
function occupied(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // Unreadable folder and the like: say it is taken rather than guess; storage would fail anyway.
    return true;
  }
}

/**
 * Whether two absolute paths name one file: the same path, or the same device and inode, which
 * catches symlinks, hard links and another spelling on a case-insensitive disk.
 */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const sa = statSync(a, { bigint: true });
    const sb = statSync(b, { bigint: true });
    return sa.dev === sb.dev && sa.ino === sb.ino && sa.ino !== 0n;
  } catch {
    return false;
  }
}

function asApiError(e: unknown, what: string, log: (line: string) => void): ApiError {
  const body = toApiErrorBody(e, what, log);
  return new ApiError(body.code, body.message, body.issues);
}
