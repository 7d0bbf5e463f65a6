import { type Kysely, sql } from 'kysely';
import { createIndex } from './create-index';

/**
 * Quotes first, then one short call:
 * - `briefs.quote_by`: accepting commits the firm to quote by this time; `briefs.shared_at`: the
 *   buyer chose to share its details with this firm before any call;
 * - `quotes`: lines may be ranges (in the line items' JSON); year-one and full-cycle sums kept
 *   apart, and what the call could change;
 * - `brief_messages`: the questions and answers between a firm and the buyer, per brief;
 * - `firms.time_zone` and `firm_availability`: the weekly windows a firm takes calls in;
 * - `calls`: the one short call, offered by the buyer or picked from the firm's slots, booked,
 *   rescheduled (sequence) or cancelled. One live call per brief, enforced by the database.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('briefs').addColumn('quote_by', 'text').execute();
  await db.schema.alterTable('briefs').addColumn('shared_at', 'text').execute();

  await db.schema
    .alterTable('quotes')
    .addColumn('call_could_change', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('quotes').addColumn('year_one_min_usd', 'integer').execute();
  await db.schema.alterTable('quotes').addColumn('year_one_max_usd', 'integer').execute();
  await db.schema.alterTable('quotes').addColumn('full_cycle_min_usd', 'integer').execute();
  await db.schema.alterTable('quotes').addColumn('full_cycle_max_usd', 'integer').execute();

  await db.schema
    .createTable('brief_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brief_id', 'text', (c) => c.notNull().references('briefs.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) =>
      c.notNull().references('quote_requests.id').onDelete('cascade'),
    )
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('shared_from', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A thread is read in order, per brief; the buyer's page reads all its threads by request.
  await createIndex(db, 'brief_messages_brief', 'brief_messages', ['brief_id', 'created_at']);
  await createIndex(db, 'brief_messages_request', 'brief_messages', ['request_id', 'created_at']);

  await db.schema
    .alterTable('firms')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();
  await db.schema
    .createTable('firm_availability')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('firm_id', 'text', (c) => c.notNull().references('firms.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('start_minute', 'integer', (c) => c.notNull())
    .addColumn('end_minute', 'integer', (c) => c.notNull())
    .execute();
  await createIndex(db, 'firm_availability_firm', 'firm_availability', ['firm_id']);

  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brief_id', 'text', (c) => c.notNull().references('briefs.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) =>
      c.notNull().references('quote_requests.id').onDelete('cascade'),
    )
    .addColumn('firm_id', 'text', (c) => c.notNull().references('firms.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('offered_slots', 'text')
    .addColumn('buyer_time_zone', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema
    .createIndex('calls_one_live_per_brief')
    .on('calls')
    .column('brief_id')
    .unique()
    .where(sql<boolean>`status <> 'cancelled'`)
    .execute();
  // Overlap checks read a buyer's (request's) and a firm's booked calls by time.
  await createIndex(db, 'calls_request', 'calls', ['request_id', 'starts_at']);
  await createIndex(db, 'calls_firm', 'calls', ['firm_id', 'starts_at']);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calls').execute();
  await db.schema.dropTable('firm_availability').execute();
  await db.schema.alterTable('firms').dropColumn('time_zone').execute();
  await db.schema.dropTable('brief_messages').execute();
  for (const column of [
    'full_cycle_max_usd',
    'full_cycle_min_usd',
    'year_one_max_usd',
    'year_one_min_usd',
    'call_could_change',
  ]) {
    await db.schema.alterTable('quotes').dropColumn(column).execute();
  }
  await db.schema.alterTable('briefs').dropColumn('shared_at').execute();
  await db.schema.alterTable('briefs').dropColumn('quote_by').execute();
}
