import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyFirm } from '../../../services/firm/integrations';
import { answerLeadWithKey, leadsForApiKey } from '../../../services/firm/leads';
import { LeadAnswerBody, LeadsQuerySchema, toLeadAnswer } from '../../../services/firm/schemas';
import { hashToken } from '../../../services/secrets';
import { Problem, sendProblem } from '../../plugins/errors';
import { RATE_LIMITS } from '../../plugins/security';
import { guardEach } from './guard';

const Contact = z.object({
  name: z.string(),
  email: z.string(),
  company: z.string(),
  phone: z.string().nullable(),
});

const LeadOut = z.object({
  id: z.string(),
  reference: z
    .string()
    .describe('The request this brief belongs to, as withdrawal notices name it.'),
  status: z
    .string()
    .describe('sent (awaiting your answer), accepted, declined, expired or withdrawn'),
  sentAt: z.string(),
  respondBy: z.string(),
  respondedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  withdrawn: z
    .string()
    .nullable()
    .describe('Why the brief was withdrawn, in words; null unless withdrawn.'),
  requestOpen: z.boolean(),
  scope: z.object({
    frameworks: z.array(
      z.object({
        framework: z.string(),
        variant: z.string().optional(),
        categories: z.array(z.string()).optional(),
      }),
    ),
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
  contact: Contact.nullable().describe(
    'The buyer, for accepted leads of open requests only; every read is audit-logged.',
  ),
});

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match =
    typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim()) : null;
  return match?.[1];
}

/**
 * Limited per valid key, so one busy integration cannot starve another; a request without a
 * valid key (none, made up, revoked) is limited per client address, more tightly, so new random
 * keys cannot buy unlimited look-ups.
 */
function perKey(app: FastifyInstance) {
  return {
    timeWindow: RATE_LIMITS.api.timeWindow,
    keyGenerator: async (request: FastifyRequest) => {
      const key = bearer(request);
      return key && (await apiKeyFirm(app.ctx, key)) ? `key:${hashToken(key)}` : `ip:${request.ip}`;
    },
    max: (request: FastifyRequest, key: string) =>
      (key.startsWith('ip:') ? RATE_LIMITS.apiUnauthenticated : RATE_LIMITS.api).max(request),
  };
}

/**
 * The firm behind the request's key, or a problem answer: 401 without a valid key; 403 with the
 * reason while the firm is suspended (a suspended firm loses the API like every other door).
 */
async function keyOf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const key = await apiKeyFirm(app.ctx, bearer(request));
  if (!key) {
    reply.header('www-authenticate', 'Bearer realm="auditmatch"');
    sendProblem(
      reply,
      401,
      'Sign-in required',
      'Send a valid, unrevoked API key as "Authorization: Bearer <key>".',
    );
    return null;
  }
  if (key.firmStatus === 'suspended') {
    sendProblem(
      reply,
      403,
      'Forbidden',
      `Your firm is suspended on Auditmatch${key.firmStatusReason ? `: ${key.firmStatusReason}` : ''}. Its API keys answer nothing until it is reinstated.`,
    );
    return null;
  }
  reply.header('cache-control', 'no-store');
  return key;
}

/** A firm's leads for its CRM, authorised by an API key from the workspace. */
const leadsApi: FastifyPluginAsyncZod = async (app) => {
  const keyFor = guardEach(app, (request, reply) => keyOf(app, request, reply));

  app.get(
    '/leads',
    {
      config: { rateLimit: perKey(app) },
      schema: {
        summary: "List your firm's leads",
        description:
          "Send `Authorization: Bearer <API key>` (create keys in the firm workspace under Integrations). Briefs waiting for an answer carry the anonymised scope only; accepted leads of open requests also carry the buyer's contact while your firm is active, qualified and independent for the scope, and each such read is written to the audit log.\n\nPaged by a cursor over (sentAt, id). Without `since`, newest first; follow `nextCursor` to older leads until it is null. With `since`, oldest first from that instant; the last page still returns a `nextCursor`, which a CRM keeps and sends later to receive only the leads sent since. Leads that arrive while you page never move the pages you have not read yet. A brief's status can change after you read it: read the lead again, or listen to the webhooks, for answers and withdrawals.",
        tags: ['firms'],
        querystring: LeadsQuerySchema,
        response: {
          200: z.object({
            leads: z.array(LeadOut),
            nextCursor: z
              .string()
              .nullable()
              .describe(
                'Pass as `cursor` for the next page. Newest first: null after the last page. Oldest first (`since`): always set; keep it to ask for new leads later.',
              ),
          }),
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (request) => {
      const page = await leadsForApiKey(app.ctx, keyFor(request), request.query);
      return { leads: page.leads as z.infer<typeof LeadOut>[], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/leads/:id/answer',
    {
      config: { rateLimit: perKey(app) },
      schema: {
        summary: 'Accept or decline a brief',
        description:
          'The same answer as the workspace and the email link. Accepting commits your firm to the brief and is refused, with the reason, when your firm cannot take it now (suspended, no longer qualified through the report date, a conflict, a paused service or no capacity left); a firm that can no longer hold the brief loses it, and the buyer may choose another firm.',
        tags: ['firms'],
        params: z.object({ id: z.uuid('must be a lead id') }),
        body: LeadAnswerBody,
        response: {
          200: z.object({ status: z.enum(['accepted', 'declined']) }),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
          410: Problem,
        },
      },
    },
    async (request) =>
      answerLeadWithKey(app.ctx, keyFor(request), request.params.id, toLeadAnswer(request.body)),
  );
};

export default leadsApi;
