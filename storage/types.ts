// The public types of the workspace API: what callers pass in and get back. Plain data, so the
// backend can map them onto the contract without knowing about SQLite.
import type { AuditHead } from './audit.ts';
import type { Migration } from './migrations.ts';
import type { ModelFormat } from './modelfiles.ts';

export interface WorkspaceOptions {
  /** Source of every timestamp written; injected so tests are deterministic. */
  clock?: () => Date;
  /** Recorded as author and audit actor; defaults to the OS user. */
  user?: string;
  /** Ids for runs, tabletop sessions and report snapshots; defaults to random UUIDs. */
  newId?: () => string;
  /** Path of a better_sqlite3.node built for the running runtime (Electron); see README. */
  nativeBinding?: string;
  /** Open without the writer lock; every change is refused. Only for open(). */
  readOnly?: boolean;
  /**
   * Open as immutable evidence (implies readOnly): no lock is taken and nothing is created or
   * changed beside the file (no -wal or -shm), so it works on read-only media and leaves an
   * evidence copy exactly as it was. Refused when the file has a non-empty write-ahead log, which
   * SQLite cannot read this way. Only for open().
   */
  immutable?: boolean;
  /** The schema history to apply; only tests of the migration runner pass their own. */
  migrations?: readonly Migration[];
}

/** One revision of a workflow or scenario, without its text. */
export interface RevisionInfo {
  id: string;
  revision: number;
  name: string;
  format: ModelFormat;
  sha256: string;
  bytes: number;
  /** File name the revision was imported from, if any. */
  file: string | null;
  message: string | null;
  createdAt: string;
  author: string;
}

/** One revision with its exact source text. */
export interface ModelRevision extends RevisionInfo {
  text: string;
}

export interface SaveModelResult extends RevisionInfo {
  /** True when the text equalled the latest revision, so nothing was written. */
  unchanged: boolean;
}

/** A workflow or scenario as listed: its latest revision. */
export interface ModelSummary {
  id: string;
  name: string;
  latestRevision: number;
  format: ModelFormat;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  deleted: boolean;
}

export interface SaveModelInput {
  /** The file text, kept byte for byte. */
  text: string;
  /** Defaults to the file name's extension, else sniffed from the text. */
  format?: ModelFormat;
  /** File name (for messages and export); a path is reduced to its base name. */
  file?: string;
  /** Refuse the save when the text's id differs (an editor saving workflow X). */
  expectId?: string;
  /** Commit-style message kept with the revision. */
  message?: string;
  /** Why, for the audit log. */
  reason?: string;
}

export interface ExportedModel {
  id: string;
  revision: number;
  format: ModelFormat;
  text: string;
  /** Suggested file name: the id with the original extension. */
  fileName: string;
}

/** Which workflow a run analysed: a workspace revision, or a bundled one (revision null). */
export interface WorkflowRef {
  id: string;
  revision?: number | null;
  sha256?: string | null;
}

export interface SaveRunInput {
  kind: string;
  label?: string;
  workflow: WorkflowRef;
  scenarioIds?: string[];
  params?: unknown;
  summary?: unknown;
  result: unknown;
  reason?: string;
}

export interface RunInfo {
  id: string;
  kind: string;
  label: string | null;
  workflow: { id: string; revision: number | null; sha256: string | null };
  scenarioIds: string[];
  params: unknown;
  summary: unknown;
  resultSha256: string;
  resultBytes: number;
  createdAt: string;
  author: string;
  /**
   * Set in listings (and getRunInfo) when one of the run's stored JSON columns does not parse: the
   * file was damaged there or edited by hand. Says which column; the run can still be deleted.
   */
  damaged?: string;
}

export interface Run extends RunInfo {
  result: unknown;
}

export interface TabletopSessionInput {
  title: string;
  scenario: { id: string; revision?: number | null };
  workflow?: { id: string; revision?: number | null };
  facilitator?: string;
  notes?: string;
  /** The exercise's setup as JSON text (route, participants, verdict visibility, edits); the backend owns its shape. */
  setup?: string;
  reason?: string;
}

