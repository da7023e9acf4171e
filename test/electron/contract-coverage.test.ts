// Every key of the contract reaches the renderer: the preload exposes a verb for it and the main
// process registers its handler. `electron` is mocked only to capture what the glue hands to
// contextBridge and ipcMain; no Electron behaviour is imitated and nothing here claims the app runs.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEYS, ipcChannel, SHELL_MESSAGE_CHANNEL, SHELL_PRESENTER_CHANNEL } from '../../contract/index.ts';
import { ANALYSIS_SEMI_SPACE_MB } from '../../backend/index.ts';

const captured = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
  handled: new Map<string, (...args: unknown[]) => unknown>(),
  schemes: [] as unknown[],
  sandboxEnabled: false,
  switches: [] as [string, string | undefined][],
  appEvents: new Map<string, (...args: unknown[]) => unknown>(),
  invokeResult: { ok: true, value: { fine: true } } as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => captured.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => {
      captured.invoked.push([channel, payload]);
      return captured.invokeResult;
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      if (!captured.listeners.has(channel)) captured.listeners.set(channel, new Set());
      captured.listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => captured.listeners.get(channel)?.delete(fn),
  },
  ipcMain: { handle: (channel: string, fn: (...args: unknown[]) => unknown) => captured.handled.set(channel, fn) },
  app: {
    enableSandbox: () => {
      captured.sandboxEnabled = true;
    },
    commandLine: { appendSwitch: (name: string, value?: string) => captured.switches.push([name, value]) },
    requestSingleInstanceLock: () => true,
    on: (event: string, fn: (...args: unknown[]) => unknown) => void captured.appEvents.set(event, fn),
    // Never ready: only what the main process registers before 'ready' is looked at.
    whenReady: () => new Promise(() => {}),
    isPackaged: false,
    quit: () => undefined,
  },
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => captured.schemes.push(...schemes) },
  BrowserWindow: class {},
  Menu: {},
  dialog: {},
  screen: {},
  session: {},
  shell: {},
}));

