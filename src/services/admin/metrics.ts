import { lastWeeks, type OperatorMetrics, operatorMetricsFromDays } from '../../domain/metrics';
import type { ServiceContext } from '../context';
import { metricDays } from '../rollups';

/** Weeks the console shows by default; the page can ask for 4 to 52. */
export const DEFAULT_METRIC_WEEKS = 12;

/**
 * Reads the period's daily facts (counts and first-response samples: nothing about who) from
 * the daily rollups, today and days not rolled up from the rows (ADR 0028), and hands them to
 * the pure computations in domain/metrics.
 */
export async function loadOperatorMetrics(
  ctx: ServiceContext,
  weeks: number,
): Promise<OperatorMetrics> {
  const now = ctx.now();
  const since = lastWeeks(now, weeks)[0]!;
  const db = ctx.db.kysely;
  // This instance's preview counts are written first, so the page shows them at once.
  await ctx.demand.flush(db);
  const [days, demand] = await Promise.all([
    metricDays(db, since, now),
    db
      .selectFrom('demandCounts')
      .select(['framework', 'region', 'kind', 'count'])
      .where('day', '>=', since)
      .execute(),
  ]);
  return operatorMetricsFromDays(
    days,
    demand.map((d) => ({ ...d, count: Number(d.count) })),
    now,
    weeks,
  );
}
