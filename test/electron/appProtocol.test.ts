import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPathSegments, appProtocolResponse, appResponseHeaders, isReadMethod, resolveAppFile } from '../../electron/main/policy/appProtocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy/csp.ts';
import { APP_SCHEME_PRIVILEGES } from '../../electron/main/policy/origin.ts';

let dir: string;
let build: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'resetpath-protocol-'));
  build = join(dir, 'renderer');
  mkdirSync(join(build, 'assets'), { recursive: true });
  writeFileSync(join(build, 'index.html'), '<!doctype html>');
  writeFileSync(join(build, 'assets', 'index-abc123.js'), 'export {}');
  writeFileSync(join(build, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(build, 'assets', 'report name.svg'), '<svg/>');
  writeFileSync(join(build, '.env'), 'SECRET=1');
  // Outside the build folder: what a traversal would be after.
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  writeFileSync(join(dir, 'renderer-evil.txt'), 'sibling with the same prefix');
  symlinkSync(join(dir, 'secret.txt'), join(build, 'assets', 'link-out.txt'));
  symlinkSync(dir, join(build, 'linked-dir'));
  symlinkSync(join(build, 'index.html'), join(build, 'assets', 'link-in.html'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (url: string) => {
  const r = resolveAppFile(build, url);
  return r.ok ? r.file : r.status;
};

describe('the app:// protocol handler', () => {
  it('serves the files of the build folder with their content type', () => {
    expect(resolveAppFile(build, 'app://resetpath/index.html')).toEqual({ ok: true, file: join(build, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile(build, 'app://resetpath/assets/index-abc123.js')).toMatchObject({ ok: true, contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppFile(build, 'app://resetpath/assets/index-abc123.css')).toMatchObject({ ok: true, contentType: 'text/css; charset=utf-8' });
    expect(file('app://resetpath/assets/report%20name.svg')).toBe(join(build, 'assets', 'report name.svg'));
    expect(file('app://resetpath/assets/index-abc123.js?v=1#x')).toBe(join(build, 'assets', 'index-abc123.js'));
  });

  it('serves index.html for the root', () => {
    expect(file('app://resetpath/')).toBe(join(build, 'index.html'));
    expect(file('app://resetpath')).toBe(join(build, 'index.html'));
  });

  it.each([
    'app://resetpath/../secret.txt',
    'app://resetpath/assets/../../secret.txt',
    'app://resetpath/%2e%2e/secret.txt',
    'app://resetpath/%2E%2E/secret.txt',
    'app://resetpath/.%2e/secret.txt',
    'app://resetpath/..%2fsecret.txt',
    'app://resetpath/..%2Fsecret.txt',
    'app://resetpath/assets%2f..%2f..%2fsecret.txt',
    'app://resetpath/..%5csecret.txt',
    'app://resetpath/..\\secret.txt',
    'app://resetpath/%252e%252e/secret.txt',
    'app://resetpath/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://resetpath//etc/passwd',
    'app://resetpath/%2fetc%2fpasswd',
    'app://resetpath/C:%5cWindows%5cwin.ini',
    'app://resetpath/C:/Windows/win.ini',
    'app://resetpath/index.html%00.png',
    'app://resetpath/index.html%00',
    'app://resetpath/assets/index-abc123.js.',
    'app://resetpath/assets/index-abc123.js%20',
    'app://resetpath/%E0%A4%A',
    'app://resetpath/../renderer-evil.txt',
  ])('refuses the traversal %s', (url) => {
    const r = resolveAppFile(build, url);
    expect(r.ok).toBe(false);
  });

  it('refuses symlinks that lead out of the build folder', () => {
    expect(resolveAppFile(build, 'app://resetpath/assets/link-out.txt')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(build, 'app://resetpath/linked-dir/secret.txt')).toMatchObject({ ok: false, status: 403 });
  });

  it('follows a symlink that stays inside the build folder', () => {
    expect(file('app://resetpath/assets/link-in.html')).toBe(join(build, 'index.html'));
  });

  it('answers only the app host, and never directories, hidden or missing files', () => {
    expect(resolveAppFile(build, 'app://other/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(build, 'https://resetpath/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(build, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(build, 'app://resetpath/assets/')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppFile(build, 'app://resetpath/assets')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppFile(build, 'app://resetpath/.env')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppFile(build, 'app://resetpath/missing.js')).toMatchObject({ ok: false, status: 404 });
  });

  it('refuses a relative build folder and a missing build', () => {
    expect(resolveAppFile('out/renderer', 'app://resetpath/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(join(dir, 'not-built'), 'app://resetpath/index.html')).toMatchObject({ ok: false, status: 404 });
  });

  it('decodes each path segment once and checks it after decoding', () => {
    expect(appPathSegments('app://resetpath/a%20b/c.js')).toEqual({ ok: true, segments: ['a b', 'c.js'] });
    // %252e decodes once to the literal name "%2e%2e", a harmless file name, never to "..".
    expect(appPathSegments('app://resetpath/%252e%252e/x')).toEqual({ ok: true, segments: ['%2e%2e', 'x'] });
    expect(appPathSegments('app://resetpath/a%2fb')).toMatchObject({ ok: false, status: 400 });
  });

  it('answers GET and HEAD only', () => {
    expect(isReadMethod('GET')).toBe(true);
    expect(isReadMethod('HEAD')).toBe(true);
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'get']) expect(isReadMethod(m)).toBe(false);
  });

  it('sends the CSP and nosniff with every response', () => {
    expect(appResponseHeaders('text/html; charset=utf-8')).toMatchObject({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' });
  });

  it('registers app:// as a secure standard scheme without bypassCSP, CORS or service workers', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });

  it('answers GET of a file with 200, its type, the CSP and the file as the body', () => {
    expect(appProtocolResponse(build, { method: 'GET', url: 'app://resetpath/assets/index-abc123.js' })).toEqual({
      status: 200,
      headers: appResponseHeaders('text/javascript; charset=utf-8'),
      body: { file: join(build, 'assets', 'index-abc123.js') },
    });
  });

  it('answers HEAD like GET but without a body', () => {
    expect(appProtocolResponse(build, { method: 'HEAD', url: 'app://resetpath/index.html' })).toEqual({ status: 200, headers: appResponseHeaders('text/html; charset=utf-8'), body: null });
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'get'])('answers %s with 405, naming GET and HEAD, before looking for the file', (method) => {
    const r = appProtocolResponse(build, { method, url: 'app://resetpath/index.html' });
    expect(r).toEqual({ status: 405, headers: { ...appResponseHeaders('text/plain; charset=utf-8'), Allow: 'GET, HEAD' }, body: { text: 'method not allowed' } });
  });

  it.each([
    ['app://resetpath/assets/link-out.txt', 403],
    ['app://resetpath/%2e%2e%2fsecret.txt', 400],
    ['app://resetpath/missing.js', 404],
    ['app://resetpath/.env', 404],
    ['app://evil/index.html', 403],
  ] as const)('refuses %s with %i and the reason as plain text, still under the CSP', (url, status) => {
    const r = appProtocolResponse(build, { method: 'GET', url });
    expect(r.status).toBe(status);
    expect(r.headers).toEqual(appResponseHeaders('text/plain; charset=utf-8'));
    expect(r.body).toEqual({ text: expect.any(String) });
    expect(JSON.stringify(r)).not.toContain('secret');
  });
});
