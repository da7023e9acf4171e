// `resetpath report`: the accountability report of the given workflows under the scenarios, for a
// governance team: scope, executive summary, gaps with their owner roles, framework references and
// evidence, the least-friction set, residual risk and lint findings, as Markdown, HTML (with the
// workflow graphs and the gap matrix), PDF (that HTML printed by Chromium), CSV or JSON; as OSCAL
// 1.0.6 assessment results or a POA&M; or the ATT&CK Navigator layer (v4.5) of the techniques the
// scenarios cite, scored by outcome.
// Inputs, scenarios and exit codes are those of `analyze`; --out writes a file atomically.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { buildAccountabilityReport, navigatorLayer } from '../../analysis/index.ts';
import { accountabilityHtml, findChromium, missingChromiumMessage, PAPERS, printPdf, renderProblem, renderReport, reportWithWorkspace, runAnalysis, signAccountabilityReport, type Paper } from '../../backend/index.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../contract/index.ts';
import { formatIssue, lintWorkflow, plainTextProblem } from '../../models/index.ts';
import { Workspace, WorkspaceError } from '../../storage/index.ts';
import { EXIT, VERSION, type CommandIO } from '../io.ts';
import { jsonOut, shown, terminalText } from '../text.ts';
import { failOn } from './analyze.ts';

type Format = ReportFormat;
const FORMATS: readonly Format[] = REPORT_FORMATS;
const DECISIONS = ['accept', 'remediate', 'transfer'] as const;

interface ReportOptions {
  library?: boolean;
  scenario: string[];
  format: string;
  out?: string;
  failOn?: string;
  maxSetSize: string;
  paper: string;
  workspace?: string;
  signOff?: string;
  decision?: string;
  justification?: string;
}

