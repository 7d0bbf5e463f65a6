import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

  // Metrics describe the platform, not people; still, only whoever holds METRICS_TOKEN may read
  // them. A reverse proxy on the same host makes every visitor look local, so the address is no
  // proof. Without a token, metrics are off in production and loopback-only elsewhere.
  const token = app.ctx.config.metricsToken;
  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const allowed = token
      ? bearerMatches(request.headers.authorization, token)
      : app.ctx.config.env !== 'production' && isLoopbackPeer(request);
    if (!allowed) return reply.code(404).send();
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = createHash('sha256')
    .update(header ?? '')
    .digest();
  const expected = createHash('sha256').update(`Bearer ${token}`).digest();
  return timingSafeEqual(given, expected);
}

/** The TCP peer is this machine (not what X-Forwarded-For claims). */
export function isLoopbackPeer(request: FastifyRequest): boolean {
  const ip = request.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
