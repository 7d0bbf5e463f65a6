import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  decideWebsiteChange,
  WebsiteDecisionSchema,
  websiteChangeQueue,
} from '../../../services/admin/website-changes';
import { one } from '../../forms/fields';
import { attempt, bodyOf, noticeFor, parseWith, queryOf, typedValues } from '../../forms/parse';
import { sendPage } from '../../render';
import type { RowFailure } from '../../views/pages/admin/shell';
import { WebsiteChangesPage } from '../../views/pages/admin/website-changes';
import { adminId } from './form';

const NOTICES = {
  approve: 'Website approved. The firm’s public profile and its domain signal use it from now on.',
  reject: 'Website change rejected. The firm keeps its approved website.',
};

/** The queue of website changes approved firms asked for (ADR 0017). */
export default async function websiteChangeRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const changes = await websiteChangeQueue(ctx);
    return sendPage(
      reply,
      WebsiteChangesPage({ changes, csrf: reply.generateCsrf(), notice, failure }),
      { title: 'Website changes', noindex: true },
    );
  }

  app.get('/website-changes', async (request, reply) =>
    show(reply, noticeFor(NOTICES, queryOf(request).done)),
  );

  app.post<{ Params: { id: string } }>('/website-changes/:id', async (request, reply) => {
    const fields = bodyOf(request);
    const input = parseWith(WebsiteDecisionSchema, {
      changeId: request.params.id,
      decision: one(fields, 'decision'),
      note: one(fields, 'note') ?? '',
    });
    const done = await attempt(input, (value) => decideWebsiteChange(ctx, value, adminId(request)));
    if (!done.ok)
      return show(reply.code(done.status), null, {
        id: request.params.id,
        errors: done.errors,
        values: typedValues(fields),
      });
    return reply.redirect(`${app.prefix}/website-changes?done=${done.value.decision}`, 303);
  });
}
