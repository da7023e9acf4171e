// The open workflow in words: purpose, account classes, actors, exceptions and cited sources.
import type { WorkflowInfo } from '../compute/computeWorkflowInfo.ts';
import { Badge } from './common.tsx';

export function WorkflowPanel({ info }: { info: WorkflowInfo }) {
  return (
    <div className="wf-panel">
      {info.description ? <p className="desc">{info.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>File</dt>
          <dd>
            <code>{info.file}</code>
          </dd>
        </div>
        <div>
          <dt>Serves</dt>
          <dd>{info.classes.join(', ')}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>
            {info.steps} steps, {info.controls} control instances ({info.procedural} procedural)
          </dd>
        </div>
      </dl>
      <h2 className="sec">Actors</h2>
      <ul className="plain">
        {info.actors.map((a) => (
          <li key={a.name}>
            {a.name} <span className="muted">· {a.kind}{a.note ? `, ${a.note}` : ''}</span>
          </li>
        ))}
      </ul>
      {info.exceptions.length ? (
        <>
          <h2 className="sec">Exceptions</h2>
          <ul className="plain">
            {info.exceptions.map((e) => (
              <li key={e.id}>
                {e.name} {e.standing ? <Badge tone="bad">standing: no expiry</Badge> : <Badge tone="good">expires</Badge>}
                <div className="muted">
                  bypasses {e.bypasses}
                  {e.grantedBy ? `; granted at “${e.grantedBy}”` : ''}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {info.sources.length ? (
        <>
          <h2 className="sec">Sources</h2>
          <ul className="plain sources">
            {info.sources.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
