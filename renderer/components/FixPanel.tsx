// How to close every path: the least-friction control set (verified by an exact count with it
// applied), the other verified minimal sets, per account class, the control with the most leverage,
// why sets are missing in words, and what each control on the gaps closes or detects.
import { SYSTEM_ENFORCED } from '../../analysis/index.ts';
import type { FixView, SetView } from '../compute/computeResults.ts';
import { Badge, Empty } from './common.tsx';

interface Props {
  view: FixView | null;
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
            {c.at ? (
              <span className="placed" data-testid="placed" title={SYSTEM_ENFORCED}>
                placed {c.at}, hardened{c.settings ? ` (${c.settings})` : ''} and enforced by the system
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="set-foot">
        <span>{set.summary}</span>
        {set.verified ? (
          <Badge tone="good" title="Applied to the whole workflow and counted again: no closable takeover path remains">
            verified
          </Badge>
        ) : (
          <Badge tone="bad">not verified</Badge>
        )}
        <button type="button" className="btn-small" onClick={() => onTry(set.controls.map((c) => c.id))}>
          Try in what-if
        </button>
      </div>
    </div>
  );
}

export function FixPanel({ view, pending, onTry }: Props) {
  if (!view) return <Empty>Run the analysis to see which controls close every takeover path.</Empty>;
  if (pending) return <Empty>Recomputing control sets…</Empty>;
  if (!view.hasPaths) return <Empty>No takeover path: nothing to close for the analysed scenarios.</Empty>;
  return (
    <div className="fix" data-testid="fix-panel">
      <h2 className="sec">Least-friction set that closes every closable path</h2>
      {view.leastFriction ? <SetCard set={view.leastFriction} onTry={onTry} primary /> : <p className="muted">{view.noSet}</p>}
      {view.leastFriction && view.lintAfter ? (
        <p className={view.lintAfter.clean ? 'note' : 'note lint-after'} data-testid="lint-after">
          {view.lintAfter.text}
        </p>
      ) : null}
      {view.highestLeverage ? (
        <p className="note" data-testid="highest-leverage">
          Highest leverage: <code className="ctl" title={view.highestLeverage.name}>{view.highestLeverage.control}</code> {view.highestLeverage.text}.
        </p>
      ) : null}
      {view.notes.length ? (
        <ul className="notes" data-testid="set-notes">
          {view.notes.map((n) => (
            <li key={n} className="note">
              {n}
            </li>
          ))}
        </ul>
      ) : null}
      {view.others.length ? (
        <>
          <h2 className="sec">Other verified sets</h2>
          {view.others.map((s) => (
            <SetCard key={s.controls.map((c) => c.id).join('+')} set={s} onTry={onTry} />
          ))}
        </>
      ) : null}
      {view.byClass.length > 1 ? (
        <>
          <h2 className="sec">Per account class</h2>
          <table className="small-table">
            <tbody>
              {view.byClass.map((c) => (
                <tr key={c.cls}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {c.set ? c.set.controls.map((x) => x.id).join(' + ') : '—'}
                    {c.notes.map((n) => (
                      <div key={n} className="note">
                        {n}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h2 className="sec">Controls on the gaps</h2>
      <table className="small-table controls-table">
        <thead>
          <tr>
            <th scope="col">Control and accountable owner</th>
            <th scope="col" title="Takeover paths the control closes on its own">
              Blocks
            </th>
            <th scope="col" title="Takeover paths the control closes together with one or two others">
              Jointly
            </th>
            <th scope="col" title="Undetected takeover paths the control would turn into detected ones">
              Detects
            </th>
          </tr>
        </thead>
        <tbody>
          {view.controls.map((c) => (
            <tr key={c.control}>
              <td>
                <code className="ctl" title={c.name}>
                  {c.control}
                </code>
                <div className="owner" title={c.ownerTitle}>
                  {c.owner}
                </div>
              </td>
              <td className="num" title={c.blocks.title || undefined}>
                {c.blocks.text}
              </td>
              <td className="num" title={c.joint.title || undefined}>
                {c.joint.text}
              </td>
              <td className="num" title={c.detects.title || undefined}>
                {c.detects.text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
