// The preload's objects, built from the contract alone so they can be tested without Electron.
// One verb per API key, each a single ipcRenderer.invoke on the key's channel; the renderer never
// sees ipcRenderer, a channel name or an IPC event.
import {
  API_KEYS,
  ipcChannel,
  PRESENTER_SESSION_ID,
  SHELL_MESSAGE_CHANNEL,
  SHELL_PRESENTER_CHANNEL,
  type ApiErrorBody,
  type ApiKey,
  type ApiRequest,
  type ApiResponse,
  type AppApi,
  type ShellEvents,
  type ShellMessage,
} from '../../contract/index.ts';

/** ipcRenderer.invoke, passed in. */
export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;

/**
 * The IPC result's value, or a rejection with the ApiErrorBody. The rejection is a plain
 * { code, message, issues? } object, not an Error: contextBridge copies only an Error's message
 * into the page's world, while a plain object arrives whole.
 */
export function unwrap(result: unknown): unknown {
  if (result && typeof result === 'object') {
    const r = result as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true) return r.value;
    if (r.ok === false && r.error && typeof r.error === 'object') throw errorBody(r.error as Partial<ApiErrorBody>);
  }
  throw { code: 'internal', message: 'the main process sent no result' } satisfies ApiErrorBody;
}

function errorBody(e: Partial<ApiErrorBody>): ApiErrorBody {
  const body: ApiErrorBody = { code: e.code ?? 'internal', message: typeof e.message === 'string' ? e.message : 'the call failed' };
  if (Array.isArray(e.issues)) body.issues = e.issues;
  return body;
}

function verb<K extends ApiKey>(invoke: Invoke, key: K) {
  const channel = ipcChannel(key);
  return async (request: ApiRequest<K>): Promise<ApiResponse<K>> => unwrap(await invoke(channel, request)) as ApiResponse<K>;
}

type Verbs = { [K in ApiKey]: ReturnType<typeof verb<K>> };

/** The object exposed as `window.api`: one verb per contract key, frozen. */
export function createPreloadApi(invoke: Invoke): AppApi {
  const verbs: Partial<Record<ApiKey, unknown>> = {};
  for (const key of API_KEYS) verbs[key] = verb(invoke, key);
  // The loop above fills every key of Verbs; the runtime coverage test checks it against API_KEYS.
  return Object.freeze(verbs as Verbs) satisfies AppApi;
}

/** ipcRenderer.on / removeListener, passed in; the handler receives the IPC event first. */
export interface IpcSubscribe {
  on(channel: string, handler: (event: unknown, message: unknown) => void): void;
  removeListener(channel: string, handler: (event: unknown, message: unknown) => void): void;
  invoke(channel: string, payload: unknown): Promise<unknown>;
}

/**
 * The object exposed as `window.desktop`. The listener gets the message only: the IPC event
 * carries `sender`, through which a page could reach ipcRenderer.
 */
export function createShellEvents(ipc: IpcSubscribe): ShellEvents {
  return Object.freeze({
    onMessage(listener: (message: ShellMessage) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onMessage needs a function');
      const handler = (_event: unknown, message: unknown) => listener(message as ShellMessage);
      ipc.on(SHELL_MESSAGE_CHANNEL, handler);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(SHELL_MESSAGE_CHANNEL, handler);
      };
    },
    async openPresenter(sessionId: string): Promise<boolean> {
      if (typeof sessionId !== 'string' || !PRESENTER_SESSION_ID.test(sessionId)) return false;
      return (await ipc.invoke(SHELL_PRESENTER_CHANNEL, sessionId)) === true;
    },
  });
}
