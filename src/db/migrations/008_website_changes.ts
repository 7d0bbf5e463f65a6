import type { Kysely } from 'kysely';

/**
 * `firm_website_changes`: a website an approved firm asked for, waiting for the operator. The
 * website is what the operator judged the firm's sign-in addresses against, and what the public
 * profile links to, so a change after approval waits here rather than going live (ADR 0017).
 * One row per firm at most (unique `firm_id`): a second request replaces the first, with a new
 * id, so a decision taken on the old row cannot apply the new one. The row is deleted when the
 * operator decides; the audit log keeps the history.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('firm_website_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('firm_id', 'text', (c) =>
      c.notNull().unique().references('firms.id').onDelete('cascade'),
    )
    // Null when the firm asks to show no website at all.
    .addColumn('website', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute();
  // The queue lists the oldest request first.
  await db.schema
    .createIndex('firm_website_changes_requested')
    .on('firm_website_changes')
    .columns(['requested_at', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('firm_website_changes').ifExists().execute();
}
