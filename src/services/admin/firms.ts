import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { bumpCatalogVersion } from '../../db/firms';
import type { Database } from '../../db/schema';
import { FIRM_STATUSES } from '../../domain/vocabulary';
import { audit } from '../audit';
import { withdrawFirmBriefs } from '../briefs';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { decodeCursor, encodeCursor, pageOf } from '../paging';
import { changed, reasonRequired, rowToDecide } from '../decisions';
import { plainText } from '../../domain/text';

/**
 * Firm approval and suspension. Status is a hard filter of the matcher and the directory, so
 * each change bumps the catalog version with its audit entry, in one transaction.
 */

export const FIRM_ACTIONS = ['approve', 'suspend', 'reinstate'] as const;
export type FirmAction = (typeof FIRM_ACTIONS)[number];

const TRANSITIONS: Record<FirmAction, { from: string; to: string; done: string }> = {
  approve: { from: 'pending', to: 'active', done: 'approved' },
  suspend: { from: 'active', to: 'suspended', done: 'suspended' },
  reinstate: { from: 'suspended', to: 'active', done: 'reinstated' },
};

export const FirmStatusChangeSchema = z
  .object({
    firmId: z.uuid('choose a firm from the list'),
    action: z.enum(FIRM_ACTIONS, 'choose approve, suspend or reinstate'),
    reason: plainText(500, { multiline: true }),
  })
  .refine(
    ...reasonRequired(
      'action',
      'approve',
      'reason',
      'give the reason (at least 3 characters): it is kept with the firm and in the audit log',
    ),
  );
export type FirmStatusChange = z.infer<typeof FirmStatusChangeSchema>;

export const FirmListQuerySchema = z.object({
  status: z.enum(FIRM_STATUSES, 'choose a status from the list').optional(),
  q: plainText(100).optional(),
  cursor: z.string().max(400).optional(),
});
export type FirmListQuery = z.infer<typeof FirmListQuerySchema>;

/** What the list counts beside each firm. */
interface FirmCounts {
  frameworks: string[];
  pendingCredentials: number;
  verifiedCredentials: number;
  openComplaints: number;
}

export interface FirmSummary extends FirmCounts {
  id: string;
  slug: string;
  name: string;
  firmType: string;
  status: string;
  statusReason: string | null;
  leadEmail: string | null;
  reviewCount: number;
  reviewMean: number | null;
  updatedAt: string;
}

/** `%` and `_` typed in a search box are letters, not wildcards (used with `escape '\\'`). */
export const escapeLike = (text: string) => text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
const likePattern = (text: string) => `%${escapeLike(text)}%`;

/** The firms a page of the console's list shows; the next page continues from the last one. */
export const FIRM_PAGE_SIZE = 50;

/** Pending firms first (they wait for the operator), then suspended, then active. */
const statusRank = sql<number>`case status when 'pending' then 0 when 'suspended' then 1 when 'active' then 2 else 3 end`;

/**
 * A page of the console's firm list, by status rank, then name (then id, as names may repeat),
 * and the cursor of the next page (null on the last).
 */
export async function firmList(
  ctx: ServiceContext,
  query: FirmListQuery,
): Promise<{ firms: FirmSummary[]; next: string | null }> {
  const db = ctx.db.kysely;
  const after = query.cursor ? decodeCursor(['firms'], query.cursor, 3).key : null;
  let firms = db
    .selectFrom('firms')
    .select([
      'id',
      'slug',
      'name',
      'firmType',
      'status',
      'statusReason',
      'leadEmail',
      'reviewCount',
      'reviewMean',
      'updatedAt',
      statusRank.as('statusRank'),
    ]);
  if (query.status) firms = firms.where('status', '=', query.status);
  if (query.q)
    firms = firms.where(sql<boolean>`lower(name) like ${likePattern(query.q)} escape '\\'`);
  if (after)
    firms = firms.where(
      sql<boolean>`(${statusRank}, name, id) > (${after[0]}, ${after[1]}, ${after[2]})`,
    );
  const page = pageOf(
    await firms
      .orderBy(statusRank)
      .orderBy('name')
      .orderBy('id')
      .limit(FIRM_PAGE_SIZE + 1)
      .execute(),
    FIRM_PAGE_SIZE,
    (r) => encodeCursor('firms', [Number(r.statusRank), r.name, r.id]),
  );
  const rows = page.rows.map(({ statusRank: _rank, ...firm }) => firm);
  return { firms: await withCounts(db, rows), next: page.next };
}

