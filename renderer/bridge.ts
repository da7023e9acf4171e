// The one module through which the renderer reaches outside itself. In Electron the preload exposes
// `window.api`; in browser mode the same AppApi is built over HTTP from the contract's keys, with
// the per-launch token read once from the URL fragment, removed from the address bar, and kept in
// this module's memory and in the tab's sessionStorage, so a reload (F5) of that tab keeps the
// session without the token ever returning to the address bar or history.
import { displayText } from '../models/index.ts';
import { API_ERRORS, API_KEYS, httpRoute, presenterTokenMessage, type ApiErrorBody, type ApiErrorCode, type ApiKey, type ApiRequest, type ApiResponse, type AppApi, type ShellEvents, type ShellMessage } from '../contract/index.ts';

/** An API call that failed; `body` is the contract's error shape, whichever adapter produced it. */
export class ApiCallError extends Error {
  readonly body: ApiErrorBody;
  readonly key: ApiKey;
  constructor(key: ApiKey, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiCallError';
    this.key = key;
    this.body = body;
  }
}

const CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

/** Coerces anything an adapter may reject with into the contract's error body (never a stack). */
export function toErrorBody(value: unknown, fallback = 'the call failed'): ApiErrorBody {
  if (value instanceof ApiCallError) return value.body;
  if (value && typeof value === 'object') {
    const v = value as { code?: unknown; message?: unknown; issues?: unknown; body?: unknown };
    if (v.body && typeof v.body === 'object') return toErrorBody(v.body, fallback);
    const code = typeof v.code === 'string' && (CODES as string[]).includes(v.code) ? (v.code as ApiErrorCode) : 'internal';
    const message = typeof v.message === 'string' && v.message.length > 0 ? stripIpcPrefix(v.message) : fallback;
    const issues = Array.isArray(v.issues) ? (v.issues as ApiErrorBody['issues']) : undefined;
    return issues ? { code, message, issues } : { code, message };
  }
  return { code: 'internal', message: typeof value === 'string' && value ? value : fallback };
}

// Electron prefixes errors crossing ipcRenderer.invoke with "Error invoking remote method '<channel>': ".
function stripIpcPrefix(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*':\s*(Error:\s*)?/, '');
}

/** The status code an HTTP adapter answers with, mapped back to an error code. */
export function codeForStatus(status: number): ApiErrorCode {
  const hit = CODES.find((c) => API_ERRORS[c] === status);
  return hit ?? (status === 401 || status === 403 ? 'bad_request' : 'internal');
}

/**
 * Reads `token=<t>` from a URL fragment ("#token=abc"); null when absent. A console's token is
 * base64url; a presenter tab's is `<session id>.<hex>`, so one dot is allowed too.
 */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const t = params.get('token');
  return t && /^[A-Za-z0-9_-]+(\.[0-9a-f]+)?$/.test(t) && t.length >= 8 && t.length <= 256 ? t : null;
}

type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body: string; cache: 'no-store'; credentials: 'same-origin' }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/**
 * Builds AppApi over HTTP: POST /api/<key> with a JSON body and the launch token in a header.
 * `onRefused` is told when the host refuses the token (401/403), e.g. to forget a stored session.
 */
