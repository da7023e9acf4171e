// Binding what a user sees to the audit chain. The chain proves its own entries; this proves that
// every row a user can see (settings, workflows and scenarios with their revisions, runs with their
// results, report snapshots, tabletop sessions and decisions, owner assignments, remediation items
// and sign-offs) is exactly what the entries recorded.
// verify replays the verified entries into the state they describe, field by field, each field
// remembering the entry that last recorded it, then compares every row: a field that differs was
// edited outside ResetPath, a row without an entry was added outside it, an entry whose row is gone
// was deleted outside it. Large contents (model texts, run results, report contents, notes) are
// compared by the SHA-256 their entries recorded.
// Not bound: the schema history (schema_migrations, guarded by its own checksums), the audit head
// (checked by the chain itself), and fields older entries did not record (a run's params and a
// revision's message were logged from issue 15 on; rows written before are checked without them).
import { canonicalJson, sha256, type AuditProblem, type AuditRow } from './audit.ts';
import type { ModelKind } from './modelfiles.ts';
import { MODEL_TABLES, ownerKey, parseStoredJson, toDecision, toSessionInfo, toSignOff, type DecisionRow, type OwnerRow, type RemediationRow, type RunRow as StoredRunRow, type SessionRow, type SignOffRow } from './rows.ts';
import { MAX_RESULT_BYTES } from './types.ts';

/** Runs a query and yields its rows (the workspace passes its cached statements). */
export type Query = <R>(sql: string) => Iterable<R>;

/** One field's recorded value (and its canonical JSON, computed once) and the entry that recorded it. */
interface Field {
  value: unknown;
  canonical: string;
  seq: number;
}

/** What the entries say one row holds; `seq` is the entry that created or last changed it. */
interface Expected {
  what: string;
  seq: number;
  fields: Map<string, Field>;
}

type Table = 'setting' | 'workflow' | 'workflow-revision' | 'scenario' | 'scenario-revision' | 'run' | 'report' | 'session' | 'decision' | 'owner' | 'remediation' | 'signoff';

/** The state the audit entries describe, built entry by entry while the chain verifies. */
export class RecordedState {
  private readonly rows = new Map<Table, Map<string, Expected>>();

  /** Folds one verified entry into the state. */
  observe(row: AuditRow): void {
    const after = parseObject(row.after_json);
    const stamp = { seq: row.seq, at: row.at, actor: row.actor };
    switch (row.entity_type) {
      case 'setting':
        if (row.action === 'delete') this.drop('setting', row.entity_id);
        else this.record('setting', row.entity_id, `setting "${row.entity_id}"`, stamp.seq, { value: row.after_json ?? 'null', updatedAt: stamp.at, updatedBy: stamp.actor });
        return;
      case 'workflow':
      case 'scenario':
        return this.observeModel(row.entity_type, row, after);
      case 'run':
        if (row.action === 'delete') return this.drop('run', row.entity_id);
        if (row.action === 'create' && after) {
          const { sha256: result, ...view } = after;
          this.record('run', row.entity_id, `run "${row.entity_id}"`, stamp.seq, { ...view, resultSha256: result, createdAt: stamp.at, author: stamp.actor });
        }
        return;
      case 'report':
        if (row.action === 'delete') return this.drop('report', row.entity_id);
        if (row.action === 'create' && after) {
          const { sha256: content, ...view } = after;
          this.record('report', row.entity_id, `report snapshot "${row.entity_id}"`, stamp.seq, { ...view, contentSha256: content, createdAt: stamp.at, author: stamp.actor });
        }
        return;
      case 'tabletop_session':
        if (!after) return;
        if (row.action === 'update-notes') {
          if (typeof after.notes === 'string') this.record('session', row.entity_id, sessionName(row.entity_id), stamp.seq, { notesSha256: sha256(after.notes) });
          return;
        }
        this.record('session', row.entity_id, sessionName(row.entity_id), stamp.seq, after);
        return;
      case 'tabletop_decision': {
        if (row.action !== 'record' || !after) return;
        const cut = row.entity_id.lastIndexOf('#');
        this.record('decision', row.entity_id, `decision ${row.entity_id.slice(cut + 1)} of ${sessionName(row.entity_id.slice(0, cut))}`, stamp.seq, after);
        return;
      }
      case 'owner':
        if (row.action === 'delete') return this.drop('owner', row.entity_id);
        if (after) this.record('owner', row.entity_id, `owner assignment "${row.entity_id}"`, stamp.seq, { ...after, updatedAt: stamp.at, updatedBy: stamp.actor });
        return;
      case 'remediation':
        if (after) this.record('remediation', row.entity_id, `remediation item "${row.entity_id}"`, stamp.seq, { ...after, updatedAt: stamp.at, updatedBy: stamp.actor });
        return;
      case 'signoff':
        if (row.action === 'create' && after) this.record('signoff', row.entity_id, `sign-off "${row.entity_id}"`, stamp.seq, { ...after, signedAt: stamp.at, recordedBy: stamp.actor });
        return;
      default:
      // Workspace creation and migrations describe no user row.
    }
  }

