// The single-writer lock of a workspace.
//
// Why this design: the lock is a small SQLite file next to the workspace ("<workspace>.lock") on
// which the writer holds a RESERVED lock (an open BEGIN IMMEDIATE) for as long as the workspace is
// open. SQLite takes that lock with fcntl() byte-range locks, which the kernel drops the moment the
// process ends, however it ends (SIGKILL, crash, power cut). So a crashed writer never leaves a
// stale lock behind, and there is no PID file to judge: PID liveness checks misfire when PIDs are
// reused, across containers, or when the file sits on a share seen by several hosts. A RESERVED
// lock still lets others read, so a refused writer can show who holds the lock (pid, user, host,
// since) from the holder row. SQLite also coordinates connections inside one process on the same
// file, so opening a workspace twice for writing in one process is refused too.
// The workspace file itself is protected by SQLite's own locking in any case; this lock exists so
// two ResetPath processes never interleave edits or fork the audit chain.
// Limitation: fcntl locks are unreliable on some network file systems (old NFS, SMB without byte-range
// locking); keep workspaces on a local disk, as SQLite's own documentation advises for WAL.
// The lock file is never deleted: unlinking a lock file that another process has open lets two
// processes each lock a different inode.
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { WorkspaceError } from './errors.ts';
import { translateSqliteError } from './sqlite.ts';

export interface LockHolder {
  pid: number;
  user: string;
  host: string;
  since: string;
}

/** A held writer lock; release() (or process exit) frees it. */
export class WriterLock {
  readonly path: string;
  private db: Database.Database | null;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /** Takes the writer lock of a workspace or throws a 'locked' WorkspaceError naming the holder. */
  static acquire(workspacePath: string, opts: { user: string; now: Date; nativeBinding?: string }): WriterLock {
    const lockPath = `${workspacePath}.lock`;
    let db: Database.Database;
    try {
      db = new Database(lockPath, { timeout: 0, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
    } catch (e) {
      const t = translateSqliteError(workspacePath, e);
      if (t.code === 'native-module') throw t;
      throw new WorkspaceError('io', workspacePath, `cannot create the writer lock file ${lockPath}: ${(e as Error).message}`, { cause: e });
    }
    const refuse = (): never => {
      const holder = readHolder(db);
      db.close();
      const who = holder ? ` (pid ${holder.pid}, user ${holder.user} on ${holder.host}, since ${holder.since})` : '';
      const where = holder?.pid === process.pid && holder.host === hostname() ? 'elsewhere in this process' : 'in another ResetPath process';
      throw new WorkspaceError('locked', workspacePath, `is already open for writing ${where}${who}; close it there, or open the workspace read-only`);
    };
    try {
      if (!tryBegin(db)) refuse();
      db.exec('CREATE TABLE IF NOT EXISTS holder (one INTEGER PRIMARY KEY CHECK (one = 1), pid INTEGER NOT NULL, user TEXT NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)');
      db.prepare('INSERT OR REPLACE INTO holder (one, pid, user, host, since) VALUES (1, ?, ?, ?, ?)').run(process.pid, opts.user, hostname(), opts.now.toISOString());
      // Committing publishes the holder row to refused writers; between COMMIT and the next BEGIN
      // another process may win the lock, and then this one is the refused writer.
      db.exec('COMMIT');
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
    return db.prepare<[], LockHolder>('SELECT pid, user, host, since FROM holder WHERE one = 1').get();
  } catch {
    // The holder may be mid-commit (exclusive for an instant) or the row not yet written.
    return undefined;
  }
}
