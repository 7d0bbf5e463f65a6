import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
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
import { type ActorKind, audit } from '../audit';
import type { SessionUser } from '../auth';
import { OPEN_REQUEST_STATUSES, respondToBrief } from '../briefs';
import { type ServiceContext, ServiceError } from '../context';
import { briefSummary } from '../emails';
import { formatCsv } from '../firm-import/csv';
import type { ScopeInput } from '../intake/schemas';
import { firmIdOf } from './profile';
import { type AnonymisedScope, anonymiseScope } from './scope';
import type { LeadAnswer } from './schemas';

/**
 * The lead inbox: the briefs sent to one firm, never another's. The buyer's contact is shown
 * only for a brief the firm accepted, while the request is open and not erased, and every
 * showing (page, CSV, API) is written to the audit log as `contact.viewed`.
 */

export interface BuyerContact {
  name: string;
  email: string;
  company: string;
  phone: string | null;
}

export interface Lead {
  id: string;
  status: string;
  sentAt: string;
  respondBy: string;
  respondedAt: string | null;
  declineReason: string | null;
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
}

function leadsQuery(db: Kysely<Database>, firmId: string) {
  return db
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .leftJoin('quotes', (join) => join.onRef('quotes.briefId', '=', 'briefs.id').on('quotes.status', '!=', 'withdrawn'))
    .select([
      'briefs.id',
      'briefs.status',
      'briefs.sentAt',
      'briefs.respondBy',
      'briefs.respondedAt',
      'briefs.declineReason',
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

function toLead(row: LeadRow): Lead {
  const scope = JSON.parse(row.scope) as ScopeInput;
  return {
    id: row.id,
    status: row.status,
    sentAt: row.sentAt,
    respondBy: row.respondBy,
    respondedAt: row.respondedAt,
    declineReason: row.declineReason,
    requestOpen: OPEN_REQUEST_STATUSES.includes(row.requestStatus),
    scope: anonymiseScope(scope),
    summary: briefSummary(scope),
    quote: row.quoteId && row.quoteStatus ? { id: row.quoteId, status: row.quoteStatus, totalUsd: Number(row.quoteTotal) } : null,
  };
}

/** The contact, or why it is not shown: only accepted leads of open requests with contact still held. */
function contactOf(ctx: ServiceContext, row: LeadRow): { contact: BuyerContact | null; note: string | null } {
  if (row.status !== 'accepted') return { contact: null, note: 'The buyer’s contact details are shown once you accept the brief.' };
  if (!OPEN_REQUEST_STATUSES.includes(row.requestStatus)) return { contact: null, note: 'The buyer withdrew or closed this request: please do not contact them about it.' };
  if (!row.contactEmailEnc || !row.contactNameEnc || !row.companyEnc) return { contact: null, note: 'The buyer deleted its data.' };
  const open = (v: string) => ctx.secrets.decrypt(v);
  return {
    contact: { name: open(row.contactNameEnc), email: open(row.contactEmailEnc), company: open(row.companyEnc), phone: row.phoneEnc ? open(row.phoneEnc) : null },
    note: null,
  };
}

async function logContactViews(
  trx: Kysely<Database>,
  now: Date,
  actor: { kind: ActorKind; id: string },
  firmId: string,
  briefIds: string[],
  via: 'workspace' | 'csv' | 'api',
) {
  for (const briefId of briefIds) {
    await audit(trx, now, { actorKind: actor.kind, actorId: actor.id, action: 'contact.viewed', subjectKind: 'brief', subjectId: briefId, detail: { firmId, via } });
  }
}

/** Briefs awaiting an answer first (soonest deadline first), then the rest, newest first. */
export async function listLeads(ctx: ServiceContext, firmId: string, status?: string): Promise<Lead[]> {
  let query = leadsQuery(ctx.db.kysely, firmId);
  if (status) query = query.where('briefs.status', '=', status);
  const rows = await query.orderBy('briefs.sentAt', 'desc').limit(500).execute();
  const leads = rows.map(toLead);
  return [...leads.filter((l) => l.status === 'sent').sort((a, b) => a.respondBy.localeCompare(b.respondBy)), ...leads.filter((l) => l.status !== 'sent')];
}

/** One lead of the user's firm, with the buyer's contact when released (and the view logged). */
export async function leadDetail(ctx: ServiceContext, user: SessionUser, briefId: string): Promise<LeadDetail> {
  const firmId = firmIdOf(user);
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await leadsQuery(trx, firmId).where('briefs.id', '=', briefId).executeTakeFirst();
    if (!row) throw new ServiceError(404, 'This lead does not exist or was not sent to your firm.');
    const { contact, note } = contactOf(ctx, row);
    if (contact) await logContactViews(trx, now, { kind: 'firm-user', id: user.id }, firmId, [row.id], 'workspace');
    return { ...toLead(row), contact, contactNote: note };
  });
}

/** Accept or decline from the inbox: the very service the email links use. */
export async function answerLead(ctx: ServiceContext, user: SessionUser, briefId: string, answer: LeadAnswer) {
  const firmId = firmIdOf(user);
  return respondToBrief(ctx, briefId, answer, { kind: 'firm-user', id: user.id, firmId });
}

const AI_WORDS: Record<string, string> = { none: 'no AI in the product', 'uses-ai': 'the product uses AI', 'ai-is-the-product': 'AI is the product' };

/** Every lead as CSV for a spreadsheet or CRM import; cells that a spreadsheet would run as formulas are defused. */
export async function exportLeadsCsv(ctx: ServiceContext, user: SessionUser): Promise<string> {
  const firmId = firmIdOf(user);
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const rows = await leadsQuery(trx, firmId).orderBy('briefs.sentAt', 'desc').execute();
    const shown: string[] = [];
    const lines = rows.map((row) => {
      const lead = toLead(row);
      const { contact } = contactOf(ctx, row);
      if (contact) shown.push(row.id);
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
    });
    await logContactViews(trx, now, { kind: 'firm-user', id: user.id }, firmId, shown, 'csv');
    const header = ['Lead', 'Status', 'Received', 'Answer by', 'Answered', 'Frameworks', 'Stage', 'Headcount', 'Industry', 'Region', 'Needed by', 'Budget', 'AI', 'Contact name', 'Contact email', 'Company', 'Phone', 'Quote total (USD)', 'Quote status'];
    return formatCsv([header, ...lines].map((cells) => cells.map(defuse)));
  });
}

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP CSV injection);
 * a leading apostrophe keeps it text. A buyer's name is typed by the buyer, so this matters.
 */
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
export function defuse(cell: string): string {
  return FORMULA_TRIGGERS.some((t) => cell.startsWith(t)) ? `'${cell}` : cell;
}

export interface ApiLead extends Lead {
  contact: BuyerContact | null;
}

/** The leads API: the same rule for contact as the workspace, logged against the key. */
export async function leadsForApiKey(ctx: ServiceContext, key: { id: string; firmId: string }, status?: string): Promise<ApiLead[]> {
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let query = leadsQuery(trx, key.firmId);
    if (status) query = query.where('briefs.status', '=', status);
    const rows = await query.orderBy('briefs.sentAt', 'desc').limit(500).execute();
    const shown: string[] = [];
    const leads = rows.map((row) => {
      const { contact } = contactOf(ctx, row);
      if (contact) shown.push(row.id);
      return { ...toLead(row), contact };
    });
    await logContactViews(trx, now, { kind: 'api-key', id: key.id }, key.firmId, shown, 'api');
    return leads;
  });
}
