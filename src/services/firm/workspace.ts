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

export async function workspaceSummary(ctx: ServiceContext, user: SessionUser): Promise<WorkspaceSummary> {
  const firmId = firmIdOf(user);
  const db = ctx.db.kysely;
  const today = isoDay(ctx.now());
  const [firm, briefs, quoted, credentials, services] = await Promise.all([
    db.selectFrom('firms').select(['name', 'slug', 'status', 'statusReason']).where('id', '=', firmId).executeTakeFirstOrThrow(),
    db.selectFrom('briefs').select(['id', 'status', 'respondBy']).where('firmId', '=', firmId).where('status', 'in', ['sent', 'accepted']).execute(),
    db.selectFrom('quotes').select('briefId').where('firmId', '=', firmId).where('status', '!=', 'withdrawn').execute(),
    db.selectFrom('credentials').select(['verification', 'validFrom', 'validTo']).where('firmId', '=', firmId).execute(),
    db.selectFrom('firmServices').select(['paused']).where('firmId', '=', firmId).execute(),
  ]);
  const waiting = briefs.filter((b) => b.status === 'sent').sort((a, b) => a.respondBy.localeCompare(b.respondBy));
  const quotedBriefs = new Set(quoted.map((q) => q.briefId));
  const states = credentials.map((c) => credentialState(c, today));
  return {
    firm,
    awaitingAnswer: waiting.length,
    nextDeadline: waiting[0]?.respondBy ?? null,
    acceptedWithoutQuote: briefs.filter((b) => b.status === 'accepted' && !quotedBriefs.has(b.id)).length,
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
export async function firmHeader(ctx: ServiceContext, user: SessionUser): Promise<{ name: string; slug: string; firmType: string; status: string }> {
  const firmId = firmIdOf(user);
  return ctx.db.kysely.selectFrom('firms').select(['name', 'slug', 'firmType', 'status']).where('id', '=', firmId).executeTakeFirstOrThrow();
}
