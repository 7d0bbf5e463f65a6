import type { Firm, PriceRange } from '../firm';
import {
  BUDGET_BAND_LABELS,
  BUDGET_BAND_RANGES,
  type CompanyStage,
  type FirmType,
  type FrameworkId,
  type Industry,
  INDUSTRY_LABELS,
  SIZE_BAND_LABELS,
  type SizeBand,
  STAGE_LABELS,
  sizeBandFor,
} from '../vocabulary';
import { count, languageName, listWords, usd } from './labels';
import { languageOf, type MatchScope, normaliseLanguage } from './scope';

/**
 * The fit score: how well an eligible firm suits this buyer, 0–100, with every component kept
 * so a match can be explained later. It is computed from `RankingInput` alone, a projection of
 * the firm that carries no plan, payment or sponsorship field: independence by construction.
 */

export interface RankingService {
  framework: FrameworkId;
  priceRanges: PriceRange[];
}

/** Everything ranking may know about a firm. Adding a field here is a decision about independence. */
export interface RankingInput {
  id: string;
  firmType: FirmType;
  headquarters: string;
  stages: CompanyStage[];
  industries: Industry[];
  languages: string[];
  aiSpecialism: boolean;
  services: RankingService[];
  reviewCount: number;
  reviewMean: number | null;
  medianResponseHours: number | null;
}

/** Fields of `Firm` that are about money between the firm and us, never about fit. */
export const COMMERCIAL_FIRM_FIELDS = ['plan'] as const satisfies readonly (keyof Firm)[];
export type CommercialFirmField = (typeof COMMERCIAL_FIRM_FIELDS)[number];

/** Does not compile if a commercial field ever becomes part of the ranking input. */
type MustBeNever<T extends never> = T;
export type RankingInputHasNoCommercialField = MustBeNever<
  Extract<keyof RankingInput, CommercialFirmField>
>;

/** Picks field by field (never spreads), so a field added to Firm stays out until chosen. */
export function toRankingInput(firm: Firm): RankingInput {
  return {
    id: firm.id,
    firmType: firm.firmType,
    headquarters: firm.headquarters,
    stages: firm.stages,
    industries: firm.industries,
    languages: firm.languages,
    aiSpecialism: firm.aiSpecialism,
    services: firm.services.map((s) => ({ framework: s.framework, priceRanges: s.priceRanges })),
    reviewCount: firm.reviewCount,
    reviewMean: firm.reviewMean,
    medianResponseHours: firm.medianResponseHours,
  };
}

export const FIT_COMPONENTS = [
  'stage',
  'headcount',
  'industry',
  'budget',
  'ai',
  'reviews',
  'responsiveness',
  'language',
] as const;
export type FitComponentId = (typeof FIT_COMPONENTS)[number];

/**
 * Nominal weights, summing to 100. Who the firm serves (stage, size, industry) and whether the
 * price fits come first; what buyers said after working with the firm comes next.
 */
export const FIT_WEIGHTS: Record<FitComponentId, number> = {
  stage: 15,
  headcount: 10,
  industry: 15,
  budget: 15,
  ai: 10,
  reviews: 15,
  responsiveness: 10,
  language: 10,
};

export const FIT_COMPONENT_LABELS: Record<FitComponentId, string> = {
  stage: 'Company stage',
  headcount: 'Company size',
  industry: 'Industry experience',
  budget: 'Budget overlap',
  ai: 'AI specialism',
  reviews: 'Verified reviews',
  responsiveness: 'Responsiveness',
  language: 'Language',
};

/** A firm with no reviews is taken to be average-good, and a few reviews move it only a little. */
export const REVIEW_PRIOR_MEAN = 4.0;
export const REVIEW_PRIOR_WEIGHT = 5;
/** Answering a brief within this many hours earns full marks; at the slow end, none. */
export const RESPONSE_FAST_HOURS = 4;
export const RESPONSE_SLOW_HOURS = 72;
/** Value for a fact we do not know yet (no response history, no published price). */
export const NEUTRAL = 0.5;

export interface FitComponent {
  component: FitComponentId;
  label: string;
  /** Nominal weight from FIT_WEIGHTS. */
  weight: number;
  /** False when the request makes the component irrelevant; its weight is then shared out. */
  applicable: boolean;
  /** How well the firm does on this component, 0–1. */
  value: number;
  /** Contribution to the 0–100 score (rounded to 2 decimals). */
  points: number;
  note: string;
}

export interface FitScore {
  /** 0–100, rounded to 2 decimals. */
  score: number;
  breakdown: FitComponent[];
}

