import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { isoDay } from '../domain/matching/dates';
import { type DayFacts, dayFacts } from '../domain/metrics';
import type { ServiceContext } from './context';
import { priceSegmentOf } from './price-index';

/**
 * Rollups behind the operator's overview pages and the public price index (ADR 0028).
 *
 * Metrics: one `metric_days` row per closed UTC day, written by the background job once the day
 * has settled and read instead of the day's rows. A write that changes an older day (a brief
 * answered, expired or withdrawn, a brief or proposal added to an older request) marks it in
 * `metric_days_dirty` in its own transaction; readers compute dirty, missing and current days
 * from the rows, so what they show never depends on when the job last ran.
 *
 * Price index: `price_index_totals` counts live quotes per segment and total. The job folds
 * quotes whose liveness differs from their `price_counted` flag; readers add those few quotes
 * to the counts in the same statement.
 */

const DAY_MS = 86_400_000;

/**
 * A day is rolled up only once it ended this long ago: a write stamped just before midnight
 * has committed by then, so a day rolled up never misses a row.
 */
export const SETTLE_MS = 3_600_000;

/** Days the job keeps rolled up: the longest period the metrics page offers (52 weeks), and the week it starts in. */
export const ROLLUP_HORIZON_DAYS = 53 * 7;

const nextDay = (day: string): string => isoDay(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS);

/** Every day from `from` up to, not including, `to`. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d < to; d = nextDay(d)) days.push(d);
  return days;
}

const startOf = (day: string) => `${day}T00:00:00.000Z`;

/**
 * The facts of the days from `from` up to `to` (exclusive), from the rows: the requests created
 * and confirmed in the range, the briefs answered in it, and every brief of the requests that
 * had one sent in it. Costs the range's traffic.
 */
