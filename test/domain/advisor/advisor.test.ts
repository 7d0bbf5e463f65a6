import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADVISOR_RULES,
  type AdvisorAnswers,
  type Advice,
  advise,
  type CustomerKind,
  type HeldFramework,
  type Market,
} from '../../../src/domain/advisor';
import { AI_EXPOSURES, type FrameworkId } from '../../../src/domain/vocabulary';

function answers(overrides: Partial<AdvisorAnswers> = {}): AdvisorAnswers {
  return {
    aiExposure: 'none',
    customers: ['enterprise'],
    markets: ['us'],
    healthData: false,
    cardData: false,
    personalDataAtScale: false,
    holds: [],
    ...overrides,
  };
}

function rec(advice: Advice, fw: FrameworkId) {
  return advice.recommendations.find((r) => r.framework === fw);
}

function frameworks(advice: Advice): FrameworkId[] {
  return advice.recommendations.map((r) => r.framework);
}

describe('rule table', () => {
  it('is exported with unique ids, a title and a description for each rule', () => {
    const ids = ADVISOR_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11']) {
      expect(ids).toContain(id);
    }
    for (const r of ADVISOR_RULES) {
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.description.length).toBeGreaterThan(0);
    }
    // Sequencing orders what every other rule produced, so it must run last.
    expect(ids[ids.length - 1]).toBe('R10');
  });
});

describe('R1 SOC 2 for enterprise and US buyers', () => {
  it('puts SOC 2 first, Type 2 with Type 1 as a bridge, for enterprise buyers in the US', () => {
    const a = advise(answers());
    const soc2 = rec(a, 'soc2');
    expect(soc2).toMatchObject({ order: 1, priority: 'now' });
    expect(soc2?.ruleIds).toContain('R1');
    expect(soc2?.reason).toMatch(/Type 2/);
    expect(soc2?.reason).toMatch(/Type 1/);
    expect(soc2?.guide).toBe('/frameworks/soc2');
  });

  it('also fires for small-business buyers in the US, and not for small-business buyers in Europe only', () => {
    expect(
      rec(advise(answers({ customers: ['smb'], markets: ['us'] })), 'soc2')?.ruleIds,
    ).toContain('R1');
    const eu = advise(answers({ customers: ['smb'], markets: ['eu'] }));
    expect(eu.recommendations.some((r) => r.ruleIds.includes('R1'))).toBe(false);
  });
});

describe('R2 ISO 27001 for European enterprise buyers', () => {
  it('comes first, without SOC 2, when Europe is the only market', () => {
    const a = advise(answers({ markets: ['eu', 'uk'] }));
    expect(rec(a, 'iso27001')).toMatchObject({ priority: 'now', ruleIds: ['R2'], order: 1 });
    expect(rec(a, 'soc2')).toBeUndefined();
  });

  it('comes after SOC 2 when the US is a market too', () => {
    const a = advise(answers({ markets: ['us', 'uk'] }));
    const iso = rec(a, 'iso27001');
    expect(iso?.priority).toBe('next');
    expect(iso!.order).toBeGreaterThan(rec(a, 'soc2')!.order);
    expect(iso?.guide).toBe('/compare/soc2-vs-iso27001');
  });

  it('does not fire for small-business buyers only', () => {
    expect(
      rec(advise(answers({ customers: ['smb'], markets: ['eu', 'us'] })), 'iso27001'),
    ).toBeUndefined();
  });
});

describe('R3 ISO 42001 when AI is the product', () => {
  it('recommends ISO 42001 next, after SOC 2', () => {
    const a = advise(answers({ aiExposure: 'ai-is-the-product' }));
    const ai = rec(a, 'iso42001');
    expect(ai).toMatchObject({ priority: 'next', order: 2 });
    expect(ai?.ruleIds).toContain('R3');
    expect(ai?.guide).toBe('/compare/soc2-vs-iso42001');
  });

  it('builds on ISO 27001 when it is held', () => {
    const ai = rec(
      advise(answers({ aiExposure: 'ai-is-the-product', holds: ['iso27001'] })),
      'iso42001',
    );
    expect(ai?.reason).toMatch(/ISO 27001 shortens/);
    expect(ai?.guide).toBe('/compare/iso27001-vs-iso42001');
  });
});

describe('R4 ISO 42001 when AI is a feature', () => {
  it('is to consider when enterprise or regulated buyers scrutinise model governance', () => {
    for (const customers of [['enterprise'], ['regulated']] as CustomerKind[][]) {
      const ai = rec(advise(answers({ aiExposure: 'uses-ai', customers })), 'iso42001');
      expect(ai).toMatchObject({ priority: 'consider' });
      expect(ai?.ruleIds).toContain('R4');
    }
  });

  it('is for later otherwise', () => {
    const ai = rec(advise(answers({ aiExposure: 'uses-ai', customers: ['smb'] })), 'iso42001');
    expect(ai?.priority).toBe('later');
  });
});

