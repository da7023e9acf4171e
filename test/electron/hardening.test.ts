// The glue in electron/main/hardening.ts, driven without Electron: it imports Electron's types only,
// so these tests hand it small objects that record what it registers (the listeners, handlers and
// callbacks) and then call those the way Electron's documentation says Electron does. Nothing here
// imitates what Electron does with the answers or claims the app runs; the decisions themselves are
// tested in navigation, permissions, csp and appProtocol.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardWebContents, handleAppProtocol, hardenSession, installGuards } from '../../electron/main/hardening.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy/csp.ts';

type Listener = (...args: any[]) => unknown;

/** Records what is registered on a web contents. */
function recordingContents() {
  const listeners = new Map<string, Listener[]>();
  let windowOpenHandler: Listener | null = null;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: Listener) {
      windowOpenHandler = handler;
    },
  };
  const emit = (event: string, ...args: unknown[]) => {
    for (const l of listeners.get(event) ?? []) l(...args);
  };
  return { contents: contents as unknown as WebContents, listeners, emit, windowOpen: (url: string) => windowOpenHandler!({ url }) };
}

/** Records what is registered on a session. */
function recordingSession() {
  const r = {
    listeners: new Map<string, Listener[]>(),
    handlers: {} as Record<string, Listener>,
    protocols: new Map<string, Listener>(),
  };
  const session = {
    on(event: string, listener: Listener) {
      r.listeners.set(event, [...(r.listeners.get(event) ?? []), listener]);
      return session;
    },
    setPermissionRequestHandler: (h: Listener) => void (r.handlers.permissionRequest = h),
    setPermissionCheckHandler: (h: Listener) => void (r.handlers.permissionCheck = h),
    setDevicePermissionHandler: (h: Listener) => void (r.handlers.devicePermission = h),
    webRequest: {
      onBeforeRequest: (h: Listener) => void (r.handlers.beforeRequest = h),
      onHeadersReceived: (h: Listener) => void (r.handlers.headersReceived = h),
    },
    protocol: { handle: (scheme: string, h: Listener) => void r.protocols.set(scheme, h) },
  };
  return { session: session as unknown as Session, ...r };
}

const navigationEvent = () => ({ preventDefault: vi.fn() });

