// Loads a workflow file: syntax, schema, then the cross-references a schema cannot express
// (dangling transitions, duplicate ids, parameters against the catalogue, attach points).
import { CONTROL_IDS, getControl } from '../catalogue/controls.ts';
import type { ParamSpec, ParamValue } from '../catalogue/types.ts';
import { nonAsciiNote } from '../displayText.ts';
import { mergeIssues, ModelFileError, parseModelText, plainTextIssues, valueAt, zodIssues, type ModelIssue, type ParsedModel, type PathSeg } from '../files.ts';
import { RESET_ACTION_IDS, ROUTING_STEP_NAME, type OwnerRole, type StepKind } from '../vocabulary.ts';
import { workflowFileSchema, type ControlInstanceFile, type WorkflowFile } from './schema.ts';
import type { Actor, ControlInstance, ControlScope, Step, Workflow, WorkflowException } from './types.ts';

/** Step kinds that verify the requester: only these can say their verification is unknown. */
const VERIFYING_KINDS: readonly StepKind[] = ['proofing', 'step_up', 'callback', 'approval'];

export type LoadResult<T> = { ok: true; value: T } | { ok: false; issues: ModelIssue[] };

/** Fields of a workflow file that are prose: they may hold line breaks and tabs (names may not). */
const PROSE_FIELDS: ReadonlySet<string> = new Set(['description', 'note']);

/** Parses and validates workflow text; `file` is only used to name locations in errors. */
export function loadWorkflowText(text: string, file: string): LoadResult<Workflow> {
  const p = parseModelText(text, file);
  if (!p.ok) return p;
  return buildWorkflow(p.parsed);
}

/** Like loadWorkflowText but throws a ModelFileError (for library data that must be valid). */
export function loadWorkflowOrThrow(text: string, file: string): Workflow {
  const r = loadWorkflowText(text, file);
  if (!r.ok) throw new ModelFileError(r.issues);
  return r.value;
}

