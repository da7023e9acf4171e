// The governance view: every workflow against every scenario by outcome (a click opens the pair in
// the workbench), and the gaps under each framework requirement with its coverage.
import { useMemo, useState } from 'react';
import { EFFECT_TEXT, type AccountabilityReport } from '../../analysis/index.ts';
import type { ApiErrorBody, AppApi } from '../../contract/index.ts';
import { toErrorBody } from '../bridge.ts';
import { byRequirement, controlClassMatrix, EFFECT_LEGEND, frameworksOf, gapMatrix, type ControlSort, type MatrixSort } from '../compute/computeMatrix.ts';
import { OUTCOMES } from '../compute/format.ts';
import { Badge, Empty, ErrorBox, ScreenTopbar, type Screen } from './common.tsx';


/** Opens a workflow in the workbench at a scenario, and at one of its path classes when given. */
export type OpenInWorkbench = (workflowId: string, scenarioId: string, classId?: string) => void;

export function GapMatrixApp({ api, mode, onMode, onOpen }: { api: AppApi; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void; onOpen: OpenInWorkbench }) {
  return (
    <div className="app single">
      <ScreenTopbar current="matrix" mode={mode} onMode={onMode} />
      <GapMatrix api={api} onOpen={onOpen} />
    </div>
  );
}

