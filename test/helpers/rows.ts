import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../src/db/schema';

/** The tables whose rows are found by an `id` column. */
type TableWithId = {
  [T in keyof Database]: Database[T] extends { id: unknown } ? T : never;
}[keyof Database];

/**
 * One stored row, found by its id: what a test reads back after an action went through a door.
 * Throws when there is no such row.
 */
export async function storedRow<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  id: string,
): Promise<Selectable<Database[T]>> {
  // Kysely cannot follow a table chosen by a type parameter; the signature keeps callers typed.
  const untyped = db as unknown as Kysely<Record<string, { id: string }>>;
  const row = await untyped
    .selectFrom(table as string)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row as unknown as Selectable<Database[T]>;
}

/** The active firm first by slug: a listed firm a test can suspend, view or sign in for. */
export function firstActiveFirm(db: Kysely<Database>): Promise<{ id: string; slug: string }> {
  return db
    .selectFrom('firms')
    .select(['id', 'slug'])
    .where('status', '=', 'active')
    .orderBy('slug')
    .executeTakeFirstOrThrow();
}
