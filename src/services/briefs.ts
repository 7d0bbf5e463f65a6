import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { bumpCatalogVersion } from '../db/firms';
import type { Database } from '../db/schema';
import { match, type Proposal } from '../domain/matching';
import { sealEmail } from '../outbox/email';
import { enqueue } from '../outbox/queue';
import { briefReceived, leadAccepted } from './firm/webhooks';
import { audit } from './audit';
import { addBusinessDays, introCallInvite } from './calendar';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import {
  briefEmail,
  declinedEmail,
  introEmailToBuyer,
  introEmailToFirm,
  withdrawnEmail,
} from './emails';
import type { ScopeInput } from './intake/schemas';
import { toMatchScope } from './intake/scope';
import { activeBriefCount, lockRequest, MAX_ACTIVE_FIRMS, takeCapacity } from './intake/store';

const day = (d: Date) => d.toISOString().slice(0, 10);
/** Requests the buyer can still act on; later states only allow reading and deleting. */
export const OPEN_REQUEST_STATUSES = ['confirmed', 'active'];

/** The token in a firm's accept/decline link: signed, bound to one brief, expiring. */
export interface BriefLinkClaims extends Record<string, string | number> {
  b: string;
  exp: number;
}

export function briefLink(ctx: ServiceContext, briefId: string, expires: Date): string {
  const token = ctx.secrets.sign({ b: briefId, exp: Math.floor(expires.getTime() / 1000) });
  return `${ctx.config.publicUrl}/b/${token}`;
}

/** The brief a link points to, or null when the link is forged or past its expiry. */
export function readBriefLink(ctx: ServiceContext, token: string): string | null {
  const claims = ctx.secrets.verify<BriefLinkClaims>(token);
  if (!claims || typeof claims.b !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 < ctx.now().getTime()) return null;
  return claims.b;
}

/**
 * The next best firms the buyer could send its brief to now: eligible today, and neither
 * briefed already nor proposed-and-passed-over. Used for replacement offers.
 */
