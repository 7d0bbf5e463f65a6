import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m001 from './migrations/001_initial';
import * as m002 from './migrations/002_firm_workspace';
import * as m003 from './migrations/003_operator';
import * as m004 from './migrations/004_lifecycle';
import * as m005 from './migrations/005_quotes_first';
import * as m007 from './migrations/007_scale_indexes';
import * as m008 from './migrations/008_website_changes';
import * as m009 from './migrations/009_rollups';
import * as m010 from './migrations/010_console_order';
import * as m011 from './migrations/011_leases';
import * as m012 from './migrations/012_metric_day_revisions';
import * as m013 from './migrations/013_briefs_quote_due';
import * as m014 from './migrations/014_briefs_introduced';
import * as m015 from './migrations/015_request_proposed_top';
import * as m016 from './migrations/016_outbox_failing';
import * as m017 from './migrations/017_metric_days_provisional';
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
  '010_console_order': m010,
  '011_leases': m011,
  '012_metric_day_revisions': m012,
  '013_briefs_quote_due': m013,
  '014_briefs_introduced': m014,
  '015_request_proposed_top': m015,
  '016_outbox_failing': m016,
  '017_metric_days_provisional': m017,
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
    if (attempt < 5 && results === undefined && catalogChangedUnderfoot(error)) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Before migrating, the migrator looks for its table by listing the tables and columns of every
 * schema in the database. Another user of the same database changing its own schema during that
 * read (tests give each file its own schema, migrate it down and up, and drop it afterwards) can
 * fail the read: the schema, table or column it was listing is gone (`invalid_schema_name`,
 * `undefined_table`, `undefined_column`). `results` is undefined only when the error came before
 * any migration ran, so nothing was written and the read is simply made again.
 */
const CATALOG_RACE_CODES = new Set(['3F000', '42P01', '42703']);

function catalogChangedUnderfoot(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CATALOG_RACE_CODES.has(code);
}
