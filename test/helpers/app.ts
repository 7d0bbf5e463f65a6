import type { FastifyInstance } from 'fastify';
import { seedDemoFirms } from '../../src/services/seed';
import { type AppOverrides, buildApp } from '../../src/web/app';
import type { TestDatabase } from './databases';

/** The real app on a test database, seeded with the demo firms unless told otherwise. */
export async function appOn(
  t: TestDatabase,
  options: { seed?: boolean; beforeReady?: (app: FastifyInstance) => void } & AppOverrides = {},
): Promise<FastifyInstance> {
  if (options.seed !== false) await seedDemoFirms(t.db.kysely, new Date());
  const app = await buildApp(t.config, { db: t.db, ...(options.now ? { now: options.now } : {}) });
  options.beforeReady?.(app);
  await app.ready();
  return app;
}

/** Reads the CSRF cookie and token from a rendered form, as a browser would. */
export async function formSession(app: FastifyInstance, path: string) {
  const page = await app.inject({ method: 'GET', url: path });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_am_csrf');
  if (!token || !cookie) throw new Error(`no CSRF token on ${path}`);
  return { token, cookie: `${cookie.name}=${cookie.value}` };
}
