import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

/** Small queries the buyer-journey services share: capacity and the matching rotation. */

/**
 * Takes one engagement from the firm's monthly capacity for a framework. The condition in
 * the UPDATE makes the last slot go to exactly one of any number of racing acceptances; a new
 * month starts the count again. The caller records the live change afterwards.
 */
export async function takeCapacity(
  trx: Kysely<Database>,
  firmId: string,
  framework: string,
  month: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('firmServices')
    .set({
      capacityUsed: sql<number>`case when capacity_month = ${month} then capacity_used + 1 else 1 end`,
      capacityMonth: month,
    })
    .where('firmId', '=', firmId)
    .where('framework', '=', framework)
    .where((eb) =>
      eb.or([eb('capacityMonth', '!=', month), eb('capacityUsed', '<', eb.ref('monthlyCapacity'))]),
    )
    .where('monthlyCapacity', '>', 0)
    .executeTakeFirst();
  // The caller records the live change once, after taking every framework's slot.
  return Number(result.numUpdatedRows) > 0;
}

export async function nextRotation(trx: Kysely<Database>): Promise<number> {
  await trx
    .insertInto('appState')
    .values({ key: 'match_rotation', value: '1' })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: sql`cast(cast(app_state.value as integer) + 1 as text)` }),
    )
    .execute();
  const row = await trx
    .selectFrom('appState')
    .select('value')
    .where('key', '=', 'match_rotation')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function currentRotation(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('appState')
    .select('value')
    .where('key', '=', 'match_rotation')
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}
