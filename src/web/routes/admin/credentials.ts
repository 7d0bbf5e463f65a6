import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import {
  credentialEvidenceFile,
  credentialQueue,
  CredentialDecisionSchema,
  decideCredential,
  QUEUE_FILTERS,
} from '../../../services/admin/credentials';
import { CredentialQueuePage } from '../../views/pages/admin/credentials';
import { decisionWithNote, registerDecisionQueue } from './queue';

const NOTICES = {
  verify:
    'Credential verified. The firm counts as qualified for the frameworks it carries from now on.',
  reject: 'Credential rejected. The firm sees your note in its workspace.',
  revoke: 'Credential revoked. The firm is no longer matched for the frameworks it carried.',
};

export default async function credentialRoutes(app: FastifyInstance) {
  const { ctx } = app;
  registerDecisionQueue(app, {
    path: '/credentials',
    title: 'Credential verification',
    filters: QUEUE_FILTERS,
    defaultFilter: 'pending',
    notices: NOTICES,
    page: async (ctx, view) =>
      CredentialQueuePage({ ...(await credentialQueue(ctx, view.filter, view.cursor)), ...view }),
    schema: CredentialDecisionSchema,
    input: decisionWithNote('credentialId'),
    decide: decideCredential,
    done: (value) => value.decision,
  });

  app.get<{ Params: { id: string } }>('/credentials/:id/evidence', async (request, reply) => {
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
