// The desktop app's PDF printer for report.export: Electron's own printToPDF over the HTML report,
// in a hidden, script-free window made by policy/mainWindow.ts. Thin on purpose: the limits and
// the window's preferences are in policy/ and tested there.
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../../backend/index.ts';
import { createPrintWindow } from './policy/mainWindow.ts';
import { pageSizeOf, reportDataUrl } from './policy/print.ts';

/** Prints an HTML report to PDF bytes in a hidden window, closed whatever happens. */
export const electronPdfPrinter: PdfPrinter = async (html, paper) => {
  const page = reportDataUrl(html);
  if ('refused' in page) throw new Error(page.refused);
  const win = createPrintWindow(BrowserWindow);
  try {
    await win.loadURL(page.url);
    return await win.webContents.printToPDF({ pageSize: pageSizeOf(paper), printBackground: true, preferCSSPageSize: true });
  } finally {
    win.destroy();
  }
};
