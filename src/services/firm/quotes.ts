import { randomUUID } from 'node:crypto';
import { parseStoredScope } from '../../db/requests';
import { auditLabel } from '../../domain/matching/labels';
import type { FrameworkId } from '../../domain/vocabulary';
import { sealEmail } from '../../outbox/email';
import { enqueue } from '../../outbox/queue';
import { audit } from '../audit';
import type { SessionUser } from '../auth';
import { decideQuote } from '../../domain/lifecycle/decisions';
import { standingProblem } from '../../domain/lifecycle/standing';
import { isOpenRequest } from '../../domain/lifecycle/states';
import { OPEN_REQUEST_STATUSES, onRequest } from '../briefs';
import { standingsAt } from '../lifecycle';
import { type ServiceContext, ServiceError } from '../context';
import type { ScopeInput } from '../intake/schemas';
import { quoteChosenEmail } from './emails';
import { firmIdOf } from './profile';
import { phasesFor, QUOTE_PHASE_LABELS, type QuoteInput, type QuotePhase } from './schemas';
import { enqueueFirmEvent } from './webhooks';

/**
 * Itemised quotes: a firm quotes against the buyer's scope sheet for a brief it accepted; the
 * buyer compares them side by side and may mark one chosen. One live quote per brief (a new one
 * replaces it) and one chosen quote per request: the database enforces both (migration 002).
 */

export interface QuoteLine {
  framework: FrameworkId;
  phase: QuotePhase;
  label: string;
  feeUsd: number;
}

export interface StoredQuote {
  id: string;
  status: string;
  lineItems: QuoteLine[];
  totalUsd: number;
  startDate: string;
  reportDate: string;
  assumptions: string;
  validUntil: string;
  createdAt: string;
}

/** The line a buyer reads in the side-by-side table: "SOC 2 Type 2: Type II report". */
export function lineLabel(framework: FrameworkId, phase: QuotePhase, variant?: string): string {
  return `${auditLabel(framework, variant)}: ${QUOTE_PHASE_LABELS[phase]}`;
}

/** What a quote form offers for a scope: each requested framework with its phases. */
export function quoteSheet(scope: ScopeInput): { framework: FrameworkId; variant?: string; phases: readonly QuotePhase[] }[] {
  return scope.frameworks.map((f) => ({ framework: f.framework as FrameworkId, ...(f.variant ? { variant: f.variant } : {}), phases: phasesFor(f.framework as FrameworkId) }));
}

/** The brief (of the user's firm) a quote is for, its scope and its live quote, if any. */
export async function quoteContext(ctx: ServiceContext, user: SessionUser, briefId: string) {
  const firmId = firmIdOf(user);
  const row = await ctx.db.kysely
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .select(['briefs.id', 'briefs.status', 'quoteRequests.status as requestStatus', 'quoteRequests.scope'])
    .where('briefs.id', '=', briefId)
    .where('briefs.firmId', '=', firmId)
    .executeTakeFirst();
  if (!row) throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
  if (row.status !== 'accepted') throw new ServiceError(409, 'Accept the brief before you send a quote.');
  const quote = await ctx.db.kysely.selectFrom('quotes').selectAll().where('briefId', '=', briefId).where('status', '!=', 'withdrawn').executeTakeFirst();
  return {
    briefId: row.id,
    requestOpen: OPEN_REQUEST_STATUSES.includes(row.requestStatus),
    scope: parseStoredScope(row.scope),
    quote: quote
      ? ({
          id: quote.id,
          status: quote.status,
          lineItems: JSON.parse(quote.lineItems) as QuoteLine[],
          totalUsd: quote.totalUsd,
          startDate: quote.startDate,
          reportDate: quote.reportDate,
          assumptions: quote.assumptions,
          validUntil: quote.validUntil,
          createdAt: quote.createdAt,
        } satisfies StoredQuote)
      : null,
  };
}

/**
 * Submits (or replaces) the firm's quote for an accepted brief. Only frameworks in the buyer's
 * scope may be quoted; a quote the buyer already chose is final. The firm is re-checked as it
 * stands now, with credentials that must last until the report date it quotes.
 */
