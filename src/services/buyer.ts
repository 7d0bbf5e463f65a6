import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { lockRequest, parseMatchResult, siblingRequests } from '../db/requests';
import {
  decideShare,
  decideWithdraw,
  firmsHoldingBuyer,
  placesLeft,
  type SiblingRequest,
  WITHDRAWAL_WORDS,
  type WithdrawMode,
} from '../domain/lifecycle/decisions';
import { standingProblem } from '../domain/lifecycle/standing';
import {
  type BriefStatus,
  FIRM_SIDE_WITHDRAWALS,
  isOpenRequest,
  type QuoteStatus,
  type RequestStatus,
  type WithdrawalReason,
} from '../domain/lifecycle/states';
import { issuerLabel } from '../domain/accreditation';
import type { MatchResult, Proposal } from '../domain/matching';
import { qualification } from '../domain/matching/qualification';
import { type Comparison, compareQuotes } from '../domain/quotes';
import { CREDENTIAL_KIND_LABELS, type FrameworkId } from '../domain/vocabulary';
import { type CallView, callView, slotsFor } from './calls';
import { type StoredQuote, storedLines } from './firm/quotes';
import type { ThreadMessage } from './messages';
import { audit } from './audit';
import { onRequest, replacementCandidates } from './briefs';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import type { ScopeInput } from './intake/schemas';
import {
  applyEffects,
  decideWithdrawEverything,
  loadRequestState,
  scopeOf,
  standingOf,
  standingsAt,
} from './lifecycle';
import { hashToken } from './secrets';
import { DAY_MS } from '../domain/matching/dates';

/** Everything the buyer's private page shows, decrypted for the buyer only. */
export interface BuyerView {
  id: string;
  reference: string;
  status: RequestStatus;
  open: boolean;
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
    /** Why this proposal can no longer be chosen (the firm as it stands today), or null. */
    unavailable: string | null;
    brief: {
      id: string;
      status: BriefStatus;
      respondBy: string;
      declineReason: string | null;
      withdrawnReason: WithdrawalReason | null;
      /** The reason in words, for a withdrawn brief. */
      withdrawn: string | null;
      /** After accepting: the firm committed to quote by then. */
      quoteBy: string | null;
      /** The buyer's details reached this firm (a booked call, or the buyer shared them). */
      contactShared: boolean;
      messages: ThreadMessage[];
      call: BuyerCall | null;
      /** The firm's open slots for a call (when it accepted and no call is arranged yet). */
      slots: number[];
      firmTimeZone: string;
    } | null;
  }[];
  /** Firms holding or about to hold the buyer's details, across all its open requests. */
  activeFirms: number;
  canChooseMore: number;
  replacements: Proposal[];
  /** The buyer's other open requests, which share the limit of three firms. */
  otherRequests: { reference: string; firms: string[] }[];
  /** The firm whose quote the buyer chose while others still hold the request: it can stop the rest. */
  keepable: { firmId: string; name: string; others: string[] } | null;
  quotes: (Omit<StoredQuote, 'status'> & {
    firmId: string;
    firmName: string;
    status: QuoteStatus;
    /** Why a quote the buyer could see is withdrawn (the firm was suspended, or lost the brief). */
    withdrawnReason: string | null;
    /** "Why this firm", as the match explained it, and the credentials it qualifies with. */
    reasons: string[];
    credentials: string[];
  })[];
  /** The live quotes side by side: every line, "not quoted" cells, honest totals. */
  comparison: Comparison;
}

export type BuyerCall = CallView;

/** The request behind a private-page link; links are only ever stored hashed. */
export async function requestIdForAccessToken(
  ctx: ServiceContext,
  token: string,
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await ctx.db.kysely
    .selectFrom('requestLinks')
    .select('requestId')
    .where('tokenHash', '=', hashToken(token))
    .executeTakeFirst();
  return row?.requestId ?? null;
}

