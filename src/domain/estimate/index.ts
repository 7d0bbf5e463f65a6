/**
 * Cost and timeline estimator (journey 4).
 *
 * Every number starts from a published figure in `src/data/market-facts.json` and is then
 * scaled by named drivers. Where our data has no published figure we say so in the source
 * list (kind 'derived' or 'assumption') instead of presenting a guess as a fact. The result
 * is always a range: the sources disagree, and a single number would promise a precision
 * no firm's quote will match.
 *
 * Pure functions only: no I/O, no clock, no randomness.
 */
import facts from '../../data/market-facts.json' with { type: 'json' };
import { type SizeBand, sizeBandFor, type TscCategory } from '../vocabulary';

export type EstimateFramework = 'soc2' | 'iso42001' | 'iso27001';
export type SocVariant = 'type1' | 'type2';
export type ExistingProgram = 'none' | 'soc2' | 'iso27001' | 'both';

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

export type SourceKind = 'published' | 'derived' | 'assumption';

export interface EstimateSource {
  name: string;
  url?: string;
  /** Short description of what the figure measures. */
  figure: string;
  low: number;
  high: number;
  /** 'usd' rows belong beside the cost bar, 'weeks' rows beside the timeline bar. */
  unit: 'usd' | 'weeks';
  /** published: a source's own figure; derived: our arithmetic on one; assumption: ours alone. */
  kind: SourceKind;
  /** True when the figure feeds our numbers; false when it is shown only for comparison. */
  usedInEstimate: boolean;
}

export type PhaseId =
  | 'readiness'
  | 'type1'
  | 'window'
  | 'report'
  | 'stage1'
  | 'stage2'
  | 'certificate';

export interface EstimatePhase {
  id: PhaseId;
  label: string;
  lowWeeks: number;
  highWeeks: number;
  /** Names of the rows in `sources` behind this phase (never empty). */
  sourceNames: string[];
}

export const ESTIMATE_LABEL = 'Estimate — quotes vary';

export interface Estimate {
  framework: EstimateFramework;
  /** The SOC 2 variant used (absent for ISO frameworks). */
  variant?: SocVariant;
  /** The window used after clamping (SOC 2 Type II only). */
  windowMonths?: number;
  /** Audit fees only: the firm's or certification body's fee, not software or staff time. */
  cost: { lowUsd: number; highUsd: number };
  timeline: { lowWeeks: number; highWeeks: number };
  drivers: EstimateDriver[];
  sources: EstimateSource[];
  phases: EstimatePhase[];
  label: typeof ESTIMATE_LABEL;
}

// ---------------------------------------------------------------------------
// Published figures, read once from the data file.

interface Figure {
  source: { name: string; url?: string };
  low: number;
  high: number;
}

/** The widest range the sources give together: we would rather be wide than falsely narrow. */
function envelope(figures: readonly Figure[]): { low: number; high: number } {
  if (figures.length === 0) throw new Error('market-facts: a base range needs at least one figure');
  return {
    low: Math.min(...figures.map((f) => f.low)),
    high: Math.max(...figures.map((f) => f.high)),
  };
}

const SOC2_TYPE1_FEE: readonly Figure[] = facts.soc2.auditFee.typeI;
const SOC2_TYPE2_FEE: readonly Figure[] = facts.soc2.auditFee.typeII;
const SOC2_OVERALL_FEE: readonly Figure[] = facts.soc2.auditFee.overall;
const SOC2_FEE_BY_FIRM = facts.soc2.auditFee.byFirmType;
const SOC2_WINDOW: readonly Figure[] = facts.soc2.timeline.typeIIWindowMonths;
const SOC2_REPORT_WEEKS: readonly Figure[] = facts.soc2.timeline.reportWeeksAfterFieldwork;
const SOC2_CHOOSE_FIRM_WEEKS: readonly Figure[] = facts.soc2.timeline.weeksToChooseFirm;
const ISO42001_CB_FEE: readonly Figure[] = facts.iso42001.auditFee.certificationBodyStage1And2;
const ISO42001_MONTHS: readonly Figure[] = facts.iso42001.timeline.monthsFromScratch;
const ISO42001_SAVED_WITH_27001: readonly Figure[] =
  facts.iso42001.timeline.monthsSavedWithIso27001;
