import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setAvailability } from '../../src/services/calls';
import { linksIn, type SunkMessage } from '../helpers/smtp-sink';
import {
  ACTION_TIMEOUT_MS,
  checkPage,
  onSite,
  openBrowserSite,
  SCREENSHOT_DIR,
  shown,
} from './browser';
import { firmActor, OFFICE_HOURS } from '../helpers/users';

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

describe('a buyer compares quotes, then books one short call; firms answer from their email links', () => {
  const env = openBrowserSite({ screenshots: 'journey', mail: true });

  /** The one link in an email that starts with `path`, opened on this site as a click would. */
  function linkIn(message: SunkMessage, path: string): string {
    const links = linksIn(message).filter((l) => new URL(l).pathname.startsWith(path));
    expect(links, `one ${path} link in "${message.subject}"`).toHaveLength(1);
    // Emails point at PUBLIC_URL; the site under test listens on a random loopback port.
    expect(new URL(links[0]!).origin).toBe(env.site.app.ctx.config.publicUrl);
    return onSite(env.site, links[0]!);
  }

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name });

  const firmIdOf = async (slug: string) =>
    (
      await env.site.app.ctx.db.kysely
        .selectFrom('firms')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;

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

  it('request → confirm → choose → accept → question and answer → quotes → compare → book → move → cancel, desktop and phone', async () => {
    const buyerContext = await env.browser.newContext();
    buyerContext.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = await buyerContext.newPage();

    // 1. Home → the match form.
    await page.goto(`${env.site.baseUrl}/`);
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
    const confirmation = await env.sink.waitFor(sentTo(BUYER.email), 'confirming the address');
    expect(confirmation.subject).toBe('Confirm your request for audit quotes');
    expect(env.sink.messages.every((m) => m.to.length === 1 && m.to[0] === BUYER.email)).toBe(true);
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

    const access = await env.sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject.startsWith('Your private page'),
      'with the private link',
    );
    expect(linkIn(access, '/r/')).toBe(privateUrl);

    // 7. Each firm's brief email: the scope only, never the buyer.
    const briefLinks = new Map<string, string>();
    for (const firm of firms) {
      const brief = await env.sink.waitFor(
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

    // 8. Two firms will work from their email links (own browsers, no session). The first has
    //    published the times it takes calls, in New York, from its workspace.
    const owner = firmActor(await firmIdOf(accepting.slug), {
      id: 'owner',
      email: leadEmail(accepting.slug),
    });
    await setAvailability(env.site.app.ctx, owner, OFFICE_HOURS);
    const firmContext = await env.browser.newContext();
    firmContext.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const firmPage = await firmContext.newPage();
    await firmPage.goto(briefLinks.get(accepting.slug)!);
    await shown(heading(firmPage, `A brief for ${accepting.name}`));
    const briefText = (await firmPage.locator('body').textContent()) ?? '';
    expect(briefText).toContain('Series A');
    for (const secret of Object.values(BUYER)) expect(briefText).not.toContain(secret);
    await checkPage(firmPage, 'journey-07-brief');
    await firmPage.getByRole('button', { name: 'Accept and commit to quote' }).click();
    await shown(firmPage.getByText('Accepted: quote, then the buyer may book its call'));
    // Accepting opens the whole scope sheet, not the buyer's details.
    await shown(heading(firmPage, 'Scope sheet'));
    const sheet = (await firmPage.locator('body').textContent()) ?? '';
    expect(sheet).toContain('Consultancies that helped build its management system');
    for (const secret of Object.values(BUYER)) expect(sheet).not.toContain(secret);
    await checkPage(firmPage, 'journey-08-lead-accepted');
    const commitment = await env.sink.waitFor(
      (m) => sentTo(leadEmail(accepting.slug))(m) && m.subject.startsWith('You accepted brief'),
      'with the commitment and the lead link',
    );
    expect(mentionsBuyer(commitment)).toBe(false);

    // 9. The firm asks a question; the buyer answers on its page and shares the answer with all.
    await firmPage
      .getByLabel('Ask the buyer')
      .fill('How many production AWS accounts are in scope?');
    await firmPage.getByRole('button', { name: 'Send the question' }).click();
    await shown(firmPage.getByText('Your question is on the buyer’s page'));
    const question = await env.sink.waitFor(
      (m) =>
        sentTo(BUYER.email)(m) && m.subject === `${accepting.name} has a question about your scope`,
      'with the question',
    );
    await page.goto(linkIn(question, '/r/'));
    const card = (name: string) =>
      page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name, level: 3 }) })
        .first();
    await shown(card(accepting.name).getByText('How many production AWS accounts are in scope?'));
    await card(accepting.name)
      .getByLabel(`Your answer to ${accepting.name}`)
      .fill('Two accounts, one region, no on-premises systems.');
    await card(accepting.name)
      .getByLabel('Share this answer with all the firms that accepted my brief')
      .check();
    await card(accepting.name).getByRole('button', { name: 'Send', exact: true }).click();
    await page.waitForURL('**?done=answered');
    await checkPage(page, 'journey-09-private-answered');
    await env.sink.waitFor(
      (m) => sentTo(leadEmail(accepting.slug))(m) && m.subject.startsWith('The buyer answered'),
      'with the answer',
    );

    // 10. The second firm declines with a reason; the third accepts.
    await firmPage.goto(briefLinks.get(declining.slug)!);
    await shown(heading(firmPage, `A brief for ${declining.name}`));
    await firmPage
      .getByLabel('Reason for declining')
      .selectOption({ label: 'No capacity in time' });
    await firmPage.getByRole('button', { name: 'Decline' }).click();
    await shown(firmPage.getByText('You declined the brief.'));
    await env.sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject === `${declining.name} declined your brief`,
      'telling the buyer of the decline',
    );
    await firmPage.goto(briefLinks.get(waiting.slug)!);
    await firmPage.getByRole('button', { name: 'Accept and commit to quote' }).click();
    await shown(firmPage.getByText('Accepted: quote, then the buyer may book its call'));

    // 11. Both accepting firms quote from their links: one a range with readiness, one fixed.
    for (const [firm, fees] of [
      [
        accepting,
        {
          '#f-fee_soc2_readiness': '6000',
          '#f-fee_soc2_type2': '24000',
          '#f-feeTo_soc2_type2': '30000',
        },
      ],
      [waiting, { '#f-fee_soc2_type2': '31000' }],
    ] as const) {
      await firmPage.goto(briefLinks.get(firm.slug)!);
      await firmPage.getByRole('link', { name: 'Write the quote' }).click();
      await shown(heading(firmPage, 'Write a quote'));
      for (const [selector, value] of Object.entries(fees))
        await firmPage.locator(selector).fill(value);
      await firmPage.getByLabel('Start date').fill(tenMonthsAhead().replace(/-\d\d$/, '-01'));
      await firmPage.getByLabel('Report or certificate date').fill(tenMonthsAhead());
      await firmPage
        .getByLabel('Quote valid until')
        .fill(tenMonthsAhead().replace(/-\d\d$/, '-02'));
      await firmPage
        .getByLabel('What the short call could change')
        .fill('The number of systems in scope.');
      if (firm === accepting) await checkPage(firmPage, 'journey-10-quote-form');
      await firmPage.getByRole('button', { name: 'Send the quote' }).click();
      await shown(firmPage.getByText('Your quote is on the buyer’s page'));
    }
    await env.sink.waitFor(
      (m) => sentTo(BUYER.email)(m) && m.subject.startsWith('All your quotes are in'),
      'saying all quotes are in',
    );

    // 12. The buyer compares: ranges, a line one firm did not quote, year one apart.
    await page.goto(privateUrl);
    const compare = page.getByRole('region', { name: 'Quotes side by side' });
    await shown(compare.getByText('$24,000–$30,000'));
    await shown(compare.getByText('not quoted'));
    await shown(compare.getByText('not every firm quotes this'));
    await checkPage(page, 'journey-11-compare');

    // 13. One short call with the firm it picks, read in Tokyo time; then moved, then cancelled.
    await page.goto(`${privateUrl}?tz=Asia/Tokyo`);
    const slot = card(accepting.name).getByLabel(new RegExp(`^A time ${accepting.name} offers`));
    await shown(slot);
    expect((await slot.locator('option').first().textContent()) ?? '').toMatch(
      /\(Asia\/Tokyo\) — .*\(America\/New York\)$/,
    );
    /** Presses a button on the firm's card; waits for the page it leads to and the buyer's email. */
    const callStep = async (button: string, done: string, subject: string) => {
      await card(accepting.name).getByRole('button', { name: button }).click();
      await page.waitForURL(`**?done=${done}`);
      return env.sink.waitFor(
        (m) => sentTo(BUYER.email)(m) && m.subject.startsWith(subject),
        `"${subject}"`,
      );
    };
    const booked = await callStep('Book this call', 'booked', 'Your call is booked');
    expect(booked.raw).toContain('METHOD:REQUEST');
    const toFirm = await env.sink.waitFor(
      (m) => sentTo(leadEmail(accepting.slug))(m) && m.subject.startsWith('Call booked'),
      'with the buyer details',
    );
    expect(toFirm.text).toContain(BUYER.email);
    // Kept beside the screenshots: the booked call as the buyer in Tokyo and the firm in New York receive it.
    writeFileSync(join(SCREENSHOT_DIR, 'journey-12-booked-buyer.eml'), booked.raw);
    writeFileSync(join(SCREENSHOT_DIR, 'journey-12-booked-firm.eml'), toFirm.raw);
    await page.goto(`${privateUrl}?tz=Asia/Tokyo`);
    await shown(card(accepting.name).getByText('Booked:'));
    await checkPage(page, 'journey-12-booked');
    await callStep('Move the call', 'moved', 'Your call moved');
    await page.goto(privateUrl);
    await card(accepting.name).getByLabel('Reason (optional)').fill('We chose to wait a quarter.');
    const cancelled = await callStep('Cancel the call', 'cancelled', 'Call cancelled');
    expect(cancelled.raw).toContain('METHOD:CANCEL');
    expect(cancelled.text).toContain('We chose to wait a quarter.');
    expect(cancelled.text).not.toContain(`cancelled by`);
    // The firm hears it too, in its own email: cancelled by the buyer, the same event removed.
    const firmCancelled = await env.sink.waitFor(
      (m) => sentTo(leadEmail(accepting.slug))(m) && m.subject.startsWith('Call cancelled'),
      'the firm told of the cancellation',
    );
    expect(firmCancelled.text).toContain(`cancelled by ${BUYER.company}`);
    expect(firmCancelled.raw).toContain('METHOD:CANCEL');

    // 14. The same pages on a 390 px phone: nothing scrolls sideways, the table scrolls in its box.
    const phone = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newPage();
    for (const [url, name] of [
      [privateUrl, 'journey-13-phone-private'],
      [briefLinks.get(accepting.slug)!, 'journey-14-phone-lead'],
    ] as const) {
      await phonePage.goto(url);
      const wide = await phonePage.evaluate(() =>
        Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > 391)
          .slice(0, 5)
          .map(
            (e) =>
              `${e.tagName}.${e.className}#${e.id}: ${Math.round(e.getBoundingClientRect().right)}`,
          ),
      );
      expect(
        await phonePage.evaluate(() => document.documentElement.scrollWidth),
        `${name} ${wide.join('; ')}`,
      ).toBeLessThanOrEqual(390);
      await checkPage(phonePage, name);
    }
    await phone.close();

    // The buyer's address reached one firm only: the one it booked a call with.
    const firmsTold = env.sink.messages
      .filter((m) => !m.to.includes(BUYER.email) && mentionsBuyer(m))
      .flatMap((m) => m.to);
    expect(new Set(firmsTold)).toEqual(new Set([leadEmail(accepting.slug)]));
    expect(
      env.sink.messages.some((m) => sentTo(leadEmail(waiting.slug))(m) && mentionsBuyer(m)),
    ).toBe(false);
    await firmContext.close();
    await buyerContext.close();
  });
});