export async function buyerView(ctx: ServiceContext, requestId: string): Promise<BuyerView> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const at = now.toISOString();
  const r = await db
    .selectFrom('quoteRequests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  const scope = scopeOf(r);
  const [proposals, briefs, quotes, state, siblings, messages, calls] = await Promise.all([
    db
      .selectFrom('proposals')
      .innerJoin('firms', 'firms.id', 'proposals.firmId')
      .select([
        'proposals.firmId',
        'proposals.rank',
        'proposals.score',
        'proposals.reasons',
        'proposals.status',
        'firms.slug',
        'firms.name',
      ])
      .where('proposals.requestId', '=', requestId)
      .where('proposals.status', '!=', 'alternate')
      .orderBy('proposals.rank')
      .execute(),
    db.selectFrom('briefs').selectAll().where('requestId', '=', requestId).execute(),
    db
      .selectFrom('quotes')
      .innerJoin('firms', 'firms.id', 'quotes.firmId')
      .select([
        'quotes.id',
        'quotes.firmId',
        'firms.name as firmName',
        'quotes.lineItems',
        'quotes.totalUsd',
        'quotes.startDate',
        'quotes.reportDate',
        'quotes.assumptions',
        'quotes.validUntil',
        'quotes.status',
        'quotes.withdrawnReason',
        'quotes.callCouldChange',
        'quotes.createdAt',
      ])
      .where('quotes.requestId', '=', requestId)
      // A quote the firm replaced is history; one withdrawn with its brief stays, marked.
      .where((eb) =>
        eb.or([
          eb('quotes.status', '!=', 'withdrawn'),
          eb('quotes.withdrawnReason', 'in', [...FIRM_SIDE_WITHDRAWALS]),
        ]),
      )
      .orderBy('quotes.totalUsd')
      .execute(),
    loadRequestState(db, r),
    siblingRequests(db, r, at),
    db
      .selectFrom('briefMessages')
      .selectAll()
      .where('requestId', '=', requestId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('calls')
      .selectAll()
      .where('requestId', '=', requestId)
      .where('status', '!=', 'cancelled')
      .execute(),
  ]);
  const open = isOpenRequest(r, at);
  const catalog = new Map((await ctx.catalog.firms()).map((f) => [f.id, f]));
  const unavailable = (firmId: string): string | null => {
    const firm = catalog.get(firmId);
    if (!firm) return 'No longer listed on Auditmatch';
    const standing = standingOf('send-brief', firm, scope, now);
    return standing.ok ? null : standingProblem(standing);
  };
  const timeZones = new Map(
    (
      await db
        .selectFrom('firms')
        .select(['id', 'timeZone'])
        .where('id', 'in', briefs.length ? briefs.map((b) => b.firmId) : [''])
        .execute()
    ).map((f) => [f.id, f.timeZone]),
  );
  // Free slots to book, or to move a booked call to; none while times the buyer offered wait for the firm.
  const slotsOf = async (b: (typeof briefs)[number]) =>
    open &&
    b.status === 'accepted' &&
    !calls.some((c) => c.briefId === b.id && c.status === 'offered')
      ? (await slotsFor(ctx, requestId, b.id)).slots
      : [];
  const slotsByBrief = new Map(
    await Promise.all(briefs.map(async (b) => [b.id, await slotsOf(b)] as const)),
  );
  const viewProposals = proposals.map((p) => {
    const brief = briefs.find((b) => b.firmId === p.firmId);
    const call = brief ? calls.find((c) => c.briefId === brief.id) : undefined;
    return {
      firmId: p.firmId,
      slug: p.slug,
      name: p.name,
      rank: p.rank,
      score: p.score,
      reasons: JSON.parse(p.reasons) as string[],
      status: p.status,
      unavailable: open && p.status === 'proposed' ? unavailable(p.firmId) : null,
      brief: brief
        ? {
            id: brief.id,
            status: brief.status,
            respondBy: brief.respondBy,
            declineReason: brief.declineReason,
            withdrawnReason: brief.withdrawnReason,
            withdrawn: brief.withdrawnReason ? WITHDRAWAL_WORDS[brief.withdrawnReason] : null,
            quoteBy: brief.quoteBy,
            contactShared: brief.contactReleasedAt !== null,
            messages: messages
              .filter((m) => m.briefId === brief.id)
              .map((m) => ({
                id: m.id,
                author: m.author,
                body: m.body,
                shared: m.sharedFrom !== null,
                createdAt: m.createdAt,
              })),
            call: call ? callView(call) : null,
            slots: slotsByBrief.get(brief.id) ?? [],
            firmTimeZone: timeZones.get(brief.firmId) ?? 'UTC',
          }
        : null,
    };
  });
  const left = open ? placesLeft(state, siblings) : 0;
  const passedOver = briefs.some(
    (b) =>
      b.status === 'declined' ||
      b.status === 'expired' ||
      (b.withdrawnReason !== null && FIRM_SIDE_WITHDRAWALS.includes(b.withdrawnReason)),
  );
  const stillChoosable = viewProposals.some(
    (p) => p.status === 'proposed' && p.unavailable === null,
  );
  const lostProposal = viewProposals.some((p) => p.status === 'proposed' && p.unavailable !== null);
  const replacements =
    left > 0 && (passedOver || lostProposal) && !stillChoosable
      ? await replacementCandidates(ctx, requestId, 3)
      : [];
  const chosenQuote = quotes.find((q) => q.status === 'chosen');
  const activeBriefs = briefs.filter((b) => b.status === 'sent' || b.status === 'accepted');
  const kept = chosenQuote
    ? activeBriefs.find((b) => b.firmId === chosenQuote.firmId && b.status === 'accepted')
    : undefined;
  const others = activeBriefs.filter((b) => b !== kept);
  const name = (firmId: string) =>
    proposals.find((p) => p.firmId === firmId)?.name ?? catalog.get(firmId)?.name ?? 'a firm';
  const match = parseMatchResult(r.matchResult);
  const today = at.slice(0, 10);
  const viewQuotes = quotes.map((q) => {
    const firm = catalog.get(q.firmId);
    return {
      ...q,
      lineItems: storedLines(q.lineItems),
      withdrawnReason:
        q.status === 'withdrawn' && q.withdrawnReason
          ? (WITHDRAWAL_WORDS[q.withdrawnReason as WithdrawalReason] ?? null)
          : null,
      reasons: viewProposals.find((p) => p.firmId === q.firmId)?.reasons ?? [],
      credentials: firm
        ? scope.frameworks.flatMap((f) =>
            qualification(firm, f.framework as FrameworkId, today).credentials.map(
              (c) =>
                `${CREDENTIAL_KIND_LABELS[c.kind]}, ${issuerLabel(c.kind, c.issuer)}, valid to ${c.validTo ?? 'no end date'}`,
            ),
          )
        : [],
    };
  });
  const decrypt = (v: string | null) => (v ? ctx.secrets.decrypt(v) : null);
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    open,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    scope,
    contact:
      r.contactEmailEnc && r.contactNameEnc && r.companyEnc
        ? {
            name: decrypt(r.contactNameEnc)!,
            email: decrypt(r.contactEmailEnc)!,
            company: decrypt(r.companyEnc)!,
            phone: decrypt(r.phoneEnc),
          }
        : null,
    match: match
      ? {
          shortfall: match.shortfall,
          partialFits: match.partialFits,
          notes: match.notes,
          algorithmVersion: match.algorithmVersion,
        }
      : null,
    proposals: viewProposals,
    activeFirms: firmsHoldingBuyer(state, siblings).size,
    canChooseMore: left,
    replacements,
    otherRequests: siblings.map((s: SiblingRequest) => ({
      reference: s.reference,
      firms: s.briefs
        .filter((b) => b.status === 'sent' || b.status === 'accepted')
        .map((b) => b.firmName),
    })),
    keepable:
      open && kept && others.length > 0
        ? {
            firmId: kept.firmId,
            name: name(kept.firmId),
            others: others.map((b) => name(b.firmId)),
          }
        : null,
    quotes: viewQuotes,
    comparison: compareQuotes(
      viewQuotes.filter((q) => q.status !== 'withdrawn').map((q) => ({ lines: q.lineItems })),
    ),
  };
}

