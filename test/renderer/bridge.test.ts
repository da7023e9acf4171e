import { describe, expect, it, vi } from 'vitest';
import { presenterTokenOf as hostPresenterToken } from '../../backend/http/security.ts';
import { API_KEYS, type AppApi } from '../../contract/index.ts';
import { ApiCallError, connect, createHttpApi, readSession, SESSION_KEY, type SessionStore, displaySafe, displaySafeValue, onShellMessage, openPresenterView, presenterFromHash, presenterTokenOf, presenterUrl, toErrorBody, tokenFromHash, withEarlyResponses, withErrorBodies } from '../../renderer/bridge.ts';

type Call = { url: string; init: { method: string; headers: Record<string, string>; body: string } };

function fakeFetch(respond: (c: Call) => { status: number; body: unknown }) {
  const calls: Call[] = [];
  const fn = async (url: string, init: Call['init']) => {
    calls.push({ url, init });
    const r = respond({ url, init });
    return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => (r.body === undefined ? Promise.reject(new SyntaxError('no body')) : r.body) };
  };
  return { calls, fn };
}

describe('browser bridge over HTTP', () => {
  it('implements every contract key as POST /api/<key> with the token header and a JSON body', async () => {
    const f = fakeFetch(() => ({ status: 200, body: { ok: true } }));
    const api = createHttpApi('tok_123456789', f.fn);
    expect(Object.keys(api).sort()).toEqual([...API_KEYS].sort());
    await api['analysis.run']({ workflowId: 'standard-password-reset.weak' });
    expect(f.calls[0]).toEqual({
      url: '/api/analysis.run',
      init: expect.objectContaining({
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-ResetPath-Token': 'tok_123456789' },
        body: '{"workflowId":"standard-password-reset.weak"}',
      }),
    });
  });

  it('surfaces a refused call as the contract\'s error body, issues included', async () => {
    const body = { code: 'invalid_model', message: 'bad workflow', issues: [{ file: 'w.yaml', line: 3, column: 1, path: 'steps[0]', message: 'unknown kind' }] };
    const api = createHttpApi('tok_123456789', fakeFetch(() => ({ status: 422, body })).fn);
    const err = await api['workflow.save']({ fileName: 'w.yaml', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).body).toEqual(body);
    expect((err as ApiCallError).key).toBe('workflow.save');
  });

  it('explains a refused token and an unreachable host in words, not stacks', async () => {
    const refused = createHttpApi('tok_123456789', fakeFetch(() => ({ status: 403, body: undefined })).fn);
    const e1 = (await refused['app.info']({}).catch((e: unknown) => e)) as ApiCallError;
    expect(e1.body).toEqual({ code: 'bad_request', message: 'the host refused the session token; open the URL that npm start printed' });
    const down = createHttpApi('tok_123456789', async () => Promise.reject(new TypeError('Failed to fetch')));
    const e2 = (await down['app.info']({}).catch((e: unknown) => e)) as ApiCallError;
    expect(e2.body.code).toBe('internal');
    expect(e2.body.message).toContain('does not answer');
  });
});

