import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { MatchResult, Proposal } from '../domain/matching';
import { audit } from './audit';
import { notifyWithdrawal, OPEN_REQUEST_STATUSES, replacementCandidates } from './briefs';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import type { ScopeInput } from './intake/schemas';
import { lockRequest, MAX_ACTIVE_FIRMS } from './intake/store';
import { hashToken } from './secrets';

/** Everything the buyer's private page shows, decrypted for the buyer only. */
export interface BuyerView {
  id: string;
  reference: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  scope: ScopeInput;
  contact: { name: string; email: string; company: string; phone: string | null } | null;
  match: Pick<MatchResult, 'shortfall' | 'partialFits' | 'notes' | 'algorithmVersion'> | null;
  proposals: {
    firmId: string;
    slug: string;
    name: string;
    rank: number;
    score: number;
    reasons: string[];
    status: string;
    brief: { id: string; status: string; respondBy: string; declineReason: string | null } | null;
  }[];
  activeFirms: number;
  canChooseMore: number;
  replacements: Proposal[];
  quotes: {
    id: string;
    firmName: string;
    lineItems: { phase: string; label: string; feeUsd: number }[];
    totalUsd: number;
    startDate: string;
    reportDate: string;
    assumptions: string;
    validUntil: string;
    status: string;
  }[];
}

/** The request behind a private-page link; the link's token is only ever stored hashed. */
export async function requestIdForAccessToken(ctx: ServiceContext, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select('id')
    .where('accessTokenHash', '=', hashToken(token))
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function buyerView(ctx: ServiceContext, requestId: string): Promise<BuyerView> {
  const db = ctx.db.kysely;
  const r = await db.selectFrom('quoteRequests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  const proposals = await db
    .selectFrom('proposals')
    .innerJoin('firms', 'firms.id', 'proposals.firmId')
    .select(['proposals.firmId', 'proposals.rank', 'proposals.score', 'proposals.reasons', 'proposals.status', 'firms.slug', 'firms.name'])
    .where('proposals.requestId', '=', requestId)
    .where('proposals.status', '!=', 'alternate')
    .orderBy('proposals.rank')
    .execute();
  const briefs = await db.selectFrom('briefs').selectAll().where('requestId', '=', requestId).execute();
  const quotes = await db
    .selectFrom('quotes')
    .innerJoin('firms', 'firms.id', 'quotes.firmId')
    .select(['quotes.id', 'firms.name as firmName', 'quotes.lineItems', 'quotes.totalUsd', 'quotes.startDate', 'quotes.reportDate', 'quotes.assumptions', 'quotes.validUntil', 'quotes.status'])
    .where('quotes.requestId', '=', requestId)
    .where('quotes.status', '!=', 'withdrawn')
    .orderBy('quotes.totalUsd')
    .execute();
  const open = OPEN_REQUEST_STATUSES.includes(r.status) && r.expiresAt >= ctx.now().toISOString();
  const active = briefs.filter((b) => b.status === 'sent' || b.status === 'accepted').length;
  const passedOver = briefs.some((b) => b.status === 'declined' || b.status === 'expired');
  const stillProposed = proposals.some((p) => p.status === 'proposed');
  const replacements = open && active < MAX_ACTIVE_FIRMS && passedOver && !stillProposed ? await replacementCandidates(ctx, requestId, 3) : [];
  const match = r.matchResult ? (JSON.parse(r.matchResult) as MatchResult) : null;
  const decrypt = (v: string | null) => (v ? ctx.secrets.decrypt(v) : null);
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    scope: JSON.parse(r.scope) as ScopeInput,
    contact:
      r.contactEmailEnc && r.contactNameEnc && r.companyEnc
        ? { name: decrypt(r.contactNameEnc)!, email: decrypt(r.contactEmailEnc)!, company: decrypt(r.companyEnc)!, phone: decrypt(r.phoneEnc) }
        : null,
    match: match ? { shortfall: match.shortfall, partialFits: match.partialFits, notes: match.notes, algorithmVersion: match.algorithmVersion } : null,
    proposals: proposals.map((p) => {
      const brief = briefs.find((b) => b.firmId === p.firmId);
      return {
        firmId: p.firmId,
        slug: p.slug,
        name: p.name,
        rank: p.rank,
        score: p.score,
        reasons: JSON.parse(p.reasons) as string[],
        status: p.status,
        brief: brief ? { id: brief.id, status: brief.status, respondBy: brief.respondBy, declineReason: brief.declineReason } : null,
      };
    }),
    activeFirms: active,
    canChooseMore: open ? MAX_ACTIVE_FIRMS - active : 0,
    replacements,
    quotes: quotes.map((q) => ({ ...q, lineItems: JSON.parse(q.lineItems) })),
  };
}

/** The buyer stops the request: firms holding a brief are told, nobody new is contacted. */
export async function withdrawRequest(ctx: ServiceContext, requestId: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, ctx.db.dialect, requestId);
    if (!request || !['unconfirmed', ...OPEN_REQUEST_STATUSES].includes(request.status)) {
      throw new ServiceError(409, 'This request is already closed.');
    }
    await trx.updateTable('quoteRequests').set({ status: 'withdrawn', updatedAt: now.toISOString() }).where('id', '=', requestId).execute();
    await notifyWithdrawal(ctx, trx, requestId, now);
    await audit(trx, now, { actorKind: 'buyer', action: 'request.withdrawn', subjectKind: 'quote-request', subjectId: requestId });
  });
}

