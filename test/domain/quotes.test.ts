import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareQuotes,
  type QuoteLine,
  quoteSums,
  toQuoteLine,
  yearOneMidpoint,
} from '../../src/domain/quotes';

const line = (
  phase: QuoteLine['phase'],
  minUsd: number,
  maxUsd = minUsd,
  framework: QuoteLine['framework'] = 'soc2',
): QuoteLine => ({ framework, phase, label: `${framework} ${phase}`, minUsd, maxUsd });

describe('the quote comparison', () => {
  it('keeps year one and the whole cycle apart, and never counts a missing line as nothing', () => {
    const a = {
      lines: [
        line('readiness', 6000),
        line('stage1-stage2', 20000, 26000, 'iso42001'),
        line('surveillance-year2', 9000, 9000, 'iso42001'),
      ],
    };
    const b = { lines: [line('stage1-stage2', 18000, 18000, 'iso42001')] };
    const c = compareQuotes([a, b]);
    expect(c.rows.map((r) => [r.phase, r.period, r.flagged])).toEqual([
      ['readiness', 'optional', true],
      ['stage1-stage2', 'year-one', false],
      ['surveillance-year2', 'later', true],
    ]);
    expect(c.yearOne).toEqual([
      { minUsd: 20000, maxUsd: 26000, complete: true, missing: [] },
      { minUsd: 18000, maxUsd: 18000, complete: true, missing: [] },
    ]);
    // B did not quote surveillance: its whole-cycle sum is a floor, marked incomplete and saying what is missing.
    expect(c.fullCycle[1]).toEqual({
      minUsd: 18000,
      maxUsd: 18000,
      complete: false,
      missing: ['iso42001 surveillance-year2'],
    });
    expect(c.fullCycle[0]).toMatchObject({ minUsd: 29000, maxUsd: 35000, complete: true });
    expect(c.rows[2]!.cells[1]).toBeNull();
  });

  it('reads quotes stored before ranges as fixed fees', () => {
    expect(
      toQuoteLine({ framework: 'soc2', phase: 'type2', label: 'x', feeUsd: 30000 }),
    ).toMatchObject({ minUsd: 30000, maxUsd: 30000 });
    expect(yearOneMidpoint([line('readiness', 5000), line('type2', 24000, 30000)])).toBe(27000);
  });

  it('for any quotes: a total is complete exactly when the firm quoted every line others quoted, and its sum is its own lines', () => {
    const phases = [
      'readiness',
      'type1',
      'type2',
      'surveillance-year2',
      'recertification',
    ] as const;
    const quoteArb = fc.uniqueArray(
      fc.record({
        phase: fc.constantFrom(...phases),
        min: fc.integer({ min: 0, max: 50000 }),
        extra: fc.integer({ min: 0, max: 20000 }),
      }),
      { selector: (l) => l.phase, maxLength: 5 },
    );
    fc.assert(
      fc.property(fc.array(quoteArb, { minLength: 1, maxLength: 3 }), (raw) => {
        const quotes = raw.map((q) => ({
          lines: q.map((l) => line(l.phase, l.min, l.min + l.extra)),
        }));
        const c = compareQuotes(quotes);
        quotes.forEach((q, i) => {
          const own = quoteSums(q.lines);
          expect({ minUsd: c.fullCycle[i]!.minUsd, maxUsd: c.fullCycle[i]!.maxUsd }).toEqual(
            own.fullCycle,
          );
          const others = new Set(
            quotes.flatMap((o) =>
              o.lines.filter((l) => l.phase !== 'readiness').map((l) => l.phase),
            ),
          );
          const mine = new Set(q.lines.map((l) => l.phase));
          expect(c.fullCycle[i]!.complete).toBe([...others].every((p) => mine.has(p)));
        });
      }),
      { numRuns: 200 },
    );
  });
});
