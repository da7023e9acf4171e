import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, META_CSP, META_IGNORED_DIRECTIVES, withContentSecurityPolicy } from '../../electron/main/policy/csp.ts';

const parse = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));

describe('the Content-Security-Policy', () => {
  const policy = parse(CONTENT_SECURITY_POLICY);

  it.each([
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
  ])('sets %s to %j', (directive, sources) => {
    expect(policy.get(directive)).toEqual(sources);
  });

  it('has exactly those directives, each once', () => {
    expect([...policy.keys()]).toEqual(Object.keys(CSP_DIRECTIVES));
    expect(CONTENT_SECURITY_POLICY.split(';').length).toBe(Object.keys(CSP_DIRECTIVES).length);
  });

  it('allows no inline code, no eval, no wildcard and no remote scheme', () => {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "'strict-dynamic'", '*', 'http:', 'https:', 'ws:', 'wss:', 'blob:', 'filesystem:']) {
      for (const sources of policy.values()) expect(sources).not.toContain(bad);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe/);
  });

  it('replaces any policy a response carried, whatever the header case', () => {
    const out = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Security-Policy-Report-Only': 'x', 'Content-Type': 'text/html' });
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('the renderer page\'s <meta> CSP', () => {
  const html = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer', 'index.html'), 'utf8');
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)].map((m) => m[1]);

  it('is the header\'s policy, so the two cannot drift apart', () => {
    expect(metas).toEqual([META_CSP]);
  });

  it('leaves out only what a <meta> policy cannot carry (Chromium ignores frame-ancestors there, with a console error)', () => {
    expect([...META_IGNORED_DIRECTIVES]).toEqual(['frame-ancestors', 'report-uri', 'sandbox']);
    const header = parse(CONTENT_SECURITY_POLICY);
    for (const name of META_IGNORED_DIRECTIVES) header.delete(name);
    expect(parse(META_CSP)).toEqual(header);
  });
});

describe('the CSP under Google\'s csp-evaluator (the library electronegativity uses)', () => {
  it('raises nothing but the generic advisory on script-src \'self\', which does not apply here', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const egDir = require.resolve('@doyensec/electronegativity/package.json').replace(/package\.json$/, '');
    const csp = require(require.resolve('@doyensec/csp-evaluator', { paths: [egDir] })) as {
      CspParser: new (s: string) => { csp: unknown };
      CspEvaluator: new (c: unknown, v: unknown) => { evaluate(): { severity: number; directive: string; value: string }[] };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    // 'self' can be abused where the origin hosts JSONP endpoints or user uploads. app://resetpath
    // serves only the read-only renderer build (appProtocol.test.ts), so neither exists.
    expect(findings.map((f) => [f.severity, f.directive, f.value])).toEqual([[csp.severities.MEDIUM_MAYBE, 'script-src', "'self'"]]);
  });
});
