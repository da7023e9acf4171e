// The workbench's state and the calls that change it: library, open workflow, backend analysis,
// what-if in the renderer, selection. Components read this and call its actions; they compute
// nothing themselves.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { AnalysisCache, campaignWorkflowIds } from '../analysis/index.ts';
import type { ApiErrorBody, ApiResponse, AppApi } from '../contract/index.ts';
import { loadWorkflowText, type ModelIssue, type Workflow } from '../models/index.ts';
import { loadScenarioText, type Scenario } from '../scenarios/index.ts';
import { offerDownload, onShellMessage, toErrorBody, type Boot } from './bridge.ts';
import { computeGraphLayout, type GraphLayout } from './compute/computeGraphLayout.ts';
import { computeOverlay, type Overlay, type RouteLike } from './compute/computeOverlay.ts';
import { exampleTrace, findClass, isModelFileName, openingClass, reportExport, type ExampleTrace, type ReportClass, type ReportExample, type ReportScenario, type ReportWorkflow } from './compute/computeResults.ts';
import { runDate, type StoredRun } from './compute/computeRuns.ts';
import type { AnalysisProgress } from './compute/computeProgress.ts';
import { analyseWhatIf, applyWhatIf, nextChanges, type WhatIfRow } from './compute/computeWhatIf.ts';
import { fromTemplate } from './compute/computeEditor.ts';
import { variantText } from './compute/computeVisualEdit.ts';

export type AppInfo = ApiResponse<'app.info'>;
export type WorkspaceSize = ApiResponse<'workspace.size'>;

/** The stored runs of the open workflow, newest first. */
export interface RunsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  list: StoredRun[];
  error: ApiErrorBody | null;
}
export type Library = ApiResponse<'library.list'>;

export interface OpenWorkflow {
  id: string;
  status: 'loading' | 'ready' | 'invalid' | 'error';
  workflow: Workflow | null;
  issues: ModelIssue[];
  error: ApiErrorBody | null;
}

export interface RunState {
  /** 'opening' while a stored run is fetched from the workspace. */
  status: 'idle' | 'opening' | 'running' | 'done' | 'error';
  report: ReportWorkflow | null;
  runId: string | null;
  /** The workspace's audit head when the analysis came back; exports carry it as a witness. */
  auditHead: { seq: number; hash: string } | null;
  ms: number | null;
  error: ApiErrorBody | null;
  /** Set when the report on screen was opened from the workspace rather than just run: when it was made, and whether the workflow has changed since. */
  kept: { createdAt: string; stale: boolean; workflowRevision: number | null } | null;
  /** While running: how far the backend last said it had got (null until it has said), and the time since Run. */
  progress: { reported: AnalysisProgress | null; elapsedMs: number } | null;
  /** Cancel was asked for and the backend has not answered yet. */
  cancelling: boolean;
}

export interface WhatIfState {
  changes: ReadonlyMap<string, boolean>;
  workflow: Workflow | null;
  report: ReportWorkflow | null;
  /** 'paths' while gap attribution and control sets are still being recomputed. */
  phase: 'paths' | 'full' | null;
  /**
   * The latest what-if analysis with its gaps and sets: this one's once complete, the previous
   * change's while this one's are recomputed (null before the first is complete).
   */
  gaps: ReportWorkflow | null;
  analysisMs: number | null;
  /** From the click to the DOM holding the new graph and table (analysis, layout, React commit). */
  commitMs: number | null;
  /** From the click to the next animation frame after that commit. */
  frameMs: number | null;
  seq: number;
  clickAt: number;
}

export type Tab = 'workflow' | 'path' | 'whatif' | 'fix' | 'runs';

/** The class of takeover paths on screen, and which of its examples. */
export interface Selection {
  scenario: ReportScenario;
  cls: ReportClass;
  /** Position of the class in its scenario. */
  index: number;
  example: ReportExample;
  exampleIndex: number;
}

/** A one-off message above the graph: an import's result, a refused file, a menu command's answer. */
export interface Notice {
  tone: 'good' | 'bad' | 'info';
  text: string;
  error?: ApiErrorBody;
}

