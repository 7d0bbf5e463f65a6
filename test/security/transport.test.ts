import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { appOn, formSession } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { toForm } from './corpus';
import {
  collectRoutes,
  credentialsFor,
  fillPath,
  plausibleParams,
  prepareFixtures,
  type RouteEntry,
  routeKey,
  scrapeForms,
} from './routes';

/**
 * What happens below the forms: which address a request comes from behind proxies, clients
 * that send slowly or send garbage, capability pages, and the limits on anonymous and failed
 * attempts.
 */

const BASE_ENV = {
  NODE_ENV: 'test',
  DATA_DIR: '/tmp/auditmatch-config-test',
  APP_SECRET: 'x'.repeat(40),
};

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
}

describe('TRUST_PROXY', () => {
  it('takes a hop count or proxy addresses, never "true"', () => {
    expect(loadConfig({ ...BASE_ENV }).trustProxy).toBe(false);
    expect(loadConfig({ ...BASE_ENV, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(
      loadConfig({ ...BASE_ENV, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(loadConfig({ ...BASE_ENV, TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
    expect(() => loadConfig({ ...BASE_ENV, TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY must not be true/,
    );
    expect(() => loadConfig({ ...BASE_ENV, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ ...BASE_ENV, TRUST_PROXY: 'proxy.internal' })).toThrow(/TRUST_PROXY/);
  });
});

describeEachEngine('below the forms', (t) => {
  for (const trust of ['1', '127.0.0.1']) {
    describe(`behind a proxy (TRUST_PROXY=${trust})`, () => {
      let app: FastifyInstance;
      beforeAll(async () => {
        const db = t();
        app = await appOn(
          {
            ...db,
            config: {
              ...db.config,
              trustProxy: loadConfig({ ...BASE_ENV, TRUST_PROXY: trust }).trustProxy,
            },
          },
          { seed: false },
        );
      });
      afterAll(async () => {
        await app?.close();
      });

      it('takes the right-most untrusted X-Forwarded-For entry, so spoofed entries share one limit', async () => {
        const session = await formSession(app, '/sign-in');
        const statuses: number[] = [];
        for (let i = 0; i < 35; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/sign-in',
            // The client wrote the first entry; the proxy appended the address it saw.
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: session.cookie,
              'x-forwarded-for': `198.51.100.${i}, 203.0.113.9`,
            },
            payload: toForm({ _csrf: session.token, email: `person${i}@office.example` }),
          });
          statuses.push(res.statusCode);
        }
        expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
        expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
        // Another real client behind the same proxy is not affected.
        const other = await app.inject({
          method: 'POST',
          url: '/sign-in',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: session.cookie,
            'x-forwarded-for': '203.0.113.10',
          },
          payload: toForm({ _csrf: session.token, email: 'someone@office.example' }),
        });
        expect(other.statusCode).toBe(200);
      });
    });
  }

  describe('limits on anonymous and failed attempts', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await appOn(t(), { seed: false });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('limits sign-in per email address, and an office of 20 people signs in from one address', async () => {
      const session = await formSession(app, '/sign-in');
      const post = (email: string, remoteAddress: string) =>
        app.inject({
          method: 'POST',
          url: '/sign-in',
          remoteAddress,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
          payload: toForm({ _csrf: session.token, email }),
        });
      const office = [];
      for (let i = 0; i < 20; i++)
        office.push((await post(`staff${i}@office.example`, '192.0.2.50')).statusCode);
      expect(office.every((s) => s === 200)).toBe(true);
      const one = [];
      // The same address from many places: limited by the email, whatever the client address.
      for (let i = 0; i < 7; i++)
        one.push((await post('target@firm.example', `192.0.2.${100 + i}`)).statusCode);
      expect(one.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(one.slice(5)).toEqual([429, 429]);
    });

    it('limits API calls without a valid key per client address, whatever key they make up', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await app.inject({
          method: 'GET',
          url: '/api/v1/leads',
          remoteAddress: '192.0.2.77',
          headers: { authorization: `Bearer ${randomBytes(24).toString('base64url')}` },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.filter((s) => s === 401).length).toBe(30);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    });
  });

  describe('capability pages', () => {
    let app: FastifyInstance;
    let routes: RouteEntry[];
    beforeAll(async () => {
      const db = t();
      app = await appOn({ ...db, config: { ...db.config, rateLimitMultiplier: 100_000 } });
      routes = collectRoutes(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('sends no-referrer, no-store and noindex from every route whose address holds a token', async () => {
      const fixtures = await prepareFixtures(app);
      const forms = await scrapeForms(app, routes, fixtures);
      const session = await formSession(app, '/sign-in');
      const tokened = routes.filter((r) => r.params.includes('token'));
      expect(tokened.map(routeKey)).toEqual(
        expect.arrayContaining([
          'GET /sign-in/:token',
          'GET /r/confirm/:token',
          'GET /r/:token',
          'GET /b/:token',
          'GET /reviews/:token',
          'POST /r/:token/briefs',
        ]),
      );
      const problems: string[] = [];
      for (const route of tokened) {
        for (const token of ['real', 'unknown']) {
          const params = plausibleParams(route, fixtures, forms);
          const url = fillPath(
            route,
            token === 'real' ? params : { ...params, token: fixtures.unknownToken },
          );
          const auth = credentialsFor(route, fixtures);
          const res = await app.inject({
            method: route.method,
            url,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: [session.cookie, auth.cookie].filter(Boolean).join('; '),
            },
            ...(route.method === 'GET' ? {} : { payload: toForm({ _csrf: session.token }) }),
          });
          const h = res.headers;
          if (
            h['referrer-policy'] !== 'no-referrer' ||
            h['cache-control'] !== 'no-store' ||
            !String(h['x-robots-tag']).includes('noindex')
          ) {
            problems.push(
              `${routeKey(route)} (${token} token) → ${res.statusCode}: ${h['referrer-policy']} / ${h['cache-control']} / ${h['x-robots-tag']}`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
      // And not on public pages, which stay cacheable and indexable.
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.headers['x-robots-tag']).toBeUndefined();
      expect(home.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    });

    it('answers a malformed or cut-short multipart body with a 400, never a 500', async () => {
      const boundary = '----x';
      const bodies = [
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsoc2-report\r\n--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 trunc`,
        `--${boundary}\r\nGarbage-without-colon\r\n\r\nx\r\n--${boundary}--\r\n`,
        'not multipart at all',
      ];
      for (const payload of bodies) {
        for (const url of ['/firm/credentials']) {
          const res = await app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
            payload,
          });
          expect(res.statusCode, payload.slice(0, 40)).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, payload.slice(0, 40)).toBeLessThan(500);
          expectSecurityHeaders(res.headers);
        }
      }
      const noBoundary = await app.inject({
        method: 'POST',
        url: '/firm/credentials',
        headers: { 'content-type': 'multipart/form-data' },
        payload: 'x',
      });
      expect(noBoundary.statusCode).toBeLessThan(500);
    });
  });

  describe('on a real socket', () => {
    let app: FastifyInstance;
    let port = 0;
    beforeAll(async () => {
      const db = t();
      app = await appOn(db, {
        seed: false,
        timeouts: { headersMs: 1000, requestMs: 2000, idleMs: 3000, keepAliveMs: 1000 },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = (app.server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await app?.close();
    });

    function raw(text: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(text));
        let out = '';
        socket.on('data', (d) => {
          out += d.toString('latin1');
        });
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
        socket.setTimeout(15_000, () => socket.destroy());
      });
    }

    it('answers requests Node refuses before the app (bad request line, huge headers) with the security headers', async () => {
      const bad = await raw('GET / HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n');
      expect(bad).toMatch(/^HTTP\/1\.1 400/);
      expect(bad.toLowerCase()).toContain("content-security-policy: default-src 'self'");
      expect(bad.toLowerCase()).toContain('x-content-type-options: nosniff');
      expect(bad).toContain('application/problem+json');
      const huge = await raw(
        `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(huge).toMatch(/^HTTP\/1\.1 431/);
      expect(huge.toLowerCase()).toContain('x-frame-options: deny');
    });

    it('closes connections that trickle a request or never finish it, and memory returns', async () => {
      const sockets: Socket[] = [];
      const closed: Promise<number>[] = [];
      const started = Date.now();
      const heapBefore = process.memoryUsage().heapUsed;
      const N = 200;
      for (let i = 0; i < N; i++) {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => {});
        closed.push(
          new Promise((resolve) => socket.on('close', () => resolve(Date.now() - started))),
        );
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        if (i % 2 === 0) {
          // Headers that never end.
          socket.write('POST /sign-in HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
        } else {
          // A body promised and never sent in full.
          socket.write(
            'POST /sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=',
          );
        }
      }
      // Keep trickling a byte a second: a slow client, not an idle one.
      const trickle = setInterval(() => {
        for (const s of sockets) if (!s.destroyed) s.write('a');
      }, 500);
      try {
        const times = await Promise.all(closed);
        // Every one closed by the server: within the request deadline plus the check interval, with room for a slow machine.
        expect(Math.max(...times)).toBeLessThan(15_000);
        expect(sockets.every((s) => s.destroyed)).toBe(true);
      } finally {
        clearInterval(trickle);
      }
      const count = await new Promise<number>((resolve) =>
        app.server.getConnections((_e, n) => resolve(n)),
      );
      expect(count).toBe(0);
      global.gc?.();
      // Memory returns: far less than the requests' promised bodies (200 × 100 kB) is still held.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(20 * 1024 * 1024);
    });
  });
});
