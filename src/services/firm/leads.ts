import type { Kysely } from 'kysely';
import { loadFirm } from '../../db/firms';
import { parseStoredScope } from '../../db/requests';
import type { ScopeInput } from '../intake/schemas';
import type { Database } from '../../db/schema';
import { type BriefAnswer, contactAccess } from '../../domain/lifecycle/decisions';
import { type Standing, unknownFirmStanding } from '../../domain/lifecycle/standing';
import {
  type BriefStatus,
  isOpenRequest,
  type WithdrawalReason,
} from '../../domain/lifecycle/states';
import type { QuoteLine } from '../../domain/quotes';
import { WITHDRAWAL_WORDS } from '../../domain/lifecycle/decisions';
import { requestLabel } from '../../domain/matching/labels';
import type { RequestedFramework } from '../../domain/matching/scope';
import {
  BUDGET_BAND_LABELS,
  type BudgetBand,
  type CompanyStage,
  INDUSTRY_LABELS,
  type Industry,
  REGION_LABELS,
  type Region,
  STAGE_LABELS,
} from '../../domain/vocabulary';
import { type ActorKind, auditMany } from '../audit';
import type { SessionUser } from '../auth';
import { respondToBrief } from '../briefs';
import { standingOf } from '../lifecycle';
import { type CallView, callView } from '../calls';
import type { ServiceContext } from '../context';
import { briefSummary, scopeSheet } from '../emails';
import { formatCsv } from '../../domain/csv';
import { threadOf, type ThreadMessage } from '../messages';
import { assertOwnBrief, firmActor, type FirmWho } from './actor';
import { firmIdOf } from './profile';
import { storedLines } from './quotes';
import { type CursorKey, decodeCursor, encodeCursor, pageOf } from '../paging';
import { LEADS_PAGE_DEFAULT } from './schemas';
import { type AnonymisedScope, anonymiseScope } from './scope';

/**
 * The lead inbox: the briefs sent to one firm, never another's. The buyer's contact is shown
 * only for a brief the firm accepted, while the request is open and not erased, and while the
 * firm — as stored at this moment — is active, qualified and independent for that scope (the
 * read-contact door). Every showing (page, CSV, API) is written to the audit log as
 * `contact.viewed`.
 */

export interface BuyerContact {
  name: string;
  email: string;
  company: string;
  phone: string | null;
}

export interface Lead {
  id: string;
  /** The request's reference, which withdrawal emails name. */
  reference: string;
  status: BriefStatus;
  sentAt: string;
  respondBy: string;
  respondedAt: string | null;
  declineReason: string | null;
  /** Why the brief was withdrawn, in words; null unless withdrawn. */
  withdrawn: string | null;
  requestOpen: boolean;
  scope: AnonymisedScope;
  /** The scope as the brief email words it, one fact per line. */
  summary: string;
  quote: { id: string; status: string; totalUsd: number } | null;
}

export interface LeadDetail extends Lead {
  contact: BuyerContact | null;
  /** Why no contact is shown, when none is. */
  contactNote: string | null;
  /** Once accepted: every part of the scope, one fact per line (no contact, no excluded firms). */
  scopeSheet: string | null;
  /** When the firm committed to quote by (after accepting). */
  quoteBy: string | null;
  messages: ThreadMessage[];
  quoteLines: QuoteLine[];
  call: CallView | null;
  /** The firm's own time zone, for reading the call times. */
  timeZone: string;
}

