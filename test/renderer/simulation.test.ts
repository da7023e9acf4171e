// The simulation screen's computations: the frontier chart (axes with units, shapes and text for
// each role, the interval of every point), keyboard moves along the frontier, a point in words, and
// the per-hour charts of a simulated day.
import { describe, expect, it } from 'vitest';
import { tradeoff } from '../../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { tradeoffForApi } from '../../backend/simulationService.ts';
import { API } from '../../contract/index.ts';
import { className } from '../../renderer/compute/format.ts';
import { frontierChart, hourChart, initialPoint, initialView, moveAlongFrontier, num, placeLabels, pointDetails, riskIn, riskViews, viewFrontier, type ChartPoint } from '../../renderer/compute/computeSimulation.ts';

const profile = loadBundledDeskProfiles().find((p) => p.id === 'in-house-20')!;
const report = tradeoffForApi(
  tradeoff(
    { workflow: loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!, scenarios: loadBundledScenarios(), profile: { ...profile, hostile: { perDay: 40, hourlyWeights: null } }, days: 2 },
    3,
    11,
    { maxCandidates: 12, targets: { privileged_admin: 0 }, defaultTarget: 200 },
  ),
);
const size = { width: 720, height: 420 };

describe('the frontier chart', () => {
  it('is built from a report the contract accepts', () => {
    expect(API['simulation.run'].response.safeParse(report).success).toBe(true);
  });

  it('puts friction on x and risk on y, both labelled with their units, every point inside the plot', () => {
    const c = frontierChart(report, size);
    expect(c.xLabel).toBe('Friction: expected minutes added per legitimate request (square-root scale)');
    expect(c.yLabel).toBe('Risk: takeovers per 1000 days, all classes');
    expect(c.xTicks.length).toBeGreaterThan(2);
    expect(c.yTicks[0]!.label).toBe('0');
    for (const p of c.points) {
      expect(p.x).toBeGreaterThanOrEqual(c.margin.left);
      expect(p.x).toBeLessThanOrEqual(size.width - c.margin.right);
      expect(p.y).toBeGreaterThanOrEqual(c.margin.top);
      expect(p.y).toBeLessThanOrEqual(size.height - c.margin.bottom);
      // Lower risk is lower on screen's value axis: the interval's low end is drawn below its high end.
      expect(p.yLo).toBeGreaterThanOrEqual(p.y);
      expect(p.yHi).toBeLessThanOrEqual(p.y);
    }
    // More friction is further right.
    const byIndex = new Map(c.points.map((p) => [p.index, p]));
    const [a, b] = [...report.points].sort((x, y) => x.friction.expectedMinutes - y.friction.expectedMinutes).filter((p, i, all) => i === 0 || i === all.length - 1);
    if (a!.friction.expectedMinutes < b!.friction.expectedMinutes) expect(byIndex.get(a!.index)!.x).toBeLessThan(byIndex.get(b!.index)!.x);
  });

  it('draws every candidate once, frontier first in tab order, each role with its own shape and the chosen and frontier points with text', () => {
    const c = frontierChart(report, size);
    expect(c.points.map((p) => p.index).sort((x, y) => x - y)).toEqual(report.points.map((p) => p.index));
    expect(c.points.slice(0, report.frontier.length).map((p) => p.index)).toEqual(report.frontier);
    const shapeOf = new Map<string, string>();
    for (const p of c.points) {
      expect(p.symbol).toMatch(/^M/);
      if (shapeOf.has(p.role)) expect(p.symbol).toBe(shapeOf.get(p.role));
      shapeOf.set(p.role, p.symbol);
      if (p.role !== 'dominated') expect(p.text).toMatch(new RegExp(`^#${p.index}`));
      expect(p.label).toMatch(new RegExp(`^Candidate ${p.index}: .+ minutes per request; .+ takeovers per 1000 days, all classes; `));
    }
    expect(new Set(shapeOf.values()).size).toBe(shapeOf.size);
    expect(c.frontierPath).toMatch(/^M[\d.]+,[\d.]+/);
  });
});

