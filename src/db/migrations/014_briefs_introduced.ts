import type { Kysely } from 'kysely';
import { createIndex, dropIndexes } from './create-index';

/**
 * Review invitations go to introductions six weeks old (services/reviews.ts, inviteReviews):
 * each pass reads accepted briefs by the time their buyer's contact was released. Without this
 * index PostgreSQL read every brief for it (2.6 million at a million requests a year, about 2 s
 * a pass); with it, the range of introductions since the last pass.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await createIndex(db, 'briefs_status_introduced', 'briefs', ['status', 'contact_released_at']);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(db, ['briefs_status_introduced']);
}
