import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../../config';
import { securityHeaders } from './headers';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Headers, cookies, form bodies, CSRF and rate limits, configured once for the whole app.
 * The JSON API under /api/ is exempt from CSRF: it never authenticates by cookie.
 */
export async function registerSecurity(app: FastifyInstance, config: Config) {
  const overTls = config.publicUrl.startsWith('https:');
  const headers = securityHeaders(overTls);
  // One hook for every answer's fixed headers and its request id.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(cookie, { secret: config.appSecret });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(csrf, {
    cookieKey: '_am_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: overTls, signed: true },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  // The body is parsed by preHandler time, so the token in a form field can be read here.
  app.addHook('preHandler', (request, reply, done) => {
    if (STATE_CHANGING.has(request.method) && !request.url.startsWith('/api/')) {
      app.csrfProtection(request, reply, done);
    } else {
      done();
    }
  });

  await app.register(rateLimit, {
    global: false,
    ...(config.redisUrl
      ? {
          redis: new Redis(config.redisUrl, {
            connectTimeout: 1000,
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
          }),
          nameSpace: 'auditmatch-rl:',
          // A Redis outage must not take intake down with it: limits fail open and are logged.
          skipOnError: true,
        }
      : {}),
  });
}

/** A limit of `max` per client address and window, scaled by RATE_LIMIT_MULTIPLIER (1 unless a load test raises it). */
const perWindow = (max: number, timeWindow: string) => ({
  max: (request: FastifyRequest) => Math.max(1, Math.round(max * request.server.ctx.config.rateLimitMultiplier)),
  timeWindow,
});

/** Per-route limits, named so their purpose is clear where they are used. */
export const RATE_LIMITS = {
  intake: perWindow(10, '10 minutes'),
  preview: perWindow(120, '1 minute'),
  signIn: perWindow(5, '15 minutes'),
  api: perWindow(300, '1 minute'),
  tokenLink: perWindow(30, '10 minutes'),
} as const;
