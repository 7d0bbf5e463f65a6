import fc from 'fast-check';
import type {
  ConsultancyLink,
  Credential,
  Firm,
  FirmService,
  PriceRange,
} from '../../../src/domain/firm';
import type { MatchContext, MatchScope, RequestedFramework } from '../../../src/domain/matching';
import {
  AI_EXPOSURES,
  BUDGET_BANDS,
  COMPANY_STAGES,
  CREDENTIAL_KINDS,
  FIRM_PLANS,
  FIRM_STATUSES,
  FIRM_TYPES,
  FRAMEWORK_IDS,
  type FrameworkId,
  INDUSTRIES,
  REGIONS,
  SIZE_BANDS,
  VERIFICATION_STATUSES,
  STARTING_POINTS,
} from '../../../src/domain/vocabulary';

/**
 * fast-check arbitraries for firms, scopes and match contexts, shared by every test that needs
 * generated marketplace data. Values are drawn from small pools around a given "today" so that
 * generated firms are often eligible, often nearly so, and collide on names, dates and scores.
 */

/** Date arithmetic for generators, kept apart from the code under test. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date between `from` and `to` days away from `around`. */
export function dateNear(around: string, from: number, to: number): fc.Arbitrary<string> {
  return fc.integer({ min: from, max: to }).map((days) => shiftDate(around, days));
}

/** Includes a leap day and a year end, where calendar arithmetic likes to break. */
export const TODAYS = ['2027-03-10', '2028-02-29', '2026-12-31', '2027-01-01'] as const;

export const contextArb: fc.Arbitrary<MatchContext> = fc.record({
  today: fc.constantFrom(...TODAYS),
  rotation: fc.integer({ min: -3, max: 1000 }),
});

export const VARIANTS: Record<FrameworkId, string[]> = {
  soc2: ['type1', 'type2'],
  soc1: ['type1', 'type2'],
  iso27001: [],
  iso42001: [],
  iso27701: ['2019', '2025'],
  hipaa: [],
  'pci-dss': ['roc', 'saq'],
  hitrust: ['e1', 'i1', 'r2'],
};

/** Frameworks the generators favour, so requests and services meet often. */
const COMMON_FRAMEWORKS: FrameworkId[] = ['soc2', 'iso42001', 'iso27001'];
export const frameworkArb: fc.Arbitrary<FrameworkId> = fc.oneof(
  { arbitrary: fc.constantFrom(...COMMON_FRAMEWORKS), weight: 4 },
  { arbitrary: fc.constantFrom(...FRAMEWORK_IDS), weight: 1 },
);

/** true with probability `p` (in twentieths, so shrinking stays simple). */
function chance(p: number): fc.Arbitrary<boolean> {
  const k = Math.round(p * 20);
  return fc.integer({ min: 1, max: 20 }).map((x) => x <= k);
}

export const CONSULTANCIES = [
  'Acme Compliance',
  'Northwind Advisory',
  'Vanta Partners Ltd',
] as const;
const ISSUERS = [
  'ANAB',
  'UKAS',
  'DAkkS',
  'AICPA Peer Review Program',
  'PCI SSC',
  'State board',
  'other',
];
/** Accreditation bodies for accreditations meant to count; 'other' (outside the IAF MLA) now and then. */
const MLA_ISSUERS = ['ANAB', 'UKAS', 'DAkkS', 'JAS-ANZ'];
const STANDARDS = [
  'ISO/IEC 27001:2022',
  'ISO/IEC 42001:2023',
  'ISO 42001',
  'ISO/IEC 27701',
  'ISO 9001',
];
const SCHEMES = [
  'ISO/IEC 17021-1',
  'ISO/IEC 17021-1:2015',
  'ISO/IEC 42006',
  'ISO/IEC 27006-1',
  'ISO/IEC 27006-2',
  // Not a scheme any certification accepts: the part number is missing.
  'ISO/IEC 27006',
  'ISO/IEC 17065',
];

/** The scheme standard each ISO certification needs on top of ISO/IEC 17021-1. */
type IsoFramework = 'iso27001' | 'iso42001' | 'iso27701';
const ISO_SCHEMES: Record<IsoFramework, string> = {
  iso27001: 'ISO/IEC 27006-1',
  iso42001: 'ISO/IEC 42006',
  iso27701: 'ISO/IEC 27006-2',
};
const ISO_SCOPES: Record<IsoFramework, string> = {
  iso27001: 'ISO/IEC 27001:2022',
  iso42001: 'ISO/IEC 42001:2023',
  iso27701: 'ISO/IEC 27701:2019',
};

