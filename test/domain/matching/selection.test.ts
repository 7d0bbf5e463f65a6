import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALTERNATE_COUNT,
  DIVERSITY_WINDOW_POINTS,
  type MatchScope,
  match,
  NEAR_TIE_POINTS,
  PROPOSAL_COUNT,
  rankWithRotation,
  selectProposals,
} from '../../../src/domain/matching';
import type { Firm } from '../../../src/domain/firm';
import type { FirmType } from '../../../src/domain/vocabulary';
import { CTX, makeFirm, makeScope } from './fixtures';

const candidate = (
  id: string,
  score: number,
  firmType: FirmType = 'cpa-firm',
  headquarters = 'Austin, US',
) => ({
  id,
  score,
  firmType,
  headquarters,
});

describe('rotation among near-ties', () => {
  it('spreads the first pick over near-tied firms as the rotation moves', () => {
    const tied = [
      candidate('a', 80),
      candidate('b', 79.5),
      candidate('c', 78.5),
      candidate('d', 70),
    ];
    const firsts = [0, 1, 2, 3, 4, 5].map((r) => rankWithRotation(tied, r)[0]?.id);
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    // The clearly weaker firm never rotates to the front.
    for (let r = 0; r < 10; r++) expect(rankWithRotation(tied, r)[3]?.id).toBe('d');
  });

  it('groups are anchored on their best firm, so no chain of small gaps lifts a weak firm', () => {
    const chain = [
      candidate('a', 90),
      candidate('b', 88.5),
      candidate('c', 87),
      candidate('d', 85.5),
    ];
    for (let r = 0; r < 6; r++) {
      const ranked = rankWithRotation(chain, r);
      for (let i = 0; i < ranked.length; i++) {
        for (let j = i + 1; j < ranked.length; j++) {
          expect((ranked[j]?.score ?? 0) - (ranked[i]?.score ?? 0)).toBeLessThanOrEqual(
            NEAR_TIE_POINTS,
          );
        }
      }
    }
  });

  it('takes negative, fractional and non-finite rotation values without failing', () => {
    const tied = [candidate('a', 80), candidate('b', 80)];
    expect(rankWithRotation(tied, -1)[0]?.id).toBe('b');
    expect(rankWithRotation(tied, 1.7)[0]?.id).toBe('b');
    expect(rankWithRotation(tied, Number.NaN)[0]?.id).toBe('a');
  });

  it('through match: equally good firms take turns at first place', () => {
    const firms = ['f1', 'f2', 'f3', 'f4'].map((id) => makeFirm({ id }));
    const firsts = new Set(
      [0, 1, 2, 3].map(
        (rotation) => match(firms, makeScope(), { ...CTX, rotation }).proposals[0]?.firmId,
      ),
    );
    expect(firsts).toEqual(new Set(['f1', 'f2', 'f3', 'f4']));
  });
});

