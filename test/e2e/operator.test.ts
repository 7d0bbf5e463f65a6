import { neededByAfter } from '../helpers/dates';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sealEmail } from '../../src/outbox/email';
import { enqueue } from '../../src/outbox/queue';
import { createAdmin } from '../../src/services/auth';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import { fileComplaint } from '../../src/services/buyer';
import { submitApplication } from '../../src/services/firm/accounts';
import { briefsOf, confirmedRequest, newFirmApplication, scopeWith } from '../helpers/requests';
import { ACTION_TIMEOUT_MS, checkPage, openBrowserSite, shown, signInFromEmail } from './browser';

const OPERATOR = 'ops@auditmatch.example';

describe('the operator signs in from the email link and verifies a credential', () => {
  const env = openBrowserSite({ screenshots: 'operator', mail: true });
  beforeAll(async () => {
    await createAdmin(env.site.app.ctx, OPERATOR);
    await fillQueues();
  });

  /** Something in every queue, so each page is checked with its forms, not only its empty state. */
  async function fillQueues() {
    const ctx = env.site.app.ctx;
    const request = await confirmedRequest(ctx, {
      scope: scopeWith({ neededBy: neededByAfter(Date.now()) }),
    });
    const firmId = request.proposed[0]!;
    await sendBriefs(ctx, request.id, [firmId]);
    const [brief] = await briefsOf(ctx, request.id);
    await respondToBrief(ctx, brief!.id, { action: 'accept' }, { kind: 'brief-link' });
    await fileComplaint(ctx, request.id, {
      firmId,
      kind: 'contacted-after-stop',
      body: 'They called twice after I asked them to stop.',
    });
    await ctx.db.kysely
      .insertInto('reviews')
      .values({
        id: randomUUID(),
        briefId: brief!.id,
        firmId,
        rating: 2,
        body: 'Slow to answer.',
        firmReply: null,
        firmRepliedAt: null,
        hiddenReason: null,
        hiddenAt: null,
        createdAt: new Date().toISOString(),
      })
      .execute();
    await confirmedRequest(ctx, {
      scope: scopeWith({
        frameworks: [{ framework: 'hitrust', variant: 'r2' }],
        neededBy: neededByAfter(Date.now()),
      }),
    });
    await submitApplication(ctx, newFirmApplication('We audit SaaS companies.'));
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await enqueue(
        trx,
        {
          channel: 'webhook',
          idempotencyKey: 'test:dead-webhook',
          payload: sealEmail(ctx.secrets, { to: 'x@example.com', subject: 's', text: 't' }),
        },
        new Date(),
      );
      await trx
        .updateTable('outbox')
        .set({ status: 'dead', attempts: 8, lastError: 'HTTP 500 from receiver' })
        .where('idempotencyKey', '=', 'test:dead-webhook')
        .execute();
    });
  }

  const heading = (page: Page, name: string | RegExp) =>
    page.getByRole('heading', { level: 1, name });

  it('walks the console: sign-in, verification queue, every page accessible', async () => {
    const context = await env.browser.newContext();
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = await context.newPage();

    // 1. The console sends a stranger to sign in, and the link arrives by SMTP.
    await page.goto(`${env.site.baseUrl}/admin/credentials`);
    await page.waitForURL('**/sign-in?next=*');
    await checkPage(page, 'operator-01-sign-in');
    await signInFromEmail(page, env.site, env.sink, OPERATOR);
    await page.waitForURL('**/admin');
    await shown(heading(page, 'Operator console'));
    await checkPage(page, 'operator-02-console');

    // 2. The verification queue, pending first.
    await page
      .getByRole('navigation', { name: 'Operator console' })
      .getByRole('link', { name: 'Credentials' })
      .click();
    await shown(heading(page, 'Credential verification'));
    await checkPage(page, 'operator-03-credentials');
    const card = page.locator('li.card').filter({
      has: page.getByRole('heading', { name: /Pebblecourt CPA Group: CPA firm licence/ }),
    });
    await shown(card.getByText('Waiting for verification'));

    // A rejection without a note is refused beside the note field, accessibly.
    await card.getByRole('button', { name: 'Reject' }).click();
    const retry = page.locator('li.card').filter({
      has: page.getByRole('heading', { name: /Pebblecourt CPA Group: CPA firm licence/ }),
    });
    await shown(retry.getByText('say why'));
    await checkPage(page, 'operator-04-credentials-error');

    // 3. Verify it, and see it verified.
    await retry.getByRole('button', { name: 'Verify' }).click();
    await shown(page.getByRole('status').filter({ hasText: 'Credential verified' }));
    await page.getByRole('link', { name: 'All credentials' }).click();
    const verified = page.locator('li.card').filter({
      has: page.getByRole('heading', { name: /Pebblecourt CPA Group: CPA firm licence/ }),
    });
    await shown(verified.getByText('Verified, current'));
    await checkPage(page, 'operator-05-credentials-all');
    const slug = 'pebblecourt-cpa-group';
    const row = await env.site.app.ctx.db.kysely
      .selectFrom('credentials')
      .innerJoin('firms', 'firms.id', 'credentials.firmId')
      .select(['credentials.verification'])
      .where('firms.slug', '=', slug)
      .where('credentials.kind', '=', 'cpa-licence')
      .executeTakeFirstOrThrow();
    expect(row.verification).toBe('verified');
    await page.goto(`${env.site.baseUrl}/firms/${slug}`);
    await shown(page.getByRole('row', { name: /CPA firm licence/ }).getByText('Verified, current'));

    // 4. Every other console page, through its navigation, with 0 axe violations.
    await page.goto(`${env.site.baseUrl}/admin`);
    for (const [name, title, shot] of [
      ['Firms', 'Firms', 'operator-06-firms'],
      ['Unmatched requests', 'Unmatched requests', 'operator-07-requests'],
      ['Complaints', 'Complaints', 'operator-08-complaints'],
      ['Reviews', 'Reviews', 'operator-09-reviews'],
      ['Outbox', 'Outbox', 'operator-10-outbox'],
      ['Metrics', 'Metrics', 'operator-11-metrics'],
      ['Audit log', 'Audit log', 'operator-12-audit'],
    ] as const) {
      await page
        .getByRole('navigation', { name: 'Operator console' })
        .getByRole('link', { name, exact: true })
        .click();
      await shown(heading(page, title));
      await checkPage(page, shot);
    }
    // A form with errors on a page of many: the summary and the field message, accessibly.
    await page.goto(`${env.site.baseUrl}/admin/complaints`);
    await page.getByRole('checkbox', { name: /Suspend the firm/ }).check();
    await page.getByRole('button', { name: 'Resolve complaint' }).click();
    await shown(page.getByRole('alert').filter({ hasText: 'write what was done' }));
    await checkPage(page, 'operator-13-complaint-error');
    await page.goto(`${env.site.baseUrl}/admin/audit`);
    await shown(page.getByRole('cell', { name: /credential\.verified/ }));
    await context.close();
  });
});
