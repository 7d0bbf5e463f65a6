import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import { submitQuote } from '../../src/services/firm/quotes';
import { type ConfirmedRequest, confirmedRequest } from '../helpers/requests';
import { ACTION_TIMEOUT_MS, checkPage, openBrowserSite, shown, signInFromEmail } from './browser';
import { firmActor } from '../helpers/users';

const daysAhead = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('an audit firm works a lead in its workspace, and the buyer compares quotes', () => {
  let request: ConfirmedRequest;
  const ours = { id: '', slug: '', name: '' };
  const rival = { id: '', slug: '', name: '' };
  const ownerEmail = () => `owner@${ours.slug}.example.com`;

  const env = openBrowserSite({ screenshots: 'firm', mail: true });
  beforeAll(async () => {
    const ctx = env.site.app.ctx;
    // A buyer confirmed its request and sent its brief to two firms; the rival has quoted already.
    request = await confirmedRequest(ctx);
    for (const [target, id] of [
      [ours, request.proposed[0]!],
      [rival, request.proposed[1]!],
    ] as const) {
      Object.assign(
        target,
        await ctx.db.kysely
          .selectFrom('firms')
          .select(['id', 'slug', 'name'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      );
    }
    await sendBriefs(ctx, request.id, [ours.id, rival.id]);
    const rivalBrief = await ctx.db.kysely
      .selectFrom('briefs')
      .select('id')
      .where('requestId', '=', request.id)
      .where('firmId', '=', rival.id)
      .executeTakeFirstOrThrow();
    const rivalUser = firmActor(rival.id, {
      id: randomUUID(),
      email: `owner@${rival.slug}.example.com`,
    });
    await respondToBrief(
      ctx,
      rivalBrief.id,
      { action: 'accept' },
      { kind: 'firm-user', id: rivalUser.id, firmId: rival.id },
    );
    await submitQuote(ctx, rivalUser, rivalBrief.id, {
      lineItems: [
        { framework: 'soc2', phase: 'readiness', feeUsd: 7_500 },
        { framework: 'soc2', phase: 'type2', feeUsd: 34_000 },
      ],
      startDate: daysAhead(45),
      reportDate: daysAhead(300),
      assumptions: 'Twelve-month observation window.',
      validUntil: daysAhead(60),
    });
    await ctx.db.kysely
      .insertInto('users')
      .values({
        id: randomUUID(),
        email: ownerEmail(),
        name: 'Olive Owner',
        role: 'firm',
        firmId: ours.id,
        firmRole: 'owner',
        createdAt: new Date().toISOString(),
        disabledAt: null,
      })
      .execute();
  });

  async function go(page: Page, name: string | RegExp) {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name }).click();
  }

  it('signs in from the emailed link, edits the profile, accepts the brief and quotes; the buyer chooses', async () => {
    const firmContext = await env.browser.newContext();
    firmContext.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = await firmContext.newPage();

    // 1. Sign in by email link, read from a real SMTP peer.
    await page.goto(`${env.site.baseUrl}/sign-in`);
    await signInFromEmail(page, env.site, env.sink, ownerEmail());
    await page.waitForURL('**/firm');
    await shown(page.getByRole('heading', { name: 'Your workspace', level: 1 }));
    await expect(page.getByText('1 brief waiting for your answer').count()).resolves.toBe(1);
    await checkPage(page, 'firm-01-workspace');

    // 2. The profile: a new description and a change of capacity, then the public preview.
    await go(page, 'Profile');
    await shown(page.getByRole('heading', { name: 'Your profile', level: 1 }));
    await checkPage(page, 'firm-02-profile');
    await page
      .getByLabel('Description')
      .fill('SOC 2 for software companies: one scoping call, then a fixed fee.');
    await page.getByLabel('SOC 2: new engagements you take per month').fill('9');
    await page.getByRole('button', { name: 'Save the profile' }).click();
    await shown(page.getByText('Your profile is saved'));
    await page.getByRole('link', { name: 'Preview your public profile' }).click();
    await shown(page.getByText('one scoping call, then a fixed fee').nth(0));
    await checkPage(page, 'firm-03-profile-preview');

    // 3. Credentials, team and integrations pages pass axe too.
    await page.getByRole('link', { name: 'Back to the editor' }).click();
    await go(page, 'Credentials');
    await shown(page.getByRole('heading', { name: 'Add a credential' }));
    await checkPage(page, 'firm-04-credentials');
    await go(page, 'Team');
    await shown(page.getByRole('heading', { name: 'Invite a member' }));
    await checkPage(page, 'firm-05-team');
    await go(page, 'Integrations');
    await page.getByLabel('Name for a new key').fill('CRM sync');
    await page.getByRole('button', { name: 'Create an API key' }).click();
    await shown(page.getByRole('heading', { name: 'Your new API key' }));
    await expect(page.getByLabel('API key').inputValue()).resolves.toMatch(/^amk_/);
    await checkPage(page, 'firm-06-integrations');

    // 4. The lead: anonymised; accepting commits to quote and opens the scope sheet, not the contact.
    await go(page, 'Leads');
    await checkPage(page, 'firm-07-leads');
    await page.getByRole('link', { name: 'SOC 2 Type 2' }).click();
    await shown(page.getByText('Waiting for your answer'));
    await expect(page.locator('main').textContent()).resolves.not.toContain(request.email);
    await checkPage(page, 'firm-08-lead');
    await page.getByRole('button', { name: 'Accept and commit to quote' }).click();
    await shown(page.getByText('You accepted the brief'));
    await shown(page.getByRole('heading', { name: 'Scope sheet' }));
    await expect(page.locator('main').textContent()).resolves.not.toContain(request.email);
    await checkPage(page, 'firm-09-lead-accepted');

    // 5. The itemised quote.
    await page.getByRole('link', { name: 'Write the quote' }).click();
    await shown(page.getByRole('heading', { name: 'Write a quote', level: 1 }));
    await page.getByLabel('Readiness assessment (optional)').fill('5000');
    await page.getByLabel('Type II report', { exact: true }).fill('29500');
    await page.getByLabel('Start date').fill(daysAhead(40));
    await page.getByLabel('Report or certificate date').fill(daysAhead(290));
    await page.getByLabel('Quote valid until').fill(daysAhead(45));
    await page.getByLabel('Assumptions').fill('Nine-month observation window; remote fieldwork.');
    await checkPage(page, 'firm-10-quote-form');
    await page.getByRole('button', { name: 'Send the quote' }).click();
    await shown(page.getByText('Your quote is on the buyer’s page'));
    await shown(page.getByText('SOC 2 Type 2: Type II report: $29,500'));

    // 6. The buyer compares both quotes side by side and chooses ours.
    const buyerContext = await env.browser.newContext();
    buyerContext.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const buyer = await buyerContext.newPage();
    await buyer.goto(`${env.site.baseUrl}/r/${request.accessToken}`);
    const quotes = buyer.getByRole('region', { name: 'Quotes side by side' });
    const table = quotes.getByRole('table', { name: /Quotes side by side/ });
    await shown(table.getByRole('columnheader', { name: ours.name }));
    await shown(table.getByRole('columnheader', { name: rival.name }));
    // Year one (the audit) apart from optional readiness: $29,500 against $34,000.
    await shown(table.getByRole('cell', { name: '$29,500' }));
    await shown(table.getByRole('cell', { name: '$34,000' }));
    await checkPage(buyer, 'firm-11-buyer-compares');
    await table
      .getByRole('button', { name: `Mark the quote of ${ours.name} as your choice` })
      .click();
    await shown(table.getByRole('columnheader', { name: `${ours.name} (your choice)` }));
    await checkPage(buyer, 'firm-12-buyer-chose');
    await env.sink.waitFor(
      (m) => m.subject === 'A buyer chose your quote',
      'telling the firm its quote was chosen',
    );

    await buyerContext.close();
    await firmContext.close();
  });
});