/**
 * The buyer stops firms: everything (the request closes), or every firm but the one whose quote
 * it chose. Firms that lose the brief are told which request, and their CRM hears of it.
 */
export async function withdrawRequest(
  ctx: ServiceContext,
  requestId: string,
  mode: WithdrawMode = 'everything',
): Promise<void> {
  await onRequest(ctx, requestId, async ({ trx, state, at }) => {
    const chosen = await trx
      .selectFrom('quotes')
      .select('firmId')
      .where('requestId', '=', requestId)
      .where('status', '=', 'chosen')
      .executeTakeFirst();
    return {
      decision: decideWithdraw({ request: state, mode, keepFirmId: chosen?.firmId ?? null, at }),
      result: null,
    };
  });
}

/**
 * Erases the buyer's contact at once and everything that could carry it: pending emails are
 * dropped, sent ones have their sealed content erased, and firms holding the request are told
 * it is withdrawn (without the company name). Anonymous counts stay.
 */
export async function eraseRequestData(
  ctx: ServiceContext,
  requestId: string,
  actor: 'buyer' | 'system',
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, ctx.db.dialect, requestId);
    if (!request) throw new ServiceError(404, 'This request does not exist.');
    if (request.contactErasedAt) return;
    const prefix = `req:${requestId}:%`;
    await trx
      .deleteFrom('outbox')
      .where('idempotencyKey', 'like', prefix)
      .where('status', '=', 'pending')
      .execute();
    await trx
      .updateTable('outbox')
      .set({ payload: '' })
      .where('idempotencyKey', 'like', prefix)
      .execute();
    if (isOpenRequest(request, at)) {
      const decision = await decideWithdrawEverything(trx, request, 'request-deleted', at);
      // Firms are told without the buyer's name or company, and the buyer is sent nothing:
      // nothing of the buyer outlives the erasure in the outbox.
      if (decision.ok)
        await applyEffects(
          { trx, ctx, request, scope: scopeOf(request), now, erasing: true },
          decision.effects,
        );
    }
    await trx
      .updateTable('quoteRequests')
      .set({
        status:
          actor === 'buyer'
            ? 'deleted'
            : request.status === 'unconfirmed'
              ? 'expired'
              : request.status,
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
      const brief = await trx
        .selectFrom('briefs')
        .select('id')
        .where('requestId', '=', requestId)
        .where('firmId', '=', input.firmId)
        .executeTakeFirst();
      if (!brief)
        throw new ServiceError(400, 'Choose one of the firms that received your brief.', 'firm');
    }
    const id = randomUUID();
    await trx
      .insertInto('complaints')
      .values({
        id,
        requestId,
        firmId: input.firmId,
        kind: input.kind,
        body: input.body,
        status: 'open',
        resolution: null,
        createdAt: now.toISOString(),
        resolvedAt: null,
      })
      .execute();
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'complaint.filed',
      subjectKind: 'complaint',
      subjectId: id,
      detail: { firmId: input.firmId, kind: input.kind },
    });
  });
}

