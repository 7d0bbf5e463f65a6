import type { FastifyInstance } from 'fastify';
import {
  moderateReview,
  REVIEW_FILTERS,
  ReviewModerationSchema,
  reviewsForModeration,
} from '../../../services/reviews';
import { AdminReviewsPage } from '../../views/pages/admin/reviews';
import { registerDecisionQueue } from './queue';

export default async function reviewModerationRoutes(app: FastifyInstance) {
  registerDecisionQueue(app, {
    path: '/reviews',
    title: 'Reviews',
    filters: REVIEW_FILTERS,
    defaultFilter: 'all',
    notices: {
      hide: 'Review hidden: it left the firm’s profile and its rating.',
      restore: 'Review shown again, and counted in the firm’s rating.',
    },
    page: async (ctx, view) =>
      AdminReviewsPage({ rows: await reviewsForModeration(ctx, view.filter), ...view }),
    schema: ReviewModerationSchema,
    input: (reviewId, field) => ({
      reviewId,
      action: field('action'),
      reason: field('reason') ?? '',
    }),
    decide: moderateReview,
    done: (value) => value.action,
  });
}
