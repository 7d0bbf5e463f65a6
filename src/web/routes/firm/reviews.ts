import type { FastifyInstance, FastifyReply } from 'fastify';
import { ServiceError } from '../../../services/context';
import { firmReview, replyToReview } from '../../../services/reviews';
import { one } from '../../forms/fields';
import { bodyOf } from '../../forms/parse';
import { sendPage } from '../../render';
import { ReviewReplyPage } from '../../views/pages/review-reply';

const NOINDEX = { noindex: true } as const;

/** The firm's one reply to a review: a minimal page of its own, so the review email can link straight to it. */
export default async function reviewReplyRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function showReply(
    reply: FastifyReply,
    reviewId: string,
    firmId: string,
    value?: string,
    error?: string,
  ) {
    const review = await firmReview(ctx, reviewId, firmId);
    if (!review)
      throw new ServiceError(404, 'This review does not exist or is not about your firm.');
    return sendPage(reply, ReviewReplyPage({ review, csrf: reply.generateCsrf(), value, error }), {
      title: 'Reply to a review',
      ...NOINDEX,
    });
  }

  app.get<{ Params: { id: string } }>('/reviews/:id/reply', async (request, reply) =>
    showReply(reply, request.params.id, request.user?.firmId ?? ''),
  );

  app.post<{ Params: { id: string } }>('/reviews/:id/reply', async (request, reply) => {
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
  });
}