/**
 * Retention: unconfirmed requests lose their contact when the link expires; confirmed ones
 * after the retention period; sent email content after the same period. Counts stay.
 */
export async function purgeExpired(
  ctx: ServiceContext,
): Promise<{ requests: number; emails: number }> {
  const now = ctx.now();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - ctx.config.retentionDays * DAY_MS).toISOString();
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
  for (const r of due) {
    await eraseRequestData(ctx, r.id, 'system');
    // Let waiting requests in between erasures: on SQLite they share one connection with the purge.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const emails = await ctx.db.kysely
    .updateTable('outbox')
    .set({ payload: '' })
    .where('status', '=', 'sent')
    .where('sentAt', '<', cutoff)
    .where(sql<boolean>`payload <> ''`)
    .executeTakeFirst();
  return { requests: due.length, emails: Number(emails.numUpdatedRows) };
}

/** The buyer shares its details with a firm that accepted, before any call (audit-logged). */
export async function shareDetails(
  ctx: ServiceContext,
  requestId: string,
  briefId: string,
): Promise<void> {
  await onRequest<void>(ctx, requestId, async ({ trx, state, scope, now, at }) => {
    const brief = state.briefs.find((b) => b.id === briefId);
    if (!brief) throw new ServiceError(404, 'This firm did not receive your brief.', 'brief');
    const standing = (await standingsAt(trx, 'read-contact', scope, [brief.firmId], now)).get(
      brief.firmId,
    )!;
    return { decision: decideShare({ request: state, brief, standing, at }), result: undefined };
  });
}
