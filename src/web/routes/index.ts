import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../../paths';
import { capabilityHeaders, isCapabilityRoute } from '../plugins/capability';
import type { Area } from './area';

/** The folder served from the root rather than at its own name. */
const ROOT_AREA = 'public';

export const areaPrefix = (folder: string) => (folder === ROOT_AREA ? '' : `/${folder}`);

/**
 * The area folders, read from the source tree. The bundle (bin/build.mjs, esbuild) holds every
 * `routes/<folder>/index.ts` through the pattern in `loadArea`, and reads the folder names from
 * the same tree, which ships beside it as the static files do (src/paths.ts).
 */
export function areaFolders(): string[] {
  return readdirSync(join(PROJECT_ROOT, 'src', 'web', 'routes'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function loadArea(folder: string): Promise<Area> {
  // A template with a fixed start and end: esbuild bundles every file the pattern can name.
  const module = (await import(`./${folder}/index.ts`)) as { default?: Area };
  if (!module.default?.routes) throw new Error(`routes/${folder}/index.ts exports no area`);
  return module.default;
}

/** Every area, each at its prefix, with its guard and its capability pages. */
export async function registerAreas(app: FastifyInstance) {
  for (const folder of areaFolders()) {
    const area = await loadArea(folder);
    if (area.servedWith && !area.servedWith(app.ctx.config)) continue;
    const prefix = areaPrefix(folder);
    await app.register(
      async (scope) => {
        scope.addHook('onRoute', (route) => {
          // A path written in full inside its folder would be served at /admin/admin/…
          const twice = `${prefix}${prefix}`;
          if (prefix && (route.url === twice || route.url.startsWith(`${twice}/`)))
            throw new Error(`${route.url}: paths in routes/${folder} are relative to ${prefix}`);
          if (!isCapabilityRoute(route.url)) return;
          if (!area.capabilityPages)
            throw new Error(
              `${route.url} takes a token, but routes/${folder} has no capability pages`,
            );
          const existing = route.onRequest ? [route.onRequest].flat() : [];
          route.onRequest = [capabilityHeaders, ...existing];
        });
        await scope.register(area.routes);
      },
      { prefix },
    );
  }
}
