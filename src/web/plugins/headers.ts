/**
 * The security headers of every answer, worked out once per app rather than per request
 * (docs/decisions/0009-fast-public-pages.md). The CSP allows no inline script or
 * style, no framing and no plugins; HSTS and upgrade-insecure-requests only when the public
 * address is HTTPS, so a plain-HTTP development server stays usable.
 */
export function securityHeaders(overTls: boolean): Readonly<Record<string, string>> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    ...(overTls ? ['upgrade-insecure-requests'] : []),
  ].join(';');
  return Object.freeze({
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    // The legacy XSS auditor is off: it caused more leaks than it stopped; the CSP does the work.
    'x-xss-protection': '0',
    ...(overTls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  });
}
