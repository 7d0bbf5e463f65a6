import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { siblingRequests } from '../db/requests';
import {
  type Actor,
  type BriefAnswer,
  type Decision,
  type RequestState,
  decideAnswer,
  decideExpiry,
  decideFirmWithdrawal,
  decideQuoteLapse,
  decideSendBriefs,
  firmsHoldingBuyer,
} from '../domain/lifecycle/decisions';
import {
  isActiveBrief,
  OPEN_REQUEST_STATUSES,
  REQUEST_LIFETIME_DAYS,
} from '../domain/lifecycle/states';
import { match, type Proposal } from '../domain/matching';
import type { FrameworkId } from '../domain/vocabulary';
import { addBusinessDays } from './calendar';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import type { ScopeInput } from './intake/schemas';
import { toMatchScope } from './intake/scope';
import { briefLink, onRequest, scopeOf, standingOf, standingsAt } from './lifecycle';
import { DAY_MS, isoDay } from '../domain/matching/dates';

export type { BriefAnswer };
export { briefLink, onRequest };

/** The brief a link points to, or null when the link is forged or past its expiry. */
export function readBriefLink(ctx: ServiceContext, token: string): string | null {
  const claims = ctx.secrets.verify<{ b: string; exp: number }>(token);
  if (!claims || typeof claims.b !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 < ctx.now().getTime()) return null;
  return claims.b;
}

/**
 * The next best firms the buyer could send its brief to now: eligible today, neither briefed for
 * this request nor holding another of the buyer's open requests. Used for replacement offers.
 */
