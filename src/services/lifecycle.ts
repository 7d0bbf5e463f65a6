import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { firmLead, loadFirms, recordLiveChange } from '../db/firms';
import {
  countProposedFirms,
  lockBuyer,
  lockRequest,
  parseStoredScope,
  type QuoteRequestRow,
  requestState,
} from '../db/requests';
import type { Database } from '../db/schema';
import {
  type Actor,
  type Decision,
  decideWithdraw,
  type Effect,
  type Refusal,
  type RequestState,
} from '../domain/lifecycle/decisions';
import {
  type Door,
  type Standing,
  standingAt,
  unknownFirmStanding,
} from '../domain/lifecycle/standing';
import type { Firm } from '../domain/firm';
import { queueEmail } from '../outbox/queue';
import { type ActorKind, audit } from './audit';
import { addBusinessDays } from './calendar';
import { type ServiceContext, ServiceError } from './context';
import { changed } from './decisions';
import { briefEmail } from './emails';
import { applyCallEffect, tellBuyer, tellFirm } from './notices';
import { briefEvent, briefReceived } from './firm/webhooks';
import type { ScopeInput } from './intake/schemas';
import { toMatchScope } from './intake/scope';
import { takeCapacity } from './intake/store';
import { isoDay } from '../domain/matching/dates';
import { markChangedDays } from './rollups';

/**
 * Applies the lifecycle's decisions (src/domain/lifecycle/decisions.ts) inside the caller's
 * transaction: every status change is conditional on the status it was decided from, so a race
 * lost to another instance is a refusal, never a double move; emails and webhooks go to the
 * outbox with the change, so they exist exactly when it does.
 */

export interface Applying {
  trx: Kysely<Database>;
  ctx: ServiceContext;
  request: QuoteRequestRow;
  scope: ScopeInput;
  now: Date;
  /** Set when an effect changed what the catalog holds (capacity), so the caller refreshes it. */
  catalogChanged?: boolean;
  /**
   * Set while the buyer's contact is being erased: the effects queue nothing addressed to the
   * buyer or naming it (firms hear of the withdrawal and of a cancelled call without it).
   */
  erasing?: boolean;
}

/**
 * Runs one step of the lifecycle on one request: lock it, read its state, decide, apply the
 * effects — all in one transaction. A refusal is raised only after the effects it carries (a
 * brief withdrawn from a firm that lost it) are committed.
 */
export async function onRequest<T>(
  ctx: ServiceContext,
  requestId: string,
  step: (s: {
    trx: Kysely<Database>;
    request: QuoteRequestRow;
    state: RequestState;
    scope: ScopeInput;
    now: Date;
    at: string;
  }) => Promise<{ decision: Decision; result: T }>,
  options: { buyerLock?: boolean } = {},
): Promise<T> {
  const now = ctx.now();
  const at = now.toISOString();
  const applied = await ctx.db.kysely.transaction().execute(async (trx) => {
    if (options.buyerLock) {
      const owner = await trx
        .selectFrom('quoteRequests')
        .select('emailHash')
        .where('id', '=', requestId)
        .executeTakeFirst();
      await lockBuyer(trx, ctx.db.dialect, owner?.emailHash ?? null);
    }
    const request = await lockRequest(trx, ctx.db.dialect, requestId);
    if (!request) throw new ServiceError(404, 'This request does not exist.');
    const scope = scopeOf(request);
    const state = await loadRequestState(trx, request);
    const { decision, result } = await step({ trx, request, state, scope, now, at });
    const applying: Applying = { trx, ctx, request, scope, now };
    await applyEffects(applying, decision.effects);
    return { decision, result, catalogChanged: applying.catalogChanged === true };
  });
  if (applied.catalogChanged) ctx.catalog.invalidate();
  if (!applied.decision.ok) throw refusalError(applied.decision.refusal);
  return applied.result;
}

export function refusalError(refusal: Refusal): ServiceError {
  return new ServiceError(refusal.status, refusal.message, refusal.field);
}

/** The lifecycle's view of one request, read inside the transaction that holds its lock. */
export async function loadRequestState(
  trx: Kysely<Database>,
  request: QuoteRequestRow,
): Promise<RequestState> {
  return requestState(trx, request);
}

/**
 * Every firm on the request is stopped and the request closes, for a reason that is not the
 * buyer's choice: a newer request replaces it, or its data is erased.
 */
export async function decideWithdrawEverything(
  trx: Kysely<Database>,
  request: QuoteRequestRow,
  reason: 'request-replaced' | 'request-deleted',
  at: string,
): Promise<Decision> {
  return decideWithdraw({
    request: await loadRequestState(trx, request),
    mode: 'everything',
    keepFirmId: null,
    reason,
    at,
  });
}

