import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema';
import { type AuditEntry, audit } from './audit';
import { type ServiceContext, ServiceError } from './context';

/**
 * A decision on one stored thing — the operator's on a queue item, a firm user's on its firm's
 * key, endpoint or review — follows one sequence: load the row (404 when it is gone), check it may
 * still be decided on (409), write the change guarded by the state it was read in (409 when
 * another hand got there first), and audit it as the decider's, all in one transaction.
 */

/** Who decides, as the audit log names them. */
export type Decider = Required<Pick<AuditEntry, 'actorKind' | 'actorId'>>;

/** The operator deciding in the console. */
export const operator = (adminId: string): Decider => ({ actorKind: 'admin', actorId: adminId });

/** What the decision did, for the audit log; `record` adds who did it. */
export type DecisionEntry = Omit<AuditEntry, 'actorKind' | 'actorId'>;

export async function decide<T>(
  ctx: ServiceContext,
  by: Decider,
  step: (
    trx: Kysely<Database>,
    now: Date,
    record: (entry: DecisionEntry) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const now = ctx.now();
  return ctx.db.kysely
    .transaction()
    .execute((trx) => step(trx, now, (entry) => audit(trx, now, { ...by, ...entry })));
}

/** The row a decision is about, or the refusal that it does not exist. */
export function found<T>(row: T | undefined, message: string, field?: string): T {
  if (!row) throw new ServiceError(404, message, field);
  return row;
}

/**
 * A write guarded by the state the row was read in changed nothing: refuse (409 by default: the
 * row moved since it was read; 404 where the guard is the row's existence itself).
 */
export function changed(
  rows: bigint | undefined,
  message: string,
  field?: string,
  status: 404 | 409 | 410 = 409,
): void {
  if (Number(rows ?? 0) === 0) throw new ServiceError(status, message, field);
}

/** The tables whose rows are named by an `id`. */
type TableWithId = {
  [K in keyof Database]: Database[K] extends { id: unknown } ? K : never;
}[keyof Database];

/** The row a decision is about, read by its id, or the refusal that it does not exist. */
export async function rowToDecide<T extends TableWithId>(
  trx: Kysely<Database>,
  table: T,
  id: string,
  missing: string,
  field?: string,
): Promise<Selectable<Database[T]>> {
  const row = await trx
    .selectFrom(table as keyof Database & string)
    .selectAll()
    .where(trx.dynamic.ref('id'), '=', id)
    .executeTakeFirst();
  return found(row as Selectable<Database[T]> | undefined, missing, field);
}

/**
 * A decision form's rule: a written reason of at least 3 characters, except for the one choice
 * that needs none (verifying, approving, restoring). Spread into the schema's `refine`.
 */
export function reasonRequired<C extends string, R extends string>(
  choice: C,
  except: string,
  reason: R,
  message: string,
): [(v: Record<C, string> & Record<R, string>) => boolean, { path: [R]; message: string }] {
  return [(v) => v[choice] === except || v[reason].length >= 3, { path: [reason], message }];
}
