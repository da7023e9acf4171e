// The architect's workflow editor: open a workflow of the library or start one from a bundled
// template or blank, edit its file in CodeMirror (YAML, completion and hover from the published
// schema, the loader's errors and lint's findings at their lines), see the graph and an exact
// analysis follow as you type (in a worker), and save each change as a revision with its reason.
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, redo, undo } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, lintKeymap, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiErrorBody, ApiResponse, AppApi } from '../../contract/index.ts';
import { RESET_ACTION_IDS, RESET_ACTIONS, STEP_EVENTS, STEP_KINDS, type GraphLayout, type ResetAction, type StepKind, type Workflow } from '../../models/index.ts';
import { toErrorBody } from '../bridge.ts';
import { answerCheck, blankWorkflow, checkWorkflowText, fromTemplate, hoverAt, newIdProblem, type Checked, type CheckRequest, type CheckResponse } from '../compute/computeEditor.ts';
import { classDiff, markText, structureDiff, type Change } from '../compute/computeCompare.ts';
import { liveText, type LiveRequest, type LiveResponse, type LiveSummary } from '../compute/computeLive.ts';
import { applyEdit, controlsFor, editorText, fileText, lineEnding, newStepIdProblem, routeTable, stepForm, type EditResult, type LineEnding, type VisualEdit } from '../compute/computeVisualEdit.ts';
import { Badge, Empty, IssueList, ScreenTopbar, type Screen } from './common.tsx';
import { GraphView } from './GraphView.tsx';

type Library = ApiResponse<'library.list'>['workflows'];
type Revisions = ApiResponse<'workflow.history'>['revisions'];

/** Both sides of a comparison analysed, or why not. */
type Compared = { a: LiveSummary; b: LiveSummary } | { failed: string };

/** What is being edited: a workflow of the library (at a revision) or a new one not saved yet. */
interface Target {
  id: string;
  fileName: string;
  /** The saved text as the editor holds it (LF line breaks), to tell whether the text differs from it. */
  savedText: string | null;
  /** The file's own line ending, which a save writes back. */
  eol: LineEnding;
  revision: number | null;
  source: 'bundled' | 'workspace' | 'new';
}

export function EditorApp({ api, mode, onMode }: { api: AppApi; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void }) {
  return (
    <div className="app single">
      <ScreenTopbar current="editor" mode={mode} onMode={onMode} />
      <Editor api={api} />
    </div>
  );
}

