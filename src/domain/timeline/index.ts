/**
 * The timeline model: how long a first report or certificate takes, phase by phase, from the
 * buyer's starting point. One model for the whole product: the estimator shows its ranges, and
 * the matcher's timing rule and the buyer's "needed by" check use its fastest path, so the
 * site never says a date can be met in one place and cannot in another.
 *
 * Phases come from published figures where we hold them (src/data/market-facts.json) and are
 * otherwise our labelled assumptions. No phase grows past the top of its sources: a scope that
 * would push it further is marked as beyond the published ranges instead (ADR 0013).
 *
 * Pure: no I/O; "today" is always an argument.
 */
import { addDays, dayNumber, type IsoDate, longDate } from '../matching/dates';
import {
  assumptionRow,
  envelope,
  ISO42001_FIGURES,
  inWeeks,
  monthsToWeeks,
  publishedRows,
  SOC2_TIMELINE,
  type SourceRow,
} from '../market';
import {
  DEFAULT_STARTING_POINT,
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  type SizeBand,
  type StartingPoint,
  sizeBandFor,
  STARTING_POINT_LABELS,
  type TscCategory,
} from '../vocabulary';

export type PhaseId =
  | 'readiness'
  | 'type1'
  | 'window'
  | 'report'
  | 'stage1'
  | 'stage2'
  | 'certificate'
  | 'assessment';

export interface Range {
  low: number;
  high: number;
}

export interface ModelPhase extends Range {
  id: PhaseId;
  label: string;
  /** Only readiness stretches with scope and shrinks with what the buyer already holds. */
  scalable: boolean;
  sources: SourceRow[];
}

export interface TimelineModel {
  framework: FrameworkId;
  phases: ModelPhase[];
  /** False when we hold no figure for the work before the audit: the phases are the audit alone. */
  readinessEstimated: boolean;
  /** The top of what the sources support for the readiness phase from this starting point. */
  readinessCeiling: number | null;
  /** What the starting point does to readiness, in a sentence; null from scratch. */
  startingPointEffect: string | null;
}

// ---------------------------------------------------------------------------
// Our assumptions. Each appears as an 'assumption' row wherever it is used.

/** SOC 2 readiness from scratch for a base scope, and the most any scope is given. */
const SOC2_READINESS_WEEKS: Range = { low: 8, high: 16 };
const SOC2_READINESS_CEILING_WEEKS = 26;
/**
 * Auditor fieldwork: for a Type I the examination itself, for a Type II the testing once the
 * window closes. With the report (Vanta, 4–6 weeks) its low end gives the 6-week minimum the
 * matcher has always used.
 */
const SOC2_FIELDWORK_WEEKS: Range = { low: 2, high: 3 };
/** ISO stage audits under ISO/IEC 17021-1; their low ends add up to the 8-week minimum. */
const ISO_STAGE1_WEEKS: Range = { low: 1, high: 2 };
const ISO_STAGE2_WEEKS: Range = { low: 3, high: 6 };
const ISO_CERTIFICATE_WEEKS: Range = { low: 4, high: 6 };

/** The shortest audit of frameworks the estimator does not cover, by variant. */
const AUDIT_ONLY_WEEKS: Partial<
  Record<FrameworkId, { any: number; variants: Record<string, number> }>
> = {
  /** SOC 1 follows the SOC 2 pattern (same attestation standards). */
  soc1: { any: 6, variants: { type1: 6, type2: 19 } },
  iso27701: { any: 8, variants: {} },
  /** A third-party assessment against the Security Rule; no certificate to issue. */
  hipaa: { any: 4, variants: {} },
  /** A QSA's Report on Compliance, or a self-assessment questionnaire completed with help. */
  'pci-dss': { any: 3, variants: { roc: 8, saq: 3 } },
  /** Validated assessment plus HITRUST's own quality review before it certifies. */
  hitrust: { any: 8, variants: { e1: 8, i1: 12, r2: 16 } },
};

