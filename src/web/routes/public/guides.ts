import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isListedPublicly } from '../../../domain/firm';
import { advise } from '../../../domain/advisor';
import { NEEDED_BY_NOT_FUTURE } from '../../../domain/timeline';
import { addDays, DAY_MS, fullDate, isoDay } from '../../../domain/matching/dates';
import { overlap, toCsv } from '../../../domain/crosswalk';
import {
  type Estimate,
  EXISTING_PROGRAM_LABELS,
  EXISTING_PROGRAMS,
  estimate,
} from '../../../domain/estimate';
import { framework, frameworks, isFrameworkId, tscCategories } from '../../../domain/frameworks';
import { FRAMEWORK_IDS, FRAMEWORK_SHORT_NAMES } from '../../../domain/vocabulary';
import { priceIndexFor } from '../../../services/price-index';
import { renderDocument } from '../../render';
import { type GanttPlan, planVerdict } from '../../views/components/charts';
import type { VNode } from 'preact';
import type { PageMeta } from '../../views/layout';
import { AdvisorPage, type AdvisorFormValues } from '../../views/pages/guides/advisor';
import {
  ComparePage,
  comparePairs,
  comparePath,
  compareTitle,
} from '../../views/pages/guides/compare';
import { EstimatePage, type EstimateFormValues } from '../../views/pages/guides/estimate';
import { FieldReader } from '../../forms/fields';
import { fieldErrors, topLevel } from '../../forms/parse';
import { FlagshipPage, flagshipFaq } from '../../views/pages/guides/flagship';
import { firedRules } from '../../../domain/advisor';
import { OverlapPage, type OverlapFormValues } from '../../views/pages/guides/overlap';
import {
  AdvisorInputSchema,
  AI_USE_LABELS,
  ASKED_FOR_LABELS,
  CUSTOMER_LABELS,
  STAGE_LABELS,
  CrosswalkQuerySchema,
  EstimateInputSchema,
  ESTIMATE_FRAMEWORKS,
  type EstimateRequest,
  HELD_LABELS,
  holdingsOf,
  MARKET_LABELS,
  WINDOW_MONTHS,
} from '../../../services/guides/inputs';

/**
 * The guides: comparisons for every pair, the SOC 2 vs ISO 42001 flagship, the advisor, the
 * overlap map and the estimator, plus the sitemap. Forms are GET forms, so every result is a
 * URL that can be shared and cached: the page is a pure function of the URL and the data.
 */

type Query = Record<string, unknown>;

