import type { FastifyInstance } from 'fastify';
import { openEmail } from '../../src/outbox/email';
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

/** The emails queued in the outbox, opened, oldest first. */
export async function queuedEmails(app: FastifyInstance) {
  const rows = await app.ctx.db.kysely
    .selectFrom('outbox')
    .select(['idempotencyKey', 'payload', 'status'])
    .where('channel', '=', 'email')
    .orderBy('createdAt')
    .orderBy('idempotencyKey')
    .execute();
  return rows
    .filter((r) => r.payload !== '')
    .map((r) => ({ key: r.idempotencyKey, status: r.status, ...openEmail(app.ctx.secrets, r.payload) }));
}

export function linkIn(text: string, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+(${pathPrefix.replace(/\//g, '\\/')}[^\\s]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${pathPrefix} link in: ${text.slice(0, 200)}`);
  return match[1];
}

/** A scope every demo catalogue can serve three firms for. */
export const SOC2_SCOPE_QUERY =
  'framework=soc2&variant_soc2=type2&stage=series-a&headcount=40&region=north-america&industry=saas&neededBy=2027-09-30&aiExposure=uses-ai';
