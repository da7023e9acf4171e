// The single wrapper every IPC handler goes through. It answers only the main frame of the app's
// own window on the app's own origin, validates the payload against the contract before the
// backend sees it, and turns every failure into an ApiErrorBody: nothing thrown in the main
// process (a stack, a path, a SQL message) crosses to the renderer.
import { ApiError, parseRequest, PRESENTER_KEYS, type ApiErrorBody, type ApiKey } from '../../../contract/index.ts';
import { isAppUrl } from './origin.ts';

/** What an IPC handler sends back: the contract's response, or its error body. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/** The backend entry the wrapper calls with an already validated request (backend's dispatch). */
export type Dispatch = (key: ApiKey, request: unknown) => Promise<IpcResult>;

/** The parts of Electron's IpcMainInvokeEvent the wrapper reads. */
export interface IpcSenderEvent {
  readonly sender: { readonly id: number };
  /** Null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** One of the app's windows: the main window, or the presenter window of the one tabletop session it was opened for. */
export type AppWindow = { readonly kind: 'main' } | { readonly kind: 'presenter'; readonly sessionId: string };

/** Which of the app's windows a web contents is, or null for none. */
export type WindowOf = (webContentsId: number) => AppWindow | null;

/**
 * Why a sender is refused, or null when it is the main frame of the app's own window on the app's
 * origin. With `key`, a presenter window is accepted for the presenter keys only (and, once the
 * payload is parsed, for its own session only: presenterSessionRefusal).
 */
export function senderRefusal(event: IpcSenderEvent, windowOf: WindowOf, key?: ApiKey): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame no longer exists';
  const window = windowOf(event.sender.id);
  if (window === null) return 'the call did not come from the ResetPath window';
  if (window.kind === 'presenter' && (key === undefined || !PRESENTER_KEYS.has(key))) return 'the presenter window reads the presenter view only';
  // Subframes never get the API: the page cannot delegate it to something it embeds.
  if (frame.parent !== null) return 'the call came from a subframe';
  if (!isAppUrl(frame.url)) return 'the call came from a page outside the app';
  return null;
}

/**
 * Why a parsed request is refused for the window that sent it, or null. A presenter window shows
 * one session, the one the main window opened it for; it reads that session's presenter view and
 * no other, whatever id its page puts in the request.
 */
export function presenterSessionRefusal(window: AppWindow | null, request: unknown): string | null {
  if (window?.kind !== 'presenter') return null;
  const sessionId = request && typeof request === 'object' ? (request as { sessionId?: unknown }).sessionId : undefined;
  return sessionId === window.sessionId ? null : 'the presenter window reads the session it was opened for only';
}

/** Logs what the renderer must not see; defaults to stderr. */
export type IpcLog = (line: string) => void;

/**
 * The handler for one contract key: sender check, payload validation, then the backend. Never
 * throws; the backend is not called for a refused sender or an invalid payload.
 */
export function createIpcHandler(
  key: ApiKey,
  dispatch: () => Dispatch,
  windowOf: WindowOf,
  log: IpcLog = (line) => void process.stderr.write(`${line}\n`),
): (event: IpcSenderEvent, payload: unknown) => Promise<IpcResult> {
  return async (event, payload) => {
    try {
      const refusal = senderRefusal(event, windowOf, key);
      if (refusal) return refused(log, key, refusal);
      const request = parseRequest(key, payload);
      const scope = presenterSessionRefusal(windowOf(event.sender.id), request);
      if (scope) return refused(log, key, scope);
      const result = await dispatch()(key, request);
      return isIpcResult(result) ? result : internal(log, key, 'the backend returned no result envelope');
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toBody() };
      return internal(log, key, e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  };
}

function refused(log: IpcLog, key: ApiKey, reason: string): IpcResult {
  log(`resetpath ipc: refused ${key}: ${reason}`);
  return { ok: false, error: { code: 'bad_request', message: `refused: ${reason}` } };
}

function internal(log: IpcLog, key: ApiKey, detail: string): IpcResult {
  log(`resetpath ipc: ${key}: ${detail}`);
  return { ok: false, error: { code: 'internal', message: 'internal error; the details are in the app log' } };
}

function isIpcResult(r: unknown): r is IpcResult {
  if (!r || typeof r !== 'object') return false;
  const o = r as { ok?: unknown; error?: unknown };
  return o.ok === true ? 'value' in o : o.ok === false && !!o.error && typeof o.error === 'object';
}
