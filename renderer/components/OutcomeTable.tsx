// The scenario x outcome table: every scenario's outcome on the open workflow, its takeover paths
// (select one to see its trace), and, during what-if, what the change moved.
import type { OutcomeRow, Totals } from '../compute/computeResults.ts';
import { OUTCOMES, plural } from '../compute/format.ts';
import { OutcomeBadge } from './common.tsx';

/** Path buttons per row; the rest are reached from the Path tab's previous/next. */
const MAX_PATH_BUTTONS = 2;

interface Props {
  rows: OutcomeRow[];
  totals: Totals;
  baselineTotals: Totals | null;
  selectedScenario: string | null;
  selectedPath: string | null;
  onScenario(id: string): void;
  onPath(id: string): void;
}

export function OutcomeTable({ rows, totals, baselineTotals, selectedScenario, selectedPath, onScenario, onPath }: Props) {
  const changed = baselineTotals && baselineTotals.paths !== totals.paths;
  return (
    <section className="outcomes" aria-labelledby="outcomes-heading">
      <header className="section-head">
        <h2 id="outcomes-heading">Scenarios × outcome</h2>
        <p className="summary" data-testid="totals">
          {changed ? (
            <>
              <span className="was">{plural(baselineTotals.paths, 'takeover path')}</span> → <strong>{plural(totals.paths, 'takeover path')}</strong>
            </>
          ) : (
            <strong>{plural(totals.paths, 'takeover path')}</strong>
          )}{' '}
          in {totals.scenariosWithTakeover} of {totals.scenariosAnalysed} applicable scenarios · {totals.undetected} undetected · {totals.privileged} on privileged accounts
        </p>
      </header>
      <div className="table-wrap">
        <table className="outcome-table" data-testid="outcome-table">
          <colgroup>
            <col className="c-scenario" />
            <col className="c-outcome" />
            <col className="c-paths" />
            <col className="c-why" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Scenario and target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Paths</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.scenario}
                className={`${r.scenario === selectedScenario ? 'is-selected' : ''} row-${r.outcome}${r.change ? ` changed-${r.change}` : ''}`}
                data-scenario={r.scenario}
                data-outcome={r.outcome}
                aria-selected={r.scenario === selectedScenario}
              >
                <th scope="row">
                  <button type="button" className="link" onClick={() => onScenario(r.scenario)} title={`${r.name}\nTarget: ${r.target}${r.privileged ? ' (privileged)' : ''}`}>
                    <span className="sc-code">{r.code}</span>
                    <span className="sc-title">{r.name}</span>
                    <span className="target">
                      {r.targetShort}
                      {r.privileged ? <span className="priv" aria-label="privileged"> ★</span> : null}
                    </span>
                  </button>
                </th>
                <td>
                  <OutcomeBadge outcome={r.outcome} />
                  {r.was ? (
                    <span className={`was-line change-${r.change}`} title={`before the what-if changes: ${r.was.label.toLowerCase()}, ${plural(r.was.paths, 'path')}`}>
                      (was {OUTCOMES[r.was.outcome].short})
                    </span>
                  ) : null}
                </td>
                <td className="paths">
                  {r.paths.slice(0, MAX_PATH_BUTTONS).map((p) => (
                    <button
                      type="button"
                      key={p.id}
                      className={`path-btn tone-${p.outcome === 'takeover_undetected' ? 'bad' : 'warn'}${p.id === selectedPath ? ' is-selected' : ''}`}
                      aria-pressed={p.id === selectedPath}
                      data-path={p.id}
                      title={`Show the trace and gap of ${p.id}`}
                      onClick={() => onPath(p.id)}
                    >
                      {p.label}
                    </button>
                  ))}
                  {r.paths.length > MAX_PATH_BUTTONS ? (
                    <button type="button" className="path-btn more" title={`${r.paths.length} paths: step through them in the Path tab`} onClick={() => onPath(r.paths[MAX_PATH_BUTTONS]!.id)}>
                      +{r.paths.length - MAX_PATH_BUTTONS}
                    </button>
                  ) : null}
                </td>
                <td className="why" title={r.detail}>
                  <span className="why-text">{r.detail}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