describe('the chart by whose risk it plots', () => {
  const withChoice = report.choices.filter((ch) => ch.candidate !== null);

  it('offers all classes and each class of the report, in words, and starts on the class of the point picked first', () => {
    expect(riskViews(report)).toEqual([{ value: '', label: 'All classes' }, ...report.classes.map((cls) => ({ value: cls, label: className(cls) }))]);
    expect(withChoice.length).toBeGreaterThan(0);
    const view = initialView(report)!;
    expect(withChoice.map((c) => c.accountClass)).toContain(view);
    expect(report.points[initialPoint(report)!]!.riskByClass[view]!.hi).toBeLessThanOrEqual(report.choices.find((c) => c.accountClass === view)!.target);
    // With no class's target met by any candidate, the chart starts on all classes.
    expect(initialView({ ...report, choices: report.choices.map((c) => ({ ...c, candidate: null })) })).toBeNull();
  });

  it('on all classes plots every class together, marks no class\'s choice and draws no target: a class\'s target is about its own risk', () => {
    const c = frontierChart(report, size, null);
    expect(c.points.every((p) => p.role !== 'chosen')).toBe(true);
    expect(c.target).toBeNull();
    for (const p of c.points) expect(p.text).not.toMatch(/✓/);
    expect(viewFrontier(report, null)).toEqual(report.frontier);
  });

  it('on a class plots that class\'s risk, its own frontier, its target as a line and its least-friction choice, every height agreeing with the axis', () => {
    for (const cls of report.classes) {
      const c = frontierChart(report, size, cls);
      const choice = report.choices.find((ch) => ch.accountClass === cls)!;
      expect(c.yLabel).toBe(`Risk: ${className(cls)} takeovers per 1000 days`);
      // The frontier is of the class's risk: no point has both less friction and less class risk than a frontier point.
      const f = viewFrontier(report, cls);
      for (const i of f) {
        const p = report.points[i]!;
        expect(report.points.some((q) => q.friction.expectedMinutes <= p.friction.expectedMinutes && riskIn(q, cls).mean < riskIn(p, cls).mean)).toBe(false);
      }
      expect(c.points.slice(0, f.length).map((p) => p.index)).toEqual(f);
      // Heights follow the class's risk: a point of higher class risk is drawn higher (smaller y).
      const byIndex = new Map(c.points.map((p) => [p.index, p]));
      const sorted = [...report.points].sort((a, b) => riskIn(a, cls).mean - riskIn(b, cls).mean);
      expect(byIndex.get(sorted[0]!.index)!.y).toBeGreaterThanOrEqual(byIndex.get(sorted.at(-1)!.index)!.y);
      const chosen = c.points.filter((p) => p.role === 'chosen');
      if (choice.candidate === null) expect(chosen).toEqual([]);
      else {
        expect(chosen.map((p) => p.index)).toEqual([choice.candidate]);
        expect(chosen[0]!.text).toBe(`#${choice.candidate} ✓ least friction under target`);
        // The chosen point's interval lies at or under the target line.
        if (c.target!.y !== null) expect(chosen[0]!.yHi).toBeGreaterThanOrEqual(c.target!.y - 1e-9);
      }
      expect(c.target!.text).toBe(`target ${num(choice.target)}`);
    }
  });

  it('says a target far above every candidate in words instead of squashing the points under its line', () => {
    const far = { ...report, choices: report.choices.map((ch) => ({ ...ch, target: 1_000_000 })) };
    const cls = report.classes[0]!;
    const c = frontierChart(far, size, cls);
    expect(c.target).toMatchObject({ y: null, note: expect.stringContaining('above every candidate') });
    expect(Math.min(...c.points.map((p) => p.yHi))).toBeLessThan(size.height / 2);
  });

  it('writes the target on its line where no point lies under the words, and keeps point labels off them', () => {
    const cls = report.classes.find((k) => report.choices.find((ch) => ch.accountClass === k)!.target > 0)!;
    const target = report.choices.find((ch) => ch.accountClass === cls)!.target;
    // The costliest candidate put on the target line: at the line's right end, where its words would go.
    const costliest = report.points.reduce((a, b) => (b.friction.expectedMinutes > a.friction.expectedMinutes ? b : a));
    const on = (e: { mean: number; lo: number; hi: number; n: number }) => ({ ...e, mean: target, lo: target, hi: target });
    const crowded = { ...report, points: report.points.map((p) => (p === costliest ? { ...p, risk: on(p.risk), riskByClass: { ...p.riskByClass, [cls]: on(p.riskByClass[cls]!) } } : p)) };
    const c = frontierChart(crowded, size, cls);
    const t = c.target!;
    expect(t.y).not.toBeNull();
    expect(t.anchor).toBe('start');
    const w = t.text.length * 7.8;
    const box = { x0: t.x, x1: t.x + w, y0: t.y! - 17, y1: t.y! - 2 };
    for (const p of c.points) {
      expect(p.x + 7 > box.x0 && p.x - 7 < box.x1 && p.y + 7 > box.y0 && p.y - 7 < box.y1, `point #${p.index} under the target's words`).toBe(false);
      if (p.text) expect(p.textX < box.x1 && box.x0 < p.textX + p.text.length * 7.8 && p.textY - 12 < box.y1 && box.y0 < p.textY + 3, `label of #${p.index}`).toBe(false);
    }
  });

  it('moves the keyboard along the frontier of the view shown', () => {
    const cls = report.classes.find((k) => viewFrontier(report, k).join() !== report.frontier.join()) ?? report.classes[0]!;
    const f = viewFrontier(report, cls);
    expect(moveAlongFrontier(report, f[0]!, 'End', f)).toBe(f.at(-1));
    expect(moveAlongFrontier(report, f.at(-1)!, 'Home', f)).toBe(f[0]);
    expect(pointDetails(report, f[0]!, cls).status).toMatch(new RegExp(`^On the Pareto frontier of ${className(cls)} risk`));
  });
});

