import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { bumpCatalogVersion, firmLead } from '../db/firms';
import type { Database } from '../db/schema';
import { queueEmail } from '../outbox/queue';
import { buyerAddress } from './private-links';
import { audit, queueSystemEmail } from './audit';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import { changed, decide, found, operator, reasonRequired, rowToDecide } from './decisions';
import { plainText } from '../domain/text';
import { DAY_MS } from '../domain/matching/dates';

/**
 * Reviews written only by introduced buyers. Some weeks after a firm accepted a brief, the
 * buyer gets a signed link bound to that brief; the link is the proof of introduction, and the
 * unique index on reviews.brief_id makes it work once. The firm may reply once; the operator
 * may hide abusive text with a reason. The firm's count and mean are recomputed from visible
 * reviews in the same transaction, and the catalog version moves so matching (which uses them,
 * smoothed) and the cached profile pages see the change.
 */

export const REVIEW_INVITE_AFTER_WEEKS = 6;
/**
 * Introductions older than the invitation delay plus this are not invited: a first run on an
 * old database (or a job that was down for weeks) must not email every buyer ever introduced.
 */
export const REVIEW_INVITE_GRACE_DAYS = 30;
export const REVIEW_LINK_DAYS = 60;

interface ReviewLinkClaims extends Record<string, string | number> {
  rv: string;
  exp: number;
}

export function reviewInviteKey(requestId: string, briefId: string): string {
  return `req:${requestId}:brief:${briefId}:review-invite`;
}

export function reviewLink(ctx: ServiceContext, briefId: string, expires: Date): string {
  const token = ctx.secrets.sign({ rv: briefId, exp: Math.floor(expires.getTime() / 1000) });
  return `${ctx.config.publicUrl}/reviews/${token}`;
}

type LinkReading = { ok: true; briefId: string } | { ok: false; status: 404 | 410 };

function readReviewLink(ctx: ServiceContext, token: string): LinkReading {
  const claims = token.length <= 400 ? ctx.secrets.verify<ReviewLinkClaims>(token) : null;
  if (!claims || typeof claims.rv !== 'string' || typeof claims.exp !== 'number')
    return { ok: false, status: 404 };
  if (claims.exp * 1000 < ctx.now().getTime()) return { ok: false, status: 410 };
  return { ok: true, briefId: claims.rv };
}

function inviteEmail(to: string, name: string, firmName: string, link: string) {
  return {
    to,
    subject: `How was ${firmName}? Rate your introduction`,
    text: `Hello ${name},

A few weeks ago Auditmatch introduced you to ${firmName}. How did it go? Your rating (1 to 5, with a few words if you like) helps the next company choose, and only buyers who were introduced can leave one:

${link}

The link works once and expires in ${REVIEW_LINK_DAYS} days. Your review is shown without your name or company, and the firm may reply once.

— Auditmatch
Independent of every firm listed. Free for buyers. No spam.`,
  };
}

/** Review invitations queued in one pass at most; a backlog goes out over several passes. */
const REVIEW_INVITES_PER_PASS = 200;

/** Per database, the introduction time up to which this instance's passes have read. */
const invitesRead = new WeakMap<object, string>();

/**
 * Queues the review invitation for each introduction that is old enough, once per brief (the
 * outbox key says so, and starts with `req:<id>:` so the buyer's data deletion erases it).
 * Requests whose contact was erased are skipped: nobody is left to ask.
 */
