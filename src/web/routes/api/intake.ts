import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MatchResult } from '../../../domain/matching';
import { countPreview, previewMatch, submitRequest } from '../../../services/intake';
import { isoDay } from '../../../domain/matching/dates';
import { AnswerCache } from '../../plugins/page-cache';
import { QuoteRequestSchema, ScopeSchema } from '../../../services/intake/schemas';
import { Problem } from '../../plugins/errors';
import { RATE_LIMITS } from '../../plugins/security';

const ProposalOut = z.object({
  firmId: z.string(),
  slug: z.string(),
  name: z.string(),
  rank: z.number(),
  score: z.number(),
  reasons: z.array(z.string()),
  breakdown: z.array(
    z.object({
      component: z.string(),
      label: z.string(),
      weight: z.number(),
      applicable: z.boolean(),
      value: z.number(),
      points: z.number(),
      note: z.string(),
    }),
  ),
});

const PreviewOut = z.object({
  algorithmVersion: z.string(),
  proposals: z.array(ProposalOut),
  shortfall: z
    .object({
      eligibleCount: z.number(),
      message: z.string(),
      cutBy: z.array(z.object({ code: z.string(), count: z.number(), message: z.string() })),
    })
    .nullable(),
  partialFits: z.array(
    z.object({ slug: z.string(), name: z.string(), rule: z.string(), message: z.string() }),
  ),
  deadline: z.object({
    status: z.enum(['ok', 'too-soon', 'past']),
    neededBy: z.string(),
    earliest: z.string(),
    fastestWeeks: z.number(),
    message: z.string().nullable(),
  }),
  suggestedNeededBy: z.string().nullable(),
});

function previewBody(result: MatchResult): z.infer<typeof PreviewOut> {
  return {
    algorithmVersion: result.algorithmVersion,
    proposals: result.proposals.map(({ firmId, slug, name, rank, score, reasons, breakdown }) => ({
      firmId,
      slug,
      name,
      rank,
      score,
      reasons,
      breakdown,
    })),
    shortfall: result.shortfall
      ? {
          eligibleCount: result.shortfall.eligibleCount,
          message: result.shortfall.message,
          cutBy: result.shortfall.cutBy,
        }
      : null,
    partialFits: result.partialFits.map((p) => ({
      slug: p.slug,
      name: p.name,
      rule: p.rule,
      message: p.failures[0]?.message ?? '',
    })),
    deadline: result.deadline,
    suggestedNeededBy: result.suggestedNeededBy,
  };
}

/** The buyer journey for integrations: the same schemas and services as the forms. */
const intakeApi: FastifyPluginAsyncZod = async (app) => {
  const previewAnswers = new AnswerCache<string>();
  app.post(
    '/match-preview',
    {
      config: { rateLimit: RATE_LIMITS.preview },
      schema: {
        summary: 'Preview the three firms that fit a scope',
        description: 'Nothing is stored but anonymous demand counts.',
        tags: ['matching'],
        body: ScopeSchema,
        response: { 200: PreviewOut, 400: Problem },
      },
    },
    async (request, reply) => {
      // The same scope, while the catalog, its live state, the rotation and the day stay put,
      // gets the same answer: matched and serialised once, then sent as it is.
      const key = async () =>
        `${await app.ctx.catalog.matchStateKey()}|${isoDay(app.ctx.now())}|${JSON.stringify(request.body)}`;
      const before = await key();
      let json = previewAnswers.get(before);
      if (json === undefined) {
        json = reply.serialize(previewBody(await previewMatch(app.ctx, request.body))) as string;
        // Kept only if nothing moved while matching, like the preview page.
        if (before === (await key())) previewAnswers.put(before, json);
      } else {
        countPreview(app.ctx, request.body);
      }
      // Fastify sends a string with a JSON type as it is: the schema serialiser already ran on it.
      return reply
        .type('application/json; charset=utf-8')
        .send(json as unknown as z.infer<typeof PreviewOut>);
    },
  );

  app.post(
    '/requests',
    {
      config: { rateLimit: RATE_LIMITS.intake },
      schema: {
        summary: 'Submit a quote request',
        description:
          'Stores the request with its contact encrypted and emails a confirmation link to the buyer. Nothing reaches a firm until the buyer confirms and chooses. Send an `Idempotency-Key` header (any unique text up to 100 characters) so a retried call stores one request: the same key with the same address answers with the request already stored.',
        tags: ['matching'],
        headers: z.object({
          'idempotency-key': z
            .string()
            .min(8, 'must be at least 8 characters')
            .max(100, 'must be at most 100 characters')
            .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
            .optional(),
        }),
        body: QuoteRequestSchema,
        response: {
          202: z.object({
            reference: z.string(),
            status: z.literal('unconfirmed'),
            next: z.string(),
          }),
          400: Problem,
          409: Problem,
        },
      },
    },
    async (request, reply) => {
      const { reference } = await submitRequest(
        app.ctx,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.code(202).send({
        reference,
        status: 'unconfirmed' as const,
        next: 'The buyer confirms the email address from the link we sent.',
      });
    },
  );
};

export default intakeApi;
