// Draws the laid-out workflow graph and the takeover-path overlay; d3-zoom pans and zooms it. A large
// graph gets an overview (the minimap), a step search, collapsible linear runs, and keyboard focus
// that walks the boxes with the arrow keys.
import { select, zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3';
import { memo, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatCount } from '../../analysis/index.ts';
import { collapseLayout, linearRuns, runPaths, type CollapsedLayout, type RunBox } from '../compute/computeCollapse.ts';
import type { GraphLayout } from '../compute/computeGraphLayout.ts';
import { ARROW_DIRECTIONS, firstBox, neighbourInDirection } from '../compute/computeGraphNav.ts';
import { overlayOnLayout, type Overlay } from '../compute/computeOverlay.ts';
import { matchSummary, searchSteps } from '../compute/computeStepSearch.ts';
import { fitTransform, jumpTransform, minimapFrame, minimapPan, needsOverview, OVERVIEW_BELOW, revealTransform, zoomFloor, type Fit } from '../compute/computeViewport.ts';
import { compactCount, VERDICTS } from '../compute/format.ts';
import { stepCrossings, stepItems } from '../compute/computeStepList.ts';
import { Minimap, type MinimapBox } from './Minimap.tsx';

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
  /** A step was clicked or chosen with Enter; without it, the graph shows the step's details itself. */
  onStepSelect?: (id: string) => void;
}

/** Height of the band at the top of the pane that the paths note and the graph tools cover. */
const OVERLAY_BAND = 24;
/** Height of the row of the step search and the collapse toggle, under the paths note. */
const FIND_ROW = 32;
/** From this many steps the graph offers search and collapsing, even when it fits the pane. */
const LARGE_GRAPH = 12;
const NO_RUNS: Pick<CollapsedLayout, 'runs' | 'runOf'> = { runs: [], runOf: new Map() };

type Box = { x: number; y: number; width: number; height: number };

/** The step's places on the selected path as pills from the box's right edge leftwards, wide enough for three-digit places. */
function orderPills(order: readonly number[]): { k: number; x: number; width: number }[] {
  let right = 0;
  return order.map((k) => {
    const width = Math.max(16, String(k).length * 7.5 + 6);
    const x = right - width;
    right = x - 3;
    return { k, x, width };
  });
}

/** Below this scale text is too small to read: the graph is drawn as its shape (boxes, paths), without text. */
const FAR_SCALE = 0.45;

/**
 * Memoised: a screen that re-renders for something else (the editor's dirty flag or live headline,
 * a notice) does not redraw a 200-step graph whose props did not change.
 */
