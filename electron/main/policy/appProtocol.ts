// Maps app://resetpath/<path> onto the built renderer folder and refuses everything else. The
// page gets a real origin (so CSP 'self' and same-origin checks mean something) without file://,
// whose pages may read any file the user can. Requests are checked twice: by name (no segment
// can climb out, however it is encoded) and by the resolved real path (no symlink can lead out).
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
// One content-type table for both ways the renderer is served (app:// here, loopback HTTP in browser mode).
import { contentTypeFor } from '../../../backend/index.ts';
import { isAppUrl, parseUrl } from './origin.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

export type AppFileResult = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };
export type AppPathSegments = { ok: true; segments: string[] } | { ok: false; status: 400 | 403 | 404; reason: string };


/** Headers of every app:// response: the CSP, and no MIME sniffing of what the table names. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

const refuse = (status: 400 | 403 | 404, reason: string) => ({ ok: false as const, status, reason });

/**
 * The decoded path segments of an app:// URL, refusing any segment that could name something
 * outside the folder once decoded: "." and "..", separators (/ and \, also as %2F and %5C), NUL
 * and control characters, drive letters and stream names (":"), and names Windows silently
 * rewrites (trailing dot or space). The URL parser already folds plain and %2e dot segments; this
 * does not rely on it.
 */
export function appPathSegments(url: unknown): AppPathSegments {
  if (!isAppUrl(url)) return refuse(403, 'not an app:// URL of this app');
  const u = parseUrl(url)!;
  // Node gives "app://resetpath" an empty path where Chromium, for a standard scheme, gives "/".
  if (u.pathname === '' || u.pathname === '/') return { ok: true, segments: ['index.html'] };
  const raw = u.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const [i, r] of raw.entries()) {
    let s: string;
    try {
      s = decodeURIComponent(r);
    } catch {
      return refuse(400, 'malformed percent-encoding');
    }
    if (s === '' && i === raw.length - 1) return refuse(404, 'directories are not served');
    if (s === '' || s === '.' || s === '..') return refuse(400, 'empty or dot path segment');
    if (/[/\\:\u0000-\u001f\u007f]/.test(s)) return refuse(400, 'separator, drive, stream or control character in a path segment');
    if (/[. ]$/.test(s)) return refuse(400, 'path segment ends with a dot or a space');
    if (s.startsWith('.')) return refuse(404, 'hidden files are not served');
    segments.push(s);
  }
  return { ok: true, segments };
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * The file an app:// URL names inside the build folder, or why it is refused. The file's real
 * path (symlinks resolved) must lie inside the folder's real path: a link planted in the build
 * folder cannot serve /etc/passwd. Only regular files are served.
 */
export function resolveAppFile(buildRoot: string, url: unknown): AppFileResult {
  const parsed = appPathSegments(url);
  if (!parsed.ok) return parsed;
  if (!isAbsolute(buildRoot)) return refuse(403, 'the build folder must be an absolute path');
  let realRoot: string;
  try {
    realRoot = realpathSync(buildRoot);
  } catch {
    return refuse(404, 'the renderer has not been built');
  }
  const candidate = join(realRoot, ...parsed.segments);
  if (!inside(realRoot, candidate)) return refuse(403, 'outside the build folder');
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return refuse(404, 'no such file');
  }
  if (!inside(realRoot, real)) return refuse(403, 'resolves outside the build folder');
  try {
    if (!statSync(real).isFile()) return refuse(404, 'not a file');
  } catch {
    return refuse(404, 'no such file');
  }
  return { ok: true, file: real, contentType: contentTypeFor(real) };
}

/** The build folder is read-only to the page: only GET and HEAD are answered. */
export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** What the app:// handler answers: a status, the headers, and a body (a file to read, a line of text, or none). */
export interface AppProtocolAnswer {
  status: 200 | 400 | 403 | 404 | 405;
  headers: Record<string, string>;
  body: { file: string } | { text: string } | null;
}

/**
 * The answer to one app:// request, decided before any byte is read: 405 for a method other than
 * GET and HEAD (the build folder is read-only to the page), the refusal of resolveAppFile with its
 * reason as plain text, else 200 with the file's type and the file as the body, which a HEAD
 * request does not get. Every answer carries appResponseHeaders, the CSP among them.
 */
export function appProtocolResponse(buildRoot: string, request: { readonly method: string; readonly url: string }): AppProtocolAnswer {
  const text = appResponseHeaders('text/plain; charset=utf-8');
  if (!isReadMethod(request.method)) return { status: 405, headers: { ...text, Allow: 'GET, HEAD' }, body: { text: 'method not allowed' } };
  const resolved = resolveAppFile(buildRoot, request.url);
  if (!resolved.ok) return { status: resolved.status, headers: text, body: { text: resolved.reason } };
  return { status: 200, headers: appResponseHeaders(resolved.contentType), body: request.method === 'HEAD' ? null : { file: resolved.file } };
}