function sendHtml(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A guide's form again, with each problem beside its field: 400, never indexed. */
function sendCorrection(reply: FastifyReply, page: VNode, meta: PageMeta, title: string) {
  return sendHtml(
    reply,
    400,
    renderDocument(reply.code(400), page, { ...meta, title, noindex: true }),
  );
}

function queryString(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** FNV-1a over a string, as a number: folds data-dependent state into a page-cache key. */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// ---------------------------------------------------------------------------
// Advisor

const ADVISOR_FIELDS = [
  // Sent by the form itself, so an empty submit is answered with what is missing.
  'asked',
  'aiExposure',
  'stage',
  'askedFor',
  'customers',
  'markets',
  'healthData',
  'cardData',
  'personalDataAtScale',
  'holds',
];

const MARKET_REGION: Record<string, string> = {
  us: 'north-america',
  eu: 'europe',
  uk: 'uk-ireland',
};

function readAdvisor(query: Query) {
  const r = new FieldReader(query);
  const stage = r.one('stage');
  const raw = {
    aiExposure: r.one('aiExposure'),
    ...(stage ? { stage } : {}),
    askedFor: r.many('askedFor'),
    customers: r.many('customers'),
    markets: r.many('markets'),
    healthData: r.yes('healthData'),
    cardData: r.yes('cardData'),
    personalDataAtScale: r.yes('personalDataAtScale'),
    holds: r.many('holds'),
  };
  const values: AdvisorFormValues = { ...raw };
  const parsed = AdvisorInputSchema.safeParse(raw);
  if (!parsed.success) fieldErrors(parsed.error, topLevel, r.errors);
  return { values, errors: r.errors, input: parsed.success ? parsed.data : undefined };
}

// ---------------------------------------------------------------------------
// Overlap

function readOverlap(query: Query) {
  const r = new FieldReader(query);
  const values: OverlapFormValues = {
    soc2: r.yes('soc2'),
    have: r.many('have').filter((c) => c !== 'security'),
    iso27001: r.yes('iso27001'),
  };
  const soc2 = values.soc2 || values.have.length > 0;
  const from = [...(soc2 ? ['soc2'] : []), ...(values.iso27001 ? ['iso27001'] : [])];
  const parsed = CrosswalkQuerySchema.safeParse({ from, have: values.have });
  // The form sends "asked": a submit with nothing ticked is told what is missing.
  if (from.length === 0 && r.one('asked') !== undefined) {
    r.errors.soc2 ??=
      'Tick what you already hold: a SOC 2 report (and its categories) or an ISO/IEC 27001 certificate';
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // "from" empty means nothing was ticked: the page simply shows the form.
      if (issue.path[0] === 'have') r.errors.have ??= 'Choose categories from the list';
    }
  }
  const holdings =
    parsed.success && Object.keys(r.errors).length === 0 ? holdingsOf(parsed.data) : undefined;
  const csvPairs: [string, string][] = [
    ...(soc2 ? ([['soc2', 'yes']] as [string, string][]) : []),
    ...values.have.map((c): [string, string] => ['have', c]),
    ...(values.iso27001 ? ([['iso27001', 'yes']] as [string, string][]) : []),
  ];
  return { values, errors: r.errors, holdings, csvHref: `/overlap.csv?${queryString(csvPairs)}` };
}

// ---------------------------------------------------------------------------
// Estimator

const ESTIMATE_FIELDS = [
  'framework',
  'variant',
  'windowMonths',
  'categories',
  'headcount',
  'systems',
  'locations',
  'existingProgram',
  'neededBy',
];

const ESTIMATE_DEFAULTS: EstimateFormValues = {
  framework: 'soc2',
  variant: 'type2',
  windowMonths: '3',
  categories: [],
  headcount: '25',
  systems: '5',
  locations: '1',
  existingProgram: 'none',
  neededBy: '',
};

function parseDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(t) || isoDay(t) !== text ? null : t;
}

function longDay(text: string): string {
  return fullDate(text);
}

