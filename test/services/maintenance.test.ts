import { expect, it } from 'vitest';
import { bumpCatalogVersion } from '../../src/db/firms';
import {
  lapseUnquotedBriefs,
  respondToBrief,
  sendBriefs,
  withdrawFirmBriefs,
  withdrawLostBriefs,
} from '../../src/services/briefs';
import { eraseRequestData, purgeExpired, shareDetails } from '../../src/services/buyer';
import { inviteReviews } from '../../src/services/reviews';
import { bookCall, cancelCall } from '../../src/services/calls';
import type { ServiceContext } from '../../src/services/context';
import { leadDetail } from '../../src/services/firm/leads';
import { quoteContext } from '../../src/services/firm/quotes';
import { releaseLease, takeLease } from '../../src/services/lease';
import { maintenancePass, PASS_LEASE_MS } from '../../src/services/maintenance';
import { describeEachEngine } from '../helpers/databases';
import type { TestDatabase } from '../helpers/engines';
import {
  briefsOf,
  confirmedRequest,
  DAY_MS,
  recordingLog,
  resetCapacity,
  seededContext,
  TestClock,
} from '../helpers/requests';
import { firmActor } from '../helpers/users';

/** Suspends these firms as the console does, catalog included. */
async function suspendFirms(ctx: ServiceContext, firmIds: string[]): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('firms')
      .set({ status: 'suspended' })
      .where('id', 'in', firmIds)
      .execute();
    await bumpCatalogVersion(trx);
  });
  ctx.catalog.invalidate();
}

/** A confirmed request whose first proposed firm was sent a brief and accepted it. */
async function acceptedBrief(db: TestDatabase) {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  const ctx = await seededContext(db, clock);
  const request = await confirmedRequest(ctx);
  const firmId = request.proposed[0]!;
  await sendBriefs(ctx, request.id, [firmId]);
  const [brief] = await briefsOf(ctx, request.id);
  await respondToBrief(ctx, brief!.id, { action: 'accept' }, { kind: 'brief-link' });
  return { clock, ctx, request, firmId, brief: brief! };
}

/** When a request ends (an ISO instant). */
async function endOf(ctx: ServiceContext, requestId: string): Promise<string> {
  const { expiresAt } = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select('expiresAt')
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  return expiresAt;
}

/**
 * The maintenance pass's sweeps: over requests that have ended (a request keeps its status after
 * its end until retention erases its buyer's contact, and a firm may lose its standing after
 * that), and passes that read only what changed since the last one.
 */
