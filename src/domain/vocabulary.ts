/**
 * The shared words of the marketplace: the closed sets every layer agrees on.
 * Defined once here so forms, the API, the database and the matcher never drift apart.
 */

export const FRAMEWORK_IDS = [
  'soc2',
  'soc1',
  'iso27001',
  'iso42001',
  'iso27701',
  'hipaa',
  'pci-dss',
  'hitrust',
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/**
 * The values of a closed set, read from the table of their labels: each value is written once,
 * in the order the table gives it.
 */
export function valuesOf<T extends string>(labels: Record<T, string>): [T, ...T[]] {
  return Object.keys(labels) as [T, ...T[]];
}

export const REGION_LABELS = {
  'north-america': 'North America',
  'latin-america': 'Latin America',
  'uk-ireland': 'UK and Ireland',
  europe: 'Europe (EU/EEA)',
  'middle-east-africa': 'Middle East and Africa',
  'asia-pacific': 'Asia-Pacific',
};
export type Region = keyof typeof REGION_LABELS;
export const REGIONS = valuesOf(REGION_LABELS);

export const STAGE_LABELS = {
  'pre-seed': 'Pre-seed',
  seed: 'Seed',
  'series-a': 'Series A',
  'series-b': 'Series B',
  growth: 'Growth (Series C+)',
  enterprise: 'Enterprise / public',
};
export type CompanyStage = keyof typeof STAGE_LABELS;
export const COMPANY_STAGES = valuesOf(STAGE_LABELS);

/** Company-size bands (headcount) used for price ranges and stage fit. */
export const SIZE_BANDS = ['1-10', '11-50', '51-200', '201-1000', '1000+'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

export function sizeBandFor(headcount: number): SizeBand {
  if (headcount <= 10) return '1-10';
  if (headcount <= 50) return '11-50';
  if (headcount <= 200) return '51-200';
  if (headcount <= 1000) return '201-1000';
  return '1000+';
}

export const INDUSTRY_LABELS = {
  saas: 'B2B SaaS',
  'ai-ml': 'AI / machine learning',
  fintech: 'Financial technology',
  healthtech: 'Health technology',
  ecommerce: 'E-commerce',
  edtech: 'Education technology',
  govtech: 'Public sector technology',
  insurtech: 'Insurance technology',
  infrastructure: 'Cloud and infrastructure',
  'marketing-tech': 'Marketing technology',
};
export type Industry = keyof typeof INDUSTRY_LABELS;
export const INDUSTRIES = valuesOf(INDUSTRY_LABELS);

/** Budget bands a buyer may give (USD, audit fees for the first year). */
export const BUDGET_BANDS = ['under-20k', '20k-50k', '50k-100k', '100k-plus'] as const;
export type BudgetBand = (typeof BUDGET_BANDS)[number];
export const BUDGET_BAND_RANGES: Record<BudgetBand, { minUsd: number; maxUsd: number | null }> = {
  'under-20k': { minUsd: 0, maxUsd: 20000 },
  '20k-50k': { minUsd: 20000, maxUsd: 50000 },
  '50k-100k': { minUsd: 50000, maxUsd: 100000 },
  '100k-plus': { minUsd: 100000, maxUsd: null },
};
export const BUDGET_BAND_LABELS: Record<BudgetBand, string> = {
  'under-20k': 'Under $20k',
  '20k-50k': '$20k–$50k',
  '50k-100k': '$50k–$100k',
  '100k-plus': '$100k or more',
};

/** What kind of organisation a firm is; decides which credentials it can hold. */
export const FIRM_TYPES = ['cpa-firm', 'certification-body', 'cpa-and-certification-body'] as const;
export type FirmType = (typeof FIRM_TYPES)[number];

export const CREDENTIAL_KINDS = [
  'cpa-licence', // state board licence of the firm
  'aicpa-peer-review', // current peer review (needed with the licence for SOC reports)
  'iso-accreditation', // accreditation of a certification body; its scope names the standards
  'non-accredited-certificate', // a body selling certificates without accreditation: never qualifies
  'pci-qsa',
  'hitrust-assessor',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const VERIFICATION_STATUSES = ['pending', 'verified', 'rejected', 'revoked'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const FIRM_STATUSES = ['pending', 'active', 'suspended'] as const;
export type FirmStatus = (typeof FIRM_STATUSES)[number];

/** SOC 2 Trust Services Categories, as ids in the data (Security is always in scope). */
export const TSC_CATEGORIES = [
  'security',
  'availability',
  'confidentiality',
  'processing-integrity',
  'privacy',
] as const;
export type TscCategory = (typeof TSC_CATEGORIES)[number];

/** How much of the buyer's product is AI: drives the advisor and the AI-specialism fit. */
export const AI_EXPOSURES = ['none', 'uses-ai', 'ai-is-the-product'] as const;
export type AiExposure = (typeof AI_EXPOSURES)[number];

/** Commercial fields a firm may have. They exist so a test can prove ranking ignores them. */
export const FIRM_PLANS = ['free', 'listed', 'sponsored'] as const;
export type FirmPlan = (typeof FIRM_PLANS)[number];

/** Short names for menus, tables and badges; the data files carry the full names. */
export const FRAMEWORK_SHORT_NAMES: Record<FrameworkId, string> = {
  soc2: 'SOC 2',
  soc1: 'SOC 1',
  iso27001: 'ISO/IEC 27001',
  iso42001: 'ISO/IEC 42001',
  iso27701: 'ISO/IEC 27701',
  hipaa: 'HIPAA',
  'pci-dss': 'PCI DSS',
  hitrust: 'HITRUST CSF',
};

export const FIRM_TYPE_LABELS: Record<FirmType, string> = {
  'cpa-firm': 'CPA firm',
  'certification-body': 'Certification body',
  'cpa-and-certification-body': 'CPA firm and certification body',
};

export const CREDENTIAL_KIND_LABELS: Record<CredentialKind, string> = {
  'cpa-licence': 'CPA firm licence',
  'aicpa-peer-review': 'AICPA peer review',
  'iso-accreditation': 'ISO certification accreditation',
  'non-accredited-certificate': 'Certificate without accreditation',
  'pci-qsa': 'PCI Qualified Security Assessor',
  'hitrust-assessor': 'HITRUST authorised assessor',
};

export const SIZE_BAND_LABELS: Record<SizeBand, string> = {
  '1-10': '1–10 people',
  '11-50': '11–50 people',
  '51-200': '51–200 people',
  '201-1000': '201–1,000 people',
  '1000+': 'over 1,000 people',
};

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/**
 * Where the buyer starts from: decides how much readiness work is left before the audit, and so
 * the earliest realistic date for the report or certificate (src/domain/timeline).
 * A 2013-edition ISO 27001 certificate is not listed: since the transition ended on
 * 31 October 2025 it no longer counts as held, so such a buyer starts from its SOC 2 or scratch.
 */
export const STARTING_POINT_LABELS = {
  'from-scratch': 'Starting from scratch',
  'holds-soc2': 'We hold a SOC 2 report',
  'holds-iso27001': 'We hold an ISO/IEC 27001:2022 certificate',
  'holds-both': 'We hold a SOC 2 report and an ISO/IEC 27001:2022 certificate',
  'ready-for-audit': 'Our controls or management system already run: only the audit is left',
};
export type StartingPoint = keyof typeof STARTING_POINT_LABELS;
export const STARTING_POINTS = valuesOf(STARTING_POINT_LABELS);
export const DEFAULT_STARTING_POINT: StartingPoint = 'from-scratch';

/** Working languages firms list and buyers ask for (ISO 639-1), with the names pages show. */
export const LANGUAGE_LABELS: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  nl: 'Dutch',
  pt: 'Portuguese',
  ja: 'Japanese',
};

export function languageLabel(code: string): string {
  return LANGUAGE_LABELS[code] ?? code.toUpperCase();
}
