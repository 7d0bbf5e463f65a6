import { expect, it } from 'vitest';
import { bumpCatalogVersion } from '../../src/db/firms';
import {
  respondToBrief,
  sendBriefs,
  withdrawFirmBriefs,
  withdrawLostBriefs,
} from '../../src/services/briefs';
import { eraseRequestData, purgeExpired } from '../../src/services/buyer';
import { bookCall } from '../../src/services/calls';
import { describeEachEngine } from '../helpers/databases';
import { briefsOf, confirmedRequest, DAY_MS, seededContext, TestClock } from '../helpers/requests';

/**
 * The maintenance pass over requests that have ended: a request keeps its status after its end
 * until retention erases its buyer's contact, and a firm may lose its standing after that.
 */
describeEachEngine('maintenance after a request has ended', (t) => {
  it('leaves the briefs of an ended, erased request alone when their firm loses its standing', async () => {
    const clock = new TestClock('2026-11-30T09:00:00.000Z');
    const ctx = await seededContext(t(), clock);
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[0]!;
    await sendBriefs(ctx, request.id, [firmId]);
    const [brief] = await briefsOf(ctx, request.id);
    await respondToBrief(ctx, brief!.id, { action: 'accept' }, { kind: 'brief-link' });
    // The buyer offers three times for the one short call (the firm has no hours published).
    const hour = 3_600_000;
    const offered = [2, 3, 4].map((d) => clock.now().getTime() + d * DAY_MS + 5 * hour);
    await bookCall(ctx, request.id, brief!.id, { kind: 'offer', slots: offered }, 'Europe/Berlin');
    expect(
      await ctx.db.kysely
        .selectFrom('calls')
        .select('id')
        .where('requestId', '=', request.id)
        .execute(),
    ).toHaveLength(1);

    // The request ends, retention erases its contact, and then the firm is suspended.
    const { expiresAt } = await ctx.db.kysely
      .selectFrom('quoteRequests')
      .select('expiresAt')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    clock.set(new Date(Date.parse(expiresAt) + DAY_MS).toISOString());
    await eraseRequestData(ctx, request.id, 'system');
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('firms')
        .set({ status: 'suspended' })
        .where('id', '=', firmId)
        .execute();
      await bumpCatalogVersion(trx);
    });
    ctx.catalog.invalidate();

    // Nothing to withdraw from an ended request, whether the pass finds the lost standing or the
    // suspension withdraws the firm's briefs itself: no error, the brief as it was.
    expect(await withdrawLostBriefs(ctx)).toBe(0);
    expect(
      await withdrawFirmBriefs(ctx, firmId, 'firm-suspended', 'Suspended', { kind: 'system' }),
    ).toBe(0);
    const after = await ctx.db.kysely
      .selectFrom('briefs')
      .select('status')
      .where('id', '=', brief!.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('accepted');
    // The rest of the pass still runs.
    await expect(purgeExpired(ctx)).resolves.toMatchObject({ requests: expect.any(Number) });
  });
});
