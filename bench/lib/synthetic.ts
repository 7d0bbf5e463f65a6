import type { Firm } from '../../src/domain/firm';
import { FRAMEWORK_VARIANTS } from '../../src/domain/frameworks';
import {
  AI_EXPOSURES,
  BUDGET_BANDS,
  COMPANY_STAGES,
  FIRM_PLANS,
  type FirmType,
  type FrameworkId,
  INDUSTRIES,
  REGIONS,
  SIZE_BANDS,
} from '../../src/domain/vocabulary';
import {
  CREDENTIALS_BY_FIRM_TYPE,
  FRAMEWORKS_BY_FIRM_TYPE,
  FirmRecord,
  type CredentialRecord,
  type FirmServiceRecord,
} from '../../src/services/firm-import/record';
import type { ScopeInput } from '../../src/services/intake/schemas';

/**
 * Synthetic marketplace data for benchmarks: firm records shaped like a real import (they pass
 * the import schema) and varied buyer scopes, all from a seeded PRNG so every run measures the
 * same catalog and the same requests.
 */

/** mulberry32: small, fast and good enough to spread synthetic data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** `k` distinct items (fewer when the list is shorter), in list order. */
  some<T>(items: readonly T[], k: number): T[] {
    const chosen = new Set<T>();
    while (chosen.size < Math.min(k, items.length)) chosen.add(this.pick(items));
    return items.filter((i) => chosen.has(i));
  }
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'NL',
  'IE',
  'CA',
  'AU',
  'SG',
  'IN',
  'BR',
  'ES',
  'JP',
] as const;
const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'pt', 'ja'] as const;
const CONSULTANCIES = ['Acme Compliance', 'Northwind Advisory', 'Harbor GRC', 'Lumen Risk'];
const SYLLABLES = ['brin', 'dle', 'wood', 'thorn', 'cot', 'mere', 'vale', 'ridge', 'gate', 'ford'];
const ISO_SCOPE: Partial<Record<FrameworkId, { standard: string; scheme: string }>> = {
  iso27001: { standard: 'ISO/IEC 27001', scheme: 'ISO/IEC 27006-1' },
  iso42001: { standard: 'ISO/IEC 42001', scheme: 'ISO/IEC 42006' },
  iso27701: { standard: 'ISO/IEC 27701', scheme: 'ISO/IEC 27006-2' },
};

/** Verified and in date for most firms; pending, expired or revoked for some. */
function credentialState(r: Random, today: string) {
  const roll = r.float();
  const validFrom = addDays(today, -r.int(30, 1400));
  if (roll < 0.85)
    return {
      validFrom,
      validTo: addDays(today, r.int(30, 1100)),
      verification: 'verified' as const,
    };
  if (roll < 0.92) return { validFrom, validTo: null, verification: 'pending' as const };
  if (roll < 0.97)
    return {
      validFrom: addDays(today, -r.int(400, 1400)),
      validTo: addDays(today, -r.int(1, 200)),
      verification: 'verified' as const,
    };
  return { validFrom, validTo: null, verification: 'revoked' as const };
}

function credentialsFor(
  r: Random,
  firmType: FirmType,
  frameworks: FrameworkId[],
  today: string,
  index: number,
): CredentialRecord[] {
  const held = CREDENTIALS_BY_FIRM_TYPE[firmType];
  const out: CredentialRecord[] = [];
  const base = (kind: CredentialRecord['kind'], n: number) => ({
    kind,
    issuer: 'Synthetic Board',
    identifier: `SYN-${index}-${n}`,
    scopeStandards: [] as string[],
    schemeStandards: [] as string[],
    evidenceUrl: null,
    ...credentialState(r, today),
  });
  if (frameworks.some((f) => f === 'soc2' || f === 'soc1' || f === 'hipaa')) {
    if (held.includes('cpa-licence')) out.push(base('cpa-licence', 1));
    if (held.includes('aicpa-peer-review') && r.chance(0.93))
      out.push(base('aicpa-peer-review', 2));
  }
  const iso = frameworks.flatMap((f) => ISO_SCOPE[f] ?? []);
  if (iso.length > 0 && held.includes('iso-accreditation')) {
    if (r.chance(0.03) && held.includes('non-accredited-certificate')) {
      out.push({
        ...base('non-accredited-certificate', 3),
        scopeStandards: iso.map((i) => i.standard),
      });
    } else {
      // A few accreditations miss a scheme standard: they must not qualify.
      const schemes = iso.map((i) => i.scheme).filter(() => r.chance(0.95));
      out.push({
        ...base('iso-accreditation', 3),
        issuer: r.pick(['ANAB', 'UKAS', 'DAkkS', 'COFRAC']),
        scopeStandards: iso.map((i) => i.standard),
        schemeStandards: ['ISO/IEC 17021-1', ...schemes],
      });
    }
  }
  if (frameworks.includes('pci-dss') && held.includes('pci-qsa')) out.push(base('pci-qsa', 4));
  if (frameworks.includes('hitrust') && held.includes('hitrust-assessor'))
    out.push(base('hitrust-assessor', 5));
  return out;
}

