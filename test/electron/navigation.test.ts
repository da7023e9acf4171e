import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decideWindowOpen, mayAttachWebview, mayDownload, mayNavigate, mayRequest } from '../../electron/main/policy/navigation.ts';
import { APP_ENTRY_URL, isAppUrl } from '../../electron/main/policy/origin.ts';

describe('window.open and target=_blank', () => {
  it('are always denied: the app never opens a second window', () => {
    for (const url of ['https://example.org/', 'app://resetpath/index.html', 'about:blank', 'javascript:alert(1)', '', 'not a url']) {
      expect(decideWindowOpen(url).action).toBe('deny');
    }
  });

  it.each([
    'https://csrc.nist.gov/pubs/sp/800/63/4/final',
    'http://example.org/',
    'file:///etc/passwd',
    'smb://evil.example/share/payload.exe',
    'ms-msdt:/id PCWDiagnostic',
    'https://bank.example@evil.example/',
  ])('hand nothing to the user\'s browser, not even %s: no page of the app links outside it', (url) => {
    expect(decideWindowOpen(url)).toEqual({ action: 'deny' });
  });

  it('reach shell.openExternal from nowhere in the shell: no file under electron/ names it', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const sites = walk(join(root, 'electron')).filter((f) => /\.ts$/.test(f) && /openExternal/.test(code(f)));
    expect(sites.map((f) => relative(root, f))).toEqual([]);
  });
});

describe('navigation of the window', () => {
  it('stays on the app origin', () => {
    expect(mayNavigate(APP_ENTRY_URL)).toBe(true);
    expect(mayNavigate('app://resetpath/')).toBe(true);
    expect(mayNavigate('app://resetpath/index.html#/workflows/standard')).toBe(true);
  });

  it.each([
    'https://example.org/',
    'http://127.0.0.1:8080/',
    'file:///home/user/workflow.yaml',
    'app://evil/index.html',
    'app://resetpath.evil.example/',
    'app://resetpath:8080/',
    'app://user@resetpath/',
    'resetpath://resetpath/',
    'about:blank',
    'data:text/html,hi',
    'javascript:alert(1)',
    'chrome://settings',
    '',
    'index.html',
  ])('refuses %s', (url) => {
    expect(mayNavigate(url)).toBe(false);
    expect(isAppUrl(url)).toBe(false);
  });

  it('never attaches a <webview>', () => {
    expect(mayAttachWebview()).toBe(false);
  });
});

describe('the session', () => {
  it('lets through only downloads of blobs the app page made', () => {
    expect(mayDownload('blob:app://resetpath/3f0c8d3e-8a7e-4a43-9d0e-0a4c0b1f5f44')).toBe(true);
    expect(mayDownload('https://evil.example/payload.exe')).toBe(false);
    expect(mayDownload('blob:https://evil.example/3f0c8d3e')).toBe(false);
    expect(mayDownload('data:application/octet-stream;base64,AAAA')).toBe(false);
  });

  it.each(['https://example.org/x.js', 'http://127.0.0.1/', 'ws://127.0.0.1:9229/', 'wss://example.org/', 'ftp://example.org/', 'file:///etc/passwd', 'nonsense', ''])(
    'refuses the request to %s: the app is offline and reads no file:// URL',
    (url) => {
      expect(mayRequest(url)).toBe(false);
      expect(mayRequest(url, { devTools: true })).toBe(false);
    },
  );

  it.each([
    'chrome://settings/',
    'chrome-extension://abcdefghijklmnop/x.js',
    'view-source:app://resetpath/index.html',
    'mailto:someone@example.org',
    'about:blank',
    'javascript:alert(1)',
    'filesystem:app://resetpath/temporary/x',
    'smb://evil.example/share',
    'app://evil/index.html',
    'app://resetpath:8080/index.html',
    'blob:https://evil.example/1234',
    'devtools://devtools/bundled/inspector.html',
  ])('refuses the request to %s: only app:, blob: and data: are allowed, not a list of schemes refused', (url) => {
    expect(mayRequest(url)).toBe(false);
  });

  it.each(['app://resetpath/assets/index.js', 'app://resetpath/', 'data:image/png;base64,AAAA', 'data:text/html;charset=utf-8;base64,PGgxPg==', 'blob:app://resetpath/1234'])('lets the request to %s through', (url) => {
    expect(mayRequest(url)).toBe(true);
    expect(mayRequest(url, { devTools: true })).toBe(true);
  });

  it('lets DevTools load its own pages only where the menu offers DevTools (an unpackaged build)', () => {
    expect(mayRequest('devtools://devtools/bundled/inspector.html', { devTools: true })).toBe(true);
    expect(mayRequest('devtools://devtools/bundled/inspector.html', { devTools: false })).toBe(false);
    expect(mayRequest('chrome://settings/', { devTools: true })).toBe(false);
  });
});
