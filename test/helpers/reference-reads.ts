import type { Kysely } from 'kysely';
import type { Db } from '../../src/db/client';
import type { Database } from '../../src/db/schema';
import { type PriceIndex, PRICE_INDEX_MIN_QUOTES } from '../../src/domain/estimate';
import { lastWeeks, type OperatorMetrics, operatorMetrics } from '../../src/domain/metrics';
import { sizeBandFor } from '../../src/domain/vocabulary';
import type { PriceIndexReading, PriceSegment } from '../../src/services/price-index';

/**
 * The three overview reads as they were computed before the rollups (ADR 0028), straight from
 * every row of their period: the reference the rollup-backed services must equal.
 */

export async function operatorMetricsFromRows(
  db: Kysely<Database>,
  now: Date,
  weeks: number,
): Promise<OperatorMetrics> {
  return (await operatorMetricsByPeriod(db, now, [weeks])).get(weeks)!;
}

/**
 * The figures of several periods from one read of the longest period's rows: the domain keeps
 * only the requests and briefs of each period's weeks, and demand is cut to each period here,
 * so each period's figures are those of a read of its own rows.
 */
export async function operatorMetricsByPeriod(
  db: Kysely<Database>,
  now: Date,
  periods: readonly number[],
): Promise<Map<number, OperatorMetrics>> {
  const startOf = (weeks: number) => lastWeeks(now, weeks)[0]!;
  const since = `${startOf(Math.max(...periods))}T00:00:00.000Z`;
  const [submitted, confirmed, briefs, demand] = await Promise.all([
    db.selectFrom('quoteRequests').select('createdAt').where('createdAt', '>=', since).execute(),
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
      .where('quoteRequests.confirmedAt', '>=', since)
      .execute(),
    db
      .selectFrom('briefs')
      .select(['requestId', 'status', 'sentAt', 'respondedAt'])
      .where((eb) => eb.or([eb('sentAt', '>=', since), eb('respondedAt', '>=', since)]))
      .execute(),
    db
      .selectFrom('demandCounts')
      .select(['day', 'framework', 'region', 'kind', 'count'])
      .where('day', '>=', since.slice(0, 10))
      .execute(),
  ]);
  const facts = {
    submitted: submitted.map((r) => r.createdAt),
    confirmed: confirmed.map((r) => ({
      confirmedAt: r.confirmedAt ?? '',
      proposedCount: Number(r.proposedCount ?? 0),
    })),
    briefs,
  };
  return new Map(
    periods.map((weeks) => [
      weeks,
      operatorMetrics(
        {
          ...facts,
          demand: demand
            .filter((d) => d.day >= startOf(weeks))
            .map(({ framework, region, kind, count }) => ({
              framework,
              region,
              kind,
              count: Number(count),
            })),
        },
        now,
        weeks,
      ),
    ]),
  );
}

/** The console home's "unmatched in the last 30 days": a correlated count per confirmed request. */
export async function unmatchedFromRows(db: Kysely<Database>, now: Date): Promise<number> {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const row = await db
    .selectFrom('quoteRequests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('confirmedAt', '>=', monthAgo)
    .where((eb) =>
      eb(
        eb
          .selectFrom('proposals')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('proposals.requestId', '=', 'quoteRequests.id')
          .where('proposals.rank', '<=', 3),
        '<',
        3,
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface StoredScope {
  frameworks?: { framework?: unknown; variant?: unknown }[];
  headcount?: unknown;
}

function inSegment(scopeJson: string, framework: string, variant: string | null, band: string) {
  let scope: StoredScope;
  try {
    scope = JSON.parse(scopeJson) as StoredScope;
  } catch {
    return false;
  }
  const frameworks = Array.isArray(scope.frameworks) ? scope.frameworks : [];
  if (frameworks.length !== 1 || frameworks[0]?.framework !== framework) return false;
  if (variant !== null && (frameworks[0]?.variant ?? null) !== variant) return false;
  return typeof scope.headcount === 'number' && sizeBandFor(scope.headcount) === band;
}

/**
 * The price index as it was read before the rollups: from every live quote, each request's scope
 * parsed. Reads the quotes once; the function it returns gives the index of any segment.
 */
export async function priceIndexReader(
  db: Db,
): Promise<(segment: PriceSegment) => PriceIndexReading> {
  const rows = await db.kysely
    .selectFrom('quotes')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'quotes.requestId')
    .select(['quotes.totalUsd as totalUsd', 'quoteRequests.scope as scope'])
    .where('quotes.status', '!=', 'withdrawn')
    .execute();
  return (segment) => {
    const band = sizeBandFor(segment.headcount);
    const variant = segment.framework === 'soc2' ? (segment.variant ?? null) : null;
    const totals = rows
      .filter((r) => inSegment(r.scope, segment.framework, variant, band))
      .map((r) => Number(r.totalUsd));
    return {
      segment: { framework: segment.framework, variant, sizeBand: band },
      index: priceIndexOfList(totals),
      minimumQuotes: PRICE_INDEX_MIN_QUOTES,
    };
  };
}

/** The index over a list of quotes, sorted and interpolated as the estimator first did. */
export function priceIndexOfList(quotes: readonly number[]): PriceIndex | null {
  const clean = quotes.filter((q) => Number.isFinite(q) && q > 0).sort((a, b) => a - b);
  if (clean.length < PRICE_INDEX_MIN_QUOTES) return null;
  const quantile = (p: number) => {
    const pos = (clean.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return clean[lo]! + (clean[hi]! - clean[lo]!) * (pos - lo);
  };
  return { median: quantile(0.5), p25: quantile(0.25), p75: quantile(0.75), count: clean.length };
}
