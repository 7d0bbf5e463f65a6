import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate, type ExistingProgram, startingPointOf } from '../../src/domain/estimate';
import { match, NEEDED_BY_NOT_FUTURE } from '../../src/domain/matching';
import { addDays, dayNumber } from '../../src/domain/matching/dates';
import { checkDeadline, fastestWeeks } from '../../src/domain/timeline';
import { CTX, makeFirm, makeScope, TODAY } from './matching/fixtures';

const threeFirms = (framework: 'soc2' | 'iso42001') =>
  ['a', 'b', 'c'].map((id) =>
    makeFirm({ id, firmType: framework === 'soc2' ? 'cpa-firm' : 'certification-body' }, [
      framework,
    ]),
  );

describe('one timeline model for the matcher and the estimator', () => {
  it('the matcher’s earliest date is the estimator’s fastest path for the same scope', () => {
    const programs: ExistingProgram[] = ['none', 'soc2', 'iso27001', 'both', 'ready'];
    fc.assert(
      fc.property(
        fc.constantFrom('soc2' as const, 'iso42001' as const, 'iso27001' as const),
        fc.constantFrom('type1' as const, 'type2' as const),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(...programs),
        (framework, variant, headcount, program) => {
          // The base scope: the quote form asks no more than headcount and the variant.
          const e = estimate({
            framework,
            ...(framework === 'soc2' ? { variant, windowMonths: 3 } : {}),
            headcount,
            systems: 1,
            locations: 1,
            existingProgram: program,
          });
          const request = { framework, ...(framework === 'soc2' ? { variant } : {}) };
          expect(fastestWeeks(request, headcount, startingPointOf(program))).toBe(
            e.timeline.lowWeeks,
          );
        },
      ),
    );
  });

  it('ISO 42001 from scratch in four months: told it is too soon, with the earliest date, and no firm is "fit"', () => {
    const neededBy = addDays(TODAY, 122);
    const scope = makeScope({
      frameworks: [{ framework: 'iso42001' }],
      neededBy,
      startingPoint: 'from-scratch',
    });
    const result = match(threeFirms('iso42001'), scope, CTX);
    expect(result.deadline.status).toBe('too-soon');
    expect(result.proposals).toEqual([]);
    const e = estimate({
      framework: 'iso42001',
      headcount: 40,
      systems: 1,
      locations: 1,
      existingProgram: 'none',
    });
    expect(result.deadline.earliest).toBe(addDays(TODAY, e.timeline.lowWeeks * 7));
    expect(result.deadline.message).toContain('too soon');
    // The offered date works: the same three firms fit with it.
    expect(result.suggestedNeededBy).not.toBeNull();
    const again = match(
      threeFirms('iso42001'),
      { ...scope, neededBy: result.suggestedNeededBy as string },
      CTX,
    );
    expect(again.deadline.status).toBe('ok');
    expect(again.proposals).toHaveLength(3);
    // Ready for audit, the same four months are enough.
    const ready = match(
      threeFirms('iso42001'),
      { ...scope, startingPoint: 'ready-for-audit' },
      CTX,
    );
    expect(ready.deadline.status).toBe('ok');
    expect(ready.proposals).toHaveLength(3);
  });

  it('SOC 2 Type 2 by an early date offers the earliest date the firms can make, never a dead end', () => {
    const firms = [2, 6, 10].map((lead, i) =>
      makeFirm({ id: `f${i}`, services: [{ ...makeFirm().services[0]!, leadTimeWeeks: lead }] }),
    );
    const scope = makeScope({ neededBy: addDays(TODAY, 100), startingPoint: 'ready-for-audit' });
    const result = match(firms, scope, CTX);
    expect(result.proposals).toEqual([]);
    expect(result.suggestedNeededBy).not.toBeNull();
    // 10 weeks' lead (the slowest of the three) plus 19 weeks of window, testing and report.
    expect(result.suggestedNeededBy).toBe(addDays(TODAY, (10 + 19) * 7));
    const again = match(firms, { ...scope, neededBy: result.suggestedNeededBy as string }, CTX);
    expect(again.proposals).toHaveLength(3);
  });

  it('a date that is not after today is refused in the model’s words', () => {
    for (const neededBy of [TODAY, addDays(TODAY, -30)]) {
      const check = checkDeadline([{ framework: 'soc2' }], neededBy, TODAY, 20);
      expect(check.status).toBe('past');
      expect(check.message).toContain(NEEDED_BY_NOT_FUTURE);
      const result = match(threeFirms('soc2'), makeScope({ neededBy }), CTX);
      expect(result.deadline.message).toContain(NEEDED_BY_NOT_FUTURE);
      expect(result.proposals).toEqual([]);
      expect(dayNumber(result.suggestedNeededBy as string)).toBeGreaterThan(dayNumber(TODAY));
    }
  });
});
