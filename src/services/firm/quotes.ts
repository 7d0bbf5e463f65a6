import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseStoredScope, type QuoteRequestRow } from '../../db/requests';
import type { Database } from '../../db/schema';
import { auditLabel } from '../../domain/matching/labels';
import { type QuoteLine, quoteSums, toQuoteLine, yearOneMidpoint } from '../../domain/quotes';
import type { FrameworkId } from '../../domain/vocabulary';
import { queueEmail } from '../../outbox/queue';
import { audit } from '../audit';
import { decideQuote } from '../../domain/lifecycle/decisions';
import { standingProblem } from '../../domain/lifecycle/standing';
import { isOpenRequest } from '../../domain/lifecycle/states';
import { onRequest } from '../briefs';
import { briefLink, standingsAt } from '../lifecycle';
import { type ServiceContext, ServiceError } from '../context';
import type { ScopeInput } from '../intake/schemas';
import { quoteArrivedEmail } from '../emails';
import { buyerAddress, newPrivateLink } from '../private-links';
import { quoteChosenEmail } from './emails';
import {
  phasesFor,
  QUOTE_PHASE_LABELS,
  type QuoteInput,
  type QuotePhase,
  QuoteSchema,
} from './schemas';
import { assertOwnBrief, firmActor, type FirmWho, lifecycleActor, ownBrief } from './actor';
import { enqueueFirmEvent } from './webhooks';
import { isoDay } from '../../domain/matching/dates';

/**
 * Itemised quotes: a firm quotes against the buyer's scope sheet for a brief it accepted; the
 * buyer compares them side by side and may mark one chosen. One live quote per brief (a new one
 * replaces it) and one chosen quote per request: the database enforces both (migration 002).
 */

export type { QuoteLine } from '../../domain/quotes';

export interface StoredQuote {
  id: string;
  status: string;
  lineItems: QuoteLine[];
  totalUsd: number;
  startDate: string;
  reportDate: string;
  assumptions: string;
  callCouldChange: string;
  validUntil: string;
  createdAt: string;
}

/** A stored quote's lines, ranges or the fixed fees of quotes stored before ranges. */
export function storedLines(json: string): QuoteLine[] {
  return (JSON.parse(json) as Parameters<typeof toQuoteLine>[0][]).map(toQuoteLine);
}

/** The line a buyer reads in the side-by-side table: "SOC 2 Type 2: Type II report". */
export function lineLabel(framework: FrameworkId, phase: QuotePhase, variant?: string): string {
  return `${auditLabel(framework, variant)}: ${QUOTE_PHASE_LABELS[phase]}`;
}

/** What a quote form offers for a scope: each requested framework with its phases. */
export function quoteSheet(
  scope: ScopeInput,
): { framework: FrameworkId; variant?: string; phases: readonly QuotePhase[] }[] {
  return scope.frameworks.map((f) => ({
    framework: f.framework as FrameworkId,
    ...(f.variant ? { variant: f.variant } : {}),
    phases: phasesFor(f.framework as FrameworkId),
  }));
}

/** The brief (of the acting firm) a quote is for, its scope and its live quote, if any. */
export async function quoteContext(ctx: ServiceContext, who: FirmWho, briefId: string) {
  const actor = firmActor(who);
  const row = await ctx.db.kysely
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .select([
      'briefs.id',
      'briefs.firmId',
      'briefs.status',
      'briefs.quoteBy',
      'quoteRequests.status as requestStatus',
      'quoteRequests.expiresAt',
      'quoteRequests.scope',
    ])
    .where('briefs.id', '=', briefId)
    .executeTakeFirst();
  assertOwnBrief(actor, row);
  if (row.status !== 'accepted')
    throw new ServiceError(409, 'Accept the brief before you send a quote.');
  const quote = await ctx.db.kysely
    .selectFrom('quotes')
    .selectAll()
    .where('briefId', '=', briefId)
    .where('status', '!=', 'withdrawn')
    .executeTakeFirst();
  return {
    briefId: row.id,
    quoteBy: row.quoteBy,
    requestOpen: isOpenRequest(
      { status: row.requestStatus, expiresAt: row.expiresAt },
      ctx.now().toISOString(),
    ),
    scope: parseStoredScope(row.scope),
    quote: quote
      ? ({
          id: quote.id,
          status: quote.status,
          lineItems: storedLines(quote.lineItems),
          totalUsd: quote.totalUsd,
          startDate: quote.startDate,
          reportDate: quote.reportDate,
          assumptions: quote.assumptions,
          callCouldChange: quote.callCouldChange,
          validUntil: quote.validUntil,
          createdAt: quote.createdAt,
        } satisfies StoredQuote)
      : null,
  };
}

