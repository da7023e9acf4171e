// Plain-text tables for terminal output: columns padded to their widest cell.
import { shown } from './text.ts';

/**
 * Renders rows under a header as aligned columns separated by two spaces. Every cell is written
 * display-safe on one line (a line break in a name would break the table).
 */
export function table(head: string[], body: string[][]): string {
  const rows = body.map((r) => r.map(shown));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
