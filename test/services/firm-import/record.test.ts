import { describe, expect, expectTypeOf, it } from 'vitest';
import { FRAMEWORK_VARIANTS } from '../../../src/domain/frameworks';
import type { ConsultancyLink, Credential, Firm, FirmService } from '../../../src/domain/firm';
import {
  type ConsultancyLinkRecord,
  type CredentialRecord,
  FirmRecord,
  type FirmServiceRecord,
} from '../../../src/services/firm-import/record';
import { SAMPLE_FIRM } from './sample';

const base = SAMPLE_FIRM;

/** The sample firm as a certification body offering ISO/IEC 42001. */
const iso42001Body = {
  ...base,
  firmType: 'certification-body',
  services: [{ framework: 'iso42001', leadTimeWeeks: 1, monthlyCapacity: 1 }],
};

function problems(input: unknown): Array<[string, string]> {
  const result = FirmRecord.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

function fields(input: unknown): string[] {
  return problems(input).map(([path]) => path);
}

const withService = (service: Record<string, unknown>) => ({
  ...base,
  services: [
    { framework: 'soc2', variants: ['type2'], leadTimeWeeks: 3, monthlyCapacity: 4, ...service },
  ],
});
const withCredential = (credential: Record<string, unknown>) => ({
  ...base,
  credentials: [
    {
      kind: 'cpa-licence',
      issuer: 'Board',
      identifier: 'X-1',
      validFrom: '2025-01-01',
      ...credential,
    },
  ],
});

describe('FirmRecord', () => {
  it('fills defaults and leaves capacityUsed and capacityMonth to the importer', () => {
    const record = FirmRecord.parse(base);
    expect(record).toMatchObject({
      status: 'active',
      demo: false,
      website: null,
      description: '',
      industries: [],
      stages: [],
      aiSpecialism: false,
      bookingUrl: null,
      plan: 'free',
      credentials: [],
      consultancyLinks: [],
    });
    expect(record.services[0]).toEqual({
      framework: 'soc2',
      variants: ['type2'],
      priceRanges: [],
      leadTimeWeeks: 3,
      monthlyCapacity: 4,
      paused: false,
      pausedUntil: null,
    });
  });

  it('defaults a credential to pending, so nothing counts before an operator verifies it', () => {
    expect(FirmRecord.parse(withCredential({})).credentials[0]?.verification).toBe('pending');
  });

  it('rejects unknown fields at every level', () => {
    const result = FirmRecord.safeParse({
      ...withService({ leadTime: 3 }),
      webiste: 'https://example.com',
    });
    expect(result.success).toBe(false);
    const unknown = result.error?.issues.filter((issue) => issue.code === 'unrecognized_keys');
    expect(unknown?.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['services.0', 'Unknown field: leadTime.'],
      ['', 'Unknown field: webiste.'],
    ]);
  });

  it('says "Required." for a missing field', () => {
    expect(problems({ ...base, name: undefined })).toEqual([['name', 'Required.']]);
  });

  it.each([
    ['ab', false],
    ['a'.repeat(61), false],
    ['Upper-case', false],
    ['double--hyphen', false],
    ['-leading', false],
    ['trailing-', false],
    ['under_score', false],
    ['abc', true],
    ['firm-42-audit', true],
  ])('slug %j valid: %s', (slug, valid) => {
    expect(fields({ ...base, slug }).includes('slug')).toBe(!valid);
  });

  it('accepts https addresses only', () => {
    expect(fields({ ...base, website: 'https://example.com/a?b=c' })).toEqual([]);
    expect(fields({ ...base, website: null })).toEqual([]);
    for (const website of [
      'http://example.com',
      'example.com',
      'https://localhost',
      'javascript:alert(1)',
    ]) {
      // Zod may flag a bad URL twice (protocol and host) in the same words; the importer says it once.
      const unique = [
        ...new Set(problems({ ...base, website }).map((problem) => problem.join(': '))),
      ];
      expect(unique).toEqual([
        'website: Must be a full https:// address, e.g. https://example.com/about.',
      ]);
    }
  });

  it('takes headquarters as an ISO 3166-1 code and languages as ISO 639-1 codes', () => {
    expect(fields({ ...base, headquarters: 'GB', languages: ['en', 'ja', 'pt'] })).toEqual([]);
    expect(fields({ ...base, headquarters: 'United States' })).toEqual(['headquarters']);
    expect(fields({ ...base, headquarters: 'us' })).toEqual(['headquarters']);
    expect(fields({ ...base, languages: ['EN', 'xx', 'eng'] })).toEqual([
      'languages.0',
      'languages.1',
      'languages.2',
    ]);
  });

  it('needs at least one region, language and service, each listed once', () => {
    expect(fields({ ...base, regions: [], languages: [], services: [] })).toEqual([
      'regions',
      'languages',
      'services',
    ]);
    expect(problems({ ...base, regions: ['europe', 'europe'] })).toEqual([
      ['regions.1', '"europe" appears more than once; list it once.'],
    ]);
  });

  it('keeps names to one line of text but takes any script, emoji or markup as data', () => {
    for (const name of ['a\nb', 'nul\u0000', 'esc\u001b[31m']) {
      expect(fields({ ...base, name })).toEqual(['name']);
    }
    for (const name of [
      '<script>alert(1)</script>',
      "Robert'); DROP TABLE firms;--",
      'מבקרים\u200F',
      '監査法人 🦉',
    ]) {
      expect(FirmRecord.parse({ ...base, name }).name).toBe(name);
    }
    expect(fields({ ...base, description: 'line\n\tindented' })).toEqual([]);
    expect(fields({ ...base, description: 'bell\u0007' })).toEqual(['description']);
  });

  it('limits the description to 1000 characters and stores one kind of line break', () => {
    expect(fields({ ...base, description: 'x'.repeat(1001) })).toEqual(['description']);
    expect(FirmRecord.parse({ ...base, description: ' a\r\nb\rc ' }).description).toBe('a\nb\nc');
  });

  describe('services', () => {
    it.each(Object.entries(FRAMEWORK_VARIANTS))(
      '%s accepts exactly its variants %j',
      (framework, variants) => {
        const firmType = 'cpa-and-certification-body';
        const service = { framework, variants, leadTimeWeeks: 1, monthlyCapacity: 1 };
        expect(fields({ ...base, firmType, services: [service] })).toEqual([]);
        const wrong = { ...service, variants: [...variants, 'type9'] };
        expect(fields({ ...base, firmType, services: [wrong] })).toEqual(
          variants.length > 0
            ? [`services.0.variants.${variants.length}`]
            : ['services.0.variants'],
        );
      },
    );

    it('needs a variant when the framework has them', () => {
      expect(problems(withService({ variants: [] }))).toEqual([
        ['services.0.variants', 'List the soc2 variants the firm performs: type1, type2.'],
      ]);
    });

    it('offers each framework once', () => {
      const service = {
        framework: 'soc2',
        variants: ['type1'],
        leadTimeWeeks: 1,
        monthlyCapacity: 1,
      };
      expect(fields({ ...base, services: [service, service] })).toEqual(['services.1.framework']);
    });

    it('keeps lead time, capacity and prices in range', () => {
      expect(fields(withService({ leadTimeWeeks: 53 }))).toEqual(['services.0.leadTimeWeeks']);
      expect(fields(withService({ leadTimeWeeks: 2.5 }))).toEqual(['services.0.leadTimeWeeks']);
      expect(fields(withService({ monthlyCapacity: 501 }))).toEqual(['services.0.monthlyCapacity']);
      expect(fields(withService({ monthlyCapacity: -1 }))).toEqual(['services.0.monthlyCapacity']);
      const ranges = [
        { sizeBand: '1-10', minUsd: 10000, maxUsd: 10000 },
        { sizeBand: '11-50', minUsd: 30000, maxUsd: 20000 },
        { sizeBand: '11-50', minUsd: 1, maxUsd: 2 },
        { sizeBand: '10-20', minUsd: 1, maxUsd: 2 },
      ];
      expect(problems(withService({ priceRanges: ranges })).sort()).toEqual([
        ['services.0.priceRanges.1.maxUsd', 'Must be at least minUsd (30000).'],
        ['services.0.priceRanges.2.sizeBand', '"11-50" appears more than once; list it once.'],
        [
          'services.0.priceRanges.3.sizeBand',
          'Must be one of: 1-10, 11-50, 51-200, 201-1000, 1000+.',
        ],
      ]);
    });

    it('allows a full month (used == capacity) but not more', () => {
      expect(fields(withService({ monthlyCapacity: 3, capacityUsed: 3 }))).toEqual([]);
      expect(problems(withService({ monthlyCapacity: 3, capacityUsed: 4 }))).toEqual([
        ['services.0.capacityUsed', 'Must not exceed monthlyCapacity (3).'],
      ]);
    });

    it('takes capacityMonth as YYYY-MM', () => {
      expect(fields(withService({ capacityMonth: '2026-12' }))).toEqual([]);
      expect(fields(withService({ capacityMonth: '2026-13' }))).toEqual([
        'services.0.capacityMonth',
      ]);
      expect(fields(withService({ capacityMonth: '2026-12-01' }))).toEqual([
        'services.0.capacityMonth',
      ]);
    });

    it('only gives a pause end date to a paused service', () => {
      expect(fields(withService({ paused: true, pausedUntil: '2027-01-31' }))).toEqual([]);
      expect(fields(withService({ paused: true }))).toEqual([]);
      expect(fields(withService({ pausedUntil: '2027-01-31' }))).toEqual([
        'services.0.pausedUntil',
      ]);
    });
  });

  describe('credentials', () => {
    it('checks dates are real and in order', () => {
      expect(fields(withCredential({ validFrom: '2025-02-29' }))).toEqual([
        'credentials.0.validFrom',
      ]);
      expect(fields(withCredential({ validFrom: '2028-02-29', validTo: '2028-03-01' }))).toEqual(
        [],
      );
      expect(fields(withCredential({ validTo: '2025-01-01' }))).toEqual([]);
      expect(problems(withCredential({ validTo: '2024-12-31' }))).toEqual([
        ['credentials.0.validTo', 'Must not be before validFrom (2025-01-01).'],
      ]);
    });

    it('names an accreditation body from the IAF MLA list, or "other"; free text is refused', () => {
      const body = iso42001Body;
      const accreditation = {
        kind: 'iso-accreditation',
        identifier: 'U-1',
        validFrom: '2025-01-01',
        scopeStandards: ['ISO/IEC 42001'],
        schemeStandards: ['ISO/IEC 17021-1', 'ISO/IEC 42006'],
      };
      for (const issuer of ['UKAS', 'ukas', 'ANSI National Accreditation Board', 'other']) {
        expect(problems({ ...body, credentials: [{ ...accreditation, issuer }] }), issuer).toEqual(
          [],
        );
      }
      const [problem] = problems({
        ...body,
        credentials: [{ ...accreditation, issuer: 'Global Accreditation Council Ltd' }],
      });
      expect(problem?.[0]).toBe('credentials.0.issuer');
      expect(problem?.[1]).toMatch(
        /IAF MLA list .* "other" .* "Global Accreditation Council Ltd" is not on the list/,
      );
      // Other credentials name their issuer as they like.
      expect(
        problems({
          ...base,
          credentials: [
            {
              kind: 'cpa-licence',
              issuer: 'Texas State Board of Public Accountancy',
              identifier: 'T-1',
              validFrom: '2025-01-01',
            },
          ],
        }),
      ).toEqual([]);
    });

    it('needs ISO accreditations and certificates to name standards, written the ISO way', () => {
      const body = iso42001Body;
      const accreditation = {
        kind: 'iso-accreditation',
        issuer: 'UKAS',
        identifier: 'U-1',
        validFrom: '2025-01-01',
      };
      expect(fields({ ...body, credentials: [accreditation] })).toEqual([
        'credentials.0.scopeStandards',
      ]);
      expect(
        fields({
          ...body,
          credentials: [{ ...accreditation, kind: 'non-accredited-certificate' }],
        }),
      ).toEqual(['credentials.0.scopeStandards']);
      const named = {
        ...accreditation,
        scopeStandards: ['ISO/IEC 42001', 'ISO/IEC 27001:2022'],
        schemeStandards: ['ISO/IEC 17021-1', '42006'],
      };
      expect(problems({ ...body, credentials: [named] })).toEqual([
        [
          'credentials.0.schemeStandards.1',
          'Write ISO standards like "ISO/IEC 42001" or "ISO/IEC 17021-1", not "42006".',
        ],
      ]);
    });

    it('holds each kind + identifier once', () => {
      const licence = {
        kind: 'cpa-licence',
        issuer: 'Board',
        identifier: 'X-1',
        validFrom: '2025-01-01',
      };
      expect(
        fields({ ...base, credentials: [licence, { ...licence, issuer: 'Other board' }] }),
      ).toEqual(['credentials.1']);
    });
  });

  describe('firm type', () => {
    it('decides the frameworks a firm may offer', () => {
      const iso = { framework: 'iso27001', leadTimeWeeks: 1, monthlyCapacity: 1 };
      expect(problems({ ...base, services: [iso] })).toEqual([
        [
          'services.0.framework',
          'A cpa-firm cannot offer iso27001; it may offer soc2, soc1, hipaa, pci-dss, hitrust.',
        ],
      ]);
      expect(fields({ ...base, firmType: 'certification-body' })).toEqual(['services.0.framework']);
      expect(
        fields({
          ...base,
          firmType: 'cpa-and-certification-body',
          services: [base.services[0], iso],
        }),
      ).toEqual([]);
    });

    it('decides the credentials a firm may hold', () => {
      const accreditation = {
        kind: 'iso-accreditation',
        issuer: 'UKAS',
        identifier: 'U-1',
        validFrom: '2025-01-01',
        scopeStandards: ['ISO/IEC 27001'],
      };
      expect(fields({ ...base, credentials: [accreditation] })).toEqual(['credentials.0.kind']);
    });
  });

  it('reports every problem of a record at once, not just the first', () => {
    const input = {
      ...base,
      name: '',
      regions: ['mars'],
      services: [
        {
          framework: 'soc2',
          variants: ['type3'],
          leadTimeWeeks: 99,
          monthlyCapacity: 1,
          capacityUsed: 2,
        },
      ],
      credentials: [
        {
          kind: 'cpa-licence',
          issuer: 'B',
          identifier: 'I',
          validFrom: '2025-01-01',
          validTo: '2024-01-01',
        },
      ],
    };
    expect(fields(input).sort()).toEqual(
      [
        'name',
        'regions.0',
        'services.0.leadTimeWeeks',
        'services.0.variants.0',
        'services.0.capacityUsed',
        'credentials.0.validTo',
      ].sort(),
    );
  });

  it('mirrors the domain Firm, minus what the platform computes, plus where briefs go', () => {
    type Computed = 'id' | 'reviewCount' | 'reviewMean' | 'medianResponseHours' | 'selfRegistered';
    expectTypeOf<keyof FirmRecord>().toEqualTypeOf<Exclude<keyof Firm, Computed> | 'leadEmail'>();
    expectTypeOf<FirmRecord>().toExtend<Omit<Firm, Computed | 'services'>>();
    expectTypeOf<keyof FirmServiceRecord>().toEqualTypeOf<keyof FirmService>();
    // Absent capacity figures are filled in by the import (current month; stored count or 0).
    expectTypeOf<FirmServiceRecord>().toExtend<
      Omit<FirmService, 'capacityUsed' | 'capacityMonth'>
    >();
    expectTypeOf<CredentialRecord>().toEqualTypeOf<Credential>();
    expectTypeOf<ConsultancyLinkRecord>().toEqualTypeOf<ConsultancyLink>();
  });
});
