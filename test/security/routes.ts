import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { sql } from 'kysely';
import { completeSignIn, createAdmin } from '../../src/services/auth';
import { sendBriefs } from '../../src/services/briefs';
import { submitRequest } from '../../src/services/intake';
import type { ServiceContext } from '../../src/services/context';
import { createApiKey } from '../../src/services/firm/integrations';
import { linkIn, queuedEmails, SOC2_SCOPE_QUERY, signInLinkFor } from '../helpers/app';
import { confirmByToken, SOC2_SCOPE } from '../helpers/requests';
import { soc2ScopeFields } from '../helpers/scopes';

/**
 * The routes under test come from the app itself (its router, as `printRoutes` prints it), so
 * a route added tomorrow is sent the hostile corpus without anyone editing these tests.
 */

export interface RouteEntry {
  method: HTTPMethods;
  /** The pattern, as registered: "/r/:token/briefs". */
  url: string;
  /** Its parameter names, in order. */
  params: string[];
  api: boolean;
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every method and path the router knows, from `app.printRoutes({ commonPrefix: false })`:
 * a tree in which each line is a path segment appended to its parent's path and, when a route
 * ends there, its methods in parentheses. Each parsed route is checked with `app.hasRoute`,
 * so a change in the printed format fails loudly rather than silently dropping routes.
 */
export function collectRoutes(app: FastifyInstance): RouteEntry[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: { depth: number; path: string }[] = [];
  const out: RouteEntry[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )(.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const segment = m[2] ?? '';
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= depth) stack.pop();
    const path = `${stack[stack.length - 1]?.path ?? ''}${segment}`;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      out.push({
        method: method as HTTPMethods,
        url: path,
        params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((p) => p[1] ?? ''),
        api: path.startsWith('/api/'),
      });
    }
  }
  for (const r of out) {
    if (!app.hasRoute({ method: r.method, url: r.url })) {
      throw new Error(`route parser produced ${r.method} ${r.url}, which the app does not have`);
    }
  }
  return out.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

export const routeKey = (r: Pick<RouteEntry, 'method' | 'url'>) => `${r.method} ${r.url}`;

/** A path with each `:param` replaced by the given (already URL-encoded) value. */
export function fillPath(route: RouteEntry, values: Record<string, string>): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? 'x');
}

// ---------------------------------------------------------------------------
// Real things for the path parameters to point at.

export interface Fixtures {
  /** A firm with a public profile. */
  firmSlug: string;
  /** An unconfirmed request's confirmation token, for the confirmation page. */
  confirmToken: string;
  /** Another one, for posting to: the first valid post uses it up. */
  confirmTokenToPost: string;
  /** A confirmed request's private-page token; its brief went to one firm. */
  accessToken: string;
  /** The signed link token of that brief. */
  briefToken: string;
  /** That brief's id, and the firm it went to. */
  briefId: string;
  firmId: string;
  /** A credential of that firm. */
  credentialId: string | null;
  /** Session cookies ("am_session=…") of an owner of that firm, and of an operator. */
  firmOwnerCookie: string;
  adminCookie: string;
  /** An API key of that firm. */
  apiKey: string;
  /** Well-formed, but never issued. */
  unknownToken: string;
  unknownId: string;
}

async function confirmationTokenOf(app: FastifyInstance, requestId: string): Promise<string> {
  const mail = (await queuedEmails(app)).find((m) => m.key === `req:${requestId}:confirm`);
  if (!mail) throw new Error('no confirmation email queued');
  return linkIn(mail.text, '/r/confirm/').slice('/r/confirm/'.length);
}

async function newRequest(ctx: ServiceContext, tag: string) {
  return submitRequest(ctx, {
    scope: SOC2_SCOPE,
    contact: {
      name: 'Fixture Buyer',
      email: `${tag}-${randomUUID().slice(0, 8)}@buyer.example`,
      company: 'Fixture Labs',
    },
    consent: true,
  });
}

export interface Survey {
  routes: RouteEntry[];
  fixtures: Fixtures;
  /** The forms on the app's pages, by action path (`scrapeForms`). */
  forms: Map<string, PageForm[]>;
}

/** What the route sweeps start from: the router's routes, real things for their parameters, the forms on every page. */
export async function surveyApp(app: FastifyInstance): Promise<Survey> {
  const routes = collectRoutes(app);
  const fixtures = await prepareFixtures(app);
  return { routes, fixtures, forms: await scrapeForms(app, routes, fixtures) };
}

