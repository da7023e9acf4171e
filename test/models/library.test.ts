// The bundled workflow library (models/library/): every file loads cleanly, compiles to an XState
// machine, and that machine runs from the request to a final end state along the legitimate path of
// every account class the workflow serves. The library is data, so this test lists the folder
// instead of naming files: a new workflow is covered as soon as it is added.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  ACCOUNT_CLASS_IDS,
  compileWorkflow,
  CONTROL_GUARDS,
  ROUTING_STEP_NAME,
  formatIssue,
  loadWorkflowText,
  STEP_EVENTS,
  type AccountClass,
  type Step,
  type Verdict,
  type Workflow,
  type WorkflowEvent,
} from '../../models/index.ts';

const LIBRARY = fileURLToPath(new URL('../../models/library/', import.meta.url));
const FILES = readdirSync(LIBRARY)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

function loadResult(file: string) {
  return loadWorkflowText(readFileSync(join(LIBRARY, file), 'utf8'), `models/library/${file}`);
}

function load(file: string): Workflow {
  const r = loadResult(file);
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  return r.value;
}

const WORKFLOWS = new Map(FILES.map((f) => [f, load(f)]));
const all = () => [...WORKFLOWS.values()];

/** Where a routing step sends a legitimate request: the target's class is also the claimed class. */
function routeTarget(step: Step, cls: AccountClass): string {
  const route = step.routes.find((r) => r.classes.includes(cls));
  if (!route) throw new Error(`routing step "${step.id}" has no route for ${cls}`);
  return route.to;
}

/** Follows routing steps (which the machine takes on its own) to the next step that needs an event. */
function settle(wf: Workflow, id: string, cls: AccountClass, visited: string[]): string {
  let cur = id;
  while (wf.steps[cur]!.kind === 'routing') {
    visited.push(cur);
    cur = routeTarget(wf.steps[cur]!, cls);
  }
  return cur;
}

/** Verdicts for every guard instance on a step. */
function verdicts(step: Step, v: Verdict): Record<string, Verdict> {
  return Object.fromEntries(step.controls.filter((c) => CONTROL_GUARDS[c.control]).map((c) => [c.key, v]));
}

function eventFor(step: Step, cls: AccountClass, v: Verdict): WorkflowEvent {
  if (step.kind === 'intake') {
    return { type: 'request.received' as const, channel: step.channels[0]!, targetClass: cls, claimedClass: cls, verdicts: verdicts(step, v) };
  }
  return { type: STEP_EVENTS[step.kind][0], verdicts: verdicts(step, v) };
}

interface Run {
  /** Steps of the legitimate path in the Workflow IR, from the start to the end step. */
  path: string[];
  /** Machine state after each event, to compare with the IR. */
  states: string[];
  expectedStates: string[];
  /** Guarded steps whose machine let the request through with every guard unmet (should be none). */
  leakyGuards: string[];
  final: { status: string; value: unknown };
  executed: boolean;
}

/**
 * Drives the compiled machine along the legitimate path of `cls`: at every step the pass event of
 * its kind (STEP_EVENTS) with "satisfied" for each guard instance, following `next` and the routes
 * of the IR. Before passing a guarded step it first sends the same event with every guard unmet,
 * which must leave the machine where it is.
 */
function drive(wf: Workflow, cls: AccountClass): Run {
  const actor = createActor(compileWorkflow(wf)).start();
  const path: string[] = [];
  const states: string[] = [];
  const expectedStates: string[] = [];
  const leakyGuards: string[] = [];
  let executed = false;
  let id = wf.start;
  for (let guard = 0; guard < wf.stepOrder.length * 2; guard++) {
    const step = wf.steps[id]!;
    if (step.kind === 'end') {
      path.push(id);
      break;
    }
    if (step.kind === 'routing') {
      id = settle(wf, id, cls, path);
      continue;
    }
    path.push(id);
    const guarded = Object.keys(verdicts(step, 'unmet')).length > 0;
    if (guarded && step.kind !== 'intake') {
      actor.send(eventFor(step, cls, 'unmet'));
      if (actor.getSnapshot().value !== id) leakyGuards.push(id);
    }
    actor.send(eventFor(step, cls, 'satisfied'));
    if (step.kind === 'execution') executed = true;
    id = settle(wf, step.next!, cls, path);
    expectedStates.push(id);
    states.push(String(actor.getSnapshot().value));
  }
  const snap = actor.getSnapshot();
  actor.stop();
  return { path, states, expectedStates, leakyGuards, final: { status: snap.status, value: snap.value }, executed };
}

const [family, variant] = [(f: string) => f.split('.')[0]!, (f: string) => f.split('.')[1]!];
const FAMILIES = [...new Set(FILES.map(family))].sort();

