// Browser mode over real loopback sockets: the host on port 0 with a temporary workspace and a
// temporary renderer folder, driven with node:http so the tests control the Host header and the
// raw request path the way a hostile page or a hand-made client could.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAppService,
  isAllowedHost,
  isAllowedOrigin,
  parseRoute,
  presenterTokenOf,
  RENDERER_CSP,
  startBrowserHost,
  staticRelativePath,
  tokensEqual,
  type AppService,
  type BrowserHost,
} from '../../backend/index.ts';
import { API_KEYS, httpRoute, MAX_PAYLOAD_DEPTH } from '../../contract/index.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy/csp.ts';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from '../storage/fixtures/models.ts';
import { deterministic } from './helpers.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-BUILD-FOLDER';
const INDEX = '<!doctype html><title>ResetPath</title><script type="module" src="/assets/app.js"></script>';

let dir: string;
let service: AppService;
let host: BrowserHost;
let logs: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'resetpath-http-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(staticDir, '.env'), SECRET);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
  symlinkSync(dir, join(staticDir, 'up'));
  const path = join(dir, 'test.resetpath');
  Workspace.create(path, deterministic()).close();
  logs = [];
  service = createAppService({ workspacePath: path, mode: 'browser', ...deterministic(), log: (l) => logs.push(l) });
  host = await startBrowserHost({ service, staticDir, log: (l) => logs.push(l) });
});

