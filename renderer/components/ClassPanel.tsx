// One takeover path: what it is, the step-by-step trace with each control's verdict and the rule
// behind it, and its gap: the controls that would have blocked or detected it and who owns them.
import type { GapRow, PathSummary, TraceStep } from '../compute/computeResults.ts';
import { Badge, Empty, OutcomeBadge } from './common.tsx';

interface Props {
  /** The other paths of the same scenario, to step through. */
  siblings: { id: string; label: string }[];
  selectedId: string | null;
  onPath(id: string): void;
  summary: PathSummary | null;
  trace: TraceStep[];
  gaps: GapRow[];
  gapsPending: boolean;
  /** The selected path no longer exists under the what-if changes. */
  closed: boolean;
}

export function PathPanel({ siblings, selectedId, onPath, summary, trace, gaps, gapsPending, closed }: Props) {
  if (closed) {
    return (
      <Empty>
        <strong>This path is closed by the what-if changes.</strong> The attacker can no longer walk it. Pick a path still open in the table, or undo changes
        in the What-if tab.
      </Empty>
    );
  }
  if (!summary) return <Empty>Select a takeover path in the table (#1, #2 …) to see its trace and the controls that would have stopped it.</Empty>;
  const blockers = gaps.filter((g) => g.effect === 'blocks');
  const detectors = gaps.filter((g) => g.effect === 'detects');
  return (
    <div className="path-panel" data-testid="path-panel">
      <header className="path-head">
        <h3>{summary.title}</h3>
        {siblings.length > 1 ? <PathStepper siblings={siblings} selectedId={selectedId} onPath={onPath} /> : null}
        <OutcomeBadge outcome={summary.outcome} />
      </header>
      <dl className="facts">
        {summary.facts.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>

      <h4>Trace</h4>
      <ol className="trace" data-testid="trace">
        {trace.map((s) => (
          <li key={s.n} className={s.takeover ? 'is-takeover' : ''}>
            <div className="trace-step">
              <span className="trace-n">{s.n}</span>
              <span className="trace-name">{s.name}</span>
              <span className="trace-via">{s.takeover ? 'takeover: credential obtained' : s.via}</span>
            </div>
            {s.verdicts.length ? (
              <ul className="verdicts">
                {s.verdicts.map((v, i) => (
                  <li key={i}>
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

      <h4>
        Gap: what would have stopped it {gapsPending ? <span className="pending">recomputing…</span> : null}
      </h4>
      {!gapsPending && gaps.length === 0 ? <p className="muted">No single catalogue control blocks or detects this path.</p> : null}
      <GapList title="Would block" rows={blockers} />
      <GapList title="Would detect" rows={detectors} />
    </div>
  );
}

function PathStepper({ siblings, selectedId, onPath }: Pick<Props, 'siblings' | 'selectedId' | 'onPath'>) {
  const i = siblings.findIndex((s) => s.id === selectedId);
  return (
    <span className="stepper" aria-label="Paths of this scenario">
      <button type="button" className="btn-small" disabled={i <= 0} onClick={() => onPath(siblings[i - 1]!.id)} aria-label="Previous path">
        ‹
      </button>
      <span className="muted">
        {i + 1} of {siblings.length}
      </span>
      <button type="button" className="btn-small" disabled={i < 0 || i >= siblings.length - 1} onClick={() => onPath(siblings[i + 1]!.id)} aria-label="Next path">
        ›
      </button>
    </span>
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
              <Badge tone={g.effectTone}>{g.effectLabel}</Badge>
            </div>
            <div className="gap-name">{g.name}</div>
            <div className="gap-why">
              {g.why}
              {g.actsAt ? <span className="muted"> · acts at “{g.actsAt}”</span> : null}
            </div>
            <div className="gap-owner" title={g.owner}>
              <span className="k">Accountable</span> {g.ownerTitle}
            </div>
            <div className="gap-friction">
              <span className="k">Friction</span> {g.friction}
            </div>
            <div className="mappings">
              {g.mappings.map((m) => (
                <span key={m.label} className={`mapping${m.unconfirmed ? ' is-unconfirmed' : ''}`} title={m.title}>
                  {m.label}
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
