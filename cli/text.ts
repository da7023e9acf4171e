// Small text helpers shared by the commands that print for people.
import type { CommandIO } from './io.ts';

const COLORS: Record<string, string> = { error: '31', warning: '33', info: '36' };

/** A severity word, coloured when the output is a terminal that wants colour. */
export function paint(io: CommandIO, severity: string): string {
  const code = COLORS[severity];
  return io.color && code ? `\u001b[${code}m${severity}\u001b[0m` : severity;
}
