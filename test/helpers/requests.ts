import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { type Db, openDatabase } from '../../src/db/client';
import { bumpCatalogVersion } from '../../src/db/firms';
import { openEmail } from '../../src/outbox/email';
import { FirmCatalog } from '../../src/services/catalog';
import { DemandTally } from '../../src/services/demand';
import type { ServiceContext } from '../../src/services/context';
import { ServiceError } from '../../src/services/context';
import { confirmRequest, submitRequest } from '../../src/services/intake';
import {
  type QuoteRequestInput,
  type ScopeInput,
  ScopeSchema,
} from '../../src/services/intake/schemas';
import type { ApplicationInput } from '../../src/services/firm/schemas';
import { Secrets } from '../../src/services/secrets';
import { seedDemoFirms } from '../../src/services/seed';
import { linkIn } from './app';
import { neededByAfter } from './dates';
import { soc2ScopeFields } from './scopes';
import type { TestDatabase } from './databases';

/** A clock tests move by hand; services and the outbox worker read it through `now`. */
export const TEST_CLOCK_START = '2026-11-30T09:00:00.000Z';

export class TestClock {
  private ms: number;
  constructor(start: Date | string = TEST_CLOCK_START) {
    this.ms = new Date(start).getTime();
  }
  readonly now = (): Date => new Date(this.ms);
  set(at: Date | string) {
    this.ms = new Date(at).getTime();
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

export const DAY_MS = 86_400_000;

/** The services' context on a test database, without the web app around it. */
export function serviceContext(t: TestDatabase, clock: TestClock, db: Db = t.db): ServiceContext {
  const { config } = t;
  return {
    config,
    db,
    secrets: new Secrets(config.appSecret, config.encryptionKey, config.previousEncryptionKeys),
    catalog: new FirmCatalog(db),
    demand: new DemandTally(),
    now: clock.now,
  };
}

/**
 * Another "app instance" on the same database. On PostgreSQL it has its own connection pool
 * (as a second server process would); SQLite allows one writer, so instances share the handle.
 */
export async function secondDb(
  t: TestDatabase,
  poolSize = 16,
): Promise<{ db: Db; close(): Promise<void> }> {
  if (t.db.dialect !== 'postgres' || t.config.database.kind !== 'postgres') {
    return { db: t.db, close: async () => {} };
  }
  const row = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db.kysely);
  const schema = row.rows[0]?.schema;
  if (!schema) throw new Error('no current schema');
  const db = openDatabase(t.config.database, { searchPath: schema, poolSize });
  return { db, close: () => db.close() };
}

export async function seedDemo(t: TestDatabase, clock: TestClock): Promise<void> {
  await seedDemoFirms(t.db.kysely, clock.now());
}

/** The demo firms seeded on the clock's date, and the services' context on them. */
export async function seededContext(t: TestDatabase, clock: TestClock): Promise<ServiceContext> {
  await seedDemo(t, clock);
  return serviceContext(t, clock);
}

/** Frees every firm's capacity for the clock's month, so runs do not starve each other. */
export async function resetCapacity(ctx: ServiceContext): Promise<void> {
  const month = ctx.now().toISOString().slice(0, 7);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('firmServices').set({ capacityUsed: 0, capacityMonth: month }).execute();
    await bumpCatalogVersion(trx);
  });
  ctx.catalog.invalidate();
}

/**
 * The scope of SOC2_SCOPE_QUERY: every demo catalogue serves three firms for it. Its date follows
 * the test clock's start; a test on the real clock overrides it with `neededByAfter(Date.now())`.
 */
export const SOC2_SCOPE: ScopeInput = ScopeSchema.parse(
  soc2ScopeFields(neededByAfter(TEST_CLOCK_START)),
);

export function scopeWith(overrides: Partial<ScopeInput>): ScopeInput {
  return ScopeSchema.parse({ ...SOC2_SCOPE, ...overrides });
}

let buyers = 0;
/** A fresh buyer address per call: the unconfirmed-per-address limit never gets in the way. */
export function buyerEmail(tag = 'buyer'): string {
  buyers++;
  return `${tag}-${process.pid}-${buyers}-${Math.random().toString(36).slice(2, 8)}@buyer.example`;
}

export function quoteRequest(email: string, scope: ScopeInput = SOC2_SCOPE): QuoteRequestInput {
  return {
    scope,
    contact: { name: 'Robin Buyer', email, company: 'Buyer Labs' },
    consent: true,
  };
}

export interface SubmittedRequest {
  id: string;
  reference: string;
  email: string;
}

