// The text rules the report renderers share: how much of a name or a note a report shows. Every
// string from a model file or a person is also escaped for its format by the renderer that writes it.

/** Longest text a report shows from a model, a file or a user, in characters; the rest is counted. */
export const TEXT_LIMIT = 200;

/**
 * Text capped at `max` characters (whole code points), saying how many were left out: a
 * 100,000-character name takes one line of a report, not forty pages.
 */
export function clip(s: string, max = TEXT_LIMIT): string {
  if (s.length <= max) return s;
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  return `${cps.slice(0, max).join('')}… (${(cps.length - max).toLocaleString('en-US')} more characters)`;
}
