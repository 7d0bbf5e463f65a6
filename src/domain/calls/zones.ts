/**
 * Wall-clock times in IANA time zones, for the one short call: a buyer in Tokyo and a firm in New
 * York each read the call in their own time, and the invitation carries the one UTC instant. Pure
 * arithmetic over the platform's time-zone database (Intl); no clock is read here.
 */

/** Building a formatter is slow and a zone's is asked for again and again: one per zone and style. */
function formatterCache(options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>) {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  return (timeZone: string): Intl.DateTimeFormat => {
    let f = formatters.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
      formatters.set(timeZone, f);
    }
    return f;
  };
}

const partsFormatter = formatterCache({
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
});

/** True for a time zone the platform knows ("Europe/Berlin", "UTC"); false for anything else. */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(timeZone)) return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, 24-hour */
  time: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

/** What the clock on the wall shows at `instant` (ms since the epoch) in `timeZone`. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    weekday: WEEKDAYS.indexOf(String(parts.weekday)),
    minute: hour * 60 + minute,
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in minutes (Tokyo +540, New York −300 or −240). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(
    Number(w.date.slice(0, 4)),
    Number(w.date.slice(5, 7)) - 1,
    Number(w.date.slice(8, 10)),
    0,
    w.minute,
  );
  return Math.round((wallAsUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a wall-clock time in `timeZone` denotes. A time that does not exist (the hour
 * skipped when clocks go forward) moves forward by the gap, as a person would read "2:30" on
 * that morning; a time that happens twice (clocks go back) is the first of the two.
 */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = [
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  ];
  const [h, mi] = [Number(time.slice(0, 2)), Number(time.slice(3, 5))];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle every offset change; the earlier candidate wins for a repeated hour.
  const first = naive - offsetMinutes(naive, timeZone) * 60_000;
  const second = naive - offsetMinutes(first, timeZone) * 60_000;
  const candidates = [first, second].filter(
    (c) => wallClock(c, timeZone).time === time && wallClock(c, timeZone).date === date,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped by a change to summer time: the same wall time after the jump.
  return Math.max(first, second);
}

const longDateFormatter = formatterCache({
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Tuesday 9 March 2027, 10:00 (Asia/Tokyo)": how a person in that zone reads the instant. */
export function localTimeLabel(instant: number, timeZone: string): string {
  const parts = Object.fromEntries(
    longDateFormatter(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} (${timeZone.replaceAll('_', ' ')})`;
}

/** A short list of common zones for forms; any valid IANA name is accepted as well. */
export const COMMON_TIME_ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Toronto',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Africa/Johannesburg',
  'Africa/Lagos',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Australia/Perth',
  'Pacific/Auckland',
  'UTC',
] as const;

/** Where a buyer of each region most likely reads its clock, until it says otherwise. */
export const DEFAULT_TIME_ZONE_BY_REGION: Record<string, string> = {
  'north-america': 'America/New_York',
  'latin-america': 'America/Sao_Paulo',
  'uk-ireland': 'Europe/London',
  europe: 'Europe/Berlin',
  'middle-east-africa': 'Asia/Dubai',
  'asia-pacific': 'Asia/Singapore',
};
