import { credentialState } from '../../domain/firm';
import type { SessionUser } from '../auth';
import type { ServiceContext } from '../context';
import { firmIdOf } from './profile';
import { isoDay } from '../../domain/matching/dates';

/** The workspace's front page: what needs the firm's attention. */
export interface WorkspaceSummary {
  firm: { name: string; slug: string; status: string; statusReason: string | null };
  awaitingAnswer: number;
  nextDeadline: string | null;
  acceptedWithoutQuote: number;
  credentials: { pending: number; expired: number; verified: number };
  pausedServices: number;
  servicesCount: number;
}

export async function workspaceSummary(
  ctx: ServiceContext,
  user: SessionUser,
): Promise<WorkspaceSummary> {
  const firmId = firmIdOf(user);
  const db = ctx.db.kysely;
  const today = isoDay(ctx.now());
  // Counted in the database: a busy firm holds thousands of accepted briefs and quotes, which
  // this page once read whole to count a handful.
  const [firm, waiting, unquoted, credentials, services] = await Promise.all([
    db
      .selectFrom('firms')
      .select(['name', 'slug', 'status', 'statusReason'])
      .where('id', '=', firmId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('briefs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('respondBy').as('next')])
      .where('firmId', '=', firmId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow(),
    // Accepted briefs less live quotes: a live quote always belongs to an accepted brief (a brief
    // that ends withdraws its quote), and each brief has at most one. Two counts on the (firm,
    // status) indexes; checking each accepted brief for a quote probed 11,000 rows for a busy firm.
    db
      .selectFrom('briefs')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb
          .selectFrom('quotes')
          .select(eb.fn.countAll<number>().as('quoted'))
          .where('quotes.firmId', '=', firmId)
          .where('quotes.status', '!=', 'withdrawn')
          .as('quoted'),
      ])
      .where('firmId', '=', firmId)
      .where('status', '=', 'accepted')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('credentials')
      .select(['verification', 'validFrom', 'validTo'])
      .where('firmId', '=', firmId)
      .execute(),
    db.selectFrom('firmServices').select(['paused']).where('firmId', '=', firmId).execute(),
  ]);
  const states = credentials.map((c) => credentialState(c, today));
  return {
    firm,
    awaitingAnswer: Number(waiting.n),
    nextDeadline: waiting.next ?? null,
    acceptedWithoutQuote: Number(unquoted.n) - Number(unquoted.quoted ?? 0),
    credentials: {
      pending: states.filter((s) => s === 'pending').length,
      expired: states.filter((s) => s === 'expired' || s === 'revoked').length,
      verified: states.filter((s) => s === 'verified').length,
    },
    pausedServices: services.filter((s) => s.paused === 1).length,
    servicesCount: services.length,
  };
}

/** The few facts every workspace page shows about the user's firm. */
export async function firmHeader(
  ctx: ServiceContext,
  user: SessionUser,
): Promise<{ name: string; slug: string; firmType: string; status: string }> {
  const firmId = firmIdOf(user);
  return ctx.db.kysely
    .selectFrom('firms')
    .select(['name', 'slug', 'firmType', 'status'])
    .where('id', '=', firmId)
    .executeTakeFirstOrThrow();
}
