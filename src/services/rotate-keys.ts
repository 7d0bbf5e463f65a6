import type { ServiceContext } from './context';
import { audit } from './audit';

const CONTACT_COLUMNS = ['contactNameEnc', 'contactEmailEnc', 'companyEnc', 'phoneEnc'] as const;

/**
 * Re-seals every encrypted value under the current key, in batches. Run after setting a new
 * ENCRYPTION_KEY with the old one in ENCRYPTION_KEY_PREVIOUS; when it reports 0 left, the old
 * key can be removed. Safe to run again and to interrupt.
 */
export async function rotateEncryptionKey(
  ctx: Pick<ServiceContext, 'db' | 'secrets' | 'now'>,
): Promise<{ requests: number; outbox: number; webhooks: number }> {
  const { secrets } = ctx;
  const reseal = (v: string | null) =>
    v && secrets.needsRotation(v) ? secrets.encrypt(secrets.decrypt(v)) : v;
  const counts = { requests: 0, outbox: 0, webhooks: 0 };
  const db = ctx.db.kysely;

  const requests = await db
    .selectFrom('quoteRequests')
    .select(['id', ...CONTACT_COLUMNS])
    .where('contactErasedAt', 'is', null)
    .execute();
  for (const r of requests) {
    if (!CONTACT_COLUMNS.some((c) => r[c] && secrets.needsRotation(r[c]))) continue;
    await db
      .updateTable('quoteRequests')
      .set({
        contactNameEnc: reseal(r.contactNameEnc),
        contactEmailEnc: reseal(r.contactEmailEnc),
        companyEnc: reseal(r.companyEnc),
        phoneEnc: reseal(r.phoneEnc),
      })
      .where('id', '=', r.id)
      .execute();
    counts.requests++;
  }
  /** Re-seals one sealed column of a table row by row; returns how many rows it changed. */
  const resealColumn = async (
    table: 'outbox' | 'webhookEndpoints',
    column: 'payload' | 'secretEnc',
    rows: readonly { id: string; sealed: string }[],
  ): Promise<number> => {
    let changed = 0;
    for (const row of rows) {
      if (!secrets.needsRotation(row.sealed)) continue;
      await db
        .updateTable(table)
        .set(column, reseal(row.sealed)!)
        .where('id', '=', row.id)
        .execute();
      changed++;
    }
    return changed;
  };
  counts.outbox = await resealColumn(
    'outbox',
    'payload',
    await db
      .selectFrom('outbox')
      .select(['id', 'payload as sealed'])
      .where('channel', '=', 'email')
      .where('payload', '!=', '')
      .execute(),
  );
  counts.webhooks = await resealColumn(
    'webhookEndpoints',
    'secretEnc',
    await db.selectFrom('webhookEndpoints').select(['id', 'secretEnc as sealed']).execute(),
  );
  await audit(db, ctx.now(), { actorKind: 'cli', action: 'encryption.rotated', detail: counts });
  return counts;
}