function buildWorkflow(parsed: ParsedModel): LoadResult<Workflow> {
  // Names and texts are plain text (models/displayText.ts), in every field, not only the name; and
  // a parameter name is a parameter of the control, even one the schema would drop unseen.
  const early = mergeIssues(plainTextIssues(parsed, PROSE_FIELDS), unknownParamIssues(parsed));
  const res = workflowFileSchema.safeParse(parsed.value);
  if (!res.success) return { ok: false, issues: mergeIssues(early, zodIssues(parsed, res.error, workflowFileSchema)) };
  const wf = res.data;
  const issues: ModelIssue[] = [];
  const at = (path: PathSeg[], msg: string) => issues.push(parsed.at(path, msg));

  const actors: Record<string, Actor> = {};
  wf.actors.forEach((a, i) => {
    if (actors[a.id]) at(['actors', i, 'id'], `duplicate actor id "${a.id}"`);
    // `outsourced: true` is the older spelling of `operator: outsourced`; both may be given if they agree.
    if (a.outsourced !== undefined && a.operator !== undefined && a.outsourced !== (a.operator === 'outsourced')) {
      at(['actors', i, 'outsourced'], `outsourced: ${a.outsourced} contradicts operator: ${a.operator}; give only operator`);
    }
    if (a.operator !== undefined && a.operator !== 'in_house' && a.kind !== 'agent') {
      at(['actors', i, 'operator'], `only a desk (kind: agent) has an operator; "${a.id}" is a ${a.kind}`);
    }
    const operator = a.operator ?? (a.outsourced ? 'outsourced' : 'in_house');
    actors[a.id] = {
      id: a.id,
      kind: a.kind,
      name: a.name ?? a.id,
      tier: a.tier ?? (a.kind === 'agent' ? 1 : a.kind === 'security_team' ? 3 : 0),
      operator,
      outsourced: operator === 'outsourced',
    };
  });

  const stepIds = new Set<string>();
  wf.steps.forEach((s, i) => {
    if (stepIds.has(s.id)) at(['steps', i, 'id'], `duplicate step id "${s.id}"`);
    stepIds.add(s.id);
  });
  const exceptionIds = new Set((wf.exceptions ?? []).map((e) => e.id));
  const checkStepRef = (ref: string | undefined, path: PathSeg[], what: string, transition = true) => {
    if (ref !== undefined && !stepIds.has(ref)) at(path, `${what} "${ref}" is not a step of this workflow${transition ? ' (dangling transition)' : ''}${nonAsciiNote(ref)}`);
  };
  const checkActorRef = (ref: string | undefined, path: PathSeg[]) => {
    if (ref !== undefined && !actors[ref]) at(path, `unknown actor "${ref}"; declare it under actors`);
  };

  if (!stepIds.has(wf.start)) at(['start'], `start step "${wf.start}" is not a step of this workflow`);

  // A loop made of routing steps alone: routing is decided on arrival, with no step between where the
  // request waits, so a request that enters it would be routed forever. Refused at the route that
  // closes it (a depth-first walk over routing steps only, with its own stack: no recursion as deep as
  // the file is long).
  {
    const index = new Map(wf.steps.map((s, i) => [s.id, i]));
    const routingAt = (id: string) => {
      const i = index.get(id);
      return i !== undefined && wf.steps[i]!.kind === 'routing' ? i : -1;
    };
    const state = new Map<string, 'open' | 'done'>();
    for (const root of wf.steps) {
      if (root.kind !== 'routing' || state.has(root.id)) continue;
      const trail: { id: string; i: number; next: number }[] = [{ id: root.id, i: index.get(root.id)!, next: 0 }];
      state.set(root.id, 'open');
      while (trail.length > 0) {
        const top = trail[trail.length - 1]!;
        const routes = wf.steps[top.i]!.routes ?? [];
        if (top.next >= routes.length) {
          state.set(top.id, 'done');
          trail.pop();
          continue;
        }
        const j = top.next++;
        const to = routes[j]!.to;
        const ti = routingAt(to);
        if (ti < 0) continue;
        if (state.get(to) === 'open') {
          const from = trail.findIndex((t) => t.id === to);
          const loop = [...trail.slice(from).map((t) => t.id), to].join(' -> ');
          at(['steps', top.i, 'routes', j, 'to'], `routing steps ${loop} form a loop with no other step in it: a request would be routed forever; route one of them to a step that is not routing`);
        } else if (!state.has(to)) {
          state.set(to, 'open');
          trail.push({ id: to, i: ti, next: 0 });
        }
      }
    }
  }

  const steps: Record<string, Step> = {};
  wf.steps.forEach((s, i) => {
    const base: PathSeg[] = ['steps', i];
    checkStepRef(s.next, [...base, 'next'], 'next step');
    checkStepRef(s.on_fail, [...base, 'on_fail'], 'on_fail step');
    checkActorRef(s.actor, [...base, 'actor']);
    if (s.kind === 'routing') {
      if (!s.routes) at(base, `routing step "${s.id}" needs routes`);
      s.routes?.forEach((r, j) => {
        checkStepRef(r.to, [...base, 'routes', j, 'to'], 'route target');
        r.classes.forEach((c, k) => {
          if (!wf.account_classes.includes(c)) at([...base, 'routes', j, 'classes', k], `class "${c}" is routed but not listed in account_classes`);
        });
      });
    } else {
      if (s.routes) at([...base, 'routes'], `only routing steps have routes ("${s.id}" is a ${s.kind} step)`);
      if (s.basis) at([...base, 'basis'], `only routing steps have a basis ("${s.id}" is a ${s.kind} step)`);
    }
    // A requester passes or fails checks; a notification, log entry, review or routing has no failure
    // a requester can cause, so an on_fail there would never be taken (the machine has no event for it).
    if (s.on_fail !== undefined && ['notification', 'logging', 'review', 'routing'].includes(s.kind)) {
      at([...base, 'on_fail'], `a ${s.kind} step ("${s.id}") has no failure a requester can cause: on_fail would never be taken; remove it`);
    }
    if (s.kind === 'end') {
      if (s.next || s.on_fail) at(base, `end step "${s.id}" cannot have next or on_fail`);
    } else if (s.kind !== 'routing' && !s.next) {
      at(base, `step "${s.id}" needs "next" (or kind: end)`);
    }
    if (s.kind === 'execution' && !s.action) at(base, `execution step "${s.id}" needs an action: one of ${RESET_ACTION_IDS.join(', ')}`);
    if (s.kind !== 'execution' && (s.action || s.delivery)) at(base, `only execution steps have action and delivery ("${s.id}" is a ${s.kind} step)`);
    if (s.kind === 'exception') {
      if (!s.grants) at(base, `exception step "${s.id}" needs "grants: <exception id>"`);
      else if (!exceptionIds.has(s.grants)) at([...base, 'grants'], `unknown exception "${s.grants}"; declare it under exceptions`);
    } else if (s.grants) at([...base, 'grants'], `only exception steps grant exceptions`);
    if (s.channels && s.kind !== 'intake') at([...base, 'channels'], `only intake steps have channels`);
    if (s.verification !== undefined && !VERIFYING_KINDS.includes(s.kind)) {
      at([...base, 'verification'], `only a step that verifies the requester (${VERIFYING_KINDS.join(', ')}) has an unknown verification ("${s.id}" is a ${s.kind} step)`);
    }

    const controls = instances(s.controls ?? [], [...base, 'controls'], { scope: 'step', step: s.id }, s.kind, at);
    steps[s.id] = {
      id: s.id,
      kind: s.kind,
      // A routing step is often left unnamed: it is named for what it does, as the graph draws it,
      // so traces, reports and the tabletop never show a bare id such as "route".
      name: s.name ?? (s.kind === 'routing' ? ROUTING_STEP_NAME : s.id),
      ...(s.description !== undefined ? { description: s.description } : {}),
      ...(s.actor !== undefined ? { actor: s.actor } : {}),
      controls,
      ...(s.next !== undefined ? { next: s.next } : {}),
      ...(s.on_fail !== undefined ? { onFail: s.on_fail } : {}),
      channels: s.channels ?? (s.kind === 'intake' ? ['phone'] : []),
      basis: s.basis ?? 'directory',
      routes: s.routes ?? [],
      ...(s.action !== undefined ? { action: s.action as Step['action'] } : {}),
      delivery: s.delivery ?? 'requester_on_call',
      ...(s.grants !== undefined ? { grants: s.grants } : {}),
      ...(s.verification === 'unknown' ? { verificationUnknown: true as const } : {}),
      path: `steps[${i}]`,
    };
  });

  const wfControls = instances(wf.controls ?? [], ['controls'], { scope: 'workflow' }, null, at);

  const exceptions: WorkflowException[] = (wf.exceptions ?? []).map((e, i) => {
    const base: PathSeg[] = ['exceptions', i];
    e.bypasses.forEach((b, j) => checkStepRef(b, [...base, 'bypasses', j], 'bypassed step', false));
    e.applies_to?.forEach((c, j) => {
      if (!wf.account_classes.includes(c)) at([...base, 'applies_to', j], `class "${c}" is not listed in account_classes`);
    });
    checkActorRef(e.granted_by, [...base, 'granted_by']);
    return {
      id: e.id,
      name: e.name ?? e.id,
      ...(e.description !== undefined ? { description: e.description } : {}),
      bypasses: e.bypasses,
      appliesTo: e.applies_to ?? null,
      ...(e.granted_by !== undefined ? { grantedBy: e.granted_by } : {}),
      ...(e.owner !== undefined ? { owner: e.owner as OwnerRole } : {}),
      justificationRequired: e.justification_required ?? false,
      controls: instances(e.controls ?? [], [...base, 'controls'], { scope: 'exception', exception: e.id }, 'exception-scope', at),
      path: `exceptions[${i}]`,
    };
  });
  const seenExc = new Set<string>();
  (wf.exceptions ?? []).forEach((e, i) => {
    if (seenExc.has(e.id)) at(['exceptions', i, 'id'], `duplicate exception id "${e.id}"`);
    seenExc.add(e.id);
  });
  const seenClass = new Set<string>();
  wf.account_classes.forEach((c, i) => {
    if (seenClass.has(c)) at(['account_classes', i], `account class "${c}" is listed twice`);
    seenClass.add(c);
  });

  if (early.length > 0 || issues.length > 0) return { ok: false, issues: mergeIssues(early, issues) };
  return { ok: true, value: toWorkflow(wf, parsed.file, actors, steps, wfControls, exceptions) };
}

