/**
 * Cost and timeline estimator (journey 4).
 *
 * The timeline comes from the one timeline model (src/domain/timeline), which the matcher's
 * timing rule uses too. The fee starts from published figures (src/data/market-facts.json) and
 * is scaled by named drivers whose sizes are our labelled assumptions. Nothing the estimator
 * shows goes above the highest figure its sources give (ESTIMATE_BOUND_FACTOR): a scope that
 * would push past it is marked "beyond the published ranges" instead of given an invented
 * number, and where we hold no published figure at all the estimate says so (ADR 0013).
 *
 * Pure functions only: no I/O, no clock, no randomness.
 */
import {
  envelope,
  type Figure,
  ISO42001_FIGURES,
  publishedRows,
  type RowKind,
  SOC2_FEE,
  type SourceRow,
} from '../market';
import {
  BASE_BAND,
  BASE_LOCATIONS,
  BASE_SYSTEMS,
  clampWindow,
  DEFAULT_WINDOW_MONTHS,
  MIN_WINDOW_MONTHS,
  type PhaseId,
  READINESS_BY_BAND,
  READINESS_LOCATIONS_CAP,
  READINESS_PER_CATEGORY,
  READINESS_PER_EXTRA_LOCATION,
  READINESS_PER_EXTRA_SYSTEM,
  READINESS_SYSTEMS_CAP,
  type Range,
  timelineModel,
} from '../timeline';
import { monthsToWeeks } from '../market';
import {
  type SizeBand,
  type StartingPoint,
  sizeBandFor,
  type TscCategory,
  valuesOf,
} from '../vocabulary';

export type EstimateFramework = 'soc2' | 'iso42001' | 'iso27001';
export type SocVariant = 'type1' | 'type2';
/**
 * What the buyer already holds. 'iso27001-2013' is a certificate to the old edition: since the
 * transition ended on 31 October 2025 it no longer counts, so it saves nothing the sources
 * measure; the estimate says so instead of treating it as current.
 */
export const EXISTING_PROGRAM_LABELS = {
  none: 'Nothing yet',
  soc2: 'SOC 2 report',
  iso27001: 'ISO/IEC 27001:2022 certificate',
  both: 'SOC 2 and ISO/IEC 27001:2022',
  'iso27001-2013': 'ISO/IEC 27001:2013 certificate (old edition)',
  ready: 'Controls already running, only the audit left',
};
export type ExistingProgram = keyof typeof EXISTING_PROGRAM_LABELS;
export const EXISTING_PROGRAMS = valuesOf(EXISTING_PROGRAM_LABELS);

/** The timeline model's starting point for what the buyer holds. */
export function startingPointOf(p: ExistingProgram): StartingPoint {
  switch (p) {
    case 'soc2':
      return 'holds-soc2';
    case 'iso27001':
      return 'holds-iso27001';
    case 'both':
      return 'holds-both';
    case 'ready':
      return 'ready-for-audit';
    default:
      return 'from-scratch';
  }
}

export interface EstimateInput {
  framework: EstimateFramework;
  /** SOC 2 only; defaults to Type II, the report buyers usually ask for. */
  variant?: SocVariant;
  /** SOC 2 Type II observation window in months, clamped to 3–12 (market practice). */
  windowMonths?: number;
  /** SOC 2 only; Security is always in scope whether listed or not. */
  categories?: TscCategory[];
  headcount: number;
  systems: number;
  locations: number;
  existingProgram: ExistingProgram;
}

export type DriverId = 'headcount' | 'systems' | 'locations' | 'categories' | 'window' | 'reuse';

export interface EstimateDriver {
  id: DriverId;
  label: string;
  /** Plain sentence for the page, e.g. '+10% to +16% for two extra categories …'. */
  effect: string;
  /** Factors applied to the low and high ends of the cost range. */
  multiplierLow: number;
  multiplierHigh: number;
  /** Factors applied to the readiness phase (the part of the timeline scope changes most). */
  readinessMultiplierLow: number;
  readinessMultiplierHigh: number;
}

