// Accountability data in the workspace, wired into the report: owners, remediation items and
// sign-offs are read from storage/ and folded into the pure report model (analysis/accountability.ts);
// a sign-off stores the report's JSON as a snapshot and the sign-off beside it, in one audited change.
// The CLI (`resetpath report --workspace`) and the contract's owners.*, remediation.* and report.*
// keys both go through here, so the rules live in one place.
import type { z } from 'zod';
import { navigatorLayer, previousGaps, scopeKey, withAccountability, type AccountabilityData, type AccountabilityReport, type AnalysisReport, type SignOffDecision } from '../analysis/index.ts';
import { ApiError, REPORT_FILES, type API, type ApiResponse, type ReportFormat } from '../contract/index.ts';
import type { Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import type { ReportSnapshotInfo, SignOff, Workspace } from '../storage/index.ts';
import { accountabilityHtml, renderProblem, renderReport, reportJson, type PdfPrinter } from './report/index.ts';

/** Pretty JSON with a final newline, as the CLI writes its documents. */
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * What the workspace says about the report's gaps: named owners, remediation items of its
 * workflows, and the previous signed report of the same scope (the newest whose snapshot is an
 * accountability report). Read only.
 */
export function readAccountability(ws: Workspace, doc: AccountabilityReport, asOf: string): AccountabilityData {
  const workflows = new Set(doc.scope.workflows.map((w) => w.id));
  let previous: AccountabilityData['previous'] = null;
  for (const s of ws.listSignOffs({ scope: scopeKey(doc) })) {
    const snap = ws.getReportSnapshot(s.reportId);
    if (!snap) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(snap.content);
    } catch {
      continue;
    }
    const gaps = previousGaps(parsed);
    if (!gaps) continue;
    previous = { reportId: s.reportId, signedBy: s.signedBy, signedAt: s.signedAt, decision: s.decision, gaps };
    break;
  }
  return {
    asOf,
    owners: ws.listOwners().filter((o) => o.workflow === null || workflows.has(o.workflow)),
    remediation: ws.listRemediation().filter((i) => workflows.has(i.workflow)),
    previous,
  };
}

/** The report with the workspace's accountability data folded in. */
export function reportWithWorkspace(ws: Workspace, doc: AccountabilityReport, asOf: string): AccountabilityReport {
  return withAccountability(doc, readAccountability(ws, doc, asOf));
}

export interface SignInput {
  signedBy: string;
  decision: SignOffDecision;
  justification: string;
  title?: string;
  reason?: string;
}

/**
 * Signs a report: stores its JSON (with the workspace's accountability data and trend, without the
 * sign-off itself, which is its own row bound to the snapshot) and the sign-off, in one audited
 * change. Returns the report as signed, the snapshot and the sign-off.
 */
export function signAccountabilityReport(ws: Workspace, doc: AccountabilityReport, asOf: string, input: SignInput): { report: AccountabilityReport; snapshot: ReportSnapshotInfo; signOff: SignOff } {
  const data = readAccountability(ws, doc, asOf);
  const stored = withAccountability(doc, data);
  const scope = scopeKey(doc);
  const title = input.title ?? `Accountability report: ${doc.scope.workflows.map((w) => w.id).join(', ')}`;
  const { report: snapshot, signOff } = ws.signReport({
    report: { title, format: 'json', content: json(stored) },
    scope,
    signedBy: input.signedBy,
    decision: input.decision,
    justification: input.justification,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
  });
  const report = withAccountability(doc, { ...data, signOff: { reportId: snapshot.id, signedBy: signOff.signedBy, signedAt: signOff.signedAt, decision: signOff.decision, justification: signOff.justification } });
  return { report, snapshot, signOff };
}

type Req<K extends keyof typeof API> = z.output<(typeof API)[K]['request']>;
type Keys = 'owners.list' | 'owners.set' | 'remediation.list' | 'remediation.set' | 'report.signoff' | 'report.export' | 'report.list';

/** An accountability report with what it was made from: the analysis, the workflows and the scenarios. */
export interface AccountabilityRun {
  doc: AccountabilityReport;
  analysis: AnalysisReport;
  workflows: readonly Workflow[];
  scenarios: readonly Scenario[];
}

export interface AccountabilityDeps {
  ws: Workspace;
  refuseIfReadOnly(): void;
  /** The accountability report of these workflows against these scenarios (default: every one), analysed off the host's thread. */
  report(workflowIds: readonly string[], scenarioIds?: readonly string[]): Promise<AccountabilityRun>;
  /** Prints an HTML report to PDF: Electron's printToPDF in the app, the machine's Chromium elsewhere. */
  printPdf: PdfPrinter;
  toolVersion: string;
}