describe('diversity', () => {
  it('swaps the third pick for a close alternative when all three are alike', () => {
    const alike = [candidate('a', 90), candidate('b', 85), candidate('c', 80)];
    const other = candidate('x', 76, 'certification-body', 'London, UK');
    const selection = selectProposals([...alike, other, candidate('y', 75)], 0);
    expect(selection.proposals.map((p) => p.id)).toEqual(['a', 'b', 'x']);
    expect(selection.alternates.map((p) => p.id)).toEqual(['c', 'y']);
    expect(selection.diversity?.attributes).toEqual(['firmType', 'headquarters']);
  });

  it('reports only the sameness the added firm actually breaks', () => {
    const alike = [candidate('a', 90), candidate('b', 85), candidate('c', 80)];
    const selection = selectProposals([...alike, candidate('x', 79, 'cpa-firm', 'London, UK')], 0);
    expect(selection.diversity?.attributes).toEqual(['headquarters']);
  });

  it('prefers the alternative that breaks the most sameness', () => {
    const alike = [candidate('a', 90), candidate('b', 85), candidate('c', 80)];
    const typeOnly = candidate('t', 79, 'certification-body');
    const both = candidate('u', 78, 'certification-body', 'Berlin, DE');
    expect(selectProposals([...alike, typeOnly, both], 0).proposals.map((p) => p.id)).toEqual([
      'a',
      'b',
      'u',
    ]);
  });

  it('keeps the three when the only alternative is too far behind', () => {
    const alike = [candidate('a', 90), candidate('b', 85), candidate('c', 80)];
    const selection = selectProposals(
      [...alike, candidate('x', 70, 'certification-body', 'London, UK')],
      0,
    );
    expect(selection.proposals.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(selection.diversity).toBeNull();
  });

  it('keeps the three when they already differ', () => {
    const mixed = [
      candidate('a', 90),
      candidate('b', 85, 'certification-body', 'London, UK'),
      candidate('c', 80),
    ];
    expect(
      selectProposals([...mixed, candidate('x', 79, 'cpa-firm', 'London, UK')], 0).diversity,
    ).toBeNull();
  });

  it('treats headquarters written differently as the same place', () => {
    const alike = [
      candidate('a', 90),
      candidate('b', 85, 'certification-body', ' austin, us'),
      candidate('c', 80),
    ];
    const elsewhere = candidate('x', 79, 'cpa-firm', 'London, UK');
    expect(selectProposals([...alike, elsewhere], 0).proposals.map((p) => p.id)).toEqual([
      'a',
      'b',
      'x',
    ]);
  });

  it('through match: the swapped-in firm says why it was chosen', () => {
    const scope: MatchScope = makeScope();
    const strong = (id: string): Firm =>
      makeFirm({ id, medianResponseHours: 2, reviewCount: 20, reviewMean: 4.8 });
    const firms = [
      strong('a'),
      strong('b'),
      strong('c'),
      makeFirm({
        id: 'z',
        headquarters: 'Dublin, IE',
        medianResponseHours: 10,
        reviewCount: 20,
        reviewMean: 4.8,
      }),
    ];
    const result = match(firms, scope, CTX);
    expect(result.proposals.map((p) => p.firmId)).toContain('z');
    const z = result.proposals.find((p) => p.firmId === 'z');
    expect(z?.rank).toBe(3);
    expect(z?.reasons.at(-1)).toBe(
      'Chosen over a slightly closer fit so your three are not all alike (based in Dublin, IE)',
    );
  });
});

describe('selection from a large catalog', () => {
  type C = ReturnType<typeof candidate>;
  /** The selection as specified, over the whole ranked list: the oracle for the pooled one. */
  function selectWhole(candidates: C[], rotation: number) {
    const ranked = rankWithRotation(candidates, rotation);
    const proposals = ranked.slice(0, PROPOSAL_COUNT);
    const rest = ranked.slice(PROPOSAL_COUNT);
    const [first, , third] = proposals;
    let added: C | null = null;
    if (first && third) {
      const key = (c: C, a: 'firmType' | 'headquarters') =>
        a === 'firmType' ? c.firmType : c.headquarters.trim().toLowerCase();
      const shared = (['firmType', 'headquarters'] as const).filter((a) =>
        proposals.every((p) => key(p, a) === key(first, a)),
      );
      let bestBreaks = 0;
      for (const alternative of shared.length > 0 ? rest : []) {
        if (third.score - alternative.score > DIVERSITY_WINDOW_POINTS) continue;
        const breaks = shared.filter((a) => key(alternative, a) !== key(first, a)).length;
        if (breaks > bestBreaks) {
          added = alternative;
          bestBreaks = breaks;
        }
      }
      if (added) {
        proposals[PROPOSAL_COUNT - 1] = added;
        rest.splice(rest.indexOf(added), 1);
        rest.unshift(third);
      }
    }
    return {
      proposals: proposals.map((c) => c.id),
      alternates: rest.slice(0, ALTERNATE_COUNT).map((c) => c.id),
      added: added?.id ?? null,
    };
  }

  it('looking only at the firms near the top picks exactly what ranking everyone would', () => {
    // Mostly alike firms, so the one that brings diversity often sits deep in the ranking, and
    // quarter-point scores in a narrow band, so near-ties, windows and exact ties are common.
    const mostly = <T>(usual: T, ...rare: T[]) =>
      fc.oneof(
        { arbitrary: fc.constant(usual), weight: 12 },
        { arbitrary: fc.constantFrom(...rare), weight: 1 },
      );
    const candidates = fc
      .array(
        fc.record({
          score: fc.integer({ min: 0, max: 120 }).map((x) => 70 + x / 4),
          firmType: mostly<FirmType>('cpa-firm', 'certification-body'),
          headquarters: mostly('Austin, US', 'London, UK', 'austin, us '),
        }),
        { maxLength: 80, size: 'max' },
      )
      .map((cs) => cs.map((c, i) => candidate(`f${i}`, c.score, c.firmType, c.headquarters)));
    fc.assert(
      fc.property(candidates, fc.integer({ min: -5, max: 1000 }), (cs, rotation) => {
        const pooled = selectProposals(cs, rotation);
        expect({
          proposals: pooled.proposals.map((c) => c.id),
          alternates: pooled.alternates.map((c) => c.id),
          added: pooled.diversity?.added.id ?? null,
        }).toEqual(selectWhole(cs, rotation));
      }),
      { numRuns: 2000 },
    );
  });
});