function toWorkflow(
  wf: WorkflowFile,
  file: string,
  actors: Record<string, Actor>,
  steps: Record<string, Step>,
  controls: ControlInstance[],
  exceptions: WorkflowException[],
): Workflow {
  return {
    id: wf.id,
    name: wf.name,
    family: wf.family ?? wf.id,
    variant: wf.variant ?? 'custom',
    ...(wf.description !== undefined ? { description: wf.description } : {}),
    sources: wf.sources ?? [],
    ...(wf.recovery_risk_analysis !== undefined ? { recoveryRiskAnalysis: { ...wf.recovery_risk_analysis } } : {}),
    accountClasses: wf.account_classes,
    actors,
    controls,
    exceptions,
    start: wf.start,
    steps,
    stepOrder: wf.steps.map((s) => s.id),
    file,
  };
}

/**
 * Validates control instances against the catalogue and fills omitted parameters. A parameter name
 * is looked up as the catalogue's own entry only, so "constructor" cannot pass for one (a name the
 * schema drops, such as "__proto__", is reported by unknownParamIssues).
 */
function instances(
  list: ControlInstanceFile[],
  base: PathSeg[],
  where: ControlScope,
  stepKind: StepKind | 'exception-scope' | null,
  at: (path: PathSeg[], msg: string) => void,
): ControlInstance[] {
  const seen = new Set<string>();
  return list.map((ci, j) => {
    const path: PathSeg[] = [...base, j];
    const def = getControl(ci.control);
    if (seen.has(ci.control)) at([...path, 'control'], `control "${ci.control}" appears twice here`);
    seen.add(ci.control);
    const a = def.attach;
    if (stepKind === null && a.scope !== 'workflow') {
      at([...path, 'control'], `control "${ci.control}" sits on ${describeAttach(a)}, not on the whole workflow`);
    } else if (stepKind === 'exception-scope' && a.scope !== 'exception') {
      at([...path, 'control'], `control "${ci.control}" sits on ${describeAttach(a)}, not on an exception`);
    } else if (stepKind !== null && stepKind !== 'exception-scope') {
      if (a.scope !== 'step' || !a.kinds.includes(stepKind)) {
        at([...path, 'control'], `control "${ci.control}" cannot sit on ${/^[aeiou]/.test(stepKind) ? 'an' : 'a'} ${stepKind} step; it sits on ${describeAttach(a)}`);
      }
    }
    if (ci.flaw && def.role !== 'guard') {
      at([...path, 'flaw'], `only a check that can hold (a guard) has a flaw to bypass; "${ci.control}" is a ${def.role}`);
    }
    const params: Record<string, ParamValue> = {};
    for (const [name, spec] of Object.entries(def.params)) params[name] = spec.hardened;
    for (const [name, value] of Object.entries(ci.params ?? {})) {
      const spec = Object.hasOwn(def.params, name) ? def.params[name] : undefined;
      if (!spec) {
        at([...path, 'params', name], noParameter(ci.control, name));
        continue;
      }
      const problem = checkParam(spec, value);
      if (problem) at([...path, 'params', name], `parameter "${name}" of "${ci.control}" ${problem}`);
      else params[name] = value;
    }
    const key = where.scope === 'step' ? `${where.step}/${ci.control}` : where.scope === 'workflow' ? `workflow/${ci.control}` : `exception:${where.exception}/${ci.control}`;
    return {
      key,
      control: ci.control,
      params,
      // An unknown enforcement is evaluated as procedural, the value that favours the attacker.
      enforcement: ci.enforcement === 'unknown' ? 'procedural' : (ci.enforcement ?? def.defaultEnforcement),
      ...(ci.enforcement === 'unknown' ? { enforcementUnknown: true as const } : {}),
      evidence: ci.evidence ?? 'live',
      where,
      path: formatPathSegs(path),
      ...(ci.flaw ? { flaw: { kind: ci.flaw.kind, description: ci.flaw.description, capabilities: ci.flaw.capabilities ?? [], ...(ci.flaw.source ? { source: ci.flaw.source } : {}) } } : {}),
    };
  });
}

