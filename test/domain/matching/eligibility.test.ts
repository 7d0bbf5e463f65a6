import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/matching/dates';
import { qualification } from '../../../src/domain/matching/qualification';
import type { Firm } from '../../../src/domain/firm';
import {
  type EligibilityCode,
  eligibility,
  explainIneligible,
  explainIneligibleFirm,
  type MatchScope,
  match,
  READINESS_DOES_NOT_DISQUALIFY,
  SOC_TYPE2_WEEKS,
} from '../../../src/domain/matching';
import {
  accreditation,
  CTX,
  credential,
  makeFirm,
  makeScope,
  PEER_REVIEW,
  CPA_LICENCE,
  service,
  TODAY,
} from './fixtures';

const ISO_SCOPE = makeScope({
  frameworks: [{ framework: 'iso42001' }],
  managementSystemConsultants: [{ name: 'Acme Compliance' }],
});
const isoFirm = (overrides: Partial<Firm> = {}) =>
  makeFirm({ firmType: 'certification-body', ...overrides }, ['iso42001']);

function codes(firm: Firm, scope: MatchScope = makeScope()): EligibilityCode[] {
  return eligibility(firm, scope, CTX).failures.map((f) => f.code);
}

/** A firm failing exactly one rule is excluded from the match, and that rule is the one reported. */
function expectOnly(firm: Firm, code: EligibilityCode, scope: MatchScope = makeScope()) {
  const result = eligibility(firm, scope, CTX);
  expect(result.eligible).toBe(false);
  expect([...new Set(result.failures.map((f) => f.code))]).toEqual([code]);
  for (const f of result.failures) expect(f.message.length).toBeGreaterThan(10);
  const matched = match([firm], scope, CTX);
  expect(matched.proposals).toEqual([]);
  expect(matched.alternates).toEqual([]);
}

describe('the baseline fixtures', () => {
  it('are eligible, so each test below breaks exactly one rule', () => {
    expect(eligibility(makeFirm(), makeScope(), CTX)).toEqual({ eligible: true, failures: [] });
    expect(eligibility(isoFirm(), ISO_SCOPE, CTX)).toEqual({ eligible: true, failures: [] });
    expect(match([makeFirm()], makeScope(), CTX).proposals).toHaveLength(1);
  });
});

