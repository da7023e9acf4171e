// The one origin the app's own pages live on. Every URL decision (navigation, IPC senders, the
// protocol handler) compares against these constants, so there is no second spelling to drift.

/** The privileged scheme the built renderer is served from (never file://). */
export const APP_SCHEME = 'app';
/** The only host of that scheme the protocol handler answers. */
export const APP_HOST = 'resetpath';
/** The app's origin as Chromium reports it for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The scheme's privileges: a standard, secure scheme (a real origin, allowed to use secure-context
 * APIs and ES modules) with fetch for same-origin assets. Deliberately absent: bypassCSP,
 * corsEnabled, allowServiceWorkers, stream and codeCache, none of which the app needs.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, supportFetchAPI: true });

/** Parses a URL without throwing; null when it is not an absolute URL. */
export function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when a URL is on the app's own origin. Credentials or a port make it another origin, and
 * the host is compared exactly: Chromium lower-cases and percent-decodes hosts of standard
 * schemes, so a URL that still differs after that came from somewhere else.
 */
export function isAppUrl(url: unknown): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  return u.protocol === `${APP_SCHEME}:` && u.hostname.toLowerCase() === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}
