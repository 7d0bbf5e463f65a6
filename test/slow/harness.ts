import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/client';
import { isoDay } from '../../src/domain/matching/dates';
import { migrateToLatest } from '../../src/db/migrate';
import { seedDemoFirms } from '../../src/services/seed';

/**
 * What the slow tests share: real `serve` processes on loopback, an HTTP client that keeps
 * score, a traffic loop with fixed concurrency, and private PostgreSQL schemas.
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APP_SECRET = 'slow-test-secret-0123456789abcdef0123456789abcdef';
export const MAIL_FROM = 'Auditmatch <hello@auditmatch.local>';
export const PG_BASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns a value other than undefined/false, or throws on timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Server processes

export interface ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed (stdout and stderr), for diagnostics. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL if it does not end within 10 s. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** Runs `auditmatch <args>` with tsx and the given environment (no inherited app variables). */
export function runCli(args: string[], env: Record<string, string>): ChildProcess {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^(PORT|HOST|DATA_DIR|DATABASE_URL|SMTP_URL|REDIS_URL|APP_SECRET|NODE_ENV|LOG_LEVEL|PUBLIC_URL|RATE_LIMIT_MULTIPLIER|OUTBOX_BACKOFF_MS|ENCRYPTION_KEY.*)$/.test(
        k,
      )
    )
      clean[k] = v;
  }
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a CLI command to completion: exit code and what it printed. */
export async function cliResult(args: string[], env: Record<string, string>, timeoutMs = 30_000) {
  const child = runCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export interface ServeOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  /** Wait for /healthz (default true). */
  waitReady?: boolean;
}

export async function startServer(options: ServeOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(options);
    } catch (error) {
      // Kysely's migrator reads the catalogue of every schema in the database; when a parallel
      // test drops its own schema at that instant, PostgreSQL says that schema does not exist.
      // That is the shared test server, not the app: try again.
      const raced = /schema "(?!slow_)[^"]+" does not exist/.test(String(error));
      if (!raced || attempt >= 3) throw error;
    }
  }
}

async function startServerOnce(options: ServeOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = runCli(['serve'], {
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: options.dataDir,
    APP_SECRET,
    MAIL_FROM,
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  let output = '';
  const keep = (c: Buffer) => {
    output += c.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? -1);
    }),
  );
  const server: ServerProcess = {
    port,
    url,
    child,
    output: () => output,
    exited,
    alive: () => !done,
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (done) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  if (options.waitReady !== false) {
    try {
      await waitFor(
        `${url}/healthz`,
        async () => {
          if (done) throw new Error(`server exited during start-up:\n${output.slice(-3000)}`);
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(
            () => null,
          );
          return res?.status === 200;
        },
        45_000,
        100,
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
  return server;
}

// ---------------------------------------------------------------------------------------------
// HTTP with a score sheet

export interface Outcome {
  status: number;
  /** 0 when the request never got an answer. */
  ms: number;
  error?: string;
  body: string;
  headers: Headers;
}

export async function call(
  url: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      redirect: 'manual',
      ...init,
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - started, body, headers: res.headers };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      status: 0,
      ms: performance.now() - started,
      error: cause ?? (error as Error).name ?? String(error),
      body: '',
      headers: new Headers(),
    };
  }
}

export class ScoreSheet {
  private readonly rows = new Map<
    string,
    { ms: number[]; statuses: Map<number, number>; errors: Map<string, number>; unexpected: number }
  >();
  readonly samples: { label: string; status: number; error?: string; body: string }[] = [];
  startedAt = performance.now();
  endedAt = 0;

  record(label: string, outcome: Outcome, expected: number[]) {
    let row = this.rows.get(label);
    if (!row) {
      row = { ms: [], statuses: new Map(), errors: new Map(), unexpected: 0 };
      this.rows.set(label, row);
    }
    row.ms.push(outcome.ms);
    row.statuses.set(outcome.status, (row.statuses.get(outcome.status) ?? 0) + 1);
    if (outcome.error) row.errors.set(outcome.error, (row.errors.get(outcome.error) ?? 0) + 1);
    if (!expected.includes(outcome.status)) {
      row.unexpected++;
      if (this.samples.length < 10) {
        this.samples.push({
          label,
          status: outcome.status,
          body: outcome.body.slice(0, 300),
          ...(outcome.error ? { error: outcome.error } : {}),
        });
      }
    }
  }

  /** 5xx, 429 and answers that never came: what a load test must not produce. */
  errors(): number {
    let n = 0;
    for (const row of this.rows.values()) {
      for (const [status, count] of row.statuses)
        if (status === 0 || status === 429 || status >= 500) n += count;
    }
    return n;
  }

  unexpected(): number {
    return [...this.rows.values()].reduce((n, r) => n + r.unexpected, 0);
  }

  total(): number {
    return [...this.rows.values()].reduce((n, r) => n + r.ms.length, 0);
  }

  seconds(): number {
    return ((this.endedAt || performance.now()) - this.startedAt) / 1000;
  }