/** SOC 2 Type II windows: market practice, not an AICPA rule (two publishers agree). */
export const MIN_WINDOW_MONTHS = envelope(SOC2_TIMELINE.windowMonths).low;
export const MAX_WINDOW_MONTHS = envelope(SOC2_TIMELINE.windowMonths).high;
export const DEFAULT_WINDOW_MONTHS = SOC2_TIMELINE.firstAuditWindowMonths;

export function clampWindow(months: number | undefined): number {
  const m = months === undefined || !Number.isFinite(months) ? DEFAULT_WINDOW_MONTHS : months;
  return Math.min(MAX_WINDOW_MONTHS, Math.max(MIN_WINDOW_MONTHS, Math.round(m)));
}

// ---------------------------------------------------------------------------
// What scope does to readiness. The sizes of these effects are our assumptions (Sensiba names
// the drivers); the base scope is 11–50 people, five systems, one location, Security only.

export const BASE_BAND: SizeBand = '11-50';
export const BASE_SYSTEMS = 5;
export const BASE_LOCATIONS = 1;

export const READINESS_BY_BAND: Record<SizeBand, Range> = {
  '1-10': { low: 0.85, high: 0.9 },
  '11-50': { low: 1, high: 1 },
  '51-200': { low: 1.1, high: 1.2 },
  '201-1000': { low: 1.2, high: 1.4 },
  '1000+': { low: 1.3, high: 1.6 },
};
export const READINESS_PER_EXTRA_SYSTEM: Range = { low: 0.01, high: 0.02 };
export const READINESS_SYSTEMS_CAP: Range = { low: 0.2, high: 0.4 };
export const READINESS_PER_EXTRA_LOCATION: Range = { low: 0.02, high: 0.05 };
export const READINESS_LOCATIONS_CAP: Range = { low: 0.2, high: 0.5 };
export const READINESS_PER_CATEGORY: Record<Exclude<TscCategory, 'security'>, Range> = {
  availability: { low: 0.03, high: 0.04 },
  confidentiality: { low: 0.03, high: 0.04 },
  'processing-integrity': { low: 0.04, high: 0.05 },
  // Privacy brings 18 criteria, the others 2–5 each.
  privacy: { low: 0.06, high: 0.1 },
};

/** Readiness left from each starting point, as a share of a first-time effort (assumptions). */
const READINESS_SHARE: Record<
  'soc2' | 'iso42001',
  Partial<Record<StartingPoint, Range & { effect: string }>>
> = {
  soc2: {
    'holds-soc2': {
      low: 0,
      high: 0.25,
      effect: 'You already have a SOC 2, so this is a renewal and little readiness work is left.',
    },
    'holds-iso27001': {
      low: 0.4,
      high: 0.7,
      effect: 'Your ISO 27001 controls and evidence carry over, which shortens readiness.',
    },
    'holds-both': {
      low: 0,
      high: 0.25,
      effect: 'You already have a SOC 2, so this is a renewal and little readiness work is left.',
    },
  },
  iso42001: {
    'holds-soc2': {
      low: 0.75,
      high: 0.9,
      effect:
        'Your SOC 2 controls cover much of the security ground; the AI management system itself is new work.',
    },
  },
};

// ---------------------------------------------------------------------------
// The model per framework.

