import type { FastifyInstance } from 'fastify';
import { unmatchedRequests } from '../../../services/admin/requests';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { UnmatchedRequestsPage } from '../../views/pages/admin/requests';
import { queryOf } from '../../forms/parse';

export default async function unmatchedRoutes(app: FastifyInstance) {
  app.get('/requests', async (request, reply) => {
    const cursor = one(queryOf(request), 'cursor') || undefined;
    const { items, next } = await unmatchedRequests(app.ctx, cursor);
    return sendPage(
      reply,
      UnmatchedRequestsPage({ items, cursor, next, csrf: reply.generateCsrf() }),
      { title: 'Unmatched requests', noindex: true },
    );
  });
}
