// The one typed API between the UI and the backend. Every call is a key of API with a request and
// a response schema; the preload, the IPC registration and the HTTP adapter are all derived from
// this table, so a channel name is written once and a new key cannot be forgotten by one of them.
import { z } from 'zod';
import { accountabilityReportSchema, analysisReportSchema } from '../analysis/index.ts';
import { plainTextProblem } from '../models/index.ts';
import { ACCOUNTABILITY_API } from './accountability.ts';
import { SIMULATION_API } from './simulation.ts';
import { TABLETOP_API } from './tabletop.ts';

/** An exact path count: a number up to 2^53 - 1, a decimal string beyond (as in the report). */
const count = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)]);

const modelIssue = z.object({
  file: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  path: z.string(),
  message: z.string(),
});
export type ApiModelIssue = z.infer<typeof modelIssue>;

const id = z.string().min(1).max(96).regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'must be lowercase letters, digits, ".", "-" or "_"' });
const modelText = z.string().min(1).max(2 * 1024 * 1024);
/** Text that is shown and logged: no control characters or bidirectional overrides (models/displayText.ts). */
const plain = (multiline: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const problem = plainTextProblem(s, { multiline });
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
const fileName = z.string().min(1).max(255).regex(/^[^/\\\0]+$/, { error: 'must be a file name, not a path' }).superRefine(plain(false));
/** Why a change was made, recorded in the audit log: may run over lines, never carries controls. */
const reason = z.string().max(2000).superRefine(plain(true)).optional();

const modelSummary = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(['bundled', 'workspace']),
  revision: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});

const workflowSummary = modelSummary.extend({
  family: z.string(),
  variant: z.string(),
  accountClasses: z.array(z.string()),
});

const scenarioSummary = modelSummary.extend({
  targetClass: z.string(),
  capabilities: z.array(z.string()),
  reference: z.string().nullable(),
});

const modelDocument = z.object({
  id: z.string(),
  source: z.enum(['bundled', 'workspace']),
  revision: z.number().int().nullable(),
  format: z.enum(['yaml', 'json']),
  fileName: z.string(),
  /** The file text, byte for byte; the renderer parses it with the pure loaders for what-if. */
  text: z.string(),
});

const runInfo = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowRevision: z.number().int().nullable(),
  scenarioIds: z.array(z.string()),
  createdAt: z.string(),
  author: z.string(),
  paths: count,
  privilegedPaths: count,
  /** Headline counts and search kind as stored with the run; null for runs stored before they were kept. */
  undetected: count.nullable(),
  scenariosWithTakeover: z.number().int().nonnegative().nullable(),
  exhaustive: z.boolean().nullable().describe('Every scenario was searched exhaustively (no search bound was hit)'),
  /** Size of the stored result as JSON (before compression). */
  resultBytes: z.number().int().nonnegative(),
  stale: z.boolean().describe('The workflow has changed since the run was made: its latest revision (or the bundled file) is not the one analysed'),
  /** Set when the run's stored data is damaged (names the column): its counts are not known, but it can be deleted. */
  damaged: z.string().optional(),
});

const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  user: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  reason: z.string().nullable(),
});

/**
 * The workspace's audit-chain head (entry count and hash of the last entry) when a response was
 * made; the UI writes it into exported reports as an external witness (README "Workspace").
 */
const auditHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });

