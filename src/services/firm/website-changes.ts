import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { type WebsiteEdit, websiteEdit } from '../../domain/website-review';
import { audit } from '../audit';

/** The website a firm asked for and the operator has not decided on yet. */
export interface PendingWebsite {
  id: string;
  website: string | null;
  requestedAt: string;
}

export async function pendingWebsiteOf(
  db: Kysely<Database>,
  firmId: string,
): Promise<PendingWebsite | null> {
  const row = await db
    .selectFrom('firmWebsiteChanges')
    .select(['id', 'website', 'requestedAt'])
    .where('firmId', '=', firmId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * A firm user saves a website, inside the caller's transaction: written at once for an
 * applicant, otherwise kept as the firm's one pending change (or that change withdrawn) for
 * the operator's queue. Each outcome is in the audit log with both addresses.
 */
export async function saveFirmWebsite(
  trx: Kysely<Database>,
  now: Date,
  by: { userId: string; firmId: string },
  firm: { status: string; website: string | null },
  requested: string | null,
): Promise<WebsiteEdit['kind']> {
  const waiting = await pendingWebsiteOf(trx, by.firmId);
  const edit = websiteEdit({
    status: firm.status,
    live: firm.website,
    requested,
    waiting: waiting ? waiting.website : undefined,
  });
  const at = now.toISOString();
  const entry = { actorKind: 'firm-user' as const, actorId: by.userId, subjectKind: 'firm' };
  switch (edit.kind) {
    case 'unchanged':
      break;
    case 'apply':
      await trx
        .updateTable('firms')
        .set({ website: requested, updatedAt: at })
        .where('id', '=', by.firmId)
        .execute();
      await audit(trx, now, {
        ...entry,
        action: 'firm.website-changed',
        subjectId: by.firmId,
        detail: { from: firm.website, to: requested },
      });
      break;
    case 'queue': {
      // A new id on every request: a decision posted for the replaced one finds nothing to apply.
      const values = {
        id: randomUUID(),
        website: requested,
        requestedBy: by.userId,
        requestedAt: at,
      };
      await trx
        .insertInto('firmWebsiteChanges')
        .values({ ...values, firmId: by.firmId })
        .onConflict((oc) => oc.column('firmId').doUpdateSet(values))
        .execute();
      await audit(trx, now, {
        ...entry,
        action: 'firm.website-change-requested',
        subjectId: by.firmId,
        detail: {
          from: firm.website,
          to: requested,
          ...(waiting ? { replaces: waiting.website } : {}),
        },
      });
      break;
    }
    case 'withdraw':
      await trx.deleteFrom('firmWebsiteChanges').where('firmId', '=', by.firmId).execute();
      await audit(trx, now, {
        ...entry,
        action: 'firm.website-change-withdrawn',
        subjectId: by.firmId,
        detail: { kept: firm.website, withdrawn: waiting?.website ?? null },
      });
      break;
  }
  return edit.kind;
}
