import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  credentialEvidenceFile,
  credentialQueue,
  CredentialDecisionSchema,
  decideCredential,
  QUEUE_FILTERS,
  type QueueFilter,
} from '../../../services/admin/credentials';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { CredentialQueuePage } from '../../views/pages/admin/credentials';
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
  verify:
    'Credential verified. The firm counts as qualified for the frameworks it carries from now on.',
  reject: 'Credential rejected. The firm sees your note in its workspace.',
  revoke: 'Credential revoked. The firm is no longer matched for the frameworks it carried.',
};

export default async function credentialRoutes(app: FastifyInstance) {
  const { ctx } = app;

  async function show(
    reply: FastifyReply,
    filter: QueueFilter,
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const credentials = await credentialQueue(ctx, filter);
    return sendPage(
      reply,
      CredentialQueuePage({ credentials, filter, csrf: reply.generateCsrf(), notice, failure }),
      { title: 'Credential verification', noindex: true },
    );
  }

  app.get('/admin/credentials', async (request, reply) => {
    const query = queryOf(request);
    return show(
      reply,
      pick(QUEUE_FILTERS, query.filter, 'pending'),
      noticeFor(NOTICES, query.done),
    );
  });

  app.post<{ Params: { id: string } }>('/admin/credentials/:id', async (request, reply) => {
    const fields = bodyOf(request);
    const filter = pick(QUEUE_FILTERS, fields.filter, 'pending');
    const input = parseWith(CredentialDecisionSchema, {
      credentialId: request.params.id,
      decision: one(fields, 'decision'),
      note: one(fields, 'note') ?? '',
    });
    const done = await attempt(input, (value) => decideCredential(ctx, value, adminId(request)));
    if (!done.ok)
      return show(reply.code(done.status), filter, null, {
        id: request.params.id,
        errors: done.errors,
        values: typedValues(fields),
      });
    return reply.redirect(`/admin/credentials?filter=${filter}&done=${done.value.decision}`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/credentials/:id/evidence', async (request, reply) => {
    const file = await credentialEvidenceFile(ctx, request.params.id);
    if (
      !file ||
      !(await access(file).then(
        () => true,
        () => false,
      ))
    )
      return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="credential-${request.params.id}.pdf"`)
      .send(createReadStream(file));
  });
}
