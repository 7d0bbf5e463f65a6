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

interface Measure {
  applicable: boolean;
  value: number;
  note: string;
}

export function fitScore(input: RankingInput, scope: MatchScope): FitScore {
  const measures: Record<FitComponentId, Measure> = {
    stage: stageFit(input, scope),
    headcount: headcountFit(input, scope),
    industry: industryFit(input, scope),
    budget: budgetFit(input, scope),
    ai: aiFit(input, scope),
    reviews: reviewFit(input),
    responsiveness: responsivenessFit(input),
    language: languageFit(input, scope),
  };
  const applicableWeight = FIT_COMPONENTS.reduce(
    (sum, c) => sum + (measures[c].applicable ? FIT_WEIGHTS[c] : 0),
    0,
  );
  let raw = 0;
  const breakdown = FIT_COMPONENTS.map((component): FitComponent => {
    const m = measures[component];
    const weight = FIT_WEIGHTS[component];
    const points = m.applicable ? (100 * weight * m.value) / applicableWeight : 0;
    raw += points;
    return {
      component,
      label: FIT_COMPONENT_LABELS[component],
      weight,
      applicable: m.applicable,
      value: round(m.value, 4),
      points: round(points, 2),
      note: m.note,
    };
  });
  return { score: round(raw, 2), breakdown };
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function stageFit(input: RankingInput, scope: MatchScope): Measure {
  const label = STAGE_LABELS[scope.stage];
  return input.stages.includes(scope.stage)
    ? { applicable: true, value: 1, note: `Works with ${label} companies` }
    : { applicable: true, value: 0, note: `Does not list ${label} companies` };
}

function rangesFor(input: RankingInput, scope: MatchScope): (PriceRange | undefined)[] {
  const band = sizeBandFor(scope.headcount);
  return scope.frameworks.map((r) =>
    input.services
      .find((s) => s.framework === r.framework)
      ?.priceRanges.find((p) => p.sizeBand === band),
  );
}

function headcountFit(input: RankingInput, scope: MatchScope): Measure {
  const band = SIZE_BAND_LABELS[sizeBandFor(scope.headcount)];
  const ranges = rangesFor(input, scope);
  const priced = ranges.filter((r) => r !== undefined).length;
  const value = ranges.length === 0 ? 0 : priced / ranges.length;
  const note =
    value === 1
      ? `Prices its work for companies of ${band}`
      : value === 0
        ? `Publishes no price for companies of ${band}`
        : `Prices some of the requested work for companies of ${band}`;
  return { applicable: true, value, note };
}

function industryFit(input: RankingInput, scope: MatchScope): Measure {
  const label = INDUSTRY_LABELS[scope.industry];
  return input.industries.includes(scope.industry)
    ? { applicable: true, value: 1, note: `Experienced with ${label} companies` }
    : { applicable: true, value: 0, note: `Does not list ${label} experience` };
}

/**
 * The share of the firm's likely fee range (its ranges for the buyer's size, added up over the
 * requested frameworks) that falls inside the buyer's budget band.
 */
function budgetFit(input: RankingInput, scope: MatchScope): Measure {
  if (scope.budget === undefined) {
    return { applicable: false, value: 0, note: 'No budget given' };
  }
  const budget = BUDGET_BAND_RANGES[scope.budget];
  const budgetLabel = BUDGET_BAND_LABELS[scope.budget];
  const ranges = rangesFor(input, scope);
  if (ranges.length === 0 || ranges.some((r) => r === undefined)) {
    return {
      applicable: true,
      value: NEUTRAL,
      note: 'Publishes no price for your company size, so budget fit is unknown',
    };
  }
  const min = ranges.reduce((sum, r) => sum + (r?.minUsd ?? 0), 0);
  const max = Math.max(
    min,
    ranges.reduce((sum, r) => sum + (r?.maxUsd ?? 0), 0),
  );
  const low = Math.max(min, budget.minUsd);
  const high = Math.min(max, budget.maxUsd ?? Number.POSITIVE_INFINITY);
  const value =
    max === min ? (low <= high ? 1 : 0) : clamp01(Math.max(0, high - low) / (max - min));
  const fees = `${usd(min)}–${usd(max)}`;
  const note =
    value >= 0.999
      ? `Typical fees of ${fees} fall within your budget (${budgetLabel})`
      : value > 0
        ? `Typical fees of ${fees} partly overlap your budget (${budgetLabel})`
        : `Typical fees of ${fees} fall outside your budget (${budgetLabel})`;
  return { applicable: true, value, note };
}

function aiFit(input: RankingInput, scope: MatchScope): Measure {
  // AI specialism is only worth something to a buyer whose audit is about AI.
  const relevant =
    scope.frameworks.some((r) => r.framework === 'iso42001') ||
    scope.aiExposure === 'ai-is-the-product';
  if (!relevant) return { applicable: false, value: 0, note: 'Not relevant to this request' };
  return input.aiSpecialism
    ? { applicable: true, value: 1, note: 'Specialises in auditing AI systems' }
    : { applicable: true, value: 0, note: 'No stated AI specialism' };
}

/** Bayesian average: the prior stands in for REVIEW_PRIOR_WEIGHT reviews of REVIEW_PRIOR_MEAN stars. */
export function smoothedRating(reviewCount: number, reviewMean: number | null): number {
  const n = reviewMean === null || !Number.isFinite(reviewMean) ? 0 : Math.max(0, reviewCount);
  const mean = Math.min(5, Math.max(1, reviewMean ?? REVIEW_PRIOR_MEAN));
  return (REVIEW_PRIOR_WEIGHT * REVIEW_PRIOR_MEAN + n * mean) / (REVIEW_PRIOR_WEIGHT + n);
}

function reviewFit(input: RankingInput): Measure {
  const smoothed = smoothedRating(input.reviewCount, input.reviewMean);
  const note =
    input.reviewMean === null || input.reviewCount <= 0
      ? `No verified reviews yet (counted as ${REVIEW_PRIOR_MEAN.toFixed(1)}/5)`
      : `Rated ${input.reviewMean.toFixed(1)}/5 by ${input.reviewCount} introduced buyer${input.reviewCount === 1 ? '' : 's'}`;
  return { applicable: true, value: clamp01((smoothed - 1) / 4), note };
}

function responsivenessFit(input: RankingInput): Measure {
  const hours = input.medianResponseHours;
  if (hours === null || !Number.isFinite(hours)) {
    return { applicable: true, value: NEUTRAL, note: 'No response history yet' };
  }
  const value = clamp01(
    (RESPONSE_SLOW_HOURS - hours) / (RESPONSE_SLOW_HOURS - RESPONSE_FAST_HOURS),
  );
  const within = Math.max(1, Math.ceil(hours));
  return {
    applicable: true,
    value,
    note: `Usually answers a brief within ${count(within, 'hour', 'hours')}`,
  };
}

function languageFit(input: RankingInput, scope: MatchScope): Measure {
  const wanted = languageOf(scope);
  const speaks = input.languages.some((l) => normaliseLanguage(l) === wanted);
  return speaks
    ? { applicable: true, value: 1, note: `Works in ${languageName(wanted)}` }
    : {
        applicable: true,
        value: 0,
        note: `Does not list ${languageName(wanted)}${input.languages.length ? ` (works in ${listWords(input.languages.map((l) => languageName(normaliseLanguage(l))))})` : ''}`,
      };
}
