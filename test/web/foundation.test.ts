import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases';
import { appOn, useApp, expectAnswer } from '../helpers/app';
import { DIRECTORY_PAGE_SIZE } from '../../src/domain/directory';

describeEachEngine('the public site', (t) => {
  let app: FastifyInstance;
  useApp(t, (built) => (app = built));

  it('serves the home page with the promises and the path to quotes', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('three audit firms');
    expect(res.body).toContain('href="/match"');
    expect(res.body).toContain('Independent of every firm listed');
    expect(res.body).toContain('Demo data');
  });

  it('sends strict security headers and no framework banner', async () => {
    const res = await app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a repeat visit with 304 when the ETag matches', async () => {
    const first = await app.inject('/firms');
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const second = await app.inject({ url: '/firms', headers: { 'if-none-match': etag } });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
  });

  it('sends cached pages compressed as the client accepts, the same page in every encoding', async () => {
    const plain = await app.inject('/frameworks/soc2');
    const br = await app.inject({
      url: '/frameworks/soc2',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    const gzip = await app.inject({
      url: '/frameworks/soc2',
      headers: { 'accept-encoding': 'gzip' },
    });
    const refused = await app.inject({
      url: '/frameworks/soc2',
      headers: { 'accept-encoding': 'br;q=0, gzip;q=0' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(refused.headers['content-encoding']).toBeUndefined();
    for (const res of [br, gzip, plain]) expect(res.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(refused.body).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(new Set([plain, br, gzip].map((r) => r.headers.etag)).size).toBe(1);
  });

  it('caches the directory per filter choice, whatever the order or extra parameters of the URL', async () => {
    const a = await app.inject('/firms?framework=iso42001&region=europe');
    const b = await app.inject('/firms?region=europe&utm_source=x&framework=iso42001');
    const other = await app.inject('/firms?framework=soc2&region=europe');
    expect(a.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(other.headers.etag).not.toBe(a.headers.etag);
  });

  it('lists frameworks and shows SOC 2 and ISO/IEC 42001 pages with real content', async () => {
    const list = await app.inject('/frameworks');
    expect(list.statusCode).toBe(200);
    for (const id of ['soc2', 'iso42001', 'iso27001'])
      expect(list.body).toContain(`/frameworks/${id}`);
    const soc2 = await app.inject('/frameworks/soc2');
    expect(soc2.statusCode).toBe(200);
    expect(soc2.body).toContain('CPA');
    expect(soc2.body).toMatch(/Type 2|Type II/);
    const iso = await app.inject('/frameworks/iso42001');
    expectAnswer(iso, 200, ['42006', '17021-1']);
  });

  it('pages the directory: every listed firm once across the pages, filters kept, bad pages refused', async () => {
    const cards = (html: string) =>
      [...html.matchAll(/<h2><a href="\/firms\/([^"]+)"/g)].map((m) => m[1]);
    const first = await app.inject('/firms');
    const total = Number(/(\d+) firms match/.exec(first.body)?.[1]);
    const pages = Math.ceil(total / DIRECTORY_PAGE_SIZE);
    expect(pages).toBeGreaterThan(1);
    expect(cards(first.body)).toHaveLength(DIRECTORY_PAGE_SIZE);
    expect(first.body).toContain(`page 1 of ${pages}`);
    expect(first.body).toContain('href="/firms?page=2" rel="next"');
    const seen = [...cards(first.body)];
    for (let n = 2; n <= pages; n++) {
      const page = await app.inject(`/firms?page=${n}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(
        n === 2 ? 'href="/firms" rel="prev"' : `href="/firms?page=${n - 1}" rel="prev"`,
      );
      seen.push(...cards(page.body));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // Past the last page: the last page again, never an empty list.
    const past = await app.inject(`/firms?page=${pages + 5}`);
    expect(cards(past.body)).toEqual(cards((await app.inject(`/firms?page=${pages}`)).body));
    // The filters ride along in the page links.
    const seriesA = await app.inject('/firms?stage=series-a');
    expect(Number(/(\d+) firms match/.exec(seriesA.body)?.[1])).toBeGreaterThan(
      DIRECTORY_PAGE_SIZE,
    );
    expect(seriesA.body).toContain('href="/firms?stage=series-a&amp;page=2" rel="next"');
    for (const bad of ['0', '-1', 'abc', '1.5', '1000'])
      expect((await app.inject(`/firms?page=${bad}`)).statusCode).toBe(400);
  });

  it('filters the directory by framework and marks qualification', async () => {
    const all = await app.inject('/firms');
    const iso = await app.inject('/firms?framework=iso42001');
    expect(iso.statusCode).toBe(200);
    const count = (html: string) => Number(/(\d+) firms? match/.exec(html)?.[1]);
    expect(count(iso.body)).toBeGreaterThan(0);
    expect(count(iso.body)).toBeLessThan(count(all.body));
    expect(iso.body).toContain('Qualified for ISO/IEC 42001');
  });

  it('re-renders the directory with a clear message for an unknown filter value', async () => {
    const res = await app.inject('/firms?framework=%3Cscript%3Ealert(1)%3C/script%3E&region=mars');
    expectAnswer(res, 400, ['Choose a framework from the list', 'Choose a region from the list']);
    expect(res.body).not.toContain('<script>alert(1)');
  });

  it('shows a firm profile with services and credential status, and hides unknown firms', async () => {
    const firms = await app.ctx.catalog.firms();
    const firm = firms.find((f) => f.status === 'active')!;
    const res = await app.inject(`/firms/${firm.slug}`);
    expectAnswer(res, 200, [firm.name.replace(/&/g, '&amp;'), 'Credentials']);
    const missing = await app.inject('/firms/no-such-firm');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
    const suspended = firms.find((f) => f.status === 'suspended');
    if (suspended) expect((await app.inject(`/firms/${suspended.slug}`)).statusCode).toBe(404);
  });

  it('gives unknown pages the 404 page and unknown API paths problem details', async () => {
    const page = await app.inject('/nowhere');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    const api = await app.inject('/api/v1/nowhere');
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('reports liveness and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  });

  it('serves static assets with long-lived cache headers', async () => {
    const home = await app.inject('/');
    const css = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(home.body)?.[1];
    expect(css).toBeTruthy();
    const res = await app.inject(css!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age=31536000');
    expect(res.headers['cache-control']).toContain('immutable');
  });
});

describe('errors never leak internals', () => {
  it('turns a thrown error into a generic page and problem details without a stack trace', async () => {
    const { openTestDatabase } = await import('../helpers/databases');
    const t = await openTestDatabase('sqlite');
    const app = await appOn(t, {
      seed: false,
      beforeReady: (a) => {
        a.get('/boom', async () => {
          throw new Error('secret internal detail at /srv/app.ts:12');
        });
        a.get('/api/v1/boom', async () => {
          throw new Error('secret internal detail at /srv/app.ts:12');
        });
      },
    });
    const page = await app.inject('/boom');
    expect(page.statusCode).toBe(500);
    expect(page.body).not.toContain('secret internal detail');
    expect(page.body).not.toContain('app.ts');
    const api = await app.inject('/api/v1/boom');
    expect(api.statusCode).toBe(500);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.body).not.toContain('secret internal detail');
    await app.close();
    await t.cleanup();
  });
});