const IDLE_RUN: RunState = { status: 'idle', report: null, runId: null, auditHead: null, ms: null, error: null, kept: null, progress: null, cancelling: false };

/** How often the workbench asks how far a running analysis has got. */
export const PROGRESS_POLL_MS = 200;
const NO_RUNS: RunsState = { status: 'idle', list: [], error: null };
const NO_WHATIF: WhatIfState = { changes: new Map(), workflow: null, report: null, phase: null, gaps: null, analysisMs: null, commitMs: null, frameMs: null, seq: 0, clickAt: 0 };

export interface Workbench {
  info: AppInfo | null;
  library: Library | null;
  libraryError: ApiErrorBody | null;
  open: OpenWorkflow | null;
  run: RunState;
  /** The open workflow's stored runs. */
  runs: RunsState;
  /** What the workspace takes on disk, refreshed after each run and deletion. */
  workspaceSize: WorkspaceSize | null;
  whatIf: WhatIfState;
  scenariosReady: boolean;
  scenariosError: ApiErrorBody | null;
  /** The report on screen: what-if when changes are active, else the backend's. */
  report: ReportWorkflow | null;
  /** The workflow on screen (with what-if changes applied). */
  workflow: Workflow | null;
  layout: GraphLayout | null;
  overlay: Overlay | null;
  selectedScenario: string | null;
  selectedClass: string | null;
  selection: Selection | null;
  /** The selected class existed in the analysis but the what-if changes closed it. */
  closed: boolean;
  /** The selected example replayed against the workflow on screen; null until its scenario is loaded. */
  trace: ExampleTrace | null;
  tab: Tab;
  notice: Notice | null;
  actions: {
    openWorkflow(id: string): void;
    runAnalysis(): void;
    /** Stops the running analysis (nothing of it is saved); the report that was on screen stays. */
    cancelAnalysis(): void;
    /** Shows a stored run of the open workflow. */
    openRun(runId: string): void;
    /** Deletes a stored run (audited by the backend); the next newest is shown if the deleted one was on screen. */
    deleteRun(runId: string): void;
    selectScenario(id: string | null): void;
    selectClass(id: string | null): void;
    selectExample(index: number): void;
    setTab(tab: Tab): void;
    toggleControl(row: Pick<WhatIfRow, 'id' | 'original' | 'change'>, action: 'toggle' | 'harden' | 'undo'): void;
    applySet(controls: readonly string[]): void;
    resetWhatIf(): void;
    reloadLibrary(): void;
    importFiles(files: readonly File[]): void;
    exportReport(): void;
    /** Saves the open workflow with the what-if changes written into its file, as a new workflow `id`. */
    saveVariant(id: string, name: string): Promise<boolean>;
    dismissNotice(): void;
  };
}

const now = () => performance.now();