function serviceFor(r: Random, framework: FrameworkId, today: string): FirmServiceRecord {
  const variants = FRAMEWORK_VARIANTS[framework];
  const bands = r.some(SIZE_BANDS, r.int(1, 4));
  const paused = r.chance(0.06);
  const monthlyCapacity = r.chance(0.04) ? 0 : r.int(1, 10);
  return {
    framework,
    variants: variants.length === 0 ? [] : r.some(variants, r.int(1, variants.length)),
    priceRanges: bands.map((sizeBand, i) => {
      const minUsd = (8 + i * 12 + r.int(0, 20)) * 1000;
      return { sizeBand, minUsd, maxUsd: minUsd + r.int(5, 40) * 1000 };
    }),
    leadTimeWeeks: r.chance(0.85) ? r.int(0, 8) : r.int(9, 30),
    monthlyCapacity,
    capacityUsed: r.int(0, monthlyCapacity),
    capacityMonth: today.slice(0, 7),
    paused,
    pausedUntil: paused && r.chance(0.5) ? addDays(today, r.int(-20, 60)) : null,
  };
}

/** `count` firm records; `offset` numbers them, so catalogs can grow by appending. */
export function syntheticFirmRecords(
  count: number,
  today: string,
  { seed = 42, offset = 0 }: { seed?: number; offset?: number } = {},
): FirmRecord[] {
  const records: FirmRecord[] = [];
  for (let i = offset; i < offset + count; i++) {
    const r = new Random(seed * 1_000_003 + i);
    const firmType = r.pick([
      'cpa-firm',
      'cpa-firm',
      'certification-body',
      'certification-body',
      'cpa-and-certification-body',
    ] as const);
    const offered = FRAMEWORKS_BY_FIRM_TYPE[firmType];
    // SOC 2 and the ISO standards are what most firms sell.
    const favourite = offered.find((f) => f === 'soc2' || f === 'iso27001') ?? offered[0];
    const frameworks = [
      ...new Set([
        ...(favourite && r.chance(0.7) ? [favourite] : []),
        ...r.some(offered, r.int(1, 3)),
      ]),
    ];
    const name = `${r.pick(SYLLABLES)}${r.pick(SYLLABLES)} ${firmType === 'cpa-firm' ? 'CPAs' : 'Assurance'} ${i}`;
    const record = {
      slug: `synthetic-firm-${i}`,
      name: name.charAt(0).toUpperCase() + name.slice(1),
      firmType,
      status: r.chance(0.9) ? 'active' : r.pick(['pending', 'suspended'] as const),
      demo: false,
      website: null,
      description: `Synthetic firm ${i} for benchmarks.`,
      headquarters: r.pick(COUNTRIES),
      regions: r.some(REGIONS, r.int(1, 3)),
      languages: [...new Set(['en' as const, ...r.some(LANGUAGES, r.int(0, 2))])],
      industries: r.some(INDUSTRIES, r.int(0, 5)),
      stages: r.some(COMPANY_STAGES, r.int(1, 4)),
      aiSpecialism: r.chance(0.25),
      bookingUrl: null,
      leadEmail: null,
      plan: r.pick(FIRM_PLANS),
      services: frameworks.map((f) => serviceFor(r, f, today)),
      credentials: credentialsFor(r, firmType, frameworks, today, i),
      consultancyLinks: r.chance(0.1)
        ? [
            {
              consultancy: r.pick(CONSULTANCIES),
              endedOn: r.chance(0.5) ? null : addDays(today, -r.int(30, 1200)),
            },
          ]
        : [],
    } satisfies FirmRecord;
    records.push(record);
  }
  return records;
}

/** Checks generated records against the import schema, so the generator cannot drift from it. */
export function assertValidRecords(records: readonly FirmRecord[]): void {
  for (const record of records) {
    const parsed = FirmRecord.safeParse(record);
    if (!parsed.success) {
      throw new Error(
        `synthetic record ${record.slug} is invalid: ${JSON.stringify(parsed.error.issues[0])}`,
      );
    }
  }
}

