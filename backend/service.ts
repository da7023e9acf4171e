// The backend service: every key of the contract implemented over the workspace (storage/), the
// analysis engine (analysis/) and the bundled library. The Electron IPC registration, the
// browser-mode host and tests all call dispatch(), so payload validation and the mapping of
// failures onto ApiErrorBody happen in exactly one place; the adapters hold no business rules.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { accountabilityFromReport, AnalysisLimitError, analyzeWorkflow, buildAnalysisReport, campaignWorkflowIds, upgradeReport, type AnalysisReport } from '../analysis/index.ts';
import { AnalysisRunner, type AnalysisJob } from './analysisRunner.ts';
import { API, API_KEYS, ApiError, parseRequest, type ApiErrorBody, type ApiKey, type ApiResponse, type AppApi } from '../contract/index.ts';
import { lintWorkflow, loadWorkflowText, type LoadResult, type Workflow } from '../models/index.ts';
import { loadScenarioText, type Scenario } from '../scenarios/index.ts';
import { Workspace, type ModelRevision, type ModelSummary, type RunInfo } from '../storage/index.ts';
import { bundledLibrary, summaryOf, type BundledModel, type ModelSummaryFields } from './bundledLibrary.ts';
import { apiIssues, toApiErrorBody } from './errors.ts';
import { accountabilityHandlers, reportWithWorkspace, type AccountabilityRun } from './accountability.ts';
import { chromiumPdfPrinter, type PdfPrinter } from './report/index.ts';
import { tabletopHandlers } from './tabletop.ts';
import { appSimulationWorkers, simulationHandlers } from './simulationService.ts';
import { backupWorkspace, type WorkspaceBackup } from './workspaceFile.ts';

export interface AppServiceOptions {
  workspacePath: string;
  /** Open without the writer lock; every write is refused with `conflict`. */
  readOnly?: boolean;
  /** Source of every timestamp written; injected so tests are deterministic. */
  clock?: () => Date;
  /** Recorded as author and audit actor; defaults to the OS user. */
  user?: string;
  mode: 'electron' | 'browser';
  /** better_sqlite3.node built for the running runtime (Electron); see README "Native module". */
  nativeBinding?: string;
  /** Run ids; defaults to random UUIDs. */
  newId?: () => string;
  /** Receives the full detail of unexpected errors, which never reach the caller; defaults to stderr. */
  log?: (line: string) => void;
  /**
   * Check every response against the contract's response schema before returning it (default
   * true). Measured over the 18 bundled workflows against every bundled scenario: about 3 ms per
   * analysis.run response against about 50 ms of analysis (6% in total, a quarter at most for the
   * quickest workflow), so it stays on outside tests too, and a response that drifts from the
   * contract fails loudly as `internal` instead of reaching the UI malformed.
   */
  validateResponses?: boolean;
  /**
   * Where analyses run: 'worker' (default) in a worker thread, one at a time and cancellable, so the
   * host answers other calls meanwhile; 'inline' on the calling thread.
   */
  analysis?: 'worker' | 'inline';
  /** How `report.export` prints a PDF: Electron's printToPDF in the desktop app; default the machine's Chromium, headless. */
  printPdf?: PdfPrinter;
}

/** What dispatch returns: the response, or the error body every adapter sends as is. */
export type DispatchResult<K extends ApiKey = ApiKey> = { ok: true; value: ApiResponse<K> } | { ok: false; error: ApiErrorBody };

/** The backend as the adapters see it. */
export interface AppService {
  readonly workspacePath: string;
  readonly readOnly: boolean;
  readonly mode: 'electron' | 'browser';
  /** Validates the payload, runs the handler, checks the response; never throws. */
  dispatch<K extends ApiKey>(key: K, payload: unknown): Promise<DispatchResult<K>>;
  /** The same calls as a typed in-process client that throws ApiError (tests, CLI). */
  readonly api: AppApi;
  /**
   * Copies the open workspace to `destPath` with SQLite's online backup: a consistent copy even
   * while this service keeps writing, read-only services included. Refuses the open file itself
   * (under any name) and any existing file with ApiError('conflict'). Not a contract key: the path
   * comes from the shell's own dialog, never from the UI.
   */
  backup(destPath: string): Promise<WorkspaceBackup>;
  /** Closes the workspace and frees its writer lock; safe to call twice. */
  close(): void;
}