describe('connecting', () => {
  const globals = (hash: string, api?: AppApi) => {
    const replaced: string[] = [];
    return {
      replaced,
      g: {
        api,
        location: { hash, pathname: '/', search: '' },
        history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
        fetch: fakeFetch(() => ({ status: 200, body: {} })).fn,
      },
    };
  };

  it('reads the launch token from the fragment and removes it from the address bar', () => {
    const { g, replaced } = globals('#token=AbC_dEf-123456');
    const c = connect(g);
    expect(c).toMatchObject({ ok: true, mode: 'browser' });
    expect(replaced).toEqual(['/']);
  });

  it('opens the presenter view of a session named in the fragment, and hands no further tab a token from there', async () => {
    const { g, replaced } = globals('#token=AbC_dEf-123456&presenter=sess-42');
    (g.location as { origin?: string }).origin = 'http://127.0.0.1:4000';
    const c = connect(g);
    expect(c).toMatchObject({ ok: true, mode: 'browser', presenter: 'sess-42' });
    expect(replaced).toEqual(['/']);
    await new Promise((r) => setTimeout(r, 20));
    expect(await presenterUrl('sess-7')).toBeNull();
    expect(presenterFromHash('#token=x&presenter=<script>')).toBeNull();
  });

  it('gives a presenter tab the token the host derives for that session\'s presenter view, never its own token', async () => {
    const { g } = globals('#token=AbC_dEf-123456');
    (g.location as { origin?: string }).origin = 'http://127.0.0.1:4000';
    connect(g);
    await vi.waitFor(async () => expect(await presenterUrl('sess-7')).not.toBeNull());
    const derived = hostPresenterToken('AbC_dEf-123456', 'sess-7');
    expect(await presenterTokenOf('AbC_dEf-123456', 'sess-7')).toBe(derived);
    expect(derived).toMatch(/^sess-7\.[0-9a-f]{64}$/);
    expect(await presenterUrl('sess-7')).toBe(`http://127.0.0.1:4000/#token=${derived}&presenter=sess-7`);
    expect(await presenterUrl('sess-7')).not.toContain('AbC_dEf-123456');
    // Each session gets its own.
    expect(await presenterTokenOf('AbC_dEf-123456', 'sess-8')).not.toBe(derived);
  });

  it('opens the presenter view of a session in the desktop app too, where the fragment holds no token', () => {
    const preload = Object.fromEntries(API_KEYS.map((k) => [k, async () => ({})])) as unknown as AppApi;
    const { g } = globals('#presenter=sess-42', preload);
    expect(connect(g)).toMatchObject({ ok: true, mode: 'electron', presenter: 'sess-42' });
  });

  it('asks the desktop shell for the presenter window when there is one, else opens a second tab', async () => {
    const asked: string[] = [];
    const desktop = { onMessage: () => () => undefined, openPresenter: async (id: string) => (asked.push(id), true) };
    await expect(openPresenterView('sess-1', { desktop })).resolves.toBe(true);
    expect(asked).toEqual(['sess-1']);
    const opened: string[] = [];
    const { g } = globals('#token=AbC_dEf-123456');
    (g.location as { origin?: string }).origin = 'http://127.0.0.1:4000';
    connect(g);
    await vi.waitFor(async () => expect(await presenterUrl('sess-2')).not.toBeNull());
    await expect(openPresenterView('sess-2', { open: (url: string) => opened.push(url) })).resolves.toBe(true);
    expect(opened).toEqual([`http://127.0.0.1:4000/#token=${hostPresenterToken('AbC_dEf-123456', 'sess-2')}&presenter=sess-2`]);
  });

  it('refuses to start without a token and says which URL to open', () => {
    const { g, replaced } = globals('');
    const c = connect(g);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.message).toContain('Open the exact URL that npm start printed');
    expect(replaced).toEqual([]);
  });

  it('uses the preload\'s window.api when present, and never reads the fragment', async () => {
    const preload = Object.fromEntries(API_KEYS.map((k) => [k, async () => Promise.reject(new Error("Error invoking remote method 'resetpath:app.info': Error: workspace is read-only"))])) as unknown as AppApi;
    const { g, replaced } = globals('#token=AbC_dEf-123456', preload);
    const c = connect(g);
    expect(c).toMatchObject({ ok: true, mode: 'electron' });
    expect(replaced).toEqual([]);
    const err = (await (c.ok ? c.api['app.info']({}) : Promise.reject(new Error('no'))).catch((e: unknown) => e)) as ApiCallError;
    expect(err.body).toEqual({ code: 'internal', message: 'workspace is read-only' });
  });

  /** A tab's sessionStorage: what a reload of the same tab finds again. */
  const memoryStore = (): SessionStore & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  };
  const tab = (hash: string, store: SessionStore, status = 200) => {
    const f = fakeFetch(() => ({ status, body: status === 200 ? { ok: true } : { code: 'bad_request', message: 'the session token is missing or wrong' } }));
    const replaced: string[] = [];
    const g = { location: { hash, pathname: '/', search: '' }, history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') }, fetch: f.fn, sessionStorage: store };
    return { g, replaced, calls: f.calls };
  };

  it('keeps the session for a reload of the same tab: the token goes from the fragment to sessionStorage and never back to the address bar', async () => {
    const store = memoryStore();
    const first = tab('#token=AbC_dEf-123456', store);
    expect(connect(first.g)).toMatchObject({ ok: true, mode: 'browser' });
    expect(first.replaced).toEqual(['/']);
    expect(JSON.parse(store.data.get(SESSION_KEY)!)).toEqual({ token: 'AbC_dEf-123456', presenter: null });
    // F5: the address bar has no fragment any more; the same tab's storage still has the session.
    const reload = tab('', store);
    const c = connect(reload.g);
    expect(c).toMatchObject({ ok: true, mode: 'browser', presenter: null });
    expect(reload.replaced).toEqual([]);
    await (c.ok ? c.api['app.info']({}) : Promise.reject(new Error('not connected')));
    expect(reload.calls[0]!.init.headers['X-ResetPath-Token']).toBe('AbC_dEf-123456');
  });

  it('lets a new token in the fragment replace the stored one, and keeps a presenter tab a presenter across reloads', () => {
    const store = memoryStore();
    connect(tab('#token=old_token_123', store).g);
    connect(tab('#token=new_token_456&presenter=sess-9', store).g);
    expect(readSession(store)).toEqual({ token: 'new_token_456', presenter: 'sess-9' });
    expect(connect(tab('', store).g)).toMatchObject({ ok: true, presenter: 'sess-9' });
  });

  it('forgets a stored session the host refuses (it was restarted with a new token), so the next reload asks for the printed URL', async () => {
    const store = memoryStore();
    connect(tab('#token=AbC_dEf-123456', store).g);
    const c = connect(tab('', store, 401).g);
    const err = (await (c.ok ? c.api['library.list']({}) : Promise.reject(new Error('not connected'))).catch((e: unknown) => e)) as ApiCallError;
    expect(err).toBeInstanceOf(ApiCallError);
    expect(store.data.has(SESSION_KEY)).toBe(false);
    const again = connect(tab('', store).g);
    expect(again.ok).toBe(false);
    expect(!again.ok && again.message).toContain('Open the exact URL that npm start printed');
  });

  it('ignores a malformed or implausible stored session, and works where sessionStorage throws', () => {
    const store = memoryStore();
    store.data.set(SESSION_KEY, '{not json');
    expect(readSession(store)).toBeNull();
    store.data.set(SESSION_KEY, JSON.stringify({ token: 'abc<script>def', presenter: null }));
    expect(connect(tab('', store).g).ok).toBe(false);
    const broken: SessionStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(connect(tab('#token=AbC_dEf-123456', broken).g)).toMatchObject({ ok: true });
    expect(connect(tab('', broken).g).ok).toBe(false);
  });

  it('accepts only a plausible token', () => {
    expect(tokenFromHash('#token=short')).toBeNull();
    expect(tokenFromHash('#token=abc<script>def')).toBeNull();
    expect(tokenFromHash('#a=1&token=0123456789abcdef')).toBe('0123456789abcdef');
    // A presenter tab's: a session id, a dot, the hex MAC; nothing else may hold a dot.
    expect(tokenFromHash(`#token=sess-7.${'a1'.repeat(32)}`)).toBe(`sess-7.${'a1'.repeat(32)}`);
    expect(tokenFromHash('#token=sess-7.not-hex-at-all')).toBeNull();
    expect(tokenFromHash('#token=a.b.0123456789')).toBeNull();
  });

  it('keeps a structured error from an adapter intact', () => {
    expect(toErrorBody({ code: 'conflict', message: 'read-only' })).toEqual({ code: 'conflict', message: 'read-only' });
    expect(toErrorBody({ code: 'nonsense', message: 'x' })).toEqual({ code: 'internal', message: 'x' });
    expect(withErrorBodies).toBeTypeOf('function');
  });
});

