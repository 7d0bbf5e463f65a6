import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BEYOND_PUBLISHED,
  ESTIMATE_BOUND_FACTOR,
  ESTIMATE_LABEL,
  type Estimate,
  type EstimateInput,
  type ExistingProgram,
  estimate,
  PRICE_INDEX_MIN_QUOTES,
  priceIndex,
} from '../../../src/domain/estimate';
import { TSC_CATEGORIES, type TscCategory } from '../../../src/domain/vocabulary';

const BASE: EstimateInput = {
  framework: 'soc2',
  variant: 'type2',
  windowMonths: 3,
  categories: ['security'],
  headcount: 30,
  systems: 3,
  locations: 1,
  existingProgram: 'none',
};

const PROGRAMS: ExistingProgram[] = ['none', 'soc2', 'iso27001', 'both', 'iso27001-2013', 'ready'];

const inputArb: fc.Arbitrary<EstimateInput> = fc.record({
  framework: fc.constantFrom('soc2' as const, 'iso42001' as const, 'iso27001' as const),
  variant: fc.constantFrom('type1' as const, 'type2' as const),
  windowMonths: fc.integer({ min: 1, max: 15 }),
  categories: fc.subarray([...TSC_CATEGORIES]),
  headcount: fc.integer({ min: 1, max: 5000 }),
  systems: fc.integer({ min: 1, max: 80 }),
  locations: fc.integer({ min: 1, max: 40 }),
  existingProgram: fc.constantFrom(...PROGRAMS),
});

/** `b` costs and takes at least as much as `a`, at both ends of each range. */
function noLess(a: Estimate, b: Estimate): void {
  expect(b.cost === null).toBe(a.cost === null);
  if (a.cost && b.cost) {
    expect(b.cost.lowUsd).toBeGreaterThanOrEqual(a.cost.lowUsd);
    expect(b.cost.highUsd).toBeGreaterThanOrEqual(a.cost.highUsd);
  }
  expect(b.timeline.lowWeeks).toBeGreaterThanOrEqual(a.timeline.lowWeeks);
  expect(b.timeline.highWeeks).toBeGreaterThanOrEqual(a.timeline.highWeeks);
}

const pair = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);

describe('estimate: invariants', () => {
  it('gives ranges with low ≤ high, sources behind every range, and the estimate label', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const e = estimate(input);
        expect(e.label).toBe(ESTIMATE_LABEL);
        if (e.cost) {
          expect(e.cost.lowUsd).toBeGreaterThan(0);
          expect(e.cost.lowUsd).toBeLessThanOrEqual(e.cost.highUsd);
          expect(e.sources.some((s) => s.unit === 'usd' && s.usedInEstimate)).toBe(true);
        } else {
          // No figure means no number and a sentence saying why.
          expect(e.bounds.cost.status).toBe('no-figure');
          expect(e.bounds.cost.message).toMatch(/no published/i);
        }
        expect(e.timeline.lowWeeks).toBeLessThanOrEqual(e.timeline.highWeeks);
        expect(e.sources.some((s) => s.unit === 'weeks' && s.usedInEstimate)).toBe(true);
        for (const s of e.sources) {
          expect(s.name.length).toBeGreaterThan(0);
          expect(s.figure.length).toBeGreaterThan(0);
          expect(s.low).toBeLessThanOrEqual(s.high);
        }
        const names = new Set(e.sources.map((s) => s.name));
        expect(e.phases.length).toBeGreaterThanOrEqual(e.framework === 'iso27001' ? 3 : 3);
        for (const p of e.phases) {
          expect(p.lowWeeks).toBeGreaterThanOrEqual(0);
          expect(p.lowWeeks).toBeLessThanOrEqual(p.highWeeks);
          expect(p.sourceNames.length).toBeGreaterThan(0);
          for (const n of p.sourceNames) expect(names.has(n)).toBe(true);
        }
        expect(e.timeline.lowWeeks).toBe(e.phases.reduce((t, p) => t + p.lowWeeks, 0));
        expect(e.timeline.highWeeks).toBe(e.phases.reduce((t, p) => t + p.highWeeks, 0));
        for (const d of e.drivers) {
          expect(d.multiplierLow).toBeLessThanOrEqual(d.multiplierHigh);
          expect(d.effect.length).toBeGreaterThan(0);
        }
        expect(estimate(input)).toEqual(e);
      }),
      { numRuns: 400 },
    );
  });

  it('shows the phases of each route for the Gantt strip', () => {
    expect(estimate(BASE).phases.map((p) => p.id)).toEqual(['readiness', 'window', 'report']);
    expect(estimate({ ...BASE, variant: 'type1' }).phases.map((p) => p.id)).toEqual([
      'readiness',
      'type1',
      'report',
    ]);
    expect(estimate({ ...BASE, framework: 'iso42001' }).phases.map((p) => p.id)).toEqual([
      'readiness',
      'stage1',
      'stage2',
      'certificate',
    ]);
    // No published ISO 27001 readiness figure: the audits alone, and the page says so.
    const iso27001 = estimate({ ...BASE, framework: 'iso27001' });
    expect(iso27001.phases.map((p) => p.id)).toEqual(['stage1', 'stage2', 'certificate']);
    expect(iso27001.bounds.timeline.status).toBe('no-figure');
  });
});