/** The API table: request and response schema per key. */
export const API = {
  'app.info': {
    request: z.strictObject({}),
    response: z.object({ version: z.string(), mode: z.enum(['electron', 'browser']), workspacePath: z.string(), readOnly: z.boolean() }),
  },
  'library.list': {
    request: z.strictObject({}),
    response: z.object({ workflows: z.array(workflowSummary), scenarios: z.array(scenarioSummary) }),
  },
  'workflow.get': {
    request: z.strictObject({ id, revision: z.number().int().positive().optional() }),
    response: modelDocument,
  },
  'workflow.save': {
    request: z.strictObject({ fileName, text: modelText, reason }),
    response: z.object({ id: z.string(), revision: z.number().int() }),
  },
  'workflow.history': {
    request: z.strictObject({ id }),
    response: z.object({ revisions: z.array(z.object({ revision: z.number().int(), createdAt: z.string(), author: z.string(), reason: z.string().nullable() })) }),
  },
  'scenario.get': {
    request: z.strictObject({ id, revision: z.number().int().positive().optional() }),
    response: modelDocument,
  },
  'scenario.save': {
    request: z.strictObject({ fileName, text: modelText, reason }),
    response: z.object({ id: z.string(), revision: z.number().int() }),
  },
  'analysis.run': {
    request: z.strictObject({ workflowId: id, scenarioIds: z.array(id).max(200).optional(), save: z.boolean().optional() }),
    response: z.object({ runId: z.string().nullable(), report: analysisReportSchema, auditHead }),
  },
  'analysis.cancel': {
    request: z.strictObject({ workflowId: id.optional().describe('Only if the running analysis is of this workflow (a screen that moved on stops its own run, never another client\'s)') }),
    response: z.object({ cancelled: z.boolean().describe('An analysis was running and is stopped; nothing of it is saved') }),
  },
  'analysis.progress': {
    request: z.strictObject({}),
    response: z.object({
      progress: z
        .object({
          workflowId: z.string(),
          done: z.number().int().nonnegative().describe('Scenarios finished'),
          total: z.number().int().nonnegative().nullable().describe('Scenarios in the analysis; null until the worker has started on it'),
          scenario: z.object({ id: z.string(), name: z.string() }).nullable().describe('The scenario being analysed; null before the first and after the last (the control sets are then computed)'),
          startedAt: z.string().describe('When the analysis started (ISO 8601)'),
        })
        .nullable()
        .describe('The analysis running in this workspace, or null when none runs'),
    }),
  },
  'analysis.list': {
    request: z.strictObject({ workflowId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }),
    response: z.object({ runs: z.array(runInfo) }),
  },
  'analysis.get': {
    request: z.strictObject({ runId: z.string().min(1).max(64) }),
    response: z.object({ run: runInfo, report: analysisReportSchema, auditHead }),
  },
  'analysis.delete': {
    request: z.strictObject({ runId: z.string().min(1).max(64), reason }),
    response: z.object({ deleted: z.string().describe('The id of the run deleted'), auditHead }),
  },
  'workspace.size': {
    request: z.strictObject({}),
    response: z.object({
      bytes: z.number().int().nonnegative().describe('The workspace file and its write-ahead log on disk'),
      runs: z.number().int().nonnegative(),
      runResultBytes: z.number().int().nonnegative().describe('Stored run results as JSON, before compression'),
    }),
  },
  'report.accountability': {
    request: z.strictObject({ workflowIds: z.array(id).min(1).max(200).optional().describe('Absent: every workflow of the library (bundled and the workspace\'s)') }),
    response: accountabilityReportSchema,
  },
  'audit.log': {
    request: z.strictObject({ limit: z.number().int().min(1).max(5000).optional() }),
    response: z.object({ entries: z.array(auditEntry) }),
  },
  'audit.verify': {
    request: z.strictObject({}),
    response: z.object({ ok: z.boolean(), entries: z.number().int(), firstBad: z.object({ seq: z.number().int(), problem: z.string() }).nullable() }),
  },
  'settings.get': {
    request: z.strictObject({ key: z.string().min(1).max(128).superRefine(plain(false)) }),
    response: z.object({ value: z.unknown() }),
  },
  'settings.set': {
    request: z.strictObject({ key: z.string().min(1).max(128).superRefine(plain(false)), value: z.unknown() }),
    response: z.object({ ok: z.literal(true) }),
  },
  ...TABLETOP_API,
  ...ACCOUNTABILITY_API,
  ...SIMULATION_API,
} as const;

export type ApiKey = keyof typeof API;
export const API_KEYS = Object.keys(API) as ApiKey[];

/**
 * What a tabletop presenter may call, the desktop's presenter window and browser mode's presenter
 * tab alike: the room's view of a session and nothing else.
 */
export const PRESENTER_KEYS: ReadonlySet<ApiKey> = new Set<ApiKey>(['tabletop.presenter']);

/**
 * What a browser-mode presenter tab's token is derived with: HMAC-SHA256 of this label and the
 * session id keyed with the per-launch token (the host in backend/http/security.ts, the console in
 * renderer/bridge.ts). The token is `<session id>.<hex MAC>`: it reads that one session's room view.
 */
export const PRESENTER_TOKEN_LABEL = 'resetpath presenter view';

/** The message a presenter token's MAC is taken over: the label, a line break, the session id. */
export const presenterTokenMessage = (sessionId: string): string => `${PRESENTER_TOKEN_LABEL}\n${sessionId}`;
export type ApiRequest<K extends ApiKey> = z.input<(typeof API)[K]['request']>;
export type ApiResponse<K extends ApiKey> = z.output<(typeof API)[K]['response']>;