/**
 * What scoring needs from the request, worked out once per match rather than once per firm:
 * the matcher scores every eligible firm in the catalog.
 */
export interface ScoringScope {
  scope: MatchScope;
  band: SizeBand;
  language: string;
  /** AI specialism only matters to a buyer whose audit is about AI. */
  aiRelevant: boolean;
  budget: { minUsd: number; maxUsd: number } | null;
}

export function scoringScope(scope: MatchScope): ScoringScope {
  const budget = scope.budget === undefined ? null : BUDGET_BAND_RANGES[scope.budget];
  return {
    scope,
    band: sizeBandFor(scope.headcount),
    language: languageOf(scope),
    aiRelevant:
      scope.frameworks.some((r) => r.framework === 'iso42001') ||
      scope.aiExposure === 'ai-is-the-product',
    budget: budget && { minUsd: budget.minUsd, maxUsd: budget.maxUsd ?? Number.POSITIVE_INFINITY },
  };
}

/** A component's value, 0–1, or null when the request makes it irrelevant. */
type Measure = (input: RankingInput, s: ScoringScope) => number | null;
/** The sentence shown beside a component, written only for firms a buyer will see. */
type Note = (input: RankingInput, s: ScoringScope, value: number | null) => string;

const MEASURES: Record<FitComponentId, Measure> = {
  stage: (input, s) => (input.stages.includes(s.scope.stage) ? 1 : 0),
  headcount: (input, s) => {
    const requested = s.scope.frameworks.length;
    return requested === 0 ? 0 : pricedCount(input, s) / requested;
  },
  industry: (input, s) => (input.industries.includes(s.scope.industry) ? 1 : 0),
  budget: (input, s) => {
    if (s.budget === null) return null;
    const fees = feeRange(input, s);
    return fees === null ? NEUTRAL : overlapShare(fees, s.budget);
  },
  ai: (input, s) => (s.aiRelevant ? (input.aiSpecialism ? 1 : 0) : null),
  reviews: (input) => clamp01((smoothedRating(input.reviewCount, input.reviewMean) - 1) / 4),
  responsiveness: (input) => {
    const hours = input.medianResponseHours;
    if (hours === null || !Number.isFinite(hours)) return NEUTRAL;
    return clamp01((RESPONSE_SLOW_HOURS - hours) / (RESPONSE_SLOW_HOURS - RESPONSE_FAST_HOURS));
  },
  language: (input, s) => {
    for (const l of input.languages) if (normaliseLanguage(l) === s.language) return 1;
    return 0;
  },
};

const NOTES: Record<FitComponentId, Note> = {
  stage: (_, s, v) =>
    v === 1
      ? `Works with ${STAGE_LABELS[s.scope.stage]} companies`
      : `Does not list ${STAGE_LABELS[s.scope.stage]} companies`,
  headcount: (_, s, v) => {
    const band = SIZE_BAND_LABELS[s.band];
    if (v === 1) return `Prices its work for companies of ${band}`;
    if (v === 0) return `Publishes no price for companies of ${band}`;
    return `Prices some of the requested work for companies of ${band}`;
  },
  industry: (_, s, v) =>
    v === 1
      ? `Experienced with ${INDUSTRY_LABELS[s.scope.industry]} companies`
      : `Does not list ${INDUSTRY_LABELS[s.scope.industry]} experience`,
  budget: (input, s, v) => {
    if (s.scope.budget === undefined || v === null) return 'No budget given';
    const fees = feeRange(input, s);
    if (fees === null) return 'Publishes no price for your company size, so budget fit is unknown';
    const range = `${usd(fees.minUsd)}–${usd(fees.maxUsd)}`;
    const band = BUDGET_BAND_LABELS[s.scope.budget];
    if (v >= 0.999) return `Typical fees of ${range} fall within your budget (${band})`;
    if (v > 0) return `Typical fees of ${range} partly overlap your budget (${band})`;
    return `Typical fees of ${range} fall outside your budget (${band})`;
  },
  ai: (_, __, v) =>
    v === null
      ? 'Not relevant to this request'
      : v === 1
        ? 'Specialises in auditing AI systems'
        : 'No stated AI specialism',
  reviews: (input) =>
    input.reviewMean === null || input.reviewCount <= 0
      ? `No verified reviews yet (counted as ${REVIEW_PRIOR_MEAN.toFixed(1)}/5)`
      : `Rated ${input.reviewMean.toFixed(1)}/5 by ${count(input.reviewCount, 'introduced buyer', 'introduced buyers')}`,
  responsiveness: (input) => {
    const hours = input.medianResponseHours;
    if (hours === null || !Number.isFinite(hours)) return 'No response history yet';
    return `Usually answers a brief within ${count(Math.max(1, Math.ceil(hours)), 'hour', 'hours')}`;
  },
  language: (input, s, v) => {
    const wanted = languageName(s.language);
    if (v === 1) return `Works in ${wanted}`;
    const spoken = input.languages.map((l) => languageName(normaliseLanguage(l)));
    return spoken.length
      ? `Does not list ${wanted} (works in ${listWords(spoken)})`
      : `Does not list ${wanted}`;
  },
};

