import fc from 'fast-check';
import accreditationBodies from '../../../src/data/accreditation-bodies.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import type { Credential, Firm, LiveService } from '../../../src/domain/firm';
import {
  ALTERNATE_COUNT,
  eligibility,
  type MatchResult,
  type MatchScope,
  match,
  minimumAuditWeeks,
  NEAR_TIE_POINTS,
  PROPOSAL_COUNT,
  RELAXABLE_CODES,
  rankWithRotation,
  withLiveState,
} from '../../../src/domain/matching';
import {
  checkEligibility,
  eligibilityTester,
  prepareScope,
  ruleScanner,
  rulesInMask,
} from '../../../src/domain/matching/eligibility';
import { catalogFacts, factsScanner } from '../../../src/domain/matching/catalog-facts';
import { minimumReadinessWeeks } from '../../../src/domain/timeline';
import { FIRM_PLANS, FIRM_TYPES } from '../../../src/domain/vocabulary';
import {
  contextArb,
  dateNear,
  firmsArb,
  type MatchCase,
  matchCaseArb,
  scopeArb,
  shiftDate,
} from './arbitraries';

/**
 * The promises as properties over generated catalogs and requests. The hard rules are restated
 * here independently of the implementation, so a bug in the matcher cannot vouch for itself.
 */

const RUNS = { numRuns: 300 };

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const names = (standard: string, number: string) =>
  new RegExp(`(^|\\D)${number}(\\D|$)`).test(standard);

function twoYearsBefore(today: string): string {
  const year = Number(today.slice(0, 4)) - 2;
  const monthDay = today.slice(5) === '02-29' ? '02-28' : today.slice(5);
  return `${year}-${monthDay}`;
}

/** The last day of a YYYY-MM month. */
function monthEnd(month: string): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
  return d.toISOString().slice(0, 10);
}

const MLA_SIGNATORIES = new Set(accreditationBodies.bodies.map((b) => b.id));

/** The first hard rule `firm` breaks for this request, or null: an oracle written from the brief. */
function brokenRule(firm: Firm, scope: MatchScope, today: string): string | null {
  if (firm.status !== 'active') return 'not active';
  if (!firm.regions.includes(scope.region)) return 'region';
  const named = (list: string[]) =>
    list.some((x) => norm(x) === norm(firm.id) || norm(x) === norm(firm.slug));
  if (named(scope.excludeFirmIds)) return 'excluded';
  // Valid today and still on the report date (a date already past asks nothing more than today).
  const reportDate = scope.neededBy > today ? scope.neededBy : today;
  const current = (c: Credential) =>
    c.verification === 'verified' &&
    c.validFrom <= today &&
    (c.validTo === null || c.validTo >= reportDate);
  const holds = (test: (c: Credential) => boolean) =>
    firm.credentials.some((c) => current(c) && test(c));
  // ISO/IEC 17021-1 plus the certification's own scheme standard (42006, 27006-1, 27006-2).
  const isoAccredited = (number: string, scheme: string) =>
    holds(
      (c) =>
        c.kind === 'iso-accreditation' &&
        MLA_SIGNATORIES.has(c.issuer) &&
        c.scopeStandards.some((s) => names(s, number)) &&
        c.schemeStandards.some((s) => names(s, '17021-1')) &&
        c.schemeStandards.some((s) => names(s, scheme)),
    );
  for (const { framework, variant } of scope.frameworks) {
    const service = firm.services.find((s) => s.framework === framework);
    if (!service) return 'not offered';
    if (variant !== undefined && !service.variants.includes(variant)) return 'variant';
    if (service.paused && (service.pausedUntil === null || service.pausedUntil >= today))
      return 'paused';
    const used = service.capacityMonth === today.slice(0, 7) ? service.capacityUsed : 0;
    if (used >= service.monthlyCapacity) return 'capacity';
    // Readiness (from the timeline model) runs while the firm's lead time passes.
    const ready = minimumReadinessWeeks(framework, scope.headcount, scope.startingPoint);
    const days =
      7 * (Math.max(service.leadTimeWeeks, ready) + minimumAuditWeeks(framework, variant));
    if (shiftDate(today, days) > scope.neededBy) return 'too late';
    const qualified = {
      soc1: holds((c) => c.kind === 'cpa-licence') && holds((c) => c.kind === 'aicpa-peer-review'),
      soc2: holds((c) => c.kind === 'cpa-licence') && holds((c) => c.kind === 'aicpa-peer-review'),
      iso27001: isoAccredited('27001', '27006-1'),
      iso42001: isoAccredited('42001', '42006'),
      iso27701: isoAccredited('27701', '27006-2'),
      hipaa: holds((c) => c.kind === 'cpa-licence' || c.kind === 'iso-accreditation'),
      'pci-dss': holds((c) => c.kind === 'pci-qsa'),
      hitrust: holds((c) => c.kind === 'hitrust-assessor'),
    }[framework];
    if (!qualified) return 'credential';
    if ((framework === 'soc1' || framework === 'soc2') && named(scope.controlsBuiltBy))
      return 'soc conflict';
    if (framework.startsWith('iso')) {
      const cutoff = twoYearsBefore(today);
      // Advice that ended more than two years ago no longer bars anyone.
      const consultants = scope.managementSystemConsultants
        .filter((c) => c.advisedUntil === undefined || monthEnd(c.advisedUntil) >= cutoff)
        .map((c) => norm(c.name));
      if ([firm.id, firm.slug, firm.name].some((n) => consultants.includes(norm(n))))
        return 'iso conflict';
      const linked = firm.consultancyLinks.some(
        (l) =>
          consultants.includes(norm(l.consultancy)) && (l.endedOn === null || l.endedOn >= cutoff),
      );
      if (linked) return 'iso conflict';
    }
  }
  return null;
}