/**
 * The file name an exported report is offered under: the workflow (or how many), the day it was
 * made and the form, e.g. `resetpath-report-standard-password-reset.weak-2026-12-05.oscal-poam.json`.
 */
export function reportFileName(workflowIds: readonly string[], generatedAt: string, format: ReportFormat): string {
  const scope = workflowIds.length === 1 ? workflowIds[0]! : `${workflowIds.length}-workflows`;
  return `resetpath-report-${scope}-${generatedAt.slice(0, 10)}.${REPORT_FILES[format].extension}`;
}

/** The contract's accountability keys over the workspace. */
export function accountabilityHandlers(d: AccountabilityDeps): { [K in Keys]: (req: Req<K>) => ApiResponse<K> | Promise<ApiResponse<K>> } {
  const { ws } = d;
  return {
    'owners.list': () => ({ owners: ws.listOwners() }),
    'owners.set': (req) => {
      d.refuseIfReadOnly();
      const workflow = req.workflowId ?? null;
      if (req.name === null) {
        ws.removeOwner(req.role, workflow, req.reason !== undefined ? { reason: req.reason } : {});
        return { owner: null, auditHead: ws.auditHead() };
      }
      const owner = ws.setOwner({ role: req.role, workflow, name: req.name, contact: req.contact ?? null, ...(req.reason !== undefined ? { reason: req.reason } : {}) });
      return { owner, auditHead: ws.auditHead() };
    },
    'remediation.list': (req) => ({ items: ws.listRemediation(req.workflowId !== undefined ? { workflowId: req.workflowId } : {}) }),
    'remediation.set': (req) => {
      d.refuseIfReadOnly();
      const item = ws.setRemediation({
        workflow: req.workflowId,
        control: req.controlId,
        status: req.status,
        due: req.due ?? null,
        ticket: req.ticket ?? null,
        notes: req.notes ?? '',
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      });
      return { item, auditHead: ws.auditHead() };
    },
    'report.signoff': async (req) => {
      d.refuseIfReadOnly();
      const { doc } = await d.report(req.workflowIds, req.scenarioIds);
      const now = doc.generatedAt;
      const { report, snapshot, signOff } = signAccountabilityReport(ws, doc, now, {
        signedBy: req.signedBy,
        decision: req.decision,
        justification: req.justification,
        ...(req.title !== undefined ? { title: req.title } : {}),
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      });
      const t = report.accountability!.trend;
      return {
        reportId: snapshot.id,
        signOff,
        gaps: report.gaps.length,
        overdue: report.accountability!.remediation.overdue,
        trend: t ? { previousReportId: t.previous.reportId, opened: t.opened.length, closed: t.closed.length, overdue: t.overdue.length } : null,
        auditHead: ws.auditHead(),
      };
    },
    'report.export': async (req) => {
      const run = await d.report(req.workflowIds, req.scenarioIds);
      const at = run.doc.generatedAt;
      const file = { fileName: reportFileName(req.workflowIds, at, req.format), mediaType: REPORT_FILES[req.format].mediaType };
      if (req.format === 'navigator') {
        // The layer scores techniques from the analysis; owners and remediation are not part of it.
        const layer = navigatorLayer(run.analysis, { generatedAt: at, toolVersion: d.toolVersion, scenarios: run.scenarios });
        return { ...file, encoding: 'utf8' as const, content: reportJson(layer), gaps: run.doc.gaps.length };
      }
      const doc = reportWithWorkspace(ws, run.doc, at);
      const problem = renderProblem(doc, req.format);
      if (problem) throw new ApiError('conflict', problem);
      if (req.format === 'pdf') {
        let pdf: Uint8Array;
        try {
          pdf = await d.printPdf(accountabilityHtml(doc, { workflows: run.workflows }), req.paper ?? 'a4');
        } catch (e) {
          throw new ApiError('unavailable', `the PDF could not be printed: ${(e as Error).message}`);
        }
        return { ...file, encoding: 'base64' as const, content: Buffer.from(pdf).toString('base64'), gaps: doc.gaps.length };
      }
      return { ...file, encoding: 'utf8' as const, content: renderReport(doc, req.format, { workflows: run.workflows }), gaps: doc.gaps.length };
    },
    'report.list': (req) => {
      const signOffs = new Map(ws.listSignOffs().map((s) => [s.reportId, s]));
      const reports = ws
        .listReportSnapshots()
        .map((r) => ({ id: r.id, title: r.title, format: r.format, createdAt: r.createdAt, author: r.author, signOff: signOffs.get(r.id) ?? null }))
        .filter((r) => !req.signedOnly || r.signOff !== null);
      return { reports };
    },
  };
}

