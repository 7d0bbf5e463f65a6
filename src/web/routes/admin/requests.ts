import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { unmatchedRequests } from '../../../services/admin/requests';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { UnmatchedRequestsPage } from '../../views/pages/admin/requests';
import { queryOf } from '../../forms/parse';

const Page = z.coerce.number().int().min(1).max(10_000).catch(1);

export default async function unmatchedRoutes(app: FastifyInstance) {
  app.get('/admin/requests', async (request, reply) => {
    const page = Page.parse(one(queryOf(request), 'page') ?? 1);
    const { items, hasMore } = await unmatchedRequests(app.ctx, page);
    return sendPage(
      reply,
      UnmatchedRequestsPage({ items, page, hasMore, csrf: reply.generateCsrf() }),
      { title: 'Unmatched requests', noindex: true },
    );
  });
}