type Req<K extends ApiKey> = z.output<(typeof API)[K]['request']>;
type Handlers = { [K in ApiKey]: (req: Req<K>) => ApiResponse<K> | Promise<ApiResponse<K>> };
type Kind = 'workflow' | 'scenario';
type Source = 'bundled' | 'workspace';

/** A workflow or scenario as the service resolved it: from the workspace or the bundled library. */
interface Resolved<T> {
  id: string;
  source: Source;
  revision: number | null;
  model: T;
  text: string;
  fileName: string;
  format: 'yaml' | 'json';
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Largest settings value accepted; settings hold preferences, not documents. */
export const MAX_SETTING_BYTES = 256 * 1024;

/** Parsed workspace revisions kept; revisions are immutable, so entries never go stale. */
const PARSE_CACHE_LIMIT = 5000;

/** True when `key` names a call of the contract (adapters check strings from outside with it). */
export function isApiKey(key: unknown): key is ApiKey {
  return typeof key === 'string' && (API_KEYS as readonly string[]).includes(key);
}

/** Opens the workspace and returns the service implementing the contract over it. */
export function createAppService(options: AppServiceOptions): AppService {
  const ws = Workspace.open(options.workspacePath, {
    readOnly: options.readOnly ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const validate = options.validateResponses ?? true;
  const parsed = new Map<string, LoadResult<Workflow | Scenario>>();

  const listModels = (kind: Kind): ModelSummary[] => (kind === 'workflow' ? ws.listWorkflows() : ws.listScenarios());
  const getRevision = (kind: Kind, id: string, revision?: number): ModelRevision | undefined =>
    kind === 'workflow' ? ws.getWorkflow(id, revision) : ws.getScenario(id, revision);
  const bundled = (kind: Kind): ReadonlyMap<string, BundledModel<Workflow | Scenario>> =>
    kind === 'workflow' ? bundledLibrary().workflows : bundledLibrary().scenarios;

  const revisionFileName = (rev: ModelRevision): string => rev.file ?? `${rev.id}.${rev.format}`;

  /** Loads a stored revision with the current loaders; cached by content, since revisions never change. */
  function parseRevision(kind: Kind, rev: ModelRevision): LoadResult<Workflow | Scenario> {
    const label = revisionFileName(rev);
    const key = `${kind}\0${rev.sha256}\0${label}`;
    let r = parsed.get(key);
    if (!r) {
      const body = rev.text.replace(/^\uFEFF/, '');
      // The sample workspace is seeded with the bundled files: the same text loads to the same model,
      // so reuse the bundled parse (it halves the host's first library listing).
      const same = [...bundled(kind).values()].find((b) => b.text === rev.text);
      r = same ? { ok: true, value: { ...same.model, file: label } } : kind === 'workflow' ? loadWorkflowText(body, label) : loadScenarioText(body, label);
      if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
      parsed.set(key, r);
    }
    return r;
  }

  /** Whether the workspace holds a live (not deleted) model with this id, which shadows a bundled one. */
  const inWorkspace = (kind: Kind, id: string): boolean => listModels(kind).some((m) => m.id === id);

  /** The model an id means: the workspace's latest revision, else the bundled one. */
  function resolveModel<T extends Workflow | Scenario>(kind: Kind, id: string, live?: ReadonlySet<string>): Resolved<T> {
    if (live ? live.has(id) : inWorkspace(kind, id)) {
      const rev = getRevision(kind, id)!;
      const r = parseRevision(kind, rev);
      // Saved texts passed the loader when saved; a later, stricter loader can still refuse one.
      if (!r.ok) throw new ApiError('invalid_model', `${kind} "${id}" revision ${rev.revision} no longer loads; open and fix it`, apiIssues(r.issues));
      return { id, source: 'workspace', revision: rev.revision, model: r.value as T, text: rev.text, fileName: revisionFileName(rev), format: rev.format };
    }
    const b = bundled(kind).get(id);
    if (!b) throw new ApiError('not_found', `no ${kind} "${id}" in the workspace or the bundled library`);
    return { id, source: 'bundled', revision: null, model: b.model as T, text: b.text, fileName: b.fileName, format: b.format };
  }

  function getDocument(kind: Kind, id: string, revision: number | undefined): ApiResponse<'workflow.get'> {
    if (revision !== undefined || inWorkspace(kind, id)) {
      const rev = getRevision(kind, id, revision);
      if (!rev) throw new ApiError('not_found', `no ${kind} "${id}"${revision !== undefined ? ` revision ${revision}` : ''} in this workspace`);
      return { id, source: 'workspace', revision: rev.revision, format: rev.format, fileName: revisionFileName(rev), text: rev.text };
    }
    const b = bundled(kind).get(id);
    if (!b) throw new ApiError('not_found', `no ${kind} "${id}" in the workspace or the bundled library`);
    return { id, source: 'bundled', revision: null, format: b.format, fileName: b.fileName, text: b.text };
  }

  /** Bundled models not shadowed by the workspace, then the workspace's, ordered by id. */
  function merged<S>(
    kind: Kind,
    summarise: (m: ModelSummaryFields | undefined, base: { id: string; name: string; source: Source; revision: number | null; updatedAt: string | null }) => S & { id: string },
  ): S[] {
    const live = listModels(kind);
    const shadowed = new Set(live.map((m) => m.id));
    const out: (S & { id: string })[] = [];
    for (const b of bundled(kind).values()) {
      if (!shadowed.has(b.summary.id)) out.push(summarise(b.summary, { id: b.summary.id, name: b.summary.name, source: 'bundled', revision: null, updatedAt: null }));
    }
    for (const m of live) {
      const rev = getRevision(kind, m.id, m.latestRevision);
      // A revision identical to a bundled file (the sample workspace's) is summarised without a parse.
      const same = rev ? [...bundled(kind).values()].find((b) => b.text === rev.text) : undefined;
      const r = rev && !same ? parseRevision(kind, rev) : undefined;
      // A revision the current loader refuses is still listed, so the user can open and fix it.
      const summary = same ? same.summary : r?.ok ? summaryOf(kind, r.value) : undefined;
      out.push(summarise(summary, { id: m.id, name: m.name, source: 'workspace', revision: m.latestRevision, updatedAt: m.updatedAt }));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  function saveModel(kind: Kind, req: Req<'workflow.save'>): ApiResponse<'workflow.save'> {
    const input = { text: req.text, file: req.fileName, ...(req.reason !== undefined ? { reason: req.reason } : {}) };
    const r = kind === 'workflow' ? ws.saveWorkflowRevision(input) : ws.saveScenarioRevision(input);
    // A workspace model with a bundled id shadows the bundled one from now on: that is how a user
    // adapts a bundled workflow.
    return { id: r.id, revision: r.revision };
  }

  function history(kind: Kind, id: string): ApiResponse<'workflow.history'> {
    const revs = kind === 'workflow' ? ws.listWorkflowRevisions(id) : ws.listScenarioRevisions(id);
    if (revs.length === 0 && !bundled(kind).has(id)) throw new ApiError('not_found', `no ${kind} "${id}" in the workspace or the bundled library`);
    // The reason of a revision lives in its audit entry, not in the revision row.
    const reasons = new Map<number, string | null>();
    for (const e of ws.auditLog({ entityType: kind, entityId: id })) {
      const rev = (e.after as { revision?: unknown } | null)?.revision;
      if (typeof rev === 'number') reasons.set(rev, e.reason);
    }
    return { revisions: revs.map((r) => ({ revision: r.revision, createdAt: r.createdAt, author: r.author, reason: reasons.get(r.revision) ?? null })) };
  }

  function refuseIfReadOnly(): void {
    if (ws.readOnly) throw new ApiError('conflict', `${ws.path}: is open read-only; open it for writing to change it`);
  }

  const runner = (options.analysis ?? 'worker') === 'worker' ? new AnalysisRunner(undefined, options.clock) : null;

  /** The exact version of a model a session recorded: a workspace revision, or (null) the bundled one. */
  function modelAt<T extends Workflow | Scenario>(kind: Kind, id: string, revision: number | null): T {
    if (revision === null) {
      const b = bundled(kind).get(id);
      if (!b) throw new ApiError('not_found', `no bundled ${kind} "${id}" (the session was set up with it)`);
      return b.model as T;
    }
    const rev = getRevision(kind, id, revision);
    if (!rev) throw new ApiError('not_found', `no ${kind} "${id}" revision ${revision} in this workspace`);
    const r = parseRevision(kind, rev);
    if (!r.ok) throw new ApiError('invalid_model', `${kind} "${id}" revision ${revision} no longer loads`, apiIssues(r.issues));
    return r.value as T;
  }

  const tabletop = tabletopHandlers({
    ws,
    clock: options.clock ?? (() => new Date()),
    refuseIfReadOnly,
    latest: <T extends Workflow | Scenario>(kind: Kind, id: string) => {
      const m = resolveModel<T>(kind, id);
      return { id: m.id, revision: m.revision, model: m.model };
    },
    at: modelAt,
  });

  const simulation = simulationHandlers({
    workflow: (id) => resolveModel<Workflow>('workflow', id).model,
    scenarios: (ids) => resolveScenarioIds(ids && ids.length ? [...new Set(ids)] : allScenarioIds()).map((s) => s.model),
    // Inline services (tests) keep the simulation on the calling thread too.
    workers: (options.analysis ?? 'worker') === 'worker' ? appSimulationWorkers() : 0,
  });

  const accountability = accountabilityHandlers({
    ws,
    refuseIfReadOnly,
    report: (workflowIds, scenarioIds) => accountabilityReport(workflowIds, scenarioIds),
    printPdf: options.printPdf ?? chromiumPdfPrinter,
    toolVersion: VERSION,
  });

  /**
   * The accountability report of workflows against scenarios (default: every one), from analyses run
   * one workflow at a time through the runner (off the host's thread), then one report of them all.
   */
  async function accountabilityReport(workflowIds: readonly string[], scenarioIds?: readonly string[]): Promise<AccountabilityRun> {
    const live = new Set(listModels('workflow').map((m) => m.id));
    const workflows = [...new Set(workflowIds)].map((id) => resolveModel<Workflow>('workflow', id, live));
    const scenarios = resolveScenarioIds(scenarioIds && scenarioIds.length ? [...new Set(scenarioIds)] : allScenarioIds());
    const reports: AnalysisReport[] = [];
    for (const wf of workflows) reports.push(await analyse(wf.model, scenarios.map((s) => s.model), stagesFor(scenarios, wf.id)));
    const report: AnalysisReport = { ...reports[0]!, workflows: reports.flatMap((r) => r.workflows) };
    const lint = Object.fromEntries(workflows.map((w) => [w.id, lintWorkflow(w.model)]));
    const doc = accountabilityFromReport(report, lint, { generatedAt: (options.clock ?? (() => new Date()))().toISOString(), toolVersion: VERSION, scenarios: scenarios.map((s) => s.model) });
    return { doc, analysis: report, workflows: workflows.map((w) => w.model), scenarios: scenarios.map((s) => s.model) };
  }

  const handlers: Handlers = {
    'app.info': () => ({ version: VERSION, mode: options.mode, workspacePath: ws.path, readOnly: ws.readOnly }),

    'library.list': () => ({
      workflows: merged<ApiResponse<'library.list'>['workflows'][number]>('workflow', (w, base) => ({
        ...base,
        family: w?.kind === 'workflow' ? w.family : '',
        variant: w?.kind === 'workflow' ? w.variant : 'custom',
        accountClasses: w?.kind === 'workflow' ? [...w.accountClasses] : [],
      })),
      scenarios: merged<ApiResponse<'library.list'>['scenarios'][number]>('scenario', (s, base) => ({
        ...base,
        targetClass: s?.kind === 'scenario' ? s.targetClass : '',
        capabilities: s?.kind === 'scenario' ? [...s.capabilities] : [],
        reference: s?.kind === 'scenario' ? s.reference : null,
      })),
    }),

    'workflow.get': (req) => getDocument('workflow', req.id, req.revision),
    'workflow.save': (req) => saveModel('workflow', req),
    'workflow.history': (req) => history('workflow', req.id),
    'scenario.get': (req) => getDocument('scenario', req.id, req.revision),
    'scenario.save': (req) => saveModel('scenario', req),

    'analysis.run': async (req) => {
      // Refuse before the analysis, not after spending it on a result that cannot be kept.
      if (req.save) refuseIfReadOnly();
      const wf = resolveModel<Workflow>('workflow', req.workflowId);
      const ids = req.scenarioIds && req.scenarioIds.length > 0 ? [...new Set(req.scenarioIds)] : allScenarioIds();
      const scenarios = resolveScenarioIds(ids);
      const stageWorkflows = stagesFor(scenarios, wf.id);
      const report = await analyse(wf.model, scenarios.map((s) => s.model), stageWorkflows);
      if (!req.save) return { runId: null, report, auditHead: ws.auditHead() };
      const run = ws.saveRun({
        kind: 'analysis',
        workflow: { id: wf.id, revision: wf.revision, sha256: wf.source === 'bundled' ? sha256(wf.text) : null },
        scenarioIds: ids,
        params: {
          workflowSource: wf.source,
          scenarios: scenarios.map((s) => ({ id: s.id, source: s.source, revision: s.revision })),
          ...(stageWorkflows.length ? { stageWorkflows: stageWorkflows.map((m) => ({ id: m.id, source: m.source, revision: m.revision })) } : {}),
        },
        // The headline counts and whether every scenario was searched exhaustively, so the run list shows them without opening results.
        summary: { ...report.workflows[0]!.totals, exhaustive: report.workflows[0]!.scenarios.every((s) => s.search.exhaustive) },
        result: report,
      });
      // The head after the save, so a report exported from it vouches for its own run too.
      return { runId: run.id, report, auditHead: ws.auditHead() };
    },

    'analysis.cancel': (req) => ({ cancelled: runner?.cancel(req.workflowId) ?? false }),

    // Inline analyses block the calling thread, so nobody can ask while one runs: null there.
    'analysis.progress': () => ({ progress: runner?.progress() ?? null }),

    'analysis.list': (req) => ({
      runs: (() => {
        // One listing of the workspace's workflows for the whole list, not one per run.
        const live = new Map(listModels('workflow').map((m) => [m.id, m.latestRevision]));
        return ws
          .listRuns({ ...(req.workflowId !== undefined ? { workflowId: req.workflowId } : {}), limit: req.limit ?? 1000 })
          .filter((r) => r.kind === 'analysis')
          .map((r) => toApiRun(r, (x) => isStale(x, live)));
      })(),
    }),

    'analysis.delete': (req) => {
      refuseIfReadOnly();
      // Only the run's row is read: a run whose stored result is damaged can still be deleted.
      const run = ws.getRunInfo(req.runId);
      if (!run || run.kind !== 'analysis') throw new ApiError('not_found', `no analysis run "${req.runId}" in this workspace`);
      // Storage deletes the run and its result in one transaction with its audit entry (action "delete", the run's summary as "before").
      ws.deleteRun(req.runId, req.reason !== undefined ? { reason: req.reason } : {});
      return { deleted: req.runId, auditHead: ws.auditHead() };
    },

    'workspace.size': () => ws.diskUsage(),

    'analysis.get': (req) => {
      const run = ws.getRun(req.runId);
      if (!run || run.kind !== 'analysis') throw new ApiError('not_found', `no analysis run "${req.runId}" in this workspace`);
      // Runs stored by an earlier version (resetpath/analysis@1) are read as @2.
      return { run: toApiRun(run, (x) => isStale(x)), report: upgradeReport(run.result), auditHead: ws.auditHead() };
    },

    'report.accountability': async (req) => {
      const { doc } = await accountabilityReport(req.workflowIds ?? merged('workflow', (_m, base) => base).map((w) => w.id));
      // Named owners and remediation state from the workspace, as `report --workspace` shows them.
      return reportWithWorkspace(ws, doc, doc.generatedAt);
    },

    'audit.log': (req) => ({
      entries: ws.auditLog({ limit: req.limit ?? 5000 }).map((e) => ({ seq: e.seq, at: e.at, user: e.actor, entityType: e.entityType, entityId: e.entityId, action: e.action, reason: e.reason })),
    }),

    'audit.verify': () => {
      const v = ws.verifyAudit();
      return { ok: v.ok, entries: v.entries, firstBad: v.firstBad ? { seq: v.firstBad.seq, problem: v.firstBad.message } : null };
    },

    'settings.get': (req) => ({ value: ws.getSetting(req.key) ?? null }),

    'settings.set': (req) => {
      refuseIfReadOnly();
      const json = JSON.stringify(req.value);
      if (json === undefined) throw new ApiError('bad_request', 'settings.set: value: must be a JSON value');
      if (Buffer.byteLength(json, 'utf8') > MAX_SETTING_BYTES) throw new ApiError('bad_request', `settings.set: value: is larger than ${MAX_SETTING_BYTES} bytes as JSON`);
      ws.setSetting(req.key, req.value);
      return { ok: true as const };
    },

    ...tabletop,
    ...accountability,
    ...simulation.handlers,
  };

  const bundledSha = new Map<string, string>();
  /**
   * Whether a run was made on another version of its workflow than the one the id means now: the
   * workspace's latest revision, else the bundled file (compared by hash, so an upgraded bundled
   * file makes its old runs stale too). A workflow that exists nowhere any more is stale.
   */
  function isStale(r: RunInfo, live: ReadonlyMap<string, number> = new Map(listModels('workflow').map((m) => [m.id, m.latestRevision]))): boolean {
    const latest = live.get(r.workflow.id);
    if (latest !== undefined) return r.workflow.revision !== latest;
    const b = bundled('workflow').get(r.workflow.id);
    if (!b) return true;
    if (r.workflow.revision !== null) return true;
    let sha = bundledSha.get(r.workflow.id);
    if (sha === undefined) bundledSha.set(r.workflow.id, (sha = sha256(b.text)));
    return r.workflow.sha256 !== null && r.workflow.sha256 !== sha;
  }

  /** Scenarios by id, with one listing of the workspace's for all of them (up to 200). */
  function resolveScenarioIds(ids: readonly string[]): Resolved<Scenario>[] {
    const live = new Set(listModels('scenario').map((m) => m.id));
    return ids.map((id) => resolveModel<Scenario>('scenario', id, live));
  }

  /** The workflows campaign stages go through (other than `workflowId`): the workspace's version of each, else the bundled one. */
  function stagesFor(scenarios: readonly Resolved<Scenario>[], workflowId: string): Resolved<Workflow>[] {
    const live = new Set(listModels('workflow').map((m) => m.id));
    return campaignWorkflowIds(scenarios.map((s) => s.model))
      .filter((id) => id !== workflowId)
      .flatMap((id) => {
        try {
          return [resolveModel<Workflow>('workflow', id, live)];
        } catch {
          // Missing, or a workspace revision that no longer loads: the report says the stage was not analysed.
          return [];
        }
      });
  }

  /** One workflow against scenarios, in the worker when there is one; campaign stages through `stages`. */
  function analyse(workflow: Workflow, scenarios: Scenario[], stages: readonly Resolved<Workflow>[]): Promise<AnalysisReport> | AnalysisReport {
    const job = { workflow, scenarios, options: { workflows: new Map(stages.map((m) => [m.id, m.model])) } };
    return runner ? runner.run(job) : inline(job);
  }

  function allScenarioIds(): string[] {
    const ids = new Set([...bundled('scenario').keys(), ...listModels('scenario').map((s) => s.id)]);
    return [...ids].sort();
  }

  async function dispatch<K extends ApiKey>(key: K, payload: unknown): Promise<DispatchResult<K>> {
    try {
      const req = parseRequest(key, payload);
      const value = await (handlers[key] as (r: unknown) => unknown)(req);
      if (!validate) return { ok: true, value: value as ApiResponse<K> };
      const checked = API[key].response.safeParse(value);
      if (!checked.success) {
        const first = checked.error.issues[0];
        log(`resetpath backend: ${key}: response does not match the contract at ${first?.path.join('.') || '(root)'}: ${first?.message ?? ''}`);
        return { ok: false, error: { code: 'internal', message: 'internal error; the details are in the backend log' } };
      }
      return { ok: true, value: checked.data as ApiResponse<K> };
    } catch (e) {
      return { ok: false, error: toApiErrorBody(e, key, log) };
    }
  }

  const api = Object.fromEntries(
    API_KEYS.map((key) => [
      key,
      async (request: unknown) => {
        const r = await dispatch(key, request);
        if (r.ok) return r.value;
        throw new ApiError(r.error.code, r.error.message, r.error.issues);
      },
    ]),
  ) as AppApi;

  return {
    workspacePath: ws.path,
    readOnly: ws.readOnly,
    mode: options.mode,
    dispatch,
    api,
    backup: (destPath) => backupWorkspace(ws, destPath, log),
    close: () => {
      runner?.close();
      simulation.close();
      ws.close();
    },
  };
}

/** Runs an analysis on the calling thread (the CLI, tests that ask for it). */
function inline(job: AnalysisJob): AnalysisReport {
  try {
    return buildAnalysisReport([analyzeWorkflow(job.workflow, job.scenarios, job.options)]);
  } catch (e) {
    if (e instanceof AnalysisLimitError) throw new ApiError('invalid_model', e.message, [{ file: e.file, path: e.path, message: e.message }]);
    throw e;
  }
}

function toApiRun(r: RunInfo, isStale: (r: RunInfo) => boolean): ApiResponse<'analysis.list'>['runs'][number] {
  const summary = (r.summary ?? {}) as { paths?: unknown; privilegedPaths?: unknown; undetected?: unknown; scenariosWithTakeover?: unknown; exhaustive?: unknown };
  return {
    id: r.id,
    workflowId: r.workflow.id,
    workflowRevision: r.workflow.revision,
    scenarioIds: r.scenarioIds,
    createdAt: r.createdAt,
    author: r.author,
    paths: countOf(summary.paths),
    privilegedPaths: countOf(summary.privilegedPaths),
    undetected: summary.undetected === undefined ? null : countOf(summary.undetected),
    scenariosWithTakeover: typeof summary.scenariosWithTakeover === 'number' && Number.isInteger(summary.scenariosWithTakeover) && summary.scenariosWithTakeover >= 0 ? summary.scenariosWithTakeover : null,
    exhaustive: typeof summary.exhaustive === 'boolean' ? summary.exhaustive : null,
    resultBytes: r.resultBytes,
    stale: isStale(r),
    ...(r.damaged !== undefined ? { damaged: r.damaged } : {}),
  };
}

/** A count from a stored run summary: a number, or a decimal string for counts past 2^53 - 1. */
function countOf(v: unknown): number | string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return v;
  return 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