function leadsQuery(db: Kysely<Database>, firmId: string) {
  return db
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .leftJoin('quotes', (join) =>
      join.onRef('quotes.briefId', '=', 'briefs.id').on('quotes.status', '!=', 'withdrawn'),
    )
    .select([
      'briefs.id',
      'briefs.status',
      'briefs.sentAt',
      'briefs.respondBy',
      'briefs.respondedAt',
      'briefs.declineReason',
      'briefs.withdrawnReason',
      'briefs.contactReleasedAt',
      'briefs.quoteBy',
      'quoteRequests.reference',
      'quoteRequests.expiresAt',
      'quoteRequests.status as requestStatus',
      'quoteRequests.scope',
      'quoteRequests.contactNameEnc',
      'quoteRequests.contactEmailEnc',
      'quoteRequests.companyEnc',
      'quoteRequests.phoneEnc',
      'quotes.id as quoteId',
      'quotes.status as quoteStatus',
      'quotes.totalUsd as quoteTotal',
    ])
    .where('briefs.firmId', '=', firmId);
}
type LeadRow = Awaited<ReturnType<ReturnType<typeof leadsQuery>['execute']>>[number];

/**
 * A lead row's scope, parsed once: the lead, its contact's standing and its sheet all read it,
 * and a page of 200 leads parsed each scope twice with the schema.
 */
const parsedScopes = new WeakMap<LeadRow, ScopeInput>();
function scopeOfRow(row: LeadRow): ScopeInput {
  const known = parsedScopes.get(row);
  if (known) return known;
  const scope = parseStoredScope(row.scope);
  parsedScopes.set(row, scope);
  return scope;
}

/** A lead as the firm sees it at `at` (an ISO instant): a request past its end is closed. */
function toLead(row: LeadRow, at: string): Lead {
  const scope = scopeOfRow(row);
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    sentAt: row.sentAt,
    respondBy: row.respondBy,
    respondedAt: row.respondedAt,
    declineReason: row.declineReason,
    withdrawn: row.withdrawnReason
      ? WITHDRAWAL_WORDS[row.withdrawnReason as WithdrawalReason]
      : null,
    requestOpen: isOpenRequest({ status: row.requestStatus, expiresAt: row.expiresAt }, at),
    scope: anonymiseScope(scope),
    summary: briefSummary(scope),
    quote:
      row.quoteId && row.quoteStatus
        ? { id: row.quoteId, status: row.quoteStatus, totalUsd: Number(row.quoteTotal) }
        : null,
  };
}

/**
 * The contact, or why it is not shown, decided by the lifecycle's read-contact door for the firm
 * as it stands now (`firmStanding` builds the check once per firm and scope).
 */
function contactOf(
  ctx: ServiceContext,
  row: LeadRow,
  standing: (row: LeadRow) => Standing,
): { contact: BuyerContact | null; note: string | null } {
  const access = contactAccess({
    request: {
      status: row.requestStatus,
      expiresAt: row.expiresAt,
      contactHeld:
        row.contactEmailEnc !== null && row.contactNameEnc !== null && row.companyEnc !== null,
    },
    brief: {
      status: row.status,
      withdrawnReason: row.withdrawnReason,
      contactReleasedAt: row.contactReleasedAt,
    },
    standing: row.status === 'accepted' ? standing(row) : OK_STANDING,
    at: ctx.now().toISOString(),
  });
  if (!access.shown) return { contact: null, note: access.note };
  const open = (v: string) => ctx.secrets.decrypt(v);
  return {
    contact: {
      name: open(row.contactNameEnc!),
      email: open(row.contactEmailEnc!),
      company: open(row.companyEnc!),
      phone: row.phoneEnc ? open(row.phoneEnc) : null,
    },
    note: null,
  };
}

/** Standing is only asked for accepted leads; for the rest this placeholder is never read. */
const OK_STANDING: Standing = { firmId: '', firmName: '', ok: true, failures: [], lost: false };

/** Judges the firm's standing per lead from one read of the firm as stored now. */
async function firmStanding(
  ctx: ServiceContext,
  db: Kysely<Database>,
  firmId: string,
): Promise<(row: LeadRow) => Standing> {
  const firm = await loadFirm(db, firmId);
  const now = ctx.now();
  return (row) =>
    firm ? standingOf('read-contact', firm, scopeOfRow(row), now) : unknownFirmStanding(firmId);
}