/**
 * Submits (or replaces) the firm's quote for an accepted brief: each line a fee or an indicative
 * range, only for frameworks in the buyer's scope; a quote the buyer already chose is final. The
 * firm is re-checked as it stands now, with credentials that must last until the report date it
 * quotes. The buyer hears of each quote, and when every firm that accepted has quoted.
 */
export async function submitQuote(
  ctx: ServiceContext,
  who: FirmWho,
  briefId: string,
  sent: QuoteInput,
): Promise<{ id: string; replaced: boolean }> {
  const actor = firmActor(who);
  const parsed = QuoteSchema.safeParse(sent);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceError(400, issue.message, issue.path.join('.') || 'quote');
  }
  const input = parsed.data;
  const today = isoDay(ctx.now());
  if (input.validUntil < today)
    throw new ServiceError(400, 'must not be in the past', 'validUntil');
  const brief = await ownBrief(ctx, actor, briefId);
  const firmId = brief.firmId;
  return onRequest<{ id: string; replaced: boolean }>(
    ctx,
    brief.requestId,
    async ({ trx, request, state, scope, now, at }) => {
      const current = state.briefs.find((b) => b.id === briefId)!;
      const through = input.reportDate > scope.neededBy ? input.reportDate : scope.neededBy;
      const standing = (await standingsAt(trx, 'quote', scope, [firmId], now, through)).get(
        firmId,
      )!;
      const decision = decideQuote({
        request: state,
        brief: current,
        standing,
        actor: lifecycleActor(actor),
        at,
      });
      if (!decision.ok) return { decision, result: { id: '', replaced: false } };
      const variants = new Map(scope.frameworks.map((f) => [f.framework, f.variant]));
      const lines: QuoteLine[] = [];
      for (const item of input.lineItems) {
        if (!variants.has(item.framework))
          throw new ServiceError(
            400,
            'Quote only the frameworks in the buyer’s scope.',
            'lineItems',
          );
        lines.push({
          ...item,
          label: lineLabel(item.framework, item.phase, variants.get(item.framework)),
        });
      }
      const live = await trx
        .selectFrom('quotes')
        .select(['id', 'status'])
        .where('briefId', '=', briefId)
        .where('status', '!=', 'withdrawn')
        .executeTakeFirst();
      if (live?.status === 'chosen')
        throw new ServiceError(
          409,
          'The buyer has chosen this quote; it can no longer be changed.',
        );
      if (live)
        await trx
          .updateTable('quotes')
          .set({ status: 'withdrawn', withdrawnReason: 'replaced' })
          .where('id', '=', live.id)
          .execute();
      const id = randomUUID();
      const sums = quoteSums(lines);
      await trx
        .insertInto('quotes')
        .values({
          id,
          briefId,
          requestId: brief.requestId,
          firmId,
          lineItems: JSON.stringify(lines),
          // One figure for the price index and the lead inbox: the year-one audit's midpoint.
          totalUsd: yearOneMidpoint(lines),
          yearOneMinUsd: sums.yearOne.minUsd,
          yearOneMaxUsd: sums.yearOne.maxUsd,
          fullCycleMinUsd: sums.fullCycle.minUsd,
          fullCycleMaxUsd: sums.fullCycle.maxUsd,
          startDate: input.startDate,
          reportDate: input.reportDate,
          assumptions: input.assumptions,
          callCouldChange: input.callCouldChange,
          validUntil: input.validUntil,
          status: 'submitted',
          createdAt: at,
          withdrawnReason: null,
        })
        .execute();
      await tellBuyerOfQuote(
        trx,
        ctx,
        request,
        { briefId, quoteId: id, firmName: current.firmName },
        now,
      );
      const auditActor = lifecycleActor(actor);
      await audit(trx, now, {
        actorKind:
          auditActor.kind === 'brief-link'
            ? 'system'
            : auditActor.kind === 'firm-user' || auditActor.kind === 'api-key'
              ? auditActor.kind
              : 'system',
        actorId: 'id' in auditActor ? auditActor.id : null,
        action: live ? 'quote.replaced' : 'quote.submitted',
        subjectKind: 'quote',
        subjectId: id,
        detail: { firmId, briefId, via: actor.kind, ...(live ? { replaces: live.id } : {}) },
      });
      return { decision, result: { id, replaced: Boolean(live) } };
    },
  );
}