describe('desktop shell messages', () => {
  it('passes the shell\'s messages to the listener and unsubscribes', () => {
    const listeners: ((m: { type: string }) => void)[] = [];
    const desktop = {
      onMessage(l: (m: { type: string }) => void) {
        listeners.push(l);
        return () => void listeners.splice(listeners.indexOf(l), 1);
      },
    };
    const got: string[] = [];
    const off = onShellMessage((m) => got.push(m.type), { desktop: desktop as never });
    listeners[0]!({ type: 'menu.exportReport' });
    off();
    expect(got).toEqual(['menu.exportReport']);
    expect(listeners).toEqual([]);
  });

  it('is a no-op in browser mode', () => {
    expect(onShellMessage(() => undefined, {})).toBeTypeOf('function');
  });
});

describe('early calls sent by boot.ts before the workbench bundle runs', () => {
  it('prefetch exactly the routes the contract gives those keys', async () => {
    const { PREFETCHED } = await import('../../renderer/boot.ts');
    const { httpRoute } = await import('../../contract/index.ts');
    for (const [key, route] of Object.entries(PREFETCHED)) expect(route).toBe(httpRoute(key as never));
  });

  it('read the token the bridge kept under the same sessionStorage key after a reload', async () => {
    const boot = await import('../../renderer/boot.ts');
    expect(boot.SESSION_KEY).toBe(SESSION_KEY);
  });

  it('answer the first empty call of a prefetched key once, and send everything else to the network', async () => {
    const net = fakeFetch(() => ({ status: 200, body: { from: 'network' } }));
    const early = { 'library.list': Promise.resolve({ ok: true, status: 200, json: async () => ({ from: 'early' }) }) };
    const api = createHttpApi('tok_123456789', withEarlyResponses(net.fn, early));
    expect(await api['library.list']({})).toEqual({ from: 'early' });
    expect(await api['library.list']({})).toEqual({ from: 'network' });
    expect(await api['app.info']({})).toEqual({ from: 'network' });
    expect(net.calls.map((c) => c.url)).toEqual(['/api/library.list', '/api/app.info']);
  });
});

