// What the desktop shell's PDF printer may load: the report as a base64 data: URL (the session
// refuses file:// and network requests, policy/navigation.ts), within Chromium's URL length limit.

/** Chromium's longest URL (url::kMaxURLChars, 2 MiB); a longer data: URL does not load. */
export const MAX_DATA_URL = 2 * 1024 * 1024;

/** Electron's printToPDF page size for the report's paper. */
export function pageSizeOf(paper: 'a4' | 'letter'): 'A4' | 'Letter' {
  return paper === 'a4' ? 'A4' : 'Letter';
}

/** The report as a data: URL the print window loads, or a one-line reason when it is too large. */
export function reportDataUrl(html: string): { url: string } | { refused: string } {
  const url = `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
  if (url.length > MAX_DATA_URL) return { refused: `the report is ${(html.length / 1048576).toFixed(1)} MiB, more than the desktop printer loads; export it as HTML and print that, or export fewer workflows` };
  return { url };
}
