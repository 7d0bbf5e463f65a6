/**
 * Published cost and duration figures and the sources behind them (src/data/market-facts.json),
 * read once and shared by the timeline model and the estimator so both cite the same rows.
 *
 * The source policy (docs/source-policy.md) decides what may stand here: each figure names a
 * source, each source has a kind and a date, and a figure that only one publisher gives is
 * shown as that publisher's estimate.
 *
 * Pure: no I/O, no clock.
 */
import facts from '../../data/market-facts.json' with { type: 'json' };
import { MONTH_NAMES } from '../matching/dates';

/** Who stands behind a source. The first five are primary for the facts they set. */
export const SOURCE_KINDS = [
  'standards-body',
  'accreditation-body',
  'professional-body',
  'regulator',
  'official-journal',
  'audit-firm',
  'vendor',
  'consultancy',
  'publisher',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const PRIMARY_SOURCE_KINDS: readonly SourceKind[] = [
  'standards-body',
  'accreditation-body',
  'professional-body',
  'regulator',
  'official-journal',
];

export interface MarketSource {
  id: string;
  publisher: string;
  title: string;
  kind: SourceKind;
  url?: string;
  /**
   * YYYY-MM: the edition's publication month, or the month we read the page; YYYY alone for an
   * edition whose sources give its year but not its month.
   */
  date: string;
  dateKind: 'published' | 'retrieved';
}

const SOURCES: ReadonlyMap<string, MarketSource> = new Map(
  Object.entries(facts.sources).map(([id, s]) => [id, { id, ...s } as MarketSource]),
);

export function marketSource(id: string): MarketSource {
  const s = SOURCES.get(id);
  if (!s) throw new Error(`market-facts: unknown source ${id}`);
  return s;
}

export function marketSources(): MarketSource[] {
  return [...SOURCES.values()];
}

/** 'Linford & Co, SOC 2 cost guide (read November 2026)': the name a page shows beside a figure. */
export function sourceName(s: MarketSource): string {
  return `${s.publisher}, ${s.title}`;
}

/** 'published July 2025', 'published 2022' or 'read November 2026': the date shown with a source. */
export function sourceDate(s: Pick<MarketSource, 'date' | 'dateKind'>): string {
  const month = MONTH_NAMES[Number(s.date.slice(5, 7)) - 1] ?? '';
  const when = `${month} ${s.date.slice(0, 4)}`.trim();
  return s.dateKind === 'published' ? `published ${when}` : `read ${when}`;
}

/** A published figure: a low–high range from one source. */
export interface Figure {
  source: MarketSource;
  low: number;
  high: number;
}

interface RawFigure {
  source: string;
  low: number;
  high: number;
}

export function figures(rows: readonly RawFigure[]): Figure[] {
  return rows.map((r) => ({ source: marketSource(r.source), low: r.low, high: r.high }));
}

/** The widest range the figures give together: we would rather be wide than falsely narrow. */
export function envelope(rows: readonly Figure[]): { low: number; high: number } {
  if (rows.length === 0) throw new Error('market-facts: a range needs at least one figure');
  return {
    low: Math.min(...rows.map((f) => f.low)),
    high: Math.max(...rows.map((f) => f.high)),
  };
}

/** How many independent publishers stand behind a set of figures (the policy asks for two). */
export function publisherCount(rows: readonly Figure[]): number {
  return new Set(rows.map((f) => f.source.publisher)).size;
}

export const SOC2_FEE = {
  typeI: figures(facts.soc2.auditFee.typeI),
  typeII: figures(facts.soc2.auditFee.typeII),
  overall: figures(facts.soc2.auditFee.overall),
  byFirmType: facts.soc2.auditFee.byFirmType.map((r) => ({
    firmType: r.firmType,
    ...figures([r])[0]!,
  })),
};

export const SOC2_TIMELINE = {
  windowMonths: figures(facts.soc2.timeline.typeIIWindowMonths),
  firstAuditWindowMonths: facts.soc2.timeline.typeIIWindowMonths[0]?.firstAudit ?? 3,
  reportWeeks: figures(facts.soc2.timeline.reportWeeksAfterFieldwork),
  chooseFirmWeeks: figures(facts.soc2.timeline.weeksToChooseFirm),
};

export const ISO42001_FIGURES = {
  firstYearAllIn: figures(facts.iso42001.allIn.firstYear),
  yearlyAfter: figures(facts.iso42001.allIn.yearlyAfter),
  monthsFromScratch: figures(facts.iso42001.timeline.monthsFromScratch),
  monthsSavedWithIso27001: figures(facts.iso42001.timeline.monthsSavedWithIso27001),
};

export const WEEKS_PER_MONTH = 52 / 12;
export const monthsToWeeks = (months: number): number => Math.round(months * WEEKS_PER_MONTH);

export function inWeeks(f: Figure): Figure {
  return { source: f.source, low: monthsToWeeks(f.low), high: monthsToWeeks(f.high) };
}

/**
 * How a row beside a range came to be. 'published': one of at least two independent
 * publishers' figures for the same thing; 'single-publisher': the only publisher we hold for
 * it, shown as that publisher's estimate; 'assumption': ours alone, with no published figure.
 */
export type RowKind = 'published' | 'single-publisher' | 'assumption';

export interface SourceRow {
  name: string;
  url?: string;
  /** 'published July 2025' or 'read November 2026'; absent for our own assumptions. */
  date?: string;
  /** Short description of what the figure measures. */
  figure: string;
  low: number;
  high: number;
  /** 'usd' rows belong beside the cost bar, 'weeks' rows beside the timeline bar. */
  unit: 'usd' | 'weeks';
  kind: RowKind;
  /** True when the figure feeds our numbers; false when it is shown only for comparison. */
  usedInEstimate: boolean;
}

export const ASSUMPTION_SOURCE = 'Auditmatch assumption (no published figure)';

/** One row per figure; a set from a single publisher is labelled as that publisher's estimate. */
export function publishedRows(
  rows: readonly Figure[],
  figure: string,
  unit: 'usd' | 'weeks',
  used: boolean,
): SourceRow[] {
  const single = publisherCount(rows) < 2;
  return rows.map((f) => ({
    name: sourceName(f.source),
    ...(f.source.url === undefined ? {} : { url: f.source.url }),
    date: sourceDate(f.source),
    figure: single ? `${figure} (one publisher's estimate)` : figure,
    low: f.low,
    high: f.high,
    unit,
    kind: single ? 'single-publisher' : 'published',
    usedInEstimate: used,
  }));
}

export function assumptionRow(
  figure: string,
  range: { low: number; high: number },
  unit: 'usd' | 'weeks' = 'weeks',
): SourceRow {
  return {
    name: ASSUMPTION_SOURCE,
    figure,
    low: range.low,
    high: range.high,
    unit,
    kind: 'assumption',
    usedInEstimate: true,
  };
}

/**
 * Domains no fact or figure may rest on (docs/source-policy.md): personal sites, exam-prep
 * sites, encyclopaedias anyone can edit, podcast transcripts, sellers of a "certification" that
 * does not exist, and code repositories, which are no publisher of prices or facts.
 */
export const DENIED_SOURCE_DOMAINS: readonly string[] = [
  'churchofspiralism.com',
  'open-exam-prep.com',
  'wikipedia.org',
  'hipaacertification.net',
  'soc2.baremetalcyber.com',
  'github.com',
];

export function deniedDomain(url: string): string | undefined {
  const host = /^https?:\/\/([^/]+)/.exec(url)?.[1]?.toLowerCase();
  if (!host) return undefined;
  return DENIED_SOURCE_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`));
}