function GapMatrix({ api, onOpen }: { api: AppApi; onOpen: OpenInWorkbench }) {
  const [doc, setDoc] = useState<AccountabilityReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [sort, setSort] = useState<MatrixSort>('undetected');
  const [framework, setFramework] = useState<string>('');
  const matrix = useMemo(() => (doc ? gapMatrix(doc, sort) : null), [doc, sort]);
  const frameworks = useMemo(() => (doc ? frameworksOf(doc) : []), [doc]);
  const requirements = useMemo(() => (doc ? byRequirement(doc, framework || null) : []), [doc, framework]);

  const analyse = async () => {
    setBusy(true);
    setError(null);
    try {
      setDoc(await api['report.accountability']({}));
    } catch (e) {
      setError(toErrorBody(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="center matrix-main">
      <div className="matrix-head">
        <h1>Gap matrix</h1>
        <p className="muted">Every workflow of the library against every scenario, counted exactly; then every gap under the framework requirement it maps to.</p>
        <button type="button" className="btn-primary" onClick={() => void analyse()} disabled={busy}>
          {busy ? 'Analysing the library…' : doc ? 'Analyse again' : 'Analyse the library'}
        </button>
        {doc ? (
          <span className="muted" role="status">
            {' '}
            {doc.summary.workflows} workflows × {doc.scope.scenarios.length} scenarios · {doc.summary.scenariosWithTakeover} pairs with a takeover path, {doc.summary.scenariosUndetected} of them undetected · analysed {doc.generatedAt.slice(0, 16).replace('T', ' ')} UTC
          </span>
        ) : null}
      </div>
      {error ? <ErrorBox title="The library could not be analysed" error={error} /> : null}
      {!doc && !busy && !error ? <Empty>Run the analysis to fill the matrix.</Empty> : null}
      {matrix ? (
        <section aria-labelledby="matrix-title">
          <div className="matrix-bar">
            <h2 id="matrix-title">Workflows × scenarios</h2>
            <label>
              Sort rows by{' '}
              <select value={sort} onChange={(e) => setSort(e.target.value as MatrixSort)}>
                <option value="undetected">scenarios with an undetected takeover</option>
                <option value="takeovers">scenarios with a takeover</option>
                <option value="name">name</option>
              </select>
            </label>
            <span className="matrix-legend" role="group" aria-label="Legend">
              {(['takeover_undetected', 'takeover_detected', 'blocked', 'not_applicable'] as const).map((o) => (
                <span key={o} className={`cell tone-${OUTCOMES[o].tone}`}>
                  <span aria-hidden="true">{OUTCOMES[o].glyph}</span> {OUTCOMES[o].label}
                </span>
              ))}
            </span>
          </div>
          <div className="matrix-scroll" tabIndex={0} aria-label="Gap matrix, scrollable">
            <table className="matrix">
              <thead>
                <tr>
                  <th scope="col">Workflow</th>
                  <th scope="col" className="matrix-count-head" title="Scenarios with a takeover path, and in brackets how many of them end undetected">
                    Scenarios taken over
                    <span className="matrix-count-sub">(undetected)</span>
                  </th>
                  {matrix.columns.map((c) => (
                    <th key={c.id} scope="col" title={c.name} className="matrix-col">
                      {c.code}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {matrix.rows.map((r) => (
                  <tr key={r.workflow} data-row-workflow={r.workflow}>
                    <th scope="row" className="matrix-row-head" title={`${r.name} (${r.workflow})`}>
                      <RowName name={r.name} />
                    </th>
                    <td className="matrix-count">
                      {r.takeovers} ({r.undetected})
                    </td>
                    {r.cells.map((c) => (
                      <td key={c.scenario} className={`matrix-cell tone-${c.tone}`}>
                        {c.outcome === 'not_applicable' ? (
                          <span title={c.label} role="img" aria-label={c.label}>
                            {c.glyph}
                          </span>
                        ) : (
                          <button type="button" title={c.label} aria-label={c.label} onClick={() => onOpen(r.workflow, c.scenario)}>
                            {c.glyph}
                          </button>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {doc ? <ControlsByClass doc={doc} onOpen={onOpen} /> : null}
      {doc ? (
        <section aria-labelledby="req-title" className="requirements">
          <div className="matrix-bar">
            <h2 id="req-title">Gaps by framework requirement</h2>
            <label>
              Framework{' '}
              <select value={framework} onChange={(e) => setFramework(e.target.value)}>
                <option value="">all</option>
                {frameworks.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <table className="req-table">
            <thead>
              <tr>
                <th scope="col">Requirement</th>
                <th scope="col">Coverage</th>
                <th scope="col">Gaps (workflow: control, owner, effect)</th>
              </tr>
            </thead>
            <tbody>
              {requirements.map((r) => (
                <tr key={r.ref}>
                  <th scope="row">{r.label}</th>
                  <td>
                    gap in {r.workflowsWithGap} of {r.workflows} workflows
                  </td>
                  <td>
                    <ul className="req-gaps">
                      {r.gaps.map((g, i) => (
                        <li key={i}>
                          <code>{g.workflow}</code>: {g.name} — {g.owner} — {EFFECT_TEXT[g.effect as keyof typeof EFFECT_TEXT]}
                          {g.fit && g.fit !== 'direct' ? <Badge tone="muted">{g.fit} fit</Badge> : null}
                          {!g.confirmed ? <Badge tone="warn">unconfirmed</Badge> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </main>
  );
}

/** One workflow's controls against its takeover path classes: what each control does to each class. */
function ControlsByClass({ doc, onOpen }: { doc: AccountabilityReport; onOpen: OpenInWorkbench }) {
  const withGaps = useMemo(() => doc.scope.workflows.filter((w) => doc.gaps.some((g) => g.workflow === w.id)), [doc]);
  const [workflow, setWorkflow] = useState<string>(withGaps[0]?.id ?? '');
  const [sort, setSort] = useState<ControlSort>('classes');
  const current = withGaps.some((w) => w.id === workflow) ? workflow : (withGaps[0]?.id ?? '');
  const m = useMemo(() => (current ? controlClassMatrix(doc, current, sort) : null), [doc, current, sort]);
  return (
    <section aria-labelledby="cc-title" className="controls-by-class">
      <div className="matrix-bar">
        <h2 id="cc-title">Controls × path classes</h2>
        {withGaps.length ? (
          <>
            <label>
              Workflow{' '}
              <select value={current} onChange={(e) => setWorkflow(e.target.value)}>
                {withGaps.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Sort rows by{' '}
              <select value={sort} onChange={(e) => setSort(e.target.value as ControlSort)}>
                <option value="classes">classes blocked</option>
                <option value="paths">paths blocked alone</option>
                <option value="name">name</option>
              </select>
            </label>
            <span className="matrix-legend" role="group" aria-label="Legend">
              {EFFECT_LEGEND.map((l) => (
                <span key={l.effect} className={`cell tone-${l.tone}`} title={l.words}>
                  <span aria-hidden="true">{l.glyph}</span> {EFFECT_TEXT[l.effect]}
                </span>
              ))}
            </span>
          </>
        ) : null}
      </div>
      {!m ? (
        <p className="muted">No workflow in scope has a gap: every takeover path class is already closed.</p>
      ) : (
        <div className="matrix-scroll" tabIndex={0} aria-label="Controls by path class, scrollable">
          <table className="matrix">
            <thead>
              <tr>
                <th scope="col">Control (owner)</th>
                <th scope="col" title="Path classes the control blocks, on its own or jointly (a detector blocks none)">
                  Classes blocked
                </th>
                <th scope="col" title="Takeover paths the control blocks on its own (exact)">
                  Paths blocked alone
                </th>
                {m.columns.map((c) => (
                  <th key={c.id} scope="col" title={c.title} className="matrix-col">
                    <button type="button" className="matrix-col-open" data-class={c.id} aria-label={`Open ${c.title} in the workbench`} onClick={() => onOpen(current, c.scenario, c.id)}>
                      {c.code}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.rows.map((r) => (
                <tr key={r.control} data-row-control={r.control}>
                  <th scope="row" className="matrix-row-head" title={`${r.name} (${r.control}), owner: ${r.owner}`}>
                    {r.name} <span className="muted">({r.owner})</span>
                  </th>
                  <td className="matrix-count">{r.blocksClasses}</td>
                  <td className="matrix-count" title={`${r.blocksPaths.toLocaleString('en-US')} takeover path${r.blocksPaths === 1n ? '' : 's'} blocked by ${r.name} on its own`}>
                    {r.blocksPathsText}
                  </td>
                  {r.cells.map((c) => (
                    <td key={c.classId} className={`matrix-cell tone-${c.tone}`}>
                      {c.effect ? (
                        <button type="button" title={c.label} aria-label={c.label} onClick={() => onOpen(current, c.scenario, c.classId)}>
                          {c.glyph}
                        </button>
                      ) : (
                        <span title={c.label} role="img" aria-label={c.label} />
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * A workflow's name in a row head: when it is too long, its start gives way, never a closing
 * bracket that tells a variant apart ("(as found)", "(hardened)"), so two rows of one family stay
 * distinguishable.
 */
function RowName({ name }: { name: string }) {
  const m = /^(.+?)\s*(\([^()]*\))$/.exec(name);
  if (!m) return <span className="row-name-start">{name}</span>;
  return (
    <span className="row-name">
      <span className="row-name-start">{m[1]}</span>{' '}
      <span className="row-name-end">{m[2]}</span>
    </span>
  );
}
