import type { FastifyInstance } from 'fastify';
import { directory, directoryPage, type DirectoryFilters } from '../../../domain/directory';
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

/** `?page=`: absent is the first page; anything but a whole number from 1 to 999 is refused. */
function pageNumber(value: unknown): number | null {
  if (value === undefined || value === '') return 1;
  return typeof value === 'string' && /^[1-9][0-9]{0,2}$/.test(value) ? Number(value) : null;
}

export default async function firmRoutes(app: FastifyInstance) {
  const { catalog } = app.ctx;

  app.get('/firms', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const { filters, errors } = parseDirectoryFilters(query);
    const page = pageNumber(query.page);
    if (page === null) errors.page = 'Choose a page from the links below the list';
    const day = isoDay(app.ctx.now());
    const render = async () => {
      const shown = directoryPage(directory(await catalog.firms(), filters, day), page ?? 1);
      return renderDocument(reply, DirectoryPage({ ...shown, filters, errors }), {
        title: 'Audit firm directory',
        description:
          'CPA firms and ISO certification bodies for SOC 2, ISO/IEC 42001, ISO/IEC 27001 and more, with the status of their credentials.',
        canonical: shown.page > 1 ? `/firms?page=${shown.page}` : '/firms',
      });
    };
    if (Object.keys(errors).length > 0)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(await render());
    await catalog.fresh();
    // Keyed on the parsed filters, the page and the day (credential status is as of today), not
    // the URL: reordered or extra parameters hit the same entry, and the keys are bounded (288
    // filter choices, pages up to 999; the cache itself keeps the most recent 1,000 pages).
    const key = `/firms|${day}|${page}|${Object.keys(FILTERS)
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