describeEachEngine('the maintenance sweeps', (t) => {
  it('leaves the briefs of an ended, erased request alone when their firm loses its standing', async () => {
    const { clock, ctx, request, firmId, brief } = await acceptedBrief(t());
    // The buyer offers three times for the one short call (the firm has no hours published).
    const hour = 3_600_000;
    const offered = [2, 3, 4].map((d) => clock.now().getTime() + d * DAY_MS + 5 * hour);
    await bookCall(ctx, request.id, brief.id, { kind: 'offer', slots: offered }, 'Europe/Berlin');
    expect(
      await ctx.db.kysely
        .selectFrom('calls')
        .select('id')
        .where('requestId', '=', request.id)
        .execute(),
    ).toHaveLength(1);

    // The request ends, retention erases its contact, and then the firm is suspended.
    clock.set(new Date(Date.parse(await endOf(ctx, request.id)) + DAY_MS).toISOString());
    await eraseRequestData(ctx, request.id, 'system');
    await suspendFirms(ctx, [firmId]);

    // Nothing to withdraw from an ended request, whether the pass finds the lost standing or the
    // suspension withdraws the firm's briefs itself: no error, the brief as it was.
    expect(await withdrawLostBriefs(ctx)).toBe(0);
    expect(
      await withdrawFirmBriefs(ctx, firmId, 'firm-suspended', 'Suspended', { kind: 'system' }),
    ).toBe(0);
    const after = await ctx.db.kysely
      .selectFrom('briefs')
      .select('status')
      .where('id', '=', brief.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('accepted');
    // The rest of the pass still runs.
    await expect(purgeExpired(ctx)).resolves.toMatchObject({ requests: expect.any(Number) });
  });

  it('shows the firm an ended request as closed, whatever its status still says', async () => {
    const { clock, ctx, request, firmId, brief } = await acceptedBrief(t());
    const firm = firmActor(firmId);
    expect((await leadDetail(ctx, firm, brief.id)).requestOpen).toBe(true);
    expect((await quoteContext(ctx, firm, brief.id)).requestOpen).toBe(true);
    clock.set(new Date(Date.parse(await endOf(ctx, request.id)) + 1000).toISOString());
    // The status stays open until retention erases the buyer; the end is what closes it.
    const { status } = await ctx.db.kysely
      .selectFrom('quoteRequests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(['confirmed', 'active']).toContain(status);
    expect((await leadDetail(ctx, firm, brief.id)).requestOpen).toBe(false);
    expect((await quoteContext(ctx, firm, brief.id)).requestOpen).toBe(false);
  });

  it('reads every open brief again when the catalog changes after a sweep that found nothing', async () => {
    const { ctx, firmId, brief } = await acceptedBrief(t());
    await withdrawLostBriefs(ctx);
    // Nothing changed since: the next sweep reads only briefs sent since, and finds none lost.
    await withdrawLostBriefs(ctx);
    expect((await briefsOf(ctx, brief.requestId)).map((b) => b.status)).toEqual(['accepted']);
    // A change of the catalog (the firm suspended) makes the next sweep read them all again.
    await suspendFirms(ctx, [firmId]);
    expect(await withdrawLostBriefs(ctx)).toBeGreaterThanOrEqual(1);
    expect((await briefsOf(ctx, brief.requestId)).map((b) => b.status)).toEqual(['withdrawn']);
  });

  it('lapses an unquoted brief at the first pass after its quote deadline, and not before', async () => {
    const { clock, ctx, brief } = await acceptedBrief(t());
    const quoteBy = Date.parse((await briefsOf(ctx, brief.requestId))[0]!.quoteBy!);
    clock.set(new Date(quoteBy - 60_000).toISOString());
    await lapseUnquotedBriefs(ctx);
    expect((await briefsOf(ctx, brief.requestId))[0]!.status).toBe('accepted');
    // The next pass reads the deadlines passed since the last one.
    clock.set(new Date(quoteBy + 60_000).toISOString());
    expect(await lapseUnquotedBriefs(ctx)).toBeGreaterThanOrEqual(1);
    expect((await briefsOf(ctx, brief.requestId))[0]!.status).toBe('expired');
  });

  it('lapses a brief whose call was cancelled after its deadline within the hour', async () => {
    const { clock, ctx, request, brief } = await acceptedBrief(t());
    const hour = 3_600_000;
    const offered = [2, 3, 4].map((d) => clock.now().getTime() + d * DAY_MS + 5 * hour);
    await bookCall(ctx, request.id, brief.id, { kind: 'offer', slots: offered }, 'Europe/Berlin');
    const quoteBy = Date.parse((await briefsOf(ctx, brief.requestId))[0]!.quoteBy!);
    clock.set(new Date(quoteBy + 60_000).toISOString());
    await lapseUnquotedBriefs(ctx);
    expect((await briefsOf(ctx, brief.requestId))[0]!.status).toBe('accepted');
    const call = await ctx.db.kysely
      .selectFrom('calls')
      .select('id')
      .where('briefId', '=', brief.id)
      .executeTakeFirstOrThrow();
    await cancelCall(ctx, { side: 'buyer', requestId: request.id }, call.id, 'Not needed');
    // Its deadline is behind the passes that read only the newly passed deadlines…
    clock.advance(60_000);
    await lapseUnquotedBriefs(ctx);
    expect((await briefsOf(ctx, brief.requestId))[0]!.status).toBe('accepted');
    // …and the hourly pass over every deadline of a request's lifetime finds it.
    clock.advance(hour);
    expect(await lapseUnquotedBriefs(ctx)).toBeGreaterThanOrEqual(1);
    expect((await briefsOf(ctx, brief.requestId))[0]!.status).toBe('expired');
  });

  it('sends a backlog of review invitations over several passes, each reading on from the last', async () => {
    const clock = new TestClock('2027-03-01T09:00:00.000Z');
    const ctx = await seededContext(t(), clock);
    const introduced: string[] = [];
    for (let i = 0; i < 3; i++) {
      await resetCapacity(ctx);
      const r = await confirmedRequest(ctx);
      await sendBriefs(ctx, r.id, [r.proposed[0]!]);
      const [b] = await briefsOf(ctx, r.id);
      await respondToBrief(ctx, b!.id, { action: 'accept' }, { kind: 'brief-link' });
      await shareDetails(ctx, r.id, b!.id);
      introduced.push(b!.id);
      clock.advance(60_000);
    }
    clock.advance(7 * 7 * DAY_MS);
    // One a pass: each pass reads on from the last introduction it read; none is skipped.
    for (let pass = 0; pass < 3; pass++) expect(await inviteReviews(ctx, { perPass: 1 })).toBe(1);
    expect(await inviteReviews(ctx, { perPass: 1 })).toBe(0);
    const keys = await ctx.db.kysely
      .selectFrom('outbox')
      .select('idempotencyKey')
      .where('idempotencyKey', 'like', '%:review-invite')
      .execute();
    for (const id of introduced)
      expect(keys.filter((k) => k.idempotencyKey.includes(`:brief:${id}:`))).toHaveLength(1);
  });

  it('checks every open brief, page after page, not only the oldest', async () => {
    const clock = new TestClock('2026-11-30T09:00:00.000Z');
    const ctx = await seededContext(t(), clock);
    const requests = [];
    for (let i = 0; i < 4; i++) {
      requests.push(await confirmedRequest(ctx));
      clock.advance(60_000);
    }
    for (const r of requests) await sendBriefs(ctx, r.id, [r.proposed[0]!]);
    const firmIds = [...new Set(requests.map((r) => r.proposed[0]!))];
    await suspendFirms(ctx, firmIds);
    // One brief a page: the sweep goes on from each page's last brief to the end (the file's
    // other tests leave briefs in the same database, so at least these four).
    expect(await withdrawLostBriefs(ctx, { pageSize: 1 })).toBeGreaterThanOrEqual(4);
    for (const r of requests) {
      const [brief] = await briefsOf(ctx, r.id);
      expect(brief).toMatchObject({ firmId: r.proposed[0], status: 'withdrawn' });
    }
  });
});

describeEachEngine('the maintenance pass runs in one instance at a time', (t) => {
  it('gives a lease to one holder until it runs out or is released', async () => {
    const db = t().db.kysely;
    const now = new Date('2026-12-01T10:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    expect(await takeLease(db, 'work', 'a', now, 60_000)).toBe(true);
    expect(await takeLease(db, 'work', 'b', later(59_999), 60_000)).toBe(false);
    // The holder renews it; the other instance waits for the renewed end.
    expect(await takeLease(db, 'work', 'a', later(30_000), 60_000)).toBe(true);
    expect(await takeLease(db, 'work', 'b', later(89_999), 60_000)).toBe(false);
    expect(await takeLease(db, 'work', 'b', later(90_000), 60_000)).toBe(true);
    expect(await takeLease(db, 'work', 'a', later(90_001), 60_000)).toBe(false);
    // Only the holder can give it up; then anyone may take it at once.
    await releaseLease(db, 'work', 'a');
    expect(await takeLease(db, 'work', 'a', later(90_002), 60_000)).toBe(false);
    await releaseLease(db, 'work', 'b');
    expect(await takeLease(db, 'work', 'a', later(90_003), 60_000)).toBe(true);
    // Another lease's name is another lease.
    expect(await takeLease(db, 'other', 'b', later(90_004), 60_000)).toBe(true);
  });

  it('gives a free lease to exactly one of several instances asking at once', async () => {
    const db = t().db.kysely;
    const now = new Date('2026-12-02T10:00:00.000Z');
    const holders = ['p', 'q', 'r', 's', 't', 'u'];
    const taken = await Promise.all(holders.map((h) => takeLease(db, 'race', h, now, 60_000)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const row = await db
      .selectFrom('leases')
      .select('holder')
      .where('name', '=', 'race')
      .executeTakeFirstOrThrow();
    expect(row.holder).toBe(holders[taken.indexOf(true)]);
  });

  it('runs the pass in the instance holding the lease and skips it in the others', async () => {
    const clock = new TestClock('2026-12-03T09:00:00.000Z');
    const ctx = await seededContext(t(), clock);
    const log = recordingLog();
    expect(await maintenancePass(ctx, log, 'first')).toBe(true);
    expect(await maintenancePass(ctx, log, 'second')).toBe(false);
    clock.advance(PASS_LEASE_MS - 1);
    expect(await maintenancePass(ctx, log, 'first')).toBe(true);
    // The first instance stops renewing: the second takes over once the lease runs out.
    clock.advance(PASS_LEASE_MS);
    expect(await maintenancePass(ctx, log, 'second')).toBe(true);
    expect(await maintenancePass(ctx, log, 'first')).toBe(false);
    // A failed step logs a warning: none did.
    expect(log.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });
});