/** The buyer hears of each quote as it arrives, and when every firm that accepted has quoted. */
async function tellBuyerOfQuote(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  request: QuoteRequestRow,
  quote: { briefId: string; quoteId: string; firmName: string },
  now: Date,
): Promise<void> {
  const buyer = buyerAddress(ctx.secrets, request);
  if (!buyer) return;
  const [accepted, quoted] = await Promise.all([
    trx
      .selectFrom('briefs')
      .select('id')
      .where('requestId', '=', request.id)
      .where('status', '=', 'accepted')
      .execute(),
    trx
      .selectFrom('quotes')
      .select('briefId')
      .where('requestId', '=', request.id)
      .where('status', '!=', 'withdrawn')
      .execute(),
  ]);
  const allIn =
    accepted.length > 0 && accepted.every((b) => quoted.some((q) => q.briefId === b.id));
  const link = await newPrivateLink(trx, ctx, request.id, now);
  await queueEmail(
    trx,
    ctx.secrets,
    `req:${request.id}:brief:${quote.briefId}:quote:${quote.quoteId}:arrived`,
    quoteArrivedEmail(buyer.email, buyer.name, quote.firmName, link, allIn),
    now,
  );
}

/**
 * The buyer marks one quote as chosen (a later choice moves the mark). The firm hears of it by
 * email and through its `quote.chosen` webhook, queued with the change.
 */
export async function chooseQuote(
  ctx: ServiceContext,
  requestId: string,
  quoteId: string,
): Promise<void> {
  await onRequest(ctx, requestId, async ({ trx, state, scope, now, at }) => {
    if (!isOpenRequest(state, at)) throw new ServiceError(409, 'This request is closed.');
    const quote = await trx
      .selectFrom('quotes')
      .innerJoin('firms', 'firms.id', 'quotes.firmId')
      .select([
        'quotes.id',
        'quotes.status',
        'quotes.briefId',
        'quotes.firmId',
        'quotes.totalUsd',
        'quotes.reportDate',
        'firms.name',
        'firms.leadEmail',
      ])
      .where('quotes.id', '=', quoteId)
      .where('quotes.requestId', '=', requestId)
      .executeTakeFirst();
    if (!quote || quote.status === 'withdrawn')
      throw new ServiceError(404, 'This quote is not one of yours to choose.');
    // Choosing commits the buyer to a firm: it must still stand, as for its quote.
    const through = quote.reportDate > scope.neededBy ? quote.reportDate : scope.neededBy;
    const standing = (await standingsAt(trx, 'quote', scope, [quote.firmId], now, through)).get(
      quote.firmId,
    )!;
    const brief = state.briefs.find((b) => b.id === quote.briefId)!;
    const check = decideQuote({ request: state, brief, standing, actor: { kind: 'buyer' }, at });
    if (!check.ok) {
      return {
        decision: {
          ...check,
          refusal: {
            ...check.refusal,
            message: `${quote.name} can no longer be chosen: ${standingProblem(standing) || check.refusal.message}`,
          },
        },
        result: null,
      };
    }
    if (quote.status === 'chosen') return { decision: check, result: null };
    await trx
      .updateTable('quotes')
      .set({ status: 'submitted' })
      .where('requestId', '=', requestId)
      .where('status', '=', 'chosen')
      .execute();
    await trx.updateTable('quotes').set({ status: 'chosen' }).where('id', '=', quoteId).execute();
    // The lead's own link: it works for a firm without an account as well as for its members.
    const leadUrl = briefLink(ctx, quote.briefId, new Date(state.expiresAt));
    const keyPrefix = `req:${requestId}:brief:${quote.briefId}:quote:${quoteId}`;
    if (quote.leadEmail) {
      await queueEmail(
        trx,
        ctx.secrets,
        `${keyPrefix}:chosen`,
        quoteChosenEmail(quote.leadEmail, quote.name, leadUrl),
        now,
      );
    }
    await enqueueFirmEvent(trx, ctx, {
      firmId: quote.firmId,
      type: 'quote.chosen',
      keyPrefix,
      data: {
        briefId: quote.briefId,
        quoteId,
        totalUsd: quote.totalUsd,
        url: `${ctx.config.publicUrl}/firm/leads/${quote.briefId}`,
      },
    });
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'quote.chosen',
      subjectKind: 'quote',
      subjectId: quoteId,
      detail: { requestId, firmId: quote.firmId },
    });
    return { decision: check, result: null };
  });
}
