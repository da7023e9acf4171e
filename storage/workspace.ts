// The workspace: one SQLite file holding workflows and scenarios with their full history, analysis
// runs, tabletop sessions, report snapshots and settings, with every change written in one
// transaction together with its audit entry. One writer at a time (see lock.ts); readers may open
// the same file read-only while it is being written (WAL).
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { accessSync, constants, existsSync, linkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, extname } from 'node:path';
import type Database from 'better-sqlite3';
import { displayText, plainTextProblem } from '../models/index.ts';
import { appendAudit, canonicalJson, GENESIS_HASH, sha256, toEntry, verifyChain, type AuditEntry, type AuditHead, type AuditInput, type AuditRow, type AuditVerification, type AuditWitness } from './audit.ts';
import { RecordedState } from './binding.ts';
import { DamagedValueError, ModelRejectedError, WorkspaceError } from './errors.ts';
import { APPLICATION_ID, applyMigrations, assertWellFormed, configureWriter, identify } from './migrate.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { fileIdentity, folderWritable, hardLinked, WriterLock } from './lock.ts';
import { readModelFileForImport, validateModelText, type ModelFormat, type ModelKind, type ValidatedModel } from './modelfiles.ts';
import {
  MODEL_TABLES,
  ownerKey,
  runAuditView,
  toOwner,
  toRemediation,
  toSignOff,
  toDecision,
  toReportInfo,
  toRevisionInfo,
  parseStoredJson,
  readRun,
  toRunInfo,
  toRunInfoOrDamaged,
  toSessionInfo,
  type DecisionRow,
  type OwnerRow,
  type RemediationRow,
  type ReportRow,
  type SignOffRow,
  type RevisionRow,
  type RunRow,
  type SessionRow,
} from './rows.ts';
import { checkDatabaseFile, openDatabase, translateSqliteError, walBytes } from './sqlite.ts';
import { MAX_RESULT_BYTES, REMEDIATION_STATUSES, SIGNOFF_DECISIONS } from './types.ts';
import type {
  BackupResult,
  ExportedModel,
  OwnerAssignment,
  OwnerAssignmentInput,
  RemediationInput,
  RemediationItem,
  SignOff,
  SignOffInput,
  ModelRevision,
  ModelSummary,
  ReportSnapshot,
  ReportSnapshotInfo,
  ReportSnapshotInput,
  RevisionInfo,
  Run,
  RunInfo,
  SaveModelInput,
  SaveModelResult,
  SaveRunInput,
  TabletopDecision,
  TabletopDecisionInput,
  TabletopSession,
  TabletopSessionInfo,
  TabletopSessionInput,
  WorkspaceOptions,
} from './types.ts';

type Log = (entry: AuditInput) => void;

/** A ResetPath workspace file, open for writing (holding the writer lock) or read-only. */
export class Workspace {
  readonly path: string;
  readonly readOnly: boolean;
  /** Opened as immutable evidence: read-only, and nothing is created or changed beside the file. */
  readonly immutable: boolean;
  private db: Database.Database | null;
  private lock: WriterLock | null;
  private readonly clock: () => Date;
  private readonly user: string;
  private readonly newId: () => string;
  private readonly known: readonly Migration[];
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  private constructor(path: string, db: Database.Database, lock: WriterLock | null, ctx: Context, immutable = false) {
    this.path = path;
    this.db = db;
    this.lock = lock;
    this.readOnly = lock === null;
    this.immutable = immutable;
    this.clock = ctx.clock;
    this.user = ctx.user;
    this.newId = ctx.newId;
    this.known = ctx.known;
  }

  /** Creates a new workspace file (refusing to overwrite one) and opens it for writing. */
  static create(path: string, options: WorkspaceOptions = {}): Workspace {
    const ctx = context(options);
    if (options.readOnly || options.immutable) throw new WorkspaceError('invalid-input', path, 'cannot create a workspace read-only');
    if (existsSync(path)) throw new WorkspaceError('already-exists', path, 'already exists; open it instead of creating it');
    if (!existsSync(dirname(path))) throw new WorkspaceError('not-found', path, `folder ${dirname(path)} does not exist`);
    // Built under a temporary name and then given its real name, so a crash mid-creation never
    // leaves a half-made file under the real name. The writer lock is taken on the new file before
    // it gets its name (the lock belongs to the file, see lock.ts), so nobody else can open it for
    // writing between its appearance and this open.
    const tmp = `${path}.creating-${process.pid}`;
    removeDatabaseFiles(tmp);
    let lock: WriterLock | undefined;
    try {
      const db = openDatabase(tmp, { readOnly: false, mustExist: false, nativeBinding: options.nativeBinding });
      try {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        configureWriter(db, tmp);
        applyMigrations(db, tmp, ctx.known, ctx);
        inTransaction(db, tmp, () => appendAudit(db, ctx.clock().toISOString(), ctx.user, { entityType: 'workspace', entityId: basename(path), action: 'create', after: { schemaVersion: ctx.known.length } }));
      } finally {
        db.close();
      }
      lock = WriterLock.acquire(tmp, { user: ctx.user, now: ctx.clock(), name: path, ...binding(options) });
      placeWithoutReplacing(tmp, path);
      removeDatabaseFiles(tmp);
      return Workspace.openLocked(path, ctx, lock, options);
    } catch (e) {
      lock?.release();
      removeDatabaseFiles(tmp);
      throw translateSqliteError(path, e);
    }
  }

  /** Opens an existing workspace: for writing (taking the writer lock) or with { readOnly: true }. */
  static open(path: string, options: WorkspaceOptions = {}): Workspace {
    const ctx = context(options);
    const names = checkDatabaseFile(path);
    // A file with a second name is refused for writing before it is read any further: through this
    // name SQLite does not see the log a writer keeps under the other, so what it reads may be a
    // checkpoint half done (the writer lock checks again, for a name made while it is taken).
    if (names > 1 && !options.readOnly && !options.immutable) throw hardLinked(path, names);
    if (options.readOnly || options.immutable) {
      const immutable = openImmutably(path, options);
      const db = openDatabase(path, { readOnly: true, mustExist: true, nativeBinding: options.nativeBinding, immutable });
      try {
        const pending = identify(db, path, ctx.known);
        if (pending.length > 0) {
          throw new WorkspaceError('needs-upgrade', path, `was written by an older ResetPath (schema version ${ctx.known.length - pending.length} of ${ctx.known.length}); open it once for writing to upgrade it`);
        }
        return new Workspace(path, db, null, ctx, immutable);
      } catch (e) {
        db.close();
        throw translateSqliteError(path, e);
      }
    }
    // Identify the file before taking the lock, so a foreign file never gets a lock file beside it.
    const probe = openDatabase(path, { readOnly: true, mustExist: true, nativeBinding: options.nativeBinding });
    try {
      identify(probe, path, ctx.known);
    } catch (e) {
      throw translateSqliteError(path, e);
    } finally {
      probe.close();
    }
    // SQLite quietly opens a file this user may not write (mode 0444, a read-only medium) read-only
    // when asked for writing, and every change would then fail. Refused before the lock is taken,
    // as 'read-only', which callers (serve, the shell) answer by opening it read-only.
    if (!writableByThisUser(path)) {
      throw new WorkspaceError('read-only', path, 'cannot be written: this user may not write the file (check its permissions, or the medium it is on); open it read-only to browse it');
    }
    const lock = WriterLock.acquire(path, { user: ctx.user, now: ctx.clock(), ...binding(options) });
    try {
      return Workspace.openLocked(path, ctx, lock, options);
    } catch (e) {
      lock.release();
      throw translateSqliteError(path, e);
    }
  }