export async function replacementCandidates(ctx: ServiceContext, requestId: string, limit = 3): Promise<Proposal[]> {
  const request = await ctx.db.kysely.selectFrom('quoteRequests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!request) return [];
  const briefed = await ctx.db.kysely.selectFrom('briefs').select('firmId').where('requestId', '=', requestId).execute();
  const taken = new Set(briefed.map((b) => b.firmId));
  const firms = (await ctx.catalog.firms()).filter((f) => !taken.has(f.id));
  const scope = JSON.parse(request.scope) as ScopeInput;
  const result = match(firms, toMatchScope(scope, firms), { today: day(ctx.now()), rotation: 0 });
  return [...result.proposals, ...result.alternates].slice(0, limit);
}

/**
 * Sends the anonymised brief to the firms the buyer chose. At most three firms hold or may
 * receive the buyer's contact at any time: checked under the request's lock, with a unique
 * (request, firm) pair so no firm is briefed twice.
 */
export async function sendBriefs(ctx: ServiceContext, requestId: string, firmIds: string[]): Promise<number> {
  const chosen = [...new Set(firmIds)];
  if (chosen.length === 0) throw new ServiceError(400, 'Choose at least one firm.', 'firms');
  const now = ctx.now();
  const at = now.toISOString();
  const respondBy = addBusinessDays(now, ctx.config.responseWindowBusinessDays);
  const proposalsNow = await ctx.db.kysely.selectFrom('proposals').selectAll().where('requestId', '=', requestId).execute();
  // A firm outside the stored proposals may be chosen only as a live replacement offer.
  const needsFreshCheck = chosen.filter((id) => !proposalsNow.some((p) => p.firmId === id && p.status === 'proposed'));
  const offers = needsFreshCheck.length > 0 ? await replacementCandidates(ctx, requestId, 10) : [];
  const firms = await ctx.catalog.firms();

  return ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, ctx.db.dialect, requestId);
    if (!request || !OPEN_REQUEST_STATUSES.includes(request.status)) {
      throw new ServiceError(409, 'This request no longer accepts new firms.');
    }
    if (request.expiresAt < at) throw new ServiceError(410, 'This request has expired.');
    const active = await activeBriefCount(trx, requestId);
    if (active + chosen.length > MAX_ACTIVE_FIRMS) {
      throw new ServiceError(
        409,
        `At most ${MAX_ACTIVE_FIRMS} firms can hold your request at a time; ${active} already do. Choose ${Math.max(0, MAX_ACTIVE_FIRMS - active)} or fewer.`,
        'firms',
      );
    }
    const scope = JSON.parse(request.scope) as ScopeInput;
    const stored = await trx.selectFrom('proposals').selectAll().where('requestId', '=', requestId).execute();
    let sent = 0;
    for (const firmId of chosen) {
      const proposal = stored.find((p) => p.firmId === firmId);
      const offer = offers.find((o) => o.firmId === firmId);
      if (!(proposal?.status === 'proposed' || offer)) {
        throw new ServiceError(409, 'One of the chosen firms is not among your proposals or offers.', 'firms');
      }
      const firm = firms.find((f) => f.id === firmId);
      const firmRow = await trx.selectFrom('firms').select(['leadEmail', 'name']).where('id', '=', firmId).executeTakeFirst();
      if (!firm || !firmRow) throw new ServiceError(409, 'One of the chosen firms is no longer listed.', 'firms');
      let proposalId = proposal?.id;
      if (proposal) {
        await trx.updateTable('proposals').set({ status: 'chosen' }).where('id', '=', proposal.id).execute();
      } else if (offer) {
        proposalId = randomUUID();
        await trx
          .insertInto('proposals')
          .values({
            id: proposalId,
            requestId,
            firmId,
            rank: stored.length + sent + 1,
            score: offer.score,
            breakdown: JSON.stringify(offer.breakdown),
            reasons: JSON.stringify(offer.reasons),
            algorithmVersion: request.algorithmVersion ?? '',
            status: 'chosen',
            createdAt: at,
          })
          .execute();
      }
      const briefId = randomUUID();
      const inserted = await trx
        .insertInto('briefs')
        .values({
          id: briefId,
          requestId,
          proposalId: proposalId!,
          firmId,
          status: 'sent',
          sentAt: at,
          respondBy: respondBy.toISOString(),
          respondedAt: null,
          declineReason: null,
          contactReleasedAt: null,
        })
        .onConflict((oc) => oc.columns(['requestId', 'firmId']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
      if (firmRow.leadEmail) {
        await enqueue(
          trx,
          {
            channel: 'email',
            idempotencyKey: `req:${requestId}:brief:${briefId}:sent`,
            payload: sealEmail(
              ctx.secrets,
              briefEmail(firmRow.leadEmail, firmRow.name, scope, briefLink(ctx, briefId, respondBy), respondBy.toUTCString()),
            ),
          },
          now,
        );
      }
      await briefReceived(trx, ctx, { firmId, briefId, requestId, respondBy, scope });
      sent++;
    }
    await trx.updateTable('quoteRequests').set({ status: 'active', updatedAt: at }).where('id', '=', requestId).execute();
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'briefs.sent',
      subjectKind: 'quote-request',
      subjectId: requestId,
      detail: { firms: chosen },
    });
    return sent;
  });
}

export type BriefAnswer = { action: 'accept' } | { action: 'decline'; reason: string };

/**
 * A firm's answer to a brief, from an email link or the workspace. Accepting takes a slot of
 * the firm's monthly capacity and releases the buyer's contact (audit-logged); declining lets
 * the buyer pick a replacement. Each brief is answered once.
 */
