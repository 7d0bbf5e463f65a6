import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export type DemandKind = 'preview' | 'request' | 'confirmed';

/** Anonymous demand: what was asked for, where, and how often — never by whom. */
export async function countDemand(
  db: Kysely<Database>,
  day: string,
  kind: DemandKind,
  frameworks: readonly string[],
  region: string,
  by = 1,
): Promise<void> {
  // Rows are upserted in one fixed order, so two transactions counting the same frameworks
  // listed in a different order queue behind each other instead of deadlocking (PostgreSQL).
  for (const framework of [...new Set(frameworks)].sort()) {
    await db
      .insertInto('demandCounts')
      .values({ day, framework, region, kind, count: by })
      .onConflict((oc) =>
        oc
          .columns(['day', 'framework', 'region', 'kind'])
          .doUpdateSet({ count: sql`demand_counts.count + ${by}` }),
      )
      .execute();
  }
}

/**
 * Preview counts kept in memory and written every few seconds (docs/decisions/0009-fast-public-pages.md): a preview
 * is anonymous and the busiest page, and two upserts per view were most of its database work.
 * A crash loses at most one interval of these counts, never a request or its own counts, which
 * are written in the request's transaction.
 */
export class DemandTally {
  private pending = new Map<string, number>();

  add(day: string, frameworks: readonly string[], region: string): void {
    for (const framework of new Set(frameworks)) {
      const key = `${day}\u0000${framework}\u0000${region}`;
      this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes what has been counted since the last flush in one transaction; kept for the next try if it fails. */
  async flush(db: Kysely<Database>): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await db.transaction().execute(async (trx) => {
        for (const [key, count] of [...batch].sort(([a], [b]) => (a < b ? -1 : 1))) {
          const [day, framework, region] = key.split('\u0000') as [string, string, string];
          await countDemand(trx, day, 'preview', [framework], region, count);
        }
      });
    } catch (error) {
      for (const [key, count] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + count);
      throw error;
    }
  }
}
