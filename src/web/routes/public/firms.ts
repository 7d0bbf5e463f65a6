import type { FastifyInstance } from 'fastify';
import { directory, type DirectoryFilters } from '../../../domain/directory';
import { isListedPublicly } from '../../../domain/firm';
import {
  BUDGET_BANDS,
  COMPANY_STAGES,
  FRAMEWORK_IDS,
  isOneOf,
  REGIONS,
} from '../../../domain/vocabulary';
import { renderDocument } from '../../render';
import { DirectoryPage, FirmProfilePage } from '../../views/pages/firms';
import { isoDay } from '../../../domain/matching/dates';

const FILTERS = {
  framework: { values: FRAMEWORK_IDS, message: 'Choose a framework from the list' },
  region: { values: REGIONS, message: 'Choose a region from the list' },
  stage: { values: COMPANY_STAGES, message: 'Choose a company stage from the list' },
  budget: { values: BUDGET_BANDS, message: 'Choose a price band from the list' },
} as const;

/** Unknown or repeated filter values are reported on the page and ignored, never a 500. */
export function parseDirectoryFilters(query: Record<string, unknown>) {
  const filters: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [name, rule] of Object.entries(FILTERS)) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (isOneOf(rule.values, value)) filters[name] = value;
    else errors[name] = rule.message;
  }
  return { filters: filters as DirectoryFilters, errors };
}

export default async function firmRoutes(app: FastifyInstance) {
  const { catalog } = app.ctx;

  app.get('/firms', async (request, reply) => {
    const { filters, errors } = parseDirectoryFilters(request.query as Record<string, unknown>);
    const day = isoDay(app.ctx.now());
    const render = async () =>
      renderDocument(
        reply,
        DirectoryPage({ entries: directory(await catalog.firms(), filters, day), filters, errors }),
        {
          title: 'Audit firm directory',
          description:
            'CPA firms and ISO certification bodies for SOC 2, ISO/IEC 42001, ISO/IEC 27001 and more, with the status of their credentials.',
          canonical: '/firms',
        },
      );
    if (Object.keys(errors).length > 0)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(await render());
    await catalog.fresh();
    // Keyed on the parsed filters and the day (credential status is as of today), not the URL:
    // reordered or extra parameters hit the same entry, and the keys are few and bounded.
    const key = `/firms|${day}|${Object.keys(FILTERS)
      .map((name) => filters[name as keyof DirectoryFilters] ?? '')
      .join('|')}`;
    return app.pageCache.send(request, reply, catalog.version, render, key);
  });

  app.get<{ Params: { slug: string } }>('/firms/:slug', async (request, reply) => {
    const firm = await catalog.bySlug(request.params.slug);
    if (!firm || !isListedPublicly(firm)) return reply.callNotFound();
    const day = isoDay(app.ctx.now());
    return app.pageCache.send(
      request,
      reply,
      catalog.version,
      () => {
        const [entry] = directory([firm], {}, day);
        return renderDocument(reply, FirmProfilePage({ firm, entry: entry!, today: day }), {
          title: firm.name,
          description: firm.description.slice(0, 160),
          canonical: `/firms/${firm.slug}`,
          jsonLd: {
            '@context': 'https://schema.org',
            '@type': 'ProfessionalService',
            name: firm.name,
            description: firm.description,
            ...(firm.website ? { url: firm.website } : {}),
          },
        });
      },
      // The profile says whether the firm is taking new clients: its live state is in the key.
      `/firms/${firm.slug}|${day}|${catalog.liveStamp(firm.id)}`,
    );
  });
}
