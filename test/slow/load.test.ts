import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../src/db/client';
import { messageId } from '../../src/outbox/email';
import {
  call,
  MAIL_FROM,
  pgReachable,
  pgSchema,
  postRequest,
  REDIS_URL,
  redisReachable,
  runLoops,
  SCOPES,
  ScoreSheet,
  SOC2_SCOPE_QUERY,
  type ServerProcess,
  startServer,
  submitForm,
  waitFor,
} from './harness';
import { linkPath, SmtpSink } from '../helpers/smtp-sink';

/**
 * Load and soak: LOAD_SECONDS (60 in CI) of mixed buyer traffic on loopback with a fixed
 * number of concurrent clients, first against one server on SQLite, then against two servers
 * sharing one PostgreSQL schema and Redis rate limits. No 5xx, no 429, no connection error;
 * afterwards every promise holds in the database and at the mail server.
 */

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONCURRENCY = 20;
/**
 * New quote requests per second, all clients together: a busy day's worth every second. Each
 * makes one or two emails; a worker delivers them one after another (see the backlog line).
 */
const INTAKE_PER_SECOND = 5;
/** Far above what the traffic needs, so any 429 is a failure of the test, not the limit. */
const RATE_LIMIT_MULTIPLIER = '10000';
const TIMEOUT = (SECONDS + 180) * 1000;

const PAGES = ['/', '/frameworks/soc2', '/firms?framework=iso42001'];

interface Traffic {
  sheet: ScoreSheet;
  accepted: { reference: string; email: string }[];
  confirmed: Set<string>;
}