describe('the preload', () => {
  beforeAll(async () => {
    await import('../../electron/preload/index.ts');
  });

  it('exposes window.api and window.desktop, and nothing else', () => {
    expect([...captured.exposed.keys()].sort()).toEqual(['api', 'desktop']);
  });

  it('exposes one verb per contract key, and no other property', () => {
    const api = captured.exposed.get('api') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_KEYS].sort());
    for (const key of API_KEYS) expect(typeof api[key]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('never exposes ipcRenderer or a way to name a channel', () => {
    const desktop = captured.exposed.get('desktop') as Record<string, unknown>;
    expect(Object.keys(desktop)).toEqual(['onMessage', 'openPresenter']);
    for (const value of captured.exposed.values()) {
      for (const name of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on', 'postMessage', 'removeAllListeners']) expect(value).not.toHaveProperty(name);
    }
  });

  it.each(API_KEYS)('calls %s on its own channel with the payload and returns the value', async (key) => {
    const api = captured.exposed.get('api') as Record<string, (r: unknown) => Promise<unknown>>;
    captured.invoked.length = 0;
    captured.invokeResult = { ok: true, value: { fine: key } };
    await expect(api[key]!({ probe: 1 })).resolves.toEqual({ fine: key });
    expect(captured.invoked).toEqual([[ipcChannel(key), { probe: 1 }]]);
  });

  it('rejects with the error body as a plain object, which contextBridge copies whole', async () => {
    const api = captured.exposed.get('api') as Record<string, (r: unknown) => Promise<unknown>>;
    const body = { code: 'invalid_model', message: 'bad.yaml:3:7: unknown control', issues: [{ file: 'bad.yaml', line: 3, column: 7, path: 'steps[0]', message: 'unknown control' }] };
    captured.invokeResult = { ok: false, error: body };
    const err = await api['workflow.save']!({}).catch((e: unknown) => e);
    expect(err).toEqual(body);
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
    captured.invokeResult = undefined;
    await expect(api['app.info']!({})).rejects.toEqual({ code: 'internal', message: 'the main process sent no result' });
  });

  it('hands shell messages to listeners without the IPC event, and unsubscribes', () => {
    const desktop = captured.exposed.get('desktop') as { onMessage: (l: (...args: unknown[]) => void) => () => void };
    const seen: unknown[][] = [];
    const off = desktop.onMessage((...args) => seen.push(args));
    const fakeEvent = { sender: { send: () => {} }, ports: [] };
    for (const fn of captured.listeners.get(SHELL_MESSAGE_CHANNEL) ?? []) fn(fakeEvent, { type: 'menu.exportReport' });
    expect(seen).toEqual([[{ type: 'menu.exportReport' }]]);
    off();
    off();
    expect(captured.listeners.get(SHELL_MESSAGE_CHANNEL)?.size).toBe(0);
    expect(() => desktop.onMessage('not a function' as never)).toThrow(TypeError);
  });

  it('asks the shell for a presenter window with a session id of the contract\'s form only', async () => {
    const desktop = captured.exposed.get('desktop') as { openPresenter: (id: unknown) => Promise<boolean> };
    captured.invoked.length = 0;
    captured.invokeResult = true;
    await expect(desktop.openPresenter('sess-42')).resolves.toBe(true);
    expect(captured.invoked).toEqual([[SHELL_PRESENTER_CHANNEL, 'sess-42']]);
    for (const bad of ['', '../x', 'a'.repeat(65), 42, { id: 'x' }]) await expect(desktop.openPresenter(bad)).resolves.toBe(false);
    expect(captured.invoked).toHaveLength(1);
    captured.invokeResult = { ok: true, value: { fine: true } };
  });
});

describe('the main process', () => {
  beforeAll(async () => {
    await import('../../electron/main/index.ts');
  });
  afterEach(() => vi.restoreAllMocks());

  it('registers one handler per contract key and the presenter window\'s, and no other channel', () => {
    expect([...captured.handled.keys()].sort()).toEqual([...API_KEYS.map(ipcChannel), SHELL_PRESENTER_CHANNEL].sort());
  });

  it('refuses to open a presenter window for a sender that is not the app window', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handler = captured.handled.get(SHELL_PRESENTER_CHANNEL)!;
    expect(await handler({ sender: { id: 99 }, senderFrame: { url: 'app://resetpath/index.html', parent: null } }, 'sess-1')).toBe(false);
  });

  it.each(API_KEYS)('refuses %s from a sender that is not the app window', async (key) => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handler = captured.handled.get(ipcChannel(key))!;
    const r = await handler({ sender: { id: 99 }, senderFrame: { url: 'app://resetpath/index.html', parent: null } }, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('guards every web contents from its creation: web-contents-created is registered before the app is ready and applies the window hooks', () => {
    const created = captured.appEvents.get('web-contents-created');
    expect(created).toEqual(expect.any(Function));
    const registered: string[] = [];
    const navigate = new Map<string, (...args: unknown[]) => void>();
    let openHandler: ((d: { url: string }) => unknown) | null = null;
    created!({}, {
      on: (event: string, fn: (...args: unknown[]) => void) => {
        registered.push(event);
        navigate.set(event, fn);
      },
      setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => {
        openHandler = fn;
      },
    });
    expect(registered.sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const preventDefault = vi.fn();
    navigate.get('will-navigate')!({ preventDefault }, 'https://evil.example/');
    expect(preventDefault).toHaveBeenCalled();
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('sandboxes every renderer and registers app:// before the app is ready', () => {
    expect(captured.sandboxEnabled).toBe(true);
    expect(captured.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('adds one switch to Chromium\'s command line: a V8 heap size for the renderers, nothing that weakens a check', () => {
    // The review behind electronegativity's CUSTOM_ARGUMENTS_JS_CHECK in electron/main/index.ts.
    expect(captured.switches).toEqual([['js-flags', `--max-semi-space-size=${ANALYSIS_SEMI_SPACE_MB}`]]);
  });
});