describe('keyboard and details', () => {
  it('moves along the frontier with the arrow keys, Home and End, and from a dominated point to the frontier point of nearest friction', () => {
    const f = report.frontier;
    expect(moveAlongFrontier(report, f[0]!, 'ArrowLeft')).toBe(f[0]);
    expect(moveAlongFrontier(report, f[0]!, 'End')).toBe(f.at(-1));
    expect(moveAlongFrontier(report, f.at(-1)!, 'Home')).toBe(f[0]);
    if (f.length > 1) expect(moveAlongFrontier(report, f[0]!, 'ArrowRight')).toBe(f[1]);
    expect(moveAlongFrontier(report, f[0]!, 'a')).toBeNull();
    const dominated = report.points.find((p) => !f.includes(p.index));
    if (dominated) expect(f).toContain(moveAlongFrontier(report, dominated.index, 'ArrowRight'));
  });

  it('starts on the least-friction choice of the class most at risk in the workflow as it is', () => {
    const asIs = report.points.find((p) => p.controls.length === 0)!;
    const withChoice = report.choices.filter((c) => c.candidate !== null);
    const most = Math.max(...withChoice.map((c) => asIs.riskByClass[c.accountClass]!.mean));
    const view = initialView(report)!;
    expect(asIs.riskByClass[view]!.mean).toBe(most);
    expect(initialPoint(report)).toBe(report.choices.find((c) => c.accountClass === view)!.candidate);
  });

  it('lists a point\'s controls (added or already there), its risk with interval per class against the target, and its friction', () => {
    const i = initialPoint(report)!;
    const d = pointDetails(report, i);
    const p = report.points[i]!;
    expect(d.controls.map((c) => c.id)).toEqual(p.controls);
    for (const c of d.controls) expect(c.note).toBe(p.added.includes(c.id) ? 'added where the workflow lacks it' : 'already wherever it can sit: made system-enforced at hardened strength');
    expect(d.risk).toMatch(/^[\d.]+ \[[\d.]+, [\d.]+\] takeovers per 1000 days$/);
    expect(d.byClass.map((c) => c.accountClass)).toEqual(report.classes);
    // Classes are named in words on the screen, never by their identifiers.
    expect(d.byClass.map((c) => c.name)).toEqual(report.classes.map(className));
    for (const c of d.byClass) expect(c.name).not.toMatch(/_/);
    for (const c of d.byClass) expect(c.meets).toBe(p.riskByClass[c.accountClass]!.hi <= c.target!);
    expect(d.friction).toMatch(/expected minutes per legitimate request/);
    expect(d.status).toMatch(/least-friction set meeting the target for/);
    expect(d.status).toMatch(report.frontier.includes(i) ? /^On the Pareto frontier of all-class risk/ : /^Dominated in all-class risk/);
    expect(pointDetails(report, 0).name).toBe('the workflow as it is');
  });

  it('calls a point dominated only with what is true of it: another point has no more friction and no more risk (equal risk included)', () => {
    const f = (p: (typeof report.points)[number]) => p.friction.expectedMinutes;
    const r = (p: (typeof report.points)[number]) => riskIn(p, null).mean;
    for (const p of report.points) {
      const d = pointDetails(report, p.index);
      if (!d.status.startsWith('Dominated')) continue;
      expect(d.status).toMatch(/another candidate has no more friction and no more risk([;.]|$)/);
      expect(report.points.some((q) => q !== p && f(q) <= f(p) && r(q) <= r(p)), `point ${p.index}`).toBe(true);
    }
  });

  it('writes numbers plainly: integers as they are, whole from 100, one decimal from 1, two below', () => {
    expect([num(0), num(10), num(0.123), num(3.14159), num(254.6), num(Number.NaN)]).toEqual(['0', '10', '0.12', '3.1', '255', '–']);
  });
});

