import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyFirm } from '../../../services/firm/integrations';
import { leadsForApiKey } from '../../../services/firm/leads';
import { LeadsQuerySchema } from '../../../services/firm/schemas';
import { hashToken } from '../../../services/secrets';
import { sendProblem } from '../../plugins/errors';
import { RATE_LIMITS } from '../../plugins/security';

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const Contact = z.object({ name: z.string(), email: z.string(), company: z.string(), phone: z.string().nullable() });

const LeadOut = z.object({
  id: z.string(),
  status: z.string().describe('sent (awaiting your answer), accepted, declined, expired or withdrawn'),
  sentAt: z.string(),
  respondBy: z.string(),
  respondedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  requestOpen: z.boolean(),
  scope: z.object({
    frameworks: z.array(z.object({ framework: z.string(), variant: z.string().optional(), categories: z.array(z.string()).optional() })),
    stage: z.string(),
    headcount: z.number(),
    region: z.string(),
    industry: z.string(),
    neededBy: z.string(),
    budget: z.string().nullable(),
    aiExposure: z.string(),
    language: z.string().nullable(),
  }),
  summary: z.string(),
  quote: z.object({ id: z.string(), status: z.string(), totalUsd: z.number() }).nullable(),
  contact: Contact.nullable().describe('The buyer, for accepted leads of open requests only; every read is audit-logged.'),
});

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim()) : null;
  return match?.[1];
}

/** A firm's leads for its CRM, authorised by an API key from the workspace. */
const leadsApi: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/leads',
    {
      config: {
        // Limited per key (or per address without one), so one busy integration cannot starve another.
        rateLimit: { ...RATE_LIMITS.api, keyGenerator: (request: FastifyRequest) => { const key = bearer(request); return key ? `key:${hashToken(key)}` : `ip:${request.ip}`; } },
      },
      schema: {
        summary: "List your firm's leads",
        description:
          'Send `Authorization: Bearer <API key>` (create keys in the firm workspace under Integrations). Briefs waiting for an answer carry the anonymised scope only; accepted leads of open requests also carry the buyer\'s contact, and each such read is written to the audit log.',
        tags: ['firms'],
        querystring: LeadsQuerySchema,
        response: { 200: z.object({ leads: z.array(LeadOut) }), 400: Problem, 401: Problem },
      },
    },
    async (request, reply) => {
      const key = await apiKeyFirm(app.ctx, bearer(request));
      if (!key) {
        reply.header('www-authenticate', 'Bearer realm="auditmatch"');
        return sendProblem(reply, 401, 'Sign-in required', 'Send a valid, unrevoked API key as "Authorization: Bearer <key>".');
      }
      reply.header('cache-control', 'no-store');
      const leads = await leadsForApiKey(app.ctx, key, request.query.status);
      return { leads: leads as z.infer<typeof LeadOut>[] };
    },
  );
};

export default leadsApi;
