import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createAdmin } from '../../src/services/auth';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import { shareDetails } from '../../src/services/buyer';
import { submitQuote } from '../../src/services/firm/quotes';
import {
  addFirmUser,
  formSession,
  postForm,
  signInByEmailLink,
  signInLinkFor,
  useApp,
} from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { auditEntries, type ConfirmedRequest, confirmedRequest } from '../helpers/requests';
import { collectRoutes, routeKey } from '../security/routes';
import { firmActor } from '../helpers/users';

/**
 * Who may open what in the firm workspace: every /firm route × {anonymous, a user of another
 * firm, member, owner, operator}. Anonymous GETs go to sign-in, anonymous POSTs get 401, the
 * operator and (for owner-only pages) members get 403, and another firm's user gets 404 for
 * this firm's leads and quotes — and never the buyer's contact.
 */

type Who = 'anonymous' | 'other-firm' | 'member' | 'owner' | 'operator';
/** Under /firm but open to anyone: a firm applies before it has an account. */
const PUBLIC_FIRM_ROUTES = ['GET /firm/apply', 'GET /firm/apply/sent', 'POST /firm/apply'];
const EVERYONE: Who[] = ['anonymous', 'other-firm', 'member', 'owner', 'operator'];

interface Case {
  method: 'GET' | 'POST';
  /** The route as the router has it, e.g. "/firm/leads/:briefId". */
  route: string;
  /** A real path for it. */
  url: () => string;
  /** Status for each signed-in caller that may use the route (others are refused). */
  allowed: Partial<Record<Who, number>>;
  body?: Record<string, string>;
}