describe('R5 EU market and AI raise ISO 42001', () => {
  it('moves ISO 42001 up one step, still after SOC 2', () => {
    const without = rec(
      advise(answers({ aiExposure: 'ai-is-the-product', markets: ['us'] })),
      'iso42001',
    );
    const withEu = advise(answers({ aiExposure: 'ai-is-the-product', markets: ['us', 'eu'] }));
    const ai = rec(withEu, 'iso42001');
    expect(without?.priority).toBe('next');
    expect(ai?.priority).toBe('now');
    expect(ai?.ruleIds).toContain('R5');
    expect(ai!.order).toBeGreaterThan(rec(withEu, 'soc2')!.order);
  });

  it('raises a feature-level AI exposure from later to consider', () => {
    const ai = rec(
      advise(answers({ aiExposure: 'uses-ai', customers: ['smb'], markets: ['eu'] })),
      'iso42001',
    );
    expect(ai?.priority).toBe('consider');
  });

  it('says carefully that ISO 42001 is not a legal route to conformity with the AI Act', () => {
    const a = advise(answers({ aiExposure: 'ai-is-the-product', markets: ['eu'] }));
    expect(rec(a, 'iso42001')?.reason).toMatch(/does not by itself make you compliant/);
    expect(a.notes.join(' ')).toMatch(/not a legal route to conformity/);
  });

  it('does not fire for the UK alone or without AI', () => {
    const uk = rec(
      advise(answers({ aiExposure: 'ai-is-the-product', markets: ['uk'] })),
      'iso42001',
    );
    expect(uk?.ruleIds).not.toContain('R5');
    expect(uk?.priority).toBe('next');
    expect(rec(advise(answers({ markets: ['eu'] })), 'iso42001')).toBeUndefined();
  });
});

describe('R6 HIPAA for US health data', () => {
  it('recommends a HIPAA assessment and HITRUST to consider for large health systems', () => {
    const a = advise(answers({ healthData: true, customers: ['regulated'] }));
    expect(rec(a, 'hipaa')).toMatchObject({ priority: 'now', ruleIds: ['R6'] });
    expect(rec(a, 'hipaa')?.reason).toMatch(/no official HIPAA certificate/);
    const hitrust = rec(a, 'hitrust');
    expect(hitrust?.priority).toBe('consider');
    expect(hitrust!.order).toBeGreaterThan(rec(a, 'hipaa')!.order);
  });

  it('leaves HITRUST out for small-business buyers', () => {
    const a = advise(answers({ healthData: true, customers: ['smb'] }));
    expect(rec(a, 'hipaa')).toBeDefined();
    expect(rec(a, 'hitrust')).toBeUndefined();
  });
});

describe('R7 PCI DSS for card data', () => {
  it('recommends PCI DSS and says SAQ versus ROC depends on volume', () => {
    const pci = rec(advise(answers({ cardData: true })), 'pci-dss');
    expect(pci).toMatchObject({ priority: 'now', ruleIds: ['R7'] });
    expect(pci?.reason).toMatch(/SAQ/);
    expect(pci?.reason).toMatch(/Report on Compliance/);
    expect(pci?.reason).toMatch(/volume/);
  });
});

describe('R8 ISO 27701 for personal data at scale in Europe', () => {
  it('is to consider, after ISO 27001', () => {
    const a = advise(answers({ personalDataAtScale: true, markets: ['eu'] }));
    const pims = rec(a, 'iso27701');
    expect(pims).toMatchObject({ priority: 'consider', ruleIds: ['R8'] });
    expect(pims!.order).toBeGreaterThan(rec(a, 'iso27001')!.order);
    expect(pims?.guide).toBe('/compare/iso27001-vs-iso27701');
  });

  it('does not fire outside Europe', () => {
    expect(
      rec(advise(answers({ personalDataAtScale: true, markets: ['us'] })), 'iso27701'),
    ).toBeUndefined();
  });
});

describe('R9 frameworks already held', () => {
  it('never recommends a held framework, lists it as held and mentions reuse later on', () => {
    const a = advise(
      answers({
        aiExposure: 'ai-is-the-product',
        markets: ['us', 'eu'],
        holds: ['soc2', 'iso27001'],
      }),
    );
    expect(frameworks(a)).not.toContain('soc2');
    expect(frameworks(a)).not.toContain('iso27001');
    expect(a.alreadyHeld.map((h) => h.framework)).toEqual(['soc2', 'iso27001']);
    for (const h of a.alreadyHeld) expect(h.note.length).toBeGreaterThan(0);
    const ai = rec(a, 'iso42001');
    expect(ai).toMatchObject({ order: 1 });
    expect(ai?.ruleIds).toContain('R9');
    expect(ai?.reason).toMatch(/management-system clauses/);
  });

  it('explains when everything needed is already held', () => {
    const a = advise(answers({ holds: ['soc2'] }));
    expect(a.recommendations).toEqual([]);
    expect(a.notes.join(' ')).toMatch(/already in place/);
  });
});

