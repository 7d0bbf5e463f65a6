import { type Kysely, sql } from 'kysely';
import { createIndex, dropIndexes, dropTables } from './create-index';
import { requiredColumns } from './required-columns';

/**
 * Rollups for the operator's overview pages and the public price index (ADR 0028), so those
 * reads cost a row per day or per price instead of a row per request, brief or quote.
 *
 * - `metric_days`: one row per closed UTC day with what the metrics page and the console home
 *   count for it (requests submitted and confirmed, confirmed with three proposals, briefs
 *   decided and accepted by their answer's day) and the first-response samples anchored on it.
 *   Written by the background job once a day is over; today is always read live.
 * - `metric_days_dirty`: closed days a later write changed (a brief answered, expired or
 *   withdrawn, a brief or proposal added to an older request), with the request and what it
 *   added to the day before. The writer marks them in its own transaction; readers correct the
 *   day's row by those requests until the job has rolled the day up again.
 * - `price_index_totals`: how many live quotes of each segment (framework, the request's
 *   variant or '', size band) stand at each total. `quotes.price_counted` says whether a quote
 *   is counted there; the job folds quotes whose liveness and flag differ, in batches.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await requiredColumns(
    db.schema.createTable('metric_days').addColumn('day', 'text', (c) => c.primaryKey()),
    {
      submitted: 'integer',
      confirmed: 'integer',
      matched: 'integer',
      decided: 'integer',
      accepted: 'integer',
      // JSON: [[the previous week a request's briefs were sent in, or null; hours], ...]
      first_responses: 'text',
      computed_at: 'text',
    },
  ).execute();
  await requiredColumns(db.schema.createTable('metric_days_dirty'), {
    day: 'text',
    request_id: 'text',
    // JSON: what the request added to the day's row before its first change since the roll-up.
    before: 'text',
    marked_at: 'text',
  })
    .addPrimaryKeyConstraint('metric_days_dirty_pk', ['day', 'request_id'])
    .execute();
  await requiredColumns(db.schema.createTable('price_index_totals'), {
    framework: 'text',
    variant: 'text',
    size_band: 'text',
    total_usd: 'integer',
    quotes: 'integer',
  })
    .addPrimaryKeyConstraint('price_index_totals_pk', [
      'framework',
      'variant',
      'size_band',
      'total_usd',
    ])
    .execute();
  await db.schema
    .alterTable('quotes')
    .addColumn('price_counted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Quotes the price index has yet to fold: live and not counted, or counted and since withdrawn.
  // Partial, so they hold only the few quotes changed since the last pass (after the first one);
  // without them each pass and each read of the index would scan every quote.
  await db.schema
    .createIndex('quotes_price_uncounted')
    .on('quotes')
    .column('id')
    .where(sql<boolean>`price_counted = 0 and status <> 'withdrawn'`)
    .execute();
  await db.schema
    .createIndex('quotes_price_uncount')
    .on('quotes')
    .column('id')
    .where(sql<boolean>`price_counted = 1 and status = 'withdrawn'`)
    .execute();

  // Computing one day (by the job, or live for today) reads a day's range of each timestamp.
  // Before: no index led with created_at (only a partial one), sent_at or responded_at, so each
  // day computed read every request or every brief.
  await createIndex(db, 'quote_requests_created', 'quote_requests', ['created_at']);
  await createIndex(db, 'briefs_sent', 'briefs', ['sent_at']);
  await createIndex(db, 'briefs_responded', 'briefs', ['responded_at']);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(db, [
    'briefs_responded',
    'briefs_sent',
    'quote_requests_created',
    'quotes_price_uncount',
    'quotes_price_uncounted',
  ]);
  await db.schema.alterTable('quotes').dropColumn('price_counted').execute();
  await dropTables(db, ['price_index_totals', 'metric_days_dirty', 'metric_days']);
}