/** A path for the route with plausible parameters (`plausibleParams`). */
export function plausiblePath(
  route: RouteEntry,
  f: Fixtures,
  forms?: Map<string, PageForm[]>,
): string {
  return fillPath(route, plausibleParams(route, f, forms));
}

/** Two requests waiting for confirmation, and a confirmed one whose brief went to a firm. */
export async function prepareFixtures(app: FastifyInstance): Promise<Fixtures> {
  const ctx = app.ctx as ServiceContext;
  const firm = (await ctx.catalog.firms()).find((f) => f.status === 'active');
  if (!firm) throw new Error('no active firm in the catalogue');

  const confirmToken = await confirmationTokenOf(app, (await newRequest(ctx, 'pending')).id);
  const confirmTokenToPost = await confirmationTokenOf(app, (await newRequest(ctx, 'pending')).id);

  // Briefed, so that its private page shows every form (complaints need a firm that got the brief).
  const briefed = await newRequest(ctx, 'briefed');
  const accessToken = await confirmByToken(ctx, await confirmationTokenOf(app, briefed.id));
  const proposed = await ctx.db.kysely
    .selectFrom('proposals')
    .select('firmId')
    .where('requestId', '=', briefed.id)
    .where('status', '=', 'proposed')
    .orderBy('rank')
    .execute();
  const first = proposed[0]?.firmId;
  if (!first) throw new Error('the fixture request got no proposals');
  await sendBriefs(ctx, briefed.id, [first]);
  const briefMail = (await queuedEmails(app)).find((m) => /\/b\/[^\s]+/.test(m.text));
  if (!briefMail) throw new Error('no brief email queued');
  const briefToken = linkIn(briefMail.text, '/b/').slice('/b/'.length);
  const brief = await ctx.db.kysely
    .selectFrom('briefs')
    .select('id')
    .where('requestId', '=', briefed.id)
    .executeTakeFirstOrThrow();
  const credential = await ctx.db.kysely
    .selectFrom('credentials')
    .select('id')
    .where('firmId', '=', first)
    .executeTakeFirst();

  // Signed-in users, so that hostile input reaches the handlers behind the workspace gates.
  const ownerEmail = `owner-${randomUUID().slice(0, 8)}@firm.example`;
  await ctx.db.kysely
    .insertInto('users')
    .values({
      id: randomUUID(),
      email: ownerEmail,
      name: 'Fixture Owner',
      role: 'firm',
      firmId: first,
      firmRole: 'owner',
      createdAt: ctx.now().toISOString(),
      disabledAt: null,
    })
    .execute();
  const owner = await signIn(app, ownerEmail);
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@operator.example`;
  await createAdmin(ctx, adminEmail);
  const admin = await signIn(app, adminEmail);
  const { key } = await createApiKey(ctx, owner.user, 'hostile-input fixture');

  return {
    firmSlug: firm.slug,
    confirmToken,
    confirmTokenToPost,
    accessToken,
    briefToken,
    briefId: brief.id,
    firmId: first,
    credentialId: credential?.id ?? null,
    firmOwnerCookie: `am_session=${owner.sessionToken}`,
    adminCookie: `am_session=${admin.sessionToken}`,
    apiKey: key,
    unknownToken: randomBytes(32).toString('base64url'),
    unknownId: randomUUID(),
  };
}

/** Signs a user in through the emailed link, as a person would. */
async function signIn(app: FastifyInstance, email: string) {
  const link = await signInLinkFor(app, email);
  return completeSignIn(app.ctx as ServiceContext, link.slice('/sign-in/'.length));
}

/**
 * Credentials a route is sent with: the firm owner's session in the firm workspace, the
 * operator's in the console, the firm's API key under /api/. Public routes ignore them.
 */
export function credentialsFor(
  route: Pick<RouteEntry, 'url' | 'api'>,
  f: Fixtures,
): { cookie?: string; authorization?: string } {
  if (route.api) return { authorization: `Bearer ${f.apiKey}` };
  if (route.url === '/firm' || route.url.startsWith('/firm/')) return { cookie: f.firmOwnerCookie };
  if (route.url === '/admin' || route.url.startsWith('/admin/')) return { cookie: f.adminCookie };
  return {};
}

/** Joins cookie header values, skipping absent ones. */
export const cookies = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ');

/** The fixture a path parameter names, if any: real tokens and ids get handlers past their lookup. */
function fixtureParam(route: RouteEntry, name: string, f: Fixtures): string | undefined {
  const u = route.url;
  if (name === 'token') {
    if (u.startsWith('/r/confirm/'))
      return route.method === 'GET' ? f.confirmToken : f.confirmTokenToPost;
    if (u.startsWith('/r/')) return f.accessToken;
    if (u.startsWith('/b/')) return f.briefToken;
    return undefined;
  }
  if (name === 'slug') return f.firmSlug;
  if (name === 'pair') return 'soc2-vs-iso42001';
  if (name === 'id' && u.startsWith('/frameworks/')) return 'soc2';
  if (name === 'id' && u.startsWith('/firm/credentials/')) return f.credentialId ?? undefined;
  if (name === 'briefId') return f.briefId;
  if (name === 'firmId') return f.firmId;
  return undefined;
}

/**
 * Plausible values for path parameters: a fixture where one fits; else the values of a form on
 * the app's pages whose action matches the route (a console row's real id, say); else a
 * well-formed value that points at nothing.
 */
export function plausibleParams(
  route: RouteEntry,
  f: Fixtures,
  forms?: Map<string, PageForm[]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = new RegExp(
    `^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '([^/]+)')}$`,
  );
  const fromForm = forms
    ? [...forms.keys()].map((action) => pattern.exec(action)).find(Boolean)
    : null;
  route.params.forEach((name, i) => {
    out[name] =
      fixtureParam(route, name, f) ??
      fromForm?.[i + 1] ??
      (name === 'token' ? f.unknownToken : /id$/i.test(name) ? f.unknownId : 'soc2');
  });
  return out;
}

// ---------------------------------------------------------------------------
// Valid inputs to start from, so that one hostile field at a time is what gets refused.

/** Query strings a GET route answers 200 to; unknown routes start from none. */
export const KNOWN_QUERIES: Record<string, string> = {
  '/match': `preview=1&${SOC2_SCOPE_QUERY}`,
  '/firms': 'framework=soc2&region=north-america&stage=series-a',
  '/advisor': 'aiExposure=uses-ai&customers=enterprise&markets=us&holds=soc2',
  '/estimate':
    'framework=soc2&variant=type2&windowMonths=6&headcount=40&systems=5&locations=1&existingProgram=none',
  '/overlap': 'soc2=yes&have=availability&iso27001=yes',
  '/overlap.csv': 'soc2=yes&have=availability',
  '/api/v1/crosswalk': 'from=soc2&to=iso42001&have=availability',
  '/requests/sent': 'ref=AM-ABCDEFGH',
  '/r/:token': 'done=briefs',
  '/sign-in': 'next=/firm',
  '/sign-in/:token': 'next=/firm',
};

/** Query parameter names every GET route is tried with, besides its own. */
export const GENERIC_QUERY_FIELDS = ['q', 'next', 'ref', 'done', 'page', 'id', 'sort'];

/** JSON bodies the API routes accept; a new API route starts from `{}`. */
export const KNOWN_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/match-preview': {
    ...soc2ScopeFields(),
    frameworks: [{ framework: 'soc2', variant: 'type2', categories: ['availability'] }],
    excludeFirms: ['Nobody LLP'],
  },
  'POST /api/v1/requests': {
    scope: soc2ScopeFields(),
    contact: {
      name: 'Robin Buyer',
      email: 'robin@buyer.example',
      company: 'Buyer Labs',
      phone: '+1 555 0100',
    },
    consent: true,
  },
  'POST /api/v1/advisor': {
    aiExposure: 'uses-ai',
    customers: ['enterprise'],
    markets: ['us'],
    healthData: false,
    holds: ['soc2'],
  },
  'POST /api/v1/estimate': {
    framework: 'soc2',
    variant: 'type2',
    windowMonths: 6,
    categories: ['availability'],
    headcount: 40,
    systems: 5,
    locations: 1,
    existingProgram: 'none',
  },
};

/** Values a person would type into a form field of this name (forms start from these). */
export const FIELD_DEFAULTS: Record<string, string> = {
  name: 'Robin Buyer',
  email: 'robin@buyer.example',
  company: 'Buyer Labs',
  phone: '+1 555 0100',
  consent: 'yes',
  kind: 'other',
  body: 'They called me again after I asked them to stop.',
  reason: 'capacity',
  website: '',
};

/** The forms of an HTML page: method, action and default field values as a browser would send them. */
export interface PageForm {
  method: string;
  action: string;
  fields: [string, string][];
  html: string;
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`, 'i')
    .exec(tag)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

