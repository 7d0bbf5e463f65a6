import { sql, type Kysely } from 'kysely';
import { dropIndexes } from './create-index';

/**
 * The console home counts messages still waiting after a failed attempt. With a backlog (a mail
 * provider down, or 87,000 messages queued at once after a catch-up) the count read every
 * waiting message through the `(status, next_attempt_at)` index: 38–163 ms on each visit. The
 * failing ones alone, in a partial index, are few.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbox_failing')
    .on('outbox')
    .column('id')
    .where(sql.ref('status'), '=', 'pending')
    .where(sql.ref('attempts'), '>', 0)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(db, ['outbox_failing']);
}
