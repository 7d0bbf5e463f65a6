import type { FastifyInstance } from 'fastify';
import { submitApplication } from '../../../services/firm/accounts';
import { ServiceError } from '../../../services/context';
import type { FormFields } from '../../forms/fields';
import { RATE_LIMITS } from '../../plugins/security';
import { sendPage } from '../../render';
import { ApplicationSentPage, ApplyPage } from '../../views/pages/firm/apply';
import { parseApplicationForm } from './forms';
import { body } from './shared';

const META = {
  title: 'Manage your firm on Auditmatch',
  description: 'Claim your audit firm’s profile on Auditmatch or apply to be listed.',
  canonical: '/firm/apply',
} as const;

/** Public: a firm claims its listed profile or applies for a new one. */
export default async function applyRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const listedFirms = async () =>
    (await ctx.catalog.firms())
      .filter((f) => f.status === 'active')
      .map((f) => ({ slug: f.slug, name: f.name }))
      .sort((a, b) => a.name.localeCompare(b.name));

  const show = async (
    reply: Parameters<typeof sendPage>[0],
    fields: FormFields,
    errors: Record<string, string>,
  ) =>
    sendPage(
      reply,
      ApplyPage({ firms: await listedFirms(), fields, errors, csrf: reply.generateCsrf() }),
      META,
    );

  app.get('/apply', async (request, reply) => {
    const firm = (request.query as FormFields).firm;
    return show(reply, { kind: 'claim', ...(typeof firm === 'string' ? { firm } : {}) }, {});
  });

  app.post('/apply', { config: { rateLimit: RATE_LIMITS.intake } }, async (request, reply) => {
    const fields = body(request);
    const parsed = parseApplicationForm(fields);
    if (!parsed.ok) return show(reply.code(400), fields, parsed.errors);
    try {
      await submitApplication(ctx, parsed.value);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return show(reply.code(error.status), fields, { [error.field ?? 'form']: error.message });
    }
    return reply.redirect('/firm/apply/sent', 303);
  });

  app.get('/apply/sent', async (_request, reply) =>
    sendPage(reply, ApplicationSentPage(), { title: 'Application received', noindex: true }),
  );
}