/** Mixed traffic: pages, previews (HTML and JSON), paced quote requests, confirmations from the emails. */
async function mixedTraffic(bases: string[], sink: SmtpSink, tag: string): Promise<Traffic> {
  const sheet = new ScoreSheet();
  const accepted: Traffic['accepted'] = [];
  const confirmed = new Set<string>();
  const links: { path: string; email: string }[] = [];
  let scanned = 0;
  let issued = 0;
  const started = Date.now();

  const collectLinks = () => {
    for (; scanned < sink.messages.length; scanned++) {
      const m = sink.messages[scanned]!;
      const path = linkPath(m, '/r/confirm/');
      if (path && m.to[0]?.includes(tag)) links.push({ path, email: m.to[0] });
    }
  };

  await runLoops(CONCURRENCY, SECONDS, async (worker, i) => {
    const base = bases[(worker + i) % bases.length]!;
    collectLinks();
    const r = Math.random();
    if (links.length > 0 && r < 0.12) {
      const link = links.shift()!;
      const { page, post } = await submitForm(base, link.path, link.path);
      sheet.record('confirm (GET link)', page, [200]);
      if (post) {
        sheet.record('confirm (POST)', post, [303]);
        if (post.status === 303) confirmed.add(link.email);
      }
      return;
    }
    if (r < 0.3 && issued < ((Date.now() - started) / 1000) * INTAKE_PER_SECOND) {
      const n = issued++;
      const email = `buyer-${n}@${tag}.example.com`;
      const outcome = await postRequest(base, email, n);
      sheet.record('POST /api/v1/requests', outcome, [202]);
      if (outcome.status === 202)
        accepted.push({
          reference: (JSON.parse(outcome.body) as { reference: string }).reference,
          email,
        });
      return;
    }
    if (r < 0.45) {
      sheet.record(
        'GET /match?preview=1',
        await call(`${base}/match?preview=1&${SOC2_SCOPE_QUERY}`),
        [200],
      );
      return;
    }
    if (r < 0.6) {
      const outcome = await call(`${base}/api/v1/match-preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(SCOPES[i % SCOPES.length]),
      });
      sheet.record('POST /api/v1/match-preview', outcome, [200]);
      return;
    }
    const page = PAGES[i % PAGES.length]!;
    sheet.record(`GET ${page}`, await call(`${base}${page}`), [200]);
  });
  sheet.endedAt = performance.now();
  return { sheet, accepted, confirmed };
}

/** Waits until the outbox has mailed a confirmation to every accepted request and a private link to every confirmed one. */
async function waitForMail(sink: SmtpSink, traffic: Traffic) {
  const missing = () => {
    const got = new Map<string, Set<string>>();
    for (const m of sink.messages) {
      const to = m.to[0] ?? '';
      if (!got.has(to)) got.set(to, new Set());
      got
        .get(to)!
        .add(
          m.subject.startsWith('Confirm')
            ? 'confirm'
            : m.subject.startsWith('Your private page')
              ? 'access'
              : m.subject,
        );
    }
    const lacking: string[] = [];
    for (const a of traffic.accepted)
      if (!got.get(a.email)?.has('confirm')) lacking.push(`confirm → ${a.email}`);
    for (const email of traffic.confirmed)
      if (!got.get(email)?.has('access')) lacking.push(`access → ${email}`);
    return lacking;
  };
  const started = Date.now();
  const backlog = missing().length;
  await waitFor('every email delivered', () => missing().length === 0, 120_000, 250).catch(
    (error: Error) => {
      throw new Error(
        `${error.message}; still missing ${missing().length}, e.g. ${missing().slice(0, 3).join(', ')}`,
      );
    },
  );
  console.log(
    `outbox backlog when the traffic stopped: ${backlog} email(s), delivered ${Date.now() - started} ms later`,
  );
}

/** The promises, checked in the database and at the mail server after the traffic. */
async function checkPromises(db: Db, sink: SmtpSink, traffic: Traffic) {
  const requests = await db.kysely
    .selectFrom('quoteRequests')
    .select(['id', 'reference', 'status', 'matchResult'])
    .execute();
  // Every accepted request exists exactly once, and nothing else was stored.
  const byReference = new Map(requests.map((r) => [r.reference, r]));
  expect(requests.length).toBe(traffic.accepted.length);
  for (const a of traffic.accepted)
    expect(byReference.has(a.reference), `request ${a.reference} stored`).toBe(true);

  // Each confirmed request has the proposals its stored match result names.
  const confirmedRows = requests.filter((r) => r.status === 'confirmed');
  expect(confirmedRows.length).toBe(traffic.confirmed.size);
  const proposals = await db.kysely
    .selectFrom('proposals')
    .select(['requestId'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('requestId')
    .execute();
  const proposalCount = new Map(proposals.map((p) => [p.requestId, Number(p.n)]));
  for (const r of confirmedRows) {
    const result = JSON.parse(r.matchResult ?? '{}') as {
      proposals?: unknown[];
      alternates?: unknown[];
    };
    const expected = (result.proposals?.length ?? 0) + (result.alternates?.length ?? 0);
    expect(expected, `request ${r.reference} was matched to firms`).toBeGreaterThan(0);
    expect(proposalCount.get(r.id) ?? 0, `proposals of ${r.reference}`).toBe(expected);
  }

  // No idempotency key twice in the outbox, nothing left undelivered.
  const outbox = await db.kysely
    .selectFrom('outbox')
    .select(['idempotencyKey', 'status'])
    .execute();
  expect(new Set(outbox.map((o) => o.idempotencyKey)).size).toBe(outbox.length);
  expect(outbox.filter((o) => o.status !== 'sent')).toEqual([]);

  // Every confirmation (and private-page) email arrived exactly once, counted by Message-ID.
  const copies = sink.copiesById();
  for (const r of requests) {
    expect(
      copies.get(messageId(`req:${r.id}:confirm`, MAIL_FROM)),
      `confirmation of ${r.reference}`,
    ).toBe(1);
    if (r.status === 'confirmed')
      expect(
        copies.get(messageId(`req:${r.id}:access`, MAIL_FROM)),
        `private link of ${r.reference}`,
      ).toBe(1);
  }
  expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
  expect(sink.messages.length).toBe(outbox.length);
}

function report(title: string, traffic: Traffic, servers: ServerProcess[]) {
  const { sheet } = traffic;
  if (sheet.errors() > 0) {
    for (const s of servers) {
      const failures = s
        .output()
        .split('\n')
        .filter((l) => l.includes('"level":50'))
        .slice(0, 3);
      console.log(`server ${s.url} errors:\n${failures.join('\n')}`);
    }
  }
  console.log(
    `\n${title}: ${SECONDS} s, ${CONCURRENCY} concurrent clients, ${sheet.total()} requests (${Math.round(sheet.total() / sheet.seconds())} req/s), ` +
      `${sheet.errors()} errors, ${traffic.accepted.length} quote requests, ${traffic.confirmed.size} confirmed`,
  );
  console.table(sheet.table());
  if (sheet.samples.length > 0) console.log('unexpected answers (first 10):', sheet.samples);
}

describe('load and soak', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test(
    'one instance on SQLite: mixed traffic without a single error',
    async () => {
      const sink = new SmtpSink();
      await sink.start();
      cleanups.push(() => sink.stop());
      const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-load-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const server = await startServer({
        dataDir,
        env: { SMTP_URL: sink.url, RATE_LIMIT_MULTIPLIER },
      });
      cleanups.push(() => server.stop());

      const traffic = await mixedTraffic([server.url], sink, 'sqlite-load');
      report('ONE INSTANCE (SQLite)', traffic, [server]);
      expect(server.alive()).toBe(true);
      expect(traffic.sheet.errors()).toBe(0);
      expect(traffic.sheet.unexpected()).toBe(0);
      expect(traffic.accepted.length).toBeGreaterThan(0);
      expect(traffic.confirmed.size).toBeGreaterThan(0);

      await waitForMail(sink, traffic);
      await server.stop();
      const db = openDatabase({ kind: 'sqlite', file: join(dataDir, 'auditmatch.sqlite') });
      try {
        await checkPromises(db, sink, traffic);
      } finally {
        await db.close();
      }
    },
    TIMEOUT,
  );

  test(
    'two instances on one PostgreSQL schema, rate limits shared through Redis',
    async (context) => {
      if (!process.env.TEST_DATABASE_URL && !(await pgReachable())) return context.skip();
      if (!process.env.TEST_DATABASE_URL && !(await redisReachable())) return context.skip();
      const sink = new SmtpSink();
      await sink.start();
      cleanups.push(() => sink.stop());
      const pg = await pgSchema('slow_load');
      cleanups.push(() => pg.drop());
      const servers: ServerProcess[] = [];
      for (const _ of [1, 2]) {
        const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-load-pg-'));
        cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
        const server = await startServer({
          dataDir,
          env: { SMTP_URL: sink.url, DATABASE_URL: pg.url, REDIS_URL, RATE_LIMIT_MULTIPLIER },
        });
        cleanups.push(() => server.stop());
        servers.push(server);
      }
      const [a, b] = servers as [ServerProcess, ServerProcess];

      // One counter for both instances: B sees the request A just counted.
      const first = await call(`${a.url}/match?preview=1&${SOC2_SCOPE_QUERY}`);
      const second = await call(`${b.url}/match?preview=1&${SOC2_SCOPE_QUERY}`);
      const remaining = (o: typeof first) => Number(o.headers.get('x-ratelimit-remaining'));
      expect(first.status).toBe(200);
      expect(remaining(second)).toBeLessThan(remaining(first));

      const traffic = await mixedTraffic([a.url, b.url], sink, 'pg-load');
      report('TWO INSTANCES (PostgreSQL + Redis)', traffic, servers);
      expect(a.alive() && b.alive()).toBe(true);
      expect(traffic.sheet.errors()).toBe(0);
      expect(traffic.sheet.unexpected()).toBe(0);
      expect(traffic.confirmed.size).toBeGreaterThan(0);

      await waitForMail(sink, traffic);
      await Promise.all(servers.map((s) => s.stop()));
      await checkPromises(pg.db, sink, traffic);
    },
    TIMEOUT,
  );
});