  table(): Record<string, Record<string, string | number>> {
    const out: Record<string, Record<string, string | number>> = {};
    const all: number[] = [];
    const seconds = this.seconds();
    for (const [label, row] of [...this.rows.entries()].sort()) {
      all.push(...row.ms);
      out[label] = summarise(row.ms, seconds, row.statuses);
    }
    const statuses = new Map<number, number>();
    for (const row of this.rows.values())
      for (const [s, c] of row.statuses) statuses.set(s, (statuses.get(s) ?? 0) + c);
    out.ALL = summarise(all, seconds, statuses);
    return out;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(ms: number[], seconds: number, statuses: Map<number, number>) {
  const sorted = [...ms].sort((a, b) => a - b);
  let errors = 0;
  for (const [s, c] of statuses) if (s === 0 || s === 429 || s >= 500) errors += c;
  return {
    requests: ms.length,
    'req/s': Math.round(ms.length / seconds),
    'p50 ms': Number(percentile(sorted, 50).toFixed(1)),
    'p99 ms': Number(percentile(sorted, 99).toFixed(1)),
    'max ms': Number((sorted.at(-1) ?? 0).toFixed(1)),
    errors,
    statuses: [...statuses.entries()]
      .sort()
      .map(([s, c]) => `${s}×${c}`)
      .join(' '),
  };
}

/**
 * Runs `concurrency` loops for `seconds`; each iteration calls `step(worker, iteration)`.
 * Loops end at the deadline (an iteration in progress finishes).
 */
export async function runLoops(
  concurrency: number,
  seconds: number,
  step: (worker: number, i: number) => Promise<void>,
) {
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++) await step(worker, i);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The buyer journey over HTTP

/**
 * The date the scopes need their report or certificate by: thirteen months from today, so every
 * framework fits on its fastest path and the demo firms' credentials still run that long. The
 * servers run on the real clock, so the date moves with it instead of falling into the past.
 */
export const NEEDED_BY = isoDay(Date.now() + 13 * 30.5 * 86_400_000);

export const SOC2_SCOPE_QUERY = `framework=soc2&variant_soc2=type2&stage=series-a&headcount=40&region=north-america&industry=saas&neededBy=${NEEDED_BY}&aiExposure=uses-ai`;

/** A seed-stage SaaS company in North America asking for the given frameworks. */
function seedScope(frameworks: { framework: string; variant?: string }[]) {
  const scope = { stage: 'seed', headcount: 15, region: 'north-america', industry: 'saas' };
  return { frameworks, ...scope, neededBy: NEEDED_BY, aiExposure: 'uses-ai' };
}

/** A few scopes, two of them naming the same frameworks in opposite order (lock-order races). */
export const SCOPES = [
  {
    frameworks: [{ framework: 'soc2', variant: 'type2' }],
    stage: 'series-a',
    headcount: 40,
    region: 'north-america',
    industry: 'saas',
    neededBy: NEEDED_BY,
    aiExposure: 'uses-ai',
  },
  {
    frameworks: [{ framework: 'iso27001' }],
    stage: 'series-b',
    headcount: 120,
    region: 'europe',
    industry: 'fintech',
    neededBy: NEEDED_BY,
    aiExposure: 'none',
  },
  seedScope([{ framework: 'soc2', variant: 'type1' }, { framework: 'iso27001' }]),
  seedScope([{ framework: 'iso27001' }, { framework: 'soc2', variant: 'type1' }]),
  {
    frameworks: [{ framework: 'iso42001' }],
    stage: 'series-a',
    headcount: 60,
    region: 'europe',
    industry: 'ai-ml',
    neededBy: NEEDED_BY,
    aiExposure: 'ai-is-the-product',
  },
] as const;

export function quoteRequestBody(email: string, scopeIndex = 0): string {
  return JSON.stringify({
    scope: SCOPES[scopeIndex % SCOPES.length],
    contact: { name: 'Load Tester', email, company: 'Slow Test Ltd' },
    consent: true,
  });
}

export const postRequest = (base: string, email: string, scopeIndex = 0) =>
  call(`${base}/api/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: quoteRequestBody(email, scopeIndex),
  });

/** The CSRF cookie and form token of the first form on a page, as a browser keeps them. */
export function csrfOf(outcome: Outcome): { cookie: string; token: string } | null {
  const token = /name="_csrf" value="([^"]+)"/.exec(outcome.body)?.[1];
  const setCookie = outcome.headers.getSetCookie().find((c) => c.startsWith('_am_csrf='));
  if (!token || !setCookie) return null;
  return { token, cookie: setCookie.split(';')[0]! };
}

/** Posts a form found on `pagePath` (GET first for its CSRF pair) to `action`. */
export async function submitForm(
  base: string,
  pagePath: string,
  action: string,
  fields: [string, string][] = [],
) {
  const page = await call(`${base}${pagePath}`);
  const csrf = page.status === 200 ? csrfOf(page) : null;
  if (!csrf) return { page, post: null };
  const body = new URLSearchParams([['_csrf', csrf.token], ...fields]).toString();
  const post = await call(`${base}${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    body,
  });
  return { page, post };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

export async function pgReachable(): Promise<boolean> {
  const db = openDatabase({ kind: 'postgres', url: PG_BASE_URL });
  try {
    return await db.ping();
  } finally {
    await db.close();
  }
}

export async function redisReachable(): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A private, migrated and seeded schema; `url` makes `serve` work in it. */
export async function pgSchema(prefix: string) {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = openDatabase({ kind: 'postgres', url: PG_BASE_URL });
  await sql`create schema ${sql.id(schema)}`.execute(admin.kysely);
  const db = openDatabase(
    { kind: 'postgres', url: PG_BASE_URL },
    { searchPath: schema, poolSize: 4 },
  );
  await migrateToLatest(db.kysely, schema);
  await seedDemoFirms(db.kysely, new Date());
  const separator = PG_BASE_URL.includes('?') ? '&' : '?';
  return {
    schema,
    db,
    url: `${PG_BASE_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async drop() {
      await db.close().catch(() => {});
      await sql`drop schema if exists ${sql.id(schema)} cascade`
        .execute(admin.kysely)
        .catch(() => {});
      await admin.close();
    },
  };
}