/** The services, credential counts and open complaints beside each firm of a page. */
async function withCounts(
  db: Kysely<Database>,
  rows: Omit<FirmSummary, keyof FirmCounts>[],
): Promise<FirmSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [services, credentials, complaints] = await Promise.all([
    db
      .selectFrom('firmServices')
      .select(['firmId', 'framework'])
      .where('firmId', 'in', ids)
      .orderBy('framework')
      .execute(),
    db
      .selectFrom('credentials')
      .select(['firmId', 'verification', (eb) => eb.fn.countAll<number>().as('n')])
      .where('firmId', 'in', ids)
      .groupBy(['firmId', 'verification'])
      .execute(),
    db
      .selectFrom('complaints')
      .select(['firmId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('firmId', 'in', ids)
      .where('status', '=', 'open')
      .groupBy('firmId')
      .execute(),
  ]);
  // Grouped once: looking each firm up in the lists read 500 × 1,500 rows per page.
  const frameworks = new Map<string, string[]>();
  for (const s of services)
    frameworks.set(s.firmId, [...(frameworks.get(s.firmId) ?? []), s.framework]);
  const counts = new Map(credentials.map((c) => [`${c.firmId}|${c.verification}`, Number(c.n)]));
  const open = new Map(complaints.map((c) => [c.firmId, Number(c.n)]));
  return rows.map((r) => ({
    ...r,
    frameworks: frameworks.get(r.id) ?? [],
    pendingCredentials: counts.get(`${r.id}|pending`) ?? 0,
    verifiedCredentials: counts.get(`${r.id}|verified`) ?? 0,
    openComplaints: open.get(r.id) ?? 0,
  }));
}

/** The firm beside a row in the operator's queues: which firm it is, and whether it is active. */
export interface QueuedFirm {
  id: string;
  name: string;
  slug: string;
  status: string;
}

/** The summary's columns in a query that joins `firms`, read back by `firmSummary`. */
export const FIRM_SUMMARY_COLUMNS = [
  'firms.id as firmId',
  'firms.name as firmName',
  'firms.slug as firmSlug',
  'firms.status as firmStatus',
] as const;

export const firmSummary = (r: {
  firmId: string;
  firmName: string;
  firmSlug: string;
  firmStatus: string;
}): QueuedFirm => ({ id: r.firmId, name: r.firmName, slug: r.firmSlug, status: r.firmStatus });

/**
 * Moves a firm between pending, active and suspended, inside the caller's transaction. Shared
 * by the firm screen and complaint resolution, so a suspension reads the same wherever it starts.
 */
export async function applyFirmStatus(
  trx: Kysely<Database>,
  now: Date,
  change: FirmStatusChange,
  adminId: string,
  cause?: { complaintId: string },
): Promise<void> {
  const { from, to, done } = TRANSITIONS[change.action];
  const firm = await rowToDecide(
    trx,
    'firms',
    change.firmId,
    'This firm does not exist.',
    'firmId',
  );
  if (firm.status !== from) {
    throw new ServiceError(
      409,
      `Only a ${from} firm can be ${done}; this one is ${firm.status}.`,
      'action',
    );
  }
  const at = now.toISOString();
  const updated = await trx
    .updateTable('firms')
    .set({ status: to, statusReason: change.reason === '' ? null : change.reason, updatedAt: at })
    .where('id', '=', firm.id)
    .where('status', '=', from)
    .executeTakeFirst();
  changed(updated.numUpdatedRows, 'Another operator changed this firm a moment ago.', 'action');
  await bumpCatalogVersion(trx);
  await audit(trx, now, {
    actorKind: 'admin',
    actorId: adminId,
    action: `firm.${done}`,
    subjectKind: 'firm',
    subjectId: firm.id,
    detail: { from, to, reason: change.reason || null, ...(cause ?? {}) },
  });
}

export async function changeFirmStatus(
  ctx: ServiceContext,
  change: FirmStatusChange,
  adminId: string,
): Promise<void> {
  await ctx.db.kysely
    .transaction()
    .execute((trx) => applyFirmStatus(trx, ctx.now(), change, adminId));
  ctx.catalog.invalidate();
  if (change.action === 'suspend')
    await closeSuspendedFirmsDoors(ctx, change.firmId, change.reason, adminId);
}

/**
 * A suspended firm loses every door at once: the status itself refuses its sessions, API keys,
 * email links and webhooks from the moment it commits; then each open brief is withdrawn (its
 * quote with it) and the buyer offered a replacement, one request at a time under the request's
 * lock. Should this stop half way, the maintenance sweep (withdrawLostBriefs) finishes it.
 * Reinstating restores access, never the withdrawn briefs.
 */
export async function closeSuspendedFirmsDoors(
  ctx: ServiceContext,
  firmId: string,
  reason: string,
  adminId: string,
): Promise<number> {
  return withdrawFirmBriefs(ctx, firmId, 'firm-suspended', reason, { kind: 'admin', id: adminId });
}

/** The operator's answer to an application: the reason goes to the applicant. */
export const ApplicationRejectionSchema = z.object({
  userId: z.uuid('choose an application from the list'),
  reason: plainText(500, { multiline: true }).pipe(
    z.string().min(3, 'give the applicant a reason (at least 3 characters)'),
  ),
});