export function formsIn(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = m[1] ?? '';
    const inner = m[2] ?? '';
    const fields: [string, string][] = [];
    for (const c of inner.matchAll(/<(input|select|textarea)\b([^>]*)>/gi)) {
      const tag = c[2] ?? '';
      const name = attr(tag, 'name');
      if (!name) continue;
      const kind = (c[1] ?? '').toLowerCase();
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (kind === 'input' && (type === 'checkbox' || type === 'radio')) {
        if (/\schecked(\s|=|$)/i.test(tag)) fields.push([name, attr(tag, 'value') ?? 'on']);
        else if (!fields.some(([n]) => n === name)) fields.push([name, '']);
        continue;
      }
      if (kind === 'select') {
        const rest = inner.slice((c.index ?? 0) + c[0].length);
        const body = rest.slice(0, rest.search(/<\/select>/i));
        // As a browser does: the selected option, else the first one.
        const selected = /<option\b[^>]*value="([^"]*)"[^>]*\sselected/i.exec(body)?.[1];
        const first = /<option\b[^>]*value="([^"]*)"/i.exec(body)?.[1];
        fields.push([name, selected ?? first ?? '']);
        continue;
      }
      fields.push([name, kind === 'input' ? (attr(tag, 'value') ?? '') : '']);
    }
    forms.push({
      method: (attr(open, 'method') ?? 'get').toLowerCase(),
      action: attr(open, 'action') ?? '',
      fields: fields
        .filter(([n]) => n !== '_csrf')
        .map(([n, v]) => [n, v === '' && n in FIELD_DEFAULTS ? (FIELD_DEFAULTS[n] ?? '') : v]),
      html: m[0],
    });
  }
  return forms;
}