const ISO42001_KICKOFF_WEEKS: readonly Figure[] = facts.iso42001.timeline.weeksFromKickoff;

/** First reports usually use the shortest window (Vanta), so that is our default. */
const DEFAULT_WINDOW_MONTHS = facts.soc2.timeline.typeIIWindowMonths[0]?.firstAudit ?? 3;
const MIN_WINDOW_MONTHS = 3;
const MAX_WINDOW_MONTHS = 12;

const WEEKS_PER_MONTH = 52 / 12;

// ---------------------------------------------------------------------------
// Our own assumptions. Each is named so it appears as an 'assumption' source row: the page
// must never pass these off as published figures.

const ASSUMPTION_SOURCE = 'Auditmatch assumption (no published figure in our data)';

/** SOC 2 readiness from scratch for the base scope. No source in our data gives this. */
const SOC2_READINESS_WEEKS = { low: 8, high: 16 };
/** Auditor fieldwork (a Type I date, or testing after a Type II window). */
const SOC2_FIELDWORK_WEEKS = { low: 1, high: 3 };
/** ISO stage audits; the stage 2 span includes closing stage 1 findings. */
const ISO_STAGE1_WEEKS = { low: 1, high: 2 };
const ISO_STAGE2_WEEKS = { low: 2, high: 6 };
const ISO_CERTIFICATE_WEEKS = { low: 2, high: 6 };
/**
 * ISO 27001 has no figure in our data. Both standards use the same two-stage audit under
 * ISO/IEC 17021-1, but ISO 42001 audits also need AI competence (ISO/IEC 42006) from a
 * smaller pool of auditors, so we assume ISO 27001 costs no more and perhaps 30% less.
 */
const ISO27001_FROM_42001_FEE = { low: 0.7, high: 1 };
/** Same reasoning for readiness: an ISMS has no AI-specific work (impact assessment, lifecycle). */
const ISO27001_FROM_42001_READINESS = { low: 0.75, high: 1 };

// ---------------------------------------------------------------------------
// Driver tables. Sensiba names the drivers; the sizes of their effects are our assumptions,
// kept modest and capped so the published ranges stay the anchor.

interface Factors {
  cost: { low: number; high: number };
  readiness: { low: number; high: number };
}

/** The published ranges are read as the cost for 11–50 people; other bands scale from there. */
const BASE_BAND: SizeBand = '11-50';
const HEADCOUNT_FACTORS: Record<SizeBand, Factors> = {
  '1-10': { cost: { low: 0.8, high: 0.85 }, readiness: { low: 0.85, high: 0.9 } },
  '11-50': { cost: { low: 1, high: 1 }, readiness: { low: 1, high: 1 } },
  '51-200': { cost: { low: 1.15, high: 1.25 }, readiness: { low: 1.1, high: 1.2 } },
  '201-1000': { cost: { low: 1.35, high: 1.6 }, readiness: { low: 1.2, high: 1.4 } },
  '1000+': { cost: { low: 1.6, high: 2 }, readiness: { low: 1.3, high: 1.6 } },
};

const BASE_SYSTEMS = 5;
const PER_EXTRA_SYSTEM: Factors = {
  cost: { low: 0.02, high: 0.04 },
  readiness: { low: 0.01, high: 0.02 },
};
const SYSTEMS_CAP: Factors = { cost: { low: 0.4, high: 0.8 }, readiness: { low: 0.2, high: 0.4 } };

const BASE_LOCATIONS = 1;
const PER_EXTRA_LOCATION: Factors = {
  cost: { low: 0.05, high: 0.1 },
  readiness: { low: 0.02, high: 0.05 },
};
const LOCATIONS_CAP: Factors = { cost: { low: 0.5, high: 1 }, readiness: { low: 0.2, high: 0.5 } };

/**
 * Extra Trust Services Categories, weighted by how much they add: Privacy brings 18 criteria,
 * the others 2–5 each (soc2-tsc.json), so Privacy weighs most.
 */
