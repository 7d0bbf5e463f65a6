import { CompiledQuery, createQueryId, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { credentialQueue } from '../../src/services/admin/credentials';
import { firmList } from '../../src/services/admin/firms';
import { encodeCursor } from '../../src/services/paging';
import { priceIndexFor } from '../../src/services/price-index';
import { describeEachEngine } from '../helpers/databases';
import { seededContext, TestClock } from '../helpers/requests';

/**
 * Plans the results cannot show: a query that lost its index still answers right, only slowly
 * at a million rows. Each test reads the plan of every statement a service runs.
 */

/**
 * The plan of every statement `run` makes through the database it is handed. On PostgreSQL
 * sorting is made as dear as it can be, so the planner takes an index that gives the order
 * whenever one does, even on a table this small.
 */
async function planOf(
  db: Db,
  run: (db: Db) => Promise<unknown>,
): Promise<{ sql: string; plan: string }[]> {
  const captured: CompiledQuery[] = [];
  const executor = db.kysely.getExecutor();
  const kysely = db.kysely.withPlugin({
    transformQuery: ({ node }) => {
      captured.push(executor.compileQuery(node, createQueryId()));
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  await run({ ...db, kysely });
  const postgres = db.dialect === 'postgres';
  return db.kysely.transaction().execute(async (trx) => {
    if (postgres) await sql`set local enable_sort = off`.execute(trx);
    const plans = [];
    for (const query of captured) {
      const explain = postgres ? 'explain' : 'explain query plan';
      const { rows } = await trx.executeQuery(
        CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]),
      );
      plans.push({ sql: query.sql, plan: JSON.stringify(rows) });
    }
    return plans;
  });
}

describeEachEngine('query plans', (t) => {
  // The order's expression is written twice, in the list's query and in its index (migration
  // 010): if they drift apart, every page sorts the whole table again.
  it('reads every page of the console firm list and credential queue from its order index, on any filter', async () => {
    const ctx = await seededContext(t(), new TestClock('2026-11-30T09:00:00.000Z'));
    const plans = await planOf(ctx.db, async (db) => {
      const c = { ...ctx, db };
      for (const status of [undefined, 'active'] as const) {
        await firmList(c, { status });
        await firmList(c, { status, cursor: encodeCursor('firms', [2, 'M', 'x']) });
      }
      for (const filter of ['all', 'pending', 'expiring'] as const) {
        await credentialQueue(c, filter);
        await credentialQueue(c, filter, encodeCursor('credentials', ['1', 'x']));
      }
    });
    const lists = plans.filter((p) => /order by/i.test(p.sql) && /limit/i.test(p.sql));
    expect(lists).toHaveLength(10);
    for (const { sql, plan } of lists)
      expect(plan, sql).toMatch(/firms_console_order|credentials_queue_order/);
    for (const { plan } of lists) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort\b/);
  });

  it('reads the quotes the price index has not folded through their partial indexes, even on statistics taken before a fold', async () => {
    const ctx = await seededContext(t(), new TestClock('2026-11-30T09:00:00.000Z'));
    if (ctx.db.dialect === 'sqlite') {
      // Statistics as ANALYZE leaves them while every quote still waits to be folded: the
      // partial index as large as the table. The planner then preferred to scan every quote.
      await sql`analyze`.execute(ctx.db.kysely);
      await sql`delete from sqlite_stat1 where tbl = 'quotes'`.execute(ctx.db.kysely);
      await sql`insert into sqlite_stat1 (tbl, idx, stat) values
        ('quotes', 'quotes_price_uncounted', '1000000 1'),
        ('quotes', 'quotes_price_uncount', '10 1'),
        ('quotes', 'quotes_request', '1000000 3 1')`.execute(ctx.db.kysely);
      await sql`analyze sqlite_schema`.execute(ctx.db.kysely);
    }
    const plans = await planOf(ctx.db, (db) =>
      priceIndexFor(db, { framework: 'soc2', variant: 'type2', headcount: 50 }),
    );
    expect(plans).toHaveLength(1);
    const plan = plans[0]!.plan;
    if (ctx.db.dialect === 'sqlite') {
      expect(plan).toContain('quotes_price_uncounted');
      expect(plan).toContain('quotes_price_uncount');
      expect(plan).not.toMatch(/"SCAN q"/);
    } else expect(plan).not.toMatch(/Seq Scan on quotes/);
  });
});
