// The sidebar's content: workflows grouped by family (weak before hardened before custom), and the
// scenarios in library order, from the backend's library listing.
import type { ApiResponse } from '../../contract/index.ts';
import { className, familyTitle, scenarioCode } from './format.ts';

type Listing = ApiResponse<'library.list'>;
type WorkflowSummary = Listing['workflows'][number];
type ScenarioSummary = Listing['scenarios'][number];

export interface SidebarWorkflow {
  id: string;
  name: string;
  variant: string;
  /** Badge text; the variant as users say it. */
  badge: string;
  badgeTone: 'bad' | 'good' | 'info';
  source: 'bundled' | 'workspace';
  /** "rev 3" for workspace workflows. */
  note: string | null;
  classes: string;
}

export interface SidebarFamily {
  family: string;
  title: string;
  workflows: SidebarWorkflow[];
}

export interface SidebarScenario {
  id: string;
  code: string;
  name: string;
  target: string;
  source: 'bundled' | 'workspace';
}

const VARIANT_ORDER: Record<string, number> = { weak: 0, hardened: 1 };

/** Groups workflows by family, families sorted by title, variants weak -> hardened -> others. */
export function groupWorkflows(workflows: readonly WorkflowSummary[]): SidebarFamily[] {
  const by = new Map<string, SidebarWorkflow[]>();
  for (const w of workflows) {
    const list = by.get(w.family) ?? [];
    list.push({
      id: w.id,
      name: w.name,
      variant: w.variant,
      badge: w.variant === 'weak' ? 'weak' : w.variant === 'hardened' ? 'hardened' : w.variant,
      badgeTone: w.variant === 'weak' ? 'bad' : w.variant === 'hardened' ? 'good' : 'info',
      source: w.source,
      note: w.source === 'workspace' ? (w.revision !== null ? `workspace rev ${w.revision}` : 'workspace') : null,
      classes: w.accountClasses.map(className).join(', '),
    });
    by.set(w.family, list);
  }
  return [...by.entries()]
    .map(([family, list]) => ({
      family,
      title: familyTitle(family),
      workflows: list.sort(
        (a, b) => (VARIANT_ORDER[a.variant] ?? 2) - (VARIANT_ORDER[b.variant] ?? 2) || (a.source === b.source ? 0 : a.source === 'bundled' ? -1 : 1) || a.id.localeCompare(b.id),
      ),
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** Scenarios in id order (the library's S01..S18 numbering), with a short code. */
export function listScenarios(scenarios: readonly ScenarioSummary[]): SidebarScenario[] {
  return [...scenarios]
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
    .map((s) => ({ id: s.id, code: scenarioCode(s.id), name: s.name, target: className(s.targetClass), source: s.source }));
}
