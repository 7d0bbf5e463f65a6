import { CompiledQuery, sql } from 'kysely';
import type { Db } from '../db/client';
import { PRICE_INDEX_MIN_QUOTES, type PriceIndex, priceIndexOfCounts } from '../domain/estimate';
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

/** Where a request's quotes count: its one framework, its variant ('' for none), its size band. */
export interface StoredSegment {
  framework: string;
  variant: string;
  sizeBand: SizeBand;
}

/**
 * A quote counts towards a segment only when its request asked for one framework alone: a
 * quote covering SOC 2 and ISO 42001 together says nothing about the price of either.
 * Null when the request's quotes count nowhere.
 */
export function priceSegmentOf(scopeJson: string): StoredSegment | null {
  let scope: StoredScope;
  try {
    scope = JSON.parse(scopeJson) as StoredScope;
  } catch {
    return null;
  }
  const frameworks = Array.isArray(scope?.frameworks) ? scope.frameworks : [];
  const only = frameworks.length === 1 ? frameworks[0] : undefined;
  if (typeof only?.framework !== 'string' || typeof scope.headcount !== 'number') return null;
  const stored = only.variant ?? '';
  // A variant that is not a word (never stored by the app) still counts for its framework as a
  // whole, under a key no reader can ask for.
  const variant = typeof stored === 'string' ? stored : `?${JSON.stringify(stored)}`;
  return { framework: only.framework, variant, sizeBand: sizeBandFor(scope.headcount) };
}

/**
 * Reads the segment's counts from price_index_totals and adds the quotes the background job has
 * not folded yet (ADR 0028), in one statement so a fold in between is seen whole or not at all.
 * A segment without a variant takes every variant of its framework.
 */
export async function priceIndexFor(db: Db, segment: PriceSegment): Promise<PriceIndexReading> {
  const band = sizeBandFor(segment.headcount);
  const variant = segment.framework === 'soc2' ? (segment.variant ?? null) : null;
  // Each pending quote's scope by its request's key: a join let PostgreSQL scan every request.
  // On SQLite each set is read through its partial index by name: the planner trusts statistics
  // taken while most quotes were still unfolded (after migration 009, or before a backfill) and
  // then scanned every quote for each estimate page (75 ms at 237,000 quotes) until the next
  // ANALYZE. The job keeps both sets small, so the index is the right path whatever they say.
  const pending = (delta: number, index: string, predicate: ReturnType<typeof sql>) =>
    sql`select q.total_usd as total, ${sql.lit(delta)} as delta,
        coalesce((select r.scope from quote_requests r where r.id = q.request_id), '') as scope
      from quotes q ${db.dialect === 'sqlite' ? sql`indexed by ${sql.id(index)}` : sql``}
      where ${predicate}`;
  const statement = sql<{ total: number | string; delta: number | string; scope: string | null }>`
    select total_usd as total, quotes as delta, null as scope from price_index_totals
      where framework = ${segment.framework} and size_band = ${band}
      ${variant === null ? sql`` : sql`and variant = ${variant}`}
    union all ${pending(1, 'quotes_price_uncounted', sql`q.price_counted = 0 and q.status <> 'withdrawn'`)}
    union all ${pending(-1, 'quotes_price_uncount', sql`q.price_counted = 1 and q.status = 'withdrawn'`)}`;
  // PostgreSQL prices a partial index by its predicate's selectivity taken column by column
  // (one quote in eight withdrawn, nearly all counted: 140,000 of 1.2 million), not by the index's
  // own size, so it scanned every quote (0.6–1 s) for sets the job keeps empty. Sequential scans
  // are priced out for this one statement, the counterpart of SQLite's `indexed by` above.
  const rows =
    db.dialect === 'postgres'
      ? await db.kysely.transaction().execute(async (trx) => {
          await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
          return statement.execute(trx);
        })
      : await statement.execute(db.kysely);
  const counts = new Map<number, number>();
  for (const row of rows.rows) {
    if (row.scope !== null) {
      const s = priceSegmentOf(row.scope);
      if (!s || s.framework !== segment.framework || s.sizeBand !== band) continue;
      if (variant !== null && s.variant !== variant) continue;
    }
    const total = Number(row.total);
    counts.set(total, (counts.get(total) ?? 0) + Number(row.delta));
  }
  return {
    segment: { framework: segment.framework, variant, sizeBand: band },
    index: priceIndexOfCounts(counts),
    minimumQuotes: PRICE_INDEX_MIN_QUOTES,
  };
}
