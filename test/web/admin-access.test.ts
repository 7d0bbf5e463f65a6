import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createAdmin } from '../../src/services/auth';
import { evidenceDir } from '../../src/services/firm/credentials';
import { addFirmUser, formSession, signInByEmailLink, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { collectRoutes, type RouteEntry } from '../security/routes';

/**
 * Every operator-console route, read from the app's own router so a route added tomorrow is
 * covered too, × {anonymous, firm member, firm owner, operator}: anonymous GETs go to sign-in
 * and anonymous form posts get 401, firm users get 403 whatever their role, the operator gets in.
 */

type Who = 'anonymous' | 'member' | 'owner' | 'operator';

describeEachEngine('operator console access', (t) => {
  let app: FastifyInstance;
  let routes: RouteEntry[];
  const sessions: Partial<Record<Who, string>> = {};
  let csrf: { token: string; cookie: string };
  /** Real ids for path parameters, so the operator's GETs reach a page rather than a 404. */
  let credentialId = '';

  const signIn = (email: string) => signInByEmailLink(app, email);

  async function call(who: Who, method: string, url: string) {
    const cookie = [sessions[who], csrf.cookie].filter(Boolean).join('; ');
    return app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: {
        cookie,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST'
        ? { payload: new URLSearchParams({ _csrf: csrf.token }).toString() }
        : {}),
    });
  }

  const pathOf = (route: RouteEntry) => route.url.replace(/:([A-Za-z0-9_]+)/g, () => credentialId);

  useApp(t, (built) => (app = built));
  beforeAll(async () => {
    await createAdmin(app.ctx, 'ops@auditmatch.example');
    const firm = await app.ctx.db.kysely
      .selectFrom('firms')
      .select('id')
      .where('status', '=', 'active')
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    await addFirmUser(app, firm.id, 'member@firm.example', 'member');
    await addFirmUser(app, firm.id, 'owner@firm.example', 'owner');
    sessions.member = await signIn('member@firm.example');
    sessions.owner = await signIn('owner@firm.example');
    sessions.operator = await signIn('ops@auditmatch.example');
    csrf = await formSession(app, '/sign-in');

    // One credential with an evidence file, so the evidence route has something to serve.
    const credential = await app.ctx.db.kysely
      .selectFrom('credentials')
      .select('id')
      .where('firmId', '=', firm.id)
      .executeTakeFirstOrThrow();
    credentialId = credential.id;
    const file = `${randomBytes(16).toString('hex')}.pdf`;
    mkdirSync(evidenceDir(app.ctx), { recursive: true });
    writeFileSync(join(evidenceDir(app.ctx), file), '%PDF-1.4\n%%EOF\n');
    await app.ctx.db.kysely
      .updateTable('credentials')
      .set({ evidenceFile: file })
      .where('id', '=', credentialId)
      .execute();

    routes = collectRoutes(app).filter((r) => r.url === '/admin' || r.url.startsWith('/admin/'));
  });

  it('finds the console routes in the router', () => {
    const gets = routes.filter((r) => r.method === 'GET').map((r) => r.url);
    for (const url of [
      '/admin',
      '/admin/credentials',
      '/admin/firms',
      '/admin/website-changes',
      '/admin/requests',
      '/admin/complaints',
      '/admin/outbox',
      '/admin/metrics',
      '/admin/audit',
      '/admin/reviews',
    ]) {
      expect(gets).toContain(url);
    }
    expect(routes.some((r) => r.method === 'POST')).toBe(true);
  });

  it('sends an anonymous visitor to sign-in, and refuses an anonymous form post', async () => {
    for (const route of routes) {
      const res = await call('anonymous', route.method, pathOf(route));
      if (route.method === 'GET') {
        expect(res.statusCode, `GET ${route.url}`).toBe(303);
        expect(res.headers.location, `GET ${route.url}`).toMatch(/^\/sign-in\?next=%2Fadmin/);
      } else {
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    }
  });

  it('refuses firm members and firm owners everywhere with 403', async () => {
    for (const who of ['member', 'owner'] as const) {
      for (const route of routes) {
        const res = await call(who, route.method, pathOf(route));
        expect(res.statusCode, `${who}: ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('lets the operator in: every page answers 200, every form is handled without a 5xx', async () => {
    for (const route of routes) {
      const res = await call('operator', route.method, pathOf(route));
      if (route.method === 'GET') {
        expect(res.statusCode, `GET ${route.url}`).toBe(200);
        expect(res.headers['cache-control'], `GET ${route.url}`).toBe('no-store');
      } else {
        // An empty form: refused for what it lacks, never for who sent it.
        expect(res.statusCode, `${route.method} ${route.url}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${route.method} ${route.url}`).toBeLessThan(500);
        expect([401, 403], `${route.method} ${route.url}`).not.toContain(res.statusCode);
      }
    }
  });

  it('refuses a console form posted without a CSRF token, even from the operator', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/admin/credentials/${credentialId}`,
      payload: 'decision=revoke&note=forged',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessions.operator! },
    });
    expect(res.statusCode).toBe(403);
    const row = await app.ctx.db.kysely
      .selectFrom('credentials')
      .select('verification')
      .where('id', '=', credentialId)
      .executeTakeFirstOrThrow();
    expect(row.verification).not.toBe('revoked');
  });
});
