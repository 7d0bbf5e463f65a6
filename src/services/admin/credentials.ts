import { sql } from 'kysely';
import { z } from 'zod';
import { bumpCatalogVersion } from '../../db/firms';
import { accreditationBodyId } from '../../domain/accreditation';
import { withdrawLostBriefs } from '../briefs';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { decodeCursor, encodeCursor, pageOf } from '../paging';
import { changed, decide, operator, reasonRequired, rowToDecide } from '../decisions';
import { FIRM_SUMMARY_COLUMNS } from './firms';
import { type CredentialView, credentialView, evidenceFileOf } from '../firm/credentials';
import { plainText } from '../../domain/text';
import { DAY_MS, isoDay } from '../../domain/matching/dates';

/**
 * The credential verification queue. A decision changes what the matcher may do with the
 * firm, so it bumps the catalog version in the same transaction as the change and its audit
 * entry; every instance then reloads its catalog (this one at once, through `invalidate`).
 */

export const CREDENTIAL_DECISIONS = ['verify', 'reject', 'revoke'] as const;
export type CredentialDecision = (typeof CREDENTIAL_DECISIONS)[number];

export const CredentialDecisionSchema = z
  .object({
    credentialId: z.uuid('choose a credential from the queue'),
    decision: z.enum(CREDENTIAL_DECISIONS, 'choose verify, reject or revoke'),
    note: plainText(1000, { multiline: true }),
  })
  .refine(
    ...reasonRequired(
      'decision',
      'verify',
      'note',
      'say why (at least 3 characters): the firm reads this note',
    ),
  );
export type CredentialDecisionInput = z.infer<typeof CredentialDecisionSchema>;

/** Which decisions each state allows: a revoked or rejected credential can be verified again on new evidence. */
const ALLOWED: Record<CredentialDecision, readonly string[]> = {
  verify: ['pending', 'rejected', 'revoked'],
  reject: ['pending'],
  revoke: ['verified'],
};

const RESULT: Record<CredentialDecision, string> = {
  verify: 'verified',
  reject: 'rejected',
  revoke: 'revoked',
};

export const QUEUE_FILTERS = ['pending', 'expiring', 'all'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];
/** "Expiring" in the queue: verified credentials whose end date is this close. */
export const EXPIRING_WITHIN_DAYS = 60;