  private static openLocked(path: string, ctx: Context, lock: WriterLock, options: WorkspaceOptions): Workspace {
    const db = openDatabase(path, { readOnly: false, mustExist: true, nativeBinding: options.nativeBinding });
    try {
      const pending = identify(db, path, ctx.known);
      configureWriter(db, path);
      applyMigrations(db, path, pending, ctx);
      return new Workspace(path, db, lock, ctx);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Closes the file and frees the writer lock; safe to call twice. */
  close(): void {
    const db = this.db;
    if (!db) return;
    this.db = null;
    this.statements.clear();
    try {
      if (!this.readOnly) {
        try {
          db.pragma('optimize');
        } catch {
          // Only statistics for the query planner: failing to save them must not keep the file open.
        }
      }
      db.close();
    } finally {
      this.lock?.release();
      this.lock = null;
    }
  }

  /** Schema version of the open file (the number of applied migrations). */
  get schemaVersion(): number {
    return this.q<[], { v: number }>('SELECT max(version) AS v FROM schema_migrations').get()?.v ?? 0;
  }

  // ---- workflows and scenarios ----

  /** Validates workflow text with the models' loader and stores it as the next revision. */
  saveWorkflowRevision(input: SaveModelInput): SaveModelResult {
    return this.saveModel('workflow', input, undefined);
  }

  /** Validates scenario text with the scenarios' loader and stores it as the next revision. */
  saveScenarioRevision(input: SaveModelInput): SaveModelResult {
    return this.saveModel('scenario', input, undefined);
  }

  /** Workflows with their latest revision, by id; deleted ones only when asked. */
  listWorkflows(opts: { includeDeleted?: boolean } = {}): ModelSummary[] {
    return this.listModels('workflow', opts.includeDeleted ?? false);
  }

  /** Scenarios with their latest revision, by id; deleted ones only when asked. */
  listScenarios(opts: { includeDeleted?: boolean } = {}): ModelSummary[] {
    return this.listModels('scenario', opts.includeDeleted ?? false);
  }

  /** A workflow revision with its text (the latest when no revision is given), or undefined. */
  getWorkflow(id: string, revision?: number): ModelRevision | undefined {
    return this.getModel('workflow', id, revision);
  }

  /** A scenario revision with its text (the latest when no revision is given), or undefined. */
  getScenario(id: string, revision?: number): ModelRevision | undefined {
    return this.getModel('scenario', id, revision);
  }

  /** Every revision of a workflow, oldest first (empty for an unknown id). */
  listWorkflowRevisions(id: string): RevisionInfo[] {
    return this.listRevisions('workflow', id);
  }

  /** Every revision of a scenario, oldest first (empty for an unknown id). */
  listScenarioRevisions(id: string): RevisionInfo[] {
    return this.listRevisions('scenario', id);
  }

  /** Hides a workflow from lists; its history stays, and saving it again restores it. */
  deleteWorkflow(id: string, opts: { reason?: string } = {}): void {
    this.deleteModel('workflow', id, opts.reason);
  }

  /** Hides a scenario from lists; its history stays, and saving it again restores it. */
  deleteScenario(id: string, opts: { reason?: string } = {}): void {
    this.deleteModel('scenario', id, opts.reason);
  }

  /** Imports a workflow file as the next revision of its id; an invalid file changes nothing. */
  importWorkflowFile(path: string, opts: { reason?: string; message?: string } = {}): SaveModelResult {
    return this.importFiles([{ kind: 'workflow', path }], opts)[0]!;
  }

  /** Imports a scenario file as the next revision of its id; an invalid file changes nothing. */
  importScenarioFile(path: string, opts: { reason?: string; message?: string } = {}): SaveModelResult {
    return this.importFiles([{ kind: 'scenario', path }], opts)[0]!;
  }

  /**
   * Imports several files all or nothing: every file is read and validated first, and one invalid
   * file refuses the whole batch with the issues of every invalid file.
   */
  importFiles(files: { kind: ModelKind; path: string }[], opts: { reason?: string; message?: string } = {}): SaveModelResult[] {
    this.writable();
    const validated: { model: ValidatedModel; fileName: string }[] = [];
    const rejected: ModelRejectedError[] = [];
    for (const f of files) {
      try {
        const read = readModelFileForImport(f.path);
        validated.push({ model: validateModelText(f.kind, read.text, f.path, read.format), fileName: read.fileName });
      } catch (e) {
        if (e instanceof ModelRejectedError) rejected.push(e);
        else throw e;
      }
    }
    if (rejected.length === 1) throw rejected[0]!;
    if (rejected.length > 1) throw new ModelRejectedError(rejected[0]!.file, rejected.flatMap((r) => r.issues));
    return this.change((log, now) =>
      validated.map((v) => this.insertRevision(v.model, { file: v.fileName, message: opts.message, reason: opts.reason, action: 'import' }, log, now)),
    );
  }

  /** A workflow revision's exact text and a file name for it. */
  exportWorkflow(id: string, revision?: number): ExportedModel {
    return this.exportModel('workflow', id, revision);
  }

  /** A scenario revision's exact text and a file name for it. */
  exportScenario(id: string, revision?: number): ExportedModel {
    return this.exportModel('scenario', id, revision);
  }

  /** Writes a workflow revision to a file, byte for byte as it was saved or imported. */
  exportWorkflowFile(id: string, dest: string, opts: { revision?: number; overwrite?: boolean } = {}): { path: string; bytes: number } {
    return writeExport(this.exportModel('workflow', id, opts.revision), dest, opts.overwrite ?? false);
  }

  /** Writes a scenario revision to a file, byte for byte as it was saved or imported. */
  exportScenarioFile(id: string, dest: string, opts: { revision?: number; overwrite?: boolean } = {}): { path: string; bytes: number } {
    return writeExport(this.exportModel('scenario', id, opts.revision), dest, opts.overwrite ?? false);
  }

  private saveModel(kind: ModelKind, input: SaveModelInput, action: string | undefined): SaveModelResult {
    this.writable();
    if (typeof input?.text !== 'string') throw new WorkspaceError('invalid-input', this.path, `${kind} text must be a string`);
    const label = input.file ?? `(unsaved ${kind})`;
    const model = validateModelText(kind, input.text, label, input.format ?? formatFromName(input.file));
    if (input.expectId !== undefined && model.id !== input.expectId) {
      throw new WorkspaceError('invalid-input', label, `the text is ${kind} "${model.id}", not "${input.expectId}"; nothing was saved`);
    }
    const file = input.file === undefined ? null : basename(input.file);
    return this.change((log, now) => this.insertRevision(model, { file, message: input.message, reason: input.reason, action }, log, now));
  }

  private insertRevision(
    m: ValidatedModel,
    meta: { file: string | null; message: string | undefined; reason: string | undefined; action: string | undefined },
    log: Log,
    now: string,
  ): SaveModelResult {
    const t = MODEL_TABLES[m.kind];
    const head = this.q<[string], { latest_revision: number; deleted_at: string | null }>(`SELECT latest_revision, deleted_at FROM ${t.head} WHERE id = ?`).get(m.id);
    // Only the previous revision's metadata: reading its text would cost more than the save.
    const prev = head
      ? this.q<[string, number], { revision: number; name: string; format: ModelFormat; source_sha256: string }>(
          `SELECT revision, name, format, source_sha256 FROM ${t.revisions} WHERE ${t.fk} = ? AND revision = ?`,
        ).get(m.id, head.latest_revision)
      : undefined;
    if (head && prev && !head.deleted_at && prev.source_sha256 === m.sha256 && prev.format === m.format) {
      return { ...toRevisionInfo(this.revisionRow(m.kind, m.id, prev.revision)!), unchanged: true };
    }
    const revision = head ? head.latest_revision + 1 : 1;
    if (head) this.q(`UPDATE ${t.head} SET latest_revision = ?, deleted_at = NULL WHERE id = ?`).run(revision, m.id);
    else this.q(`INSERT INTO ${t.head} (id, latest_revision, created_at) VALUES (?, ?, ?)`).run(m.id, revision, now);
    this.q(
      `INSERT INTO ${t.revisions} (${t.fk}, revision, name, format, source_text, source_sha256, source_file, message, created_at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.id, revision, m.name, m.format, m.text, m.sha256, meta.file, meta.message ?? null, now, this.user);
    log({
      entityType: m.kind,
      entityId: m.id,
      action: meta.action ?? (head ? (head.deleted_at ? 'restore' : 'revise') : 'create'),
      before: prev ? { revision: prev.revision, name: prev.name, format: prev.format, sha256: prev.source_sha256, ...(head?.deleted_at ? { deleted: true } : {}) } : null,
      after: { revision, name: m.name, format: m.format, sha256: m.sha256, bytes: m.bytes, file: meta.file, message: meta.message ?? null },
      reason: meta.reason,
    });
    return {
      id: m.id,
      revision,
      name: m.name,
      format: m.format,
      sha256: m.sha256,
      bytes: m.bytes,
      file: meta.file,
      message: meta.message ?? null,
      createdAt: now,
      author: this.user,
      unchanged: false,
    };
  }

  private revisionRow(kind: ModelKind, id: string, revision: number): RevisionRow | undefined {
    const t = MODEL_TABLES[kind];
    return this.q<[string, number], RevisionRow>(
      `SELECT ${t.fk} AS id, revision, name, format, source_sha256, length(CAST(source_text AS BLOB)) AS bytes, source_file, message, created_at, author FROM ${t.revisions} WHERE ${t.fk} = ? AND revision = ?`,
    ).get(id, revision);
  }

  private listModels(kind: ModelKind, includeDeleted: boolean): ModelSummary[] {
    const t = MODEL_TABLES[kind];
    const rows = this.q<
      [],
      { id: string; name: string; latest_revision: number; format: ModelFormat; created_at: string; updated_at: string; updated_by: string; deleted_at: string | null }
    >(
      `SELECT h.id, r.name, h.latest_revision, r.format, h.created_at, r.created_at AS updated_at, r.author AS updated_by, h.deleted_at
       FROM ${t.head} h JOIN ${t.revisions} r ON r.${t.fk} = h.id AND r.revision = h.latest_revision
       ${includeDeleted ? '' : 'WHERE h.deleted_at IS NULL'} ORDER BY h.id`,
    ).all();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      latestRevision: r.latest_revision,
      format: r.format,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
      deleted: r.deleted_at !== null,
    }));
  }

  private getModel(kind: ModelKind, id: string, revision: number | undefined): ModelRevision | undefined {
    const t = MODEL_TABLES[kind];
    const rev = revision ?? this.q<[string], { latest_revision: number }>(`SELECT latest_revision FROM ${t.head} WHERE id = ?`).get(id)?.latest_revision;
    if (rev === undefined) return undefined;
    const row = this.q<[string, number], RevisionRow & { source_text: string }>(
      `SELECT ${t.fk} AS id, revision, name, format, source_sha256, length(CAST(source_text AS BLOB)) AS bytes, source_file, message, created_at, author, source_text FROM ${t.revisions} WHERE ${t.fk} = ? AND revision = ?`,
    ).get(id, rev);
    return row ? { ...toRevisionInfo(row), text: row.source_text } : undefined;
  }

  private listRevisions(kind: ModelKind, id: string): RevisionInfo[] {
    const t = MODEL_TABLES[kind];
    return this.q<[string], RevisionRow>(
      `SELECT ${t.fk} AS id, revision, name, format, source_sha256, length(CAST(source_text AS BLOB)) AS bytes, source_file, message, created_at, author FROM ${t.revisions} WHERE ${t.fk} = ? ORDER BY revision`,
    )
      .all(id)
      .map(toRevisionInfo);
  }

  private deleteModel(kind: ModelKind, id: string, reason: string | undefined): void {
    const t = MODEL_TABLES[kind];
    this.change((log, now) => {
      const head = this.q<[string], { latest_revision: number; deleted_at: string | null }>(`SELECT latest_revision, deleted_at FROM ${t.head} WHERE id = ?`).get(id);
      if (!head || head.deleted_at) throw new WorkspaceError('unknown-entity', this.path, `no ${kind} "${id}" in this workspace`);
      this.q(`UPDATE ${t.head} SET deleted_at = ? WHERE id = ?`).run(now, id);
      log({ entityType: kind, entityId: id, action: 'delete', before: { revision: head.latest_revision }, after: { deleted: true }, reason });
    });
  }

  private exportModel(kind: ModelKind, id: string, revision: number | undefined): ExportedModel {
    const m = this.getModel(kind, id, revision);
    if (!m) throw new WorkspaceError('unknown-entity', this.path, `no ${kind} "${id}"${revision !== undefined ? ` revision ${revision}` : ''} in this workspace`);
    const ext = m.file && /^\.(ya?ml|json)$/i.test(extname(m.file)) ? extname(m.file) : `.${m.format}`;
    return { id: m.id, revision: m.revision, format: m.format, text: m.text, fileName: `${m.id}${ext}` };
  }

  // ---- analysis runs ----

  /** Stores an analysis run and its result (any JSON value). */
  saveRun(input: SaveRunInput): RunInfo {
    this.writable();
    requireText(this.path, 'run kind', input?.kind);
    requireText(this.path, 'workflow id', input.workflow?.id);
    const resultJson = toJson(this.path, 'run result', input.result);
    // What could not be read back is not stored.
    const bytes = Buffer.byteLength(resultJson, 'utf8');
    if (bytes > MAX_RESULT_BYTES) throw new WorkspaceError('invalid-input', this.path, `the run result is ${(bytes / 1024 / 1024).toFixed(0)} MiB of JSON, more than the ${MAX_RESULT_BYTES / 1024 / 1024} MiB a workspace stores per run`);
    const paramsJson = toJson(this.path, 'run params', input.params ?? {});
    const summaryJson = toJson(this.path, 'run summary', input.summary ?? {});
    const scenarioIds = input.scenarioIds ?? [];
    if (!Array.isArray(scenarioIds) || scenarioIds.some((s) => typeof s !== 'string')) throw new WorkspaceError('invalid-input', this.path, 'scenarioIds must be a list of ids');
    const wfRevision = input.workflow.revision ?? null;
    const id = this.newId();
    return this.change((log, now) => {
      let wfSha = input.workflow.sha256 ?? null;
      if (wfRevision !== null) {
        const rev = this.revisionRow('workflow', input.workflow.id, wfRevision);
        if (!rev) throw new WorkspaceError('unknown-entity', this.path, `no workflow "${input.workflow.id}" revision ${wfRevision} in this workspace`);
        wfSha ??= rev.source_sha256;
      }
      const info: RunInfo = {
        id,
        kind: input.kind,
        label: input.label ?? null,
        workflow: { id: input.workflow.id, revision: wfRevision, sha256: wfSha },
        scenarioIds,
        params: JSON.parse(paramsJson),
        summary: JSON.parse(summaryJson),
        resultSha256: sha256(resultJson),
        resultBytes: bytes,
        createdAt: now,
        author: this.user,
      };
      this.q(
        `INSERT INTO runs (id, kind, label, workflow_id, workflow_revision, workflow_sha256, scenario_ids_json, params_json, summary_json, result_sha256, result_bytes, created_at, author)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, info.kind, info.label, info.workflow.id, wfRevision, wfSha, JSON.stringify(scenarioIds), paramsJson, summaryJson, info.resultSha256, info.resultBytes, now, this.user);
      this.q('INSERT INTO run_results (run_id, result_json) VALUES (?, ?)').run(id, encodeResult(resultJson));
      log({ entityType: 'run', entityId: id, action: 'create', after: runAuditView(info), reason: input.reason });
      return info;
    });
  }

