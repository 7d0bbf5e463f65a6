import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Takes or renews the named lease for `holder` until `now + forMs`, when it is free, has run
 * out, or is already this holder's. One statement, so two instances asking at once cannot both
 * get it: the insert or the conditional update wins for one, and the other gets no row back.
 */
export async function takeLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
  now: Date,
  forMs: number,
): Promise<boolean> {
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + forMs).toISOString();
  const taken = await db
    .insertInto('leases')
    .values({ name, holder, expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expiresAt })
        .where((eb) => eb.or([eb('leases.expiresAt', '<=', at), eb('leases.holder', '=', holder)])),
    )
    .returning('name')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Gives the lease up at once (an instance shutting down), so another need not wait it out. */
export async function releaseLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
