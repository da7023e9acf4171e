// The workspace the window is working on, behind one swap point: New, Open and Open Recent
// replace the backend service, and IPC handlers always reach the current one. Holds no business
// rules; it only opens, falls back to read-only when another process writes, and closes.
import { createAppService, defaultDataDir, ensureSampleWorkspace, type AppService } from '../../backend/index.ts';
import type { Dispatch } from './policy/ipc.ts';

export type OpenOutcome =
  | { ok: true; service: AppService; /** Another process holds the writer lock, so it opened read-only. */ lockedByOther: boolean }
  | { ok: false; message: string; notFound: boolean };

export interface WorkspaceSessionOptions {
  /** better_sqlite3.node built for Electron's ABI; see README "Native module". */
  nativeBinding?: string;
  log: (line: string) => void;
}

const errorCode = (e: unknown): unknown => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined);

/** The open workspace and how to change it. */
export class WorkspaceSession {
  private service: AppService | null = null;
  private readonly opts: WorkspaceSessionOptions;

  constructor(opts: WorkspaceSessionOptions) {
    this.opts = opts;
  }

  get current(): AppService | null {
    return this.service;
  }

  /** The backend entry the IPC wrapper calls; refuses while no workspace is open. */
  readonly dispatch: Dispatch = (key, request) =>
    this.service ? this.service.dispatch(key, request) : Promise.resolve({ ok: false, error: { code: 'conflict', message: 'no workspace is open' } });

  /**
   * Opens a workspace for writing, or read-only when another process writes to it, and only then
   * closes the previous one: a failed Open leaves the user where they were.
   */
  open(path: string): OpenOutcome {
    if (this.service && this.service.workspacePath === path) return { ok: true, service: this.service, lockedByOther: false };
    let next: AppService;
    let lockedByOther = false;
    try {
      next = this.create(path, false);
    } catch (e) {
      if (errorCode(e) !== 'locked') return this.failure(path, e);
      try {
        next = this.create(path, true);
        lockedByOther = true;
      } catch (e2) {
        return this.failure(path, e2);
      }
    }
    this.service?.close();
    this.service = next;
    return { ok: true, service: next, lockedByOther };
  }

  /** Opens the sample workspace in the shared data folder, creating and seeding it on first run. */
  openSample(dataDir: string = defaultDataDir()): OpenOutcome {
    let path: string;
    try {
      path = ensureSampleWorkspace(dataDir, this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {});
    } catch (e) {
      return this.failure(dataDir, e);
    }
    return this.open(path);
  }

  /**
   * Creates an empty workspace file. backend/ does not expose workspace creation yet (only the
   * seeded sample), and electron/ may not reach storage/ directly, so this says so plainly.
   */
  createNew(path: string): { ok: true } | { ok: false; message: string } {
    return { ok: false, message: `${path}: creating a new workspace is not available in this build yet (backend/ has no create call); use Open Workspace… or the sample workspace` };
  }

  /**
   * Copies the open workspace with SQLite's online backup. backend/ does not expose the backup yet;
   * copying the file directly while it is open could produce a torn copy, so this refuses.
   */
  async saveCopy(path: string): Promise<{ ok: true } | { ok: false; message: string }> {
    return { ok: false, message: `${path}: Save Workspace As is not available in this build yet (backend/ has no backup call); \`Workspace#backup\` in storage/ does this safely` };
  }

  /** Closes the workspace and frees its writer lock; safe to call twice. */
  close(): void {
    const s = this.service;
    this.service = null;
    s?.close();
  }

  private create(path: string, readOnly: boolean): AppService {
    return createAppService({ workspacePath: path, readOnly, mode: 'electron', log: this.opts.log, ...(this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {}) });
  }

  private failure(path: string, e: unknown): OpenOutcome {
    // Storage reports every expected problem as one line naming the file; anything else is a bug,
    // logged in full and summarised for the user.
    const expected = e instanceof Error && typeof errorCode(e) === 'string';
    if (!expected) this.opts.log(`resetpath: opening ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const message = expected ? (e as Error).message : `${path}: could not be opened (the details are in the app log)`;
    return { ok: false, message, notFound: errorCode(e) === 'not-found' };
  }
}
