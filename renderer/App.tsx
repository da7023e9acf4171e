// The workbench: library on the left, the workflow graph and the outcome table in the middle,
// the inspector (workflow, path, what-if, fixes) on the right.
import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { panelsClass, PANELS_KEY, progressView, readPanels, writePanels, type Panels } from './compute/computeProgress.ts';
import type { AppApi } from '../contract/index.ts';
import { groupWorkflows, listScenarios } from './compute/computeSidebar.ts';
import { classView, drawnText, exampleFacts, exampleTabs, fixView, gapRows, outcomeRows, stepNames, totals, totalsLine } from './compute/computeResults.ts';
import { whatIfRows } from './compute/computeWhatIf.ts';
import { keptRunStatus, runRows, sizeText, staleText } from './compute/computeRuns.ts';
import { workflowInfo } from './compute/computeWorkflowInfo.ts';
import { pathsText } from '../analysis/index.ts';
import { ms, OUTCOMES, plural } from './compute/format.ts';
import { Badge, Empty, ErrorBox, IssueList, ModeNav, SkipLink, type Screen } from './components/common.tsx';
import { FixPanel } from './components/FixPanel.tsx';
import { GraphView } from './components/GraphView.tsx';
import { OutcomeTable } from './components/OutcomeTable.tsx';
import { ClassPanel } from './components/ClassPanel.tsx';
import { RunsPanel } from './components/RunsPanel.tsx';
import { PanelToggle, RunProgress } from './components/RunProgress.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { WhatIfPanel } from './components/WhatIfPanel.tsx';
import { WorkflowPanel } from './components/WorkflowPanel.tsx';
import type { Boot } from './bridge.ts';
import { useWorkbench, type Tab } from './useWorkbench.ts';
import { newIdProblem } from './compute/computeEditor.ts';

const TABS: { id: Tab; label: string }[] = [
  { id: 'workflow', label: 'Workflow' },
  { id: 'path', label: 'Path class' },
  { id: 'whatif', label: 'What-if' },
  { id: 'fix', label: 'Close all paths' },
  { id: 'runs', label: 'Runs' },
];

/** Another screen's request to show a workflow at a scenario, and at one of its path classes when given. */
export interface WorkbenchRequest {
  workflowId: string;
  scenarioId: string;
  classId?: string;
  nonce: number;
}