export async function replacementCandidates(
  ctx: ServiceContext,
  requestId: string,
  limit = 3,
): Promise<Proposal[]> {
  const db = ctx.db.kysely;
  const request = await db
    .selectFrom('quoteRequests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!request) return [];
  const at = ctx.now().toISOString();
  const [briefed, siblings] = await Promise.all([
    db.selectFrom('briefs').select('firmId').where('requestId', '=', requestId).execute(),
    siblingRequests(db, request, at),
  ]);
  const taken = new Set(briefed.map((b) => b.firmId));
  for (const s of siblings)
    for (const b of s.briefs) if (isActiveBrief(b.status)) taken.add(b.firmId);
  // The whole snapshot with the taken firms excluded, not a filtered copy: the matcher's facts
  // and index are built once per snapshot, and a copy rebuilt them (25 ms at 10,000 firms) on
  // every buyer page that offers replacements.
  const firms = await ctx.catalog.firms();
  const scope = toMatchScope(scopeOf(request), firms);
  const result = match(
    firms,
    { ...scope, excludeFirmIds: [...scope.excludeFirmIds, ...taken] },
    { today: isoDay(ctx.now()), rotation: 0 },
  );
  return [...result.proposals, ...result.alternates].slice(0, limit);
}

/**
 * Sends the anonymised brief to the firms the buyer chose, each re-checked from the firm as
 * stored now: at most three firms hold one buyer's contact across all its open requests, and no
 * firm holds it twice. Serialised per buyer (lockBuyer) and per request.
 */
export async function sendBriefs(
  ctx: ServiceContext,
  requestId: string,
  firmIds: string[],
): Promise<number> {
  const chosen = [...new Set(firmIds)];
  const proposals = await ctx.db.kysely
    .selectFrom('proposals')
    .select(['firmId', 'status'])
    .where('requestId', '=', requestId)
    .execute();
  // Firms outside the stored proposals may be chosen only as live replacement offers.
  const needsOffer = chosen.some(
    (id) => !proposals.some((p) => p.firmId === id && p.status === 'proposed'),
  );
  const offers = needsOffer ? await replacementCandidates(ctx, requestId, 10) : [];
  return onRequest(
    ctx,
    requestId,
    async ({ trx, request, state, scope, now, at }) => {
      const siblings = await siblingRequests(trx, request, at);
      const standings = await standingsAt(trx, 'send-brief', scope, chosen, now);
      const decision = decideSendBriefs({
        request: state,
        siblings,
        chosen,
        offers,
        standings,
        at,
      });
      return { decision, result: chosen.length };
    },
    { buyerLock: true },
  );
}

/**
 * A firm's answer to a brief, from an email link, the workspace or the API. Accepting re-checks
 * the firm as stored now, takes a slot of its monthly capacity and releases the buyer's contact
 * (audit-logged); declining lets the buyer pick a replacement. Each brief is answered once.
 */
export async function respondToBrief(
  ctx: ServiceContext,
  briefId: string,
  answer: BriefAnswer,
  /** Who answers; `firmId` (the signed-in firm or the API key's) must be the brief's firm. */
  by: Extract<Actor, { kind: 'firm-user' | 'brief-link' | 'api-key' }> & { firmId?: string },
): Promise<{ status: 'accepted' | 'declined' }> {
  const { firmId, ...actor } = by;
  const brief = await ctx.db.kysely
    .selectFrom('briefs')
    .select(['requestId', 'firmId'])
    .where('id', '=', briefId)
    .executeTakeFirst();
  if (!brief || (firmId !== undefined && brief.firmId !== firmId)) {
    throw new ServiceError(404, 'This brief does not exist or is not addressed to your firm.');
  }
  return onRequest(ctx, brief.requestId, async ({ trx, state, scope, now, at }) => {
    const current = state.briefs.find((b) => b.id === briefId);
    if (!current)
      throw new ServiceError(404, 'This brief does not exist or is not addressed to your firm.');
    const standing = (await standingsAt(trx, 'accept', scope, [current.firmId], now)).get(
      current.firmId,
    )!;
    const decision = decideAnswer({
      request: state,
      brief: current,
      answer,
      standing,
      frameworks: scope.frameworks.map((f) => f.framework as FrameworkId),
      actor: actor as Actor,
      at,
      quoteBy: addBusinessDays(now, ctx.config.responseWindowBusinessDays).toISOString(),
    });
    return {
      decision,
      result: {
        status: answer.action === 'accept' ? ('accepted' as const) : ('declined' as const),
      },
    };
  });
}

/**
 * Briefs left unanswered past their window expire: the firm never gets the contact, and the
 * buyer is told it can pick the next best fit. Run by the maintenance loop.
 */
export async function expireBriefs(ctx: ServiceContext): Promise<number> {
  const { changed } = await sweepDueBriefs(
    ctx,
    (due, at) => due.where('status', '=', 'sent').where('respondBy', '<', at),
    async ({ state, brief, at }) => decideExpiry({ request: state, brief, at }),
  );
  return changed;
}

type DueBriefs = SelectQueryBuilder<Database, 'briefs', { id: string; requestId: string }>;

/**
 * However little changed, the lapse and lost-standing sweeps read everything in their range
 * again at least this often (between, each reads only what changed since its last pass).
 */
const FULL_SWEEP_MS = 60 * 60_000;

/** Due briefs a sweep handles at a time; the rest wait for the next pass. */
const DUE_BRIEFS_PAGE = 200;

/**
 * The maintenance loop's sweep over briefs whose deadline passed: up to DUE_BRIEFS_PAGE at a
 * time, each decided under its request's lock. A brief answered, quoted or withdrawn a moment
 * ago (by another instance) is refused by its decision and skipped. Returns how many changed,
 * the instant it judged at, and whether a full page was due (more may wait).
 */
async function sweepDueBriefs(
  ctx: ServiceContext,
  select: (due: DueBriefs, at: string) => DueBriefs,
  decide: (s: {
    trx: Kysely<Database>;
    state: RequestState;
    brief: RequestState['briefs'][number];
    at: string;
  }) => Promise<Decision>,
): Promise<{ changed: number; at: string; more: boolean }> {
  const at = ctx.now().toISOString();
  const due = await select(ctx.db.kysely.selectFrom('briefs').select(['id', 'requestId']), at)
    .limit(DUE_BRIEFS_PAGE)
    .execute();
  let changed = 0;
  for (const { id, requestId } of due) {
    try {
      await onRequest(ctx, requestId, async ({ trx, state, at }) => {
        const brief = state.briefs.find((b) => b.id === id);
        if (!brief) throw new ServiceError(404, 'gone');
        return { decision: await decide({ trx, state, brief, at }), result: null };
      });
      changed++;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
    }
  }
  return { changed, at, more: due.length === DUE_BRIEFS_PAGE };
}

/**
 * A brief with no live row in `table`: a quote that is not withdrawn, or a call that is not
 * cancelled (a call booked or held keeps a brief from lapsing for want of a quote).
 */
function withoutLive(table: 'quotes' | 'calls', dead: 'withdrawn' | 'cancelled') {
  return ({ not, exists, selectFrom }: ExpressionBuilder<Database, 'briefs'>) =>
    not(
      exists(
        selectFrom(table)
          .select(`${table}.id`)
          .whereRef(`${table}.briefId`, '=', 'briefs.id')
          .where(`${table}.status`, '!=', dead),
      ),
    );
}

/** A brief without a live quote: a withdrawn quote does not count. */
export const withoutLiveQuote = withoutLive('quotes', 'withdrawn');
const withoutLiveCall = withoutLive('calls', 'cancelled');

/**
 * Per database, this instance's last lapse sweep: when it last read every deadline of a request's
 * lifetime, and the instant up to which it has read the deadlines passed.
 */
const lapseSweeps = new WeakMap<object, { fullAt: number; through: string }>();

/**
 * Accepted briefs whose firm let its quote window pass without quoting (and without a call
 * booked) lapse: the buyer hears it and may choose another firm. Run by the maintenance loop.
 *
 * A deadline older than a request's lifetime belongs to a request that has ended, where a lapse
 * tells no one; within it, every accepted brief keeps its deadline after it quotes, so the
 * deadlines passed are nearly every accepted brief (267,000 at a million requests a year, over
 * 2 s a pass to find none due). So a pass reads the deadlines passed since this instance's last
 * pass read up to (ADR 0030), and every deadline of the lifetime at least hourly: that catches a
 * brief whose call was cancelled after its deadline, within the hour.
 */
export async function lapseUnquotedBriefs(ctx: ServiceContext): Promise<number> {
  const now = ctx.now();
  const last = lapseSweeps.get(ctx.db.kysely);
  // A clock set back (tests, a corrected host clock) reads everything again too.
  const full =
    !last || now.getTime() - last.fullAt >= FULL_SWEEP_MS || now.toISOString() < last.through;
  const since = full
    ? new Date(now.getTime() - REQUEST_LIFETIME_DAYS * DAY_MS).toISOString()
    : last.through;
  const { changed, at, more } = await sweepDueBriefs(
    ctx,
    (due, at) =>
      due
        .where('status', '=', 'accepted')
        .where('quoteBy', '<', at)
        .where('quoteBy', '>=', since)
        .where(withoutLiveQuote)
        .where(withoutLiveCall),
    async ({ trx, state, brief, at }) => {
      const hasQuote = state.quotes.some((q) => q.briefId === brief.id && q.status !== 'withdrawn');
      const hasLiveCall =
        (await trx
          .selectFrom('calls')
          .select('id')
          .where('briefId', '=', brief.id)
          .where('status', '!=', 'cancelled')
          .executeTakeFirst()) !== undefined;
      return decideQuoteLapse({ request: state, brief, hasQuote, hasLiveCall, at });
    },
  );
  // With more due than one page, the next pass reads the same deadlines again (the lapsed
  // ones are no longer accepted), so none is passed over.
  if (!more)
    lapseSweeps.set(ctx.db.kysely, { fullAt: full ? now.getTime() : last.fullAt, through: at });
  return changed;
}

/**
 * A request still open, by status and by date, in a query joining `quoteRequests`. A request
 * past its end keeps its status until retention, and by then its buyer's contact may be erased:
 * a withdrawal there has no one to tell (it failed the whole maintenance pass, every minute).
 */
const openRequest = (now: Date) => (eb: ExpressionBuilder<Database, 'quoteRequests'>) =>
  eb.and([
    eb('quoteRequests.status', 'in', [...OPEN_REQUEST_STATUSES]),
    eb('quoteRequests.expiresAt', '>=', now.toISOString()),
  ]);

/**
 * Withdraws the firm's open briefs on every open request, for a reason on the firm's side
 * (suspension, or a standing it lost): the buyers are told and offered replacements. Called in
 * its own transactions, one request at a time (each under the request's lock).
 */
export async function withdrawFirmBriefs(
  ctx: ServiceContext,
  firmId: string,
  reason: 'firm-suspended' | 'firm-no-longer-eligible',
  note: string,
  actor: Actor,
  onlyRequestIds?: readonly string[],
): Promise<number> {
  let query = ctx.db.kysely
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .select('briefs.requestId')
    .where('briefs.firmId', '=', firmId)
    .where('briefs.status', 'in', ['sent', 'accepted'])
    .where(openRequest(ctx.now()));
  if (onlyRequestIds)
    query = query.where(
      'briefs.requestId',
      'in',
      onlyRequestIds.length ? [...onlyRequestIds] : [''],
    );
  const open = await query.execute();
  let withdrawn = 0;
  for (const { requestId } of open) {
    withdrawn += await onRequest(ctx, requestId, async ({ state }) => {
      const decision = decideFirmWithdrawal({ request: state, firmId, reason, note, actor });
      return { decision, result: decision.effects.filter((e) => e.kind === 'brief-status').length };
    });
  }
  return withdrawn;
}

/** Open briefs the sweep below reads at a time. */
const LOST_BRIEFS_PAGE = 2000;

/**
 * Per database, where this instance's last sweep stopped: the catalog version and day it judged
 * at, when it last read every open brief, and the last brief it read.
 */
const lostSweeps = new WeakMap<
  object,
  { version: number; day: string; fullAt: number; after: BriefKey | null }
>();

type BriefKey = [sentAt: string, id: string];

/**
 * Over time, firms lose what made them eligible (a credential expires, a consultancy link is
 * added): every open brief is checked against its firm as stored now, and the ones the firm can
 * no longer hold are withdrawn so the buyer can choose another. Run by the maintenance loop.
 *
 * Every open brief, page by page in the order they were sent: the sweep once read only the 500
 * oldest, so at a million requests a year (hundreds of thousands open) a firm's newer briefs were
 * never checked. Each page is judged against the catalog snapshot first, which only points at
 * candidates; those are judged again from the database under their request's lock.
 *
 * Whether a firm can still hold a brief depends only on the firm as the catalog holds it, the
 * request's scope (never changed after confirmation) and the day. So while the catalog version
 * and the day stay as they were at this instance's last sweep, the sweep reads only the briefs
 * sent since (ADR 0030); every open brief again when either moves, and at least hourly.
 */
export async function withdrawLostBriefs(
  ctx: ServiceContext,
  options: { firmId?: string; pageSize?: number } = {},
): Promise<number> {
  const pageSize = options.pageSize ?? LOST_BRIEFS_PAGE;
  const firms = new Map((await ctx.catalog.firms()).map((f) => [f.id, f]));
  const version = ctx.catalog.version;
  const now = ctx.now();
  const day = isoDay(now);
  const last = options.firmId ? undefined : lostSweeps.get(ctx.db.kysely);
  const full =
    !last ||
    last.version !== version ||
    last.day !== day ||
    now.getTime() - last.fullAt >= FULL_SWEEP_MS;
  let after = full ? null : last.after;
  let withdrawn = 0;
  for (;;) {
    let query = ctx.db.kysely
      .selectFrom('briefs')
      .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
      .select([
        'briefs.id',
        'briefs.firmId',
        'briefs.requestId',
        'briefs.sentAt',
        'quoteRequests.scope',
      ])
      .where('briefs.status', 'in', ['sent', 'accepted'])
      .where(openRequest(now));
    if (options.firmId) query = query.where('briefs.firmId', '=', options.firmId);
    if (after) {
      const key = after;
      query = query.where((eb) =>
        eb(eb.refTuple('briefs.sentAt', 'briefs.id'), '>', eb.tuple(key[0], key[1])),
      );
    }
    const rows = await query
      .orderBy('briefs.sentAt')
      .orderBy('briefs.id')
      .limit(pageSize)
      .execute();
    const scopes = new Map<string, ScopeInput>();
    for (const row of rows) {
      const firm = firms.get(row.firmId);
      if (firm) {
        const scope = scopes.get(row.requestId) ?? scopeOf(row);
        scopes.set(row.requestId, scope);
        if (!standingOf('read-contact', firm, scope, now).lost) continue;
      }
      withdrawn += await withdrawIfLost(ctx, row);
    }
    const end = rows.at(-1);
    if (end) after = [end.sentAt, end.id];
    if (rows.length < pageSize) break;
  }
  if (!options.firmId)
    lostSweeps.set(ctx.db.kysely, {
      version,
      day,
      fullAt: full ? now.getTime() : last.fullAt,
      after,
    });
  return withdrawn;
}

/** One brief the snapshot doubts, judged from the database under its request's lock. */
function withdrawIfLost(
  ctx: ServiceContext,
  row: { firmId: string; requestId: string },
): Promise<number> {
  return onRequest(ctx, row.requestId, async ({ trx, state, scope, now: judgedAt }) => {
    const standing = (await standingsAt(trx, 'read-contact', scope, [row.firmId], judgedAt)).get(
      row.firmId,
    )!;
    const decision: Decision = standing.lost
      ? decideFirmWithdrawal({
          request: state,
          firmId: row.firmId,
          reason: standing.failures.some((f) => f.code === 'firm-not-active')
            ? 'firm-suspended'
            : 'firm-no-longer-eligible',
          note: standing.failures.map((f) => f.message).join('; '),
          actor: { kind: 'system' },
        })
      : { ok: true, effects: [] };
    return {
      decision,
      result: decision.effects.filter((e) => e.kind === 'brief-status').length,
    };
  });
}

/** Firms holding, or about to hold, the buyer's contact across its open requests (for pages). */
export { firmsHoldingBuyer };
