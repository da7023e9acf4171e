// The display-text rule: what text from files, users and the file system may look like when it is
// printed to a terminal, written into a report or shown in the UI. One rule, in one place:
//
// - Control characters (C0 but the newline and tab of multi-line text, DEL, C1), bidirectional
//   controls (embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069, the marks U+200E,
//   U+200F and U+061C) and the line and paragraph separators U+2028, U+2029 are never shown raw.
//   `displayText` escapes them visibly as `\u{1b}`, so an escape sequence (CSI, OSC, a C1 CSI)
//   becomes inert text, a CR or LF cannot forge a line and an override cannot reverse what follows.
// - Model files refuse them at load (`plainTextProblem`), naming the character and where it is, so
//   a name never needs escaping in the first place; escaping is for what still gets through (file
//   names, text stored before the rule, user input echoed in an error).
// Pure: no Node, no DOM.

/** Every character the rule covers. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, but newline and tab allowed (multi-line text). */
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ALL = (re: RegExp) => new RegExp(re.source, 'g');
const UNSAFE_ALL = ALL(UNSAFE);
const UNSAFE_MULTILINE_ALL = ALL(UNSAFE_MULTILINE);
/** What JSON.stringify leaves raw in strings (it escapes C0 itself; the newlines of indentation are not in strings). */
const UNSAFE_BEYOND_C0_ALL = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export interface DisplayTextOptions {
  /** Keep newlines and tabs (prose printed as a block); otherwise they are escaped too. */
  multiline?: boolean;
}

/** `\u{1b}`: how an unsafe character is written, visibly and unambiguously. */
function escaped(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

/**
 * Text made safe to print: every control, bidirectional and separator character written as
 * `\u{hex}`. Single-line by default (a name in a table); `multiline` keeps newline and tab.
 */
export function displayText(s: string, opts: DisplayTextOptions = {}): string {
  return s.replace(opts.multiline ? UNSAFE_MULTILINE_ALL : UNSAFE_ALL, escaped);
}

/** True when `s` holds a character the rule covers (newline and tab allowed when multiline). */
export function hasUnsafeText(s: string, opts: DisplayTextOptions = {}): boolean {
  return (opts.multiline ? UNSAFE_MULTILINE : UNSAFE).test(s);
}

/**
 * JSON for output: JSON.stringify escapes C0 controls itself but leaves DEL, C1, bidirectional
 * controls and U+2028/U+2029 raw; they are written as `\u00XX` escapes here, so the document is
 * still valid JSON that parses to the same value and prints nothing a terminal would act on.
 */
export function jsonText(value: unknown, space?: number): string {
  return (JSON.stringify(value, null, space) ?? 'null').replace(UNSAFE_BEYOND_C0_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 9: 'TAB', 10: 'LF', 11: 'VT', 12: 'FF', 13: 'CR', 27: 'ESC', 127: 'DEL', 0x9b: 'CSI', 0x9d: 'OSC' };

/** "U+001B (ESC)": a character as an error message names it. */
export function describeChar(c: string): string {
  const cp = c.codePointAt(0)!;
  const name = NAMES[cp];
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${name ? ` (${name})` : ''}`;
}

/**
 * For an id that fails to match: the first character beyond ASCII and where it is, or '' when
 * there is none. A Cyrillic "о" looks like a Latin "o" in the message that quotes the id; this names
 * it ("; it holds U+043E at character 3, which is not an ASCII letter").
 */
export function nonAsciiNote(s: string): string {
  const m = /[^\x00-\x7f]/u.exec(s);
  if (!m) return '';
  return `; it holds ${describeChar(m[0])} at character ${[...s.slice(0, m.index)].length + 1}, which is not an ASCII letter (a lookalike?)`;
}

/**
 * Why `s` may not be a name or text of a model (or a reason recorded with a change), or null: the
 * load-time half of the rule. Names the first offending character and its position (1-based).
 */
export function plainTextProblem(s: string, opts: DisplayTextOptions = {}): string | null {
  const m = (opts.multiline ? UNSAFE_MULTILINE : UNSAFE).exec(s);
  if (!m) return null;
  const where = `${describeChar(m[0])} at character ${m.index + 1}`;
  if (BIDI.test(m[0])) return `contains bidirectional-override characters (${where}), which can disguise text`;
  return `contains control characters (${where}); ${opts.multiline ? 'text may hold line breaks and tabs, no other control characters' : 'this field is one line of plain text'}`;
}

/** Schemes a Markdown or HTML renderer could run or read from; their colon is written as an entity. */
const UNSAFE_SCHEME = /\b(javascript|vbscript|data|file)(\s*):/gi;

/**
 * What Markdown autolinkers take for a link in plain text (GFM's autolink literals, markdown-it's
 * linkify with its fuzzy domains): any scheme's "://", "www.", an e-mail address's "@", and the dot
 * of a domain before a top-level name linkify knows (its generic ones and any two letters, as in
 * "evil.com/login"; a control id such as proofing.ial2 is none). Each such character is written as
 * its entity, which renders as the same character and stops the autolinker.
 */
const AUTOLINK: readonly [RegExp, string][] = [
  [/:(?=\/\/)/g, '&#58;'],
  [/\b(www)\./gi, '$1&#46;'],
  [/(\S)@(?=\S)/g, '$1&#64;'],
  [/([A-Za-z0-9-])\.(?=(?:com|net|org|edu|gov|biz|pro|web|xxx|aero|asia|coop|info|museum|name|shop|[a-z]{2})(?![\w-]))/gi, '$1&#46;'],
];

/**
 * Text from a file as Markdown that renders as exactly that text (a table cell, a heading): control
 * characters by the display-text rule (one line, or line breaks kept with `multiline`), HTML's `& < >` as entities so no tag reaches a
 * renderer that passes HTML through, the characters that end a cell, open code or form a link
 * (`\ | \` [ ]`) backslash-escaped, the colon of javascript:, vbscript:, data: and file: as
 * `&#58;`, and what an autolinker would take for a URL, an address or a domain (AUTOLINK) as
 * entities, so no name becomes a link, let alone one that runs or reads something.
 */
export function markdownText(s: string, opts: DisplayTextOptions = {}): string {
  const out = displayText(s, opts)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`|[\]]/g, (c) => `\\${c}`)
    .replace(UNSAFE_SCHEME, '$1$2&#58;');
  return AUTOLINK.reduce((t, [re, by]) => t.replace(re, by), out);
}

/**
 * Text made safe for HTML text and for a double- or single-quoted attribute value: control,
 * bidirectional and separator characters by the display-text rule (written visibly as `\u{202e}`;
 * line breaks kept with `multiline`), then `& < > " '` as entities, then the colon of a
 * javascript:/vbscript:/data:/file: scheme as `&#58;`, so nothing reads as a link.
 */
export function htmlText(s: string, opts: DisplayTextOptions = {}): string {
  return displayText(s, opts)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(UNSAFE_SCHEME, '$1$2&#58;');
}
