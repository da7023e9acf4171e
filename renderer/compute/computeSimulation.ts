// The simulation screen's computations: the risk-versus-friction chart of a trade-off (d3 scales,
// ticks, symbols and the frontier line), keyboard moves between points, a point's details in
// words, and the per-hour charts of queue length and takeovers. Pure: the component only draws.
import { line, scaleBand, scaleLinear, scaleSqrt, symbol, symbolCircle, symbolDiamond, symbolSquare } from 'd3';
import { paretoFrontier } from '../../analysis/index.ts';
import type { ApiTradeoff, ApiTradeoffPoint } from '../../contract/index.ts';
import { className } from './format.ts';

export interface Size {
  width: number;
  height: number;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Tick {
  at: number;
  label: string;
}

/** How a point is drawn: the shape says its role, so colour is never the only cue. */
export type PointRole = 'chosen' | 'frontier' | 'dominated';

export interface ChartPoint {
  index: number;
  x: number;
  y: number;
  /** The 95% interval of its risk, in pixels (yLo below yHi on screen). */
  yLo: number;
  yHi: number;
  role: PointRole;
  /** On the Pareto frontier (a chosen point may be too). */
  frontier: boolean;
  /** SVG path of its symbol, centred on (0, 0). */
  symbol: string;
  /** Text beside the symbol: "#3", with the classes it is chosen for; placed where no other label is. */
  text: string;
  textX: number;
  textY: number;
  /** What a screen reader hears, and the tooltip. */
  label: string;
}

export interface FrontierChart extends Size {
  margin: Margin;
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  /** Frontier points first (by friction), then the rest: the tab order. */
  points: ChartPoint[];
  /** The view's frontier (viewFrontier): candidate indices by friction, what the keyboard moves along. */
  frontier: number[];
  /** The frontier as a step line through its points. */
  frontierPath: string;
  /** On a class's view: its target, as a horizontal line at `y` (null when above the chart, said in `note`). */
  /** The class's target line; its label at `x`, anchored at its end or its start, wherever it covers fewer points. */
  target: { y: number | null; text: string; x: number; anchor: 'start' | 'end'; note: string | null } | null;
}

const MARGIN: Margin = { top: 16, right: 24, bottom: 52, left: 72 };

/** Numbers as the screen shows them: whole from 100, one decimal from 1, two below. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? String(Math.round(x)) : a >= 1 ? x.toFixed(1) : a === 0 ? '0' : x.toFixed(2);
}

/** A set's name: its controls joined, or the workflow as it is. */
export function setName(controls: readonly string[]): string {
  return controls.length ? controls.join(' + ') : 'the workflow as it is';
}

/** An estimate as "mean [lo, hi]". */
export function estimateText(e: { mean: number; lo: number; hi: number; n: number }): string {
  return e.n > 1 ? `${num(e.mean)} [${num(e.lo)}, ${num(e.hi)}]` : num(e.mean);
}

/** The classes each candidate is the least-friction choice for. */
export function chosenFor(report: ApiTradeoff): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const c of report.choices) if (c.candidate !== null) out.set(c.candidate, [...(out.get(c.candidate) ?? []), c.accountClass]);
  return out;
}

/**
 * Whose risk the chart plots: every account class together (null) or one class. A class's target
 * and its least-friction choice are about that class's risk, so they are drawn only on its view,
 * where the value axis is that risk.
 */
export type RiskView = string | null;

/** The views a report offers: all classes, then each class it has takeovers of (value '' for all). */
export function riskViews(report: ApiTradeoff): { value: string; label: string }[] {
  return [{ value: '', label: 'All classes' }, ...report.classes.map((cls) => ({ value: cls, label: className(cls) }))];
}

/**
 * The view shown first: of the classes with a least-friction choice, the one most at risk in the
 * workflow as it is (the candidate that adds nothing), where the choice matters most; all classes
 * when no class has a choice.
 */
export function initialView(report: ApiTradeoff): RiskView {
  const asIs = report.points.find((p) => p.controls.length === 0) ?? report.points[0];
  const stake = (cls: string) => (asIs ? riskIn(asIs, cls).mean : 0);
  let best: string | null = null;
  for (const c of report.choices) if (c.candidate !== null && (best === null || stake(c.accountClass) > stake(best))) best = c.accountClass;
  return best;
}

type Estimate = ApiTradeoffPoint['risk'];
const NO_RISK: Estimate = { mean: 0, lo: 0, hi: 0, n: 0 };