export const GraphView = memo(function GraphView({ layout, overlay, fitKey, hasPaths, pathsNote, revealKey, onStepSelect }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  /** The user panned or zoomed: stop fitting on resize until another workflow opens. */
  const userMoved = useRef(false);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [pane, setPane] = useState({ width: 0, height: 0 });
  const [legend, setLegend] = useState(false);
  const [listShown, setListShown] = useState(false);
  const legendBtn = useRef<HTMLButtonElement>(null);
  const [collapsed, setCollapsed] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [listOpen, setListOpen] = useState(false);
  const [found, setFound] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const items = useMemo(() => stepItems(layout, overlay, hasPaths), [layout, overlay, hasPaths]);
  const itemById = useMemo(() => new Map(items.map((it) => [it.id, it])), [items]);
  const startId = layout.nodes.find((n) => n.isStart)?.id ?? null;

  // The selected path's takeover step stays open (see computeCollapse.ts); keyed by its id, so a
  // what-if pass that keeps it does not lay the graph out again.
  const keepKey = layout.nodes
    .filter((n) => overlay?.steps.get(n.id)?.takeover)
    .map((n) => n.id)
    .join('\n');
  const allRuns = useMemo(() => linearRuns(layout.nodes.map((n) => n.id), layout.edges, startId, new Set(keepKey ? keepKey.split('\n') : [])), [layout, startId, keepKey]);
  /** The graph has runs to collapse at all (whatever path is selected): the toggle is offered then. */
  const collapsible = useMemo(() => linearRuns(layout.nodes.map((n) => n.id), layout.edges, startId).length > 0, [layout, startId]);
  const runs = useMemo(() => (collapsed ? allRuns.filter((r) => !expanded.has(r.id)) : []), [collapsed, allRuns, expanded]);
  const view: CollapsedLayout = useMemo(() => (runs.length ? collapseLayout(layout, runs) : { ...layout, ...NO_RUNS }), [layout, runs]);
  const viewRef = useRef(view);
  viewRef.current = view;
  const viewOverlay = useMemo(() => (overlay && view.runs.length ? overlayOnLayout(overlay, view, view.runs) : overlay), [overlay, view]);
  const crossings = useMemo(() => (hasPaths && overlay ? stepCrossings(layout, overlay) : null), [layout, overlay, hasPaths]);
  const large = layout.nodes.length >= LARGE_GRAPH || needsOverview(layout, pane, 16, OVERLAY_BAND, OVERVIEW_BELOW);
  /** The top band the graph keeps clear grows by the find row's height when the find row is shown. */
  const bandRef = useRef(OVERLAY_BAND);
  bandRef.current = large ? OVERLAY_BAND + FIND_ROW : OVERLAY_BAND;

  const apply = (f: Fit) => {
    const svg = svgRef.current;
    const z = zoomRef.current;
    if (svg && z) select(svg).call(z.transform, zoomIdentity.translate(f.x, f.y).scale(f.k));
  };
  const paneNow = () => ({ width: svgRef.current?.clientWidth ?? 0, height: svgRef.current?.clientHeight ?? 0 });
  const current = (): Fit => {
    const c = svgRef.current ? zoomTransform(svgRef.current) : zoomIdentity;
    return { k: c.k, x: c.x, y: c.y };
  };
  /** Zooming out stops where the whole graph shows, however large it is. */
  const setFloor = () => {
    const z = zoomRef.current;
    const p = paneNow();
    if (z && p.width > 0) z.scaleExtent([zoomFloor(viewRef.current, p, 16, bandRef.current), 2.5]);
  };

  /**
   * Fits the graph in the pane. On its own (a workflow opens, the pane resizes) it never draws below
   * scale 1, so no text is under 12 px on a projector and a tall graph is panned instead; the Fit
   * button shows the whole graph, at any size (the zoom floor follows the graph).
   */
  const fit = (whole = false) => {
    const p = paneNow();
    if (!zoomRef.current || p.width === 0) return;
    setFloor();
    const g = viewRef.current;
    apply(fitTransform(g, p, 16, 1, whole ? zoomFloor(g, p, 16, bandRef.current) : 1, bandRef.current));
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
    // Double-click zooms in d3 by default; here it would fight a double-click on a step.
    select(svg).on('dblclick.zoom', null);
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
      setPane(paneNow());
      setFloor();
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
    setExpanded(new Set());
    setFound(null);
    setPicked(null);
    setFocusId(null);
    setQuery('');
    fit();
  }, [fitKey]);

  // The find row appears (or goes) once the pane is measured or resized: the band the graph keeps
  // clear at the top changes with it, so a view the user has not moved is fitted again, below it.
  useLayoutEffect(() => {
    if (!userMoved.current) fit();
  }, [large]);

  /** Where a box is drawn in the current view: a step, a run box, or the run box holding a collapsed step. */
  const boxOf = (v: CollapsedLayout, id: string): (Box & { id: string }) | null => {
    const own = v.nodes.find((n) => n.id === id) ?? v.runs.find((r) => r.id === id);
    if (own) return own;
    const step = id.startsWith('run:') ? id.slice(4) : id;
    const run = v.runOf.get(step);
    return v.nodes.find((n) => n.id === step) ?? (run ? (v.runs.find((r) => r.id === run) ?? null) : null);
  };

  // Collapsing or expanding keeps one box where it was on screen, so the view does not jump; a search
  // match inside a collapsed run is shown once its run has opened.
  const anchor = useRef<{ id: string; sx: number; sy: number } | null>(null);
  const pendingJump = useRef<string | null>(null);
  const holdOnScreen = (id: string) => {
    const b = boxOf(viewRef.current, id);
    if (!b) return;
    const c = current();
    anchor.current = { id, sx: c.x + b.x * c.k, sy: c.y + b.y * c.k };
  };
  useLayoutEffect(() => {
    setFloor();
    const a = anchor.current;
    anchor.current = null;
    if (a) {
      const b = boxOf(view, a.id);
      const c = current();
      if (b) apply({ k: c.k, x: a.sx - b.x * c.k, y: a.sy - b.y * c.k });
    }
    const j = pendingJump.current;
    pendingJump.current = null;
    if (j) jumpTo(j);
  }, [view]);

  // A newly selected example route is panned into view (same zoom) when some of its steps are off screen.
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;
  useLayoutEffect(() => {
    const svg = svgRef.current;
    const steps = overlayRef.current?.steps;
    if (!svg || !zoomRef.current || !revealKey || !steps) return;
    const boxAround = (nodes: readonly Box[]) => {
      const x0 = Math.min(...nodes.map((n) => n.x));
      const y0 = Math.min(...nodes.map((n) => n.y));
      return { x: x0, y: y0, width: Math.max(...nodes.map((n) => n.x + n.width)) - x0, height: Math.max(...nodes.map((n) => n.y + n.height)) - y0 };
    };
    const v = viewRef.current;
    const onPath: Box[] = [...v.nodes.filter((n) => steps.get(n.id)?.selected), ...v.runs.filter((r) => r.steps.some((id) => steps.get(id)?.selected))];
    if (onPath.length === 0) return;
    const cur = current();
    const p = paneNow();
    const whole = boxAround(onPath);
    // The whole path when it fits; otherwise the step where the credential is obtained.
    const takeover = v.nodes.filter((n) => steps.get(n.id)?.takeover);
    const box = whole.height * cur.k <= p.height - 48 - bandRef.current || takeover.length === 0 ? whole : boxAround(takeover);
    const next = revealTransform(cur, box, p, 24, bandRef.current);
    if (next) apply(next);
  }, [revealKey]);

  /** Pans (zooming in to reading scale if needed) to a step and marks it found; opens its run first when collapsed. */
  const jumpTo = (id: string) => {
    const v = viewRef.current;
    const run = v.runOf.get(id);
    setFound(id);
    setFocusId(id);
    setListOpen(false);
    if (run) {
      pendingJump.current = id;
      setExpanded((s) => new Set([...s, run]));
      return;
    }
    const b = boxOf(v, id);
    if (!b) return;
    userMoved.current = true;
    const next = jumpTransform(current(), b, paneNow(), 1, bandRef.current);
    if (next) apply(next);
  };

  const allMatches = useMemo(() => searchSteps(layout.nodes.map((n) => ({ id: n.id, name: n.fullName })), query, Infinity), [layout, query]);
  const matches = allMatches.slice(0, 8);
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setListOpen(true);
      if (matches.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const m = matches[Math.min(active, matches.length - 1)];
      if (m) jumpTo(m.id);
    } else if (e.key === 'Escape') {
      if (listOpen && query) setListOpen(false);
      else {
        setQuery('');
        setFound(null);
      }
    }
  };

  // Keyboard focus: one box takes Tab (roving tabindex); the arrow keys move to the nearest box that way.
  const navBoxes = useMemo(() => [...view.nodes, ...view.runs], [view]);
  const tabId = focusId && boxOf(view, focusId) ? boxOf(view, focusId)!.id : firstBox(navBoxes, startId);
  const focusBox = (id: string) => {
    setFocusId(id);
    const b = boxOf(viewRef.current, id);
    const el = svgRef.current?.querySelector<SVGElement>(`[data-nav="${CSS.escape(id)}"]`);
    el?.focus({ preventScroll: true });
    if (b) {
      const next = revealTransform(current(), b, paneNow(), 24, bandRef.current);
      if (next) apply(next);
    }
  };
  const expandRun = (id: string) => {
    refocus.current = focusWasInGraph();
    holdOnScreen(id);
    setFocusId(id.slice(4));
    setExpanded((s) => new Set([...s, id]));
  };
  const activate = (id: string) => {
    if (id.startsWith('run:')) return expandRun(id);
    setPicked(id);
    onStepSelect?.(id);
  };
  const onBoxKey = (e: KeyboardEvent<SVGElement>, id: string) => {
    const dir = ARROW_DIRECTIONS[e.key];
    if (dir) {
      e.preventDefault();
      const next = neighbourInDirection(navBoxes, id, dir);
      if (next) focusBox(next);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate(id);
    } else if (e.key === 'Escape' && picked) setPicked(null);
  };
  // When the focused box is replaced (a run opens or steps collapse), the focus follows to the box that now holds the step.
  const refocus = useRef(false);
  const focusWasInGraph = () => !!document.activeElement && !!svgRef.current?.contains(document.activeElement);
  useLayoutEffect(() => {
    if (!refocus.current || !focusId) return;
    refocus.current = false;
    const b = boxOf(view, focusId);
    if (b) svgRef.current?.querySelector<SVGElement>(`[data-nav="${CSS.escape(b.id)}"]`)?.focus({ preventScroll: true });
  }, [view, focusId]);

  // The selected step's card covers the bottom of the pane: the step is panned above it.
  const cardRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const card = cardRef.current;
    const b = picked ? boxOf(viewRef.current, picked) : null;
    if (!card || !b) return;
    const p = paneNow();
    const next = revealTransform(current(), b, { width: p.width, height: Math.max(b.height + 60, p.height - card.offsetHeight - 8) }, 16, bandRef.current);
    if (next) apply(next);
  }, [picked]);

  const toggleCollapse = () => {
    // Keep the box nearest the pane's centre where it is.
    const c = current();
    const p = paneNow();
    const cx = (p.width / 2 - c.x) / c.k;
    const cy = (p.height / 2 - c.y) / c.k;
    const near = [...navBoxes].sort((a, b) => Math.hypot(a.x + a.width / 2 - cx, a.y + a.height / 2 - cy) - Math.hypot(b.x + b.width / 2 - cx, b.y + b.height / 2 - cy))[0];
    if (near) holdOnScreen(near.id.startsWith('run:') ? near.id.slice(4) : near.id);
    refocus.current = focusWasInGraph();
    setExpanded(new Set());
    setCollapsed(!collapsed);
  };

  const overview = needsOverview(view, pane, 16, bandRef.current, OVERVIEW_BELOW);
  const frame = useMemo(() => minimapFrame(view, { width: 168, height: Math.max(80, Math.min(260, pane.height - 90)) }), [view, pane.height]);
  const miniBoxes = useMemo((): MinimapBox[] => {
    if (!overview) return [];
    const marks = (id: string) => {
      const so = viewOverlay?.steps.get(id);
      return [hasPaths && so?.touched ? 'touched' : '', so?.selected ? 'selected' : '', so?.takeover ? 'takeover' : '', id === found ? 'found' : ''].filter(Boolean);
    };
    return [
      ...view.nodes.map((n) => ({ id: n.id, x: n.x, y: n.y, width: n.width, height: n.height, marks: marks(n.id) })),
      ...view.runs.map((r) => ({ id: r.id, x: r.x, y: r.y, width: r.width, height: r.height, marks: ['run', crossings && runPaths(r, crossings).total > 0n ? 'touched' : '', r.steps.some((id) => overlay?.steps.get(id)?.selected) ? 'selected' : '', r.steps.includes(found ?? '') ? 'found' : ''].filter(Boolean) })),
    ];
  }, [overview, view, viewOverlay, hasPaths, found, crossings]);
  const hotEdges = useMemo(() => (overview && viewOverlay ? view.edges.filter((e) => (viewOverlay.edges.get(e.id)?.count ?? 0n) > 0n).map((e) => ({ id: e.id, d: e.d, selected: !!viewOverlay.edges.get(e.id)?.selected })) : []), [overview, view, viewOverlay]);

  const zoomBy = (k: number) => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) select(svg).call(zoomRef.current.scaleBy, k);
  };

  const edgeO = (id: string) => viewOverlay?.edges.get(id);
  const listId = useId();
  const searchId = useId();
  const pickedItem = picked && !onStepSelect ? itemById.get(picked) : undefined;
  const runWords = (r: RunBox): { short: string; long: string } => {
    if (!crossings) return { short: 'Enter or click to expand', long: '' };
    const p = runPaths(r, crossings);
    if (p.total === 0n) return { short: 'No takeover path', long: 'No takeover path crosses these steps' };
    if (p.uniform) return { short: `${compactCount(p.total)} takeover path${p.total === 1n ? '' : 's'}`, long: `${formatCount(p.total)} takeover path${p.total === 1n ? ' crosses' : 's cross'} each of these steps` };
    return { short: `${compactCount(p.total)} in, ${compactCount(p.last)} at the last`, long: `${formatCount(p.total)} takeover paths enter these steps; ${formatCount(p.last)} reach the last of them` };
  };
  // The drawing itself does not change while the view pans or zooms: only its transform does, so a
  // 200-step graph is not reconciled again on every frame of a drag.
  const content = useMemo(
    () => (
      <>
      <g className="edges-weight" aria-hidden="true">
        {view.edges.map((e) => {
          const o = edgeO(e.id);
          return o && o.weight > 0 ? <path key={e.id} d={e.d} className="edge-weight" strokeWidth={o.weight * 2 + 2} /> : null;
        })}
      </g>
      <g className="edges" aria-hidden="true">
        {view.edges.map((e) => (
          <path key={e.id} d={e.d} className={`edge edge-${e.kind}`} markerEnd="url(#arrow)" data-edge={e.id} />
        ))}
      </g>
      <g className="edges-selected" aria-hidden="true">
        {view.edges.map((e) =>
          edgeO(e.id)?.selected ? <path key={e.id} d={e.d} className={`edge-selected edge-${e.kind}`} markerEnd="url(#arrow-sel)" /> : null,
        )}
      </g>
      <g className="nodes">
        {view.nodes.map((n) => {
          const so = viewOverlay?.steps.get(n.id);
          const it = itemById.get(n.id);
          const cls = ['node', `kind-${n.kind}`, so?.selected ? 'on-path' : '', so?.takeover ? 'takeover' : '', hasPaths && so && !so.touched ? 'untouched' : '', n.id === found ? 'is-found' : '', n.id === picked ? 'is-picked' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <g
              key={n.id}
              className={cls}
              transform={`translate(${n.x},${n.y})`}
              data-step={n.id}
              onClick={() => activate(n.id)}
            >
              <title>{`${n.fullName} (${n.kindLabel})${n.actor ? `\nPerformed by: ${n.actor}` : ''}${hasPaths && so?.touched ? '\nOn takeover paths (counts on its edges)' : ''}`}</title>
              {/* The keyboard's handle on the step: a ring around the box, named in words; it holds no text, so its name is all a screen reader reads. */}
              <rect
                className="node-focus"
                x={-5}
                y={-5}
                width={n.width + 10}
                height={n.height + 10}
                rx={9}
                data-nav={n.id}
                tabIndex={n.id === tabId ? 0 : -1}
                role="button"
                aria-pressed={n.id === picked}
                aria-label={[it?.heading ?? n.fullName, it?.paths, it?.onPath].filter(Boolean).join('. ')}
                onFocus={() => setFocusId(n.id)}
                onKeyDown={(e) => onBoxKey(e, n.id)}
              />
              <rect className="node-box" width={n.width} height={n.height} rx={6} />
              <rect className="node-stripe" width={4} height={n.height - 8} x={0} y={4} rx={2} />
              <text className="node-kind" x={10} y={14}>
                {n.kindLabel.toUpperCase()}
                {n.isStart ? ' · START' : ''}
                {so?.takeover ? ' · TAKEOVER' : ''}
              </text>
              {so?.order.length ? (
                <g className="order" transform={`translate(${n.width - 3},2)`}>
                  {orderPills(so.order).map((p) => (
                    <g key={p.k}>
                      <rect x={p.x} y={1} width={p.width} height={16} rx={8} />
                      <text x={p.x + p.width / 2} y={13} textAnchor="middle">
                        {p.k}
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
        {view.runs.map((r) => {
          const words = runWords(r);
          const touched = !!crossings && runPaths(r, crossings).total > 0n;
          const order = r.steps.flatMap((id) => overlay?.steps.get(id)?.order ?? []);
          const onPath = order.length > 0;
          const orderText = onPath ? (order.length === 1 ? `path step ${order[0]}` : `path steps ${Math.min(...order)}–${Math.max(...order)}`) : '';
          const cls = ['run-box', onPath ? 'on-path' : '', hasPaths && !touched ? 'untouched' : '', r.steps.includes(found ?? '') ? 'is-found' : ''].filter(Boolean).join(' ');
          return (
            <g
              key={r.id}
              className={cls}
              transform={`translate(${r.x},${r.y})`}
              data-run={r.id}
              data-run-steps={r.steps.length}
              onClick={() => expandRun(r.id)}
            >
              <title>{`${r.label}\n${words.long ? `${words.long}\n` : ''}Click to show every step`}</title>
              <rect
                className="node-focus"
                x={-5}
                y={-5}
                width={r.width + 16}
                height={r.height + 16}
                rx={9}
                data-nav={r.id}
                tabIndex={r.id === tabId ? 0 : -1}
                role="button"
                aria-expanded={false}
                aria-label={`${r.label}, collapsed.${words.long ? ` ${words.long}.` : ''}${onPath ? ` On the selected path: ${orderText.replace('path ', '')}.` : ''} Press Enter to expand.`}
                onFocus={() => setFocusId(r.id)}
                onKeyDown={(e) => onBoxKey(e, r.id)}
              />
              <rect className="run-back" x={6} y={6} width={r.width} height={r.height} rx={6} />
              <rect className="run-back" x={3} y={3} width={r.width} height={r.height} rx={6} />
              <rect className="node-box" width={r.width} height={r.height} rx={6} />
              <text className="node-kind" x={10} y={16}>
                {`${r.steps.length} STEPS${onPath ? ` · PATH ${order.length === 1 ? order[0] : `${Math.min(...order)}–${Math.max(...order)}`}` : ' · COLLAPSED'}`}
              </text>
              <text className="node-name" x={10} y={34}>
                {r.firstName}
              </text>
              <text className="node-name" x={10} y={50}>
                {`… ${r.lastName}`}
              </text>
              <text className="run-paths" x={10} y={68}>
                {words.short}
              </text>
              <g className="run-expand" transform={`translate(${r.width - 26},4)`}>
                <rect width={20} height={18} rx={3} />
                <text x={10} y={13.5} textAnchor="middle">
                  +
                </text>
              </g>
            </g>
          );
        })}
      </g>
      <g className="edge-labels" aria-hidden="true">
        {view.edges.map((e) => {
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
      </>
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the handlers read the latest view and state through refs and these deps
    [view, viewOverlay, overlay, itemById, found, picked, tabId, hasPaths, crossings, navBoxes, onStepSelect],
  );
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
      <div className={`graph${large ? ' is-large' : ''}`}>
        <svg ref={svgRef} className={t.k < FAR_SCALE ? 'graph-svg is-far' : 'graph-svg'} role="group" aria-label="Workflow graph with takeover paths: Tab to its steps, arrow keys between them, Enter to select" data-testid="workflow-graph">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow" />
            </marker>
            <marker id="arrow-sel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrow-sel" />
            </marker>
          </defs>
          <g transform={t.toString()}>
            {content}
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
        {large ? (
          <div className="graph-find" role="search" aria-label="Find a step">
            <input
              type="search"
              role="combobox"
              aria-label="Find a step by name or id"
              aria-autocomplete="list"
              aria-expanded={listOpen && matches.length > 0}
              aria-controls={`${searchId}-list`}
              aria-activedescendant={listOpen && matches.length ? `${searchId}-${Math.min(active, matches.length - 1)}` : undefined}
              placeholder="Find step…"
              value={query}
              data-testid="step-search"
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
                setListOpen(true);
              }}
              onFocus={() => setListOpen(true)}
              onBlur={() => setListOpen(false)}
              onKeyDown={onSearchKey}
            />
            {collapsible ? (
              <button type="button" className="btn-small" aria-pressed={collapsed} onClick={toggleCollapse} data-testid="collapse-runs" title="Draw each chain of steps with one way in and one way out as one box (steps on the selected path stay open)">
                Collapse linear runs
              </button>
            ) : null}
            <span className="sr-only" role="status">
              {query.trim() ? matchSummary(matches.length, allMatches.length) : ''}
            </span>
            {listOpen && query.trim() ? (
              <ul className="find-results" role="listbox" id={`${searchId}-list`} aria-label="Matching steps">
                {matches.length === 0 ? <li className="find-none">No step matches</li> : null}
                {matches.map((m, i) => (
                  <li
                    key={m.id}
                    id={`${searchId}-${i}`}
                    role="option"
                    aria-selected={i === Math.min(active, matches.length - 1)}
                    data-match={m.id}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => jumpTo(m.id)}
                  >
                    <span className="find-name">{m.name}</span>
                    <code className="find-id">{m.id}</code>
                  </li>
                ))}
                {allMatches.length > matches.length ? <li className="find-more">{`${allMatches.length - matches.length} more: type more of the name`}</li> : null}
              </ul>
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
          <button type="button" onClick={() => fit(true)} title="Fit the whole workflow in view" data-testid="fit">
            Fit
          </button>
          <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
            −
          </button>
        </div>
        {overview ? (
          <Minimap
            frame={frame}
            boxes={miniBoxes}
            hotEdges={hotEdges}
            view={{ k: t.k, x: t.x, y: t.y }}
            pane={pane}
            onPan={(pt) => {
              userMoved.current = true;
              apply(minimapPan(pt, frame, current(), paneNow()));
            }}
          />
        ) : null}
        {pickedItem ? (
          <div ref={cardRef} className="step-card" role="region" aria-label="Selected step" data-testid="step-card">
            <button type="button" className="btn-small step-card-close" onClick={() => setPicked(null)} aria-label="Close the selected step">
              ×
            </button>
            <strong>{pickedItem.heading}</strong>
            {pickedItem.actor ? <p>Performed by: {pickedItem.actor}</p> : null}
            <p>Controls: {pickedItem.controls.length ? pickedItem.controls.join('; ') : 'none'}</p>
            <p>Leads to: {pickedItem.leadsTo}</p>
            {pickedItem.paths ? <p>{pickedItem.paths}</p> : null}
            {pickedItem.onPath ? <p>{pickedItem.onPath}</p> : null}
          </div>
        ) : null}
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
});
