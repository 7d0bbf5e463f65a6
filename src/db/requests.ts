import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type {
  BriefState,
  ProposalState,
  QuoteState,
  RequestState,
  SiblingRequest,
} from '../domain/lifecycle/decisions';
import { OPEN_REQUEST_STATUSES } from '../domain/lifecycle/states';
import type { MatchResult } from '../domain/matching';
import { MATCHED_AT } from '../domain/metrics';
import type { FrameworkId } from '../domain/vocabulary';
import { type ScopeInput, ScopeSchema } from '../services/intake/schemas';
import type { DialectName } from './client';
import type { CallState } from '../domain/lifecycle/calls';
import type {
  BriefsTable,
  CallsTable,
  Database,
  ProposalsTable,
  QuotesTable,
  QuoteRequestsTable,
} from './schema';

/**
 * How many firms a request's match proposed within the promised three (ranks 1–3; alternates and
 * later replacements rank after them), as counted on the request when they were added
 * (migration 015).
 */
export const proposedFirms = (eb: ExpressionBuilder<Database, 'quoteRequests'>) =>
  eb.ref('quoteRequests.proposedTop');

/**
 * Counts the request's proposals within the promised three into its `proposed_top`, after
 * proposals were added: at confirmation, and when a replacement for a shortfall lands there.
 */
export async function countProposedFirms(trx: Kysely<Database>, requestId: string): Promise<void> {
  await trx
    .updateTable('quoteRequests')
    .set((eb) => ({
      proposedTop: eb
        .selectFrom('proposals')
        .select(eb.fn.countAll<number>().as('n'))
        .where('proposals.requestId', '=', requestId)
        .where('proposals.rank', '<=', MATCHED_AT),
    }))
    .where('id', '=', requestId)
    .execute();
}

/**
 * Rows of the request-and-brief tables as the services and the lifecycle read them: one mapper
 * per table, status columns already typed, stored JSON parsed with its schema (a scope that no
 * longer parses is a bug to surface, not data to guess at).
 */

export type QuoteRequestRow = Selectable<QuoteRequestsTable>;
export type BriefRow = Selectable<BriefsTable>;

/** The stored scope, parsed with the same schema that accepted it. */
export function parseStoredScope(json: string): ScopeInput {
  return ScopeSchema.parse(JSON.parse(json));
}

export function parseMatchResult(json: string | null): MatchResult | null {
  return json === null ? null : (JSON.parse(json) as MatchResult);
}

export function toBriefState(
  row: Pick<
    BriefRow,
    'id' | 'firmId' | 'status' | 'respondBy' | 'withdrawnReason' | 'contactReleasedAt' | 'quoteBy'
  >,
  firmName: string,
): BriefState {
  return {
    id: row.id,
    firmId: row.firmId,
    firmName,
    status: row.status,
    respondBy: row.respondBy,
    withdrawnReason: row.withdrawnReason,
    contactReleasedAt: row.contactReleasedAt,
    quoteBy: row.quoteBy,
  };
}

export type CallRow = Selectable<CallsTable>;

/** A stored call as the lifecycle reads it: instants as numbers, offered times parsed. */
export function toCallState(
  row: Pick<CallRow, 'id' | 'briefId' | 'firmId' | 'status' | 'startsAt' | 'offeredSlots'>,
): CallState {
  return {
    id: row.id,
    briefId: row.briefId,
    firmId: row.firmId,
    status: row.status,
    start: row.startsAt === null ? null : Date.parse(row.startsAt),
    offeredSlots:
      row.offeredSlots === null
        ? []
        : (JSON.parse(row.offeredSlots) as string[]).map((s) => Date.parse(s)),
  };
}

export function toProposalState(
  row: Pick<Selectable<ProposalsTable>, 'id' | 'firmId' | 'status'>,
): ProposalState {
  return { id: row.id, firmId: row.firmId, status: row.status };
}

export function toQuoteState(
  row: Pick<Selectable<QuotesTable>, 'id' | 'briefId' | 'firmId' | 'status'>,
): QuoteState {
  return { id: row.id, briefId: row.briefId, firmId: row.firmId, status: row.status };
}

const frameworksOf = (scope: ScopeInput): FrameworkId[] =>
  scope.frameworks.map((f) => f.framework as FrameworkId);

/**
 * Reads a request and, on PostgreSQL, locks its row until the transaction ends, so racing
 * choices and firm answers on one request are applied one after another. SQLite runs one
 * write transaction at a time, which gives the same order without a row lock.
 */
