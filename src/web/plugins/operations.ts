import type { FastifyInstance } from 'fastify';
import client from 'prom-client';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

/** Public pages answered whole from the page cache; they get no access-log line, so they are counted here. */
export const cachedPagesServed = new client.Counter({
  name: 'auditmatch_cached_pages_served_total',
  help: 'Public pages answered from the in-memory page cache (no access-log line is written for them).',
  registers: [registry],
});

/** Liveness, readiness and metrics: what an orchestrator and an operator poll. */
export function registerOperations(app: FastifyInstance) {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const database = await app.ctx.db.ping();
    return reply.code(database ? 200 : 503).send({
      status: database ? 'ready' : 'unavailable',
      checks: { database: database ? 'ok' : 'unreachable' },
    });
  });

  // Metrics describe the platform, not people; still, only the local network may read them.
  app.get('/metrics', async (request, reply) => {
    const ip = request.socket.remoteAddress ?? '';
    if (!(ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1')) {
      return reply.code(404).send();
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
