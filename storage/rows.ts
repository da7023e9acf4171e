// Row shapes of the workspace tables and their mapping to the API types (snake_case columns to
// camelCase fields, JSON columns parsed).
import { DamagedValueError } from './errors.ts';
import type { ModelFormat, ModelKind } from './modelfiles.ts';
import type { OwnerAssignment, RemediationItem, RemediationStatus, ReportSnapshotInfo, RevisionInfo, RunInfo, SignOff, SignOffDecision, TabletopDecision, TabletopSessionInfo } from './types.ts';

/** Workflows and scenarios share one shape: a head row per id and immutable revisions. */
export const MODEL_TABLES: Record<ModelKind, { head: string; revisions: string; fk: string }> = {
  workflow: { head: 'workflows', revisions: 'workflow_revisions', fk: 'workflow_id' },
  scenario: { head: 'scenarios', revisions: 'scenario_revisions', fk: 'scenario_id' },
} as const;

export interface RevisionRow {
  id: string;
  revision: number;
  name: string;
  format: ModelFormat;
  source_sha256: string;
  bytes: number;
  source_file: string | null;
  message: string | null;
  created_at: string;
  author: string;
}

export interface RunRow {
  id: string;
  kind: string;
  label: string | null;
  workflow_id: string;
  workflow_revision: number | null;
  workflow_sha256: string | null;
  scenario_ids_json: string;
  params_json: string;
  summary_json: string;
  result_sha256: string;
  result_bytes: number;
  created_at: string;
  author: string;
}

export interface SessionRow {
  id: string;
  title: string;
  scenario_id: string;
  scenario_revision: number | null;
  workflow_id: string | null;
  workflow_revision: number | null;
  facilitator: string;
  status: 'open' | 'closed';
  notes: string;
  started_at: string;
  closed_at: string | null;
  created_by: string;
  setup: string;
}

export interface DecisionRow {
  session_id: string;
  seq: number;
  at_minute: number;
  inject_title: string | null;
  prompt: string;
  choice: string;
  rationale: string | null;
  decided_by: string | null;
  recorded_at: string;
  recorded_by: string;
  point: string | null;
}

export interface ReportRow {
  id: string;
  title: string;
  run_id: string | null;
  format: string;
  content_sha256: string;
  created_at: string;
  author: string;
}

export function toRevisionInfo(r: RevisionRow): RevisionInfo {
  return {
    id: r.id,
    revision: r.revision,
    name: r.name,
    format: r.format,
    sha256: r.source_sha256,
    bytes: r.bytes,
    file: r.source_file,
    message: r.message,
    createdAt: r.created_at,
    author: r.author,
  };
}

/**
 * Parses a JSON column as stored; a value that does not parse (the file was damaged there, or
 * edited by hand) throws the workspace's DamagedValueError naming the file, table, row and column.
 * Every stored JSON column is read through this, never through a bare JSON.parse.
 */
export function parseStoredJson(file: string, table: string, row: string, column: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DamagedValueError(file, table, row, column, e instanceof Error ? e.message : String(e));
  }
}

/** A run as stored; throws DamagedValueError when one of its JSON columns does not parse. */
export function toRunInfo(file: string, r: RunRow): RunInfo {
  const { info, error } = readRun(file, r);
  if (error) throw error;
  return info;
}

/**
 * A run as stored, for listings and deletion: a JSON column that does not parse does not fail the
 * whole listing; the run comes back with `damaged` saying which column and why, and the damaged
 * column (with any other damaged one) reads as null, or [] for the scenario ids.
 */
export function toRunInfoOrDamaged(file: string, r: RunRow): RunInfo {
  const { info, error } = readRun(file, r);
  return error ? { ...info, damaged: error.message } : info;
}