export async function submit(
  ctx: ServiceContext,
  options: { email?: string; scope?: ScopeInput } = {},
): Promise<SubmittedRequest> {
  const email = options.email ?? buyerEmail();
  const { id, reference } = await submitRequest(ctx, quoteRequest(email, options.scope));
  return { id, reference, email };
}

/** The single-use token in the confirmation email queued for a request. */
export async function confirmationToken(ctx: ServiceContext, requestId: string): Promise<string> {
  const row = await ctx.db.kysely
    .selectFrom('outbox')
    .select('payload')
    .where('idempotencyKey', '=', `req:${requestId}:confirm`)
    .executeTakeFirstOrThrow();
  const path = linkIn(openEmail(ctx.secrets, row.payload).text, '/r/confirm/');
  return path.slice('/r/confirm/'.length);
}

export interface ConfirmedRequest extends SubmittedRequest {
  accessToken: string;
  /** Firms proposed at confirmation, best first. */
  proposed: string[];
}

/** Uses a confirmation link; the request must be confirmed (not held as a duplicate). Returns the private-page token. */
export async function confirmByToken(ctx: ServiceContext, token: string): Promise<string> {
  const confirmed = await confirmRequest(ctx, token);
  if (confirmed.kind !== 'confirmed')
    throw new Error(`request held as a duplicate of ${confirmed.openReference}`);
  return confirmed.accessToken;
}

/** Submits and confirms a request through the services, as the buyer would by email. */
export async function confirmedRequest(
  ctx: ServiceContext,
  options: { email?: string; scope?: ScopeInput } = {},
): Promise<ConfirmedRequest> {
  const submitted = await submit(ctx, options);
  const accessToken = await confirmByToken(ctx, await confirmationToken(ctx, submitted.id));
  const proposals = await ctx.db.kysely
    .selectFrom('proposals')
    .select(['firmId', 'rank'])
    .where('requestId', '=', submitted.id)
    .where('status', '=', 'proposed')
    .orderBy('rank')
    .execute();
  return { ...submitted, accessToken, proposed: proposals.map((p) => p.firmId) };
}

export async function briefsOf(ctx: ServiceContext, requestId: string) {
  return ctx.db.kysely
    .selectFrom('briefs')
    .selectAll()
    .where('requestId', '=', requestId)
    .execute();
}

/** The audit entries recording `action`, oldest first; with `subjects`, only those about them. */
export function auditEntries(db: Db, action: string, subjects?: string | string[]) {
  let query = db.kysely.selectFrom('auditLog').selectAll().where('action', '=', action);
  if (subjects !== undefined) {
    const ids = [subjects].flat();
    query = query.where('subjectId', 'in', ids.length > 0 ? ids : ['none']);
  }
  return query.orderBy('id').execute();
}

/** Runs a service call and returns its refusal, or null when it went through. Other errors fail the test. */
export async function refusal<T>(call: Promise<T>): Promise<ServiceError | null> {
  try {
    await call;
    return null;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
}

/** A logger for the outbox worker that keeps what it was told. */
export function recordingLog(): FastifyBaseLogger & { entries: { level: string; msg: unknown }[] } {
  const entries: { level: string; msg: unknown }[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) => {
      entries.push({ level, msg: args[args.length - 1] });
    };
  const log = {
    entries,
    level: 'silent',
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => {},
    child: () => log,
  };
  return log as unknown as FastifyBaseLogger & { entries: { level: string; msg: unknown }[] };
}

/** The emails queued for one request (keys `req:<id>:…`), opened; `null` where erased. */
export async function requestEmails(ctx: ServiceContext, requestId: string) {
  const rows = await ctx.db.kysely
    .selectFrom('outbox')
    .select(['idempotencyKey', 'payload'])
    .where('idempotencyKey', 'like', `req:${requestId}:%`)
    .where('channel', '=', 'email')
    .execute();
  return rows.map((r) => ({
    key: r.idempotencyKey,
    email: r.payload ? openEmail(ctx.secrets, r.payload) : null,
  }));
}

/** An application from a new CPA firm, Newcastle Assurance, by Jo Partner. */
export function newFirmApplication(note: string): ApplicationInput {
  return {
    kind: 'new',
    firmName: 'Newcastle Assurance',
    firmType: 'cpa-firm',
    website: 'https://newcastle-assurance.example',
    headquarters: 'US',
    name: 'Jo Partner',
    email: 'jo@newcastle-assurance.example',
    note,
  };
}
