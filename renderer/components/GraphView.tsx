// Draws the laid-out workflow graph and the takeover-path overlay; d3-zoom pans and zooms it.
import { select, zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { GraphLayout } from '../compute/computeGraphLayout.ts';
import type { Overlay } from '../compute/computeOverlay.ts';
import { fitTransform, revealTransform } from '../compute/computeViewport.ts';
import { VERDICTS } from '../compute/format.ts';
import { stepItems } from '../compute/computeStepList.ts';

interface Props {
  layout: GraphLayout;
  overlay: Overlay | null;
  /** Changes when another workflow opens: the view is fitted again then, not on what-if changes. */
  fitKey: string;
  hasPaths: boolean;
  /** Which takeover paths are drawn (all, or one scenario's), with a way back to all. */
  pathsNote: { text: string; title: string; onShowAll: (() => void) | null } | null;
  /** Changes when another class or example is selected: its route is then panned into view. */
  revealKey: string | null;
}

/** Height of the band at the top of the pane that the paths note and the graph tools cover. */
const OVERLAY_BAND = 24;

export function GraphView({ layout, overlay, fitKey, hasPaths, pathsNote, revealKey }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  /** The user panned or zoomed: stop fitting on resize until another workflow opens. */
  const userMoved = useRef(false);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [legend, setLegend] = useState(false);
  const [listShown, setListShown] = useState(false);
  const legendBtn = useRef<HTMLButtonElement>(null);
  const items = useMemo(() => stepItems(layout, overlay, hasPaths), [layout, overlay, hasPaths]);

  /**
   * Fits the graph in the pane. On its own (a workflow opens, the pane resizes) it never draws below
   * scale 1, so no text is under 12 px on a projector and a tall graph is panned instead; the Fit
   * button shows the whole graph, at any scale.
   */
  const fit = (whole = false) => {
    const svg = svgRef.current;
    const z = zoomRef.current;
    if (!svg || !z || svg.clientWidth === 0) return;
    const f = fitTransform(layoutRef.current, { width: svg.clientWidth, height: svg.clientHeight }, 16, 1, whole ? 0.2 : 1, OVERLAY_BAND);
    select(svg).call(z.transform, zoomIdentity.translate(f.x, f.y).scale(f.k));
  };

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    // Like document viewers: the wheel scrolls (shift: sideways), ctrl/cmd + wheel or pinch zooms.
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.2, 2.5])
      .filter((e: Event) => (e.type === 'wheel' ? (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey : !(e as MouseEvent).button))
      .on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        if (e.sourceEvent) userMoved.current = true;
        setT(e.transform);
      });
    zoomRef.current = z;
    select(svg).call(z);
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      userMoved.current = true;
      const k = zoomTransform(svg).k;
      const [dx, dy] = e.shiftKey ? [e.deltaY, 0] : [e.deltaX, e.deltaY];
      select(svg).call(z.translateBy, -dx / k, -dy / k);
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    // The pane changes size when the results table appears or the window is resized.
    const ro = new ResizeObserver(() => {
      if (!userMoved.current) fit();
    });
    ro.observe(svg);
    return () => {
      svg.removeEventListener('wheel', onWheel);
      ro.disconnect();
      select(svg).on('.zoom', null);
    };
    // Set up once: fit() reads the latest layout through a ref.
  }, []);

  // Fit when another workflow opens; what-if changes keep the user's pan and zoom.
  useLayoutEffect(() => {
    userMoved.current = false;
    fit();
  }, [fitKey]);

  // A newly selected example route is panned into view (same zoom) when some of its steps are off screen.
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;
  useLayoutEffect(() => {
    const svg = svgRef.current;
    const z = zoomRef.current;
    const steps = overlayRef.current?.steps;
    if (!svg || !z || !revealKey || !steps) return;
    const boxOf = (nodes: GraphLayout['nodes']) => {
      const x0 = Math.min(...nodes.map((n) => n.x));
      const y0 = Math.min(...nodes.map((n) => n.y));
      return { x: x0, y: y0, width: Math.max(...nodes.map((n) => n.x + n.width)) - x0, height: Math.max(...nodes.map((n) => n.y + n.height)) - y0 };
    };
    const onPath = layoutRef.current.nodes.filter((n) => steps.get(n.id)?.selected);
    if (onPath.length === 0) return;
    const cur = zoomTransform(svg);
    const pane = { width: svg.clientWidth, height: svg.clientHeight };
    const whole = boxOf(onPath);
    // The whole path when it fits; otherwise the step where the credential is obtained.
    const takeover = onPath.filter((n) => steps.get(n.id)?.takeover);
    const box = whole.height * cur.k <= pane.height - 48 - OVERLAY_BAND || takeover.length === 0 ? whole : boxOf(takeover);
    const next = revealTransform({ k: cur.k, x: cur.x, y: cur.y }, box, pane, 24, OVERLAY_BAND);
    if (next) select(svg).call(z.transform, zoomIdentity.translate(next.x, next.y).scale(next.k));
  }, [revealKey]);

  const zoomBy = (k: number) => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) select(svg).call(zoomRef.current.scaleBy, k);
  };

  const edgeO = (id: string) => overlay?.edges.get(id);
  const listId = useId();
  return (
    <div className="graph-pane">
      {layout.workflowChips.length ? (
        <div className="wf-controls" role="group" aria-label="Controls on the whole workflow">
          <span className="wf-controls-label">Workflow-wide</span>
          {layout.workflowChips.map((c) => {
            const v = overlay?.chipVerdicts.get(c.key);
            return (
              <span key={c.key} className={`hchip hchip-${c.enforcement}${v ? ` verdict tone-${VERDICTS[v].tone}` : ''}`} title={`${c.title}${v ? `\nOn the selected path: ${VERDICTS[v].label}` : ''}`} data-control={c.control}>
                {c.label}
                {c.belowHardened.length ? <span className="hchip-weak" role="img" aria-label="below hardened" /> : null}
              </span>
            );
          })}
        </div>
      ) : null}
      <div className="graph">
        <svg ref={svgRef} className="graph-svg" role="img" aria-label="Workflow graph with takeover paths" data-testid="workflow-graph">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow" />
            </marker>
            <marker id="arrow-sel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow-sel" />
            </marker>
          </defs>
          <g transform={t.toString()}>
            <g className="edges-weight">
              {layout.edges.map((e) => {
                const o = edgeO(e.id);
                return o && o.weight > 0 ? <path key={e.id} d={e.d} className="edge-weight" strokeWidth={o.weight * 2 + 2} /> : null;
              })}
            </g>
            <g className="edges">
              {layout.edges.map((e) => (
                <path key={e.id} d={e.d} className={`edge edge-${e.kind}`} markerEnd="url(#arrow)" data-edge={e.id} />
              ))}
            </g>
            <g className="edges-selected">
              {layout.edges.map((e) =>
                edgeO(e.id)?.selected ? <path key={e.id} d={e.d} className={`edge-selected edge-${e.kind}`} markerEnd="url(#arrow-sel)" /> : null,
              )}
            </g>
            <g className="nodes">
              {layout.nodes.map((n) => {
                const so = overlay?.steps.get(n.id);
                const cls = ['node', `kind-${n.kind}`, so?.selected ? 'on-path' : '', so?.takeover ? 'takeover' : '', hasPaths && so && !so.touched ? 'untouched' : '']
                  .filter(Boolean)
                  .join(' ');
                return (
                  <g key={n.id} className={cls} transform={`translate(${n.x},${n.y})`} data-step={n.id}>
                    <title>{`${n.fullName} (${n.kindLabel})${n.actor ? `\nPerformed by: ${n.actor}` : ''}${hasPaths && so?.touched ? '\nOn takeover paths (counts on its edges)' : ''}`}</title>
                    <rect className="node-box" width={n.width} height={n.height} rx={6} />
                    <rect className="node-stripe" width={4} height={n.height - 8} x={0} y={4} rx={2} />
                    <text className="node-kind" x={10} y={14}>
                      {n.kindLabel.toUpperCase()}
                      {n.isStart ? ' · START' : ''}
                      {so?.takeover ? ' · TAKEOVER' : ''}
                    </text>
                    {so?.order.length ? (
                      <g className="order" transform={`translate(${n.width - 10},2)`}>
                        {so.order.map((k, i) => (
                          <g key={k} transform={`translate(${-i * 20},0)`}>
                            <circle cx={-7} cy={9} r={8} />
                            <text x={-7} y={12.5} textAnchor="middle">
                              {k}
                            </text>
                          </g>
                        ))}
                      </g>
                    ) : null}
                    <text className="node-name" x={10} y={30}>
                      {n.lines.map((l, i) => (
                        <tspan key={i} x={10} dy={i === 0 ? 0 : 15}>
                          {l}
                        </tspan>
                      ))}
                    </text>
                    {n.actor ? (
                      <text className="node-actor" x={10} y={30 + n.lines.length * 15 - 1}>
                        {n.actor}
                      </text>
                    ) : null}
                    {n.chips.map((c) => {
                      const v = overlay?.chipVerdicts.get(c.key);
                      return (
                        <g key={c.key} className={`chip chip-${c.enforcement}${v ? ` verdict tone-${VERDICTS[v].tone}` : ''}`} transform={`translate(${c.x},${c.y})`} data-control={c.control}>
                          <title>{`${c.title}${v ? `\nOn the selected path: ${VERDICTS[v].label}` : ''}`}</title>
                          <rect width={c.width} height={18} rx={3} />
                          <text x={6} y={13}>
                            {c.label}
                          </text>
                          {c.belowHardened.length ? <circle className="chip-weak" cx={c.width - 3} cy={3} r={2.5} /> : null}
                        </g>
                      );
                    })}
                  </g>
                );
              })}
            </g>
            <g className="edge-labels">
              {layout.edges.map((e) => {
                const o = edgeO(e.id);
                const labelW = e.labelWidth;
                return (
                  <g key={e.id} transform={`translate(${e.mid.x},${e.mid.y})`}>
                    {e.label ? (
                      <g className={`edge-label edge-label-${e.kind}`}>
                        <rect x={-labelW / 2} y={-9} width={labelW} height={18} rx={3} />
                        <text textAnchor="middle" y={4}>
                          {e.label}
                        </text>
                      </g>
                    ) : null}
                    {o && o.count > 0n ? (
                      <g
                        className={`edge-count${o.selected ? ' is-selected' : ''}`}
                        transform={`translate(${o.badgeX},0)`}
                        data-edge-count={e.id}
                        data-count={o.count.toString()}
                      >
                        <title>{o.title}</title>
                        <rect x={-o.badgeWidth / 2} y={-9} width={o.badgeWidth} height={18} rx={9} />
                        <text textAnchor="middle" y={4}>
                          {o.label}
                        </text>
                      </g>
                    ) : null}
                  </g>
                );
              })}
            </g>
          </g>
        </svg>
        {pathsNote ? (
          <div className="paths-note" role="status" title={pathsNote.title || undefined}>
            <span className="paths-note-text">{pathsNote.text}</span>
            {pathsNote.onShowAll ? (
              <button type="button" className="btn-small" onClick={pathsNote.onShowAll}>
                Show all
              </button>
            ) : null}
          </div>
        ) : null}
        <div className="graph-tools" role="toolbar" aria-label="Graph view">
          <button ref={legendBtn} type="button" onClick={() => setLegend(!legend)} onKeyDown={(e) => e.key === 'Escape' && setLegend(false)} aria-pressed={legend} title="Show or hide the legend (Escape hides it)">
            Legend
          </button>
          <button type="button" onClick={() => listShown ? setListShown(false) : setListShown(true)} aria-expanded={listShown} aria-controls={listId} title="Show the steps as a list, with their controls and the takeover paths that cross them">
            Steps
          </button>
          <button type="button" onClick={() => fit(true)} title="Fit the whole workflow in view">
            Fit
          </button>
          <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
            −
          </button>
        </div>
        {/* The graph in words: always there for screen readers, shown on screen by the Steps button. */}
        <div id={listId} className={listShown ? 'step-list is-shown' : 'step-list sr-only'} data-testid="step-list" tabIndex={listShown ? 0 : -1} role="region" aria-label="Steps of the workflow, as a list">
          <ol>
            {items.map((it) => (
              <li key={it.id} data-step={it.id}>
                <strong>{it.heading}</strong>
                {it.actor ? <span>. Performed by: {it.actor}</span> : null}
                <span>. Controls: {it.controls.length ? it.controls.join('; ') : 'none'}</span>
                <span>. Leads to: {it.leadsTo}</span>
                {it.paths ? <span>. {it.paths}</span> : null}
                {it.onPath ? <span>. {it.onPath}</span> : null}.
              </li>
            ))}
          </ol>
        </div>
        {legend ? (
          <ul className="legend" aria-label="Legend" tabIndex={-1} onKeyDown={(e) => e.key === 'Escape' && (setLegend(false), legendBtn.current?.focus())}>
            <li className="lg lg-chip-system">control enforced by the system</li>
            <li className="lg lg-chip-procedural">procedural control (can be skipped)</li>
            <li className="lg lg-weak">set below its hardened value</li>
            <li className="lg lg-next">next step</li>
            <li className="lg lg-fail">on-fail branch</li>
            <li className="lg lg-count">takeover paths (count)</li>
            <li className="lg lg-sel">selected path, step order</li>
            <li className="lg lg-verdict-bad">control defeated or skipped on the selected path (struck through)</li>
            <li className="lg lg-verdict-good">control held on the selected path (heavy border)</li>
            <li className="lg lg-stripe">left stripe: the step&apos;s kind (also written at the top of the box)</li>
          </ul>
        ) : null}
      </div>
    </div>
  );
}
