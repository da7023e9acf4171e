// A running analysis (how far it has got, and a way to stop it) and the buttons that collapse the
// workbench's side panels. They only draw: the words come from compute/computeProgress.ts.
import type { ProgressView } from '../compute/computeProgress.ts';

/** The progress bar of the running analysis with its Cancel button. */
export function RunProgress({ view, cancelling, onCancel }: { view: ProgressView; cancelling: boolean; onCancel: () => void }) {
  return (
    <div className="run-progress" data-testid="run-progress">
      <div
        className={`progress-track${view.fraction === null ? ' is-indeterminate' : ''}`}
        role="progressbar"
        aria-label="Analysis progress"
        aria-valuemin={0}
        aria-valuemax={view.max ?? undefined}
        aria-valuenow={view.now ?? undefined}
        aria-valuetext={view.now === null ? view.text : `${view.text}, ${view.detail}`}
      >
        <div className="progress-fill" style={view.fraction === null ? undefined : { width: `${(view.fraction * 100).toFixed(1)}%` }} />
      </div>
      <div className="progress-words">
        <strong data-testid="progress-text">{view.text}</strong> <span className="progress-detail">{view.detail}</span>
      </div>
      {/* Busy is aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
      <button type="button" className="btn-small" onClick={() => !cancelling && onCancel()} aria-disabled={cancelling ? 'true' : undefined} data-testid="cancel-analysis">
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

/** Collapses or expands a side panel; the panel stays in the page, hidden, so aria-controls always points at it. */
export function PanelToggle({ label, side, expanded, controls, onToggle }: { label: string; side: 'left' | 'right'; expanded: boolean; controls: string; onToggle: () => void }) {
  // The arrow points where the panel will go: in towards its edge to collapse, out to expand.
  const arrow = side === 'left' ? (expanded ? '◂' : '▸') : expanded ? '▸' : '◂';
  return (
    <button
      type="button"
      className={`panel-toggle panel-toggle-${side}${expanded ? '' : ' is-collapsed'}`}
      aria-expanded={expanded}
      aria-controls={controls}
      title={`${expanded ? 'Hide' : 'Show'} the ${label.toLowerCase()} panel`}
      onClick={onToggle}
      data-testid={`toggle-${label.toLowerCase()}`}
    >
      {side === 'left' ? <span aria-hidden="true">{arrow}</span> : null}
      {label}
      {side === 'right' ? <span aria-hidden="true">{arrow}</span> : null}
    </button>
  );
}