export type SourceKind = RowKind;
export type EstimateSource = SourceRow;
export type { PhaseId };

export interface EstimatePhase {
  id: PhaseId;
  label: string;
  lowWeeks: number;
  highWeeks: number;
  /** Names of the rows in `sources` behind this phase (never empty). */
  sourceNames: string[];
}

/**
 * How far an output may go above the highest figure its sources give: 1, so never above it.
 * Our driver effects are assumptions; letting them carry a range past every published figure
 * would present a guess as a finding.
 */
export const ESTIMATE_BOUND_FACTOR = 1;
export const BEYOND_PUBLISHED = 'Beyond the published ranges — quotes vary widely';

export interface EstimateBound {
  /** within: inside what the sources support; beyond: the scope pushes past it; no-figure: we hold none. */
  status: 'within' | 'beyond' | 'no-figure';
  /** The highest figure the range may reach (USD or weeks); null with no figure. */
  ceiling: number | null;
  message: string | null;
}

export const ESTIMATE_LABEL = 'Estimate — quotes vary';

export interface Estimate {
  framework: EstimateFramework;
  /** The SOC 2 variant used (absent for ISO frameworks). */
  variant?: SocVariant;
  /** The window used after clamping (SOC 2 Type II only). */
  windowMonths?: number;
  /**
   * Audit fees only: the firm's or certification body's fee, not software or staff time.
   * Null when no published fee figure for this framework passes our source policy.
   */
  cost: { lowUsd: number; highUsd: number } | null;
  timeline: { lowWeeks: number; highWeeks: number };
  bounds: { cost: EstimateBound; timeline: EstimateBound };
  /** Things the buyer should know about this estimate (transition, missing figures). */
  notes: string[];
  /**
   * Said beside a range that rests on figures only one publisher gives ("One publisher's
   * estimate: …", with the publisher and the date we hold); null when two or more publishers,
   * or none at all, stand behind it (docs/source-policy.md).
   */
  singlePublisher: { cost: string | null; timeline: string | null };
  drivers: EstimateDriver[];
  sources: EstimateSource[];
  phases: EstimatePhase[];
  label: typeof ESTIMATE_LABEL;
}

// ---------------------------------------------------------------------------
// Scope drivers. Sensiba names the drivers; the sizes of their effects on the fee are ours, and
// the published ceiling caps whatever they add up to.

interface Factors {
  cost: Range;
  readiness: Range;
}

const COST_BY_BAND: Record<SizeBand, Range> = {
  '1-10': { low: 0.8, high: 0.85 },
  '11-50': { low: 1, high: 1 },
  '51-200': { low: 1.15, high: 1.25 },
  '201-1000': { low: 1.35, high: 1.6 },
  '1000+': { low: 1.6, high: 2 },
};
const COST_PER_CATEGORY: Record<Exclude<TscCategory, 'security'>, Range> = {
  availability: { low: 0.05, high: 0.08 },
  confidentiality: { low: 0.05, high: 0.08 },
  'processing-integrity': { low: 0.07, high: 0.1 },
  privacy: { low: 0.12, high: 0.2 },
};
/** A longer window means more samples to test; the base is the 3-month first window. */
const COST_PER_EXTRA_WINDOW_MONTH: Range = { low: 0.02, high: 0.03 };

/**
 * Counted scope beyond the base (systems, locations): each extra one adds a share of the fee and
 * of readiness, up to a cap. One row per driver; `estimate` runs them all through one path.
 */
interface CountDriver {
  id: 'systems' | 'locations';
  label: string;
  base: number;
  costPer: Range;
  costCap: Range;
  readinessPer: Range;
  readinessCap: Range;
  /** The sentence when the count is within the base range. */
  noChange: string;
  /** The scope words after the percentage, e.g. 'for 9 systems in scope (the base range covers 5)'. */
  scopeWords: (n: number) => string;
}

