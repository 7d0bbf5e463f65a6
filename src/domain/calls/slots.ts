import { wallClock, zonedInstant } from './zones';
import { DAY_MS, isoDay } from '../matching/dates';

/**
 * The one short call: when it can happen. A firm publishes weekly windows in its own time zone;
 * the buyer picks a 30-minute slot inside them that neither side has taken, or offers three
 * times of its own. Instants are milliseconds since the epoch (UTC); nothing here reads a clock.
 */

export const CALL_MINUTES = 30;
const CALL_MS = CALL_MINUTES * 60_000;
/** A call is booked at least this far ahead, so nobody is surprised by one in an hour. */
export const MIN_NOTICE_HOURS = 18;
/** How far ahead a firm's published slots are offered. */
export const SLOT_HORIZON_DAYS = 21;

export interface AvailabilityWindow {
  /** 0 = Sunday … 6 = Saturday, in the firm's time zone. */
  weekday: number;
  /** Minutes after local midnight; the window is [startMinute, endMinute). */
  startMinute: number;
  endMinute: number;
}

export interface Interval {
  start: number;
  end: number;
}

export function callInterval(start: number): Interval {
  return { start, end: start + CALL_MS };
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The earliest start a new booking may have at `now`. */
export function earliestStart(now: number): number {
  return now + MIN_NOTICE_HOURS * 3_600_000;
}

/**
 * The firm's free slots: every 30-minute step inside its weekly windows over the horizon,
 * starting after the notice period, that overlaps none of the busy intervals (the firm's other
 * calls and the buyer's). Sorted, at most `limit`.
 */
export function openSlots(input: {
  windows: readonly AvailabilityWindow[];
  timeZone: string;
  now: number;
  busy: readonly Interval[];
  limit?: number;
  horizonDays?: number;
}): number[] {
  const from = earliestStart(input.now);
  const limit = input.limit ?? 60;
  const horizon = input.horizonDays ?? SLOT_HORIZON_DAYS;
  const slots: number[] = [];
  const firstDay = wallClock(input.now, input.timeZone).date;
  for (let d = 0; d <= horizon && slots.length < limit; d++) {
    const date = isoDay(Date.parse(`${firstDay}T00:00:00Z`) + d * DAY_MS);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    for (const w of input.windows
      .filter((x) => x.weekday === weekday)
      .sort((a, b) => a.startMinute - b.startMinute)) {
      for (let m = w.startMinute; m + CALL_MINUTES <= w.endMinute; m += CALL_MINUTES) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const start = zonedInstant(date, time, input.timeZone);
        // A wall time the clocks skip maps elsewhere: only slots that read as published count.
        if (wallClock(start, input.timeZone).time !== time) continue;
        if (start < from) continue;
        const slot = callInterval(start);
        if (input.busy.some((b) => overlaps(b, slot))) continue;
        if (slots.includes(start)) continue;
        slots.push(start);
        if (slots.length >= limit) break;
      }
    }
  }
  return slots.sort((a, b) => a - b);
}

/** Whether `start` is one of the firm's published slots (the buyer may not invent one). */
export function isPublishedSlot(
  start: number,
  windows: readonly AvailabilityWindow[],
  timeZone: string,
): boolean {
  const w = wallClock(start, timeZone);
  const end = wallClock(start + CALL_MS, timeZone);
  return windows.some(
    (x) =>
      x.weekday === w.weekday &&
      w.minute >= x.startMinute &&
      (end.date === w.date ? end.minute : 24 * 60) <= x.endMinute &&
      (w.minute - x.startMinute) % CALL_MINUTES === 0,
  );
}