/** Registers the report command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('report')
    .description('write an accountability report: gaps with owners, framework references and evidence (md, html, pdf, csv, json), an ATT&CK Navigator layer or OSCAL')
    .argument('[workflows...]', 'workflow files (YAML/JSON) or bundled workflow ids')
    .option('--library', 'report on every bundled workflow')
    .addOption(new Option('-s, --scenario <id|file>', 'scenario id or file (repeatable)').argParser((v: string, prev: string[]) => [...prev, v]).default([], 'the whole bundled library'))
    .option('-f, --format <format>', 'md | html | pdf | csv | csv-remediation | json | navigator (ATT&CK Navigator layer v4.5) | oscal-ar | oscal-poam (OSCAL 1.0.6)', 'md')
    .option('-o, --out <path>', 'write the report to this file (atomically) instead of stdout')
    .option('--fail-on <condition>', 'exit 1 when a takeover path exists for: privileged | any')
    .option('--max-set-size <n>', 'largest minimal control set to enumerate', '4')
    .option('--paper <size>', 'paper for --format pdf: a4 | letter', 'a4')
    .option('--workspace <file>', 'read named owners, remediation items and the previous sign-off from this workspace (read-only unless --sign-off)')
    .option('--sign-off <name>', 'store this report in the workspace, signed off by <name> (needs --workspace, --decision and --justification)')
    .option('--decision <decision>', 'the sign-off decision: accept | remediate | transfer')
    .option('--justification <text>', 'why the sign-off decided so')
    .action(async (workflows: string[], opts: ReportOptions) => {
      if (!FORMATS.includes(opts.format as Format)) return bad(io, `--format must be md, html, pdf, csv, csv-remediation, json, navigator, oscal-ar or oscal-poam (got "${opts.format}")`);
      const problem = signOffProblem(opts);
      if (problem) return bad(io, problem);
      if (opts.failOn !== undefined && !['privileged', 'any'].includes(opts.failOn)) return bad(io, `--fail-on must be privileged or any (got "${opts.failOn}")`);
      const size = Number(opts.maxSetSize);
      if (!Number.isInteger(size) || size < 1 || size > 6) return bad(io, `--max-set-size must be an integer from 1 to 6 (got "${opts.maxSetSize}")`);
      if (!PAPERS.includes(opts.paper as Paper)) return bad(io, `--paper must be a4 or letter (got "${opts.paper}")`);
      // Refused before the analysis runs, so a wrong --out or a missing Chromium costs nothing.
      if (opts.out !== undefined) {
        const problem = outProblem(opts.out);
        if (problem) return bad(io, problem);
      }
      let chromium: string | null = null;
      if (opts.format === 'pdf') {
        if (opts.out === undefined) return bad(io, '--format pdf needs --out <file.pdf> (a PDF is not written to a terminal)');
        const found = findChromium();
        if (!found.path) return bad(io, missingChromiumMessage(found.looked));
        chromium = found.path;
      }
      // Opened before the analysis, so a wrong workspace costs nothing; read-only unless signing.
      let ws: Workspace | null = null;
      if (opts.workspace !== undefined) {
        try {
          ws = Workspace.open(opts.workspace, { readOnly: opts.signOff === undefined });
        } catch (e) {
          if (!(e instanceof WorkspaceError)) throw e;
          return bad(io, `--workspace ${e.message}`);
        }
      }
      try {
        await report(workflows, opts, ws, size, chromium);
      } finally {
        ws?.close();
      }
    });

  async function report(workflows: string[], opts: ReportOptions, ws: Workspace | null, size: number, chromium: string | null): Promise<void> {
    const res = runAnalysis({ workflows, library: opts.library ?? false, scenarios: opts.scenario, options: { sizeBound: size } });
    if (!res.ok) {
      for (const i of res.issues) io.err(`${formatIssue(i)}\n`);
      io.setExitCode(EXIT.badInput);
      return;
    }
    const format = opts.format as Format;
    if (format === 'navigator') {
      const layer = navigatorLayer(res.report, { generatedAt: generatedAt(), toolVersion: VERSION, scenarios: res.scenarios });
      if (!write(io, opts.out, jsonOut(layer), `navigator, ${layer.techniques.length} technique${layer.techniques.length === 1 ? '' : 's'}`)) return;
      if (opts.failOn) failOn(io, res.report, opts.failOn as 'privileged' | 'any');
      return;
    }
    const lint = Object.fromEntries(res.workflows.map((w) => [w.id, lintWorkflow(w)]));
    const at = generatedAt();
    let doc = buildAccountabilityReport(res.analyses, lint, { generatedAt: at, toolVersion: VERSION, scenarios: res.scenarios });
    // OSCAL's POA&M schema asks for at least one poam-item: a clean analysis has nothing to plan,
    // and an invalid document would be worse than none. Refused before a sign-off is stored.
    const problem = renderProblem(doc, format);
    if (problem) return bad(io, problem.replace('(oscal-ar', '(--format oscal-ar'));
    let signed = '';
    if (ws && opts.signOff !== undefined) {
      try {
        const r = signAccountabilityReport(ws, doc, at, { signedBy: opts.signOff, decision: opts.decision as (typeof DECISIONS)[number], justification: opts.justification! });
        doc = r.report;
        signed = `signed off by ${shown(r.signOff.signedBy)} (${r.signOff.decision}): stored as report ${r.snapshot.id} in ${shown(ws.path)}, audit entry ${ws.auditHead().seq}\n`;
      } catch (e) {
        if (!(e instanceof WorkspaceError)) throw e;
        return bad(io, `--sign-off: ${e.message}`);
      }
    } else if (ws) doc = reportWithWorkspace(ws, doc, at);
    const rendered = (eol: '\r\n' | '\n'): string => renderReport(doc, format as Exclude<Format, 'pdf' | 'navigator'>, { workflows: res.workflows, eol });
    if (format === 'pdf') {
      try {
        await printPdf(chromium!, accountabilityHtml(doc, { workflows: res.workflows }), opts.out!, opts.paper as Paper);
      } catch (e) {
        return bad(io, `cannot print ${opts.out}: ${(e as Error).message}`);
      }
      io.out(`wrote ${shown(opts.out!)} (pdf, ${opts.paper === 'a4' ? 'A4' : 'Letter'}, ${doc.gaps.length} gap${doc.gaps.length === 1 ? '' : 's'})\n`);
    } else if (opts.out === undefined) {
      io.out(rendered('\n'));
    } else {
      // Markdown, HTML and JSON pass the terminal rule as a last line of defence (they are already
      // safe); CSV cells (both CSVs) are made safe one by one, and their CRLF record ends and the
      // line breaks inside a quoted note must stay raw.
      const text = format === 'csv' || format === 'csv-remediation' ? rendered('\r\n') : terminalText(rendered('\n'), false);
      try {
        writeAtomically(opts.out, text);
      } catch (e) {
        return bad(io, `cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      io.out(`wrote ${shown(opts.out)} (${format}, ${doc.gaps.length} gap${doc.gaps.length === 1 ? '' : 's'})\n`);
    }
    // Beside a file, on stdout; beside a report on stdout, on stderr so the report stays clean.
    if (signed) (opts.out === undefined ? io.err : io.out)(`resetpath report: ${signed}`);
    if (opts.failOn) failOn(io, res.report, opts.failOn as 'privileged' | 'any');
  }
}

/** Why the workspace and sign-off options do not fit together, or null. */
function signOffProblem(opts: ReportOptions): string | null {
  const signing = opts.signOff !== undefined;
  if (!signing && opts.decision !== undefined) return '--decision is the decision of a sign-off; give --sign-off "<name>" too';
  if (!signing && opts.justification !== undefined) return '--justification explains a sign-off; give --sign-off "<name>" too';
  if (opts.workspace !== undefined && opts.format === 'navigator') return '--workspace: the Navigator layer carries no owners, remediation or sign-off; use another --format';
  if (!signing) return opts.workspace === '' ? '--workspace needs a file path' : null;
  if (opts.workspace === undefined) return '--sign-off stores the report in a workspace; give --workspace <file>';
  if (opts.signOff!.trim() === '') return '--sign-off needs the name of who signs off';
  const nameProblem = plainTextProblem(opts.signOff!);
  if (nameProblem) return `--sign-off ${nameProblem}`;
  if (opts.decision === undefined) return '--sign-off needs --decision accept, remediate or transfer';
  if (!(DECISIONS as readonly string[]).includes(opts.decision)) return `--decision must be accept, remediate or transfer (got "${opts.decision}")`;
  if (opts.justification === undefined || opts.justification.trim() === '') return '--sign-off needs --justification "<why>"';
  const whyProblem = plainTextProblem(opts.justification, { multiline: true });
  if (whyProblem) return `--justification ${whyProblem}`;
  return null;
}

