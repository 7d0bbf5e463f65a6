import { type FrameworkId, valuesOf } from './vocabulary';

/**
 * Itemised quotes and the buyer's side-by-side comparison. A line is a fee or an indicative
 * range; year one and the whole certification cycle are summed apart; a line one firm quotes and
 * another does not is flagged, and a total missing a line other firms quoted is marked incomplete
 * — never summed as if the missing line cost nothing.
 */

export const QUOTE_PHASE_LABELS = {
  readiness: 'Readiness assessment (optional)',
  type1: 'Type I report',
  type2: 'Type II report',
  'stage1-stage2': 'Stage 1 + stage 2 audit (certificate)',
  assessment: 'Assessment',
  'surveillance-year2': 'Surveillance audit, year 2',
  'surveillance-year3': 'Surveillance audit, year 3',
  recertification: 'Recertification audit',
};
export type QuotePhase = keyof typeof QUOTE_PHASE_LABELS;
export const QUOTE_PHASES = valuesOf(QUOTE_PHASE_LABELS);

/** Which phases a quote may itemise for a framework: SOC reports, ISO certification cycles, other assessments. */
export function phasesFor(framework: FrameworkId): readonly QuotePhase[] {
  if (framework === 'soc2' || framework === 'soc1') return ['readiness', 'type1', 'type2'];
  if (framework.startsWith('iso'))
    return [
      'readiness',
      'stage1-stage2',
      'surveillance-year2',
      'surveillance-year3',
      'recertification',
    ];
  return ['readiness', 'assessment'];
}

/** The audit itself in year one: what buyers compare first. Readiness is advice a buyer may take or leave. */
export const YEAR_ONE_PHASES: readonly QuotePhase[] = [
  'type1',
  'type2',
  'stage1-stage2',
  'assessment',
];
/** The rest of an ISO certification cycle (a SOC report has none: it is renewed yearly). */
export const LATER_PHASES: readonly QuotePhase[] = [
  'surveillance-year2',
  'surveillance-year3',
  'recertification',
];
export const OPTIONAL_PHASES: readonly QuotePhase[] = ['readiness'];

export interface QuoteLine {
  framework: FrameworkId;
  phase: QuotePhase;
  label: string;
  /** A fixed fee has minUsd === maxUsd; an indicative one is a range. */
  minUsd: number;
  maxUsd: number;
}

export interface UsdRange {
  minUsd: number;
  maxUsd: number;
}

/** Reads a stored line, including those stored before ranges (a single `feeUsd`). */
export function toQuoteLine(stored: {
  framework: FrameworkId;
  phase: QuotePhase;
  label: string;
  minUsd?: number;
  maxUsd?: number;
  feeUsd?: number;
}): QuoteLine {
  const min = stored.minUsd ?? stored.feeUsd ?? 0;
  const max = stored.maxUsd ?? stored.feeUsd ?? min;
  return {
    framework: stored.framework,
    phase: stored.phase,
    label: stored.label,
    minUsd: min,
    maxUsd: max,
  };
}

function sum(lines: readonly QuoteLine[]): UsdRange {
  return lines.reduce((t, l) => ({ minUsd: t.minUsd + l.minUsd, maxUsd: t.maxUsd + l.maxUsd }), {
    minUsd: 0,
    maxUsd: 0,
  });
}

/** A quote's own sums: year one (the audit) and the whole cycle (year one and the later audits). */
export function quoteSums(lines: readonly QuoteLine[]): { yearOne: UsdRange; fullCycle: UsdRange } {
  const yearOne = lines.filter((l) => YEAR_ONE_PHASES.includes(l.phase));
  const later = lines.filter((l) => LATER_PHASES.includes(l.phase));
  return { yearOne: sum(yearOne), fullCycle: sum([...yearOne, ...later]) };
}

/** A single figure for aggregates (the price index): the year-one audit's midpoint. */
export function yearOneMidpoint(lines: readonly QuoteLine[]): number {
  const { yearOne } = quoteSums(lines);
  return Math.round((yearOne.minUsd + yearOne.maxUsd) / 2);
}

export interface ComparedTotal extends UsdRange {
  /** False when the firm left out a line that another firm quoted: the sum is a floor, not a total. */
  complete: boolean;
  /** Labels of the lines it left out. */
  missing: string[];
}

export interface ComparisonRow {
  key: string;
  label: string;
  phase: QuotePhase;
  period: 'optional' | 'year-one' | 'later';
  /** One cell per quote, in the quotes' order: the line, or null for "not quoted". */
  cells: (QuoteLine | null)[];
  /** Some firms quote it and some do not. */
  flagged: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Per quote, in order. */
  yearOne: ComparedTotal[];
  fullCycle: ComparedTotal[];
}

const periodOf = (phase: QuotePhase): ComparisonRow['period'] =>
  OPTIONAL_PHASES.includes(phase)
    ? 'optional'
    : LATER_PHASES.includes(phase)
      ? 'later'
      : 'year-one';
const PERIOD_ORDER = { optional: 0, 'year-one': 1, later: 2 } as const;

/** The quotes side by side: every line any firm quoted, each firm's cell or "not quoted", honest totals. */
export function compareQuotes(quotes: readonly { lines: readonly QuoteLine[] }[]): Comparison {
  const byKey = new Map<string, { label: string; phase: QuotePhase; order: number }>();
  for (const q of quotes) {
    for (const l of q.lines) {
      const key = `${l.framework}/${l.phase}`;
      if (!byKey.has(key))
        byKey.set(key, { label: l.label, phase: l.phase, order: QUOTE_PHASES.indexOf(l.phase) });
    }
  }
  const rows: ComparisonRow[] = [...byKey.entries()]
    .map(([key, r]) => {
      const cells = quotes.map(
        (q) => q.lines.find((l) => `${l.framework}/${l.phase}` === key) ?? null,
      );
      return {
        key,
        label: r.label,
        phase: r.phase,
        period: periodOf(r.phase),
        cells,
        flagged: cells.some((c) => c === null) && cells.some((c) => c !== null),
      };
    })
    .sort(
      (a, b) =>
        PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period] ||
        QUOTE_PHASES.indexOf(a.phase) - QUOTE_PHASES.indexOf(b.phase) ||
        a.key.localeCompare(b.key),
    );
  const totalOf = (index: number, periods: ComparisonRow['period'][]): ComparedTotal => {
    const counted = rows.filter((r) => periods.includes(r.period));
    const quoted = counted.map((r) => r.cells[index]).filter((c): c is QuoteLine => c !== null);
    const missing = counted.filter((r) => r.cells[index] === null).map((r) => r.label);
    return { ...sum(quoted), complete: missing.length === 0, missing };
  };
  return {
    rows,
    yearOne: quotes.map((_, i) => totalOf(i, ['year-one'])),
    fullCycle: quotes.map((_, i) => totalOf(i, ['year-one', 'later'])),
  };
}