/**
 * The standing of these firms at `door` for the request's scope, judged from the firms as stored
 * now. The buyer's typed names are resolved against each firm alone, which finds it exactly when
 * the full catalog would.
 */
export async function standingsAt(
  trx: Kysely<Database>,
  door: Door,
  scope: ScopeInput,
  firmIds: readonly string[],
  now: Date,
  qualifiedThrough?: string,
): Promise<Map<string, Standing>> {
  const firms = await loadFirms(trx, firmIds);
  const standings = new Map<string, Standing>();
  for (const id of firmIds) {
    const firm = firms.find((f) => f.id === id);
    standings.set(
      id,
      firm ? standingOf(door, firm, scope, now, qualifiedThrough) : unknownFirmStanding(id),
    );
  }
  return standings;
}

export function standingOf(
  door: Door,
  firm: Firm,
  scope: ScopeInput,
  now: Date,
  qualifiedThrough?: string,
): Standing {
  return standingAt(door, firm, toMatchScope(scope, [firm]), {
    today: isoDay(now),
    ...(qualifiedThrough ? { qualifiedThrough } : {}),
  });
}

export async function applyEffects(a: Applying, effects: readonly Effect[]): Promise<void> {
  // A brief answered, expired, withdrawn or added moves the figures of the days this request's
  // briefs were sent and answered on, and of its confirmation (a proposal added): the daily
  // rollups read those days from the rows again until the job has rolled them up (ADR 0028).
  if (effects.some((e) => e.kind === 'brief-status' || e.kind === 'brief-sent'))
    await markChangedDays(a.trx, a.request, a.now);
  for (const effect of effects) await applyEffect(a, effect);
}

async function applyEffect(a: Applying, e: Effect): Promise<void> {
  const { trx, ctx, request, now } = a;
  const at = now.toISOString();
  switch (e.kind) {
    case 'request-status': {
      const moved = await trx
        .updateTable('quoteRequests')
        .set({ status: e.to, updatedAt: at })
        .where('id', '=', request.id)
        .where('status', '=', e.from)
        .executeTakeFirst();
      changed(moved.numUpdatedRows, 'This request changed a moment ago; reload and try again.');
      return;
    }
    case 'brief-sent':
      return sendBrief(a, e);
    case 'brief-status': {
      const answered = e.to === 'accepted' || e.to === 'declined' || e.to === 'expired';
      const moved = await trx
        .updateTable('briefs')
        .set({
          status: e.to,
          ...(answered ? { respondedAt: at } : {}),
          ...(e.declineReason !== undefined ? { declineReason: e.declineReason } : {}),
          ...(e.withdrawal
            ? { withdrawnReason: e.withdrawal.reason, withdrawnNote: e.withdrawal.note }
            : {}),
          ...(e.quoteBy ? { quoteBy: e.quoteBy } : {}),
        })
        .where('id', '=', e.briefId)
        .where('status', '=', e.from)
        .executeTakeFirst();
      changed(moved.numUpdatedRows, 'This brief changed a moment ago; reload to see its state.');
      return;
    }
    case 'capacity-taken': {
      // Capacity rows are locked in one fixed order (by framework), and the shared live-state
      // log only after all of them: racing accepts then queue instead of deadlocking. Capacity
      // is live state: the catalog version stays put (ADR 0019).
      for (const framework of e.frameworks) {
        if (!(await takeCapacity(trx, e.firmId, framework, at.slice(0, 7)))) {
          throw new ServiceError(
            409,
            'Your firm has no capacity left this month for this framework. Decline the brief, or raise your capacity first.',
          );
        }
      }
      await recordLiveChange(trx, e.firmId);
      a.catalogChanged = true;
      return;
    }
    case 'quotes-withdrawn':
      await trx
        .updateTable('quotes')
        .set({ status: 'withdrawn', withdrawnReason: e.reason })
        .where('briefId', '=', e.briefId)
        .where('status', '!=', 'withdrawn')
        .execute();
      return;
    case 'contact-released':
      await trx
        .updateTable('briefs')
        .set({ contactReleasedAt: at, ...(e.occasion === 'share' ? { sharedAt: at } : {}) })
        .where('id', '=', e.briefId)
        .where('contactReleasedAt', 'is', null)
        .execute();
      return;
    case 'tell-buyer':
      return tellBuyer(a, e);
    case 'tell-firm':
      return tellFirm(a, e);
    case 'call-booked':
    case 'call-offered':
    case 'call-rescheduled':
    case 'call-cancelled':
      return applyCallEffect(a, e);
    case 'webhook':
      await briefEvent(
        trx,
        ctx,
        e.event,
        { ...e, requestId: request.id },
        {
          reference: request.reference,
          ...(e.event === 'lead.accepted'
            ? { acceptedAt: at, contact: `${ctx.config.publicUrl}/api/v1/leads?status=accepted` }
            : {}),
          ...e.data,
        },
      );
      return;
    case 'audit':
      await audit(trx, now, {
        ...auditActor(e.actor),
        action: e.action,
        subjectKind: e.subjectKind,
        subjectId: e.subjectId,
        ...(e.detail ? { detail: e.detail } : {}),
      });
      return;
  }
}