/** The live analysis worker: scenarios sent once, then the newest text whenever it is idle. */
function useLiveAnalysis(api: AppApi): {
  analyse(text: string, fileName: string): void;
  compare(a: { text: string; fileName: string }, b: { text: string; fileName: string }): void;
  compared: Compared | null;
  result: { summary: LiveSummary; ms: number; text: string } | null;
  failed: string | null;
  busy: boolean;
} {
  const compareSeq = useRef(0);
  const pendingCompare = useRef<LiveRequest | null>(null);
  const [compared, setCompared] = useState<Compared | null>(null);
  const worker = useRef<Worker | null>(null);
  const state = useRef({ seq: 0, busy: false, pending: null as { text: string; fileName: string } | null, ready: false, sent: '' });
  const [result, setResult] = useState<{ summary: LiveSummary; ms: number; text: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = () => {
    const s = state.current;
    if (!worker.current || !s.ready || s.busy || !s.pending) return;
    const { text, fileName } = s.pending;
    s.pending = null;
    s.busy = true;
    s.sent = text;
    setBusy(true);
    worker.current.postMessage({ type: 'analyse', seq: ++s.seq, text, fileName } satisfies LiveRequest);
  };

  useEffect(() => {
    const w = new Worker(new URL('../workers/liveAnalysis.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<LiveResponse>) => {
      const m = e.data;
      if (m.type === 'compared' || m.type === 'compareFailed') {
        if (m.seq === compareSeq.current) setCompared(m.type === 'compared' ? { a: m.a, b: m.b } : { failed: m.message });
        return;
      }
      state.current.busy = false;
      setBusy(false);
      if (m.type === 'result') {
        setResult({ summary: m.summary, ms: m.ms, text: state.current.sent });
        setFailed(null);
      } else setFailed(m.message);
      send();
    };
    void (async () => {
      try {
        const lib = await api['library.list']({});
        const files = await Promise.all(lib.scenarios.map(async (s) => api['scenario.get']({ id: s.id })));
        w.postMessage({ type: 'scenarios', files: files.map((f) => ({ text: f.text, fileName: f.fileName })) } satisfies LiveRequest);
        state.current.ready = true;
        if (pendingCompare.current) w.postMessage(pendingCompare.current);
        pendingCompare.current = null;
        send();
      } catch (e) {
        setFailed(`the scenarios could not be loaded: ${toErrorBody(e).message}`);
      }
    })();
    return () => w.terminate();
    // One worker for the screen's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return {
    analyse(text, fileName) {
      state.current.pending = { text, fileName };
      send();
    },
    compare(a, b) {
      setCompared(null);
      // The worker answers in order, and only the newest comparison is kept; before the scenarios
      // are there, the comparison waits for them.
      const msg = { type: 'compare', seq: ++compareSeq.current, a, b } satisfies LiveRequest;
      if (state.current.ready) worker.current?.postMessage(msg);
      else pendingCompare.current = msg;
    },
    compared,
    result,
    failed,
    busy,
  };
}

type CheckAnswer = Extract<CheckResponse, { type: 'checked' }>;
type Completions = Extract<CheckResponse, { type: 'completions' }>['result'];

/** The check worker's two services: the loader's and lint's findings with the graph laid out, and completions at an offset. */
interface Checker {
  check(text: string, fileName: string): Promise<CheckAnswer>;
  complete(text: string, offset: number): Promise<Completions>;
}

/** One check worker for the screen's life; answers are matched to their requests by sequence number. */
function useChecker(): Checker {
  const worker = useRef<Worker | null>(null);
  const waiting = useRef(new Map<number, (r: CheckResponse) => void>());
  const seq = useRef(0);
  useEffect(() => {
    const w = new Worker(new URL('../workers/check.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<CheckResponse>) => {
      const done = waiting.current.get(e.data.seq);
      waiting.current.delete(e.data.seq);
      done?.(e.data);
    };
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, []);
  const ask = <T extends CheckResponse>(req: CheckRequest): Promise<T> => {
    const w = worker.current;
    // Before the worker is up (or after it is gone) the work is done here: the answer is the same.
    if (!w) return Promise.resolve(answerCheck(req) as T);
    return new Promise<T>((resolve) => {
      waiting.current.set(req.seq, resolve as (r: CheckResponse) => void);
      w.postMessage(req);
    });
  };
  const checker = useRef<Checker>({
    check: (text, fileName) => ask<CheckAnswer>({ type: 'check', seq: ++seq.current, text, fileName }),
    complete: async (text, offset) => (await ask<Extract<CheckResponse, { type: 'completions' }>>({ type: 'complete', seq: ++seq.current, text, offset })).result,
  });
  return checker.current;
}

function Editor({ api }: { api: AppApi }) {
  const [library, setLibrary] = useState<Library>([]);
  const [readOnly, setReadOnly] = useState(false);
  const [target, setTarget] = useState<Target | null>(null);
  // The text as typed lives in a ref, not in React state: a keystroke then re-renders nothing but
  // CodeMirror itself (the graph, the step panel and the findings follow the checks, which run in a
  // worker), so typing stays fast on a 200-step file. What the screen shows of it is `dirty`.
  const textRef = useRef('');
  const [dirty, setDirty] = useState(false);
  const [checked, setChecked] = useState<Checked & { text: string; layout: GraphLayout | null } | null>(null);
  const checker = useChecker();
  // `fromEdit`: a note on what a visual edit did to the text, which an undo (or redo) makes untrue.
  const [notice, setNotice] = useState<{ tone: 'good' | 'bad' | 'info'; text: string; error?: ApiErrorBody; fromEdit?: boolean } | null>(null);
  const [confirm, setConfirm] = useState<{ what: string; go: () => void } | null>(null);
  const [revisions, setRevisions] = useState<Revisions>([]);
  const [saved, setSaved] = useState<LiveSummary | null>(null);
  const live = useLiveAnalysis(api);
  const editorView = useRef<EditorView | null>(null);
  /** Makes a visual edit as one change of the text (so Undo takes it back), or says why not. */
  const visual = (e: VisualEdit): boolean => {
    const v = editorView.current;
    if (!v) return false;
    const r = applyEdit(v.state.doc.toString(), e);
    if (!r.ok) {
      setNotice({ tone: 'bad', text: `Not changed: ${r.problem}` });
      return false;
    }
    // Several splices (a step added and the next that now points at it) are one transaction: one Undo.
    v.dispatch({ changes: r.changes, selection: { anchor: r.from + r.insert.length }, scrollIntoView: true });
    setNotice(r.note ? { tone: 'info', text: `Changed in the file: ${r.note}.`, fromEdit: true } : null);
    return true;
  };
  /** What a visual edit would do to the text in the editor, without making it. */
  const preview = (e: VisualEdit): EditResult | null => (editorView.current ? applyEdit(editorView.current.state.doc.toString(), e) : null);
  const [selectedStep, setSelectedStep] = useState<string | null>(null);
  const [comparing, setComparing] = useState<{ label: string; a: Workflow; b: Workflow } | null>(null);
  /** Compares the text in the editor with a revision of this workflow (`rev:N`) or another workflow (`wf:id`). */
  const compareWith = async (choice: string) => {
    if (!target) return;
    try {
      const [kind, ref] = [choice.slice(0, choice.indexOf(':')), choice.slice(choice.indexOf(':') + 1)];
      const doc = kind === 'rev' ? await api['workflow.get']({ id: target.id, revision: Number(ref) }) : await api['workflow.get']({ id: ref });
      const left = checkWorkflowText(doc.text, doc.fileName);
      const text = textRef.current;
      const right = checkWorkflowText(text, target.fileName);
      if (!left.workflow || !right.workflow) {
        setNotice({ tone: 'bad', text: `Cannot compare: ${!right.workflow ? 'the text in the editor does not load' : `${doc.fileName} does not load`}` });
        return;
      }
      const label = kind === 'rev' ? `revision ${ref}` : ref;
      setComparing({ label, a: left.workflow, b: right.workflow });
      live.compare({ text: doc.text, fileName: doc.fileName }, { text, fileName: target.fileName });
    } catch (e) {
      setNotice({ tone: 'bad', text: 'The other version could not be read', error: toErrorBody(e) });
    }
  };
  /** Puts the cursor at a finding and the focus in the text. */
  const jump = (from: number) => {
    const v = editorView.current;
    if (!v) return;
    v.dispatch({ selection: { anchor: Math.min(from, v.state.doc.length) }, scrollIntoView: true });
    v.focus();
  };

  const targetRef = useRef(target);
  targetRef.current = target;
  /** The text as it is now; the screen says whether it differs from the saved one. */
  const setText = (text: string, saved = targetRef.current?.savedText ?? null) => {
    textRef.current = text;
    setDirty(targetRef.current !== null && text !== (saved ?? ''));
  };
  const onType = useRef(setText);
  onType.current = setText;
  // A check's answer redraws the graph, the step panel and the findings: at 200 steps a render of
  // tens of milliseconds. As a transition React renders it in slices, so a key typed meanwhile is
  // handled (and drawn) between them instead of after it.
  // A graph drawn the same as the one shown keeps its layout object, so the memoised graph view is
  // not drawn again (200 steps: a render and commit of tens of milliseconds for nothing).
  const shownLayout = useRef<{ key: string; layout: GraphLayout } | null>(null);
  const onChecked = (c: Checked & { text: string; layout: GraphLayout | null; layoutKey: string | null }) => {
    let layout = c.layout;
    if (layout && c.layoutKey !== null) {
      if (shownLayout.current?.key === c.layoutKey) layout = shownLayout.current.layout;
      else shownLayout.current = { key: c.layoutKey, layout };
    }
    startTransition(() => setChecked({ workflow: c.workflow, diagnostics: c.diagnostics, findings: c.findings, text: c.text, layout }));
  };

  useEffect(() => {
    void (async () => {
      try {
        const [lib, info] = await Promise.all([api['library.list']({}), api['app.info']({})]);
        setLibrary(lib.workflows);
        setReadOnly(info.readOnly);
      } catch (e) {
        setNotice({ tone: 'bad', text: 'The library could not be listed', error: toErrorBody(e) });
      }
    })();
  }, [api]);

  // A browser tab or window closed with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const stop = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', stop);
    return () => window.removeEventListener('beforeunload', stop);
  }, [dirty]);

  // The saved revision's analysis is the one the live headline is compared with.
  useEffect(() => {
    if (live.result && target?.savedText !== null && live.result.text === target?.savedText) setSaved(live.result.summary);
  }, [live.result, target?.savedText]);

  // Every text that loads is analysed, the newest first when the worker is free.
  useEffect(() => {
    if (target && checked?.workflow) live.analyse(checked.text, target.fileName);
  }, [checked]); // eslint-disable-line react-hooks/exhaustive-deps

  const guard = (what: string, go: () => void) => (dirty ? setConfirm({ what, go }) : go());

  const loadHistory = async (id: string) => {
    try {
      setRevisions((await api['workflow.history']({ id })).revisions);
    } catch {
      setRevisions([]);
    }
  };

  const open = async (id: string, revision?: number) => {
    try {
      const doc = await api['workflow.get']({ id, ...(revision ? { revision } : {}) });
      setSaved(null);
      const text = editorText(doc.text);
      const next: Target = { id, fileName: doc.fileName, savedText: text, eol: lineEnding(doc.text), revision: doc.revision, source: doc.source };
      targetRef.current = next;
      setTarget(next);
      setText(text);
      setNotice(revision ? { tone: 'info', text: `Revision ${revision} of ${id} is in the editor; saving it makes it the newest revision.` } : null);
      await loadHistory(id);
    } catch (e) {
      setNotice({ tone: 'bad', text: `${id} could not be opened`, error: toErrorBody(e) });
    }
  };

  const create = (id: string, name: string, template: string) => {
    void (async () => {
      try {
        const body = template === '' ? blankWorkflow(id, name) : fromTemplate((await api['workflow.get']({ id: template })).text, id, name);
        setSaved(null);
        setRevisions([]);
        const next: Target = { id, fileName: `${id}.yaml`, savedText: null, eol: lineEnding(body), revision: null, source: 'new' };
        targetRef.current = next;
        setTarget(next);
        setText(editorText(body));
        setNotice({ tone: 'info', text: `New workflow ${id}${template ? ` from ${template}` : ''}: edit it, then save the first revision.` });
      } catch (e) {
        setNotice({ tone: 'bad', text: `The template ${template} could not be read`, error: toErrorBody(e) });
      }
    })();
  };

  const save = async (reason: string) => {
    if (!target) return;
    try {
      const text = textRef.current;
      const r = await api['workflow.save']({ fileName: target.fileName, text: fileText(text, target.eol), ...(reason.trim() ? { reason } : {}) });
      const next: Target = { ...target, id: r.id, savedText: text, revision: r.revision, source: 'workspace' };
      targetRef.current = next;
      setTarget(next);
      setText(textRef.current);
      setNotice({ tone: 'good', text: r.revision > 1 ? `${r.id}: revision ${r.revision} saved.` : `${r.id} added to the workspace (revision 1).` });
      setLibrary((await api['library.list']({})).workflows);
      await loadHistory(r.id);
    } catch (e) {
      setNotice({ tone: 'bad', text: 'The workflow was not saved', error: toErrorBody(e) });
    }
  };

  const taken = useMemo(() => new Set(library.map((w) => w.id)), [library]);
  // Laid out by the check worker with each text that loads (dagre at 200 steps is not free).
  const layout = checked?.layout ?? null;
  const summary = live.result?.summary ?? null;
  const words = summary ? liveText(summary, saved) : null;

  return (
    <main className="center editor-main">
      <EditorBar library={library} taken={taken} onOpen={(id) => guard(`open ${id}`, () => void open(id))} onCreate={(id, name, template) => guard(`start ${id}`, () => create(id, name, template))} />
      {notice ? (
        <div className={`notice tone-${notice.tone}`} role={notice.tone === 'bad' ? 'alert' : 'status'}>
          <div>
            <strong>{notice.text}</strong>
            {notice.error?.issues?.length ? <IssueList issues={notice.error.issues} /> : notice.error ? <p>{notice.error.message}</p> : null}
          </div>
          <button type="button" className="btn-small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ) : null}
      {confirm ? (
        <div className="notice tone-warn editor-confirm" role="alertdialog" aria-labelledby="confirm-text">
          <strong id="confirm-text">The changes to {target?.id} are not saved. Discard them and {confirm.what}?</strong>
          <span className="acc-actions">
            <button type="button" className="btn-small" onClick={() => (confirm.go(), setConfirm(null))}>
              Discard changes
            </button>
            <button type="button" className="btn-primary" onClick={() => setConfirm(null)} autoFocus>
              Keep editing
            </button>
          </span>
        </div>
      ) : null}
      {!target ? (
        <Empty>Open a workflow of the library to edit its file, or start a new one from a bundled template or blank. Each save is a revision of the workflow in the workspace, with its reason in the audit log.</Empty>
      ) : (
        <div className="editor-grid">
          <section className="editor-pane" aria-labelledby="editor-title">
            <div className="editor-head">
              <h1 id="editor-title">
                {target.id} <span className="muted">{target.source === 'new' ? 'new, not saved yet' : target.revision ? `revision ${target.revision}` : 'bundled'}</span>
              </h1>
              {dirty ? <Badge tone="warn">unsaved changes</Badge> : <Badge tone="good">saved</Badge>}
              <CompareChooser revisions={revisions} current={target.revision} library={library} self={target.id} onCompare={(c) => void compareWith(c)} />
            </div>
            <CodeEditor key={`${target.id}:${target.revision ?? 'new'}:${target.source}`} initial={textRef.current} fileName={target.fileName} checker={checker} onChange={(t) => onType.current(t)} onUndo={() => setNotice((n) => (n?.fromEdit ? null : n))} onChecked={onChecked} onView={(v) => (editorView.current = v)} />
            <SaveBar disabled={readOnly || !dirty || !checked?.workflow} readOnly={readOnly} valid={!!checked?.workflow} onSave={save} />
          </section>
          <section className="editor-side" aria-label="What the file gives">
            {comparing ? <ComparePanel label={comparing.label} a={comparing.a} b={comparing.b} compared={live.compared} onClose={() => setComparing(null)} /> : null}
            <div className="live" role="status" aria-live="polite" data-testid="live-analysis">
              <h2>Analysis as you type</h2>
              {!checked?.workflow ? (
                <p className="muted">The file does not load yet; the editor marks why.</p>
              ) : live.failed ? (
                <p>{live.failed}</p>
              ) : words ? (
                <>
                  <p className="live-headline">{words.headline}</p>
                  {words.change ? <p className="live-change">{words.change}</p> : null}
                  {words.closed.length || words.opened.length ? (
                    <ul className="live-diff">
                      {words.closed.map((c) => (
                        <li key={c} className="live-closed">
                          {c}
                        </li>
                      ))}
                      {words.opened.map((c) => (
                        <li key={c} className="live-opened">
                          {c}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <p className="muted small">{live.busy ? 'Analysing the newest text…' : `Analysed in ${live.result!.ms.toFixed(0)} ms, off the UI thread.`}</p>
                </>
              ) : (
                <p className="muted">Analysing…</p>
              )}
            </div>
            <Findings checked={checked} onJump={jump} />
            {checked?.workflow ? (
              <StepPanel wf={checked.workflow} selected={selectedStep} onSelect={setSelectedStep} onEdit={visual} onPreview={preview} />
            ) : null}
            {checked?.workflow ? (
              // A click on a step of the graph (or Enter on it) opens it in the step panel above.
              <div className="editor-graph">
                <GraphView layout={layout!} overlay={null} fitKey={`${target.id}:${checked.workflow.stepOrder.length}`} hasPaths={false} pathsNote={null} revealKey={null} onStepSelect={setSelectedStep} />
              </div>
            ) : null}
            <History revisions={revisions} current={target.revision} onOpen={(rev) => guard(`open revision ${rev}`, () => void open(target.id, rev))} />
          </section>
        </div>
      )}
    </main>
  );
}

function EditorBar({ library, taken, onOpen, onCreate }: { library: Library; taken: ReadonlySet<string>; onOpen: (id: string) => void; onCreate: (id: string, name: string, template: string) => void }) {
  const [pick, setPick] = useState('');
  const [making, setMaking] = useState(false);
  const [template, setTemplate] = useState('standard-password-reset.hardened');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const problem = id ? newIdProblem(id, taken) : null;
  return (
    <div className="editor-bar">
      {/* A chooser for the next workflow to open, not the one open (its title is below): it goes
          back to "choose…" once used, so it never names another workflow than the one edited. */}
      <label>
        Open a workflow{' '}
        <select value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">choose…</option>
          {library.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({w.id})
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn-small"
        disabled={!pick}
        onClick={() => {
          onOpen(pick);
          setPick('');
        }}
      >
        Open in the editor
      </button>
      <button type="button" className="btn-small" aria-expanded={making} onClick={() => setMaking(!making)}>
        New workflow…
      </button>
      {making ? (
        <form
          className="editor-new"
          aria-label="New workflow"
          onSubmit={(e) => {
            e.preventDefault();
            if (problem || !id || !name.trim()) return;
            onCreate(id, name.trim(), template);
            setMaking(false);
            setPick('');
          }}
        >
          <label>
            From{' '}
            <select value={template} onChange={(e) => setTemplate(e.target.value)}>
              <option value="">a blank workflow</option>
              {library.map((w) => (
                <option key={w.id} value={w.id}>
                  the template {w.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Id <input value={id} onChange={(e) => setId(e.target.value.trim())} placeholder="my-desk.reset" aria-invalid={!!problem} aria-describedby="new-id-problem" required />
          </label>
          <label>
            Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Our desk's password reset" maxLength={200} required />
          </label>
          <button type="submit" className="btn-primary" disabled={!!problem || !id || !name.trim()}>
            Create
          </button>
          <span id="new-id-problem" className="field-problem">
            {problem ?? ''}
          </span>
        </form>
      ) : null}
    </div>
  );
}

/**
 * The editor's look, inside its shadow root where the app's style sheet does not reach: its colours
 * are the page's --editor-* custom properties (inherited into the shadow root), so it follows the
 * light or dark theme with the rest of the app.
 */
const EDITOR_THEME = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--editor-bg, #ffffff)', color: 'var(--editor-text, #1b2330)' },
  '.cm-scroller': { fontFamily: "'DejaVu Sans Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace", lineHeight: '1.45' },
  '&.cm-focused': { outline: '2px solid var(--editor-focus, #1d5fbf)', outlineOffset: '-2px' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter-bg, #f4f6f9)', color: 'var(--editor-gutter-text, #5a6472)', borderRight: '1px solid var(--editor-gutter-line, #d5dae1)' },
  '.cm-tooltip': { fontFamily: "'DejaVu Sans', 'Segoe UI', system-ui, sans-serif", fontSize: '13px' },
  '.editor-hover': { maxWidth: '420px', padding: '6px 8px' },
  '.editor-hover p': { margin: '4px 0 0', whiteSpace: 'pre-wrap' },
});

/**
 * YAML's highlighting (the tags @lezer/yaml gives keys, strings, block scalars, directives, anchors,
 * tags and comments), in the page's --syn-* colours: in the light theme CodeMirror's default ones.
 */
const EDITOR_HIGHLIGHT = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: 'var(--syn-key, #00c)' },
  { tag: tags.string, color: 'var(--syn-string, #a11)' },
  { tag: [tags.special(tags.string), tags.regexp, tags.escape], color: 'var(--syn-special, #e40)' },
  { tag: tags.keyword, color: 'var(--syn-keyword, #708)' },
  { tag: [tags.labelName, tags.atom, tags.bool], color: 'var(--syn-label, #219)' },
  { tag: tags.typeName, color: 'var(--syn-type, #085)' },
  { tag: tags.comment, color: 'var(--syn-comment, #940)' },
  { tag: tags.meta, color: 'var(--syn-meta, #404740)' },
  { tag: tags.invalid, color: 'var(--syn-invalid, #f00)' },
]);

/** Whether the app is in its dark theme (the system's colour scheme), for CodeMirror's own dark defaults: cursor, selection, panels, tooltips. */
const DARK = '(prefers-color-scheme: dark)';

/** CodeMirror over the workflow file: YAML, history, search, completion, hover and the checks as lint. */
function CodeEditor({
  initial,
  fileName,
  checker,
  onChange,
  onUndo,
  onChecked,
  onView,
}: {
  initial: string;
  fileName: string;
  checker: Checker;
  onChange: (text: string) => void;
  /** An undo or redo changed the text (a note about the change it took back no longer holds). */
  onUndo: () => void;
  onChecked: (c: Checked & { text: string; layout: GraphLayout | null; layoutKey: string | null }) => void;
  onView: (v: EditorView | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const cb = useRef({ onChange, onUndo, onChecked, fileName, checker });
  cb.current = { onChange, onUndo, onChecked, fileName, checker };

  useEffect(() => {
    const check = linter(
      async (v): Promise<CmDiagnostic[]> => {
        const doc = v.state.doc;
        const text = doc.toString();
        const r = await cb.current.checker.check(text, cb.current.fileName);
        // Typed on meanwhile: the next check follows; CodeMirror drops the diagnostics of an old text.
        if (v.state.doc !== doc) return [];
        cb.current.onChecked({ ...r.checked, text, layout: r.layout, layoutKey: r.layoutKey });
        return r.checked.diagnostics.map((d) => ({ from: Math.min(d.from, doc.length), to: Math.min(d.to, doc.length), severity: d.severity, source: d.source, message: d.message }));
      },
      { delay: 250 },
    );
    const complete = async (ctx: CompletionContext): Promise<CompletionResult | null> => {
      const r = await cb.current.checker.complete(ctx.state.doc.toString(), ctx.pos);
      if (ctx.aborted || !r || (!ctx.explicit && r.from === ctx.pos && r.options.length > 40)) return null;
      return { from: r.from, options: r.options.map((o) => ({ label: o.label, apply: o.apply, detail: o.detail.length > 80 ? `${o.detail.slice(0, 79)}…` : o.detail, type: o.type === 'property' ? 'property' : o.type === 'reference' ? 'variable' : 'enum' })), validFor: /^[\w.-]*$/ };
    };
    const hover = hoverTooltip((v, pos) => {
      const h = hoverAt(v.state.doc.toString(), pos);
      if (!h) return null;
      return {
        pos: h.from,
        end: h.to,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'editor-hover';
          const title = document.createElement('strong');
          title.textContent = h.title;
          const body = document.createElement('p');
          body.textContent = h.body;
          dom.append(title, body);
          return { dom };
        },
      };
    });
    // In a shadow root, CodeMirror's styles go to a constructed style sheet: a <style> element of
    // its own would be refused by the app's Content-Security-Policy (style-src 'self').
    const dark = window.matchMedia(DARK);
    const scheme = new Compartment();
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    mount.style.height = '100%';
    shadow.append(mount);
    const v = new EditorView({
      root: shadow,
      parent: mount,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          indentUnit.of('  '),
          EditorState.tabSize.of(2),
          yaml(),
          syntaxHighlighting(EDITOR_HIGHLIGHT),
          highlightSelectionMatches(),
          autocompletion({ override: [complete] }),
          check,
          lintGutter(),
          hover,
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
          EDITOR_THEME,
          scheme.of(EditorView.darkTheme.of(dark.matches)),
          // In the tab order (axe: the scroller must be reachable by keyboard), as any text field is.
          EditorView.contentAttributes.of({ 'aria-label': `Workflow file ${fileName}`, tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            cb.current.onChange(u.state.doc.toString());
            if (u.transactions.some((t) => t.isUserEvent('undo') || t.isUserEvent('redo'))) cb.current.onUndo();
          }),
        ],
      }),
    });
    view.current = v;
    onView(v);
    // The system switching between light and dark while the editor is open.
    const follow = (e: MediaQueryListEvent) => v.dispatch({ effects: scheme.reconfigure(EditorView.darkTheme.of(e.matches)) });
    dark.addEventListener('change', follow);
    return () => {
      dark.removeEventListener('change', follow);
      onView(null);
      v.destroy();
      mount.remove();
    };
    // A new editor per opened file (the key of this component changes).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="editor-wrap">
      <div className="editor-tools">
        <button type="button" className="btn-small" onClick={() => view.current && undo(view.current)}>
          Undo
        </button>
        <button type="button" className="btn-small" onClick={() => view.current && redo(view.current)}>
          Redo
        </button>
        <span className="muted small">Ctrl+Space completes from the schema; hover a key or a control id to see what it means; Ctrl+F searches.</span>
      </div>
      <div className="editor-host" ref={host} data-testid="workflow-editor" />
    </div>
  );
}

function SaveBar({ disabled, readOnly, valid, onSave }: { disabled: boolean; readOnly: boolean; valid: boolean; onSave: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="editor-save"
      aria-label="Save a revision"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(reason).then(() => setReason(''));
      }}
    >
      <label>
        Reason for this revision{' '}
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Add a call-back to the number on file" maxLength={2000} />
      </label>
      <button type="submit" className="btn-primary" disabled={disabled}>
        Save revision
      </button>
      {readOnly ? <span className="muted">The workspace is open read-only.</span> : !valid ? <span className="muted">Fix the errors to save.</span> : null}
    </form>
  );
}

function Findings({ checked, onJump }: { checked: Checked | null; onJump: (from: number) => void }) {
  if (!checked) return null;
  const list = checked.diagnostics;
  return (
    <div className="editor-findings">
      <h2>
        {checked.workflow ? 'Lint findings' : 'Errors'} <Badge tone={list.length === 0 ? 'good' : checked.workflow ? 'warn' : 'bad'}>{list.length}</Badge>
      </h2>
      {list.length === 0 ? (
        <p className="muted">The file loads and lint finds nothing.</p>
      ) : (
        <ul>
          {list.slice(0, 50).map((d, i) => (
            <li key={i} className={`finding sev-${d.severity}`}>
              <button type="button" className="finding-line" onClick={() => onJump(d.from)} title="Go to this line in the file">
                line {d.line}
              </button>{' '}
              <Badge tone={d.severity === 'error' ? 'bad' : d.severity === 'warning' ? 'warn' : 'info'}>{d.severity}</Badge> {d.message}
            </li>
          ))}
          {list.length > 50 ? <li className="muted">…and {list.length - 50} more</li> : null}
        </ul>
      )}
    </div>
  );
}

function History({ revisions, current, onOpen }: { revisions: Revisions; current: number | null; onOpen: (revision: number) => void }) {
  if (revisions.length === 0) return null;
  return (
    <div className="editor-history">
      <h2>Revisions</h2>
      <ol reversed>
        {[...revisions].reverse().map((r) => (
          <li key={r.revision}>
            <strong>revision {r.revision}</strong> <span className="muted">{r.createdAt.slice(0, 16).replace('T', ' ')} UTC, {r.author}</span>
            {r.reason ? <span> — {r.reason}</span> : null}{' '}
            {r.revision === current ? (
              <Badge tone="info">in the editor</Badge>
            ) : (
              <button type="button" className="btn-small" onClick={() => onOpen(r.revision)}>
                Open<span className="sr-only"> revision {r.revision}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Visual editing of one step: its name, where it goes, its controls; each change is made in the file text. */
function StepPanel({ wf, selected, onSelect, onEdit, onPreview }: { wf: Workflow; selected: string | null; onSelect: (id: string) => void; onEdit: (e: VisualEdit) => boolean; onPreview: (e: VisualEdit) => EditResult | null }) {
  const id = selected && wf.steps[selected] ? selected : wf.stepOrder[0]!;
  const form = stepForm(wf, id)!;
  const [name, setName] = useState(form.name);
  const [adding, setAdding] = useState('');
  const [enforcement, setEnforcement] = useState<'system' | 'procedural'>('system');
  useEffect(() => setName(form.name), [id, form.name]);
  const choices = useMemo(() => controlsFor(form.kind, form.controls.map((c) => c.control)), [form.kind, form.controls]);
  const choice = choices.find((c) => c.id === adding) ?? null;
  return (
    <div className="step-panel" aria-labelledby="step-panel-title">
      <h2 id="step-panel-title">Edit a step</h2>
      <p className="muted small">Changes are made in the file (Undo takes them back); click a step on the graph to pick it.</p>
      <label>
        Step{' '}
        <select value={id} onChange={(e) => onSelect(e.target.value)}>
          {wf.stepOrder.map((s) => (
            <option key={s} value={s}>
              {s} ({wf.steps[s]!.kind})
            </option>
          ))}
        </select>
      </label>
      <form
        className="step-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && name !== form.name) onEdit({ kind: 'renameStep', step: id, name: name.trim() });
        }}
      >
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <button type="submit" className="btn-small" disabled={!name.trim() || name === form.name}>
          Rename
        </button>
      </form>
      {/* A routing step goes on by its routes, an end step nowhere: no next to choose. */}
      {form.kind === 'end' ? (
        <p className="muted small">An end step closes the request: it goes nowhere next.</p>
      ) : form.kind === 'routing' && !form.next && !form.onFail ? null : (
      <div className="step-row">
        {/* No failure a requester can cause at a notification, log or review: no "On failure" to choose (one the file has stays, to be removed). */}
        {(['next', 'on_fail'] as const).filter((field) => field === 'next' || STEP_EVENTS[form.kind][1] !== null || form.onFail).map((field) => (
          <label key={field}>
            {field === 'next' ? 'Next' : 'On failure'}{' '}
            <select value={(field === 'next' ? form.next : form.onFail) ?? ''} onChange={(e) => onEdit({ kind: 'setTransition', step: id, field, target: e.target.value || null })}>
              <option value="">{field === 'next' ? '(none)' : '(none: the request stops)'}</option>
              {form.targets.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      )}
      {form.kind === 'routing' ? <RoutePanel wf={wf} step={id} onEdit={onEdit} /> : null}
      <h3>Controls on this step</h3>
      {form.controls.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="step-controls">
          {form.controls.map((c) => (
            <li key={c.control} data-control={c.control}>
              <span>
                {c.name} <code>{c.control}</code>
              </span>
              <select aria-label={`Enforcement of ${c.control}`} value={c.enforcement === 'unknown' ? 'procedural' : c.enforcement} onChange={(e) => onEdit({ kind: 'setEnforcement', step: id, control: c.control, enforcement: e.target.value as 'system' | 'procedural' })}>
                <option value="system">system-enforced</option>
                <option value="procedural">procedural</option>
              </select>
              <button type="button" className="btn-small" onClick={() => onEdit({ kind: 'removeControl', step: id, control: c.control })}>
                Remove<span className="sr-only"> {c.control}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="step-add"
        aria-label="Attach a control"
        onSubmit={(e) => {
          e.preventDefault();
          if (choice && onEdit({ kind: 'addControl', step: id, control: choice.id, enforcement })) setAdding('');
        }}
      >
        <label>
          Attach a control{' '}
          <select value={adding} onChange={(e) => (setAdding(e.target.value), setEnforcement(choices.find((c) => c.id === e.target.value)?.defaultEnforcement ?? 'system'))}>
            <option value="">choose one the catalogue allows on a {form.kind} step…</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
        {choice ? (
          <dl className="control-facts">
            <dt>Owner</dt>
            <dd>{choice.owner}</dd>
            <dt>Friction</dt>
            <dd>{choice.friction}</dd>
            <dt>Maps to</dt>
            <dd>{choice.mappings || 'no framework reference'}</dd>
          </dl>
        ) : null}
        <fieldset className="acc-decision">
          <legend>Enforcement</legend>
          {(['system', 'procedural'] as const).map((v) => (
            <label key={v} className="inline">
              <input type="radio" name="new-control-enforcement" value={v} checked={enforcement === v} onChange={() => setEnforcement(v)} /> {v === 'system' ? 'system-enforced' : 'procedural'}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn-primary" disabled={!choice}>
          Attach control
        </button>
      </form>
      <AddStepForm wf={wf} after={id} onEdit={onEdit} onSelect={onSelect} />
      <RemoveStep wf={wf} step={id} onEdit={onEdit} onPreview={onPreview} onSelect={onSelect} />
    </div>
  );
}

/** Where a routing step sends each account class: one choice per class of the workflow. */
function RoutePanel({ wf, step, onEdit }: { wf: Workflow; step: string; onEdit: (e: VisualEdit) => boolean }) {
  const table = routeTable(wf, step);
  const basis = wf.steps[step]!.basis;
  return (
    <fieldset className="step-routes">
      <legend>Routes by account class</legend>
      <p className="muted small">{basis === 'caller_claim' ? 'By the class the caller claims (not checked against the directory).' : 'By the class the directory holds for the account.'}</p>
      {table.map((r) => (
        <label key={r.accountClass} data-class={r.accountClass}>
          <span>{r.accountClass}</span>{' '}
          <select aria-label={`Route ${r.accountClass} to`} value={r.target ?? ''} onChange={(e) => onEdit({ kind: 'setRoute', step, accountClass: r.accountClass, target: e.target.value || null })}>
            <option value="">(not routed: the request ends)</option>
            {wf.stepOrder
              .filter((s) => s !== step)
              .map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

/** A new step after the selected one: kind, id and name, and what a kind needs besides (an action, an exception). */
function AddStepForm({ wf, after, onEdit, onSelect }: { wf: Workflow; after: string; onEdit: (e: VisualEdit) => boolean; onSelect: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<StepKind>('callback');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [action, setAction] = useState<ResetAction>(RESET_ACTION_IDS[0]!);
  const [grants, setGrants] = useState('');
  const from = wf.steps[after]!;
  const idProblem = id ? newStepIdProblem(id, wf.stepOrder) : null;
  const placeProblem = kind !== 'end' && !from.next ? `"${after}" goes nowhere next (a ${from.kind} step): only an end step can be added after it. Pick another step above.` : null;
  const kindProblem = kind === 'exception' && wf.exceptions.length === 0 ? 'An exception step grants an exception declared under exceptions, and this workflow declares none.' : null;
  const where = kind === 'end' ? `It is written after "${after}"; nothing goes to it until you point a next, on-failure or route at it.` : from.next ? `It goes between "${after}" and "${from.next}": "${after}" will go next to it, and it to "${from.next}".` : '';
  return (
    <div className="step-structure">
      <button type="button" className="btn-small" aria-expanded={open} aria-controls="add-step-form" onClick={() => setOpen(!open)}>
        Add step after {after}…
      </button>
      {open ? (
        <form
          id="add-step-form"
          className="step-add"
          aria-label="Add a step"
          onSubmit={(e) => {
            e.preventDefault();
            if (!id || idProblem || placeProblem || kindProblem) return;
            const ok = onEdit({ kind: 'addStep', after, id, name, stepKind: kind, ...(kind === 'execution' ? { action } : {}), ...(kind === 'exception' ? { grants: grants || wf.exceptions[0]!.id } : {}) });
            if (ok) {
              onSelect(id);
              setId('');
              setName('');
              setOpen(false);
            }
          }}
        >
          <div className="step-row">
            <label>
              Kind{' '}
              <select value={kind} onChange={(e) => setKind(e.target.value as StepKind)}>
                {STEP_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Id <input value={id} onChange={(e) => setId(e.target.value.trim())} placeholder="callback_on_file" maxLength={64} aria-invalid={!!idProblem} aria-describedby="new-step-problem" required />
            </label>
            <label>
              Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Call back on the number on file" maxLength={200} />
            </label>
            {kind === 'execution' ? (
              <label>
                Action{' '}
                <select value={action} onChange={(e) => setAction(e.target.value as ResetAction)}>
                  {RESET_ACTION_IDS.map((a) => (
                    <option key={a} value={a}>
                      {RESET_ACTIONS[a].name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {kind === 'exception' && wf.exceptions.length ? (
              <label>
                Grants{' '}
                <select value={grants || wf.exceptions[0]!.id} onChange={(e) => setGrants(e.target.value)}>
                  {wf.exceptions.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name} ({x.id})
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          <p className="muted small">{placeProblem ?? kindProblem ?? where}</p>
          <span id="new-step-problem" className="field-problem" role="status">
            {idProblem ?? ''}
          </span>
          <button type="submit" className="btn-primary" disabled={!id || !!idProblem || !!placeProblem || !!kindProblem}>
            Add step
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** Removing the selected step, after saying what will point where (or why it cannot go). */
function RemoveStep({ wf, step, onEdit, onPreview, onSelect }: { wf: Workflow; step: string; onEdit: (e: VisualEdit) => boolean; onPreview: (e: VisualEdit) => EditResult | null; onSelect: (id: string) => void }) {
  const [asked, setAsked] = useState<EditResult | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => setAsked(null), [step]);
  const e: VisualEdit = { kind: 'removeStep', step };
  // The question closes back onto the button that asked it, so the keyboard stays where it was.
  const close = () => {
    setAsked(null);
    trigger.current?.focus();
  };
  return (
    <div className="step-structure">
      <button ref={trigger} type="button" className="btn-small btn-danger" onClick={() => setAsked(onPreview(e))} aria-expanded={asked !== null}>
        Remove step {step}…
      </button>
      {asked && !asked.ok ? (
        <div className="notice tone-bad step-confirm" role="alert">
          <span>
            <strong>{step} cannot be removed:</strong> {asked.problem}.
          </span>
          <button type="button" className="btn-small" onClick={close} autoFocus>
            OK
          </button>
        </div>
      ) : asked?.ok ? (
        <div className="notice tone-warn step-confirm" role="alertdialog" aria-labelledby="remove-step-text" onKeyDown={(k) => k.key === 'Escape' && close()}>
          <span id="remove-step-text">
            Remove step <strong>{step}</strong> from the file? Then {asked.note ? `${asked.note}.` : ''} Undo takes it back.
          </span>
          <span className="acc-actions">
            <button
              type="button"
              className="btn-small"
              onClick={() => {
                const then = wf.steps[step]?.next ?? wf.stepOrder.find((s) => s !== step) ?? null;
                if (onEdit(e) && then) onSelect(then);
                close();
              }}
            >
              Remove step
            </button>
            <button type="button" className="btn-primary" onClick={close} autoFocus>
              Keep it
            </button>
          </span>
        </div>
      ) : null}
    </div>
  );
}

function CompareChooser({ revisions, current, library, self, onCompare }: { revisions: Revisions; current: number | null; library: Library; self: string; onCompare: (choice: string) => void }) {
  const [choice, setChoice] = useState('');
  const others = revisions.filter((r) => r.revision !== current);
  return (
    <span className="compare-chooser">
      <label>
        Compare with{' '}
        <select value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">choose…</option>
          {others.length ? (
            <optgroup label="Revisions of this workflow">
              {[...others].reverse().map((r) => (
                <option key={r.revision} value={`rev:${r.revision}`}>
                  revision {r.revision}
                  {r.reason ? ` — ${r.reason.slice(0, 60)}` : ''}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label="Other workflows">
            {library
              .filter((w) => w.id !== self)
              .map((w) => (
                <option key={w.id} value={`wf:${w.id}`}>
                  {w.id}
                </option>
              ))}
          </optgroup>
        </select>
      </label>
      <button type="button" className="btn-small" disabled={!choice} onClick={() => onCompare(choice)}>
        Compare
      </button>
    </span>
  );
}

function ChangeList({ title, changes, empty }: { title: string; changes: Change[]; empty: string }) {
  return (
    <div className="compare-block">
      <h3>{title}</h3>
      {changes.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="compare-list">
          {changes.map((c, i) => (
            <li key={i} className={`change change-${c.sign === '+' ? 'add' : c.sign === '~' ? 'mod' : 'del'}`}>
              <span className="change-sign" aria-label={c.sign === '+' ? 'added' : c.sign === '~' ? 'changed' : 'removed'}>
                {c.sign}
              </span>{' '}
              {c.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The comparison: the two headlines side by side, then what changed in the file and in the path classes. */
function ComparePanel({ label, a, b, compared, onClose }: { label: string; a: Workflow; b: Workflow; compared: Compared | null; onClose: () => void }) {
  const diff = useMemo(() => structureDiff(a, b), [a, b]);
  const classes = compared && 'a' in compared ? classDiff(compared.a, compared.b) : null;
  const head = (s: LiveSummary) => `${s.scenariosWithTakeover} of ${s.scenarios} scenarios ${s.scenariosWithTakeover === 1 ? 'ends' : 'end'} in a takeover · ${s.classes} path class${s.classes === 1 ? '' : 'es'} · ${s.paths} path${s.paths === '1' ? '' : 's'}`;
  return (
    <div className="compare-panel" role="region" aria-labelledby="compare-title">
      <div className="compare-head">
        <h2 id="compare-title">
          {label} → the text in the editor
        </h2>
        <button type="button" className="btn-small" onClick={onClose}>
          Close comparison
        </button>
      </div>
      {compared && 'a' in compared ? (
        <div className="compare-sides">
          <div>
            <h3>{label}</h3>
            <p>{head(compared.a)}</p>
          </div>
          <div>
            <h3>In the editor</h3>
            <p>{head(compared.b)}</p>
          </div>
        </div>
      ) : compared && 'failed' in compared ? (
        <p>{compared.failed}</p>
      ) : (
        <p className="muted">Analysing both versions…</p>
      )}
      <ChangeList title="Steps" changes={diff.steps} empty="No step added, removed or changed." />
      <ChangeList title="Controls" changes={diff.controls} empty="No control added, removed or changed." />
      {classes ? (
        <div className="compare-block">
          <h3>
            Path classes: {classes.closed} closed, {classes.opened} opened
          </h3>
          {classes.scenarios.length === 0 ? (
            <p className="muted small">The same path classes in every scenario.</p>
          ) : (
            <ul className="compare-list">
              {classes.scenarios.map((sc) => (
                <li key={sc.scenario} data-scenario={sc.scenario}>
                  <strong>{sc.scenario}</strong>
                  <ul>
                    {sc.closed.map((m) => (
                      <li key={`c${m.key}`} className="change change-add">
                        <span className="change-sign" aria-label="closed">
                          ✓
                        </span>{' '}
                        closed: {markText(m)}
                      </li>
                    ))}
                    {sc.opened.map((m) => (
                      <li key={`o${m.key}`} className="change change-del">
                        <span className="change-sign" aria-label="opened">
                          !
                        </span>{' '}
                        opened: {markText(m)}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