describe('hard eligibility rules', () => {
  it('firm-not-active: pending and suspended firms are never matched', () => {
    expectOnly(makeFirm({ status: 'suspended' }), 'firm-not-active');
    expectOnly(makeFirm({ status: 'pending' }), 'firm-not-active');
  });

  it('region-not-served', () => {
    expectOnly(makeFirm({ regions: ['europe'] }), 'region-not-served');
  });

  it('excluded-by-buyer: by id or by slug, ignoring case and spaces', () => {
    expectOnly(makeFirm(), 'excluded-by-buyer', makeScope({ excludeFirmIds: ['firm-a'] }));
    expectOnly(makeFirm(), 'excluded-by-buyer', makeScope({ excludeFirmIds: [' FIRM-A-SLUG '] }));
    expect(codes(makeFirm(), makeScope({ excludeFirmIds: ['firm-b'] }))).toEqual([]);
  });

  it('framework-not-offered: every requested framework needs a service', () => {
    const scope = makeScope({ frameworks: [{ framework: 'soc2' }, { framework: 'iso42001' }] });
    expectOnly(makeFirm(), 'framework-not-offered', scope);
  });

  it('variant-not-offered: a requested variant must be performed', () => {
    expectOnly(
      makeFirm({ services: [service('soc2', { variants: ['type1'] })] }),
      'variant-not-offered',
    );
    // Without a variant in the request, any SOC 2 service will do.
    const scope = makeScope({ frameworks: [{ framework: 'soc2' }] });
    expect(
      codes(makeFirm({ services: [service('soc2', { variants: ['type1'] })] }), scope),
    ).toEqual([]);
  });

  it('service-paused: open-ended pauses and pauses running through today hold', () => {
    expectOnly(makeFirm({ services: [service('soc2', { paused: true })] }), 'service-paused');
    expectOnly(
      makeFirm({ services: [service('soc2', { paused: true, pausedUntil: '2027-04-01' })] }),
      'service-paused',
    );
    expectOnly(
      makeFirm({ services: [service('soc2', { paused: true, pausedUntil: TODAY })] }),
      'service-paused',
    );
  });

  it('service-paused: a pause whose end date has passed is over', () => {
    const firm = makeFirm({
      services: [service('soc2', { paused: true, pausedUntil: '2027-03-09' })],
    });
    expect(eligibility(firm, makeScope(), CTX).eligible).toBe(true);
  });

  it('capacity-full: no slot left this month', () => {
    expectOnly(
      makeFirm({
        services: [
          service('soc2', { monthlyCapacity: 4, capacityUsed: 4, capacityMonth: '2027-03' }),
        ],
      }),
      'capacity-full',
    );
    expectOnly(
      makeFirm({ services: [service('soc2', { monthlyCapacity: 0, capacityUsed: 0 })] }),
      'capacity-full',
    );
  });

  it('capacity-full: counters from another month do not count (month rollover)', () => {
    const lastMonth = service('soc2', {
      monthlyCapacity: 4,
      capacityUsed: 4,
      capacityMonth: '2027-02',
    });
    expect(eligibility(makeFirm({ services: [lastMonth] }), makeScope(), CTX).eligible).toBe(true);
    // The same counter is full when read in its own month.
    const inFebruary = eligibility(makeFirm({ services: [lastMonth] }), makeScope(), {
      today: '2027-02-20',
      rotation: 0,
    });
    expect(inFebruary.failures.map((f) => f.code)).toEqual(['capacity-full']);
    // Across a year end too.
    const december = service('soc2', {
      monthlyCapacity: 2,
      capacityUsed: 2,
      capacityMonth: '2026-12',
    });
    expect(
      eligibility(makeFirm({ services: [december] }), makeScope(), {
        today: '2027-01-01',
        rotation: 0,
      }).eligible,
    ).toBe(true);
  });

  it('no-qualifying-credential', () => {
    expectOnly(makeFirm({ credentials: [CPA_LICENCE] }), 'no-qualifying-credential');
  });

  it('cannot-start-in-time: lead time plus the minimum audit must fit before the date, to the day', () => {
    // 2 weeks' lead + SOC 2 Type 2 minimum (19 weeks) from 10 March 2027 = 4 August 2027.
    expect(SOC_TYPE2_WEEKS).toBe(19);
    expect(codes(makeFirm(), makeScope({ neededBy: '2027-08-04' }))).toEqual([]);
    expectOnly(makeFirm(), 'cannot-start-in-time', makeScope({ neededBy: '2027-08-03' }));
    const late = eligibility(makeFirm(), makeScope({ neededBy: '2027-08-03' }), CTX).failures[0];
    expect(late?.message).toContain('4 August');
    expect(late?.message).toContain('3 August');
    // A Type 1 needs no observation window, so the same date works for it.
    const type1 = makeScope({
      neededBy: '2027-08-03',
      frameworks: [{ framework: 'soc2', variant: 'type1' }],
    });
    expect(codes(makeFirm(), type1)).toEqual([]);
  });

  it('soc-independence-conflict: a firm that built or operates the controls cannot audit them', () => {
    const scope = makeScope({ controlsBuiltBy: ['firm-a-slug'] });
    expectOnly(makeFirm(), 'soc-independence-conflict', scope);
    const failure = eligibility(makeFirm(), scope, CTX).failures[0];
    expect(failure?.message).toContain('A readiness assessment alone does not disqualify');
    expect(match([makeFirm()], scope, CTX).notes).toContain(READINESS_DOES_NOT_DISQUALIFY);
  });

  it('soc-independence-conflict applies to SOC only, not to an ISO certificate', () => {
    const firm = isoFirm();
    expect(codes(firm, { ...ISO_SCOPE, controlsBuiltBy: ['firm-a'] })).toEqual([]);
  });

  it('iso-impartiality-conflict: a current link to the buyer’s consultant', () => {
    expectOnly(
      isoFirm({ consultancyLinks: [{ consultancy: 'Acme Compliance', endedOn: null }] }),
      'iso-impartiality-conflict',
      ISO_SCOPE,
    );
    expectOnly(
      isoFirm({ consultancyLinks: [{ consultancy: '  acme   COMPLIANCE ', endedOn: null }] }),
      'iso-impartiality-conflict',
      ISO_SCOPE,
    );
  });

  it('iso-impartiality-conflict: the two-year window, to the day', () => {
    const endedOn = (date: string) =>
      isoFirm({ consultancyLinks: [{ consultancy: 'Acme Compliance', endedOn: date }] });
    // Exactly two years before 10 March 2027 is still inside the window.
    expectOnly(endedOn('2025-03-10'), 'iso-impartiality-conflict', ISO_SCOPE);
    expect(codes(endedOn('2025-03-09'), ISO_SCOPE)).toEqual([]);
    // A leap day: two years before 29 February 2028 is 28 February 2026.
    const leap = { today: '2028-02-29', rotation: 0 };
    const firmOn = (date: string) =>
      isoFirm({
        consultancyLinks: [{ consultancy: 'Acme Compliance', endedOn: date }],
        credentials: [accreditation(['ISO/IEC 42001'])],
      });
    const scope = { ...ISO_SCOPE, neededBy: '2028-12-31' };
    expect(eligibility(firmOn('2026-02-28'), scope, leap).failures.map((f) => f.code)).toEqual([
      'iso-impartiality-conflict',
    ]);
    expect(eligibility(firmOn('2026-02-27'), scope, leap).eligible).toBe(true);
  });

  it('iso-impartiality-conflict: other consultancies and SOC requests are unaffected', () => {
    const firm = isoFirm({
      consultancyLinks: [{ consultancy: 'Northwind Advisory', endedOn: null }],
    });
    expect(codes(firm, ISO_SCOPE)).toEqual([]);
    const socFirm = makeFirm({
      consultancyLinks: [{ consultancy: 'Acme Compliance', endedOn: null }],
    });
    expect(
      codes(socFirm, makeScope({ managementSystemConsultants: [{ name: 'Acme Compliance' }] })),
    ).toEqual([]);
  });

  it('reports every failed rule, each with the framework it concerns', () => {
    const firm = makeFirm({ status: 'suspended', regions: ['europe'], credentials: [PEER_REVIEW] });
    const result = eligibility(firm, makeScope(), CTX);
    expect(result.failures.map((f) => [f.code, f.framework])).toEqual([
      ['firm-not-active', null],
      ['region-not-served', null],
      ['no-qualifying-credential', 'soc2'],
    ]);
    expect(explainIneligible(result)).toBe(
      'Not proposed: Not active on Auditmatch (suspended); Does not serve North America; ' +
        'Not qualified for SOC 2: no CPA firm licence.',
    );
    expect(explainIneligibleFirm(makeFirm(), makeScope(), CTX)).toBe(
      'Meets every requirement of this request.',
    );
  });

  it('checks every framework of a multi-framework request', () => {
    const scope = makeScope({
      frameworks: [{ framework: 'soc2', variant: 'type2' }, { framework: 'iso42001' }],
    });
    const both = makeFirm({ firmType: 'cpa-and-certification-body' }, ['soc2', 'iso42001']);
    expect(codes(both, scope)).toEqual([]);
    const isoPaused = {
      ...both,
      services: [service('soc2'), service('iso42001', { paused: true })],
    };
    expect(eligibility(isoPaused, scope, CTX).failures.map((f) => [f.code, f.framework])).toEqual([
      ['service-paused', 'iso42001'],
    ]);
  });

  it('rejects malformed dates instead of comparing them as text', () => {
    expect(() => eligibility(makeFirm(), makeScope({ neededBy: '2027-02-30' }), CTX)).toThrow(
      RangeError,
    );
    expect(() =>
      eligibility(makeFirm(), makeScope(), { today: '10/03/2027', rotation: 0 }),
    ).toThrow(RangeError);
  });

  it('a credential on its last valid day still counts', () => {
    const firm = makeFirm({
      credentials: [CPA_LICENCE, credential({ kind: 'aicpa-peer-review', validTo: TODAY })],
    });
    // Judged for a report due today, the review lasts exactly long enough.
    expect(qualification(firm, 'soc2', TODAY, TODAY).qualified).toBe(true);
    expect(qualification(firm, 'soc2', addDays(TODAY, 1), addDays(TODAY, 1)).qualified).toBe(false);
  });

  it('no-qualifying-credential: a credential that ends before the report date does not count, and says so', () => {
    const scope = makeScope();
    const endsOnTheDay = makeFirm({
      credentials: [
        CPA_LICENCE,
        credential({ kind: 'aicpa-peer-review', validTo: scope.neededBy }),
      ],
    });
    expect(eligibility(endsOnTheDay, scope, CTX).eligible).toBe(true);
    const endsTheDayBefore = makeFirm({
      credentials: [
        CPA_LICENCE,
        credential({ kind: 'aicpa-peer-review', validTo: addDays(scope.neededBy, -1) }),
      ],
    });
    const result = eligibility(endsTheDayBefore, scope, CTX);
    expect(result.failures.map((f) => f.code)).toEqual(['no-qualifying-credential']);
    expect(result.failures[0]?.message).toMatch(
      /peer review ends on .*before the report or certificate date/i,
    );
  });

  it('no-qualifying-credential: an accreditation from a body outside the IAF MLA never qualifies', () => {
    const accredited = isoFirm();
    expect(codes(accredited, ISO_SCOPE)).toEqual([]);
    const outside = isoFirm({
      credentials: accredited.credentials.map((c) => ({ ...c, issuer: 'other' })),
    });
    const result = eligibility(outside, ISO_SCOPE, CTX);
    expect(result.failures.map((f) => f.code)).toEqual(['no-qualifying-credential']);
    expect(result.failures[0]?.message).toMatch(/not an IAF MLA signatory/);
  });

  it('iso-impartiality-conflict: a certification body the buyer names as its own consultant', () => {
    const firm = isoFirm();
    const named = makeScope({
      frameworks: [{ framework: 'iso42001' }],
      managementSystemConsultants: [{ name: firm.name }],
    });
    const result = eligibility(firm, named, CTX);
    expect(result.failures.map((f) => f.code)).toEqual(['iso-impartiality-conflict']);
    expect(result.failures[0]?.message).toMatch(/You named .* as a consultancy/);
    // By slug too, and not once its advice ended more than two years ago.
    expect(codes(firm, { ...named, managementSystemConsultants: [{ name: firm.slug }] })).toEqual([
      'iso-impartiality-conflict',
    ]);
    // TODAY is 10 March 2027: advice that ran through March 2025 is inside the two years, February 2025 is not.
    expect(TODAY).toBe('2027-03-10');
    expect(
      codes(firm, {
        ...named,
        managementSystemConsultants: [{ name: firm.name, advisedUntil: '2025-02' }],
      }),
    ).toEqual([]);
    expect(
      codes(firm, {
        ...named,
        managementSystemConsultants: [{ name: firm.name, advisedUntil: '2025-03' }],
      }),
    ).toEqual(['iso-impartiality-conflict']);
  });

  it('iso-impartiality-conflict: the window runs from the month the consultancy last advised', () => {
    const firm = isoFirm({ consultancyLinks: [{ consultancy: 'Acme Compliance', endedOn: null }] });
    const ended = (advisedUntil: string) =>
      codes(firm, {
        ...ISO_SCOPE,
        managementSystemConsultants: [{ name: 'Acme Compliance', advisedUntil }],
      });
    expect(ended(TODAY.slice(0, 7))).toEqual(['iso-impartiality-conflict']);
    expect(ended(`${Number(TODAY.slice(0, 4)) - 3}-01`)).toEqual([]);
  });
});