const COUNT_DRIVERS: readonly CountDriver[] = [
  {
    id: 'systems',
    label: 'Systems in scope',
    base: BASE_SYSTEMS,
    costPer: { low: 0.02, high: 0.04 },
    costCap: { low: 0.4, high: 0.8 },
    readinessPer: READINESS_PER_EXTRA_SYSTEM,
    readinessCap: READINESS_SYSTEMS_CAP,
    noChange: `No change: up to ${BASE_SYSTEMS} systems are in the base range.`,
    scopeWords: (n) => `for ${n} systems in scope (the base range covers ${BASE_SYSTEMS})`,
  },
  {
    id: 'locations',
    label: 'Locations',
    base: BASE_LOCATIONS,
    costPer: { low: 0.05, high: 0.1 },
    costCap: { low: 0.5, high: 1 },
    readinessPer: READINESS_PER_EXTRA_LOCATION,
    readinessCap: READINESS_LOCATIONS_CAP,
    noChange: 'No change: one location is in the base range.',
    scopeWords: (n) => `for ${count(n, 'location', 'locations')} (the base range covers one)`,
  },
];

const CATEGORY_LABELS: Record<TscCategory, string> = {
  security: 'Security',
  availability: 'Availability',
  confidentiality: 'Confidentiality',
  'processing-integrity': 'Processing Integrity',
  privacy: 'Privacy',
};
const CATEGORY_ORDER: readonly Exclude<TscCategory, 'security'>[] = [
  'availability',
  'confidentiality',
  'processing-integrity',
  'privacy',
];

const FIRM_TYPE_WORDS: Record<string, string> = {
  big4: 'Big 4 firms',
  national: 'national firms',
  specialised: 'specialised firms',
  boutique: 'boutique firms',
};

/** Every published SOC 2 audit-fee figure: their top is the ceiling of any SOC 2 fee we show. */
const SOC2_ALL_FEES: readonly Figure[] = [
  ...SOC2_FEE.typeI,
  ...SOC2_FEE.typeII,
  ...SOC2_FEE.overall,
  ...SOC2_FEE.byFirmType,
];
export const SOC2_FEE_CEILING_USD = envelope(SOC2_ALL_FEES).high * ESTIMATE_BOUND_FACTOR;

// ---------------------------------------------------------------------------
// What the estimator holds per framework: one table, read by one code path.

/** Published figures shown beside the estimate, under one description. */
interface RowGroup {
  figures: readonly Figure[];
  figure: string;
  /** A description per row where the rows differ (one per firm type); undefined keeps `figure`. */
  names?: readonly (string | undefined)[];
  /** True when the figures feed the numbers; false when shown for comparison only. */
  used: boolean;
}

interface FrameworkEstimateData {
  /** Report variants and the one assumed when none is given; null for a framework without. */
  variants: { default: SocVariant } | null;
  /** The variant with an observation window (its length is a driver); null when none has one. */
  windowVariant: SocVariant | null;
  /** Whether the Trust Services Categories are a driver. */
  categories: boolean;
  /**
   * The published audit-fee figures the base range comes from, per variant ('any' without
   * variants), and the highest fee any of the framework's figures reaches. Null when no fee
   * figure meets the source policy: the estimate then shows none and says `missingFee`.
   */
  fee: {
    base: Partial<Record<SocVariant | 'any', RowGroup>>;
    ceilingUsd: number;
  } | null;
  missingFee: string | null;
  /** Rows shown after the base rows: the figures behind the ceiling, or ones for comparison. */
  rows: readonly RowGroup[];
  /** The fee for a renewal or on top of another program (assumptions; at most 1). */
  feeReuse: Partial<Record<ExistingProgram, Range>>;
}

const SOC2_REUSE: Range = { low: 0.8, high: 0.95 };

