import type { FastifyInstance, FastifyReply } from 'fastify';
import { openReviewInvitation, ReviewSchema, submitReview } from '../../../services/reviews';
import { one } from '../../forms/fields';
import { bodyOf, parseWith } from '../../forms/parse';
import { RATE_LIMITS } from '../../plugins/security';
import { sendPage } from '../../render';
import { ReviewFormPage, ReviewThanksPage } from '../../views/pages/review';
import { defineArea } from '../area';

const NOINDEX = { noindex: true } as const;

/** The buyer's review, behind the link emailed after its call or share, and the thanks page. */
async function reviewLinkRoutes(app: FastifyInstance) {
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

  app.get<{ Params: { token: string } }>('/:token', tokenRoute, async (request, reply) =>
    showForm(reply, request.params.token, {}, {}),
  );

  app.post<{ Params: { token: string } }>('/:token', tokenRoute, async (request, reply) => {
    const fields = bodyOf(request);
    const values = { rating: one(fields, 'rating'), body: one(fields, 'body') ?? '' };
    const parsed = parseWith(ReviewSchema, values);
    if (!parsed.ok) return showForm(reply.code(400), request.params.token, values, parsed.errors);
    const { firmSlug } = await submitReview(ctx, request.params.token, parsed.value);
    return reply.redirect(`/reviews/thanks/${firmSlug}`, 303);
  });

  app.get<{ Params: { slug: string } }>('/thanks/:slug', async (request, reply) => {
    const firm = await ctx.catalog.bySlug(request.params.slug);
    if (!firm) return reply.callNotFound();
    return sendPage(reply, ReviewThanksPage({ firmName: firm.name, firmSlug: firm.slug }), {
      title: 'Thank you',
      ...NOINDEX,
    });
  });
}

/** The link is the key: its `:token` pages are capability pages. */
export default defineArea({ routes: reviewLinkRoutes, capabilityPages: true });
