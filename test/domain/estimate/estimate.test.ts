import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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

const PROGRAMS: ExistingProgram[] = ['none', 'soc2', 'iso27001', 'both'];

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
  expect(b.cost.lowUsd).toBeGreaterThanOrEqual(a.cost.lowUsd);
  expect(b.cost.highUsd).toBeGreaterThanOrEqual(a.cost.highUsd);
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
        expect(e.cost.lowUsd).toBeGreaterThan(0);
        expect(e.cost.lowUsd).toBeLessThanOrEqual(e.cost.highUsd);
        expect(e.timeline.lowWeeks).toBeLessThanOrEqual(e.timeline.highWeeks);
        expect(e.sources.some((s) => s.unit === 'usd' && s.usedInEstimate)).toBe(true);
        expect(e.sources.some((s) => s.unit === 'weeks' && s.usedInEstimate)).toBe(true);
        for (const s of e.sources) {
          expect(s.name.length).toBeGreaterThan(0);
          expect(s.figure.length).toBeGreaterThan(0);
          expect(s.low).toBeLessThanOrEqual(s.high);
        }
        const names = new Set(e.sources.map((s) => s.name));
        expect(e.phases.length).toBeGreaterThanOrEqual(3);
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
    for (const framework of ['iso42001', 'iso27001'] as const) {
      expect(estimate({ ...BASE, framework }).phases.map((p) => p.id)).toEqual([
        'readiness',
        'stage1',
        'stage2',
        'certificate',
      ]);
    }
  });
});

describe('estimate: base figures', () => {
  it('starts SOC 2 from the published Type I and Type II fees', () => {
    expect(estimate({ ...BASE, variant: 'type1' }).cost).toEqual({ lowUsd: 15000, highUsd: 40000 });
    const t2 = estimate(BASE);
    expect(t2.cost).toEqual({ lowUsd: 25000, highUsd: 75000 });
    expect(t2.sources).toContainEqual(
      expect.objectContaining({
        name: 'Strac, SOC 2 cost guide',
        low: 25000,
        high: 75000,
        unit: 'usd',
        kind: 'published',
      }),
    );
    // Other published ranges are drawn beside ours without feeding it.
    expect(t2.sources.filter((s) => s.unit === 'usd' && !s.usedInEstimate).length).toBeGreaterThan(
      0,
    );
  });

  it('starts ISO 42001 from certification-body fees and lands on the published 12–18 months', () => {
    const e = estimate({ ...BASE, framework: 'iso42001' });
    expect(e.cost).toEqual({ lowUsd: 35000, highUsd: 55000 });
    expect(e.timeline).toEqual({ lowWeeks: 52, highWeeks: 78 });
  });

  it('marks the ISO 27001 base honestly as derived from ISO 42001 fees', () => {
    const e = estimate({ ...BASE, framework: 'iso27001' });
    const derived = e.sources.filter((s) => s.kind === 'derived' && s.unit === 'usd');
    expect(derived).toHaveLength(1);
    expect(derived[0]?.name).toMatch(
      /No published ISO 27001 figure in our data; scaled from ISO 42001/,
    );
    expect(e.cost.highUsd).toBeLessThanOrEqual(55000);
  });

  it('labels assumptions as such, never as published figures', () => {
    const e = estimate(BASE);
    const assumptions = e.sources.filter((s) => s.kind === 'assumption');
    expect(assumptions.length).toBeGreaterThan(0);
    for (const s of assumptions) expect(s.name).toMatch(/assumption/i);
  });
});

describe('estimate: drivers', () => {
  it('explains extra categories in a plain sentence', () => {
    const e = estimate({ ...BASE, categories: ['security', 'availability', 'confidentiality'] });
    const d = e.drivers.find((x) => x.id === 'categories');
    expect(d?.effect).toMatch(/^\+\d+% to \+\d+% for two extra categories beyond Security/);
    expect(e.cost.lowUsd).toBeGreaterThan(estimate(BASE).cost.lowUsd);
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
      expect.objectContaining({ name: 'Regulome', low: 13, high: 26, unit: 'weeks' }),
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
