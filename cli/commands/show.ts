// `resetpath show <workflow>`: the compiled machine as a reviewer reads it — states, transitions
// with their events and guards, and the controls on each step with parameters, enforcement, owner.
// Transitions are read from the compiled XState machine, so what is shown is what replay runs.
import { Option, type Command } from 'commander';
import { loadWorkflowFile, readModelFile } from '../../backend/index.ts';
import {
  ACCOUNT_CLASSES,
  compileWorkflow,
  CONTROL_GUARDS,
  formatIssue,
  getControl,
  parseModelText,
  REFUSED,
  UNROUTED,
  valueAt,
  type ControlInstance,
  type ParamValue,
  type Workflow,
} from '../../models/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { workflowFileOf } from '../resolve.ts';
import { jsonOut, shown } from '../text.ts';

/** A control instance as `show --format json` prints it. */
export interface ControlView {
  control: string;
  name: string;
  params: Record<string, ParamValue>;
  enforcement: 'system' | 'procedural';
  /** The file says `enforcement: unknown`; `enforcement` is then the value the analysis uses (procedural). */
  enforcementUnknown?: true;
  /** Parameters the file leaves out: they take the catalogue's hardened value (docs/analysis-semantics.md). */
  defaultedParams?: string[];
  owner: string;
  role: string;
  /** The guard the compiler makes of it, when it gates the step's transition. */
  guard?: string;
  evidence: 'live' | 'ticket_field';
}

export interface TransitionView {
  /** The event that takes it; null for an eventless (routing) transition. */
  event: string | null;
  target: string;
  /** Guards that must all hold, by name (with the control instance or routed classes they check). */
  guards: string[];
  actions: string[];
}

export interface StateView {
  id: string;
  kind: string;
  name: string;
  actor?: string;
  final: boolean;
  /** False for the synthetic final states the compiler adds (refused, unrouted). */
  declared: boolean;
  action?: string;
  delivery?: string;
  /** An intake's channels (`unknown`: it may accept channels the file does not list). */
  channels?: string[];
  /** The file says `verification: unknown`: what the step checks beyond its controls is not known. */
  verificationUnknown?: true;
  controls: ControlView[];
  transitions: TransitionView[];
}

/** The whole `show --format json` document (shape documented in docs/lint-rules.md). */
export interface ShowReport {
  format: 'resetpath-show/1';
  file: string;
  workflow: { id: string; name: string; family: string; variant: string; description?: string; start: string };
  accountClasses: { id: string; privileged: boolean }[];
  actors: { id: string; kind: string; name: string; tier: number; outsourced: boolean; operator: string }[];
  controls: ControlView[];
  exceptions: { id: string; name: string; bypasses: string[]; grantedBy?: string; owner?: string; justificationRequired: boolean; controls: ControlView[] }[];
  states: StateView[];
}

/** Registers `show` on the program. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('show')
    .description('show a workflow as its compiled machine: states, transitions, controls per step')
    .argument('<workflow>', 'workflow file (YAML or JSON) or bundled workflow id')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((ref: string, opts: { format: 'text' | 'json' }) => {
      const file = workflowFileOf(ref);
      const r = loadWorkflowFile(file);
      if (!r.ok) {
        for (const i of r.issues) io.err(`${formatIssue(i)}\n`);
        io.setExitCode(EXIT.badInput);
        return;
      }
      const text = readModelFile(file);
      const report = showWorkflow(r.value, file, text.ok ? givenParamsOf(text.value, file) : undefined);
      io.out(opts.format === 'json' ? jsonOut(report) : renderShowText(report));
    });
}

/**
 * The parameter names each control instance's entry in the file sets, by the instance's document
 * path ("steps[1].controls[0]"); null when the text is not at hand (then nothing is marked).
 */
export type GivenParams = (path: string) => ReadonlySet<string> | null;