export const ESTIMATE_DATA: Readonly<Record<EstimateFramework, FrameworkEstimateData>> = {
  soc2: {
    variants: { default: 'type2' },
    windowVariant: 'type2',
    categories: true,
    fee: {
      base: {
        type1: {
          figures: SOC2_FEE.typeI,
          figure: 'SOC 2 Type I audit fee, our base for 11–50 people',
          used: true,
        },
        type2: {
          figures: SOC2_FEE.typeII,
          figure: 'SOC 2 Type II audit fee, our base for 11–50 people',
          used: true,
        },
      },
      ceilingUsd: SOC2_FEE_CEILING_USD,
    },
    missingFee: null,
    rows: [
      {
        figures: [...SOC2_FEE.overall, ...SOC2_FEE.byFirmType],
        figure: 'SOC 2 audit fee across firms and company sizes; the top of these is our ceiling',
        names: [
          ...SOC2_FEE.overall.map(() => undefined),
          ...SOC2_FEE.byFirmType.map(
            (f) => `SOC 2 audit fee, ${FIRM_TYPE_WORDS[f.firmType] ?? f.firmType}`,
          ),
        ],
        used: true,
      },
    ],
    feeReuse: { soc2: SOC2_REUSE, both: SOC2_REUSE, iso27001: { low: 0.9, high: 1 } },
  },
  iso42001: {
    variants: null,
    windowVariant: null,
    categories: false,
    fee: null,
    missingFee:
      'We hold no published figure for the certification body’s ISO 42001 fee that meets our source policy, so we show none: quotes vary widely. The one all-in figure we hold is shown for comparison.',
    rows: [
      {
        figures: ISO42001_FIGURES.firstYearAllIn,
        figure:
          'ISO 42001 first year all in (readiness, tools and audits; not the audit fee alone)',
        used: false,
      },
      {
        figures: ISO42001_FIGURES.yearlyAfter,
        figure: 'ISO 42001 each later year, all in',
        used: false,
      },
    ],
    feeReuse: {},
  },
  iso27001: {
    variants: null,
    windowVariant: null,
    categories: false,
    fee: null,
    missingFee:
      'We hold no published ISO 27001 fee figure that meets our source policy, and we do not borrow one from another standard, so we show none: quotes vary widely.',
    rows: [],
    feeReuse: {},
  },
};

// ---------------------------------------------------------------------------
// Helpers.

function normaliseCount(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`estimate: ${what} must be a finite number`);
  // Fewer than one means "just us"; fractions make no sense for people, systems or sites.
  return Math.max(1, Math.floor(value));
}

const roundUsd = (usd: number): number => Math.round(usd / 500) * 500;

function percent(multiplier: number): string {
  const p = Math.round((multiplier - 1) * 100);
  if (p === 0) return '0%';
  return p > 0 ? `+${p}%` : `−${-p}%`;
}