  /** Runs without their results, newest first. */
  listRuns(opts: { workflowId?: string; limit?: number; offset?: number } = {}): RunInfo[] {
    const limit = opts.limit ?? -1;
    const offset = opts.offset ?? 0;
    const cols = 'id, kind, label, workflow_id, workflow_revision, workflow_sha256, scenario_ids_json, params_json, summary_json, result_sha256, result_bytes, created_at, author';
    const rows =
      opts.workflowId === undefined
        ? this.q<[number, number], RunRow>(`SELECT ${cols} FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(limit, offset)
        : this.q<[string, number, number], RunRow>(`SELECT ${cols} FROM runs WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(opts.workflowId, limit, offset);
    // A run whose stored JSON is damaged is listed as damaged (see RunInfo.damaged), not the whole list failed.
    return rows.map((r) => toRunInfoOrDamaged(this.path, r));
  }

  /**
   * What the workspace takes on disk (the file and its write-ahead log) and how much of it is run
   * results: the number the UI shows so a growing workspace is never silent.
   */
  diskUsage(): { bytes: number; runs: number; runResultBytes: number } {
    let file = 0;
    try {
      file = statSync(this.path).size;
    } catch {
      // Gone from under us: report what can be counted rather than fail a status line.
    }
    const r = this.q<[], { n: number; bytes: number | null }>('SELECT count(*) AS n, sum(result_bytes) AS bytes FROM runs').get()!;
    return { bytes: file + walBytes(this.path), runs: r.n, runResultBytes: r.bytes ?? 0 };
  }

  /** Number of stored runs. */
  countRuns(): number {
    return this.q<[], { n: number }>('SELECT count(*) AS n FROM runs').get()!.n;
  }

  /**
   * A run without its result (so even a run whose stored result is damaged can be listed and
   * deleted), or undefined; a run whose stored JSON columns are damaged comes with `damaged` set.
   */
  getRunInfo(id: string): RunInfo | undefined {
    const row = this.q<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    return row ? toRunInfoOrDamaged(this.path, row) : undefined;
  }

  /** A run with its result, or undefined. */
  getRun(id: string): Run | undefined {
    const row = this.q<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    if (!row) return undefined;
    const json = this.resultJson(id);
    if (json === undefined) throw new WorkspaceError('damaged', this.path, `run "${id}" has no stored result`);
    return { ...toRunInfo(this.path, row), result: parseStoredJson(this.path, 'run_results', id, 'result_json', json) };
  }

  /** A run's result as the JSON text that was stored (and hashed into the audit log). */
  private resultJson(id: string): string | undefined {
    const stored = this.q<[string], { result_json: string }>('SELECT result_json FROM run_results WHERE run_id = ?').get(id)?.result_json;
    if (stored === undefined) return undefined;
    const json = decodeResult(stored);
    if (json === null) throw new WorkspaceError('damaged', this.path, `the stored result of run "${id}" is damaged (it does not decompress, or decompresses to more than the ${MAX_RESULT_BYTES / 1024 / 1024} MiB a result may hold)`);
    return json;
  }

  /** Deletes a run and its result; refused while a report snapshot cites it. */
  deleteRun(id: string, opts: { reason?: string } = {}): void {
    this.change((log) => {
      const row = this.q<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
      if (!row) throw new WorkspaceError('unknown-entity', this.path, `no run "${id}" in this workspace`);
      const cited = this.q<[string], { id: string }>('SELECT id FROM report_snapshots WHERE run_id = ? LIMIT 1').get(id);
      if (cited) throw new WorkspaceError('invalid-input', this.path, `run "${id}" is cited by report snapshot "${cited.id}"; delete the snapshot first`);
      this.q('DELETE FROM runs WHERE id = ?').run(id);
      // A damaged run is deleted too; its entry keeps the damaged column's text exactly as stored.
      const { info, error } = readRun(this.path, row);
      const before = error ? { ...(runAuditView(info) as object), damaged: { column: error.column, stored: row[error.column as keyof RunRow] } } : runAuditView(info);
      log({ entityType: 'run', entityId: id, action: 'delete', before, reason: opts.reason });
    });
  }

  // ---- tabletop sessions ----

  /** Opens a tabletop session for a scenario (a workspace revision, or bundled when revision is null). */
  createTabletopSession(input: TabletopSessionInput): TabletopSessionInfo {
    this.writable();
    requireText(this.path, 'session title', input?.title);
    requireText(this.path, 'scenario id', input.scenario?.id);
    if (input.setup !== undefined) requireJsonObject(this.path, 'session setup', input.setup);
    const id = this.newId();
    return this.change((log, now) => {
      const scenarioRevision = input.scenario.revision ?? null;
      if (scenarioRevision !== null && !this.revisionRow('scenario', input.scenario.id, scenarioRevision)) {
        throw new WorkspaceError('unknown-entity', this.path, `no scenario "${input.scenario.id}" revision ${scenarioRevision} in this workspace`);
      }
      const wf = input.workflow ? { id: input.workflow.id, revision: input.workflow.revision ?? null } : null;
      if (wf && wf.revision !== null && !this.revisionRow('workflow', wf.id, wf.revision)) {
        throw new WorkspaceError('unknown-entity', this.path, `no workflow "${wf.id}" revision ${wf.revision} in this workspace`);
      }
      const info: TabletopSessionInfo = {
        id,
        title: input.title,
        scenario: { id: input.scenario.id, revision: scenarioRevision },
        workflow: wf,
        facilitator: input.facilitator ?? this.user,
        status: 'open',
        notes: input.notes ?? '',
        startedAt: now,
        closedAt: null,
        createdBy: this.user,
        ...(input.setup !== undefined && input.setup !== '{}' ? { setup: input.setup } : {}),
      };
      this.q(
        `INSERT INTO tabletop_sessions (id, title, scenario_id, scenario_revision, workflow_id, workflow_revision, facilitator, status, notes, started_at, closed_at, created_by, setup)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, NULL, ?, ?)`,
      ).run(id, info.title, info.scenario.id, scenarioRevision, wf?.id ?? null, wf?.revision ?? null, info.facilitator, info.notes, now, this.user, info.setup ?? '{}');
      log({ entityType: 'tabletop_session', entityId: id, action: 'create', after: { ...info, notes: undefined, notesSha256: sha256(info.notes) }, reason: input.reason });
      return info;
    });
  }

  /** Records the room's decision in an open session; decisions are numbered and immutable. */
  recordTabletopDecision(sessionId: string, input: TabletopDecisionInput): TabletopDecision {
    this.writable();
    requireText(this.path, 'decision prompt', input?.prompt);
    requireText(this.path, 'decision choice', input.choice);
    if (typeof input.atMinute !== 'number' || !Number.isFinite(input.atMinute) || input.atMinute < 0) throw new WorkspaceError('invalid-input', this.path, 'atMinute must be a number of minutes, 0 or more');
    return this.change((log, now) => {
      const session = this.sessionRow(sessionId);
      if (session.status !== 'open') throw new WorkspaceError('invalid-input', this.path, `tabletop session "${sessionId}" is closed; decisions can no longer be recorded`);
      const seq = (this.q<[string], { n: number | null }>('SELECT max(seq) AS n FROM tabletop_decisions WHERE session_id = ?').get(sessionId)?.n ?? 0) + 1;
      const d: TabletopDecision = {
        sessionId,
        seq,
        atMinute: input.atMinute,
        injectTitle: input.injectTitle ?? null,
        prompt: input.prompt,
        choice: input.choice,
        rationale: input.rationale ?? null,
        decidedBy: input.decidedBy ?? null,
        recordedAt: now,
        recordedBy: this.user,
        ...(input.point !== undefined ? { point: input.point } : {}),
      };
      this.q(
        `INSERT INTO tabletop_decisions (session_id, seq, at_minute, inject_title, prompt, choice, rationale, decided_by, recorded_at, recorded_by, point) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(sessionId, seq, d.atMinute, d.injectTitle, d.prompt, d.choice, d.rationale, d.decidedBy, now, this.user, d.point ?? null);
      log({ entityType: 'tabletop_decision', entityId: `${sessionId}#${seq}`, action: 'record', after: d });
      return d;
    });
  }

  /** Replaces the facilitator's notes of a session. */
  setTabletopNotes(sessionId: string, notes: string, opts: { reason?: string } = {}): void {
    this.writable();
    if (typeof notes !== 'string') throw new WorkspaceError('invalid-input', this.path, 'notes must be text');
    this.change((log) => {
      const session = this.sessionRow(sessionId);
      if (session.notes === notes) return;
      this.q('UPDATE tabletop_sessions SET notes = ? WHERE id = ?').run(notes, sessionId);
      log({ entityType: 'tabletop_session', entityId: sessionId, action: 'update-notes', before: { notes: session.notes }, after: { notes }, reason: opts.reason });
    });
  }

  /** Replaces the exercise setup of an open session (JSON text of an object; the backend owns its shape). */
  setTabletopSetup(sessionId: string, setup: string, opts: { reason?: string } = {}): void {
    this.writable();
    requireJsonObject(this.path, 'session setup', setup);
    this.change((log) => {
      const session = this.sessionRow(sessionId);
      if (session.status !== 'open') throw new WorkspaceError('invalid-input', this.path, `tabletop session "${sessionId}" is closed; its setup can no longer change`);
      if (session.setup === setup) return;
      this.q('UPDATE tabletop_sessions SET setup = ? WHERE id = ?').run(setup, sessionId);
      log({ entityType: 'tabletop_session', entityId: sessionId, action: 'update-setup', before: { setup: session.setup }, after: { setup }, reason: opts.reason });
    });
  }

  /** Closes a session; its decisions are final from then on. */
  closeTabletopSession(sessionId: string, opts: { reason?: string } = {}): void {
    this.change((log, now) => {
      const session = this.sessionRow(sessionId);
      if (session.status === 'closed') return;
      this.q("UPDATE tabletop_sessions SET status = 'closed', closed_at = ? WHERE id = ?").run(now, sessionId);
      log({ entityType: 'tabletop_session', entityId: sessionId, action: 'close', before: { status: 'open' }, after: { status: 'closed', closedAt: now }, reason: opts.reason });
    });
  }

  /** A session with its decisions in order, or undefined. */
  getTabletopSession(id: string): TabletopSession | undefined {
    const row = this.q<[string], SessionRow>('SELECT * FROM tabletop_sessions WHERE id = ?').get(id);
    if (!row) return undefined;
    const decisions = this.q<[string], DecisionRow>('SELECT * FROM tabletop_decisions WHERE session_id = ? ORDER BY seq').all(id).map(toDecision);
    return { ...toSessionInfo(row), decisions };
  }

  /** Sessions, most recently started first. */
  listTabletopSessions(): TabletopSessionInfo[] {
    return this.q<[], SessionRow>('SELECT * FROM tabletop_sessions ORDER BY started_at DESC, rowid DESC').all().map(toSessionInfo);
  }

  private sessionRow(id: string): SessionRow {
    const row = this.q<[string], SessionRow>('SELECT * FROM tabletop_sessions WHERE id = ?').get(id);
    if (!row) throw new WorkspaceError('unknown-entity', this.path, `no tabletop session "${id}" in this workspace`);
    return row;
  }

  // ---- report snapshots ----

  /** Stores a report exactly as issued; snapshots are immutable. */
  saveReportSnapshot(input: ReportSnapshotInput): ReportSnapshotInfo {
    this.writable();
    requireText(this.path, 'report title', input?.title);
    requireText(this.path, 'report format', input.format);
    if (typeof input.content !== 'string') throw new WorkspaceError('invalid-input', this.path, 'report content must be text');
    const id = this.newId();
    return this.change((log, now) => {
      const runId = input.runId ?? null;
      if (runId !== null && !this.q<[string], { id: string }>('SELECT id FROM runs WHERE id = ?').get(runId)) {
        throw new WorkspaceError('unknown-entity', this.path, `no run "${runId}" in this workspace`);
      }
      return this.insertReport(id, input, runId, log, now);
    });
  }

  private insertReport(id: string, input: ReportSnapshotInput, runId: string | null, log: Log, now: string): ReportSnapshotInfo {
    const info: ReportSnapshotInfo = { id, title: input.title, runId, format: input.format, contentSha256: sha256(input.content), createdAt: now, author: this.user };
    this.q('INSERT INTO report_snapshots (id, title, run_id, format, content, content_sha256, created_at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      info.title,
      runId,
      info.format,
      input.content,
      info.contentSha256,
      now,
      this.user,
    );
    log({ entityType: 'report', entityId: id, action: 'create', after: { title: info.title, runId, format: info.format, sha256: info.contentSha256 }, reason: input.reason });
    return info;
  }

  // ---- accountability: owners, remediation, sign-offs ----

  /** Assigns an owner role to a person or team, workspace-wide or for one workflow; the same again writes nothing. */
  setOwner(input: OwnerAssignmentInput): OwnerAssignment {
    this.writable();
    requireText(this.path, 'owner role', input?.role);
    requireLine(this.path, 'owner name', input.name);
    const workflow = input.workflow ?? null;
    if (workflow !== null) requireLine(this.path, 'owner workflow', workflow);
    const contact = input.contact ?? null;
    if (contact !== null) requireLine(this.path, 'owner contact', contact);
    return this.change((log, now) => {
      const prev = this.q<[string, string], OwnerRow>('SELECT * FROM owner_assignments WHERE role = ? AND workflow_id = ?').get(input.role, workflow ?? '');
      if (prev && prev.name === input.name && prev.contact === contact) return toOwner(prev);
      this.q(
        `INSERT INTO owner_assignments (role, workflow_id, name, contact, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (role, workflow_id) DO UPDATE SET name = excluded.name, contact = excluded.contact, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(input.role, workflow ?? '', input.name, contact, now, this.user);
      log({ entityType: 'owner', entityId: ownerKey(input.role, workflow), action: 'set', before: prev ? { name: prev.name, contact: prev.contact } : null, after: { name: input.name, contact }, reason: input.reason });
      return { role: input.role, workflow, name: input.name, contact, updatedAt: now, updatedBy: this.user };
    });
  }

  /** Removes an owner assignment; returns whether it existed. */
  removeOwner(role: string, workflow: string | null, opts: { reason?: string } = {}): boolean {
    return this.change((log) => {
      const prev = this.q<[string, string], OwnerRow>('SELECT * FROM owner_assignments WHERE role = ? AND workflow_id = ?').get(role, workflow ?? '');
      if (!prev) return false;
      this.q('DELETE FROM owner_assignments WHERE role = ? AND workflow_id = ?').run(role, workflow ?? '');
      log({ entityType: 'owner', entityId: ownerKey(role, workflow), action: 'delete', before: { name: prev.name, contact: prev.contact }, reason: opts.reason });
      return true;
    });
  }

  /** Owner assignments by role, the workspace-wide one before the per-workflow ones. */
  listOwners(): OwnerAssignment[] {
    return this.q<[], OwnerRow>('SELECT * FROM owner_assignments ORDER BY role, workflow_id').all().map(toOwner);
  }

  /** Sets the remediation item of one gap (workflow and control); the same again writes nothing. */
  setRemediation(input: RemediationInput): RemediationItem {
    this.writable();
    requireLine(this.path, 'remediation workflow', input?.workflow);
    requireLine(this.path, 'remediation control', input.control);
    if (!(REMEDIATION_STATUSES as readonly string[]).includes(input.status)) {
      throw new WorkspaceError('invalid-input', this.path, `remediation status must be one of ${REMEDIATION_STATUSES.join(', ')}`);
    }
    const due = input.due ?? null;
    if (due !== null && !isCalendarDate(due)) throw new WorkspaceError('invalid-input', this.path, 'remediation due date must be a calendar date YYYY-MM-DD');
    const ticket = input.ticket ?? null;
    if (ticket !== null) requireLine(this.path, 'remediation ticket', ticket);
    const notes = input.notes ?? '';
    requirePlain(this.path, 'remediation notes', notes);
    return this.change((log, now) => {
      const prev = this.q<[string, string], RemediationRow>('SELECT * FROM remediation_items WHERE workflow_id = ? AND control_id = ?').get(input.workflow, input.control);
      if (prev && prev.status === input.status && prev.due_date === due && prev.ticket === ticket && prev.notes === notes) return toRemediation(prev);
      this.q(
        `INSERT INTO remediation_items (workflow_id, control_id, status, due_date, ticket, notes, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workflow_id, control_id) DO UPDATE SET status = excluded.status, due_date = excluded.due_date, ticket = excluded.ticket, notes = excluded.notes,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(input.workflow, input.control, input.status, due, ticket, notes, now, this.user);
      const view = (r: { status: string; due: string | null; ticket: string | null; notes: string }) => ({ status: r.status, due: r.due, ticket: r.ticket, notes: r.notes });
      log({
        entityType: 'remediation',
        entityId: `${input.workflow}#${input.control}`,
        action: 'set',
        before: prev ? view({ status: prev.status, due: prev.due_date, ticket: prev.ticket, notes: prev.notes }) : null,
        after: view({ status: input.status, due, ticket, notes }),
        reason: input.reason,
      });
      return { workflow: input.workflow, control: input.control, status: input.status, due, ticket, notes, updatedAt: now, updatedBy: this.user };
    });
  }

  /** Remediation items, optionally of one workflow, by workflow and control. */
  listRemediation(opts: { workflowId?: string } = {}): RemediationItem[] {
    const rows =
      opts.workflowId === undefined
        ? this.q<[], RemediationRow>('SELECT * FROM remediation_items ORDER BY workflow_id, control_id').all()
        : this.q<[string], RemediationRow>('SELECT * FROM remediation_items WHERE workflow_id = ? ORDER BY control_id').all(opts.workflowId);
    return rows.map(toRemediation);
  }

  /** Stores a report snapshot and its sign-off in one change; both are final. */
  signReport(input: SignOffInput): { report: ReportSnapshotInfo; signOff: SignOff } {
    this.writable();
    requireText(this.path, 'report title', input?.report?.title);
    requireText(this.path, 'report format', input.report.format);
    if (typeof input.report.content !== 'string') throw new WorkspaceError('invalid-input', this.path, 'report content must be text');
    requireText(this.path, 'sign-off scope', input.scope);
    requireLine(this.path, 'signed by', input.signedBy);
    if (!(SIGNOFF_DECISIONS as readonly string[]).includes(input.decision)) throw new WorkspaceError('invalid-input', this.path, `sign-off decision must be one of ${SIGNOFF_DECISIONS.join(', ')}`);
    requireText(this.path, 'sign-off justification', input.justification);
    requirePlain(this.path, 'sign-off justification', input.justification);
    const reportId = this.newId();
    const id = this.newId();
    return this.change((log, now) => {
      const report = this.insertReport(reportId, input.report, input.report.runId ?? null, log, now);
      const signOff: SignOff = { id, reportId, scope: input.scope, signedBy: input.signedBy, decision: input.decision, justification: input.justification, signedAt: now, recordedBy: this.user };
      this.q('INSERT INTO report_signoffs (id, report_id, scope, signed_by, decision, justification, signed_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        id,
        reportId,
        signOff.scope,
        signOff.signedBy,
        signOff.decision,
        signOff.justification,
        now,
        this.user,
      );
      const { id: _id, signedAt: _at, recordedBy: _by, ...view } = signOff;
      log({ entityType: 'signoff', entityId: id, action: 'create', after: view, reason: input.reason });
      return { report, signOff };
    });
  }

  /** Sign-offs, optionally of one scope, newest first. */
  listSignOffs(opts: { scope?: string } = {}): SignOff[] {
    const rows =
      opts.scope === undefined
        ? this.q<[], SignOffRow>('SELECT * FROM report_signoffs ORDER BY signed_at DESC, rowid DESC').all()
        : this.q<[string], SignOffRow>('SELECT * FROM report_signoffs WHERE scope = ? ORDER BY signed_at DESC, rowid DESC').all(opts.scope);
    return rows.map(toSignOff);
  }

  /** Report snapshots without content, newest first. */
  listReportSnapshots(): ReportSnapshotInfo[] {
    return this.q<[], ReportRow>('SELECT id, title, run_id, format, content_sha256, created_at, author FROM report_snapshots ORDER BY created_at DESC, rowid DESC').all().map(toReportInfo);
  }

  /** A report snapshot with its content, or undefined. */
  getReportSnapshot(id: string): ReportSnapshot | undefined {
    const row = this.q<[string], ReportRow & { content: string }>('SELECT id, title, run_id, format, content_sha256, created_at, author, content FROM report_snapshots WHERE id = ?').get(id);
    return row ? { ...toReportInfo(row), content: row.content } : undefined;
  }

  /** Deletes a report snapshot (recorded in the audit log with its hash); a signed one stays. */
  deleteReportSnapshot(id: string, opts: { reason?: string } = {}): void {
    this.change((log) => {
      const row = this.q<[string], ReportRow>('SELECT id, title, run_id, format, content_sha256, created_at, author FROM report_snapshots WHERE id = ?').get(id);
      if (!row) throw new WorkspaceError('unknown-entity', this.path, `no report snapshot "${id}" in this workspace`);
      if (this.q<[string], { id: string }>('SELECT id FROM report_signoffs WHERE report_id = ?').get(id)) {
        throw new WorkspaceError('invalid-input', this.path, `report snapshot "${id}" is signed off; a signed report is kept`);
      }
      this.q('DELETE FROM report_snapshots WHERE id = ?').run(id);
      log({ entityType: 'report', entityId: id, action: 'delete', before: { title: row.title, runId: row.run_id, format: row.format, sha256: row.content_sha256 }, reason: opts.reason });
    });
  }

  // ---- settings ----

  /** A setting's value, or undefined when unset. */
  getSetting(key: string): unknown {
    const row = this.q<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?').get(key);
    return row ? parseStoredJson(this.path, 'settings', key, 'value_json', row.value_json) : undefined;
  }

  /** Sets a setting to any JSON value; setting the same value again writes nothing. */
  setSetting(key: string, value: unknown, opts: { reason?: string } = {}): void {
    this.writable();
    requireText(this.path, 'setting key', key);
    refusePrototypeKeys(this.path, `setting "${key}"`, value);
    const json = canonicalJsonOrThrow(this.path, `setting "${key}"`, value);
    this.change((log, now) => {
      const prev = this.q<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?').get(key);
      if (prev?.value_json === json) return;
      this.q('INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by').run(
        key,
        json,
        now,
        this.user,
      );
      log({ entityType: 'setting', entityId: key, action: 'set', before: prev ? this.settingBefore(key, prev.value_json) : null, after: value, reason: opts.reason });
    });
  }

  /** Removes a setting; returns whether it existed. */
  deleteSetting(key: string, opts: { reason?: string } = {}): boolean {
    return this.change((log) => {
      const prev = this.q<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?').get(key);
      if (!prev) return false;
      this.q('DELETE FROM settings WHERE key = ?').run(key);
      log({ entityType: 'setting', entityId: key, action: 'delete', before: this.settingBefore(key, prev.value_json), reason: opts.reason });
      return true;
    });
  }

  /**
   * Every setting by key. A setting whose stored JSON is damaged is left out rather than fail the
   * whole list, and handed to `onDamaged` (which names the key); it can still be set or deleted.
   */
  listSettings(opts: { onDamaged?: (e: DamagedValueError) => void } = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.q<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings ORDER BY key').all()) {
      try {
        out[r.key] = parseStoredJson(this.path, 'settings', r.key, 'value_json', r.value_json);
      } catch (e) {
        if (!(e instanceof DamagedValueError)) throw e;
        opts.onDamaged?.(e);
      }
    }
    return out;
  }

  /** A setting's previous value for its audit entry; a damaged one is kept as the text that was stored. */
  private settingBefore(key: string, stored: string): unknown {
    try {
      return parseStoredJson(this.path, 'settings', key, 'value_json', stored);
    } catch (e) {
      if (!(e instanceof DamagedValueError)) throw e;
      return { damaged: { column: 'value_json', stored } };
    }
  }

  // ---- audit, integrity, backup ----

  /** Audit entries in chronological order: the last `limit` ones, optionally for one entity. */
  auditLog(opts: { limit?: number; entityType?: string; entityId?: string } = {}): AuditEntry[] {
    const limit = opts.limit ?? -1;
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (opts.entityType !== undefined) {
      where.push('entity_type = ?');
      params.push(opts.entityType);
    }
    if (opts.entityId !== undefined) {
      where.push('entity_id = ?');
      params.push(opts.entityId);
    }
    const sql = `SELECT * FROM (SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?) ORDER BY seq`;
    return this.q<(string | number)[], AuditRow>(sql)
      .all(...params, limit)
      .map(toEntry);
  }

  /** The last audit entry's number and hash (seq 0 and the genesis hash for an empty log). */
  auditHead(): AuditHead {
    return this.q<[], AuditHead>('SELECT seq, hash FROM audit_head WHERE one = 1').get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Verifies the audit chain (numbering, links, hashes, recorded head, optional external anchor),
   * then that stored model texts, run results and reports still hash to what their audit entries
   * recorded. Names the first bad entry.
   */
  verifyAudit(opts: { anchor?: AuditWitness | readonly AuditWitness[] } = {}): AuditVerification {
    const db = this.open();
    try {
      // One read transaction, so a concurrent writer cannot make the log and the data disagree.
      return db.transaction(() => this.damageInSnapshot() ?? this.verifyInSnapshot(opts.anchor)).deferred();
    } catch (e) {
      // A stored value ResetPath never writes (JSON that does not parse): damage at that row, named.
      if (e instanceof DamagedValueError) return damagedValueResult(e);
      const t = translateSqliteError(this.path, e);
      // SQLite met damage SQLite's quick check did not (inside a record): still damage, not tampering.
      if (t.code === 'damaged') return damagedResult(sqliteWords(e));
      throw t;
    }
  }

  /**
   * SQLite's quick check, run before the chain is judged: a damaged file (a bad disk, a cut copy)
   * is reported as damaged, with SQLite's words, and never as entries "altered". Damage inside a
   * stored value that leaves the file's structure intact cannot be told from an edit: SQLite keeps
   * no checksum of values, so the chain reports it.
   */
  private damageInSnapshot(): AuditVerification | undefined {
    let problems: string[];
    try {
      problems = this.q<[], { quick_check: string }>('PRAGMA quick_check').all().map((r) => r.quick_check);
    } catch (e) {
      if (translateSqliteError(this.path, e).code === 'damaged') return damagedResult(sqliteWords(e));
      throw e;
    }
    if (problems.length === 1 && problems[0] === 'ok') return undefined;
    // SQLite's rows may hold several lines each, under a "*** in database main ***" heading.
    const lines = problems.flatMap((p) => p.split('\n')).map((l) => l.trim()).filter((l) => l !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
    return damagedResult(lines[0] ?? 'quick_check failed', Math.max(0, lines.length - 1));
  }

  private verifyInSnapshot(anchor: AuditWitness | readonly AuditWitness[] | undefined): AuditVerification {
    const recorded = this.q<[], AuditHead>('SELECT seq, hash FROM audit_head WHERE one = 1').get();
    const state = new RecordedState();
    const rows = this.q<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate();
    const result = verifyChain(rows, recorded, anchor, (row) => state.observe(row));
    if (!result.ok) return result;
    const problem = state.check(this.path, <R>(sql: string) => this.q<[], R>(sql).iterate(), decodeResult);
    return problem ? { ...result, ok: false, firstBad: problem } : result;
  }

  /** Runs SQLite's full integrity check; returns its complaints (empty when the file is sound). */
  integrityCheck(): string[] {
    const rows = this.q<[], { integrity_check: string }>('PRAGMA integrity_check').all();
    const msgs = rows.map((r) => r.integrity_check);
    const fk = this.q<[], { table: string; rowid: number; parent: string }>('PRAGMA foreign_key_check').all();
    const out = msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
    for (const f of fk) out.push(`foreign key violation: ${f.table} row ${f.rowid} references a missing ${f.parent} row`);
    return out;
  }

  /**
   * Copies the whole workspace to `dest` with SQLite's online backup, which yields a consistent
   * snapshot even while this process keeps writing; the copy is checked and then renamed into place.
   */
  async backup(dest: string): Promise<BackupResult> {
    const db = this.open();
    if (existsSync(dest)) throw new WorkspaceError('already-exists', dest, 'already exists; choose a new backup file name');
    if (!existsSync(dirname(dest))) throw new WorkspaceError('not-found', dest, `folder ${dirname(dest)} does not exist`);
    const tmp = `${dest}.partial-${process.pid}`;
    removeDatabaseFiles(tmp);
    try {
      // Writes through this connection are folded into the copy as it goes; a write through any
      // other connection restarts the copy, so a read-only handle (someone else is the writer)
      // copies everything in one step rather than restart for as long as the writer keeps writing.
      await db.backup(tmp, { progress: () => (this.readOnly ? ALL_PAGES : 100) });
      const copy = Workspace.open(tmp, { readOnly: true, migrations: this.known, clock: this.clock, user: this.user });
      let head: AuditHead;
      try {
        const problems = copy.integrityCheck();
        if (problems.length) throw new WorkspaceError('damaged', dest, `backup failed its integrity check: ${problems[0]}`);
        head = copy.auditHead();
      } finally {
        copy.close();
        // The read-only check made an (empty) -wal and -shm beside the temporary name; a read-only
        // connection cannot remove them, and the copy needs neither (every page is in the file).
        for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
      }
      if (existsSync(dest)) throw new WorkspaceError('already-exists', dest, 'already exists; choose a new backup file name');
      renameSync(tmp, dest);
      return { path: dest, bytes: statSync(dest).size, auditHead: head };
    } catch (e) {
      removeDatabaseFiles(tmp);
      throw translateSqliteError(dest, e);
    }
  }

  // ---- plumbing ----

  private open(): Database.Database {
    if (!this.db) throw new WorkspaceError('closed', this.path, 'the workspace is closed');
    return this.db;
  }

  private writable(): Database.Database {
    const db = this.open();
    if (this.readOnly) throw new WorkspaceError('read-only', this.path, 'is open read-only; open it for writing to change it');
    return db;
  }

  /**
   * Prepared statements are cached: preparing costs more than running for these small queries.
   * SQLite fails while a statement runs too (a damaged page is met only when it is read), so what
   * is returned translates those failures into WorkspaceErrors naming the file, like prepare's.
   */
  private q<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      try {
        s = translatingStatement(this.path, this.open().prepare(sql) as Database.Statement<unknown[], unknown>);
      } catch (e) {
        throw translateSqliteError(this.path, e);
      }
      this.statements.set(sql, s);
    }
    return s as unknown as Database.Statement<P, R>;
  }

  /** Runs `fn` in one IMMEDIATE transaction; every audit entry it logs commits or rolls back with it. */
  private change<T>(fn: (log: Log, now: string) => T): T {
    const db = this.writable();
    const now = this.clock().toISOString();
    return inTransaction(
      db,
      this.path,
      () =>
        fn((entry) => {
          // A reason is shown in the log, the CLI and the UI: plain text only (models/displayText.ts).
          // Refused inside the transaction, so the change it came with is rolled back too.
          const problem = entry.reason === undefined || entry.reason === null ? null : plainTextProblem(entry.reason, { multiline: true });
          if (problem) throw new WorkspaceError('invalid-input', this.path, `reason ${problem}; nothing was changed`);
          appendAudit(db, now, this.user, entry);
        }, now),
    );
  }
}

/**
 * The statement's get/all/run/iterate with SQLite's failures while running (SQLITE_CORRUPT from a
 * damaged page, SQLITE_IOERR, SQLITE_FULL, ...) translated by translateSqliteError, so they reach
 * the user as one line naming the file and what to do, never as a raw SqliteError.
 */
function translatingStatement(file: string, s: Database.Statement<unknown[], unknown>): Database.Statement<unknown[], unknown> {
  const guarded = <A extends unknown[], T>(run: (...args: A) => T) =>
    (...args: A): T => {
      try {
        return run(...args);
      } catch (e) {
        throw translateSqliteError(file, e);
      }
    };
  function* iterate(...args: unknown[]): IterableIterator<unknown> {
    try {
      yield* s.iterate(...args);
    } catch (e) {
      throw translateSqliteError(file, e);
    }
  }
  return Object.assign(Object.create(s) as Database.Statement<unknown[], unknown>, {
    get: guarded((...args: unknown[]) => s.get(...args)),
    all: guarded((...args: unknown[]) => s.all(...args)),
    run: guarded((...args: unknown[]) => s.run(...args)),
    iterate,
  });
}

/**
 * Whether a read-only open must be immutable: when asked, or when nothing can be created in the
 * file's folder (read-only media, a folder this user may not write) and no shared-memory index is
 * there already. A plain read-only connection to a WAL file needs its -shm, and SQLite cannot make
 * one there; an existing one it can read. Immutable opening cannot read a write-ahead log, so a
 * file with a non-empty one is refused rather than shown without its latest changes.
 */
function openImmutably(path: string, options: WorkspaceOptions): boolean {
  if (options.readOnly === false && options.immutable) throw new WorkspaceError('invalid-input', path, 'immutable opening is read-only; do not ask for writing too');
  let why: string;
  if (options.immutable) why = 'when it is opened as immutable evidence';
  else {
    const folder = dirname(fileIdentity(path).real);
    if (folderWritable(folder) || existsSync(`${path}-shm`)) return false;
    why = `from its folder ${folder}, where nothing can be written`;
  }
  const wal = walBytes(path);
  if (wal > 0) {
    throw new WorkspaceError(
      'read-only',
      path,
      `has a write-ahead log (${basename(path)}-wal, ${wal} bytes) holding changes not yet in the file, and SQLite cannot read that log ${why}; copy the workspace together with its -wal and -shm files to a writable folder and open the copy`,
    );
  }
  return true;
}

/** Whether this process may write the file itself (its permissions, a read-only mount); root may write any. */
function writableByThisUser(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS';
  }
}

/** The verification of a file SQLite finds damaged: no entry is judged, and none is called altered. */
function damagedResult(sqliteMessage: string, more = 0): AuditVerification {
  const extra = more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '';
  return {
    ok: false,
    entries: 0,
    head: { seq: 0, hash: GENESIS_HASH },
    damaged: `${sqliteMessage}${extra}`,
    firstBad: { seq: 0, message: `the workspace file is damaged (SQLite: ${sqliteMessage}${extra}), so its audit log was not judged: damage is not evidence of tampering; restore the workspace from a backup (with ResetPath closed, delete its -wal and -shm files, then copy the backup over it)` },
  };
}

/** The verification of a workspace holding a value ResetPath never writes: damaged there, or edited by hand. */
function damagedValueResult(e: DamagedValueError): AuditVerification {
  return {
    ok: false,
    entries: 0,
    head: { seq: 0, hash: GENESIS_HASH },
    damaged: e.where,
    firstBad: {
      seq: 0,
      message: `the workspace is damaged: ${e.where}, which ResetPath never writes (damaged there, or edited by hand), so its audit log was not judged; delete or overwrite that entry, or restore the workspace from a backup (with ResetPath closed, delete its -wal and -shm files, then copy the backup over it)`,
    },
  };
}

/** SQLite's own message, also from a WorkspaceError that translated it (its cause). */
function sqliteWords(e: unknown): string {
  return firstLine(e instanceof WorkspaceError && e.cause !== undefined ? e.cause : e);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

/** A backup step large enough to copy any workspace at once (better-sqlite3 takes no negative count). */
const ALL_PAGES = 0x7fffffff;

interface Context {
  clock: () => Date;
  user: string;
  newId: () => string;
  known: readonly Migration[];
}

function context(o: WorkspaceOptions): Context {
  const known = o.migrations ?? MIGRATIONS;
  assertWellFormed(known);
  return { clock: o.clock ?? (() => new Date()), user: o.user ?? osUser(), newId: o.newId ?? randomUUID, known };
}

function binding(o: WorkspaceOptions): { nativeBinding?: string } {
  return o.nativeBinding ? { nativeBinding: o.nativeBinding } : {};
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers may run under a uid with no passwd entry.
    return process.env.USER ?? process.env.USERNAME ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

function inTransaction<T>(db: Database.Database, file: string, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    throw translateSqliteError(file, e);
  }
}

function formatFromName(file: string | undefined): ModelFormat | undefined {
  if (!file) return undefined;
  const ext = extname(file).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
}

function writeExport(m: ExportedModel, dest: string, overwrite: boolean): { path: string; bytes: number } {
  const buf = Buffer.from(m.text, 'utf8');
  try {
    writeFileSync(dest, buf, { flag: overwrite ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new WorkspaceError('already-exists', dest, 'already exists; pass overwrite to replace it');
    if (code === 'ENOENT') throw new WorkspaceError('not-found', dest, `folder ${dirname(dest)} does not exist`);
    throw new WorkspaceError('io', dest, `cannot write (${code ?? (e as Error).message})`, { cause: e });
  }
  return { path: dest, bytes: buf.length };
}

/**
 * Gives the finished file at `tmp` the name `dest`, failing with 'already-exists' rather than
 * replace a file that appeared there meanwhile: a hard link is made and the temporary name removed
 * (link() never replaces). On file systems without hard links it is renamed after a last check.
 */
function placeWithoutReplacing(tmp: string, dest: string): void {
  try {
    linkSync(tmp, dest);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new WorkspaceError('already-exists', dest, 'already exists; open it instead of creating it');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') {
      throw new WorkspaceError('io', dest, `cannot be created (${code ?? (e as Error).message})`, { cause: e });
    }
  }
  if (existsSync(dest)) throw new WorkspaceError('already-exists', dest, 'already exists; open it instead of creating it');
  renameSync(tmp, dest);
}

function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

function requireText(file: string, what: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw new WorkspaceError('invalid-input', file, `${what} must be non-empty text`);
}

/** One line of non-empty plain text (models/displayText.ts): names, contacts, tickets. */
function requireLine(file: string, what: string, value: unknown): void {
  requireText(file, what, value);
  const problem = plainTextProblem(value as string);
  if (problem) throw new WorkspaceError('invalid-input', file, `${what} ${problem}`);
}

/** Plain text that may hold line breaks: notes, justifications. */
function requirePlain(file: string, what: string, value: unknown): void {
  if (typeof value !== 'string') throw new WorkspaceError('invalid-input', file, `${what} must be text`);
  const problem = plainTextProblem(value, { multiline: true });
  if (problem) throw new WorkspaceError('invalid-input', file, `${what} ${problem}`);
}

/** YYYY-MM-DD naming a day that exists. */
function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function requireJsonObject(file: string, what: string, value: unknown): void {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WorkspaceError('invalid-input', file, `${what} must be the JSON text of an object`);
}

function toJson(file: string, what: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw new WorkspaceError('invalid-input', file, `${what} cannot be stored as JSON (${(e as Error).message})`);
  }
  if (json === undefined) throw new WorkspaceError('invalid-input', file, `${what} cannot be stored as JSON (it is ${typeof value})`);
  return json;
}

/** Keys that name an object's prototype machinery rather than data. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a value holding a key named __proto__, constructor or prototype, anywhere, naming where.
 * Settings have no schema of their own, so these are the keys that cannot be data: JSON.parse
 * makes "__proto__" an own key, which copying into a plain object drops silently (or turns into a
 * prototype), and code reading `value.constructor` would not get what was stored.
 */
function refusePrototypeKeys(file: string, what: string, value: unknown, path = 'value'): void {
  if (Array.isArray(value)) value.forEach((v, i) => refusePrototypeKeys(file, what, v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      const at = `${path}.${displayText(k)}`;
      if (PROTOTYPE_KEYS.has(k)) throw new WorkspaceError('invalid-input', file, `${what}: ${at}: the key "${k}" is refused (it names an object's prototype machinery, not data); nothing was changed`);
      refusePrototypeKeys(file, what, (value as Record<string, unknown>)[k], at);
    }
  }
}

function canonicalJsonOrThrow(file: string, what: string, value: unknown): string {
  toJson(file, what, value);
  return canonicalJson(value);
}

/**
 * Run results are stored gzip-compressed, base64 in the text column, behind a marker no JSON text
 * starts with: exact analyses list classes of paths with example routes, megabytes of repetitive
 * JSON for a 200-step workflow that compress about forty-fold. Results stored earlier as plain JSON
 * read as they are. The audit log hashes the JSON text either way.
 */
const GZIP_MARK = 'gzip;base64,';

function encodeResult(json: string): string {
  return GZIP_MARK + gzipSync(Buffer.from(json, 'utf8'), { level: 6 }).toString('base64');
}

/** The JSON text of a stored result; null when a compressed one is damaged or inflates past MAX_RESULT_BYTES. */
function decodeResult(stored: string): string | null {
  if (!stored.startsWith(GZIP_MARK)) return stored;
  try {
    return gunzipSync(Buffer.from(stored.slice(GZIP_MARK.length), 'base64'), { maxOutputLength: MAX_RESULT_BYTES }).toString('utf8');
  } catch {
    return null;
  }
}
