import type { Kysely } from 'kysely';

/**
 * Leases: a named piece of work one instance holds until a time, so the once-a-minute
 * maintenance pass runs in one instance, not in every one (ADR 0030). A holder renews its lease
 * each pass; when it stops, another instance takes the lease once it has run out.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute();
}