/**
 * Erases the buyer's contact at once and everything that could carry it: pending emails are
 * dropped, sent ones have their sealed content erased. Anonymous counts stay.
 */
export async function eraseRequestData(ctx: ServiceContext, requestId: string, actor: 'buyer' | 'system'): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, ctx.db.dialect, requestId);
    if (!request) throw new ServiceError(404, 'This request does not exist.');
    if (request.contactErasedAt) return;
    const prefix = `req:${requestId}:%`;
    await trx.deleteFrom('outbox').where('idempotencyKey', 'like', prefix).where('status', '=', 'pending').execute();
    await trx.updateTable('outbox').set({ payload: '' }).where('idempotencyKey', 'like', prefix).execute();
    if (OPEN_REQUEST_STATUSES.includes(request.status)) await notifyWithdrawal(ctx, trx, requestId, now);
    await trx
      .updateTable('quoteRequests')
      .set({
        status: actor === 'buyer' ? 'deleted' : request.status === 'unconfirmed' ? 'expired' : request.status,
        contactNameEnc: null,
        contactEmailEnc: null,
        companyEnc: null,
        phoneEnc: null,
        emailHash: null,
        confirmTokenHash: null,
        contactErasedAt: at,
        updatedAt: at,
      })
      .where('id', '=', requestId)
      .execute();
    await audit(trx, now, {
      actorKind: actor,
      action: actor === 'buyer' ? 'request.deleted-by-buyer' : 'request.contact-purged',
      subjectKind: 'quote-request',
      subjectId: requestId,
    });
  });
}

export const COMPLAINT_KINDS = {
  'contacted-after-stop': 'Contacted me after I said stop',
  'not-who-they-claimed': 'Not who they claimed to be',
  'shared-my-details': 'Shared my details with others',
  other: 'Something else',
} as const;
export type ComplaintKind = keyof typeof COMPLAINT_KINDS;

export async function fileComplaint(
  ctx: ServiceContext,
  requestId: string,
  input: { firmId: string | null; kind: ComplaintKind; body: string },
): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (input.firmId) {
      const brief = await trx.selectFrom('briefs').select('id').where('requestId', '=', requestId).where('firmId', '=', input.firmId).executeTakeFirst();
      if (!brief) throw new ServiceError(400, 'Choose one of the firms that received your brief.', 'firm');
    }
    const id = randomUUID();
    await trx
      .insertInto('complaints')
      .values({ id, requestId, firmId: input.firmId, kind: input.kind, body: input.body, status: 'open', resolution: null, createdAt: now.toISOString(), resolvedAt: null })
      .execute();
    await audit(trx, now, { actorKind: 'buyer', action: 'complaint.filed', subjectKind: 'complaint', subjectId: id, detail: { firmId: input.firmId, kind: input.kind } });
  });
}

/**
 * Retention: unconfirmed requests lose their contact when the link expires; confirmed ones
 * after the retention period; sent email content after the same period. Counts stay.
 */
export async function purgeExpired(ctx: ServiceContext): Promise<{ requests: number; emails: number }> {
  const now = ctx.now();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - ctx.config.retentionDays * 86_400_000).toISOString();
  const due = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select('id')
    .where('contactErasedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('confirmedAt', 'is', null), eb('confirmExpiresAt', '<', at)]),
        eb('createdAt', '<', cutoff),
      ]),
    )
    .limit(500)
    .execute();
  for (const r of due) await eraseRequestData(ctx, r.id, 'system');
  const emails = await ctx.db.kysely
    .updateTable('outbox')
    .set({ payload: '' })
    .where('status', '=', 'sent')
    .where('sentAt', '<', cutoff)
    .where(sql<boolean>`payload <> ''`)
    .executeTakeFirst();
  return { requests: due.length, emails: Number(emails.numUpdatedRows) };
}


