import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { type Config, loadConfig } from '../src/config';
import { type Db, openDatabase } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';
import { credentialQueue } from '../src/services/admin/credentials';
import { firmList } from '../src/services/admin/firms';
import { purgeExpired } from '../src/services/buyer';
import type { ServiceContext } from '../src/services/context';
import { refreshRollups } from '../src/services/rollups';
import { hashToken } from '../src/services/secrets';
import { buildApp } from '../src/web/app';
import { SESSION_COOKIE } from '../src/web/plugins/session';
import type { ScaleFixtures } from './lib/scale';
import { type Figure, ms } from './lib/report';
import { median, percentile } from './lib/stats';

/**
 * Every page and API route of the firm workspace, the operator console, the buyer page and the
 * public site, timed over a database filled by `npm run seed:scale`. The app runs in this
 * process and each request goes through Fastify's `inject` (routing, hooks, handler, database,
 * rendering; no socket), one at a time, so the figure is the server's own time per request.
 * Then the retention purge runs in its batches while a page is timed beside it.
 */

export const SCALE_P99_TARGET_MS = 50;
/** Longest a route is timed for (after its warm-up). */
const ROUTE_SECONDS = 15;

export interface ScaleTarget {
  /** 'postgres' with a URL, or 'sqlite' with a data folder. */
  label: string;
  env: Record<string, string>;
  fixtures: string;
}

export interface RouteSpec {
  area: 'workspace' | 'api' | 'console' | 'buyer' | 'public';
  name: string;
  /** The URL of the n-th request (lists walk their pages; the rest repeat). */
  url: (n: number) => string;
  as?: 'firm' | 'admin' | 'key' | 'buyer';
}

const API_KEYS = 8;