describe('the bundled workflow library', () => {
  it('holds workflow files', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(18);
  });

  it('has at least 8 families', () => {
    expect(FAMILIES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(FAMILIES)('offers family %s as a weak-as-found and a hardened variant', (fam) => {
    const variants = FILES.filter((f) => family(f) === fam).map(variant).sort();
    expect(variants).toEqual(['hardened', 'weak']);
  });

  it.each(FAMILIES)('serves the same account classes in the weak and hardened variants of %s', (fam) => {
    const weak = WORKFLOWS.get(`${fam}.weak.yaml`)!;
    const hardened = WORKFLOWS.get(`${fam}.hardened.yaml`)!;
    expect([...hardened.accountClasses].sort()).toEqual([...weak.accountClasses].sort());
  });

  it('covers every account class of the vocabulary, including non-human identities', () => {
    const served = new Set(all().flatMap((wf) => wf.accountClasses));
    expect([...served].sort()).toEqual([...ACCOUNT_CLASS_IDS].sort());
  });

  it('contains, among its weak variants, the gaps practitioners find most', () => {
    const weak = all().filter((wf) => wf.variant === 'weak');
    const instances = weak.flatMap((wf) => wf.stepOrder.flatMap((id) => wf.steps[id]!.controls.map((c) => ({ wf, step: wf.steps[id]!, c }))));
    const found = {
      proceduralCallback: instances.some(({ c }) => c.control === 'callback.number_on_file' && c.enforcement === 'procedural'),
      mobileCallbackWithoutSimSwapCheck: instances.some(
        ({ step, c }) => c.control === 'callback.number_on_file' && c.params['number_type'] === 'mobile' && !step.controls.some((x) => x.control === 'sim_swap.signal'),
      ),
      standingExceptionWithoutExpiry: weak.some((wf) => wf.exceptions.some((e) => !e.controls.some((c) => c.control === 'exception.expiry'))),
      dualApprovalWithoutSeparation: instances.some(({ c }) => c.control === 'approval.dual' && c.params['separation_enforced'] === false),
      knowledgeBasedProofing: instances.some(({ c }) => c.control === 'proofing.ial2' && c.params['method'] === 'kbv'),
      evidenceFromTicketField: instances.some(({ c }) => c.evidence === 'ticket_field'),
    };
    expect(found).toEqual({
      proceduralCallback: true,
      mobileCallbackWithoutSimSwapCheck: true,
      standingExceptionWithoutExpiry: true,
      dualApprovalWithoutSeparation: true,
      knowledgeBasedProofing: true,
      evidenceFromTicketField: true,
    });
  });
});

describe.each(FILES)('bundled workflow %s', (file) => {
  it('loads with no issues', () => {
    const r = loadResult(file);
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([]);
  });

  it('is named after its family and variant', () => {
    const wf = WORKFLOWS.get(file)!;
    expect(file).toBe(`${wf.family}.${wf.variant}.yaml`);
    expect(wf.id).toBe(`${wf.family}.${wf.variant}`);
  });

  it('describes what it models and cites its sources in the domain reference', () => {
    const wf = WORKFLOWS.get(file)!;
    expect(wf.description).toBeTruthy();
    expect(wf.sources.length).toBeGreaterThan(0);
    expect(wf.sources.every((s) => s.startsWith('domain-reference §'))).toBe(true);
  });

  it('compiles to an XState machine with one state per step', () => {
    const wf = WORKFLOWS.get(file)!;
    const machine = compileWorkflow(wf);
    for (const id of wf.stepOrder) expect(machine.root.states[id], `state for step ${id}`).toBeDefined();
  });

  it('starts at an intake step', () => {
    const wf = WORKFLOWS.get(file)!;
    expect(wf.steps[wf.start]!.kind).toBe('intake');
  });

  it.each(WORKFLOWS.get(file)!.accountClasses)('runs from the request to a final end state along the legitimate path of a %s', (cls) => {
    const wf = WORKFLOWS.get(file)!;
    const run = drive(wf, cls);
    expect(run.states).toEqual(run.expectedStates);
    expect(run.leakyGuards).toEqual([]);
    const last = run.path[run.path.length - 1]!;
    expect(wf.steps[last]!.kind).toBe('end');
    expect(run.final).toEqual({ status: 'done', value: last });
  });

  it('executes a reset on the legitimate path of at least one class it serves', () => {
    const wf = WORKFLOWS.get(file)!;
    expect(wf.accountClasses.some((cls) => drive(wf, cls).executed)).toBe(true);
  });
});

describe('step names', () => {
  it('name a routing step the file leaves unnamed for what it does, and any other step by its id', () => {
    const unnamedRouting = all().flatMap((w) => w.stepOrder.map((s) => w.steps[s]!)).filter((s) => s.kind === 'routing' && s.name === ROUTING_STEP_NAME);
    expect(unnamedRouting.length).toBeGreaterThan(0);
    const text = readFileSync(join(LIBRARY, 'standard-password-reset.weak.yaml'), 'utf8');
    const wf = load('standard-password-reset.weak.yaml');
    const route = wf.stepOrder.map((s) => wf.steps[s]!).find((s) => s.kind === 'routing')!;
    expect(text).not.toMatch(new RegExp(`id: ${route.id}\\n\\s+kind: routing\\n\\s+name:`));
    expect(route.name).toBe('Route by account class');
    for (const w of all()) for (const s of w.stepOrder.map((x) => w.steps[x]!)) if (s.kind !== 'routing') expect(s.name.trim(), `${w.id} ${s.id}`).not.toBe('');
  });
});
