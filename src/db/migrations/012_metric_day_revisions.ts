import { sql, type Kysely } from 'kysely';

/**
 * Each rollup row of a metrics day counts how often it was written. Instances keep the parsed
 * first-response samples of closed days (a quarter of a year of them took 90 ms to parse on each
 * visit to the metrics page at a million requests a year) and know by the revision whether the
 * job wrote the row again; the time it was computed is not enough, as two passes can run in the
 * same millisecond (and under the tests' frozen clock, at the same instant).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table metric_days add column revision integer not null default 0`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table metric_days drop column revision`.execute(db);
}
