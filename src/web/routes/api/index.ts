import type { FastifyInstance } from 'fastify';
import buyerApi from './buyer';
import guideApi from './guides';
import intakeApi from './intake';
import leadsApi from './leads';

/**
 * The JSON API under /api/v1: every route validates its input with a Zod schema (one schema
 * per input, shared with the forms) and answers errors as RFC 9457 problem details.
 * Each area adds one `app.register(...)` line here.
 */
export async function registerApiRoutes(app: FastifyInstance) {
  await app.register(intakeApi);
  await app.register(leadsApi);
  await app.register(buyerApi);
  await app.register(guideApi);
}
