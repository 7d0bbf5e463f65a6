import type { Db } from '../db/client';
import { PRICE_INDEX_MIN_QUOTES, type PriceIndex, priceIndex } from '../domain/estimate';
import { type SizeBand, sizeBandFor } from '../domain/vocabulary';

/**
 * The public price index (journey 6): real quotes submitted in the platform, aggregated per
 * segment and shown only once the segment holds at least PRICE_INDEX_MIN_QUOTES of them, so
 * no single firm's price can be read back out of it.
 */

export interface PriceSegment {
  framework: string;
  /** SOC 2 only: a Type I and a Type II are priced differently, so they never share a segment. */
  variant?: string;
  headcount: number;
}

export interface PriceIndexReading {
  segment: { framework: string; variant: string | null; sizeBand: SizeBand };
  /** Null until the segment has enough quotes. */
  index: PriceIndex | null;
  minimumQuotes: number;
}

interface StoredScope {
  frameworks?: { framework?: unknown; variant?: unknown }[];
  headcount?: unknown;
}

/**
 * A quote counts towards a segment only when its request asked for this one framework alone:
 * a quote covering SOC 2 and ISO 42001 together says nothing about the price of either.
 */
function inSegment(
  scopeJson: string,
  framework: string,
  variant: string | null,
  band: SizeBand,
): boolean {
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

export async function priceIndexFor(db: Db, segment: PriceSegment): Promise<PriceIndexReading> {
  const band = sizeBandFor(segment.headcount);
  const variant = segment.framework === 'soc2' ? (segment.variant ?? null) : null;
  const rows = await db.kysely
    .selectFrom('quotes')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'quotes.requestId')
    .select(['quotes.totalUsd as totalUsd', 'quoteRequests.scope as scope'])
    .where('quotes.status', '!=', 'withdrawn')
    // A cheap pre-filter; the JSON is read properly below.
    .where('quoteRequests.scope', 'like', `%"${segment.framework}"%`)
    .execute();
  const totals = rows
    .filter((r) => inSegment(r.scope, segment.framework, variant, band))
    .map((r) => Number(r.totalUsd));
  return {
    segment: { framework: segment.framework, variant, sizeBand: band },
    index: priceIndex(totals),
    minimumQuotes: PRICE_INDEX_MIN_QUOTES,
  };
}