function soc2Phases(variant: string | undefined, windowMonths: number): ModelPhase[] {
  const fieldwork = assumptionRow('auditor fieldwork', SOC2_FIELDWORK_WEEKS);
  const reportRows = publishedRows(
    SOC2_TIMELINE.reportWeeks,
    'weeks from the end of fieldwork to the report',
    'weeks',
    true,
  );
  const report = envelope(SOC2_TIMELINE.reportWeeks);
  const readiness: ModelPhase = {
    id: 'readiness',
    label: 'Readiness (gap assessment and fixes)',
    ...SOC2_READINESS_WEEKS,
    scalable: true,
    sources: [
      assumptionRow(
        `SOC 2 readiness from scratch, base scope (at most ${SOC2_READINESS_CEILING_WEEKS} weeks for any scope)`,
        SOC2_READINESS_WEEKS,
      ),
      ...publishedRows(
        SOC2_TIMELINE.chooseFirmWeeks,
        'weeks to choose an audit firm (runs during readiness)',
        'weeks',
        false,
      ),
    ],
  };
  if (variant === 'type1') {
    return [
      readiness,
      {
        id: 'type1',
        label: 'Type I examination (controls at one date)',
        ...SOC2_FIELDWORK_WEEKS,
        scalable: false,
        sources: [fieldwork],
      },
      { id: 'report', label: 'Report', ...report, scalable: false, sources: reportRows },
    ];
  }
  const windowWeeks = monthsToWeeks(windowMonths);
  return [
    readiness,
    {
      id: 'window',
      label: `Observation window (${windowMonths} months)`,
      low: windowWeeks,
      high: windowWeeks,
      scalable: false,
      sources: publishedRows(
        SOC2_TIMELINE.windowMonths.map(inWeeks),
        'usual Type II observation window (3–12 months; the AICPA sets no minimum)',
        'weeks',
        true,
      ),
    },
    {
      id: 'report',
      label: 'Fieldwork and report',
      low: SOC2_FIELDWORK_WEEKS.low + report.low,
      high: SOC2_FIELDWORK_WEEKS.high + report.high,
      scalable: false,
      sources: [fieldwork, ...reportRows],
    },
  ];
}

function isoAuditPhases(): ModelPhase[] {
  return [
    {
      id: 'stage1',
      label: 'Stage 1 audit (documents and readiness)',
      ...ISO_STAGE1_WEEKS,
      scalable: false,
      sources: [assumptionRow('stage 1 audit', ISO_STAGE1_WEEKS)],
    },
    {
      id: 'stage2',
      label: 'Stage 2 audit (the system in operation)',
      ...ISO_STAGE2_WEEKS,
      scalable: false,
      sources: [assumptionRow('closing stage 1 findings and the stage 2 audit', ISO_STAGE2_WEEKS)],
    },
    {
      id: 'certificate',
      label: 'Certification decision and certificate',
      ...ISO_CERTIFICATE_WEEKS,
      scalable: false,
      sources: [assumptionRow('certification decision', ISO_CERTIFICATE_WEEKS)],
    },
  ];
}

const sum = (phases: readonly Range[]): Range => ({
  low: phases.reduce((s, p) => s + p.low, 0),
  high: phases.reduce((s, p) => s + p.high, 0),
});

/**
 * ISO 42001 readiness is what is left of the published time from scratch once the audits are
 * taken out; holding ISO 27001 takes the published saving off both ends (the largest saving
 * off the shortest path, the smallest off the longest: the honest, wide reading).
 */
function iso42001Readiness(startingPoint: StartingPoint): {
  range: Range;
  ceiling: number;
  sources: SourceRow[];
  effect: string | null;
} {
  const total = envelope(ISO42001_FIGURES.monthsFromScratch.map(inWeeks));
  const audits = sum(isoAuditPhases());
  const fromScratch: Range = { low: total.low - audits.low, high: total.high - audits.high };
  const scratchRows = publishedRows(
    ISO42001_FIGURES.monthsFromScratch.map(inWeeks),
    'ISO 42001 from scratch to certificate (12–18 months)',
    'weeks',
    true,
  );
  if (startingPoint === 'holds-iso27001' || startingPoint === 'holds-both') {
    const saved = envelope(ISO42001_FIGURES.monthsSavedWithIso27001.map(inWeeks));
    return {
      range: {
        low: Math.max(0, fromScratch.low - saved.high),
        high: Math.max(0, fromScratch.high - saved.low),
      },
      ceiling: Math.max(0, fromScratch.high - saved.low),
      sources: [
        ...scratchRows,
        ...publishedRows(
          ISO42001_FIGURES.monthsSavedWithIso27001.map(inWeeks),
          'time saved when ISO 27001 is already in place (3–6 months)',
          'weeks',
          true,
        ),
      ],
      effect:
        'Your ISO 27001 management system carries over (the same clauses 4–10), so readiness is 3–6 months shorter and the body can audit both together.',
    };
  }
  const share = READINESS_SHARE.iso42001[startingPoint];
  return {
    range: share
      ? { low: fromScratch.low * share.low, high: fromScratch.high * share.high }
      : fromScratch,
    ceiling: fromScratch.high,
    sources: share
      ? [...scratchRows, assumptionRow(`readiness share: ${share.effect}`, share)]
      : scratchRows,
    effect: share?.effect ?? null,
  };
}

