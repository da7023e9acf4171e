// The accountability report in each of its forms, for the CLI (`resetpath report`) and the app
// (`report.export`): one function per form, chosen by the format names of the contract, so both
// write the same bytes for the same report.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountabilityReport } from '../../analysis/index.ts';
import type { ReportFormat } from '../../contract/index.ts';
import { jsonText, type Workflow } from '../../models/index.ts';
import { accountabilityHtml } from './html.ts';
import { accountabilityCsv, accountabilityMarkdown, remediationCsv } from './markdown.ts';
import { oscalAssessmentResults, oscalPoam } from './oscal.ts';
import { findChromium, missingChromiumMessage, printPdf, type Paper } from './pdf.ts';

export { accountabilityHtml, esc, gapMatrixSvg, OUTCOME_LOOK, TRACE_LIMIT, workflowGraphSvg, type HtmlOptions } from './html.ts';
export { accountabilityCsv, accountabilityMarkdown, csvCell, CSV_ACCOUNTABILITY_COLUMNS, CSV_COLUMNS, EVIDENCE_LIMIT, REMEDIATION_CSV_COLUMNS, remediationCsv, statusesText } from './markdown.ts';
export { OSCAL_NS, OSCAL_VERSION, oscalAssessmentResults, oscalPoam, uuidV5 } from './oscal.ts';
export { findChromium, missingChromiumMessage, PAPERS, printPdf, withPaper, type Paper } from './pdf.ts';
export { clip, TEXT_LIMIT } from './text.ts';

/** A JSON document as the reports write it: two-space indent, a final newline, nothing raw a terminal would act on. */
export function reportJson(value: unknown): string {
  return `${jsonText(value, 2)}\n`;
}

/** The text forms (every format but the PDF and the Navigator layer, which is drawn from the analysis itself). */
export type TextReportFormat = Exclude<ReportFormat, 'pdf' | 'navigator'>;

/**
 * The report as text in one of its forms. `workflows` gives the HTML its graphs; CSV records end in
 * CRLF (RFC 4180) unless `eol` says otherwise.
 */
export function renderReport(doc: AccountabilityReport, format: TextReportFormat, options: { workflows?: readonly Workflow[]; eol?: '\r\n' | '\n' } = {}): string {
  const eol = options.eol ?? '\r\n';
  switch (format) {
    case 'json':
      return reportJson(doc);
    case 'oscal-ar':
      return reportJson(oscalAssessmentResults(doc));
    case 'oscal-poam':
      return reportJson(oscalPoam(doc));
    case 'csv':
      return accountabilityCsv(doc, eol);
    case 'csv-remediation':
      return remediationCsv(doc, eol);
    case 'html':
      return accountabilityHtml(doc, options.workflows ? { workflows: options.workflows } : {});
    case 'md':
      return accountabilityMarkdown(doc);
  }
}

/** Why a report cannot be written in a form, or null: OSCAL's POA&M needs at least one open gap. */
export function renderProblem(doc: AccountabilityReport, format: ReportFormat): string | null {
  if (format === 'oscal-poam' && doc.gaps.length === 0) return 'no open gap in the workflows analysed, and an OSCAL POA&M needs at least one poam-item; nothing written (oscal-ar records the clean result)';
  return null;
}

/** Prints an HTML report to PDF bytes; the app's shell brings its own (Electron's printToPDF). */
export type PdfPrinter = (html: string, paper: Paper) => Promise<Uint8Array>;

/**
 * The PDF printer of a host without Electron (browser mode, CLI): the machine's Chromium, headless.
 * Throws with a one-line reason when there is none or it fails.
 */
export const chromiumPdfPrinter: PdfPrinter = async (html, paper) => {
  const found = findChromium();
  if (!found.path) throw new Error(missingChromiumMessage(found.looked, 'PDF export'));
  const dir = mkdtempSync(join(tmpdir(), 'resetpath-export-'));
  try {
    const out = join(dir, 'report.pdf');
    await printPdf(found.path, html, out, paper);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
