import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { outboxTrouble, retryMessage } from '../../../services/admin/outbox';
import { sendPage } from '../../render';
import { OutboxPage } from '../../views/pages/admin/outbox';
import type { RowFailure } from '../../views/pages/admin/shell';
import { adminId } from './form';
import { attempt, noticeFor, parseWith, queryOf } from '../../forms/parse';

const MessageId = z.uuid('This message does not exist.');

export default async function outboxRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const trouble = await outboxTrouble(ctx);
    return sendPage(reply, OutboxPage({ trouble, csrf: reply.generateCsrf(), notice, failure }), {
      title: 'Outbox',
      noindex: true,
    });
  }

  app.get('/outbox', async (request, reply) =>
    show(
      reply,
      noticeFor(
        { retried: 'Message queued again: the worker delivers it on its next pass.' },
        queryOf(request).done,
      ),
    ),
  );

  app.post<{ Params: { id: string } }>('/outbox/:id/retry', async (request, reply) => {
    const done = await attempt(parseWith(MessageId, request.params.id), (id) =>
      retryMessage(ctx, id, adminId(request)),
    );
    if (!done.ok)
      return show(reply.code(done.status), null, { id: request.params.id, errors: done.errors });
    return reply.redirect('/admin/outbox?done=retried', 303);
  });
}