/** Every call the UI can make; the preload object and the browser bridge satisfy this type. */
export type AppApi = { [K in ApiKey]: (request: ApiRequest<K>) => Promise<ApiResponse<K>> };

/** The IPC channel of a key (Electron) — the one place channel names are spelled. */
export function ipcChannel(key: ApiKey): string {
  return `resetpath:${key}`;
}

/** The HTTP route of a key (browser mode). */
export function httpRoute(key: ApiKey): string {
  return `/api/${key}`;
}

/** Error codes every adapter maps the same way (HTTP status in parentheses). */
export const API_ERRORS = {
  bad_request: 400, // payload fails its schema
  invalid_model: 422, // a workflow or scenario file is invalid; `issues` say where and what
  not_found: 404,
  conflict: 409, // e.g. the workspace is open read-only
  unavailable: 503, // something the call needs is missing on this machine (e.g. Chromium to print a PDF)
  internal: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** The error shape that crosses the boundary (never a stack trace). */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: ApiModelIssue[];
}

/** An error a backend handler throws on purpose; adapters serialise it as ApiErrorBody. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiModelIssue[] | undefined;
  constructor(code: ApiErrorCode, message: string, issues?: ApiModelIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ApiErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

/**
 * How deep a request may nest (objects and arrays). No request of the contract comes near it (a
 * setting's value is the deepest, a few levels); a payload of 300,000 levels passed JSON.parse and
 * the schema and then overflowed the stack where the service stored it (a 500 with a stack trace in
 * the log, for what is bad input).
 */
export const MAX_PAYLOAD_DEPTH = 64;

/** Whether `v` nests objects or arrays more than `max` levels deep; iterative, so any depth is safe to ask about. */
function nestsDeeperThan(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d >= max) return true;
    for (const y of Array.isArray(x) ? x : Object.values(x)) if (y !== null && typeof y === 'object') stack.push([y, d + 1]);
  }
  return false;
}

/** Validates a request payload for a key; throws ApiError('bad_request') naming the field. */
export function parseRequest<K extends ApiKey>(key: K, payload: unknown): z.output<(typeof API)[K]['request']> {
  if (!(API_KEYS as string[]).includes(key)) throw new ApiError('bad_request', `unknown API call "${String(key)}"`);
  if (nestsDeeperThan(payload, MAX_PAYLOAD_DEPTH)) throw new ApiError('bad_request', `${key}: payload: nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  const r = API[key].request.safeParse(payload ?? {});
  if (!r.success) {
    const first = r.error.issues[0]!;
    const where = first.path.length ? first.path.join('.') : 'payload';
    throw new ApiError('bad_request', `${key}: ${where}: ${first.message}`);
  }
  return r.data as z.output<(typeof API)[K]['request']>;
}

/**
 * What the desktop shell tells the UI: native menu commands only the UI can carry out (it knows
 * which workflow is being edited and which report is on screen), and imports done from the menu.
 * Browser mode has no native menu and sends none. The preload exposes the subscription as
 * `window.desktop` (ShellEvents); `window.api` stays exactly AppApi.
 */
export type ShellMessage =
  | { type: 'menu.saveWorkflow' }
  | { type: 'menu.exportReport' }
  | { type: 'workflow.imported'; id: string; revision: number };

/** The desktop-only object beside `window.api`: the shell's messages (the listener gets the message, never the IPC event), and the presenter window. */
export interface ShellEvents {
  onMessage(listener: (message: ShellMessage) => void): () => void;
  /** Opens (or brings forward) the room's presenter view of a tabletop session in a second window; false when the shell refused. */
  openPresenter(sessionId: string): Promise<boolean>;
}

/** A tabletop session id as the shell accepts it from the page (the contract's sessionId rule). */
export const PRESENTER_SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The IPC channel of ShellEvents.openPresenter (UI to main), outside the `resetpath:<key>` namespace like SHELL_MESSAGE_CHANNEL. */
export const SHELL_PRESENTER_CHANNEL = 'resetpath-shell:open-presenter';

/**
 * The IPC channel of ShellMessage (main to UI), spelled once like ipcChannel, and outside its
 * `resetpath:<key>` namespace so no API key can ever collide with it.
 */
export const SHELL_MESSAGE_CHANNEL = 'resetpath-shell:message';
