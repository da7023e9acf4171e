// What the Workflow tab says about the open file: what it is for, whom it serves, who acts in it,
// its exceptions (and whether they ever expire), and the sources it cites.
import type { Workflow } from '../../models/index.ts';
import { className } from './format.ts';

export interface ExceptionView {
  id: string;
  name: string;
  bypasses: string;
  /** Standing: no exception.expiry, so once granted it is never revoked. */
  standing: boolean;
  grantedBy: string | null;
}

export interface WorkflowInfo {
  name: string;
  variant: string;
  description: string | null;
  file: string;
  classes: string[];
  actors: { name: string; kind: string; note: string }[];
  exceptions: ExceptionView[];
  sources: string[];
  steps: number;
  controls: number;
  procedural: number;
}

/** Summarises a parsed workflow for the Workflow tab. */
export function workflowInfo(wf: Workflow): WorkflowInfo {
  const stepName = (id: string) => wf.steps[id]?.name ?? id;
  const instances = [...wf.controls, ...wf.exceptions.flatMap((e) => e.controls), ...wf.stepOrder.flatMap((s) => wf.steps[s]!.controls)];
  return {
    name: wf.name,
    variant: wf.variant,
    description: wf.description?.trim() || null,
    file: wf.file,
    classes: wf.accountClasses.map(className),
    actors: Object.values(wf.actors).map((a) => ({
      name: a.name,
      kind: a.kind.replace(/_/g, ' '),
      note: [a.kind === 'system' ? null : `tier ${a.tier}`, a.operator === 'in_house' ? null : a.operator === 'unknown' ? 'operator unknown' : a.operator.replace('_', ' ')].filter(Boolean).join(', '),
    })),
    exceptions: wf.exceptions.map((e) => ({
      id: e.id,
      name: e.name,
      bypasses: e.bypasses.map(stepName).join(', '),
      standing: !e.controls.some((c) => c.control === 'exception.expiry'),
      grantedBy: e.grantedBy ? stepName(e.grantedBy) : null,
    })),
    sources: wf.sources,
    steps: wf.stepOrder.length,
    controls: instances.length,
    procedural: instances.filter((c) => c.enforcement === 'procedural').length,
  };
}
