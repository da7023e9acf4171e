import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiKey } from '../../contract/index.ts';
import { createIpcHandler, senderRefusal, type Dispatch, type IpcSenderEvent, type WindowOf } from '../../electron/main/policy/ipc.ts';

const WINDOW_ID = 7;
const PRESENTER_ID = 9;
/** The main window, and a presenter window opened for session s-1. */
const isAppWebContents: WindowOf = (id) => (id === WINDOW_ID ? { kind: 'main' } : id === PRESENTER_ID ? { kind: 'presenter', sessionId: 's-1' } : null);
const mainFrame = (url = 'app://resetpath/index.html'): IpcSenderEvent => ({ sender: { id: WINDOW_ID }, senderFrame: { url, parent: null } });

function setup(key: ApiKey = 'workflow.get', answer: Awaited<ReturnType<Dispatch>> = { ok: true, value: { id: 'x' } }) {
  const backend = vi.fn<Dispatch>(async () => answer);
  const log = vi.fn<(line: string) => void>();
  const handler = createIpcHandler(key, () => backend, isAppWebContents, log);
  return { backend, log, handler };
}

describe('the IPC wrapper', () => {
  it('passes a valid call from the app window to the backend, parsed', async () => {
    const { backend, handler } = setup();
    await expect(handler(mainFrame(), { id: 'standard-reset', revision: 2 })).resolves.toEqual({ ok: true, value: { id: 'x' } });
    expect(backend).toHaveBeenCalledWith('workflow.get', { id: 'standard-reset', revision: 2 });
  });

  it.each([
    ['another web contents', { sender: { id: 8 }, senderFrame: { url: 'app://resetpath/index.html', parent: null } }],
    ['a subframe of the window', { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://resetpath/index.html', parent: {} } }],
    ['a page on another origin', mainFrame('https://evil.example/')],
    ['a page on another app:// host', mainFrame('app://evil/index.html')],
    ['a file:// page', mainFrame('file:///tmp/x.html')],
    ['about:blank', mainFrame('about:blank')],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
  ] as [string, IpcSenderEvent][])('refuses %s without calling the backend', async (_what, event) => {
    const { backend, handler, log } = setup();
    const r = await handler(event, { id: 'standard-reset' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^refused: /) } });
    expect(backend).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledOnce();
  });

  it.each([
    ['a wrong type', { id: 42 }],
    ['an unknown field', { id: 'standard-reset', extra: true }],
    ['a malformed id', { id: '../../etc/passwd' }],
    ['a non-object', 'standard-reset'],
    ['a prototype-polluting key', JSON.parse('{"id":"a","__proto__":{"admin":true}}')],
  ])('refuses %s in the payload without calling the backend', async (_what, payload) => {
    const { backend, handler } = setup();
    const r = await handler(mainFrame(), payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(backend).not.toHaveBeenCalled();
  });

  it('names the offending field in the refusal, like every other adapter', async () => {
    const { handler } = setup();
    await expect(handler(mainFrame(), { id: 42 })).resolves.toMatchObject({ error: { message: expect.stringMatching(/^workflow\.get: id: /) } });
  });

  it('passes the backend\'s error body through unchanged', async () => {
    const body = { code: 'invalid_model' as const, message: 'bad.yaml:3:7: unknown control', issues: [{ file: 'bad.yaml', line: 3, column: 7, path: 'steps[0]', message: 'unknown control' }] };
    const { handler } = setup('workflow.save', { ok: false, error: body });
    await expect(handler(mainFrame(), { fileName: 'bad.yaml', text: 'x: 1' })).resolves.toEqual({ ok: false, error: body });
  });

  it('turns a thrown ApiError into its body', async () => {
    const handler = createIpcHandler('audit.verify', () => async () => { throw new ApiError('conflict', 'read-only'); }, isAppWebContents, () => {});
    await expect(handler(mainFrame(), {})).resolves.toEqual({ ok: false, error: { code: 'conflict', message: 'read-only' } });
  });

  it('never sends a stack, a path or an internal message across, only logs it', async () => {
    const log = vi.fn<(line: string) => void>();
    const boom = new Error('SQLITE_CORRUPT at /home/alice/secret.resetpath');
    const handler = createIpcHandler('audit.verify', () => async () => { throw boom; }, isAppWebContents, log);
    const r = await handler(mainFrame(), {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'internal error; the details are in the app log' } });
    expect(JSON.stringify(r)).not.toMatch(/alice|SQLITE|at /);
    expect(log.mock.calls[0]![0]).toContain('SQLITE_CORRUPT');
  });

  it('refuses a backend answer that is not a result envelope', async () => {
    const handler = createIpcHandler('audit.verify', () => async () => 'oops' as never, isAppWebContents, () => {});
    await expect(handler(mainFrame(), {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('lets a presenter window read the presenter view of a session, and nothing else', async () => {
    const presenter: IpcSenderEvent = { sender: { id: PRESENTER_ID }, senderFrame: { url: 'app://resetpath/index.html', parent: null } };
    const read = setup('tabletop.presenter', { ok: true, value: {} });
    await expect(read.handler(presenter, { sessionId: 's-1' })).resolves.toEqual({ ok: true, value: {} });
    for (const key of ['tabletop.decide', 'tabletop.get', 'workflow.save', 'audit.log'] as ApiKey[]) {
      const other = setup(key);
      await expect(other.handler(presenter, {})).resolves.toMatchObject({ ok: false, error: { code: 'bad_request', message: 'refused: the presenter window reads the presenter view only' } });
      expect(other.backend).not.toHaveBeenCalled();
    }
  });

  it('lets a presenter window read only the session it was opened for', async () => {
    const presenter: IpcSenderEvent = { sender: { id: PRESENTER_ID }, senderFrame: { url: 'app://resetpath/index.html', parent: null } };
    const { backend, handler, log } = setup('tabletop.presenter', { ok: true, value: {} });
    for (const other of ['s-2', 'S-1', 's-10']) {
      await expect(handler(presenter, { sessionId: other })).resolves.toEqual({ ok: false, error: { code: 'bad_request', message: 'refused: the presenter window reads the session it was opened for only' } });
    }
    expect(backend).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(3);
    await expect(handler(presenter, { sessionId: 's-1' })).resolves.toEqual({ ok: true, value: {} });
    expect(backend).toHaveBeenCalledExactlyOnceWith('tabletop.presenter', { sessionId: 's-1' });
  });

  it('lets the main window read the presenter view of any session', async () => {
    const { handler } = setup('tabletop.presenter', { ok: true, value: {} });
    await expect(handler(mainFrame(), { sessionId: 's-2' })).resolves.toEqual({ ok: true, value: {} });
  });

  it('explains each refusal of a sender', () => {
    expect(senderRefusal(mainFrame(), isAppWebContents)).toBeNull();
    expect(senderRefusal({ sender: { id: 1 }, senderFrame: { url: 'app://resetpath/', parent: null } }, isAppWebContents)).toMatch(/ResetPath window/);
  });
});
