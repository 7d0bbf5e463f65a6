import { neededByAfter } from '../helpers/dates';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealEmail } from '../../src/outbox/email';
import { enqueue } from '../../src/outbox/queue';
import { maskContact } from '../../src/services/admin/audit-log';
import { audit } from '../../src/services/audit';
import { createAdmin } from '../../src/services/auth';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import { fileComplaint } from '../../src/services/buyer';
import { submitApplication } from '../../src/services/firm/accounts';
import { postForm, signInByEmailLink, useApp, expectAnswer } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import {
  briefsOf,
  type ConfirmedRequest,
  confirmedRequest,
  newFirmApplication,
  scopeWith,
} from '../helpers/requests';
import { storedRow, firstActiveFirm } from '../helpers/rows';

/**
 * The operator's queues through HTTP, as the console is used: each form validated with field
 * messages, each action a 303 with its audit entry, nothing of the buyer's contact on any page.
 */

describeEachEngine('operator console', (t) => {
  let app: FastifyInstance;
  let operator = '';
  let adminUserId = '';
  let matched: ConfirmedRequest;
  let unmatched: ConfirmedRequest;
  const buyerEmails: string[] = [];

  const signIn = (email: string) => signInByEmailLink(app, email);

  const get = (url: string) => app.inject({ url, headers: { cookie: operator } });
  const post = (url: string, body: Record<string, string>) =>
    postForm(app, url, body, { session: operator });
  const lastAudit = (action: string) =>
    app.ctx.db.kysely
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .executeTakeFirst();
  /** No page of the console may show a buyer's address. */
  const noContact = (body: string) => {
    for (const email of buyerEmails) expect(body).not.toContain(email);
    expect(body).not.toContain('Robin Buyer');
    expect(body).not.toContain('Buyer Labs');
  };

  useApp(t, (built) => (app = built));
  beforeAll(async () => {
    await createAdmin(app.ctx, 'ops@auditmatch.example');
    adminUserId = (
      await app.ctx.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ops@auditmatch.example')
        .executeTakeFirstOrThrow()
    ).id;
    operator = await signIn('ops@auditmatch.example');
    matched = await confirmedRequest(app.ctx, {
      scope: scopeWith({ neededBy: neededByAfter(Date.now()) }),
    });
    unmatched = await confirmedRequest(app.ctx, {
      scope: scopeWith({
        frameworks: [{ framework: 'hitrust', variant: 'r2' }],
        neededBy: neededByAfter(Date.now()),
      }),
    });
    buyerEmails.push(matched.email, unmatched.email);
  });

  it('shows the overview with the counts that wait', async () => {
    const res = await get('/admin');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Operator console');
    expect(res.body).toMatch(/\d+ credentials? waits?/);
    expect(res.body).toContain('href="/admin/credentials?filter=pending"');
    noContact(res.body);
  });

  it('verifies, rejects and revokes credentials with field messages and audit entries', async () => {
    const queue = await get('/admin/credentials');
    expect(queue.statusCode).toBe(200);
    const pending = await app.ctx.db.kysely
      .selectFrom('credentials')
      .select(['id', 'firmId'])
      .where('verification', '=', 'pending')
      .execute();
    expect(pending.length).toBeGreaterThanOrEqual(2);
    // Pending credentials come first, each with its end date.
    const firstCard = queue.body.indexOf('<li class="card"');
    expect(queue.body.slice(firstCard, firstCard + 600)).toContain('Waiting for verification');

    const noNote = await post(`/admin/credentials/${pending[0]!.id}`, {
      decision: 'reject',
      note: '',
      filter: 'pending',
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say why');
    expect(noNote.body).toContain(
      `aria-describedby="note-${pending[0]!.id}-hint note-${pending[0]!.id}-error"`,
    );

    const rejected = await post(`/admin/credentials/${pending[0]!.id}`, {
      decision: 'reject',
      note: 'Licence number not on the state board register',
      filter: 'pending',
    });
    expect(rejected.statusCode).toBe(303);
    expect(rejected.headers.location).toBe('/admin/credentials?filter=pending&done=reject');
    expect((await get(rejected.headers.location as string)).body).toContain('Credential rejected');
    const verified = await post(`/admin/credentials/${pending[1]!.id}`, {
      decision: 'verify',
      note: '',
    });
    expect(verified.statusCode).toBe(303);
    const row = await app.ctx.db.kysely
      .selectFrom('credentials')
      .selectAll()
      .where('id', '=', pending[1]!.id)
      .executeTakeFirstOrThrow();
    expect([row.verification, row.verifiedBy]).toEqual(['verified', adminUserId]);
    expect((await lastAudit('credential.rejected'))?.subjectId).toBe(pending[0]!.id);

    const twice = await post(`/admin/credentials/${pending[1]!.id}`, {
      decision: 'verify',
      note: '',
    });
    expect(twice.statusCode).toBe(409);
    expect((await post(`/admin/credentials/not-a-uuid`, { decision: 'verify' })).statusCode).toBe(
      400,
    );
    expect(
      (await post(`/admin/credentials/${pending[1]!.id}`, { decision: 'approve' })).statusCode,
    ).toBe(400);
    expect((await get('/admin/credentials?filter=expiring')).statusCode).toBe(200);
    expect((await get('/admin/credentials?filter=nonsense')).statusCode).toBe(200);
  });

  it('suspends and reinstates a firm with a reason, taking it out of the directory at once', async () => {
    const firm = await firstActiveFirm(app.ctx.db.kysely);
    expect((await app.inject(`/firms/${firm.slug}`)).statusCode).toBe(200);
    const noReason = await post(`/admin/firms/${firm.id}/status`, {
      action: 'suspend',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Give the reason');
    const suspended = await post(`/admin/firms/${firm.id}/status`, {
      action: 'suspend',
      reason: 'Peer review lapsed, under investigation',
    });
    expect(suspended.statusCode).toBe(303);
    expect((await app.inject(`/firms/${firm.slug}`)).statusCode).toBe(404);
    const stored = await app.ctx.db.kysely
      .selectFrom('firms')
      .select(['status', 'statusReason'])
      .where('id', '=', firm.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      status: 'suspended',
      statusReason: 'Peer review lapsed, under investigation',
    });
    expect(
      (await post(`/admin/firms/${firm.id}/status`, { action: 'suspend', reason: 'again' }))
        .statusCode,
    ).toBe(409);
    const list = await get('/admin/firms?status=suspended');
    expect(list.body).toContain('Peer review lapsed, under investigation');
    expect(
      (
        await post(`/admin/firms/${firm.id}/status`, {
          action: 'reinstate',
          reason: 'Renewed peer review verified',
        })
      ).statusCode,
    ).toBe(303);
    expect((await app.inject(`/firms/${firm.slug}`)).statusCode).toBe(200);
    expect((await get('/admin/firms?status=bogus')).statusCode).toBe(400);
    expect((await get('/admin/firms?q=50%25_off')).statusCode).toBe(200);
  });

  it('approves a pending firm-user application through the firm workspace service', async () => {
    await submitApplication(app.ctx, newFirmApplication(''));
    const page = await get('/admin/firms');
    expect(page.body).toContain('Jo Partner for Newcastle Assurance');
    const user = await app.ctx.db.kysely
      .selectFrom('users')
      .select(['id', 'firmId'])
      .where('email', '=', 'jo@newcastle-assurance.example')
      .executeTakeFirstOrThrow();
    const approved = await post(`/admin/applications/${user.id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const after = await app.ctx.db.kysely
      .selectFrom('users')
      .select(['disabledAt', 'firmRole'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ disabledAt: null, firmRole: 'owner' });
    expect((await post(`/admin/applications/${user.id}/approve`, {})).statusCode).toBe(404);
    expect(
      (await post(`/admin/applications/${randomUUID()}/reject`, { reason: '' })).statusCode,
    ).toBe(400);
  });

  it('lists requests that got fewer than three firms with the rules that cut them, never the contact', async () => {
    const res = await get('/admin/requests');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(unmatched.reference);
    expect(res.body).not.toContain(matched.reference);
    expect(res.body).toContain('Why firms were ruled out');
    noContact(res.body);
    expect((await get('/admin/requests?cursor=abc')).statusCode).toBe(400);
  });

  it('resolves a complaint and suspends the firm in the same step', async () => {
    const firmId = matched.proposed[0]!;
    await sendBriefs(app.ctx, matched.id, [firmId]);
    const [brief] = await briefsOf(app.ctx, matched.id);
    await respondToBrief(app.ctx, brief!.id, { action: 'accept' }, { kind: 'brief-link' });
    await fileComplaint(app.ctx, matched.id, {
      firmId,
      kind: 'contacted-after-stop',
      body: 'They kept calling after I said stop.',
    });
    const complaint = await app.ctx.db.kysely
      .selectFrom('complaints')
      .select('id')
      .executeTakeFirstOrThrow();

    const list = await get('/admin/complaints');
    expect(list.body).toContain('They kept calling after I said stop.');
    expect(list.body).toContain(matched.reference);
    noContact(list.body);

    const missing = await post(`/admin/complaints/${complaint.id}/resolve`, {
      resolution: '',
      suspendFirm: 'yes',
      suspensionReason: '',
    });
    expectAnswer(missing, 400, ['Write what was done', 'Give the reason for the suspension']);
    const resolved = await post(`/admin/complaints/${complaint.id}/resolve`, {
      resolution: 'Firm admitted two calls after the stop request.',
      suspendFirm: 'yes',
      suspensionReason: 'Contacted a buyer after being told to stop',
    });
    expect(resolved.statusCode).toBe(303);
    expect(resolved.headers.location).toContain('done=suspended');
    const firm = await storedRow(app.ctx.db.kysely, 'firms', firmId);
    expect(firm.status).toBe('suspended');
    expect(JSON.parse((await lastAudit('firm.suspended'))!.detail!).complaintId).toBe(complaint.id);
    expect(
      (await post(`/admin/complaints/${complaint.id}/resolve`, { resolution: 'again' })).statusCode,
    ).toBe(409);
    expect((await get('/admin/complaints?filter=resolved')).body).toContain(
      'Firm admitted two calls',
    );
  });

  it('shows dead letters without their sealed content, and retries one', async () => {
    const id = await app.ctx.db.kysely.transaction().execute(async (trx) => {
      await enqueue(
        trx,
        {
          channel: 'email',
          idempotencyKey: `req:${matched.id}:test:dead`,
          payload: sealEmail(app.ctx.secrets, {
            to: matched.email,
            subject: 'Secret subject',
            text: 'secret body',
          }),
        },
        new Date(),
      );
      const row = await trx
        .selectFrom('outbox')
        .select('id')
        .where('idempotencyKey', '=', `req:${matched.id}:test:dead`)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('outbox')
        .set({ status: 'dead', attempts: 8, lastError: '550 mailbox unavailable' })
        .where('id', '=', row.id)
        .execute();
      return row.id;
    });
    const page = await get('/admin/outbox');
    expectAnswer(page, 200, ['550 mailbox unavailable', `req:${matched.id}:test:dead`]);
    expect(page.body).not.toContain('Secret subject');
    noContact(page.body);
    expect((await post(`/admin/outbox/${id}/retry`, {})).statusCode).toBe(303);
    const row = await app.ctx.db.kysely
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', attempts: 0 });
    expect((await post(`/admin/outbox/${id}/retry`, {})).statusCode).toBe(409);
    expect((await lastAudit('outbox.retried'))?.subjectId).toBe(id);
  });

  it('draws the metrics as SVG with the same figures in tables', async () => {
    const res = await get('/admin/metrics?weeks=4');
    expectAnswer(res, 200, ['<svg', 'role="img"', 'Requests per week']);
    expect(res.body).toMatch(/Match rate<\/dt><dd>50% \(1 of 2\)/);
    expect(res.body).toContain('HITRUST CSF');
    expect((await get('/admin/metrics?weeks=1000')).statusCode).toBe(200);
  });

  it('searches the audit log by action, subject, actor and dates, and pages through it', async () => {
    const byAction = await get('/admin/audit?action=credential.');
    expect(byAction.statusCode).toBe(200);
    expect(byAction.body).toContain('credential.verified');
    expect(byAction.body).not.toContain('complaint.resolved');
    const byActor = await get('/admin/audit?actor=ops%40auditmatch.example');
    expect(byActor.body).toContain('outbox.retried');
    expect(byActor.body).not.toContain('request.confirmed');
    const bySubject = await get(`/admin/audit?subject=${matched.id}`);
    expect(bySubject.body).toContain('request.confirmed');
    const future = await get('/admin/audit?from=2999-01-01');
    expect(future.body).toContain('No entries match');
    const badDates = await get('/admin/audit?from=2026-12-10&to=2026-12-01');
    expect(badDates.statusCode).toBe(400);
    expect(badDates.body).toContain('Must not be before the start date');
    expect((await get('/admin/audit?from=yesterday')).statusCode).toBe(400);
    expect((await get('/admin/audit?action=%25')).statusCode).toBe(200);

    for (let i = 0; i < 55; i++)
      await audit(app.ctx.db.kysely, new Date(), {
        actorKind: 'system',
        action: 'test.filler',
        detail: { i },
      });
    const first = await get('/admin/audit?action=test.filler');
    expect(first.body).toContain('rel="next"');
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toContain('cursor=');
    const second = await get(next!);
    expect(second.body).toContain('rel="first"');
    expect(second.body).not.toContain('rel="next"');
    expect((second.body.match(/test\.filler/g) ?? []).length).toBeGreaterThanOrEqual(5);
    noContact(first.body);
  });

  // Last of this block: it adds firms and credentials that push others off the first pages.
  it('pages the firm list and the credential queue, and a decision on a later page returns to it', async () => {
    const db = app.ctx.db.kysely;
    const model = await db.selectFrom('firms').selectAll().limit(1).executeTakeFirstOrThrow();
    const firms = Array.from({ length: 60 }, (_, i) => ({
      ...model,
      id: randomUUID(),
      slug: `paged-${i}`,
      name: `Paged Firm ${String(i).padStart(2, '0')}`,
      leadEmail: null,
      status: 'active',
    }));
    await db.insertInto('firms').values(firms).execute();
    const nextOf = (body: string) =>
      /href="([^"]+)" rel="next"/.exec(body)?.[1]?.replace(/&amp;/g, '&');

    const first = await get('/admin/firms?status=active');
    expect(first.body).toContain('50 firms on this page.');
    const second = await get(nextOf(first.body)!);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('rel="first"');
    const shown = firms.find((f) => second.body.includes(`id="firm-${f.id}"`))!;
    expect(first.body).not.toContain(`id="firm-${shown.id}"`);
    const cursor = new URL(nextOf(first.body)!, 'http://x').searchParams.get('cursor')!;
    // Refused on page 2: that page again, with the message beside the row.
    const refused = await post(`/admin/firms/${shown.id}/status`, {
      action: 'suspend',
      reason: '',
      status: 'active',
      cursor,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`id="firm-${shown.id}"`);
    const done = await post(`/admin/firms/${shown.id}/status`, {
      action: 'suspend',
      reason: 'Paging check',
      status: 'active',
      cursor,
    });
    expect(done.statusCode).toBe(303);
    const back = new URL(done.headers.location as string, 'http://x');
    expect(back.pathname).toBe('/admin/firms');
    expect(back.searchParams.get('cursor')).toBe(cursor);
    expect(back.searchParams.get('status')).toBe('active');
    expect(back.searchParams.get('done')).toBe('suspended');
    expect((await get('/admin/firms?cursor=abc')).statusCode).toBe(400);

    const credentials = firms.map((f, i) => ({
      id: randomUUID(),
      firmId: f.id,
      kind: 'cpa-licence',
      issuer: 'NY',
      identifier: `PAGED-${i}`,
      scopeStandards: '[]',
      schemeStandards: '[]',
      validFrom: '2026-01-01',
      validTo: '2031-06-30',
      verification: 'verified',
      evidenceUrl: null,
      evidenceFile: null,
      verifiedAt: new Date().toISOString(),
      verifiedBy: adminUserId,
      note: null,
      createdAt: new Date().toISOString(),
    }));
    await db.insertInto('credentials').values(credentials).execute();
    const queue = await get('/admin/credentials?filter=all');
    expect(queue.body).toContain('50 credentials on this page.');
    const later = await get(nextOf(queue.body)!);
    const row = credentials.find((c) => later.body.includes(`id="credential-${c.id}"`))!;
    expect(queue.body).not.toContain(`id="credential-${row.id}"`);
    const at = new URL(nextOf(queue.body)!, 'http://x').searchParams.get('cursor')!;
    const revoked = await post(`/admin/credentials/${row.id}`, {
      decision: 'revoke',
      note: 'Licence lapsed at the board',
      filter: 'all',
      cursor: at,
    });
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(`/admin/credentials?filter=all&cursor=${at}&done=revoke`);
    expect((await get(revoked.headers.location as string)).statusCode).toBe(200);
    expect((await get('/admin/credentials?filter=all&cursor=abc')).statusCode).toBe(400);
  });
});

describe('audit detail masking', () => {
  it('masks contact-like keys and email-shaped values at any depth', () => {
    expect(
      maskContact({
        email: 'a@b.example',
        firmId: 'f1',
        nested: { note: 'write to x@y.example', phone: '+1 555' },
        list: ['z@w.example', 3],
      }),
    ).toEqual({
      email: '[not shown]',
      firmId: 'f1',
      nested: { note: '[not shown]', phone: '[not shown]' },
      list: ['[not shown]', 3],
    });
  });
});