/** Weight and measure of each component in FIT_COMPONENTS order, looked up once, not per firm. */
const WEIGHTED_MEASURES: readonly { weight: number; measure: Measure }[] = FIT_COMPONENTS.map(
  (component) => ({ weight: FIT_WEIGHTS[component], measure: MEASURES[component] }),
);

/** The score alone, for ranking a whole catalog: the same arithmetic as `fitScore`, no words. */
export function fitPoints(input: RankingInput, s: ScoringScope): number {
  let weighted = 0;
  let applicableWeight = 0;
  for (const { weight, measure } of WEIGHTED_MEASURES) {
    const value = measure(input, s);
    if (value === null) continue;
    weighted += weight * value;
    applicableWeight += weight;
  }
  return round((100 * weighted) / applicableWeight, 2);
}

export function fitScore(input: RankingInput, scope: MatchScope | ScoringScope): FitScore {
  const s = 'band' in scope ? scope : scoringScope(scope);
  const values = FIT_COMPONENTS.map((component) => MEASURES[component](input, s));
  const applicableWeight = FIT_COMPONENTS.reduce(
    (sum, component, i) => sum + (values[i] === null ? 0 : FIT_WEIGHTS[component]),
    0,
  );
  const breakdown = FIT_COMPONENTS.map((component, i): FitComponent => {
    const value = values[i] ?? null;
    const weight = FIT_WEIGHTS[component];
    return {
      component,
      label: FIT_COMPONENT_LABELS[component],
      weight,
      applicable: value !== null,
      value: round(value ?? 0, 4),
      points: round(value === null ? 0 : (100 * weight * value) / applicableWeight, 2),
      note: NOTES[component](input, s, value),
    };
  });
  return { score: fitPoints(input, s), breakdown };
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function priceRangeFor(
  input: RankingInput,
  framework: FrameworkId,
  band: SizeBand,
): PriceRange | undefined {
  for (const service of input.services) {
    if (service.framework !== framework) continue;
    for (const range of service.priceRanges) if (range.sizeBand === band) return range;
  }
  return undefined;
}

function pricedCount(input: RankingInput, s: ScoringScope): number {
  let priced = 0;
  for (const r of s.scope.frameworks) if (priceRangeFor(input, r.framework, s.band)) priced++;
  return priced;
}

/** The firm's likely fees for the whole request: its ranges for the buyer's size, added up. */
function feeRange(input: RankingInput, s: ScoringScope): { minUsd: number; maxUsd: number } | null {
  let minUsd = 0;
  let maxUsd = 0;
  for (const r of s.scope.frameworks) {
    const range = priceRangeFor(input, r.framework, s.band);
    if (!range) return null;
    minUsd += range.minUsd;
    maxUsd += range.maxUsd;
  }
  return s.scope.frameworks.length === 0 ? null : { minUsd, maxUsd: Math.max(minUsd, maxUsd) };
}

/** The share of the fee range that falls inside the budget; a single-figure fee is in or out. */
function overlapShare(
  fees: { minUsd: number; maxUsd: number },
  budget: { minUsd: number; maxUsd: number },
): number {
  const low = Math.max(fees.minUsd, budget.minUsd);
  const high = Math.min(fees.maxUsd, budget.maxUsd);
  if (fees.maxUsd === fees.minUsd) return low <= high ? 1 : 0;
  return clamp01(Math.max(0, high - low) / (fees.maxUsd - fees.minUsd));
}

/** Bayesian average: the prior stands in for REVIEW_PRIOR_WEIGHT reviews of REVIEW_PRIOR_MEAN stars. */
export function smoothedRating(reviewCount: number, reviewMean: number | null): number {
  const n = reviewMean === null || !Number.isFinite(reviewMean) ? 0 : Math.max(0, reviewCount);
  const mean = Math.min(5, Math.max(1, reviewMean ?? REVIEW_PRIOR_MEAN));
  return (REVIEW_PRIOR_WEIGHT * REVIEW_PRIOR_MEAN + n * mean) / (REVIEW_PRIOR_WEIGHT + n);
}