function noParameter(control: string, name: string): string {
  const known = Object.keys(getControl(control).params);
  return `control "${control}" has no parameter "${name}"${known.length ? `; its parameters: ${known.join(', ')}` : '; it takes no parameters'}`;
}

/**
 * Parameters no catalogue control has, read from the raw document before the schema: the schema's
 * record silently drops a key named "__proto__" (and would report a mapping given to "constructor"
 * as a bad value, not as the unknown name it is), so these are found where the file says them.
 */
function unknownParamIssues(parsed: ParsedModel): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const lists: PathSeg[][] = [['controls']];
  const at = (path: PathSeg[]) => valueAt(parsed.value, path);
  const count = (path: PathSeg[]) => {
    const v = at(path);
    return Array.isArray(v) ? v.length : 0;
  };
  for (let i = 0; i < count(['steps']); i++) lists.push(['steps', i, 'controls']);
  for (let i = 0; i < count(['exceptions']); i++) lists.push(['exceptions', i, 'controls']);
  for (const list of lists) {
    for (let j = 0; j < count(list); j++) {
      const control = at([...list, j, 'control']);
      const params = at([...list, j, 'params']);
      if (typeof control !== 'string' || !(CONTROL_IDS as readonly string[]).includes(control) || params === null || typeof params !== 'object' || Array.isArray(params)) continue;
      const def = getControl(control);
      for (const name of Object.keys(params)) {
        if (!Object.hasOwn(def.params, name)) issues.push(parsed.at([...list, j, 'params', name], noParameter(control, name)));
      }
    }
  }
  return issues;
}

function formatPathSegs(path: PathSeg[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describeAttach(a: ReturnType<typeof getControl>['attach']): string {
  if (a.scope === 'workflow') return 'the whole workflow (top-level controls)';
  if (a.scope === 'exception') return 'exceptions';
  return `${a.kinds.join(' / ')} steps`;
}

function checkParam(spec: ParamSpec, value: unknown): string | null {
  switch (spec.type) {
    case 'enum':
      if (typeof value !== 'string') return `must be one of ${spec.values.join(', ')} (got ${typeof value})`;
      return spec.values.includes(value) ? null : `must be one of ${spec.values.join(', ')} (got "${value}")`;
    case 'enum[]':
      if (!Array.isArray(value)) return `must be a list of ${spec.values.join(', ')} (got ${typeof value})`;
      for (const v of value) if (!spec.values.includes(v)) return `has unknown value "${String(v)}"; allowed: ${spec.values.join(', ')}`;
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number (got ${typeof value})`;
      return value < spec.min || value > spec.max ? `must be between ${spec.min} and ${spec.max} (got ${value})` : null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false (got ${typeof value})`;
  }
}