export async function submitQuote(ctx: ServiceContext, user: SessionUser, briefId: string, input: QuoteInput): Promise<{ id: string; replaced: boolean }> {
  const firmId = firmIdOf(user);
  const today = ctx.now().toISOString().slice(0, 10);
  if (input.validUntil < today) throw new ServiceError(400, 'must not be in the past', 'validUntil');
  const brief = await ctx.db.kysely.selectFrom('briefs').select(['requestId', 'firmId']).where('id', '=', briefId).executeTakeFirst();
  if (!brief || brief.firmId !== firmId) throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
  return onRequest<{ id: string; replaced: boolean }>(ctx, brief.requestId, async ({ trx, state, scope, now, at }) => {
    const current = state.briefs.find((b) => b.id === briefId)!;
    const through = input.reportDate > scope.neededBy ? input.reportDate : scope.neededBy;
    const standing = (await standingsAt(trx, 'quote', scope, [firmId], now, through)).get(firmId)!;
    const decision = decideQuote({ request: state, brief: current, standing, actor: { kind: 'firm-user', id: user.id }, at });
    if (!decision.ok) return { decision, result: { id: '', replaced: false } };
    const variants = new Map(scope.frameworks.map((f) => [f.framework, f.variant]));
    const lines: QuoteLine[] = [];
    for (const item of input.lineItems) {
      if (!variants.has(item.framework)) throw new ServiceError(400, 'Quote only the frameworks in the buyer’s scope.', 'lineItems');
      lines.push({ ...item, label: lineLabel(item.framework, item.phase, variants.get(item.framework)) });
    }
    const live = await trx.selectFrom('quotes').select(['id', 'status']).where('briefId', '=', briefId).where('status', '!=', 'withdrawn').executeTakeFirst();
    if (live?.status === 'chosen') throw new ServiceError(409, 'The buyer has chosen this quote; it can no longer be changed.');
    if (live) await trx.updateTable('quotes').set({ status: 'withdrawn', withdrawnReason: 'replaced' }).where('id', '=', live.id).execute();
    const id = randomUUID();
    await trx
      .insertInto('quotes')
      .values({
        id,
        briefId,
        requestId: brief.requestId,
        firmId,
        lineItems: JSON.stringify(lines),
        totalUsd: lines.reduce((sum, l) => sum + l.feeUsd, 0),
        startDate: input.startDate,
        reportDate: input.reportDate,
        assumptions: input.assumptions,
        validUntil: input.validUntil,
        status: 'submitted',
        createdAt: at,
        withdrawnReason: null,
      })
      .execute();
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: user.id,
      action: live ? 'quote.replaced' : 'quote.submitted',
      subjectKind: 'quote',
      subjectId: id,
      detail: { firmId, briefId, ...(live ? { replaces: live.id } : {}) },
    });
    return { decision, result: { id, replaced: Boolean(live) } };
  });
}

/**
 * The buyer marks one quote as chosen (a later choice moves the mark). The firm hears of it by
 * email and through its `quote.chosen` webhook, queued with the change.
 */
export async function chooseQuote(ctx: ServiceContext, requestId: string, quoteId: string): Promise<void> {
  await onRequest(ctx, requestId, async ({ trx, state, scope, now, at }) => {
    if (!isOpenRequest(state, at)) throw new ServiceError(409, 'This request is closed.');
    const quote = await trx
      .selectFrom('quotes')
      .innerJoin('firms', 'firms.id', 'quotes.firmId')
      .select(['quotes.id', 'quotes.status', 'quotes.briefId', 'quotes.firmId', 'quotes.totalUsd', 'quotes.reportDate', 'firms.name', 'firms.leadEmail'])
      .where('quotes.id', '=', quoteId)
      .where('quotes.requestId', '=', requestId)
      .executeTakeFirst();
    if (!quote || quote.status === 'withdrawn') throw new ServiceError(404, 'This quote is not one of yours to choose.');
    // Choosing commits the buyer to a firm: it must still stand, as for its quote.
    const through = quote.reportDate > scope.neededBy ? quote.reportDate : scope.neededBy;
    const standing = (await standingsAt(trx, 'quote', scope, [quote.firmId], now, through)).get(quote.firmId)!;
    const brief = state.briefs.find((b) => b.id === quote.briefId)!;
    const check = decideQuote({ request: state, brief, standing, actor: { kind: 'buyer' }, at });
    if (!check.ok) {
      return {
        decision: { ...check, refusal: { ...check.refusal, message: `${quote.name} can no longer be chosen: ${standingProblem(standing) || check.refusal.message}` } },
        result: null,
      };
    }
    if (quote.status === 'chosen') return { decision: check, result: null };
    await trx.updateTable('quotes').set({ status: 'submitted' }).where('requestId', '=', requestId).where('status', '=', 'chosen').execute();
    await trx.updateTable('quotes').set({ status: 'chosen' }).where('id', '=', quoteId).execute();
    const leadUrl = `${ctx.config.publicUrl}/firm/leads/${quote.briefId}`;
    const keyPrefix = `req:${requestId}:brief:${quote.briefId}:quote:${quoteId}`;
    if (quote.leadEmail) {
      await enqueue(trx, { channel: 'email', idempotencyKey: `${keyPrefix}:chosen`, payload: sealEmail(ctx.secrets, quoteChosenEmail(quote.leadEmail, quote.name, leadUrl)) }, now);
    }
    await enqueueFirmEvent(trx, ctx, {
      firmId: quote.firmId,
      type: 'quote.chosen',
      keyPrefix,
      data: { briefId: quote.briefId, quoteId, totalUsd: quote.totalUsd, url: leadUrl },
    });
    await audit(trx, now, { actorKind: 'buyer', action: 'quote.chosen', subjectKind: 'quote', subjectId: quoteId, detail: { requestId, firmId: quote.firmId } });
    return { decision: check, result: null };
  });
}
