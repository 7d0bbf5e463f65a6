import type { FastifyInstance, FastifyReply } from 'fastify';
import { ServiceError } from '../../services/context';
import {
  firmReview,
  openReviewInvitation,
  replyToReview,
  ReviewSchema,
  submitReview,
  visibleReviews,
} from '../../services/reviews';
import { one } from '../forms/fields';
import { RATE_LIMITS } from '../plugins/security';
import { requireUser } from '../plugins/session';
import { renderDocument, sendPage } from '../render';
import { ReviewFormPage, ReviewThanksPage } from '../views/pages/review';
import { ReviewReplyPage } from '../views/pages/review-reply';
import { FirmReviewsPage } from '../views/pages/reviews';
import { bodyOf, parseWith } from '../forms/parse';
import { refuseWhileSuspended } from './firm/shared';

const NOINDEX = { noindex: true } as const;

/**
 * Reviews: the buyer's form behind the emailed link, the public list on a firm's profile, and
 * the firm's one reply (a minimal page the firm workspace can link to).
 */
export default async function reviewRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const tokenRoute = { config: { rateLimit: RATE_LIMITS.tokenLink } };

  async function showForm(
    reply: FastifyReply,
    token: string,
    values: { rating?: string; body?: string },
    errors: Record<string, string>,
  ) {
    const invitation = await openReviewInvitation(ctx, token);
    return sendPage(
      reply,
      ReviewFormPage({ invitation, token, csrf: reply.generateCsrf(), values, errors }),
      { title: `Review ${invitation.firmName}`, ...NOINDEX },
    );
  }

  app.get<{ Params: { token: string } }>('/reviews/:token', tokenRoute, async (request, reply) =>
    showForm(reply, request.params.token, {}, {}),
  );

  app.post<{ Params: { token: string } }>('/reviews/:token', tokenRoute, async (request, reply) => {
    const fields = bodyOf(request);
    const values = { rating: one(fields, 'rating'), body: one(fields, 'body') ?? '' };
    const parsed = parseWith(ReviewSchema, values);
    if (!parsed.ok) return showForm(reply.code(400), request.params.token, values, parsed.errors);
    const { firmSlug } = await submitReview(ctx, request.params.token, parsed.value);
    return reply.redirect(`/reviews/thanks/${firmSlug}`, 303);
  });

  app.get<{ Params: { slug: string } }>('/reviews/thanks/:slug', async (request, reply) => {
    const firm = await ctx.catalog.bySlug(request.params.slug);
    if (!firm) return reply.callNotFound();
    return sendPage(reply, ReviewThanksPage({ firmName: firm.name, firmSlug: firm.slug }), {
      title: 'Thank you',
      ...NOINDEX,
    });
  });

  app.get<{ Params: { slug: string } }>('/firms/:slug/reviews', async (request, reply) => {
    const firm = await ctx.catalog.bySlug(request.params.slug);
    if (firm?.status !== 'active') return reply.callNotFound();
    return app.pageCache.send(request, reply, ctx.catalog.version, async () =>
      renderDocument(
        reply,
        FirmReviewsPage({ firm, reviews: await visibleReviews(ctx, firm.id) }),
        {
          title: `Reviews of ${firm.name}`,
          description: `Ratings of ${firm.name} by buyers Auditmatch introduced, with the firm's replies.`,
          canonical: `/firms/${firm.slug}/reviews`,
        },
      ),
    );
  });

  // The firm's reply: a minimal page of its own, so the review email can link straight to it.
  await app.register(async (firmScope) => {
    firmScope.addHook('preHandler', requireUser('firm'));
    firmScope.addHook('preHandler', refuseWhileSuspended);

    async function showReply(
      reply: FastifyReply,
      reviewId: string,
      firmId: string,
      value?: string,
      error?: string,
    ) {
      const review = await firmReview(ctx, reviewId, firmId);
      if (!review) throw new ServiceError(404, 'This review does not exist or is not about your firm.');
      return sendPage(
        reply,
        ReviewReplyPage({ review, csrf: reply.generateCsrf(), value, error }),
        { title: 'Reply to a review', ...NOINDEX },
      );
    }

    firmScope.get<{ Params: { id: string } }>('/firm/reviews/:id/reply', async (request, reply) =>
      showReply(reply, request.params.id, request.user?.firmId ?? ''),
    );

    firmScope.post<{ Params: { id: string } }>(
      '/firm/reviews/:id/reply',
      async (request, reply) => {
        const user = request.user!;
        const text = one(bodyOf(request), 'reply') ?? '';
        try {
          await replyToReview(ctx, request.params.id, user.firmId ?? '', text, user.id);
          return reply.redirect(`/firm/reviews/${request.params.id}/reply`, 303);
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          return showReply(
            reply.code(error.status),
            request.params.id,
            user.firmId ?? '',
            text,
            error.message,
          );
        }
      },
    );
  });
}
