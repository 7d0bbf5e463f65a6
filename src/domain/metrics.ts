import { DAY_MS, isoDay, isoDayOf } from './matching/dates';

/**
 * The operator's health figures, computed from plain rows: requests per week, match rate,
 * accept rate, time to first firm response and demand. Pure: the service loads the rows, this
 * module counts them, the console draws them. Weeks start on Monday (UTC), as ISO weeks do.
 */

const HOUR_MS = 3_600_000;

/** The Monday (YYYY-MM-DD, UTC) of the week holding this instant. */
export function weekStart(at: string | Date): string {
  const day = typeof at === 'string' ? isoDayOf(at) : isoDay(at);
  let week = WEEK_OF_DAY.get(day);
  if (week === undefined) {
    const midnight = Date.parse(`${day}T00:00:00.000Z`);
    const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
    week = isoDay(midnight - sinceMonday * DAY_MS);
    if (WEEK_OF_DAY.size >= 10_000) WEEK_OF_DAY.clear();
    WEEK_OF_DAY.set(day, week);
  }
  return week;
}
/** Each day's Monday, once worked out: the metrics ask for it per brief, for a few hundred days. */
const WEEK_OF_DAY = new Map<string, string>();

/** The last `count` week starts up to and including the current week, oldest first. */
export function lastWeeks(now: Date, count: number): string[] {
  const current = Date.parse(`${weekStart(now)}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => isoDay(current - (count - 1 - i) * 7 * DAY_MS));
}

/** A share as a fraction in [0, 1], or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function median(values: readonly number[] | Float64Array): number | null {
  if (values.length === 0) return null;
  // Selected in place, not sorted: the console's twelve weeks hold hundreds of thousands of
  // response times, and a selection reads them a few times where a sort reads them log n times.
  const a = Float64Array.from(values);
  const mid = a.length >> 1;
  const upper = selectInPlace(a, mid);
  if (a.length % 2 === 1) return upper;
  // Everything before `mid` is now at most a[mid]: the lower middle is the largest of them.
  let lower = a[0]!;
  for (let i = 1; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/**
 * Reorders `a` so that a[k] holds the value a sort would put there, everything before it no
 * greater and everything after it no smaller (Hoare's selection), and returns a[k].
 */
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

export interface WeekCount {
  week: string;
  count: number;
}

/** How many instants fall in each of the given weeks; instants outside them are ignored. */
export function countByWeek(instants: readonly string[], weeks: readonly string[]): WeekCount[] {
  const counts = new Map(weeks.map((w) => [w, 0]));
  for (const at of instants) {
    const w = weekStart(at);
    const n = counts.get(w);
    if (n !== undefined) counts.set(w, n + 1);
  }
  return weeks.map((week) => ({ week, count: counts.get(week) ?? 0 }));
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  rate: number | null;
}

export interface WeekRate extends Rate {
  week: string;
}

const rateOf = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  rate: ratio(numerator, denominator),
});

/** A confirmed request and how many firms its match proposed at confirmation (replacements excluded). */
export interface ConfirmedRequestFacts {
  confirmedAt: string;
  proposedCount: number;
}

/** Three firms is the promise: a request is matched when its match proposed at least three. */
export const MATCHED_AT = 3;

export function matchRate(requests: readonly ConfirmedRequestFacts[]): Rate {
  return rateOf(requests.filter((r) => r.proposedCount >= MATCHED_AT).length, requests.length);
}

export interface BriefFacts {
  requestId: string;
  /** 'sent' | 'accepted' | 'declined' | 'expired' | 'withdrawn' */
  status: string;
  sentAt: string;
  /** Set when the firm answered, and when the window passed (expired). */
  respondedAt: string | null;
}

/** Briefs that reached an outcome the firm owns: answered either way, or left to expire. */
export const DECIDED_STATUSES = ['accepted', 'declined', 'expired'] as const;
/** Answers a firm actually gave. */
export const ANSWERED_STATUSES = ['accepted', 'declined'] as const;
const DECIDED = new Set<string>(DECIDED_STATUSES);
const ANSWERED = new Set<string>(ANSWERED_STATUSES);

/** Accepted among briefs answered or expired; withdrawn and still-open briefs do not count. */
export function acceptRate(briefs: readonly BriefFacts[]): Rate {
  const decided = briefs.filter((b) => DECIDED.has(b.status));
  return rateOf(decided.filter((b) => b.status === 'accepted').length, decided.length);
}

/**
 * Per request: hours from its first brief to the first answer any firm gave (accept or
 * decline; an expired brief is no answer). Requests no firm answered yet are left out.
 */
export function firstResponseHours(briefs: readonly BriefFacts[]): number[] {
  const byRequest = new Map<string, { firstSent: number; firstAnswer: number }>();
  for (const b of briefs) {
    const entry = byRequest.get(b.requestId) ?? {
      firstSent: Number.POSITIVE_INFINITY,
      firstAnswer: Number.POSITIVE_INFINITY,
    };
    entry.firstSent = Math.min(entry.firstSent, Date.parse(b.sentAt));
    if (ANSWERED.has(b.status) && b.respondedAt)
      entry.firstAnswer = Math.min(entry.firstAnswer, Date.parse(b.respondedAt));
    byRequest.set(b.requestId, entry);
  }
  const hours: number[] = [];
  for (const { firstSent, firstAnswer } of byRequest.values()) {
    if (Number.isFinite(firstSent) && Number.isFinite(firstAnswer))
      hours.push(Math.max(0, firstAnswer - firstSent) / HOUR_MS);
  }
  return hours;
}

export interface DemandRow {
  framework: string;
  region: string;
  /** 'preview' | 'request' | 'confirmed' */
  kind: string;
  count: number;
}

export interface DemandTotal {
  key: string;
  preview: number;
  request: number;
  confirmed: number;
}

const DEMAND_KINDS = ['preview', 'request', 'confirmed'] as const;

/** Demand summed per framework or per region, most requested first (then most previewed, then by key). */
export function demandBy(rows: readonly DemandRow[], by: 'framework' | 'region'): DemandTotal[] {
  const totals = new Map<string, DemandTotal>();
  for (const row of rows) {
    const key = row[by];
    const total = totals.get(key) ?? { key, preview: 0, request: 0, confirmed: 0 };
    const kind = DEMAND_KINDS.find((k) => k === row.kind);
    if (kind) total[kind] += row.count;
    totals.set(key, total);
  }
  return [...totals.values()].sort(
    (a, b) => b.request - a.request || b.preview - a.preview || a.key.localeCompare(b.key),
  );
}

export interface MetricsInput {
  /** createdAt of every request submitted in the period (confirmed or not). */
  submitted: readonly string[];
  confirmed: readonly ConfirmedRequestFacts[];
  briefs: readonly BriefFacts[];
  demand: readonly DemandRow[];
}

export interface OperatorMetrics {
  weeks: string[];
  requestsPerWeek: { week: string; submitted: number; confirmed: number }[];
  matchRate: Rate;
  matchRatePerWeek: WeekRate[];
  acceptRate: Rate;
  acceptRatePerWeek: WeekRate[];
  /** Median over requests, in hours; null until a firm has answered one. */
  medianFirstResponseHours: number | null;
  firstResponseSamples: number;
  demandByFramework: DemandTotal[];
  demandByRegion: DemandTotal[];
}

/**
 * Every figure over the same weeks. Rates are placed in the week their outcome happened:
 * match rate by confirmation, accept rate by the answer (or expiry).
 */
export function operatorMetrics(
  input: MetricsInput,
  now: Date,
  weekCount: number,
): OperatorMetrics {
  const weeks = lastWeeks(now, weekCount);
  const inPeriod = new Set(weeks);
  const confirmed = input.confirmed.filter((r) => inPeriod.has(weekStart(r.confirmedAt)));
  const decided = input.briefs.filter(
    (b) => b.respondedAt !== null && inPeriod.has(weekStart(b.respondedAt)),
  );
  const submittedPerWeek = countByWeek(input.submitted, weeks);
  const confirmedPerWeek = countByWeek(
    confirmed.map((r) => r.confirmedAt),
    weeks,
  );
  // Each item's week is worked out once (not once per week of the period).
  const perWeek = <T>(
    items: readonly T[],
    at: (item: T) => string,
    rate: (items: T[]) => Rate,
  ): WeekRate[] => {
    const byWeek = new Map(weeks.map((week) => [week, [] as T[]]));
    for (const item of items) byWeek.get(weekStart(at(item)))?.push(item);
    return weeks.map((week) => ({ week, ...rate(byWeek.get(week)!) }));
  };
  const sentInPeriod = input.briefs.filter((b) => inPeriod.has(weekStart(b.sentAt)));
  const responseHours = firstResponseHours(sentInPeriod);
  return {
    weeks,
    requestsPerWeek: weeks.map((week, i) => ({
      week,
      submitted: submittedPerWeek[i]?.count ?? 0,
      confirmed: confirmedPerWeek[i]?.count ?? 0,
    })),
    matchRate: matchRate(confirmed),
    matchRatePerWeek: perWeek(confirmed, (r) => r.confirmedAt, matchRate),
    acceptRate: acceptRate(decided),
    acceptRatePerWeek: perWeek(decided, (b) => b.respondedAt!, acceptRate),
    medianFirstResponseHours: median(responseHours),
    firstResponseSamples: responseHours.length,
    demandByFramework: demandBy(input.demand, 'framework'),
    demandByRegion: demandBy(input.demand, 'region'),
  };
}

// ---------------------------------------------------------------------------
// The same figures from daily rollups (ADR 0028): per day, counts and first-response samples.

/**
 * One request's first-response sample as a period starting on a given Monday would see it.
 * The domain above groups the briefs sent in the period by request; a request whose briefs were
 * sent in several weeks is seen differently by periods starting between them. So each request
 * gives one entry per week it had a brief sent in (w1 < w2 < …): entry k is the sample over its
 * briefs sent from week wk on, placed on the day of the first of them, with `previousWeek`
 * w(k-1). A period starting on S takes exactly the entries placed on or after S whose previous
 * week is null or before S — one per request, the one firstResponseHours computes.
 */
export interface FirstResponseEntry {
  day: string;
  previousWeek: string | null;
  hours: number;
}

export function firstResponseEntries(briefs: readonly BriefFacts[]): FirstResponseEntry[] {
  const byRequest = new Map<string, BriefFacts[]>();
  for (const b of briefs) {
    const list = byRequest.get(b.requestId) ?? [];
    list.push(b);
    byRequest.set(b.requestId, list);
  }
  const entries: FirstResponseEntry[] = [];
  for (const list of byRequest.values()) {
    const weeks = [...new Set(list.map((b) => weekStart(b.sentAt)))].sort();
    weeks.forEach((week, k) => {
      const from = list.filter((b) => weekStart(b.sentAt) >= week);
      const [hours] = firstResponseHours(from);
      if (hours === undefined) return;
      const firstSent = Math.min(...from.map((b) => Date.parse(b.sentAt)));
      entries.push({ day: isoDay(firstSent), previousWeek: weeks[k - 1] ?? null, hours });
    });
  }
  return entries;
}

/**
 * What a database can sum up over one request's briefs for the entry placed in the week starting
 * on `monday`: over the briefs sent from that Monday on, the first sent and the first answer a
 * firm gave; and the last brief sent before it. Instants as stored (ISO text, which orders as
 * time does).
 */
export interface RequestWeekSummary {
  firstSent: string | null;
  firstAnswer: string | null;
  previousSent: string | null;
}

/**
 * The request's first-response entry placed in that week, from its summary: the entry
 * firstResponseEntries places there (its first brief sent from that Monday on is sent in that
 * week when it has one there), or null when no firm has answered one of those briefs.
 */
export function entryOfWeek(summary: RequestWeekSummary): FirstResponseEntry | null {
  if (summary.firstSent === null || summary.firstAnswer === null) return null;
  const firstSent = Date.parse(summary.firstSent);
  return {
    day: isoDay(firstSent),
    previousWeek: summary.previousSent === null ? null : weekStart(summary.previousSent),
    hours: Math.max(0, Date.parse(summary.firstAnswer) - firstSent) / HOUR_MS,
  };
}

/** A first-response entry as a day's facts hold it (the day is the day's). */
export type DayEntry = Omit<FirstResponseEntry, 'day'>;

/**
 * A day's first-response entries, compact: a year of traffic holds over a million, and the
 * metrics page reads a quarter of them on each visit. The entries without a previous week (a
 * request whose briefs all went out in one week: nearly all) are bare hours; the few others keep
 * their previous week.
 */
export interface DaySamples {
  firstWeek: Float64Array;
  laterWeeks: readonly { previousWeek: string; hours: number }[];
}

export function daySamples(entries: readonly DayEntry[]): DaySamples {
  const laterWeeks: { previousWeek: string; hours: number }[] = [];
  const firstWeek: number[] = [];
  for (const e of entries) {
    if (e.previousWeek === null) firstWeek.push(e.hours);
    else laterWeeks.push({ previousWeek: e.previousWeek, hours: e.hours });
  }
  return { firstWeek: Float64Array.from(firstWeek), laterWeeks };
}

/** The entries of a day's samples, those without a previous week first. */
export function sampleEntries(samples: DaySamples): DayEntry[] {
  return [
    ...Array.from(samples.firstWeek, (hours): DayEntry => ({ previousWeek: null, hours })),
    ...samples.laterWeeks,
  ];
}

/** What one UTC day adds to the operator's figures. */
export interface DayFacts {
  day: string;
  /** Requests created that day. */
  submitted: number;
  /** Requests confirmed that day, and those whose match proposed at least MATCHED_AT. */
  confirmed: number;
  matched: number;
  /** Briefs answered or expired that day (by respondedAt), and those accepted. */
  decided: number;
  accepted: number;
  firstResponses: DaySamples;
}

/**
 * The facts of every day in [from, to) from the rows that touch it. `briefs` holds every brief
 * of each request that had a brief sent in the range (for the first-response entries) and every
 * brief answered in it.
 */
export function dayFacts(
  days: readonly string[],
  rows: {
    submitted: readonly string[];
    confirmed: readonly ConfirmedRequestFacts[];
    answered: readonly Pick<BriefFacts, 'status' | 'respondedAt'>[];
    briefsOfRequestsSent: readonly BriefFacts[];
  },
): DayFacts[] {
  const facts = new Map(
    days.map((day) => [
      day,
      {
        day,
        submitted: 0,
        confirmed: 0,
        matched: 0,
        decided: 0,
        accepted: 0,
      },
    ]),
  );
  const entries = new Map(days.map((day) => [day, [] as DayEntry[]]));
  const on = (at: string) => facts.get(isoDayOf(at));
  for (const at of rows.submitted) {
    const f = on(at);
    if (f) f.submitted++;
  }
  for (const r of rows.confirmed) {
    const f = on(r.confirmedAt);
    if (!f) continue;
    f.confirmed++;
    if (r.proposedCount >= MATCHED_AT) f.matched++;
  }
  for (const b of rows.answered) {
    const f = b.respondedAt ? on(b.respondedAt) : undefined;
    if (!f || !DECIDED.has(b.status)) continue;
    f.decided++;
    if (b.status === 'accepted') f.accepted++;
  }
  for (const e of firstResponseEntries(rows.briefsOfRequestsSent)) {
    entries.get(e.day)?.push({ previousWeek: e.previousWeek, hours: e.hours });
  }
  return [...facts.values()].map((f) => ({
    ...f,
    firstResponses: daySamples(entries.get(f.day)!),
  }));
}

/** operatorMetrics over daily facts: the same figures, from one row per day. */
export function operatorMetricsFromDays(
  days: readonly DayFacts[],
  demand: readonly DemandRow[],
  now: Date,
  weekCount: number,
): OperatorMetrics {
  const weeks = lastWeeks(now, weekCount);
  const start = weeks[0]!;
  const perWeek = new Map(
    weeks.map((week) => [
      week,
      { submitted: 0, confirmed: 0, matched: 0, decided: 0, accepted: 0 },
    ]),
  );
  // Filled in place: a year of traffic puts hundreds of thousands of samples in twelve weeks.
  const samples = new Float64Array(
    days.reduce(
      (n, d) => n + d.firstResponses.firstWeek.length + d.firstResponses.laterWeeks.length,
      0,
    ),
  );
  let sampleCount = 0;
  for (const d of days) {
    const w = perWeek.get(weekStart(`${d.day}T00:00:00.000Z`));
    if (!w) continue;
    w.submitted += d.submitted;
    w.confirmed += d.confirmed;
    w.matched += d.matched;
    w.decided += d.decided;
    w.accepted += d.accepted;
    samples.set(d.firstResponses.firstWeek, sampleCount);
    sampleCount += d.firstResponses.firstWeek.length;
    for (const e of d.firstResponses.laterWeeks)
      if (e.previousWeek < start) samples[sampleCount++] = e.hours;
  }
  const responseHours = samples.subarray(0, sampleCount);
  const sum = (key: 'confirmed' | 'matched' | 'decided' | 'accepted') =>
    [...perWeek.values()].reduce((n, w) => n + w[key], 0);
  return {
    weeks,
    requestsPerWeek: weeks.map((week) => ({
      week,
      submitted: perWeek.get(week)!.submitted,
      confirmed: perWeek.get(week)!.confirmed,
    })),
    matchRate: rateOf(sum('matched'), sum('confirmed')),
    matchRatePerWeek: weeks.map((week) => ({
      week,
      ...rateOf(perWeek.get(week)!.matched, perWeek.get(week)!.confirmed),
    })),
    acceptRate: rateOf(sum('accepted'), sum('decided')),
    acceptRatePerWeek: weeks.map((week) => ({
      week,
      ...rateOf(perWeek.get(week)!.accepted, perWeek.get(week)!.decided),
    })),
    medianFirstResponseHours: median(responseHours),
    firstResponseSamples: responseHours.length,
    demandByFramework: demandBy(demand, 'framework'),
    demandByRegion: demandBy(demand, 'region'),
  };
}

/**
 * What one request adds to one day: a DayFacts without the submitted count (creation never
 * changes), its few first-response entries as a list.
 */
export type DayContribution = Omit<DayFacts, 'day' | 'submitted' | 'firstResponses'> & {
  firstResponses: readonly DayEntry[];
};

/**
 * A day's stored facts with some requests' contributions replaced: `before` what the stored facts
 * hold for them, `after` what they add now. Null when the stored facts do not hold `before` (a
 * sample missing, a count below zero): the caller then computes the day from its rows.
 */
export function replaceContributions(
  stored: DayFacts,
  before: readonly DayContribution[],
  after: readonly DayContribution[],
): DayFacts | null {
  const counts = ['confirmed', 'matched', 'decided', 'accepted'] as const;
  const next = { ...stored };
  const entries = sampleEntries(stored.firstResponses);
  for (const c of before) {
    for (const k of counts) next[k] -= c[k];
    for (const e of c.firstResponses) {
      const i = entries.findIndex((s) => s.previousWeek === e.previousWeek && s.hours === e.hours);
      if (i < 0) return null;
      entries.splice(i, 1);
    }
  }
  if (counts.some((k) => next[k] < 0)) return null;
  for (const c of after) {
    for (const k of counts) next[k] += c[k];
    entries.push(...c.firstResponses);
  }
  return { ...next, firstResponses: daySamples(entries) };
}
