// The accountability part of the contract: owners assigned to the catalogue's owner roles,
// remediation items per gap, and report sign-offs. Requests are strict and every string a person
// typed follows the display-text rule (no control or bidirectional-override characters), since it
// is shown in reports and written to the audit log.
import { z } from 'zod';
import { OWNER_ROLES, plainTextProblem } from '../models/index.ts';

const plain = (multiline: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const problem = plainTextProblem(s, { multiline });
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
const name = (max: number) => z.string().trim().min(1).max(max).superRefine(plain(false));
const prose = (max: number) => z.string().max(max).superRefine(plain(true));
const modelId = z.string().min(1).max(96).regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'must be lowercase letters, digits, ".", "-" or "_"' });
const controlId = z.string().min(1).max(96).regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'must be a control id of the catalogue' });
const reason = z.string().max(2000).superRefine(plain(true)).optional();
const role = z.enum(Object.keys(OWNER_ROLES) as [string, ...string[]], { error: 'must be an owner role of the catalogue' });
/** A calendar day, YYYY-MM-DD, that exists. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, { error: 'must be a calendar date that exists' });
const auditHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });

const owner = z.object({ role: z.string(), workflow: z.string().nullable(), name: z.string(), contact: z.string().nullable(), updatedAt: z.string(), updatedBy: z.string() });
const status = z.enum(['open', 'planned', 'in_progress', 'done', 'risk_accepted']);
const decision = z.enum(['accept', 'remediate', 'transfer']);
const item = z.object({ workflow: z.string(), control: z.string(), status, due: z.string().nullable(), ticket: z.string().nullable(), notes: z.string(), updatedAt: z.string(), updatedBy: z.string() });
const signOff = z.object({ id: z.string(), reportId: z.string(), scope: z.string(), signedBy: z.string(), decision, justification: z.string(), signedAt: z.string(), recordedBy: z.string() });

/** The forms `report.export` (and `resetpath report --format`) write the accountability report in. */
export const REPORT_FORMATS = ['html', 'pdf', 'md', 'csv', 'csv-remediation', 'json', 'navigator', 'oscal-ar', 'oscal-poam'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Each form with its file extension, media type and the words a menu shows for it. */
export const REPORT_FILES: Record<ReportFormat, { extension: string; mediaType: string; label: string }> = {
  html: { extension: 'html', mediaType: 'text/html', label: 'HTML (self-contained, prints well)' },
  pdf: { extension: 'pdf', mediaType: 'application/pdf', label: 'PDF' },
  md: { extension: 'md', mediaType: 'text/markdown', label: 'Markdown' },
  csv: { extension: 'csv', mediaType: 'text/csv', label: 'CSV of the gaps' },
  'csv-remediation': { extension: 'remediation.csv', mediaType: 'text/csv', label: 'CSV of the remediation items' },
  json: { extension: 'json', mediaType: 'application/json', label: 'JSON (resetpath/accountability@1)' },
  navigator: { extension: 'layer.json', mediaType: 'application/json', label: 'ATT&CK Navigator layer (v4.5)' },
  'oscal-ar': { extension: 'oscal-ar.json', mediaType: 'application/json', label: 'OSCAL 1.0.6 assessment results' },
  'oscal-poam': { extension: 'oscal-poam.json', mediaType: 'application/json', label: 'OSCAL 1.0.6 POA&M' },
};

export const ACCOUNTABILITY_API = {
  'owners.list': {
    request: z.strictObject({}),
    response: z.object({ owners: z.array(owner) }),
  },
  'owners.set': {
    request: z.strictObject({
      role,
      workflowId: modelId.nullable().optional().describe('Assign for this workflow only (overrides the workspace-wide owner); absent or null: the whole workspace'),
      name: name(200).nullable().describe('The person or team; null removes the assignment'),
      contact: name(200).nullable().optional(),
      reason,
    }),
    response: z.object({ owner: owner.nullable(), auditHead }),
  },
  'remediation.list': {
    request: z.strictObject({ workflowId: modelId.optional() }),
    response: z.object({ items: z.array(item) }),
  },
  'remediation.set': {
    request: z.strictObject({
      workflowId: modelId,
      controlId,
      status,
      due: day.nullable().optional(),
      ticket: name(200).nullable().optional(),
      notes: prose(10_000).optional(),
      reason,
    }),
    response: z.object({ item, auditHead }),
  },
  'report.signoff': {
    request: z.strictObject({
      workflowIds: z.array(modelId).min(1).max(100),
      scenarioIds: z.array(modelId).max(200).optional().describe('Default: every scenario of the workspace and the bundled library'),
      signedBy: name(200),
      decision,
      justification: prose(10_000).refine((s) => s.trim() !== '', { error: 'must say why' }),
      title: name(300).optional(),
      reason,
    }),
    response: z.object({
      reportId: z.string(),
      signOff,
      gaps: z.number().int(),
      overdue: z.number().int(),
      trend: z.object({ previousReportId: z.string(), opened: z.number().int(), closed: z.number().int(), overdue: z.number().int() }).nullable(),
      auditHead,
    }),
  },
  'report.export': {
    request: z.strictObject({
      workflowIds: z.array(modelId).min(1).max(200),
      scenarioIds: z.array(modelId).max(200).optional().describe('Default: every scenario of the workspace and the bundled library'),
      format: z.enum(REPORT_FORMATS, { error: `must be one of ${REPORT_FORMATS.join(', ')}` }),
      paper: z.enum(['a4', 'letter']).optional().describe('For pdf; default a4'),
    }),
    response: z.object({
      fileName: z.string(),
      mediaType: z.string(),
      encoding: z.enum(['utf8', 'base64']).describe('base64 for the PDF, utf8 for the text forms'),
      content: z.string(),
      gaps: z.number().int(),
    }),
  },
  'report.list': {
    request: z.strictObject({ signedOnly: z.boolean().optional() }),
    response: z.object({ reports: z.array(z.object({ id: z.string(), title: z.string(), format: z.string(), createdAt: z.string(), author: z.string(), signOff: signOff.nullable() })) }),
  },
} as const;
