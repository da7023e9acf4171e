// The room's screen: large text for a projector, kept in step with the facilitator's console by
// asking the host once a second. It reads `tabletop.presenter`, whose answer carries no notes and,
// until the debrief, no verdicts: nothing here could show them.
import { useEffect, useState } from 'react';
import { ApiError, type AppApi, type PresenterView } from '../../contract/index.ts';
import { clockText, liveMinutes } from '../compute/computeTabletop.ts';

/** Released injects the room's screen shows (the newest): more do not fit a 1280x720 projector beside the decision and the last one. */
const PRESENTER_INJECTS = 1;
/** Steps that ran without the room the screen lists beside the decision (the newest): the console has them all. */
const PRESENTER_WALK = 2;

const END_TEXT: Record<string, string> = { blocked: 'The attempt was stopped', takeover_detected: 'Takeover, detected', takeover_undetected: 'Takeover, undetected' };

export function PresenterApp({ api, sessionId }: { api: AppApi; sessionId: string }) {
  const [view, setView] = useState<PresenterView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const v = await api['tabletop.presenter']({ sessionId });
        if (!stop) (setView(v), setProblem(null));
      } catch (e) {
        if (!stop) setProblem(e instanceof ApiError ? e.message : 'The host does not answer; the view resumes when it does.');
      }
    };
    void poll();
    const t = setInterval(() => {
      setNow(Date.now());
      void poll();
    }, 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [api, sessionId]);

  if (!view) return <div className="presenter">{problem ? <p role="alert">{problem}</p> : <p>Connecting…</p>}</div>;
  const last = view.decisions.at(-1);
  // Only while a point is open (after the end, what ran last could tell a debrief-mode room how it
  // ended), the newest, and one fewer beside an inject: a projector cannot be scrolled.
  const walkShown = view.current && !view.ended ? view.walk.slice(-(view.injects.length ? PRESENTER_WALK - 1 : PRESENTER_WALK)) : [];
  return (
    <div className="presenter" data-session={sessionId}>
      <header className="presenter-head">
        <h1>{view.title}</h1>
        <span className="presenter-clock" role="timer" aria-label="Exercise time (minutes and seconds; hours first past an hour)">
          {clockText(liveMinutes(view.clock, now))}
          {view.clock.paused ? ' (paused)' : ''}
        </span>
      </header>
      {problem ? (
        <p className="presenter-problem" role="alert">
          {problem}
        </p>
      ) : null}
      <main className="presenter-main">
        {view.current && !view.ended ? (
          <section className="presenter-point" aria-live="polite">
            {view.current.actorName ? <p className="presenter-step">At the desk: {view.current.actorName}</p> : null}
            <h2>{view.current.injectTitle}</h2>
            <p className="presenter-text">{view.current.injectText}</p>
            <h3>What does the desk do?</h3>
            <ul className="presenter-choices">
              {view.current.choices.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </section>
        ) : (
          <section className="presenter-point" aria-live="polite">
            <h2>{view.end ? END_TEXT[view.end.kind] ?? 'The exercise has reached its end' : view.status === 'closed' ? 'The facilitator closed the exercise for the debrief' : view.ended ? 'The exercise has reached its end' : 'Waiting for the facilitator'}</h2>
            {view.end ? <p className="presenter-text">{view.end.reason}</p> : view.ended ? <p className="presenter-text">The facilitator will take you through what happened in the debrief.</p> : null}
            {view.verdictsShown && view.ended ? (
              <>
                <h3>Debrief: the room&apos;s decisions against what the controls require</h3>
                <ol className="presenter-debrief">
                  {/* Every decision, so the list agrees with the count beside it: one the controls do not
                      decide (more evidence asked for, an escalation, a check performed, an exception
                      granted) is listed as the room's own. */}
                  {view.decisions.map((d) => (
                    <li key={d.seq} className={d.matches === null ? 'is-open' : d.matches ? 'is-match' : 'is-differ'}>
                      <span className="presenter-mark">{d.matches === null ? '○ the room’s call' : d.matches ? '✓ as required' : '✗ differs'}</span> {d.stepName}: {d.choiceLabel}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </section>
        )}
        <aside className="presenter-side">
          {last ? (
            <section>
              <h3>Last decision</h3>
              <p>
                <strong>{last.stepName}</strong>: {last.choiceLabel}
              </p>
              <p>{last.result}</p>
              {last.detail ? <p className="muted">Why: {last.detail}</p> : null}
              {last.required ? <p>The controls required: {last.required}</p> : null}
            </section>
          ) : null}
          {walkShown.length ? (
            <section className="presenter-walk" data-testid="presenter-walk">
              <h3>{last ? 'Since the last decision, without the room' : 'Before this step, without the room'}</h3>
              <ul>
                {walkShown.map((e, i) => (
                  <li key={`${i}-${e.stepName}`}>
                    <strong>{e.stepName}</strong>: {e.what}
                  </li>
                ))}
              </ul>
              {view.walk.length > walkShown.length ? <p>{`and ${view.walk.length - walkShown.length} earlier (on the facilitator's console)`}</p> : null}
            </section>
          ) : null}
          {view.injects.length ? (
            <section data-testid="presenter-injects">
              <h3>{view.injects.length > PRESENTER_INJECTS ? `Latest inject (${view.injects.length} released)` : view.injects.length === 1 ? 'Inject' : 'Injects'}</h3>
              <ul>
                {/* A projector cannot be scrolled: the newest only; the console has them all. */}
                {view.injects
                  .slice(-PRESENTER_INJECTS)
                  .reverse()
                  .map((i) => (
                    <li key={`${i.atMinute}-${i.title}`}>
                      <strong>{i.title}</strong> — {i.text}
                      {i.prompt ? <em> {i.prompt}</em> : null}
                    </li>
                  ))}
              </ul>
            </section>
          ) : null}
          <p className="presenter-count">{view.decisions.length} decision{view.decisions.length === 1 ? '' : 's'} so far</p>
        </aside>
      </main>
    </div>
  );
}
