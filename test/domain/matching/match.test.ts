import { describe, expect, it } from 'vitest';
import type { Firm } from '../../../src/domain/firm';
import { ALGORITHM_VERSION, match } from '../../../src/domain/matching';
import { accreditation, CTX, makeFirm, makeScope, service } from './fixtures';

const isoScope = makeScope({
  frameworks: [{ framework: 'iso42001' }],
  aiExposure: 'ai-is-the-product',
});
const certificationBody = (id: string, overrides: Partial<Firm> = {}) =>
  makeFirm(
    {
      id,
      firmType: 'certification-body',
      headquarters: 'London, UK',
      credentials: [accreditation(['ISO/IEC 42001:2023', 'ISO/IEC 27001:2022'])],
      ...overrides,
    },
    ['iso42001'],
  );

describe('match', () => {
  it('answers the same for a catalog it has indexed before, a copy of it, and a changed copy as that copy says', () => {
    const firms = Array.from({ length: 8 }, (_, i) =>
      certificationBody(`cb-${i}`, {
        regions: i % 2 === 0 ? ['europe'] : ['europe', 'north-america'],
      }),
    );
    const first = match(firms, isoScope, CTX);
    expect(match(firms, isoScope, CTX)).toEqual(first);
    expect(match([...firms], isoScope, CTX)).toEqual(first);
    // A catalog is a snapshot: a change comes as a new array, and the answer follows it.
    const proposed = new Set(first.proposals.map((p) => p.firmId));
    const changed = firms.map((f) =>
      proposed.has(f.id) ? { ...f, status: 'suspended' as const } : f,
    );
    const after = match(changed, isoScope, CTX);
    const stillServing = firms.filter(
      (f) => f.regions.includes(isoScope.region) && !proposed.has(f.id),
    );
    expect(first.proposals).toHaveLength(3);
    expect(after.proposals.map((p) => p.firmId)).toEqual(stillServing.map((f) => f.id));
    expect(after.shortfall?.eligibleCount).toBe(stillServing.length);
  });

  it('proposes three with plain-language reasons, keeps the rest as alternates', () => {
    const firms = Array.from({ length: 12 }, (_, i) =>
      certificationBody(`cb-${String(i).padStart(2, '0')}`, {
        aiSpecialism: i % 2 === 0,
        reviewCount: i,
        reviewMean: i === 0 ? null : 4.5,
        headquarters: ['London, UK', 'Berlin, DE', 'Austin, US'][i % 3] ?? '',
      }),
    );
    const result = match(firms, isoScope, CTX);
    expect(result.algorithmVersion).toBe(ALGORITHM_VERSION);
    expect(result.inputs).toEqual({ scope: isoScope, context: CTX });
    expect(result.proposals.map((p) => p.rank)).toEqual([1, 2, 3]);
    expect(result.alternates.map((p) => p.rank)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(result.shortfall).toBeNull();
    expect(result.partialFits).toEqual([]);
    const [first] = result.proposals;
    expect(first?.reasons).toEqual([
      'Accredited by ANAB for ISO/IEC 42001',
      'Can start by 24 March 2027',
      'Works with Series A companies',
      'Prices its work for companies of 11–50 people',
      'Experienced with B2B SaaS companies',
      'Typical fees of $20k–$40k fall within your budget ($20k–$50k)',
      'Specialises in auditing AI systems',
      'Rated 4.5/5 by 10 introduced buyers',
    ]);
    // Scores never increase down the list by more than a near-tie.
    const all = [...result.proposals, ...result.alternates];
    expect(new Set(all.map((p) => p.firmId)).size).toBe(10);
  });

  it('says honestly when fewer than three fit, names what cut the most, and shows partial fits', () => {
    const late = (id: string) =>
      makeFirm({ id, services: [service('soc2', { leadTimeWeeks: 30 })] });
    const firms = [
      makeFirm({ id: 'ok-1' }),
      makeFirm({ id: 'ok-2', reviewCount: 5, reviewMean: 4.9 }),
      late('late-1'),
      late('late-2'),
      late('late-3'),
      late('late-4'),
      late('late-5'),
      makeFirm({ id: 'far-away', regions: ['asia-pacific'] }),
      makeFirm({ id: 'conflicted', reviewCount: 50, reviewMean: 5 }),
      makeFirm({ id: 'suspended', status: 'suspended' }),
      makeFirm({ id: 'iso-only', firmType: 'certification-body' }, ['iso27001']),
    ];
    const scope = makeScope({ controlsBuiltBy: ['conflicted'] });
    const result = match(firms, scope, CTX);
    expect(result.proposals.map((p) => p.firmId).sort()).toEqual(['ok-1', 'ok-2']);
    expect(result.shortfall).toEqual({
      eligibleCount: 2,
      candidateCount: 9,
      message:
        'Only 2 firms meet every requirement of your SOC 2 Type 2 request, so we propose 2 rather than 3. ' +
        'What ruled out the most firms: only 4 of 9 firms can deliver by 31 December 2027.',
      cutBy: [
        {
          code: 'cannot-start-in-time',
          count: 5,
          message: 'only 4 of 9 firms can deliver by 31 December 2027',
        },
        { code: 'region-not-served', count: 1, message: 'only 8 of 9 firms serve North America' },
        {
          code: 'soc-independence-conflict',
          count: 1,
          message:
            '1 firm designed, implemented or operates your controls. A readiness assessment alone does not disqualify a SOC auditor; only designing, implementing or operating your controls does.',
        },
      ],
    });
    // Near misses a buyer could act on, never the conflicted or suspended firm.
    expect(result.partialFits).toHaveLength(3);
    for (const fit of result.partialFits) {
      expect(['late-1', 'late-2', 'late-3', 'late-4', 'late-5', 'far-away']).toContain(fit.firmId);
      expect(fit.failures).toHaveLength(1);
    }
    const late1 = match([late('late-1')], scope, CTX).partialFits[0];
    expect(late1?.rule).toBe('cannot-start-in-time');
    expect(late1?.failures[0]?.message).toBe(
      'Cannot deliver SOC 2 Type 2 by 31 December 2027: 30 weeks before it can start plus at least 19 weeks of audit means 16 February 2028 at the earliest',
    );
  });

  it('says when no firm fits at all', () => {
    const result = match([makeFirm({ regions: ['europe'] })], makeScope(), CTX);
    expect(result.proposals).toEqual([]);
    expect(result.shortfall?.message).toBe(
      'No firm meets every requirement of your SOC 2 Type 2 request yet. What ruled out the most firms: no firm serves North America.',
    );
    expect(result.partialFits.map((p) => p.rule)).toEqual(['region-not-served']);
  });

  it('says when no active firm does the work at all', () => {
    const result = match([makeFirm()], isoScope, CTX);
    expect(result.shortfall).toEqual({
      eligibleCount: 0,
      candidateCount: 0,
      message: 'No active firm on Auditmatch offers ISO/IEC 42001 yet, so we cannot propose any.',
      cutBy: [],
    });
  });

  it('counts firms that do only part of a multi-framework request', () => {
    const scope = makeScope({ frameworks: [{ framework: 'soc2' }, { framework: 'iso42001' }] });
    const both = makeFirm({ id: 'both', firmType: 'cpa-and-certification-body' }, [
      'soc2',
      'iso42001',
    ]);
    const result = match([both, makeFirm({ id: 'soc' }), certificationBody('cb')], scope, CTX);
    expect(result.proposals.map((p) => p.firmId)).toEqual(['both']);
    expect(result.shortfall?.cutBy).toEqual([
      {
        code: 'framework-not-offered',
        count: 2,
        message: 'only 1 of 3 firms offers both SOC 2 and ISO/IEC 42001',
      },
    ]);
    expect(result.partialFits.map((p) => p.firmId).sort()).toEqual(['cb', 'soc']);
  });

  it('needs at least one framework', () => {
    expect(() => match([makeFirm()], makeScope({ frameworks: [] }), CTX)).toThrow(RangeError);
  });
});
