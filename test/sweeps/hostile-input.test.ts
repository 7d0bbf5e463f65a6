import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMPLAINT_KINDS } from '../../src/services/buyer';
import { plainText } from '../../src/domain/text';
import { ContactSchema, ScopeSchema } from '../../src/services/intake/schemas';
import { formSession, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import {
  CATEGORIES,
  type Category,
  FIELD_VALUES,
  leafPaths,
  PATH_VALUES,
  QUERY_VALUES,
  RAW_BODIES,
  REMOVE,
  rawQueryStrings,
  SCRIPT_TAG,
  toForm,
  toJson,
  unescapedPayloads,
  withValue,
} from '../security/corpus';
import {
  baseBody,
  changedTables,
  cookies,
  credentialsFor,
  EXPECTED_EFFECTS,
  fillPath,
  type Fixtures,
  GENERIC_QUERY_FIELDS,
  KNOWN_QUERIES,
  type PageForm,
  plausibleParams,
  plausiblePath,
  type RouteEntry,
  routeKey,
  rowCounts,
  STATE_CHANGING,
  surveyApp,
  tableNames,
  writeMarks,
} from '../security/routes';

/**
 * docs/quality.md, "Bad input": every route the app has (read from its router) gets the hostile
 * corpus — through its path parameters and query string, and for state-changing routes through
 * JSON and form bodies, with a valid CSRF session and without. Whatever comes back: never a 5xx,
 * never a payload reflected unescaped, problem details naming the field under /api/, a page
 * with a message elsewhere, and not one row written by a refused request.
 */

const ESCAPED_SCRIPT_TAG = '&lt;script&gt;alert(1)&lt;/script&gt;';
/** Preact escapes "<" (and quotes) in attribute values but leaves ">", which is safe there. */
const ESCAPED_SCRIPT = /&lt;script(&gt;|>)alert\(1\)&lt;\/script(&gt;|>)/;
const HTML_MESSAGE =
  /class="field-error"|class="error-summary"|role="alert"|role="status"|<p class="muted">Error \d{3}<\/p>/;

const MAX_FIELDS_PER_PASS = 30;
/** The two sweeps take seconds each on an idle machine (PostgreSQL is the slower). */
// Generous: on a busy shared machine a pass over every route has taken over 4 minutes; a time
// limit here only guards against a hang, it never judges speed.
const SLOW_TEST_MS = 600_000;

/** At most `max` items of `list`, evenly spread, starting `offset` (0..1) of a step in. */
function spread<T>(list: T[], max: number, offset: number): T[] {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor((i + offset) * step)]).filter(
    (x): x is T => x !== undefined,
  );
}

interface BodyCase {
  category: Category;
  label: string;
  /** A structured body, sent as JSON and as a form. */
  body?: unknown;
  /** Or bytes sent as they are. */
  raw?: { contentType: string | undefined; payload: string | Buffer };
  /** The field a mutation touched ("contact.name"), for checking that errors name it. */
  field?: string;
}

interface Sent {
  route: RouteEntry;
  what: string;
  field?: string;
}

