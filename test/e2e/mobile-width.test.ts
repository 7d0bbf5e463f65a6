import { neededByAfter } from '../helpers/dates';
import { describe, expect, it } from 'vitest';
import { openBrowserSite } from './browser';

/**
 * No public page scrolls sideways on a 390 px phone. Every page the sitemap lists is visited,
 * plus the result pages the guides' GET forms lead to and the match preview, and the
 * document may be no wider than the viewport.
 */
const PHONE = { width: 390, height: 844 };

/** Pages behind a form: what a buyer sees after answering. */
const RESULT_PAGES = [
  '/advisor?asked=1&aiExposure=ai-is-the-product&customers=enterprise&customers=public-sector&markets=us&markets=eu&holds=soc2',
  '/advisor?asked=1',
  '/overlap?soc2=yes&have=confidentiality&iso27001=yes',
  `/estimate?framework=soc2&variant=type2&windowMonths=12&categories=privacy&headcount=2000&systems=40&locations=10&neededBy=${neededByAfter(Date.now(), 210)}`,
  '/estimate?framework=iso42001&headcount=150&systems=20&locations=4&existingProgram=iso27001',
  // A date too soon for the scope: the page offers a later one.
  `/match?preview=1&framework=soc2&variant_soc2=type2&stage=series-a&headcount=40&region=north-america&industry=saas&neededBy=${neededByAfter(Date.now(), 42)}&aiExposure=uses-ai`,
  `/match?preview=1&framework=iso42001&stage=seed&headcount=30&region=europe&industry=ai-ml&neededBy=${neededByAfter(Date.now(), 120)}&aiExposure=ai-is-the-product`,
];

describe('every public page fits a 390 px phone', () => {
  const env = openBrowserSite();

  it('has no page wider than the viewport', async () => {
    const sitemap = await (await fetch(`${env.site.baseUrl}/sitemap.xml`)).text();
    const listed = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map(
      (m) => new URL(m[1] as string).pathname,
    );
    expect(listed.length).toBeGreaterThan(20);
    const paths = [...new Set([...listed, ...RESULT_PAGES])];
    const context = await env.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const tooWide: string[] = [];
    for (const path of paths) {
      const response = await page.goto(`${env.site.baseUrl}${path}`);
      expect(response?.status(), path).toBeLessThan(500);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) tooWide.push(`${path}: ${width}px`);
    }
    await context.close();
    expect(tooWide).toEqual([]);
  });
});
