import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { proposedFirms } from '../db/requests';
import { DAY_MS, isoDay, isoDayOf } from '../domain/matching/dates';
import {
  ANSWERED_STATUSES,
  type BriefFacts,
  DECIDED_STATUSES,
  type DayContribution,
  type DayEntry,
  type DayFacts,
  type DaySamples,
  dayFacts,
  daySamples,
  entryOfWeek,
  type FirstResponseEntry,
  MATCHED_AT,
  replaceContributions,
  sampleEntries,
  weekStart,
} from '../domain/metrics';
import { groupBy } from '../domain/collections';
import type { ServiceContext } from './context';
import { priceSegmentOf } from './price-index';

/**
 * Rollups behind the operator's overview pages and the public price index (ADR 0028).
 *
 * Metrics: one `metric_days` row per UTC day, written by the background job once the day has
 * settled and read instead of the day's rows. A write that changes a day (a brief sent,
 * answered, expired or withdrawn, a proposal added) marks it in `metric_days_dirty` in its own
 * transaction, with the request and what it added to the day before; readers correct the day's
 * row by those requests, and compute days not rolled up yet from the rows, so what they show
 * never depends on when the job last ran. Today, and yesterday until it settles, have a
 * provisional row the job writes again after each change (ADR 0031): readers take its
 * first-response samples, corrected the same way, and count the rest from the rows.
 *
 * Price index: `price_index_totals` counts live quotes per segment and total. The job folds
 * quotes whose liveness differs from their `price_counted` flag; readers add those few quotes
 * to the counts in the same statement.
 */

/**
 * A day is rolled up only once it ended this long ago: a write stamped just before midnight
 * has committed by then, so a day rolled up never misses a row.
 */
export const SETTLE_MS = 3_600_000;

/** Days the job keeps rolled up: the longest period the metrics page offers (52 weeks), and the week it starts in. */
export const ROLLUP_HORIZON_DAYS = 53 * 7;

const nextDay = (day: string): string => isoDay(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS);

/** Every day from `from` up to, not including, `to`. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d < to; d = nextDay(d)) days.push(d);
  return days;
}

const startOf = (day: string) => `${day}T00:00:00.000Z`;

/** The UTC day of a stored instant, in SQL: instants are stored as `toISOString()` text. */
const dayOf = (column: 'createdAt' | 'confirmedAt' | 'respondedAt') =>
  sql<string>`substr(${sql.ref(column)}, 1, 10)`;

/** A day's counts: its facts but the first-response samples. */
type DayCounts = Omit<DayFacts, 'firstResponses'>;

/**
 * The counts of the days from `from` up to `to` (exclusive), by the database: the requests
 * created and confirmed on each day and the briefs answered or expired on it. An index range
 * each: a few milliseconds for a day of a million-request year.
 */
