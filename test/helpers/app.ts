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
  const app = await buildApp(t.config, {
    db: t.db,
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
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

/**
 * A firm user of `firmId` (owner unless told), signed in through the emailed link exactly as a
 * person would; returns the session cookie.
 */
export async function signedInFirmUser(
  app: FastifyInstance,
  firmId: string,
  options: { email?: string; firmRole?: 'owner' | 'member' } = {},
): Promise<{ userId: string; email: string; cookie: string }> {
  const { randomUUID } = await import('node:crypto');
  const { requestSignIn } = await import('../../src/services/auth');
  const userId = randomUUID();
  const email = options.email ?? `user-${userId.slice(0, 8)}@firm.example`;
  await app.ctx.db.kysely
    .insertInto('users')
    .values({ id: userId, email, name: null, role: 'firm', firmId, firmRole: options.firmRole ?? 'owner', createdAt: new Date().toISOString(), disabledAt: null })
    .execute();
  await requestSignIn(app.ctx, email);
  const mail = (await queuedEmails(app)).filter((m) => m.to === email && m.key.startsWith('signin:')).at(-1);
  if (!mail) throw new Error(`no sign-in email for ${email}`);
  const link = linkIn(mail.text, '/sign-in/');
  const form = await formSession(app, link);
  const res = await app.inject({
    method: 'POST',
    url: link,
    payload: `_csrf=${encodeURIComponent(form.token)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
  });
  const session = res.cookies.find((c) => c.name === 'am_session');
  if (res.statusCode !== 303 || !session) throw new Error(`sign-in failed: ${res.statusCode}`);
  return { userId, email, cookie: `am_session=${session.value}` };
}

/**
 * Posts a urlencoded form as a browser would: the CSRF token and cookie come from `formPage`
 * (any page with a form), `session` is sent along when given.
 */
export async function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string | string[]>,
  options: { session?: string; formPage?: string; csrf?: { token: string; cookie: string } } = {},
) {
  const csrf = options.csrf ?? (await formSession(app, options.formPage ?? '/sign-in'));
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ _csrf: csrf.token, ...fields })) for (const x of [v].flat()) params.append(k, x);
  return app.inject({
    method: 'POST',
    url,
    payload: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [options.session, csrf.cookie].filter(Boolean).join('; ') },
  });
}