/** A run's fields and the first of its JSON columns that does not parse, if any. */
export function readRun(file: string, r: RunRow): { info: RunInfo; error?: DamagedValueError } {
  let error: DamagedValueError | undefined;
  const column = (name: 'scenario_ids_json' | 'params_json' | 'summary_json', fallback: unknown): unknown => {
    try {
      return parseStoredJson(file, 'runs', r.id, name, r[name]);
    } catch (e) {
      if (!(e instanceof DamagedValueError)) throw e;
      error ??= e;
      return fallback;
    }
  };
  const info: RunInfo = {
    id: r.id,
    kind: r.kind,
    label: r.label,
    workflow: { id: r.workflow_id, revision: r.workflow_revision, sha256: r.workflow_sha256 },
    scenarioIds: column('scenario_ids_json', []) as string[],
    params: column('params_json', null),
    summary: column('summary_json', null),
    resultSha256: r.result_sha256,
    resultBytes: r.result_bytes,
    createdAt: r.created_at,
    author: r.author,
  };
  return error ? { info, error } : { info };
}

/** What the audit log keeps of a run: everything but the result, which it binds by hash. */
export function runAuditView(r: RunInfo): unknown {
  return { kind: r.kind, label: r.label, workflow: r.workflow, scenarioIds: r.scenarioIds, params: r.params, summary: r.summary, sha256: r.resultSha256, bytes: r.resultBytes };
}

export function toSessionInfo(r: SessionRow): TabletopSessionInfo {
  return {
    id: r.id,
    title: r.title,
    scenario: { id: r.scenario_id, revision: r.scenario_revision },
    workflow: r.workflow_id === null ? null : { id: r.workflow_id, revision: r.workflow_revision },
    facilitator: r.facilitator,
    status: r.status,
    notes: r.notes,
    startedAt: r.started_at,
    closedAt: r.closed_at,
    createdBy: r.created_by,
    // Sessions created before the exercise setup existed have none (and their audit entries record none).
    ...(r.setup !== '{}' ? { setup: r.setup } : {}),
  };
}

export function toDecision(r: DecisionRow): TabletopDecision {
  return {
    sessionId: r.session_id,
    seq: r.seq,
    atMinute: r.at_minute,
    injectTitle: r.inject_title,
    prompt: r.prompt,
    choice: r.choice,
    rationale: r.rationale,
    decidedBy: r.decided_by,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    ...(r.point !== null ? { point: r.point } : {}),
  };
}

export function toReportInfo(r: ReportRow): ReportSnapshotInfo {
  return { id: r.id, title: r.title, runId: r.run_id, format: r.format, contentSha256: r.content_sha256, createdAt: r.created_at, author: r.author };
}

export interface OwnerRow {
  role: string;
  workflow_id: string;
  name: string;
  contact: string | null;
  updated_at: string;
  updated_by: string;
}

export interface RemediationRow {
  workflow_id: string;
  control_id: string;
  status: RemediationStatus;
  due_date: string | null;
  ticket: string | null;
  notes: string;
  updated_at: string;
  updated_by: string;
}

export interface SignOffRow {
  id: string;
  report_id: string;
  scope: string;
  signed_by: string;
  decision: SignOffDecision;
  justification: string;
  signed_at: string;
  recorded_by: string;
}

/** An owner assignment's key in the audit log: the role, then `@` and the workflow, or `@*` for the workspace. */
export function ownerKey(role: string, workflow: string | null): string {
  return `${role}@${workflow ?? '*'}`;
}

export function toOwner(r: OwnerRow): OwnerAssignment {
  return { role: r.role, workflow: r.workflow_id === '' ? null : r.workflow_id, name: r.name, contact: r.contact, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

export function toRemediation(r: RemediationRow): RemediationItem {
  return { workflow: r.workflow_id, control: r.control_id, status: r.status, due: r.due_date, ticket: r.ticket, notes: r.notes, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

export function toSignOff(r: SignOffRow): SignOff {
  return { id: r.id, reportId: r.report_id, scope: r.scope, signedBy: r.signed_by, decision: r.decision, justification: r.justification, signedAt: r.signed_at, recordedBy: r.recorded_by };
}