export async function computeDays(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<DayFacts[]> {
  const [lo, hi] = [startOf(from), startOf(to)];
  const [submitted, confirmed, answered, sent] = await Promise.all([
    db
      .selectFrom('quoteRequests')
      .select('createdAt')
      .where('createdAt', '>=', lo)
      .where('createdAt', '<', hi)
      .execute(),
    db
      .selectFrom('quoteRequests')
      .select((eb) => [
        'quoteRequests.confirmedAt',
        eb
          .selectFrom('proposals')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('proposals.requestId', '=', 'quoteRequests.id')
          .where('proposals.rank', '<=', 3)
          .as('proposedCount'),
      ])
      .where('quoteRequests.confirmedAt', '>=', lo)
      .where('quoteRequests.confirmedAt', '<', hi)
      .execute(),
    db
      .selectFrom('briefs')
      .select(['status', 'respondedAt'])
      .where('respondedAt', '>=', lo)
      .where('respondedAt', '<', hi)
      .execute(),
    db
      .selectFrom('briefs')
      .select('requestId')
      .distinct()
      .where('sentAt', '>=', lo)
      .where('sentAt', '<', hi)
      .execute(),
  ]);
  // Then every brief of those requests, by request (an IN over a subquery let PostgreSQL
  // choose a scan of every brief), in chunks that stay within SQLite's bound parameters.
  const ids = sent.map((r) => r.requestId);
  const chunks = Array.from({ length: Math.ceil(ids.length / 1000) }, (_, i) =>
    ids.slice(i * 1000, (i + 1) * 1000),
  );
  const briefs = (
    await Promise.all(
      chunks.map((chunk) =>
        db
          .selectFrom('briefs')
          .select(['requestId', 'status', 'sentAt', 'respondedAt'])
          .where('requestId', 'in', chunk)
          .execute(),
      ),
    )
  ).flat();
  return dayFacts(daysFrom(from, to), {
    submitted: submitted.map((r) => r.createdAt),
    confirmed: confirmed.map((r) => ({
      confirmedAt: r.confirmedAt ?? '',
      proposedCount: Number(r.proposedCount ?? 0),
    })),
    answered,
    briefsOfRequestsSent: briefs,
  });
}

type StoredEntry = [previousWeek: string | null, hours: number];

function storedDay(row: {
  day: string;
  submitted: number;
  confirmed: number;
  matched: number;
  decided: number;
  accepted: number;
  firstResponses: string;
}): DayFacts {
  const entries = JSON.parse(row.firstResponses) as StoredEntry[];
  return {
    day: row.day,
    submitted: Number(row.submitted),
    confirmed: Number(row.confirmed),
    matched: Number(row.matched),
    decided: Number(row.decided),
    accepted: Number(row.accepted),
    firstResponses: entries.map(([previousWeek, hours]) => ({ previousWeek, hours })),
  };
}

/**
 * The facts of every day from `from` to today: closed days from their rollup row, the others
 * (today, days not rolled up yet, days a later write changed) from the rows, each contiguous
 * run of them in one pass.
 */
export async function metricDays(
  db: Kysely<Database>,
  from: string,
  now: Date,
): Promise<DayFacts[]> {
  const today = isoDay(now);
  // One statement, so a day the job rolls up again meanwhile is read either dirty or new.
  const stored = await db
    .selectFrom('metricDays')
    .leftJoin('metricDaysDirty', 'metricDaysDirty.day', 'metricDays.day')
    .select([
      'metricDays.day',
      'metricDays.submitted',
      'metricDays.confirmed',
      'metricDays.matched',
      'metricDays.decided',
      'metricDays.accepted',
      'metricDays.firstResponses',
      'metricDaysDirty.day as dirty',
    ])
    .where('metricDays.day', '>=', from)
    .where('metricDays.day', '<', today)
    .execute();
  const clean = new Map(stored.filter((r) => r.dirty === null).map((r) => [r.day, storedDay(r)]));
  const days = daysFrom(from, nextDay(today));
  const runs: [string, string][] = [];
  for (const day of days) {
    if (clean.has(day)) continue;
    const last = runs.at(-1);
    if (last && last[1] === day) last[1] = nextDay(day);
    else runs.push([day, nextDay(day)]);
  }
  const computed = await Promise.all(runs.map(([a, b]) => computeDays(db, a, b)));
  const live = new Map(computed.flat().map((d) => [d.day, d]));
  return days.map((day) => clean.get(day) ?? live.get(day)!);
}

/**
 * Marks the closed days whose figures a change to this request's briefs or proposals can move:
 * the day it was confirmed (its proposal count), and each day one of its briefs was sent or
 * answered (first responses, accept rate). Called in the transaction that makes the change,
 * before it; today is computed live and needs no mark.
 */
export async function markChangedDays(
  trx: Kysely<Database>,
  request: { id: string; confirmedAt: string | null },
  now: Date,
): Promise<void> {
  const today = isoDay(now);
  const briefs = await trx
    .selectFrom('briefs')
    .select(['sentAt', 'respondedAt'])
    .where('requestId', '=', request.id)
    .execute();
  const days = new Set<string>();
  for (const at of [request.confirmedAt, ...briefs.flatMap((b) => [b.sentAt, b.respondedAt])]) {
    if (at && isoDay(Date.parse(at)) < today) days.add(isoDay(Date.parse(at)));
  }
  if (days.size === 0) return;
  const markedAt = now.toISOString();
  await trx
    .insertInto('metricDaysDirty')
    .values([...days].sort().map((day) => ({ day, markedAt })))
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
}

/**
 * The job's metrics pass: rolls up (again) the settled days within the horizon that are dirty
 * or missing, dirty ones first, then the newest missing ones; at most `limit` days, each in its
 * own short transaction. Returns how many days it wrote.
 */
export async function refreshMetricDays(ctx: ServiceContext, limit = 31): Promise<number> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const settled = isoDay(now.getTime() - SETTLE_MS);
  const oldest = isoDay(now.getTime() - ROLLUP_HORIZON_DAYS * DAY_MS);
  const [dirty, stored] = await Promise.all([
    db
      .selectFrom('metricDaysDirty')
      .select('day')
      .where('day', '<', settled)
      .orderBy('day', 'desc')
      .execute(),
    db.selectFrom('metricDays').select('day').where('day', '>=', oldest).execute(),
  ]);
  const have = new Set(stored.map((r) => r.day));
  const missing = daysFrom(oldest, settled)
    .filter((d) => !have.has(d))
    .reverse();
  const todo = [...new Set([...dirty.map((r) => r.day), ...missing])].slice(0, limit);
  for (const day of todo) {
    await db.transaction().execute(async (trx) => {
      // The mark goes first: a writer marking this day from now on waits for this transaction
      // and its mark stays, so a change this pass does not see is rolled up by the next.
      await trx.deleteFrom('metricDaysDirty').where('day', '=', day).execute();
      const [facts] = await computeDays(trx, day, nextDay(day));
      const row = {
        submitted: facts!.submitted,
        confirmed: facts!.confirmed,
        matched: facts!.matched,
        decided: facts!.decided,
        accepted: facts!.accepted,
        firstResponses: JSON.stringify(
          facts!.firstResponses.map((e): StoredEntry => [e.previousWeek, e.hours]),
        ),
        computedAt: now.toISOString(),
      };
      await trx
        .insertInto('metricDays')
        .values({ day, ...row })
        .onConflict((oc) => oc.column('day').doUpdateSet(row))
        .execute();
    });
  }
  return todo.length;
}