/**
 * When the report was generated: SOURCE_DATE_EPOCH (seconds) when set, for reproducible builds and
 * diffs of stored reports, else the clock.
 */
function generatedAt(): string {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/** Why --out cannot be written, or null: a directory is never replaced, the folder must exist. */
function outProblem(out: string): string | null {
  if (out === '') return '--out needs a file path';
  const st = statSync(out, { throwIfNoEntry: false });
  if (st?.isDirectory()) return `--out ${out} is a directory; give a file path`;
  if (st && !st.isFile()) return `--out ${out} exists and is not a regular file`;
  const dir = statSync(dirname(out), { throwIfNoEntry: false });
  if (!dir?.isDirectory()) return `--out ${out}: the folder ${dirname(out)} does not exist`;
  return null;
}

/**
 * Writes a JSON document to stdout, or to --out atomically (through the terminal rule as a last line
 * of defence) with one line saying what was written. False when the file could not be written.
 */
function write(io: CommandIO, out: string | undefined, json: string, what: string): boolean {
  if (out === undefined) {
    io.out(json);
    return true;
  }
  try {
    writeAtomically(out, terminalText(json, false));
  } catch (e) {
    bad(io, `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return false;
  }
  io.out(`wrote ${shown(out)} (${what})\n`);
  return true;
}

/** Writes `text` to a temporary file beside `out`, then renames it over `out`: never a half-written report. */
function writeAtomically(out: string, text: string): void {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function bad(io: CommandIO, msg: string): void {
  io.err(`resetpath report: ${shown(msg)}\n`);
  io.setExitCode(EXIT.badInput);
}
