// Tabletop sessions over the workspace: a session stores its setup and an append-only log (each
// room decision with the point it answers, and the facilitator's undo, pause, resume and inject
// releases); its state is the exercise engine's fold of that log (analysis/tabletop.ts), so a
// session resumes after a restart exactly where it was, and replays afterwards. The presenter view
// is built here from the state with the facilitator-only parts left out.
import { ExerciseError, injectConsoleNote, pickRoute, runExercise, type ExerciseDecision, type ExerciseState } from '../analysis/index.ts';
import type { z } from 'zod';
import { ApiError, exerciseSetupSchema, type API, type ApiResponse, type ConsoleView, type ExerciseSetup, type PresenterView } from '../contract/index.ts';
import type { Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import type { TabletopDecision, TabletopSession, Workspace } from '../storage/index.ts';
import { afterActionHtml, afterActionMarkdown, buildAfterAction, participantsIn } from './afterAction.ts';

/** A model a session was set up with: its id, the revision (null: bundled) and the parsed model. */
export interface SessionModel<T> {
  id: string;
  revision: number | null;
  model: T;
}

export interface TabletopDeps {
  ws: Workspace;
  clock: () => Date;
  refuseIfReadOnly(): void;
  /** The latest version of a model (workspace revision, else bundled). */
  latest<T extends Workflow | Scenario>(kind: 'workflow' | 'scenario', id: string): SessionModel<T>;
  /** The exact version a session recorded. */
  at<T extends Workflow | Scenario>(kind: 'workflow' | 'scenario', id: string, revision: number | null): T;
}

type Keys = 'tabletop.create' | 'tabletop.list' | 'tabletop.get' | 'tabletop.decide' | 'tabletop.control' | 'tabletop.edit' | 'tabletop.close' | 'tabletop.presenter' | 'tabletop.report';

/** A session as loaded: its row, setup, models and the fold of its log. */
interface Loaded {
  session: TabletopSession;
  setup: ExerciseSetup;
  wf: Workflow;
  sc: Scenario;
  effective: TabletopDecision[];
  state: ExerciseState;
}

const MINUTE = 60_000;

/** The log entries that are room decisions still in force (an undo takes back the latest one). */
export function effectiveDecisions(rows: readonly TabletopDecision[]): TabletopDecision[] {
  const out: TabletopDecision[] = [];
  for (const r of rows) {
    if (r.point !== undefined) out.push(r);
    else if (r.choice === 'undo') out.pop();
  }
  return out;
}

/** Minutes of exercise time at `now`: wall time since the start less the time spent paused. */
export function exerciseClock(session: Pick<TabletopSession, 'startedAt' | 'closedAt' | 'decisions'>, now: Date): { elapsedMinutes: number; paused: boolean } {
  const start = Date.parse(session.startedAt);
  const end = session.closedAt ? Date.parse(session.closedAt) : now.getTime();
  let pausedMs = 0;
  let pausedAt: number | null = null;
  for (const r of session.decisions) {
    if (r.point !== undefined) continue;
    const t = Date.parse(r.recordedAt);
    if (r.choice === 'pause' && pausedAt === null) pausedAt = t;
    else if (r.choice === 'resume' && pausedAt !== null) {
      pausedMs += t - pausedAt;
      pausedAt = null;
    }
  }
  const stop = pausedAt !== null && pausedAt < end ? pausedAt : end;
  // A closed session's clock stands still at its close: it is paused for good.
  return { elapsedMinutes: Math.max(0, Math.round(((stop - start - pausedMs) / MINUTE) * 10) / 10), paused: pausedAt !== null || session.closedAt !== null };
}

type Req<K extends Keys> = z.output<(typeof API)[K]['request']>;

/** The tabletop handlers of the service. */
export function tabletopHandlers(deps: TabletopDeps): { [K in Keys]: (req: Req<K>) => ApiResponse<K> } {
  const { ws } = deps;

  function load(id: string): Loaded {
    const session = ws.getTabletopSession(id);
    if (!session) throw new ApiError('not_found', `no tabletop session "${id}" in this workspace`);
    if (!session.workflow || !session.setup) throw new ApiError('conflict', `tabletop session "${id}" was recorded without an exercise setup (before ResetPath ran exercises); it can be read in the audit log only`);
    const parsed = exerciseSetupSchema.safeParse(JSON.parse(session.setup));
    if (!parsed.success) throw new ApiError('conflict', `tabletop session "${id}": its stored setup does not match this ResetPath (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const setup = parsed.data;
    const wf = deps.at<Workflow>('workflow', session.workflow.id, session.workflow.revision);
    const sc = deps.at<Scenario>('scenario', session.scenario.id, session.scenario.revision);
    const effective = effectiveDecisions(session.decisions);
    const state = fold(wf, sc, setup, effective, id);
    return { session, setup, wf, sc, effective, state };
  }

  function fold(wf: Workflow, sc: Scenario, setup: ExerciseSetup, rows: readonly { point?: string; choice: string }[], id: string): ExerciseState {
    const route = { channel: setup.route.channel as never, claimedClass: setup.route.claimedClass as never };
    try {
      return runExercise(wf, sc, route, rows.map((r): ExerciseDecision => ({ point: r.point!, choice: r.choice })), { decisionsAt: setup.decisionsAt ?? 'every_step' });
    } catch (e) {
      if (e instanceof ExerciseError) throw new ApiError('conflict', `tabletop session "${id}": ${e.message}`);
      throw e;
    }
  }

  function writable(l: Loaded): void {
    deps.refuseIfReadOnly();
    if (l.session.status !== 'open') throw new ApiError('conflict', `tabletop session "${l.session.id}" is closed; it can be read and reported, not changed`);
  }

  const minuteNow = (l: Loaded) => exerciseClock(l.session, deps.clock()).elapsedMinutes;

  function consoleView(l: Loaded): ConsoleView {
    const { session, setup, state } = l;
    const names = (owner: string) => participantsIn(setup, owner);
    const withNames = <G extends { owner: string }>(g: G) => ({ ...g, ownerNames: names(g.owner) });
    const clock = exerciseClock(session, deps.clock());
    const decisions = state.decisions.map((d, i) => {
      const row = l.effective[i]!;
      return { ...d, seq: row.seq, atMinute: row.atMinute, decidedBy: row.decidedBy, rationale: row.rationale, gaps: d.gaps.map(withNames) };
    });
    const current = state.current
      ? (() => {
          const edit = setup.injectEdits[state.current.id];
          return { ...state.current, inject: edit ? { ...edit, edited: true } : { ...state.current.inject, edited: false }, note: setup.stepNotes[state.current.id] ?? '' };
        })()
      : null;
    const undone = new Set<number>();
    const stack: number[] = [];
    for (const r of session.decisions) {
      if (r.point !== undefined) stack.push(r.seq);
      else if (r.choice === 'undo') {
        const s = stack.pop();
        if (s !== undefined) undone.add(s);
      }
    }
    return {
      session: summary(session, l),
      setup,
      clock: { ...clock, asOf: deps.clock().toISOString() },
      current,
      decisions,
      events: state.events,
      end: state.end ? { kind: state.end.kind, step: state.end.step, reason: state.end.reason, by: 'by' in state.end ? state.end.by : null } : null,
      gaps: state.gaps.map(withNames),
      injects: injects(l),
      log: session.decisions.map((r) => ({ seq: r.seq, atMinute: r.atMinute, what: r.point !== undefined ? `${r.prompt}: ${r.injectTitle ?? r.choice}` : r.prompt, by: r.decidedBy, undone: undone.has(r.seq) })),
    };
  }

  function summary(session: TabletopSession, l: { wf: Workflow; sc: Scenario }): ConsoleView['session'] {
    return {
      id: session.id,
      title: session.title,
      status: session.status,
      workflow: { id: l.wf.id, name: l.wf.name, revision: session.workflow?.revision ?? null },
      scenario: { id: l.sc.id, name: l.sc.name, revision: session.scenario.revision },
      facilitator: session.facilitator,
      startedAt: session.startedAt,
      closedAt: session.closedAt,
      decisions: effectiveDecisions(session.decisions).length,
      notes: session.notes,
    };
  }

  function injects(l: Loaded): ConsoleView['injects'] {
    const released = new Map<number, number>();
    for (const r of l.session.decisions) {
      const m = r.point === undefined ? /^inject:(\d+)$/.exec(r.choice) : null;
      if (m && !released.has(Number(m[1]))) released.set(Number(m[1]), r.atMinute);
    }
    const all = [
      ...l.sc.injects.map((i) => ({ atMinute: i.atMinute, title: i.title, text: i.text.trim(), prompt: i.decision?.prompt ?? null, options: i.decision?.options ?? [], source: 'scenario' as const, applies: injectConsoleNote(l.wf, l.sc, i, l.state) })),
      ...l.setup.customInjects.map((i) => ({ ...i, prompt: null, options: [], source: 'facilitator' as const, applies: null })),
    ];
    return all.map((i, index) => ({ ...i, index, released: released.has(index), releasedAtMinute: released.get(index) ?? null }));
  }

  function record(l: Loaded, entry: { point?: string; choice: string; prompt: string; injectTitle?: string; rationale?: string; decidedBy?: string }): void {
    ws.recordTabletopDecision(l.session.id, { atMinute: minuteNow(l), ...entry });
  }

  function setSetup(l: Loaded, setup: ExerciseSetup, reason: string): void {
    ws.setTabletopSetup(l.session.id, JSON.stringify(setup), { reason });
  }

  return {
    'tabletop.create': (req: Req<'tabletop.create'>) => {
      deps.refuseIfReadOnly();
      const wf = deps.latest<Workflow>('workflow', req.workflowId);
      const sc = deps.latest<Scenario>('scenario', req.scenarioId);
      const route = pickRoute(wf.model, sc.model, req.route);
      if ('error' in route) throw new ApiError('bad_request', `tabletop.create: ${route.error}`);
      const setup: ExerciseSetup = {
        format: 'resetpath/exercise-setup@1',
        route,
        participants: req.participants ?? [],
        verdicts: req.verdicts ?? 'debrief',
        improvementDays: req.improvementDays ?? 30,
        injectEdits: {},
        stepNotes: {},
        customInjects: [],
        decisionsAt: 'people',
      };
      const info = ws.createTabletopSession({
        title: req.title,
        scenario: { id: sc.id, revision: sc.revision },
        workflow: { id: wf.id, revision: wf.revision },
        ...(req.facilitator !== undefined ? { facilitator: req.facilitator } : {}),
        ...(req.notes !== undefined ? { notes: req.notes } : {}),
        setup: JSON.stringify(setup),
      });
      return consoleView(load(info.id));
    },

    'tabletop.list': () => ({
      sessions: ws.listTabletopSessions().flatMap((s) => {
        const full = ws.getTabletopSession(s.id)!;
        if (!full.workflow || !full.setup) return [];
        try {
          const wf = deps.at<Workflow>('workflow', full.workflow.id, full.workflow.revision);
          const sc = deps.at<Scenario>('scenario', full.scenario.id, full.scenario.revision);
          // The list carries no facilitator's notes: it is what any screen may show.
          const { notes: _notes, ...listed } = summary(full, { wf, sc });
          return [listed];
        } catch {
          return [];
        }
      }),
    }),

    'tabletop.get': (req: Req<'tabletop.get'>) => consoleView(load(req.sessionId)),

    'tabletop.decide': (req: Req<'tabletop.decide'>) => {
      const l = load(req.sessionId);
      writable(l);
      // Fold the log with the decision first: one that does not fit where the room is is refused unsaved.
      const next = fold(l.wf, l.sc, l.setup, [...l.effective, { point: req.point, choice: req.choice }], l.session.id);
      const d = next.decisions.at(-1)!;
      record(l, {
        point: req.point,
        choice: req.choice,
        prompt: `${d.point} ${d.stepName}`,
        injectTitle: d.choiceLabel,
        ...(req.rationale ? { rationale: req.rationale } : {}),
        ...(req.decidedBy ? { decidedBy: req.decidedBy } : {}),
      });
      return consoleView(load(req.sessionId));
    },

    'tabletop.control': (req: Req<'tabletop.control'>) => {
      const l = load(req.sessionId);
      writable(l);
      const clock = exerciseClock(l.session, deps.clock());
      if (req.action === 'undo') {
        const last = l.effective.at(-1);
        if (!last) throw new ApiError('conflict', `tabletop session "${l.session.id}" has no decision to undo`);
        record(l, { choice: 'undo', prompt: `Facilitator undid decision ${last.seq} (${last.prompt}: ${last.injectTitle ?? last.choice})` });
      } else if (req.action === 'pause') {
        if (clock.paused) throw new ApiError('conflict', 'the exercise clock is already paused');
        record(l, { choice: 'pause', prompt: 'Facilitator paused the exercise' });
      } else if (req.action === 'resume') {
        if (!clock.paused) throw new ApiError('conflict', 'the exercise clock is not paused');
        record(l, { choice: 'resume', prompt: 'Facilitator resumed the exercise' });
      } else {
        const all = injects(l);
        const i = req.inject === undefined ? undefined : all[req.inject];
        if (!i) throw new ApiError('bad_request', `tabletop.control: inject: must be one of 0-${all.length - 1}`);
        if (i.released) throw new ApiError('conflict', `inject "${i.title}" was already released`);
        record(l, { choice: `inject:${req.inject}`, prompt: `Inject released: ${i.title}` });
      }
      return consoleView(load(req.sessionId));
    },

    'tabletop.edit': (req: Req<'tabletop.edit'>) => {
      const l = load(req.sessionId);
      writable(l);
      if (req.notes !== undefined) ws.setTabletopNotes(l.session.id, req.notes);
      const setup: ExerciseSetup = structuredClone(l.setup);
      const changed: string[] = [];
      if (req.stepNote) {
        if (req.stepNote.text.trim() === '') delete setup.stepNotes[req.stepNote.point];
        else setup.stepNotes[req.stepNote.point] = req.stepNote.text;
        changed.push(`note at point ${req.stepNote.point}`);
      }
      if (req.inject) {
        setup.injectEdits[req.inject.point] = { title: req.inject.title, text: req.inject.text };
        changed.push(`inject at point ${req.inject.point}`);
      }
      if (req.addInject) {
        if (setup.customInjects.length >= 100) throw new ApiError('bad_request', 'tabletop.edit: addInject: a session holds at most 100 injects of its own');
        setup.customInjects.push(req.addInject);
        changed.push(`timed inject "${req.addInject.title}"`);
      }
      if (req.verdicts) {
        setup.verdicts = req.verdicts;
        changed.push(`verdicts shown ${req.verdicts === 'live' ? 'after each decision' : 'in the debrief'}`);
      }
      if (changed.length) setSetup(l, setup, `facilitator edited ${changed.join(', ')}`);
      return consoleView(load(req.sessionId));
    },

    'tabletop.close': (req: Req<'tabletop.close'>) => {
      const l = load(req.sessionId);
      deps.refuseIfReadOnly();
      ws.closeTabletopSession(l.session.id);
      return consoleView(load(req.sessionId));
    },

    'tabletop.presenter': (req: Req<'tabletop.presenter'>) => presenterView(consoleView(load(req.sessionId))),

    'tabletop.report': (req: Req<'tabletop.report'>) => {
      const l = load(req.sessionId);
      const view = consoleView(l);
      const aar = buildAfterAction(view, l.wf, l.sc, deps.clock());
      const base = `after-action-${view.session.id}`;
      return req.format === 'md'
        ? { fileName: `${base}.md`, mediaType: 'text/markdown', text: afterActionMarkdown(aar) }
        : { fileName: `${base}.html`, mediaType: 'text/html', text: afterActionHtml(aar) };
    },
  };
}

/** The room's view of a console view: what the room may see, nothing else (the schema has no field for the rest). */
export function presenterView(v: ConsoleView): PresenterView {
  const closed = v.session.status === 'closed';
  const shown = v.setup.verdicts === 'live' || closed;
  const CHOICE = { approve: 'approve', fallback: 'send to the fallback', deny: 'refuse' } as const;
  return {
    title: v.session.title,
    status: v.session.status,
    clock: v.clock,
    verdictsShown: shown,
    // Closing the session is the debrief, wherever the walk had got to: no decision is open to the room.
    current: v.current && !closed
      ? {
          id: v.current.id,
          stepName: v.current.stepName,
          actorName: v.current.actor?.name ?? null,
          injectTitle: v.current.inject.title,
          injectText: v.current.inject.text,
          choices: v.current.options.map((o) => o.label),
        }
      : null,
    decisions: v.decisions.map((d) => ({
      seq: d.seq,
      stepName: d.stepName,
      choiceLabel: d.choiceLabel,
      atMinute: d.atMinute,
      result: d.result,
      detail: shown ? d.detail : null,
      required: shown && d.required ? `${CHOICE[d.required.choice]}: ${d.required.why}` : null,
      matches: shown ? d.matches : null,
    })),
    // In the order they were released (the room's screen shows the latest).
    injects: v.injects
      .filter((i) => i.released)
      .sort((a, b) => (a.releasedAtMinute ?? 0) - (b.releasedAtMinute ?? 0))
      .map((i) => ({ atMinute: i.atMinute, title: i.title, text: i.text, prompt: i.prompt })),
    // Only since the room's last decision: the console keeps the whole walk.
    walk: v.events.filter((e) => e.afterDecision === v.decisions.length).map((e) => ({ stepName: e.stepName, what: e.what })),
    ended: v.end !== null || closed,
    end: v.end && shown ? { kind: v.end.kind, reason: v.end.reason } : null,
  };
}
