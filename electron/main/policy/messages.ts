// Texts the shell shows in native dialogs, built from the contract's error body so a refused
// import reads the same as in the UI: where in the file, and what is wrong.
import type { ApiErrorBody } from '../../../contract/index.ts';

/** At most this many located issues are listed in a dialog; the rest are counted. */
export const MAX_LISTED_ISSUES = 8;

/** The detail text of a dialog reporting a failed call. */
export function describeFailure(error: ApiErrorBody): string {
  const issues = error.issues ?? [];
  const lines = issues.slice(0, MAX_LISTED_ISSUES).map((i) => {
    const at = i.line !== undefined ? `:${i.line}${i.column !== undefined ? `:${i.column}` : ''}` : '';
    return `${i.file}${at}: ${i.message}${i.path ? ` (at ${i.path})` : ''}`;
  });
  if (issues.length > MAX_LISTED_ISSUES) lines.push(`…and ${issues.length - MAX_LISTED_ISSUES} more`);
  return [error.message, ...lines].join('\n');
}