/**
 * Every page of the app with valid input, as a browser would see it: the forms on them, by
 * action path. They give the field names of GET forms and the default bodies of POST forms.
 */
export async function scrapeForms(
  app: FastifyInstance,
  routes: RouteEntry[],
  f: Fixtures,
): Promise<Map<string, PageForm[]>> {
  const forms = new Map<string, PageForm[]>();
  const visited = new Set<string>();
  // Twice: the second pass opens pages whose ids the first found in forms and links.
  for (let pass = 0; pass < 2; pass++) {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = fillPath(route, plausibleParams(route, f, pass > 0 ? forms : undefined));
      for (const query of ['', KNOWN_QUERIES[route.url]]) {
        if (query === undefined) continue;
        const url = query ? `${path}?${query}` : path;
        if (visited.has(url)) continue;
        visited.add(url);
        const { cookie, authorization } = credentialsFor(route, f);
        const res = await app.inject({
          method: 'GET',
          url,
          headers: { ...(cookie ? { cookie } : {}), ...(authorization ? { authorization } : {}) },
        });
        if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
        for (const form of formsIn(res.body)) {
          const action = form.action.split('?')[0] || path;
          forms.set(action, [...(forms.get(action) ?? []), form]);
        }
        // Links count as targets with no fields (method "link"): they show real ids to plausibleParams.
        for (const m of res.body.matchAll(/\shref="(\/[^"#?]*)/g)) {
          const href = (m[1] ?? '').replace(/&amp;/g, '&');
          if (href && !forms.has(href))
            forms.set(href, [{ method: 'link', action: href, fields: [], html: '' }]);
        }
      }
    }
  }
  return forms;
}

/** Valid fields to start from: the API's known body, or the defaults of the form that posts here. */
export function baseBody(
  route: RouteEntry,
  path: string,
  forms: Map<string, PageForm[]>,
): Record<string, unknown> {
  const known = KNOWN_BODIES[routeKey(route)];
  if (known) return known;
  const form = (forms.get(path) ?? []).find((x) => x.method === 'post');
  return form ? formBody(form.fields) : {};
}