const CATEGORY_FACTORS: Record<Exclude<TscCategory, 'security'>, Factors> = {
  availability: { cost: { low: 0.05, high: 0.08 }, readiness: { low: 0.03, high: 0.04 } },
  confidentiality: { cost: { low: 0.05, high: 0.08 }, readiness: { low: 0.03, high: 0.04 } },
  'processing-integrity': { cost: { low: 0.07, high: 0.1 }, readiness: { low: 0.04, high: 0.05 } },
  privacy: { cost: { low: 0.12, high: 0.2 }, readiness: { low: 0.06, high: 0.1 } },
};
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

/** A longer window means more samples to test; the base is the 3-month first window. */
const PER_EXTRA_WINDOW_MONTH = { low: 0.02, high: 0.03 };

/**
 * Reuse of an existing program, per target framework. Every factor is at most 1, so reuse can
 * only lower or keep cost and time; 'both' takes the smaller factor of the two programs.
 * Only the ISO 42001 time saving on top of ISO 27001 is published (Regulome, 3–6 months);
 * the rest are our assumptions.
 */
interface Reuse {
  cost: { low: number; high: number };
  readiness: { low: number; high: number };
  effect: string;
  /** Published figures behind this reuse factor, shown with the readiness phase. */
  sources?: EstimateSource[];
}

const NO_REUSE: Reuse = {
  cost: { low: 1, high: 1 },
  readiness: { low: 1, high: 1 },
  effect: 'No existing program to build on: the full readiness work is included.',
};

// ---------------------------------------------------------------------------
// Helpers.

function normaliseCount(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`estimate: ${what} must be a finite number`);
  // Fewer than one means "just us"; fractions make no sense for people, systems or sites.
  return Math.max(1, Math.floor(value));
}

function clampWindow(months: number | undefined): number {
  const m = months === undefined || !Number.isFinite(months) ? DEFAULT_WINDOW_MONTHS : months;
  return Math.min(MAX_WINDOW_MONTHS, Math.max(MIN_WINDOW_MONTHS, Math.round(m)));
}

const roundUsd = (usd: number): number => Math.round(usd / 500) * 500;
const roundWeeks = (weeks: number): number => Math.round(weeks);
const monthsToWeeks = (months: number): number => Math.round(months * WEEKS_PER_MONTH);

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

