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
  const changed = schemaChange(db, known, applied.length);
  if (changed) throw new WorkspaceError('damaged', file, `has a schema changed outside ResetPath (${changed}); refusing to open it, as its queries could run code it does not know; ${restoreAdvice(file)}`);
  return pending;
}

/** One object of sqlite_schema: tables, indexes, triggers, views. */
interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** SQLite's own objects (statistics PRAGMA optimize writes, autoindexes): no file may create such names. */
const internal = (o: SchemaObject) => o.name.startsWith('sqlite_');
const sqlText = (sql: string | null) => (sql ?? '').replace(/\s+/g, ' ').trim();

function schemaObjects(db: BetterSqlite3.Database): Map<string, SchemaObject> {
  const rows = db.prepare<[], SchemaObject>('SELECT type, name, tbl_name, sql FROM sqlite_schema').all();
  return new Map(rows.filter((o) => !internal(o)).map((o) => [o.name, o]));
}

/** The schema the first `version` migrations make, per list of migrations: made once, in memory. */
const expectedSchemas = new WeakMap<readonly Migration[], Map<number, Map<string, SchemaObject>>>();

function expectedSchema(db: BetterSqlite3.Database, known: readonly Migration[], version: number): Map<string, SchemaObject> {
  let byVersion = expectedSchemas.get(known);
  if (!byVersion) expectedSchemas.set(known, (byVersion = new Map()));
  let schema = byVersion.get(version);
  if (!schema) {
    // The same SQLite build as the file's connection (its native binding), so the stored SQL reads alike.
    const Db = db.constructor as new (name: string) => BetterSqlite3.Database;
    const mem = new Db(':memory:');
    try {
      mem.exec(MIGRATIONS_TABLE_SQL);
      for (const m of known.slice(0, version)) mem.exec(m.sql);
      schema = schemaObjects(mem);
    } finally {
      mem.close();
    }
    byVersion.set(version, schema);
  }
  return schema;
}

/**
 * An object of the file's schema that its recorded migrations do not make, in words, or null: a
 * table swapped for a view, a trigger or view added, one rewritten. A query ResetPath runs would then
 * run SQL the file brought (a recursive view blocks the process for good: better-sqlite3 runs
 * synchronously, on the host's only thread).
 */
export function schemaChange(db: BetterSqlite3.Database, known: readonly Migration[], version: number): string | null {
  const want = expectedSchema(db, known, version);
  const have = schemaObjects(db);
  for (const [name, o] of have) {
    const w = want.get(name);
    if (!w) return `${o.type} "${name}" is not one of its own`;
    if (w.type !== o.type) return `"${name}" is a ${o.type} where a ${w.type} is expected`;
    if (w.tbl_name !== o.tbl_name || sqlText(w.sql) !== sqlText(o.sql)) return `${o.type} "${name}" is not defined as ResetPath defines it`;
  }
  // One missing is left to what reads it: a dropped append-only trigger is tampering the audit check
  // names entry by entry (it must open the file to do so), a dropped table a clear error where read.
  return null;
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
