import type { Kysely } from 'kysely';

/**
 * A plain index on columns of one table, the statement every migration writes most often.
 * Migrations already applied call it too, so what it emits must never change: a different
 * kind of index is written out where it is made.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function createIndex(db: Kysely<any>, name: string, table: string, columns: string[]) {
  await db.schema.createIndex(name).on(table).columns(columns).execute();
}