export function credentialArb(today: string): fc.Arbitrary<Credential> {
  return fc.record({
    kind: fc.constantFrom(...CREDENTIAL_KINDS),
    issuer: fc.constantFrom(...ISSUERS),
    identifier: fc.string({ maxLength: 6 }),
    scopeStandards: fc.subarray(STANDARDS),
    schemeStandards: fc.subarray(SCHEMES),
    validFrom: dateNear(today, -1500, 30),
    validTo: fc.option(dateNear(today, -60, 1500), { nil: null }),
    verification: fc.oneof(
      { arbitrary: fc.constant('verified' as const), weight: 4 },
      { arbitrary: fc.constantFrom(...VERIFICATION_STATUSES), weight: 1 },
    ),
    evidenceUrl: fc.constant(null),
  });
}

/** A verified credential in date on `today`. */
function currentCredentialArb(
  today: string,
  kind: Credential['kind'],
  scopeStandards: string[] = [],
  schemeStandards: string[] = [],
): fc.Arbitrary<Credential> {
  return fc.record({
    kind: fc.constant(kind),
    issuer:
      kind === 'iso-accreditation'
        ? fc.oneof(
            { arbitrary: fc.constantFrom(...MLA_ISSUERS), weight: 9 },
            { arbitrary: fc.constant('other'), weight: 1 },
          )
        : fc.constantFrom(...ISSUERS),
    identifier: fc.constant(`${kind}-q`),
    scopeStandards: fc.constant(scopeStandards),
    schemeStandards: fc.constant(schemeStandards),
    validFrom: dateNear(today, -1500, 0),
    validTo: fc.option(dateNear(today, 0, 1500), { nil: null }),
    verification: fc.constant('verified' as const),
    evidenceUrl: fc.constant(null),
  });
}

/** A set of credentials that qualifies for `framework` when `today` is within their dates. */
export function qualifyingSetArb(
  framework: FrameworkId,
  today: string,
): fc.Arbitrary<Credential[]> {
  const current = (kind: Credential['kind']) => currentCredentialArb(today, kind);
  switch (framework) {
    case 'soc1':
    case 'soc2':
      return fc.tuple(current('cpa-licence'), current('aicpa-peer-review')).map((cs) => [...cs]);
    case 'iso27001':
    case 'iso42001':
    case 'iso27701':
      return currentCredentialArb(
        today,
        'iso-accreditation',
        [ISO_SCOPES[framework]],
        ['ISO/IEC 17021-1', ISO_SCHEMES[framework]],
      ).map((c) => [c]);
    case 'hipaa':
      return current('cpa-licence').map((c) => [c]);
    case 'pci-dss':
      return current('pci-qsa').map((c) => [c]);
    case 'hitrust':
      return current('hitrust-assessor').map((c) => [c]);
  }
}

/**
 * For an ISO framework, an accreditation that names the standard and is current but lacks one
 * piece (ISO/IEC 17021-1 or the scheme standard, or has a wrong part): it must never qualify.
 * Other frameworks get no credential.
 */
export function nearlyQualifyingSetArb(
  framework: FrameworkId,
  today: string,
): fc.Arbitrary<Credential[]> {
  if (framework !== 'iso27001' && framework !== 'iso42001' && framework !== 'iso27701') {
    return fc.constant([]);
  }
  const scopeStandard = ISO_SCOPES[framework];
  const scheme = ISO_SCHEMES[framework];
  return fc
    .constantFrom<string[][]>(
      ['ISO/IEC 17021-1'],
      [scheme],
      ['ISO/IEC 17021-1', 'ISO/IEC 27006'],
      ['ISO/IEC 17021-1', ...Object.values(ISO_SCHEMES).filter((s) => s !== scheme)],
    )
    .chain((schemes) => currentCredentialArb(today, 'iso-accreditation', [scopeStandard], schemes))
    .map((c) => [c]);
}

const priceRangeArb: fc.Arbitrary<PriceRange> = fc
  .record({
    sizeBand: fc.constantFrom(...SIZE_BANDS),
    minUsd: fc.integer({ min: 5, max: 120 }).map((k) => k * 1000),
    spread: fc.integer({ min: 0, max: 60 }).map((k) => k * 1000),
  })
  .map(({ sizeBand, minUsd, spread }) => ({ sizeBand, minUsd, maxUsd: minUsd + spread }));

