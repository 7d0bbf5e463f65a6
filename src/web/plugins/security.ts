import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../../config';
import { securityHeaders } from './headers';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Outside production the app answers only to this machine's names (and PUBLIC_URL's host): a
 * web page elsewhere cannot rebind its own name to a developer's 127.0.0.1 and read the
 * development pages through the developer's browser. Null in production: any Host is answered.
 */
export function localHostCheck(config: Config): ((host: string | undefined) => boolean) | null {
  if (config.env === 'production') return null;
  const localHosts = new Set([
    'localhost',
    '127.0.0.1',
    '[::1]',
    new URL(config.publicUrl).hostname,
  ]);
  return (host) => localHosts.has((host ?? '').toLowerCase().replace(/:\d+$/, ''));
}

/**
 * Headers, cookies, form bodies, CSRF and rate limits, configured once for the whole app.
 * The JSON API under /api/ is exempt from CSRF: it never authenticates by cookie.
 */
export async function registerSecurity(app: FastifyInstance, config: Config) {
  const overTls = config.publicUrl.startsWith('https:');
  const headers = securityHeaders(overTls);
  const hostAllowed = localHostCheck(config);
  // One hook for every answer's fixed headers, its request id and, outside production, the Host check.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    if (hostAllowed && !hostAllowed(request.headers.host)) {
      done(
        Object.assign(new Error('This development server answers only to localhost.'), {
          statusCode: 421,
        }),
      );
      return;
    }
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
  max: (request: FastifyRequest) =>
    Math.max(1, Math.round(max * request.server.ctx.config.rateLimitMultiplier)),
  timeWindow,
});

/**
 * Per-route limits, named so their purpose is clear where they are used. Sign-in is limited
 * twice: per client address generously enough for a firm's office behind one address (30 in
 * 15 minutes), and per email address tightly (5 in 15 minutes), so nobody's inbox is flooded.
 */
export const RATE_LIMITS = {
  intake: perWindow(10, '10 minutes'),
  preview: perWindow(120, '1 minute'),
  signIn: perWindow(30, '15 minutes'),
  signInPerEmail: perWindow(5, '15 minutes'),
  api: perWindow(300, '1 minute'),
  /** Requests to the API without a valid key, per client address. */
  apiUnauthenticated: perWindow(30, '1 minute'),
  tokenLink: perWindow(30, '10 minutes'),
} as const;

/**
 * A second limit on a route, per email address given in the form (after the body is parsed),
 * as a preHandler. Keys are hashed: no address is kept in the limiter's store.
 */
export function perEmailLimit(app: FastifyInstance, field = 'email') {
  // createRateLimit, not rateLimit: the route's own limit already ran for this request, and
  // the plugin runs only one of its hooks per request.
  const limiter = app.createRateLimit({
    ...RATE_LIMITS.signInPerEmail,
    keyGenerator: (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const value =
        typeof body[field] === 'string' ? (body[field] as string).trim().toLowerCase() : '';
      return `email:${createHash('sha256').update(value).digest('hex')}`;
    },
  });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    throw Object.assign(
      new Error(
        'Too many requests for this email address. Please wait a few minutes and try again.',
      ),
      { statusCode: 429 },
    );
  };
}
