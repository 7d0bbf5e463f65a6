import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { respondToBrief } from '../../src/services/briefs';
import { setAvailability } from '../../src/services/calls';
import { submitQuote } from '../../src/services/firm/quotes';
import { askBuyer } from '../../src/services/messages';
import { expectAnswer, queuedEmails, statusOf, useApp } from '../helpers/app';
import { readInvitation } from '../helpers/calendar';
import { describeEachEngine } from '../helpers/databases';
import { firmActor, OFFICE_HOURS } from '../helpers/users';
import {
  buyerEmail,
  confirmByToken,
  confirmationToken,
  resetCapacity,
  SOC2_SCOPE,
  TestClock,
} from '../helpers/requests';

/**
 * The buyer's journey through the JSON API alone, with the private-page token as bearer: the way
 * a platform embedding "get three quotes" drives it, on both databases. Firms act through their
 * own doors (services here); everything the buyer does goes through HTTP.
 */
describeEachEngine('the buyer journey through the JSON API', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let app: FastifyInstance;

  useApp(t, (built) => (app = built), { now: clock.now });
  beforeAll(async () => {
    await resetCapacity(app.ctx);
  });

  it('requests, chooses, answers, compares, shares, books, moves, cancels, withdraws and deletes', async () => {
    const email = buyerEmail('api-journey');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      payload: {
        scope: SOC2_SCOPE,
        contact: { name: 'Kenji Buyer', email, company: 'Kenji Labs' },
        consent: true,
      },
      headers: { 'idempotency-key': 'embed-0001-kenji' },
    });
    expect(created.statusCode).toBe(202);
    const requestId = (await queuedEmails(app)).find((m) => m.to === email)!.key.split(':')[1]!;
    const token = await confirmByToken(app.ctx, await confirmationToken(app.ctx, requestId));
    const as = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });

    const forged = { authorization: 'Bearer not-a-real-token-at-all-xyz' };
    expect(await statusOf(app, '/api/v1/buyer', forged)).toBe(401);
    let state = (await as('GET', '/buyer')).json();
    expect(state).toMatchObject({ status: 'confirmed', open: true, canChooseMore: 3 });
    const proposed = state.firms
      .filter((f: { proposal: string }) => f.proposal === 'proposed')
      .map((f: { firmId: string }) => f.firmId);
    expect(proposed.length).toBe(3);

    const tooMany = await as('POST', '/buyer/briefs', { firms: [...proposed, proposed[0]] });
    expect(tooMany.statusCode).toBe(400);
    expect((await as('POST', '/buyer/briefs', { firms: proposed.slice(0, 2) })).statusCode).toBe(
      200,
    );
    state = (await as('GET', '/buyer')).json();
    const [a, b] = state.firms.filter((f: { brief: unknown }) => f.brief);
    expect(a.brief.status).toBe('sent');

    // Both firms accept (their own doors); the first asks a question.
    for (const f of [a, b])
      await respondToBrief(app.ctx, f.brief.id, { action: 'accept' }, { kind: 'brief-link' });
    await askBuyer(
      app.ctx,
      { kind: 'brief-link', briefId: a.brief.id, firmId: a.firmId },
      a.brief.id,
      'How many AWS accounts are in scope?',
    );
    state = (await as('GET', '/buyer')).json();
    const question = state.firms.find((f: { firmId: string }) => f.firmId === a.firmId).brief
      .messages[0];
    expect(question).toMatchObject({ author: 'firm', body: 'How many AWS accounts are in scope?' });

    // An answer with the buyer's address would hand the contact to a firm that has none yet.
    const leaky = await as('POST', `/buyer/briefs/${a.brief.id}/messages`, {
      body: 'Write to kenji@labs.example',
      inReplyTo: question.id,
    });
    expect(leaky.statusCode).toBe(400);
    expect(leaky.json().errors[0].field).toBe('body');
    const answered = await as('POST', `/buyer/briefs/${a.brief.id}/messages`, {
      body: 'Two accounts, one region.',
      shareWithAll: true,
      inReplyTo: question.id,
    });
    expect(answered.json()).toEqual({ id: expect.any(String), sharedWith: 1 });
    state = (await as('GET', '/buyer')).json();
    expect(
      state.firms.find((f: { firmId: string }) => f.firmId === b.firmId).brief.messages[0].body,
    ).toContain('Two accounts, one region.');

    // Quotes: one a range with readiness, one fixed without; the comparison says what is missing.
    await submitQuote(
      app.ctx,
      { kind: 'brief-link', briefId: a.brief.id, firmId: a.firmId },
      a.brief.id,
      {
        lineItems: [
          { framework: 'soc2', phase: 'readiness', feeUsd: 6000 },
          { framework: 'soc2', phase: 'type2', minUsd: 24000, maxUsd: 30000 },
        ],
        startDate: '2027-01-15',
        reportDate: '2027-08-31',
        assumptions: 'Two AWS accounts.',
        callCouldChange: 'The number of systems in scope.',
        validUntil: '2027-02-28',
      },
    );
    await submitQuote(
      app.ctx,
      { kind: 'brief-link', briefId: b.brief.id, firmId: b.firmId },
      b.brief.id,
      {
        lineItems: [{ framework: 'soc2', phase: 'type1', feeUsd: 12000 }],
        startDate: '2027-01-15',
        reportDate: '2027-04-30',
        validUntil: '2027-02-28',
      },
    );
    state = (await as('GET', '/buyer')).json();
    expect(state.quotes).toHaveLength(2);
    const { rows, yearOne } = state.comparison;
    const type2 = rows.find((r: { label: string }) => r.label.includes('Type II'));
    expect(type2.flagged).toBe(true);
    expect(type2.cells.filter((c: unknown) => c === null)).toHaveLength(1);
    // Readiness is optional: never counted in year one; neither total is complete (each misses a line the other quoted).
    expect(yearOne.map((t: { complete: boolean }) => t.complete)).toEqual([false, false]);
    expect(yearOne.find((t: { minUsd: number }) => t.minUsd === 24000)).toMatchObject({
      maxUsd: 30000,
    });
    const arrived = (await queuedEmails(app)).filter(
      (m) => m.to === email && m.key.includes(':arrived'),
    );
    // One email per quote (both queued at the same moment here, so in no particular order); the second says all are in.
    expect(arrived).toHaveLength(2);
    expect(arrived.filter((m) => m.subject.startsWith('All your quotes are in'))).toHaveLength(1);

    // The firm publishes its call times; the buyer books one from Tokyo.
    await setAvailability(app.ctx, firmActor(a.firmId, { id: 'owner' }), OFFICE_HOURS);
    state = (await as('GET', '/buyer')).json();
    const slots: string[] = state.firms.find((f: { firmId: string }) => f.firmId === a.firmId).brief
      .slots;
    expect(slots.length).toBeGreaterThan(3);
    const notOffered = await as('POST', `/buyer/briefs/${a.brief.id}/call`, {
      slot: '2026-12-20T03:00:00.000Z',
      timeZone: 'Asia/Tokyo',
    });
    expect(notOffered.statusCode).toBe(409);
    expect(
      (
        await as('POST', `/buyer/briefs/${a.brief.id}/call`, {
          slot: slots[0],
          timeZone: 'Asia/Tokyo',
        })
      ).statusCode,
    ).toBe(200);
    state = (await as('GET', '/buyer')).json();
    const booked = state.firms.find((f: { firmId: string }) => f.firmId === a.firmId).brief;
    expect(booked).toMatchObject({
      contactShared: true,
      call: { status: 'booked', startsAt: slots[0], buyerTimeZone: 'Asia/Tokyo' },
    });
    // A second call of the same buyer at the same time is refused (the other firm offered no times, so it is offered times).
    const clash = await as('POST', `/buyer/briefs/${b.brief.id}/call`, {
      offered: [slots[0], slots[2], slots[3]],
      timeZone: 'Asia/Tokyo',
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toMatch(/overlaps another call of yours/);

    const moved = await as('POST', `/buyer/calls/${booked.call.id}/reschedule`, { slot: slots[1] });
    expect(moved.statusCode).toBe(200);
    const { leadEmail } = await app.ctx.db.kysely
      .selectFrom('firms')
      .select('leadEmail')
      .where('id', '=', a.firmId)
      .executeTakeFirstOrThrow();
    // Read back as a calendar would: one event, real instants, the firm's contact as organizer, the same UID moved with a higher SEQUENCE.
    const invites = (await queuedEmails(app))
      .filter((m) => m.to === email && m.ics)
      .map((m) => readInvitation(m.ics!));
    expect(invites.map((i) => i.sequence)).toEqual([0, 1]);
    expect(invites.map((i) => i.start)).toEqual([slots[0], slots[1]]);
    expect(new Set(invites.map((i) => i.uid)).size).toBe(1);
    expect(invites[0]).toMatchObject({ method: 'REQUEST', organizer: `mailto:${leadEmail}` });
    const firmInvites = (await queuedEmails(app))
      .filter((m) => m.to === leadEmail && m.ics)
      .map((m) => readInvitation(m.ics!));
    expect(firmInvites.map((i) => [i.uid, i.sequence, i.start])).toEqual(
      invites.map((i) => [i.uid, i.sequence, i.start]),
    );
    expect(
      (
        await as('POST', `/buyer/calls/${booked.call.id}/cancel`, {
          reason: 'Chose the other firm',
        })
      ).statusCode,
    ).toBe(200);
    const cancellation = readInvitation(
      (await queuedEmails(app)).filter((m) => m.to === email && m.ics).at(-1)!.ics!,
    );
    expect(cancellation).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: invites[0]!.uid,
      sequence: 2,
    });

    // Share with the second firm, keep the first (chosen) and stop the second, then delete.
    expect((await as('POST', `/buyer/briefs/${b.brief.id}/share`)).statusCode).toBe(200);
    const firstQuote = state.quotes.find((q: { firmId: string }) => q.firmId === a.firmId);
    expect((await as('POST', `/buyer/quotes/${firstQuote.id}/choose`)).statusCode).toBe(200);
    expect((await as('POST', '/buyer/withdraw', { mode: 'keep-chosen' })).statusCode).toBe(200);
    state = (await as('GET', '/buyer')).json();
    expect(state.firms.find((f: { firmId: string }) => f.firmId === b.firmId).brief.status).toBe(
      'withdrawn',
    );
    // A call booked again with the chosen firm: deleting the data cancels it, and the firm is
    // the only one told, with nothing that names or reaches the buyer.
    expect(
      (
        await as('POST', `/buyer/briefs/${a.brief.id}/call`, {
          slot: slots[2],
          timeZone: 'Asia/Tokyo',
        })
      ).statusCode,
    ).toBe(200);
    const keysBefore = new Set((await queuedEmails(app)).map((m) => m.key));
    expect((await as('DELETE', '/buyer')).statusCode).toBe(200);
    expect((await as('GET', '/buyer')).json().status).toBe('deleted');
    const afterDelete = (await queuedEmails(app)).filter((m) => !keysBefore.has(m.key));
    const firmCancel = afterDelete.filter(
      (m) => m.to === leadEmail && m.subject.startsWith('Call cancelled'),
    );
    expect(firmCancel).toHaveLength(1);
    expect(readInvitation(firmCancel[0]!.ics!)).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
    });
    for (const m of afterDelete) {
      expect(m.to).not.toBe(email);
      for (const part of [m.text, m.ics ?? '']) {
        expect(part).not.toContain(email);
        expect(part).not.toContain('Kenji');
      }
    }
  });

  it('serves a readable API reference with the buyer journey and the webhook events, from the app itself', async () => {
    const page = await app.inject('/api/docs');
    const journey = ['POST /api/v1/buyer/briefs/{briefId}/call', 'GET /api/v1/buyer'];
    const events = ['POST /api/v1/leads/{id}/answer', 'call.booked', 'brief.withdrawn'];
    expectAnswer(page, 200, [...journey, ...events], 'text/html');
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });
});
