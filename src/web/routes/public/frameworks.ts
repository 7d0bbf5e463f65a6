import type { FastifyInstance } from 'fastify';
import { framework, frameworks, frameworksMeta, isFrameworkId } from '../../../domain/frameworks';
import { renderDocument } from '../../render';
import { FrameworkPage, FrameworksPage } from '../../views/pages/frameworks';

export default async function frameworkRoutes(app: FastifyInstance) {
  app.get('/frameworks', async (request, reply) =>
    app.pageCache.send(request, reply, 0, () =>
      renderDocument(
        reply,
        FrameworksPage({ frameworks: frameworks(), kindMeaning: frameworksMeta().kindMeaning }),
        {
          title: 'Compliance frameworks compared',
          description:
            'SOC 2, ISO/IEC 42001, ISO/IEC 27001, HIPAA, PCI DSS and more: what each proves and who may audit it.',
          canonical: '/frameworks',
        },
      ),
    ),
  );

  app.get<{ Params: { id: string } }>('/frameworks/:id', async (request, reply) => {
    const { id } = request.params;
    if (!isFrameworkId(id)) return reply.callNotFound();
    return app.pageCache.send(request, reply, 0, () => {
      const f = framework(id);
      return renderDocument(
        reply,
        FrameworkPage({ f, others: frameworks().filter((o) => o.id !== id) }),
        {
          title: `${f.name}: what it is, who audits it, what it costs`,
          description: f.answers.slice(0, 160),
          canonical: `/frameworks/${id}`,
          jsonLd: {
            '@context': 'https://schema.org',
            '@type': 'Article',
            headline: f.fullName,
            about: f.name,
            publisher: { '@type': 'Organization', name: 'Auditmatch' },
          },
        },
      );
    });
  });
}
