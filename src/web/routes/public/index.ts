import { isListedPublicly } from '../../../domain/firm';
import type { FastifyInstance } from 'fastify';
import { renderDocument } from '../../render';
import { HomePage } from '../../views/pages/home';
import { HowMatchingWorksPage } from '../../views/pages/how-matching-works';
import firmRoutes from './firms';
import frameworkRoutes from './frameworks';
import guideRoutes from './guides';
import firmReviewRoutes from './reviews';
import matchRoutes from './match';
import { defineArea, registerEach } from '../area';

async function siteRoutes(app: FastifyInstance) {
  const { catalog } = app.ctx;

  app.get('/', async (request, reply) => {
    await catalog.fresh();
    return app.pageCache.send(request, reply, catalog.version, async () =>
      renderDocument(
        reply,
        HomePage({ firmCount: (await catalog.firms()).filter(isListedPublicly).length }),
        {
          title: 'Auditmatch',
          canonical: '/',
          jsonLd: {
            '@context': 'https://schema.org',
            '@type': 'WebSite',
            name: 'Auditmatch',
            url: app.ctx.config.publicUrl,
          },
        },
      ),
    );
  });

  app.get('/how-matching-works', async (request, reply) =>
    app.pageCache.send(request, reply, 0, () =>
      renderDocument(
        reply,
        HowMatchingWorksPage({ responseWindowDays: app.ctx.config.responseWindowBusinessDays }),
        {
          title: 'How matching works',
          description:
            'The rules that choose your three audit firms: qualification, independence, fit and fair rotation. No firm can pay for a place.',
          canonical: '/how-matching-works',
        },
      ),
    ),
  );

  app.get('/robots.txt', async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(
        `User-agent: *\nDisallow: /r/\nDisallow: /api/\nDisallow: /dev/\nSitemap: ${app.ctx.config.publicUrl}/sitemap.xml\n`,
      ),
  );
}

/**
 * The open site, served from the root: no guard, nothing private. Areas with a guard or a
 * secret in the address have their own folder, named by their URL prefix.
 */
export default defineArea({
  async routes(app) {
    await registerEach(app, [
      siteRoutes,
      firmRoutes,
      frameworkRoutes,
      guideRoutes,
      firmReviewRoutes,
      matchRoutes,
    ]);
  },
});