describe('estimate: base figures', () => {
  it('starts SOC 2 from the published Type I and Type II fees, labelled as one publisher’s estimate', () => {
    expect(estimate({ ...BASE, variant: 'type1' }).cost).toEqual({ lowUsd: 15000, highUsd: 40000 });
    const t2 = estimate(BASE);
    expect(t2.cost).toEqual({ lowUsd: 25000, highUsd: 75000 });
    expect(t2.sources).toContainEqual(
      expect.objectContaining({
        name: 'Strac, SOC 2 cost guide',
        low: 25000,
        high: 75000,
        unit: 'usd',
        kind: 'single-publisher',
      }),
    );
    // The ceiling comes from more than one publisher.
    const ceilingRows = t2.sources.filter(
      (s) => s.unit === 'usd' && s.high === t2.bounds.cost.ceiling,
    );
    expect(new Set(ceilingRows.map((r) => r.name.split(',')[0])).size).toBeGreaterThanOrEqual(2);
  });

  it('gives ISO 42001 the published 12–18 months and no fee it cannot source', () => {
    const e = estimate({ ...BASE, framework: 'iso42001' });
    expect(e.cost).toBeNull();
    expect(e.timeline).toEqual({ lowWeeks: 52, highWeeks: 78 });
    // The all-in figure is shown beside, never used as a fee.
    expect(e.sources.filter((s) => s.unit === 'usd').every((s) => !s.usedInEstimate)).toBe(true);
  });

  it('never builds ISO 27001 from ISO 42001 figures', () => {
    const e = estimate({ ...BASE, framework: 'iso27001' });
    expect(e.cost).toBeNull();
    expect(e.bounds.cost.message).toMatch(/ISO 27001/);
    for (const s of e.sources) expect(`${s.name} ${s.figure}`).not.toMatch(/42001|Regulome/);
  });

  it('labels assumptions as such, and dates every other row', () => {
    const e = estimate(BASE);
    const assumptions = e.sources.filter((s) => s.kind === 'assumption');
    expect(assumptions.length).toBeGreaterThan(0);
    for (const s of assumptions) expect(s.name).toMatch(/assumption/i);
    for (const s of e.sources.filter((r) => r.kind !== 'assumption')) {
      expect(s.date).toMatch(/^(published|read) [A-Z][a-z]+ \d{4}$/);
    }
    for (const s of e.sources.filter((r) => r.kind === 'single-publisher')) {
      expect(s.figure).toMatch(/one publisher's estimate/);
    }
  });

  it('treats an ISO 27001:2013 certificate as lapsed since the transition', () => {
    const old = estimate({ ...BASE, framework: 'iso42001', existingProgram: 'iso27001-2013' });
    expect(old.timeline).toEqual(estimate({ ...BASE, framework: 'iso42001' }).timeline);
    expect(old.notes.join(' ')).toMatch(/31 October 2025/);
  });
});

describe('estimate: bounded by its sources', () => {
  it('never goes above the highest published figure (times the stated factor), for any scope', () => {
    expect(ESTIMATE_BOUND_FACTOR).toBe(1);
    fc.assert(
      fc.property(inputArb, (input) => {
        const e = estimate(input);
        if (e.cost) {
          const top = Math.max(...e.sources.filter((s) => s.unit === 'usd').map((s) => s.high));
          expect(e.cost.highUsd).toBeLessThanOrEqual(top * ESTIMATE_BOUND_FACTOR);
          expect(e.bounds.cost.ceiling).toBe(top * ESTIMATE_BOUND_FACTOR);
        }
        if (e.bounds.timeline.ceiling !== null) {
          expect(e.timeline.highWeeks).toBeLessThanOrEqual(e.bounds.timeline.ceiling);
        }
        if (e.framework === 'iso42001') {
          // Never longer than the published from-scratch maximum.
          expect(e.timeline.highWeeks).toBeLessThanOrEqual(78);
        }
        for (const b of [e.bounds.cost, e.bounds.timeline]) {
          if (b.status === 'beyond') expect(b.message).toContain(BEYOND_PUBLISHED);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('says a scope past the sources is beyond them instead of inventing a number', () => {
    const big = estimate({
      framework: 'soc2',
      variant: 'type2',
      windowMonths: 12,
      categories: [...TSC_CATEGORIES],
      headcount: 2000,
      systems: 40,
      locations: 10,
      existingProgram: 'none',
    });
    expect(big.bounds.cost.status).toBe('beyond');
    expect(big.cost?.highUsd).toBe(150000);
    const iso = estimate({
      framework: 'iso42001',
      headcount: 150,
      systems: 20,
      locations: 4,
      existingProgram: 'iso27001',
    });
    // 18 months from scratch less the smallest published saving (3 months).
    expect(iso.timeline.highWeeks).toBeLessThanOrEqual(65);
    expect(iso.bounds.timeline.status).toBe('beyond');
    expect(estimate(BASE).bounds.cost.status).toBe('within');
  });
});

describe('estimate: drivers', () => {
  it('explains extra categories in a plain sentence', () => {
    const e = estimate({ ...BASE, categories: ['security', 'availability', 'confidentiality'] });
    const d = e.drivers.find((x) => x.id === 'categories');
    expect(d?.effect).toMatch(/^\+\d+% to \+\d+% for two extra categories beyond Security/);
    expect(e.cost?.lowUsd).toBeGreaterThan(estimate(BASE).cost?.lowUsd ?? 0);
  });

  it('clamps the observation window to 3–12 months', () => {
    expect(estimate({ ...BASE, windowMonths: 1 }).windowMonths).toBe(3);
    expect(estimate({ ...BASE, windowMonths: 20 }).windowMonths).toBe(12);
    expect(estimate({ ...BASE, windowMonths: undefined }).windowMonths).toBe(3);
    const twelve = estimate({ ...BASE, windowMonths: 12 });
    expect(twelve.phases.find((p) => p.id === 'window')).toMatchObject({
      lowWeeks: 52,
      highWeeks: 52,
    });
  });

  it('ignores SOC 2-only inputs for ISO frameworks', () => {
    const plain = estimate({ ...BASE, framework: 'iso42001', categories: [] });
    const extra = estimate({
      ...BASE,
      framework: 'iso42001',
      categories: ['privacy'],
      windowMonths: 12,
    });
    expect(extra).toEqual(plain);
    expect(plain.drivers.map((d) => d.id)).toEqual(['headcount', 'systems', 'locations', 'reuse']);
  });

  it('rejects a non-numeric scope', () => {
    expect(() => estimate({ ...BASE, headcount: Number.NaN })).toThrow(RangeError);
  });
});

describe('estimate: a bigger scope never costs less', () => {
  it('is monotone in headcount', () => {
    fc.assert(
      fc.property(inputArb, pair(1, 20000), (input, [a, b]) => {
        noLess(estimate({ ...input, headcount: a }), estimate({ ...input, headcount: b }));
      }),
    );
  });

  it('is monotone in systems', () => {
    fc.assert(
      fc.property(inputArb, pair(1, 500), (input, [a, b]) => {
        noLess(estimate({ ...input, systems: a }), estimate({ ...input, systems: b }));
      }),
    );
  });

  it('is monotone in locations', () => {
    fc.assert(
      fc.property(inputArb, pair(1, 200), (input, [a, b]) => {
        noLess(estimate({ ...input, locations: a }), estimate({ ...input, locations: b }));
      }),
    );
  });

  it('is monotone in categories (a superset never costs less)', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.subarray([...TSC_CATEGORIES]),
        fc.subarray([...TSC_CATEGORIES]),
        (input, some, more) => {
          const small: TscCategory[] = some;
          const large: TscCategory[] = [...new Set([...some, ...more])];
          noLess(
            estimate({ ...input, categories: small }),
            estimate({ ...input, categories: large }),
          );
        },
      ),
    );
  });

  it('is monotone in the observation window', () => {
    fc.assert(
      fc.property(inputArb, pair(0, 24), (input, [a, b]) => {
        noLess(estimate({ ...input, windowMonths: a }), estimate({ ...input, windowMonths: b }));
      }),
    );
  });
});

describe('estimate: reuse of an existing program', () => {
  it('lowers or keeps cost and time against starting from nothing, and both programs save the most', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const none = estimate({ ...input, existingProgram: 'none' });
        const soc2 = estimate({ ...input, existingProgram: 'soc2' });
        const iso = estimate({ ...input, existingProgram: 'iso27001' });
        const both = estimate({ ...input, existingProgram: 'both' });
        const ready = estimate({ ...input, existingProgram: 'ready' });
        const old = estimate({ ...input, existingProgram: 'iso27001-2013' });
        // Ready for audit leaves no readiness at all; the fee is the first-time fee.
        expect(ready.timeline.highWeeks).toBeLessThanOrEqual(both.timeline.highWeeks);
        expect(ready.cost).toEqual(none.cost);
        expect(old.timeline).toEqual(none.timeline);
        noLess(soc2, none);
        noLess(iso, none);
        noLess(both, soc2);
        noLess(both, iso);
      }),
    );
  });

  it('shortens ISO 42001 with ISO 27001 and cites the published saving', () => {
    const none = estimate({ ...BASE, framework: 'iso42001' });
    const reuse = estimate({ ...BASE, framework: 'iso42001', existingProgram: 'iso27001' });
    expect(reuse.timeline.highWeeks).toBeLessThan(none.timeline.highWeeks);
    expect(reuse.sources).toContainEqual(
      expect.objectContaining({
        name: 'Regulome, ISO/IEC 42001 cost and timeline',
        low: 13,
        high: 26,
        unit: 'weeks',
      }),
    );
  });
});