export interface QueuedCredential extends CredentialView {
  firmId: string;
  firmName: string;
  firmSlug: string;
  firmStatus: string;
  /** Days until validTo (negative once past), null without an end date. */
  daysLeft: number | null;
  evidenceFile: string | null;
  decidedAt: string | null;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The credentials a page of the queue shows; the next page continues from the last one. */
export const CREDENTIAL_PAGE_SIZE = 50;

/**
 * The queue's order as one sortable text: pending credentials first, oldest first (they have
 * waited longest), then verified ones by end date, soonest first (those without one last), then
 * rejected and revoked ones the same way. One expression, so the page's cursor is that text and
 * the id, compared as a pair; its index is credentials_queue_order (migration 010).
 */
const queueOrder = sql<string>`case credentials.verification when 'pending' then '0' || credentials.created_at when 'verified' then '1' || coalesce(credentials.valid_to, '9999') else '2' || coalesce(credentials.valid_to, '9999') end`;

/** A page of the queue, and the cursor of the next page (null on the last). */
export async function credentialQueue(
  ctx: ServiceContext,
  filter: QueueFilter,
  cursor?: string,
): Promise<{ rows: QueuedCredential[]; next: string | null }> {
  const today = isoDay(ctx.now());
  const after = cursor ? decodeCursor(['credentials'], cursor, 2).key : null;
  let query = ctx.db.kysely
    .selectFrom('credentials')
    .innerJoin('firms', 'firms.id', 'credentials.firmId')
    .select([
      ...FIRM_SUMMARY_COLUMNS,
      'credentials.id',
      'credentials.kind',
      'credentials.issuer',
      'credentials.identifier',
      'credentials.scopeStandards',
      'credentials.schemeStandards',
      'credentials.validFrom',
      'credentials.validTo',
      'credentials.verification',
      'credentials.evidenceUrl',
      'credentials.evidenceFile',
      'credentials.note',
      'credentials.verifiedAt',
      'credentials.createdAt',
      queueOrder.as('queueOrder'),
    ]);
  // Each filter is a range of the order, so the database reads the page from the order's index
  // instead of sorting what the filter finds (beside an equality on verification, SQLite took
  // the verification index and sorted). Pending: the order starts with '0'. Expiring: verified
  // ('1') with an end date up to the horizon; no end date is '9999', past any horizon.
  if (filter === 'pending') query = query.where(sql<boolean>`${queueOrder} < '1'`);
  if (filter === 'expiring') {
    const horizon = isoDay(new Date(ctx.now().getTime() + EXPIRING_WITHIN_DAYS * DAY_MS));
    query = query.where(sql<boolean>`${queueOrder} between '1' and ${`1${horizon}`}`);
  }
  if (after)
    query = query.where(sql<boolean>`(${queueOrder}, credentials.id) > (${after[0]}, ${after[1]})`);
  const read = await query
    .orderBy(queueOrder)
    .orderBy('credentials.id')
    .limit(CREDENTIAL_PAGE_SIZE + 1)
    .execute();
  const page = pageOf(read, CREDENTIAL_PAGE_SIZE, (r) =>
    encodeCursor('credentials', [r.queueOrder, r.id]),
  );
  const rows = page.rows.map((r) => ({
    ...credentialView(r, today),
    firmId: r.firmId,
    firmName: r.firmName,
    firmSlug: r.firmSlug,
    firmStatus: r.firmStatus,
    daysLeft: r.validTo ? daysBetween(today, r.validTo) : null,
    evidenceFile: r.evidenceFile,
    decidedAt: r.verifiedAt,
  }));
  return { rows, next: page.next };
}

/**
 * Verifies, rejects or revokes a credential. `verifiedAt`/`verifiedBy` record the latest
 * operator decision, whichever it was; the note is what the firm reads about it.
 */
export async function decideCredential(
  ctx: ServiceContext,
  input: CredentialDecisionInput,
  adminId: string,
): Promise<{ verification: string }> {
  const result = await decide(ctx, operator(adminId), async (trx, now, record) => {
    const credential = await rowToDecide(
      trx,
      'credentials',
      input.credentialId,
      'This credential does not exist.',
      'credentialId',
    );
    if (!ALLOWED[input.decision].includes(credential.verification)) {
      throw new ServiceError(
        409,
        `A ${credential.verification} credential cannot be ${RESULT[input.decision]}.`,
        'decision',
      );
    }
    if (
      input.decision === 'verify' &&
      credential.validTo !== null &&
      credential.validTo < isoDay(now)
    ) {
      throw new ServiceError(
        409,
        `This credential ended on ${credential.validTo}: ask the firm for its current one instead of verifying it.`,
        'decision',
      );
    }
    if (
      input.decision === 'verify' &&
      credential.kind === 'iso-accreditation' &&
      accreditationBodyId(credential.issuer) === null
    ) {
      throw new ServiceError(
        409,
        `This accreditation names its body as "${credential.issuer}", which is not on the IAF MLA list: ask the firm to add it again, choosing its accreditation body from the list (or "other").`,
        'decision',
      );
    }
    const verification = RESULT[input.decision];
    const updated = await trx
      .updateTable('credentials')
      .set({
        verification,
        verifiedAt: now.toISOString(),
        verifiedBy: adminId,
        note: input.note === '' ? null : input.note,
      })
      .where('id', '=', credential.id)
      .where('verification', '=', credential.verification)
      .executeTakeFirst();
    changed(
      updated.numUpdatedRows,
      'Another operator decided on this credential a moment ago.',
      'decision',
    );
    await bumpCatalogVersion(trx);
    await record({
      action: `credential.${verification}`,
      subjectKind: 'credential',
      subjectId: credential.id,
      detail: {
        firmId: credential.firmId,
        kind: credential.kind,
        from: credential.verification,
        note: input.note || null,
      },
    });
    return { verification, firmId: credential.firmId };
  });
  ctx.catalog.invalidate();
  // A revoked credential can cost the firm its open briefs at once, not at the next sweep.
  if (result.verification === 'revoked') await withdrawLostBriefs(ctx, { firmId: result.firmId });
  return { verification: result.verification };
}

/** The stored evidence PDF of any firm's credential, for the operator; null when there is none. */
export async function credentialEvidenceFile(
  ctx: ServiceContext,
  credentialId: string,
): Promise<string | null> {
  if (!z.uuid().safeParse(credentialId).success) return null;
  const row = await ctx.db.kysely
    .selectFrom('credentials')
    .select('firmId')
    .where('id', '=', credentialId)
    .executeTakeFirst();
  return row ? evidenceFileOf(ctx, row.firmId, credentialId) : null;
}
