// Every failure storage/ reports is a WorkspaceError: one line that names the file and the problem,
// plus a machine-readable code so callers (CLI exit codes, the backend) can branch without parsing text.
import type { ModelIssue } from '../models/index.ts';

export type WorkspaceErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'not-a-file'
  | 'not-sqlite'
  | 'not-a-workspace'
  | 'truncated'
  | 'damaged'
  | 'newer-version'
  | 'migration-mismatch'
  | 'needs-upgrade'
  | 'locked'
  | 'hard-linked'
  | 'read-only'
  | 'closed'
  | 'native-module'
  | 'invalid-file'
  | 'invalid-input'
  | 'unknown-entity'
  | 'io';

/** A workspace could not be opened, read or changed; `message` is one line naming the file. */
export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  readonly file: string;
  /** `location` replaces the file name at the start of the message, e.g. "file.yaml:3:7". */
  constructor(code: WorkspaceErrorCode, file: string, problem: string, options?: { cause?: unknown; location?: string }) {
    super(`${options?.location ?? file}: ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WorkspaceError';
    this.code = code;
    this.file = file;
  }
}

/** A model file was refused on import or save; `issues` are the loader's located issues. */
export class ModelRejectedError extends WorkspaceError {
  readonly issues: ModelIssue[];
  constructor(file: string, issues: ModelIssue[]) {
    const first = issues[0];
    const where = first?.line !== undefined ? `:${first.line}:${first.column ?? 1}` : '';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    const problem = `${oneLine(first?.message ?? 'invalid file')}${first?.path ? ` (at ${first.path})` : ''}${more}; nothing was saved`;
    super('invalid-file', file, problem, { location: `${first?.file ?? file}${where}` });
    this.name = 'ModelRejectedError';
    this.issues = issues;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
