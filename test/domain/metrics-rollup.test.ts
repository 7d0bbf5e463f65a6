import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceIndex } from '../../src/domain/estimate';
import {
  type BriefFacts,
  type ConfirmedRequestFacts,
  dayFacts,
  daySamples,
  entryOfWeek,
  firstResponseEntries,
  median,
  operatorMetrics,
  operatorMetricsFromDays,
  replaceContributions,
  weekStart,
} from '../../src/domain/metrics';
import { isoDay } from '../../src/domain/matching/dates';
import { priceIndexOfList } from '../helpers/reference-reads';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-09T12:00:00.000Z');
/** Far enough back for the longest period and the requests that straddle its start. */
const FIRST = NOW - 60 * 7 * DAY_MS;
const instant = fc.integer({ min: FIRST, max: NOW }).map((ms) => new Date(ms).toISOString());

/** A request's briefs: sent over several weeks (replacements), each answered, expired, withdrawn or open. */
const requestArb = fc.record({
  createdAt: instant,
  confirmed: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  briefs: fc.array(
    fc.record({
      sentAfterDays: fc.integer({ min: 0, max: 40 }),
      status: fc.constantFrom('sent', 'accepted', 'declined', 'expired', 'withdrawn'),
      answerAfterHours: fc.double({ min: 0, max: 24 * 20, noNaN: true }),
      withdrawnAfterAnswer: fc.boolean(),
    }),
    { maxLength: 6 },
  ),
});

type RequestDraw = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function rows(requests: RequestDraw[]) {
  const submitted: string[] = [];
  const confirmed: ConfirmedRequestFacts[] = [];
  const briefs: BriefFacts[] = [];
  requests.forEach((r, i) => {
    submitted.push(r.createdAt);
    const created = Date.parse(r.createdAt);
    if (r.confirmed !== null)
      confirmed.push({
        confirmedAt: new Date(created + 3_600_000).toISOString(),
        proposedCount: r.confirmed,
      });
    for (const b of r.briefs) {
      const sent = Math.min(created + b.sentAfterDays * DAY_MS, NOW);
      const answered = Math.min(sent + b.answerAfterHours * 3_600_000, NOW);
      // A withdrawn brief keeps the answer it had, if any (an accepted brief withdrawn later).
      const respondedAt =
        b.status === 'sent' || (b.status === 'withdrawn' && !b.withdrawnAfterAnswer)
          ? null
          : new Date(answered).toISOString();
      briefs.push({
        requestId: `r${i}`,
        status: b.status,
        sentAt: new Date(sent).toISOString(),
        respondedAt,
      });
    }
  });
  return { submitted, confirmed, briefs };
}