export async function inviteReviews(
  ctx: ServiceContext,
  options: { afterWeeks?: number; perPass?: number } = {},
): Promise<number> {
  const now = ctx.now();
  const afterWeeks = options.afterWeeks ?? REVIEW_INVITE_AFTER_WEEKS;
  const perPass = options.perPass ?? REVIEW_INVITES_PER_PASS;
  const newest = new Date(now.getTime() - afterWeeks * 7 * DAY_MS).toISOString();
  const oldest = new Date(
    now.getTime() - (afterWeeks * 7 + REVIEW_INVITE_GRACE_DAYS) * DAY_MS,
  ).toISOString();
  // Where this instance's last pass stopped: introductions before it were invited or skipped
  // for good (a brief is introduced once, at the time it records), so a pass reads only those
  // introduced since. A clock set back reads the whole window again.
  const readUpTo = invitesRead.get(ctx.db.kysely);
  const from = readUpTo && readUpTo > oldest && readUpTo <= newest ? readUpTo : oldest;
  const due = await ctx.db.kysely
    .selectFrom('briefs')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .leftJoin('reviews', 'reviews.briefId', 'briefs.id')
    .select(['briefs.id', 'briefs.requestId', 'briefs.firmId', 'briefs.contactReleasedAt'])
    // Introduced: the buyer booked a call with the firm or shared its details with it.
    .where('briefs.status', '=', 'accepted')
    .where('briefs.contactReleasedAt', 'is not', null)
    .where('briefs.contactReleasedAt', '<=', newest)
    .where('briefs.contactReleasedAt', '>=', from)
    .where('quoteRequests.contactEmailEnc', 'is not', null)
    .where('reviews.id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox')
            .select('outbox.id')
            .where(
              'outbox.idempotencyKey',
              '=',
              sql<string>`'req:' || briefs.request_id || ':brief:' || briefs.id || ':review-invite'`,
            ),
        ),
      ),
    )
    .orderBy('briefs.contactReleasedAt')
    .limit(perPass)
    .execute();
  let invited = 0;
  for (const brief of due) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const request = await trx
        .selectFrom('quoteRequests')
        .select(['contactEmailEnc', 'contactNameEnc'])
        .where('id', '=', brief.requestId)
        .executeTakeFirst();
      const firm = await trx
        .selectFrom('firms')
        .select('name')
        .where('id', '=', brief.firmId)
        .executeTakeFirst();
      const buyer = request && buyerAddress(ctx.secrets, request);
      if (!buyer || !firm) return;
      const link = reviewLink(ctx, brief.id, new Date(now.getTime() + REVIEW_LINK_DAYS * DAY_MS));
      const queued = await queueSystemEmail(
        trx,
        ctx.secrets,
        reviewInviteKey(brief.requestId, brief.id),
        inviteEmail(buyer.email, buyer.name, firm.name, link),
        now,
        {
          action: 'review.invited',
          subjectKind: 'brief',
          subjectId: brief.id,
          detail: { firmId: brief.firmId },
        },
      );
      if (queued) invited++;
    });
  }
  // Once every one is queued: a full page leaves the rest for the next pass, from the last one
  // read (ties are read again; the outbox key makes a second invitation impossible).
  invitesRead.set(ctx.db.kysely, due.length === perPass ? due.at(-1)!.contactReleasedAt! : newest);
  return invited;
}

export interface ReviewInvitation {
  briefId: string;
  firmName: string;
  firmSlug: string;
  introducedOn: string;
}

/** An introduced brief behind a review link, or the reason it cannot be used. */
async function invitationFor(
  db: Kysely<Database>,
  ctx: ServiceContext,
  token: string,
): Promise<ReviewInvitation & { firmId: string; requestId: string }> {
  const link = readReviewLink(ctx, token);
  if (!link.ok) {
    throw link.status === 410
      ? new ServiceError(410, 'This review link has expired.')
      : new ServiceError(404, 'This review link is not valid.');
  }
  const brief = await db
    .selectFrom('briefs')
    .innerJoin('firms', 'firms.id', 'briefs.firmId')
    .leftJoin('reviews', 'reviews.briefId', 'briefs.id')
    .select([
      'briefs.id',
      'briefs.requestId',
      'briefs.firmId',
      'briefs.status',
      'briefs.respondedAt',
      'firms.name',
      'firms.slug',
      'reviews.id as reviewId',
    ])
    .where('briefs.id', '=', link.briefId)
    .executeTakeFirst();
  // Only an accepted brief is an introduction: nothing else can be reviewed.
  if (brief?.status !== 'accepted') throw new ServiceError(404, 'This review link is not valid.');
  if (brief.reviewId)
    throw new ServiceError(410, 'This link was already used: your review is in. Thank you.');
  return {
    briefId: brief.id,
    requestId: brief.requestId,
    firmId: brief.firmId,
    firmName: brief.name,
    firmSlug: brief.slug,
    introducedOn: (brief.respondedAt ?? '').slice(0, 10),
  };
}

/** What the review form shows; refuses forged, expired and used links. */
export async function openReviewInvitation(
  ctx: ServiceContext,
  token: string,
): Promise<ReviewInvitation> {
  const { briefId, firmName, firmSlug, introducedOn } = await invitationFor(
    ctx.db.kysely,
    ctx,
    token,
  );
  return { briefId, firmName, firmSlug, introducedOn };
}

export const ReviewSchema = z.object({
  rating: z.coerce
    .number('choose a rating from 1 to 5')
    .int('choose a rating from 1 to 5')
    .min(1, 'choose a rating from 1 to 5')
    .max(5, 'choose a rating from 1 to 5'),
  body: plainText(2000, { multiline: true }),
});
export type ReviewInput = z.infer<typeof ReviewSchema>;

