import { z } from 'zod';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { decide, operator, rowToDecide } from '../decisions';
import { plainText } from '../../domain/text';
import {
  applyFirmStatus,
  closeSuspendedFirmsDoors,
  FIRM_SUMMARY_COLUMNS,
  type QueuedFirm,
} from './firms';

/**
 * Buyers' reports ("contacted after I said stop", "not who they claimed"). The operator reads
 * the report and the request's reference and scope, never the buyer's decrypted contact, and
 * resolves it with a note; a serious one can suspend the firm in the same step.
 */

export const ComplaintResolutionSchema = z
  .object({
    complaintId: z.uuid('choose a complaint from the list'),
    resolution: plainText(2000, { multiline: true }).pipe(
      z.string().min(3, 'write what was done (at least 3 characters)'),
    ),
    suspendFirm: z.boolean(),
    suspensionReason: plainText(500),
  })
  .refine((v) => !v.suspendFirm || v.suspensionReason.length >= 3, {
    path: ['suspensionReason'],
    message: 'give the reason for the suspension (at least 3 characters)',
  });
export type ComplaintResolution = z.infer<typeof ComplaintResolutionSchema>;

export const COMPLAINT_FILTERS = ['open', 'resolved', 'all'] as const;
export type ComplaintFilter = (typeof COMPLAINT_FILTERS)[number];

export interface ComplaintSummary {
  id: string;
  kind: string;
  body: string;
  status: string;
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
  requestReference: string | null;
  firm: QueuedFirm | null;
}

export async function complaintList(
  ctx: ServiceContext,
  filter: ComplaintFilter,
): Promise<ComplaintSummary[]> {
  let query = ctx.db.kysely
    .selectFrom('complaints')
    .leftJoin('firms', 'firms.id', 'complaints.firmId')
    .leftJoin('quoteRequests', 'quoteRequests.id', 'complaints.requestId')
    .select([
      ...FIRM_SUMMARY_COLUMNS,
      'complaints.id',
      'complaints.kind',
      'complaints.body',
      'complaints.status',
      'complaints.resolution',
      'complaints.createdAt',
      'complaints.resolvedAt',
      'quoteRequests.reference as requestReference',
    ]);
  if (filter !== 'all') query = query.where('complaints.status', '=', filter);
  const rows = await query
    .orderBy('complaints.createdAt', filter === 'open' ? 'asc' : 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    body: r.body,
    status: r.status,
    resolution: r.resolution,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
    requestReference: r.requestReference,
    firm:
      r.firmId && r.firmName && r.firmSlug && r.firmStatus
        ? { id: r.firmId, name: r.firmName, slug: r.firmSlug, status: r.firmStatus }
        : null,
  }));
}

export async function resolveComplaint(
  ctx: ServiceContext,
  input: ComplaintResolution,
  adminId: string,
): Promise<{ suspended: boolean }> {
  const result = await decide(ctx, operator(adminId), async (trx, now, record) => {
    const complaint = await rowToDecide(
      trx,
      'complaints',
      input.complaintId,
      'This complaint does not exist.',
      'complaintId',
    );
    if (complaint.status !== 'open')
      throw new ServiceError(409, 'This complaint is already resolved.', 'resolution');
    if (input.suspendFirm && !complaint.firmId)
      throw new ServiceError(409, 'This complaint names no firm to suspend.', 'suspendFirm');
    await trx
      .updateTable('complaints')
      .set({ status: 'resolved', resolution: input.resolution, resolvedAt: now.toISOString() })
      .where('id', '=', complaint.id)
      .where('status', '=', 'open')
      .execute();
    if (input.suspendFirm && complaint.firmId) {
      await applyFirmStatus(
        trx,
        now,
        { firmId: complaint.firmId, action: 'suspend', reason: input.suspensionReason },
        adminId,
        { complaintId: complaint.id },
      );
    }
    await record({
      action: 'complaint.resolved',
      subjectKind: 'complaint',
      subjectId: complaint.id,
      detail: { firmId: complaint.firmId, suspended: input.suspendFirm },
    });
    return { suspended: input.suspendFirm, firmId: complaint.firmId };
  });
  if (result.suspended && result.firmId) {
    ctx.catalog.invalidate();
    await closeSuspendedFirmsDoors(ctx, result.firmId, input.suspensionReason, adminId);
  }
  return { suspended: result.suspended };
}
