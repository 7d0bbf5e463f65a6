import type { Actor } from '../../domain/lifecycle/decisions';
import type { SessionUser } from '../auth';
import { type ServiceContext, ServiceError } from '../context';

/**
 * Who acts for a firm on a lead: a signed-in member of its workspace, its API key, or — for a
 * firm that is not yet a user — the signed link its brief email carried, bound to that one brief.
 * Every firm-side service takes one of these and checks the brief belongs to it.
 */
export type FirmActor =
  | { kind: 'firm-user'; id: string; firmId: string }
  | { kind: 'api-key'; id: string; firmId: string }
  | { kind: 'brief-link'; briefId: string; firmId: string };

export type FirmWho = FirmActor | SessionUser;

export function firmActor(who: FirmWho): FirmActor {
  if ('kind' in who) return who;
  if (who.role !== 'firm' || !who.firmId)
    throw new ServiceError(403, 'Only a firm user can do this.');
  return { kind: 'firm-user', id: who.id, firmId: who.firmId };
}

/** Refuses a brief that is not this actor's (another firm's, or another brief than the link's). */
export function assertOwnBrief(
  actor: FirmActor,
  brief: { id: string; firmId: string } | undefined,
): asserts brief {
  if (
    !brief ||
    brief.firmId !== actor.firmId ||
    (actor.kind === 'brief-link' && actor.briefId !== brief.id)
  ) {
    throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
  }
}

/** The brief a firm acts on, read by its id; refused when it is not this actor's. */
export async function ownBrief(ctx: ServiceContext, actor: FirmActor, briefId: string) {
  const brief = await ctx.db.kysely
    .selectFrom('briefs')
    .select(['id', 'requestId', 'firmId'])
    .where('id', '=', briefId)
    .executeTakeFirst();
  assertOwnBrief(actor, brief);
  return brief;
}

/** The actor as the lifecycle and the audit log name it. */
export function lifecycleActor(actor: FirmActor): Actor {
  return actor.kind === 'brief-link' ? { kind: 'brief-link' } : { kind: actor.kind, id: actor.id };
}