describe('priceIndex', () => {
  it('returns null for fewer than five quotes', () => {
    expect(PRICE_INDEX_MIN_QUOTES).toBe(5);
    for (let n = 0; n < 5; n++) {
      expect(priceIndex(Array.from({ length: n }, (_, i) => 10000 + i))).toBeNull();
    }
  });

  it('does not count invalid quotes towards the minimum', () => {
    expect(priceIndex([10000, 20000, 30000, 40000, Number.NaN])).toBeNull();
    expect(priceIndex([10000, 20000, 30000, 40000, 0])).toBeNull();
  });

  it('gives quartiles by linear interpolation at five or more', () => {
    expect(priceIndex([50, 10, 40, 20, 30])).toEqual({ median: 30, p25: 20, p75: 40, count: 5 });
    expect(priceIndex([80, 10, 70, 20, 60, 30, 50, 40])).toEqual({
      median: 45,
      p25: 27.5,
      p75: 62.5,
      count: 8,
    });
  });

  it('keeps p25 ≤ median ≤ p75 within the quotes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500000 }), { minLength: 5, maxLength: 60 }),
        (qs) => {
          const idx = priceIndex(qs);
          expect(idx).not.toBeNull();
          if (!idx) return;
          expect(idx.count).toBe(qs.length);
          expect(idx.p25).toBeGreaterThanOrEqual(Math.min(...qs));
          expect(idx.p25).toBeLessThanOrEqual(idx.median);
          expect(idx.median).toBeLessThanOrEqual(idx.p75);
          expect(idx.p75).toBeLessThanOrEqual(Math.max(...qs));
        },
      ),
    );
  });
});