export function createHttpApi(token: string, fetchImpl: FetchLike, onRefused?: () => void): AppApi {
  const call = async <K extends ApiKey>(key: K, request: ApiRequest<K>): Promise<ApiResponse<K>> => {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await fetchImpl(httpRoute(key), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-ResetPath-Token': token },
        body: JSON.stringify(request ?? {}),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiCallError(key, { code: 'internal', message: 'the ResetPath host does not answer; it may have been stopped (start it again with npm start)' });
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    if (!res.ok) {
      if ((res.status === 401 || res.status === 403) && onRefused) onRefused();
      const fallback = res.status === 401 || res.status === 403 ? 'the host refused the session token; open the URL that npm start printed' : `the host answered HTTP ${res.status}`;
      const parsed = toErrorBody(body, fallback);
      throw new ApiCallError(key, body && typeof body === 'object' && 'code' in body ? parsed : { code: codeForStatus(res.status), message: parsed.message });
    }
    return body as ApiResponse<K>;
  };
  return Object.fromEntries(API_KEYS.map((key) => [key, (request: ApiRequest<typeof key>) => call(key, request)])) as AppApi;
}

/** Wraps an adapter so every rejection is an ApiCallError carrying the contract's error body. */
export function withErrorBodies(api: AppApi): AppApi {
  return Object.fromEntries(
    API_KEYS.map((key) => [
      key,
      async (request: never) => {
        try {
          return await (api[key] as (r: never) => Promise<unknown>)(request);
        } catch (e) {
          throw new ApiCallError(key, toErrorBody(e));
        }
      },
    ]),
  ) as AppApi;
}

/**
 * A value with every string in it made display-safe (models/displayText.ts: control and bidirectional
 * characters written visibly as \u{…}; newlines and tabs of prose kept), except a model document's
 * `text`, the file byte for byte, which the renderer parses with the loaders (and they refuse such
 * characters in every name). Models are checked at load, so this catches what was stored before the
 * rule: an analysis run saved earlier, a file name, a setting.
 */
export function displaySafeValue(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'text' ? value : displayText(value, { multiline: true });
  if (Array.isArray(value)) return value.map((v) => displaySafeValue(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = displaySafeValue(v, k);
    return out;
  }
  return value;
}

/** Every response and error body of the API made display-safe on arrival, whichever adapter answered. */
export function displaySafe(api: AppApi): AppApi {
  return Object.fromEntries(
    API_KEYS.map((key) => [
      key,
      async (request: never) => {
        let response: unknown;
        try {
          response = await (api[key] as (r: never) => Promise<unknown>)(request);
        } catch (e) {
          throw e instanceof ApiCallError ? new ApiCallError(e.key, displaySafeValue(e.body) as ApiErrorBody) : e;
        }
        return displaySafeValue(response);
      },
    ]),
  ) as AppApi;
}

/** The tab's sessionStorage as the bridge uses it (absent or throwing where storage is disabled). */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The sessionStorage key of a browser-mode tab's session; boot.ts spells it too (a test checks they agree). */
export const SESSION_KEY = 'resetpath.session';

/** The session a tab keeps across reloads: the launch token, and the presenter view it shows, if any. */
interface StoredSession {
  token: string;
  presenter: string | null;
}

/** Reads the tab's stored session; null when there is none, it is malformed, or storage is unavailable. */
export function readSession(store: SessionStore | undefined): StoredSession | null {
  try {
    const raw = store?.getItem(SESSION_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { token?: unknown; presenter?: unknown };
    const token = typeof v.token === 'string' ? tokenFromHash(`token=${encodeURIComponent(v.token)}`) : null;
    if (!token) return null;
    const presenter = typeof v.presenter === 'string' ? presenterFromHash(`presenter=${encodeURIComponent(v.presenter)}`) : null;
    return { token, presenter };
  } catch {
    return null;
  }
}

function writeSession(store: SessionStore | undefined, session: StoredSession | null): void {
  try {
    if (session) store?.setItem(SESSION_KEY, JSON.stringify(session));
    else store?.removeItem(SESSION_KEY);
  } catch {
    // Storage disabled or full: the session lasts until a reload, as before.
  }
}

interface BrowserGlobals {
  api?: AppApi;
  sessionStorage?: SessionStore;
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  fetch: FetchLike;
}

export type Connection = { ok: true; api: AppApi; mode: 'electron' | 'browser'; presenter: string | null } | { ok: false; message: string };

/** Where the page was opened: the presenter view of a tabletop session (`#…&presenter=<id>`), or null. */
export function presenterFromHash(hash: string): string | null {
  const id = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('presenter');
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/**
 * The page of the connection and the key its presenter tokens are derived with (this page's token,
 * imported for HMAC and not extractable), kept in this module only: what a presenter tab's URL is
 * built from. No key in a presenter tab, or in the desktop app.
 */
let origin: { base: string; presenterKey: CryptoKey | null } | null = null;

/** This page's token as an HMAC-SHA256 signing key. */
function presenterKeyOf(token: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** `<session id>.<hex MAC>` with a key made from a page's token. */
async function presenterTokenWith(key: CryptoKey, sessionId: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(presenterTokenMessage(sessionId))));
  return `${sessionId}.${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A presenter tab's token for one session: `<session id>.<hex>`, the hex being HMAC-SHA256 of the
 * label and the session id keyed with this page's token, as the host derives it. The host admits it
 * for that session's `tabletop.presenter` only, so the room's tab cannot read the facilitator's notes,
 * another session or change anything, whatever runs in it.
 */
export async function presenterTokenOf(token: string, sessionId: string): Promise<string> {
  return presenterTokenWith(await presenterKeyOf(token), sessionId);
}

/**
 * The URL of a session's presenter view in a second tab of browser mode (with that session's
 * presenter token in the fragment, which the new tab reads and removes like this one); null in the
 * desktop app, in a presenter tab, or in the moment before the key is imported.
 */
export async function presenterUrl(sessionId: string): Promise<string | null> {
  const here = origin;
  if (!here?.presenterKey) return null;
  return `${here.base}#token=${encodeURIComponent(await presenterTokenWith(here.presenterKey, sessionId))}&presenter=${encodeURIComponent(sessionId)}`;
}

/**
 * Connects once: the preload's `window.api` when present, else HTTP with the token taken from the
 * URL fragment, which is then removed from the address bar and history and kept in the tab's
 * sessionStorage; without a token in the fragment (a reload), the tab's stored session is used.
 * sessionStorage belongs to this origin and this tab only, and ends with the tab.
 */
export function connect(g: BrowserGlobals): Connection {
  if (g.api) return { ok: true, api: displaySafe(withErrorBodies(g.api)), mode: 'electron', presenter: presenterFromHash(g.location.hash) };
  const fromHash = tokenFromHash(g.location.hash);
  const stored = fromHash ? null : readSession(g.sessionStorage);
  const token = fromHash ?? stored?.token ?? null;
  const presenter = fromHash ? presenterFromHash(g.location.hash) : (stored?.presenter ?? null);
  if (g.location.hash) g.history.replaceState(null, '', `${g.location.pathname}${g.location.search}`);
  if (!token) return { ok: false, message: 'This page needs the session token. Open the exact URL that npm start printed (it ends with #token=…); the token is removed from the address bar once read, and this tab keeps it across reloads.' };
  if (fromHash) writeSession(g.sessionStorage, { token, presenter });
  const early = (g as { __resetpathEarly?: Partial<Record<string, Promise<Awaited<ReturnType<FetchLike>>>>> }).__resetpathEarly;
  const here = { base: `${(g.location as { origin?: string }).origin ?? ''}${g.location.pathname}${g.location.search}`, presenterKey: null as CryptoKey | null };
  origin = here;
  // A presenter tab opens no further presenter tab; a console keeps the key it derives their tokens with.
  if (!presenter) void presenterKeyOf(token).then((k) => (here.presenterKey = k), () => undefined);
  // A refused token (the host was restarted with a new one) is forgotten, so the next reload says to open the new URL.
  const forget = () => writeSession(g.sessionStorage, null);
  return { ok: true, api: displaySafe(createHttpApi(token, withEarlyResponses(g.fetch.bind(globalThis) as FetchLike, early), forget)), mode: 'browser', presenter };
}

/**
 * A fetch that answers the first `{}` call of a key boot.ts already sent with that response, once,
 * so the page does not ask the host twice; every other call goes to the network.
 */
export function withEarlyResponses(fetchImpl: FetchLike, early: Partial<Record<string, Promise<Awaited<ReturnType<FetchLike>>>>> | undefined): FetchLike {
  if (!early) return fetchImpl;
  const pending = new Map(API_KEYS.filter((k) => early[k]).map((k) => [httpRoute(k), early[k]!]));
  return (input, init) => {
    const hit = init.body === '{}' ? pending.get(input) : undefined;
    if (hit) {
      pending.delete(input);
      return hit;
    }
    return fetchImpl(input, init);
  };
}

let connection: Connection | null = null;

/** The app's single connection, made on first use from the real window. */
export function getConnection(): Connection {
  connection ??= connect(globalThis as unknown as BrowserGlobals);
  return connection;
}

/** The first calls, made as soon as the bridge connects, so the backend works while the page starts. */
export interface Boot {
  info: Promise<ApiResponse<'app.info'>>;
  library: Promise<ApiResponse<'library.list'>>;
}

export function startBoot(api: AppApi): Boot {
  const boot = { info: api['app.info']({}), library: api['library.list']({}) };
  // Handled where they are awaited; this only keeps an early failure from being reported as unhandled.
  boot.info.catch(() => undefined);
  boot.library.catch(() => undefined);
  return boot;
}

/** Subscribes to the desktop shell's messages (menu commands, imports); browser mode has none. */
export function onShellMessage(listener: (message: ShellMessage) => void, g: { desktop?: ShellEvents } = globalThis as { desktop?: ShellEvents }): () => void {
  return g.desktop ? g.desktop.onMessage(listener) : () => undefined;
}

/**
 * Opens the room's presenter view of a session: a second window of the desktop app (the shell
 * opens it), or a second tab in browser mode. False when neither could be opened.
 */
export async function openPresenterView(sessionId: string, g: { desktop?: ShellEvents; open?: (url: string, target: string, features: string) => unknown } = globalThis as never): Promise<boolean> {
  if (g.desktop) return g.desktop.openPresenter(sessionId);
  const url = await presenterUrl(sessionId);
  if (!url || !g.open) return false;
  g.open(url, `presenter-${sessionId}`, 'noopener');
  return true;
}

/** Offers a file to the user: a download in browser mode, the save dialog in the desktop shell. */
export function offerDownload(fileName: string, content: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