describeEachEngine('firm workspace access', (t) => {
  let app: FastifyInstance;
  let request: ConfirmedRequest;
  let pending: ConfirmedRequest;
  const firm = { id: '', slug: '' };
  const other = { id: '', slug: '' };
  const briefs = { ours: '', theirs: '', pendingOurs: '' };
  let theirQuoteId = '';
  const sessions: Partial<Record<Who, string>> = {};
  const ids: Record<string, string> = {};
  let csrf: { token: string; cookie: string };

  const addUser = (email: string, firmId: string, firmRole: 'owner' | 'member') =>
    addFirmUser(app, firmId, email, firmRole);

  const signIn = (email: string) => signInByEmailLink(app, email);

  async function call(
    who: Who,
    method: 'GET' | 'POST',
    url: string,
    body: Record<string, string> = {},
  ) {
    const session = sessions[who];
    const cookie = [session, csrf.cookie].filter(Boolean).join('; ');
    return app.inject({
      method,
      url,
      headers: {
        cookie,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST'
        ? { payload: new URLSearchParams({ ...body, _csrf: csrf.token }).toString() }
        : {}),
    });
  }

  // Many sign-ins from one test address: the per-address limits are not what is tested here.
  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100 } });
  beforeAll(async () => {
    request = await confirmedRequest(app.ctx);
    pending = await confirmedRequest(app.ctx);
    // Our firm is proposed for both requests (same scope), so it can hold an unanswered brief too.
    const ours = request.proposed.find((id) => pending.proposed.includes(id));
    const theirs = request.proposed.find((id) => id !== ours);
    if (!ours || !theirs)
      throw new Error('the demo catalogue should propose one firm for both requests');
    for (const [target, id] of [
      [firm, ours],
      [other, theirs],
    ] as const) {
      const row = await app.ctx.db.kysely
        .selectFrom('firms')
        .select(['id', 'slug'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      Object.assign(target, row);
    }
    await sendBriefs(app.ctx, request.id, [firm.id, other.id]);
    const sent = await app.ctx.db.kysely
      .selectFrom('briefs')
      .select(['id', 'firmId'])
      .where('requestId', '=', request.id)
      .execute();
    briefs.ours = sent.find((b) => b.firmId === firm.id)!.id;
    briefs.theirs = sent.find((b) => b.firmId === other.id)!.id;
    // The second request's brief to our firm stays unanswered: its contact must never show.
    await sendBriefs(app.ctx, pending.id, [firm.id]);
    briefs.pendingOurs = (
      await app.ctx.db.kysely
        .selectFrom('briefs')
        .select('id')
        .where('requestId', '=', pending.id)
        .executeTakeFirstOrThrow()
    ).id;

    ids.owner = await addUser(`owner@${firm.slug}.example.com`, firm.id, 'owner');
    ids.member = await addUser(`member@${firm.slug}.example.com`, firm.id, 'member');
    ids.otherOwner = await addUser(`owner@${other.slug}.example.com`, other.id, 'owner');
    ids.otherMember = await addUser(`member@${other.slug}.example.com`, other.id, 'member');
    await createAdmin(app.ctx, 'ops@auditmatch.example');

    await respondToBrief(
      app.ctx,
      briefs.ours,
      { action: 'accept' },
      { kind: 'firm-user', id: ids.owner, firmId: firm.id },
    );
    await respondToBrief(
      app.ctx,
      briefs.theirs,
      { action: 'accept' },
      { kind: 'firm-user', id: ids.otherOwner, firmId: other.id },
    );
    // The buyer's details reach a firm when it books the firm's call or shares them: it shares with ours.
    await shareDetails(app.ctx, request.id, briefs.ours);
    const otherUser = firmActor(other.id, {
      id: ids.otherOwner,
      email: `owner@${other.slug}.example.com`,
    });
    theirQuoteId = (
      await submitQuote(app.ctx, otherUser, briefs.theirs, {
        lineItems: [{ framework: 'soc2', phase: 'type2', feeUsd: 31_000 }],
        startDate: '2027-01-11',
        reportDate: '2027-08-30',
        assumptions: 'One product, remote fieldwork.',
        validUntil: '2027-02-28',
      })
    ).id;

    sessions.owner = await signIn(`owner@${firm.slug}.example.com`);
    sessions.member = await signIn(`member@${firm.slug}.example.com`);
    sessions['other-firm'] = await signIn(`member@${other.slug}.example.com`);
    sessions.operator = await signIn('ops@auditmatch.example');
    csrf = await formSession(app, '/sign-in');
  });

  const firmPage = { 'other-firm': 200, member: 200, owner: 200 };
  const ownerPage = { owner: 200 };
  const cases: Case[] = [
    { method: 'GET', route: '/firm', url: () => '/firm', allowed: firmPage },
    { method: 'GET', route: '/firm/leads', url: () => '/firm/leads', allowed: firmPage },
    { method: 'GET', route: '/firm/leads.csv', url: () => '/firm/leads.csv', allowed: firmPage },
    {
      method: 'GET',
      route: '/firm/leads/:briefId',
      url: () => `/firm/leads/${briefs.ours}`,
      allowed: { 'other-firm': 404, member: 200, owner: 200 },
    },
    {
      method: 'GET',
      route: '/firm/leads/:briefId/quote',
      url: () => `/firm/leads/${briefs.ours}/quote`,
      allowed: { 'other-firm': 404, member: 200, owner: 200 },
    },
    { method: 'GET', route: '/firm/profile', url: () => '/firm/profile', allowed: firmPage },
    {
      method: 'GET',
      route: '/firm/profile/preview',
      url: () => '/firm/profile/preview',
      allowed: firmPage,
    },
    {
      method: 'GET',
      route: '/firm/credentials',
      url: () => '/firm/credentials',
      allowed: firmPage,
    },
    { method: 'GET', route: '/firm/team', url: () => '/firm/team', allowed: ownerPage },
    {
      method: 'GET',
      route: '/firm/integrations',
      url: () => '/firm/integrations',
      allowed: ownerPage,
    },
    // POSTs with empty forms: a caller who may use the route reaches validation (400).
    {
      method: 'POST',
      route: '/firm/profile',
      url: () => '/firm/profile',
      allowed: { 'other-firm': 400, member: 400, owner: 400 },
      body: { regions: 'mars' },
    },
    {
      method: 'POST',
      route: '/firm/credentials',
      url: () => '/firm/credentials',
      allowed: { 'other-firm': 400, member: 400, owner: 400 },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/answer',
      url: () => `/firm/leads/${briefs.ours}/answer`,
      allowed: { 'other-firm': 404, member: 409, owner: 409 },
      body: { action: 'accept' },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/quote',
      url: () => `/firm/leads/${briefs.ours}/quote`,
      allowed: { 'other-firm': 404, member: 400, owner: 400 },
    },
    {
      method: 'GET',
      route: '/firm/availability',
      url: () => '/firm/availability',
      allowed: firmPage,
    },
    {
      method: 'GET',
      route: '/firm/credentials/:id/evidence',
      url: () => `/firm/credentials/${randomUUID()}/evidence`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'GET',
      route: '/firm/reviews/:id/reply',
      url: () => `/firm/reviews/${randomUUID()}/reply`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/availability',
      url: () => '/firm/availability',
      allowed: { 'other-firm': 400, member: 400, owner: 400 },
      body: { timeZone: 'Mars/Olympus' },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/messages',
      url: () => `/firm/leads/${briefs.ours}/messages`,
      allowed: { 'other-firm': 404, member: 400, owner: 400 },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/calls/:callId/pick',
      url: () => `/firm/leads/${briefs.ours}/calls/${randomUUID()}/pick`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/calls/:callId/reschedule',
      url: () => `/firm/leads/${briefs.ours}/calls/${randomUUID()}/reschedule`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/leads/:briefId/calls/:callId/cancel',
      url: () => `/firm/leads/${briefs.ours}/calls/${randomUUID()}/cancel`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/reviews/:id/reply',
      url: () => `/firm/reviews/${randomUUID()}/reply`,
      allowed: { 'other-firm': 404, member: 404, owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/team/invite',
      url: () => '/firm/team/invite',
      allowed: { owner: 400 },
    },
    {
      method: 'POST',
      route: '/firm/team/:userId/remove',
      url: () => `/firm/team/${randomUUID()}/remove`,
      allowed: { owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/team/:userId/role',
      url: () => `/firm/team/${randomUUID()}/role`,
      allowed: { owner: 404 },
      body: { firmRole: 'owner' },
    },
    {
      method: 'POST',
      route: '/firm/integrations/keys',
      url: () => '/firm/integrations/keys',
      allowed: { owner: 400 },
    },
    {
      method: 'POST',
      route: '/firm/integrations/keys/:id/revoke',
      url: () => `/firm/integrations/keys/${randomUUID()}/revoke`,
      allowed: { owner: 404 },
    },
    {
      method: 'POST',
      route: '/firm/integrations/webhooks',
      url: () => '/firm/integrations/webhooks',
      allowed: { owner: 400 },
    },
    {
      method: 'POST',
      route: '/firm/integrations/webhooks/:id/remove',
      url: () => `/firm/integrations/webhooks/${randomUUID()}/remove`,
      allowed: { owner: 404 },
    },
  ];

  it('has an expectation for every /firm route the router knows, and no other', () => {
    const known = collectRoutes(app)
      .filter((r) => r.url === '/firm' || r.url.startsWith('/firm/'))
      .map(routeKey)
      .filter((key) => !PUBLIC_FIRM_ROUTES.includes(key));
    expect(cases.map((c) => routeKey({ method: c.method, url: c.route })).sort()).toEqual(
      known.sort(),
    );
  });

  it('answers every route for every kind of caller as designed', async () => {
    const problems: string[] = [];
    for (const c of cases) {
      for (const who of EVERYONE) {
        const url = c.url();
        const res = await call(who, c.method, url, c.body);
        const expected =
          who === 'anonymous' ? (c.method === 'GET' ? 303 : 401) : (c.allowed[who] ?? 403);
        if (res.statusCode !== expected)
          problems.push(`${c.method} ${url} as ${who}: ${res.statusCode}, expected ${expected}`);
        if (
          who === 'anonymous' &&
          c.method === 'GET' &&
          res.headers.location !== `/sign-in?next=${encodeURIComponent(url)}`
        ) {
          problems.push(`${url} as anonymous: redirected to ${res.headers.location}`);
        }
        if (res.statusCode === 200 && c.method === 'GET') {
          expect(res.headers['cache-control']).toBe('no-store');
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("never shows one firm another firm's briefs, leads, quotes or buyer", async () => {
    const buyer = request.email;
    const list = await call('other-firm', 'GET', '/firm/leads');
    expect(list.body).toContain(briefs.theirs);
    expect(list.body).not.toContain(briefs.ours);
    expect(list.body).not.toContain(briefs.pendingOurs);
    const csv = await call('other-firm', 'GET', '/firm/leads.csv');
    expect(csv.body).toContain(briefs.theirs);
    expect(csv.body).not.toContain(briefs.ours);

    const ours = await call('member', 'GET', '/firm/leads');
    expect(ours.body).not.toContain(briefs.theirs);
    const stolen = await call('member', 'GET', `/firm/leads/${briefs.theirs}`);
    expect(stolen.statusCode).toBe(404);
    expect(stolen.body).not.toContain(buyer);
    expect((await call('member', 'GET', `/firm/leads/${briefs.theirs}/quote`)).statusCode).toBe(
      404,
    );
    const decline = await call('member', 'POST', `/firm/leads/${briefs.theirs}/answer`, {
      action: 'decline',
      reason: 'other',
    });
    expect(decline.statusCode).toBe(404);
    const quote = await call('owner', 'POST', `/firm/leads/${briefs.theirs}/quote`, {
      fee_soc2_type2: '1',
      startDate: '2027-01-01',
      reportDate: '2027-02-01',
      validUntil: '2027-03-01',
    });
    expect(quote.statusCode).toBe(404);
    for (const page of [
      '/firm',
      '/firm/leads',
      `/firm/leads/${briefs.ours}`,
      `/firm/leads/${briefs.ours}/quote`,
    ]) {
      expect((await call('owner', 'GET', page)).body).not.toContain(theirQuoteId);
    }
    const stored = await app.ctx.db.kysely
      .selectFrom('briefs')
      .select('status')
      .where('id', '=', briefs.theirs)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('accepted');
  });

  it("shows the buyer's contact only after accepting, and logs every view", async () => {
    const viewsBefore = await auditEntries(app.ctx.db, 'contact.viewed');

    const unanswered = await call('member', 'GET', `/firm/leads/${briefs.pendingOurs}`);
    expect(unanswered.statusCode).toBe(200);
    expect(unanswered.body).toContain('Accept the brief to see the whole scope sheet');
    for (const secret of [pending.email, 'Robin Buyer', 'Buyer Labs'])
      expect(unanswered.body).not.toContain(secret);
    const csv = await call('member', 'GET', '/firm/leads.csv');
    expect(csv.body).not.toContain(pending.email);
    expect(csv.body).toContain(request.email);

    const accepted = await call('member', 'GET', `/firm/leads/${briefs.ours}`);
    expect(accepted.body).toContain(request.email);
    await call('owner', 'GET', `/firm/leads/${briefs.ours}`);
    const viewsAfter = await app.ctx.db.kysely
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'contact.viewed')
      .execute();
    // Two page views and one CSV export, each logged against the person and the brief.
    expect(viewsAfter.length - viewsBefore.length).toBe(3);
    const latest = viewsAfter.at(-1)!;
    expect(latest).toMatchObject({
      actorKind: 'firm-user',
      actorId: ids.owner,
      subjectKind: 'brief',
      subjectId: briefs.ours,
    });
  });

  it('refuses reused and forged sign-in links for firm users', async () => {
    const email = `member@${firm.slug}.example.com`;
    const path = await signInLinkFor(app, email);
    const post = (url: string) => postForm(app, url, {}, { formPage: path });
    expect((await post(path)).statusCode).toBe(303);
    expect((await post(path)).statusCode).toBe(410);
    expect((await post(`/sign-in/${'x'.repeat(43)}`)).statusCode).toBe(410);
  });
});
