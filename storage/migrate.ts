// The migration runner: compares the history a workspace recorded with the migrations this build
// knows, refuses anything that is not a prefix of them, and says which migrations are pending.
import type BetterSqlite3 from 'better-sqlite3';
import { sha256 } from './audit.ts';
import { WorkspaceError } from './errors.ts';
import type { Migration } from './migrations.ts';

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
