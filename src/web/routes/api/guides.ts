import type { FastifyInstance } from 'fastify';
import { advise, firedRules } from '../../../domain/advisor';
import { COVERAGE_LEVELS, levelMeaning, overlap, overlapCaveat } from '../../../domain/crosswalk';
import { estimate } from '../../../domain/estimate';
import { DATA_VERSION } from '../../../domain/frameworks';
import {
  AdvisorInputSchema,
  CrosswalkQuerySchema,
  EstimateInputSchema,
  gatherCrosswalkQuery,
  holdingsOf,
} from '../../../services/guides/inputs';
import { priceIndexFor } from '../../../services/price-index';
import { problemsOf, sendBadRequest } from '../../plugins/errors';
import { RATE_LIMITS } from '../../plugins/security';

/** The guides as JSON: the same inputs and answers as the pages. */
export default async function guideApiRoutes(app: FastifyInstance) {
  const limit = { config: { rateLimit: RATE_LIMITS.api } };

  app.post('/advisor', limit, async (request, reply) => {
    const parsed = AdvisorInputSchema.safeParse(request.body);
    if (!parsed.success) return sendBadRequest(reply, problemsOf(parsed.error));
    const advice = advise(parsed.data);
    return reply.send({
      ...advice,
      rulesFired: firedRules(parsed.data).map((r) => ({ id: r.id, title: r.title })),
      dataVersion: DATA_VERSION,
    });
  });

  app.post('/estimate', limit, async (request, reply) => {
    const parsed = EstimateInputSchema.safeParse(request.body);
    if (!parsed.success) return sendBadRequest(reply, problemsOf(parsed.error));
    const result = estimate(parsed.data);
    const index = await priceIndexFor(app.ctx.db, {
      framework: parsed.data.framework,
      ...(result.variant ? { variant: result.variant } : {}),
      headcount: parsed.data.headcount,
    });
    return reply.send({ ...result, priceIndex: index.index, dataVersion: DATA_VERSION });
  });

  app.get('/crosswalk', limit, async (request, reply) => {
    const parsed = CrosswalkQuerySchema.safeParse(
      gatherCrosswalkQuery(request.query as Record<string, unknown>),
    );
    if (!parsed.success) {
      // Query parameters are flat: "have.1" is reported as "have", once.
      const seen = new Set<string>();
      const problems = problemsOf(parsed.error)
        .map((p) => ({ ...p, field: p.field.split('.')[0] ?? p.field }))
        .filter((p) => !seen.has(p.field) && seen.add(p.field));
      return sendBadRequest(reply, problems);
    }
    const result = overlap({ have: holdingsOf(parsed.data) });
    reply.header('cache-control', 'public, max-age=300');
    return reply.send({
      from: parsed.data.from,
      to: parsed.data.to,
      ...result,
      levels: COVERAGE_LEVELS.map((level) => ({ level, meaning: levelMeaning()[level] })),
      caveat: overlapCaveat(),
      dataVersion: DATA_VERSION,
    });
  });
}