describeEachEngine('hostile input on every route', (t) => {
  let app: FastifyInstance;
  let routes: RouteEntry[];
  let fixtures: Fixtures;
  let tables: string[];
  let writeMark: () => Promise<number>;
  let session: { token: string; cookie: string };
  /** Forms found on the pages of the app, by action path. */
  let forms = new Map<string, PageForm[]>();
  const coverage = new Map<string, Set<Category>>();
  /** Failures grouped by route, status and reason: one line each, with a count and an example. */
  const failures = new Map<string, { count: number; example: string }>();
  const failureReport = () =>
    [...failures].map(([key, f]) => `${key} (×${f.count}, e.g. ${f.example})`);
  let requests = 0;
  /** Responses that did reflect the script tag, escaped: proof the payload reached a page. */
  let escapedReflections = 0;
  const debugStats = new Map<string, number>();

  const cover = (route: RouteEntry, category: Category) => {
    const key = routeKey(route);
    if (!coverage.has(key)) coverage.set(key, new Set());
    coverage.get(key)?.add(category);
  };

  const fail = (sent: Sent, res: LightMyRequestResponse, why: string) => {
    const key = `${routeKey(sent.route)} → ${res.statusCode}: ${why}`;
    const seen = failures.get(key);
    if (seen) seen.count++;
    else failures.set(key, { count: 1, example: sent.what.slice(0, 80) });
  };

  /** The checks every response passes, whatever was sent. */
  function inspect(sent: Sent, res: LightMyRequestResponse) {
    requests++;
    if (process.env.HOSTILE_DEBUG) {
      const k = `${routeKey(sent.route)} ${res.statusCode}`;
      debugStats.set(k, (debugStats.get(k) ?? 0) + 1);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode >= 500) fail(sent, res, 'server error');
    const json = /^application\/(problem\+)?json/.test(type);
    if (json) {
      // JSON is never rendered as HTML: a JSON type and nosniff are what keep it that way.
      if (res.headers['x-content-type-options'] !== 'nosniff')
        fail(sent, res, 'JSON without nosniff');
    } else {
      if (ESCAPED_SCRIPT.test(res.body)) escapedReflections++;
      const raw = unescapedPayloads(res.body);
      if (raw.length > 0) fail(sent, res, `reflected unescaped: ${raw.join(', ')}`);
    }
    // The corpus injects "Set-Cookie: pwned=1": a cookie of that name (not a random cookie value
    // that happens to spell it) or a header of that name would be the injection.
    const cookies = [res.headers['set-cookie'] ?? []].flat().map(String);
    if (
      cookies.some((c) => /^\s*pwned=/i.test(c)) ||
      Object.keys(res.headers).some((h) => /pwned/i.test(h))
    ) {
      fail(sent, res, 'header injection');
    }
    if (res.statusCode < 400) return;
    if (sent.route.api) {
      if (!type.startsWith('application/problem+json')) {
        fail(sent, res, `API error is not problem+json but ${type}`);
        return;
      }
      const problem = res.json() as {
        title?: string;
        status?: number;
        errors?: { field: string; message: string }[];
      };
      if (!problem.title || problem.status !== res.statusCode)
        fail(sent, res, 'problem details without title or status');
      if (res.statusCode === 400 && sent.field) {
        const field = sent.field;
        const named = (problem.errors ?? []).some(
          (e) =>
            e.field === field ||
            e.field.startsWith(`${field}.`) ||
            field.startsWith(`${e.field}.`) ||
            e.field === field.split('.')[0],
        );
        if (!named)
          fail(
            sent,
            res,
            `errors do not name ${field}: ${JSON.stringify(problem.errors ?? problem)}`,
          );
      }
    } else if (type.startsWith('text/html') && !HTML_MESSAGE.test(res.body)) {
      fail(sent, res, 'HTML error page without a message');
    }
  }

  // Limits are tested in headers.test.ts; here they would only hide what comes after them.
  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100_000 } });
  beforeAll(async () => {
    ({ routes, fixtures, forms } = await surveyApp(app));
    tables = await tableNames(app);
    writeMark = await writeMarks(app, tables);
    session = await formSession(app, '/sign-in');
  });

  afterAll(async () => {
    if (process.env.HOSTILE_DEBUG)
      console.log(
        [...debugStats]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      );
  });

  it('notices a row added or removed through its write mark, and not a read', async () => {
    // The bodies test counts every table only when the mark moved: a mark that missed a write
    // would let a refused request store something unnoticed.
    const db = app.ctx.db.kysely;
    const start = await writeMark();
    await sql`select count(*) from audit_log`.execute(db);
    expect(await writeMark()).toBe(start);
    await sql`insert into audit_log (id, at, actor_kind, action) values (999999, '2026-12-01', 'system', 'test.mark')`.execute(
      db,
    );
    const added = await writeMark();
    expect(added).toBeGreaterThan(start);
    await sql`delete from audit_log where id = 999999`.execute(db);
    expect(await writeMark()).toBeGreaterThan(added);
  });

  it('finds the routes in the app itself', () => {
    // A collector that broke would make every other test here pass vacuously.
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const keys = routes.map(routeKey);
    for (const known of [
      'GET /',
      'GET /match',
      'POST /requests',
      'POST /api/v1/requests',
      'GET /r/:token',
      'POST /b/:token/accept',
    ]) {
      expect(keys).toContain(known);
    }
    expect(routes.filter((r) => STATE_CHANGING.has(r.method)).length).toBeGreaterThanOrEqual(8);
    // The pages gave us the forms the state-changing routes are posted from.
    expect(forms.get('/requests')?.some((f) => f.method === 'post')).toBe(true);
  });

  function bodyCases(base: Record<string, unknown>): BodyCase[] {
    const cases: BodyCase[] = [];
    const paths = leafPaths(base);
    const all = paths.length > 0 ? paths : [['name'], ['email'], ['q']];
    // Each field meets several values and each value several fields, without the full product;
    // a form with very many fields (a firm profile) gets a spread sample of them per pass.
    for (let pass = 0; pass < 2; pass++) {
      const fields = spread(all, MAX_FIELDS_PER_PASS, pass / 2);
      const n = Math.max(fields.length, FIELD_VALUES.length);
      for (let i = 0; i < n; i++) {
        const path = fields[(i + pass * 5) % fields.length] ?? ['name'];
        const value = FIELD_VALUES[(i + pass * 11) % FIELD_VALUES.length];
        if (!value) continue;
        cases.push({
          category: value.category,
          label: `${path.join('.')} = ${value.label}`,
          body: withValue(base, path, value.value),
          field: path.join('.'),
        });
      }
    }
    for (const path of spread(
      paths.filter((p) => p.length <= 2),
      MAX_FIELDS_PER_PASS,
      0,
    )) {
      cases.push({
        category: 'missing',
        label: `without ${path.join('.')}`,
        body: withValue(base, path, REMOVE),
        field: path.join('.'),
      });
    }
    cases.push({
      category: 'extra',
      label: 'unknown field',
      body: { ...base, zzz_extra: 'x' },
      field: 'zzz_extra',
    });
    cases.push({
      category: 'extra',
      label: 'script tag as a field name',
      body: { ...base, [SCRIPT_TAG]: SCRIPT_TAG },
    });
    const firstTop = Object.keys(base)[0] ?? 'name';
    cases.push({
      category: 'duplicate',
      label: `${firstTop} twice`,
      body: { ...base, [firstTop]: [base[firstTop] ?? 'a', 'b'] },
      field: firstTop,
    });
    for (const raw of RAW_BODIES) {
      cases.push({
        category: raw.category,
        label: raw.label,
        raw: { contentType: raw.contentType, payload: raw.payload },
      });
    }
    return cases;
  }

  async function post(
    route: RouteEntry,
    url: string,
    c: BodyCase,
    encoding: 'json' | 'form' | 'raw',
    withSession: boolean,
  ) {
    const headers: Record<string, string> = {};
    let payload: string | Buffer;
    const csrf = withSession && !route.api;
    const auth = credentialsFor(route, fixtures);
    const cookie = cookies(csrf ? session.cookie : undefined, auth.cookie);
    if (cookie) headers.cookie = cookie;
    if (auth.authorization) headers.authorization = auth.authorization;
    if (encoding === 'raw' && c.raw) {
      payload = c.raw.payload;
      if (c.raw.contentType) headers['content-type'] = c.raw.contentType;
      if (csrf) headers['x-csrf-token'] = session.token;
    } else if (encoding === 'json') {
      const body = c.body;
      const plain = body && typeof body === 'object' && !Array.isArray(body);
      payload = toJson(csrf && plain ? { ...(body as object), _csrf: session.token } : body);
      headers['content-type'] = 'application/json';
      if (csrf && !plain) headers['x-csrf-token'] = session.token;
    } else {
      const body = (
        c.body && typeof c.body === 'object' && !Array.isArray(c.body) ? c.body : { value: c.body }
      ) as Record<string, unknown>;
      payload = toForm(csrf ? { ...body, _csrf: session.token } : body);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    return app.inject({ method: route.method, url, headers, payload });
  }

  it(
    'answers hostile bodies to every state-changing route with a 4xx, storing nothing',
    async () => {
      failures.clear();
      let counts = await rowCounts(app, tables);
      let lastMark = await writeMark();
      for (const route of routes.filter((r) => STATE_CHANGING.has(r.method))) {
        const path = plausiblePath(route, fixtures, forms);
        const allowed = new Set(EXPECTED_EFFECTS[routeKey(route)] ?? []);
        const cases = bodyCases(baseBody(route, path, forms));
        const sends: {
          url: string;
          c: BodyCase;
          encoding: 'json' | 'form' | 'raw';
          withSession: boolean;
          what: string;
        }[] = [];
        cases.forEach((c, i) => {
          // Both encodings on every route, alternating: the API's own is JSON, a form's is urlencoded.
          const encodings: ('json' | 'form' | 'raw')[] = c.raw
            ? ['raw']
            : route.api
              ? i % 3 === 0
                ? ['json', 'form']
                : ['json']
              : [i % 2 === 0 ? 'form' : 'json'];
          for (const encoding of encodings) {
            sends.push({
              url: path,
              c,
              encoding,
              withSession: true,
              what: `${encoding} ${c.label}`,
            });
            // Without a session the CSRF check must refuse first; a sample of the corpus shows it.
            if (!route.api && (c.raw || i % 6 === 0)) {
              sends.push({
                url: path,
                c,
                encoding,
                withSession: false,
                what: `no session, ${encoding} ${c.label}`,
              });
            }
          }
        });
        // Hostile path parameters, with an otherwise valid form.
        for (const param of route.params) {
          for (const value of PATH_VALUES) {
            const url = fillPath(route, {
              ...plausibleParams(route, fixtures, forms),
              [param]: value.encoded,
            });
            const c: BodyCase = {
              category: value.category,
              label: `:${param} = ${value.label}`,
              body: baseBody(route, path, forms),
            };
            sends.push({ url, c, encoding: 'form', withSession: true, what: c.label });
          }
        }
        const started = Date.now();
        for (const s of sends) {
          cover(route, s.c.category);
          const res = await post(route, s.url, s.c, s.encoding, s.withSession);
          const sent: Sent = {
            route,
            what: s.what,
            ...(s.c.field && s.encoding === 'json' ? { field: s.c.field } : {}),
          };
          inspect(sent, res);
          const mark = await writeMark();
          const after = mark === lastMark ? counts : await rowCounts(app, tables);
          lastMark = mark;
          const changed = changedTables(counts, after);
          counts = after;
          if (res.statusCode >= 400 && changed.length > 0)
            fail(sent, res, `refused, yet changed ${changed.join(', ')}`);
          if (res.statusCode < 400) {
            if (!route.api && !s.withSession) fail(sent, res, 'accepted without a CSRF token');
            const unexpected = changed.filter((tbl) => !allowed.has(tbl));
            if (unexpected.length > 0)
              fail(
                sent,
                res,
                `accepted and changed ${unexpected.join(', ')}, which this route may not`,
              );
          }
        }
        if (process.env.HOSTILE_DEBUG)
          console.log(`TIME ${routeKey(route)} ${sends.length} ${Date.now() - started}ms`);
      }
      expect(failureReport()).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  it(
    'answers hostile query strings and path parameters to every GET route, storing nothing',
    async () => {
      failures.clear();
      const unexpected: string[] = [];
      for (const route of routes.filter((r) => r.method === 'GET')) {
        const before = await rowCounts(app, tables);
        const auth = credentialsFor(route, fixtures);
        const authHeaders: Record<string, string> = {
          ...(auth.cookie ? { cookie: auth.cookie } : {}),
          ...(auth.authorization ? { authorization: auth.authorization } : {}),
        };
        const path = plausiblePath(route, fixtures, forms);
        const base = KNOWN_QUERIES[route.url] ?? '';
        const baseParts = base ? base.split('&') : [];
        const formFields = (forms.get(path) ?? [])
          .filter((f) => f.method === 'get')
          .flatMap((f) => f.fields.map(([n]) => n));
        const names = [
          ...new Set([
            ...baseParts.map((p) => p.split('=')[0] ?? ''),
            ...formFields,
            ...GENERIC_QUERY_FIELDS,
          ]),
        ].filter(Boolean);
        const sends: {
          url: string;
          category: Category;
          what: string;
          field?: string;
          raw?: (typeof RAW_BODIES)[number];
        }[] = [];
        const n = Math.max(names.length, QUERY_VALUES.length);
        for (let pass = 0; pass < 2; pass++) {
          for (let i = 0; i < n; i++) {
            const name = names[(i + pass * 3) % names.length] ?? 'q';
            const value = QUERY_VALUES[(i + pass * 7) % QUERY_VALUES.length];
            if (!value) continue;
            const rest = baseParts.filter((p) => p.split('=')[0] !== name);
            sends.push({
              url: `${path}?${[...rest, `${name}=${value.encoded}`].join('&')}`,
              category: value.category,
              what: `${name}=${value.label}`,
              field: name,
            });
          }
        }
        for (const q of rawQueryStrings(names)) {
          sends.push({
            url: `${path}?${[...baseParts, q.query].join('&')}`,
            category: q.category,
            what: q.label,
          });
        }
        for (const param of route.params) {
          for (const value of PATH_VALUES) {
            const url = fillPath(route, {
              ...plausibleParams(route, fixtures, forms),
              [param]: value.encoded,
            });
            sends.push({
              url: base ? `${url}?${base}` : url,
              category: value.category,
              what: `:${param} = ${value.label}`,
            });
          }
        }
        // Bodies on a GET: ignored or refused, never a crash.
        for (const raw of RAW_BODIES)
          sends.push({ url: path, category: raw.category, what: `GET body: ${raw.label}`, raw });
        for (const s of sends) {
          cover(route, s.category);
          const res = await app.inject({
            method: 'GET',
            url: s.url,
            headers: {
              ...authHeaders,
              ...(s.raw?.contentType ? { 'content-type': s.raw.contentType } : {}),
            },
            ...(s.raw ? { payload: s.raw.payload } : {}),
          });
          inspect({ route, what: s.what, ...(s.field ? { field: s.field } : {}) }, res);
        }
        const allowed = new Set(EXPECTED_EFFECTS[routeKey(route)] ?? []);
        const changed = changedTables(before, await rowCounts(app, tables)).filter(
          (tbl) => !allowed.has(tbl),
        );
        if (changed.length > 0) unexpected.push(`${routeKey(route)} changed ${changed.join(', ')}`);
      }
      expect(unexpected).toEqual([]);
      expect(failureReport()).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  it('sent every route every category of the corpus', () => {
    const missing: string[] = [];
    for (const route of routes) {
      const got = coverage.get(routeKey(route)) ?? new Set();
      const lacking = CATEGORIES.filter((c) => !got.has(c));
      if (lacking.length > 0) missing.push(`${routeKey(route)}: ${lacking.join(', ')}`);
    }
    expect(missing).toEqual([]);
    expect(requests).toBeGreaterThan(routes.length * 30);
    // Pages did echo the script tag back (in form values, messages): escaped, every time.
    expect(escapedReflections).toBeGreaterThan(0);
  });

  it('recognises an unescaped payload, and not an escaped one', () => {
    expect(unescapedPayloads(`<p>${SCRIPT_TAG}</p>`)).not.toEqual([]);
    expect(unescapedPayloads('<input value=""><img src=x onerror=alert(1)>">')).not.toEqual([]);
    expect(unescapedPayloads('<a href="javascript:alert(1)">x</a>')).not.toEqual([]);
    expect(unescapedPayloads(`<p>${ESCAPED_SCRIPT_TAG}</p>`)).toEqual([]);
    expect(
      unescapedPayloads('<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'),
    ).toEqual([]);
  });

  it('stored only validated values, for the hostile requests that were valid', async () => {
    const { db, secrets } = app.ctx;
    const stored = await db.kysely.selectFrom('quoteRequests').selectAll().execute();
    for (const r of stored) {
      const scope = JSON.parse(r.scope) as unknown;
      expect(ScopeSchema.parse(scope)).toEqual(scope);
      if (r.contactNameEnc && r.contactEmailEnc && r.companyEnc) {
        const contact = {
          name: secrets.decrypt(r.contactNameEnc),
          email: secrets.decrypt(r.contactEmailEnc),
          company: secrets.decrypt(r.companyEnc),
          ...(r.phoneEnc ? { phone: secrets.decrypt(r.phoneEnc) } : {}),
        };
        expect(ContactSchema.parse(contact)).toEqual(contact);
      }
    }
    const complaintBody = plainText(2000, { multiline: true }).pipe(z.string().min(10));
    for (const c of await db.kysely.selectFrom('complaints').selectAll().execute()) {
      expect(Object.keys(COMPLAINT_KINDS)).toContain(c.kind);
      expect(complaintBody.parse(c.body)).toBe(c.body);
    }
  });
});