export function App({ api, mode, boot, onMode, request, active = true }: { api: AppApi; mode: 'electron' | 'browser'; boot?: Boot | undefined; onMode?: (screen: Screen) => void; request?: WorkbenchRequest | null; active?: boolean }) {
  const wb = useWorkbench(api, boot, active);
  const { library, open, run, whatIf, report, layout, overlay, actions } = wb;
  const [pendingClass, setPendingClass] = useState<{ workflowId: string; classId: string } | null>(null);

  // Another screen asked to show a workflow and scenario (the gap matrix's click-through).
  useEffect(() => {
    if (!request) return;
    actions.openWorkflow(request.workflowId);
    actions.selectScenario(request.scenarioId);
    setPendingClass(request.classId ? { workflowId: request.workflowId, classId: request.classId } : null);
  }, [request?.nonce]); // once per request, not when the workbench's actions change

  // The class is selected once the workflow's analysis is on screen (run now or kept from before).
  useEffect(() => {
    if (!pendingClass || !report || report.id !== pendingClass.workflowId) return;
    if (report.scenarios.some((s) => s.classes.some((k) => k.id === pendingClass.classId))) actions.selectClass(pendingClass.classId);
    setPendingClass(null);
  }, [report, pendingClass]); // eslint-disable-line react-hooks/exhaustive-deps

  const families = useMemo(() => (library ? groupWorkflows(library.workflows) : []), [library]);
  const scenarios = useMemo(() => (library ? listScenarios(library.scenarios) : []), [library]);
  const rows = useMemo(() => (report ? outcomeRows(report, whatIf.report ? run.report : null) : []), [report, whatIf.report, run.report]);
  const scenarioTone = useMemo(() => new Map(rows.map((r) => [r.scenario, { tone: r.tone, short: OUTCOMES[r.outcome].short, glyph: OUTCOMES[r.outcome].glyph }])), [rows]);
  const runList = useMemo(() => runRows(wb.runs.list, run.runId), [wb.runs.list, run.runId]);
  const names = useMemo(() => (report ? stepNames(report) : new Map<string, string>()), [report]);
  const sel = wb.selection;
  const info = useMemo(() => (open?.workflow ? workflowInfo(open.workflow) : null), [open?.workflow]);
  const groups = useMemo(
    // Tags from the what-if analysis once one with gaps is in (the previous change's while this one's
    // are recomputed), else from the file's: everything on screen is the same analysis.
    () => (open?.workflow && wb.workflow ? whatIfRows(open.workflow, whatIf.changes, wb.workflow, whatIf.gaps ?? run.report, whatIf.gaps ? 'what-if' : 'file') : []),
    [open?.workflow, wb.workflow, whatIf.changes, whatIf.gaps, run.report],
  );
  const pending = whatIf.phase === 'paths';
  const pathsNote = useMemo(() => {
    if (!report) return null;
    return { ...drawnText(report, wb.selectedScenario), onShowAll: wb.selectedScenario ? () => actions.selectScenario(null) : null };
  }, [report, wb.selectedScenario, actions]);
  // With the workflow on screen, so the panel can say what lint still reports with the set applied.
  // Only while its tab is open: the view lints the workflow, and a what-if toggle changes the report.
  const fix = useMemo(() => (report && wb.tab === 'fix' ? fixView(report, wb.workflow) : null), [report, wb.workflow, wb.tab]);
  const summary = wb.library?.workflows.find((w) => w.id === open?.id);

  // Tabs as the ARIA pattern has them: one Tab stop (the selected tab), arrows and Home/End move and select.
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === wb.tab);
    const to = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    actions.setTab(TABS[to]!.id);
    tabRefs.current.get(TABS[to]!.id)?.focus();
  };

  // The side panels, open or collapsed for this tab's session; the graph takes the room they leave.
  const [panels, setPanels] = useState<Panels>(() => readPanels(sessionValue(PANELS_KEY)));
  useEffect(() => sessionWrite(PANELS_KEY, writePanels(panels)), [panels]);
  const togglePanel = (which: keyof Panels) => setPanels((p) => ({ ...p, [which]: !p[which] }));

  // When a run ends while the Cancel button had focus, the button is gone: focus goes back to Run, not to the page.
  const runButton = useRef<HTMLButtonElement>(null);
  const wasRunning = useRef(false);
  useEffect(() => {
    const running = run.status === 'running';
    if (wasRunning.current && !running && (document.activeElement === document.body || document.activeElement === null)) runButton.current?.focus({ preventScroll: true });
    wasRunning.current = running;
  }, [run.status]);

  const [dragging, setDragging] = useState(false);
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    actions.importFiles([...e.dataTransfer.files]);
  };

  return (
    <div className={`app${panelsClass(panels)}${dragging ? ' is-dragging' : ''}`} onDragOver={onDragOver} onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)} onDrop={onDrop}>
      <SkipLink />
      {dragging ? <div className="drop-hint">Drop workflow files (.yaml, .json) to add them to the workspace</div> : null}
      <header className="topbar">
        <PanelToggle label="Library" side="left" expanded={panels.library} controls={LIBRARY_ID} onToggle={() => togglePanel('library')} />
        <span className="brand">ResetPath</span>
        {onMode ? <ModeNav current="workbench" onMode={onMode} /> : null}
        <span className="tagline">which control let a help-desk reset become a takeover?</span>
        <span className="spacer" />
        {wb.info ? (
          <span className="ws" title={wb.info.workspacePath}>
            {mode === 'browser' ? 'browser mode' : 'desktop'} · workspace <code>{wb.info.workspacePath.split(/[\\/]/).pop()}</code>
            {wb.info.readOnly ? <Badge tone="warn">read-only</Badge> : null}
          </span>
        ) : null}
        <PanelToggle label="Inspector" side="right" expanded={panels.inspector} controls={INSPECTOR_ID} onToggle={() => togglePanel('inspector')} />
      </header>

      {wb.libraryError ? (
        <div className="sidebar" id={LIBRARY_ID} hidden={!panels.library}>
          <ErrorBox title="The library could not be loaded" error={wb.libraryError}>
            <button type="button" onClick={actions.reloadLibrary}>
              Try again
            </button>
          </ErrorBox>
        </div>
      ) : library ? (
        <Sidebar
          id={LIBRARY_ID}
          hidden={!panels.library}
          families={families}
          scenarios={scenarios}
          openId={open?.id ?? null}
          selectedScenario={wb.selectedScenario}
          scenarioTone={scenarioTone}
          onOpen={actions.openWorkflow}
          onScenario={(id) => actions.selectScenario(id === wb.selectedScenario ? null : id)}
        />
      ) : (
        <div className="sidebar" id={LIBRARY_ID} hidden={!panels.library}>
          <Empty>Loading the library…</Empty>
        </div>
      )}

      <main className="center" id="main" tabIndex={-1}>
        {wb.notice ? (
          <div className={`notice tone-${wb.notice.tone}`} role={wb.notice.tone === 'bad' ? 'alert' : 'status'}>
            <div>
              <strong>{wb.notice.text}</strong>
              {/* Located issues say everything the message says, and where; the message is for the rest. */}
              {wb.notice.error?.issues?.length ? <IssueList issues={wb.notice.error.issues} /> : wb.notice.error ? <p>{wb.notice.error.message}</p> : null}
            </div>
            <button type="button" className="btn-small" onClick={actions.dismissNotice} aria-label="Dismiss">
              ×
            </button>
          </div>
        ) : null}
        {!open ? (
          <div className="welcome">
            <h1>Pick a workflow</h1>
            <p>
              Each family comes as found (<Badge tone="bad">weak</Badge>) and <Badge tone="good">hardened</Badge>, from the library on the left.
            </p>
            <p>You can also drop workflow files (.yaml, .json) anywhere on this window to add them to the workspace.</p>
            <ol className="steps">
              <li>
                <strong>Open a workflow</strong> to see its steps, transitions and controls as a graph.
              </li>
              <li>
                <strong>Run the analysis</strong>: every scenario is replayed against it and every path to a takeover is counted exactly, not sampled, in classes that the same controls close.
              </li>
              <li>
                <strong>Select a class of paths</strong> to see the controls that let it through, their accountable owners and framework references, and example paths traced step by step.
              </li>
              <li>
                <strong>Try a fix in What-if</strong>: switch controls on or off and watch the paths close.
              </li>
            </ol>
          </div>
        ) : (
          <>
            <div className="toolbar">
              <div className="title-block">
                <div className="title" title={summary ? `${summary.name}\n${open.id}` : open.id}>
                  <h1>{summary?.name ?? open.id}</h1>
                  {summary ? <Badge tone={summary.variant === 'weak' ? 'bad' : summary.variant === 'hardened' ? 'good' : 'info'}>{summary.variant}</Badge> : null}
                </div>
                <div className="run-status" data-testid="run-status" role="status" data-stale={run.kept?.stale ? 'true' : undefined}>
                  {run.kept?.stale && run.status === 'done' ? <Badge tone="warn">stale</Badge> : null}
                  {run.status === 'running'
                    ? run.cancelling
                      ? 'Cancelling the analysis…'
                      : 'Analysing every scenario…'
                    : run.status === 'opening'
                      ? 'Opening the last stored run…'
                      : run.status === 'done' && run.report && run.kept
                        ? keptRunStatus(run.kept, run.report.scenarios.length)
                        : run.status === 'done' && run.report
                          ? `${run.report.scenarios.length} scenarios analysed by the backend in ${ms(run.ms ?? 0)}${run.runId ? ', run saved in the workspace' : ''}`
                          : run.status === 'error'
                            ? 'Analysis failed'
                            : 'Not analysed yet'}
                </div>
              </div>
              <div className="run">
                {run.report ? (
                  <button
                    type="button"
                    className="btn-small"
                    onClick={actions.exportReport}
                    title={`Download ${whatIf.report ? 'the what-if analysis on screen (not the file\'s baseline)' : 'the baseline analysis on screen'} as JSON (resetpath/analysis@2), labelled in its name and its "view"`}
                    data-testid="export-json"
                  >
                    Export JSON · {whatIf.report ? 'what-if' : 'baseline'}
                  </button>
                ) : null}
                {/* Busy is aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
                <button
                  ref={runButton}
                  type="button"
                  className="btn-primary"
                  onClick={() => run.status !== 'running' && actions.runAnalysis()}
                  disabled={open.status !== 'ready'}
                  aria-disabled={run.status === 'running' ? 'true' : undefined}
                  data-testid="run-analysis"
                >
                  {run.status === 'done' ? 'Run again' : 'Run analysis'}
                </button>
              </div>
            </div>
            {run.status === 'running' ? (
              <RunProgress view={progressView(run.progress?.reported ?? null, run.progress?.elapsedMs ?? null)} cancelling={run.cancelling} onCancel={actions.cancelAnalysis} />
            ) : null}
            {/* Shown from the moment the What-if tab is open, so the first control switched does not
                push the graph down under the user's eyes; its buttons wait for a change. */}
            {whatIf.report || (wb.tab === 'whatif' && run.report && wb.scenariosReady) ? (
              <div className="whatif-banner" role="status" data-changes={whatIf.report ? whatIf.changes.size : 0}>
                <span>
                  <strong>What-if:</strong>{' '}
                  {whatIf.report ? `${plural(whatIf.changes.size, 'control change')} shown on the graph and the table, not saved to the file.` : 'switch a control on the right to try it on the graph and the table; nothing is saved to the file.'}
                </span>
                <button type="button" className="btn-small" onClick={actions.resetWhatIf} disabled={!whatIf.report}>
                  Back to the file
                </button>
                {whatIf.report ? (
                  <VariantForm baseId={open.id} baseName={summary?.name ?? open.id} taken={new Set(library?.workflows.map((w) => w.id) ?? [])} onSave={actions.saveVariant} />
                ) : (
                  <button type="button" className="btn-small" disabled>
                    Save as a variant…
                  </button>
                )}
              </div>
            ) : null}
            {run.kept?.stale && run.status === 'done' ? (
              <div className="stale-banner" role="status" data-testid="stale-banner">
                <span>
                  <strong>Stale run:</strong> {staleText(run.kept.workflowRevision)}
                </span>
                <button type="button" className="btn-small" onClick={actions.runAnalysis} disabled={open.status !== 'ready'}>
                  Run on the current version
                </button>
              </div>
            ) : null}
            {open.status === 'loading' ? <Empty>Opening {open.id}…</Empty> : null}
            {open.status === 'error' ? <ErrorBox title={`${open.id} could not be opened`} error={open.error} /> : null}
            {open.status === 'invalid' ? (
              <div className="error-box" role="alert">
                <strong>{open.id} is not a valid workflow file</strong>
                <IssueList issues={open.issues} />
              </div>
            ) : null}
            {layout ? (
              <GraphView
                layout={layout}
                overlay={overlay}
                fitKey={open.id}
                hasPaths={!!report && overlay !== null && overlay.maxCount > 0n}
                pathsNote={pathsNote}
                revealKey={sel ? sel.example.id : null}
              />
            ) : null}
            {run.status === 'error' ? <ErrorBox title="The analysis did not run" error={run.error} /> : null}
            {report ? (
              <OutcomeTable
                rows={rows}
                headline={totalsLine(totals(report), whatIf.report && run.report ? totals(run.report) : null)}
                selectedScenario={wb.selectedScenario}
                selectedClass={wb.selectedClass}
                onScenario={(id) => actions.selectScenario(id)}
                onClass={actions.selectClass}
              />
            ) : open.status === 'ready' && run.status !== 'error' ? (
              <div className="cta">
                {run.status === 'running' ? 'Exploring every path an attacker can walk, for each scenario…' : 'Run the analysis to replay every scenario against this workflow.'}
              </div>
            ) : null}
          </>
        )}
      </main>

      <aside className="inspector" aria-label="Inspector" id={INSPECTOR_ID} hidden={!panels.inspector}>
        <div className="tabs" role="tablist" aria-label="Inspector" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => void (el ? tabRefs.current.set(t.id, el) : tabRefs.current.delete(t.id))}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={wb.tab === t.id}
              aria-controls="inspector-panel"
              tabIndex={wb.tab === t.id ? 0 : -1}
              className={wb.tab === t.id ? 'is-active' : ''}
              onClick={() => actions.setTab(t.id)}
              data-tab={t.id}
            >
              {t.label}
              {t.id === 'whatif' && whatIf.changes.size ? <span className="tab-count">{whatIf.changes.size}</span> : null}
              {t.id === 'runs' && wb.runs.list.length ? <span className="tab-count tab-count-plain">{wb.runs.list.length}</span> : null}
            </button>
          ))}
        </div>
        {/* Focusable, so its content scrolls from the keyboard (the Path tab's trace is long). */}
        <div className="tab-body" role="tabpanel" id="inspector-panel" aria-labelledby={`tab-${wb.tab}`} tabIndex={0}>
          {!open ? (
            <Empty>Open a workflow to inspect it.</Empty>
          ) : wb.tab === 'workflow' ? (
            info ? <WorkflowPanel info={info} /> : <Empty>{open.status === 'loading' ? 'Loading…' : 'No workflow to describe.'}</Empty>
          ) : wb.tab === 'path' ? (
            <ClassPanel
              siblings={sel ? rows.find((r) => r.scenario === sel.scenario.scenario)?.classes ?? [] : []}
              selectedId={wb.selectedClass}
              onClass={actions.selectClass}
              view={sel ? classView(sel.scenario, sel.cls, sel.index) : null}
              gaps={sel && report ? gapRows(report, sel.cls, names) : []}
              pending={pending}
              closed={wb.closed}
              examples={sel ? exampleTabs(sel.cls) : []}
              exampleIndex={sel?.exampleIndex ?? 0}
              onExample={actions.selectExample}
              exampleFacts={sel ? exampleFacts(sel.example) : []}
              trace={wb.trace}
              traceWaiting={wb.scenariosError ? `The scenario could not be loaded to replay this example: ${wb.scenariosError.message}` : 'Loading the scenario to replay this example…'}
            />
          ) : wb.tab === 'whatif' ? (
            <WhatIfPanel
              groups={groups}
              ready={!!run.report && wb.scenariosReady}
              waitingFor={wb.scenariosError ? `Scenarios could not be loaded for what-if: ${wb.scenariosError.message}` : run.report ? 'Loading the scenarios for what-if…' : null}
              changes={whatIf.changes.size}
              pathsBefore={pathsText(run.report?.totals.paths ?? 0, 'takeover path')}
              pathsNow={pathsText(report?.totals.paths ?? 0, 'takeover path')}
              analysisMs={whatIf.analysisMs}
              commitMs={whatIf.commitMs}
              frameMs={whatIf.frameMs}
              seq={whatIf.seq}
              scenarios={run.report?.scenarios.length ?? 0}
              pending={pending}
              onToggle={actions.toggleControl}
              onReset={actions.resetWhatIf}
            />
          ) : wb.tab === 'runs' ? (
            <RunsPanel
              rows={runList}
              status={wb.runs.status}
              error={wb.runs.error}
              size={wb.workspaceSize ? sizeText(wb.workspaceSize) : null}
              readOnly={wb.info?.readOnly ?? false}
              onOpen={actions.openRun}
              onDelete={actions.deleteRun}
            />
          ) : (
            <FixPanel view={fix} pending={pending} onTry={actions.applySet} />
          )}
        </div>
      </aside>
    </div>
  );
}