export interface TabletopSessionInfo {
  id: string;
  title: string;
  scenario: { id: string; revision: number | null };
  workflow: { id: string; revision: number | null } | null;
  facilitator: string;
  status: 'open' | 'closed';
  notes: string;
  startedAt: string;
  closedAt: string | null;
  createdBy: string;
  /** JSON text of the exercise setup; absent for sessions recorded before exercises had one. */
  setup?: string;
}

export interface TabletopDecisionInput {
  atMinute: number;
  injectTitle?: string;
  prompt: string;
  choice: string;
  rationale?: string;
  decidedBy?: string;
  /** The exercise's decision point the entry answers (absent for entries that answer none: undo, pause, an inject released). */
  point?: string;
}

export interface TabletopDecision {
  sessionId: string;
  seq: number;
  atMinute: number;
  injectTitle: string | null;
  prompt: string;
  choice: string;
  rationale: string | null;
  decidedBy: string | null;
  recordedAt: string;
  recordedBy: string;
  point?: string;
}

export interface TabletopSession extends TabletopSessionInfo {
  decisions: TabletopDecision[];
}

export interface ReportSnapshotInput {
  title: string;
  /** e.g. json, markdown, html, csv. */
  format: string;
  content: string;
  runId?: string | null;
  reason?: string;
}

export interface ReportSnapshotInfo {
  id: string;
  title: string;
  runId: string | null;
  format: string;
  contentSha256: string;
  createdAt: string;
  author: string;
}

export interface ReportSnapshot extends ReportSnapshotInfo {
  content: string;
}

export interface BackupResult {
  path: string;
  bytes: number;
  /** Head of the audit log in the backup, to record as an anchor. */
  auditHead: AuditHead;
}

/** A catalogue owner role assigned to a person or team, workspace-wide (workflow null) or for one workflow. */
export interface OwnerAssignment {
  role: string;
  /** null: every workflow of the workspace; an id: that workflow only, overriding the workspace-wide one. */
  workflow: string | null;
  name: string;
  contact: string | null;
  updatedAt: string;
  updatedBy: string;
}

export interface OwnerAssignmentInput {
  role: string;
  workflow?: string | null;
  name: string;
  contact?: string | null;
  reason?: string;
}

export const REMEDIATION_STATUSES = ['open', 'planned', 'in_progress', 'done', 'risk_accepted'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

/** The remediation of one gap: the control missing from one workflow. */
export interface RemediationItem {
  workflow: string;
  control: string;
  status: RemediationStatus;
  /** YYYY-MM-DD, or null. */
  due: string | null;
  ticket: string | null;
  notes: string;
  updatedAt: string;
  updatedBy: string;
}

export interface RemediationInput {
  workflow: string;
  control: string;
  status: RemediationStatus;
  due?: string | null;
  ticket?: string | null;
  notes?: string;
  reason?: string;
}

export const SIGNOFF_DECISIONS = ['accept', 'remediate', 'transfer'] as const;
export type SignOffDecision = (typeof SIGNOFF_DECISIONS)[number];

/** A sign-off: final, bound to one stored report snapshot. */
export interface SignOff {
  id: string;
  reportId: string;
  /** What the report covered (the backend's scope key), to find the previous sign-off of the same scope. */
  scope: string;
  signedBy: string;
  decision: SignOffDecision;
  justification: string;
  signedAt: string;
  recordedBy: string;
}

export interface SignOffInput {
  /** The report to store and sign. */
  report: ReportSnapshotInput;
  scope: string;
  signedBy: string;
  decision: SignOffDecision;
  justification: string;
  reason?: string;
}

/**
 * The largest run result the workspace stores, and so the most a stored one may decompress to: a
 * 400-step analysis is a few MB. A crafted file's few MB of gzip could otherwise inflate to gigabytes
 * and take the process down with it, past any catch (V8 aborts on a string that long).
 */
export const MAX_RESULT_BYTES = 256 * 1024 * 1024;
