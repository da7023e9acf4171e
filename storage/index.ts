// Public surface of storage/: the SQLite workspace, its migrations and its tamper-evident audit log.
export { Workspace } from './workspace.ts';
export { MAX_RESULT_BYTES, REMEDIATION_STATUSES, SIGNOFF_DECISIONS } from './types.ts';
export type {
  BackupResult,
  OwnerAssignment,
  OwnerAssignmentInput,
  RemediationInput,
  RemediationItem,
  RemediationStatus,
  SignOff,
  SignOffDecision,
  SignOffInput,
  ExportedModel,
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
  WorkflowRef,
  WorkspaceOptions,
} from './types.ts';
export { WorkspaceError, ModelRejectedError, DamagedValueError, type WorkspaceErrorCode } from './errors.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { migrationChecksum, APPLICATION_ID } from './migrate.ts';
export { GENESIS_HASH, canonicalJson, entryHash, verifyChain, type AuditEntry, type AuditHead, type AuditProblem, type AuditRow, type AuditVerification, type AuditWitness } from './audit.ts';
export { displayTextProblem, type ModelFormat, type ModelKind } from './modelfiles.ts';
export type { LockHolder } from './lock.ts';
