// How a failure crosses from backend/ to any caller: the contract's ApiErrorBody, with the message
// of a deliberate refusal passed through and anything unexpected reduced to a generic line (its
// detail goes to the log). Shared by dispatch() and the whole-workspace file operations.
import { ApiError, type ApiErrorBody, type ApiModelIssue } from '../contract/index.ts';
import type { ModelIssue } from '../models/index.ts';
import { ModelRejectedError, WorkspaceError } from '../storage/index.ts';

/**
 * Maps anything a handler threw onto the body that crosses the boundary. Deliberate errors
 * (ApiError, the workspace's one-line WorkspaceError messages) pass their message through; anything
 * else is a bug whose detail goes to the log only, so no stack or internal path reaches the UI.
 */
export function toApiErrorBody(e: unknown, key: string, log: (line: string) => void): ApiErrorBody {
  if (e instanceof ApiError) return e.toBody();
  if (e instanceof ModelRejectedError) return { code: 'invalid_model', message: e.message, issues: apiIssues(e.issues) };
  if (e instanceof WorkspaceError) {
    switch (e.code) {
      case 'not-found':
      case 'unknown-entity':
        return { code: 'not_found', message: e.message };
      case 'read-only':
      case 'locked':
      case 'hard-linked':
      case 'already-exists':
      case 'closed':
        return { code: 'conflict', message: e.message };
      case 'invalid-input':
      case 'invalid-file':
      case 'not-a-file':
        return { code: 'bad_request', message: e.message };
      default:
        // A damaged or unreadable workspace: the message is written for users, but it is still a
        // failure of the backend, not of the request.
        log(`resetpath backend: ${key}: ${e.message}`);
        return { code: 'internal', message: e.message };
    }
  }
  log(`resetpath backend: ${key}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { code: 'internal', message: 'internal error; the details are in the backend log' };
}

/** The loader's located issues as the contract carries them. */
export function apiIssues(issues: readonly ModelIssue[]): ApiModelIssue[] {
  return issues.map((i) => ({
    file: i.file,
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(i.column !== undefined ? { column: i.column } : {}),
    path: i.path,
    message: i.message,
  }));
}
