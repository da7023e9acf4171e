// How to close every path: the least-friction control set (verified by re-running the analysis
// with it), the other minimal sets, per account class, and which controls matter most.
import type { ReportWorkflow, SetView } from '../compute/computeResults.ts';
import { className } from '../compute/format.ts';
import { Badge, Empty } from './common.tsx';

interface Props {
  report: ReportWorkflow | null;
  leastFriction: SetView | null;
  others: SetView[];
  byClass: { cls: string; set: SetView | null }[];
  pending: boolean;
  onTry(controls: string[]): void;
}

function SetCard({ set, onTry, primary }: { set: SetView; onTry(c: string[]): void; primary?: boolean }) {
  return (
    <div className={`set-card${primary ? ' is-primary' : ''}`} data-testid={primary ? 'least-friction' : undefined}>
      <ul>
        {set.controls.map((c) => (
          <li key={c.id}>
            <code className="ctl">{c.id}</code> <span className="muted">{c.name}</span>
          </li>
        ))}
      </ul>
      <div className="set-foot">
        <span>{set.summary}</span>
        {set.verified === true ? (
          <Badge tone="good" title="Applied to the whole workflow and re-analysed: no takeover path remains">
            verified
          </Badge>
        ) : set.verified === false ? (
          <Badge tone="bad">not verified</Badge>
        ) : null}
        <button type="button" className="btn-small" onClick={() => onTry(set.controls.map((c) => c.id))}>
          Try in what-if
        </button>
      </div>
    </div>
  );
}

export function FixPanel({ report, leastFriction, others, byClass, pending, onTry }: Props) {
  if (!report) return <Empty>Run the analysis to see which controls close every takeover path.</Empty>;
  if (pending) return <Empty>Recomputing control sets…</Empty>;
  const ms = report.minimalSets;
  if (report.totals.paths === 0) return <Empty>No takeover path: nothing to close for the analysed scenarios.</Empty>;
  return (
    <div className="fix">
      <h4>Least-friction set that closes every closable path</h4>
      {leastFriction ? <SetCard set={leastFriction} onTry={onTry} primary /> : <p className="muted">No set of up to {ms.sizeBound} controls closes every path.</p>}
      {ms.unclosablePaths.length ? (
        <p className="note">
          {ms.unclosablePaths.length} path(s) cannot be closed by any single catalogue control: {ms.unclosablePaths.join(', ')}
        </p>
      ) : null}
      {ms.highestLeverage ? (
        <p className="note">
          Highest leverage: <code className="ctl">{ms.highestLeverage.control}</code> appears in {ms.highestLeverage.paths} minimal set(s).
        </p>
      ) : null}
      {others.length ? (
        <>
          <h4>Other minimal sets</h4>
          {others.map((s, i) => (
            <SetCard key={i} set={s} onTry={onTry} />
          ))}
          {ms.truncated ? <p className="note">More sets exist; only the first ones are listed.</p> : null}
        </>
      ) : null}
      {byClass.length > 1 ? (
        <>
          <h4>Per account class</h4>
          <table className="small-table">
            <tbody>
              {byClass.map((c) => (
                <tr key={c.cls}>
                  <th scope="row">{className(c.cls)}</th>
                  <td>{c.set ? c.set.controls.map((x) => x.id).join(' + ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h4>Controls on the gaps</h4>
      <table className="small-table controls-table">
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Blocks</th>
            <th scope="col">Detects</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {report.controls.map((c) => (
            <tr key={c.control}>
              <td title={c.name}>
                <code className="ctl">{c.control}</code>
              </td>
              <td className="num">{c.blocksPaths || ''}</td>
              <td className="num">{c.detectsPaths || ''}</td>
              <td className="owner" title={c.ownerTitle}>
                {c.ownerTitle.replace(/^Owner of /, '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
