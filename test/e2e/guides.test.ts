import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPage, followMainNav, openBrowserSite, shown, visible } from './browser';

describe('a buyer uses the guides to decide', () => {
  const env = openBrowserSite({ screenshots: 'guides' });

  it('answers the advisor, reads the flagship, maps the overlap, downloads it and estimates the cost', async () => {
    const context = await env.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();

    // The advisor: a plain GET form.
    await page.goto(`${env.site.baseUrl}/`);
    await followMainNav(page, 'Which do I need?', '**/advisor');
    await checkPage(page, 'guides-1-advisor');
    await page.getByLabel('AI is the product: we build or train it').check();
    await page.getByLabel('Large enterprises').check();
    await page.getByLabel('United States').check();
    await page.getByLabel('European Union').check();
    await page.getByRole('button', { name: 'Show my frameworks' }).click();
    await page.waitForURL('**/advisor?**');
    const results = page.locator('section.result');
    await visible(results.getByRole('heading', { name: 'What to pursue, in order' }));
    const order = await results.locator('ol.recommendations > li h3 a').allTextContents();
    expect(order.indexOf('SOC 2')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('ISO/IEC 42001')).toBeGreaterThan(order.indexOf('SOC 2'));
    const preview = await results
      .getByRole('link', { name: 'Preview matching firms' })
      .getAttribute('href');
    expect(preview).toContain('framework=soc2');
    expect(preview).toContain('framework=iso42001');
    expect(preview).toContain('aiExposure=ai-is-the-product');
    await checkPage(page, 'guides-2-advisor-result');

    // Follow the reason's guide link to the flagship.
    await results.getByRole('link', { name: 'SOC 2 vs ISO/IEC 42001' }).first().click();
    await page.waitForURL('**/compare/soc2-vs-iso42001');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'SOC 2 vs ISO/IEC 42001',
    );
    await expect(
      page
        .getByRole('link', { name: 'Get three quotes for SOC 2 and ISO/IEC 42001' })
        .getAttribute('href'),
    ).resolves.toBe('/match?framework=soc2&framework=iso42001');
    await checkPage(page, 'guides-3-flagship');

    // The overlap map for a SOC 2 with Confidentiality.
    await page.goto(`${env.site.baseUrl}/overlap`);
    await checkPage(page, 'guides-4-overlap');
    await page.getByLabel('We hold a SOC 2 report (Type 1 or Type 2)').check();
    await page.getByLabel('Confidentiality').check();
    await page.getByRole('button', { name: 'Show the overlap' }).click();
    await page.waitForURL('**/overlap?**');
    await visible(page.getByRole('img', { name: /ISO\/IEC 42001 requirements per group/ }));
    await expect(page.locator('table.requirements tbody tr').count()).resolves.toBe(70);
    await checkPage(page, 'guides-5-overlap-result');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the map as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('iso42001-overlap-soc2.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^"Requirement","Title"/);
    expect(lines).toHaveLength(71);

    // The estimator.
    await page.goto(`${env.site.baseUrl}/estimate`);
    await checkPage(page, 'guides-6-estimate');
    await page.getByLabel('Framework').selectOption('soc2');
    await page.getByLabel('Type II: controls over a period').check();
    await page.getByLabel('Observation window (Type II)').selectOption('6');
    await page.getByLabel('Privacy').check();
    await page.getByLabel('People in scope').fill('60');
    await page.getByLabel('Systems in scope').fill('8');
    await page.getByRole('button', { name: 'Estimate' }).click();
    await page.waitForURL('**/estimate?**');
    await shown(page.getByText('Estimate — quotes vary'));
    await visible(page.getByRole('img', { name: /Audit fees: our range/ }));
    await visible(page.getByRole('img', { name: /Timeline/ }));
    await checkPage(page, 'guides-7-estimate-result');
    await context.close();
  });
});
