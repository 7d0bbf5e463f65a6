import type { FastifyInstance } from 'fastify';
import { isListedPublicly } from '../../../domain/firm';
import { visibleReviews } from '../../../services/reviews';
import { renderDocument } from '../../render';
import { FirmReviewsPage } from '../../views/pages/reviews';

/** A firm's reviews on the public site: ratings by buyers Auditmatch introduced, and the firm's replies. */
export default async function firmReviewRoutes(app: FastifyInstance) {
  const { ctx } = app;
  app.get<{ Params: { slug: string } }>('/firms/:slug/reviews', async (request, reply) => {
    const firm = await ctx.catalog.bySlug(request.params.slug);
    if (!firm || !isListedPublicly(firm)) return reply.callNotFound();
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
}
