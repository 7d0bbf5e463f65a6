import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import pino from 'pino';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import { PROJECT_ROOT } from '../paths';
import { type Db, openDatabase } from '../db/client';
import { FirmCatalog } from '../services/catalog';
import { DemandTally } from '../services/demand';
import { Secrets } from '../services/secrets';
import type { AppContext } from './context';
import { clientErrorHandler, registerErrorHandling, sendFrameworkError } from './plugins/errors';
import { registerOpenApi, registerOpenApiRoutes } from './plugins/openapi';
import { registerOperations } from './plugins/operations';
import { FrontDoor } from './plugins/front-door';
import { securityHeaders } from './plugins/headers';
import { PageCache } from './plugins/page-cache';
import { localHostCheck, registerSecurity } from './plugins/security';
import { registerAreas } from './routes';

/** How often preview counts kept in memory are written (DemandTally). */
const DEMAND_FLUSH_MS = 5000;

const STATIC_DIR = join(PROJECT_ROOT, 'src', 'web', 'static');

export interface AppOverrides {
  db?: Db;
  now?: () => Date;
  /** Shorter server timeouts, for the slow-client test. */
  timeouts?: Partial<ServerTimeouts>;
}

/**
 * How long a client may take, in milliseconds. A request trickled in byte by byte, or headers
 * that never end, must not hold a socket and its memory: headers within 10 s, the whole request
 * (a 5 MB evidence PDF included) within 60 s. An idle keep-alive connection is closed after 65 s
 * and any silent socket after 70 s: longer than the 60 s idle timeout most load balancers keep,
 * so the server never closes a connection the balancer is about to reuse.
 */
export interface ServerTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
  keepAliveMs: number;
}
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 60_000,
  idleMs: 70_000,
  keepAliveMs: 65_000,
};

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCache;
  }
}

/** Content hash in the asset URL lets browsers cache assets for a year and still see changes. */
function assetUrl(file: string): string {
  const hash = createHash('sha1')
    .update(readFileSync(join(STATIC_DIR, file)))
    .digest('hex')
    .slice(0, 10);
  return `/static/${file}?v=${hash}`;
}

/**
 * One access-log line per request, when it completes, instead of Fastify's two. It names the
 * route pattern, not the URL: private links (/r/:token, brief and sign-in links) carry secrets
 * that must not end up in log files.
 */
class AccessLog extends LogController {
  override incomingRequest() {}

  private debug(reply: FastifyReply): boolean {
    return reply.log.level === 'debug' || reply.log.level === 'trace';
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    // Cached public pages are answered from memory in a few microseconds; building and writing a
    // log line for each cost more than the answer (ADR 0022). Their count is in the metrics.
    if (reply.fromPageCache && !error && !this.debug(reply)) return;
    const line = {
      reqId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

/** Trusts the `n` nearest hops (the socket's peer is hop 0), as `trustProxy: n` would. */
function trustHops(n: number) {
  return (_address: string, hop: number) => hop < n;
}

/** Builds the Fastify instance used by the server and by every test. */
export async function buildApp(
  config: Config,
  overrides: AppOverrides = {},
): Promise<FastifyInstance> {
  // Log lines go out in batches (4 KB, or every second) rather than one write call per line,
  // which cost about a tenth of a cached page; flushed on close, lost only on SIGKILL (ADR 0009).
  const logDestination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logFlush = setInterval(() => logDestination.flush(), 1000);
  logFlush.unref();
  const timeouts = { ...SERVER_TIMEOUTS, ...overrides.timeouts };
  const now = overrides.now ?? (() => new Date());
  const db = overrides.db ?? openDatabase(config.database);
  const catalog = new FirmCatalog(db);
  const frontDoor = new FrontDoor({
    securityHeaders: securityHeaders(config.publicUrl.startsWith('https:')),
    catalogCurrent: (version) => catalog.isCurrent(version),
    now,
    trustRequestId: config.trustProxy !== false,
    hostAllowed: localHostCheck(config),
  });
  const app = Fastify({
    connectionTimeout: timeouts.idleMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    clientErrorHandler: clientErrorHandler(config.publicUrl.startsWith('https:')),
    // Node checks header and request deadlines every `connectionsCheckingInterval` (30 s by
    // default, which would let a slow client hold on three times longer than the limit).
    serverFactory: (handler) =>
      createServer(
        {
          headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
          requestTimeout: timeouts.requestMs,
          keepAliveTimeout: timeouts.keepAliveMs,
          connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
        },
        (req, res) => {
          if (!frontDoor.serve(req, res)) handler(req, res);
        },
      ).setTimeout(timeouts.idleMs),
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-api-key"]'],
      stream: logDestination,
    },
    // A hop count as a function: Fastify does the same inside, but its types take no number.
    trustProxy:
      typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    genReqId: () => randomUUID(),
    // No child logger per request: lines that need the request name it (reqId) themselves.
    childLoggerFactory: (logger) => logger,
    requestIdHeader: config.trustProxy !== false ? 'x-request-id' : false,
    bodyLimit: 256 * 1024,
    logController: new AccessLog(),
    routerOptions: { maxParamLength: 200 },
    // Malformed or over-long URLs get the same error pages and headers as every other error.
    frameworkErrors: sendFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ctx: AppContext = {
    config,
    db,
    catalog,
    demand: new DemandTally(),
    secrets: new Secrets(config.appSecret, config.encryptionKey, config.previousEncryptionKeys),
    now,
    assets: { css: assetUrl('app.css'), js: assetUrl('app.js') },
  };
  app.decorate('ctx', ctx);
  // At debug level every cached page is logged (ADR 0022), so the app answers them all itself.
  const logsEveryPage = config.logLevel === 'debug' || config.logLevel === 'trace';
  app.decorate('pageCache', new PageCache(logsEveryPage ? undefined : frontDoor));
  // Requests arriving while the app closes go to Fastify, which answers them 503.
  app.addHook('preClose', (done) => {
    frontDoor.close();
    done();
  });
  const flushDemand = () =>
    ctx.demand
      .flush(db.kysely)
      .catch((err) => app.log.warn({ err }, 'preview counts not written; will retry'));
  const demandTimer = setInterval(flushDemand, DEMAND_FLUSH_MS);
  demandTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(demandTimer);
    await flushDemand();
    clearInterval(logFlush);
    logDestination.flushSync();
  });
  if (!overrides.db) app.addHook('onClose', () => db.close());

  await registerSecurity(app, config);
  registerErrorHandling(app);
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: false,
  });
  registerOperations(app);
  await registerOpenApi(app);
  await ctx.catalog.fresh();
  await registerAreas(app);
  await registerOpenApiRoutes(app);
  return app;
}