  private observeModel(kind: ModelKind, row: AuditRow, after: Record<string, unknown> | null): void {
    const id = row.entity_id;
    const head = this.table(kind).get(id);
    if (row.action === 'delete') {
      if (head) this.record(kind, id, head.what, row.seq, { deletedAt: row.at });
      return;
    }
    const revision = after?.revision;
    if (typeof revision !== 'number' || !after) return;
    this.record(kind, id, `${kind} "${id}"`, row.seq, { latestRevision: revision, deletedAt: null, ...(head ? {} : { createdAt: row.at }) });
    const { revision: _revision, sha256: text, ...view } = after;
    this.record(`${kind}-revision`, `${id}#${revision}`, `${kind} "${id}" revision ${revision}`, row.seq, { ...view, sourceSha256: text, createdAt: row.at, author: row.actor });
  }

  private table(t: Table): Map<string, Expected> {
    let m = this.rows.get(t);
    if (!m) this.rows.set(t, (m = new Map()));
    return m;
  }

  private record(t: Table, key: string, what: string, seq: number, fields: Record<string, unknown>): void {
    const table = this.table(t);
    let e = table.get(key);
    if (!e) table.set(key, (e = { what, seq, fields: new Map() }));
    e.seq = seq;
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) e.fields.set(name, { value, canonical: canonical(value), seq });
  }

  private drop(t: Table, key: string): void {
    this.table(t).delete(key);
  }

  /**
   * Compares every user-visible row with the recorded state; returns the first difference.
   * `decode` turns a stored run result into the JSON text that was hashed (null when damaged).
   * A stored JSON column that does not parse throws DamagedValueError (naming `file`, the table,
   * row and column): damage, or an edit by hand, that no entry can have recorded.
   */
  check(file: string, query: Query, decode: (stored: string) => string | null): AuditProblem | undefined {
    return (
      this.compare('setting', query<{ key: string; value_json: string; updated_at: string; updated_by: string }>('SELECT key, value_json, updated_at, updated_by FROM settings ORDER BY key'), (r) => {
        parseStoredJson(file, 'settings', r.key, 'value_json', r.value_json); // compared as text, but it must be JSON
        return [r.key, `setting "${r.key}"`, { value: r.value_json, updatedAt: r.updated_at, updatedBy: r.updated_by }];
      }) ??
      this.checkModels('workflow', query) ??
      this.checkModels('scenario', query) ??
      this.compare(
        'run',
        query<RunRow>(
          'SELECT r.*, x.result_json FROM runs r LEFT JOIN run_results x ON x.run_id = r.id ORDER BY r.id',
        ),
        (r) => {
          const json = r.result_json === null ? null : decode(r.result_json);
          return [
            r.id,
            `run "${r.id}"`,
            {
              kind: r.kind,
              label: r.label,
              workflow: { id: r.workflow_id, revision: r.workflow_revision, sha256: r.workflow_sha256 },
              scenarioIds: parseStoredJson(file, 'runs', r.id, 'scenario_ids_json', r.scenario_ids_json),
              params: parseStoredJson(file, 'runs', r.id, 'params_json', r.params_json),
              summary: parseStoredJson(file, 'runs', r.id, 'summary_json', r.summary_json),
              resultSha256: r.result_sha256,
              bytes: r.result_bytes,
              createdAt: r.created_at,
              author: r.author,
            },
            // The result itself, by the hash its entry recorded.
            {
              field: 'resultSha256',
              actual: json === null ? null : sha256(json),
              problem: (seq: number, recorded: string, actual: string | null) =>
                actual === null
                  ? r.result_json === null
                    ? `audit entry ${seq} records the result of run "${r.id}", but the workspace no longer holds it: it was deleted outside ResetPath`
                    : `the stored result of run "${r.id}" is damaged (it does not decompress, or decompresses to more than the ${MAX_RESULT_BYTES / 1024 / 1024} MiB a result may hold)`
                  : contentProblem(seq, `the result of run "${r.id}"`, recorded, actual),
            },
          ];
        },
      ) ??
      this.compare(
        'report',
        query<{ id: string; title: string; run_id: string | null; format: string; content: string; content_sha256: string; created_at: string; author: string }>('SELECT * FROM report_snapshots ORDER BY id'),
        (r) => [
          r.id,
          `report snapshot "${r.id}"`,
          { title: r.title, runId: r.run_id, format: r.format, contentSha256: r.content_sha256, createdAt: r.created_at, author: r.author },
          { field: 'contentSha256', actual: sha256(r.content), problem: (seq, recorded, actual) => contentProblem(seq, `report snapshot "${r.id}"`, recorded, actual!) },
        ],
      ) ??
      this.compare('session', query<SessionRow>('SELECT * FROM tabletop_sessions ORDER BY id'), (r) => {
        // The notes are bound by their hash, as the session's entries record them.
        const { notes, ...info } = toSessionInfo(r);
        return [r.id, sessionName(r.id), { ...info, notesSha256: sha256(notes) }];
      }) ??
      this.compare('decision', query<DecisionRow>('SELECT * FROM tabletop_decisions ORDER BY session_id, seq'), (r) => [
        `${r.session_id}#${r.seq}`,
        `decision ${r.seq} of ${sessionName(r.session_id)}`,
        { ...toDecision(r) },
      ]) ??
      this.compare('owner', query<OwnerRow>('SELECT * FROM owner_assignments ORDER BY role, workflow_id'), (r) => {
        const key = ownerKey(r.role, r.workflow_id === '' ? null : r.workflow_id);
        return [key, `owner assignment "${key}"`, { name: r.name, contact: r.contact, updatedAt: r.updated_at, updatedBy: r.updated_by }];
      }) ??
      this.compare('remediation', query<RemediationRow>('SELECT * FROM remediation_items ORDER BY workflow_id, control_id'), (r) => [
        `${r.workflow_id}#${r.control_id}`,
        `remediation item "${r.workflow_id}#${r.control_id}"`,
        { status: r.status, due: r.due_date, ticket: r.ticket, notes: r.notes, updatedAt: r.updated_at, updatedBy: r.updated_by },
      ]) ??
      this.compare('signoff', query<SignOffRow>('SELECT * FROM report_signoffs ORDER BY id'), (r) => {
        const { id: _id, ...view } = toSignOff(r);
        return [r.id, `sign-off "${r.id}"`, view];
      })
    );
  }

  private checkModels(kind: ModelKind, query: Query): AuditProblem | undefined {
    const t = MODEL_TABLES[kind];
    return (
      this.compare(kind, query<{ id: string; latest_revision: number; created_at: string; deleted_at: string | null }>(`SELECT * FROM ${t.head} ORDER BY id`), (r) => [
        r.id,
        `${kind} "${r.id}"`,
        { latestRevision: r.latest_revision, createdAt: r.created_at, deletedAt: r.deleted_at },
      ]) ??
      this.compare(
        `${kind}-revision`,
        query<{ id: string; revision: number; name: string; format: string; source_text: string; source_sha256: string; source_file: string | null; message: string | null; created_at: string; author: string }>(
          `SELECT ${t.fk} AS id, revision, name, format, source_text, source_sha256, source_file, message, created_at, author FROM ${t.revisions} ORDER BY ${t.fk}, revision`,
        ),
        (r) => [
          `${r.id}#${r.revision}`,
          `${kind} "${r.id}" revision ${r.revision}`,
          {
            name: r.name,
            format: r.format,
            sourceSha256: r.source_sha256,
            bytes: Buffer.byteLength(r.source_text, 'utf8'),
            file: r.source_file,
            message: r.message,
            createdAt: r.created_at,
            author: r.author,
          },
          { field: 'sourceSha256', actual: sha256(r.source_text), problem: (seq, recorded, actual) => contentProblem(seq, `${kind} "${r.id}" revision ${r.revision}`, recorded, actual!) },
        ],
      )
    );
  }

  /**
   * Compares one table's rows with what the entries recorded for it. `view` maps a row to its key,
   * its name in messages, its fields as the entries name them, and optionally a content check (the
   * hash of the stored content itself against the hash the entry recorded).
   */
  private compare<R>(
    t: Table,
    rows: Iterable<R>,
    view: (r: R) => [string, string, Record<string, unknown>, ContentCheck?],
  ): AuditProblem | undefined {
    const expected = this.table(t);
    const seen = new Set<string>();
    for (const r of rows) {
      const [key, what, actual, content] = view(r);
      seen.add(key);
      const e = expected.get(key);
      if (!e) return { seq: 0, message: `${what} has no audit entry: it was added outside ResetPath` };
      // The content first: an edited text is best named as such, not by its changed size.
      if (content) {
        const f = e.fields.get(content.field);
        if (f && typeof f.value === 'string' && content.actual !== f.value) return { seq: f.seq, message: content.problem(f.seq, f.value, content.actual) };
      }
      for (const [name, f] of e.fields) {
        if (!(name in actual)) continue;
        if (f.canonical !== canonical(actual[name])) {
          return { seq: f.seq, message: `audit entry ${f.seq} records ${what} with ${name} ${show(name, f.value)}, but the workspace holds ${show(name, actual[name])}: it was edited outside ResetPath` };
        }
      }
    }
    for (const [key, e] of expected) {
      if (!seen.has(key)) return { seq: e.seq, message: `audit entry ${e.seq} records ${e.what}, but the workspace no longer holds it: it was deleted outside ResetPath` };
    }
    return undefined;
  }
}

interface ContentCheck {
  field: string;
  actual: string | null;
  problem: (seq: number, recorded: string, actual: string | null) => string;
}

/** A run row as verification reads it: with its stored result. */
type RunRow = StoredRunRow & { result_json: string | null };

/** canonicalJson, without its key sorting for the strings, numbers and nulls most fields hold. */
function canonical(value: unknown): string {
  return value === null || typeof value !== 'object' ? (JSON.stringify(value) ?? 'undefined') : canonicalJson(value);
}

function contentProblem(seq: number, what: string, recorded: string, actual: string): string {
  return `audit entry ${seq} records ${what} with SHA-256 ${recorded.slice(0, 12)}, but the stored content hashes to ${actual.slice(0, 12)}: it was edited outside ResetPath`;
}

function sessionName(id: string): string {
  return `tabletop session "${id}"`;
}

/** A recorded or held value for a message: hashes shortened, long values clipped, one line. */
function show(field: string, value: unknown): string {
  if (field === 'value' && typeof value === 'string') return clip(value); // a setting's JSON text as stored
  if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) return value.slice(0, 12);
  return clip(canonicalJson(value) ?? 'undefined');
}

function clip(s: string): string {
  const line = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function parseObject(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
