// The facilitator's console: set up a session, walk the room through the decision points the
// workflow's machine reaches, keep time, release injects, take notes, open the presenter view in
// a second tab, close the session for the debrief and export the after-action report.
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { exerciseGapKindText, exerciseRouteText } from '../../analysis/index.ts';
import { ApiError, type ApiErrorBody, type ApiResponse, type AppApi, type ConsoleView } from '../../contract/index.ts';
import { offerDownload, openPresenterView, toErrorBody } from '../bridge.ts';
import { clockText, dueInjects, liveMinutes, parseParticipants, REQUIRED_TEXT, ROLE_CHOICES, roleLabel, setupRoutes, type SetupRoutes } from '../compute/computeTabletop.ts';
import { Badge, Empty, ErrorBox, ScreenTopbar, type Screen } from './common.tsx';

type Sessions = ApiResponse<'tabletop.list'>['sessions'];
type Library = ApiResponse<'library.list'>;


/** Ticks once a second while mounted (the exercise clock). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function TabletopApp({ api, mode, onMode }: { api: AppApi; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void }) {
  const [sessions, setSessions] = useState<Sessions | null>(null);
  const [library, setLibrary] = useState<Library | null>(null);
  const [view, setView] = useState<ConsoleView | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<{ title: string; body: ApiErrorBody } | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSessions((await api['tabletop.list']({})).sessions);
    } catch (e) {
      setError({ title: 'The sessions could not be listed', body: toErrorBody(e) });
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    api['library.list']({}).then(setLibrary, (e: unknown) => setError({ title: 'The library could not be loaded', body: toErrorBody(e) }));
  }, [api, refresh]);

  /** Runs a call that answers with the console view; shows its error instead of losing it. */
  const act = useCallback(
    async (title: string, call: () => Promise<ConsoleView>) => {
      try {
        const v = await call();
        setView(v);
        setError(null);
        void refresh();
        return v;
      } catch (e) {
        setError({ title, body: toErrorBody(e) });
        return null;
      }
    },
    [refresh],
  );

  const open = (id: string) => {
    setCreating(false);
    void act('The session could not be opened', () => api['tabletop.get']({ sessionId: id }));
  };

  return (
    <div className="app tabletop">
      <ScreenTopbar current="tabletop" mode={mode} onMode={onMode} />
      <nav className="sidebar" aria-label="Tabletop sessions">
        <div className="sidebar-section">
          <h2 className="sidebar-title">Sessions</h2>
          <button type="button" className="btn-primary wide" onClick={() => (setCreating(true), setView(null))}>
            New session
          </button>
          {sessions === null ? (
            <Empty>Loading…</Empty>
          ) : sessions.length === 0 ? (
            <Empty>No session yet.</Empty>
          ) : (
            <ul className="session-list">
              {sessions.map((s) => (
                <li key={s.id}>
                  <button type="button" className={`session-item${view?.session.id === s.id ? ' is-open' : ''}`} onClick={() => open(s.id)} aria-current={view?.session.id === s.id ? 'true' : undefined}>
                    <span className="session-title">{s.title}</span>
                    <span className="session-meta">
                      {s.scenario.id} · {s.decisions} decision{s.decisions === 1 ? '' : 's'} · {s.status === 'open' ? 'open' : 'closed'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </nav>
      <main className="center tabletop-main">
        {error ? (
          <ErrorBox title={error.title} error={error.body}>
            <button type="button" className="btn-small" onClick={() => setError(null)}>
              Dismiss
            </button>
          </ErrorBox>
        ) : null}
        {creating ? (
          <SetupForm api={api} library={library} onCreate={(req) => act('The session could not be created', () => api['tabletop.create'](req)).then((v) => v && setCreating(false))} />
        ) : view ? (
          <Console api={api} view={view} act={act} />
        ) : (
          <div className="welcome">
            <h1>Tabletop exercise</h1>
            <p>Run a scenario with a room on the same model the architects analyse: the room&apos;s decisions move the workflow&apos;s machine, step by step.</p>
            <ol className="steps">
              <li>
                <strong>Set up a session</strong>: a workflow, a scenario, who is in the room, and whether the room sees the model&apos;s verdicts after each decision or only in the debrief.
              </li>
              <li>
                <strong>Open the presenter view</strong> in a second window for the projector (a second tab in browser mode); your notes and hidden verdicts never reach it.
              </li>
              <li>
                <strong>Record the room&apos;s decisions</strong> at each point; release timed injects; pause and undo when needed.
              </li>
              <li>
                <strong>Close the session</strong> for the debrief and export the after-action report.
              </li>
            </ol>
          </div>
        )}
      </main>
    </div>
  );
}

function SetupForm({ api, library, onCreate }: { api: AppApi; library: Library | null; onCreate: (req: Parameters<AppApi['tabletop.create']>[0]) => void }) {
  const [title, setTitle] = useState('');
  const [workflowId, setWorkflowId] = useState('');
  const [scenarioId, setScenarioId] = useState('');
  const [route, setRoute] = useState('');
  // The routes of the chosen pair, worked out from the two files (null while they load).
  const [routes, setRoutes] = useState<SetupRoutes | null>(null);
  const wfId = workflowId || library?.workflows[0]?.id || '';
  const scId = scenarioId || library?.scenarios[0]?.id || '';
  useEffect(() => {
    if (!wfId || !scId) return;
    let stale = false;
    setRoutes(null);
    setRoute('');
    Promise.all([api['workflow.get']({ id: wfId }), api['scenario.get']({ id: scId })]).then(
      ([w, sc]) => !stale && setRoutes(setupRoutes(w, sc)),
      (e: unknown) => !stale && setRoutes({ routes: [], notPlayable: `the files could not be read: ${toErrorBody(e).message}` }),
    );
    return () => {
      stale = true;
    };
  }, [api, wfId, scId]);
  const [verdicts, setVerdicts] = useState<'debrief' | 'live'>('debrief');
  const [people, setPeople] = useState('');
  const [facilitator, setFacilitator] = useState('');
  const [notes, setNotes] = useState('');
  const parsed = useMemo(() => parseParticipants(people), [people]);
  if (!library) return <Empty>Loading the library…</Empty>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed.problems.length) return;
    if (!routes || routes.notPlayable) return;
    onCreate({
      title: title.trim() || 'Tabletop exercise',
      workflowId: wfId,
      scenarioId: scId,
      ...(route ? { route } : {}),
      verdicts,
      participants: parsed.participants,
      ...(facilitator.trim() ? { facilitator: facilitator.trim() } : {}),
      ...(notes.trim() ? { notes } : {}),
    });
  };
  return (
    <form className="setup-form" onSubmit={submit} aria-labelledby="setup-title">
      <h1 id="setup-title">New tabletop session</h1>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Q3 help-desk drill" maxLength={200} />
      </label>
      <label>
        Workflow
        <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
          {library.workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({w.id})
            </option>
          ))}
        </select>
      </label>
      <label>
        Scenario
        <select value={scenarioId} onChange={(e) => setScenarioId(e.target.value)}>
          {library.scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </label>
      {routes === null ? (
        <p className="hint">Working out the routes this scenario&apos;s attacker can take…</p>
      ) : routes.notPlayable ? (
        <p className="field-error" role="alert" data-testid="not-playable">
          This scenario cannot be played against this workflow: {routes.notPlayable}.
        </p>
      ) : (
        <label>
          Route the attacker takes
          <select value={route || routes.routes[0]!.value} onChange={(e) => setRoute(e.target.value)}>
            {routes.routes.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {routes && !routes.notPlayable && routes.routes.find((r) => r.value === (route || routes.routes[0]!.value))?.roomDecides === false ? (
        <p className="hint" data-testid="no-room-decision">
          Nothing on this route is the room&apos;s to decide: systems, the requester or the account holder perform every step. The session shows the walk; the room&apos;s part is the timed injects and the debrief.
        </p>
      ) : null}
      <fieldset>
        <legend>The model&apos;s verdicts are shown to the room</legend>
        <label className="inline">
          <input type="radio" name="verdicts" checked={verdicts === 'debrief'} onChange={() => setVerdicts('debrief')} /> only in the debrief (when the session is closed)
        </label>
        <label className="inline">
          <input type="radio" name="verdicts" checked={verdicts === 'live'} onChange={() => setVerdicts('live')} /> after each decision
        </label>
      </fieldset>
      <label>
        Participants, one per line: &quot;Name — role&quot;
        <textarea value={people} onChange={(e) => setPeople(e.target.value)} rows={4} placeholder={'Priya Shah — proofing_standards_owner\nSam Ortiz — Service-desk lead'} />
      </label>
      <p className="hint">Roles that own controls: {ROLE_CHOICES.map((r) => r.id).join(', ')}. A participant in one of these roles is named as the owner of the gaps of that role.</p>
      {parsed.problems.length ? <p className="field-error" role="alert">{parsed.problems.join('; ')}</p> : null}
      <label>
        Facilitator
        <input value={facilitator} onChange={(e) => setFacilitator(e.target.value)} maxLength={120} />
      </label>
      <label>
        Facilitator&apos;s notes (never shown to the room)
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} />
      </label>
      <button type="submit" className="btn-primary" disabled={parsed.problems.length > 0 || !routes || routes.notPlayable !== null}>
        Create session
      </button>
    </form>
  );
}

function Console({ api, view, act }: { api: AppApi; view: ConsoleView; act: (title: string, call: () => Promise<ConsoleView>) => Promise<ConsoleView | null> }) {
  const now = useNow();
  const minutes = liveMinutes(view.clock, now);
  const id = view.session.id;
  const open = view.session.status === 'open';
  const p = view.current;
  const [decidedBy, setDecidedBy] = useState('');
  const [rationale, setRationale] = useState('');
  const [editing, setEditing] = useState(false);
  const [injectTitle, setInjectTitle] = useState('');
  const [injectText, setInjectText] = useState('');
  const [note, setNote] = useState(p?.note ?? '');
  const [adding, setAdding] = useState({ atMinute: '10', title: '', text: '' });
  useEffect(() => setNote(p?.note ?? ''), [p?.id, p?.note]);
  const due = dueInjects(view.injects, minutes);

  const decide = (choice: string) =>
    act('The decision could not be recorded', () =>
      api['tabletop.decide']({ sessionId: id, point: p!.id, choice, ...(rationale.trim() ? { rationale: rationale.trim() } : {}), ...(decidedBy ? { decidedBy } : {}) }),
    ).then((v) => v && setRationale(''));
  const control = (action: 'undo' | 'pause' | 'resume' | 'release_inject', inject?: number) =>
    act('The facilitator action failed', () => api['tabletop.control']({ sessionId: id, action, ...(inject !== undefined ? { inject } : {}) }));
  const exportReport = async (format: 'md' | 'html') => {
    try {
      const r = await api['tabletop.report']({ sessionId: id, format });
      offerDownload(r.fileName, r.text, r.mediaType);
    } catch (e) {
      await act('The report could not be exported', () => Promise.reject(e));
    }
  };

  return (
    <div className="console">
      <section className="console-head" aria-labelledby="session-title">
        <div>
          <h1 id="session-title">{view.session.title}</h1>
          <p className="muted">
            {view.session.workflow.name} · {view.session.scenario.name} · route {exerciseRouteText(view.setup.route)} · verdicts {view.setup.verdicts === 'live' ? 'shown after each decision' : 'kept for the debrief'}
          </p>
        </div>
        <div className="clock" role="timer" aria-label={`Exercise time, ${minutes >= 60 ? 'hours, minutes and seconds' : 'minutes and seconds'}`}>
          <span className="clock-face">{clockText(minutes)}</span>
          <span className="clock-unit muted">{minutes >= 60 ? 'h:min:s' : 'min:s'}</span>
          {view.clock.paused ? <Badge tone="warn">paused</Badge> : null}
        </div>
        <div className="console-actions">
          {open ? (
            <button type="button" onClick={() => control(view.clock.paused ? 'resume' : 'pause')}>
              {view.clock.paused ? 'Resume' : 'Pause'}
            </button>
          ) : null}
          <button
            type="button"
            title="Opens the room's view in a second window (a new tab in browser mode)"
            onClick={() =>
              void openPresenterView(id).then((opened) => {
                if (!opened) void act('The presenter view could not be opened', () => Promise.reject(new ApiError('conflict', 'the presenter view could not be opened here')));
              })
            }
          >
            Open presenter view
          </button>
          {open ? (
            <button type="button" onClick={() => act('The session could not be closed', () => api['tabletop.close']({ sessionId: id }))}>
              Close for debrief
            </button>
          ) : (
            <Badge tone="muted">closed</Badge>
          )}
          <button type="button" onClick={() => void exportReport('md')}>
            After-action report (Markdown)
          </button>
          <button type="button" onClick={() => void exportReport('html')}>
            After-action report (HTML)
          </button>
        </div>
      </section>

      <div className="console-body">
        <section className="point" aria-labelledby="point-title">
          {p ? (
            <>
              <h2 id="point-title">
                Decision point {p.id}: {p.stepName}
              </h2>
              <p className="muted">
                {p.actor ? `${p.actor.name} (tier ${p.actor.tier})` : 'The desk'} · {p.kind} step · scenario minute {p.modelMinute} ·{' '}
                <span role="timer" aria-label="Time since the last decision">
                  {clockText(Math.max(0, minutes - (view.decisions.at(-1)?.atMinute ?? 0)))} since the last decision
                </span>
              </p>
              {editing ? (
                <div className="inject-edit">
                  <label>
                    Inject title
                    <input value={injectTitle} onChange={(e) => setInjectTitle(e.target.value)} maxLength={200} />
                  </label>
                  <label>
                    Inject text (what the room is told)
                    <textarea value={injectText} onChange={(e) => setInjectText(e.target.value)} rows={5} />
                  </label>
                  <button
                    type="button"
                    className="btn-primary"
                    onClick={() => act('The inject could not be saved', () => api['tabletop.edit']({ sessionId: id, inject: { point: p.id, title: injectTitle, text: injectText } })).then((v) => v && setEditing(false))}
                  >
                    Save inject
                  </button>
                  <button type="button" onClick={() => setEditing(false)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <div className="inject">
                  <h3>
                    {p.inject.title} {p.inject.edited ? <Badge tone="info">edited</Badge> : null}
                  </h3>
                  <p className="inject-text">{p.inject.text}</p>
                  {open ? (
                    <button type="button" className="btn-small" onClick={() => (setInjectTitle(p.inject.title), setInjectText(p.inject.text), setEditing(true))}>
                      Edit inject
                    </button>
                  ) : null}
                </div>
              )}
              {p.evidence.length ? (
                <>
                  <h3>Evidence the caller can offer</h3>
                  <ul className="evidence">
                    {p.evidence.map((e, i) => (
                      <li key={i}>{e}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              <div className="facilitator-only" role="group" aria-label="For the facilitator only">
                {p.narration.length ? (
                  <>
                    <h3>For the facilitator: what happens</h3>
                    {p.narration.map((n, i) => (
                      <p key={i} className="narration">
                        {n}
                      </p>
                    ))}
                  </>
                ) : null}
                <h3>For the facilitator: what the controls require</h3>
                <p>
                  <strong>{REQUIRED_TEXT[p.required.choice]}</strong> — {p.required.why}
                </p>
                {p.controls.length ? (
                  <table className="controls-table">
                    <caption className="sr-only">Controls in play at this step</caption>
                    <thead>
                      <tr>
                        <th scope="col">Control</th>
                        <th scope="col">Enforced by</th>
                        <th scope="col">If performed</th>
                        <th scope="col">Why</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.controls.map((c) => (
                        <tr key={c.key}>
                          <td>
                            {c.name}
                            <div className="muted">owner: {c.ownerTitle}</div>
                          </td>
                          <td>{c.enforcement === 'system' ? 'the system' : 'the agent'}</td>
                          <td>{c.ifPerformed === 'holds' ? <Badge tone="good">holds</Badge> : c.ifPerformed === 'passes' ? <Badge tone="bad">caller gets past it</Badge> : <Badge tone="muted">does not apply</Badge>}</td>
                          <td>{c.why}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="muted">No control at this step.</p>
                )}
              </div>
              {open ? (
                <div className="decide" role="group" aria-label="The room's decision">
                  <h3>The room decides</h3>
                  <p className="hint">Border colours say what a choice does to the caller, not which one the controls require: red lets them past this step, green stops or reroutes them.</p>
                  <div className="decide-fields">
                    <label>
                      Decided by
                      <select value={decidedBy} onChange={(e) => setDecidedBy(e.target.value)}>
                        <option value="">the room</option>
                        {view.setup.participants.map((x) => (
                          <option key={x.name} value={x.name}>
                            {x.name} ({roleLabel(x.role)})
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Rationale
                      <input value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={4000} placeholder="why the room chose this" />
                    </label>
                  </div>
                  <div className="choices">
                    {p.options.filter((o) => o.advances).map((o) => (
                      <button key={o.id} type="button" className={`choice choice-${o.kind}`} onClick={() => void decide(o.id)}>
                        {o.label}
                      </button>
                    ))}
                  </div>
                  <div className="choices secondary">
                    {p.options.filter((o) => !o.advances).map((o) => (
                      <button key={o.id} type="button" className="choice" onClick={() => void decide(o.id)}>
                        {o.label}
                      </button>
                    ))}
                  </div>
                  <label className="step-note">
                    Your note on this step (never shown to the room)
                    <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
                  </label>
                  <button type="button" className="btn-small" onClick={() => void act('The note could not be saved', () => api['tabletop.edit']({ sessionId: id, stepNote: { point: p.id, text: note } }))}>
                    Save note
                  </button>
                </div>
              ) : null}
            </>
          ) : (
            <div className={`end tone-${view.end && view.end.kind !== 'blocked' ? 'bad' : 'good'}`} role="status">
              <h2 id="point-title">{view.end ? (view.end.kind === 'blocked' ? 'The attempt was stopped' : view.end.kind === 'takeover_detected' ? 'Takeover, detected' : 'Takeover, undetected') : 'No decision pending'}</h2>
              <p>{view.end?.reason}</p>
              {view.end && view.decisions.length === 0 && view.events.some((e) => e.what.includes(', not the room: ')) ? (
                <p className="muted">Nothing on this route was the room&apos;s to decide: systems, the requester or the account holder perform its steps (the walk is listed beside). The room&apos;s part is the timed injects and the debrief.</p>
              ) : null}
              {view.gaps.length ? (
                <>
                  <h3>Gaps this run exposed</h3>
                  <ul>
                    {view.gaps.map((g, i) => (
                      <li key={i}>
                        <strong>{g.controlName}</strong> at {g.stepName}: {exerciseGapKindText(g.kind)} — owner {g.ownerNames.length ? `${g.ownerNames.join(', ')} (${g.ownerTitle})` : g.ownerTitle}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          )}
        </section>

        <aside className="console-side">
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Decisions and the walk</h2>
            {view.decisions.length === 0 && view.events.length === 0 ? <p className="muted">None yet.</p> : null}
            <ol className="timeline">
              {view.decisions.flatMap((d, i) => [
                ...walkItems(view.events, i),
                <li key={d.seq} value={i + 1}>
                  <span className="t-min">{clockText(d.atMinute)}</span> <strong>{d.stepName}</strong>: {d.choiceLabel}
                  {d.decidedBy ? <span className="muted"> ({d.decidedBy})</span> : null}
                  {d.matches === false ? <Badge tone="bad">differs from the controls</Badge> : d.matches === true ? <Badge tone="good">as the controls require</Badge> : null}
                  <div className="t-result">{d.result}</div>
                  {d.detail ? <div className="t-detail muted">{view.setup.verdicts === 'live' || view.session.status === 'closed' ? 'Why: ' : 'Why (kept from the room until the debrief): '}{d.detail}</div> : null}
                </li>,
              ])}
              {walkItems(view.events, view.decisions.length)}
            </ol>
            {open && view.decisions.length ? (
              <button type="button" className="btn-small" onClick={() => void control('undo')}>
                Undo last decision
              </button>
            ) : null}
          </section>
          <section aria-labelledby="injects-title">
            <h2 id="injects-title">Timed injects</h2>
            {due.length ? <p className="due" role="status">{due.length} due now</p> : null}
            <ul className="injects">
              {view.injects.map((i) => (
                <li key={i.index} className={i.released ? 'is-released' : due.includes(i) ? 'is-due' : ''}>
                  <span className="t-min">+{i.atMinute} min</span> {i.title} {i.source === 'facilitator' ? <Badge tone="info">yours</Badge> : null}
                  {i.released ? (
                    <Badge tone="muted">released at {clockText(i.releasedAtMinute ?? 0)}</Badge>
                  ) : open ? (
                    <button type="button" className="btn-small" onClick={() => void control('release_inject', i.index)}>
                      Release
                    </button>
                  ) : null}
                  {i.applies ? (
                    <div className={`inject-applies${i.applies.holds ? ' muted' : ''}`}>
                      {i.applies.holds ? null : <Badge tone="warn">check first</Badge>} {i.applies.note}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
            {open ? (
              <form
                className="add-inject"
                onSubmit={(e) => {
                  e.preventDefault();
                  void act('The inject could not be added', () => api['tabletop.edit']({ sessionId: id, addInject: { atMinute: Number(adding.atMinute) || 0, title: adding.title, text: adding.text } })).then(
                    (v) => v && setAdding({ atMinute: '10', title: '', text: '' }),
                  );
                }}
              >
                <h3>Add a timed inject</h3>
                <label>
                  At minute
                  <input type="number" min={0} max={1440} value={adding.atMinute} onChange={(e) => setAdding({ ...adding, atMinute: e.target.value })} />
                </label>
                <label>
                  Title
                  <input value={adding.title} onChange={(e) => setAdding({ ...adding, title: e.target.value })} maxLength={200} required />
                </label>
                <label>
                  Text
                  <textarea value={adding.text} onChange={(e) => setAdding({ ...adding, text: e.target.value })} rows={2} />
                </label>
                <button type="submit" className="btn-small">
                  Add inject
                </button>
              </form>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}

/**
 * The steps that ran without the room after the `after`-th decision (routing, notifications, and
 * steps a system, the requester or the account holder performs), as timeline entries.
 */
function walkItems(events: ConsoleView['events'], after: number): ReactElement[] {
  return events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.afterDecision === after)
    .map(({ e, i }) => (
      <li key={`walk-${i}`} className="t-walk muted">
        · <strong>{e.stepName}</strong>: {e.what}
      </li>
    ));
}
