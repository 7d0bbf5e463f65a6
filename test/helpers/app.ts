import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Config } from '../../src/config';
import { openEmail } from '../../src/outbox/email';
import { requestSignIn } from '../../src/services/auth';
import { seedDemoFirms } from '../../src/services/seed';
import { type AppOverrides, buildApp } from '../../src/web/app';
import type { TestDatabase } from './databases';
import { insertUser } from './users';

export type AppOnOptions = {
  seed?: boolean;
  /** Settings changed from the test configuration (a raised rate limit, production mode). */
  config?: Partial<Config>;
  beforeReady?: (app: FastifyInstance) => void;
} & AppOverrides;

/** The real app on a test database, seeded with the demo firms unless told otherwise. */
export async function appOn(t: TestDatabase, options: AppOnOptions = {}): Promise<FastifyInstance> {
  if (options.seed !== false) await seedDemoFirms(t.db.kysely, new Date());
  const app = await buildApp(options.config ? { ...t.config, ...options.config } : t.config, {
    db: t.db,
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  options.beforeReady?.(app);
  await app.ready();
  return app;
}

/**
 * The app (as `appOn` builds it) for the describe block this is called in: built before its
 * tests and handed to `set`, closed after them.
 */
export function useApp(
  t: () => TestDatabase,
  set: (app: FastifyInstance) => void,
  options: AppOnOptions = {},
) {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = await appOn(t(), options);
    set(app);
  });
  afterAll(async () => {
    await app?.close();
  });
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
    .map((r) => ({
      key: r.idempotencyKey,
      status: r.status,
      ...openEmail(app.ctx.secrets, r.payload),
    }));
}

export function linkIn(text: string, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+(${pathPrefix.replace(/\//g, '\\/')}[^\\s]+)`).exec(
    text,
  );
  if (!match?.[1]) throw new Error(`no ${pathPrefix} link in: ${text.slice(0, 200)}`);
  return match[1];
}

export { SOC2_SCOPE_QUERY } from './scopes';

/** The path of the newest sign-in link queued for `email`, after asking for one. */
export async function signInLinkFor(app: FastifyInstance, email: string): Promise<string> {
  await requestSignIn(app.ctx, email);
  const mail = (await queuedEmails(app))
    .filter((m) => m.to === email && m.key.startsWith('signin:'))
    .at(-1);
  if (!mail) throw new Error(`no sign-in email for ${email}`);
  return linkIn(mail.text, '/sign-in/');
}

/**
 * Signs an existing account in the way a person does: the emailed link, then the button on its
 * page. Returns the session cookie ("am_session=…"); anything but a 303 with a session throws.
 */
export async function signInByEmailLink(app: FastifyInstance, email: string): Promise<string> {
  return useSignInLink(app, await signInLinkFor(app, email));
}

/**
 * Opens a sign-in link (a path, "/sign-in/…") and presses the button on its page. Returns the
 * session cookie ("am_session=…"); anything but a 303 with a session throws.
 */
export async function useSignInLink(app: FastifyInstance, link: string): Promise<string> {
  const res = await postForm(app, link, {}, { formPage: link });
  const session = res.cookies.find((c) => c.name === 'am_session');
  if (res.statusCode !== 303 || !session) throw new Error(`sign-in failed: ${res.statusCode}`);
  return `am_session=${session.value}`;
}

/** Adds a firm user of `firmId` (owner unless told) with no session yet; returns its id. */
export async function addFirmUser(
  app: FastifyInstance,
  firmId: string | null,
  email: string,
  firmRole: 'owner' | 'member' | null = 'owner',
  createdAt = new Date(),
): Promise<string> {
  const id = randomUUID();
  await insertUser(
    app.ctx.db.kysely,
    { id, email, name: null, role: 'firm', firmId, firmRole },
    createdAt,
  );
  return id;
}

/**
 * A firm user of `firmId` (owner unless told), signed in through the emailed link exactly as a
 * person would; returns the session cookie.
 */
export async function signedInFirmUser(
  app: FastifyInstance,
  firmId: string,
  options: { email?: string; firmRole?: 'owner' | 'member' } = {},
): Promise<{ userId: string; email: string; cookie: string }> {
  const email = options.email ?? `user-${randomUUID().slice(0, 8)}@firm.example`;
  const userId = await addFirmUser(app, firmId, email, options.firmRole ?? 'owner');
  return { userId, email, cookie: await signInByEmailLink(app, email) };
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
  for (const [k, v] of Object.entries({ _csrf: csrf.token, ...fields }))
    for (const x of [v].flat()) params.append(k, x);
  return app.inject({
    method: 'POST',
    url,
    payload: params.toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [options.session, csrf.cookie].filter(Boolean).join('; '),
    },
  });
}

/** Posts a raw body with a content type of the caller's choosing, and no cookies. */
export function postRaw(app: FastifyInstance, url: string, payload: string, contentType: string) {
  return app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
}

/** Posts a JSON body, with no cookies; returns the status, the content type and the parsed answer. */
export async function postJson(app: FastifyInstance, url: string, payload: unknown) {
  const res = await app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(payload),
    headers: { 'content-type': 'application/json' },
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    body: res.json() as Record<string, unknown>,
  };
}

/** The status of a GET of `url`, sent with the given headers (a cookie, a bearer token). */
export async function statusOf(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return (await app.inject({ method: 'GET', url, headers })).statusCode;
}

/** Asserts an answer's status, its content type when given, and that its body shows each of `texts`. */
export function expectAnswer(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  texts: string[],
  contentType?: string,
) {
  expect(res.statusCode).toBe(status);
  if (contentType) expect(String(res.headers['content-type'])).toContain(contentType);
  for (const text of texts) expect(res.body).toContain(text);
}