export const ReviewReplySchema = z.object({
  reply: plainText(2000, { multiline: true }).pipe(
    z.string().min(2, 'write your reply (at least 2 characters)'),
  ),
});

export const REVIEW_MODERATIONS = ['hide', 'restore'] as const;
export const ReviewModerationSchema = z
  .object({
    reviewId: z.uuid('choose a review from the list'),
    action: z.enum(REVIEW_MODERATIONS, 'choose hide or restore'),
    reason: plainText(500),
  })
  .refine(
    ...reasonRequired(
      'action',
      'restore',
      'reason',
      'say why the text is hidden (at least 3 characters)',
    ),
  );
export type ReviewModeration = z.infer<typeof ReviewModerationSchema>;

/** count and mean of the firm's visible reviews, written to the firm row the matcher reads. */
async function recomputeAggregate(
  trx: Kysely<Database>,
  firmId: string,
): Promise<{ count: number; mean: number | null }> {
  const row = await trx
    .selectFrom('reviews')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('rating').as('total')])
    .where('firmId', '=', firmId)
    .where('hiddenAt', 'is', null)
    .executeTakeFirstOrThrow();
  const count = Number(row.n);
  const mean = count > 0 ? Math.round((Number(row.total) / count) * 100) / 100 : null;
  await trx
    .updateTable('firms')
    .set({ reviewCount: count, reviewMean: mean })
    .where('id', '=', firmId)
    .execute();
  await bumpCatalogVersion(trx);
  return { count, mean };
}

export async function submitReview(
  ctx: ServiceContext,
  token: string,
  input: ReviewInput,
): Promise<{ reviewId: string; firmSlug: string }> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const invitation = await invitationFor(trx, ctx, token);
    const id = randomUUID();
    const inserted = await trx
      .insertInto('reviews')
      .values({
        id,
        briefId: invitation.briefId,
        firmId: invitation.firmId,
        rating: input.rating,
        body: input.body === '' ? null : input.body,
        firmReply: null,
        firmRepliedAt: null,
        hiddenReason: null,
        hiddenAt: null,
        createdAt: at,
      })
      .onConflict((oc) => oc.column('briefId').doNothing())
      .executeTakeFirst();
    changed(
      inserted.numInsertedOrUpdatedRows,
      'This link was already used: your review is in. Thank you.',
      undefined,
      410,
    );
    const aggregate = await recomputeAggregate(trx, invitation.firmId);
    const lead = await firmLead(trx, invitation.firmId);
    if (lead) {
      await queueEmail(
        trx,
        ctx.secrets,
        `review:${id}:firm-notice`,
        {
          to: lead.email,
          subject: `A buyer rated ${lead.name} ${input.rating} out of 5`,
          text: `Hello ${lead.name},

A buyer Auditmatch introduced to you has rated the introduction ${input.rating} out of 5${input.body ? ' and left a few words' : ''}. You can reply once, publicly, on your profile:

${ctx.config.publicUrl}/firm/reviews/${id}/reply

— Auditmatch`,
        },
        now,
      );
    }
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'review.submitted',
      subjectKind: 'review',
      subjectId: id,
      detail: {
        firmId: invitation.firmId,
        briefId: invitation.briefId,
        rating: input.rating,
        reviewCount: aggregate.count,
        reviewMean: aggregate.mean,
      },
    });
    return { reviewId: id, firmSlug: invitation.firmSlug };
  });
  ctx.catalog.invalidate();
  return result;
}

/**
 * The firm's one public reply to a review of it. For the firm workspace too: `firmId` is the
 * signed-in user's firm, so a review of another firm answers 404 like a missing one.
 */
export async function replyToReview(
  ctx: ServiceContext,
  reviewId: string,
  firmId: string,
  text: string,
  userId: string | null = null,
): Promise<void> {
  const parsed = ReviewReplySchema.safeParse({ reply: text });
  if (!parsed.success)
    throw new ServiceError(400, parsed.error.issues[0]?.message ?? 'write your reply', 'reply');
  await decide(ctx, { actorKind: 'firm-user', actorId: userId }, async (trx, now, record) => {
    found(
      await trx
        .selectFrom('reviews')
        .select(['id', 'firmReply'])
        .where('id', '=', reviewId)
        .where('firmId', '=', firmId)
        .executeTakeFirst(),
      'This review does not exist or is not about your firm.',
    );
    const updated = await trx
      .updateTable('reviews')
      .set({ firmReply: parsed.data.reply, firmRepliedAt: now.toISOString() })
      .where('id', '=', reviewId)
      .where('firmReply', 'is', null)
      .executeTakeFirst();
    changed(
      updated.numUpdatedRows,
      'Your firm has already replied to this review; a reply is given once.',
      'reply',
    );
    // Replies are shown on the cached public profile.
    await bumpCatalogVersion(trx);
    await record({
      action: 'review.replied',
      subjectKind: 'review',
      subjectId: reviewId,
      detail: { firmId },
    });
  });
  ctx.catalog.invalidate();
}