export async function respondToBrief(
  ctx: ServiceContext,
  briefId: string,
  answer: BriefAnswer,
  actor: { kind: 'firm-user' | 'brief-link'; id?: string; firmId?: string },
): Promise<{ status: 'accepted' | 'declined' }> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const brief = await trx.selectFrom('briefs').selectAll().where('id', '=', briefId).executeTakeFirst();
    if (!brief || (actor.firmId && brief.firmId !== actor.firmId)) {
      throw new ServiceError(404, 'This brief does not exist or is not addressed to your firm.');
    }
    const request = await lockRequest(trx, ctx.db.dialect, brief.requestId);
    const current = await trx.selectFrom('briefs').select(['status', 'respondBy']).where('id', '=', briefId).executeTakeFirstOrThrow();
    if (current.status !== 'sent') {
      throw new ServiceError(409, `This brief was already ${current.status}.`);
    }
    if (!request || !OPEN_REQUEST_STATUSES.includes(request.status)) {
      throw new ServiceError(410, 'The buyer has withdrawn this request.');
    }
    if (current.respondBy < at) {
      throw new ServiceError(410, 'The response window for this brief has passed.');
    }
    const firm = await trx.selectFrom('firms').selectAll().where('id', '=', brief.firmId).executeTakeFirstOrThrow();
    const scope = JSON.parse(request.scope) as ScopeInput;

    if (answer.action === 'decline') {
      await trx
        .updateTable('briefs')
        .set({ status: 'declined', respondedAt: at, declineReason: answer.reason })
        .where('id', '=', briefId)
        .where('status', '=', 'sent')
        .execute();
      if (request.contactEmailEnc && request.contactNameEnc) {
        await enqueue(
          trx,
          {
            channel: 'email',
            idempotencyKey: `req:${request.id}:brief:${briefId}:declined`,
            payload: sealEmail(
              ctx.secrets,
              declinedEmail(
                ctx.secrets.decrypt(request.contactEmailEnc),
                ctx.secrets.decrypt(request.contactNameEnc),
                firm.name,
                'declined',
              ),
            ),
          },
          now,
        );
      }
      await audit(trx, now, {
        actorKind: actor.kind === 'firm-user' ? 'firm-user' : 'system',
        actorId: actor.id ?? null,
        action: 'brief.declined',
        subjectKind: 'brief',
        subjectId: briefId,
        detail: { firmId: firm.id, reason: answer.reason },
      });
      return { status: 'declined' as const, firmId: firm.id };
    }

    const month = at.slice(0, 7);
    // Capacity rows are locked in one fixed order (by framework), and the shared catalog
    // version only after all of them: racing accepts then queue instead of deadlocking.
    const frameworks = [...new Set(scope.frameworks.map((f) => f.framework))].sort();
    for (const framework of frameworks) {
      if (!(await takeCapacity(trx, firm.id, framework, month))) {
        throw new ServiceError(409, 'Your firm has no capacity left this month for this framework. Decline the brief, or raise your capacity first.');
      }
    }
    await bumpCatalogVersion(trx);
    await trx
      .updateTable('briefs')
      .set({ status: 'accepted', respondedAt: at, contactReleasedAt: at })
      .where('id', '=', briefId)
      .where('status', '=', 'sent')
      .execute();
    if (!request.contactEmailEnc || !request.contactNameEnc || !request.companyEnc) {
      throw new ServiceError(410, 'The buyer has deleted its data.');
    }
    const buyer = {
      name: ctx.secrets.decrypt(request.contactNameEnc),
      email: ctx.secrets.decrypt(request.contactEmailEnc),
      company: ctx.secrets.decrypt(request.companyEnc),
      phone: request.phoneEnc ? ctx.secrets.decrypt(request.phoneEnc) : null,
    };
    const organizer = /<([^>]+)>/.exec(ctx.config.mailFrom)?.[1] ?? ctx.config.mailFrom;
    const ics = introCallInvite({
      uid: `${briefId}@auditmatch`,
      now,
      summary: `Intro call: ${buyer.company} and ${firm.name}`,
      description: firm.bookingUrl ? `Pick a time that suits you both: ${firm.bookingUrl}` : 'Reply to agree a time for a short call.',
      organizerEmail: organizer,
      attendees: [buyer.email, ...(firm.leadEmail ? [firm.leadEmail] : [])],
    });
    if (firm.leadEmail) {
      await enqueue(
        trx,
        {
          channel: 'email',
          idempotencyKey: `req:${request.id}:brief:${briefId}:intro-firm`,
          payload: sealEmail(ctx.secrets, introEmailToFirm({ to: firm.leadEmail, firmName: firm.name, buyer, scope, ics })),
        },
        now,
      );
    }
    await enqueue(
      trx,
      {
        channel: 'email',
        idempotencyKey: `req:${request.id}:brief:${briefId}:intro-buyer`,
        payload: sealEmail(
          ctx.secrets,
          introEmailToBuyer({
            to: buyer.email,
            buyerName: buyer.name,
            firm: {
              name: firm.name,
              website: firm.website,
              bookingUrl: firm.bookingUrl,
              email: firm.leadEmail,
              profileUrl: `${ctx.config.publicUrl}/firms/${firm.slug}`,
            },
            ics,
          }),
        ),
      },
      now,
    );
    await leadAccepted(trx, ctx, { firmId: firm.id, briefId, requestId: request.id });
    await audit(trx, now, {
      actorKind: actor.kind === 'firm-user' ? 'firm-user' : 'system',
      actorId: actor.id ?? null,
      action: 'contact.released',
      subjectKind: 'brief',
      subjectId: briefId,
      detail: { firmId: firm.id, requestId: request.id, via: actor.kind },
    });
    return { status: 'accepted' as const, firmId: firm.id };
  });
  if (result.status === 'accepted') ctx.catalog.invalidate();
  return { status: result.status };
}

