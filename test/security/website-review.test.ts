import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeFirmStatus } from '../../src/services/admin/firms';
import { createAdmin } from '../../src/services/auth';
import { websiteDomain } from '../../src/domain/domain-signal';
import { appOn, postForm, queuedEmails, signedInFirmUser, signInByEmailLink } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';
import { storedRow } from '../helpers/rows';

/**
 * A firm's website after the operator approved the firm (ADR 0017): the sign-in addresses were
 * judged against its domain and buyers follow it from the public profile, so a change waits in
 * the operator's queue instead of going live. An applicant still edits its website directly.
 */

describeEachEngine('website review', (t) => {
  let app: FastifyInstance;
  let firm: { id: string; slug: string; name: string; website: string };
  let owner: { userId: string; cookie: string };
  let operator = '';
  let operatorId = '';

  const db = () => app.ctx.db.kysely;
  const liveWebsite = async (firmId = firm.id) => (await storedRow(db(), 'firms', firmId)).website;
  const waiting = (firmId = firm.id) =>
    db().selectFrom('firmWebsiteChanges').selectAll().where('firmId', '=', firmId).execute();
  const auditOf = async (action: string, firmId = firm.id) =>
    (
      await db()
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', action)
        .where('subjectId', '=', firmId)
        .orderBy('id')
        .execute()
    ).map((e) => ({ actorKind: e.actorKind, actorId: e.actorId, ...JSON.parse(e.detail ?? '{}') }));
  const get = (url: string, cookie?: string) =>
    app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  /**
   * Saves the profile form as the browser sends it (inputs with a value, ticked boxes; the one
   * textarea is the description), with only the website changed.
   */
  async function saveWebsite(cookie: string, website: string, firmId = firm.id) {
    const page = await get('/firm/profile', cookie);
    expect(page.statusCode).toBe(200);
    const form = /<form method="post" action="\/firm\/profile"[\s\S]*?<\/form>/.exec(
      page.body,
    )?.[0];
    const fields: Record<string, string[]> = {};
    for (const [tag] of (form ?? '').matchAll(/<input\b[^>]*>/g)) {
      const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
      const name = attr('name');
      const value = (attr('value') ?? '').replace(/&amp;/g, '&');
      const box = /type="(checkbox|radio)"/.test(tag);
      if (!name || name === '_csrf' || value === '' || (box && !/\schecked/.test(tag))) continue;
      fields[name] = [...(fields[name] ?? []), value];
    }
    const stored = await db()
      .selectFrom('firms')
      .select('description')
      .where('id', '=', firmId)
      .executeTakeFirstOrThrow();
    return postForm(
      app,
      '/firm/profile',
      { ...fields, description: stored.description, website },
      { session: cookie },
    );
  }

  const decide = (changeId: string, decision: string, note = '') =>
    postForm(app, `/admin/website-changes/${changeId}`, { decision, note }, { session: operator });

  beforeAll(async () => {
    app = await appOn(t());
    const row = await db()
      .selectFrom('firms')
      .select(['id', 'slug', 'name', 'website'])
      .where('status', '=', 'active')
      .where('website', 'is not', null)
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    firm = { ...row, website: row.website! };
    owner = await signedInFirmUser(app, firm.id, {
      email: `owner@${websiteDomain(firm.website)}`,
    });
    await createAdmin(app.ctx, 'ops@auditmatch.example');
    operator = await signInByEmailLink(app, 'ops@auditmatch.example');
    operatorId = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ops@auditmatch.example')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps an approved firm’s new website off its public profile while the firm sees it awaiting review', async () => {
    const saved = await saveWebsite(owner.cookie, 'https://fresh-brand.example.org');
    expect(saved.statusCode, saved.body.match(/error-summary[\s\S]{0,800}/)?.[0]).toBe(303);
    expect(saved.headers.location).toBe('/firm/profile?done=website-queued');

    expect(await liveWebsite()).toBe(firm.website);
    const rows = await waiting();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      website: 'https://fresh-brand.example.org',
      requestedBy: owner.userId,
    });
    const profile = await get(`/firms/${firm.slug}`);
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain(firm.website);
    expect(profile.body).not.toContain('fresh-brand.example.org');

    const editor = await get('/firm/profile?done=website-queued', owner.cookie);
    expect(editor.body).toContain('awaiting review');
    expect(editor.body).toMatch(/name="website"[^>]*value="https:\/\/fresh-brand\.example\.org"/);
    expect(await auditOf('firm.website-change-requested')).toEqual([
      {
        actorKind: 'firm-user',
        actorId: owner.userId,
        from: firm.website,
        to: 'https://fresh-brand.example.org',
      },
    ]);
    // Saving the rest of the profile again keeps the request as it is.
    expect((await saveWebsite(owner.cookie, 'https://fresh-brand.example.org')).statusCode).toBe(
      303,
    );
    expect((await waiting())[0]?.id).toBe(rows[0]?.id);
    expect(await auditOf('firm.website-change-requested')).toHaveLength(1);
  });

  it('replaces a waiting change with a second one: one per firm, and a decision on the first applies nothing', async () => {
    const [first] = await waiting();
    await saveWebsite(owner.cookie, `https://second.${websiteDomain(firm.website)}/`);
    const rows = await waiting();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.website).toBe(`https://second.${websiteDomain(firm.website)}/`);
    expect(rows[0]?.id).not.toBe(first?.id);

    const stale = await decide(first!.id, 'approve');
    expect(stale.statusCode).toBe(404);
    expect(stale.body).toContain('no longer waits');
    expect(await liveWebsite()).toBe(firm.website);
    expect(await auditOf('firm.website-change-requested')).toHaveLength(2);
  });

  it('lists the change for the operator with both hosts and the domain signal, and approving applies and audits it', async () => {
    const home = await get('/admin', operator);
    expect(home.body).toContain('1 website change waits');
    expect(home.body).toContain('href="/admin/website-changes"');

    const next = `https://second.${websiteDomain(firm.website)}/`;
    const queue = await get('/admin/website-changes', operator);
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(firm.name);
    expect(queue.body).toContain(new URL(firm.website).hostname);
    expect(queue.body).toContain(`second.${websiteDomain(firm.website)}`);
    // The owner signs in at the parent domain, not at the new host: the queue says so.
    expect(queue.body).toContain(
      `Own domain second.${websiteDomain(firm.website)}: 0 of 1 team sign-in address is at it.`,
    );

    const [change] = await waiting();
    // A console form without its CSRF token changes nothing.
    const forged = await app.inject({
      method: 'POST',
      url: `/admin/website-changes/${change!.id}`,
      payload: 'decision=approve',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: operator },
    });
    expect(forged.statusCode).toBe(403);
    expect(await liveWebsite()).toBe(firm.website);

    const approved = await decide(change!.id, 'approve', 'Checked the domain’s registrant.');
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe('/admin/website-changes?filter=pending&done=approve');
    expect(await liveWebsite()).toBe(next);
    expect(await waiting()).toEqual([]);
    expect(await auditOf('firm.website-changed')).toEqual([
      {
        actorKind: 'admin',
        actorId: operatorId,
        from: firm.website,
        to: next,
        note: 'Checked the domain’s registrant.',
      },
    ]);
    expect((await get(`/firms/${firm.slug}`)).body).toContain(next);
    expect((await get('/admin', operator)).body).toContain('0 website changes wait');
    // The member who asked is told, with the operator's note.
    const told = (await queuedEmails(app)).filter(
      (m) => m.key === `website-change:${change!.id}:decision`,
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.to).toBe(`owner@${websiteDomain(firm.website)}`);
    expect(told[0]!.subject).toBe(`${firm.name}'s new website is live on Auditmatch`);
    expect(told[0]!.text).toContain(`now shows ${next}`);
    expect(told[0]!.text).toContain('Note from the team: Checked the domain’s registrant.');
    firm.website = next;
  });

  it('rejecting keeps the approved website; a free-mail site is flagged as no domain signal', async () => {
    await saveWebsite(owner.cookie, 'https://gmail.com');
    const queue = await get('/admin/website-changes', operator);
    expect(queue.body).toContain('No domain signal: a free-mail provider, a shared host');
    const [change] = await waiting();
    const rejected = await decide(change!.id, 'reject');
    expect(rejected.statusCode).toBe(303);
    expect(rejected.headers.location).toBe('/admin/website-changes?filter=pending&done=reject');
    expect(await liveWebsite()).toBe(firm.website);
    expect(await waiting()).toEqual([]);
    expect(await auditOf('firm.website-change-rejected')).toEqual([
      {
        actorKind: 'admin',
        actorId: operatorId,
        kept: firm.website,
        rejected: 'https://gmail.com',
      },
    ]);
    expect((await get(`/firms/${firm.slug}`)).body).not.toContain('gmail.com');
    const told = (await queuedEmails(app)).filter(
      (m) => m.key === `website-change:${change!.id}:decision`,
    );
    expect(told.map((m) => m.subject)).toEqual([`${firm.name}'s website change was not approved`]);
    expect(told[0]!.text).toContain(`keeps ${firm.website}`);
  });

  it('withdraws a waiting change when the firm saves its approved website again', async () => {
    await saveWebsite(owner.cookie, 'https://change-of-heart.example.org');
    expect(await waiting()).toHaveLength(1);
    const saved = await saveWebsite(owner.cookie, firm.website);
    expect(saved.headers.location).toBe('/firm/profile?done=website-withdrawn');
    expect(await waiting()).toEqual([]);
    expect(await liveWebsite()).toBe(firm.website);
    expect(await auditOf('firm.website-change-withdrawn')).toEqual([
      {
        actorKind: 'firm-user',
        actorId: owner.userId,
        kept: firm.website,
        withdrawn: 'https://change-of-heart.example.org',
      },
    ]);
  });

  it('lets an applicant not yet approved edit its website directly, as before', async () => {
    const applicant = await db()
      .selectFrom('firms')
      .select(['id', 'website'])
      .where('status', '=', 'active')
      .where('id', '!=', firm.id)
      .where('website', 'is not', null)
      .orderBy('slug', 'desc')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('firms')
      .set({ status: 'pending' })
      .where('id', '=', applicant.id)
      .execute();
    const user = await signedInFirmUser(app, applicant.id, {
      email: `applicant@${websiteDomain(applicant.website)}`,
    });
    const saved = await saveWebsite(
      user.cookie,
      'https://applicant-renamed.example.org',
      applicant.id,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/firm/profile?done=saved');
    expect(await liveWebsite(applicant.id)).toBe('https://applicant-renamed.example.org');
    expect(await waiting(applicant.id)).toEqual([]);
    expect(await auditOf('firm.website-changed', applicant.id)).toEqual([
      {
        actorKind: 'firm-user',
        actorId: user.userId,
        from: applicant.website,
        to: 'https://applicant-renamed.example.org',
      },
    ]);
  });

  it('refuses to approve a change for a firm suspended since it asked, and still lets it be rejected', async () => {
    await saveWebsite(owner.cookie, 'https://while-suspended.example.org');
    const [change] = await waiting();
    await changeFirmStatus(
      app.ctx,
      { firmId: firm.id, action: 'suspend', reason: 'Complaint under review' },
      operatorId,
    );
    const refused = await decide(change!.id, 'approve');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('This firm is suspended: a new website can be approved only');
    expect(await liveWebsite()).toBe(firm.website);
    expect(await waiting()).toHaveLength(1);
    expect(await auditOf('firm.website-changed')).toHaveLength(1);

    expect((await decide(change!.id, 'reject')).statusCode).toBe(303);
    expect(await waiting()).toEqual([]);
    expect(await liveWebsite()).toBe(firm.website);
  });
});
