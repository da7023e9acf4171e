// The single-writer lock of a workspace.
//
// Why this design: the lock is a small SQLite file beside the workspace on which the writer holds a
// RESERVED lock (an open BEGIN IMMEDIATE) for as long as the workspace is open. SQLite takes that
// lock with fcntl() byte-range locks, which the kernel drops the moment the process ends, however
// it ends (SIGKILL, crash, power cut). So a crashed writer never leaves a stale lock behind, and
// there is no PID file to judge: PID liveness checks misfire when PIDs are reused, across
// containers, or when the file sits on a share seen by several hosts. A RESERVED lock still lets
// others read, so a refused writer can show who holds the lock (pid, user, host, since, and the
// name it opened) from the holder row. SQLite also coordinates connections inside one process on
// the same file, so opening a workspace twice for writing in one process is refused too.
//
// The lock belongs to the file, not to the name it was opened by. Its name comes from the
// workspace's device and inode, ".resetpath-<dev>-<ino>.lock" in the folder that really holds the
// file (symbolic links resolved), so every way of reaching one file takes the same lock: a symbolic
// link, the file renamed while open, a folder reached through a bind mount. A workspace with more
// than one hard link is refused for writing outright: SQLite names its write-ahead log after the
// name it opened, so writers through two names keep two logs of one file and lose each other's
// commits (which verification then reports as tampering).
//
// The workspace file itself is protected by SQLite's own locking in any case; this lock exists so
// two ResetPath processes never interleave edits or fork the audit chain.
// Limitation: fcntl locks are unreliable on some network file systems (old NFS, SMB without byte-range
// locking); keep workspaces on a local disk, as SQLite's own documentation advises for WAL.
// The lock file is never deleted: unlinking a lock file that another process has open lets two
// processes each lock a different inode. A workspace that is replaced by a new file (restored from a
// backup) gets a new lock file; the old one is an empty leftover that may be deleted while no
// ResetPath has the workspace open.
import { accessSync, constants, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { WorkspaceError } from './errors.ts';
import { fileTypeName, translateSqliteError } from './sqlite.ts';

/** Refusal to write a workspace through one of its several names (hard links), saying why and what to do. */
export function hardLinked(workspacePath: string, names: number | bigint): WorkspaceError {
  return new WorkspaceError(
    'hard-linked',
    workspacePath,
    `is one file with ${names} names (hard links); ResetPath writes a workspace through one name only, because SQLite keeps a write-ahead log per name and changes written through two names are lost. Remove the other name (find -samefile lists it) or open the workspace read-only`,
  );
}

export interface LockHolder {
  pid: number;
  user: string;
  host: string;
  since: string;
  /** The absolute name the holder opened the workspace by (null in lock files of older versions). */
  path: string | null;
}

/** Which file a name leads to: its real path (symbolic links resolved), device, inode and link count. */
export interface FileIdentity {
  real: string;
  dev: bigint;
  ino: bigint;
  nlink: bigint;
}

/** The identity of the file at `path`, or a WorkspaceError naming it. */
export function fileIdentity(path: string): FileIdentity {
  try {
    const real = realpathSync(path);
    const st: BigIntStats = statSync(real, { bigint: true });
    return { real, dev: st.dev, ino: st.ino, nlink: st.nlink };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkspaceError('not-found', path, 'no such workspace file');
    throw new WorkspaceError('io', path, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
}

/** The lock file of a workspace: named after its device and inode, in the folder that holds it. */
export function lockPathFor(id: FileIdentity): string {
  // A file system without inode numbers (some Windows and network ones report 0) falls back to the real name.
  if (id.ino === 0n) return `${id.real}.lock`;
  return join(dirname(id.real), `.resetpath-${id.dev}-${id.ino}.lock`);
}

export interface LockOptions {
  user: string;
  now: Date;
  nativeBinding?: string;
  /** The name refused writers are told the workspace is held under; defaults to the path locked. */
  name?: string;
}

/** A held writer lock; release() (or process exit) frees it. */
export class WriterLock {
  readonly path: string;
  private db: Database.Database | null;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /**
   * Takes the writer lock of a workspace file or throws a WorkspaceError: 'locked' naming the
   * holder, 'hard-linked' when the file has more than one name.
   */
  static acquire(workspacePath: string, opts: LockOptions): WriterLock {
    // The name may be renamed or replaced between finding its identity and locking it: lock, then
    // check that the name still leads to the locked file, a few times before giving up.
    for (let attempt = 0; ; attempt++) {
      const id = fileIdentity(workspacePath);
      const lock = WriterLock.lockIdentity(workspacePath, id, opts);
      let now: FileIdentity | undefined;
      try {
        now = fileIdentity(workspacePath);
      } catch {
        now = undefined;
      }
      if (now && now.dev === id.dev && now.ino === id.ino) {
        // Checked under the lock: a second name made before this point is seen here, and a writer
        // through a name made later meets this lock.
        if (now.nlink > 1n) {
          lock.release();
          throw hardLinked(workspacePath, now.nlink);
        }
        return lock;
      }
      lock.release();
      if (attempt >= 3) throw new WorkspaceError('io', workspacePath, 'was replaced by another file while it was being opened; try again');
    }
  }

  /** Takes the lock file of one file identity, or throws 'locked' naming the holder. */
  private static lockIdentity(workspacePath: string, id: FileIdentity, opts: LockOptions): WriterLock {
    const lockPath = lockPathFor(id);
    checkLockFileType(workspacePath, lockPath);
    let db: Database.Database;
    try {
      db = new Database(lockPath, { timeout: 0, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
    } catch (e) {
      const t = translateSqliteError(workspacePath, e);
      if (t.code === 'native-module') throw t;
      if (t.code === 'read-only' || !folderWritable(dirname(lockPath))) {
        throw new WorkspaceError('read-only', workspacePath, `cannot be opened for writing: its folder ${dirname(lockPath)} cannot be written (no writer lock file can be made there); open the workspace read-only`, { cause: e });
      }
      throw new WorkspaceError('io', workspacePath, `cannot create the writer lock file ${lockPath}: ${(e as Error).message}`, { cause: e });
    }
    const self = resolve(opts.name ?? workspacePath);
    const refuse = (): never => {
      const holder = readHolder(db);
      db.close();
      const who = holder ? ` (pid ${holder.pid}, user ${holder.user} on ${holder.host}, since ${holder.since})` : '';
      const under = holder?.path && holder.path !== self ? `, under the name ${holder.path}` : '';
      const where = holder?.pid === process.pid && holder.host === hostname() ? 'elsewhere in this process' : 'in another ResetPath process';
      throw new WorkspaceError('locked', workspacePath, `is already open for writing ${where}${under}${who}; close it there, or open the workspace read-only`);
    };
    try {
      if (!tryBegin(db)) refuse();
      db.exec('CREATE TABLE IF NOT EXISTS holder (one INTEGER PRIMARY KEY CHECK (one = 1), pid INTEGER NOT NULL, user TEXT NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, path TEXT)');
      // Lock files of older versions (named after the workspace, where inodes are unknown) lack the name.
      const cols = db.prepare<[], { name: string }>('PRAGMA table_info(holder)').all();
      if (!cols.some((c) => c.name === 'path')) db.exec('ALTER TABLE holder ADD COLUMN path TEXT');
      db.prepare('INSERT OR REPLACE INTO holder (one, pid, user, host, since, path) VALUES (1, ?, ?, ?, ?, ?)').run(process.pid, opts.user, hostname(), opts.now.toISOString(), self);
      // Committing publishes the holder row to refused writers; between COMMIT and the next BEGIN
      // another process may win the lock, and then this one is the refused writer. A refused writer
      // reading the holder row holds a shared lock for an instant, and COMMIT needs it gone: wait for
      // it (SQLite's pending lock lets no new reader in meanwhile) instead of failing as an I/O error.
      db.pragma(`busy_timeout = ${COMMIT_WAIT_MS}`);
      db.exec('COMMIT');
      db.pragma('busy_timeout = 0');
      if (!tryBegin(db)) refuse();
    } catch (e) {
      if (e instanceof WorkspaceError) throw e;
      try {
        db.close();
      } catch {
        /* already failing */
      }
      throw new WorkspaceError('io', workspacePath, `cannot take the writer lock ${lockPath}: ${(e as Error).message}`, { cause: e });
    }
    return new WriterLock(lockPath, db);
  }

  /** Frees the lock; safe to call twice. */
  release(): void {
    if (!this.db) return;
    const db = this.db;
    this.db = null;
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  }
}

/** A lock file that is not a regular file (a FIFO would block SQLite) is refused by name. */
function checkLockFileType(workspacePath: string, lockPath: string): void {
  try {
    const st = statSync(lockPath);
    if (!st.isFile()) {
      throw new WorkspaceError('not-a-file', workspacePath, `is ${fileTypeName(st)}, not the writer lock file of ${basename(workspacePath)}; remove it and open the workspace again`, { location: lockPath });
    }
  } catch (e) {
    if (e instanceof WorkspaceError) throw e;
  }
}

/** Whether this process may create files in `dir` (false on read-only media and for folders it may not write). */
export function folderWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** How long taking the lock waits for refused writers to finish reading the holder row. */
const COMMIT_WAIT_MS = 2000;

function tryBegin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY' || (e as { code?: string }).code === 'SQLITE_LOCKED') return false;
    throw e;
  }
}

function readHolder(db: Database.Database): LockHolder | undefined {
  try {
    return db.prepare<[], LockHolder>('SELECT pid, user, host, since, path FROM holder WHERE one = 1').get();
  } catch {
    // The holder may be mid-commit (exclusive for an instant) or the row not yet written.
    return undefined;
  }
}