/** A point's risk in a view. */
export function riskIn(p: ApiTradeoffPoint, view: RiskView): Estimate {
  return view === null ? p.risk : (p.riskByClass[view] ?? NO_RISK);
}

/** The non-dominated points of a view (friction against its risk), by friction: the report's own frontier for all classes. */
export function viewFrontier(report: ApiTradeoff, view: RiskView): number[] {
  if (view === null) return report.frontier;
  return paretoFrontier(report.points.map((p) => ({ friction: p.friction.expectedMinutes, risk: riskIn(p, view).mean })));
}

/** The risk axis's title in a view. */
function riskLabel(view: RiskView): string {
  return view === null ? 'Risk: takeovers per 1000 days, all classes' : `Risk: ${className(view)} takeovers per 1000 days`;
}

/**
 * The risk-versus-friction chart of a view: x friction (minutes per request), y the view's risk
 * (takeovers per 1000 days), its frontier, and on a class's view that class's target as a line and
 * its least-friction choice.
 */
export function frontierChart(report: ApiTradeoff, size: Size, view: RiskView = null): FrontierChart {
  const m = MARGIN;
  const risk = (p: ApiTradeoffPoint) => riskIn(p, view);
  const choice = view === null ? null : (report.choices.find((c) => c.accountClass === view) ?? null);
  const maxX = Math.max(1, ...report.points.map((p) => p.friction.expectedMinutes));
  const maxHi = Math.max(1, ...report.points.map((p) => risk(p).hi));
  // The target line is drawn when it fits near the points; one far above every point would crush
  // them against the axis, so it is said in words instead.
  const targetShown = choice !== null && choice.target <= 3 * maxHi;
  const maxY = targetShown ? Math.max(maxHi, choice.target) : maxHi;
  // Square-root friction: the cheap sets, where the choices are, are not crushed against the axis
  // by a delay control costing hours; the ticks say the real minutes.
  const x = scaleSqrt().domain([0, maxX]).nice().range([m.left, size.width - m.right]);
  const y = scaleLinear().domain([0, maxY]).nice().range([size.height - m.bottom, m.top]);
  const frontier = viewFrontier(report, view);
  const onFrontier = new Set(frontier);
  const chosen = choice?.candidate ?? null;
  const roleOf = (i: number): PointRole => (i === chosen ? 'chosen' : onFrontier.has(i) ? 'frontier' : 'dominated');
  const shapes = { chosen: symbol(symbolSquare, 150), frontier: symbol(symbolDiamond, 110), dominated: symbol(symbolCircle, 40) };
  const order = [...frontier, ...report.points.map((p) => p.index).filter((i) => !onFrontier.has(i))];
  const whose = view === null ? 'takeovers per 1000 days, all classes' : `${className(view)} takeovers per 1000 days`;
  const points = order.map((i): ChartPoint => {
    const p = report.points[i]!;
    const role = roleOf(i);
    const where = [onFrontier.has(i) ? 'on the frontier' : 'dominated', ...(role === 'chosen' ? ['least friction meeting the target'] : [])].join('; ');
    return {
      index: i,
      x: x(p.friction.expectedMinutes),
      y: y(risk(p).mean),
      yLo: y(risk(p).lo),
      yHi: y(risk(p).hi),
      role,
      frontier: onFrontier.has(i),
      symbol: shapes[role]() ?? '',
      text: role === 'dominated' ? '' : `#${i}${role === 'chosen' ? ' ✓ least friction under target' : ''}`,
      textX: 0,
      textY: 0,
      label: `Candidate ${i}: ${setName(p.controls)}; ${num(p.friction.expectedMinutes)} minutes per request; ${estimateText(risk(p))} ${whose}; ${where}`,
    };
  });
  // The target's label sits above its line at the right end, or at the left end when points lie
  // under it there (costly sets that meet the target cluster at the right); point labels keep clear of it.
  const target = choice === null ? null : targetLabel(choice.target, targetShown ? y(choice.target) : null, points, m.left, size.width - m.right);
  placeLabels(points, size.width, target?.box ? [target.box] : []);
  const front = frontier.map((i) => report.points[i]!);
  // A step line: from each frontier point, risk holds until the next point's friction buys the drop.
  const steps: [number, number][] = [];
  front.forEach((p, k) => {
    if (k > 0) steps.push([x(p.friction.expectedMinutes), y(risk(front[k - 1]!).mean)]);
    steps.push([x(p.friction.expectedMinutes), y(risk(p).mean)]);
  });
  return {
    ...size,
    margin: m,
    xTicks: x.ticks(8).map((t) => ({ at: x(t), label: x.tickFormat(8)(t) })),
    yTicks: y.ticks(5).map((t) => ({ at: y(t), label: y.tickFormat(5)(t) })),
    xLabel: 'Friction: expected minutes added per legitimate request (square-root scale)',
    yLabel: riskLabel(view),
    points,
    frontier,
    frontierPath: line()(steps) ?? '',
    target:
      target === null || choice === null
        ? null
        : { y: target.y, text: target.text, x: target.x, anchor: target.anchor, note: targetShown ? null : `The target, ${num(choice.target)} per 1000 days, is above every candidate's interval: every candidate meets it.` },
  };
}

