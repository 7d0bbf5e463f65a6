import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, launchBrowser, resetScreenshots, type RunningSite, startSite } from './browser';
import { linksIn, type SmtpSink, type SunkMessage, startSmtpSink } from './smtp-sink';

const BUYER = {
  name: 'Dana Whitfield',
  email: 'dana.whitfield@northwind-analytics.example',
  company: 'Northwind Analytics',
};

/** A date about ten months ahead, as a date input takes it. */
function tenMonthsAhead(): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + 10);
  return d.toISOString().slice(0, 10);
}

const leadEmail = (slug: string) => `leads@${slug}.example.com`;
const sentTo = (address: string) => (m: SunkMessage) => m.to.includes(address.toLowerCase());
const mentionsBuyer = (m: SunkMessage) =>
  `${m.raw}\n${m.text}`.toLowerCase().includes(BUYER.email.toLowerCase());

describe('a buyer meets three audit firms, and a firm answers from its email', () => {
  let sink: SmtpSink;
  let site: RunningSite;
  let browser: Browser;

  beforeAll(async () => {
    resetScreenshots('journey');
    sink = await startSmtpSink();
    site = await startSite({ smtpUrl: sink.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await sink?.close();
  });

  /** The one link in an email that starts with `path`, opened on this site as a click would. */
  function linkIn(message: SunkMessage, path: string): string {
    const links = linksIn(message).filter((l) => new URL(l).pathname.startsWith(path));
    expect(links, `one ${path} link in "${message.subject}"`).toHaveLength(1);
    const url = new URL(links[0]!);
    // Emails point at PUBLIC_URL; the site under test listens on a random loopback port.
    expect(url.origin).toBe(site.app.ctx.config.publicUrl);
    return `${site.baseUrl}${url.pathname}${url.search}`;
  }

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name });
  /** Waits until the element is on screen (fails with the locator in the message if it never is). */
  const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible' });

  /** The firms named by the level-3 heading links of these cards. */
  async function firmsIn(cards: Locator): Promise<{ name: string; slug: string }[]> {
    const firms = [];
    for (const card of await cards.all()) {
      const link = card.getByRole('heading', { level: 3 }).getByRole('link');
      const href = (await link.getAttribute('href')) ?? '';
      firms.push({ name: (await link.textContent()) ?? '', slug: href.replace('/firms/', '') });
    }
    return firms;
  }

  it('goes from the home page to an introduction, and a decline brings a replacement offer', async () => {
    const buyerContext = await browser.newContext();
    buyerContext.setDefaultTimeout(10_000);
    const page = await buyerContext.newPage();

    // 1. Home → the match form.
    await page.goto(`${site.baseUrl}/`);
    await checkPage(page, 'journey-01-home');
    await page.getByRole('link', { name: 'See your three firms' }).first().click();
    await page.waitForURL('**/match');
    await shown(heading(page, 'Three firms that fit'));
    await checkPage(page, 'journey-02-match-form');

    // 2. The scope, as a person fills it in.
    await page.getByLabel('SOC 2', { exact: true }).check();
    await page.getByLabel('SOC 2 variant').selectOption({ label: 'Type 2 (Type II)' });
    await page.getByLabel('Stage', { exact: true }).selectOption({ label: 'Series A' });
    await page.getByLabel('Headcount').fill('40');
    await page.getByLabel('Industry').selectOption({ label: 'B2B SaaS' });
    await page.getByLabel('Where the audit takes place').selectOption({ label: 'North America' });
    await page
      .getByLabel('AI in your product')
      .selectOption({ label: 'The product uses AI in some features' });
    await page.getByLabel('Report or certificate needed by').fill(tenMonthsAhead());
    await page.getByRole('button', { name: 'Show my firms' }).click();
    await page.waitForURL('**/match?preview=1**');
    // The results, not the top of the long form again, are what the person sees next.
    const onScreen = await heading(page, 'The 3 firms that fit').evaluate((h) => {
      const box = h.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    });
    expect(onScreen, 'the results heading is on screen after "Show my firms"').toBe(true);

    // 3. Three firms and why, before any contact details.
    const results = page.getByRole('region', { name: 'The 3 firms that fit' });
    const cards = results
      .getByRole('list')
      .first()
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3 }) });
    await expect(cards.count()).resolves.toBe(3);
    const previewed = (await firmsIn(cards)).map((f) => f.slug);
    expect(new Set(previewed).size).toBe(3);
    await checkPage(page, 'journey-03-results');

    // 4. The request: contact details and explicit consent.
    await page.getByLabel('Your name').fill(BUYER.name);
    await page.getByLabel('Work email').fill(BUYER.email);
    await page.getByLabel('Company', { exact: true }).fill(BUYER.company);
    await page.getByLabel(/I agree that Auditmatch may store my contact details/).check();
    await page.getByRole('button', { name: 'Send my request' }).click();
    await page.waitForURL('**/requests/sent**');
    await shown(heading(page, 'Check your inbox'));
    await checkPage(page, 'journey-04-sent');

    // 5. The confirmation email; until it is used nothing leaves the platform.
    const confirmation = await sink.waitFor(sentTo(BUYER.email), 'confirming the address');
    expect(confirmation.subject).toBe('Confirm your request for audit quotes');
    expect(sink.messages.every((m) => m.to.length === 1 && m.to[0] === BUYER.email)).toBe(true);
    await page.goto(linkIn(confirmation, '/r/confirm/'));
    await shown(heading(page, 'Confirm your request'));
    await checkPage(page, 'journey-05-confirm');
    await page.getByRole('button', { name: 'Confirm and see my firms' }).click();
    await page.waitForURL(/\/r\/[^/?]+$/);
    const privateUrl = page.url();

    // 6. The private page proposes the three firms the preview showed; the buyer chooses all of them.
    const choose = page.getByRole('region', { name: 'Choose whom to hear from' });
    const firms = await firmsIn(
      choose.getByRole('listitem').filter({ has: page.getByRole('checkbox') }),
    );
    expect(firms.map((f) => f.slug).sort()).toEqual([...previewed].sort());
    await checkPage(page, 'journey-06-private');
    for (const firm of firms) await choose.getByLabel(`Send my brief to ${firm.name}`).check();
    await choose.getByRole('button', { name: 'Send my brief', exact: true }).click();
    await page.waitForURL('**?done=briefs');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Your brief is on its way',
    );
    await expect(page.getByText('Reading your brief').count()).resolves.toBe(3);

    const access = await sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject.startsWith('Your private page'),
      'with the private link',
    );
    expect(linkIn(access, '/r/')).toBe(privateUrl);

    // 7. Each firm's brief email: the scope only, never the buyer.
    const briefLinks = new Map<string, string>();
    for (const firm of firms) {
      const brief = await sink.waitFor(
        sentTo(leadEmail(firm.slug)),
        `with the brief for ${firm.name}`,
      );
      expect(brief.subject).toMatch(/^New brief AM-[A-Z0-9]{8}: a company asks for your quote$/);
      expect(brief.text).toContain('SOC 2');
      for (const secret of Object.values(BUYER)) expect(brief.text).not.toContain(secret);
      briefLinks.set(firm.slug, linkIn(brief, '/b/'));
    }
    const [accepting, declining, waiting] = firms as [
      (typeof firms)[0],
      (typeof firms)[0],
      (typeof firms)[0],
    ];

    // 8. The first firm opens its brief (its own browser, no session) and accepts.
    const firmContext = await browser.newContext();
    firmContext.setDefaultTimeout(10_000);
    const firmPage = await firmContext.newPage();
    await firmPage.goto(briefLinks.get(accepting.slug)!);
    await shown(heading(firmPage, `A brief for ${accepting.name}`));
    const briefText = (await firmPage.locator('body').textContent()) ?? '';
    expect(briefText).toContain('Series A');
    for (const secret of Object.values(BUYER)) expect(briefText).not.toContain(secret);
    await checkPage(firmPage, 'journey-07-brief');
    await firmPage.getByRole('button', { name: 'Accept and receive the contact details' }).click();
    await shown(firmPage.getByText('This brief was accepted.'));
    await checkPage(firmPage, 'journey-08-brief-accepted');

    // 9. Both sides are introduced by email.
    const intro = await sink.waitFor(
      (m) => sentTo(leadEmail(accepting.slug))(m) && m.subject.startsWith('Introduction:'),
      'introducing the buyer',
    );
    expect(intro.subject).toBe(`Introduction: ${BUYER.company}`);
    expect(intro.text).toContain(BUYER.email);
    expect(intro.text).toContain(BUYER.name);
    const accepted = await sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject === `${accepting.name} accepted your brief`,
      'telling the buyer',
    );
    expect(accepted.text).toContain(`/firms/${accepting.slug}`);

    // 10. The buyer's private page shows the introduction.
    await page.goto(privateUrl);
    const holding = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: accepting.name, level: 3 }) });
    await shown(holding.first().getByText('Accepted: you have been introduced'));
    await checkPage(page, 'journey-09-private-accepted');

    // 11. The second firm declines with a reason.
    await firmPage.goto(briefLinks.get(declining.slug)!);
    await shown(heading(firmPage, `A brief for ${declining.name}`));
    await firmPage
      .getByLabel('Reason for declining')
      .selectOption({ label: 'No capacity in time' });
    await firmPage.getByRole('button', { name: 'Decline' }).click();
    await shown(firmPage.getByText('This brief was declined.'));
    await sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject === `${declining.name} declined your brief`,
      'telling the buyer of the decline',
    );

    // 12. The buyer is offered the next best fit and decides.
    await page.goto(privateUrl);
    const declinedCard = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: declining.name, level: 3 }) });
    await shown(declinedCard.first().getByText('Declined', { exact: true }));
    await shown(declinedCard.first().getByText('Reason given: No capacity in time'));
    const next = page.getByRole('region', { name: 'Next best fits' });
    const offers = next.getByRole('checkbox', { name: /^Send my brief to / });
    expect(await offers.count()).toBeGreaterThan(0);
    const offerLink = next.getByRole('heading', { level: 3 }).first().getByRole('link');
    const offered = {
      name: (await offerLink.textContent()) ?? '',
      slug: ((await offerLink.getAttribute('href')) ?? '').replace('/firms/', ''),
    };
    expect(firms.map((f) => f.slug)).not.toContain(offered.slug);
    await checkPage(page, 'journey-10-private-replacement');
    await next.getByLabel(`Send my brief to ${offered.name}`).check();
    await next.getByRole('button', { name: 'Send my brief to the firms I ticked' }).click();
    await page.waitForURL('**?done=briefs');
    await sink.waitFor(
      sentTo(leadEmail(offered.slug)),
      `with the brief for the replacement ${offered.name}`,
    );
    await expect(page.getByText('Reading your brief').count()).resolves.toBe(2);

    // The buyer's address reached one firm only: the one that accepted.
    const firmsTold = sink.messages
      .filter((m) => !m.to.includes(BUYER.email) && mentionsBuyer(m))
      .flatMap((m) => m.to);
    expect(new Set(firmsTold)).toEqual(new Set([leadEmail(accepting.slug)]));
    expect(sink.messages.some((m) => sentTo(leadEmail(waiting.slug))(m) && mentionsBuyer(m))).toBe(
      false,
    );

    await firmContext.close();
    await buyerContext.close();
  });
});