/** The plan with the fastest path's end date, from the same timeline the matcher uses. */
function withEarliest(plan: GanttPlan, result: Estimate, today: string) {
  const full = { ...plan, earliestLabel: fullDate(addDays(today, result.timeline.lowWeeks * 7)) };
  return { plan: full, verdict: planVerdict(result.phases, full) };
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function readEstimate(query: Query, today: string) {
  const r = new FieldReader(query);
  const absent = (name: string) => query[name] === undefined;
  const fw = r.one('framework');
  const soc2 = fw === 'soc2';
  const variant = r.one('variant');
  const windowMonths = r.count('windowMonths');
  const categories = r.many('categories').filter((c) => c !== 'security');
  const raw: Record<string, unknown> = {
    framework: fw,
    // The form always shows the SOC 2 fields; they only count when SOC 2 is chosen.
    ...(soc2 && variant !== undefined ? { variant } : {}),
    ...(soc2 && variant !== 'type1' && windowMonths !== undefined ? { windowMonths } : {}),
    ...(soc2 ? { categories } : {}),
    // A link that names only the framework opens a filled estimate for the default scope; a
    // submitted form sends every field, so a field it left empty is still reported missing.
    headcount: absent('headcount') ? Number(ESTIMATE_DEFAULTS.headcount) : r.count('headcount'),
    systems: absent('systems') ? Number(ESTIMATE_DEFAULTS.systems) : r.count('systems'),
    locations: absent('locations') ? Number(ESTIMATE_DEFAULTS.locations) : r.count('locations'),
    existingProgram: r.one('existingProgram') ?? 'none',
  };
  const neededBy = r.one('neededBy') ?? '';
  let availableWeeks: number | undefined;
  if (neededBy) {
    const day = parseDay(neededBy);
    const now = parseDay(today) ?? 0;
    if (day === null) r.errors.neededBy ??= 'Enter a real date (YYYY-MM-DD)';
    else if (day <= now) r.errors.neededBy ??= sentence(NEEDED_BY_NOT_FUTURE);
    else if (day - now > 10 * 365 * DAY_MS) r.errors.neededBy ??= 'Choose a date within ten years';
    else availableWeeks = Math.floor((day - now) / (7 * DAY_MS));
  }
  const values: EstimateFormValues = {
    framework: fw ?? ESTIMATE_DEFAULTS.framework,
    variant: variant ?? ESTIMATE_DEFAULTS.variant,
    windowMonths:
      windowMonths === undefined ? ESTIMATE_DEFAULTS.windowMonths : String(windowMonths),
    categories,
    headcount: raw.headcount === undefined ? '' : String(raw.headcount),
    systems: raw.systems === undefined ? '' : String(raw.systems),
    locations: raw.locations === undefined ? '' : String(raw.locations),
    existingProgram: String(raw.existingProgram),
    neededBy,
  };
  const parsed = EstimateInputSchema.safeParse(raw);
  if (!parsed.success) fieldErrors(parsed.error, topLevel, r.errors);
  const ok = parsed.success && Object.keys(r.errors).length === 0;
  return {
    values,
    errors: r.errors,
    input: ok ? parsed.data : undefined,
    plan:
      ok && availableWeeks !== undefined
        ? { availableWeeks, neededByLabel: longDay(neededBy) }
        : undefined,
  };
}

const ESTIMATE_NAMES: Record<(typeof ESTIMATE_FRAMEWORKS)[number], string> = {
  soc2: FRAMEWORK_SHORT_NAMES.soc2,
  iso42001: FRAMEWORK_SHORT_NAMES.iso42001,
  iso27001: FRAMEWORK_SHORT_NAMES.iso27001,
};

function estimateMatchHref(input: EstimateRequest, variant: string | undefined): string {
  const pairs: [string, string][] = [['framework', input.framework]];
  if (input.framework === 'soc2' && variant) pairs.push(['variant_soc2', variant]);
  for (const c of input.categories ?? []) pairs.push(['categories_soc2', c]);
  pairs.push(['headcount', String(input.headcount)]);
  return `/match?${queryString(pairs)}`;
}

// ---------------------------------------------------------------------------
// Sitemap

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function publicPaths(firmSlugs: readonly string[]): string[] {
  return [
    '/',
    '/frameworks',
    ...FRAMEWORK_IDS.map((id) => `/frameworks/${id}`),
    ...comparePairs().map(([a, b]) => comparePath(a, b)),
    '/advisor',
    '/overlap',
    '/estimate',
    '/firms',
    ...firmSlugs.map((slug) => `/firms/${encodeURIComponent(slug)}`),
    '/how-matching-works',
  ];
}

/** The guides' page titles, descriptions and addresses, in one place. */
const GUIDE_META = {
  advisor: {
    title: 'Which compliance framework do you need?',
    description:
      'Answer a few questions about AI in your product, your customers and your data: get the frameworks to pursue, in order, each with its reason.',
    canonical: '/advisor',
  },
  overlap: {
    title: 'ISO/IEC 42001 overlap map for SOC 2 and ISO/IEC 27001',
    description:
      'What your SOC 2 or ISO/IEC 27001 already covers of ISO/IEC 42001, requirement by requirement: covered, partly covered or new work, with the criteria that carry it.',
    canonical: '/overlap',
  },
  estimate: {
    title: 'Audit cost and timeline estimator',
    description:
      'Cost and timeline ranges for SOC 2, ISO/IEC 42001 and ISO/IEC 27001 audits, with the drivers that move them and the public sources behind every figure.',
    canonical: '/estimate',
  },
} satisfies Record<string, PageMeta>;

/** A guide's form was submitted when the query holds any of its fields; otherwise it is blank. */
function submitted(query: Query, fields: readonly string[]): boolean {
  return fields.some((f) => query[f] !== undefined);
}

// ---------------------------------------------------------------------------

export default async function guideRoutes(app: FastifyInstance) {
  const { ctx } = app;
  /**
   * A guide page through the page cache: rendered once per URL (and `version`, for pages that
   * depend on stored data), then served as stored bytes.
   */
  const sendCached = (
    request: FastifyRequest,
    reply: FastifyReply,
    render: () => [page: VNode, meta: PageMeta],
    version = 0,
  ) => app.pageCache.send(request, reply, version, () => renderDocument(reply, ...render()));

  app.get<{ Params: { pair: string } }>('/compare/:pair', async (request, reply) => {
    const ids = request.params.pair.split('-vs-');
    const [a, b] = ids;
    if (ids.length !== 2 || !a || !b || a === b || !isFrameworkId(a) || !isFrameworkId(b)) {
      return reply.callNotFound();
    }
    const canonical = comparePath(a, b);
    if (`/compare/${request.params.pair}` !== canonical) return reply.redirect(canonical, 301);
    // Past the redirect, a comes first in canonical order.
    const fa = framework(a);
    const fb = framework(b);

    if (a === 'soc2' && b === 'iso42001') {
      return sendCached(request, reply, () => [
        FlagshipPage(),
        {
          title: 'SOC 2 vs ISO/IEC 42001: which does an AI company need?',
          description:
            'SOC 2 attests to security controls; ISO/IEC 42001 certifies AI governance. What each covers, who audits it, how they overlap, the order to pursue them and what they cost.',
          canonical,
          jsonLd: {
            '@context': 'https://schema.org',
            '@graph': [
              {
                '@type': 'Article',
                headline: 'SOC 2 vs ISO/IEC 42001: which does an AI company need?',
                about: [fa.fullName, fb.fullName],
                mainEntityOfPage: `${ctx.config.publicUrl}${canonical}`,
                publisher: { '@type': 'Organization', name: 'Auditmatch' },
              },
              {
                '@type': 'FAQPage',
                mainEntity: flagshipFaq().map((f) => ({
                  '@type': 'Question',
                  name: f.question,
                  acceptedAnswer: { '@type': 'Answer', text: f.answer },
                })),
              },
            ],
          },
        },
      ]);
    }

    return sendCached(request, reply, () => [
      ComparePage({
        a: fa,
        b: fb,
        others: frameworks().filter((f) => f.id !== a && f.id !== b),
      }),
      {
        title: `${compareTitle(fa, fb)}: side by side`,
        description: `${compareTitle(fa, fb)}: kind of result, who may audit, what you receive, how long it lasts and what it covers, compared fact by fact.`,
        canonical,
        jsonLd: {
          '@context': 'https://schema.org',
          '@type': 'Article',
          headline: `${compareTitle(fa, fb)}: side by side`,
          about: [fa.fullName, fb.fullName],
          publisher: { '@type': 'Organization', name: 'Auditmatch' },
        },
      },
    ]);
  });

  const labels = {
    customers: CUSTOMER_LABELS,
    markets: MARKET_LABELS,
    holds: HELD_LABELS,
    stages: STAGE_LABELS,
    ai: AI_USE_LABELS,
    askedFor: ASKED_FOR_LABELS as Record<string, string>,
  };
  app.get('/advisor', async (request, reply) => {
    const query = request.query as Query;
    if (!submitted(query, ADVISOR_FIELDS)) {
      const empty: AdvisorFormValues = {
        askedFor: [],
        customers: [],
        markets: [],
        healthData: false,
        cardData: false,
        personalDataAtScale: false,
        holds: [],
      };
      return sendCached(request, reply, () => [
        AdvisorPage({ values: empty, errors: {}, labels }),
        GUIDE_META.advisor,
      ]);
    }
    const { values, errors, input } = readAdvisor(query);
    if (!input || Object.keys(errors).length > 0) {
      return sendCorrection(
        reply,
        AdvisorPage({ values, errors, labels }),
        GUIDE_META.advisor,
        'Check your answers',
      );
    }
    return sendCached(request, reply, () => {
      const advice = advise(input);
      const regions = [
        ...new Set(input.markets.map((m) => MARKET_REGION[m]).filter((x): x is string => !!x)),
      ];
      // The match form takes up to four frameworks: the ones to act on, not the "later" ones.
      const acting = advice.recommendations.filter((r) => r.priority !== 'later');
      const preview: [string, string][] = [
        ...(acting.length > 0 ? acting : advice.recommendations)
          .slice(0, 4)
          .map((r): [string, string] => ['framework', r.framework]),
        // The quote form asks about AI in the product; AI used only inside the company is 'none' there.
        ['aiExposure', input.aiExposure === 'internal' ? 'none' : input.aiExposure],
        ...(regions.length === 1 && regions[0]
          ? ([['region', regions[0]]] as [string, string][])
          : []),
      ];
      return [
        AdvisorPage({
          values,
          errors: {},
          labels,
          result: {
            advice,
            fired: firedRules(input),
            previewHref: `/match?${queryString(preview)}`,
          },
        }),
        { ...GUIDE_META.advisor, title: 'Your frameworks, in order' },
      ];
    });
  });

  const categoryOptions = tscCategories()
    .filter((c) => !c.required)
    .map((c) => ({ value: c.id, label: c.name }));
  const categoryNames = Object.fromEntries(tscCategories().map((c) => [c.id, c.name]));
  app.get('/overlap', async (request, reply) => {
    const query = request.query as Query;
    const { values, errors, holdings, csvHref } = readOverlap(query);
    const props = { values, errors, categoryOptions, categoryNames };
    if (Object.keys(errors).length > 0) {
      return sendCorrection(reply, OverlapPage(props), GUIDE_META.overlap, 'Check what you hold');
    }
    return sendCached(request, reply, () => [
      OverlapPage({
        ...props,
        ...(holdings ? { result: overlap({ have: holdings }), csvHref } : {}),
      }),
      GUIDE_META.overlap,
    ]);
  });

  app.get('/overlap.csv', async (request, reply) => {
    const { values, errors, holdings } = readOverlap(request.query as Query);
    if (Object.keys(errors).length > 0 || !holdings) {
      const problems =
        Object.keys(errors).length > 0
          ? errors
          : { soc2: 'Tick what you hold: SOC 2 and its categories, or ISO/IEC 27001' };
      return sendCorrection(
        reply,
        OverlapPage({ values, errors: problems, categoryOptions, categoryNames }),
        GUIDE_META.overlap,
        'Check what you hold',
      );
    }
    const name = [holdings.soc2 ? 'soc2' : '', holdings.iso27001 ? 'iso27001' : '']
      .filter(Boolean)
      .join('-');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="iso42001-overlap-${name}.csv"`)
      .header('cache-control', 'public, max-age=300')
      .send(toCsv(overlap({ have: holdings })));
  });

  const estimateOptions = {
    frameworks: ESTIMATE_FRAMEWORKS.map((f) => ({ value: f, label: ESTIMATE_NAMES[f] })),
    variants: [
      { value: 'type1', label: 'Type I: controls at one date' },
      { value: 'type2', label: 'Type II: controls over a period' },
    ],
    windows: WINDOW_MONTHS.map((m) => ({ value: String(m), label: `${m} months` })),
    categories: categoryOptions,
    programs: EXISTING_PROGRAMS.map((value) => ({ value, label: EXISTING_PROGRAM_LABELS[value] })),
  };
  app.get('/estimate', async (request, reply) => {
    const query = request.query as Query;
    if (!submitted(query, ESTIMATE_FIELDS)) {
      return sendCached(request, reply, () => [
        EstimatePage({ values: ESTIMATE_DEFAULTS, errors: {}, options: estimateOptions }),
        GUIDE_META.estimate,
      ]);
    }
    const today = isoDay(ctx.now());
    const { values, errors, input, plan } = readEstimate(query, today);
    if (!input) {
      return sendCorrection(
        reply,
        EstimatePage({ values, errors, options: estimateOptions }),
        GUIDE_META.estimate,
        'Check your scope',
      );
    }
    const result = estimate(input);
    const priceIndex = await priceIndexFor(ctx.db, {
      framework: input.framework,
      ...(result.variant ? { variant: result.variant } : {}),
      headcount: input.headcount,
    });
    // The page depends on the quotes behind the index and, with a date, on today.
    const version = fingerprint(`${JSON.stringify(priceIndex.index)}|${plan ? today : ''}`);
    return sendCached(
      request,
      reply,
      () => [
        EstimatePage({
          values,
          errors: {},
          options: estimateOptions,
          result: {
            estimate: result,
            priceIndex,
            ...(plan ? withEarliest(plan, result, today) : {}),
            matchHref: estimateMatchHref(input, result.variant),
            frameworkName: ESTIMATE_NAMES[input.framework],
          },
        }),
        { ...GUIDE_META.estimate, title: `${ESTIMATE_NAMES[input.framework]} estimate` },
      ],
      version,
    );
  });

  let sitemap: { version: number; xml: string } | null = null;
  app.get('/sitemap.xml', async (_request, reply) => {
    const firms = await ctx.catalog.firms();
    const version = ctx.catalog.version;
    if (!sitemap || sitemap.version !== version) {
      const slugs = firms.filter(isListedPublicly).map((f) => f.slug);
      const urls = publicPaths(slugs)
        .map((p) => `  <url><loc>${xmlEscape(`${ctx.config.publicUrl}${p}`)}</loc></url>`)
        .join('\n');
      sitemap = {
        version,
        xml: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`,
      };
    }
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(sitemap.xml);
  });
}
