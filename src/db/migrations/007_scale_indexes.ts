import { type Kysely, sql } from 'kysely';
import { createIndex, dropIndexes } from './create-index';

/**
 * Indexes for a year of traffic (a million requests, three million briefs, ten million audit
 * entries), each chosen from an EXPLAIN plan over the generated data (`npm run seed:scale`);
 * the plan each one replaces is named beside it. Indexes only: no table changes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  // Lead inbox and leads API page by (sent_at, id) within one firm. Before: briefs_firm_status
  // found all of the firm's briefs (12,000 for the busiest), then sorted them for every page.
  await createIndex(db, 'briefs_firm_sent', 'briefs', ['firm_id', 'sent_at', 'id']);
  // The API filtered by status pages the same way; this index also serves every (firm_id,
  // status) lookup of briefs_firm_status, which it replaces.
  await createIndex(db, 'briefs_firm_status_sent', 'briefs', [
    'firm_id',
    'status',
    'sent_at',
    'id',
  ]);
  await db.schema.dropIndex('briefs_firm_status').execute();

  // The buyer page, the comparison and the price index read a request's quotes. Before: the
  // only index on quotes.request_id was partial (chosen quotes), so PostgreSQL read every quote.
  await createIndex(db, 'quotes_request', 'quotes', ['request_id', 'status']);
  // A firm's live quotes (workspace home). Before: a sequential scan of quotes.
  await createIndex(db, 'quotes_firm', 'quotes', ['firm_id', 'status']);

  // Audit search by action prefix, newest first: a range on action, then id. PostgreSQL builds it
  // with the bytewise "C" collation, so a prefix range matches what SQLite's BINARY order gives.
  // Before: `lower(action) like 'x%'` could use no index and read the log backwards until it
  // found 50 matches (seconds for a rare action among ten million entries).
  if (pg)
    await sql`create index audit_log_action_id on audit_log (action collate "C", id)`.execute(db);
  else await createIndex(db, 'audit_log_action_id', 'audit_log', ['action', 'id']);
  // Audit search by subject id or by actor id, newest first. Before: audit_log_subject leads with
  // subject_kind, so a search by id alone read the whole log; nothing served actor_id.
  await createIndex(db, 'audit_log_subject_id', 'audit_log', ['subject_id', 'id']);
  await createIndex(db, 'audit_log_actor_id', 'audit_log', ['actor_id', 'id']);

  // The unmatched-requests list pages by (confirmed_at, id). Replaces quote_requests_confirmed,
  // whose plan had to sort equal confirmation times by id.
  await createIndex(db, 'quote_requests_confirmed_id', 'quote_requests', ['confirmed_at', 'id']);
  await db.schema.dropIndex('quote_requests_confirmed').execute();

  // Retention purge, every minute: requests still holding a contact, by age and by lapsed
  // confirmation link. Before: a sequential scan of every request each minute. Partial, so the
  // index holds only the requests not yet purged (a year's worth, not every request ever).
  await db.schema
    .createIndex('quote_requests_contact_held')
    .on('quote_requests')
    .column('created_at')
    .where(sql.ref('contact_erased_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('quote_requests_unconfirmed_held')
    .on('quote_requests')
    .column('confirm_expires_at')
    .where(sql<boolean>`contact_erased_at is null and confirmed_at is null`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await createIndex(db, 'quote_requests_confirmed', 'quote_requests', ['confirmed_at']);
  await createIndex(db, 'briefs_firm_status', 'briefs', ['firm_id', 'status']);
  await dropIndexes(db, [
    'quote_requests_unconfirmed_held',
    'quote_requests_contact_held',
    'quote_requests_confirmed_id',
    'audit_log_actor_id',
    'audit_log_subject_id',
    'audit_log_action_id',
    'quotes_firm',
    'quotes_request',
    'briefs_firm_status_sent',
    'briefs_firm_sent',
  ]);
}