describe('the app', () => {
  it('guards every web contents it creates: installGuards registers web-contents-created, which applies the window hooks', () => {
    const on = vi.fn();
    installGuards({ on });
    expect(on).toHaveBeenCalledOnce();
    expect(on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const created = recordingContents();
    on.mock.calls[0]![1]({}, created.contents);
    expect([...created.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(created.windowOpen('https://example.org/')).toEqual({ action: 'deny' });
  });
});

describe('a web contents, once guarded', () => {
  const guarded = () => {
    const c = recordingContents();
    guardWebContents(c.contents);
    return c;
  };

  it('has every window hook registered, each once', () => {
    const c = guarded();
    expect([...c.listeners.entries()].map(([e, ls]) => [e, ls.length]).sort()).toEqual([
      ['will-attach-webview', 1],
      ['will-frame-navigate', 1],
      ['will-navigate', 1],
      ['will-redirect', 1],
    ]);
  });

  it.each(['https://evil.example/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)'])('is not navigated or redirected to %s', (url) => {
    const c = guarded();
    const navigate = navigationEvent();
    c.emit('will-navigate', navigate, url);
    expect(navigate.preventDefault).toHaveBeenCalled();
    const redirect = navigationEvent();
    c.emit('will-redirect', redirect, url);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = { url, preventDefault: vi.fn() };
    c.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
  });

  it('may navigate and be redirected within the app\'s own pages', () => {
    const c = guarded();
    const navigate = navigationEvent();
    const redirect = navigationEvent();
    const frame = { url: 'app://resetpath/index.html#presenter=s-1', preventDefault: vi.fn() };
    c.emit('will-navigate', navigate, 'app://resetpath/index.html');
    c.emit('will-redirect', redirect, 'app://resetpath/index.html');
    c.emit('will-frame-navigate', frame);
    for (const e of [navigate, redirect, frame]) expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it('attaches no <webview>', () => {
    const c = guarded();
    const attach = navigationEvent();
    c.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it.each(['https://csrc.nist.gov/', 'app://resetpath/index.html', 'about:blank'])('opens no window for %s', (url) => {
    expect(guarded().windowOpen(url)).toEqual({ action: 'deny' });
  });
});

describe('the app\'s session, once hardened', () => {
  const hardened = () => {
    const s = recordingSession();
    hardenSession(s.session);
    return s;
  };

  it('has every session hook registered', () => {
    const s = hardened();
    expect(Object.keys(s.handlers).sort()).toEqual(['beforeRequest', 'devicePermission', 'headersReceived', 'permissionCheck', 'permissionRequest']);
    expect([...s.listeners.keys()]).toEqual(['will-download']);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])('answers a request for %s with false, and reports it as not granted', (permission) => {
    const { handlers } = hardened();
    const callback = vi.fn();
    handlers.permissionRequest!({}, permission, callback, { requestingUrl: 'app://resetpath/index.html' });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(handlers.permissionCheck!({}, permission, 'app://resetpath', {})).toBe(false);
  });

  it('grants no device', () => {
    for (const deviceType of ['hid', 'serial', 'usb']) expect(hardened().handlers.devicePermission!({ deviceType, origin: 'app://resetpath' })).toBe(false);
  });

  it.each(['https://example.org/x.js', 'http://127.0.0.1/', 'wss://example.org/', 'file:///etc/passwd'])('cancels the request to %s', (url) => {
    const callback = vi.fn();
    hardened().handlers.beforeRequest!({ url }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: true });
  });

  it.each(['chrome://settings/', 'view-source:app://resetpath/index.html', 'devtools://devtools/bundled/inspector.html'])('cancels the request to %s in a packaged build, the default', (url) => {
    const callback = vi.fn();
    hardened().handlers.beforeRequest!({ url }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: true });
  });

  it('lets DevTools load its pages only when told the build offers DevTools', () => {
    const s = recordingSession();
    hardenSession(s.session, { devTools: true });
    const callback = vi.fn();
    s.handlers.beforeRequest!({ url: 'devtools://devtools/bundled/inspector.html' }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: false });
  });

  it('lets the app\'s own requests through', () => {
    const callback = vi.fn();
    hardened().handlers.beforeRequest!({ url: 'app://resetpath/assets/index.js' }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: false });
  });

  it('replaces a CSP header the response carried by the app\'s', () => {
    const callback = vi.fn();
    hardened().handlers.headersReceived!({ url: 'app://resetpath/', responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it.each(['https://evil.example/payload.exe', 'blob:https://evil.example/1', 'data:application/octet-stream;base64,AAAA', 'file:///etc/passwd'])('cancels the download of %s', (url) => {
    const s = hardened();
    const event = navigationEvent();
    s.listeners.get('will-download')![0]!(event, { getURL: () => url }, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('lets the page download a blob it made (an exported report)', () => {
    const s = hardened();
    const event = navigationEvent();
    s.listeners.get('will-download')![0]!(event, { getURL: () => 'blob:app://resetpath/3f0c8d3e-8a7e-4a43-9d0e-0a4c0b1f5f44' }, {});
    expect(event.preventDefault).not.toHaveBeenCalled();
  });
});

describe('the app:// handler on the session', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'resetpath-hardening-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>ResetPath</title>');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const handler = () => {
    const s = recordingSession();
    handleAppProtocol(s.session, join(dir, 'renderer'));
    expect([...s.protocols.keys()]).toEqual(['app']);
    return s.protocols.get('app')! as (request: { method: string; url: string }) => Promise<Response>;
  };

  it('serves a file of the build folder under the CSP, and HEAD without its body', async () => {
    const get = await handler()({ method: 'GET', url: 'app://resetpath/index.html' });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(get.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await get.text()).toBe('<!doctype html><title>ResetPath</title>');
    const head = await handler()({ method: 'HEAD', url: 'app://resetpath/index.html' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses a write method with 405 and a path out of the folder with 400', async () => {
    const post = await handler()({ method: 'POST', url: 'app://resetpath/index.html' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const out = await handler()({ method: 'GET', url: 'app://resetpath/%2e%2e%2fsecret.txt' });
    expect(out.status).toBe(400);
    expect(await out.text()).not.toContain('secret');
  });
});
