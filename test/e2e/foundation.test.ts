import { describe, expect, it } from 'vitest';
import { checkPage, followMainNav, openBrowserSite, shown, visible } from './browser';

describe('a visitor browses frameworks and the firm directory', () => {
  const env = openBrowserSite();

  it('goes from the home page to a framework, the directory, a filter and a firm profile', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();

    await page.goto(`${env.site.baseUrl}/`);
    await expect.poll(() => page.title()).toBe('Auditmatch');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'three audit firms',
    );
    await shown(page.getByText('Demo data'));
    await checkPage(page, 'foundation-1-home');

    await followMainNav(page, 'Frameworks', '**/frameworks');
    await checkPage(page, 'foundation-2-frameworks');

    await page
      .getByRole('link', { name: /ISO\/IEC 42001/ })
      .first()
      .click();
    await page.waitForURL('**/frameworks/iso42001');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('42001');
    await checkPage(page, 'foundation-3-framework-iso42001');

    await followMainNav(page, 'Firms', '**/firms');
    const allCount = await page.locator('ul.grid > li').count();
    await checkPage(page, 'foundation-4-directory');

    // The directory is paged; the second page at phone width, then back.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL('**/firms?page=2');
    await shown(page.getByText(/page 2 of \d+/));
    expect(await page.locator('ul.grid > li').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await checkPage(page, 'foundation-4b-directory-page-2-phone');
    await page.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForURL(/\/firms$/);
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByLabel('Framework').selectOption('iso42001');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**/firms?framework=iso42001**');
    const filtered = page.locator('ul.grid > li');
    const filteredCount = await filtered.count();
    expect(filteredCount).toBeGreaterThan(0);
    expect(filteredCount).toBeLessThan(allCount);
    await checkPage(page, 'foundation-5-directory-iso42001');

    const first = filtered.first().getByRole('link').first();
    const firmName = await first.textContent();
    await first.click();
    await page.waitForURL('**/firms/**');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(firmName);
    await visible(page.getByRole('heading', { name: 'Credentials' }));
    await checkPage(page, 'foundation-6-firm-profile');
    await context.close();
  });
});