/** Hides a review's text (and its rating from the aggregate) with a reason, or restores it. */
export async function moderateReview(
  ctx: ServiceContext,
  input: ReviewModeration,
  adminId: string,
): Promise<void> {
  await decide(ctx, operator(adminId), async (trx, now, record) => {
    const review = await rowToDecide(
      trx,
      'reviews',
      input.reviewId,
      'This review does not exist.',
      'reviewId',
    );
    const hide = input.action === 'hide';
    if (hide === (review.hiddenAt !== null))
      throw new ServiceError(
        409,
        hide ? 'This review is already hidden.' : 'This review is not hidden.',
        'action',
      );
    await trx
      .updateTable('reviews')
      .set(
        hide
          ? { hiddenAt: now.toISOString(), hiddenReason: input.reason }
          : { hiddenAt: null, hiddenReason: null },
      )
      .where('id', '=', review.id)
      .execute();
    const aggregate = await recomputeAggregate(trx, review.firmId);
    await record({
      action: hide ? 'review.hidden' : 'review.restored',
      subjectKind: 'review',
      subjectId: review.id,
      detail: {
        firmId: review.firmId,
        reason: input.reason || null,
        reviewCount: aggregate.count,
        reviewMean: aggregate.mean,
      },
    });
  });
  ctx.catalog.invalidate();
}

export interface PublicReview {
  id: string;
  rating: number;
  body: string | null;
  createdAt: string;
  firmReply: string | null;
  firmRepliedAt: string | null;
}

/** The columns of a review as a visitor reads it. */
const PUBLIC_REVIEW_COLUMNS = [
  'id',
  'rating',
  'body',
  'createdAt',
  'firmReply',
  'firmRepliedAt',
] as const;

/** Reviews a visitor may read: hidden ones are left out entirely. */
export async function visibleReviews(
  ctx: ServiceContext,
  firmId: string,
  limit = 100,
): Promise<PublicReview[]> {
  return ctx.db.kysely
    .selectFrom('reviews')
    .select(PUBLIC_REVIEW_COLUMNS)
    .where('firmId', '=', firmId)
    .where('hiddenAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .execute();
}

/** One review of the signed-in user's firm (hidden text included: the firm knows what it was told). */
export async function firmReview(ctx: ServiceContext, reviewId: string, firmId: string) {
  if (!z.uuid().safeParse(reviewId).success) return null;
  return (
    (await ctx.db.kysely
      .selectFrom('reviews')
      .select([...PUBLIC_REVIEW_COLUMNS, 'hiddenAt', 'hiddenReason'])
      .where('id', '=', reviewId)
      .where('firmId', '=', firmId)
      .executeTakeFirst()) ?? null
  );
}

export const REVIEW_FILTERS = ['all', 'with-text', 'hidden'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

export interface ModeratedReview extends PublicReview {
  firmName: string;
  firmSlug: string;
  hiddenAt: string | null;
  hiddenReason: string | null;
}

export async function reviewsForModeration(
  ctx: ServiceContext,
  filter: ReviewFilter,
): Promise<ModeratedReview[]> {
  let query = ctx.db.kysely
    .selectFrom('reviews')
    .innerJoin('firms', 'firms.id', 'reviews.firmId')
    .select([
      'reviews.id',
      'reviews.rating',
      'reviews.body',
      'reviews.createdAt',
      'reviews.firmReply',
      'reviews.firmRepliedAt',
      'reviews.hiddenAt',
      'reviews.hiddenReason',
      'firms.name as firmName',
      'firms.slug as firmSlug',
    ]);
  if (filter === 'hidden') query = query.where('reviews.hiddenAt', 'is not', null);
  if (filter === 'with-text')
    query = query.where((eb) =>
      eb.or([eb('reviews.body', 'is not', null), eb('reviews.firmReply', 'is not', null)]),
    );
  return query.orderBy('reviews.createdAt', 'desc').limit(200).execute();
}