async function countDays(db: Kysely<Database>, from: string, to: string): Promise<DayCounts[]> {
  const [lo, hi] = [startOf(from), startOf(to)];
  const [submitted, confirmed, decided] = await Promise.all([
    db
      .selectFrom('quoteRequests')
      .select((eb) => [dayOf('createdAt').as('day'), eb.fn.countAll<number>().as('n')])
      .where('createdAt', '>=', lo)
      .where('createdAt', '<', hi)
      .groupBy(dayOf('createdAt'))
      .execute(),
    db
      .selectFrom('quoteRequests')
      .select((eb) => [
        dayOf('confirmedAt').as('day'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.countAll<number>().filterWhere(proposedFirms(eb), '>=', MATCHED_AT).as('matched'),
      ])
      .where('confirmedAt', '>=', lo)
      .where('confirmedAt', '<', hi)
      .groupBy(dayOf('confirmedAt'))
      .execute(),
    db
      .selectFrom('briefs')
      .select((eb) => [
        dayOf('respondedAt').as('day'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.countAll<number>().filterWhere('status', '=', 'accepted').as('accepted'),
      ])
      .where('status', 'in', DECIDED_STATUSES)
      .where('respondedAt', '>=', lo)
      .where('respondedAt', '<', hi)
      .groupBy(dayOf('respondedAt'))
      .execute(),
  ]);
  const byDay = <R extends { day: string }>(rows: R[]) => new Map(rows.map((r) => [r.day, r]));
  const [submittedOn, confirmedOn, decidedOn] = [
    byDay(submitted),
    byDay(confirmed),
    byDay(decided),
  ];
  return daysFrom(from, to).map((day) => ({
    day,
    submitted: Number(submittedOn.get(day)?.n ?? 0),
    confirmed: Number(confirmedOn.get(day)?.n ?? 0),
    matched: Number(confirmedOn.get(day)?.matched ?? 0),
    decided: Number(decidedOn.get(day)?.n ?? 0),
    accepted: Number(decidedOn.get(day)?.accepted ?? 0),
  }));
}

/**
 * The facts of the days from `from` up to `to` (exclusive): their counts, and one first-response
 * summary per request that had a brief sent in the range, summed up over its briefs by the
 * database. The summaries cost most: a day of a million-request year briefs about 7,000
 * requests; reading their 20,000 briefs and working the samples out here took 130–200 ms.
 */
export async function computeDays(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<DayFacts[]> {
  const [counts, entries] = await Promise.all([
    countDays(db, from, to),
    Promise.all(withinWeeks(from, to).map(([a, b]) => entriesPlacedIn(db, a, b))),
  ]);
  const entriesOn = groupBy(entries.flat(), (e) => e.day);
  return counts.map((c) => ({ ...c, firstResponses: daySamples(entriesOn.get(c.day) ?? []) }));
}

/** The days from `from` to `to` (exclusive) cut at each Monday: each part lies in one week. */
function withinWeeks(from: string, to: string): [string, string][] {
  const parts: [string, string][] = [];
  let start = from;
  for (let day = nextDay(from); day < to; day = nextDay(day)) {
    if (weekStart(startOf(day)) !== day) continue;
    parts.push([start, day]);
    start = day;
  }
  parts.push([start, to]);
  return parts;
}

/**
 * The first-response entries placed on the days from `from` to `to` (exclusive), all in one
 * week: one summary per request with a brief sent in those days, summed up over its briefs by
 * the database. The request ids are read first and the summaries by id, in chunks that stay
 * within SQLite's bound parameters (an IN over a subquery let PostgreSQL choose a scan of every
 * brief).
 */
async function entriesPlacedIn(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<FirstResponseEntry[]> {
  const monday = startOf(weekStart(startOf(from)));
  const sent = await db
    .selectFrom('briefs')
    .select('requestId')
    .distinct()
    .where('sentAt', '>=', startOf(from))
    .where('sentAt', '<', startOf(to))
    .execute();
  const summaries = await Promise.all(
    inChunks(sent.map((r) => r.requestId)).map((chunk) =>
      db
        .selectFrom('briefs')
        .select((eb) => [
          eb.fn.min('sentAt').filterWhere('sentAt', '>=', monday).as('firstSent'),
          eb.fn
            .min('respondedAt')
            .filterWhere((f) =>
              f.and([f('sentAt', '>=', monday), f('status', 'in', ANSWERED_STATUSES)]),
            )
            .as('firstAnswer'),
          eb.fn.max('sentAt').filterWhere('sentAt', '<', monday).as('previousSent'),
        ])
        .where('requestId', 'in', chunk)
        .groupBy('requestId')
        .execute(),
    ),
  );
  // A request whose first brief of the week went out before `from` has its entry on that day.
  return summaries
    .flat()
    .map(entryOfWeek)
    .filter((e): e is FirstResponseEntry => e !== null && e.day >= from);
}

type StoredEntry = [previousWeek: string | null, hours: number];

const toEntry = ([previousWeek, hours]: StoredEntry) => ({ previousWeek, hours });
const entriesOf = (json: string) => (JSON.parse(json) as StoredEntry[]).map(toEntry);

const toStored = (e: DayEntry): StoredEntry => [e.previousWeek, e.hours];
const storedEntries = (samples: DaySamples) => sampleEntries(samples).map(toStored);

type ParsedDay = { revision: number; samples: DaySamples };

/**
 * The parsed first-response samples of rolled-up days, per database, by day, with the revision
 * of the row they came from. A closed day's row changes only when the job writes it again, so
 * an instance parses each day once: twelve weeks of samples at a million requests a year took
 * 90 ms to parse on every visit to the metrics page. Days past the rollup horizon are dropped.
 */
const parsedDays = new WeakMap<object, Map<string, ParsedDay>>();

/**
 * The samples of these rolled-up days at these revisions: from this instance's parsed days, the
 * others read and parsed now. A day missing from the answer was written again meanwhile (its
 * marks, read with the older revision, no longer go with it): the caller computes it.
 */
async function samplesOfDays(
  db: Kysely<Database>,
  wanted: ReadonlyMap<string, number>,
  oldest: string,
): Promise<Map<string, DaySamples>> {
  const parsed = parsedDays.get(db) ?? new Map<string, ParsedDay>();
  parsedDays.set(db, parsed);
  for (const day of parsed.keys()) if (day < oldest) parsed.delete(day);
  const found = new Map<string, DaySamples>();
  const missing: string[] = [];
  for (const [day, revision] of wanted) {
    const known = parsed.get(day);
    if (known?.revision === revision) found.set(day, known.samples);
    else missing.push(day);
  }
  for (const chunk of inChunks(missing)) {
    const rows = await db
      .selectFrom('metricDays')
      .select(['day', 'revision', 'firstResponses'])
      .where('day', 'in', chunk)
      .execute();
    for (const row of rows) {
      const samples = daySamples(entriesOf(row.firstResponses));
      parsed.set(row.day, { revision: Number(row.revision), samples });
      if (Number(row.revision) === wanted.get(row.day)) found.set(row.day, samples);
    }
  }
  return found;
}

/** A request's facts as the day computation reads them: its confirmation and all its briefs. */
interface RequestFacts {
  id: string;
  confirmedAt: string | null;
  proposedCount: number;
  briefs: BriefFacts[];
}

const inChunks = <T>(items: readonly T[], size = 1000): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

async function requestFacts(db: Kysely<Database>, ids: readonly string[]): Promise<RequestFacts[]> {
  const parts = await Promise.all(
    inChunks(ids).map(async (chunk) => {
      const [requests, briefs] = await Promise.all([
        db
          .selectFrom('quoteRequests')
          .select((eb) => [
            'quoteRequests.id',
            'quoteRequests.confirmedAt',
            proposedFirms(eb).as('proposedCount'),
          ])
          .where('quoteRequests.id', 'in', chunk)
          .execute(),
        db
          .selectFrom('briefs')
          .select(['requestId', 'status', 'sentAt', 'respondedAt'])
          .where('requestId', 'in', chunk)
          .execute(),
      ]);
      const briefsOf = groupBy(briefs, (b) => b.requestId);
      return requests.map((r) => ({
        id: r.id,
        confirmedAt: r.confirmedAt,
        proposedCount: Number(r.proposedCount ?? 0),
        briefs: briefsOf.get(r.id) ?? [],
      }));
    }),
  );
  return parts.flat();
}

/** What one request adds to each of these days, computed as the day's own computation would. */
function contributions(
  request: RequestFacts,
  days: readonly string[],
): Map<string, DayContribution> {
  const facts = dayFacts(days, {
    submitted: [],
    confirmed: request.confirmedAt
      ? [{ confirmedAt: request.confirmedAt, proposedCount: request.proposedCount }]
      : [],
    answered: request.briefs,
    briefsOfRequestsSent: request.briefs,
  });
  return new Map(
    facts.map(({ day, submitted: _, firstResponses, ...c }) => [
      day,
      { ...c, firstResponses: sampleEntries(firstResponses) },
    ]),
  );
}

/**
 * The facts of every day from `from` to today (to yesterday with `today: false`): days with a
 * rollup row from it, corrected by the requests a later write marked on them, a provisional
 * row's counts (today's, and yesterday's until it settles) from the rows; days without a row
 * from the rows, each contiguous run of them in one pass.
 */
export async function metricDays(
  db: Kysely<Database>,
  from: string,
  now: Date,
  options: { today: boolean } = { today: true },
): Promise<DayFacts[]> {
  const today = isoDay(now);
  // One statement, so a day the job rolls up again meanwhile is read with the marks that go
  // with its row; its samples then come at the same revision or not at all.
  const stored = await db
    .selectFrom('metricDays')
    .leftJoin('metricDaysDirty', 'metricDaysDirty.day', 'metricDays.day')
    .select([
      'metricDays.day',
      'metricDays.submitted',
      'metricDays.confirmed',
      'metricDays.matched',
      'metricDays.decided',
      'metricDays.accepted',
      'metricDays.revision',
      'metricDays.provisional',
      'metricDaysDirty.requestId as markedRequest',
      'metricDaysDirty.before as before',
    ])
    .where('metricDays.day', '>=', from)
    .where('metricDays.day', '<', options.today ? nextDay(today) : today)
    .execute();
  const provisional = new Set(stored.filter((r) => Number(r.provisional) === 1).map((r) => r.day));
  const samples = await samplesOfDays(
    db,
    new Map(stored.map((r) => [r.day, Number(r.revision)])),
    isoDay(now.getTime() - ROLLUP_HORIZON_DAYS * DAY_MS),
  );
  const rows = new Map<string, DayFacts>();
  const marks = new Map<string, { requestId: string; before: DayContribution }[]>();
  for (const r of stored) {
    const firstResponses = samples.get(r.day);
    if (!firstResponses) continue;
    if (!rows.has(r.day))
      rows.set(r.day, {
        day: r.day,
        submitted: Number(r.submitted),
        confirmed: Number(r.confirmed),
        matched: Number(r.matched),
        decided: Number(r.decided),
        accepted: Number(r.accepted),
        firstResponses,
      });
    if (r.markedRequest === null || r.before === null) continue;
    const list = marks.get(r.day) ?? [];
    list.push({ requestId: r.markedRequest, before: storedContribution(r.before) });
    marks.set(r.day, list);
  }
  const marked = [...new Set([...marks.values()].flat().map((m) => m.requestId))];
  const [markedFacts, liveCounts] = await Promise.all([
    requestFacts(db, marked),
    Promise.all([...provisional].map((day) => countDays(db, day, nextDay(day)))),
  ]);
  const current = new Map(markedFacts.map((r) => [r.id, r]));
  const countsOn = new Map(liveCounts.flat().map((c) => [c.day, c]));
  const clean = new Map<string, DayFacts>();
  for (const [day, row] of rows) {
    const list = marks.get(day);
    if (!list) {
      clean.set(day, row);
      continue;
    }
    const after = list.map((m) => {
      const r = current.get(m.requestId);
      return r ? contributions(r, [day]).get(day)! : null;
    });
    const corrected = after.every((a) => a !== null)
      ? replaceContributions(
          row,
          list.map((m) => m.before),
          after as DayContribution[],
        )
      : null;
    if (corrected) clean.set(day, corrected);
  }
  // A provisional row's samples stand (every change to a brief marks the day); its counts may
  // miss a request created or confirmed as the row was written, so they come from the rows.
  for (const [day, counts] of countsOn) {
    const row = clean.get(day);
    if (row) clean.set(day, { ...counts, firstResponses: row.firstResponses });
  }
  const days = daysFrom(from, options.today ? nextDay(today) : today);
  const runs: [string, string][] = [];
  for (const day of days) {
    if (clean.has(day)) continue;
    const last = runs.at(-1);
    if (last && last[1] === day) last[1] = nextDay(day);
    else runs.push([day, nextDay(day)]);
  }
  const computed = await Promise.all(runs.map(([a, b]) => computeDays(db, a, b)));
  const live = new Map(computed.flat().map((d) => [d.day, d]));
  return days.map((day) => clean.get(day) ?? live.get(day)!);
}

/**
 * Requests confirmed on the closed days from `from` to yesterday whose match proposed fewer than
 * MATCHED_AT firms. While every one of those days has its settled rollup row and none is marked,
 * the rows' two counts answer it, without reading their first-response samples (a month of them is
 * over 100,000 at a million requests a year); otherwise metricDays corrects and fills the days.
 */
export async function unmatchedOnClosedDays(
  db: Kysely<Database>,
  from: string,
  now: Date,
): Promise<number> {
  const today = isoDay(now);
  const [counts, marked] = await Promise.all([
    db
      .selectFrom('metricDays')
      .select([
        (eb) => eb.fn.countAll<number>().as('days'),
        (eb) => eb.fn.sum<number>(eb('confirmed', '-', eb.ref('matched'))).as('unmatched'),
      ])
      .where('day', '>=', from)
      .where('day', '<', today)
      .where('provisional', '=', 0)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('metricDaysDirty')
      .select('day')
      .where('day', '>=', from)
      .where('day', '<', today)
      .limit(1)
      .executeTakeFirst(),
  ]);
  if (marked === undefined && Number(counts.days) === daysFrom(from, today).length)
    return Number(counts.unmatched ?? 0);
  const days = await metricDays(db, from, now, { today: false });
  return days.reduce((n, d) => n + d.confirmed - d.matched, 0);
}

type StoredContribution = Omit<DayContribution, 'firstResponses'> & {
  firstResponses: StoredEntry[];
};

function storedContribution(json: string): DayContribution {
  const c = JSON.parse(json) as StoredContribution;
  return {
    ...c,
    firstResponses: c.firstResponses.map(toEntry),
  };
}

/**
 * Marks the days whose figures a change to this request's briefs or proposals can move — the
 * day it was confirmed (its proposal count), each day one of its briefs was sent or answered
 * (first responses, accept rate), and today, on which the change happens — with what the request
 * adds to each now, before the change. Called in the transaction that makes the change, before
 * it; a day already marked for this request keeps its first mark, which is what the day's row
 * holds.
 */
export async function markChangedDays(
  trx: Kysely<Database>,
  request: { id: string },
  now: Date,
): Promise<void> {
  const today = isoDay(now);
  const [facts] = await requestFacts(trx, [request.id]);
  if (!facts) return;
  // Today always: the change itself happens today, and today's row is written as it goes.
  const days = new Set<string>([today]);
  for (const at of [facts.confirmedAt, ...facts.briefs.flatMap((b) => [b.sentAt, b.respondedAt])]) {
    if (at && isoDayOf(at) < today) days.add(isoDayOf(at));
  }
  const markedAt = now.toISOString();
  const before = contributions(facts, [...days].sort());
  await trx
    .insertInto('metricDaysDirty')
    .values(
      [...before].map(([day, c]) => ({
        day,
        requestId: request.id,
        before: JSON.stringify({
          ...c,
          firstResponses: c.firstResponses.map(toStored),
        }),
        markedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['day', 'requestId']).doNothing())
    .execute();
}

/**
 * The job's metrics pass: rolls up (again) today, and yesterday until it settles, when a write
 * marked them or they have no row yet (provisional rows, ADR 0031); then the settled days within
 * the horizon that are dirty, missing or only provisionally rolled up, dirty ones first, then the
 * newest missing ones; at most `limit` days, each in its own short transaction. Returns how many
 * days it wrote.
 */
export async function refreshMetricDays(ctx: ServiceContext, limit = 31): Promise<number> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const settled = isoDay(now.getTime() - SETTLE_MS);
  const oldest = isoDay(now.getTime() - ROLLUP_HORIZON_DAYS * DAY_MS);
  const [dirty, stored] = await Promise.all([
    db.selectFrom('metricDaysDirty').select('day').distinct().orderBy('day', 'desc').execute(),
    db.selectFrom('metricDays').select(['day', 'provisional']).where('day', '>=', oldest).execute(),
  ]);
  const marked = new Set(dirty.map((r) => r.day));
  const rowOf = new Map(stored.map((r) => [r.day, Number(r.provisional) === 1]));
  const unsettled = daysFrom(settled, nextDay(isoDay(now))).filter(
    (d) => marked.has(d) || !rowOf.has(d),
  );
  const missing = daysFrom(oldest, settled)
    .filter((d) => rowOf.get(d) !== false)
    .reverse();
  const todo = [
    ...new Set([...unsettled, ...[...marked].filter((d) => d < settled), ...missing]),
  ].slice(0, limit);
  for (const day of todo) {
    try {
      await rollUpDay(ctx, day, now, day >= settled);
    } catch (error) {
      // Another instance rolled the same day up at the same moment: its row stands.
      if ((error as { code?: unknown } | null)?.code !== SERIALIZATION_FAILURE) throw error;
    }
  }
  return todo.length;
}

const SERIALIZATION_FAILURE = '40001';

/**
 * One day rolled up (again). The marks are deleted and the day computed on one snapshot
 * (repeatable read on PostgreSQL; SQLite runs one write transaction at a time): a change the row
 * does not include keeps its mark, and a mark that stays describes what the row holds.
 */
async function rollUpDay(
  ctx: ServiceContext,
  day: string,
  now: Date,
  provisional: boolean,
): Promise<void> {
  await ctx.db.kysely
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await trx.deleteFrom('metricDaysDirty').where('day', '=', day).execute();
      const [facts] = await computeDays(trx, day, nextDay(day));
      const row = {
        submitted: facts!.submitted,
        confirmed: facts!.confirmed,
        matched: facts!.matched,
        decided: facts!.decided,
        accepted: facts!.accepted,
        firstResponses: JSON.stringify(storedEntries(facts!.firstResponses)),
        computedAt: now.toISOString(),
        provisional: provisional ? 1 : 0,
      };
      await trx
        .insertInto('metricDays')
        .values({ day, ...row })
        .onConflict((oc) =>
          oc.column('day').doUpdateSet((eb) => ({
            ...row,
            revision: eb(eb.ref('metricDays.revision'), '+', 1),
          })),
        )
        .execute();
    });
}

/** Quotes to fold: live but not counted (+1), or counted but since withdrawn (-1). */
const TO_COUNT = sql<boolean>`price_counted = 0 and status <> 'withdrawn'`;
const TO_UNCOUNT = sql<boolean>`price_counted = 1 and status = 'withdrawn'`;

/**
 * The job's price-index pass: folds changed quotes into price_index_totals, `batch` at a time,
 * each batch in its own transaction, until none is left or `maxBatches` ran. A quote's flag
 * moves only if it still differs from its liveness (the update says which moved), so two
 * instances folding at once, or a quote withdrawn meanwhile, never count a quote twice.
 */
export async function foldPriceIndex(
  ctx: ServiceContext,
  batch = 1000,
  maxBatches = 40,
): Promise<number> {
  let folded = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await ctx.db.kysely.transaction().execute(async (trx) => {
      let moved = 0;
      for (const [flag, delta, predicate] of [
        [1, 1, TO_COUNT],
        [0, -1, TO_UNCOUNT],
      ] as const) {
        const candidates = await trx
          .selectFrom('quotes')
          .select('id')
          .where(predicate)
          .limit(batch)
          .execute();
        if (candidates.length === 0) continue;
        const changed = await trx
          .updateTable('quotes')
          .set({ priceCounted: flag })
          .where(
            'id',
            'in',
            candidates.map((c) => c.id),
          )
          .where(predicate)
          .returning(['id', 'requestId', 'totalUsd'])
          .execute();
        moved += changed.length;
        await addToTotals(trx, changed, delta);
      }
      return moved;
    });
    folded += n;
    if (n === 0) break;
  }
  return folded;
}

async function addToTotals(
  trx: Kysely<Database>,
  quotes: readonly { requestId: string; totalUsd: number }[],
  delta: 1 | -1,
): Promise<void> {
  if (quotes.length === 0) return;
  const scopes = await trx
    .selectFrom('quoteRequests')
    .select(['id', 'scope'])
    .where('id', 'in', [...new Set(quotes.map((q) => q.requestId))])
    .execute();
  const scopeOf = new Map(scopes.map((r) => [r.id, r.scope]));
  const sums = new Map<
    string,
    { framework: string; variant: string; sizeBand: string; totalUsd: number; quotes: number }
  >();
  for (const q of quotes) {
    const segment = priceSegmentOf(scopeOf.get(q.requestId) ?? '');
    if (!segment) continue;
    const totalUsd = Number(q.totalUsd);
    const key = JSON.stringify([segment.framework, segment.variant, segment.sizeBand, totalUsd]);
    const sum = sums.get(key) ?? { ...segment, totalUsd, quotes: 0 };
    sum.quotes += delta;
    sums.set(key, sum);
  }
  // In key order, so two instances folding at once take the rows' locks in the same order.
  for (const [, row] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    await trx
      .insertInto('priceIndexTotals')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['framework', 'variant', 'sizeBand', 'totalUsd']).doUpdateSet((eb) => ({
          quotes: eb('priceIndexTotals.quotes', '+', eb.ref('excluded.quotes')),
        })),
      )
      .execute();
  }
}

/** Everything the background job keeps rolled up, once a pass. */
export async function refreshRollups(
  ctx: ServiceContext,
): Promise<{ metricDays: number; quotes: number }> {
  return { metricDays: await refreshMetricDays(ctx), quotes: await foldPriceIndex(ctx) };
}
