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
  /** The name without its variant suffix, when it differs from the family's title; else null. */
  label: string | null;
  /** "serves employee, remote, admin". */
  served: string;
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

/** "Vendor account unlock (as found)" -> "Vendor account unlock": the badge says the variant. */
export function stripVariant(name: string): string {
  return name.replace(/\s*\((as found|hardened|weak|custom)\)\s*$/i, '').trim();
}

function servedSummary(classes: readonly string[]): string {
  return `Serves: ${classes.map(className).join(', ')}`;
}

/** Groups workflows by family, families sorted by title, variants weak -> hardened -> others. */
export function groupWorkflows(workflows: readonly WorkflowSummary[]): SidebarFamily[] {
  const by = new Map<string, SidebarWorkflow[]>();
  for (const w of workflows) {
    const list = by.get(w.family) ?? [];
    list.push({
      id: w.id,
      name: w.name,
      label: stripVariant(w.name),
      served: servedSummary(w.accountClasses),
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
    .map(([family, list]) => {
      list.sort((a, b) => (VARIANT_ORDER[a.variant] ?? 2) - (VARIANT_ORDER[b.variant] ?? 2) || (a.source === b.source ? 0 : a.source === 'bundled' ? -1 : 1) || a.id.localeCompare(b.id));
      // The family is called what its first (as-found) workflow is called, in the file's own words.
      const title = list[0] ? stripVariant(list[0].name) || familyTitle(family) : familyTitle(family);
      for (const w of list) if (w.label?.toLowerCase() === title.toLowerCase()) w.label = null;
      return { family, title, workflows: list };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}

// One collator: localeCompare with options builds a new one on every comparison.
const byNumber = new Intl.Collator('en', { numeric: true });

/** Scenarios in id order (the library's S01..S18 numbering), with a short code. */
export function listScenarios(scenarios: readonly ScenarioSummary[]): SidebarScenario[] {
  return [...scenarios]
    .sort((a, b) => byNumber.compare(a.id, b.id))
    .map((s) => ({ id: s.id, code: scenarioCode(s.id), name: s.name, target: className(s.targetClass), source: s.source }));
}