/** Quotes to fold: live but not counted (+1), or counted but since withdrawn (-1). */
const TO_COUNT = sql<boolean>`price_counted = 0 and status <> 'withdrawn'`;
const TO_UNCOUNT = sql<boolean>`price_counted = 1 and status = 'withdrawn'`;

/**
 * The job's price-index pass: folds changed quotes into price_index_totals, `batch` at a time,
 * each batch in its own transaction, until none is left or `maxBatches` ran. A quote's flag
 * moves only if it still differs from its liveness (the update says which moved), so two
 * instances folding at once, or a quote withdrawn meanwhile, never count a quote twice.
 */
export async function foldPriceIndex(
  ctx: ServiceContext,
  batch = 1000,
  maxBatches = 40,
): Promise<number> {
  let folded = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await ctx.db.kysely.transaction().execute(async (trx) => {
      let moved = 0;
      for (const [flag, delta, predicate] of [
        [1, 1, TO_COUNT],
        [0, -1, TO_UNCOUNT],
      ] as const) {
        const candidates = await trx
          .selectFrom('quotes')
          .select('id')
          .where(predicate)
          .limit(batch)
          .execute();
        if (candidates.length === 0) continue;
        const changed = await trx
          .updateTable('quotes')
          .set({ priceCounted: flag })
          .where(
            'id',
            'in',
            candidates.map((c) => c.id),
          )
          .where(predicate)
          .returning(['id', 'requestId', 'totalUsd'])
          .execute();
        moved += changed.length;
        await addToTotals(trx, changed, delta);
      }
      return moved;
    });
    folded += n;
    if (n === 0) break;
  }
  return folded;
}

async function addToTotals(
  trx: Kysely<Database>,
  quotes: readonly { requestId: string; totalUsd: number }[],
  delta: 1 | -1,
): Promise<void> {
  if (quotes.length === 0) return;
  const scopes = await trx
    .selectFrom('quoteRequests')
    .select(['id', 'scope'])
    .where('id', 'in', [...new Set(quotes.map((q) => q.requestId))])
    .execute();
  const scopeOf = new Map(scopes.map((r) => [r.id, r.scope]));
  const sums = new Map<
    string,
    { framework: string; variant: string; sizeBand: string; totalUsd: number; quotes: number }
  >();
  for (const q of quotes) {
    const segment = priceSegmentOf(scopeOf.get(q.requestId) ?? '');
    if (!segment) continue;
    const totalUsd = Number(q.totalUsd);
    const key = JSON.stringify([segment.framework, segment.variant, segment.sizeBand, totalUsd]);
    const sum = sums.get(key) ?? { ...segment, totalUsd, quotes: 0 };
    sum.quotes += delta;
    sums.set(key, sum);
  }
  // In key order, so two instances folding at once take the rows' locks in the same order.
  for (const [, row] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    await trx
      .insertInto('priceIndexTotals')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['framework', 'variant', 'sizeBand', 'totalUsd']).doUpdateSet((eb) => ({
          quotes: eb('priceIndexTotals.quotes', '+', eb.ref('excluded.quotes')),
        })),
      )
      .execute();
  }
}

/** Everything the background job keeps rolled up, once a pass. */
export async function refreshRollups(
  ctx: ServiceContext,
): Promise<{ metricDays: number; quotes: number }> {
  return { metricDays: await refreshMetricDays(ctx), quotes: await foldPriceIndex(ctx) };
}
