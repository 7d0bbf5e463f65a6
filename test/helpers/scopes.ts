import { neededByAfter } from './dates';

/**
 * The buyer scope most tests start from, as plain data (only the pure date helpers imported, so
 * the slow tests' harness can use it too): SOC 2 Type 2 for a Series A SaaS company in North America.
 * Every demo catalogue serves three firms for it.
 */

/**
 * The scope as JSON and form fields take it; a fresh object each call, safe to change. Its date
 * is some months after today (the real clock) unless a test on a fixed clock passes its own.
 */
export function soc2ScopeFields(neededBy: string = neededByAfter(Date.now())) {
  return {
    frameworks: [{ framework: 'soc2' as const, variant: 'type2' }],
    stage: 'series-a' as const,
    headcount: 40,
    region: 'north-america' as const,
    industry: 'saas' as const,
    neededBy,
    aiExposure: 'uses-ai' as const,
  };
}

/** The same scope as the match page's query string. */
export const SOC2_SCOPE_QUERY = `framework=soc2&variant_soc2=type2&stage=series-a&headcount=40&region=north-america&industry=saas&neededBy=${neededByAfter(Date.now())}&aiExposure=uses-ai`;