describe('what the renderer shows is display-safe, whatever the host stored', () => {
  const hostile = 'Reset\u202Egnp.exe \u001b[31mred\u0007 \u009b2J';
  it('escapes control and bidirectional characters in every string of a response (an analysis stored before names were checked), keeping prose line breaks', async () => {
    const f = fakeFetch(() => ({ status: 200, body: { run: { workflowName: hostile, notes: 'line one\nline two', nested: [{ stepName: hostile }] } } }));
    const api = displaySafe(createHttpApi('tok_123456789', f.fn));
    const r = (await api['analysis.get']({ runId: 'r1' } as never)) as unknown as { run: { workflowName: string; notes: string; nested: { stepName: string }[] } };
    expect(r.run.workflowName).toBe('Reset\\u{202e}gnp.exe \\u{1b}[31mred\\u{7} \\u{9b}2J');
    expect(r.run.nested[0]!.stepName).toBe(r.run.workflowName);
    expect(r.run.notes).toBe('line one\nline two');
  });

  it('leaves a model document\'s file text byte for byte (the loaders parse it and refuse such names)', () => {
    expect(displaySafeValue({ text: hostile, fileName: hostile })).toEqual({ text: hostile, fileName: 'Reset\\u{202e}gnp.exe \\u{1b}[31mred\\u{7} \\u{9b}2J' });
  });

  it('escapes an error body\'s message and issues too', async () => {
    const body = { code: 'invalid_model', message: `bad ${hostile}`, issues: [{ file: hostile, line: 1, column: 1, path: '', message: hostile }] };
    const api = displaySafe(createHttpApi('tok_123456789', fakeFetch(() => ({ status: 422, body })).fn));
    const err = (await api['workflow.save']({ fileName: 'w.yaml', text: 'x' }).catch((e: unknown) => e)) as ApiCallError;
    expect(err).toBeInstanceOf(ApiCallError);
    expect(JSON.stringify(err.body)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(err.body.issues![0]!.file).toContain('\\u{202e}');
  });
});
