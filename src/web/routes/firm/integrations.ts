import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../../services/context';
import {
  createApiKey,
  integrationsOf,
  retireIntegration,
} from '../../../services/firm/integrations';
import { registerWebhook } from '../../../services/firm/webhooks';
import { IntegrationsPage, type RevealedSecret } from '../../views/pages/firm/integrations';
import { parseApiKeyForm, parseWebhookForm } from './forms';
import { body, rowId, registerFirmPage, signedIn } from './shared';

/** API keys and webhooks (owners only: the area's guard, in index.ts). A new key or secret is shown in the response to its POST, once. */
export default async function integrationRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const allowLoopback = ctx.config.env !== 'production';

  const show = registerFirmPage<
    Awaited<ReturnType<typeof integrationsOf>>,
    { revealed: RevealedSecret }
  >(app, {
    path: '/integrations',
    title: 'Integrations',
    notices: {
      revoked: 'The key is revoked: requests with it are refused from now on.',
      removed: 'The webhook is removed: nothing more is sent to it.',
    },
    rows: (firmId) => integrationsOf(ctx, firmId),
    page: ({ firm, rows, ...view }, form) =>
      IntegrationsPage({
        ...view,
        ...form,
        firmName: firm.name,
        keys: rows.keys,
        webhooks: rows.webhooks,
        revealed: form.revealed ?? null,
        publicUrl: ctx.config.publicUrl,
      }),
  });

  app.post('/integrations/keys', async (request, reply) => {
    const user = signedIn(request);
    const fields = body(request);
    const parsed = parseApiKeyForm(fields);
    if (!parsed.ok) return show(reply.code(400), user, { fields, errors: parsed.errors });
    const { key } = await createApiKey(ctx, user, parsed.value.label);
    return show(reply.code(201), user, {
      revealed: { kind: 'api-key', label: parsed.value.label, value: key },
    });
  });

  app.post<{ Params: { id: string } }>('/integrations/keys/:id/revoke', async (request, reply) => {
    const user = signedIn(request);
    const id = rowId(request.params.id, 'This key does not exist or was already revoked.');
    await retireIntegration(ctx, user, 'api-key', id);
    return reply.redirect('/firm/integrations?done=revoked', 303);
  });

  app.post('/integrations/webhooks', async (request, reply) => {
    const user = signedIn(request);
    const fields = body(request);
    const parsed = parseWebhookForm(fields, allowLoopback);
    if (!parsed.ok) return show(reply.code(400), user, { fields, errors: parsed.errors });
    try {
      const { secret } = await registerWebhook(ctx, user, parsed.value);
      return show(reply.code(201), user, {
        revealed: { kind: 'webhook-secret', label: parsed.value.url, value: secret },
      });
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.field) throw error;
      return show(reply.code(error.status), user, {
        fields,
        errors: { [error.field]: error.message },
      });
    }
  });

  app.post<{ Params: { id: string } }>(
    '/integrations/webhooks/:id/remove',
    async (request, reply) => {
      const user = signedIn(request);
      const id = rowId(
        request.params.id,
        'This webhook endpoint does not exist or was already removed.',
      );
      await retireIntegration(ctx, user, 'webhook-endpoint', id);
      return reply.redirect('/firm/integrations?done=removed', 303);
    },
  );
}
