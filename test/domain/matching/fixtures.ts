import type { Credential, Firm, FirmService } from '../../../src/domain/firm';
import type { MatchContext, MatchScope } from '../../../src/domain/matching';
import type { FrameworkId } from '../../../src/domain/vocabulary';
import { soc2ScopeFields } from '../../helpers/scopes';

/**
 * Hand-made values for example tests: a firm that passes every rule for the default scope, so
 * a test can break exactly one thing and watch exactly that rule fire.
 */

export const TODAY = '2027-03-10';
export const CTX: MatchContext = { today: TODAY, rotation: 0 };

export function credential(overrides: Partial<Credential> & Pick<Credential, 'kind'>): Credential {
  return {
    issuer: 'ANAB',
    identifier: `${overrides.kind}-1`,
    scopeStandards: [],
    schemeStandards: [],
    validFrom: '2025-01-01',
    validTo: '2029-12-31',
    verification: 'verified',
    evidenceUrl: null,
    ...overrides,
  };
}

export const CPA_LICENCE = credential({
  kind: 'cpa-licence',
  issuer: 'Texas State Board of Public Accountancy',
});
export const PEER_REVIEW = credential({
  kind: 'aicpa-peer-review',
  issuer: 'AICPA Peer Review Program',
});
/** Each ISO certification's own scheme standard, on top of ISO/IEC 17021-1 (restated here, not imported). */
const SCHEME_FOR: Record<string, string> = {
  '42001': 'ISO/IEC 42006',
  '27001': 'ISO/IEC 27006-1',
  '27701': 'ISO/IEC 27006-2',
};

/**
 * A current ISO accreditation whose scope names `standards`, under ISO/IEC 17021-1 and, unless
 * overridden, the scheme standard of every certification it names.
 */
export function accreditation(
  standards: string[],
  overrides: Partial<Credential> = {},
): Credential {
  const schemes = Object.entries(SCHEME_FOR)
    .filter(([number]) => standards.some((s) => s.includes(number)))
    .map(([, scheme]) => scheme);
  return credential({
    kind: 'iso-accreditation',
    issuer: 'ANAB',
    scopeStandards: standards,
    schemeStandards: ['ISO/IEC 17021-1', ...schemes],
    ...overrides,
  });
}

/** Credentials that qualify for one framework, as the rules define them. */
export function qualifyingCredentials(framework: FrameworkId): Credential[] {
  switch (framework) {
    case 'soc1':
    case 'soc2':
      return [CPA_LICENCE, PEER_REVIEW];
    case 'iso27001':
      return [accreditation(['ISO/IEC 27001:2022'])];
    case 'iso42001':
      return [accreditation(['ISO/IEC 42001:2023'])];
    case 'iso27701':
      return [accreditation(['ISO/IEC 27701'])];
    case 'hipaa':
      return [CPA_LICENCE];
    case 'pci-dss':
      return [credential({ kind: 'pci-qsa', issuer: 'PCI SSC' })];
    case 'hitrust':
      return [credential({ kind: 'hitrust-assessor', issuer: 'HITRUST Alliance' })];
  }
}

export function service(framework: FrameworkId, overrides: Partial<FirmService> = {}): FirmService {
  return {
    framework,
    variants: framework === 'soc2' || framework === 'soc1' ? ['type1', 'type2'] : [],
    priceRanges: [
      { sizeBand: '11-50', minUsd: 20000, maxUsd: 40000 },
      { sizeBand: '51-200', minUsd: 30000, maxUsd: 60000 },
    ],
    leadTimeWeeks: 2,
    monthlyCapacity: 4,
    capacityUsed: 1,
    capacityMonth: '2027-03',
    paused: false,
    pausedUntil: null,
    ...overrides,
  };
}

export function makeFirm(
  overrides: Partial<Firm> = {},
  frameworks: FrameworkId[] = ['soc2'],
): Firm {
  const id = overrides.id ?? 'firm-a';
  return {
    id,
    slug: overrides.slug ?? `${id}-slug`,
    name: `Firm ${id}`,
    firmType: 'cpa-firm',
    status: 'active',
    demo: false,
    website: null,
    description: '',
    headquarters: 'Austin, US',
    regions: ['north-america', 'europe'],
    languages: ['en'],
    industries: ['saas'],
    stages: ['seed', 'series-a'],
    aiSpecialism: false,
    bookingUrl: null,
    services: frameworks.map((f) => service(f)),
    credentials: [...new Set(frameworks.flatMap(qualifyingCredentials))],
    consultancyLinks: [],
    reviewCount: 0,
    reviewMean: null,
    medianResponseHours: null,
    plan: 'free',
    ...overrides,
  };
}

export function makeScope(overrides: Partial<MatchScope> = {}): MatchScope {
  return {
    ...soc2ScopeFields(),
    neededBy: '2027-12-31',
    // Ready for audit keeps these tests about the firm's own lead time; readiness has its own tests.
    startingPoint: 'ready-for-audit',
    budget: '20k-50k',
    aiExposure: 'uses-ai',
    excludeFirmIds: [],
    controlsBuiltBy: [],
    managementSystemConsultants: [],
    ...overrides,
  };
}
