import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import type { SessionUser } from '../../src/services/auth';
import type { Availability } from '../../src/services/calls';

/**
 * Firm users as the services see them. Tests that act for a firm through the services pass one
 * of these; tests that go through HTTP sign one in (`signedInFirmUser` in `app.ts`).
 */

/** A firm user as the services see one signed in (no stored row, no session); owner unless told. */
export function firmActor(
  firmId: string,
  fields: Partial<Pick<SessionUser, 'id' | 'email' | 'name' | 'firmRole'>> = {},
): SessionUser {
  return {
    id: fields.id ?? `user-of-${firmId}`,
    email: fields.email ?? 'o@firm.example',
    name: fields.name ?? null,
    role: 'firm',
    firmId,
    firmRole: fields.firmRole ?? 'owner',
    sessionHash: '',
  };
}

/** Stores a user row for `user`, created at `createdAt`. */
export async function insertUser(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'id' | 'email' | 'name' | 'role' | 'firmId' | 'firmRole'>,
  createdAt: Date,
): Promise<void> {
  const { id, email, name, role, firmId, firmRole } = user;
  await db
    .insertInto('users')
    .values({
      id,
      email,
      name,
      role,
      firmId,
      firmRole,
      createdAt: createdAt.toISOString(),
      disabledAt: null,
    })
    .execute();
}

/**
 * A stored firm user named "Owner" (owner unless told, a fresh address unless given), as the
 * services see it signed in.
 */
export async function storedFirmUser(
  ctx: { db: { kysely: Kysely<Database> }; now: () => Date },
  firmId: string,
  fields: Partial<Pick<SessionUser, 'email' | 'firmRole'>> = {},
): Promise<SessionUser> {
  const id = randomUUID();
  const user = firmActor(firmId, {
    id,
    email: fields.email ?? `owner-${id.slice(0, 8)}@firm.example`,
    name: 'Owner',
    ...(fields.firmRole ? { firmRole: fields.firmRole } : {}),
  });
  await insertUser(ctx.db.kysely, user, ctx.now());
  return user;
}

/** Call times most tests publish for a firm: weekdays 9:00 to 17:00 in New York. */
export const OFFICE_HOURS: Availability = {
  timeZone: 'America/New_York',
  windows: [1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    startMinute: 9 * 60,
    endMinute: 17 * 60,
  })),
};