function auditOnlyPhase(framework: FrameworkId, variant: string | undefined): ModelPhase {
  const d = AUDIT_ONLY_WEEKS[framework] ?? { any: 8, variants: {} };
  const weeks = (variant !== undefined ? d.variants[variant] : undefined) ?? d.any;
  return {
    id: 'assessment',
    label: 'Audit or assessment',
    low: weeks,
    high: weeks,
    scalable: false,
    sources: [
      assumptionRow(`shortest ${FRAMEWORK_SHORT_NAMES[framework]} audit`, {
        low: weeks,
        high: weeks,
      }),
    ],
  };
}

const READY_EFFECT = 'Your controls already run, so only the audit is left.';
const NO_READINESS_FIGURE =
  'We hold no published figure for the work before this audit, so the timeline counts the audit alone; preparing for it comes on top.';

export function timelineModel(
  framework: FrameworkId,
  options: { variant?: string; windowMonths?: number; startingPoint?: StartingPoint } = {},
): TimelineModel {
  const startingPoint = options.startingPoint ?? DEFAULT_STARTING_POINT;
  const ready = startingPoint === 'ready-for-audit';
  if (framework === 'soc2') {
    const variant = options.variant ?? 'type2';
    const phases = soc2Phases(variant, clampWindow(options.windowMonths));
    const share = READINESS_SHARE.soc2[startingPoint];
    const [readiness, ...audit] = phases as [ModelPhase, ...ModelPhase[]];
    const scaled: ModelPhase = ready
      ? { ...readiness, low: 0, high: 0 }
      : share
        ? {
            ...readiness,
            low: readiness.low * share.low,
            high: readiness.high * share.high,
            sources: [
              ...readiness.sources,
              assumptionRow(`readiness share: ${share.effect}`, share),
            ],
          }
        : readiness;
    return {
      framework,
      phases: [scaled, ...audit],
      readinessEstimated: true,
      readinessCeiling: ready ? 0 : SOC2_READINESS_CEILING_WEEKS,
      startingPointEffect: ready ? READY_EFFECT : (share?.effect ?? null),
    };
  }
  if (framework === 'iso42001') {
    const r = iso42001Readiness(startingPoint);
    const readiness: ModelPhase = {
      id: 'readiness',
      label: 'Readiness (build the AI management system)',
      ...(ready ? { low: 0, high: 0 } : r.range),
      scalable: true,
      sources: r.sources,
    };
    return {
      framework,
      phases: [readiness, ...isoAuditPhases()],
      readinessEstimated: true,
      readinessCeiling: ready ? 0 : r.ceiling,
      startingPointEffect: ready ? READY_EFFECT : r.effect,
    };
  }
  if (framework === 'iso27001') {
    return {
      framework,
      phases: isoAuditPhases(),
      readinessEstimated: ready,
      readinessCeiling: null,
      startingPointEffect: ready ? READY_EFFECT : NO_READINESS_FIGURE,
    };
  }
  return {
    framework,
    phases: [auditOnlyPhase(framework, options.variant)],
    readinessEstimated: ready,
    readinessCeiling: null,
    startingPointEffect: ready ? READY_EFFECT : NO_READINESS_FIGURE,
  };
}