/** API keys of the busiest firm for the run, several because each key is rate limited. */
export async function addApiKeys(db: Db, firmId: string): Promise<string[]> {
  const keys = Array.from(
    { length: API_KEYS },
    (_, i) => `amk_${hashToken(`scale-bench-key-${i}`).slice(0, 43)}`,
  );
  const at = new Date().toISOString();
  await db.kysely.deleteFrom('apiKeys').where('label', '=', 'scale bench').execute();
  await db.kysely
    .insertInto('apiKeys')
    .values(
      keys.map((key, i) => ({
        id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`,
        firmId,
        keyHash: hashToken(key),
        label: 'scale bench',
        createdAt: at,
        lastUsedAt: null,
        revokedAt: null,
      })),
    )
    .execute();
  return keys;
}

/** The cursor `pages` pages into a cursor-paged list, read through the list's own service. */
async function cursorAfter(
  pages: number,
  read: (cursor?: string) => Promise<{ next: string | null }>,
): Promise<string> {
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) cursor = (await read(cursor)).next ?? cursor;
  return encodeURIComponent(cursor ?? '');
}

const sessionCookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });

/** The headers the n-th request of a route carries: the firm's or operator's session, or an API key. */
export const credentialsFor =
  (fixtures: ScaleFixtures, keys: readonly string[]) =>
  (spec: RouteSpec, n: number): Record<string, string> =>
    spec.as === 'firm'
      ? sessionCookie(fixtures.firmSessionToken)
      : spec.as === 'admin'
        ? sessionCookie(fixtures.adminSessionToken)
        : spec.as === 'key'
          ? { authorization: `Bearer ${keys[n % keys.length]}` }
          : {};

export async function routes(ctx: ServiceContext, fixtures: ScaleFixtures): Promise<RouteSpec[]> {
  const db = ctx.db;
  const k = db.kysely;
  const firmId = fixtures.busiestFirmId;
  const lead = await k
    .selectFrom('briefs')
    .select('id')
    .where('firmId', '=', firmId)
    .where('status', '=', 'accepted')
    .orderBy('sentAt', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const request = fixtures.requestIds[0] ?? '';
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const firmsDeep = await cursorAfter(40, (cursor) => firmList(ctx, { cursor }));
  const credentialsDeep = await cursorAfter(100, (cursor) => credentialQueue(ctx, 'all', cursor));
  return [
    { area: 'workspace', name: 'firm home /firm', url: () => '/firm', as: 'firm' },
    { area: 'workspace', name: 'lead inbox /firm/leads', url: () => '/firm/leads', as: 'firm' },
    {
      area: 'workspace',
      name: 'one lead /firm/leads/:id',
      url: () => `/firm/leads/${lead.id}`,
      as: 'firm',
    },
    { area: 'workspace', name: 'profile /firm/profile', url: () => '/firm/profile', as: 'firm' },
    {
      area: 'workspace',
      name: 'integrations /firm/integrations',
      url: () => '/firm/integrations',
      as: 'firm',
    },
    {
      area: 'workspace',
      name: 'availability /firm/availability',
      url: () => '/firm/availability',
      as: 'firm',
    },
    { area: 'api', name: 'GET /api/v1/leads (newest page)', url: () => '/api/v1/leads', as: 'key' },
    {
      area: 'api',
      name: 'GET /api/v1/leads?since=30 days ago',
      url: () => `/api/v1/leads?since=${since}`,
      as: 'key',
    },
    {
      area: 'api',
      name: 'GET /api/v1/leads?status=accepted&limit=200',
      url: () => '/api/v1/leads?status=accepted&limit=200',
      as: 'key',
    },
    { area: 'console', name: 'console home /admin', url: () => '/admin', as: 'admin' },
    { area: 'console', name: 'audit log /admin/audit', url: () => '/admin/audit', as: 'admin' },
    {
      area: 'console',
      name: 'audit by action prefix ?action=quote.',
      url: () => '/admin/audit?action=quote.',
      as: 'admin',
    },
    {
      area: 'console',
      name: 'audit by rare action ?action=call.booked',
      url: () => '/admin/audit?action=call.booked',
      as: 'admin',
    },
    {
      area: 'console',
      name: 'audit by subject ?subject=<request>',
      url: () => `/admin/audit?subject=${request}`,
      as: 'admin',
    },
    {
      area: 'console',
      name: 'audit by actor ?actor=<operator email>',
      url: () => '/admin/audit?actor=operator@auditmatch.example',
      as: 'admin',
    },
    {
      area: 'console',
      name: 'unmatched requests /admin/requests',
      url: () => '/admin/requests',
      as: 'admin',
    },
    {
      area: 'console',
      name: 'metrics /admin/metrics (12 weeks)',
      url: () => '/admin/metrics',
      as: 'admin',
    },
    { area: 'console', name: 'firms /admin/firms', url: () => '/admin/firms', as: 'admin' },
    {
      area: 'console',
      name: 'firms, 40 pages in (?cursor=)',
      url: () => `/admin/firms?cursor=${firmsDeep}`,
      as: 'admin',
    },
    {
      area: 'console',
      name: 'credentials, all /admin/credentials?filter=all',
      url: () => '/admin/credentials?filter=all',
      as: 'admin',
    },
    {
      area: 'console',
      name: 'credentials, all, 100 pages in',
      url: () => `/admin/credentials?filter=all&cursor=${credentialsDeep}`,
      as: 'admin',
    },
    {
      area: 'console',
      name: 'complaints, pending credentials, outbox, reviews',
      url: (n) =>
        ['/admin/complaints', '/admin/credentials', '/admin/outbox', '/admin/reviews'][n % 4]!,
      as: 'admin',
    },
    {
      area: 'buyer',
      name: 'buyer page /r/:token',
      url: (n) => `/r/${fixtures.buyerTokens[n % Math.max(1, fixtures.buyerTokens.length)]}`,
      as: 'buyer',
    },
    { area: 'public', name: 'home /', url: () => '/' },
    { area: 'public', name: 'directory /firms', url: () => '/firms' },
    {
      area: 'public',
      name: `firm profile /firms/${fixtures.busiestFirmSlug}`,
      url: () => `/firms/${fixtures.busiestFirmSlug}`,
    },
    {
      area: 'public',
      name: 'estimate with price index /estimate?…',
      url: (n) =>
        `/estimate?framework=soc2&headcount=${30 + (n % 40)}&systems=1&locations=1&neededBy=${nextYear}`,
    },
    {
      area: 'public',
      name: 'match preview /match?preview=1&…',
      url: (n) =>
        `/match?preview=1&framework=soc2&variant_soc2=type2&stage=series-a&headcount=${40 + (n % 50)}&region=north-america&industry=saas&neededBy=${nextYear}&aiExposure=uses-ai`,
    },
  ];
}

/**
 * One request through `inject`, then a turn of the event loop before the next, as a server's
 * socket gives: `inject` runs on promises alone, so a loop of them never let `setImmediate` work
 * run (the purge's pauses between erasures, stream clean-up). On SQLite such a loop stalled the
 * purge for minutes and grew the process to gigabytes; neither happens over real sockets.
 */
async function timeInject(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string>,
  n: number,
) {
  const started = process.hrtime.bigint();
  const res = await app.inject({
    method: 'GET',
    url,
    headers,
    remoteAddress: `10.9.${(n >> 8) & 255}.${n & 255}`,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await new Promise((resolve) => setImmediate(resolve));
  return { ms, status: res.statusCode };
}

export interface ScaleOptions {
  requests: number;
  log: (line: string) => void;
}

/** The scale figures for one database: every route's p50/p99, and a page's p99 while the purge runs. */
export async function runScale(target: ScaleTarget, options: ScaleOptions): Promise<Figure[]> {
  const fixtures = JSON.parse(readFileSync(target.fixtures, 'utf8')) as {
    fixtures: ScaleFixtures;
    counts: Record<string, number>;
  };
  const config: Config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'https://auditmatch.example',
    ...target.env,
  });
  const db = openDatabase(config.database, { poolSize: 10 });
  const figures: Figure[] = [];
  const sizeNote = `${fixtures.counts.quote_requests?.toLocaleString('en')} requests, ${fixtures.counts.briefs?.toLocaleString('en')} briefs, ${fixtures.counts.audit_log?.toLocaleString('en')} audit entries, ${fixtures.counts.firms?.toLocaleString('en')} firms`;
  try {
    const migrating = Date.now();
    const applied = await migrateToLatest(db.kysely);
    if (applied.length > 0)
      options.log(
        `${target.label}: applied ${applied.join(', ')} over the scaled data in ${((Date.now() - migrating) / 1000).toFixed(1)} s`,
      );
    const keys = await addApiKeys(db, fixtures.fixtures.busiestFirmId);
    const app = await buildApp(config, { db });
    await app.ready();
    try {
      // What the background job's first passes do after the data arrives (ADR 0028): every
      // settled day rolled up and every quote folded, so the overview pages are timed as they
      // run in service, not while the rollups are still being built.
      const rolling = Date.now();
      let rolled = { metricDays: 0, quotes: 0 };
      for (let pass = await refreshRollups(app.ctx); pass.metricDays + pass.quotes > 0; ) {
        rolled = {
          metricDays: rolled.metricDays + pass.metricDays,
          quotes: rolled.quotes + pass.quotes,
        };
        pass = await refreshRollups(app.ctx);
      }
      // The backfill changed every quote's flag: vacuumed and analysed, as autovacuum does
      // within minutes, so the partial index of quotes left to fold no longer holds a million
      // dead entries and the planner knows it is nearly empty.
      if (rolled.quotes > 0 && db.dialect === 'postgres')
        await sql`vacuum analyze quotes`.execute(db.kysely);
      if (rolled.metricDays + rolled.quotes > 0)
        options.log(
          `${target.label}: rolled up ${rolled.metricDays} days and ${rolled.quotes} quotes in ${((Date.now() - rolling) / 1000).toFixed(1)} s`,
        );
      const headersFor = credentialsFor(fixtures.fixtures, keys);
      let n = 0;
      // SCALE_SKIP: route names (or parts of them) to leave out, comma-separated; SCALE_SKIP_FIRST:
      // leave out the first N; SCALE_ONLY: only the routes whose names start so.
      const skip = (process.env.SCALE_SKIP ?? '').split(',').filter(Boolean);
      const only = (process.env.SCALE_ONLY ?? '').split(',').filter(Boolean);
      const all = (await routes(app.ctx, fixtures.fixtures)).slice(
        Number(process.env.SCALE_SKIP_FIRST ?? 0),
      );
      const chosen = all.filter(
        (r) =>
          !skip.some((s) => r.name.includes(s)) &&
          (only.length === 0 || only.some((s) => r.name.startsWith(s))),
      );
      for (const spec of chosen) {
        const warmUntil = Date.now() + ROUTE_SECONDS * 1000;
        for (let i = 0; i < 10 && (i < 1 || Date.now() < warmUntil); i++)
          await timeInject(app, spec.url(i), headersFor(spec, n), n++);
        const times: number[] = [];
        const statuses = new Set<number>();
        // At most ROUTE_SECONDS of timed requests per route: a route that takes seconds gets a
        // few samples (their number is in the note) rather than holding the run for half an hour.
        const until = Date.now() + ROUTE_SECONDS * 1000;
        for (let i = 0; i < options.requests && (i < 2 || Date.now() < until); i++) {
          const r = await timeInject(app, spec.url(i), headersFor(spec, n), n++);
          times.push(r.ms);
          statuses.add(r.status);
        }
        const p99 = percentile(times, 99);
        const ok = [...statuses].every((s) => s === 200);
        figures.push({
          id: `scale.${target.label}.${spec.name.replace(/\W+/g, '-')}`,
          figure: `${target.label} ${spec.area}: ${spec.name}`,
          value: `p50 ${ms(median(times))} / p99 ${ms(p99)}`,
          target: `p99 ≤ ${SCALE_P99_TARGET_MS} ms`,
          pass: ok && p99 <= SCALE_P99_TARGET_MS,
          measured: p99,
          unit: 'ms',
          ...(ok && times.length === options.requests
            ? {}
            : {
                note: `${times.length} requests${ok ? '' : `; answered ${[...statuses].join(', ')}`}`,
              }),
        });
        options.log(
          `${target.label} ${spec.name}: p50 ${median(times).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, n ${times.length} (${[...statuses].join(',')})`,
        );
      }
      figures.push(
        await purgeBeside(
          app,
          config,
          target.label,
          options,
          sessionCookie(fixtures.fixtures.firmSessionToken),
        ),
      );
    } finally {
      await app.close();
    }
    if (figures[0])
      figures[0].note = `${figures[0].note ? `${figures[0].note}; ` : ''}data: ${sizeNote}`;
  } finally {
    await db.close();
  }
  return figures;
}

/**
 * The retention purge in its batches (500 requests each) with a retention shortened to 180 days,
 * so a year of data has many requests due, while the lead inbox is timed beside it. The
 * erasures are real: this runs last, on a database made for benchmarking, for at most 20 s.
 */
async function purgeBeside(
  app: FastifyInstance,
  config: Config,
  label: string,
  options: ScaleOptions,
  headers: Record<string, string>,
): Promise<Figure> {
  const ctx = { ...app.ctx, config: { ...config, retentionDays: 180 } };
  let running = true;
  let batches = 0;
  let erased = 0;
  const purging = (async () => {
    const stopAt = Date.now() + 20_000;
    while (running && Date.now() < stopAt) {
      const done = await purgeExpired(ctx);
      batches++;
      erased += done.requests;
      if (done.requests === 0) break;
    }
    running = false;
  })();
  const times: number[] = [];
  let n = 0;
  while (running) times.push((await timeInject(app, '/firm/leads', headers, n++)).ms);
  await purging;
  const alone: number[] = [];
  for (let i = 0; i < Math.max(50, times.length); i++)
    alone.push((await timeInject(app, '/firm/leads', headers, n++)).ms);
  const p99 = percentile(times, 99);
  options.log(
    `${label} purge: ${erased} requests erased in ${batches} batches; inbox p99 ${p99.toFixed(1)} ms beside it, ${percentile(alone, 99).toFixed(1)} ms after`,
  );
  return {
    id: `scale.${label}.purge-beside`,
    figure: `${label} lead inbox while the retention purge runs`,
    value: `p99 ${ms(p99)} (${percentile(alone, 99).toFixed(2)} ms alone)`,
    target: `p99 ≤ ${SCALE_P99_TARGET_MS} ms`,
    pass: times.length > 0 && p99 <= SCALE_P99_TARGET_MS,
    measured: p99,
    unit: 'ms',
    note: `${erased} requests erased in ${batches} batches of at most 500 during ${times.length} inbox requests`,
  };
}
