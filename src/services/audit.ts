import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Email } from '../outbox/email';
import { queueEmail } from '../outbox/queue';
import type { Secrets } from './secrets';

export const ACTOR_KINDS = ['system', 'cli', 'buyer', 'firm-user', 'admin', 'api-key'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface AuditEntry {
  actorKind: ActorKind;
  actorId?: string | null;
  action: string;
  subjectKind?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction: the entry exists exactly when the change does. */
export async function audit(db: Kysely<Database>, at: Date, entry: AuditEntry): Promise<void> {
  await auditMany(db, at, [entry]);
}

/** Several entries in one statement (a page of contact views writes one row per lead shown). */
export async function auditMany(
  db: Kysely<Database>,
  at: Date,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const when = at.toISOString();
  await db
    .insertInto('auditLog')
    .values(
      entries.map((entry) => ({
        at: when,
        actorKind: entry.actorKind,
        actorId: entry.actorId ?? null,
        action: entry.action,
        subjectKind: entry.subjectKind ?? null,
        subjectId: entry.subjectId ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      })),
    )
    .execute();
}

/**
 * An email a sweep sends on its own, and its entry in the audit log. The entry is written only
 * when this call queued the email, so a sweep run again, or in two instances, records it once.
 * Returns whether it was queued.
 */
export async function queueSystemEmail(
  db: Kysely<Database>,
  secrets: Secrets,
  idempotencyKey: string,
  email: Email,
  now: Date,
  entry: Omit<AuditEntry, 'actorKind'>,
): Promise<boolean> {
  const queued = await queueEmail(db, secrets, idempotencyKey, email, now);
  if (queued) await audit(db, now, { actorKind: 'system', ...entry });
  return queued;
}
