import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../db/client';
import type { Database } from '../db/schema';
import type { Secrets } from '../services/secrets';
import { type Email, sealEmail } from './email';

export type Channel = 'email' | 'webhook';

export interface OutboxMessage {
  channel: Channel;
  /** One message per key, ever: queuing the same introduction twice is a no-op. */
  idempotencyKey: string;
  /** Sealed (encrypted) when it holds personal data; the sender knows how to open it. */
  payload: string;
}

/**
 * Queues a message inside the caller's transaction, so it exists exactly when the change
 * that causes it does. Returns false when a message with the same key already exists.
 */
export async function enqueue(
  db: Kysely<Database>,
  message: OutboxMessage,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      channel: message.channel,
      idempotencyKey: message.idempotencyKey,
      payload: message.payload,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: null,
      createdAt: at,
      sentAt: null,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Queues an email like any message, sealed: it carries addresses. */
export async function queueEmail(
  db: Kysely<Database>,
  secrets: Secrets,
  idempotencyKey: string,
  email: Email,
  now: Date,
): Promise<boolean> {
  return enqueue(db, { channel: 'email', idempotencyKey, payload: sealEmail(secrets, email) }, now);
}

export interface ClaimedMessage {
  id: string;
  channel: string;
  idempotencyKey: string;
  payload: string;
  attempts: number;
}

/**
 * Leases due messages to this worker for `leaseMs`. On PostgreSQL, `FOR UPDATE SKIP LOCKED`
 * lets several instances claim different rows at once; SQLite has a single writer, so the
 * update is atomic there by construction. A worker that dies leaves its lease to expire.
 */
export async function claimDue(
  db: Kysely<Database>,
  dialect: DialectName,
  now: Date,
  limit: number,
  leaseMs = 60_000,
): Promise<ClaimedMessage[]> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const rows = await sql<ClaimedMessage>`
    update outbox set locked_until = ${lease}
    where id in (
      select id from outbox
      where status = 'pending' and next_attempt_at <= ${at}
        and (locked_until is null or locked_until < ${at})
      order by next_attempt_at
      limit ${limit}
      ${lock}
    )
    returning id, channel, idempotency_key as "idempotencyKey", payload, attempts`.execute(db);
  return rows.rows;
}

export const MAX_ATTEMPTS = 8;

/**
 * 30 s, 1 min, 2 min … capped at 1 hour: an SMTP outage of hours delays mail, never loses it.
 * `baseMs` is OUTBOX_BACKOFF_MS (tests shorten it).
 */
export function backoffMs(attempts: number, baseMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export async function markSent(db: Kysely<Database>, id: string, now: Date) {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sentAt: now.toISOString(), lockedUntil: null, lastError: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(
  db: Kysely<Database>,
  message: ClaimedMessage,
  error: string,
  now: Date,
  backoffBaseMs = 30_000,
) {
  const attempts = message.attempts + 1;
  const dead = attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      attempts,
      status: dead ? 'dead' : 'pending',
      nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, backoffBaseMs)).toISOString(),
      lockedUntil: null,
      lastError: error.slice(0, 500),
    })
    .where('id', '=', message.id)
    .execute();
  return dead;
}

/** Operator action: give a dead letter a fresh set of attempts. */
export async function retryDead(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
