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
  const messages = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('channel', '=', 'email')
    .where('payload', '!=', '')
    .execute();
  for (const m of messages) {
    if (!secrets.needsRotation(m.payload)) continue;
    await db
      .updateTable('outbox')
      .set({ payload: reseal(m.payload)! })
      .where('id', '=', m.id)
      .execute();
    counts.outbox++;
  }
  const hooks = await db.selectFrom('webhookEndpoints').select(['id', 'secretEnc']).execute();
  for (const h of hooks) {
    if (!secrets.needsRotation(h.secretEnc)) continue;
    await db
      .updateTable('webhookEndpoints')
      .set({ secretEnc: reseal(h.secretEnc)! })
      .where('id', '=', h.id)
      .execute();
    counts.webhooks++;
  }
  await audit(db, ctx.now(), { actorKind: 'cli', action: 'encryption.rotated', detail: counts });
  return counts;
}
