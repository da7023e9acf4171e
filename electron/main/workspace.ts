// The workspace the window is working on, behind one swap point: New, Open and Open Recent
// replace the backend service, and IPC handlers always reach the current one. Holds no business
// rules; it only opens, falls back to read-only when another process writes, closes, and passes
// New and Save As to backend/ (which decides what may be written where).
import { createAppService, createWorkspace, defaultDataDir, ensureSampleWorkspace, type AppService, type PdfPrinter } from '../../backend/index.ts';
import type { Dispatch } from './policy/ipc.ts';
import type { FileOutcome } from './policy/workspaceFiles.ts';

export type OpenOutcome =
  | { ok: true; service: AppService; /** Another process holds the writer lock, so it opened read-only. */ lockedByOther: boolean }
  | { ok: false; message: string; notFound: boolean };

export interface WorkspaceSessionOptions {
  /** better_sqlite3.node built for Electron's ABI; see README "Native module". */
  nativeBinding?: string;
  log: (line: string) => void;
  /** How report.export prints a PDF (Electron's printToPDF). */
  printPdf?: PdfPrinter;
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
      path = ensureSampleWorkspace(dataDir, this.binding());
    } catch (e) {
      return this.failure(dataDir, e);
    }
    return this.open(path);
  }

  /** Creates an empty workspace file (never over an existing one); it is not opened here. */
  createNew(path: string): FileOutcome {
    try {
      return { ok: true, path: createWorkspace(path, { log: this.opts.log, ...this.binding() }) };
    } catch (e) {
      return { ok: false, message: this.describe(path, e, 'creating', 'could not be created') };
    }
  }

  /**
   * Copies the open workspace with the backend's online backup (consistent while it is in use,
   * and possible from a read-only one); the copy is not opened here.
   */
  async saveCopy(path: string): Promise<FileOutcome> {
    const service = this.service;
    if (!service) return { ok: false, message: 'no workspace is open, so there is nothing to copy' };
    try {
      return { ok: true, path: (await service.backup(path)).path };
    } catch (e) {
      return { ok: false, message: this.describe(path, e, 'copying the workspace to', 'the copy could not be written') };
    }
  }

  /** Closes the workspace and frees its writer lock; safe to call twice. */
  close(): void {
    const s = this.service;
    this.service = null;
    s?.close();
  }

  private create(path: string, readOnly: boolean): AppService {
    return createAppService({ workspacePath: path, readOnly, mode: 'electron', log: this.opts.log, ...this.binding(), ...(this.opts.printPdf ? { printPdf: this.opts.printPdf } : {}) });
  }

  private binding(): { nativeBinding?: string } {
    return this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {};
  }

  private failure(path: string, e: unknown): OpenOutcome {
    return { ok: false, message: this.describe(path, e, 'opening', 'could not be opened'), notFound: errorCode(e) === 'not-found' };
  }

  /**
   * The one line a dialog shows. Storage and backend report every expected problem as one line
   * naming the file, with a code; anything else is a bug, logged in full and summarised.
   */
  private describe(path: string, e: unknown, doing: string, failed: string): string {
    if (e instanceof Error && typeof errorCode(e) === 'string') return e.message;
    this.opts.log(`resetpath: ${doing} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return `${path}: ${failed} (the details are in the app log)`;
  }
}