/** `active`: whether the workbench is the screen on show; the shell's File › Export Report goes to the screen on show. */
export function useWorkbench(api: AppApi, boot?: Boot, active = true): Workbench {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [library, setLibrary] = useState<Library | null>(null);
  const [libraryError, setLibraryError] = useState<ApiErrorBody | null>(null);
  const [open, setOpen] = useState<OpenWorkflow | null>(null);
  const [run, setRun] = useState<RunState>(IDLE_RUN);
  const [runs, setRuns] = useState<RunsState>(NO_RUNS);
  const [workspaceSize, setWorkspaceSize] = useState<WorkspaceSize | null>(null);
  const [whatIf, setWhatIf] = useState<WhatIfState>(NO_WHATIF);
  const [scenarios, setScenarios] = useState<Scenario[] | null>(null);
  const [scenariosError, setScenariosError] = useState<ApiErrorBody | null>(null);
  const [selectedScenario, setSelectedScenario] = useState<string | null>(null);
  const [selectedClass, setSelectedClass] = useState<string | null>(null);
  const [selectedExample, setSelectedExample] = useState(0);
  const [tab, setTab] = useState<Tab>('workflow');
  const [notice, setNotice] = useState<Notice | null>(null);
  const openSeq = useRef(0);
  const runSeq = useRef(0);
  // The run whose analysis the backend is working on (its runSeq and workflow), and the one the user asked to cancel.
  const inFlight = useRef<{ seq: number; workflowId: string; name: string } | null>(null);
  const cancelAsked = useRef<number | null>(null);
  // Read when a report arrives: the scenario the user picked meanwhile stays picked.
  const pickedScenario = useRef<string | null>(null);
  pickedScenario.current = selectedScenario;
  const pickedClass = useRef<string | null>(null);
  pickedClass.current = selectedClass;
  const openRef = useRef<OpenWorkflow | null>(null);
  openRef.current = open;
  const scenarioCache = useRef(new Map<string, Promise<Scenario>>());
  // The other workflows campaign stages go through, loaded with the scenarios (what-if resolves them here).
  const stageWorkflows = useRef<ReadonlyMap<string, Workflow>>(new Map());
  const layoutCache = useRef(new Map<string, GraphLayout>());
  // Evaluations and attribution labels of the open workflow's analyses: what-if re-analysis reuses them.
  const analysisCache = useRef(new AnalysisCache());

  const bootRef = useRef(boot);
  const reloadLibrary = useCallback(() => {
    setLibraryError(null);
    const first = bootRef.current;
    bootRef.current = undefined;
    Promise.all(first ? [first.info, first.library] : [api['app.info']({}), api['library.list']({})]).then(
      ([i, l]) => {
        setInfo(i);
        setLibrary(l);
      },
      (e: unknown) => setLibraryError(toErrorBody(e)),
    );
  }, [api]);

  useEffect(() => reloadLibrary(), [reloadLibrary]);

  /**
   * Moving on from a running analysis (another workflow opened, a stored run put on screen) stops it:
   * the backend runs one analysis at a time per workspace, and one nobody waits for would hold it and
   * refuse the next Run. Only that run is stopped (by its workflow), and the user is told.
   */
  const leaveRun = useCallback(() => {
    const f = inFlight.current;
    if (!f) return;
    inFlight.current = null;
    api['analysis.cancel']({ workflowId: f.workflowId }).then(
      ({ cancelled }) => {
        if (cancelled) setNotice({ tone: 'info', text: `The analysis of “${f.name}” was cancelled when you moved on from it; nothing of it was saved. Run it again to see its result.` });
      },
      () => undefined,
    );
  }, [api]);

  const openWorkflow = useCallback(
    (id: string) => {
      // The workflow on screen, asked for again while its analysis runs: the screen and the run stay.
      if (id === openRef.current?.id && inFlight.current?.workflowId === id) return;
      leaveRun();
      const seq = ++openSeq.current;
      runSeq.current++;
      setOpen({ id, status: 'loading', workflow: null, issues: [], error: null });
      setRun(IDLE_RUN);
      setRuns({ ...NO_RUNS, status: 'loading' });
      setWhatIf(NO_WHATIF);
      setScenarios(null);
      setSelectedScenario(null);
      setSelectedClass(null);
      setSelectedExample(0);
      setTab('workflow');
      layoutCache.current.clear();
      analysisCache.current = new AnalysisCache();
      stageWorkflows.current = new Map();
      api['workflow.get']({ id }).then(
        (doc) => {
          if (seq !== openSeq.current) return;
          const r = loadWorkflowText(doc.text, doc.fileName);
          if (r.ok) setOpen({ id, status: 'ready', workflow: r.value, issues: [], error: null });
          else setOpen({ id, status: 'invalid', workflow: null, issues: r.issues, error: null });
        },
        (e: unknown) => {
          if (seq === openSeq.current) setOpen({ id, status: 'error', workflow: null, issues: [], error: toErrorBody(e) });
        },
      );
      // Reopening a workflow shows its last stored run, unless the user has started a run meanwhile.
      const idle = runSeq.current;
      void refreshRunsRef.current(id).then((list) => {
        if (seq === openSeq.current && idle === runSeq.current && list[0]) showRunRef.current(list[0].id);
      });
    },
    [api, leaveRun],
  );

  const loadScenarios = useCallback(
    (ids: readonly string[]): Promise<Scenario[]> =>
      Promise.all(
        ids.map((id) => {
          let p = scenarioCache.current.get(id);
          if (!p) {
            p = api['scenario.get']({ id }).then((doc) => {
              const r = loadScenarioText(doc.text, doc.fileName);
              if (!r.ok) throw { code: 'invalid_model', message: `scenario ${id} does not load: ${r.issues[0]?.message ?? 'invalid'}`, issues: r.issues };
              return r.value;
            });
            p.catch(() => scenarioCache.current.delete(id));
            scenarioCache.current.set(id, p);
          }
          return p;
        }),
      ),
    [api],
  );

  /**
   * The workflows the scenarios' campaign stages name, other than the open one, as the backend
   * resolves them (the workspace's, else the bundled); one that cannot be loaded is left out, and
   * what-if then reports its stage as not analysed, as the backend would.
   */
  const loadStageWorkflows = useCallback(
    async (list: readonly Scenario[], openId: string): Promise<ReadonlyMap<string, Workflow>> => {
      const ids = campaignWorkflowIds(list).filter((id) => id !== openId);
      const loaded = await Promise.all(
        ids.map((id) =>
          api['workflow.get']({ id }).then(
            (doc) => {
              const r = loadWorkflowText(doc.text, doc.fileName);
              return r.ok ? ([[id, r.value]] as const) : [];
            },
            () => [],
          ),
        ),
      );
      return new Map(loaded.flat());
    },
    [api],
  );

  /** Lists the stored runs of a workflow (and the workspace's size); resolves with the list, empty on failure. */
  const refreshRuns = useCallback(
    (workflowId: string): Promise<StoredRun[]> => {
      const seq = openSeq.current;
      api['workspace.size']({}).then(setWorkspaceSize, () => undefined);
      return api['analysis.list']({ workflowId, limit: 100 }).then(
        (r) => {
          if (seq === openSeq.current) setRuns({ status: 'ready', list: r.runs, error: null });
          return r.runs;
        },
        (e: unknown) => {
          if (seq === openSeq.current) setRuns({ status: 'error', list: [], error: toErrorBody(e) });
          return [];
        },
      );
    },
    [api],
  );

  /**
   * Puts a report on screen: what-if cleared, the scenario the user picked kept (else the first
   * class worth showing), and the scenarios loaded for what-if in the background.
   */
  const showReport = useCallback(
    (report: ReportWorkflow, seq: number, workflowId: string, keepTab = false) => {
      setWhatIf(NO_WHATIF);
      const at = openingClass(report, pickedScenario.current, pickedClass.current);
      setSelectedScenario(at.scenario);
      setSelectedClass(at.cls);
      if (!keepTab && (at.cls || !at.picked)) setTab(at.cls ? 'path' : 'fix');
      setSelectedExample(0);
      setScenariosError(null);
      loadScenarios(report.scenarios.map((s) => s.scenario)).then(
        async (list) => {
          const others = await loadStageWorkflows(list, workflowId);
          if (seq !== runSeq.current) return;
          stageWorkflows.current = others;
          setScenarios(list);
          // One throw-away pass while the user reads the results, so the first what-if toggle
          // runs on compiled code rather than paying for the engine's warm-up.
          // For a workflow of moderate size the full pass also fills the session cache, so even the
          // first toggle's attribution re-evaluates only what it changes.
          const wf = openRef.current?.id === workflowId ? openRef.current.workflow : null;
          if (wf) setTimeout(() => analyseWhatIf(wf, list, wf.stepOrder.length <= 80 ? 'full' : 'paths', analysisCache.current, stageWorkflows.current), 50);
        },
        (e: unknown) => seq === runSeq.current && setScenariosError(toErrorBody(e)),
      );
    },
    [loadScenarios, loadStageWorkflows],
  );

  /** Shows a stored run; `keepTab` when asked from the Runs tab, which then stays open. */
  const showRun = useCallback(
    (runId: string, keepTab = false) => {
      const workflowId = openRef.current?.id;
      if (!workflowId) return;
      const seq = ++runSeq.current;
      setRun((r) => ({ ...r, status: 'opening', error: null }));
      api['analysis.get']({ runId }).then(
        (res) => {
          if (seq !== runSeq.current) return;
          const report = res.report.workflows[0] ?? null;
          setRun({ ...IDLE_RUN, status: 'done', report, runId: res.run.id, auditHead: res.auditHead, kept: { createdAt: res.run.createdAt, stale: res.run.stale, workflowRevision: res.run.workflowRevision } });
          if (report) showReport(report, seq, workflowId, keepTab);
        },
        (e: unknown) => {
          if (seq === runSeq.current) setRun({ ...IDLE_RUN, status: 'error', error: toErrorBody(e) });
        },
      );
    },
    [api, showReport],
  );

  // openWorkflow is declared before these; it reaches them through refs.
  const refreshRunsRef = useRef(refreshRuns);
  refreshRunsRef.current = refreshRuns;
  const showRunRef = useRef(showRun);
  showRunRef.current = showRun;

  const deleteRun = useCallback(
    (runId: string) => {
      const workflowId = openRef.current?.id;
      if (!workflowId) return;
      const row = runs.list.find((r) => r.id === runId);
      api['analysis.delete']({ runId, reason: 'deleted in the workbench' }).then(
        () => {
          setNotice({ tone: 'info', text: `Deleted the run of ${row ? runDate(row.createdAt) : runId} from the workspace (recorded in the audit log).` });
          const onScreen = run.runId === runId;
          void refreshRuns(workflowId).then((list) => {
            if (!onScreen || openRef.current?.id !== workflowId) return;
            // The run on screen is gone: show the next newest, else nothing.
            if (list[0]) showRun(list[0].id, true);
            else {
              runSeq.current++;
              setRun(IDLE_RUN);
              setWhatIf(NO_WHATIF);
              setSelectedClass(null);
            }
          });
        },
        (e: unknown) => setNotice({ tone: 'bad', text: 'The run was not deleted', error: toErrorBody(e) }),
      );
    },
    [api, runs.list, run.runId, refreshRuns, showRun],
  );

  const pollTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pollTimer.current), []);

  const runAnalysis = useCallback(() => {
    if (!open || open.status !== 'ready') return;
    const seq = ++runSeq.current;
    const workflowId = open.id;
    const started = now();
    inFlight.current = { seq, workflowId, name: open.workflow?.name ?? workflowId };
    cancelAsked.current = null;
    setRun((r) => ({ ...r, status: 'running', error: null, progress: { reported: null, elapsedMs: 0 }, cancelling: false }));
    // Ask how far the analysis has got until it ends (or the user has moved on to another workflow or run).
    const polling = () => seq === runSeq.current && inFlight.current?.seq === seq;
    const poll = () => {
      if (!polling()) return;
      api['analysis.progress']({}).then(
        ({ progress }) => {
          if (!polling()) return;
          // Another screen's analysis is not this run's progress.
          const mine = progress && progress.workflowId === workflowId ? progress : null;
          setRun((r) => (r.status === 'running' ? { ...r, progress: { reported: mine ?? r.progress?.reported ?? null, elapsedMs: now() - started } } : r));
        },
        () => undefined,
      ).finally(() => {
        clearTimeout(pollTimer.current);
        if (polling()) pollTimer.current = setTimeout(poll, PROGRESS_POLL_MS);
      });
    };
    pollTimer.current = setTimeout(poll, PROGRESS_POLL_MS);
    api['analysis.run']({ workflowId, save: !(info?.readOnly ?? false) }).then(
      (res) => {
        if (inFlight.current?.seq === seq) inFlight.current = null;
        if (seq !== runSeq.current) return;
        const report = res.report.workflows[0] ?? null;
        setRun({ ...IDLE_RUN, status: 'done', report, runId: res.runId, auditHead: res.auditHead, ms: now() - started });
        if (report) showReport(report, seq, workflowId);
        if (res.runId) void refreshRuns(workflowId);
      },
      (e: unknown) => {
        if (inFlight.current?.seq === seq) inFlight.current = null;
        if (seq !== runSeq.current) return;
        const error = toErrorBody(e);
        if (cancelAsked.current === seq && error.code === 'conflict') {
          // Cancelled: what was on screen before the run stays, as it was.
          setRun((r) => ({ ...r, status: r.report ? 'done' : 'idle', error: null, progress: null, cancelling: false }));
          setNotice({ tone: 'info', text: `Analysis cancelled; nothing of it was saved.${run.report ? ' The previous result stays on screen.' : ''}` });
          return;
        }
        setRun({ ...IDLE_RUN, status: 'error', error });
      },
    );
  }, [api, open, info, showReport, refreshRuns, run.report]);

  const cancelAnalysis = useCallback(() => {
    const f = inFlight.current;
    const seq = f?.seq ?? null;
    if (f === null || seq !== runSeq.current || cancelAsked.current === seq) return;
    cancelAsked.current = seq;
    setRun((r) => (r.status === 'running' ? { ...r, cancelling: true } : r));
    api['analysis.cancel']({ workflowId: f.workflowId }).then(
      ({ cancelled }) => {
        if (cancelled || cancelAsked.current !== seq) return;
        // Nothing was running: it had just finished (its result is on its way) or had not reached the backend yet; Cancel works again.
        cancelAsked.current = null;
        setRun((r) => (r.status === 'running' ? { ...r, cancelling: false } : r));
      },
      (e: unknown) => {
        if (cancelAsked.current === seq) cancelAsked.current = null;
        setRun((r) => (r.status === 'running' ? { ...r, cancelling: false } : r));
        setNotice({ tone: 'bad', text: 'The analysis could not be cancelled', error: toErrorBody(e) });
      },
    );
  }, [api]);

  const applyChanges = useCallback(
    (changes: ReadonlyMap<string, boolean>) => {
      if (!open?.workflow || !scenarios) return;
      const clickAt = now();
      if (changes.size === 0) {
        setWhatIf((w) => ({ ...NO_WHATIF, seq: w.seq + 1 }));
        return;
      }
      const wf = applyWhatIf(open.workflow, changes);
      const report = analyseWhatIf(wf, scenarios, 'paths', analysisCache.current, stageWorkflows.current);
      const analysisMs = now() - clickAt;
      setWhatIf((w) => ({ changes, workflow: wf, report, phase: 'paths', gaps: w.gaps, analysisMs, commitMs: null, frameMs: null, seq: w.seq + 1, clickAt }));
    },
    [open, scenarios],
  );

  const toggleControl = useCallback(
    (row: Pick<WhatIfRow, 'id' | 'original' | 'change'>, action: 'toggle' | 'harden' | 'undo') => applyChanges(nextChanges(whatIf.changes, row, action)),
    [applyChanges, whatIf.changes],
  );

  const applySet = useCallback(
    (controls: readonly string[]) => {
      const next = new Map(whatIf.changes);
      for (const c of controls) next.set(c, true);
      applyChanges(next);
      setTab('whatif');
    },
    [applyChanges, whatIf.changes],
  );

  // The first pass is in the DOM now (layout effects run after React's commit, before paint).
  const commitRef = useRef<{ seq: number; ms: number } | null>(null);
  useLayoutEffect(() => {
    if (whatIf.phase === 'paths' && commitRef.current?.seq !== whatIf.seq) commitRef.current = { seq: whatIf.seq, ms: now() - whatIf.clickAt };
  }, [whatIf.phase, whatIf.seq, whatIf.clickAt]);

  // After the first pass is on screen: record the timings, then attribute gaps and control sets.
  useEffect(() => {
    if (whatIf.phase !== 'paths' || !whatIf.workflow || !scenarios) return;
    const { seq, clickAt, workflow } = whatIf;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const raf = requestAnimationFrame(() => {
      const frameMs = now() - clickAt;
      const commitMs = commitRef.current?.seq === seq ? commitRef.current.ms : null;
      // The timings are shown once this frame is painted, not in it: re-rendering for them here
      // would delay the very frame they measure.
      timer = setTimeout(() => {
        setWhatIf((w) => (w.seq === seq ? { ...w, commitMs, frameMs } : w));
        timer = setTimeout(() => {
          const full = analyseWhatIf(workflow, scenarios, 'full', analysisCache.current, stageWorkflows.current);
          setWhatIf((w) => (w.seq === seq ? { ...w, report: full, phase: 'full', gaps: full } : w));
        }, 0);
      }, 0);
    });
    return () => {
      cancelAnimationFrame(raf);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [whatIf, scenarios]);

  const workflow = whatIf.workflow ?? open?.workflow ?? null;
  const report = whatIf.report ?? run.report;

  const layout = useMemo(() => {
    if (!workflow) return null;
    const key = [...whatIf.changes].map(([k, v]) => `${k}=${v}`).join('&');
    let l = layoutCache.current.get(key);
    if (!l) {
      l = computeGraphLayout(workflow);
      layoutCache.current.set(key, l);
    }
    return l;
  }, [workflow, whatIf.changes]);

  const selection = useMemo((): Selection | null => {
    const hit = report ? findClass(report, selectedClass) : null;
    if (!hit) return null;
    // A what-if pass may leave a class fewer examples than the one selected.
    const exampleIndex = selectedExample < hit.cls.examples.length ? selectedExample : 0;
    return { ...hit, example: hit.cls.examples[exampleIndex]!, exampleIndex };
  }, [report, selectedClass, selectedExample]);
  const closed = !selection && !!selectedClass && !!whatIf.report && !!run.report && !!findClass(run.report, selectedClass);

  const trace = useMemo(() => {
    const sc = selection && scenarios?.find((s) => s.id === selection.scenario.scenario);
    if (!selection || !sc || !workflow || !layout) return null;
    return exampleTrace(workflow, sc, selection.example, new Map(layout.nodes.map((n) => [n.id, n.fullName])));
  }, [selection, scenarios, workflow, layout]);

  const overlay = useMemo(() => {
    if (!layout) return null;
    const shown = selectedScenario ? report?.scenarios.find((s) => s.scenario === selectedScenario) : null;
    const transitions = report ? (shown ?? report).transitions : [];
    // The route is drawn at once; its chips take their verdicts when the replay is ready.
    const route: RouteLike | null = trace?.ok ? trace.route : selection ? { steps: selection.example.route, takeoverStep: selection.example.takeoverStep } : null;
    return computeOverlay(layout, transitions, route);
  }, [layout, report, selectedScenario, selection, trace]);

  const selectScenario = useCallback(
    (id: string | null) => {
      setSelectedScenario(id);
      // Showing every scenario again keeps the class on screen; its route stays drawn over all counts.
      if (id === null) return;
      const sc = report?.scenarios.find((s) => s.scenario === id);
      setSelectedClass(sc?.classes[0]?.id ?? null);
      setSelectedExample(0);
      if (sc) setTab('path');
    },
    [report],
  );

  const selectClass = useCallback(
    (id: string | null) => {
      setSelectedClass(id);
      setSelectedExample(0);
      const hit = id && report ? findClass(report, id) : null;
      if (hit) setSelectedScenario(hit.scenario.scenario);
      if (id) setTab('path');
    },
    [report],
  );

  /** Exports what is on screen: the what-if analysis when changes are active (complete, with its gaps and sets), else the run's. */
  const exportReport = useCallback(() => {
    if (!run.report) {
      setNotice({ tone: 'info', text: 'Run the analysis first: the export is its report.' });
      return;
    }
    let shown = run.report;
    const whatIfOn = !!(whatIf.report && whatIf.workflow && scenarios);
    if (whatIf.report && whatIf.workflow && scenarios) {
      // The first what-if pass has no attribution yet; the export is always the complete document.
      shown = whatIf.phase === 'full' ? whatIf.report : analyseWhatIf(whatIf.workflow, scenarios, 'full', analysisCache.current, stageWorkflows.current);
    }
    const { fileName, text } = reportExport(shown, { runId: run.runId, stale: run.kept?.stale ?? false, changes: whatIfOn ? whatIf.changes : new Map() }, run.auditHead);
    setNotice({
      tone: 'info',
      text: whatIfOn
        ? `Exported the what-if analysis (${whatIf.changes.size} control change${whatIf.changes.size === 1 ? '' : 's'} on the file, not saved) as ${fileName}.`
        : `Exported the baseline analysis${run.kept?.stale ? ' (a stale run: the workflow has changed since)' : ''} as ${fileName}.`,
    });
    offerDownload(fileName, text, 'application/json');
  }, [run.report, run.auditHead, run.runId, run.kept, whatIf, scenarios]);

  /** Saves dropped or picked workflow files to the workspace through workflow.save, then opens the last one. */
  const importFiles = useCallback(
    (files: readonly File[]) => {
      const models = files.filter((f) => isModelFileName(f.name));
      if (models.length === 0) {
        setNotice({ tone: 'info', text: 'Drop workflow files (.yaml, .yml or .json) to add them to the workspace.' });
        return;
      }
      void (async () => {
        const saved: string[] = [];
        const said: string[] = [];
        for (const f of models) {
          try {
            const r = await api['workflow.save']({ fileName: f.name, text: await f.text(), reason: 'added by drag and drop' });
            saved.push(r.id);
            // A known id is a new revision of that workflow, not a second workflow.
            said.push(r.revision > 1 ? `${r.id}, revision ${r.revision} saved` : r.id);
          } catch (e) {
            setNotice({ tone: 'bad', text: `${f.name} was not added`, error: toErrorBody(e) });
            if (saved.length) reloadLibrary();
            return;
          }
        }
        setNotice({ tone: 'good', text: `Added to the workspace: ${said.join('; ')}` });
        reloadLibrary();
        openWorkflow(saved[saved.length - 1]!);
      })();
    },
    [api, reloadLibrary, openWorkflow],
  );

  const saveVariant = useCallback(
    async (id: string, name: string): Promise<boolean> => {
      const wf = open?.status === 'ready' ? open.workflow : null;
      if (!wf || whatIf.changes.size === 0) return false;
      try {
        const doc = await api['workflow.get']({ id: wf.id });
        const v = variantText(doc.text, wf, whatIf.changes);
        if (!v.ok) {
          setNotice({ tone: 'bad', text: `The what-if cannot be saved as a variant: ${v.problem}` });
          return false;
        }
        const said = [...whatIf.changes].map(([c, on]) => `${on ? '+' : '−'}${c}`).join(' ');
        const r = await api['workflow.save']({ fileName: `${id}.yaml`, text: fromTemplate(v.text, id, name), reason: `variant of ${wf.id} saved from what-if: ${said}` });
        setNotice({ tone: 'good', text: `Saved the what-if as ${r.id} (revision ${r.revision}): ${said}` });
        reloadLibrary();
        openWorkflow(r.id);
        return true;
      } catch (e) {
        setNotice({ tone: 'bad', text: 'The variant was not saved', error: toErrorBody(e) });
        return false;
      }
    },
    [api, open, whatIf.changes, reloadLibrary, openWorkflow],
  );

  // The desktop shell's menu commands and imports (browser mode sends none).
  const shellRef = useRef({ exportReport, reloadLibrary, openWorkflow, active });
  shellRef.current = { exportReport, reloadLibrary, openWorkflow, active };
  useEffect(
    () =>
      onShellMessage((m) => {
        if (m.type === 'menu.exportReport') {
          if (shellRef.current.active) shellRef.current.exportReport();
        } else if (m.type === 'workflow.imported') {
          shellRef.current.reloadLibrary();
          shellRef.current.openWorkflow(m.id);
        } else if (m.type === 'menu.saveWorkflow') {
          setNotice({ tone: 'info', text: 'Nothing to save: workflows are edited as files (import them with File › Import Workflow); what-if changes are never saved.' });
        }
      }),
    [],
  );

  return {
    info,
    library,
    libraryError,
    open,
    run,
    runs,
    workspaceSize,
    whatIf,
    scenariosReady: scenarios !== null,
    scenariosError,
    report,
    workflow,
    layout,
    overlay,
    selectedScenario,
    selectedClass,
    selection,
    closed,
    trace,
    tab,
    notice,
    actions: {
      openWorkflow,
      runAnalysis,
      cancelAnalysis,
      openRun: (runId: string) => {
        leaveRun();
        showRun(runId, true);
      },
      deleteRun,
      selectScenario,
      selectClass,
      selectExample: setSelectedExample,
      setTab,
      toggleControl,
      applySet,
      resetWhatIf: () => applyChanges(new Map()),
      reloadLibrary,
      importFiles,
      exportReport,
      saveVariant,
      dismissNotice: () => setNotice(null),
    },
  };
}