/** What the file's text gives each instance: read from the parsed document, not the loaded model (which has every parameter). */
export function givenParamsOf(text: string, file: string): GivenParams {
  const parsed = parseModelText(text, file);
  if (!parsed.ok) return () => null;
  return (path) => {
    const segs = [...path.matchAll(/([A-Za-z_]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    const params = valueAt(parsed.parsed.value, [...segs, 'params']);
    return new Set(params !== null && typeof params === 'object' ? Object.keys(params) : []);
  };
}

/** Builds the view of a workflow and its compiled machine; `given` says which parameters the file set. */
export function showWorkflow(wf: Workflow, file: string, given: GivenParams = () => null): ShowReport {
  const controlView = (c: ControlInstance) => viewOf(c, given(c.path));
  const machine = compileWorkflow(wf);
  const states: StateView[] = Object.entries(machine.root.states).map(([id, node]) => {
    const step = wf.steps[id];
    const transitions: TransitionView[] = [];
    for (const t of node.always ?? []) transitions.push(transitionView(null, t));
    for (const [event, ts] of node.transitions) for (const t of ts) transitions.push(transitionView(event, t));
    return {
      id,
      kind: step?.kind ?? 'final',
      name: step?.name ?? (id === REFUSED ? 'Request refused' : id === UNROUTED ? 'No route for the account class' : id),
      ...(step?.actor ? { actor: step.actor } : {}),
      final: node.type === 'final',
      declared: step !== undefined,
      ...(step?.action ? { action: step.action, delivery: step.delivery } : {}),
      ...(step?.kind === 'intake' ? { channels: [...step.channels] } : {}),
      ...(step?.verificationUnknown ? { verificationUnknown: true as const } : {}),
      controls: (step?.controls ?? []).map(controlView),
      transitions,
    };
  });
  return {
    format: 'resetpath-show/1',
    file,
    workflow: { id: wf.id, name: wf.name, family: wf.family, variant: wf.variant, ...(wf.description ? { description: wf.description.trim() } : {}), start: wf.start },
    accountClasses: wf.accountClasses.map((c) => ({ id: c, privileged: ACCOUNT_CLASSES[c].privileged })),
    actors: Object.values(wf.actors).map((a) => ({ id: a.id, kind: a.kind, name: a.name, tier: a.tier, outsourced: a.outsourced, operator: a.operator })),
    controls: wf.controls.map(controlView),
    exceptions: wf.exceptions.map((e) => ({
      id: e.id,
      name: e.name,
      bypasses: e.bypasses,
      ...(e.grantedBy ? { grantedBy: e.grantedBy } : {}),
      ...(e.owner ? { owner: e.owner } : {}),
      justificationRequired: e.justificationRequired,
      controls: e.controls.map(controlView),
    })),
    states,
  };
}

function viewOf(c: ControlInstance, given: ReadonlySet<string> | null): ControlView {
  const def = getControl(c.control);
  const guard = CONTROL_GUARDS[c.control];
  const defaulted = given ? Object.keys(c.params).filter((k) => !given.has(k)) : [];
  return {
    control: c.control,
    name: def.name,
    params: { ...c.params },
    enforcement: c.enforcement,
    ...(c.enforcementUnknown ? { enforcementUnknown: true as const } : {}),
    ...(defaulted.length ? { defaultedParams: defaulted } : {}),
    owner: def.owner,
    role: def.role,
    ...(guard && c.where.scope === 'step' ? { guard } : {}),
    evidence: c.evidence,
  };
}

interface TransitionLike {
  target?: readonly { key: string }[] | undefined;
  guard?: unknown;
  actions?: readonly unknown[];
}

function transitionView(event: string | null, t: TransitionLike): TransitionView {
  return {
    event: event === '' ? null : event,
    target: t.target?.map((s) => s.key).join(', ') ?? '(stays)',
    guards: guardNames(t.guard),
    actions: (t.actions ?? []).map((a) => (typeof a === 'object' && a !== null && 'type' in a ? String((a as { type: unknown }).type) : typeof a === 'string' ? a : 'inline')),
  };
}

/** Guard names with what they check: a control instance key, or the routed classes. */
function guardNames(g: unknown): string[] {
  if (g === undefined || g === null) return [];
  // xstate's and() returns a function carrying the guards it combines.
  const combined = typeof g === 'function' ? (g as unknown as { guards?: unknown }).guards : undefined;
  if (Array.isArray(combined)) return combined.flatMap(guardNames);
  if (typeof g === 'object' && 'type' in g) {
    const { type, params } = g as { type: string; params?: { instance?: string; classes?: string[]; basis?: string } };
    if (params?.instance) return [`${type}(${params.instance})`];
    if (params?.classes) return [`${type}(${params.classes.join(', ')}${params.basis === 'caller_claim' ? ' as claimed by the caller' : ''})`];
    return [type];
  }
  return [typeof g === 'string' ? g : 'inline guard'];
}

function fmtParams(p: Record<string, ParamValue>): string {
  const entries = Object.entries(p);
  if (entries.length === 0) return '';
  return shown(` {${entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ')}}`);
}

function controlLine(c: ControlView): string {
  const guard = c.guard ? `, guard ${c.guard}` : '';
  const evidence = c.evidence === 'ticket_field' ? ', evidence from ticket field' : '';
  const defaulted = c.defaultedParams?.length ? ` (not in the file, so hardened: ${c.defaultedParams.join(', ')})` : '';
  return `${c.control}${fmtParams(c.params)}${defaulted} — ${c.enforcementUnknown ? 'enforcement unknown (analysed as procedural)' : c.enforcement}, owner ${c.owner}${guard}${evidence}`;
}

/** The show report as text; every name and id from the file is written display-safe (`shown`). */
export function renderShowText(r: ShowReport): string {
  const lines: string[] = [];
  const w = r.workflow;
  lines.push(`${shown(w.name)} (${shown(w.id)})`, `  file: ${shown(r.file)}`, `  family: ${shown(w.family)}, variant: ${w.variant}`);
  lines.push(`  serves: ${r.accountClasses.map((c) => (c.privileged ? `${c.id} (privileged)` : c.id)).join(', ')}`);
  lines.push('', 'Actors');
  for (const a of r.actors) lines.push(`  ${shown(a.id)}: ${a.kind}${a.kind === 'agent' ? `, tier ${a.tier}` : ''}${a.operator !== 'in_house' ? `, ${a.operator === 'unknown' ? 'operator unknown' : a.operator.replace('_', ' ')}` : ''} — ${shown(a.name)}`);
  if (r.controls.length > 0) {
    lines.push('', 'Workflow controls');
    for (const c of r.controls) lines.push(`  ${controlLine(c)}`);
  }
  if (r.exceptions.length > 0) {
    lines.push('', 'Exceptions');
    for (const e of r.exceptions) {
      lines.push(shown(`  ${e.id}: bypasses ${e.bypasses.join(', ')}; owner ${e.owner ?? '(none)'}; justification ${e.justificationRequired ? 'required' : 'not required'}${e.grantedBy ? `; granted by ${e.grantedBy}` : ''}`));
      for (const c of e.controls) lines.push(`    ${controlLine(c)}`);
    }
  }
  lines.push('', `States (start: ${shown(w.start)})`);
  for (const s of r.states) {
    const extra = [s.actor ? `actor ${shown(s.actor)}` : '', s.channels ? `channels ${s.channels.join(', ')}` : '', s.verificationUnknown ? 'verification unknown' : '', s.action ? `${s.action} via ${s.delivery}` : '', s.final ? 'final' : ''].filter(Boolean).join(', ');
    lines.push(`  ${shown(s.id)} [${s.declared ? s.kind : 'synthetic'}]${extra ? ` ${extra}` : ''} — ${shown(s.name)}`);
    for (const c of s.controls) lines.push(`    control ${controlLine(c)}`);
    for (const t of s.transitions) {
      const guard = t.guards.length > 0 ? ` if ${t.guards.join(' and ')}` : '';
      lines.push(shown(`    ${t.event ?? 'always'} -> ${t.target}${guard}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
