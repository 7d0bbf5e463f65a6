import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COMPANY_STAGES,
  FIRM_STATUSES,
  FRAMEWORK_IDS,
  type FrameworkId,
  INDUSTRIES,
  REGIONS,
  type Region,
} from '../../../src/domain/vocabulary';
import { writeFirmCsv } from '../../../src/services/firm-import/firm-csv';
import { parseFirmFile } from '../../../src/services/firm-import/parse';
import type {
  CredentialRecord,
  FirmRecord,
  FirmServiceRecord,
} from '../../../src/services/firm-import/record';

const DEMO_FILE = fileURLToPath(new URL('../../../src/data/demo-firms.json', import.meta.url));
const text = readFileSync(DEMO_FILE, 'utf8');
const parsed = parseFirmFile('demo-firms.json', text);
const firms: FirmRecord[] = parsed.ok ? parsed.records : [];

/** The demo set is written for this date; fixing it keeps the coverage checks stable as time passes. */
const TODAY = '2026-11-28';
const TWO_YEARS_AGO = '2024-11-28';

const credentials = firms.flatMap((firm) => firm.credentials);
const services = firms.flatMap((firm) => firm.services.map((service) => ({ firm, service })));
const isExpired = (c: CredentialRecord) => c.validTo !== null && c.validTo < TODAY;
const isCurrent = (c: CredentialRecord) =>
  c.verification === 'verified' && c.validFrom <= TODAY && !isExpired(c);
const has = (
  firm: FirmRecord,
  kind: CredentialRecord['kind'],
  test: (c: CredentialRecord) => boolean = isCurrent,
) => firm.credentials.some((c) => c.kind === kind && test(c));
const accredits = (firm: FirmRecord, standard: string) =>
  firm.credentials.some(
    (c) => c.kind === 'iso-accreditation' && isCurrent(c) && c.scopeStandards.includes(standard),
  );

/**
 * A rough stand-in for the matcher's hard filters (src/domain/matching owns the real ones),
 * enough to check the demo set gives a typical request three candidates.
 */
function qualifies(firm: FirmRecord, framework: FrameworkId): boolean {
  switch (framework) {
    case 'soc2':
    case 'soc1':
      return has(firm, 'cpa-licence') && has(firm, 'aicpa-peer-review');
    case 'iso27001':
      return accredits(firm, 'ISO/IEC 27001');
    case 'iso42001':
      return accredits(firm, 'ISO/IEC 42001');
    case 'iso27701':
      return accredits(firm, 'ISO/IEC 27701');
    case 'pci-dss':
      return has(firm, 'pci-qsa');
    case 'hitrust':
      return has(firm, 'hitrust-assessor');
    case 'hipaa':
      return firm.credentials.some(isCurrent);
  }
}
const isPaused = (s: FirmServiceRecord) =>
  s.paused && (s.pausedUntil === null || s.pausedUntil >= TODAY);
const isFull = (s: FirmServiceRecord) => (s.capacityUsed ?? 0) >= s.monthlyCapacity;
function eligible(frameworks: FrameworkId[], region: Region): string[] {
  return firms
    .filter(
      (firm) =>
        firm.status === 'active' &&
        firm.regions.includes(region) &&
        frameworks.every((framework) => {
          const service = firm.services.find((s) => s.framework === framework);
          return (
            service !== undefined &&
            !isPaused(service) &&
            !isFull(service) &&
            qualifies(firm, framework)
          );
        }),
    )
    .map((firm) => firm.slug);
}