const LIBRARY_ID = 'workbench-library';
const INSPECTOR_ID = 'workbench-inspector';

/** A value of the tab's sessionStorage; null where storage is disabled. */
function sessionValue(key: string): string | null {
  try {
    return globalThis.sessionStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function sessionWrite(key: string, value: string): void {
  try {
    globalThis.sessionStorage?.setItem(key, value);
  } catch {
    // Storage disabled or full: the panels are remembered until a reload only.
  }
}

/** Saves the what-if on screen as a new workflow, its changes written into a copy of the file. */
function VariantForm({ baseId, baseName, taken, onSave }: { baseId: string; baseName: string; taken: ReadonlySet<string>; onSave: (id: string, name: string) => Promise<boolean> }) {
  const suggest = () => {
    for (let n = 1; ; n++) {
      const id = `${baseId}.variant${n === 1 ? '' : `-${n}`}`.slice(0, 96);
      if (!taken.has(id)) return id;
    }
  };
  const [open, setOpen] = useState(false);
  const [id, setId] = useState('');
  const problem = id ? newIdProblem(id, taken) : null;
  if (!open)
    return (
      <button type="button" className="btn-small" onClick={() => (setId(suggest()), setOpen(true))}>
        Save as a variant…
      </button>
    );
  return (
    <form
      className="variant-form"
      aria-label="Save the what-if as a variant"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && id) void onSave(id, `${baseName} (what-if variant)`).then((ok) => ok && setOpen(false));
      }}
    >
      <label>
        New id <input value={id} onChange={(e) => setId(e.target.value.trim())} aria-invalid={!!problem} aria-describedby="variant-problem" autoFocus />
      </label>
      <button type="submit" className="btn-primary" disabled={!!problem || !id}>
        Save variant
      </button>
      <button type="button" className="btn-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <span id="variant-problem" className="field-problem">
        {problem ?? ''}
      </span>
    </form>
  );
}
