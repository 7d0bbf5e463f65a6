import { isoDayOf } from '../../src/domain/matching/dates';
import { describe, expect, it } from 'vitest';
import {
  acceptRate,
  type BriefFacts,
  countByWeek,
  demandBy,
  firstResponseHours,
  lastWeeks,
  matchRate,
  median,
  operatorMetrics,
  ratio,
  weekStart,
} from '../../src/domain/metrics';

const brief = (
  requestId: string,
  status: string,
  sentAt: string,
  respondedAt: string | null = null,
): BriefFacts => ({ requestId, status, sentAt, respondedAt });

describe('weeks', () => {
  it('starts a week on Monday, in UTC', () => {
    expect(weekStart('2026-11-30T09:00:00Z')).toBe('2026-11-30'); // a Monday
    expect(weekStart('2026-12-06T23:59:59Z')).toBe('2026-11-30'); // the Sunday after
    expect(weekStart('2026-12-07T00:00:00Z')).toBe('2026-12-07');
    expect(weekStart('2027-01-01T12:00:00Z')).toBe('2026-12-28'); // across a year end
    // Stored instants (toISOString) are read by their text; an offset is still honoured.
    expect(weekStart('2026-12-06T23:59:59.999Z')).toBe('2026-11-30');
    expect(weekStart('2026-12-06T20:00:00.000-05:00')).toBe('2026-12-07');
    expect(isoDayOf('2026-12-06T23:59:59.999Z')).toBe('2026-12-06');
    expect(isoDayOf('2026-12-06T20:00:00.000-05:00')).toBe('2026-12-07');
    expect(weekStart(new Date('2026-12-06T23:00:00Z'))).toBe('2026-11-30');
  });

  it('lists the last weeks oldest first, ending with the current one', () => {
    expect(lastWeeks(new Date('2026-12-03T10:00:00Z'), 3)).toEqual([
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
  });

  it('counts instants per week and ignores those outside the weeks', () => {
    const weeks = ['2026-11-23', '2026-11-30'];
    const counts = countByWeek(
      [
        '2026-11-24T01:00:00Z',
        '2026-11-30T00:00:00Z',
        '2026-12-01T00:00:00Z',
        '2026-11-01T00:00:00Z',
      ],
      weeks,
    );
    expect(counts).toEqual([
      { week: '2026-11-23', count: 1 },
      { week: '2026-11-30', count: 2 },
    ]);
  });
});

describe('rates and medians', () => {
  it('has no rate without a denominator', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts a request as matched when three firms were proposed', () => {
    const rate = matchRate([
      { confirmedAt: '2026-11-30T00:00:00Z', proposedCount: 3 },
      { confirmedAt: '2026-11-30T00:00:00Z', proposedCount: 2 },
      { confirmedAt: '2026-11-30T00:00:00Z', proposedCount: 0 },
      { confirmedAt: '2026-11-30T00:00:00Z', proposedCount: 3 },
    ]);
    expect(rate).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
  });

  it('accept rate: accepted among answered or expired; withdrawn and open briefs do not count', () => {
    const rate = acceptRate([
      brief('a', 'accepted', '2026-11-30T00:00:00Z', '2026-11-30T05:00:00Z'),
      brief('a', 'declined', '2026-11-30T00:00:00Z', '2026-11-30T06:00:00Z'),
      brief('b', 'expired', '2026-11-30T00:00:00Z', '2026-12-02T00:00:00Z'),
      brief('b', 'withdrawn', '2026-11-30T00:00:00Z'),
      brief('c', 'sent', '2026-11-30T00:00:00Z'),
    ]);
    expect(rate).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  });

  it('time to first response: per request, first brief sent to first firm answer; expiry is no answer', () => {
    const hours = firstResponseHours([
      brief('a', 'accepted', '2026-11-30T00:00:00Z', '2026-11-30T10:00:00Z'),
      brief('a', 'declined', '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z'),
      brief('b', 'expired', '2026-11-30T00:00:00Z', '2026-12-02T00:00:00Z'),
      brief('c', 'accepted', '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z'),
    ]);
    expect(hours.sort((x, y) => x - y)).toEqual([4, 24]);
  });
});

describe('demand', () => {
  it('sums per framework and per region, most requested first', () => {
    const rows = [
      { framework: 'soc2', region: 'europe', kind: 'preview', count: 10 },
      { framework: 'soc2', region: 'north-america', kind: 'request', count: 2 },
      { framework: 'iso42001', region: 'europe', kind: 'request', count: 5 },
      { framework: 'iso42001', region: 'europe', kind: 'confirmed', count: 4 },
      { framework: 'soc2', region: 'europe', kind: 'unknown-kind', count: 99 },
    ];
    expect(demandBy(rows, 'framework')).toEqual([
      { key: 'iso42001', preview: 0, request: 5, confirmed: 4 },
      { key: 'soc2', preview: 10, request: 2, confirmed: 0 },
    ]);
    expect(demandBy(rows, 'region').map((d) => [d.key, d.request])).toEqual([
      ['europe', 5],
      ['north-america', 2],
    ]);
  });
});

describe('operatorMetrics', () => {
  it('places every figure in its week and leaves weeks without data empty', () => {
    const now = new Date('2026-12-09T12:00:00Z'); // week of 2026-12-07
    const m = operatorMetrics(
      {
        submitted: [
          '2026-11-30T09:00:00Z',
          '2026-12-01T09:00:00Z',
          '2026-12-08T09:00:00Z',
          '2026-10-01T00:00:00Z',
        ],
        confirmed: [
          { confirmedAt: '2026-11-30T10:00:00Z', proposedCount: 3 },
          { confirmedAt: '2026-12-08T10:00:00Z', proposedCount: 1 },
        ],
        briefs: [
          brief('a', 'accepted', '2026-11-30T11:00:00Z', '2026-11-30T13:00:00Z'),
          brief('a', 'declined', '2026-11-30T11:00:00Z', '2026-12-07T11:00:00Z'),
          brief('old', 'accepted', '2026-09-01T00:00:00Z', '2026-09-02T00:00:00Z'),
        ],
        demand: [{ framework: 'soc2', region: 'europe', kind: 'request', count: 3 }],
      },
      now,
      2,
    );
    expect(m.weeks).toEqual(['2026-11-30', '2026-12-07']);
    expect(m.requestsPerWeek).toEqual([
      { week: '2026-11-30', submitted: 2, confirmed: 1 },
      { week: '2026-12-07', submitted: 1, confirmed: 1 },
    ]);
    expect(m.matchRate).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(m.matchRatePerWeek.map((w) => w.rate)).toEqual([1, 0]);
    expect(m.acceptRate).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(m.acceptRatePerWeek.map((w) => w.rate)).toEqual([1, 0]);
    expect(m.medianFirstResponseHours).toBe(2);
    expect(m.firstResponseSamples).toBe(1);
    expect(m.demandByFramework[0]).toEqual({ key: 'soc2', preview: 0, request: 3, confirmed: 0 });
  });

  it('has no rates at all before anything happened', () => {
    const m = operatorMetrics(
      { submitted: [], confirmed: [], briefs: [], demand: [] },
      new Date('2026-12-09T00:00:00Z'),
      4,
    );
    expect(m.matchRate.rate).toBeNull();
    expect(m.acceptRate.rate).toBeNull();
    expect(m.medianFirstResponseHours).toBeNull();
    expect(m.matchRatePerWeek.every((w) => w.rate === null)).toBe(true);
  });
});