/** Rough width of the labels' 13 px text, for keeping labels apart (DejaVu Sans averages about 7.8 px a character). */
const textWidth = (t: string) => t.length * 7.8;

type Box = { x0: number; x1: number; y0: number; y1: number };

/** The target line's label: at the line's right end unless more points lie under it there than at its left end. */
function targetLabel(target: number, y: number | null, points: readonly ChartPoint[], left: number, right: number): { y: number | null; text: string; x: number; anchor: 'start' | 'end'; box: Box | null } {
  const text = `target ${num(target)}`;
  if (y === null) return { y, text, x: right, anchor: 'end', box: null };
  const w = textWidth(text);
  // The text's box above the line, with the 7 px a point's symbol reaches around its centre.
  const boxAt = (x0: number): Box => ({ x0, x1: x0 + w, y0: y - 5 - 12, y1: y - 5 + 3 });
  const covered = (b: Box) => points.filter((p) => p.x + 7 > b.x0 && p.x - 7 < b.x1 && p.y + 7 > b.y0 && p.y - 7 < b.y1).length;
  const atRight = boxAt(right - w);
  const atLeft = boxAt(left + 6);
  return covered(atLeft) < covered(atRight) ? { y, text, x: left + 6, anchor: 'start', box: atLeft } : { y, text, x: right, anchor: 'end', box: atRight };
}

/**
 * Puts each label to the right of its point (to its left when it would pass the chart's right edge
 * `width`), moved up or down in 15 px steps (up to six) until it overlaps no label placed before it;
 * labels of frontier points are placed first; none overlaps an `obstacle` (the target's label).
 */
export function placeLabels(points: ChartPoint[], width = Infinity, obstacles: readonly Box[] = []): void {
  const placed: Box[] = [...obstacles];
  for (const p of points) {
    if (!p.text) continue;
    const w = textWidth(p.text);
    const x0 = p.x + 9 + w > width ? Math.max(0, p.x - 9 - w) : p.x + 9;
    const x1 = x0 + w;
    const offsets = [-8, 8, -23, 23, -38, 38, -53, 53, -68, 68];
    let y = p.y - 8;
    for (const dy of offsets) {
      const base = p.y + dy;
      if (!placed.some((b) => x0 < b.x1 && b.x0 < x1 && base - 12 < b.y1 && b.y0 < base + 3)) {
        y = base;
        break;
      }
    }
    placed.push({ x0, x1, y0: y - 12, y1: y + 3 });
    p.textX = x0;
    p.textY = y;
  }
}

/**
 * The candidate a key moves to from `current`: left and right step along the frontier `f` (the
 * view's, viewFrontier) by friction (from a dominated point, to the frontier point of nearest
 * friction), Home and End to its ends.
 */
export function moveAlongFrontier(report: ApiTradeoff, current: number, key: string, f: readonly number[] = report.frontier): number | null {
  if (f.length === 0) return null;
  const at = f.indexOf(current);
  if (key === 'Home') return f[0]!;
  if (key === 'End') return f[f.length - 1]!;
  if (key !== 'ArrowRight' && key !== 'ArrowLeft' && key !== 'ArrowUp' && key !== 'ArrowDown') return null;
  const forward = key === 'ArrowRight' || key === 'ArrowDown';
  if (at >= 0) return f[Math.max(0, Math.min(f.length - 1, at + (forward ? 1 : -1)))]!;
  const fr = report.points[current]?.friction.expectedMinutes ?? 0;
  const nearest = f.reduce((best, i) => (Math.abs(report.points[i]!.friction.expectedMinutes - fr) < Math.abs(report.points[best]!.friction.expectedMinutes - fr) ? i : best), f[0]!);
  return nearest;
}

