import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/web/app';
import { appOn, formSession, postForm, useApp } from '../helpers/app';
import { describeEachEngine, testConfig } from '../helpers/databases';
import { toForm, toJson } from './corpus';
import {
  baseBody,
  changedTables,
  cookies,
  credentialsFor,
  formsIn,
  KNOWN_BODIES,
  KNOWN_QUERIES,
  type PageForm,
  plausiblePath,
  routeKey,
  rowCounts,
  STATE_CHANGING,
  type Survey,
  surveyApp,
  tableNames,
} from './routes';

/**
 * docs/quality.md, "Headers": CSP without inline scripts, HSTS behind TLS, frame denial, no server
 * banner, CSRF tokens on every state-changing form, and rate limits on intake and sign-in.
 * Routes come from the app itself, as in test/sweeps/hostile-input.test.ts.
 */

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** The header checks every response passes; returns what is wrong, if anything. */
function headerProblems(res: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const csp = String(res.headers['content-security-policy'] ?? '');
  const d = directives(csp);
  const scripts = d.get('script-src') ?? d.get('default-src');
  if (!csp) problems.push('no Content-Security-Policy');
  else {
    if (!scripts) problems.push('CSP without script-src or default-src');
    if (scripts?.includes("'unsafe-inline'")) problems.push("script-src allows 'unsafe-inline'");
    if (scripts?.includes("'unsafe-eval'")) problems.push("script-src allows 'unsafe-eval'");
    if (scripts?.includes('*')) problems.push('script-src allows any origin');
    if (d.get('frame-ancestors')?.join(' ') !== "'none'")
      problems.push("frame-ancestors is not 'none'");
    if (d.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  }
  if (res.headers['x-content-type-options'] !== 'nosniff')
    problems.push('no X-Content-Type-Options: nosniff');
  if ('x-powered-by' in res.headers) problems.push('X-Powered-By banner');
  if ('server' in res.headers) problems.push('Server banner');
  if (!res.headers['referrer-policy']) problems.push('no Referrer-Policy');
  return problems;
}

describeEachEngine('security headers, CSRF and rate limits', (t) => {
  let app: FastifyInstance;
  let routes: Survey['routes'];
  let fixtures: Survey['fixtures'];
  let forms: Map<string, PageForm[]>;

  // Limits are raised here so that a CSRF refusal is seen as itself, not as a 429;
  // the limits themselves are tested below on a fresh app with the real settings.
  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100 } });
  beforeAll(async () => {
    ({ routes, fixtures, forms } = await surveyApp(app));
  });

  /** Signed in where the route needs it (workspace, console, API key). */
  function authHeaders(route: Survey['routes'][number]): Record<string, string> {
    const { cookie, authorization } = credentialsFor(route, fixtures);
    return { ...(cookie ? { cookie } : {}), ...(authorization ? { authorization } : {}) };
  }

  /** Each GET route with valid input, plus the error answers, which are easy to forget. */
  async function everyKindOfResponse(on: FastifyInstance) {
    const out: { what: string; res: LightMyRequestResponse }[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = plausiblePath(route, fixtures, forms);
      const query = KNOWN_QUERIES[route.url];
      out.push({
        what: routeKey(route),
        res: await on.inject({
          url: query ? `${path}?${query}` : path,
          headers: authHeaders(route),
        }),
      });
    }
    const extras: [string, InjectOptions | string][] = [
      ['page not found', '/no-such-page'],
      ['API not found', '/api/v1/no-such-thing'],
      ['API bad input', { method: 'POST', url: '/api/v1/match-preview', payload: { stage: 1 } }],
      [
        'form bad input',
        {
          method: 'POST',
          url: '/requests',
          payload: 'a=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['undecodable URL', '/r/%C3%28'],
      ['over-long path parameter', `/firms/${'a'.repeat(300)}`],
      ['undecodable API URL', '/api/v1/%C3%28'],
      [
        'wrong content type',
        {
          method: 'POST',
          url: '/api/v1/requests',
          payload: '<x/>',
          headers: { 'content-type': 'application/xml' },
        },
      ],
      [
        'too large',
        {
          method: 'POST',
          url: '/api/v1/requests',
          payload: `{"a":"${'a'.repeat(300_000)}"}`,
          headers: { 'content-type': 'application/json' },
        },
      ],
      ['method not routed', { method: 'DELETE', url: '/match' }],
    ];
    for (const [what, opts] of extras) out.push({ what, res: await on.inject(opts) });
    return out;
  }

  it('sends CSP, frame denial, nosniff and a referrer policy, and no banner, on every answer', async () => {
    const problems: string[] = [];
    const answers = await everyKindOfResponse(app);
    expect(answers.length).toBeGreaterThanOrEqual(20);
    for (const { what, res } of answers) {
      for (const p of headerProblems(res)) problems.push(`${what} (${res.statusCode}): ${p}`);
      // Without TLS there is no HSTS: a browser would pin a scheme the site does not serve.
      if ('strict-transport-security' in res.headers)
        problems.push(`${what}: HSTS over plain HTTP`);
    }
    expect(problems).toEqual([]);
  });

  it('serves pages that need no inline script: no inline <script> code, no event handler attributes', async () => {
    const problems: string[] = [];
    for (const { what, res } of await everyKindOfResponse(app)) {
      if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
      for (const m of res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        const attrs = m[1] ?? '';
        const data = /type="application\/ld\+json"/.test(attrs);
        if (!/\ssrc="/.test(attrs) && !data)
          problems.push(`${what}: inline script ${m[0].slice(0, 80)}`);
      }
      const handler = /<[a-z][^>]*\son[a-z]+\s*=/i.exec(res.body);
      if (handler) problems.push(`${what}: event handler attribute ${handler[0].slice(0, 80)}`);
    }
    expect(problems).toEqual([]);
  });

  it('puts a CSRF token in every form that posts', async () => {
    const posting: { page: string; form: PageForm }[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = plausiblePath(route, fixtures, forms);
      for (const query of ['', KNOWN_QUERIES[route.url]]) {
        if (query === undefined) continue;
        const url = query ? `${path}?${query}` : path;
        const res = await app.inject({ url, headers: authHeaders(route) });
        if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
        for (const form of formsIn(res.body).filter((f) => f.method === 'post'))
          posting.push({ page: url, form });
        // Any form element spelled with method="post", however its attributes are ordered.
        const raw = (res.body.match(/<form\b[^>]*method="post"/gi) ?? []).length;
        expect(formsIn(res.body).filter((f) => f.method === 'post').length).toBe(raw);
      }
    }
    // The buyer's pages alone have more than this: a scraper that found none would prove nothing.
    expect(posting.length).toBeGreaterThanOrEqual(6);
    const missing = posting
      .filter(
        ({ form }) =>
          !/<input\b[^>]*type="hidden"[^>]*name="_csrf"[^>]*value="[^"]{16,}"/.test(form.html),
      )
      .map(({ page, form }) => `${page} → ${form.action}`);
    expect(missing).toEqual([]);
  });

  it('refuses every state-changing form route without a token, or with another session’s token', async () => {
    const tables = await tableNames(app);
    const before = await rowCounts(app, tables);
    const problems: string[] = [];
    const mine = await formSession(app, '/sign-in');
    const theirs = await formSession(app, '/sign-in');
    expect(mine.cookie).not.toBe(theirs.cookie);
    const targets = routes.filter((r) => STATE_CHANGING.has(r.method) && !r.api);
    expect(targets.length).toBeGreaterThanOrEqual(8);
    for (const route of targets) {
      const path = plausiblePath(route, fixtures, forms);
      const body = baseBody(route, path, forms);
      const attempts: [string, Record<string, string>, string][] = [
        [
          'no token, no cookie',
          { 'content-type': 'application/x-www-form-urlencoded' },
          toForm(body),
        ],
        [
          'cookie but no token',
          { 'content-type': 'application/x-www-form-urlencoded', cookie: mine.cookie },
          toForm(body),
        ],
        [
          'token but no cookie',
          { 'content-type': 'application/x-www-form-urlencoded' },
          toForm({ ...body, _csrf: mine.token }),
        ],
        [
          "another session's token",
          { 'content-type': 'application/x-www-form-urlencoded', cookie: mine.cookie },
          toForm({ ...body, _csrf: theirs.token }),
        ],
        [
          "another session's token in the header",
          { 'content-type': 'application/json', cookie: mine.cookie, 'x-csrf-token': theirs.token },
          toJson(body),
        ],
        [
          'a forged token',
          { 'content-type': 'application/json', cookie: mine.cookie },
          toJson({ ...body, _csrf: `${mine.token.slice(0, -4)}AAAA` }),
        ],
      ];
      // Signed in where the route needs it, so that the CSRF check is what refuses.
      const auth = credentialsFor(route, fixtures);
      for (const [what, headers, payload] of attempts) {
        const cookie = cookies(headers.cookie, auth.cookie);
        const res = await app.inject({
          method: route.method,
          url: path,
          headers: { ...headers, ...(cookie ? { cookie } : {}) },
          payload,
        });
        if (res.statusCode !== 403)
          problems.push(`${routeKey(route)} with ${what}: ${res.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
    expect(changedTables(before, await rowCounts(app, tables))).toEqual([]);
  });

  it('accepts the same forms with the token of their own session (the refusals above are CSRF, not the body)', async () => {
    // The request form, the one that matters most: refused above, accepted here.
    const session = await formSession(app, `/match?${KNOWN_QUERIES['/match']}`);
    const body = baseBody(
      { method: 'POST', url: '/requests', params: [], api: false },
      '/requests',
      forms,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/requests',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      payload: toForm({ ...body, _csrf: session.token }),
    });
    expect(res.statusCode).toBe(303);
  });

  describe('behind TLS', () => {
    let tls: FastifyInstance;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'auditmatch-tls-'));
      const { db, config } = t();
      const env: Record<string, string> = { PUBLIC_URL: 'https://auditmatch.example' };
      if (config.database.kind === 'postgres') env.DATABASE_URL = config.database.url;
      tls = await buildApp(testConfig(dir, env), { db });
      await tls.ready();
    });
    afterAll(async () => {
      await tls?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends HSTS for a year with subdomains on every answer, and secure cookies', async () => {
      const problems: string[] = [];
      for (const { what, res } of await everyKindOfResponse(tls)) {
        const hsts = String(res.headers['strict-transport-security'] ?? '');
        const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
        if (maxAge < 31_536_000 || !/includeSubDomains/i.test(hsts))
          problems.push(`${what}: HSTS "${hsts}"`);
        for (const p of headerProblems(res)) problems.push(`${what}: ${p}`);
      }
      expect(problems).toEqual([]);
      const page = await tls.inject('/sign-in');
      const cookie = page.cookies.find((c) => c.name === '_am_csrf');
      expect(cookie?.secure).toBe(true);
      expect(cookie?.httpOnly).toBe(true);
      expect(String(page.headers['content-security-policy'])).toContain(
        'upgrade-insecure-requests',
      );
    });
  });

  describe('rate limits', () => {
    // A fresh app each: limits are per app instance here, and the tests above spent some.
    let fresh: FastifyInstance;
    beforeAll(async () => {
      fresh = await appOn(t(), { seed: false });
      expect(fresh.ctx.config.rateLimitMultiplier).toBe(1);
    });
    afterAll(async () => {
      await fresh?.close();
    });

    /** Sends `send()` until a 429 (at most `ceiling` times); returns how many got through first. */
    async function untilLimited(send: () => Promise<LightMyRequestResponse>, ceiling: number) {
      for (let i = 0; i < ceiling; i++) {
        const res = await send();
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode === 429) return { allowed: i, res };
      }
      return { allowed: ceiling, res: null };
    }

    /** Posts a form (with a valid CSRF session) until a 429, at most 100 times. */
    const formUntilLimited = (
      csrf: { token: string; cookie: string },
      url: string,
      fields: Record<string, string>,
    ) => untilLimited(() => postForm(fresh, url, fields, { csrf }), 100);

    it('limits the request form (POST /requests) per client address', async () => {
      const tables = await tableNames(fresh);
      const before = await rowCounts(fresh, tables);
      const session = await formSession(fresh, '/sign-in');
      // Invalid bodies: the limit counts attempts, and nothing may be stored on the way.
      const { allowed, res } = await formUntilLimited(session, '/requests', { framework: 'soc2' });
      expect(res?.statusCode).toBe(429);
      expect(allowed).toBeGreaterThanOrEqual(1);
      expect(allowed).toBeLessThanOrEqual(20);
      expect(res?.headers['retry-after']).toBeDefined();
      expect(String(res?.headers['content-type'])).toMatch(/^text\/html/);
      expect(res?.body).toContain('Too many requests');
      expect(headerProblems(res as LightMyRequestResponse)).toEqual([]);
      // Another client address is not affected.
      const other = await fresh.inject({
        method: 'POST',
        url: '/requests',
        remoteAddress: '203.0.113.7',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
        payload: toForm({ _csrf: session.token, framework: 'soc2' }),
      });
      expect(other.statusCode).toBe(400);
      expect(changedTables(before, await rowCounts(fresh, tables))).toEqual([]);
    });

    it('limits the intake API (POST /api/v1/requests) and answers 429 as problem details', async () => {
      const body = { ...KNOWN_BODIES['POST /api/v1/requests'], consent: false };
      const { allowed, res } = await untilLimited(
        () => fresh.inject({ method: 'POST', url: '/api/v1/requests', payload: body }),
        100,
      );
      expect(res?.statusCode).toBe(429);
      expect(allowed).toBeGreaterThanOrEqual(1);
      expect(allowed).toBeLessThanOrEqual(20);
      expect(String(res?.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res?.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    });

    it('limits sign-in (POST /sign-in)', async () => {
      const session = await formSession(fresh, '/sign-in');
      const { allowed, res } = await formUntilLimited(session, '/sign-in', {
        email: 'nobody@firm.example',
      });
      expect(res?.statusCode).toBe(429);
      expect(allowed).toBeLessThanOrEqual(10);
    });
  });
});
