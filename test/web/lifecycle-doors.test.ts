import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { bumpCatalogVersion } from '../../src/db/firms';
import { decideCredential } from '../../src/services/admin/credentials';
import { changeFirmStatus } from '../../src/services/admin/firms';
import { sendBriefs } from '../../src/services/briefs';
import { shareDetails } from '../../src/services/buyer';
import { createApiKey } from '../../src/services/firm/integrations';
import { chooseQuote, submitQuote } from '../../src/services/firm/quotes';
import { previewMatch } from '../../src/services/intake';
import { ScopeSchema } from '../../src/services/intake/schemas';
import {
  formSession,
  linkIn,
  postForm,
  queuedEmails,
  signedInFirmUser,
  useApp,
} from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { neededByAfter } from '../helpers/dates';
import {
  buyerEmail,
  type ConfirmedRequest,
  confirmedRequest,
  resetCapacity,
  SOC2_SCOPE,
  scopeWith,
  TestClock,
} from '../helpers/requests';
import { firmActor } from '../helpers/users';
import { storedRow } from '../helpers/rows';

/**
 * Each way the buyer's promise broke at a seam between states, replayed through the door a
 * person or a system would use: the buyer's pages, the firm's email link, its workspace, its
 * API key, its spreadsheet export.
 */

const ADMIN = '00000000-0000-4000-8000-00000000a0a0';
const QUOTE = {
  lineItems: [{ framework: 'soc2' as const, phase: 'type2' as const, feeUsd: 42000 }],
  startDate: '2027-01-10',
  reportDate: '2027-07-30',
  assumptions: 'One product, one region.',
  validUntil: '2027-03-31',
};