/**
 * The point shown first: the least-friction choice of the class most at risk in the workflow as it
 * is (of those with a choice), else the frontier's riskiest end.
 */
export function initialPoint(report: ApiTradeoff): number | null {
  const view = initialView(report);
  const c = view === null ? undefined : report.choices.find((x) => x.accountClass === view);
  return c ? c.candidate : (report.frontier[0] ?? null);
}

export interface PointDetails {
  index: number;
  name: string;
  controls: { id: string; note: string }[];
  risk: string;
  /** `name`: the class in words. */
  byClass: { accountClass: string; name: string; risk: string; target: number | null; meets: boolean | null }[];
  friction: string;
  failShare: string;
  status: string;
  recovery: { accountClass: string; name: string; median: string; failed: string }[];
}

/**
 * A candidate in words: its controls, its risk with interval (all classes and each), its friction and
 * where it stands in a view (on the view's frontier, which a chart of the view already holds).
 */
export function pointDetails(report: ApiTradeoff, index: number, view: RiskView = null, frontier: readonly number[] = viewFrontier(report, view)): PointDetails {
  const p: ApiTradeoffPoint = report.points[index]!;
  const chosen = (chosenFor(report).get(index) ?? []).map(className);
  const whose = view === null ? 'all-class risk' : `${className(view)} risk`;
  const status = [
    frontier.includes(index) ? `On the Pareto frontier of ${whose}` : `Dominated in ${whose}: another candidate has no more friction and no more risk`,
    ...(p.minimal ? ['a minimal set of the exact analysis'] : []),
    ...(chosen.length ? [`the least-friction set meeting the target for ${chosen.join(', ')}`] : []),
  ].join('; ');
  return {
    index,
    name: setName(p.controls),
    controls: p.controls.map((id) => ({ id, note: p.added.includes(id) ? 'added where the workflow lacks it' : 'already wherever it can sit: made system-enforced at hardened strength' })),
    risk: `${estimateText(p.risk)} takeovers per 1000 days`,
    byClass: report.classes.map((cls) => {
      const target = report.choices.find((c) => c.accountClass === cls)?.target ?? null;
      const e = p.riskByClass[cls]!;
      return { accountClass: cls, name: className(cls), risk: estimateText(e), target, meets: target === null ? null : e.hi <= target };
    }),
    friction: `${num(p.friction.expectedMinutes)} expected minutes per legitimate request (${num(p.friction.minutes)} min of controls added)`,
    failShare: `${num(p.friction.failShare * 100)}% of legitimate requests fail a control it adds`,
    status: `${status}.`,
    recovery: Object.entries(p.legit).map(([cls, l]) => ({
      accountClass: cls,
      name: className(cls),
      median: l.recoveryMedianMinutes === null ? 'none recovered' : `${num(l.recoveryMedianMinutes)} min`,
      failed: l.failureRate === null ? '–' : `${num(l.failureRate * 100)}%`,
    })),
  };
}

export interface HourBar {
  hour: number;
  x: number;
  width: number;
  y: number;
  height: number;
  value: number;
  label: string;
}

export interface HourChart extends Size {
  margin: Margin;
  title: string;
  unit: string;
  bars: HourBar[];
  /** Every value is zero: said in words, since an empty chart reads as missing. */
  empty: boolean;
  xTicks: Tick[];
  yTicks: Tick[];
}

/** A bar per hour of the simulated day (00 .. 23) for a series such as queue length or takeovers per day. */
export function hourChart(values: readonly number[], size: Size, title: string, unit: string): HourChart {
  const m: Margin = { top: 12, right: 12, bottom: 40, left: 56 };
  const x = scaleBand<number>()
    .domain(values.map((_, h) => h))
    .range([m.left, size.width - m.right])
    .padding(0.15);
  const max = Math.max(...values, 0);
  const y = scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice()
    .range([size.height - m.bottom, m.top]);
  return {
    ...size,
    margin: m,
    title,
    unit,
    empty: max === 0,
    bars: values.map((v, h) => ({ hour: h, x: x(h)!, width: x.bandwidth(), y: y(v), height: y(0) - y(v), value: v, label: `${String(h).padStart(2, '0')}:00 ${num(v)} ${unit}` })),
    xTicks: values.map((_, h) => h).filter((h) => h % 3 === 0).map((h) => ({ at: x(h)! + x.bandwidth() / 2, label: String(h).padStart(2, '0') })),
    yTicks: y.ticks(4).map((t) => ({ at: y(t), label: y.tickFormat(4)(t) })),
  };
}