afterAll(async () => {
  await host?.close();
  service?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** One HTTP request with full control of method, raw path and headers (Host included). */
function send(opts: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; host?: string | null }): Promise<Reply> {
  const headers: OutgoingHttpHeaders = { ...opts.headers };
  if (opts.host !== null) headers.host = opts.host ?? `127.0.0.1:${host.port}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POST /api/<key> with JSON, the right token and Host unless overridden. */
function api(key: string, payload: unknown, opts: { token?: string | null; host?: string; headers?: OutgoingHttpHeaders; raw?: string } = {}): Promise<Reply> {
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', ...opts.headers };
  const token = opts.token === undefined ? host.token : opts.token;
  if (token !== null) headers['x-resetpath-token'] = token;
  return send({ method: 'POST', path: `/api/${key}`, headers, body: opts.raw ?? JSON.stringify(payload), ...(opts.host ? { host: opts.host } : {}) });
}

async function auditLength(): Promise<number> {
  return (await service.api['audit.verify']({})).entries;
}

const WRITE = { key: 'workflow.save', payload: { fileName: 'w.yaml', text: workflowYaml('wf.http') } };

describe('browser mode over loopback HTTP', () => {
  it('prints a 127.0.0.1 URL with a 256-bit token in its fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
  });

  it('serves index.html at / with the strict CSP, nosniff and no-store, and assets beside it', async () => {
    const r = await send({ path: '/' });
    expect(r.status).toBe(200);
    expect(r.text).toBe(INDEX);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
    // The desktop app's policy, so browser mode (and every e2e run) tests the UI under it.
    expect(RENDERER_CSP).toBe(CONTENT_SECURITY_POLICY);
    expect(RENDERER_CSP).toMatch(/^default-src 'none'; /);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const js = await send({ path: '/assets/app.js', host: `localhost:${host.port}` });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send({ path: '/favicon.ico' })).status).toBe(204);
    expect((await send({ path: '/', method: 'POST' })).status).toBe(405);
  });

  it('answers a call with the token, JSON and no-store, nosniff headers', async () => {
    const r = await api('app.info', {});
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ mode: 'browser', readOnly: false });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a call without the token or with a wrong one with 401, and changes nothing', async () => {
    const before = await auditLength();
    for (const token of [null, '', 'wrong', `${host.token}x`, host.token.slice(0, -1)]) {
      const r = await api(WRITE.key, WRITE.payload, { token });
      expect(r.status, String(token)).toBe(401);
      expect(r.json()).toEqual({ code: 'bad_request', message: 'missing or wrong x-resetpath-token header' });
    }
    // A repeated token header is refused too, even when one copy is right.
    const twice = await send({ method: 'POST', path: '/api/workflow.save', headers: { 'content-type': 'application/json', 'x-resetpath-token': [host.token, host.token] }, body: JSON.stringify(WRITE.payload) });
    expect(twice.status).toBe(401);
    expect(await auditLength()).toBe(before);
  });

  it('admits the presenter tab\'s derived token to its own session\'s presenter view only: 403 for every other call or session, and nothing changes', async () => {
    const before = await auditLength();
    const presenter = presenterTokenOf(host.token, 'no-such-session');
    expect(presenter).not.toContain(host.token);
    // Past the token gate: the service answers (no such session).
    const view = await api('tabletop.presenter', { sessionId: 'no-such-session' }, { token: presenter });
    expect(view.status).toBe(404);
    // Another session's view, with this session's token: refused before the service.
    const other = await api('tabletop.presenter', { sessionId: 'another-session' }, { token: presenter });
    expect(other.status).toBe(403);
    expect(other.json()).toEqual({ code: 'bad_request', message: 'this token reads the presenter view of the session it was opened for, not another' });
    // A token whose session id was swapped, or whose MAC was altered, is no token at all.
    const mac = presenter.slice(presenter.indexOf('.') + 1);
    for (const forged of [`another-session.${mac}`, `no-such-session.${mac.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`, mac]) {
      expect((await api('tabletop.presenter', { sessionId: 'another-session' }, { token: forged })).status, forged).toBe(401);
    }
    for (const [key, payload] of [['tabletop.get', { sessionId: 'no-such-session' }], [WRITE.key, WRITE.payload], ['app.info', {}], ['no.such.call', {}]] as const) {
      const r = await api(key, payload, { token: presenter });
      expect(r.status, key).toBe(403);
      expect(r.json(), key).toEqual({ code: 'bad_request', message: "this token may only read a tabletop session's presenter view" });
    }
    expect(await auditLength()).toBe(before);
  });

  it('refuses a foreign Host header with 403 on the API and on static files (DNS rebinding), and changes nothing', async () => {
    const before = await auditLength();
    const foreign = [`evil.example:${host.port}`, `127.0.0.1.nip.io:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1', `localhost.:${host.port}`, `[::1]:${host.port}`, `0.0.0.0:${host.port}`];
    for (const h of foreign) {
      expect((await api(WRITE.key, WRITE.payload, { host: h })).status, h).toBe(403);
      expect((await send({ path: '/', host: h })).status, h).toBe(403);
    }
    expect((await send({ path: '/', host: null })).status).toBe(400); // HTTP/1.1 without Host is malformed
    expect(await auditLength()).toBe(before);
  });

  it('refuses a cross-origin page with 403 even when it somehow had the token', async () => {
    const before = await auditLength();
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`]) {
      expect((await api(WRITE.key, WRITE.payload, { headers: { origin } })).status, origin).toBe(403);
    }
    expect((await api('app.info', {}, { headers: { origin: `http://localhost:${host.port}` } })).status).toBe(200);
    expect(await auditLength()).toBe(before);
  });

  it('refuses malformed JSON with 400 as an ApiErrorBody, and changes nothing', async () => {
    const before = await auditLength();
    for (const raw of ['{"fileName":', '', 'not json', '\u0000']) {
      const r = await api(WRITE.key, null, { raw });
      expect(r.status).toBe(400);
      expect(r.json()).toEqual({ code: 'bad_request', message: 'request body is not valid UTF-8 JSON' });
    }
    const latin1 = await send({ method: 'POST', path: '/api/settings.set', headers: { 'content-type': 'application/json', 'x-resetpath-token': host.token }, body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(latin1.status).toBe(400);
    expect(await auditLength()).toBe(before);
  });

  it('refuses a payload failing its schema with 400 naming the field, and changes nothing', async () => {
    const before = await auditLength();
    const r = await api('workflow.save', { fileName: '../../etc/passwd', text: 'x' });
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ code: 'bad_request', message: 'workflow.save: fileName: must be a file name, not a path' });
    const extra = await api('settings.set', { key: 'k', value: 1, __proto__: { admin: true }, extra: 1 });
    expect(extra.status).toBe(400);
    expect(await auditLength()).toBe(before);
  });

  it('refuses a payload nested deeper than the contract allows with 400, not a 500 and a stack in the log, and changes nothing', async () => {
    const before = await auditLength();
    const logged = logs.length;
    const deep = `{"key":"k","value":${'{"a":'.repeat(300_000)}1${'}'.repeat(300_000)}}`;
    const r = await api('settings.set', null, { raw: deep });
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ code: 'bad_request', message: `settings.set: payload: nests deeper than ${MAX_PAYLOAD_DEPTH} levels` });
    expect(logs.slice(logged).join('\n')).not.toMatch(/RangeError|\n\s+at /);
    expect(await auditLength()).toBe(before);
    // A value a few levels deep is still a setting.
    expect((await api('settings.set', { key: 'k', value: { a: { b: [1, { c: 2 }] } } })).status).toBe(200);
  });

  it('maps handler errors to the contract statuses: invalid_model 422 with issues, not_found 404', async () => {
    const before = await auditLength();
    const bad = await api('workflow.save', { fileName: 'bad.yaml', text: workflowYaml('wf.bad').replace('next: verify', 'next: nowhere') });
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'invalid_model', issues: [expect.objectContaining({ file: 'bad.yaml', line: expect.any(Number) })] });
    const missing = await api('workflow.get', { id: 'no.such' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found' });
    expect(await auditLength()).toBe(before);
  });

  it('refuses GET and other methods on /api with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await send({ method, path: '/api/app.info', headers: { 'x-resetpath-token': host.token } });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('POST');
    }
    expect((await send({ method: 'GET', path: '/api', headers: { 'x-resetpath-token': host.token } })).status).toBe(405);
  });

  it('refuses a body that is not declared as JSON with 415 (no form can post to the API), and changes nothing', async () => {
    const before = await auditLength();
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers: OutgoingHttpHeaders = { 'x-resetpath-token': host.token };
      if (ct) headers['content-type'] = ct;
      expect((await send({ method: 'POST', path: `/api/${WRITE.key}`, headers, body: JSON.stringify(WRITE.payload) })).status, ct).toBe(415);
    }
    expect((await api('app.info', {}, { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
    expect(await auditLength()).toBe(before);
  });

  it('refuses a body over 4 MB with 413, declared or streamed, and changes nothing', async () => {
    const before = await auditLength();
    const big = JSON.stringify({ key: 'k', value: 'x'.repeat(4 * 1024 * 1024) });
    expect((await api('settings.set', null, { raw: big })).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/settings.set', agent: false, headers: { 'content-type': 'application/json', 'x-resetpath-token': host.token, 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('x'.repeat(1024 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(await auditLength()).toBe(before);
  });

  it('answers 404 for a key that is not in the contract', async () => {
    for (const key of ['nope', '__proto__', 'constructor', 'app.info/extra', 'App.Info']) {
      expect((await api(key, {})).status, key).toBe(404);
    }
  });

  it('never serves a file from outside the build folder, whatever the path trick', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/%252e%252e/secret.txt',
      '//etc/passwd',
      `/${join(dir, 'secret.txt')}`,
      '/index.html%00.js',
      '/assets/link.txt',
      '/up/secret.txt',
      '/.env',
      '/C:/Windows/win.ini',
      '/%e0%a4%a',
      'http://127.0.0.1/secret.txt',
      '/assets',
      '/nope.js',
    ];
    for (const path of attempts) {
      const r = await send({ path });
      expect([400, 404], path).toContain(r.status);
      expect(r.text, path).not.toContain(SECRET);
    }
  });

  it('completes an analysis round trip: run and save, then list and fetch the stored run', async () => {
    const run = await api('analysis.run', { workflowId: 'standard-password-reset.weak', scenarioIds: ['s01-osint-vishing'], save: true });
    expect(run.status).toBe(200);
    const body = run.json() as { runId: string; report: { workflows: { totals: { paths: number } }[] } };
    expect(body.runId).toMatch(/^run-/);
    expect(body.report.workflows[0]!.totals.paths).toBeGreaterThan(0);
    const list = (await api('analysis.list', {})).json() as { runs: { id: string }[] };
    expect(list.runs.map((r) => r.id)).toContain(body.runId);
    const got = await api('analysis.get', { runId: body.runId });
    expect(got.status).toBe(200);
    expect((got.json() as { report: unknown }).report).toEqual(body.report);
  });

  it('routes every key of the contract to the service at its httpRoute', async () => {
    for (const key of API_KEYS) {
      expect(parseRoute(httpRoute(key))).toEqual({ kind: 'api', key });
      // An empty payload reaches dispatch for every key: 200, or 400 from that key's own schema.
      const r = await api(key, key === 'settings.set' || key === 'workflow.save' || key === 'scenario.save' ? { bogus: 1 } : {});
      expect([200, 400], key).toContain(r.status);
      if (r.status === 400) expect((r.json() as { message: string }).message.startsWith(`${key}: `), key).toBe(true);
    }
    expect(logs).toEqual([]);
  });

  it('refuses to bind anything but 127.0.0.1', async () => {
    for (const h of ['0.0.0.0', '::', '::1', 'localhost', '192.168.1.10']) {
      await expect(startBrowserHost({ service, staticDir: join(dir, 'renderer'), host: h })).rejects.toThrow(/binds 127\.0\.0\.1 only/);
    }
  });
});