function everyone(result: MatchResult) {
  return [...result.proposals, ...result.alternates];
}

function eligibleIds(c: MatchCase): string[] {
  return c.firms.filter((f) => brokenRule(f, c.scope, c.ctx.today) === null).map((f) => f.id);
}

describe('matching promises (generated catalogs and requests)', () => {
  it('the oracle and eligibility() agree on every firm', () => {
    fc.assert(
      fc.property(matchCaseArb({ maxFirms: 6 }), ({ firms, scope, ctx }) => {
        for (const firm of firms) {
          expect(eligibility(firm, scope, ctx).eligible).toBe(
            brokenRule(firm, scope, ctx.today) === null,
          );
        }
      }),
      RUNS,
    );
  });

  it('the early-exit tester, the rule scanner and the catalog facts agree with the full explanation', () => {
    fc.assert(
      fc.property(matchCaseArb({ maxFirms: 6 }), ({ firms, scope, ctx }) => {
        const prepared = prepareScope(scope, ctx);
        const isEligible = eligibilityTester(prepared);
        const scan = ruleScanner(prepared);
        const facts = catalogFacts(firms, ctx.today);
        expect(facts).not.toBeNull();
        const fromFacts = factsScanner(facts!, firms, prepared);
        for (const [position, firm] of firms.entries()) {
          const full = checkEligibility(firm, prepared);
          expect(isEligible(firm)).toBe(full.eligible);
          expect(new Set(rulesInMask(scan(firm)))).toEqual(
            new Set(full.failures.map((f) => f.code)),
          );
          expect(fromFacts(position)).toBe(scan(firm));
        }
      }),
      RUNS,
    );
  });

  it('a catalog given new live state matches as one loaded with it, its facts patched as built afresh', () => {
    const withChanges = matchCaseArb().chain((c) => {
      const liveArb = (firm: Firm): fc.Arbitrary<LiveService[]> =>
        fc.tuple(
          ...firm.services.map((s) =>
            fc.record({
              framework: fc.constant(s.framework),
              monthlyCapacity: fc.integer({ min: 0, max: 4 }),
              capacityUsed: fc.integer({ min: 0, max: 5 }),
              capacityMonth: fc.constantFrom(c.ctx.today.slice(0, 7), '2020-01'),
              paused: fc.boolean(),
              pausedUntil: fc.option(dateNear(c.ctx.today, -5, 30), { nil: null }),
            }),
          ),
        );
      return fc.record({
        c: fc.constant(c),
        changes: fc
          .subarray(c.firms.map((f, i) => [i, f] as const))
          .chain((picked) =>
            fc.tuple(...picked.map(([i, f]) => liveArb(f).map((l) => [i, l] as const))),
          ),
      });
    });
    fc.assert(
      fc.property(withChanges, ({ c, changes }) => {
        // The old snapshot's facts and index exist, as they do in a running instance.
        match(c.firms, c.scope, c.ctx);
        const next = withLiveState(c.firms, new Map(changes));
        const loaded = structuredClone(next);
        expect(next).toEqual(loaded);
        expect(catalogFacts(next, c.ctx.today)).toEqual(catalogFacts(loaded, c.ctx.today));
        expect(match(next, c.scope, c.ctx)).toEqual(match(loaded, c.scope, c.ctx));
      }),
      RUNS,
    );
  });

  it('no proposed or alternate firm breaks any hard rule', () => {
    fc.assert(
      fc.property(matchCaseArb(), ({ firms, scope, ctx }) => {
        const byId = new Map(firms.map((f) => [f.id, f]));
        for (const p of everyone(match(firms, scope, ctx))) {
          const firm = byId.get(p.firmId);
          expect(firm).toBeDefined();
          expect(brokenRule(firm as Firm, scope, ctx.today)).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('at most three proposals, all distinct; alternates distinct and apart; nothing eligible is lost', () => {
    fc.assert(
      fc.property(matchCaseArb(), (c) => {
        const result = match(c.firms, c.scope, c.ctx);
        const eligible = eligibleIds(c);
        expect(result.proposals.length).toBe(Math.min(PROPOSAL_COUNT, eligible.length));
        expect(result.alternates.length).toBe(
          Math.min(ALTERNATE_COUNT, Math.max(0, eligible.length - PROPOSAL_COUNT)),
        );
        const ids = everyone(result).map((p) => p.firmId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(everyone(result).map((p) => p.rank)).toEqual(ids.map((_, i) => i + 1));
        expect(result.shortfall === null).toBe(eligible.length >= PROPOSAL_COUNT);
        if (result.shortfall) expect(result.shortfall.eligibleCount).toBe(eligible.length);
      }),
      RUNS,
    );
  });

  it('scores are 0–100 and each breakdown adds up to its score', () => {
    fc.assert(
      fc.property(matchCaseArb(), ({ firms, scope, ctx }) => {
        const result = match(firms, scope, ctx);
        for (const p of [...everyone(result), ...result.partialFits]) {
          expect(p.score).toBeGreaterThanOrEqual(0);
          expect(p.score).toBeLessThanOrEqual(100);
          const sum = p.breakdown.reduce((a, c) => a + c.points, 0);
          expect(Math.abs(sum - p.score)).toBeLessThan(0.05);
        }
      }),
      RUNS,
    );
  });

  it('partial fits failed exactly one rule a buyer could relax, and only appear on a shortfall', () => {
    fc.assert(
      fc.property(matchCaseArb(), ({ firms, scope, ctx }) => {
        const result = match(firms, scope, ctx);
        if (!result.shortfall) expect(result.partialFits).toEqual([]);
        const proposed = new Set(everyone(result).map((p) => p.firmId));
        for (const fit of result.partialFits) {
          const firm = firms.find((f) => f.id === fit.firmId) as Firm;
          expect(proposed.has(fit.firmId)).toBe(false);
          expect(firm.status).toBe('active');
          expect(RELAXABLE_CODES.has(fit.rule)).toBe(true);
          expect(new Set(eligibility(firm, scope, ctx).failures.map((f) => f.code))).toEqual(
            new Set([fit.rule]),
          );
        }
      }),
      RUNS,
    );
  });

  it('changing plan, or any commercial field, never changes the result', () => {
    const withCommerce = matchCaseArb().chain((c) =>
      fc.record({
        c: fc.constant(c),
        plans: fc.array(fc.constantFrom(...FIRM_PLANS), {
          minLength: c.firms.length,
          maxLength: c.firms.length,
        }),
        bids: fc.array(fc.integer({ min: 0, max: 100_000 }), {
          minLength: c.firms.length,
          maxLength: c.firms.length,
        }),
      }),
    );
    fc.assert(
      fc.property(withCommerce, ({ c, plans, bids }) => {
        const before = match(c.firms, c.scope, c.ctx);
        // Fields that do not exist yet (a bid, a sponsorship date) must not leak in either.
        const changed = c.firms.map((f, i) => ({
          ...f,
          plan: plans[i] ?? f.plan,
          sponsoredUntil: '2099-12-31',
          bidUsd: bids[i],
        }));
        expect(match(changed, c.scope, c.ctx)).toEqual(before);
      }),
      RUNS,
    );
  });

  it('is deterministic: same inputs give a deep-equal result, whatever the order of the catalog', () => {
    const shuffled = matchCaseArb().chain((c) =>
      fc.record({
        c: fc.constant(c),
        keys: fc.array(fc.double({ noNaN: true }), {
          minLength: c.firms.length,
          maxLength: c.firms.length,
        }),
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ c, keys }) => {
        const first = match(c.firms, c.scope, c.ctx);
        expect(match(c.firms, c.scope, c.ctx)).toEqual(first);
        const order = c.firms.map((f, i) => ({ f, k: keys[i] ?? 0 })).sort((a, b) => a.k - b.k);
        expect(
          match(
            order.map((o) => o.f),
            c.scope,
            c.ctx,
          ),
        ).toEqual(first);
      }),
      RUNS,
    );
  });

  it('rotation only reorders among near-ties', () => {
    const candidatesArb = fc
      .array(
        fc.record({
          score: fc.integer({ min: 0, max: 40 }).map((x) => x / 4 + 70),
          firmType: fc.constantFrom(...FIRM_TYPES),
          headquarters: fc.constantFrom('Austin, US', 'London, UK'),
        }),
        { maxLength: 15 },
      )
      .map((cs) => cs.map((c, i) => ({ ...c, id: `f${i}` })));
    fc.assert(
      fc.property(candidatesArb, fc.integer(), fc.integer(), (candidates, r1, r2) => {
        const a = rankWithRotation(candidates, r1);
        const b = rankWithRotation(candidates, r2);
        expect([...a].map((c) => c.id).sort()).toEqual(candidates.map((c) => c.id).sort());
        for (let i = 0; i < a.length; i++) {
          // Position by position, two rotations differ by at most a near-tie…
          expect(Math.abs((a[i]?.score ?? 0) - (b[i]?.score ?? 0))).toBeLessThanOrEqual(
            NEAR_TIE_POINTS,
          );
          // …and no firm is ever put ahead of one scoring more than a near-tie higher.
          for (let j = i + 1; j < a.length; j++) {
            expect((a[j]?.score ?? 0) - (a[i]?.score ?? 0)).toBeLessThanOrEqual(NEAR_TIE_POINTS);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('through match, rotation keeps the best fit first and the same firms in play', () => {
    fc.assert(
      fc.property(
        matchCaseArb({ maxFirms: 10 }),
        fc.integer({ min: 0, max: 50 }),
        (c, rotation) => {
          const a = match(c.firms, c.scope, c.ctx);
          const b = match(c.firms, c.scope, { ...c.ctx, rotation });
          const ids = (r: MatchResult) =>
            everyone(r)
              .map((p) => p.firmId)
              .sort();
          // At most ten firms, so every eligible one is a proposal or an alternate under any rotation.
          expect(ids(b)).toEqual(ids(a));
          const best = Math.max(...everyone(a).map((p) => p.score));
          for (const r of [a, b]) {
            if (r.proposals[0])
              expect(best - r.proposals[0].score).toBeLessThanOrEqual(NEAR_TIE_POINTS);
          }
          // Without near-ties there is nothing to rotate.
          const scores = everyone(a)
            .map((p) => p.score)
            .sort((x, y) => x - y);
          const nearTie = scores.some(
            (s, i) => i > 0 && s - (scores[i - 1] ?? 0) <= NEAR_TIE_POINTS,
          );
          if (!nearTie) {
            expect({ ...b, inputs: a.inputs }).toEqual(a);
          }
        },
      ),
      RUNS,
    );
  });

  it('is total on generated input: never throws for a valid scope and context', () => {
    fc.assert(
      fc.property(
        contextArb.chain((ctx) =>
          fc.tuple(fc.constant(ctx), firmsArb(ctx.today), scopeArb(ctx.today)),
        ),
        ([ctx, firms, scope]) => {
          expect(() => match(firms, scope, ctx)).not.toThrow();
        },
      ),
      RUNS,
    );
  });
});
