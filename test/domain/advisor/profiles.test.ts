import { describe, expect, it } from 'vitest';
import {
  ADVISOR_RULES,
  type AdvisorAnswers,
  type Advice,
  advise,
  firedRules,
} from '../../../src/domain/advisor';
import type { FrameworkId } from '../../../src/domain/vocabulary';

/**
 * One test per kind of company, each asserting what an experienced advisor would say. Answers
 * start from "says nothing" so every profile names exactly what makes it that profile.
 */
function profile(overrides: Partial<AdvisorAnswers>): AdvisorAnswers {
  return {
    aiExposure: 'none',
    customers: [],
    markets: [],
    healthData: false,
    cardData: false,
    personalDataAtScale: false,
    holds: [],
    ...overrides,
  };
}

const rec = (a: Advice, fw: FrameworkId) => a.recommendations.find((r) => r.framework === fw);
const first = (a: Advice) => a.recommendations[0]?.framework;
const notes = (a: Advice) => a.notes.join(' ');

describe('advisor profiles', () => {
  it('an EU-only AI company: ISO 27001 first, ISO 42001 raised by the AI Act, no SOC 2', () => {
    const a = advise(
      profile({ aiExposure: 'ai-is-the-product', customers: ['enterprise'], markets: ['eu'] }),
    );
    expect(first(a)).toBe('iso27001');
    expect(rec(a, 'soc2')).toBeUndefined();
    expect(rec(a, 'iso42001')?.priority).toBe('now');
    expect(rec(a, 'iso42001')?.reason).toMatch(/AI Act/);
    // The Act's reach as Article 2 draws it: deployers in the EU and output used there.
    expect(notes(a)).toMatch(/deployers/);
    expect(notes(a)).toMatch(/output is used in the EU/);
  });

  it('a UK-only fintech: ISO 27001 first, not SOC 2', () => {
    const a = advise(profile({ customers: ['regulated', 'enterprise'], markets: ['uk'] }));
    expect(first(a)).toBe('iso27001');
    expect(rec(a, 'iso27001')?.priority).toBe('now');
    expect(rec(a, 'soc2')).toBeUndefined();
  });

  it('a pre-revenue AI start-up with no customers: nothing needed yet', () => {
    const a = advise(
      profile({
        aiExposure: 'ai-is-the-product',
        stage: 'pre-revenue',
        customers: ['enterprise'],
        markets: ['us'],
      }),
    );
    expect(a.recommendations.every((r) => r.priority === 'later')).toBe(true);
    expect(notes(a)).toMatch(/nothing needs certifying now/);
    // Once a customer asks, the answer changes.
    const asked = advise(
      profile({
        aiExposure: 'ai-is-the-product',
        stage: 'pre-revenue',
        customers: ['enterprise'],
        markets: ['us'],
        askedFor: ['soc2'],
      }),
    );
    expect(rec(asked, 'soc2')?.priority).toBe('now');
  });

  it('a pre-revenue company with health data still has HIPAA duties now', () => {
    const a = advise(
      profile({ stage: 'pre-revenue', healthData: true, customers: ['smb'], markets: ['us'] }),
    );
    expect(rec(a, 'hipaa')?.priority).toBe('now');
    expect(rec(a, 'soc2')?.priority).toBe('later');
  });

  it('a US government contractor: SOC 2 for commercial trust, and FedRAMP, StateRAMP and CMMC named as outside what we match', () => {
    const a = advise(profile({ customers: ['public-sector', 'defense'], markets: ['us'] }));
    expect(first(a)).toBe('soc2');
    expect(notes(a)).toMatch(/FedRAMP/);
    expect(notes(a)).toMatch(/StateRAMP/);
    expect(notes(a)).toMatch(/CMMC/);
    expect(notes(a)).toMatch(/does not match/);
    const rule = firedRules(profile({ customers: ['public-sector'], markets: ['us'] })).find((r) =>
      r.sources.some((s) => s.url.includes('fedramp.gov')),
    );
    expect(rule).toBeDefined();
  });

  it('a UK public-sector supplier hears about Cyber Essentials', () => {
    const a = advise(profile({ customers: ['public-sector'], markets: ['uk'] }));
    expect(notes(a)).toMatch(/Cyber Essentials/);
    expect(first(a)).toBe('iso27001');
  });

  it('a company that uses AI only internally keeps ISO 42001 in view and the AI Act note when in the EU', () => {
    const a = advise(
      profile({ aiExposure: 'internal', customers: ['enterprise'], markets: ['eu'] }),
    );
    expect(rec(a, 'iso42001')).toBeDefined();
    expect(rec(a, 'iso42001')?.reason).toMatch(/inside the company/);
    expect(notes(a)).toMatch(/AI Act/);
    // Answering "no AI" at all still removes them.
    const none = advise(
      profile({ aiExposure: 'none', customers: ['enterprise'], markets: ['eu'] }),
    );
    expect(rec(none, 'iso42001')).toBeUndefined();
  });

  it('a US SaaS company selling to enterprises: SOC 2 Type 2 now, nothing else pressing', () => {
    const a = advise(profile({ customers: ['enterprise'], markets: ['us'], stage: 'scaling' }));
    expect(a.recommendations.map((r) => r.framework)).toEqual(['soc2']);
    expect(rec(a, 'soc2')?.priority).toBe('now');
    expect(rec(a, 'soc2')?.reason).toMatch(/Type 2/);
  });

  it('a healthcare data processor: HIPAA and SOC 2 now, HITRUST to consider for large health systems', () => {
    const a = advise(profile({ healthData: true, customers: ['regulated'], markets: ['us'] }));
    expect(rec(a, 'hipaa')?.priority).toBe('now');
    expect(rec(a, 'soc2')?.priority).toBe('now');
    expect(rec(a, 'hitrust')?.priority).toBe('consider');
    expect(rec(a, 'hitrust')!.order).toBeGreaterThan(rec(a, 'hipaa')!.order);
  });

  it('a SOC 2 holder asked about AI governance: ISO 42001 now, building on its SOC 2', () => {
    const a = advise(
      profile({
        aiExposure: 'uses-ai',
        customers: ['enterprise'],
        markets: ['us'],
        holds: ['soc2'],
        askedFor: ['iso42001'],
      }),
    );
    expect(first(a)).toBe('iso42001');
    expect(rec(a, 'iso42001')?.priority).toBe('now');
    expect(rec(a, 'iso42001')?.reason).toMatch(/asking for it/);
    expect(rec(a, 'iso42001')?.reason).toMatch(/SOC 2 controls/);
    expect(rec(a, 'soc2')).toBeUndefined();
    expect(a.alreadyHeld.map((h) => h.framework)).toEqual(['soc2']);
  });

  it('an ISO 27001:2013 holder is told the certificate lapsed and needs the 2022 edition', () => {
    const a = advise(
      profile({ customers: ['enterprise'], markets: ['eu'], holds: ['iso27001-2013'] }),
    );
    expect(rec(a, 'iso27001')?.priority).toBe('now');
    expect(rec(a, 'iso27001')?.reason).toMatch(/31 October 2025/);
    expect(a.alreadyHeld).toEqual([]);
  });

  it('a company selling only elsewhere (neither US nor Europe) to enterprises: ISO 27001 first', () => {
    const a = advise(profile({ customers: ['enterprise'], markets: ['other'] }));
    expect(first(a)).toBe('iso27001');
    expect(rec(a, 'soc2')).toBeUndefined();
  });

  it('every rule cites at least one source with a web address', () => {
    for (const rule of ADVISOR_RULES) {
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      for (const s of rule.sources) expect(s.url, rule.id).toMatch(/^https:\/\//);
    }
  });
});
