import { describe, expect, it } from 'vitest';
import {
  DATA_VERSION,
  framework,
  frameworks,
  isFrameworkId,
  iso27001Outline,
  iso42001Outline,
  kindMeaning,
  observationWindow,
  tscCategories,
  tscCriteria,
  tscCriterion,
  variant,
  variants,
} from '../../src/domain/frameworks';
import { FRAMEWORK_IDS, type FrameworkId, TSC_CATEGORIES } from '../../src/domain/vocabulary';
import { ISO27001_GROUP_IDS, ISO42001_GROUP_IDS } from './iso-groups';

describe('framework catalogue', () => {
  it('has one entry per framework id, and nothing else', () => {
    expect(
      frameworks()
        .map((f) => f.id)
        .sort(),
    ).toEqual([...FRAMEWORK_IDS].sort());
  });

  it('looks a framework up by id', () => {
    const soc2 = framework('soc2');
    expect(soc2.kind).toBe('attestation');
    expect(soc2.validity.formalExpiry).toBe(false);

    const iso42001 = framework('iso42001');
    expect(iso42001.kind).toBe('certification');
    expect(iso42001.performedBy.standards).toContain('ISO/IEC 42006:2025');
    expect(iso42001.validity.years).toBe(3);
    expect(iso42001.initialAudit).toHaveLength(2);
    expect(iso42001.answers.length).toBeGreaterThan(20);
    expect(iso42001.typicallyNeededBy.length).toBeGreaterThan(0);
  });

  it('refuses an id it does not know', () => {
    expect(() => framework('soc3' as FrameworkId)).toThrow(/soc3/);
  });

  it('tells framework ids apart from other strings', () => {
    expect(isFrameworkId('pci-dss')).toBe(true);
    expect(isFrameworkId('soc3')).toBe(false);
    expect(isFrameworkId('')).toBe(false);
    expect(isFrameworkId('toString')).toBe(false);
    expect(isFrameworkId('SOC2')).toBe(false);
  });

  it('explains each kind of framework', () => {
    expect(kindMeaning('attestation')).toMatch(/CPA/);
    expect(kindMeaning('certification')).toMatch(/certificate/);
  });
});

describe('variants', () => {
  it('gives SOC 2 Type 2 an observation window and Type 1 none', () => {
    expect(variants('soc2').map((v) => v.id)).toEqual(['type1', 'type2']);
    const window = observationWindow('soc2', 'type2');
    expect(window).not.toBeNull();
    expect(window?.typicalMin).toBe(3);
    expect(window?.typicalMax).toBe(12);
    expect(observationWindow('soc2', 'type1')).toBeNull();
  });

  it('finds HITRUST assessment types and misses unknown variants', () => {
    expect(variant('hitrust', 'r2')?.summary).toMatch(/two-year/i);
    expect(variant('soc2', 'type3')).toBeUndefined();
    expect(variants('iso27001')).toEqual([]);
  });

  it('offers the five trust services categories for SOC 2 with Security alone required', () => {
    const options = framework('soc2').scopeOptions.trustServicesCategories ?? [];
    expect(options.map((o) => o.id)).toEqual([...TSC_CATEGORIES]);
    expect(options.filter((o) => o.required).map((o) => o.id)).toEqual(['security']);
  });
});

describe('SOC 2 criteria', () => {
  it('lists all 61 criteria and filters them by category', () => {
    expect(tscCriteria()).toHaveLength(61);
    expect(tscCriteria('security')).toHaveLength(33);
    expect(tscCriteria('privacy')).toHaveLength(18);
    expect(tscCategories().map((c) => c.id)).toEqual([...TSC_CATEGORIES]);
  });

  it('looks a criterion up by id, with its category', () => {
    expect(tscCriterion('CC3.2')?.category).toBe('security');
    expect(tscCriterion('PI1.3')?.category).toBe('processing-integrity');
    // The source library's mislabel must not leak through.
    expect(tscCriterion('PP1.1')).toBeUndefined();
  });
});

describe('ISO/IEC 42001 requirements', () => {
  it('lists 32 requirement clauses then 38 Annex A controls', () => {
    const reqs = iso42001Outline.requirements;
    expect(reqs).toHaveLength(70);
    expect(reqs.filter((r) => r.kind === 'clause')).toHaveLength(32);
    expect(reqs.slice(0, 32).every((r) => r.kind === 'clause')).toBe(true);
    expect(reqs.slice(32).every((r) => r.kind === 'control')).toBe(true);
  });

  it('leaves headings out of the requirements but keeps them in the outline', () => {
    expect(iso42001Outline.requirement('6.1')).toBeUndefined();
    expect(iso42001Outline.clauses.find((c) => c.id === '6.1')?.requirement).toBe(false);
  });

  it('puts sub-clauses and controls in their group', () => {
    expect(iso42001Outline.requirement('6.1.2')).toMatchObject({ group: '6', kind: 'clause' });
    expect(iso42001Outline.requirement('6.1.4')?.aiSpecific).toBe(true);
    expect(iso42001Outline.requirement('A.6.2.8')).toMatchObject({
      group: 'A.6',
      kind: 'control',
      aiSpecific: true,
    });
    expect(iso42001Outline.requirement('A.10.3')?.group).toBe('A.10');
  });

  it('orders groups as the overlap chart shows them and counts their requirements', () => {
    const groups = iso42001Outline.groups;
    expect(groups.map((g) => g.id)).toEqual(ISO42001_GROUP_IDS);
    expect(groups.reduce((n, g) => n + g.requirements, 0)).toBe(70);
    expect(groups.find((g) => g.id === '6')?.requirements).toBe(6);
    expect(groups.find((g) => g.id === 'A.6')?.requirements).toBe(9);
  });
});

describe('ISO/IEC 27001 requirements', () => {
  it('lists 30 requirement clauses and 93 controls grouped by theme', () => {
    expect(iso27001Outline.requirements).toHaveLength(123);
    expect(iso27001Outline.groups.map((g) => g.id)).toEqual(ISO27001_GROUP_IDS);
    expect(iso27001Outline.requirement('A.8.15')).toMatchObject({ group: 'A.8', kind: 'control' });
    expect(iso27001Outline.requirement('9.2.1')).toMatchObject({ group: '9', kind: 'clause' });
    expect(iso27001Outline.requirement('6.1.4')).toBeUndefined();
  });
});

describe('DATA_VERSION', () => {
  it('reads as the data date plus a short content hash', () => {
    expect(DATA_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
  });
});
