import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema';
import type { ServiceContext } from '../context';
import { EXPIRING_WITHIN_DAYS } from './credentials';
import { isUnmatched } from './requests';
import { pendingWebsiteChangeCount } from './website-changes';
import { DAY_MS, isoDay } from '../../domain/matching/dates';
import { unmatchedOnClosedDays } from '../rollups';

/** The console's front page: what waits for the operator, each count linking to its queue. */
export interface ConsoleSummary {
  pendingCredentials: number;
  expiringCredentials: number;
  pendingFirms: number;
  suspendedFirms: number;
  pendingWebsiteChanges: number;
  unmatchedLast30Days: number;
  openComplaints: number;
  deadLetters: number;
  failingMessages: number;
  hiddenReviews: number;
  reviewsLast30Days: number;
}

export async function consoleSummary(ctx: ServiceContext): Promise<ConsoleSummary> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const today = isoDay(now);
  const horizon = new Date(now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const monthAgo = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  /** How many rows the query finds. */
  const n = async <TB extends keyof Database>(query: SelectQueryBuilder<Database, TB, object>) =>
    Number(
      (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
  const [
    pendingCredentials,
    expiringCredentials,
    pendingFirms,
    suspendedFirms,
    pendingWebsiteChanges,
    unmatched,
    openComplaints,
    deadLetters,
    failingMessages,
    hiddenReviews,
    recentReviews,
  ] = await Promise.all([
    n(db.selectFrom('credentials').where('verification', '=', 'pending')),
    n(
      db
        .selectFrom('credentials')
        .where('verification', '=', 'verified')
        .where('validTo', '>=', today)
        .where('validTo', '<=', horizon),
    ),
    n(db.selectFrom('firms').where('status', '=', 'pending')),
    n(db.selectFrom('firms').where('status', '=', 'suspended')),
    pendingWebsiteChangeCount(ctx),
    unmatchedSince(ctx, monthAgo),
    n(db.selectFrom('complaints').where('status', '=', 'open')),
    n(db.selectFrom('outbox').where('status', '=', 'dead')),
    n(db.selectFrom('outbox').where('status', '=', 'pending').where('attempts', '>', 0)),
    n(db.selectFrom('reviews').where('hiddenAt', 'is not', null)),
    n(db.selectFrom('reviews').where('createdAt', '>=', monthAgo)),
  ]);
  return {
    pendingCredentials,
    expiringCredentials,
    pendingFirms,
    suspendedFirms,
    pendingWebsiteChanges,
    unmatchedLast30Days: unmatched,
    openComplaints,
    deadLetters,
    failingMessages,
    hiddenReviews,
    reviewsLast30Days: recentReviews,
  };
}

/**
 * Requests confirmed since `since` whose match proposed fewer than three firms: the whole days
 * after it up to yesterday from the daily rollups' counts (ADR 0028); the rest of its own day and
 * today counted from the rows. Counting only these, not computing today's every figure as the
 * metrics page does, keeps this page fast on a busy day (150 ms at 5,000 requests briefed today).
 */
async function unmatchedSince(ctx: ServiceContext, since: string): Promise<number> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const firstWholeDay = isoDay(Date.parse(since) + DAY_MS);
  const unmatchedBetween = (from: string, to: string) =>
    db
      .selectFrom('quoteRequests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('confirmedAt', '>=', from)
      .where('confirmedAt', '<', to)
      .where(isUnmatched)
      .executeTakeFirstOrThrow();
  const [days, partial, today] = await Promise.all([
    unmatchedOnClosedDays(db, firstWholeDay, now),
    unmatchedBetween(since, `${firstWholeDay}T00:00:00.000Z`),
    unmatchedBetween(`${isoDay(now)}T00:00:00.000Z`, '9999'),
  ]);
  return Number(partial.n) + Number(today.n) + days;
}
