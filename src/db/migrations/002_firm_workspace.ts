import { type Kysely, sql } from 'kysely';
import { createIndex, dropIndexes } from './create-index';

/**
 * The firm workspace: applications to claim or create a firm profile (kept after the operator's
 * decision, as the record of who vouched for whom), and the rules "one live quote per brief" and
 * "one chosen quote per request" enforced by the database itself. Portable types only (ADR 0004);
 * partial unique indexes exist in SQLite and PostgreSQL alike.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('firm_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null once a rejected applicant's pending account is deleted; the email stays on record.
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('firm_id', 'text', (c) => c.references('firms.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('domain_matches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decision_reason', 'text')
    .execute();
  await createIndex(db, 'firm_applications_status', 'firm_applications', ['status', 'created_at']);

  await db.schema
    .createIndex('quotes_one_live_per_brief')
    .on('quotes')
    .column('brief_id')
    .unique()
    .where(sql<boolean>`status <> 'withdrawn'`)
    .execute();
  await db.schema
    .createIndex('quotes_one_chosen_per_request')
    .on('quotes')
    .column('request_id')
    .unique()
    .where(sql<boolean>`status = 'chosen'`)
    .execute();
  await createIndex(db, 'api_keys_firm', 'api_keys', ['firm_id']);
  await createIndex(db, 'webhook_endpoints_firm', 'webhook_endpoints', ['firm_id']);
  await createIndex(db, 'users_firm', 'users', ['firm_id']);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(db, [
    'users_firm',
    'webhook_endpoints_firm',
    'api_keys_firm',
    'quotes_one_chosen_per_request',
    'quotes_one_live_per_brief',
  ]);
  await db.schema.dropTable('firm_applications').ifExists().execute();
}
