// One class of takeover paths: how many paths it holds and how they end, the controls that close
// or detect them (alone, jointly, or by taking a means away) with their status, the gap explained
// on the first example with owners and framework mappings, then the examples, each traced step by
// step with every control's verdict and the rule behind it (replayed through the workflow machine).
import type { ClassView, ControlRow, ExampleTab, ExampleTrace, GapRow, ResidualRow } from '../compute/computeResults.ts';
import { EFFECTS } from '../compute/format.ts';
import { Badge, Empty, OutcomeBadge } from './common.tsx';

interface Props {
  /** The classes of the same scenario, to step through. */
  siblings: { id: string; title: string }[];
  selectedId: string | null;
  onClass(id: string): void;
  view: ClassView | null;
  gaps: GapRow[];
  /** Attribution (controls and gaps) is being recomputed after a what-if change. */
  pending: boolean;
  /** The selected class no longer exists under the what-if changes. */
  closed: boolean;
  examples: ExampleTab[];
  exampleIndex: number;
  onExample(index: number): void;
  exampleFacts: { label: string; value: string }[];
  trace: ExampleTrace | null;
  /** Why there is no trace yet (the scenario is loading, or could not be loaded). */
  traceWaiting: string;
}

export function ClassPanel(p: Props) {
  if (p.closed) {
    return (
      <Empty>
        <strong>This class of paths is closed by the what-if changes.</strong> The attacker can no longer walk it. Pick a class still open in the table, or
        undo changes in the What-if tab.
      </Empty>
    );
  }
  const v = p.view;
  if (!v) return <Empty>Select a class of takeover paths in the table (#1, #2 …) to see how many paths it holds, what would close them, and example paths.</Empty>;
  const nothing = !p.pending && v.blocking.length + v.joint.length + v.detecting.length + v.contributing.length === 0;
  return (
    <div className="path-panel class-panel" data-testid="class-panel" data-class={p.selectedId ?? undefined}>
      <header className="path-head">
        <h2>{v.title}</h2>
        {p.siblings.length > 1 ? <ClassStepper siblings={p.siblings} selectedId={p.selectedId} onClass={p.onClass} /> : null}
        <OutcomeBadge outcome={v.outcome} />
      </header>
      <p className="class-count" data-testid="class-count">
        <strong>{v.count}</strong> in this class
      </p>
      <dl className="facts">
        {v.facts.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>

      <h3 className="sec">
        What closes or detects these paths {p.pending ? <span className="pending">recomputing…</span> : null}
      </h3>
      {nothing ? <p className="muted">No catalogue control, alone or in a combination of up to three, closes or detects these paths.</p> : null}
      <div className="class-controls" data-testid="class-controls">
        <ControlGroup title="Blocks on its own" help={EFFECTS.blocks.help} rows={v.blocking} />
        {v.joint.length ? (
          <div className="ctl-group">
            <div className="gap-group-title" title={EFFECTS.blocks_jointly.help}>
              Blocks together
            </div>
            <ul className="ctl-list">
              {v.joint.map((j) => (
                <li key={j.controls.map((c) => c.id).join('+')} data-joint={j.controls.map((c) => c.id).join('+')}>
                  {j.controls.map((c, i) => (
                    <span key={c.id}>
                      {i ? ' + ' : ''}
                      <code className="ctl" title={c.name}>
                        {c.id}
                      </code>
                    </span>
                  ))}
                  <span className="muted"> — {j.paths}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <ControlGroup title="Detects" help={EFFECTS.detects.help} rows={v.detecting} />
        {v.contributing.length ? (
          <div className="ctl-group">
            <div className="gap-group-title" title={EFFECTS.contributes.help}>
              Takes a means away
            </div>
            <ul className="ctl-list">
              {v.contributing.map((c) => (
                <li key={c.control}>
                  <code className="ctl" title={c.name}>
                    {c.control}
                  </code>
                  <span className="muted"> — {c.paths}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <ResidualGroup title="Would make it less likely" help="Never credited with blocking: agents trained to refuse and escalate are less likely to be deceived or pressured, as an agent was on this path." rows={v.reducesLikelihood} testId="reduces-likelihood" />
        <ResidualGroup title="Would limit the harm" help="Never credited with blocking: revoking every session and token on reset ends the access the attacker holds once the takeover is found." rows={v.limitsImpact} testId="limits-impact" />
        {v.unclosable ? <p className="note">{v.unclosable}</p> : null}
        {v.conditional ? (
          <p className="note" data-testid="class-conditional">
            {v.conditional}
          </p>
        ) : null}
      </div>

      {p.gaps.length ? (
        <>
          <h3 className="sec">Gap, explained on example 1</h3>
          <GapList title="Would block" rows={p.gaps.filter((g) => g.effect === 'blocks')} />
          <GapList title="Would block together" rows={p.gaps.filter((g) => g.effect === 'blocks_jointly')} />
          <GapList title="Would detect" rows={p.gaps.filter((g) => g.effect === 'detects')} />
          <GapList title="Would take a means away" rows={p.gaps.filter((g) => g.effect === 'contributes')} />
        </>
      ) : null}

      <h3 className="sec">Example paths</h3>
      <div className="example-tabs" role="group" aria-label="Example paths of this class, shortest first">
        {p.examples.map((e) => (
          <button
            type="button"
            key={e.id}
            className={`example-btn${e.index === p.exampleIndex ? ' is-selected' : ''}`}
            aria-pressed={e.index === p.exampleIndex}
            data-example={e.index}
            title={`${e.id}: ${e.length}`}
            onClick={() => p.onExample(e.index)}
          >
            {e.label} <span className="muted">· {e.length}</span>
          </button>
        ))}
      </div>
      <dl className="facts">
        {p.exampleFacts.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <Trace trace={p.trace} waiting={p.traceWaiting} />
    </div>
  );
}

function Trace({ trace, waiting }: { trace: ExampleTrace | null; waiting: string }) {
  if (!trace) return <p className="muted">{waiting}</p>;
  if (!trace.ok) return <p className="note tone-bad">{trace.error}</p>;
  return (
    <>
      <h3 className="sec">Trace, replayed through the workflow</h3>
      {trace.mismatch ? (
        <p className="note tone-bad" role="alert">
          {trace.mismatch}
        </p>
      ) : null}
      <ol className="trace" data-testid="trace">
        {trace.steps.map((s) => (
          <li key={s.n} className={s.takeover ? 'is-takeover' : ''}>
            <div className="trace-step">
              <span className="trace-n">{s.n}</span>
              <span className="trace-name">{s.name}</span>
              <span className="trace-via">{s.takeover ? 'takeover: credential obtained' : s.via}</span>
            </div>
            {s.verdicts.length ? (
              <ul className="verdicts">
                {s.verdicts.map((v) => (
                  <li key={v.key}>
                    <Badge tone={v.tone}>{v.label}</Badge> <code className="ctl">{v.control}</code> <span className="reason">{v.reason}</span>
                    {v.rules.length ? (
                      <span className="rules" title="rules that let the attacker past">
                        {' '}
                        [{v.rules.join(', ')}]
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}

function ClassStepper({ siblings, selectedId, onClass }: Pick<Props, 'siblings' | 'selectedId' | 'onClass'>) {
  const i = siblings.findIndex((s) => s.id === selectedId);
  return (
    <span className="stepper" role="group" aria-label="Classes of this scenario">
      <button type="button" className="btn-small" disabled={i <= 0} onClick={() => onClass(siblings[i - 1]!.id)} aria-label="Previous class" title={i > 0 ? siblings[i - 1]!.title : undefined}>
        ‹
      </button>
      <span className="muted">
        {i + 1} of {siblings.length}
      </span>
      <button
        type="button"
        className="btn-small"
        disabled={i < 0 || i >= siblings.length - 1}
        onClick={() => onClass(siblings[i + 1]!.id)}
        aria-label="Next class"
        title={i >= 0 && i < siblings.length - 1 ? siblings[i + 1]!.title : undefined}
      >
        ›
      </button>
    </span>
  );
}

function ControlGroup({ title, help, rows }: { title: string; help: string; rows: ControlRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="ctl-group">
      <div className="gap-group-title" title={help}>
        {title}
      </div>
      <ul className="ctl-list">
        {rows.map((r) => (
          <li key={r.control} data-control={r.control}>
            <code className="ctl" title={r.name}>
              {r.control}
            </code>{' '}
            {r.status ? (
              <Badge tone={r.statusTone} title={r.statusHelp}>
                {r.statusLabel}
              </Badge>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function GapList({ title, rows }: { title: string; rows: GapRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="gap-group">
      <div className="gap-group-title">{title}</div>
      <ul className="gaps" data-testid="gap-list">
        {rows.map((g) => (
          <li key={g.control} className="gap" data-control={g.control}>
            <div className="gap-head">
              <code className="ctl">{g.control}</code>
              <Badge tone={g.statusTone} title={g.statusHelp}>
                {g.statusLabel}
              </Badge>
              {g.conditional ? (
                <Badge tone="warn" title="This gap is explained on a path that depends on an unknown of the workflow (a channel, a verification, an enforcement or a desk operator), taken as the attacker would have it.">
                  conditional
                </Badge>
              ) : null}
              <Badge tone={g.effectTone} title={`${g.effectHelp}\n${g.effectReason}`}>
                {g.effectLabel}
              </Badge>
            </div>
            <div className="gap-name">{g.name}</div>
            <div className="gap-why">
              {g.why}
              {g.actsAt ? <span className="muted"> · acts at “{g.actsAt}”</span> : null}
            </div>
            {g.effect === 'blocks_jointly' || g.effect === 'contributes' ? <div className="gap-why muted">{g.effectReason}</div> : null}
            <div className="gap-owner" title={g.owner}>
              <span className="k">Accountable</span> {g.ownerTitle}
            </div>
            <div className="gap-friction">
              <span className="k">Friction</span> {g.friction}
            </div>
            <div className="mappings">
              {g.mappings.map((m) => (
                <span key={m.label} className={`mapping${m.unconfirmed ? ' is-unconfirmed' : ''}${m.secondary ? ' is-secondary' : ''}`} title={m.title}>
                  {m.label}
                  {m.fit && m.fit !== 'direct' ? <span className="mapping-fit"> · {m.fit}</span> : null}
                  {m.unconfirmed ? ' [unconfirmed]' : ''}
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ResidualGroup(p: { title: string; help: string; rows: ResidualRow[]; testId: string }) {
  if (p.rows.length === 0) return null;
  return (
    <div className="ctl-group" data-testid={p.testId}>
      <div className="gap-group-title" title={p.help}>
        {p.title}
      </div>
      <ul className="ctl-list">
        {p.rows.map((r) => (
          <li key={r.control} title={r.why}>
            <code className="ctl" title={r.name}>
              {r.control}
            </code>
            <span className="muted"> — {r.statusLabel}: {r.why}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
