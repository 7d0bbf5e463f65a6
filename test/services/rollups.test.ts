import { beforeAll, describe, expect, it } from 'vitest';
import { generateScaleData } from '../../bench/lib/scale';
import { isoDay } from '../../src/domain/matching/dates';
import { expireBriefs, respondToBrief, sendBriefs } from '../../src/services/briefs';
import { withdrawRequest } from '../../src/services/buyer';
import { consoleSummary } from '../../src/services/admin/console';
import { loadOperatorMetrics } from '../../src/services/admin/metrics';
import type { ServiceContext } from '../../src/services/context';
import { submitQuote } from '../../src/services/firm/quotes';
import { priceIndexFor, priceSegmentOf } from '../../src/services/price-index';
import { foldPriceIndex, refreshMetricDays, refreshRollups } from '../../src/services/rollups';
import { describeEachEngine } from '../helpers/databases';
import {
  operatorMetricsByPeriod,
  operatorMetricsFromRows,
  priceIndexReader,
  unmatchedFromRows,
} from '../helpers/reference-reads';
import {
  briefsOf,
  buyerEmail,
  confirmedRequest,
  DAY_MS,
  resetCapacity,
  SOC2_SCOPE,
  scopeWith,
  serviceContext,
  seededContext,
  TestClock,
} from '../helpers/requests';
import { firmActor } from '../helpers/users';

const PERIODS = [4, 12, 26, 52] as const;
const HEADCOUNTS = [5, 30, 100, 500, 5000];

/** Every figure the three pages show, read through the rollups and straight from the rows. */
async function expectSameAsRows(ctx: ServiceContext) {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const fromRows = await operatorMetricsByPeriod(db, now, PERIODS);
  for (const weeks of PERIODS) {
    expect(await loadOperatorMetrics(ctx, weeks), `metrics, ${weeks} weeks`).toEqual(
      fromRows.get(weeks),
    );
  }
  expect((await consoleSummary(ctx)).unmatchedLast30Days).toBe(await unmatchedFromRows(db, now));
  // Every segment a quote counts in, with and without its variant, at every size band.
  const scopes = await db
    .selectFrom('quotes')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'quotes.requestId')
    .select('quoteRequests.scope')
    .distinct()
    .execute();
  const segments = new Map<string, { framework: string; variant?: string }>();
  for (const { scope } of scopes) {
    const s = priceSegmentOf(scope);
    if (!s) continue;
    segments.set(s.framework, { framework: s.framework });
    if (s.variant) segments.set(`${s.framework}/${s.variant}`, s);
  }
  let shown = 0;
  const indexFromRows = await priceIndexReader(ctx.db);
  for (const segment of segments.values()) {
    for (const headcount of HEADCOUNTS) {
      const reading = await priceIndexFor(ctx.db, { ...segment, headcount });
      expect(reading, `${JSON.stringify(segment)} at ${headcount}`).toEqual(
        indexFromRows({ ...segment, headcount }),
      );
      if (reading.index) shown++;
    }
  }
  return { segments: segments.size, shown };
}

async function refreshAll(ctx: ServiceContext) {
  while ((await refreshMetricDays(ctx, 1000)) > 0);
  await foldPriceIndex(ctx, 50, 1000);
}

async function shiftSubmitted(ctx: ServiceContext, day: string, by: number) {
  await ctx.db.kysely
    .updateTable('metricDays')
    .set((eb) => ({ submitted: eb('submitted', '+', by) }))
    .where('day', '=', day)
    .execute();
}

const submittedIn4Weeks = async (ctx: ServiceContext) =>
  (await loadOperatorMetrics(ctx, 4)).requestsPerWeek.reduce((n, w) => n + w.submitted, 0);

