import type { Kysely } from 'kysely';
import { createIndex, dropIndexes } from './create-index';

/**
 * The maintenance pass looks every minute for accepted briefs whose quote deadline passed
 * within a request's lifetime (services/briefs.ts, lapseUnquotedBriefs). Without this index both
 * engines read every accepted brief by status (222,000 at 200,000 requests, a second a pass on
 * SQLite); with it they read the deadlines of the last sixty days as a range.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await createIndex(db, 'briefs_status_quote_by', 'briefs', ['status', 'quote_by']);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(db, ['briefs_status_quote_by']);
}
