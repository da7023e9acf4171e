// What the accountability screen shows, computed from the accountability report, the owners and
// the export responses: rows and words, so the component only draws them.
import { EFFECT_TEXT, formatCount, REMEDIATION_STATUSES, REMEDIATION_TEXT, type AccountabilityReport, type RemediationState } from '../../analysis/index.ts';
import { REPORT_FILES, REPORT_FORMATS, type ApiResponse, type ReportFormat } from '../../contract/index.ts';
import { OWNER_ROLES } from '../../models/index.ts';

/** One gap of the report as a row of the remediation table. */
export interface GapRow {
  /** workflow + control: a gap's identity across reports. */
  key: string;
  workflow: string;
  workflowName: string;
  control: string;
  name: string;
  role: string;
  roleTitle: string;
  /** The named owner, or null while the role is unassigned. */
  owner: string | null;
  ownerScope: 'workspace' | 'workflow' | null;
  effect: string;
  /** "blocks 12 paths alone" or "detects 3 paths": the strongest thing the control would do. */
  impact: string;
  status: RemediationState;
  statusText: string;
  due: string | null;
  overdue: boolean;
  ticket: string | null;
  notes: string;
}

/** The report's gaps as table rows, in the report's order (by workflow, then strongest effect). */
export function gapRows(doc: AccountabilityReport): GapRow[] {
  const names = new Map(doc.scope.workflows.map((w) => [w.id, w.name]));
  return doc.gaps.map((g) => {
    const r = g.remediation;
    const impact =
      BigInt(g.blocksPaths) > 0n
        ? `blocks ${formatCount(g.blocksPaths)} path${BigInt(g.blocksPaths) === 1n ? '' : 's'} alone`
        : BigInt(g.jointPaths) > 0n
          ? `blocks ${formatCount(g.jointPaths)} path${BigInt(g.jointPaths) === 1n ? '' : 's'} with others`
          : BigInt(g.detectsPaths) > 0n
            ? `detects ${formatCount(g.detectsPaths)} path${BigInt(g.detectsPaths) === 1n ? '' : 's'}`
            : `narrows ${formatCount(g.contributesPaths)} path${BigInt(g.contributesPaths) === 1n ? '' : 's'}`;
    return {
      key: `${g.workflow}\u0000${g.control}`,
      workflow: g.workflow,
      workflowName: names.get(g.workflow) ?? g.workflow,
      control: g.control,
      name: g.name,
      role: g.owner.role,
      roleTitle: g.owner.title,
      owner: g.owner.name,
      ownerScope: g.owner.name === null ? null : (g.owner.scope ?? 'workspace'),
      effect: EFFECT_TEXT[g.effect],
      impact,
      status: r?.status ?? 'open',
      statusText: REMEDIATION_TEXT[r?.status ?? 'open'],
      due: r?.due ?? null,
      overdue: r?.overdue ?? false,
      ticket: r?.ticket ?? null,
      notes: r?.notes ?? '',
    };
  });
}

/** "4 gaps: 2 open, 1 planned, 1 done; 1 overdue" — the remediation state in one line, without a final stop. */
export function remediationLine(doc: AccountabilityReport): string {
  const n = doc.gaps.length;
  if (n === 0) return 'No gaps: every scenario in scope is blocked';
  const counts = doc.accountability?.remediation;
  if (!counts) return `${n} gap${n === 1 ? '' : 's'}`;
  const parts = REMEDIATION_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${REMEDIATION_TEXT[s]}`);
  return `${n} gap${n === 1 ? '' : 's'}: ${parts.join(', ')}${counts.overdue ? `; ${counts.overdue} overdue` : ''}`;
}

/** The trend against the previous signed report, in words and lists; null when there is no previous sign-off. */
export interface TrendView {
  previous: string;
  opened: string[];
  closed: string[];
  overdue: string[];
  unchanged: string;
}

/** The trend in words; a gap names its workflow only when the report covers more than one. */
export function trendView(doc: AccountabilityReport): TrendView | null {
  const t = doc.accountability?.trend;
  if (!t) return null;
  const several = doc.scope.workflows.length > 1;
  const gap = (g: { workflow: string; control: string; name: string }) => `${g.name} (${g.control})${several ? ` in ${g.workflow}` : ''}`;
  return {
    previous: `Against the report signed off by ${t.previous.signedBy} on ${t.previous.signedAt.slice(0, 10)} (decision: ${t.previous.decision})`,
    opened: t.opened.map(gap),
    closed: t.closed.map(gap),
    overdue: t.overdue.map((g) => `${gap(g)}: due ${g.due}${g.newly ? ' (newly overdue)' : ''}`),
    unchanged: `${t.unchanged} gap${t.unchanged === 1 ? '' : 's'} unchanged`,
  };
}

/** An owner role with the people assigned to it: for the whole workspace and per workflow. */
export interface OwnerRow {
  role: string;
  title: string;
  workspace: { name: string; contact: string | null } | null;
  perWorkflow: { workflow: string; name: string; contact: string | null }[];
  /** Gaps of the report this role owns. */
  gaps: number;
}

/** Every owner role of the catalogue with its assignments, roles with gaps in the report first. */
export function ownerRows(owners: ApiResponse<'owners.list'>['owners'], doc: AccountabilityReport | null): OwnerRow[] {
  const gapsOf = new Map<string, number>();
  for (const g of doc?.gaps ?? []) gapsOf.set(g.owner.role, (gapsOf.get(g.owner.role) ?? 0) + 1);
  const rows = Object.entries(OWNER_ROLES).map(([role, title]): OwnerRow => {
    const mine = owners.filter((o) => o.role === role);
    const ws = mine.find((o) => o.workflow === null);
    return {
      role,
      title,
      workspace: ws ? { name: ws.name, contact: ws.contact } : null,
      perWorkflow: mine.filter((o) => o.workflow !== null).map((o) => ({ workflow: o.workflow!, name: o.name, contact: o.contact })),
      gaps: gapsOf.get(role) ?? 0,
    };
  });
  return rows.sort((a, b) => Number(b.gaps > 0) - Number(a.gaps > 0));
}

/** The forms the Export menu offers, in the contract's order, with their words. */
export const EXPORT_CHOICES: readonly { format: ReportFormat; label: string }[] = REPORT_FORMATS.map((format) => ({ format, label: REPORT_FILES[format].label }));

/** An exported report as the bytes or text to offer the user: the PDF arrives as base64. */
export function exportedContent(r: Pick<ApiResponse<'report.export'>, 'encoding' | 'content'>): string | Uint8Array {
  if (r.encoding === 'utf8') return r.content;
  const bin = atob(r.content);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
