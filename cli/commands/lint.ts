// `resetpath lint <files...>`: static findings on workflow files, as editor-style lines or JSON.
// Exit 0 when clean, 1 when a finding reaches --fail-on, 2 when a file cannot be read or loaded.
import { Option, type Command } from 'commander';
import { loadWorkflowFile, readModelFile } from '../../backend/index.ts';
import { formatIssue, formatRef, getControl, lintWorkflow, pathLocator, SEVERITIES, type Finding, type FrameworkRef, type ModelIssue, type Severity } from '../../models/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { workflowFileOf } from '../resolve.ts';
import { jsonOut, paint, shown } from '../text.ts';

/** A finding with the line and column its document path resolves to in the file. */
export interface LocatedFinding extends Finding {
  file: string;
  line?: number;
  column?: number;
}

/** One file's result in `lint --format json` (shape documented in docs/lint-rules.md). */
export type LintFileResult =
  | { file: string; ok: true; workflow: { id: string; name: string; variant: string }; findings: LocatedFinding[] }
  | { file: string; ok: false; issues: ModelIssue[] };

/** The whole `lint --format json` document. */
export interface LintReport {
  format: 'resetpath-lint/1';
  failOn: Severity;
  files: LintFileResult[];
  summary: { files: number; invalid: number; error: number; warning: number; info: number; failed: boolean };
}

interface LintOptions {
  format: 'text' | 'json';
  failOn: Severity;
}

/** Registers `lint` on the program. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('lint')
    .description('check workflow files for missing or weak controls (rules in docs/lint-rules.md)')
    .argument('<files...>', 'workflow files (YAML or JSON) or bundled workflow ids')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the run fail (exit 1)').choices([...SEVERITIES]).default('error'))
    .action((files: string[], opts: LintOptions) => {
      const report = lintFiles(files.map(workflowFileOf), opts.failOn);
      if (opts.format === 'json') io.out(jsonOut(report));
      else writeText(report, io);
      io.setExitCode(report.summary.invalid > 0 ? EXIT.badInput : report.summary.failed ? EXIT.findings : EXIT.ok);
    });
}

/** Lints each file; a file that cannot be loaded is reported with its issues, never thrown. */
export function lintFiles(files: readonly string[], failOn: Severity): LintReport {
  const results = files.map((file): LintFileResult => {
    const r = loadWorkflowFile(file);
    if (!r.ok) return { file, ok: false, issues: r.issues };
    const findings = lintWorkflow(r.value);
    // Re-read only to turn document paths into positions; the loader already vetted the bytes.
    const text = findings.length > 0 ? readModelFile(file) : null;
    const locate = text?.ok ? pathLocator(text.value, file) : null;
    const located = findings
      .map((f): LocatedFinding => {
        const pos = locate?.(f.path) ?? null;
        return { file, ...(pos ? { line: pos.line, column: pos.column } : {}), ...f };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    return { file, ok: true, workflow: { id: r.value.id, name: r.value.name, variant: r.value.variant }, findings: located };
  });
  const all = results.flatMap((r) => (r.ok ? r.findings : []));
  const count = (s: Severity) => all.filter((f) => f.severity === s).length;
  const threshold = SEVERITIES.indexOf(failOn);
  return {
    format: 'resetpath-lint/1',
    failOn,
    files: results,
    summary: {
      files: results.length,
      invalid: results.filter((r) => !r.ok).length,
      error: count('error'),
      warning: count('warning'),
      info: count('info'),
      failed: all.some((f) => SEVERITIES.indexOf(f.severity) <= threshold),
    },
  };
}

const MAX_MAPPINGS_SHOWN = 6;

function writeText(report: LintReport, io: CommandIO): void {
  for (const r of report.files) {
    if (!r.ok) {
      for (const i of r.issues) io.err(`${formatIssue(i)}\n`);
      continue;
    }
    for (const f of r.findings) {
      const where = f.line !== undefined ? `${f.file}:${f.line}:${f.column ?? 1}` : f.file;
      io.out(`${shown(where)}: ${paint(io, f.severity)} ${shown(`${f.rule} ${f.message}${f.path ? ` (at ${f.path})` : ''} [${f.name}]`)}\n`);
      if (f.fixes.length > 0) io.out(`    fix: ${f.fixes.map((c) => `${c} (owner: ${getControl(c).owner})`).join(', ')}\n`);
      if (f.mappings.length > 0) io.out(`    maps to: ${mappingLine(f.mappings)}\n`);
      io.out(`    basis: ${f.basis}\n`);
    }
  }
  const s = report.summary;
  const parts = [`${s.error} error${s.error === 1 ? '' : 's'}`, `${s.warning} warning${s.warning === 1 ? '' : 's'}`, `${s.info} info`];
  const invalid = s.invalid > 0 ? `, ${s.invalid} could not be loaded` : '';
  const verdict = s.invalid > 0 ? 'bad input' : s.failed ? `failed (--fail-on ${report.failOn})` : 'passed';
  io.out(`${s.files} file${s.files === 1 ? '' : 's'} checked${invalid}: ${parts.join(', ')}; ${verdict}\n`);
}

function mappingLine(ms: readonly FrameworkRef[]): string {
  const shown = ms.slice(0, MAX_MAPPINGS_SHOWN).map(formatRef).join(', ');
  return ms.length > MAX_MAPPINGS_SHOWN ? `${shown} and ${ms.length - MAX_MAPPINGS_SHOWN} more (--format json lists all)` : shown;
}
