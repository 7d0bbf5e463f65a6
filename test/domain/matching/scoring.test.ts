import { describe, expect, it } from 'vitest';
import {
  COMMERCIAL_FIRM_FIELDS,
  FIT_COMPONENTS,
  FIT_WEIGHTS,
  type FitComponentId,
  fitScore,
  type MatchScope,
  REVIEW_PRIOR_MEAN,
  smoothedRating,
  toRankingInput,
} from '../../../src/domain/matching';
import type { Firm } from '../../../src/domain/firm';
import { makeFirm, makeScope, service } from './fixtures';

function component(firm: Firm, id: FitComponentId, scope: MatchScope = makeScope()) {
  const found = fitScore(toRankingInput(firm), scope).breakdown.find((c) => c.component === id);
  if (!found) throw new Error(`no component ${id}`);
  return found;
}

describe('the ranking input', () => {
  it('carries no commercial field, whatever the firm holds', () => {
    const firm = { ...makeFirm({ plan: 'sponsored' }), sponsoredUntil: '2030-01-01', bidUsd: 900 };
    const input = toRankingInput(firm);
    for (const field of [...COMMERCIAL_FIRM_FIELDS, 'sponsoredUntil', 'bidUsd']) {
      expect(Object.keys(input)).not.toContain(field);
    }
    expect(JSON.stringify(input)).not.toContain('sponsored');
  });
});

describe('the fit score', () => {
  it('has weights summing to 100 and a breakdown whose points add up to the score', () => {
    expect(Object.values(FIT_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    const fit = fitScore(
      toRankingInput(makeFirm({ reviewCount: 3, reviewMean: 4.5 })),
      makeScope(),
    );
    expect(fit.breakdown.map((c) => c.component)).toEqual([...FIT_COMPONENTS]);
    const sum = fit.breakdown.reduce((a, c) => a + c.points, 0);
    expect(Math.abs(sum - fit.score)).toBeLessThan(0.05);
    expect(fit.score).toBeGreaterThan(0);
    expect(fit.score).toBeLessThanOrEqual(100);
  });

  it('a firm that fits on every count scores 100', () => {
    const perfect = makeFirm({
      aiSpecialism: true,
      reviewCount: 1_000_000,
      reviewMean: 5,
      medianResponseHours: 1,
      services: [
        service('soc2', { priceRanges: [{ sizeBand: '11-50', minUsd: 25000, maxUsd: 45000 }] }),
      ],
    });
    expect(
      fitScore(toRankingInput(perfect), makeScope({ aiExposure: 'ai-is-the-product' })).score,
    ).toBeCloseTo(100, 1);
  });

  it('stage, industry and language are met or not', () => {
    expect(component(makeFirm(), 'stage')).toMatchObject({
      value: 1,
      note: 'Works with Series A companies',
    });
    expect(component(makeFirm({ stages: ['enterprise'] }), 'stage').value).toBe(0);
    expect(component(makeFirm(), 'industry').value).toBe(1);
    expect(component(makeFirm({ industries: ['fintech'] }), 'industry').value).toBe(0);
    expect(component(makeFirm({ languages: ['EN-gb'] }), 'language').value).toBe(1);
    expect(component(makeFirm(), 'language', makeScope({ language: 'de' })).value).toBe(0);
  });

  it('headcount fit asks for a published price for the buyer’s size band', () => {
    expect(component(makeFirm(), 'headcount').value).toBe(1);
    expect(component(makeFirm(), 'headcount', makeScope({ headcount: 5000 })).value).toBe(0);
  });

  it('budget overlap is the share of the fee range inside the band, summed over frameworks', () => {
    // Fees 20k–40k inside the 20k–50k band.
    expect(component(makeFirm(), 'budget').value).toBe(1);
    // Fees 20k–40k against under-20k: they only touch at 20k.
    expect(component(makeFirm(), 'budget', makeScope({ budget: 'under-20k' })).value).toBe(0);
    // Two frameworks: 40k–80k in total, of which 50k–80k (three quarters) lies in 50k–100k.
    const both = makeFirm({}, ['soc2', 'iso27001']);
    const scope = makeScope({
      budget: '50k-100k',
      frameworks: [{ framework: 'soc2' }, { framework: 'iso27001' }],
    });
    expect(component(both, 'budget', scope).value).toBe(0.75);
    // No budget given: the component drops out and the others share its weight.
    const noBudget = component(makeFirm(), 'budget', makeScope({ budget: undefined }));
    expect(noBudget.applicable).toBe(false);
    expect(noBudget.points).toBe(0);
  });

  it('AI specialism only counts for ISO/IEC 42001 or when AI is the product', () => {
    const ai = makeFirm({ aiSpecialism: true });
    expect(component(ai, 'ai').applicable).toBe(false);
    expect(component(ai, 'ai', makeScope({ aiExposure: 'ai-is-the-product' })).value).toBe(1);
    const iso = makeScope({ frameworks: [{ framework: 'iso42001' }] });
    expect(component(ai, 'ai', iso)).toMatchObject({ applicable: true, value: 1 });
    expect(component(makeFirm(), 'ai', iso)).toMatchObject({ applicable: true, value: 0 });
    // Irrelevant, so it cannot separate two otherwise equal firms.
    expect(fitScore(toRankingInput(ai), makeScope()).score).toBe(
      fitScore(toRankingInput(makeFirm()), makeScope()).score,
    );
  });

  it('reviews are smoothed towards the prior, so one 5-star review is no trump card', () => {
    expect(smoothedRating(0, null)).toBe(REVIEW_PRIOR_MEAN);
    expect(smoothedRating(1, 5)).toBeCloseTo((5 * 4 + 5) / 6);
    expect(smoothedRating(1, 5)).toBeLessThan(smoothedRating(40, 4.7));
    expect(smoothedRating(3, 1)).toBeGreaterThan(2.5);
  });

  it('responsiveness: fast answers score, no history is neutral', () => {
    expect(component(makeFirm({ medianResponseHours: 2 }), 'responsiveness').value).toBe(1);
    expect(component(makeFirm({ medianResponseHours: 100 }), 'responsiveness').value).toBe(0);
    expect(component(makeFirm({ medianResponseHours: null }), 'responsiveness').value).toBe(0.5);
    expect(component(makeFirm({ medianResponseHours: 38 }), 'responsiveness').value).toBe(0.5);
  });
});
