// The simulation screen: the risk-versus-friction trade-off of a workflow on a desk. The frontier
// chart (points keyboard-selectable, shapes and text beside colour), the picked candidate's
// controls, risk with its interval and friction, and its queue length and takeovers over the day.
// Every number and scale comes from compute/computeSimulation.ts; this file only draws.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { ApiErrorBody, ApiResponse, ApiTradeoff, AppApi } from '../../contract/index.ts';
import { toErrorBody } from '../bridge.ts';
import { estimateText, frontierChart, hourChart, initialPoint, initialView, moveAlongFrontier, num, pointDetails, riskViews, setName, type HourChart, type RiskView } from '../compute/computeSimulation.ts';
import { className } from '../compute/format.ts';
import { Empty, ErrorBox, ScreenTopbar, type Screen } from './common.tsx';

type Library = ApiResponse<'library.list'>;
type Desks = ApiResponse<'simulation.desks'>['desks'];

export function SimulationApp({ api, mode, onMode }: { api: AppApi; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void }) {
  return (
    <div className="app single">
      <ScreenTopbar current="simulation" mode={mode} onMode={onMode} />
      <Simulation api={api} />
    </div>
  );
}

function Simulation({ api }: { api: AppApi }) {
  const [library, setLibrary] = useState<Library | null>(null);
  const [desks, setDesks] = useState<Desks>([]);
  const [workflowId, setWorkflowId] = useState('standard-password-reset.weak');
  const [deskId, setDeskId] = useState('in-house-20');
  const [days, setDays] = useState(7);
  const [runs, setRuns] = useState(5);
  const [maxCandidates, setMaxCandidates] = useState(24);
  const [target, setTarget] = useState(10);
  const [report, setReport] = useState<ApiTradeoff | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  // Whose risk the chart plots; a new report starts on the class of the point picked first.
  const [view, setView] = useState<RiskView>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; body: ApiErrorBody } | null>(null);

  useEffect(() => {
    api['library.list']({}).then(setLibrary, (e: unknown) => setError({ title: 'The library could not be loaded', body: toErrorBody(e) }));
    api['simulation.desks']({}).then((r) => setDesks(r.desks), (e: unknown) => setError({ title: 'The desk profiles could not be loaded', body: toErrorBody(e) }));
  }, [api]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api['simulation.run']({ workflowId, deskId, days, runs, maxCandidates, riskTarget: target });
      setReport(r);
      setPicked(initialPoint(r));
      setView(initialView(r));
    } catch (e) {
      setError({ title: 'The simulation could not run', body: toErrorBody(e) });
    } finally {
      setBusy(false);
    }
  };

  const numberField = (label: string, value: number, set: (n: number) => void, min: number, max: number, step = 1) => (
    <label>
      {label}
      <input type="number" value={value} min={min} max={max} step={step} onChange={(e) => set(Math.max(min, Math.min(max, Number(e.target.value) || min)))} />
    </label>
  );

  return (
    <main className="center matrix-main sim-main">
      <div className="matrix-head">
        <h1>Simulation: risk against friction</h1>
        <p className="muted">
          Candidate control sets (subsets of the controls in the exact analysis&apos;s minimal sets) applied to the workflow and run through a simulated service desk, every candidate with the same
          random draws. Pick a point to see its controls.
        </p>
      </div>
      <form
        className="sim-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Workflow
          <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
            {(library?.workflows ?? [{ id: workflowId, name: workflowId }]).map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          Desk
          <select value={deskId} onChange={(e) => setDeskId(e.target.value)}>
            {(desks.length ? desks : [{ id: deskId, name: deskId, agents: 0 }]).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        {numberField('Days', days, setDays, 1, 28)}
        {numberField('Runs per candidate', runs, setRuns, 1, 20)}
        {numberField('Candidates at most', maxCandidates, setMaxCandidates, 1, 128)}
        {numberField('Risk target (takeovers per 1000 days, each class)', target, setTarget, 0, 1_000_000, 0.5)}
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? 'Simulating…' : 'Simulate candidates'}
        </button>
      </form>
      {error ? <ErrorBox title={error.title} error={error.body} /> : null}
      {!report && !busy && !error ? <Empty>Choose a workflow and a desk, then simulate the candidate control sets.</Empty> : null}
      {busy ? (
        <p className="muted" role="status">
          Simulating {maxCandidates} candidate sets × {runs} runs of {days} days…
        </p>
      ) : null}
      {report ? <Results report={report} picked={picked} onPick={setPicked} view={view} onView={setView} /> : null}
    </main>
  );
}

