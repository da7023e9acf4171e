// The stored runs of the open workflow: when, on which version, what they found; open one, or
// delete it (a second click confirms); and what the workspace takes on disk.
import { useState } from 'react';
import type { ApiErrorBody } from '../../contract/index.ts';
import type { RunRow } from '../compute/computeRuns.ts';
import { Badge, Empty, ErrorBox } from './common.tsx';

interface Props {
  rows: RunRow[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ApiErrorBody | null;
  size: string | null;
  readOnly: boolean;
  onOpen(id: string): void;
  onDelete(id: string): void;
}

export function RunsPanel({ rows, status, error, size, readOnly, onOpen, onDelete }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="runs-panel" data-testid="runs-panel">
      <h2 className="panel-heading">Stored runs of this workflow</h2>
      {status === 'loading' ? <Empty>Listing the stored runs…</Empty> : null}
      {status === 'error' ? <ErrorBox title="The stored runs could not be listed" error={error} /> : null}
      {status === 'ready' && rows.length === 0 ? <Empty>No stored runs yet. Each analysis you run is kept in the workspace and listed here.</Empty> : null}
      {rows.length ? (
        <ol className="run-list">
          {rows.map((r) => (
            <li key={r.id} className={`run-item${r.onScreen ? ' is-on-screen' : ''}`} data-run-id={r.id} data-stale={r.stale ? 'true' : 'false'}>
              <div className="run-head">
                <strong className="run-when">{r.when}</strong>
                {r.onScreen ? <Badge tone="info">on screen</Badge> : null}
                {r.stale ? (
                  <Badge tone="warn" title="The workflow has changed since this run was made">
                    stale
                  </Badge>
                ) : null}
                {r.damaged ? (
                  <Badge tone="warn" title={r.damaged}>
                    damaged
                  </Badge>
                ) : null}
              </div>
              <div className="run-headline">{r.headline}</div>
              <div className="run-meta">
                {r.scope} · {r.madeOn} · {r.size}
              </div>
              <div className="run-actions">
                <button type="button" className="btn-small" onClick={() => onOpen(r.id)} disabled={r.onScreen || r.damaged !== null} aria-label={`Open the ${r.label}`}>
                  Open
                </button>
                {readOnly ? null : confirming === r.id ? (
                  <>
                    <button type="button" className="btn-small btn-danger" onClick={() => (setConfirming(null), onDelete(r.id))} aria-label={`Confirm: delete the ${r.label}`}>
                      Delete for good
                    </button>
                    <button type="button" className="btn-small" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="btn-small" onClick={() => setConfirming(r.id)} aria-label={`Delete the ${r.label}`}>
                    Delete…
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {size ? (
        <p className="run-size" data-testid="workspace-size">
          {size}
        </p>
      ) : null}
    </div>
  );
}
