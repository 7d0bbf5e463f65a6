import { CREDENTIAL_KIND_LABELS, type CredentialKind } from '../domain/vocabulary';
import { queueSystemEmail } from './audit';
import type { ServiceContext } from './context';
import { DAY_MS, isoDay } from '../domain/matching/dates';

/**
 * Reminds a firm before a verified credential ends, 30 and then 7 days ahead: the day it
 * lapses, the firm stops being matched for the frameworks it carries. One email per
 * credential, end date and threshold (the outbox key says so), so a renewed credential with a
 * new end date is reminded again, and a reminder missed while the job was down is sent late
 * rather than never, but only the nearest threshold.
 */

export const REMINDER_DAYS = [30, 7] as const;

const daysUntil = (today: string, date: string) =>
  Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);

export function reminderKey(credentialId: string, validTo: string, threshold: number): string {
  return `credential:${credentialId}:${validTo}:expiry-${threshold}`;
}

/** The threshold a credential this many days from its end has reached (the nearest one), if any. */
export function reminderThreshold(daysLeft: number): number | null {
  if (daysLeft < 0) return null;
  let reached: number | null = null;
  for (const threshold of REMINDER_DAYS) if (daysLeft <= threshold) reached = threshold;
  return reached;
}

function reminderEmail(
  to: string,
  firmName: string,
  c: { kind: string; identifier: string; issuer: string; validTo: string },
  daysLeft: number,
  publicUrl: string,
) {
  const label = CREDENTIAL_KIND_LABELS[c.kind as CredentialKind] ?? c.kind;
  const when = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
  return {
    to,
    subject: `${firmName}: your ${label} ends ${when} (${c.validTo})`,
    text: `Hello ${firmName},

Your ${label} ${c.identifier} (${c.issuer}) ends on ${c.validTo}, ${when}.

From the day after, Auditmatch can no longer match your firm for the frameworks this credential qualifies you for. To stay eligible, add the renewed credential in your workspace so we can verify it before then:

${publicUrl}/firm

— Auditmatch`,
  };
}

/** Queues the reminders now due; returns how many were queued. Safe to run in several instances. */
export async function queueCredentialReminders(ctx: ServiceContext): Promise<number> {
  const now = ctx.now();
  const today = isoDay(now);
  const horizon = isoDay(new Date(now.getTime() + Math.max(...REMINDER_DAYS) * DAY_MS));
  const due = await ctx.db.kysely
    .selectFrom('credentials')
    .innerJoin('firms', 'firms.id', 'credentials.firmId')
    .select([
      'credentials.id',
      'credentials.firmId',
      'credentials.kind',
      'credentials.identifier',
      'credentials.issuer',
      'credentials.validTo',
      'firms.name',
      'firms.leadEmail',
    ])
    .where('credentials.verification', '=', 'verified')
    .where('credentials.validTo', '>=', today)
    .where('credentials.validTo', '<=', horizon)
    .where('firms.leadEmail', 'is not', null)
    .where('firms.status', '!=', 'suspended')
    .orderBy('credentials.validTo')
    .limit(1000)
    .execute();
  const candidates = due.flatMap((c) => {
    const threshold =
      c.validTo && c.leadEmail ? reminderThreshold(daysUntil(today, c.validTo)) : null;
    return threshold === null || !c.validTo || !c.leadEmail
      ? []
      : [
          {
            ...c,
            validTo: c.validTo,
            leadEmail: c.leadEmail,
            threshold,
            key: reminderKey(c.id, c.validTo, threshold),
          },
        ];
  });
  if (candidates.length === 0) return 0;
  // Most candidates were reminded on an earlier pass: one read skips them all.
  const sent = new Set(
    (
      await ctx.db.kysely
        .selectFrom('outbox')
        .select('idempotencyKey')
        .where(
          'idempotencyKey',
          'in',
          candidates.map((c) => c.key),
        )
        .execute()
    ).map((r) => r.idempotencyKey),
  );
  let queued = 0;
  for (const c of candidates) {
    if (sent.has(c.key)) continue;
    const { validTo, threshold } = c;
    const daysLeft = daysUntil(today, validTo);
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const added = await queueSystemEmail(
        trx,
        ctx.secrets,
        c.key,
        reminderEmail(c.leadEmail, c.name, c, daysLeft, ctx.config.publicUrl),
        now,
        {
          action: 'credential.expiry-reminder',
          subjectKind: 'credential',
          subjectId: c.id,
          detail: { firmId: c.firmId, validTo, threshold },
        },
      );
      if (added) queued++;
    });
  }
  return queued;
}