function extraFactors(extra: number, per: Factors, cap: Factors): Factors {
  return {
    cost: {
      low: 1 + Math.min(cap.cost.low, per.cost.low * extra),
      high: 1 + Math.min(cap.cost.high, per.cost.high * extra),
    },
    readiness: {
      low: 1 + Math.min(cap.readiness.low, per.readiness.low * extra),
      high: 1 + Math.min(cap.readiness.high, per.readiness.high * extra),
    },
  };
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

function published(
  f: Figure,
  figure: string,
  unit: 'usd' | 'weeks',
  used: boolean,
): EstimateSource {
  return {
    name: f.source.name,
    ...(f.source.url === undefined ? {} : { url: f.source.url }),
    figure,
    low: f.low,
    high: f.high,
    unit,
    kind: 'published',
    usedInEstimate: used,
  };
}

function inWeeks(f: Figure): Figure {
  return { source: f.source, low: monthsToWeeks(f.low), high: monthsToWeeks(f.high) };
}

function assumption(figure: string, range: { low: number; high: number }): EstimateSource {
  return {
    name: ASSUMPTION_SOURCE,
    figure,
    low: range.low,
    high: range.high,
    unit: 'weeks',
    kind: 'assumption',
    usedInEstimate: true,
  };
}

// ---------------------------------------------------------------------------
// Per-framework base: fee range, phases and their sources, and the reuse table.

interface BasePhase {
  id: PhaseId;
  label: string;
  low: number;
  high: number;
  /** Only the readiness phase stretches with scope and shrinks with reuse. */
  scalable: boolean;
  sources: EstimateSource[];
}

interface Base {
  fee: { low: number; high: number };
  feeSources: EstimateSource[];
  phases: BasePhase[];
  /** Timeline figures shown for comparison only. */
  contextSources: EstimateSource[];
  reuse: Record<Exclude<ExistingProgram, 'none'>, Reuse>;
}

const FIRM_TYPE_WORDS: Record<string, string> = {
  big4: 'Big 4 firms',
  national: 'national firms',
  specialised: 'specialised firms',
  boutique: 'boutique firms',
};

function soc2Base(variant: SocVariant, windowMonths: number): Base {
  const readinessRows = [
    assumption('SOC 2 readiness from scratch, base scope', SOC2_READINESS_WEEKS),
    ...SOC2_CHOOSE_FIRM_WEEKS.map((f) =>
      published(f, 'weeks to choose an audit firm (runs during readiness)', 'weeks', false),
    ),
  ];
  const fieldwork = assumption('auditor fieldwork', SOC2_FIELDWORK_WEEKS);
  const reportRows = SOC2_REPORT_WEEKS.map((f) =>
    published(f, 'weeks from end of fieldwork to the report', 'weeks', true),
  );
  const report = envelope(SOC2_REPORT_WEEKS);
  const readiness: BasePhase = {
    id: 'readiness',
    label: 'Readiness (gap assessment and fixes)',
    ...SOC2_READINESS_WEEKS,
    scalable: true,
    sources: readinessRows,
  };

  const reuse: Base['reuse'] = {
    soc2: {
      cost: { low: 0.8, high: 0.95 },
      readiness: { low: 0, high: 0.25 },
      effect:
        'You already have a SOC 2, so this is a renewal: the firm knows your system and little readiness work is left.',
    },
    iso27001: {
      cost: { low: 0.9, high: 1 },
      readiness: { low: 0.4, high: 0.7 },
      effect:
        'Your ISO 27001 controls and evidence carry over, which shortens readiness; the CPA firm still tests every control, so the fee moves little.',
    },
    both: {
      cost: { low: 0.8, high: 0.95 },
      readiness: { low: 0, high: 0.25 },
      effect:
        'You already have a SOC 2 (and ISO 27001), so this is a renewal with little readiness work left.',
    },
  };

  if (variant === 'type1') {
    const fee = envelope(SOC2_TYPE1_FEE);
    return {
      fee,
      feeSources: SOC2_TYPE1_FEE.map((f) => published(f, 'SOC 2 Type I audit fee', 'usd', true)),
      phases: [
        readiness,
        {
          id: 'type1',
          label: 'Type I examination (controls at one date)',
          ...SOC2_FIELDWORK_WEEKS,
          scalable: false,
          sources: [fieldwork],
        },
        { id: 'report', label: 'Report', ...report, scalable: false, sources: reportRows },
      ],
      contextSources: [],
      reuse,
    };
  }

  const windowWeeks = monthsToWeeks(windowMonths);
  const fee = envelope(SOC2_TYPE2_FEE);
  return {
    fee,
    feeSources: [
      ...SOC2_TYPE2_FEE.map((f) => published(f, 'SOC 2 Type II audit fee', 'usd', true)),
      ...SOC2_OVERALL_FEE.map((f) =>
        published(f, 'SOC 2 audit fee across all kinds of firm', 'usd', false),
      ),
      ...SOC2_FEE_BY_FIRM.map((f) =>
        published(f, `SOC 2 audit fee, ${FIRM_TYPE_WORDS[f.firmType] ?? f.firmType}`, 'usd', false),
      ),
    ],
    phases: [
      readiness,
      {
        id: 'window',
        label: `Observation window (${windowMonths} months)`,
        low: windowWeeks,
        high: windowWeeks,
        scalable: false,
        sources: SOC2_WINDOW.map((f) =>
          published(inWeeks(f), 'usual Type II observation window (3–12 months)', 'weeks', true),
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
    ],
    contextSources: [],
    reuse,
  };
}

function isoAuditPhases(): BasePhase[] {
  const rows = (what: string, r: { low: number; high: number }) => [assumption(what, r)];
  return [
    {
      id: 'stage1',
      label: 'Stage 1 audit (documents and readiness)',
      ...ISO_STAGE1_WEEKS,
      scalable: false,
      sources: rows('stage 1 audit', ISO_STAGE1_WEEKS),
    },
    {
      id: 'stage2',
      label: 'Stage 2 audit (the system in operation)',
      ...ISO_STAGE2_WEEKS,
      scalable: false,
      sources: rows('closing stage 1 findings and the stage 2 audit', ISO_STAGE2_WEEKS),
    },
    {
      id: 'certificate',
      label: 'Certification decision and certificate',
      ...ISO_CERTIFICATE_WEEKS,
      scalable: false,
      sources: rows('certification decision', ISO_CERTIFICATE_WEEKS),
    },
  ];
}

/**
 * ISO 42001 readiness is what is left of Regulome's 12–18 months from scratch once the audit
 * phases are taken out, so the base scope's total lands exactly on the published range.
 */
function iso42001Readiness(): { low: number; high: number } {
  const total = envelope(ISO42001_MONTHS.map(inWeeks));
  const audits = isoAuditPhases();
  const auditLow = audits.reduce((s, p) => s + p.low, 0);
  const auditHigh = audits.reduce((s, p) => s + p.high, 0);
  return { low: total.low - auditLow, high: total.high - auditHigh };
}

function iso42001Base(): Base {
  const readiness = iso42001Readiness();
  const saved = envelope(ISO42001_SAVED_WITH_27001.map(inWeeks));
  // Pair the largest saving with the shortest readiness and the smallest with the longest:
  // the honest (wide) reading of "3–6 months saved".
  const with27001 = {
    low: Math.max(0, readiness.low - saved.high) / readiness.low,
    high: Math.max(0, readiness.high - saved.low) / readiness.high,
  };
  const fromScratch = ISO42001_MONTHS.map((f) =>
    published(inWeeks(f), 'ISO 42001 from scratch to certificate (12–18 months)', 'weeks', true),
  );
  const savedRows = ISO42001_SAVED_WITH_27001.map((f) =>
    published(
      inWeeks(f),
      'time saved when ISO 27001 is already in place (3–6 months)',
      'weeks',
      true,
    ),
  );
  return {
    fee: envelope(ISO42001_CB_FEE),
    feeSources: ISO42001_CB_FEE.map((f) =>
      published(f, 'ISO 42001 certification-body fees, stage 1 and stage 2', 'usd', true),
    ),
    phases: [
      {
        id: 'readiness',
        label: 'Readiness (build the AI management system)',
        ...readiness,
        scalable: true,
        sources: fromScratch,
      },
      ...isoAuditPhases(),
    ],
    contextSources: [
      ...ISO42001_KICKOFF_WEEKS.map((f) =>
        published(
          f,
          'ISO 42001 weeks from kickoff (a planning estimate; not used in ours)',
          'weeks',
          false,
        ),
      ),
    ],
    reuse: {
      iso27001: {
        cost: { low: 0.8, high: 0.95 },
        readiness: with27001,
        effect:
          'Your ISO 27001 management system carries over (same clause structure 4–10), so readiness is shorter (3–6 months saved, per Regulome) and the body can audit both together.',
        sources: savedRows,
      },
      soc2: {
        cost: { low: 0.9, high: 1 },
        readiness: { low: 0.75, high: 0.9 },
        effect:
          'Your SOC 2 controls cover much of the security ground; the AI management system itself is new work.',
      },
      both: {
        cost: { low: 0.8, high: 0.95 },
        readiness: with27001,
        effect:
          'Your ISO 27001 management system and SOC 2 controls carry over; the new work is the AI-specific part.',
        sources: savedRows,
      },
    },
  };
}

function iso27001Base(): Base {
  const stand = iso42001Base();
  const fee42001 = envelope(ISO42001_CB_FEE);
  const fee = {
    low: fee42001.low * ISO27001_FROM_42001_FEE.low,
    high: fee42001.high * ISO27001_FROM_42001_FEE.high,
  };
  const readiness42001 = iso42001Readiness();
  const readiness = {
    low: roundWeeks(readiness42001.low * ISO27001_FROM_42001_READINESS.low),
    high: roundWeeks(readiness42001.high * ISO27001_FROM_42001_READINESS.high),
  };
  const feeNote = ISO42001_CB_FEE.map((f) => f.source.name).join('; ');
  const timeNote = ISO42001_MONTHS.map((f) => f.source.name).join('; ');
  return {
    fee,
    feeSources: [
      {
        name: `No published ISO 27001 figure in our data; scaled from ISO 42001 certification-body fees (${feeNote})`,
        figure: `ISO 27001 stage 1 and 2 fees, taken as ${ISO27001_FROM_42001_FEE.low}–${ISO27001_FROM_42001_FEE.high} × the ISO 42001 fees`,
        low: roundUsd(fee.low),
        high: roundUsd(fee.high),
        unit: 'usd',
        kind: 'derived',
        usedInEstimate: true,
      },
      ...ISO42001_CB_FEE.map((f) =>
        published(
          f,
          'ISO 42001 (not ISO 27001) certification-body fees, used as a stand-in',
          'usd',
          true,
        ),
      ),
    ],
    phases: [
      {
        id: 'readiness',
        label: 'Readiness (build the information security management system)',
        ...readiness,
        scalable: true,
        sources: [
          {
            name: `No published ISO 27001 timeline in our data; scaled from ISO 42001 (${timeNote})`,
            figure: `ISO 27001 readiness, taken as ${ISO27001_FROM_42001_READINESS.low}–${ISO27001_FROM_42001_READINESS.high} × ISO 42001 readiness`,
            ...readiness,
            unit: 'weeks',
            kind: 'derived',
            usedInEstimate: true,
          },
          ...(stand.phases[0]?.sources ?? []),
        ],
      },
      ...isoAuditPhases(),
    ],
    contextSources: [],
    reuse: {
      iso27001: {
        cost: { low: 0.6, high: 0.8 },
        readiness: { low: 0, high: 0.25 },
        effect:
          'You already hold ISO 27001, so this is a recertification: a shorter audit on a system that is already running.',
      },
      soc2: {
        cost: { low: 0.9, high: 1 },
        readiness: { low: 0.5, high: 0.8 },
        effect:
          'Much of your SOC 2 control set maps onto ISO 27001 Annex A; the management system itself (scope, risk treatment, internal audit, management review) is new work.',
      },
      both: {
        cost: { low: 0.6, high: 0.8 },
        readiness: { low: 0, high: 0.25 },
        effect: 'You already hold ISO 27001 (and a SOC 2), so this is a recertification.',
      },
    },
  };
}

// ---------------------------------------------------------------------------
// The estimator.

export function estimate(input: EstimateInput): Estimate {
  const headcount = normaliseCount(input.headcount, 'headcount');
  const systems = normaliseCount(input.systems, 'systems');
  const locations = normaliseCount(input.locations, 'locations');
  const isSoc2 = input.framework === 'soc2';
  const variant: SocVariant | undefined = isSoc2 ? (input.variant ?? 'type2') : undefined;
  const windowMonths = variant === 'type2' ? clampWindow(input.windowMonths) : undefined;

  const base =
    input.framework === 'soc2'
      ? soc2Base(variant ?? 'type2', windowMonths ?? DEFAULT_WINDOW_MONTHS)
      : input.framework === 'iso42001'
        ? iso42001Base()
        : iso27001Base();

  const drivers: EstimateDriver[] = [];

  const band = sizeBandFor(headcount);
  const bandFactors = HEADCOUNT_FACTORS[band];
  const bandWords = (b: SizeBand): string => b.replace('-', '–');
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

  const extraSystems = Math.max(0, systems - BASE_SYSTEMS);
  const systemFactors = extraFactors(extraSystems, PER_EXTRA_SYSTEM, SYSTEMS_CAP);
  drivers.push(
    driver(
      'systems',
      'Systems in scope',
      extraSystems === 0
        ? `No change: up to ${BASE_SYSTEMS} systems are in the base range.`
        : `${change(systemFactors.cost.low, systemFactors.cost.high)} for ${systems} systems in scope (the base range covers ${BASE_SYSTEMS}).`,
      systemFactors,
    ),
  );

  const extraLocations = Math.max(0, locations - BASE_LOCATIONS);
  const locationFactors = extraFactors(extraLocations, PER_EXTRA_LOCATION, LOCATIONS_CAP);
  drivers.push(
    driver(
      'locations',
      'Locations',
      extraLocations === 0
        ? 'No change: one location is in the base range.'
        : `${change(locationFactors.cost.low, locationFactors.cost.high)} for ${count(locations, 'location', 'locations')} (the base range covers one).`,
      locationFactors,
    ),
  );

  if (isSoc2) {
    const chosen = new Set(input.categories ?? []);
    const extras = CATEGORY_ORDER.filter((c) => chosen.has(c));
    const f: Factors = {
      cost: { low: 1, high: 1 },
      readiness: { low: 1, high: 1 },
    };
    for (const c of extras) {
      const w = CATEGORY_FACTORS[c];
      f.cost.low += w.cost.low;
      f.cost.high += w.cost.high;
      f.readiness.low += w.readiness.low;
      f.readiness.high += w.readiness.high;
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
        low: 1 + PER_EXTRA_WINDOW_MONTH.low * extraMonths,
        high: 1 + PER_EXTRA_WINDOW_MONTH.high * extraMonths,
      },
      readiness: { low: 1, high: 1 },
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

  const reuse = input.existingProgram === 'none' ? NO_REUSE : base.reuse[input.existingProgram];
  const reuseCost = change(reuse.cost.low, reuse.cost.high);
  const reuseTime = `${Math.round(reuse.readiness.low * 100)}–${Math.round(reuse.readiness.high * 100)}%`;
  drivers.push(
    driver(
      'reuse',
      'Existing program',
      input.existingProgram === 'none'
        ? reuse.effect
        : `${reuse.effect} Fee: ${reuseCost}; readiness: ${reuseTime} of a first-time effort.`,
      { cost: reuse.cost, readiness: reuse.readiness },
    ),
  );

  const costLow = drivers.reduce((v, d) => v * d.multiplierLow, base.fee.low);
  const costHigh = drivers.reduce((v, d) => v * d.multiplierHigh, base.fee.high);
  const readinessLow = drivers.reduce((v, d) => v * d.readinessMultiplierLow, 1);
  const readinessHigh = drivers.reduce((v, d) => v * d.readinessMultiplierHigh, 1);

  // Reuse figures belong to the readiness phase, the only phase reuse shortens.
  const basePhases = base.phases.map((p) =>
    p.scalable ? { ...p, sources: [...p.sources, ...(reuse.sources ?? [])] } : p,
  );
  const phases: EstimatePhase[] = basePhases.map((p) => ({
    id: p.id,
    label: p.label,
    lowWeeks: roundWeeks(p.scalable ? p.low * readinessLow : p.low),
    highWeeks: roundWeeks(p.scalable ? p.high * readinessHigh : p.high),
    sourceNames: unique(p.sources.map((s) => s.name)),
  }));

  const sources = dedupeSources([
    ...base.feeSources,
    ...basePhases.flatMap((p) => p.sources),
    ...base.contextSources,
  ]);

  return {
    framework: input.framework,
    ...(variant === undefined ? {} : { variant }),
    ...(windowMonths === undefined ? {} : { windowMonths }),
    cost: { lowUsd: roundUsd(costLow), highUsd: roundUsd(costHigh) },
    timeline: {
      lowWeeks: phases.reduce((s, p) => s + p.lowWeeks, 0),
      highWeeks: phases.reduce((s, p) => s + p.highWeeks, 0),
    },
    drivers,
    sources,
    phases,
    label: ESTIMATE_LABEL,
  };
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
 * so the numbers match what a spreadsheet shows for the same quotes.
 */
function quantile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function priceIndex(quotes: readonly number[]): PriceIndex | null {
  // A zero, negative or non-numeric quote is a data error, not a price: it must not count
  // towards the minimum sample size.
  const clean = quotes.filter((q) => Number.isFinite(q) && q > 0).sort((a, b) => a - b);
  if (clean.length < PRICE_INDEX_MIN_QUOTES) return null;
  return {
    median: quantile(clean, 0.5),
    p25: quantile(clean, 0.25),
    p75: quantile(clean, 0.75),
    count: clean.length,
  };
}
