// What-if: switch catalogue controls on or off on the open workflow; the renderer re-analyses it
// against every scenario at once and the graph and the table follow.
import type { WhatIfGroup, WhatIfRow } from '../compute/computeWhatIf.ts';
import { ms, plural } from '../compute/format.ts';
import { Empty } from './common.tsx';

interface Props {
  groups: WhatIfGroup[];
  ready: boolean;
  waitingFor: string | null;
  changes: number;
  /** "13 takeover paths", exact. */
  pathsBefore: string;
  pathsNow: string;
  analysisMs: number | null;
  commitMs: number | null;
  frameMs: number | null;
  /** Counts the what-if changes applied so far: benchmarks and tests tell one update from the next by it. */
  seq: number;
  scenarios: number;
  pending: boolean;
  onToggle(row: WhatIfRow, action: 'toggle' | 'harden' | 'undo'): void;
  onReset(): void;
}

export function WhatIfPanel(p: Props) {
  if (!p.ready) return <Empty>{p.waitingFor ?? 'Run the analysis first: what-if compares against it.'}</Empty>;
  return (
    <div className="whatif" data-testid="whatif-panel">
      <div className="whatif-status" data-testid="whatif-status" data-analysis-ms={p.analysisMs ?? ''} data-commit-ms={p.commitMs ?? ''} data-frame-ms={p.frameMs ?? ''} data-seq={p.seq}>
        {p.changes === 0 ? (
          <span>Switch a control on or off: the workflow is re-analysed against all {p.scenarios} scenarios in the app, nothing is saved.</span>
        ) : (
          <>
            <span>
              <strong>{plural(p.changes, 'change')}</strong> · {p.pathsBefore} → <strong>{p.pathsNow}</strong>
            </span>
            <span className="timing" title={p.frameMs !== null ? `next frame after ${ms(p.frameMs)}` : undefined}>
              {p.analysisMs !== null ? `re-analysed in ${ms(p.analysisMs)}` : ''}
              {p.commitMs !== null ? `, graph and table updated in ${ms(p.commitMs)}` : ''}
              {p.pending ? ' · gaps…' : ''}
            </span>
            <button type="button" className="btn-small" onClick={p.onReset}>
              Reset
            </button>
          </>
        )}
      </div>
      {p.groups.map((g) => (
        <fieldset key={g.role} className="whatif-group">
          <legend>{g.title}</legend>
          <ul>
            {g.rows.map((r) => {
              const on = r.change === undefined ? r.original !== null : r.change;
              const disabled = !r.placeable && r.original === null;
              return (
                <li key={r.id} className={`whatif-row${r.change !== undefined ? ' is-changed' : ''}${disabled ? ' is-disabled' : ''}`} data-control={r.id}>
                  <label title={`${r.name}\n${r.summary}\nOwner: ${r.ownerTitle}`}>
                    <input type="checkbox" checked={on} disabled={disabled} onChange={() => p.onToggle(r, 'toggle')} />
                    <code className="ctl">{r.id}</code>
                  </label>
                  <span className="whatif-state">{r.state}</span>
                  <span className="whatif-tags">
                    {r.inLeastFriction ? <span className="tag tag-lf">least friction</span> : null}
                    {r.tags.map((t) => (
                      <span key={t.text} className="tag" title={t.title}>
                        {t.text}
                      </span>
                    ))}
                  </span>
                  <span className="whatif-actions">
                    {r.change === undefined && r.original?.weakened ? (
                      <button type="button" className="btn-small" onClick={() => p.onToggle(r, 'harden')} title="Set hardened parameters and system enforcement">
                        Harden
                      </button>
                    ) : null}
                    {r.change !== undefined ? (
                      <button type="button" className="btn-small" onClick={() => p.onToggle(r, 'undo')}>
                        Undo
                      </button>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
    </div>
  );
}