/**
 * Briefs left unanswered past their window expire: the firm never gets the contact, and the
 * buyer is told it can pick the next best fit. Run by the maintenance loop.
 */
export async function expireBriefs(ctx: ServiceContext): Promise<number> {
  const now = ctx.now();
  const at = now.toISOString();
  const due = await ctx.db.kysely
    .selectFrom('briefs')
    .innerJoin('firms', 'firms.id', 'briefs.firmId')
    .select(['briefs.id', 'briefs.requestId', 'firms.name as firmName'])
    .where('briefs.status', '=', 'sent')
    .where('briefs.respondBy', '<', at)
    .limit(200)
    .execute();
  let expired = 0;
  for (const brief of due) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const request = await lockRequest(trx, ctx.db.dialect, brief.requestId);
      const updated = await trx
        .updateTable('briefs')
        .set({ status: 'expired', respondedAt: at })
        .where('id', '=', brief.id)
        .where('status', '=', 'sent')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return;
      expired++;
      if (request?.contactEmailEnc && request.contactNameEnc && OPEN_REQUEST_STATUSES.includes(request.status)) {
        await enqueue(
          trx,
          {
            channel: 'email',
            idempotencyKey: `req:${request.id}:brief:${brief.id}:expired`,
            payload: sealEmail(
              ctx.secrets,
              declinedEmail(
                ctx.secrets.decrypt(request.contactEmailEnc),
                ctx.secrets.decrypt(request.contactNameEnc),
                brief.firmName,
                'expired',
              ),
            ),
          },
          now,
        );
      }
      await audit(trx, now, { actorKind: 'system', action: 'brief.expired', subjectKind: 'brief', subjectId: brief.id });
    });
  }
  return expired;
}

/** Tells every firm still holding the request that it is withdrawn (accepted ones: stop contact). */
export async function notifyWithdrawal(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  requestId: string,
  now: Date,
): Promise<void> {
  const briefs = await trx
    .selectFrom('briefs')
    .innerJoin('firms', 'firms.id', 'briefs.firmId')
    .select(['briefs.id', 'briefs.status', 'firms.name', 'firms.leadEmail'])
    .where('briefs.requestId', '=', requestId)
    .where('briefs.status', 'in', ['sent', 'accepted'])
    .execute();
  for (const b of briefs) {
    if (b.status === 'sent') {
      await trx.updateTable('briefs').set({ status: 'withdrawn' }).where('id', '=', b.id).execute();
    }
    if (b.leadEmail) {
      await enqueue(
        trx,
        {
          channel: 'email',
          idempotencyKey: `req:${requestId}:brief:${b.id}:withdrawn`,
          payload: sealEmail(ctx.secrets, withdrawnEmail(b.leadEmail, b.name, b.status === 'accepted')),
        },
        now,
      );
    }
  }
}