describe('the simulated day', () => {
  it('has a bar per hour, heights in proportion to the values, hours labelled every three', () => {
    const values = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? h - 7 : 0));
    const c = hourChart(values, { width: 460, height: 180 }, 'Queue length by hour of day', 'requests waiting');
    expect(c.bars).toHaveLength(24);
    const base = c.height - c.margin.bottom;
    for (const b of c.bars) {
      expect(b.y + b.height).toBeCloseTo(base, 6);
      expect(b.label).toMatch(/^\d{2}:00 .+ requests waiting$/);
    }
    expect(c.bars[17]!.height).toBeCloseTo(c.bars[8]!.height * 10, 6);
    expect(c.bars[0]!.height).toBe(0);
    expect(c.xTicks.map((t) => t.label)).toEqual(['00', '03', '06', '09', '12', '15', '18', '21']);
    expect(c.empty).toBe(false);
    // An all-zero day still has an axis, and says it is empty.
    const none = hourChart(new Array<number>(24).fill(0), { width: 460, height: 180 }, 't', 'u');
    expect(none.yTicks.length).toBeGreaterThan(1);
    expect(none.empty).toBe(true);
  });
});

describe('labels of the chart', () => {
  it('never puts two labels over each other when their points are close', () => {
    const c = frontierChart(report, size);
    const boxes = c.points.filter((p) => p.text).map((p) => ({ x0: p.textX, x1: p.textX + p.text.length * 7.2, y0: p.textY - 12, y1: p.textY + 3 }));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1, `labels ${i} and ${j}`).toBe(false);
    }
  });
});

describe('placeLabels at the chart edge', () => {
  const point = (x: number, y: number, text: string) => ({ index: 0, x, y, yLo: y, yHi: y, role: 'frontier', frontier: true, symbol: '', text, textX: 0, textY: 0, label: text }) as unknown as ChartPoint;

  it('puts a label that would pass the right edge to the left of its point, and keeps the others to the right', () => {
    const near = point(850, 300, '#2 ✓ standard_employee');
    const far = point(100, 300, '#0 ✓ privileged_admin');
    placeLabels([near, far], 880);
    expect(near.textX + near.text.length * 7.8).toBeLessThanOrEqual(850 - 9 + 0.001);
    expect(far.textX).toBe(109);
    // Without a width (as before), both go to the right.
    placeLabels([near], Infinity);
    expect(near.textX).toBe(859);
  });
});