/** `wanted` is a variant the firm should usually offer (the one a generated buyer asks for). */
export function serviceArb(
  framework: FrameworkId,
  today: string,
  wanted?: string,
): fc.Arbitrary<FirmService> {
  const thisMonth = today.slice(0, 7);
  return fc.record({
    framework: fc.constant(framework),
    variants: fc
      .tuple(fc.subarray(VARIANTS[framework]), chance(0.85))
      .map(([vs, keep]) => (wanted && keep && !vs.includes(wanted) ? [...vs, wanted] : vs)),
    priceRanges: fc.uniqueArray(priceRangeArb, { maxLength: 4, selector: (p) => p.sizeBand }),
    leadTimeWeeks: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 1 },
    ),
    monthlyCapacity: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 8 }), weight: 12 },
      { arbitrary: fc.constant(0), weight: 1 },
    ),
    capacityUsed: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 8 }), weight: 1 },
    ),
    capacityMonth: fc.constantFrom(
      thisMonth,
      shiftDate(today, -40).slice(0, 7),
      shiftDate(today, 40).slice(0, 7),
    ),
    paused: chance(0.1),
    pausedUntil: fc.option(dateNear(today, -30, 30), { nil: null }),
  });
}

const consultancyLinkArb = (today: string): fc.Arbitrary<ConsultancyLink> =>
  fc.record({
    consultancy: fc.constantFrom(...CONSULTANCIES, ' acme compliance ', 'Other Advisers'),
    endedOn: fc.option(dateNear(today, -1100, 10), { nil: null }),
  });

export interface FirmArbOptions {
  today: string;
  id?: string;
  /** Make the firm a likely (not certain) fit for this request, so properties see real matches. */
  aimAt?: MatchScope;
}

/**
 * A firm, active and qualified more often than not. Fields that only decide eligibility are
 * drawn so that each rule fails in a fair share of cases.
 */
export function firmArb({ today, id = 'firm', aimAt }: FirmArbOptions): fc.Arbitrary<Firm> {
  const requested = aimAt?.frameworks ?? [];
  const frameworksArb = fc
    .tuple(
      fc.uniqueArray(frameworkArb, { minLength: 1, maxLength: 3 }),
      fc.subarray(requested.map((r) => r.framework)),
      chance(0.8),
    )
    .map(([drawn, kept, aimed]) => [
      ...new Set(aimed ? [...requested.map((r) => r.framework), ...drawn] : [...kept, ...drawn]),
    ]);
  return frameworksArb
    .chain((frameworks) =>
      fc.record({
        base: fc.record({
          name: fc.constantFrom(
            'Ledger & Co',
            'Assure One',
            'Certa',
            'Northbridge CPAs',
            'Kite Audit',
          ),
          firmType: fc.constantFrom(...FIRM_TYPES),
          status: fc.oneof(
            { arbitrary: fc.constant('active' as const), weight: 6 },
            { arbitrary: fc.constantFrom(...FIRM_STATUSES), weight: 1 },
          ),
          demo: fc.boolean(),
          headquarters: fc.constantFrom('Austin, US', 'London, UK', 'Berlin, DE', 'austin, us '),
          regions: fc
            .tuple(fc.subarray([...REGIONS], { minLength: 1 }), chance(0.8))
            .map(([rs, serve]) =>
              aimAt && serve && !rs.includes(aimAt.region) ? [...rs, aimAt.region] : rs,
            ),
          languages: fc.subarray(['en', 'de', 'fr', 'EN-gb', 'es'], { minLength: 1 }),
          industries: fc.subarray([...INDUSTRIES]),
          stages: fc.subarray([...COMPANY_STAGES]),
          aiSpecialism: fc.boolean(),
          consultancyLinks: fc.array(consultancyLinkArb(today), { maxLength: 2 }),
          reviewCount: fc.integer({ min: 0, max: 40 }),
          reviewMean: fc.option(
            fc.integer({ min: 10, max: 50 }).map((x) => x / 10),
            { nil: null },
          ),
          medianResponseHours: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
          plan: fc.constantFrom(...FIRM_PLANS),
        }),
        services: fc.tuple(
          ...frameworks.map((f) =>
            serviceArb(f, today, requested.find((r) => r.framework === f)?.variant),
          ),
        ),
        qualifying: fc.tuple(
          ...frameworks.map((f) =>
            fc.oneof(
              { arbitrary: qualifyingSetArb(f, today), weight: 6 },
              { arbitrary: nearlyQualifyingSetArb(f, today), weight: 1 },
              { arbitrary: fc.constant([] as Credential[]), weight: 1 },
            ),
          ),
        ),
        noise: fc.array(credentialArb(today), { maxLength: 2 }),
      }),
    )
    .map(({ base, services, qualifying, noise }) => ({
      ...base,
      id,
      slug: `${id}-slug`,
      website: null,
      description: '',
      bookingUrl: null,
      services: [...services],
      credentials: [...qualifying.flat(), ...noise],
    }));
}

