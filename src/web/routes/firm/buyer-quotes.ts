import type { FastifyInstance } from 'fastify';
import { requestIdForAccessToken } from '../../../services/buyer';
import { ServiceError } from '../../../services/context';
import { chooseQuote } from '../../../services/firm/quotes';
import { RATE_LIMITS } from '../../plugins/security';
import { isId, } from './shared';

/** The buyer marks one of the quotes on its private page as the one it chose. */
export default async function buyerQuoteRoutes(app: FastifyInstance) {
  const { ctx } = app;
  app.post<{ Params: { token: string; quoteId: string } }>(
    '/r/:token/quotes/:quoteId/choose',
    { config: { rateLimit: RATE_LIMITS.tokenLink } },
    async (request, reply) => {
      const { token, quoteId } = request.params;
      const requestId = await requestIdForAccessToken(ctx, token);
      if (!requestId) throw new ServiceError(404, 'This private link is not valid.');
      if (!isId(quoteId)) throw new ServiceError(404, 'This quote is not one of yours to choose.');
      await chooseQuote(ctx, requestId, quoteId);
      reply.header('referrer-policy', 'no-referrer');
      return reply.redirect(`/r/${token}#quotes-title`, 303);
    },
  );
}