describe('R10 sequencing', () => {
  it('numbers a full plan 1..n with SOC 2 before ISO 42001', () => {
    const a = advise(
      answers({
        aiExposure: 'ai-is-the-product',
        customers: ['enterprise', 'regulated'],
        markets: ['us', 'eu'],
        healthData: true,
        cardData: true,
        personalDataAtScale: true,
      }),
    );
    expect(a.recommendations.map((r) => r.order)).toEqual(a.recommendations.map((_, i) => i + 1));
    expect(frameworks(a)).toEqual([
      'soc2',
      'hipaa',
      'pci-dss',
      'iso42001',
      'iso27001',
      'iso27701',
      'hitrust',
    ]);
    expect(rec(a, 'iso42001')?.ruleIds).toContain('R10');
  });

  it('drops the SOC 2-first constraint when SOC 2 or ISO 27001 is already held', () => {
    const a = advise(answers({ aiExposure: 'ai-is-the-product', holds: ['iso27001'] }));
    expect(rec(a, 'iso42001')?.ruleIds).not.toContain('R10');
  });

  it('never recommends ISO 42001 without AI exposure', () => {
    const a = advise(
      answers({ customers: ['enterprise', 'regulated'], markets: ['us', 'eu', 'uk'] }),
    );
    expect(rec(a, 'iso42001')).toBeUndefined();
  });
});

describe('R11 when nothing is needed yet', () => {
  it('explains with a note when a consumer business needs no audit', () => {
    const a = advise(answers({ customers: [], markets: ['eu'] }));
    expect(a.recommendations).toEqual([]);
    expect(a.notes.length).toBeGreaterThan(0);
  });

  it('suggests the regional baseline for later to a small-business seller', () => {
    const eu = advise(answers({ customers: ['smb'], markets: ['eu'] }));
    expect(eu.recommendations).toEqual([
      expect.objectContaining({
        framework: 'iso27001',
        priority: 'later',
        order: 1,
        ruleIds: ['R11'],
      }),
    ]);
    // Outside the US too, the international certificate is the baseline.
    const other = advise(answers({ customers: ['smb'], markets: ['other'] }));
    expect(frameworks(other)).toEqual(['iso27001']);
    const us = advise(answers({ customers: ['smb'], markets: [] }));
    expect(frameworks(us)).toEqual(['soc2']);
  });
});

const CUSTOMERS: CustomerKind[] = ['smb', 'enterprise', 'regulated', 'public-sector'];
const MARKETS: Market[] = ['us', 'eu', 'uk', 'other'];
const HELD: HeldFramework[] = ['soc2', 'iso27001', 'iso42001', 'iso27701', 'hipaa', 'pci-dss'];

const answersArb: fc.Arbitrary<AdvisorAnswers> = fc.record({
  aiExposure: fc.constantFrom(...AI_EXPOSURES),
  customers: fc.shuffledSubarray(CUSTOMERS),
  markets: fc.shuffledSubarray(MARKETS),
  healthData: fc.boolean(),
  cardData: fc.boolean(),
  personalDataAtScale: fc.boolean(),
  holds: fc.shuffledSubarray(HELD),
});

describe('properties', () => {
  it('is deterministic (also under reordered answers) and never recommends a held framework', () => {
    const ruleIds = new Set(ADVISOR_RULES.map((r) => r.id));
    fc.assert(
      fc.property(answersArb, (a) => {
        const first = advise(a);
        expect(advise(a)).toEqual(first);
        const reordered = {
          ...a,
          customers: [...a.customers].reverse(),
          markets: [...a.markets].reverse(),
          holds: [...a.holds].reverse(),
        };
        expect(advise(reordered)).toEqual(first);

        for (const r of first.recommendations) {
          expect(a.holds).not.toContain(r.framework);
          expect(r.ruleIds.length).toBeGreaterThan(0);
          for (const id of r.ruleIds) expect(ruleIds.has(id)).toBe(true);
          expect(r.reason.length).toBeGreaterThan(0);
          expect(r.guide).toMatch(/^\/(frameworks\/[a-z0-9-]+|compare\/[a-z0-9-]+-vs-[a-z0-9-]+)$/);
        }
        expect(first.recommendations.map((r) => r.order)).toEqual(
          first.recommendations.map((_, i) => i + 1),
        );
        expect(new Set(frameworks(first)).size).toBe(first.recommendations.length);
        expect(first.alreadyHeld.map((h) => h.framework).sort()).toEqual(
          [...new Set(a.holds)].sort(),
        );
        expect(first.recommendations.length + first.notes.length).toBeGreaterThan(0);
        if (a.aiExposure === 'none') expect(frameworks(first)).not.toContain('iso42001');
      }),
      { numRuns: 500 },
    );
  });

  it('keeps SOC 2 ahead of ISO 42001 unless SOC 2 or ISO 27001 is held', () => {
    fc.assert(
      fc.property(answersArb, (a) => {
        const advice = advise(a);
        const soc2 = rec(advice, 'soc2');
        const ai = rec(advice, 'iso42001');
        if (soc2 && ai && !a.holds.includes('iso27001')) {
          expect(soc2.order).toBeLessThan(ai.order);
        }
      }),
      { numRuns: 500 },
    );
  });
});