describe('operator metrics from daily facts', () => {
  it('equal the figures computed from the rows, for every period, however requests straddle its start', () => {
    fc.assert(
      fc.property(
        fc.array(requestArb, { maxLength: 40 }),
        fc.constantFrom(1, 4, 12, 26, 52),
        (requests, weeks) => {
          const { submitted, confirmed, briefs } = rows(requests);
          const now = new Date(NOW);
          const days: string[] = [];
          for (let d = FIRST - DAY_MS; d <= NOW; d += DAY_MS) days.push(isoDay(d));
          // As the service reads them: each day's facts alone, then put together.
          const facts = days.map(
            (day) =>
              dayFacts([day], {
                submitted,
                confirmed,
                answered: briefs,
                briefsOfRequestsSent: briefs.filter((b) =>
                  briefs.some(
                    (s) => s.requestId === b.requestId && isoDay(Date.parse(s.sentAt)) === day,
                  ),
                ),
              })[0]!,
          );
          const demand = [{ framework: 'soc2', region: 'europe', kind: 'request', count: 2 }];
          expect(operatorMetricsFromDays(facts, demand, now, weeks)).toEqual(
            operatorMetrics({ submitted, confirmed, briefs, demand }, now, weeks),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('first-response entries from per-request summaries', () => {
  it('are the entries placed in each week, as the database sums up the briefs of each request', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { minLength: 1, maxLength: 10 }), (requests) => {
        const { briefs } = rows(requests);
        const mondays = [...new Set(briefs.map((b) => weekStart(b.sentAt)))];
        for (const monday of mondays) {
          const since = `${monday}T00:00:00.000Z`;
          const briefed = new Set(
            briefs.filter((b) => weekStart(b.sentAt) === monday).map((b) => b.requestId),
          );
          // As the SQL does it: min and max over each request's briefs, filtered.
          const fromSummaries = [...briefed].flatMap((requestId) => {
            const own = briefs.filter((b) => b.requestId === requestId);
            const from = own.filter((b) => b.sentAt >= since);
            const answers = from
              .filter((b) => ['accepted', 'declined'].includes(b.status) && b.respondedAt)
              .map((b) => b.respondedAt!);
            const before = own.filter((b) => b.sentAt < since).map((b) => b.sentAt);
            const entry = entryOfWeek({
              firstSent: from.map((b) => b.sentAt).sort()[0] ?? null,
              firstAnswer: answers.sort()[0] ?? null,
              previousSent: before.sort().at(-1) ?? null,
            });
            return entry ? [entry] : [];
          });
          const placed = firstResponseEntries(briefs).filter((e) => weekStart(e.day) === monday);
          const order = (a: { day: string; hours: number }, b: { day: string; hours: number }) =>
            a.day.localeCompare(b.day) || a.hours - b.hours;
          expect(fromSummaries.sort(order)).toEqual(placed.sort(order));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('price index from counts per total', () => {
  it('equals the index over the list of quotes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -100, max: 60_000 }),
            fc.constantFrom(0, 30_000, 30_000, 45_000, Number.NaN),
          ),
          { maxLength: 60 },
        ),
        (quotes) => {
          expect(priceIndex(quotes)).toEqual(priceIndexOfList(quotes));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a day corrected by the requests marked on it', () => {
  const day = {
    day: '2026-12-01',
    submitted: 4,
    confirmed: 2,
    matched: 1,
    decided: 3,
    accepted: 1,
    firstResponses: daySamples([
      { previousWeek: null, hours: 2 },
      { previousWeek: '2026-11-23', hours: 5 },
    ]),
  };
  const none = { confirmed: 0, matched: 0, decided: 0, accepted: 0, firstResponses: [] };

  it('replaces what the request added before with what it adds now', () => {
    expect(
      replaceContributions(
        day,
        [{ ...none, decided: 1, accepted: 1, firstResponses: [{ previousWeek: null, hours: 2 }] }],
        [{ ...none, decided: 0, firstResponses: [{ previousWeek: null, hours: 3 }] }],
      ),
    ).toEqual({
      ...day,
      decided: 2,
      accepted: 0,
      firstResponses: daySamples([
        { previousWeek: '2026-11-23', hours: 5 },
        { previousWeek: null, hours: 3 },
      ]),
    });
  });

  it('gives up when the row does not hold what the request added before', () => {
    expect(
      replaceContributions(
        day,
        [{ ...none, firstResponses: [{ previousWeek: null, hours: 9 }] }],
        [],
      ),
    ).toBeNull();
    expect(replaceContributions(day, [{ ...none, accepted: 2 }], [])).toBeNull();
  });
});

describe('the median of the response times', () => {
  it('is the middle value, or the mean of the two middle values, as sorting finds them', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 500, noNaN: true })),
          {
            maxLength: 200,
          },
        ),
        (values) => {
          const sorted = [...values].sort((a, b) => a - b);
          const mid = sorted.length >> 1;
          const expected =
            sorted.length === 0
              ? null
              : sorted.length % 2 === 1
                ? sorted[mid]
                : (sorted[mid - 1]! + sorted[mid]!) / 2;
          expect(median(values)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
