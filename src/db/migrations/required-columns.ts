import type { CreateTableBuilder } from 'kysely';

/**
 * Adds plain required columns to a table being created, in the order given: most columns of
 * the later tables are `not null` text or integers with nothing else to say. Migrations already
 * applied call it, so what it emits must never change.
 */
export function requiredColumns(
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
  table: CreateTableBuilder<any, any>,
  columns: Record<string, 'text' | 'integer'>,
  // biome-ignore lint/suspicious/noExplicitAny: see above
): CreateTableBuilder<any, any> {
  let built = table;
  for (const [name, type] of Object.entries(columns)) {
    built = built.addColumn(name, type, (c) => c.notNull());
  }
  return built;
}
