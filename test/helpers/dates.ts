import { addDays, type IsoDate } from '../../src/domain/matching/dates';

/** About ten months: long enough for a SOC 2 Type 2 from scratch, short of most credential expiry dates. */
export const NEEDED_BY_DAYS = 300;

/**
 * A "needed by" date a fixed number of days after the test's clock. Requests refuse a date that
 * is not after today, so a literal date would start failing once the calendar passes it; tests on
 * a fixed clock pass that clock's start, tests on the real clock pass `Date.now()`.
 */
export function neededByAfter(from: Date | number | string, days = NEEDED_BY_DAYS): IsoDate {
  return addDays(new Date(from).toISOString().slice(0, 10), days);
}
