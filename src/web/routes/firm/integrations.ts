import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import { createApiKey, integrationsOf, revokeApiKey } from '../../../services/firm/integrations';
import { registerWebhook, removeWebhook } from '../../../services/firm/webhooks';
import type { FormFields } from '../../forms/fields';
import { IntegrationsPage, type RevealedSecret } from '../../views/pages/firm/integrations';
import { parseApiKeyForm, parseWebhookForm } from './forms';
import { body, noticeFrom, rowId, sendFirmPage, signedIn } from './shared';

/** API keys and webhooks (owners only: the area's guard, in index.ts). A new key or secret is shown in the response to its POST, once. */
export default async function integrationRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const allowLoopback = ctx.config.env !== 'production';

  async function show(
    reply: FastifyReply,
    user: SessionUser,
    options: {
      fields?: FormFields;
      errors?: Record<string, string>;
      notice?: string | null;
      revealed?: RevealedSecret;
    } = {},
  ) {
    return sendFirmPage(
      reply,
      user,
      (firmId) => integrationsOf(ctx, firmId),
      (firm, { keys, webhooks }, csrf) =>
        IntegrationsPage({
          user,
          firmName: firm.name,
          keys,
          webhooks,
          revealed: options.revealed ?? null,
          fields: options.fields ?? {},
          errors: options.errors ?? {},
          csrf,
          notice: options.notice ?? null,
          publicUrl: ctx.config.publicUrl,
        }),
      'Integrations',
    );
  }

  app.get('/integrations', async (request, reply) =>
    show(reply, signedIn(request), {
      notice: noticeFrom(request, {
        revoked: 'The key is revoked: requests with it are refused from now on.',
        removed: 'The webhook is removed: nothing more is sent to it.',
      }),
    }),
  );

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
    await revokeApiKey(ctx, user, id);
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
      await removeWebhook(ctx, user, id);
      return reply.redirect('/firm/integrations?done=removed', 303);
    },
  );
}