async function logContactViews(
  trx: Kysely<Database>,
  now: Date,
  actor: { kind: ActorKind; id: string },
  firmId: string,
  briefIds: string[],
  via: 'workspace' | 'csv' | 'api' | 'email-link',
) {
  await auditMany(
    trx,
    now,
    briefIds.map((briefId) => ({
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'contact.viewed',
      subjectKind: 'brief',
      subjectId: briefId,
      detail: { firmId, via },
    })),
  );
}

/** Leads on one inbox page: at most this many awaiting an answer, then this many of the rest. */
export const INBOX_PAGE_SIZE = 50;

/** The inbox: briefs awaiting an answer first (soonest deadline first), then the rest, newest first, a page at a time. */
export interface LeadInbox {
  /** Briefs waiting for the firm's answer (first page only; answering windows keep them few). */
  awaiting: Lead[];
  /** The other leads of this page, newest first. */
  leads: Lead[];
  /** The cursor of the next page of older leads, or null on the last. */
  nextCursor: string | null;
}

export async function listLeads(
  ctx: ServiceContext,
  firmId: string,
  cursor?: string,
): Promise<LeadInbox> {
  const db = ctx.db.kysely;
  const after = cursor ? decodeCursor(['inbox'], cursor, 2).key : null;
  const [awaiting, rest] = await Promise.all([
    after
      ? []
      : leadsQuery(db, firmId)
          .where('briefs.status', '=', 'sent')
          .orderBy('briefs.respondBy')
          .orderBy('briefs.id')
          .limit(INBOX_PAGE_SIZE)
          .execute(),
    keysetAfter(leadsQuery(db, firmId).where('briefs.status', '!=', 'sent'), after, 'desc')
      .limit(INBOX_PAGE_SIZE + 1)
      .execute(),
  ]);
  const page = pageOf(rest, INBOX_PAGE_SIZE, (row) => encodeCursor('inbox', [row.sentAt, row.id]));
  const at = ctx.now().toISOString();
  return {
    awaiting: awaiting.map((row) => toLead(row, at)),
    leads: page.rows.map((row) => toLead(row, at)),
    nextCursor: page.next,
  };
}

/**
 * Leads strictly after `key` (sentAt, id) in the given direction, ordered so: the keyset both
 * the inbox and the API page by, served by the index on briefs (firm_id, sent_at, id).
 */
function keysetAfter(
  query: ReturnType<typeof leadsQuery>,
  key: CursorKey | null,
  direction: 'asc' | 'desc',
) {
  let q = query;
  if (key) {
    const [sentAt, id] = key as [string, string];
    q = q.where((eb) =>
      eb(
        eb.refTuple('briefs.sentAt', 'briefs.id'),
        direction === 'desc' ? '<' : '>',
        eb.tuple(sentAt, id),
      ),
    );
  }
  return q.orderBy('briefs.sentAt', direction).orderBy('briefs.id', direction);
}

/** One lead of the user's firm, with the buyer's contact when released (and the view logged). */
/**
 * One lead of the acting firm (a workspace user, or the brief's own email link): the scope sheet
 * once accepted, the thread, the quote, the call, and the buyer's contact when released (each
 * view logged).
 */
