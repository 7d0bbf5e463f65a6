import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m001 from './migrations/001_initial';
import * as m002 from './migrations/002_firm_workspace';
import * as m003 from './migrations/003_operator';
import * as m004 from './migrations/004_lifecycle';
import * as m005 from './migrations/005_quotes_first';
import * as m007 from './migrations/007_scale_indexes';
import * as m008 from './migrations/008_website_changes';
import * as m009 from './migrations/009_rollups';
import type { Database } from './schema';

/** Migrations are listed here rather than read from disk, so they work the same from source and bundles. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_firm_workspace': m002,
  '003_operator': m003,
  '004_lifecycle': m004,
  '005_quotes_first': m005,
  '007_scale_indexes': m007,
  '008_website_changes': m008,
  '009_rollups': m009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `schema` names the PostgreSQL schema when the connection works in one other than public
 * (tests give each file its own); Kysely looks for its bookkeeping tables there.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error)
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt < 5 && schemaVanished(error)) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Before migrating, the migrator looks for its table by listing the tables of every schema in the
 * database. A schema another user of the same database drops during that read (tests give each
 * file its own schema and drop it afterwards) fails the read with `invalid_schema_name`; nothing
 * was written, and the next read no longer sees that schema.
 */
function schemaVanished(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '3F000';
}