export async function lockRequest(
  trx: Kysely<Database>,
  dialect: DialectName,
  id: string,
): Promise<QuoteRequestRow | undefined> {
  const query = trx.selectFrom('quoteRequests').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

/** Everything the lifecycle decides on for one request: its briefs, proposals and quotes. */
export async function requestState(
  trx: Kysely<Database>,
  request: QuoteRequestRow,
): Promise<RequestState> {
  const [briefs, proposals, quotes, calls] = await Promise.all([
    trx
      .selectFrom('briefs')
      .innerJoin('firms', 'firms.id', 'briefs.firmId')
      .select([
        'briefs.id',
        'briefs.firmId',
        'briefs.status',
        'briefs.respondBy',
        'briefs.withdrawnReason',
        'briefs.contactReleasedAt',
        'briefs.quoteBy',
        'firms.name',
      ])
      .where('briefs.requestId', '=', request.id)
      .orderBy('briefs.sentAt')
      .execute(),
    trx
      .selectFrom('proposals')
      .select(['id', 'firmId', 'status'])
      .where('requestId', '=', request.id)
      .orderBy('rank')
      .execute(),
    trx
      .selectFrom('quotes')
      .select(['id', 'briefId', 'firmId', 'status'])
      .where('requestId', '=', request.id)
      .execute(),
    trx
      .selectFrom('calls')
      .select(['id', 'briefId', 'status'])
      .where('requestId', '=', request.id)
      .where('status', '!=', 'cancelled')
      .execute(),
  ]);
  return {
    id: request.id,
    reference: request.reference,
    status: request.status,
    expiresAt: request.expiresAt,
    contactHeld:
      request.contactEmailEnc !== null &&
      request.contactNameEnc !== null &&
      request.companyEnc !== null,
    frameworks: frameworksOf(parseStoredScope(request.scope)),
    briefs: briefs.map((b) => toBriefState(b, b.name)),
    proposals: proposals.map(toProposalState),
    quotes: quotes.map(toQuoteState),
    calls: calls.map((c) => ({
      id: c.id,
      briefId: c.briefId,
      status: c.status as 'offered' | 'booked',
    })),
  };
}

/**
 * The buyer's other open requests (same confirmed address), with their briefs. Whoever may add a
 * firm to them holds `lockBuyer` first, so what is read here cannot change underneath.
 */
export async function siblingRequests(
  trx: Kysely<Database>,
  request: Pick<QuoteRequestRow, 'id' | 'emailHash'>,
  at: string,
): Promise<SiblingRequest[]> {
  if (!request.emailHash) return [];
  const query = trx
    .selectFrom('quoteRequests')
    .select(['id', 'reference', 'scope'])
    .where('emailHash', '=', request.emailHash)
    .where('id', '!=', request.id)
    .where('status', 'in', [...OPEN_REQUEST_STATUSES])
    .where('expiresAt', '>=', at)
    .orderBy('id');
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const briefs = await trx
    .selectFrom('briefs')
    .innerJoin('firms', 'firms.id', 'briefs.firmId')
    .select(['briefs.requestId', 'briefs.firmId', 'briefs.status', 'firms.name'])
    .where(
      'briefs.requestId',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    frameworks: frameworksOf(parseStoredScope(r.scope)),
    briefs: briefs
      .filter((b) => b.requestId === r.id)
      .map((b) => ({ firmId: b.firmId, firmName: b.name, status: b.status })),
  }));
}

/**
 * On PostgreSQL, serialises the steps that add firms or requests for one buyer address (choosing
 * firms, confirming a request): a transaction-scoped advisory lock keyed on the address hash,
 * taken before any request row is locked, so locks are always taken buyer first, then request.
 * SQLite runs one write transaction at a time already.
 */
export async function lockBuyer(
  trx: Kysely<Database>,
  dialect: DialectName,
  emailHash: string | null,
): Promise<void> {
  if (!emailHash) return;
  await advisoryLock(trx, dialect, `buyer:${emailHash}`);
}

/**
 * The same for one firm's calendar: booking a call with a firm takes the buyer's lock, then the
 * firm's, so two buyers cannot book one slot at once (and the order never deadlocks).
 */
export async function lockFirmCalendar(
  trx: Kysely<Database>,
  dialect: DialectName,
  firmId: string,
): Promise<void> {
  await advisoryLock(trx, dialect, `firm-calendar:${firmId}`);
}

async function advisoryLock(
  trx: Kysely<Database>,
  dialect: DialectName,
  key: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