export async function leadDetail(
  ctx: ServiceContext,
  who: FirmWho,
  briefId: string,
): Promise<LeadDetail> {
  const actor = firmActor(who);
  const firmId = actor.firmId;
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await leadsQuery(trx, firmId).where('briefs.id', '=', briefId).executeTakeFirst();
    assertOwnBrief(actor, row ? { id: row.id, firmId } : undefined);
    const { contact, note } = contactOf(ctx, row!, await firmStanding(ctx, trx, firmId));
    if (contact) {
      await logContactViews(
        trx,
        now,
        actor.kind === 'brief-link'
          ? { kind: 'system', id: 'brief-link' }
          : { kind: actor.kind, id: actor.id },
        firmId,
        [row!.id],
        actor.kind === 'brief-link' ? 'email-link' : 'workspace',
      );
    }
    const [messages, quote, call, firm] = await Promise.all([
      threadOf(trx, briefId),
      trx
        .selectFrom('quotes')
        .select('lineItems')
        .where('briefId', '=', briefId)
        .where('status', '!=', 'withdrawn')
        .executeTakeFirst(),
      trx
        .selectFrom('calls')
        .selectAll()
        .where('briefId', '=', briefId)
        .where('status', '!=', 'cancelled')
        .executeTakeFirst(),
      trx.selectFrom('firms').select('timeZone').where('id', '=', firmId).executeTakeFirstOrThrow(),
    ]);
    const scope = scopeOfRow(row!);
    return {
      ...toLead(row!, now.toISOString()),
      contact,
      contactNote: note,
      scopeSheet: row!.status === 'accepted' ? scopeSheet(scope) : null,
      quoteBy: row!.quoteBy,
      messages,
      quoteLines: quote ? storedLines(quote.lineItems) : [],
      call: call ? callView(call) : null,
      timeZone: firm.timeZone,
    };
  });
}

/** Accept or decline from the inbox: the very service the email links use. */
export async function answerLead(
  ctx: ServiceContext,
  user: SessionUser,
  briefId: string,
  answer: BriefAnswer,
) {
  const firmId = firmIdOf(user);
  return respondToBrief(ctx, briefId, answer, { kind: 'firm-user', id: user.id, firmId });
}

/** Accept or decline through the leads API, with the key's firm: the same service again. */
export async function answerLeadWithKey(
  ctx: ServiceContext,
  key: { id: string; firmId: string },
  briefId: string,
  answer: BriefAnswer,
) {
  return respondToBrief(ctx, briefId, answer, { kind: 'api-key', id: key.id, firmId: key.firmId });
}

const AI_WORDS: Record<string, string> = {
  none: 'no AI in the product',
  'uses-ai': 'the product uses AI',
  'ai-is-the-product': 'AI is the product',
};

const CSV_HEADER = [
  'Lead',
  'Status',
  'Received',
  'Answer by',
  'Answered',
  'Frameworks',
  'Stage',
  'Headcount',
  'Industry',
  'Region',
  'Needed by',
  'Budget',
  'AI',
  'Contact name',
  'Contact email',
  'Company',
  'Phone',
  'Quote total (USD)',
  'Quote status',
];

/** Leads read per batch while the CSV is written. */
export const CSV_BATCH = 500;

/**
 * Every lead as CSV for a spreadsheet or CRM import, newest first; cells that a spreadsheet would
 * run as formulas are defused. Written in batches read by cursor (sent time, then id), each in
 * its own transaction with its contact views logged, so a firm with years of leads never holds
 * them all in memory or in one transaction. Who may export is checked before the first line.
 */
export function leadsCsv(
  ctx: ServiceContext,
  user: SessionUser,
  batch = CSV_BATCH,
): AsyncGenerator<string> {
  const firmId = firmIdOf(user);
  const viewer = { kind: 'firm-user', id: user.id } as const;
  return (async function* () {
    yield formatCsv([CSV_HEADER]);
    let after: [string, string] | null = null;
    for (;;) {
      const from = after;
      const page = await ctx.db.kysely.transaction().execute(async (trx) => {
        let query = leadsQuery(trx, firmId)
          .orderBy('briefs.sentAt', 'desc')
          .orderBy('briefs.id', 'desc')
          .limit(batch);
        if (from)
          query = query.where((eb) =>
            eb(eb.refTuple('briefs.sentAt', 'briefs.id'), '<', eb.tuple(from[0], from[1])),
          );
        const rows = await query.execute();
        const standing = await firmStanding(ctx, trx, firmId);
        const shown: string[] = [];
        const lines = rows.map((row) => {
          const { contact } = contactOf(ctx, row, standing);
          if (contact) shown.push(row.id);
          return csvLine(toLead(row, ctx.now().toISOString()), contact);
        });
        await logContactViews(trx, ctx.now(), viewer, firmId, shown, 'csv');
        return { lines, last: rows.at(-1) };
      });
      if (page.lines.length > 0) yield formatCsv(page.lines);
      if (page.lines.length < batch || !page.last) return;
      after = [page.last.sentAt, page.last.id];
    }
  })();
}