/** Firms with distinct ids firm-0, firm-1, … (slugs firm-0-slug, …), as the catalog holds them. */
export function firmsArb(
  today: string,
  {
    minLength = 0,
    maxLength = 12,
    aimAt,
  }: { minLength?: number; maxLength?: number; aimAt?: MatchScope } = {},
): fc.Arbitrary<Firm[]> {
  return fc
    .array(firmArb({ today, aimAt }), { minLength, maxLength })
    .map((firms) => firms.map((f, i) => ({ ...f, id: `firm-${i}`, slug: `firm-${i}-slug` })));
}

const requestArb: fc.Arbitrary<RequestedFramework> = frameworkArb.chain((framework) =>
  fc.record(
    {
      framework: fc.constant(framework),
      variant: VARIANTS[framework].length
        ? fc.constantFrom(...VARIANTS[framework])
        : fc.constant(undefined),
    },
    { requiredKeys: ['framework'] },
  ),
);

/** A YYYY-MM month between `from` and `to` months away from today's. */
function monthNear(today: string, from: number, to: number): fc.Arbitrary<string> {
  return fc.integer({ min: from, max: to }).map((offset) => {
    const d = new Date(
      Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + offset, 1),
    );
    return d.toISOString().slice(0, 7);
  });
}

export function scopeArb(today: string): fc.Arbitrary<MatchScope> {
  // Mostly empty, as on most real requests, but naming catalog firms (in any case) when not.
  const rarely = <T>(arb: fc.Arbitrary<T[]>) =>
    fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 2 }, { arbitrary: arb, weight: 1 });
  const someFirmNames = rarely(
    fc.subarray(['firm-0', 'firm-1-slug', 'FIRM-2', 'firm-3 ', 'unknown-firm']),
  );
  return fc.record(
    {
      frameworks: fc.uniqueArray(requestArb, {
        minLength: 1,
        maxLength: 2,
        selector: (r) => r.framework,
      }),
      stage: fc.constantFrom(...COMPANY_STAGES),
      headcount: fc.integer({ min: 1, max: 3000 }),
      region: fc.constantFrom(...REGIONS),
      industry: fc.constantFrom(...INDUSTRIES),
      neededBy: dateNear(today, 20, 700),
      startingPoint: fc.constantFrom(...STARTING_POINTS),
      budget: fc.constantFrom(...BUDGET_BANDS),
      aiExposure: fc.constantFrom(...AI_EXPOSURES),
      language: fc.constantFrom('en', 'de', 'fr-CA'),
      excludeFirmIds: someFirmNames,
      controlsBuiltBy: someFirmNames,
      managementSystemConsultants: rarely(
        fc.uniqueArray(
          fc.record(
            {
              // Consultancies, and now and then a catalog firm named as the consultant itself.
              name: fc.constantFrom(...CONSULTANCIES, 'ACME COMPLIANCE', 'firm-0', 'FIRM-2'),
              advisedUntil: fc.option(monthNear(today, -40, 2), { nil: undefined }),
            },
            { requiredKeys: ['name'] },
          ),
          { maxLength: 3, selector: (c) => c.name },
        ),
      ),
    },
    {
      requiredKeys: [
        'frameworks',
        'stage',
        'headcount',
        'region',
        'industry',
        'neededBy',
        'aiExposure',
        'excludeFirmIds',
        'controlsBuiltBy',
        'managementSystemConsultants',
      ],
    },
  );
}

export interface MatchCase {
  ctx: MatchContext;
  firms: Firm[];
  scope: MatchScope;
}

/** A context, a catalog and a request that belong together (same "today"). */
export function matchCaseArb(
  options: { minFirms?: number; maxFirms?: number } = {},
): fc.Arbitrary<MatchCase> {
  return contextArb.chain((ctx) =>
    scopeArb(ctx.today).chain((scope) =>
      fc.record({
        ctx: fc.constant(ctx),
        firms: firmsArb(ctx.today, {
          minLength: options.minFirms ?? 0,
          maxLength: options.maxFirms ?? 16,
          aimAt: scope,
        }),
        scope: fc.constant(scope),
      }),
    ),
  );
}
