/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD) in UTC. The matcher is pure: "today" always
 * arrives as an input, and dates stay strings at the edges so stored inputs replay exactly.
 */

/** A calendar date written YYYY-MM-DD. Strings of this shape compare correctly with < and >. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** One UTC day in milliseconds. */
export const DAY_MS = 86_400_000;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Days since 1970-01-01; throws on anything that is not a real calendar date. */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC silently rolls 2027-02-30 over to March; a rolled date is a typo, not a date.
  if (new Date(ms).getUTCDate() !== d || new Date(ms).getUTCMonth() !== mo - 1) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return Math.round(ms / DAY_MS);
}

/** The calendar day (UTC) of an instant: the day rules such as credential expiry are judged on. */
export function isoDay(instant: Date | number): IsoDate {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * The calendar day (UTC) of a stored instant. Instants are stored as `toISOString()` text, whose
 * first ten characters are that day, so those are read without a Date (the metrics read tens of
 * thousands per page, and building a Date for each was most of their time); other text is parsed.
 */
export function isoDayOf(at: string): IsoDate {
  return at.length === 24 && at[10] === 'T' && at[23] === 'Z'
    ? at.slice(0, 10)
    : isoDay(Date.parse(at));
}

export function fromDayNumber(day: number): IsoDate {
  return isoDay(day * DAY_MS);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, Math.round(weeks * 7));
}

/** Same day `years` later or earlier; 29 February falls back to 28 February in common years. */
export function addYears(date: IsoDate, years: number): IsoDate {
  dayNumber(date);
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const fixed = md === '02-29' && !leap ? '02-28' : md;
  return `${String(y).padStart(4, '0')}-${fixed}`;
}

/** The capacity month a date falls in (YYYY-MM), as firms' capacity counters are kept. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/**
 * '3 March 2028': the one way every page writes a date (buyers read dates, not ISO strings).
 * `today` is kept so callers need not change; the year is always written, so a date reads the
 * same on every page and on every day.
 */
export function longDate(date: IsoDate, _today?: IsoDate): string {
  return fullDate(date);
}

export function fullDate(date: IsoDate): string {
  const [y, m, d] = [date.slice(0, 4), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const month = MONTH_NAMES[m - 1] ?? date;
  return `${d} ${month} ${y}`;
}

/** 'March 2027' for a YYYY-MM month. */
export function longMonth(month: string): string {
  const name = MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month;
  return `${name} ${month.slice(0, 4)}`;
}