/** The domain Firm a stored record becomes (what the catalog would load), for in-memory runs. */
export function recordToFirm(record: FirmRecord, month: string): Firm {
  return {
    id: `id-${record.slug}`,
    slug: record.slug,
    name: record.name,
    firmType: record.firmType,
    status: record.status,
    demo: record.demo,
    website: record.website,
    description: record.description,
    headquarters: record.headquarters,
    regions: record.regions,
    languages: record.languages,
    industries: record.industries,
    stages: record.stages,
    aiSpecialism: record.aiSpecialism,
    bookingUrl: record.bookingUrl,
    services: record.services.map((s) => ({
      framework: s.framework,
      variants: s.variants,
      priceRanges: s.priceRanges,
      leadTimeWeeks: s.leadTimeWeeks,
      monthlyCapacity: s.monthlyCapacity,
      capacityUsed: s.capacityUsed ?? 0,
      capacityMonth: s.capacityMonth ?? month,
      paused: s.paused,
      pausedUntil: s.pausedUntil,
    })),
    credentials: record.credentials.map((c) => ({
      kind: c.kind,
      issuer: c.issuer,
      identifier: c.identifier,
      scopeStandards: c.scopeStandards,
      schemeStandards: c.schemeStandards,
      validFrom: c.validFrom,
      validTo: c.validTo,
      verification: c.verification,
      evidenceUrl: c.evidenceUrl,
    })),
    consultancyLinks: record.consultancyLinks,
    reviewCount: 0,
    reviewMean: null,
    medianResponseHours: null,
    plan: record.plan,
  };
}

const SCOPE_FRAMEWORKS: FrameworkId[] = [
  'soc2',
  'soc2',
  'soc2',
  'iso27001',
  'iso27001',
  'iso42001',
  'iso42001',
  'iso27701',
  'soc1',
  'hipaa',
  'pci-dss',
  'hitrust',
];

/**
 * `count` varied buyer scopes, as the intake form would submit them: mostly one framework,
 * sometimes two, with now and then exclusions, a controls builder or a consultant named.
 */
export function syntheticScopes(
  count: number,
  today: string,
  { seed = 7, firmCount = 0 }: { seed?: number; firmCount?: number } = {},
): ScopeInput[] {
  const r = new Random(seed);
  const scopes: ScopeInput[] = [];
  const someFirm = () => `synthetic-firm-${r.int(0, Math.max(0, firmCount - 1))}`;
  for (let i = 0; i < count; i++) {
    const frameworks = [
      ...new Set([r.pick(SCOPE_FRAMEWORKS), ...(r.chance(0.25) ? [r.pick(SCOPE_FRAMEWORKS)] : [])]),
    ];
    scopes.push({
      frameworks: frameworks.map((framework) => {
        const variants = FRAMEWORK_VARIANTS[framework];
        return variants.length > 0 && r.chance(0.7)
          ? { framework, variant: r.pick(variants) }
          : { framework };
      }),
      stage: r.pick(COMPANY_STAGES),
      headcount: r.int(3, 2500),
      region: r.pick(REGIONS),
      industry: r.pick(INDUSTRIES),
      startingPoint: 'ready-for-audit' as const, // timing as before the starting point existed, so runs stay comparable
      neededBy: addDays(today, r.int(45, 400)),
      ...(r.chance(0.8) ? { budget: r.pick(BUDGET_BANDS) } : {}),
      aiExposure: r.pick(AI_EXPOSURES),
      ...(r.chance(0.2) ? { language: r.pick(LANGUAGES) } : {}),
      excludeFirms: r.chance(0.1) ? [someFirm()] : [],
      controlsBuiltBy: r.chance(0.05) ? [someFirm()] : [],
      managementSystemConsultants: r.chance(0.05) ? [{ name: r.pick(CONSULTANCIES) }] : [],
    });
  }
  return scopes;
}

/** What the matcher reads, from a form scope (the service does this with name resolution). */
export function toPlainMatchScope(input: ScopeInput) {
  return {
    frameworks: input.frameworks.map((f) => ({
      framework: f.framework as FrameworkId,
      ...(f.variant ? { variant: f.variant } : {}),
    })),
    stage: input.stage,
    headcount: input.headcount,
    region: input.region,
    industry: input.industry,
    startingPoint: 'ready-for-audit' as const, // timing as before the starting point existed, so runs stay comparable
    neededBy: input.neededBy,
    ...(input.budget ? { budget: input.budget } : {}),
    aiExposure: input.aiExposure,
    ...(input.language ? { language: input.language } : {}),
    excludeFirmIds: input.excludeFirms,
    controlsBuiltBy: input.controlsBuiltBy,
    managementSystemConsultants: input.managementSystemConsultants,
  };
}
