// The decisions of the browser-mode host, as small functions that unit tests can call directly:
// which Host and Origin headers are ours, token comparison, route parsing, and the mapping of a
// request path onto a file inside the built renderer. host.ts only wires them to node:http.
//
// Threat model: any web page the user visits can make the browser send requests to 127.0.0.1, and
// a DNS-rebinding page can even make them same-origin under its own host name. So every request
// must name our exact host and port (rebinding pages send their own name), every API call must
// carry the per-launch token (which no other page can read), and static files must never be read
// from outside the renderer's build folder.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { PRESENTER_SESSION_ID, presenterTokenMessage, type ApiErrorBody, type ApiKey } from '../../contract/index.ts';
import { isApiKey } from '../service.ts';

/** The one address the host binds; loopback only, so nothing off this machine can connect. */
export const LOOPBACK = '127.0.0.1';

/** Request header carrying the per-launch token on every /api call. */
export const TOKEN_HEADER = 'x-resetpath-token';

/** Largest API request body; a model file is at most 2 MB, JSON-escaped it can nearly double. */
export const MAX_API_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Content-Security-Policy of the renderer's pages (and every static file): the desktop app's policy
 * (electron/main/policy/csp.ts), nothing allowed by default and each kind of source listed, so
 * browser mode runs the UI under the same rules (a test holds the two equal). Workers fall back to
 * script-src.
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Content-Security-Policy of API responses: JSON is data, never a document to render. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The token of a browser-mode presenter tab for one session: `<session id>.<hex>`, the hex being
 * HMAC-SHA256 of the label and the session id keyed with the per-launch token. It admits
 * `tabletop.presenter` for that session only, as the desktop's presenter window is tied to the session
 * it was opened for; the console derives it to open the tab, and it cannot be turned back into the
 * token nor into another session's.
 */
export function presenterTokenOf(token: string, sessionId: string): string {
  return `${sessionId}.${createHmac('sha256', token).update(presenterTokenMessage(sessionId), 'utf8').digest('hex')}`;
}

/** The session a presenter token was derived for with this per-launch token, or null when it is none. */
export function presenterSessionOf(token: string, presented: string): string | null {
  const dot = presented.indexOf('.');
  const sessionId = dot > 0 ? presented.slice(0, dot) : '';
  if (!PRESENTER_SESSION_ID.test(sessionId)) return null;
  const expected = presenterTokenOf(token, sessionId);
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b) ? sessionId : null;
}

/** A fresh per-launch secret: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The URL to open. The token travels in the fragment, which browsers never send to a server or in
 * a Referer; the renderer reads it from location.hash and removes it with history.replaceState.
 */
export function browserUrl(port: number, token: string): string {
  return `http://${LOOPBACK}:${port}/#token=${token}`;
}

/** Whether a Host header names this host exactly: 127.0.0.1:<port> or localhost:<port>. */
export function isAllowedHost(host: string | readonly string[] | undefined, port: number): boolean {
  if (typeof host !== 'string') return false;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

/** Whether an Origin header (absent for non-browser clients and plain navigations) is this host's. */
export function isAllowedOrigin(origin: string | readonly string[] | undefined, port: number): boolean {
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  return origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}

/**
 * Constant-time token check. Both sides are hashed first so the comparison takes the same time
 * whatever the given value's length; a repeated header (an array) never matches.
 */
export function tokensEqual(given: string | readonly string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Whether a Content-Type header says JSON (parameters such as charset allowed). */
export function isJsonContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  return ct.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export type Route =
  | { kind: 'api'; key: ApiKey }
  | { kind: 'api-unknown'; name: string }
  | { kind: 'favicon' }
  | { kind: 'static'; file: string }
  | { kind: 'refused'; status: 400 | 404; reason: string };

/**
 * Classifies a request target. Only origin-form targets ("/path?query") are accepted; static
 * paths are decoded once and refused when they could step outside the build folder.
 */
export function parseRoute(target: string): Route {
  if (!target.startsWith('/')) return { kind: 'refused', status: 400, reason: 'request target must be a path' };
  const pathname = target.split(/[?#]/, 1)[0]!;
  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const name = pathname.slice('/api/'.length);
    return isApiKey(name) ? { kind: 'api', key: name } : { kind: 'api-unknown', name };
  }
  if (pathname === '/favicon.ico') return { kind: 'favicon' };
  const file = staticRelativePath(pathname);
  return 'reason' in file ? { kind: 'refused', ...file } : { kind: 'static', file: file.path };
}

/**
 * The file a static path names, relative to the build folder, or why it is refused: 400 for
 * anything that tries to leave the folder or confuse the decoder, 404 for hidden files.
 */
export function staticRelativePath(pathname: string): { path: string } | { status: 400 | 404; reason: string } {
  if (pathname === '/') return { path: 'index.html' };
  // Encoded separators and NUL have no place in an asset URL; decoded they could change meaning.
  if (/%(2f|5c|00)/i.test(pathname)) return { status: 400, reason: 'encoded separator or NUL in path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400, reason: 'malformed percent-encoding in path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400, reason: 'NUL or backslash in path' };
  const segments = decoded.slice(1).split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return { status: 400, reason: 'empty, "." or ".." segment in path' };
    // A drive letter or an alternate data stream on Windows.
    if (s.includes(':')) return { status: 400, reason: 'colon in path' };
    if (s.startsWith('.')) return { status: 404, reason: 'hidden files are not served' };
  }
  return { path: segments.join('/') };
}

/**
 * Resolves a checked relative path inside the build folder (given as its real path) to a regular
 * file's real path, or null. Symbolic links are followed and the target must still be inside the
 * folder, so a link in the build output cannot expose the rest of the disk.
 */
export function resolveStaticFile(rootReal: string, relative: string): string | null {
  let real: string;
  try {
    real = realpathSync(join(rootReal, relative));
    if (!real.startsWith(rootReal + sep)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Content-Type of a static file by extension; unknown types are served as opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The body of a refusal made by the host itself rather than by a handler. Its code is the
 * contract's nearest one (the contract has none for authentication or transport), so the HTTP
 * status is what says which refusal it was.
 */
export function refusalBody(status: number, message: string): ApiErrorBody {
  return { code: status === 404 ? 'not_found' : status >= 500 ? 'internal' : 'bad_request', message };
}
