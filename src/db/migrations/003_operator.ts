import type { Kysely } from 'kysely';
import { createIndex, dropIndexes } from './create-index';

/**
 * The operator console's reads: reviews by firm, the audit log by action, the verification
 * queue, open complaints, briefs by answer time (accept rate, review invitations) and requests
 * by confirmation time (metrics). Indexes only: the tables of 001 already hold every fact.
 */
const INDEXES: [name: string, table: string, columns: string[]][] = [
  ['reviews_firm', 'reviews', ['firm_id', 'created_at']],
  ['audit_log_action', 'audit_log', ['action', 'at']],
  ['credentials_verification', 'credentials', ['verification', 'valid_to']],
  ['complaints_status', 'complaints', ['status', 'created_at']],
  ['briefs_status_responded', 'briefs', ['status', 'responded_at']],
  ['quote_requests_confirmed', 'quote_requests', ['confirmed_at']],
];

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await createIndex(db, name, table, columns);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await dropIndexes(
    db,
    [...INDEXES].reverse().map(([name]) => name),
  );
}