describeEachEngine('every door re-checks the firm', (t) => {
  const clock = new TestClock();
  let app: FastifyInstance;

  useApp(t, (built) => (app = built), { now: clock.now });
  beforeEach(async () => {
    clock.set('2026-11-30T09:00:00.000Z');
    await resetCapacity(app.ctx);
  });

  const db = () => app.ctx.db.kysely;
  const requestStatus = async (id: string) => (await storedRow(db(), 'quoteRequests', id)).status;
  const briefOf = (requestId: string, firmId: string) =>
    db()
      .selectFrom('briefs')
      .selectAll()
      .where('requestId', '=', requestId)
      .where('firmId', '=', firmId)
      .executeTakeFirstOrThrow();
  const choose = (request: ConfirmedRequest, firmIds: string[]) =>
    postForm(
      app,
      `/r/${request.accessToken}/briefs`,
      { firm: firmIds },
      { formPage: `/r/${request.accessToken}` },
    );
  async function briefLinkOf(requestId: string, briefId: string) {
    const mail = (await queuedEmails(app)).find(
      (m) => m.key === `req:${requestId}:brief:${briefId}:sent`,
    );
    return linkIn(mail!.text, '/b/');
  }
  async function revokeSocCredential(firmId: string) {
    const c = await db()
      .selectFrom('credentials')
      .select('id')
      .where('firmId', '=', firmId)
      .where('kind', '=', 'aicpa-peer-review')
      .where('verification', '=', 'verified')
      .executeTakeFirstOrThrow();
    await decideCredential(
      app.ctx,
      { credentialId: c.id, decision: 'revoke', note: 'Peer review withdrawn by the AICPA' },
      ADMIN,
    );
  }
  async function restoreCredentials(firmId: string) {
    await db()
      .updateTable('credentials')
      .set({ verification: 'verified' })
      .where('firmId', '=', firmId)
      .where('verification', '=', 'revoked')
      .execute();
    await bumpCatalogVersion(db());
    app.ctx.catalog.invalidate();
  }

  it('a firm whose credential was revoked after the match cannot be sent the brief; the page says why and offers another firm', async () => {
    const request = await confirmedRequest(app.ctx);
    const [revoked, other] = request.proposed;
    await revokeSocCredential(revoked!);
    try {
      const refused = await choose(request, [revoked!, other!]);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toMatch(/can no longer take your brief/);
      expect(refused.body).toMatch(/peer review revoked/i);
      expect(
        await db().selectFrom('briefs').select('id').where('requestId', '=', request.id).execute(),
      ).toEqual([]);
      const page = await app.inject(`/r/${request.accessToken}`);
      expect(page.body).toContain('No longer available');
    } finally {
      await restoreCredentials(revoked!);
    }
  });

  it('a firm that paused the framework after the match cannot be sent the brief', async () => {
    const request = await confirmedRequest(app.ctx);
    const [paused] = request.proposed;
    await db()
      .updateTable('firmServices')
      .set({ paused: 1 })
      .where('firmId', '=', paused!)
      .where('framework', '=', 'soc2')
      .execute();
    await bumpCatalogVersion(db());
    app.ctx.catalog.invalidate();
    try {
      const refused = await choose(request, [paused!]);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toMatch(/paused new SOC 2 work/);
    } finally {
      await db()
        .updateTable('firmServices')
        .set({ paused: 0 })
        .where('firmId', '=', paused!)
        .execute();
      await bumpCatalogVersion(db());
      app.ctx.catalog.invalidate();
    }
  });

  it('revoking a credential after the brief was sent: the email link, the workspace and the API refuse to accept, the brief is withdrawn and the buyer offered another firm', async () => {
    for (const door of ['email-link', 'workspace', 'api'] as const) {
      const request = await confirmedRequest(app.ctx);
      const firmId = request.proposed[0]!;
      expect((await choose(request, [firmId])).statusCode).toBe(303);
      const brief = await briefOf(request.id, firmId);
      const link = await briefLinkOf(request.id, brief.id);
      await revokeSocCredential(firmId);
      try {
        // Revocation withdraws the brief at once, so every door refuses with its reason.
        expect((await briefOf(request.id, firmId)).status).toBe('withdrawn');
        let res: Awaited<ReturnType<typeof postForm>>;
        if (door === 'email-link') res = await postForm(app, `${link}/accept`, {}, {});
        else if (door === 'workspace') {
          const user = await signedInFirmUser(app, firmId);
          res = await postForm(
            app,
            `/firm/leads/${brief.id}/answer`,
            { action: 'accept' },
            { session: user.cookie },
          );
        } else {
          const owner = await signedInFirmUser(app, firmId);
          const key = await keyFor(firmId, owner.userId);
          res = await app.inject({
            method: 'POST',
            url: `/api/v1/leads/${brief.id}/answer`,
            headers: { authorization: `Bearer ${key}` },
            payload: { action: 'accept' },
          });
        }
        expect(res.statusCode, door).toBe(409);
        expect(res.body, door).toMatch(/withdrawn.*no longer qualifies/);
        expect((await briefOf(request.id, firmId)).contactReleasedAt).toBeNull();
        const toBuyer = (await queuedEmails(app)).find(
          (m) => m.key === `req:${request.id}:brief:${brief.id}:firm-withdrawn`,
        );
        expect(toBuyer?.to).toBe(request.email);
        const page = await app.inject(`/r/${request.accessToken}`);
        expect(page.body).toMatch(/Why: the firm no longer qualifies for this brief/);
        expect(page.body).toContain('Choose whom to hear from');
      } finally {
        await restoreCredentials(firmId);
      }
    }
  });

  async function keyFor(firmId: string, userId: string): Promise<string> {
    const { key } = await createApiKey(app.ctx, firmActor(firmId, { id: userId }), 'doors test');
    return key;
  }

  it('a suspended firm loses every door at once, and reinstating gives back access, not the briefs', async () => {
    const request = await confirmedRequest(app.ctx);
    const [firmId, secondId] = request.proposed;
    expect((await choose(request, [firmId!, secondId!])).statusCode).toBe(303);
    const brief = await briefOf(request.id, firmId!);
    const link = await briefLinkOf(request.id, brief.id);
    const owner = await signedInFirmUser(app, firmId!);
    const key = await keyFor(firmId!, owner.userId);
    // It accepted and quoted before the suspension.
    expect((await postForm(app, `${link}/accept`, {}, {})).statusCode).toBe(303);
    const ownerActor = firmActor(firmId!, { id: owner.userId, email: owner.email });
    const quote = await submitQuote(app.ctx, ownerActor, brief.id, QUOTE);

    await changeFirmStatus(
      app.ctx,
      { firmId: firmId!, action: 'suspend', reason: 'Contacted a buyer after being told to stop' },
      ADMIN,
    );

    // Its brief and quote are withdrawn; the buyer sees it and is offered another firm.
    expect((await briefOf(request.id, firmId!)).status).toBe('withdrawn');
    expect(
      await db()
        .selectFrom('quotes')
        .select(['status', 'withdrawnReason'])
        .where('id', '=', quote.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'withdrawn', withdrawnReason: 'firm-suspended' });
    const buyerPage = await app.inject(`/r/${request.accessToken}`);
    expect(buyerPage.body).toMatch(/withdrawn: the firm is suspended on Auditmatch/);
    // Its place is free again: the buyer may send the brief to another firm.
    expect(buyerPage.body).toMatch(/You can choose up to 2/);

    // Its session: the account and the reason, and nothing else.
    const home = await app.inject({ url: '/firm', headers: { cookie: owner.cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Contacted a buyer after being told to stop');
    for (const url of [
      '/firm/leads',
      `/firm/leads/${brief.id}`,
      '/firm/leads.csv',
      `/firm/leads/${brief.id}/quote`,
      '/firm/integrations',
    ]) {
      const res = await app.inject({ url, headers: { cookie: owner.cookie } });
      expect(res.statusCode, url).toBe(403);
      expect(res.body, url).toContain('Contacted a buyer after being told to stop');
    }
    const newKey = await postForm(
      app,
      '/firm/integrations/keys',
      { label: 'another' },
      { session: owner.cookie },
    );
    expect(newKey.statusCode).toBe(403);
    // Its API key, and its email link.
    const api = await app.inject({
      url: '/api/v1/leads',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(api.statusCode).toBe(403);
    expect(api.json().detail).toContain('suspended');
    const accept = await postForm(app, `${link}/accept`, {}, {});
    expect(accept.statusCode).toBe(409);
    // Its webhook deliveries stop (the sender skips a suspended firm's endpoints).
    // Reinstated: access again, but the withdrawn brief stays withdrawn and shows no contact.
    await changeFirmStatus(
      app.ctx,
      { firmId: firmId!, action: 'reinstate', reason: 'Resolved' },
      ADMIN,
    );
    const back = await app.inject({
      url: `/firm/leads/${brief.id}`,
      headers: { cookie: owner.cookie },
    });
    expect(back.statusCode).toBe(200);
    expect(back.body).not.toContain(request.email);
    expect(back.body).toMatch(/withdrawn/);
    expect(
      (
        await app.inject({
          url: '/api/v1/leads?status=accepted',
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().leads,
    ).toEqual([]);
  });

  it('Back and "Send my request" again store one request; a second form for the same need meets the open one', async () => {
    const email = buyerEmail('resend');
    const fields = {
      framework: 'soc2',
      variant_soc2: 'type2',
      stage: 'series-a',
      headcount: '40',
      region: 'north-america',
      industry: 'saas',
      neededBy: neededByAfter(clock.now()),
      aiExposure: 'uses-ai',
      name: 'Robin Buyer',
      email,
      company: 'Buyer Labs',
      consent: 'yes',
    };
    const form = await formSession(app, '/sign-in');
    const first = await postForm(app, '/requests', fields, { csrf: form });
    const again = await postForm(app, '/requests', fields, { csrf: form });
    expect([first.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(again.headers.location).toBe(first.headers.location);
    const stored = async () =>
      (await queuedEmails(app)).filter((m) => m.to === email && m.key.endsWith(':confirm'));
    expect(await stored()).toHaveLength(1);

    // A fresh form (a new page load) for the same need: stored, but confirming it meets the open one.
    await postForm(app, '/requests', fields);
    const [firstMail, secondMail] = await stored();
    const confirmFirst = linkIn(firstMail!.text, '/r/confirm/');
    expect((await postForm(app, confirmFirst, {}, { formPage: confirmFirst })).statusCode).toBe(
      303,
    );
    const confirmSecond = linkIn(secondMail!.text, '/r/confirm/');
    const page = await app.inject(confirmSecond);
    expect(page.body).toContain('You already have an open request');
    const keep = await postForm(
      app,
      confirmSecond,
      { choice: 'resend' },
      { formPage: confirmSecond },
    );
    expect(keep.statusCode).toBe(200);
    expect(keep.body).toContain('is still open');
    const links = (await queuedEmails(app)).filter(
      (m) => m.to === email && m.key.includes(':access'),
    );
    expect(links).toHaveLength(2);
    // Both links open the first request; the second was closed without a match.
    const firstRequest = (await queuedEmails(app))
      .find((m) => m.key === firstMail!.key)!
      .key.split(':')[1]!;
    for (const mail of links) expect(mail.key.split(':')[1]).toBe(firstRequest);
    const secondRequest = secondMail!.key.split(':')[1]!;
    expect(
      await db()
        .selectFrom('proposals')
        .select('id')
        .where('requestId', '=', secondRequest)
        .execute(),
    ).toEqual([]);
    expect(
      await db()
        .selectFrom('quoteRequests')
        .select(['status', 'contactEmailEnc'])
        .where('id', '=', secondRequest)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'withdrawn', contactEmailEnc: null });
  });

  it('replacing the open request withdraws it (its firms are told) and matches the new one', async () => {
    const email = buyerEmail('replace');
    const open = await confirmedRequest(app.ctx, { email });
    expect((await choose(open, [open.proposed[0]!])).statusCode).toBe(303);
    const newer = await (await import('../helpers/requests')).submit(app.ctx, {
      email,
      scope: scopeWith({ headcount: 80 }),
    });
    const token = linkIn(
      (await queuedEmails(app)).find((m) => m.key === `req:${newer.id}:confirm`)!.text,
      '/r/confirm/',
    );
    const replaced = await postForm(app, token, { choice: 'replace' }, { formPage: token });
    expect(replaced.statusCode).toBe(303);
    expect(await requestStatus(open.id)).toBe('withdrawn');
    const brief = await briefOf(open.id, open.proposed[0]!);
    expect(brief).toMatchObject({ status: 'withdrawn', withdrawnReason: 'request-replaced' });
    const notice = (await queuedEmails(app)).find(
      (m) => m.key === `req:${open.id}:brief:${brief.id}:withdrawn`,
    );
    expect(notice?.text).toContain(open.reference);
  });

  it('across all of a buyer’s open requests, at most three firms hold its details, and never one firm twice', async () => {
    const email = buyerEmail('two-needs');
    const soc = await confirmedRequest(app.ctx, { email });
    const iso = await confirmedRequest(app.ctx, {
      email,
      scope: ScopeSchema.parse({
        ...SOC2_SCOPE,
        frameworks: [{ framework: 'iso42001' }],
        region: 'europe',
        startingPoint: 'ready-for-audit',
      }),
    });
    expect((await choose(soc, soc.proposed.slice(0, 2))).statusCode).toBe(303);
    const tooMany = await choose(iso, iso.proposed.slice(0, 2));
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.body).toMatch(/across all your open requests; 2 already do/);
    const third = iso.proposed.find((f) => !soc.proposed.slice(0, 2).includes(f))!;
    expect((await choose(iso, [third])).statusCode).toBe(303);
    // A firm holding the SOC 2 request cannot be briefed for the other, through the service either.
    const both = soc.proposed.find((f) => iso.proposed.includes(f));
    if (both) {
      await expect(sendBriefs(app.ctx, iso.id, [both])).rejects.toMatchObject({ status: 409 });
    }
  });

  it('withdraw is precise: keep the firm whose quote was chosen and stop the others, after a confirmation step', async () => {
    const request = await confirmedRequest(app.ctx);
    const [kept, stopped] = request.proposed;
    expect((await choose(request, [kept!, stopped!])).statusCode).toBe(303);
    const keptBrief = await briefOf(request.id, kept!);
    const stoppedBrief = await briefOf(request.id, stopped!);
    for (const b of [keptBrief, stoppedBrief]) {
      const link = await briefLinkOf(request.id, b.id);
      expect((await postForm(app, `${link}/accept`, {}, {})).statusCode).toBe(303);
    }
    // The buyer shared its details with the firm it will stop, so that firm is asked to delete them.
    await shareDetails(app.ctx, request.id, stoppedBrief.id);
    const user = firmActor(kept!, { id: 'quoter', email: 'q@firm.example' });
    const quote = await submitQuote(app.ctx, user, keptBrief.id, QUOTE);
    await chooseQuote(app.ctx, request.id, quote.id);

    const confirm = await app.inject(`/r/${request.accessToken}/withdraw?mode=keep-chosen`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/stop the others/);
    const withoutTick = await postForm(
      app,
      `/r/${request.accessToken}/withdraw`,
      { mode: 'keep-chosen' },
      { formPage: `/r/${request.accessToken}` },
    );
    expect(withoutTick.statusCode).toBe(400);
    expect((await briefOf(request.id, stopped!)).status).toBe('accepted');
    const done = await postForm(
      app,
      `/r/${request.accessToken}/withdraw`,
      { mode: 'keep-chosen', confirm: 'yes' },
      { formPage: `/r/${request.accessToken}` },
    );
    expect(done.statusCode).toBe(303);
    expect((await briefOf(request.id, kept!)).status).toBe('accepted');
    expect(await briefOf(request.id, stopped!)).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'buyer-kept-another-firm',
    });
    expect(await requestStatus(request.id)).toBe('active');
    // The stopped firm is told which request; the company too, as it held the contact.
    const notice = (await queuedEmails(app)).find(
      (m) => m.key === `req:${request.id}:brief:${stoppedBrief.id}:withdrawn`,
    );
    expect(notice?.text).toContain(request.reference);
    expect(notice?.text).toContain('Buyer Labs');
    expect(notice?.text).toMatch(/delete the contact details/);
  });

  it('a firm hears of declined, expired and withdrawn briefs through its webhooks', async () => {
    const request = await confirmedRequest(app.ctx);
    const firmId = request.proposed[0]!;
    await db()
      .insertInto('webhookEndpoints')
      .values({
        id: crypto.randomUUID(),
        firmId,
        url: 'https://crm.example/hooks',
        secretEnc: app.ctx.secrets.encrypt('whsec_dGVzdA=='),
        events: JSON.stringify(['brief.withdrawn', 'brief.declined', 'brief.expired']),
        createdAt: clock.now().toISOString(),
        disabledAt: null,
      })
      .execute();
    try {
      expect((await choose(request, [firmId])).statusCode).toBe(303);
      const brief = await briefOf(request.id, firmId);
      const confirm = `/r/${request.accessToken}/withdraw`;
      expect(
        (
          await postForm(
            app,
            confirm,
            { mode: 'everything', confirm: 'yes' },
            { formPage: `/r/${request.accessToken}` },
          )
        ).statusCode,
      ).toBe(303);
      const events = await db()
        .selectFrom('outbox')
        .select(['idempotencyKey', 'payload'])
        .where('channel', '=', 'webhook')
        .where('idempotencyKey', 'like', `req:${request.id}:%`)
        .execute();
      const withdrawn = events.find((e) => e.idempotencyKey.endsWith(':brief.withdrawn'));
      expect(withdrawn).toBeDefined();
      const body = JSON.parse(JSON.parse(withdrawn!.payload).body);
      expect(body).toMatchObject({
        type: 'brief.withdrawn',
        data: { briefId: brief.id, reference: request.reference, reason: 'buyer-withdrew' },
      });
      expect(JSON.stringify(body)).not.toContain(request.email);
    } finally {
      await db().deleteFrom('webhookEndpoints').where('firmId', '=', firmId).execute();
    }
  });

  it('the JSON API: an Idempotency-Key stores one request however often it is sent, and a firm answers a brief with its key', async () => {
    const email = buyerEmail('api');
    const body = {
      scope: { ...SOC2_SCOPE },
      contact: { name: 'Api Buyer', email, company: 'Api Labs' },
      consent: true,
    };
    const send = (key?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: body,
        headers: key ? { 'idempotency-key': key } : {},
      });
    const [a, b] = await Promise.all([send('retry-key-0001'), send('retry-key-0001')]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.json().reference).toBe(b.json().reference);
    expect((await queuedEmails(app)).filter((m) => m.to === email)).toHaveLength(1);
    const badKey = await send('x');
    expect(badKey.statusCode).toBe(400);
    expect(JSON.stringify(badKey.json().errors)).toContain('idempotency-key');

    const request = await confirmedRequest(app.ctx);
    const firmId = request.proposed[0]!;
    expect((await choose(request, [firmId])).statusCode).toBe(303);
    const brief = await briefOf(request.id, firmId);
    const owner = await signedInFirmUser(app, firmId);
    const key = await keyFor(firmId, owner.userId);
    const answer = (payload: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/leads/${brief.id}/answer`,
        headers: { authorization: `Bearer ${key}` },
        payload: payload as object,
      });
    const noReason = await answer({ action: 'decline' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([
      { field: 'reason', message: 'choose a reason for declining' },
    ]);
    const accepted = await answer({ action: 'accept' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ status: 'accepted' });
    // The API shows the buyer's details once the buyer shares them (or books the firm's call).
    await shareDetails(app.ctx, request.id, brief.id);
    const again = await answer({ action: 'accept' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    const leads = (
      await app.inject({
        url: '/api/v1/leads?status=accepted',
        headers: { authorization: `Bearer ${key}` },
      })
    ).json().leads;
    expect(leads.find((l: { id: string }) => l.id === brief.id)?.contact?.email).toBe(
      request.email,
    );
  });

  describe('independence', () => {
    it('a certification body the buyer names as its own consultant is never proposed, within two years of the month given', async () => {
      const scope = ScopeSchema.parse({
        ...SOC2_SCOPE,
        frameworks: [{ framework: 'iso42001' }],
        region: 'europe',
        startingPoint: 'ready-for-audit',
      });
      const first = (await previewMatch(app.ctx, scope)).proposals[0]!;
      const named = await previewMatch(app.ctx, {
        ...scope,
        managementSystemConsultants: [{ name: first.name }],
      });
      expect(named.proposals.map((p) => p.firmId)).not.toContain(first.firmId);
      const recent = await previewMatch(app.ctx, {
        ...scope,
        managementSystemConsultants: [{ name: first.name, advisedUntil: '2025-06' }],
      });
      expect(recent.proposals.map((p) => p.firmId)).not.toContain(first.firmId);
      const longAgo = await previewMatch(app.ctx, {
        ...scope,
        managementSystemConsultants: [{ name: first.name, advisedUntil: '2023-06' }],
      });
      expect(longAgo.proposals.map((p) => p.firmId)).toContain(first.firmId);
    });

    it('the request form takes each consultancy with the month its advice ended', async () => {
      const page = await app.inject('/match');
      expect(page.body).toContain('name="consultant1Until"');
      const email = buyerEmail('consultant');
      const res = await postForm(app, '/requests', {
        framework: 'iso42001',
        stage: 'series-a',
        headcount: '40',
        region: 'europe',
        industry: 'saas',
        neededBy: neededByAfter(clock.now(), 365),
        aiExposure: 'uses-ai',
        consultant1: 'Acme Compliance',
        consultant1Until: '2026-03',
        consultant2: 'Northwind Advisory',
        name: 'Robin Buyer',
        email,
        company: 'Buyer Labs',
        consent: 'yes',
      });
      expect(res.statusCode).toBe(303);
      const mail = (await queuedEmails(app)).find(
        (m) => m.to === email && m.key.endsWith(':confirm'),
      )!;
      const stored = await db()
        .selectFrom('quoteRequests')
        .select('scope')
        .where('id', '=', mail.key.split(':')[1]!)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.scope).managementSystemConsultants).toEqual([
        { name: 'Acme Compliance', advisedUntil: '2026-03' },
        { name: 'Northwind Advisory' },
      ]);
      const bad = await postForm(app, '/requests', {
        framework: 'iso42001',
        consultant1Until: '2026-13',
        name: 'x',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/must be a month/);
    });
  });
});
