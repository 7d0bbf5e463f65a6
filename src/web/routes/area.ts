import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';

/**
 * An area of the site: one folder under `src/web/routes`, served at the URL prefix its folder
 * names (`routes/admin` at /admin, `routes/r` at /r), except `routes/public`, the open site,
 * served from the root. Its `index.ts` default-exports `defineArea({...})`, which sets the
 * area's guard once for every route in the folder and registers the folder's files; their paths
 * are relative to the prefix ('' is the prefix itself).
 */
export interface Area {
  /** Registers the area's guard (hooks on this instance) and then its route files. */
  routes: FastifyPluginAsync;
  /**
   * Its `:token` routes are capability pages: they get the capability headers on every answer
   * (plugins/capability.ts). A `:token` route in an area that does not say so stops the start.
   */
  capabilityPages?: boolean;
  /** Whether the area is served with this configuration (the dev mailbox: never in production). */
  servedWith?: (config: Config) => boolean;
}

export const defineArea = (area: Area): Area => area;

/** Registers route files one after another: the usual body of an area's `routes`. */
export async function registerEach(app: FastifyInstance, files: FastifyPluginAsync[]) {
  for (const file of files) await app.register(file);
}