const count = async (ctx: ServiceContext, table: 'metricDays' | 'metricDaysDirty') =>
  Number(
    (
      await ctx.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEachEngine('rollups behind the overview pages', (t) => {
  describe('over four months of generated traffic', () => {
    const clock = new TestClock('2026-11-30T09:00:00.000Z');
    let ctx: ServiceContext;

    beforeAll(async () => {
      ctx = serviceContext(t(), clock);
      await generateScaleData(t().db, ctx.secrets, {
        firms: 30,
        requests: 400,
        days: 120,
        now: clock.now(),
      });
    });

    it('read the same figures before the job ran, after it, and after later writes to closed days', async () => {
      // Nothing rolled up yet: every day is read from the rows.
      const before = await expectSameAsRows(ctx);
      expect(before.shown).toBeGreaterThan(0);

      await refreshAll(ctx);
      // Every settled day of the horizon is rolled up once; every live quote is counted.
      expect(await count(ctx, 'metricDays')).toBe(53 * 7 + 1);
      expect(await refreshMetricDays(ctx)).toBe(0);
      const uncounted = await ctx.db.kysely
        .selectFrom('quotes')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('priceCounted', '=', 0), eb('status', '!=', 'withdrawn')]),
            eb.and([eb('priceCounted', '=', 1), eb('status', '=', 'withdrawn')]),
          ]),
        )
        .execute();
      expect(uncounted).toEqual([]);
      await expectSameAsRows(ctx);

      // The pages read the rollups: a closed day's row is what the week shows.
      const day = isoDay(clock.now().getTime() - 10 * DAY_MS);
      await ctx.db.kysely
        .updateTable('metricDays')
        .set((eb) => ({ submitted: eb('submitted', '+', 1000) }))
        .where('day', '=', day)
        .execute();
      const tampered = await loadOperatorMetrics(ctx, 4);
      const reference = await operatorMetricsFromRows(ctx.db.kysely, clock.now(), 4);
      expect(tampered.requestsPerWeek.reduce((n, w) => n + w.submitted, 0)).toBe(
        reference.requestsPerWeek.reduce((n, w) => n + w.submitted, 0) + 1000,
      );
      // The console's count too, from the rows' counts alone while no day is marked.
      await ctx.db.kysely
        .updateTable('metricDays')
        .set((eb) => ({ confirmed: eb('confirmed', '+', 1000) }))
        .where('day', '=', day)
        .execute();
      expect((await consoleSummary(ctx)).unmatchedLast30Days).toBe(
        (await unmatchedFromRows(ctx.db.kysely, clock.now())) + 1000,
      );
      await ctx.db.kysely
        .updateTable('metricDays')
        .set((eb) => ({
          submitted: eb('submitted', '-', 1000),
          confirmed: eb('confirmed', '-', 1000),
        }))
        .where('day', '=', day)
        .execute();

      // Later writes to closed days: briefs long past their window expire (answered today,
      // sent days ago), and buyers withdraw open requests, withdrawing accepted briefs (answered
      // on closed days) and their live quotes.
      clock.advance(2 * DAY_MS);
      const expired = await expireBriefs(ctx);
      const open = await ctx.db.kysely
        .selectFrom('quoteRequests')
        .innerJoin('briefs', 'briefs.requestId', 'quoteRequests.id')
        .innerJoin('quotes', 'quotes.briefId', 'briefs.id')
        .select('quoteRequests.id')
        .distinct()
        .where('quoteRequests.status', 'in', ['confirmed', 'active'])
        .where('quoteRequests.expiresAt', '>', clock.now().toISOString())
        .where('quoteRequests.companyEnc', 'is not', null)
        .where('quoteRequests.contactEmailEnc', 'is not', null)
        .where('briefs.status', '=', 'accepted')
        .where('quotes.status', '!=', 'withdrawn')
        .orderBy('quoteRequests.id')
        .limit(5)
        .execute();
      expect(expired + open.length).toBeGreaterThan(0);
      for (const r of open) await withdrawRequest(ctx, r.id);
      expect(await count(ctx, 'metricDaysDirty')).toBeGreaterThan(0);
      // Dirty days are read from the rows until the job rolls them up again.
      await expectSameAsRows(ctx);
      await refreshRollups(ctx);
      await refreshAll(ctx);
      expect(await count(ctx, 'metricDaysDirty')).toBe(0);
      await expectSameAsRows(ctx);
    });
  });

  describe('over days of traffic through the services', () => {
    // After the generated months above, on the same database: their figures stay in the periods.
    const clock = new TestClock('2026-12-07T09:00:00.000Z');
    let ctx: ServiceContext;
    const fee = (n: number) => 20_000 + ((n * 7919) % 40) * 500;
    let quotes = 0;

    async function quote(briefId: string, firmId: string) {
      const framework = (
        await ctx.db.kysely
          .selectFrom('briefs')
          .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
          .select('quoteRequests.scope')
          .where('briefs.id', '=', briefId)
          .executeTakeFirstOrThrow()
      ).scope;
      expect(framework).toContain('soc2');
      await submitQuote(ctx, firmActor(firmId, { email: 'team@firm.example' }), briefId, {
        lineItems: [{ framework: 'soc2', phase: 'type2', feeUsd: fee(quotes++) }],
        startDate: '2027-01-15',
        reportDate: '2027-08-31',
        assumptions: 'One product.',
        validUntil: '2027-06-30',
      } as never);
    }

    /** One day's traffic: requests confirmed, briefs sent, answered either way or left, quotes. */
    async function day(n: number) {
      await resetCapacity(ctx);
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        const scope =
          i === 2
            ? scopeWith({ headcount: 400 })
            : i === 1
              ? scopeWith({ headcount: 40 })
              : SOC2_SCOPE;
        const r = await confirmedRequest(ctx, { email: buyerEmail(`d${n}-${i}`), scope });
        made.push(r.id);
        if (r.proposed.length === 0) continue;
        await sendBriefs(ctx, r.id, r.proposed);
        clock.advance(((n + i) % 5) * 3_600_000 + 60_000);
        const briefs = await briefsOf(ctx, r.id);
        for (const [k, b] of briefs.entries()) {
          if (k === 2) continue; // left open: answered on a later day, or expired
          const action = k === 0 || (n + i) % 3 === 0 ? 'accept' : 'decline';
          await respondToBrief(
            ctx,
            b.id,
            action === 'accept' ? { action } : { action, reason: 'no-capacity' },
            { kind: 'brief-link' },
          );
          if (action === 'accept') await quote(b.id, b.firmId);
        }
      }
      return made;
    }

    beforeAll(async () => {
      ctx = await seededContext(t(), clock);
    });

    it('stay equal to the rows as days close, are rolled up, and change again', async () => {
      const byDay: string[][] = [];
      for (let n = 0; n < 6; n++) {
        byDay.push(await day(n));
        clock.advance(DAY_MS);
        await expectSameAsRows(ctx);
        if (n % 2 === 1) {
          await refreshRollups(ctx);
          await expectSameAsRows(ctx);
        }
      }
      await refreshAll(ctx);
      expect(await count(ctx, 'metricDays')).toBeGreaterThan(6);
      const segments = await expectSameAsRows(ctx);
      expect(segments.shown).toBeGreaterThan(0);

      // A brief sent three days ago, still open, is answered today: its sent day moves
      // (first responses) though its answer lands today.
      const [openBrief] = (await Promise.all(byDay[3]!.map((id) => briefsOf(ctx, id))))
        .flat()
        .filter((b) => b.status === 'sent');
      expect(openBrief).toBeDefined();
      await respondToBrief(ctx, openBrief!.id, { action: 'accept' }, { kind: 'brief-link' });
      const sentDay = isoDay(Date.parse(openBrief!.sentAt));
      const dirty = await ctx.db.kysely.selectFrom('metricDaysDirty').select('day').execute();
      expect(dirty.map((d) => d.day)).toContain(sentDay);
      await expectSameAsRows(ctx);
      // The marked day is read from its row, corrected by the marked request, not from its rows.
      await shiftSubmitted(ctx, sentDay, 1000);
      expect(await submittedIn4Weeks(ctx)).toBe(
        (await operatorMetricsFromRows(ctx.db.kysely, clock.now(), 4)).requestsPerWeek.reduce(
          (n, w) => n + w.submitted,
          0,
        ) + 1000,
      );
      await shiftSubmitted(ctx, sentDay, -1000);

      // A firm replaces its quote (the old one withdrawn, a new total counted); a buyer
      // withdraws a request answered on closed days; the rest of the open briefs expire.
      await quote(openBrief!.id, openBrief!.firmId);
      const again = (await briefsOf(ctx, openBrief!.requestId)).find(
        (b) => b.id === openBrief!.id,
      )!;
      await quote(again.id, again.firmId);
      await withdrawRequest(ctx, byDay[1]![0]!);
      clock.advance(10 * DAY_MS);
      await expireBriefs(ctx);
      await expectSameAsRows(ctx);

      await refreshRollups(ctx);
      expect(await count(ctx, 'metricDaysDirty')).toBe(0);
      await expectSameAsRows(ctx);
    });

    it("read today's first responses from the row the job writes as the day goes, and count the rest from the rows", async () => {
      const today = isoDay(clock.now().getTime() + DAY_MS);
      clock.set(`${today}T01:30:00.000Z`);
      const rowOf = (day: string) =>
        ctx.db.kysely
          .selectFrom('metricDays')
          .select(['provisional', 'firstResponses', 'submitted'])
          .where('day', '=', day)
          .executeTakeFirst();
      await day(20);
      await refreshRollups(ctx);
      expect(Number((await rowOf(today))?.provisional)).toBe(1);
      await expectSameAsRows(ctx);

      // Later the same day: new requests, briefs sent and answered after the row was written.
      await day(21);
      expect(isoDay(clock.now())).toBe(today);
      await expectSameAsRows(ctx);

      // The page reads the row's samples, and not its counts.
      const samples = (await loadOperatorMetrics(ctx, 4)).firstResponseSamples;
      const stored = await rowOf(today);
      await ctx.db.kysely
        .updateTable('metricDays')
        .set((eb) => ({
          firstResponses: JSON.stringify([...JSON.parse(stored!.firstResponses), [null, 1.5]]),
          submitted: eb('submitted', '+', 1000),
          revision: eb('revision', '+', 1),
        }))
        .where('day', '=', today)
        .execute();
      expect((await loadOperatorMetrics(ctx, 4)).firstResponseSamples).toBe(samples + 1);
      expect(await submittedIn4Weeks(ctx)).toBe(
        (await operatorMetricsFromRows(ctx.db.kysely, clock.now(), 4)).requestsPerWeek.reduce(
          (n, w) => n + w.submitted,
          0,
        ),
      );
      await ctx.db.kysely.deleteFrom('metricDays').where('day', '=', today).execute();
      await refreshRollups(ctx);
      await expectSameAsRows(ctx);

      // Past midnight the day's row is still provisional until it settles, then written again.
      await day(22);
      clock.set(`${isoDay(clock.now().getTime() + DAY_MS)}T00:30:00.000Z`);
      await refreshRollups(ctx);
      expect(Number((await rowOf(today))?.provisional)).toBe(1);
      await expectSameAsRows(ctx);
      clock.advance(3_600_000);
      await refreshRollups(ctx);
      expect(Number((await rowOf(today))?.provisional)).toBe(0);
      expect(await count(ctx, 'metricDaysDirty')).toBe(0);
      await expectSameAsRows(ctx);
    });
  });
});
