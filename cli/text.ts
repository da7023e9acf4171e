// Small text helpers shared by the commands that print for people, and the display-text rule
// (models/displayText.ts) as the CLI applies it: every name, file name and echoed value is written
// with `shown` where it is interpolated (one line: a CR or LF in a name cannot forge a line), and
// everything written to stdout or stderr passes `terminalText` (cli/main.ts), so nothing that
// reaches the terminal can carry an escape sequence, a C1 control or a bidirectional override.
import { displayText, jsonText } from '../models/index.ts';
import type { CommandIO } from './io.ts';

const COLORS: Record<string, string> = { error: '31', warning: '33', info: '36' };

/** A severity word, coloured when the output is a terminal that wants colour. */
export function paint(io: CommandIO, severity: string): string {
  const code = COLORS[severity];
  return io.color && code ? `\u001b[${code}m${severity}\u001b[0m` : severity;
}

/** Text from a file or a user as one display-safe line. */
export function shown(s: string): string {
  return displayText(s);
}

/** Prose printed on one line (an attacker's words): line breaks become spaces, the rest as `shown`. */
export function oneLine(s: string): string {
  return displayText(s.trim().replace(/\s*[\r\n]+\s*/g, ' '));
}

export { markdownText } from '../models/index.ts';

/** A JSON document for stdout: valid JSON with nothing raw a terminal would act on. */
export function jsonOut(value: unknown): string {
  return `${jsonText(value, 2)}\n`;
}

/** The SGR sequences `paint` writes: the only escape sequences the CLI itself ever prints. */
const OWN_COLOURS = /(\u001b\[(?:0|31|33|36)m)/;

/**
 * What is written to the terminal: the display-text rule over the whole output (newlines and tabs
 * kept), with `paint`'s own colours left alone when colour is on. A last line of defence; the
 * commands already write names with `shown`.
 */
export function terminalText(s: string, color: boolean): string {
  if (!color) return displayText(s, { multiline: true });
  return s
    .split(OWN_COLOURS)
    .map((part, i) => (i % 2 === 1 ? part : displayText(part, { multiline: true })))
    .join('');
}