function csvLine(lead: Lead, contact: ReturnType<typeof contactOf>['contact']): string[] {
  const s = lead.scope;
  return [
    lead.id,
    lead.status,
    lead.sentAt,
    lead.respondBy,
    lead.respondedAt ?? '',
    s.frameworks.map((f) => requestLabel(f as RequestedFramework)).join('; '),
    STAGE_LABELS[s.stage as CompanyStage] ?? s.stage,
    String(s.headcount),
    INDUSTRY_LABELS[s.industry as Industry] ?? s.industry,
    REGION_LABELS[s.region as Region] ?? s.region,
    s.neededBy,
    s.budget ? (BUDGET_BAND_LABELS[s.budget as BudgetBand] ?? s.budget) : '',
    AI_WORDS[s.aiExposure] ?? s.aiExposure,
    contact?.name ?? '',
    contact?.email ?? '',
    contact?.company ?? '',
    contact?.phone ?? '',
    lead.quote ? String(lead.quote.totalUsd) : '',
    lead.quote?.status ?? '',
  ];
}

export interface ApiLead extends Lead {
  contact: BuyerContact | null;
}

export interface ApiLeadPage {
  leads: ApiLead[];
  /**
   * Newest first (no `since`): the next, older page, or null after the last. Oldest first
   * (`since`): always set, so a client can keep the last one and ask again later for new leads.
   */
  nextCursor: string | null;
}

/**
 * The leads API: the same rule for contact as the workspace, logged against the key. Pages by
 * keyset over (sentAt, id): newest first by default, oldest first from `since`, a cursor
 * continuing whichever order produced it.
 */
export async function leadsForApiKey(
  ctx: ServiceContext,
  key: { id: string; firmId: string },
  query: { status?: BriefStatus; since?: string; cursor?: string; limit?: number } = {},
): Promise<ApiLeadPage> {
  const now = ctx.now();
  const limit = query.limit ?? LEADS_PAGE_DEFAULT;
  let direction: 'asc' | 'desc' = query.since ? 'asc' : 'desc';
  // "After `since`": every sent_at is later than (since, '') and no id sorts before ''.
  let after: CursorKey | null = query.since ? [new Date(query.since).toISOString(), ''] : null;
  if (query.cursor) {
    const decoded = decodeCursor(['leads.asc', 'leads.desc'], query.cursor, 2);
    direction = decoded.kind === 'leads.asc' ? 'asc' : 'desc';
    after = decoded.key;
  }
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let base = leadsQuery(trx, key.firmId);
    if (query.status) base = base.where('briefs.status', '=', query.status);
    const rows = await keysetAfter(base, after, direction)
      .limit(limit + 1)
      .execute();
    const kind = direction === 'asc' ? 'leads.asc' : 'leads.desc';
    const page = pageOf(rows, limit, (row) => encodeCursor(kind, [row.sentAt, row.id]));
    const standing = await firmStanding(ctx, trx, key.firmId);
    const shown: string[] = [];
    const leads = page.rows.map((row) => {
      const { contact } = contactOf(ctx, row, standing);
      if (contact) shown.push(row.id);
      return { ...toLead(row, now.toISOString()), contact };
    });
    await logContactViews(trx, now, { kind: 'api-key', id: key.id }, key.firmId, shown, 'api');
    // Oldest first never ends: the last key seen (or the one asked from) is where to look next time.
    const last = page.rows.at(-1);
    const nextCursor =
      direction === 'asc'
        ? (page.next ??
          (last
            ? encodeCursor(kind, [last.sentAt, last.id])
            : after
              ? encodeCursor(kind, after)
              : null))
        : page.next;
    return { leads, nextCursor };
  });
}
