// The Content-Security-Policy of every page the app serves. The renderer is a static bundle of
// same-origin scripts and styles that talks to the backend only through the preload, so the page
// needs nothing beyond 'self': no inline code, no eval, no remote hosts, no frames, no forms.

/** Directive → sources. Kept as data so the test can check each directive by name. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
});

/** The header value, sent with every app:// response and every response of the app's session. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** Directives a policy in a <meta> element cannot deliver (CSP3 §3.3); Chromium ignores them there. */
export const META_IGNORED_DIRECTIVES: ReadonlySet<string> = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/**
 * The policy renderer/index.html repeats in its <meta http-equiv="Content-Security-Policy">: the
 * header's, less what a <meta> cannot carry. Chromium enforces both, so the stricter would win
 * anyway; csp.test.ts holds the page's copy equal to this, so the two never drift apart.
 */
export const META_CSP = Object.entries(CSP_DIRECTIVES)
  .filter(([directive]) => !META_IGNORED_DIRECTIVES.has(directive))
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/**
 * Response headers with the app's CSP in place of any the response carried. Header names are
 * case-insensitive, so a server sending `content-security-policy` and the app adding
 * `Content-Security-Policy` would otherwise leave two policies, the weaker one from outside.
 */
export function withContentSecurityPolicy(headers: Readonly<Record<string, string | string[]>> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    out[name] = Array.isArray(value) ? [...value] : [value];
  }
  // electronegativity cannot evaluate a policy composed at run time and reports it as unparseable;
  // test/electron/csp.test.ts runs the same evaluator (Google's csp-evaluator) on the composed
  // string and checks what it says.
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]; // eng-disable CSP_GLOBAL_CHECK (reviewed, see above)
  return out;
}
