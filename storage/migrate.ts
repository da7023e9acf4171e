// The migration runner: compares the history a workspace recorded with the migrations this build
// knows, refuses anything that is not a prefix of them, and applies the pending ones.
import type BetterSqlite3 from 'better-sqlite3';
import { appendAudit, sha256 } from './audit.ts';
import { WorkspaceError } from './errors.ts';
import type { Migration } from './migrations.ts';
import { restoreAdvice, translateSqliteError } from './sqlite.ts';

/** PRAGMA application_id of a ResetPath workspace ("RSPT"), so other SQLite files are told apart. */
export const APPLICATION_ID = 0x52535054;

/** The runner's own bookkeeping table; deliberately outside the numbered migrations. */
export const MIGRATIONS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT;`;

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: string;
}

/** SHA-256 of a migration's SQL text: what a workspace records to prove which migration ran. */
export function migrationChecksum(m: Migration): string {
  return sha256(m.sql);
}

/** Reads the recorded history, or null when the file has no migrations table at all. */
export function readAppliedMigrations(db: BetterSqlite3.Database): AppliedMigration[] | null {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return null;
  return db
    .prepare<[], { version: number; name: string; checksum: string; applied_at: string }>('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')
    .all()
    .map((r) => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
}

/** Throws unless `known` is a well-formed list: versions 1..n in order, unique names. */
export function assertWellFormed(known: readonly Migration[]): void {
  known.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is malformed: position ${i + 1} holds version ${m.version}`);
  });
}

/**
 * Checks that the recorded history is a prefix of `known` and returns the pending migrations.
 * A longer history whose prefix matches means a newer ResetPath wrote the file.
 */
export function pendingMigrations(file: string, applied: readonly AppliedMigration[], known: readonly Migration[]): Migration[] {
  const common = Math.min(applied.length, known.length);
  for (let i = 0; i < common; i++) {
    const a = applied[i]!;
    const k = known[i]!;
    const kSum = migrationChecksum(k);
    if (a.version !== k.version) {
      throw new WorkspaceError(
        'migration-mismatch',
        file,
        `schema history does not match this ResetPath: recorded migration #${i + 1} is version ${a.version} ("${a.name}") where version ${k.version} ("${k.name}") was expected; refusing to open`,
      );
    }
    if (a.name !== k.name || a.checksum !== kSum) {
      const what = a.name !== k.name ? `is "${a.name}" but this ResetPath's migration ${k.version} is "${k.name}"` : `("${a.name}") has checksum ${a.checksum.slice(0, 12)} but this ResetPath's has ${kSum.slice(0, 12)}`;
      throw new WorkspaceError('migration-mismatch', file, `schema history does not match this ResetPath: applied migration ${a.version} ${what}; refusing to open`);
    }
  }
  if (applied.length > known.length) {
    const newest = applied[applied.length - 1]!;
    throw new WorkspaceError(
      'newer-version',
      file,
      `was written by a newer version of ResetPath (workspace schema version ${newest.version}, this ResetPath understands up to ${known.length}); update ResetPath to open it`,
    );
  }
  return known.slice(applied.length);
}

/** Identifies a ResetPath workspace and returns its pending migrations; throws for anything else. */
export function identify(db: BetterSqlite3.Database, file: string, known: readonly Migration[]): Migration[] {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const applied = readAppliedMigrations(db);
  if (appId !== APPLICATION_ID) {
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    if (tables === 0) throw new WorkspaceError('not-a-workspace', file, 'is an empty SQLite database, not a ResetPath workspace');
    throw new WorkspaceError('not-a-workspace', file, `is an SQLite database of another program (application id ${appId}), not a ResetPath workspace`);
  }
  if (applied === null) throw new WorkspaceError('damaged', file, `is a ResetPath workspace without its schema history (schema_migrations is missing); ${restoreAdvice(file)}`);
  const pending = pendingMigrations(file, applied, known);
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (userVersion > known.length) {
    throw new WorkspaceError('newer-version', file, `was written by a newer version of ResetPath (workspace schema version ${userVersion}, this ResetPath understands up to ${known.length}); update ResetPath to open it`);
  }
  return pending;
}

/** Sets the pragmas every writer connection needs. */
export function configureWriter(db: BetterSqlite3.Database, file: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new WorkspaceError('io', file, `cannot use write-ahead logging (journal mode stays "${String(mode)}"); keep workspaces on a local disk`);
  // FULL syncs the log on every commit, so a commit that returned survives a power cut, not only a
  // process crash; it costs well under a millisecond per save here (docs/benchmarks.md).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/** Applies pending migrations, each in its own transaction with its history row and audit entry. */
export function applyMigrations(db: BetterSqlite3.Database, file: string, pending: readonly Migration[], ctx: { clock: () => Date; user: string }): void {
  for (const m of pending) {
    try {
      applyOne(db, m, ctx);
    } catch (e) {
      const cause = translateSqliteError(file, e);
      const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new WorkspaceError(cause.code, file, `migration ${m.version} ("${m.name}") failed and was rolled back; the workspace stays at schema version ${m.version - 1} (${detail})`, { cause: e });
    }
  }
}

function applyOne(db: BetterSqlite3.Database, m: Migration, ctx: { clock: () => Date; user: string }): void {
  db.transaction(() => {
    db.exec(MIGRATIONS_TABLE_SQL);
    db.exec(m.sql);
    const checksum = migrationChecksum(m);
    const now = ctx.clock().toISOString();
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(m.version, m.name, checksum, now);
    db.pragma(`user_version = ${m.version}`);
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get();
    if (hasAudit) {
      appendAudit(db, now, ctx.user, { entityType: 'workspace', entityId: 'schema', action: 'migrate', before: { version: m.version - 1 }, after: { version: m.version, name: m.name, checksum } });
    }
  }).immediate();
}
