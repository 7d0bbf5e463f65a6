import { type Kysely, sql } from 'kysely';
import { createIndex } from './create-index';

/**
 * The request-and-brief lifecycle, completed:
 * - `quote_requests.idempotency_key`: the request form's key, so Back + submit, double clicks and
 *   retries store one request (unique; null for requests from before it existed);
 * - `request_links`: the buyer's private-page links, several per request, so sending a link
 *   again (after a lost email, a duplicate request) never breaks the one the buyer holds;
 * - `briefs.withdrawn_reason` / `withdrawn_note` and `quotes.withdrawn_reason`: why a brief or
 *   quote stopped, for the firm, the buyer and the operator;
 * - an index for "this buyer's open requests" (every choice re-checks them).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('quote_requests').addColumn('idempotency_key', 'text').execute();
  await db.schema
    .createIndex('quote_requests_idempotency_key')
    .on('quote_requests')
    .column('idempotency_key')
    .unique()
    .execute();
  await createIndex(db, 'quote_requests_buyer_open', 'quote_requests', ['email_hash', 'status']);
  await db.schema
    .createTable('request_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) =>
      c.notNull().references('quote_requests.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await createIndex(db, 'request_links_request', 'request_links', ['request_id']);
  await sql`insert into request_links (token_hash, request_id, created_at)
    select access_token_hash, id, coalesce(confirmed_at, created_at) from quote_requests
    where access_token_hash is not null`.execute(db);
  await db.schema.alterTable('briefs').addColumn('withdrawn_reason', 'text').execute();
  await db.schema.alterTable('briefs').addColumn('withdrawn_note', 'text').execute();
  await db.schema.alterTable('quotes').addColumn('withdrawn_reason', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('quotes').dropColumn('withdrawn_reason').execute();
  await db.schema.alterTable('briefs').dropColumn('withdrawn_note').execute();
  await db.schema.alterTable('briefs').dropColumn('withdrawn_reason').execute();
  await db.schema.dropTable('request_links').execute();
  await db.schema.dropIndex('quote_requests_buyer_open').execute();
  await db.schema.dropIndex('quote_requests_idempotency_key').execute();
  await db.schema.alterTable('quote_requests').dropColumn('idempotency_key').execute();
}