describe('the host decisions', () => {
  it('accept exactly 127.0.0.1:<port> and localhost:<port> as Host', () => {
    expect(isAllowedHost('127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedHost('localhost:5000', 5000)).toBe(true);
    for (const h of ['127.0.0.1:5001', '127.0.0.1', 'localhost', 'evil.example:5000', '127.0.0.1.nip.io:5000', 'localhost:5000 ', 'LOCALHOST:5000', undefined, ['127.0.0.1:5000']]) {
      expect(isAllowedHost(h as string, 5000), String(h)).toBe(false);
    }
  });

  it('accept no Origin (non-browser clients) or this host\'s own origin only', () => {
    expect(isAllowedOrigin(undefined, 80)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:80', 80)).toBe(true);
    expect(isAllowedOrigin('null', 80)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:80.evil.example', 80)).toBe(false);
  });

  it('compare tokens whatever their length, never matching an empty or repeated one', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('ab', 'abc')).toBe(false);
    expect(tokensEqual('', '')).toBe(false);
    expect(tokensEqual(['abc'], 'abc')).toBe(false);
    expect(tokensEqual(undefined, 'abc')).toBe(false);
  });

  it('map static paths inside the folder and refuse the ones that could leave it', () => {
    expect(staticRelativePath('/')).toEqual({ path: 'index.html' });
    expect(staticRelativePath('/assets/app-1a2b.js')).toEqual({ path: 'assets/app-1a2b.js' });
    expect(staticRelativePath('/fonts/Inter%20Var.woff2')).toEqual({ path: 'fonts/Inter Var.woff2' });
    expect(staticRelativePath('/a/../b')).toMatchObject({ status: 400 });
    expect(staticRelativePath('/%2e%2e/x')).toMatchObject({ status: 400 });
    expect(staticRelativePath('/a%2fb')).toMatchObject({ status: 400 });
    expect(staticRelativePath('/a%00')).toMatchObject({ status: 400 });
    expect(staticRelativePath('/.git/config')).toMatchObject({ status: 404 });
    expect(parseRoute('/api/app.info?x=1')).toEqual({ kind: 'api', key: 'app.info' });
    expect(parseRoute('/api/')).toEqual({ kind: 'api-unknown', name: '' });
    expect(parseRoute('*')).toMatchObject({ kind: 'refused', status: 400 });
  });
});