/** '+10% to +16%', '−20% to −15%', '+5%' or 'No change'. */
function change(low: number, high: number): string {
  const a = percent(low);
  const b = percent(high);
  if (a === '0%' && b === '0%') return 'No change';
  return a === b ? a : `${a} to ${b}`;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
function count(n: number, singular: string, plural: string): string {
  return `${NUMBER_WORDS[n] ?? String(n)} ${n === 1 ? singular : plural}`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function extra(n: number, per: Range, cap: Range): Range {
  return { low: 1 + Math.min(cap.low, per.low * n), high: 1 + Math.min(cap.high, per.high * n) };
}

function driver(id: DriverId, label: string, effect: string, f: Factors): EstimateDriver {
  return {
    id,
    label,
    effect,
    multiplierLow: f.cost.low,
    multiplierHigh: f.cost.high,
    readinessMultiplierLow: f.readiness.low,
    readinessMultiplierHigh: f.readiness.high,
  };
}

const ONE: Range = { low: 1, high: 1 };

/** A range held under its ceiling, and whether the scope pushed past it. */
function bounded(raw: Range, ceiling: number): { range: Range; beyond: boolean } {
  return {
    range: { low: Math.min(raw.low, ceiling), high: Math.min(raw.high, ceiling) },
    beyond: raw.high > ceiling,
  };
}

const usdWords = (n: number) => `$${n.toLocaleString('en-US')}`;

function groupRows(g: RowGroup): EstimateSource[] {
  return publishedRows(g.figures, g.figure, 'usd', g.used).map((r, i) => {
    const name = g.names?.[i];
    return name === undefined ? r : { ...r, figure: name };
  });
}

interface Fee {
  base: Range | null;
  ceiling: number | null;
  rows: EstimateSource[];
  /** Said when there is no base. */
  missing: string | null;
}

/** The fee figures for a framework and variant, read from its row in ESTIMATE_DATA. */
function feeOf(data: FrameworkEstimateData, variant: SocVariant | undefined): Fee {
  const base = data.fee?.base[variant ?? 'any'];
  return {
    base: base ? envelope(base.figures) : null,
    ceiling: base ? (data.fee?.ceilingUsd ?? null) : null,
    rows: [...(base ? groupRows(base) : []), ...data.rows.flatMap(groupRows)],
    missing: data.missingFee,
  };
}

// ---------------------------------------------------------------------------
// The estimator.

export function estimate(input: EstimateInput): Estimate {
  const headcount = normaliseCount(input.headcount, 'headcount');
  const counts: Record<CountDriver['id'], number> = {
    systems: normaliseCount(input.systems, 'systems'),
    locations: normaliseCount(input.locations, 'locations'),
  };
  const data = ESTIMATE_DATA[input.framework];
  const variant: SocVariant | undefined = data.variants
    ? (input.variant ?? data.variants.default)
    : undefined;
  const windowMonths =
    variant !== undefined && variant === data.windowVariant
      ? clampWindow(input.windowMonths)
      : undefined;
  const startingPoint = startingPointOf(input.existingProgram);
  const model = timelineModel(input.framework, {
    ...(variant === undefined ? {} : { variant }),
    windowMonths: windowMonths ?? DEFAULT_WINDOW_MONTHS,
    startingPoint,
  });
  const fee = feeOf(data, variant);
  const notes: string[] = [];

  const drivers: EstimateDriver[] = [];
  const band = sizeBandFor(headcount);
  const bandWords = (b: SizeBand): string => b.replace('-', '–');
  const bandFactors: Factors = { cost: COST_BY_BAND[band], readiness: READINESS_BY_BAND[band] };
  drivers.push(
    driver(
      'headcount',
      'People in scope',
      band === BASE_BAND
        ? `No change: ${bandWords(band)} people is the size the base range assumes.`
        : `${change(bandFactors.cost.low, bandFactors.cost.high)} for ${bandWords(band)} people in scope (the base range assumes ${bandWords(BASE_BAND)}).`,
      bandFactors,
    ),
  );

  for (const d of COUNT_DRIVERS) {
    const n = counts[d.id];
    const extras = Math.max(0, n - d.base);
    const f: Factors = {
      cost: extra(extras, d.costPer, d.costCap),
      readiness: extra(extras, d.readinessPer, d.readinessCap),
    };
    drivers.push(
      driver(
        d.id,
        d.label,
        extras === 0 ? d.noChange : `${change(f.cost.low, f.cost.high)} ${d.scopeWords(n)}.`,
        f,
      ),
    );
  }

  if (data.categories) {
    const chosen = new Set(input.categories ?? []);
    const extras = CATEGORY_ORDER.filter((c) => chosen.has(c));
    const f: Factors = { cost: { ...ONE }, readiness: { ...ONE } };
    for (const c of extras) {
      f.cost.low += COST_PER_CATEGORY[c].low;
      f.cost.high += COST_PER_CATEGORY[c].high;
      f.readiness.low += READINESS_PER_CATEGORY[c].low;
      f.readiness.high += READINESS_PER_CATEGORY[c].high;
    }
    drivers.push(
      driver(
        'categories',
        'Trust Services Categories',
        extras.length === 0
          ? 'No change: Security only, the scope the base range assumes.'
          : `${change(f.cost.low, f.cost.high)} for ${count(extras.length, 'extra category', 'extra categories')} beyond Security (${listWords(extras.map((c) => CATEGORY_LABELS[c]))}).`,
        f,
      ),
    );
  }

  if (windowMonths !== undefined) {
    const extraMonths = windowMonths - MIN_WINDOW_MONTHS;
    const f: Factors = {
      cost: {
        low: 1 + COST_PER_EXTRA_WINDOW_MONTH.low * extraMonths,
        high: 1 + COST_PER_EXTRA_WINDOW_MONTH.high * extraMonths,
      },
      readiness: ONE,
    };
    const weeks = monthsToWeeks(windowMonths);
    drivers.push(
      driver(
        'window',
        'Observation window',
        extraMonths === 0
          ? `No change to the fee for a ${windowMonths}-month window, the usual first one; the window itself adds ${weeks} weeks.`
          : `${change(f.cost.low, f.cost.high)} for a ${windowMonths}-month window (more to sample than the 3-month base); the window itself adds ${weeks} weeks.`,
        f,
      ),
    );
  }

  // Readiness shrinks in the timeline model itself; here only the fee and the sentence.
  const feeReuse = data.feeReuse[input.existingProgram] ?? ONE;
  const reuseEffect =
    input.existingProgram === 'iso27001-2013'
      ? 'A certificate to the 2013 edition of ISO 27001 stopped counting when the transition ended on 31 October 2025, so it saves nothing our sources measure; your management system still helps, and the certification body treats the move to the 2022 edition as a new certification.'
      : (model.startingPointEffect ??
        'No existing program to build on: the full readiness work is included.');
  drivers.push(
    driver(
      'reuse',
      'Where you start',
      feeReuse === ONE
        ? reuseEffect
        : `${reuseEffect} Fee: ${change(feeReuse.low, feeReuse.high)}.`,
      { cost: feeReuse, readiness: ONE },
    ),
  );
  if (input.existingProgram === 'iso27001-2013') notes.push(reuseEffect);

  // Cost: the drivers on the base, held under the published ceiling.
  let cost: Estimate['cost'] = null;
  let costBound: EstimateBound = { status: 'no-figure', ceiling: null, message: fee.missing };
  if (fee.base && fee.ceiling !== null) {
    const raw = {
      low: drivers.reduce((v, d) => v * d.multiplierLow, fee.base.low),
      high: drivers.reduce((v, d) => v * d.multiplierHigh, fee.base.high),
    };
    const b = bounded(raw, fee.ceiling);
    cost = { lowUsd: roundUsd(b.range.low), highUsd: roundUsd(b.range.high) };
    costBound = b.beyond
      ? {
          status: 'beyond',
          ceiling: fee.ceiling,
          message: `${BEYOND_PUBLISHED}: this scope reaches past ${usdWords(fee.ceiling)}, the highest fee our sources publish, so we show nothing above it.`,
        }
      : { status: 'within', ceiling: fee.ceiling, message: null };
  }

  // Timeline: the model's phases, readiness scaled by scope and held under its ceiling.
  const readinessLow = drivers.reduce((v, d) => v * d.readinessMultiplierLow, 1);
  const readinessHigh = drivers.reduce((v, d) => v * d.readinessMultiplierHigh, 1);
  let timelineBeyond = false;
  const phases: EstimatePhase[] = model.phases.map((p) => {
    let range: Range = { low: p.low, high: p.high };
    if (p.scalable) {
      range = { low: p.low * readinessLow, high: p.high * readinessHigh };
      if (model.readinessCeiling !== null) {
        const b = bounded(range, model.readinessCeiling);
        range = b.range;
        timelineBeyond ||= b.beyond;
      }
    }
    return {
      id: p.id,
      label: p.label,
      lowWeeks: Math.round(range.low),
      highWeeks: Math.round(range.high),
      sourceNames: unique(p.sources.map((s) => s.name)),
    };
  });
  const timeline = {
    lowWeeks: phases.reduce((s, p) => s + p.lowWeeks, 0),
    highWeeks: phases.reduce((s, p) => s + p.highWeeks, 0),
  };
  const timelineCeiling =
    model.readinessCeiling === null
      ? null
      : model.phases.reduce(
          (s, p) => s + (p.scalable ? (model.readinessCeiling ?? 0) : Math.round(p.high)),
          0,
        );
  const timelineBound: EstimateBound = !model.readinessEstimated
    ? { status: 'no-figure', ceiling: null, message: model.startingPointEffect }
    : timelineBeyond
      ? {
          status: 'beyond',
          ceiling: timelineCeiling,
          message: `${BEYOND_PUBLISHED}: preparing a scope this size can take longer than our sources cover, so the timeline stops at ${timelineCeiling} weeks.`,
        }
      : { status: 'within', ceiling: timelineCeiling, message: null };

  const sources = dedupeSources([...fee.rows, ...model.phases.flatMap((p) => p.sources)]);
  const singlePublisher = {
    cost: cost ? singlePublisherLabel(fee.rows) : null,
    timeline: singlePublisherLabel(model.phases.flatMap((p) => p.sources)),
  };

  return {
    framework: input.framework,
    ...(variant === undefined ? {} : { variant }),
    ...(windowMonths === undefined ? {} : { windowMonths }),
    cost,
    timeline,
    bounds: { cost: costBound, timeline: timelineBound },
    notes,
    singlePublisher,
    drivers,
    sources,
    phases,
    label: ESTIMATE_LABEL,
  };
}

export const ONE_PUBLISHER = "One publisher's estimate";

/** 'One publisher's estimate: Strac, SOC 2 cost guide (read November 2026)', or null. */
function singlePublisherLabel(rows: readonly EstimateSource[]): string | null {
  const named = unique(
    rows
      .filter((r) => r.usedInEstimate && r.kind === 'single-publisher')
      .map((r) => (r.date ? `${r.name} (${r.date})` : r.name)),
  );
  return named.length === 0 ? null : `${ONE_PUBLISHER}: ${named.join('; ')}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function dedupeSources(rows: readonly EstimateSource[]): EstimateSource[] {
  const seen = new Set<string>();
  const out: EstimateSource[] = [];
  for (const r of rows) {
    const key = `${r.name}|${r.figure}|${r.unit}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Price index from real quotes (journey 6).

/** Fewer quotes than this could identify a firm's price, and the median would be noise. */
export const PRICE_INDEX_MIN_QUOTES = 5;

export interface PriceIndex {
  median: number;
  p25: number;
  p75: number;
  count: number;
}

/**
 * Quartiles by linear interpolation between order statistics (the common "inclusive" method),
 * so the numbers match what a spreadsheet shows for the same quotes. `at(i)` is the i-th
 * smallest quote.
 */
function quantile(at: (i: number) => number, count: number, p: number): number {
  const pos = (count - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = at(lo);
  const b = at(hi);
  return a + (b - a) * (pos - lo);
}

export function priceIndex(quotes: readonly number[]): PriceIndex | null {
  const counts = new Map<number, number>();
  for (const q of quotes) counts.set(q, (counts.get(q) ?? 0) + 1);
  return priceIndexOfCounts(counts);
}

/**
 * The index over quotes given as how many stand at each total (the rollup's shape, ADR 0028):
 * the same figures as listing each quote, at the cost of the distinct totals.
 */
export function priceIndexOfCounts(counts: ReadonlyMap<number, number>): PriceIndex | null {
  // A zero, negative or non-numeric quote is a data error, not a price: it must not count
  // towards the minimum sample size.
  const totals = [...counts]
    .filter(([q, n]) => Number.isFinite(q) && q > 0 && n > 0)
    .sort((a, b) => a[0] - b[0]);
  const count = totals.reduce((sum, [, n]) => sum + n, 0);
  if (count < PRICE_INDEX_MIN_QUOTES) return null;
  // Where each distinct total's run of quotes ends, for finding the i-th smallest quote.
  const ends: number[] = [];
  let end = 0;
  for (const [, n] of totals) {
    end += n;
    ends.push(end);
  }
  const at = (i: number): number => {
    let lo = 0;
    let hi = totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return totals[lo]![0];
  };
  return {
    median: quantile(at, count, 0.5),
    p25: quantile(at, count, 0.25),
    p75: quantile(at, count, 0.75),
    count,
  };
}
