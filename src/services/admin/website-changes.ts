import { z } from 'zod';
import { bumpCatalogVersion } from '../../db/firms';
import { plainText } from '../../domain/text';
import { emailMatchesDomain, websiteDomain, websiteHost } from '../../domain/domain-signal';
import { websiteApprovalRefusal } from '../../domain/website-review';
import { type ServiceContext, ServiceError } from '../context';
import { changed, decide, operator, rowToDecide } from '../decisions';
import { FIRM_SUMMARY_COLUMNS, type QueuedFirm, firmSummary } from './firms';
import { queueEmail } from '../../outbox/queue';
import { websiteDecisionEmail } from '../firm/emails';

/**
 * The queue of website changes approved firms asked for (ADR 0017). The operator reads the old
 * and the new host with the domain signal of the new one, and approves (the website goes live)
 * or rejects (the approved one stays).
 */

export const WEBSITE_DECISIONS = ['approve', 'reject'] as const;
export type WebsiteDecision = (typeof WEBSITE_DECISIONS)[number];

export const WebsiteDecisionSchema = z.object({
  changeId: z.uuid('choose a website change from the queue'),
  decision: z.enum(WEBSITE_DECISIONS, 'choose approve or reject'),
  note: plainText(500, { multiline: true }),
});
export type WebsiteDecisionInput = z.infer<typeof WebsiteDecisionSchema>;

/** A website with what the operator judges it by. */
export interface WebsiteSide {
  website: string | null;
  host: string | null;
  /** The firm's own domain by the domain signal; null for none, free mail, a shared host or a page under a path. */
  domain: string | null;
}

export interface QueuedWebsiteChange {
  id: string;
  firm: QueuedFirm;
  live: WebsiteSide;
  requested: WebsiteSide;
  /** The firm's enabled team, and how many of its sign-in addresses are at the new domain. */
  team: { total: number; atNewDomain: number };
  requestedAt: string;
  requestedBy: string | null;
}

const side = (website: string | null): WebsiteSide => ({
  website,
  host: websiteHost(website),
  domain: websiteDomain(website),
});

/** Oldest first: they have waited longest. One row per firm, so the list stays short. */
export async function websiteChangeQueue(ctx: ServiceContext): Promise<QueuedWebsiteChange[]> {
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('firmWebsiteChanges')
    .innerJoin('firms', 'firms.id', 'firmWebsiteChanges.firmId')
    .leftJoin('users', 'users.id', 'firmWebsiteChanges.requestedBy')
    .select([
      ...FIRM_SUMMARY_COLUMNS,
      'firms.website as liveWebsite',
      'firmWebsiteChanges.id',
      'firmWebsiteChanges.website',
      'firmWebsiteChanges.requestedAt',
      'users.email as requestedBy',
    ])
    .orderBy('firmWebsiteChanges.requestedAt')
    .orderBy('firmWebsiteChanges.id')
    .limit(500)
    .execute();
  const team =
    rows.length === 0
      ? []
      : await db
          .selectFrom('users')
          .select(['firmId', 'email'])
          .where(
            'firmId',
            'in',
            rows.map((r) => r.firmId),
          )
          .where('disabledAt', 'is', null)
          .execute();
  return rows.map((r) => {
    const requested = side(r.website);
    const members = team.filter((u) => u.firmId === r.firmId);
    return {
      id: r.id,
      firm: firmSummary(r),
      live: side(r.liveWebsite),
      requested,
      team: {
        total: members.length,
        atNewDomain: members.filter((u) => emailMatchesDomain(u.email, requested.domain)).length,
      },
      requestedAt: r.requestedAt,
      requestedBy: r.requestedBy,
    };
  });
}

export async function pendingWebsiteChangeCount(ctx: ServiceContext): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom('firmWebsiteChanges')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Approves (the firm's website becomes the new one) or rejects (the approved one stays) one
 * waiting change, re-checking the firm as stored now: only an active firm's change is approved.
 */
export async function decideWebsiteChange(
  ctx: ServiceContext,
  input: WebsiteDecisionInput,
  adminId: string,
): Promise<{ decision: WebsiteDecision }> {
  await decide(ctx, operator(adminId), async (trx, now, record) => {
    const change = await rowToDecide(
      trx,
      'firmWebsiteChanges',
      input.changeId,
      'This website change no longer waits: the firm replaced or withdrew it, or it was decided already. Reload the queue.',
      'decision',
    );
    const firm = await trx
      .selectFrom('firms')
      .select(['id', 'name', 'status', 'website'])
      .where('id', '=', change.firmId)
      .executeTakeFirstOrThrow();
    const refusal = input.decision === 'approve' ? websiteApprovalRefusal(firm.status) : null;
    if (refusal) throw new ServiceError(409, refusal, 'decision');
    // Deleting by id first: if the firm replaced the request a moment ago, nothing is applied.
    const taken = await trx
      .deleteFrom('firmWebsiteChanges')
      .where('id', '=', change.id)
      .executeTakeFirst();
    changed(
      taken.numDeletedRows,
      'The firm changed this request a moment ago. Reload the queue.',
      'decision',
    );
    const note = input.note === '' ? {} : { note: input.note };
    const approved = input.decision === 'approve';
    if (approved) {
      await trx
        .updateTable('firms')
        .set({ website: change.website, updatedAt: now.toISOString() })
        .where('id', '=', firm.id)
        .execute();
      await bumpCatalogVersion(trx);
    }
    // The member who asked hears the outcome; a request from a removed member goes unanswered.
    const asker = change.requestedBy
      ? await trx
          .selectFrom('users')
          .select('email')
          .where('id', '=', change.requestedBy)
          .where('firmId', '=', firm.id)
          .where('disabledAt', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (asker) {
      await queueEmail(
        trx,
        ctx.secrets,
        `website-change:${change.id}:decision`,
        websiteDecisionEmail({
          to: asker.email,
          firmName: firm.name,
          approved,
          requested: change.website,
          shown: firm.website,
          note: input.note,
          profileUrl: `${ctx.config.publicUrl}/firm/profile`,
        }),
        now,
      );
    }
    await record({
      action: approved ? 'firm.website-changed' : 'firm.website-change-rejected',
      subjectKind: 'firm',
      subjectId: firm.id,
      detail: approved
        ? { from: firm.website, to: change.website, ...note }
        : { kept: firm.website, rejected: change.website, ...note },
    });
  });
  if (input.decision === 'approve') ctx.catalog.invalidate();
  return { decision: input.decision };
}