/** The flat field map of a form, lists kept for names that repeat. */
export function formBody(fields: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    if (value === '' && out[name] === undefined) {
      out[name] = '';
      continue;
    }
    const prev = out[name];
    if (prev === undefined || prev === '') out[name] = value;
    else out[name] = [...[prev].flat(), value];
  }
  return out;
}

// ---------------------------------------------------------------------------
// What an accepted request may leave behind.

/**
 * Tables an accepted (2xx/3xx) request to a route may add (or remove) rows in. A refused
 * request (4xx) must leave every table as it was; a route not listed here may store nothing.
 */
export const EXPECTED_EFFECTS: Record<string, string[]> = {
  'POST /requests': ['quote_requests', 'outbox', 'audit_log'],
  'POST /api/v1/requests': ['quote_requests', 'outbox', 'audit_log'],
  'POST /r/confirm/:token': ['proposals', 'request_links', 'outbox', 'audit_log'],
  'POST /r/confirm/:token/resend': ['request_links', 'outbox', 'audit_log'],
  'POST /r/lost': ['request_links', 'outbox', 'audit_log'],
  'POST /r/:token/briefs': ['briefs', 'proposals', 'outbox', 'audit_log'],
  'POST /r/:token/withdraw': ['outbox', 'audit_log'],
  'POST /r/:token/briefs/:briefId/messages': [
    'brief_messages',
    'outbox',
    'audit_log',
    'request_links',
  ],
  'POST /r/:token/briefs/:briefId/share': ['outbox', 'audit_log'],
  'POST /r/:token/briefs/:briefId/call': ['calls', 'outbox', 'audit_log', 'request_links'],
  'POST /r/:token/calls/:callId/reschedule': ['outbox', 'audit_log', 'request_links'],
  'POST /r/:token/calls/:callId/cancel': ['outbox', 'audit_log', 'request_links'],
  'POST /firm/availability': ['firm_availability', 'audit_log'],
  'POST /firm/leads/:briefId/messages': ['brief_messages', 'outbox', 'audit_log', 'request_links'],
  'POST /firm/leads/:briefId/calls/:callId/pick': ['outbox', 'audit_log', 'request_links'],
  'POST /firm/leads/:briefId/calls/:callId/reschedule': ['outbox', 'audit_log', 'request_links'],
  'POST /firm/leads/:briefId/calls/:callId/cancel': ['outbox', 'audit_log', 'request_links'],
  'POST /b/:token/messages': ['brief_messages', 'outbox', 'audit_log', 'request_links'],
  'POST /b/:token/quote': ['quotes', 'outbox', 'audit_log', 'request_links'],
  'POST /b/:token/calls/:callId/pick': ['outbox', 'audit_log', 'request_links'],
  'POST /b/:token/calls/:callId/reschedule': ['outbox', 'audit_log', 'request_links'],
  'POST /b/:token/calls/:callId/cancel': ['outbox', 'audit_log', 'request_links'],
  'POST /r/:token/delete': ['outbox', 'audit_log'],
  'POST /r/:token/complaints': ['complaints', 'audit_log'],
  'POST /b/:token/accept': ['outbox', 'audit_log', 'proposals'],
  'POST /b/:token/decline': ['outbox', 'audit_log', 'proposals'],
  'POST /sign-in': ['sign_in_tokens', 'outbox'],
  'POST /sign-in/:token': ['sessions', 'audit_log'],
  'POST /r/:token/quotes/:quoteId/choose': ['outbox', 'audit_log'],
  'POST /firm/apply': [
    'firms',
    'users',
    'firm_applications',
    'sign_in_tokens',
    'outbox',
    'audit_log',
  ],
  'POST /firm/profile': ['firm_services', 'audit_log'],
  'POST /firm/credentials': ['credentials', 'outbox', 'audit_log'],
  'POST /firm/leads/:briefId/answer': ['outbox', 'audit_log', 'proposals'],
  'POST /firm/leads/:briefId/quote': ['quotes', 'outbox', 'audit_log', 'request_links'],
  'POST /firm/team/invite': ['users', 'sign_in_tokens', 'outbox', 'audit_log'],
  'POST /firm/team/:userId/remove': ['users', 'sessions', 'audit_log'],
  'POST /firm/team/:userId/role': ['audit_log'],
  'POST /firm/integrations/keys': ['api_keys', 'audit_log'],
  'POST /firm/integrations/keys/:id/revoke': ['audit_log'],
  'POST /firm/integrations/webhooks': ['webhook_endpoints', 'audit_log'],
  'POST /firm/integrations/webhooks/:id/remove': ['webhook_endpoints', 'audit_log'],
  'POST /admin/firms/:id/status': ['audit_log', 'outbox'],
  'POST /admin/credentials/:id': ['audit_log', 'outbox'],
  'POST /admin/applications/:userId/approve': ['users', 'sign_in_tokens', 'outbox', 'audit_log'],
  'POST /admin/applications/:userId/reject': ['users', 'outbox', 'audit_log'],
  'POST /admin/complaints/:id/resolve': ['audit_log', 'outbox'],
  'POST /admin/outbox/:id/retry': ['audit_log'],
  'POST /admin/reviews/:id': ['audit_log'],
};

