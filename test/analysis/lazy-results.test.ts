// A class's example paths and explained gaps are made concrete when first read (analysis/lazy.ts):
// a screen reads them a class at a time, a JSON report reads them all. Whether and when they were
// read must never show: the same fields, in the same order, with the same values.
import { describe, expect, it } from 'vitest';
import { AnalysisCache, analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { jsonOut } from '../../cli/text.ts';
import { bundledScenarios, bundledWorkflow, bundledWorkflowIds } from '../renderer/library.ts';

const scenarios = bundledScenarios();
const weak = bundledWorkflow('mfa-reenrollment-phone.weak');
const report = () => buildAnalysisReport([analyzeWorkflow(weak, scenarios)]);
const classesOf = (r: ReturnType<typeof report>) => r.workflows[0]!.scenarios.flatMap((s) => s.classes);

describe('lazily made examples and gaps', () => {
  it('give the same JSON report whether or not a screen read some classes first', () => {
    const untouched = jsonOut(report());
    const read = report();
    const classes = classesOf(read);
    expect(classes.length).toBeGreaterThan(3);
    // A screen opens every other class: its gaps, then its examples.
    for (const c of classes.filter((_, i) => i % 2 === 0)) {
      expect(c.gaps.length).toBeGreaterThan(0);
      expect(c.examples.length).toBeGreaterThan(0);
    }
    expect(jsonOut(read)).toBe(untouched);
  });

  it('keep a report class\'s fields in their place once read, and give the same objects on every read', () => {
    const c = classesOf(report())[0]!;
    const before = Object.keys(c);
    expect(before.indexOf('gaps')).toBeLessThan(before.indexOf('examples'));
    const examples = c.examples;
    const gaps = c.gaps;
    expect(Object.keys(c)).toEqual(before);
    expect(c.examples).toBe(examples);
    expect(c.gaps).toBe(gaps);
    expect(Object.getOwnPropertyDescriptor(c, 'examples')).toMatchObject({ value: examples, writable: true, enumerable: true, configurable: true });
  });

  it('are the same when the analysis let go of its own cache and counterfactual workflows before they were read', () => {
    // An analysis without a session cache releases the cache it made, and every analysis its
    // counterfactual workflows, when it returns (analyzeWorkflow): what a lazy part reads afterwards
    // is made again by content. A session's cache is kept: both must give the same report.
    for (const wf of bundledWorkflowIds().filter((_, i) => i % 3 === 0).map(bundledWorkflow)) {
      const released = jsonOut(buildAnalysisReport([analyzeWorkflow(wf, scenarios)]));
      const kept = jsonOut(buildAnalysisReport([analyzeWorkflow(wf, scenarios, { cache: new AnalysisCache() })]));
      expect(released, wf.id).toBe(kept);
    }
  });

  it('show only their fields before they are read: no hidden state in keys, spreads, structured clones or deep equality', () => {
    const analysis = analyzeWorkflow(weak, scenarios);
    const c = analysis.scenarios.flatMap((s) => s.classes)[0]!;
    const out = classesOf(buildAnalysisReport([analysis]))[0]!;
    for (const x of [c, out] as object[]) {
      const keys = Object.keys(x);
      expect(Object.keys({ ...x })).toEqual(keys);
      expect(Object.keys(structuredClone(x))).toEqual(keys);
      expect({ ...x }).toEqual(x);
    }
  });

  it('read their state through accessors shared by every class, never a closure made per class', () => {
    // A getter made per object closes over the scenario's state graph and attribution; V8's young-
    // generation collector keeps what such accessors reach alive until a full collection, so each
    // what-if's scaffolding outlived it (analysis/lazy.ts, lazyField). One pair of functions for all.
    // Of the fields not read yet (a campaign's stages read their classes' examples during the analysis).
    const accessors = (xs: object[], key: string) => new Set(xs.map((x) => Object.getOwnPropertyDescriptor(x, key)?.get).filter((g) => g !== undefined));
    const analysis = analyzeWorkflow(weak, scenarios);
    const classes = analysis.scenarios.flatMap((s) => s.classes);
    expect(classes.length).toBeGreaterThan(3);
    expect(accessors(classes, 'examples').size).toBe(1);
    const outs = classesOf(buildAnalysisReport([analysis]));
    expect(accessors(outs, 'examples').size).toBe(1);
    expect(accessors(outs, 'gaps').size).toBe(1);
    expect([...accessors(outs, 'gaps')][0]).toBeTypeOf('function');
  });

  it('let a class\'s examples be replaced before they are read, as a plain field', () => {
    const [c] = analyzeWorkflow(weak, scenarios).scenarios.flatMap((s) => s.classes);
    c!.examples = [];
    expect(c!.examples).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(c!, 'examples')).toMatchObject({ value: [], writable: true, enumerable: true });
  });
});