/** The shortest audit of a framework and variant, readiness excluded. */
export function minimumAuditWeeks(framework: FrameworkId, variant?: string): number {
  // No variant named: the quickest the framework allows (a SOC 2 Type 1).
  const v = variant ?? (framework === 'soc2' ? 'type1' : undefined);
  return timelineModel(framework, {
    ...(v === undefined ? {} : { variant: v }),
    startingPoint: 'ready-for-audit',
  })
    .phases.filter((p) => p.id !== 'readiness')
    .reduce((s, p) => s + p.low, 0);
}

/**
 * The fastest readiness for a scope: the model's low end, scaled by headcount only (the quote
 * form asks no more). The estimator gives the same number for a base scope of the same size.
 */
export function minimumReadinessWeeks(
  framework: FrameworkId,
  headcount: number,
  startingPoint: StartingPoint = DEFAULT_STARTING_POINT,
): number {
  const model = timelineModel(framework, { startingPoint });
  const readiness = model.phases.find((p) => p.id === 'readiness');
  if (!readiness) return 0;
  return Math.round(readiness.low * READINESS_BY_BAND[sizeBandFor(Math.max(1, headcount))].low);
}

// ---------------------------------------------------------------------------
// The buyer's date.

/** Said wherever a date that is not after today is refused: matcher, estimator and API. */
export const NEEDED_BY_NOT_FUTURE = 'must be a date after today';

export interface DeadlineRequest {
  framework: FrameworkId;
  variant?: string;
}

export interface DeadlineCheck {
  status: 'past' | 'too-soon' | 'ok';
  neededBy: IsoDate;
  /** The earliest realistic date for the slowest requested framework from the starting point. */
  earliest: IsoDate;
  /** Weeks of that fastest path. */
  fastestWeeks: number;
  /** A sentence for the buyer; null when the date can be met. */
  message: string | null;
}

/** Weeks of the fastest realistic path for one framework, readiness and audit together. */
export function fastestWeeks(
  request: DeadlineRequest,
  headcount: number,
  startingPoint: StartingPoint = DEFAULT_STARTING_POINT,
): number {
  return (
    minimumReadinessWeeks(request.framework, headcount, startingPoint) +
    minimumAuditWeeks(request.framework, request.variant)
  );
}

function auditName(r: DeadlineRequest): string {
  const name = FRAMEWORK_SHORT_NAMES[r.framework];
  if (r.variant === 'type1') return `${name} Type 1`;
  if (r.variant === 'type2') return `${name} Type 2`;
  return name;
}

export function checkDeadline(
  requests: readonly DeadlineRequest[],
  neededBy: IsoDate,
  today: IsoDate,
  headcount: number,
  startingPoint: StartingPoint = DEFAULT_STARTING_POINT,
): DeadlineCheck {
  const paths = requests.map((r) => ({ r, weeks: fastestWeeks(r, headcount, startingPoint) }));
  const slowest = paths.reduce(
    (a, b) => (b.weeks > a.weeks ? b : a),
    paths[0] ?? { r: requests[0]!, weeks: 0 },
  );
  const earliest = addDays(today, Math.round(slowest.weeks * 7));
  const base = { neededBy, earliest, fastestWeeks: slowest.weeks };
  if (dayNumber(neededBy) <= dayNumber(today)) {
    return { status: 'past', ...base, message: `The date needed by ${NEEDED_BY_NOT_FUTURE}.` };
  }
  if (neededBy >= earliest) return { status: 'ok', ...base, message: null };
  const from = STARTING_POINT_LABELS[startingPoint].toLowerCase();
  return {
    status: 'too-soon',
    ...base,
    message:
      `${longDate(neededBy, today)} is too soon for ${auditName(slowest.r)} from where you start (${from}): ` +
      `the fastest realistic path takes about ${slowest.weeks} weeks, so ${longDate(earliest, today)} at the earliest.`,
  };
}