/**
 * Tables whose rows an anonymous visitor legitimately moves: anonymous demand counters and
 * small shared state (catalog version, rotation). Everything else is counted.
 */
const UNCOUNTED = new Set(['demand_counts', 'app_state']);

/** Every application table, found in the database itself, so new tables are counted too. */
export async function tableNames(app: FastifyInstance): Promise<string[]> {
  return (await allTableNames(app)).filter((n) => !UNCOUNTED.has(n));
}

/** Every table the app's migrations made (Kysely's own left out), sorted. */
export async function allTableNames(app: FastifyInstance): Promise<string[]> {
  const { db } = app.ctx;
  const rows =
    db.dialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
          db.kysely,
        )
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
          db.kysely,
        );
  return rows.rows
    .map((r) => r.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort();
}

/**
 * Rows that record a read, not a write: showing a buyer's contact (on a page, in the CSV, by
 * the API) is audit-logged as "contact.viewed", also when a refused form re-renders the lead.
 */
const WHERE_WRITTEN: Record<string, string> = {
  audit_log: " where action not like '%.viewed'",
};

/** Row counts of the given tables (reads left out), in one round trip. */
export async function rowCounts(
  app: FastifyInstance,
  tables: string[],
): Promise<Record<string, number>> {
  const query = tables
    .map((t) => `select '${t}' as t, count(*) as n from "${t}"${WHERE_WRITTEN[t] ?? ''}`)
    .join(' union all ');
  const rows = await sql<{ t: string; n: number | string }>`${sql.raw(query)}`.execute(
    app.ctx.db.kysely,
  );
  return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
}

/**
 * A counter the database itself bumps on every insert into or delete from the given tables, so a
 * test that sends thousands of requests can tell "nothing was added or removed" with one small
 * read and count every table only when something was. Only inserts and deletes change a row
 * count (the audit log's filter is on a column no statement updates), so an unchanged mark means
 * unchanged counts. SQLite keeps the counter and triggers in the connection's temporary schema;
 * PostgreSQL in the test's own schema (its triggers cannot be temporary).
 */
export async function writeMarks(
  app: FastifyInstance,
  tables: string[],
): Promise<() => Promise<number>> {
  const { db } = app.ctx;
  const run = (text: string) => sql.raw(text).execute(db.kysely);
  if (db.dialect === 'sqlite') {
    await run('create temp table write_marks (n integer not null)');
    await run('insert into write_marks values (0)');
    for (const table of tables) {
      for (const event of ['insert', 'delete']) {
        await run(
          `create temp trigger "write_mark_${event}_${table}" after ${event} on main."${table}" begin update write_marks set n = n + 1; end`,
        );
      }
    }
  } else {
    await run('create table write_marks (n bigint not null)');
    await run('insert into write_marks values (0)');
    await run(
      'create function write_mark() returns trigger language plpgsql as $$ begin update write_marks set n = n + 1; return null; end $$',
    );
    for (const table of tables) {
      await run(
        `create trigger write_mark after insert or delete on "${table}" for each statement execute function write_mark()`,
      );
    }
  }
  return async () => {
    const rows = await sql<{ n: number | string }>`select n from write_marks`.execute(db.kysely);
    return Number(rows.rows[0]?.n);
  };
}

export function changedTables(
  before: Record<string, number>,
  after: Record<string, number>,
): string[] {
  return Object.keys(after).filter((t) => after[t] !== before[t]);
}