function auditActor(actor: Actor): { actorKind: ActorKind; actorId: string | null } {
  switch (actor.kind) {
    case 'firm-user':
    case 'api-key':
    case 'admin':
      return { actorKind: actor.kind, actorId: actor.id };
    case 'buyer':
      return { actorKind: 'buyer', actorId: null };
    default:
      // An email link carries no identity beyond the brief it is bound to.
      return { actorKind: 'system', actorId: null };
  }
}

/** The token in a firm's accept/decline link: signed, bound to one brief, expiring. */
export interface BriefLinkClaims extends Record<string, string | number> {
  b: string;
  exp: number;
}

export function briefLink(ctx: ServiceContext, briefId: string, expires: Date): string {
  const token = ctx.secrets.sign({ b: briefId, exp: Math.floor(expires.getTime() / 1000) });
  return `${ctx.config.publicUrl}/b/${token}`;
}

async function sendBrief(a: Applying, e: Extract<Effect, { kind: 'brief-sent' }>): Promise<void> {
  const { trx, ctx, request, scope, now } = a;
  const at = now.toISOString();
  let proposalId = e.proposalId;
  if (proposalId) {
    await trx
      .updateTable('proposals')
      .set({ status: 'chosen' })
      .where('id', '=', proposalId)
      .where('status', '=', 'proposed')
      .execute();
  } else if (e.offer) {
    proposalId = randomUUID();
    const last = await trx
      .selectFrom('proposals')
      .select((eb) => eb.fn.max('rank').as('rank'))
      .where('requestId', '=', request.id)
      .executeTakeFirst();
    // A firm kept as an alternate at confirmation is offered now: its row becomes the chosen one.
    const existing = await trx
      .selectFrom('proposals')
      .select('id')
      .where('requestId', '=', request.id)
      .where('firmId', '=', e.firmId)
      .executeTakeFirst();
    if (existing) {
      proposalId = existing.id;
      await trx
        .updateTable('proposals')
        .set({ status: 'chosen' })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('proposals')
        .values({
          id: proposalId,
          requestId: request.id,
          firmId: e.firmId,
          rank: Number(last?.rank ?? 0) + 1,
          score: e.offer.score,
          breakdown: JSON.stringify(e.offer.breakdown),
          reasons: JSON.stringify(e.offer.reasons),
          algorithmVersion: request.algorithmVersion ?? '',
          status: 'chosen',
          createdAt: at,
        })
        .execute();
      // A replacement for a shortfall can land within the promised three: the request's count
      // of them (migration 015) is taken again from its proposals.
      await countProposedFirms(trx, request.id);
    }
  }
  if (!proposalId)
    throw new ServiceError(
      409,
      'One of the chosen firms is not among your proposals or offers.',
      'firms',
    );
  const respondBy = addBusinessDays(now, ctx.config.responseWindowBusinessDays);
  const briefId = randomUUID();
  const inserted = await trx
    .insertInto('briefs')
    .values({
      id: briefId,
      requestId: request.id,
      proposalId,
      firmId: e.firmId,
      status: 'sent',
      sentAt: at,
      respondBy: respondBy.toISOString(),
      respondedAt: null,
      declineReason: null,
      contactReleasedAt: null,
      withdrawnReason: null,
      withdrawnNote: null,
    })
    .onConflict((oc) => oc.columns(['requestId', 'firmId']).doNothing())
    .executeTakeFirst();
  // The unique (request, firm) pair is the last word: no firm is ever briefed twice for a request.
  changed(inserted.numInsertedOrUpdatedRows, 'This firm has already received this brief.', 'firms');
  const lead = await firmLead(trx, e.firmId);
  if (lead) {
    await queueEmail(
      trx,
      ctx.secrets,
      `req:${request.id}:brief:${briefId}:sent`,
      briefEmail(
        lead.email,
        lead.name,
        scope,
        request.reference,
        briefLink(ctx, briefId, respondBy),
        respondBy.toUTCString(),
      ),
      now,
    );
  }
  await briefReceived(trx, ctx, {
    firmId: e.firmId,
    briefId,
    requestId: request.id,
    respondBy,
    scope,
  });
}

/** The request's stored scope, parsed: the one helper every service reads it through. */
export function scopeOf(request: Pick<QuoteRequestRow, 'scope'>): ScopeInput {
  return parseStoredScope(request.scope);
}
