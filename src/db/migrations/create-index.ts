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

/** Drops indexes, each only if it is there: what a migration's `down` undoes, newest first. */
// biome-ignore lint/suspicious/noExplicitAny: see createIndex
export async function dropIndexes(db: Kysely<any>, names: readonly string[]) {
  for (const name of names) await db.schema.dropIndex(name).ifExists().execute();
}

/** Drops tables, each only if it is there, in the order given (those that refer to others first). */
// biome-ignore lint/suspicious/noExplicitAny: see createIndex
export async function dropTables(db: Kysely<any>, names: readonly string[]) {
  for (const name of names) await db.schema.dropTable(name).ifExists().execute();
}
