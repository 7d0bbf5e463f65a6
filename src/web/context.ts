import type { ServiceContext } from '../services/context';

/** What every route needs, built once per app instance. */
export interface AppContext extends ServiceContext {
  assets: { css: string; js: string };
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
