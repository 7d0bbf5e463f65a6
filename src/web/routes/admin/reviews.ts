import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  moderateReview,
  REVIEW_FILTERS,
  type ReviewFilter,
  ReviewModerationSchema,
  reviewsForModeration,
} from '../../../services/reviews';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { AdminReviewsPage } from '../../views/pages/admin/reviews';
import type { RowFailure } from '../../views/pages/admin/shell';
import { adminId } from './form';
import {
  attempt,
  bodyOf,
  noticeFor,
  parseWith,
  pick,
  queryOf,
  typedValues,
} from '../../forms/parse';

const NOTICES = {
  hide: 'Review hidden: it left the firm’s profile and its rating.',
  restore: 'Review shown again, and counted in the firm’s rating.',
};

export default async function reviewModerationRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    filter: ReviewFilter,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const reviews = await reviewsForModeration(ctx, filter);
    return sendPage(
      reply,
      AdminReviewsPage({ reviews, filter, csrf: reply.generateCsrf(), notice, failure }),
      { title: 'Reviews', noindex: true },
    );
  }

  app.get('/admin/reviews', async (request, reply) => {
    const query = queryOf(request);
    return show(reply, pick(REVIEW_FILTERS, query.filter, 'all'), noticeFor(NOTICES, query.done));
  });

  app.post<{ Params: { id: string } }>('/admin/reviews/:id', async (request, reply) => {
    const fields = bodyOf(request);
    const filter = pick(REVIEW_FILTERS, fields.filter, 'all');
    const input = parseWith(ReviewModerationSchema, {
      reviewId: request.params.id,
      action: one(fields, 'action'),
      reason: one(fields, 'reason') ?? '',
    });
    const done = await attempt(input, (value) => moderateReview(ctx, value, adminId(request)));
    if (!done.ok)
      return show(reply.code(done.status), filter, null, {
        id: request.params.id,
        errors: done.errors,
        values: typedValues(fields),
      });
    return reply.redirect(`/admin/reviews?filter=${filter}&done=${done.value.action}`, 303);
  });
}
