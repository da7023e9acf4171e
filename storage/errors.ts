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

/**
 * A value stored in the workspace is not what ResetPath writes there (a JSON column that does not
 * parse): the file was damaged at that spot or edited by hand. Names the table, the row and the
 * column, so a listing can show that one row as damaged and verify can report where.
 */
export class DamagedValueError extends WorkspaceError {
  readonly table: string;
  readonly row: string;
  readonly column: string;
  /** The problem without the file name: "runs row "x": summary_json is not JSON (...)". */
  readonly where: string;
  constructor(file: string, table: string, row: string, column: string, detail: string) {
    const where = `${table} row ${JSON.stringify(row)}: ${column} is not JSON (${oneLine(detail)})`;
    super('damaged', file, `is damaged: ${where}, which ResetPath never writes: the file was damaged there or edited by hand; delete or overwrite that entry, or restore the workspace from a backup`);
    this.name = 'DamagedValueError';
    this.table = table;
    this.row = row;
    this.column = column;
    this.where = where;
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
