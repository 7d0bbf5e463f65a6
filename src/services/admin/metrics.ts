import { lastWeeks, type OperatorMetrics, operatorMetrics } from '../../domain/metrics';
import type { ServiceContext } from '../context';

/** Weeks the console shows by default; the page can ask for 4 to 52. */
export const DEFAULT_METRIC_WEEKS = 12;

/**
 * Loads the period's facts (timestamps, statuses, counts: nothing about who) and hands them to
 * the pure computations in domain/metrics.
 */
export async function loadOperatorMetrics(
  ctx: ServiceContext,
  weeks: number,
): Promise<OperatorMetrics> {
  const now = ctx.now();
  const since = `${lastWeeks(now, weeks)[0]}T00:00:00.000Z`;
  const db = ctx.db.kysely;
  // This instance's preview counts are written first, so the page shows them at once.
  await ctx.demand.flush(db);
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
      .select(['framework', 'region', 'kind', 'count'])
      .where('day', '>=', since.slice(0, 10))
      .execute(),
  ]);
  return operatorMetrics(
    {
      submitted: submitted.map((r) => r.createdAt),
      confirmed: confirmed.map((r) => ({
        confirmedAt: r.confirmedAt ?? '',
        proposedCount: Number(r.proposedCount ?? 0),
      })),
      briefs,
      demand: demand.map((d) => ({ ...d, count: Number(d.count) })),
    },
    now,
    weeks,
  );
}
