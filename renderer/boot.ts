// Browser mode's first two calls, sent before the main bundle is even compiled: this module imports
// nothing, so Vite emits it as a tiny script that runs first, and the host prepares the library
// listing while the browser is still parsing the workbench. Only the responses are left for the
// bridge (on window, where only this origin's scripts can reach under the page's CSP); the token
// stays in the URL fragment until the bridge reads and removes it, as without this module. After a
// reload the fragment is empty and the token is the one the bridge kept in the tab's sessionStorage.

/** Routes of the prefetched calls; a test checks they equal the contract's httpRoute(key). */
export const PREFETCHED = { 'app.info': '/api/app.info', 'library.list': '/api/library.list' } as const;

/** The bridge's sessionStorage key (bridge.ts SESSION_KEY; a test checks they agree). */
export const SESSION_KEY = 'resetpath.session';

/** The token the bridge kept for this tab, or null. */
function stored(): { token: string | null; presenter: boolean } {
  try {
    const v = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) ?? 'null') as { token?: unknown; presenter?: unknown } | null;
    return { token: typeof v?.token === 'string' ? v.token : null, presenter: typeof v?.presenter === 'string' };
  } catch {
    return { token: null, presenter: false };
  }
}

export type EarlyResponses = Partial<Record<keyof typeof PREFETCHED, Promise<Response>>>;

if (typeof window !== 'undefined' && !('api' in window)) {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const session = stored();
  const token = hash.get('token') ?? session.token;
  // A presenter tab reads the room's view only (its token admits nothing else): nothing to prefetch.
  const presenter = hash.has('token') ? hash.has('presenter') : session.presenter;
  if (token && !presenter && /^[A-Za-z0-9_-]{8,256}$/.test(token)) {
    const early: EarlyResponses = {};
    for (const [key, route] of Object.entries(PREFETCHED) as [keyof typeof PREFETCHED, string][]) {
      early[key] = fetch(route, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-ResetPath-Token': token },
        body: '{}',
        cache: 'no-store',
        credentials: 'same-origin',
      });
      // Awaited by the bridge; this only keeps an early network failure from being reported as unhandled.
      early[key]!.catch(() => undefined);
    }
    (window as unknown as { __resetpathEarly?: EarlyResponses }).__resetpathEarly = early;
  }
}
