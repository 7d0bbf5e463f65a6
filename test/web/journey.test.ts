import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import {
  formSession,
  linkIn,
  postRaw,
  queuedEmails,
  SOC2_SCOPE_QUERY,
  useApp,
  expectAnswer,
} from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { bumpCatalogVersion } from '../../src/db/firms';

const form = (pairs: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(pairs)) for (const x of [v].flat()) params.append(k, x);
  return params.toString();
};

describeEachEngine('the buyer journey', (t) => {
  let app: FastifyInstance;
  useApp(t, (built) => (app = built));

  async function post(url: string, body: Record<string, string | string[]>, from = url) {
    const session = await formSession(app, from);
    return app.inject({
      method: 'POST',
      url,
      payload: form({ ...body, _csrf: session.token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    });
  }

  it('previews three firms with reasons and stores no request', async () => {
    const res = await app.inject(`/match?preview=1&${SOC2_SCOPE_QUERY}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The 3 firms that fit');
    expect((res.body.match(/<li class="card">/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const requests = await app.ctx.db.kysely.selectFrom('quoteRequests').selectAll().execute();
    expect(requests).toHaveLength(0);
  });

  it('re-renders the preview form naming the bad fields', async () => {
    const res = await app.inject(
      '/match?preview=1&framework=soc2&variant_soc2=type9&stage=&headcount=-4&region=mars',
    );
    expectAnswer(res, 400, ['choose your company stage', 'must be at least 1', 'choose a region']);
  });

  it('refuses a request form posted without a CSRF token', async () => {
    const res = await postRaw(
      app,
      '/requests',
      'framework=soc2',
      'application/x-www-form-urlencoded',
    );
    expect(res.statusCode).toBe(403);
    expect(await app.ctx.db.kysely.selectFrom('quoteRequests').selectAll().execute()).toHaveLength(
      0,
    );
  });

  it('gives each visitor of a repeated preview a token of their own, and shows catalog changes at once', async () => {
    const url = `/match?preview=1&${SOC2_SCOPE_QUERY}`;
    const a = await formSession(app, url);
    const b = await formSession(app, url);
    expect(b.token).not.toBe(a.token);
    expect(b.cookie).not.toBe(a.cookie);
    const [pageA, pageB] = await Promise.all(
      [a, b].map(({ cookie }) => app.inject({ url, headers: { cookie } })),
    );
    expect(pageA!.body.replace(/name="_csrf" value="[^"]+"/, '')).toBe(
      pageB!.body.replace(/name="_csrf" value="[^"]+"/, ''),
    );

    // B's token works with B's cookie only: a 400 for the missing contact, not a 403.
    const scope = Object.fromEntries(new URLSearchParams(SOC2_SCOPE_QUERY));
    const attempt = (token: string, cookie: string) =>
      app.inject({
        method: 'POST',
        url: '/requests',
        payload: form({ ...scope, _csrf: token }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });
    expect((await attempt(b.token, a.cookie)).statusCode).toBe(403);
    expect((await attempt(b.token, b.cookie)).statusCode).toBe(400);

    const shown = /<li class="card"><h3><a href="\/firms\/([^"]+)">/.exec(pageA!.body)?.[1];
    expect(shown).toBeTruthy();
    const db = app.ctx.db.kysely;
    const pause = async (status: 'suspended' | 'active') => {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('firms').set({ status }).where('slug', '=', shown!).execute();
        await bumpCatalogVersion(trx);
      });
      app.ctx.catalog.invalidate();
    };
    await pause('suspended');
    try {
      const after = await app.inject(url);
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('<li class="card">');
      expect(after.body).not.toContain(`href="/firms/${shown}"`);
    } finally {
      await pause('active');
    }
    expect(await db.selectFrom('quoteRequests').selectAll().execute()).toHaveLength(0);
  });

  it('walks request → confirm → choose → accept and decline, keeping contact from firms until they accept', async () => {
    const scope = Object.fromEntries(new URLSearchParams(SOC2_SCOPE_QUERY));
    const bad = await post(
      '/requests',
      { ...scope, name: 'Ada Buyer', email: 'not-an-email', company: 'Ada Labs' },
      `/match?preview=1&${SOC2_SCOPE_QUERY}`,
    );
    expectAnswer(bad, 400, ['enter a valid work email address', 'you must agree']);

    const sent = await post(
      '/requests',
      {
        ...scope,
        name: 'Ada Buyer',
        email: 'ada@adalabs.example',
        company: 'Ada Labs',
        consent: 'yes',
      },
      `/match?preview=1&${SOC2_SCOPE_QUERY}`,
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/requests\/sent\?ref=AM-/);

    const stored = await app.ctx.db.kysely
      .selectFrom('quoteRequests')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('unconfirmed');
    expect(JSON.stringify(stored)).not.toContain('ada@adalabs.example');
    expect(JSON.stringify(stored)).not.toContain('Ada Buyer');

    const [confirm] = await queuedEmails(app);
    expect(confirm?.to).toBe('ada@adalabs.example');
    const confirmPath = linkIn(confirm!.text, '/r/confirm/');
    expect((await app.inject(confirmPath)).statusCode).toBe(200);
    const confirmed = await post(confirmPath, {});
    expect(confirmed.statusCode).toBe(303);
    const privatePath = confirmed.headers.location as string;
    expect(privatePath).toMatch(/^\/r\/[A-Za-z0-9_-]{40,}$/);
    // The confirmation link works once.
    expect((await post(confirmPath, {}, privatePath)).statusCode).toBe(404);

    const page = await app.inject(privatePath);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const firmIds = [...page.body.matchAll(/name="firm" value="([0-9a-f-]{36})"/g)].map(
      (m) => m[1]!,
    );
    expect(firmIds).toHaveLength(3);

    const chose = await post(`${privatePath}/briefs`, { firm: firmIds }, privatePath);
    expect(chose.statusCode).toBe(303);

    const emails = await queuedEmails(app);
    const briefs = emails.filter((e) => e.key.endsWith(':sent'));
    expect(briefs).toHaveLength(3);
    for (const b of briefs) {
      expect(b.text).not.toContain('ada@adalabs.example');
      expect(b.text).not.toContain('Ada Labs');
      expect(b.text).not.toContain('Ada Buyer');
    }
    const [first, second] = briefs.map((b) => linkIn(b.text, '/b/'));
    const briefPage = await app.inject(first!);
    expect(briefPage.statusCode).toBe(200);
    expect(briefPage.body).not.toContain('adalabs');

    expect((await post(`${first}/accept`, {}, first)).statusCode).toBe(303);
    expect((await post(`${first}/accept`, {}, second)).statusCode).toBe(409);
    expect((await post(`${second}/decline`, { reason: 'no-capacity' }, second)).statusCode).toBe(
      303,
    );

    // Accepting commits the firm to quote; the buyer's details stay with Auditmatch.
    const after = await queuedEmails(app);
    const commitment = after.find((e) => e.key.endsWith(':accepted'));
    expect(commitment?.text).toContain('commit');
    expect(
      after
        .filter((e) => e.to !== 'ada@adalabs.example')
        .some((e) => e.text.includes('ada@adalabs.example')),
    ).toBe(false);
    expect(after.find((e) => e.key.endsWith(':declined'))?.to).toBe('ada@adalabs.example');
    expect(
      await app.ctx.db.kysely
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'contact.released')
        .execute(),
    ).toHaveLength(0);

    // The buyer chooses to share its details with the firm that accepted: now, and only now, it has them.
    const acceptedBrief = commitment!.key.split(':')[3]!;
    expect(
      (await post(`${privatePath}/briefs/${acceptedBrief}/share`, {}, privatePath)).statusCode,
    ).toBe(303);
    const shared = (await queuedEmails(app)).find((e) => e.key.endsWith(':contact-shared'));
    expect(shared?.text).toContain('ada@adalabs.example');
    expect(shared?.to).toBe(commitment?.to);
    const released = await app.ctx.db.kysely
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'contact.released')
      .execute();
    expect(released).toHaveLength(1);
    expect(JSON.parse(released[0]!.detail!)).toMatchObject({ occasion: 'share' });

    const withOffer = await app.inject(privatePath);
    expect(withOffer.body).toContain('Next best fits');
    expect(withOffer.body).toContain('Accepted: it will quote');
    expect(withOffer.body).toContain('Declined');

    // Two firms still hold the request; a fourth firm at once would break the promise of three.
    const offered = [...withOffer.body.matchAll(/id="replace-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(offered.length).toBeGreaterThanOrEqual(2);
    const tooMany = await post(`${privatePath}/briefs`, { firm: offered.slice(0, 2) }, privatePath);
    expect(tooMany.statusCode).toBe(409);
    const oneMore = await post(`${privatePath}/briefs`, { firm: offered[0]! }, privatePath);
    expect(oneMore.statusCode).toBe(303);

    const deleted = await post(`${privatePath}/delete`, { confirm: 'yes' }, privatePath);
    expect(deleted.statusCode).toBe(303);
    const erased = await app.ctx.db.kysely
      .selectFrom('quoteRequests')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(erased.contactEmailEnc).toBeNull();
    expect(erased.status).toBe('deleted');
    const left = await queuedEmails(app);
    expect(
      left.some((e) => e.text.includes('ada@adalabs.example') || e.to === 'ada@adalabs.example'),
    ).toBe(false);
  });

  it('answers unknown private links and forged brief links with 404', async () => {
    expect((await app.inject('/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(
      404,
    );
    expect((await app.inject('/b/eyJiIjoieCIsImV4cCI6OTk5OTk5OTk5OX0.forged')).statusCode).toBe(
      404,
    );
  });
});