function Results({ report, picked, onPick, view, onView }: { report: ApiTradeoff; picked: number | null; onPick: (i: number) => void; view: RiskView; onView: (v: RiskView) => void }) {
  const chart = useMemo(() => frontierChart(report, { width: 880, height: 440 }, view), [report, view]);
  const details = picked === null ? null : pointDetails(report, picked, view, chart.frontier);
  const point = picked === null ? null : report.points[picked]!;
  const queue = useMemo(() => (point ? hourChart(point.queueByHour, { width: 460, height: 180 }, 'Queue length by hour of day', 'requests waiting') : null), [point]);
  const takeovers = useMemo(() => (point ? hourChart(point.takeoversByHour.map((v) => v * 1000), { width: 460, height: 180 }, 'Takeovers by hour of day', 'per 1000 days') : null), [point]);
  const onKey = (e: KeyboardEvent<SVGGElement>, index: number) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPick(index);
      return;
    }
    const next = moveAlongFrontier(report, index, e.key, chart.frontier);
    if (next === null) return;
    e.preventDefault();
    onPick(next);
    (e.currentTarget.ownerSVGElement?.querySelector(`[data-point="${next}"]`) as SVGGElement | null)?.focus();
  };

  return (
    <>
      <p className="muted" role="status">
        {report.points.length} candidate sets on {report.workflow.name}, {report.desk.name}: {report.days} days × {report.runs} runs each, seed {report.seed}. Risk is the mean of simulated takeovers with its
        95% interval; friction is the catalogue&apos;s expected minutes per legitimate request of the controls a set adds.
      </p>
      {report.notes.map((n) => (
        <p key={n} className="sim-note">
          Note: {n}
        </p>
      ))}
      <div className="sim-grid">
        <section aria-labelledby="sim-frontier-title" className="sim-card">
          <div className="sim-card-head">
            <h2 id="sim-frontier-title">Pareto frontier</h2>
            <label className="sim-view">
              Risk of
              <select value={view ?? ''} onChange={(e) => onView(e.target.value === '' ? null : e.target.value)}>
                {riskViews(report).map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p className="sim-legend">
            {chart.target ? (
              <>
                <span aria-hidden="true">□</span> least-friction set meeting the target ·{' '}
              </>
            ) : null}
            <span aria-hidden="true">◇</span> on the frontier (joined by the dashed line) · <span aria-hidden="true">○</span> dominated · vertical bars: 95% interval
            {chart.target?.y != null ? ' · the line marked “target”: the class’s target' : ''}. Tab to a point, arrows move along the frontier, Enter picks.
            {view === null ? ' Targets are set per class: pick a class to see its target and its least-friction set.' : ''}
          </p>
          {chart.target?.note ? <p className="muted">{chart.target.note}</p> : null}
          <svg className="sim-chart" viewBox={`0 0 ${chart.width} ${chart.height}`} width={chart.width} height={chart.height} role="group" aria-label="Risk against friction of every candidate control set">
            <g className="axis">
              {chart.yTicks.map((t) => (
                <g key={`y${t.label}`} transform={`translate(0,${t.at})`}>
                  <line x1={chart.margin.left} x2={chart.width - chart.margin.right} className="grid" />
                  <text x={chart.margin.left - 8} dy="0.32em" textAnchor="end">
                    {t.label}
                  </text>
                </g>
              ))}
              {chart.xTicks.map((t) => (
                <g key={`x${t.label}`} transform={`translate(${t.at},0)`}>
                  {/* No grid line at zero friction: the interval bar of a point there (the workflow as it is) would vanish into it. */}
                  {t.label === '0' ? null : <line y1={chart.margin.top} y2={chart.height - chart.margin.bottom} className="grid" />}
                  <text y={chart.height - chart.margin.bottom + 18} textAnchor="middle">
                    {t.label}
                  </text>
                </g>
              ))}
              <text className="axis-label" x={(chart.margin.left + chart.width - chart.margin.right) / 2} y={chart.height - 10} textAnchor="middle">
                {chart.xLabel}
              </text>
              <text className="axis-label" transform={`translate(16,${(chart.margin.top + chart.height - chart.margin.bottom) / 2}) rotate(-90)`} textAnchor="middle">
                {chart.yLabel}
              </text>
            </g>
            {chart.target?.y != null ? (
              <g className="sim-target">
                <line x1={chart.margin.left} x2={chart.width - chart.margin.right} y1={chart.target.y} y2={chart.target.y} />
                <text x={chart.target.x} y={chart.target.y - 5} textAnchor={chart.target.anchor}>
                  {chart.target.text}
                </text>
              </g>
            ) : null}
            <path className="sim-frontier-line" d={chart.frontierPath} />
            {[...chart.points].reverse().map((p) => (
              <g
                key={p.index}
                data-point={p.index}
                data-frontier={p.frontier ? 'true' : undefined}
                className={`sim-point role-${p.role}${p.index === picked ? ' is-picked' : ''}`}
                tabIndex={0}
                role="button"
                aria-pressed={p.index === picked}
                // The name starts with the words drawn beside the point (WCAG 2.5.3, label in name).
                aria-label={p.text && !p.label.startsWith(p.text) ? `${p.text}: ${p.label}` : p.label}
                onClick={() => onPick(p.index)}
                onKeyDown={(e) => onKey(e, p.index)}
              >
                <line x1={p.x} x2={p.x} y1={p.yLo} y2={p.yHi} className="ci" />
                <path d={p.symbol} transform={`translate(${p.x},${p.y})`} />
                {p.text ? (
                  <text x={p.textX} y={p.textY}>
                    {p.text}
                  </text>
                ) : null}
              </g>
            ))}
          </svg>
        </section>
        <section aria-labelledby="sim-point-title" className="sim-card sim-details">
          <h2 id="sim-point-title">{details ? `Candidate #${details.index}` : 'No point picked'}</h2>
          {details ? (
            <>
              <p className="sim-set">{details.name}</p>
              <p className="muted">{details.status}</p>
              <h3>Controls</h3>
              {details.controls.length ? (
                <ul className="sim-controls">
                  {details.controls.map((c) => (
                    <li key={c.id}>
                      <code>{c.id}</code> — {c.note}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>None added: the workflow as it is.</p>
              )}
              <h3>Risk</h3>
              <p>{details.risk} (all classes)</p>
              <table className="sim-table">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">Takeovers / 1000 days</th>
                    <th scope="col">Target</th>
                  </tr>
                </thead>
                <tbody>
                  {details.byClass.map((c) => (
                    <tr key={c.accountClass}>
                      <th scope="row">{c.name}</th>
                      <td>{c.risk}</td>
                      <td>{c.target === null ? '–' : `${c.meets ? '✓ meets' : '✗ misses'} ${num(c.target)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>Friction</h3>
              <p>{details.friction}</p>
              <p className="muted">{details.failShare}</p>
              <h3>Legitimate requests, simulated</h3>
              <table className="sim-table">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">Median time to recovery</th>
                    <th scope="col">Failed</th>
                  </tr>
                </thead>
                <tbody>
                  {details.recovery.map((r) => (
                    <tr key={r.accountClass}>
                      <th scope="row">{r.name}</th>
                      <td>{r.median}</td>
                      <td>{r.failed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">Recovery includes the wait for an agent (controls that take agents longer lengthen the queue: see the day below) and the time a control holds the request with no agent on it (a cooling-off, a manager's reply).</p>
            </>
          ) : (
            <p>Pick a point of the chart.</p>
          )}
        </section>
      </div>
      {queue && takeovers ? (
        <section aria-labelledby="sim-day-title" className="sim-card">
          <h2 id="sim-day-title">A simulated day with candidate #{picked}</h2>
          <div className="sim-day">
            <HourBars chart={queue} />
            <HourBars chart={takeovers} />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="sim-choices-title" className="sim-card">
        <h2 id="sim-choices-title">Least-friction set meeting the target, per account class</h2>
        <p className="muted">A set meets a target when the upper end of its 95% interval is at or below it.</p>
        <table className="sim-table">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Target / 1000 days</th>
              <th scope="col">Set</th>
              <th scope="col">Friction (min / request)</th>
              <th scope="col">Takeovers / 1000 days</th>
            </tr>
          </thead>
          <tbody>
            {report.choices.map((c) => {
              const p = c.candidate === null ? null : report.points[c.candidate]!;
              return (
                <tr key={c.accountClass}>
                  <th scope="row">{className(c.accountClass)}</th>
                  <td>{num(c.target)}</td>
                  <td>{p ? <button type="button" className="link" onClick={() => onPick(p.index)}>{`#${p.index} ${setName(p.controls)}`}</button> : c.reason}</td>
                  <td>{p ? num(p.friction.expectedMinutes) : '–'}</td>
                  <td>{p ? estimateText(p.riskByClass[c.accountClass]!) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted">A class with no takeover in any run meets every target; with few runs or days that says little, so raise them before relying on a choice.</p>
      </section>
    </>
  );
}

function HourBars({ chart }: { chart: HourChart }) {
  return (
    <figure className="sim-hours">
      <figcaption>
        {chart.title} ({chart.unit})
      </figcaption>
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} width={chart.width} height={chart.height} role="img" aria-label={`${chart.title}: ${chart.bars.map((b) => b.label).join('; ')}`}>
        {chart.yTicks.map((t) => (
          <g key={t.label} transform={`translate(0,${t.at})`} className="axis">
            <line x1={chart.margin.left} x2={chart.width - chart.margin.right} className="grid" />
            <text x={chart.margin.left - 6} dy="0.32em" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {chart.bars.map((b) => (
          <rect key={b.hour} x={b.x} y={b.y} width={b.width} height={Math.max(0, b.height)} className="bar">
            <title>{b.label}</title>
          </rect>
        ))}
        {chart.empty ? (
          <text className="sim-empty" x={(chart.margin.left + chart.width - chart.margin.right) / 2} y={(chart.margin.top + chart.height - chart.margin.bottom) / 2} textAnchor="middle">
            None in any run
          </text>
        ) : null}
        <g className="axis">
          {chart.xTicks.map((t) => (
            <text key={t.label} x={t.at} y={chart.height - chart.margin.bottom + 16} textAnchor="middle">
              {t.label}
            </text>
          ))}
          <text className="axis-label" x={(chart.margin.left + chart.width - chart.margin.right) / 2} y={chart.height - 6} textAnchor="middle">
            Hour of day
          </text>
        </g>
      </svg>
    </figure>
  );
}
