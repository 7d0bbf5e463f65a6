import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createAdmin } from '../../src/services/auth';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import { eraseRequestData, shareDetails } from '../../src/services/buyer';
import { inviteReviews, reviewInviteKey, reviewLink } from '../../src/services/reviews';
import {
  addFirmUser,
  linkIn,
  postForm,
  queuedEmails,
  signInByEmailLink,
  useApp,
} from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import {
  auditEntries,
  briefsOf,
  type ConfirmedRequest,
  confirmedRequest,
  DAY_MS,
  TestClock,
} from '../helpers/requests';
import { storedRow } from '../helpers/rows';

/**
 * Reviews only from introduced buyers: the emailed link some weeks after a firm accepted is the
 * proof, and it works once. The firm replies once; the operator hides abusive text; the firm's
 * count and mean follow the visible reviews, on the profile and in the catalog the matcher reads.
 */

describeEachEngine('reviews', (t) => {
  const clock = new TestClock('2026-11-30T09:00:00.000Z');
  let app: FastifyInstance;
  let request: ConfirmedRequest;
  const brief = { accepted: '', declined: '' };
  const firm = { id: '', slug: '', name: '' };
  const sessions = { owner: '', otherFirm: '', operator: '' };
  let reviewPath = '';
  let reviewId = '';

  const signIn = (email: string) => signInByEmailLink(app, email);

  const post = (url: string, body: Record<string, string>, session = '', from = '/sign-in') =>
    postForm(app, url, body, { session, formPage: from });

  const firmRow = () =>
    app.ctx.db.kysely
      .selectFrom('firms')
      .select(['reviewCount', 'reviewMean'])
      .where('id', '=', firm.id)
      .executeTakeFirstOrThrow();

  useApp(t, (built) => (app = built), { now: clock.now });
  beforeAll(async () => {
    request = await confirmedRequest(app.ctx);
    const [first, second] = request.proposed;
    await sendBriefs(app.ctx, request.id, [first!, second!]);
    const briefs = await briefsOf(app.ctx, request.id);
    brief.accepted = briefs.find((b) => b.firmId === first)!.id;
    brief.declined = briefs.find((b) => b.firmId === second)!.id;
    await respondToBrief(app.ctx, brief.accepted, { action: 'accept' }, { kind: 'brief-link' });
    // Introduced: the buyer shared its details with the firm that accepted (as a booking would).
    await shareDetails(app.ctx, request.id, brief.accepted);
    await respondToBrief(
      app.ctx,
      brief.declined,
      { action: 'decline', reason: 'no-capacity' },
      { kind: 'brief-link' },
    );
    const row = await app.ctx.db.kysely
      .selectFrom('firms')
      .select(['id', 'slug', 'name'])
      .where('id', '=', first!)
      .executeTakeFirstOrThrow();
    Object.assign(firm, row);

    await createAdmin(app.ctx, 'ops@auditmatch.example');
    const other = await app.ctx.db.kysely
      .selectFrom('firms')
      .select('id')
      .where('id', '!=', firm.id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    await addFirmUser(app, firm.id, 'owner@reviewed-firm.example', 'owner', clock.now());
    await addFirmUser(app, other.id, 'owner@other-firm.example', 'owner', clock.now());
  });

  /** Sessions last 30 days and the clock moves by weeks here: sign in when needed. */
  async function signInAll() {
    sessions.owner = await signIn('owner@reviewed-firm.example');
    sessions.otherFirm = await signIn('owner@other-firm.example');
    sessions.operator = await signIn('ops@auditmatch.example');
  }

  it('invites the introduced buyer some weeks after the introduction, once, and never for a declined brief', async () => {
    clock.advance(5 * 7 * DAY_MS);
    expect(await inviteReviews(app.ctx)).toBe(0);
    clock.advance(7 * DAY_MS + 60_000);
    expect(await inviteReviews(app.ctx)).toBe(1);
    expect(await inviteReviews(app.ctx)).toBe(0);
    const invites = (await queuedEmails(app)).filter((m) => m.key.endsWith(':review-invite'));
    expect(invites.map((m) => m.key)).toEqual([reviewInviteKey(request.id, brief.accepted)]);
    expect(invites[0]!.to).toBe(request.email);
    expect(invites[0]!.text).toContain(firm.name);
    reviewPath = linkIn(invites[0]!.text, '/reviews/');
  });

  it('refuses forged links and links for a brief that was never an introduction', async () => {
    expect(
      (await app.inject('/reviews/eyJydiI6IngiLCJleHAiOjk5OTk5OTk5OTl9.forged')).statusCode,
    ).toBe(404);
    expect((await app.inject(`${reviewPath}x`)).statusCode).toBe(404);
    const declined = new URL(
      reviewLink(app.ctx, brief.declined, new Date(clock.now().getTime() + DAY_MS)),
    ).pathname;
    const res = await app.inject(declined);
    expect(res.statusCode).toBe(404);
    expect((await post(declined, { rating: '5', body: 'Great' }, '', '/sign-in')).statusCode).toBe(
      404,
    );
    expect(await app.ctx.db.kysely.selectFrom('reviews').selectAll().execute()).toHaveLength(0);
  });

  it('shows the form, names a bad rating, and takes the review once; the aggregate moves', async () => {
    const form = await app.inject(reviewPath);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`How was ${firm.name.replaceAll('&', '&amp;')}?`);
    expect(form.headers['cache-control']).toBe('no-store');

    const bad = await post(reviewPath, { rating: '9', body: 'Fine' }, '', reviewPath);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose a rating from 1 to 5');

    const ok = await post(
      reviewPath,
      { rating: '4', body: 'Clear scoping call <script>alert(1)</script>' },
      '',
      reviewPath,
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/reviews/thanks/${firm.slug}`);
    const review = await app.ctx.db.kysely
      .selectFrom('reviews')
      .selectAll()
      .executeTakeFirstOrThrow();
    reviewId = review.id;
    expect(review.briefId).toBe(brief.accepted);
    expect(review.rating).toBe(4);
    expect(await firmRow()).toEqual({ reviewCount: 1, reviewMean: 4 });
    const inCatalog = (await app.ctx.catalog.firms()).find((f) => f.id === firm.id);
    expect([inCatalog?.reviewCount, inCatalog?.reviewMean]).toEqual([1, 4]);

    // The link works once.
    expect(
      (await post(reviewPath, { rating: '1', body: 'again' }, '', '/sign-in')).statusCode,
    ).toBe(410);
    expect((await app.inject(reviewPath)).statusCode).toBe(410);
    expect(await app.ctx.db.kysely.selectFrom('reviews').selectAll().execute()).toHaveLength(1);

    const profile = await app.inject(`/firms/${firm.slug}`);
    expect(profile.body).toContain('4.0 out of 5 from 1 introduced buyer');
    const list = await app.inject(`/firms/${firm.slug}/reviews`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Clear scoping call &lt;script>');
    expect(list.body).not.toContain('<script>alert(1)</script>');
    expect(list.body).not.toContain(request.email);
  });

  it('lets the reviewed firm reply once, and no other firm', async () => {
    await signInAll();
    const url = `/firm/reviews/${reviewId}/reply`;
    expect((await app.inject({ url })).statusCode).toBe(303);
    expect((await app.inject({ url, headers: { cookie: sessions.otherFirm } })).statusCode).toBe(
      404,
    );
    expect((await post(url, { reply: 'Not ours to answer' }, sessions.otherFirm)).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url, headers: { cookie: sessions.operator } })).statusCode).toBe(
      403,
    );

    const page = await app.inject({ url, headers: { cookie: sessions.owner } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Clear scoping call');
    expect((await post(url, { reply: '' }, sessions.owner)).statusCode).toBe(400);
    const replied = await post(url, { reply: 'Thank you, glad the call helped.' }, sessions.owner);
    expect(replied.statusCode).toBe(303);
    const twice = await post(url, { reply: 'And once more.' }, sessions.owner);
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('already replied');
    const stored = await storedRow(app.ctx.db.kysely, 'reviews', reviewId);
    expect(stored.firmReply).toBe('Thank you, glad the call helped.');
    expect((await app.inject(`/firms/${firm.slug}/reviews`)).body).toContain(
      'Thank you, glad the call helped.',
    );
  });

  it('hides abusive text when the operator says so: gone from the profile and from the aggregate', async () => {
    const noReason = await post(
      `/admin/reviews/${reviewId}`,
      { action: 'hide', reason: '' },
      sessions.operator,
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the text is hidden');

    const hidden = await post(
      `/admin/reviews/${reviewId}`,
      { action: 'hide', reason: 'Names an employee' },
      sessions.operator,
    );
    expect(hidden.statusCode).toBe(303);
    const list = await app.inject(`/firms/${firm.slug}/reviews`);
    expect(list.body).not.toContain('Clear scoping call');
    expect(list.body).not.toContain('glad the call helped');
    expect(await firmRow()).toEqual({ reviewCount: 0, reviewMean: null });
    expect((await app.inject(`/firms/${firm.slug}`)).body).toContain('No reviews yet');
    const moderation = await app.inject({
      url: '/admin/reviews?filter=hidden',
      headers: { cookie: sessions.operator },
    });
    expect(moderation.body).toContain('Names an employee');
    const audit = await auditEntries(app.ctx.db, 'review.hidden');
    expect(audit.map((a) => a.actorKind)).toEqual(['admin']);

    expect(
      (
        await post(
          `/admin/reviews/${reviewId}`,
          { action: 'restore', reason: '' },
          sessions.operator,
        )
      ).statusCode,
    ).toBe(303);
    expect(await firmRow()).toEqual({ reviewCount: 1, reviewMean: 4 });
  });

  it('forgets a pending invitation when the buyer deletes its data, and does not ask again', async () => {
    const second = await confirmedRequest(app.ctx);
    const firmId = second.proposed[0]!;
    await sendBriefs(app.ctx, second.id, [firmId]);
    const [b] = await briefsOf(app.ctx, second.id);
    await respondToBrief(app.ctx, b!.id, { action: 'accept' }, { kind: 'brief-link' });
    await shareDetails(app.ctx, second.id, b!.id);
    clock.advance(6 * 7 * DAY_MS + 60_000);
    expect(await inviteReviews(app.ctx)).toBe(1);
    const key = reviewInviteKey(second.id, b!.id);
    expect((await queuedEmails(app)).some((m) => m.key === key)).toBe(true);
    await eraseRequestData(app.ctx, second.id, 'buyer');
    expect((await queuedEmails(app)).some((m) => m.key === key)).toBe(false);
    expect(await inviteReviews(app.ctx)).toBe(0);
  });
});