describe('demo firms (src/data/demo-firms.json)', () => {
  it('pass the importer', () => {
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it('are about forty, all marked demo, with invented names and example.com links', () => {
    expect(firms.length).toBeGreaterThanOrEqual(38);
    expect(firms.every((firm) => firm.demo)).toBe(true);
    const links = [
      ...firms.flatMap((firm) => [firm.website, firm.bookingUrl]),
      ...credentials.map((c) => c.evidenceUrl),
    ];
    // Each firm's website is its own host under example.com, so the domain signal works on demo data.
    for (const link of links)
      expect(
        link === null || /^https:\/\/([a-z0-9-]+\.)?example\.com\//.test(link),
        String(link),
      ).toBe(true);
    for (const firm of firms)
      if (firm.website) expect(firm.website).toBe(`https://${firm.slug}.example.com/`);
    for (const c of credentials) expect(c.identifier).toMatch(/^DEMO-/);
    for (const firm of firms) expect(firm.description.length).toBeGreaterThan(20);
  });

  it('survive a CSV round trip', () => {
    expect(parseFirmFile('demo.csv', writeFirmCsv(firms))).toEqual(parsed);
  });

  it('cover every region, industry, stage, status, framework and the main languages', () => {
    expect(new Set(firms.flatMap((f) => f.regions))).toEqual(new Set(REGIONS));
    expect(new Set(firms.flatMap((f) => f.industries))).toEqual(new Set(INDUSTRIES));
    expect(new Set(firms.flatMap((f) => f.stages))).toEqual(new Set(COMPANY_STAGES));
    expect(new Set(firms.map((f) => f.status))).toEqual(new Set(FIRM_STATUSES));
    expect(new Set(services.map(({ service }) => service.framework))).toEqual(
      new Set(FRAMEWORK_IDS),
    );
    const languages = new Set(firms.flatMap((f) => f.languages));
    for (const language of ['en', 'de', 'fr', 'es', 'ja', 'pt'])
      expect(languages).toContain(language);
    expect(new Set(firms.map((f) => f.firmType)).size).toBe(3);
    expect(firms.filter((f) => f.aiSpecialism).length).toBeGreaterThanOrEqual(5);
  });

  it('span boutique to large price bands and 1 to 16 weeks of lead time', () => {
    const ranges = services.flatMap(({ service }) => service.priceRanges);
    expect(Math.min(...ranges.map((r) => r.minUsd))).toBeLessThanOrEqual(10000);
    expect(Math.max(...ranges.map((r) => r.maxUsd))).toBeGreaterThanOrEqual(150000);
    const leadTimes = services.map(({ service }) => service.leadTimeWeeks);
    expect(Math.min(...leadTimes)).toBe(1);
    expect(Math.max(...leadTimes)).toBe(16);
  });

  it('include SOC firms that qualify and ones that do not (expired peer review, pending licence, revoked review)', () => {
    const socOnly = firms.filter(
      (f) => f.firmType === 'cpa-firm' && f.services.every((s) => s.framework.startsWith('soc')),
    );
    expect(socOnly.filter((f) => qualifies(f, 'soc2')).length).toBeGreaterThanOrEqual(3);
    expect(
      socOnly.some((f) =>
        has(f, 'aicpa-peer-review', (c) => c.verification === 'verified' && isExpired(c)),
      ),
    ).toBe(true);
    expect(socOnly.some((f) => has(f, 'cpa-licence', (c) => c.verification === 'pending'))).toBe(
      true,
    );
    expect(
      socOnly.some((f) => has(f, 'aicpa-peer-review', (c) => c.verification === 'revoked')),
    ).toBe(true);
  });

  it('include ISO bodies accredited for 42001 by several accreditation bodies', () => {
    const issuers = new Set(
      credentials
        .filter(
          (c) =>
            c.kind === 'iso-accreditation' &&
            c.scopeStandards.includes('ISO/IEC 42001') &&
            isCurrent(c),
        )
        .map((c) => c.issuer),
    );
    for (const body of ['ANAB', 'UKAS', 'DAkkS', 'JAS-ANZ']) expect(issuers).toContain(body);
    for (const c of credentials.filter(
      (c) => c.kind === 'iso-accreditation' && c.scopeStandards.includes('ISO/IEC 42001'),
    )) {
      expect(c.schemeStandards).toEqual(
        expect.arrayContaining(['ISO/IEC 17021-1', 'ISO/IEC 42006']),
      );
    }
  });

  it('include the near misses for ISO/IEC 42001', () => {
    const offers42001 = firms.filter((f) => f.services.some((s) => s.framework === 'iso42001'));
    // accredited for 27001 only, yet listing 42001
    expect(
      offers42001.some((f) => accredits(f, 'ISO/IEC 27001') && !accredits(f, 'ISO/IEC 42001')),
    ).toBe(true);
    // selling a non-accredited certificate only
    expect(
      offers42001.some(
        (f) =>
          f.credentials.length > 0 &&
          f.credentials.every((c) => c.kind === 'non-accredited-certificate'),
      ),
    ).toBe(true);
    // an expired and a revoked 42001 accreditation
    const scoped = credentials.filter((c) => c.scopeStandards.includes('ISO/IEC 42001'));
    expect(scoped.some((c) => c.verification === 'verified' && isExpired(c))).toBe(true);
    expect(scoped.some((c) => c.verification === 'revoked')).toBe(true);
  });

  it('include firms that do both SOC and ISO', () => {
    const both = firms.filter((f) => f.firmType === 'cpa-and-certification-body');
    expect(
      both.filter((f) => qualifies(f, 'soc2') && qualifies(f, 'iso42001')).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('include paused services (one whose pause has ended) and full ones left to the current month', () => {
    const paused = services.filter(({ service }) => service.paused);
    expect(
      paused.some(({ service }) => service.pausedUntil !== null && service.pausedUntil > TODAY),
    ).toBe(true);
    expect(
      paused.some(({ service }) => service.pausedUntil !== null && service.pausedUntil < TODAY),
    ).toBe(true);
    expect(paused.some(({ service }) => service.pausedUntil === null)).toBe(true);
    const full = services.filter(({ service }) => service.capacityUsed === service.monthlyCapacity);
    expect(full.length).toBeGreaterThanOrEqual(2);
    expect(full.every(({ service }) => service.capacityMonth === undefined)).toBe(true);
    expect(services.every(({ service }) => service.capacityMonth === undefined)).toBe(true);
  });

  it('include credentials in every verification state and expired ones of several kinds', () => {
    expect(new Set(credentials.map((c) => c.verification))).toEqual(
      new Set(['pending', 'verified', 'rejected', 'revoked']),
    );
    expect(new Set(credentials.filter(isExpired).map((c) => c.kind)).size).toBeGreaterThanOrEqual(
      3,
    );
    for (const c of credentials.filter((c) => c.validTo !== null && !isExpired(c))) {
      expect(c.validTo! >= '2027-01-01' && c.validTo! <= '2029-12-31').toBe(true);
    }
  });

  it('include consultancy links that are current, recent and long ended', () => {
    const links = firms.flatMap((f) => f.consultancyLinks);
    expect(links.some((l) => l.endedOn === null)).toBe(true);
    expect(links.some((l) => l.endedOn !== null && l.endedOn >= TWO_YEARS_AGO)).toBe(true);
    expect(links.some((l) => l.endedOn !== null && l.endedOn < TWO_YEARS_AGO)).toBe(true);
  });

  it.each([
    [['iso42001'], 'north-america'],
    [['iso42001'], 'europe'],
    [['soc2', 'iso42001'], 'north-america'],
    [['soc2', 'iso42001'], 'europe'],
    [['soc2'], 'north-america'],
    [['iso27001'], 'europe'],
    [['iso27001'], 'asia-pacific'],
  ] as Array<[FrameworkId[], Region]>)(
    'give a %j request in %s at least three qualified firms',
    (frameworks, region) => {
      expect(eligible(frameworks, region).length).toBeGreaterThanOrEqual(3);
    },
  );

  it('offer hipaa, pci-dss, hitrust, soc1 and iso27701 through qualified firms', () => {
    for (const framework of ['hipaa', 'pci-dss', 'hitrust', 'soc1', 'iso27701'] as FrameworkId[]) {
      expect(REGIONS.some((region) => eligible([framework], region).length > 0)).toBe(true);
    }
  });
});
