import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Selectable } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestSignIn } from '../../src/services/auth';
import { sendBriefs } from '../../src/services/briefs';
import { decideCredential } from '../../src/services/admin/credentials';
import {
  approveFirmUser,
  pendingFirmApplications,
  rejectFirmApplication,
} from '../../src/services/firm/accounts';
import { addCredential } from '../../src/services/firm/credentials';
import { CredentialSubmission } from '../../src/services/firm/schemas';
import { submitRequest } from '../../src/services/intake';
import {
  formSession,
  linkIn,
  postForm,
  queuedEmails,
  signInByEmailLink,
  useSignInLink,
  useApp,
  expectAnswer,
} from '../helpers/app';
import type { Database } from '../../src/db/schema';
import { describeEachEngine } from '../helpers/databases';
import { neededByAfter } from '../helpers/dates';
import {
  buyerEmail,
  type ConfirmedRequest,
  confirmByToken,
  confirmationToken,
  confirmedRequest,
  SOC2_SCOPE,
} from '../helpers/requests';
import { firmActor } from '../helpers/users';
import { storedRow } from '../helpers/rows';

/** The shared scope, needed by a date ahead of the real clock this app runs on. */
const NOW_SCOPE = { scope: { ...SOC2_SCOPE, neededBy: neededByAfter(Date.now()) } };

/** The firm workspace end to end through HTTP: accounts, team, profile, credentials, inbox, quotes, exports, API keys. */

/** How a name reads in the HTML (firm names may hold an ampersand). */
const html = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.alloc(2048, 0x20),
  Buffer.from('\n%%EOF\n'),
]);

describeEachEngine('the firm workspace', (t) => {
  let app: FastifyInstance;
  let csrf: { token: string; cookie: string };
  const firm = { id: '', slug: '', name: '' };
  let owner = '';
  const ownerEmail = () => `owner@${firm.slug}.example.com`;

  const signIn = (email: string) => signInByEmailLink(app, email);
  const useLink = (path: string) => useSignInLink(app, path);

  const get = (session: string | null, url: string) =>
    app.inject({ method: 'GET', url, headers: session ? { cookie: session } : {} });

  const post = (session: string | null, url: string, fields: Record<string, string | string[]>) =>
    postForm(app, url, fields, { csrf, ...(session ? { session } : {}) });

  /** A multipart form as a browser sends it, built by the platform's own FormData. */
  /**
   * The firm's rows of a table it owns rows in. Kysely cannot type a `where` over a union of
   * tables, so the query is typed as one of them (all three have `firm_id`) and the rows as `T`'s.
   */
  function firmRows<T extends 'firmServices' | 'apiKeys' | 'webhookEndpoints'>(table: T) {
    return app.ctx.db.kysely
      .selectFrom(table as 'apiKeys')
      .selectAll()
      .where('firmId', '=', firm.id)
      .execute() as Promise<Selectable<Database[T]>[]>;
  }

  /** A key or secret the page shows once, right after it is created (201). */
  function shownOnce(created: { statusCode: number; body: string }, pattern: RegExp): string {
    expect(created.statusCode).toBe(201);
    const value = pattern.exec(created.body)?.[1];
    expect(value).toBeDefined();
    return value!;
  }

  async function postMultipart(
    session: string,
    url: string,
    fields: Record<string, string>,
    file?: { name: string; bytes: Buffer; type: string },
  ) {
    const form = new FormData();
    form.append('_csrf', csrf.token);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file)
      form.append(
        'evidence',
        new Blob([new Uint8Array(file.bytes)], { type: file.type }),
        file.name,
      );
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    return app.inject({
      method: 'POST',
      url,
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: {
        'content-type': encoded.headers.get('content-type')!,
        cookie: `${session}; ${csrf.cookie}`,
      },
    });
  }

  /** A confirmed request whose brief went to our firm. */
  async function briefToOurFirm(
    request?: ConfirmedRequest,
  ): Promise<{ request: ConfirmedRequest; briefId: string }> {
    const r = request ?? (await confirmedRequest(app.ctx, NOW_SCOPE));
    if (!r.proposed.includes(firm.id)) {
      // Fair rotation varies the three proposed among near-ties; which firm is matched is not
      // what these tests are about, so our firm is made one of the buyer's proposals.
      await app.ctx.db.kysely
        .insertInto('proposals')
        .values({
          id: randomUUID(),
          requestId: r.id,
          firmId: firm.id,
          rank: 4,
          score: 0,
          breakdown: '[]',
          reasons: '[]',
          algorithmVersion: 'test',
          status: 'proposed',
          createdAt: new Date().toISOString(),
        })
        .onConflict((oc) => oc.columns(['requestId', 'firmId']).doUpdateSet({ status: 'proposed' }))
        .execute();
    }
    await sendBriefs(app.ctx, r.id, [firm.id]);
    const brief = await app.ctx.db.kysely
      .selectFrom('briefs')
      .select('id')
      .where('requestId', '=', r.id)
      .where('firmId', '=', firm.id)
      .executeTakeFirstOrThrow();
    return { request: r, briefId: brief.id };
  }

  useApp(t, (built) => (app = built), { config: { rateLimitMultiplier: 100 } });
  beforeAll(async () => {
    // The firm every SOC 2 request of the helpers proposes first.
    const probe = await confirmedRequest(app.ctx, NOW_SCOPE);
    Object.assign(
      firm,
      await app.ctx.db.kysely
        .selectFrom('firms')
        .select(['id', 'slug', 'name'])
        .where('id', '=', probe.proposed[0]!)
        .executeTakeFirstOrThrow(),
    );
    csrf = await formSession(app, '/sign-in');
  });

  describe('accounts', () => {
    it('claims a listed profile with a work email at its domain; the operator approves; the owner signs in', async () => {
      const form = await get(null, `/firm/apply?firm=${firm.slug}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain(html(firm.name));

      const wrongDomain = await post(null, '/firm/apply', {
        kind: 'claim',
        firm: firm.slug,
        name: 'Olive Owner',
        email: 'olive@gmail.example',
      });
      expect(wrongDomain.statusCode).toBe(400);
      expect(wrongDomain.body).toContain(`Use your work email at ${firm.slug}.example.com`);
      const bad = await post(null, '/firm/apply', {
        kind: 'claim',
        firm: 'no-such-firm',
        name: 'O',
        email: 'not-an-email',
      });
      expectAnswer(bad, 400, ['Enter your name', 'Enter a valid work email address']);

      const sent = await post(null, '/firm/apply', {
        kind: 'claim',
        firm: firm.slug,
        name: 'Olive Owner',
        email: ownerEmail(),
      });
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe('/firm/apply/sent');
      const [application] = (await pendingFirmApplications(app.ctx)).filter(
        (a) => a.email === ownerEmail(),
      );
      expect(application).toMatchObject({
        kind: 'claim',
        domainMatches: true,
        firm: { slug: firm.slug, hasOwner: false },
      });

      // Pending: no sign-in link is sent, the same answer as for an unknown address.
      await requestSignIn(app.ctx, ownerEmail());
      expect(
        (await queuedEmails(app)).filter(
          (m) => m.to === ownerEmail() && m.key.startsWith('signin:'),
        ),
      ).toHaveLength(0);

      expect(await approveFirmUser(app.ctx, application!.userId, 'operator')).toEqual({
        firmRole: 'owner',
      });
      const approved = (await queuedEmails(app)).find(
        (m) => m.to === ownerEmail() && m.subject.includes('is open'),
      );
      const session = await useLink(linkIn(approved!.text, '/sign-in/'));
      const home = await get(session, '/firm');
      expectAnswer(home, 200, [html(firm.name), 'Sign out everywhere']);
      owner = application!.userId;
    });

    it('applies for a new firm: pending and invisible until approved and a credential is verified; a rejection removes it', async () => {
      const input = {
        kind: 'new',
        firmName: 'Quillfeather Assurance',
        firmType: 'certification-body',
        website: 'https://quillfeather.example',
        headquarters: 'de',
        name: 'Quinn Q',
        email: 'quinn@quillfeather.example',
      };
      expect(
        (await post(null, '/firm/apply', { ...input, email: 'quinn@other.example' })).statusCode,
      ).toBe(400);
      expect((await post(null, '/firm/apply', input)).statusCode).toBe(303);
      const stored = await app.ctx.db.kysely
        .selectFrom('firms')
        .selectAll()
        .where('name', '=', 'Quillfeather Assurance')
        .executeTakeFirstOrThrow();
      expect(stored.status).toBe('pending');
      expect((await get(null, `/firms/${stored.slug}`)).statusCode).toBe(404);

      const again = {
        ...input,
        firmName: 'Quillfeather Two',
        email: 'quinn2@quillfeather.example',
      };
      expect((await post(null, '/firm/apply', again)).statusCode).toBe(303);
      const apps = await pendingFirmApplications(app.ctx);
      const first = apps.find((a) => a.email === 'quinn@quillfeather.example')!;
      const second = apps.find((a) => a.email === 'quinn2@quillfeather.example')!;
      await approveFirmUser(app.ctx, first.userId, 'operator');
      app.ctx.catalog.invalidate();
      // Approved, yet not listed publicly until the operator has verified one of its credentials.
      expect((await get(null, `/firms/${stored.slug}`)).statusCode).toBe(404);
      for (let page = 1; page <= 5; page++)
        expect((await get(null, `/firms?page=${page}`)).body).not.toContain(
          'Quillfeather Assurance',
        );
      const applicant = firmActor(stored.id, {
        id: first.userId,
        email: first.email,
        name: 'Quinn Q',
      });
      const { id: credentialId } = await addCredential(
        app.ctx,
        applicant,
        CredentialSubmission.parse({
          credential: {
            kind: 'iso-accreditation',
            issuer: 'UKAS',
            identifier: 'QF-1',
            scopeStandards: ['ISO/IEC 27001'],
            schemeStandards: ['ISO/IEC 17021-1', 'ISO/IEC 27006-1'],
            validFrom: '2025-01-01',
            validTo: '2029-01-01',
            evidenceUrl: 'https://quillfeather.example/certificate',
          },
        }),
      );
      app.ctx.catalog.invalidate();
      expect((await get(null, `/firms/${stored.slug}`)).statusCode).toBe(404);
      await decideCredential(app.ctx, { credentialId, decision: 'verify', note: '' }, 'operator');
      app.ctx.catalog.invalidate();
      expect((await get(null, `/firms/${stored.slug}`)).statusCode).toBe(200);
      await rejectFirmApplication(
        app.ctx,
        second.userId,
        'operator',
        'We could not confirm the firm exists.',
      );
      expect(
        await app.ctx.db.kysely
          .selectFrom('firms')
          .select('id')
          .where('name', '=', 'Quillfeather Two')
          .executeTakeFirst(),
      ).toBeUndefined();
      expect(
        (await queuedEmails(app)).some(
          (m) => m.to === 'quinn2@quillfeather.example' && m.text.includes('could not confirm'),
        ),
      ).toBe(true);
    });

    it('lets the owner invite and remove members, who cannot manage the team', async () => {
      const session = await signIn(ownerEmail());
      const outside = await post(session, '/firm/team/invite', { email: 'mia@elsewhere.example' });
      expect(outside.statusCode).toBe(400);
      expect(outside.body).toContain(`Invite an address at ${firm.slug}.example.com`);
      const memberEmail = `mia@${firm.slug}.example.com`;
      expect(
        (await post(session, '/firm/team/invite', { email: memberEmail, name: 'Mia Member' }))
          .statusCode,
      ).toBe(303);
      expect((await post(session, '/firm/team/invite', { email: memberEmail })).statusCode).toBe(
        409,
      );

      const invitation = (await queuedEmails(app)).find((m) => m.to === memberEmail);
      expect(invitation?.subject).toContain(`invited to ${firm.name}`);
      const member = await useLink(linkIn(invitation!.text, '/sign-in/'));
      expect((await get(member, '/firm/leads')).statusCode).toBe(200);
      expect((await get(member, '/firm/team')).statusCode).toBe(403);
      expect(
        (await post(member, '/firm/team/invite', { email: `x@${firm.slug}.example.com` }))
          .statusCode,
      ).toBe(403);

      const memberId = (
        await app.ctx.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', memberEmail)
          .executeTakeFirstOrThrow()
      ).id;
      expect((await post(session, `/firm/team/${owner}/remove`, {})).statusCode).toBe(409);
      expect((await post(session, `/firm/team/${memberId}/remove`, {})).statusCode).toBe(303);
      const after = await get(member, '/firm/leads');
      expect(after.statusCode).toBe(303);
      expect(after.headers.location).toContain('/sign-in');
    });

    it('signs a firm user out everywhere', async () => {
      const first = await signIn(ownerEmail());
      const second = await signIn(ownerEmail());
      expect((await post(first, '/sign-out/everywhere', {})).statusCode).toBe(303);
      expect((await get(second, '/firm')).statusCode).toBe(303);
    });
  });

  describe('profile and credentials', () => {
    let session = '';
    beforeAll(async () => {
      session = await signIn(ownerEmail());
    });

    it('edits services, prices, capacity and pauses with the import schema, and the public profile follows', async () => {
      const page = await get(session, '/firm/profile');
      expect(page.statusCode).toBe(200);
      const value = (name: string) =>
        new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.body)?.[1] ?? '';
      const checked = (name: string) =>
        [...page.body.matchAll(new RegExp(`name="${name}" value="([^"]+)" checked`, 'g'))].map(
          (m) => m[1]!,
        );
      const fields: Record<string, string | string[]> = {
        description: 'We audit SOC 2 for software companies, plainly and on time.',
        website: value('website'),
        headquarters: value('headquarters'),
        bookingUrl: value('bookingUrl'),
        leadEmail: value('leadEmail'),
        languages: value('languages'),
        regions: checked('regions'),
        industries: checked('industries'),
        stages: checked('stages'),
        offer: ['soc2'],
        variants_soc2: ['type1', 'type2'],
        'min_soc2_11-50': '19000',
        'max_soc2_11-50': '33000',
        lead_soc2: '4',
        capacity_soc2: '7',
        paused_soc2: 'yes',
        until_soc2: '2027-01-31',
      };
      const versionBefore = await app.ctx.db.kysely
        .selectFrom('appState')
        .select('value')
        .where('key', '=', 'catalog_version')
        .executeTakeFirstOrThrow();

      const invalid = await post(session, '/firm/profile', {
        ...fields,
        'max_soc2_11-50': '9000',
        regions: ['mars'],
        variants_soc2: 'type9',
        until_soc2: 'soon',
      });
      expectAnswer(invalid, 400, [
        'Must be at least minUsd (19000)',
        'Must be one of: north-america',
        '&quot;type9&quot; is not a soc2 variant',
        'Must be a real date written YYYY-MM-DD',
        'id="f-max_soc2_11-50-error"',
      ]);

      const saved = await post(session, '/firm/profile', fields);
      expect(saved.statusCode).toBe(303);
      const versionAfter = await app.ctx.db.kysely
        .selectFrom('appState')
        .select('value')
        .where('key', '=', 'catalog_version')
        .executeTakeFirstOrThrow();
      expect(Number(versionAfter.value)).toBeGreaterThan(Number(versionBefore.value));
      const services = await firmRows('firmServices');
      expect(services.map((s) => s.framework)).toEqual(['soc2']);
      expect(services[0]).toMatchObject({
        leadTimeWeeks: 4,
        monthlyCapacity: 7,
        paused: 1,
        pausedUntil: '2027-01-31',
      });
      expect(JSON.parse(services[0]!.priceRanges)).toEqual([
        { sizeBand: '11-50', minUsd: 19000, maxUsd: 33000 },
      ]);

      const preview = await get(session, '/firm/profile/preview');
      expect(preview.body).toContain('Paused until 2027-01-31');
      const pub = await get(null, `/firms/${firm.slug}`);
      expect(pub.body).toContain('plainly and on time');

      // Taking the pause off again, so the firm is matched in the tests that follow.
      const resumed = await post(session, '/firm/profile', {
        ...fields,
        paused_soc2: '',
        until_soc2: '',
        capacity_soc2: '50',
      });
      expect(resumed.statusCode).toBe(303);
    });

    it('adds a credential with a PDF or a link as pending, and refuses anything that is not a PDF', async () => {
      const fields = {
        kind: 'aicpa-peer-review',
        issuer: 'AICPA Peer Review Program',
        identifier: `PR-${Date.now()}`,
        validFrom: '2026-01-01',
        validTo: '2029-01-01',
      };
      const uploaded = await postMultipart(
        session,
        '/firm/credentials',
        { ...fields, verification: 'verified' },
        { name: 'review.pdf', bytes: PDF, type: 'application/pdf' },
      );
      expect(uploaded.statusCode).toBe(303);
      const stored = await app.ctx.db.kysely
        .selectFrom('credentials')
        .selectAll()
        .where('identifier', '=', fields.identifier)
        .executeTakeFirstOrThrow();
      expect(stored.verification).toBe('pending');
      expect(stored.evidenceFile).toMatch(/^[0-9a-f]{32}\.pdf$/);
      expect(existsSync(join(app.ctx.config.dataDir, 'evidence', stored.evidenceFile!))).toBe(true);
      const download = await get(session, `/firm/credentials/${stored.id}/evidence`);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

      const page = await get(session, '/firm/credentials');
      expect(page.body).toContain('Awaiting verification by Auditmatch');

      // Another credential like the first, under its own identifier, with this file (or none).
      const postCredential = (
        identifier: string,
        file?: { name: string; bytes: Buffer },
        extra: Record<string, string> = {},
      ) =>
        postMultipart(
          session,
          '/firm/credentials',
          { ...fields, identifier, ...extra },
          file && { ...file, type: 'application/pdf' },
        );
      const fake = await postCredential('PR-FAKE', {
        name: 'review.pdf',
        bytes: Buffer.from('<html>not a pdf</html>'),
      });
      expect(fake.statusCode).toBe(400);
      expect(fake.body).toContain('The file is not a PDF');
      const huge = await postCredential('PR-HUGE', {
        name: 'big.pdf',
        bytes: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]),
      });
      expect(huge.statusCode).toBe(413);
      const none = await postCredential('PR-NONE');
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('Upload the evidence as a PDF');
      const wrongKind = await postCredential('PR-ISO', undefined, {
        kind: 'iso-accreditation',
        evidenceUrl: 'https://anab.example/directory/1',
      });
      expect([400]).toContain(wrongKind.statusCode);
      for (const id of ['PR-FAKE', 'PR-HUGE', 'PR-NONE']) {
        expect(
          await app.ctx.db.kysely
            .selectFrom('credentials')
            .select('id')
            .where('identifier', '=', id)
            .executeTakeFirst(),
        ).toBeUndefined();
      }

      const linked = await postMultipart(session, '/firm/credentials', {
        ...fields,
        identifier: 'PR-LINK',
        evidenceUrl: 'https://peerreview.example/firms/123',
      });
      expect(linked.statusCode).toBe(303);

      // Expired and revoked credentials say so.
      await app.ctx.db.kysely
        .updateTable('credentials')
        .set({ verification: 'verified', validTo: '2020-12-31', validFrom: '2018-01-01' })
        .where('identifier', '=', 'PR-LINK')
        .execute();
      await app.ctx.db.kysely
        .updateTable('credentials')
        .set({ verification: 'revoked' })
        .where('identifier', '=', fields.identifier)
        .execute();
      const states = await get(session, '/firm/credentials');
      expect(states.body).toContain('Expired: no longer counts for matching');
      expect(states.body).toContain('Revoked: no longer counts for matching');
    });
  });

  describe('leads, quotes and integrations', () => {
    let session = '';
    beforeAll(async () => {
      session = await signIn(ownerEmail());
    });

    it('accepts and declines from the inbox with the same service as the email link', async () => {
      const { briefId: toAccept, request } = await briefToOurFirm();
      const { briefId: toDecline } = await briefToOurFirm();
      const inbox = await get(session, '/firm/leads');
      expect(inbox.body).toContain(toAccept);
      expect(inbox.body).toContain('Waiting for your answer');

      const bad = await post(session, `/firm/leads/${toDecline}/answer`, {
        action: 'decline',
        reason: 'bored',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Choose a reason for declining');
      expect(
        (
          await post(session, `/firm/leads/${toDecline}/answer`, {
            action: 'decline',
            reason: 'no-capacity',
          })
        ).statusCode,
      ).toBe(303);
      expect(
        (await post(session, `/firm/leads/${toDecline}/answer`, { action: 'accept' })).statusCode,
      ).toBe(409);

      const accepted = await post(session, `/firm/leads/${toAccept}/answer`, { action: 'accept' });
      expect(accepted.statusCode).toBe(303);
      // Accepting commits the firm to quote and opens the scope sheet — not the buyer's details.
      const lead = await get(session, accepted.headers.location as string);
      expect(lead.body).not.toContain(request.email);
      expect(lead.body).toContain('Scope sheet');
      expect(lead.body).toContain('Write the quote');
      const emails = await queuedEmails(app);
      const commitment = emails.find(
        (e) => e.key === `req:${request.id}:brief:${toAccept}:accepted`,
      );
      const { leadEmail } = await storedRow(app.ctx.db.kysely, 'firms', firm.id);
      expect(commitment?.to).toBe(leadEmail);
      expect(commitment?.text).toContain('/b/');
      expect(JSON.stringify(emails.filter((e) => e.to === leadEmail))).not.toContain(request.email);
      const audit = await app.ctx.db.kysely
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'brief.accepted')
        .where('subjectId', '=', toAccept)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail!)).toMatchObject({ via: 'firm-user' });
      // When the buyer shares its details, the lead shows them.
      expect(
        (await post(null, `/r/${request.accessToken}/briefs/${toAccept}/share`, {})).statusCode,
      ).toBe(303);
      expect((await get(session, `/firm/leads/${toAccept}`)).body).toContain(request.email);
    });

    it('submits an itemised quote, replaces it, and the buyer compares and chooses one', async () => {
      const { briefId, request } = await briefToOurFirm();
      expect((await get(session, `/firm/leads/${briefId}/quote`)).statusCode).toBe(409);
      await post(session, `/firm/leads/${briefId}/answer`, { action: 'accept' });
      const form = await get(session, `/firm/leads/${briefId}/quote`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('name="fee_soc2_type2"');
      expect(form.body).not.toContain('fee_soc2_stage1-stage2');

      const invalid = await post(session, `/firm/leads/${briefId}/quote`, {
        fee_soc2_type2: 'lots',
        startDate: '2027-03-01',
        reportDate: '2027-01-01',
        validUntil: '2027-02-01',
      });
      expectAnswer(invalid, 400, [
        'Enter the fee in whole US dollars',
        'Must not be before the start date',
      ]);
      const empty = await post(session, `/firm/leads/${briefId}/quote`, {
        startDate: '2027-01-01',
        reportDate: '2027-08-01',
        validUntil: '2027-02-01',
      });
      expect(empty.body).toContain('Enter a fee for at least one phase');

      const quote = {
        fee_soc2_readiness: '6000',
        fee_soc2_type2: '$28,500',
        startDate: '2027-01-11',
        reportDate: '2027-08-30',
        validUntil: '2027-02-28',
        assumptions: 'Remote fieldwork.\nOne AWS account.',
      };
      expect((await post(session, `/firm/leads/${briefId}/quote`, quote)).statusCode).toBe(303);
      expect(
        (await post(session, `/firm/leads/${briefId}/quote`, { ...quote, fee_soc2_type2: '27500' }))
          .statusCode,
      ).toBe(303);
      const quotes = await app.ctx.db.kysely
        .selectFrom('quotes')
        .selectAll()
        .where('briefId', '=', briefId)
        .orderBy('createdAt')
        .execute();
      expect(quotes.map((q) => q.status).sort()).toEqual(['submitted', 'withdrawn']);
      const live = quotes.find((q) => q.status === 'submitted')!;
      // The year-one audit (readiness is optional advice, shown apart).
      expect(live.totalUsd).toBe(27_500);

      const buyerPage = await get(null, `/r/${request.accessToken}`);
      expect(buyerPage.body).toContain('Quotes side by side');
      expect(buyerPage.body).toContain(html(firm.name));
      expect(buyerPage.body).toContain('$27,500');
      expect(buyerPage.body).toContain('$6,000');
      expect(buyerPage.body).toContain('SOC 2 Type 2: Type II report');
      expect(buyerPage.body).toContain(`/quotes/${live.id}/choose`);

      const wrongRequest = await confirmedRequest(app.ctx, NOW_SCOPE);
      expect(
        (await post(null, `/r/${wrongRequest.accessToken}/quotes/${live.id}/choose`, {}))
          .statusCode,
      ).toBe(404);
      expect(
        (await post(null, `/r/${request.accessToken}/quotes/${live.id}/choose`, {})).statusCode,
      ).toBe(303);
      expect(
        (
          await app.ctx.db.kysely
            .selectFrom('quotes')
            .select('status')
            .where('id', '=', live.id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('chosen');
      expect((await get(null, `/r/${request.accessToken}`)).body).toContain(
        '<strong>Your choice</strong>',
      );
      expect((await queuedEmails(app)).some((e) => e.subject === 'A buyer chose your quote')).toBe(
        true,
      );
      expect((await post(session, `/firm/leads/${briefId}/quote`, quote)).statusCode).toBe(409);
    });

    it('exports leads as CSV with formula cells defused and contact only for accepted leads', async () => {
      const email = buyerEmail('csv');
      const { id } = await submitRequest(app.ctx, {
        scope: NOW_SCOPE.scope,
        contact: { name: '=HYPERLINK("http://evil.example")', email, company: '+Evil Corp' },
        consent: true,
      });
      const accessToken = await confirmByToken(app.ctx, await confirmationToken(app.ctx, id));
      const proposals = await app.ctx.db.kysely
        .selectFrom('proposals')
        .select('firmId')
        .where('requestId', '=', id)
        .execute();
      const { briefId } = await briefToOurFirm({
        id,
        email,
        reference: '',
        accessToken,
        proposed: proposals.map((p) => p.firmId),
      });
      await post(session, `/firm/leads/${briefId}/answer`, { action: 'accept' });
      await post(null, `/r/${accessToken}/briefs/${briefId}/share`, {});

      const csv = await get(session, '/firm/leads.csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(
        /^attachment; filename="auditmatch-leads-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = csv.body.trim().split('\r\n');
      expect(lines[0]).toContain('Contact email');
      const row = lines.find((l) => l.startsWith(briefId))!;
      expect(row).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
      expect(row).toContain("'+Evil Corp");
      expect(row).toContain(email);
      expect(lines.every((l) => !/(^|,)[=+@-]/.test(l))).toBe(true);
    });

    it('issues API keys shown once, serves leads as JSON, and refuses missing and revoked keys with 401', async () => {
      const created = await post(session, '/firm/integrations/keys', { label: 'CRM sync' });
      const key = shownOnce(created, /value="(amk_[A-Za-z0-9_-]+)"/);
      const stored = await firmRows('apiKeys');
      expect(JSON.stringify(stored)).not.toContain(key!);
      expect((await get(session, '/firm/integrations')).body).not.toContain(key!);

      const ok = await app.inject({
        method: 'GET',
        url: '/api/v1/leads?status=accepted',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(ok.statusCode).toBe(200);
      const { leads } = ok.json() as {
        leads: { id: string; status: string; contact: { email: string } | null }[];
      };
      expect(leads.length).toBeGreaterThan(0);
      expect(leads.every((l) => l.status === 'accepted')).toBe(true);
      expect(leads.some((l) => l.contact?.email)).toBe(true);
      const logged = await app.ctx.db.kysely
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'contact.viewed')
        .where('actorKind', '=', 'api-key')
        .execute();
      expect(logged.length).toBeGreaterThan(0);

      const badQuery = await app.inject({
        method: 'GET',
        url: '/api/v1/leads?status=everything',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(badQuery.statusCode).toBe(400);
      for (const headers of [
        {},
        { authorization: 'Bearer amk_nope' },
        { authorization: `Basic ${key}` },
      ]) {
        const refused = await app.inject({ method: 'GET', url: '/api/v1/leads', headers });
        expect(refused.statusCode).toBe(401);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.headers['www-authenticate']).toContain('Bearer');
      }

      expect(
        (await post(session, `/firm/integrations/keys/${stored[0]!.id}/revoke`, {})).statusCode,
      ).toBe(303);
      const revoked = await app.inject({
        method: 'GET',
        url: '/api/v1/leads',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json()).toMatchObject({ status: 401, title: 'Sign-in required' });
    });

    it('registers webhooks with a secret shown once, https only (loopback http outside production)', async () => {
      const privateHost = await post(session, '/firm/integrations/webhooks', {
        url: 'https://10.0.0.7/hook',
        events: ['lead.accepted'],
      });
      expect(privateHost.statusCode).toBe(400);
      expect(privateHost.body).toContain('Must be a public address');
      const plain = await post(session, '/firm/integrations/webhooks', {
        url: 'http://crm.example/hook',
        events: ['lead.accepted'],
      });
      expect(plain.body).toContain('Must start with https://');
      const noEvents = await post(session, '/firm/integrations/webhooks', {
        url: 'https://crm.example/hook',
      });
      expect(noEvents.body).toContain('Choose at least one event');

      const created = await post(session, '/firm/integrations/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        events: ['brief.received', 'quote.chosen'],
      });
      const secret = shownOnce(created, /value="(whsec_[A-Za-z0-9+/=]+)"/);
      const [endpoint] = await firmRows('webhookEndpoints');
      if (!endpoint) throw new Error('no webhook endpoint stored');
      expect(endpoint.secretEnc).not.toContain(secret!.slice(6));
      expect(app.ctx.secrets.decrypt(endpoint.secretEnc)).toBe(secret);

      // A brief to the firm now queues a brief.received event in the same transaction.
      const { briefId } = await briefToOurFirm();
      const events = await app.ctx.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('channel', '=', 'webhook')
        .execute();
      const received = events.find((e) => e.idempotencyKey.includes(briefId));
      expect(received?.idempotencyKey).toMatch(/:webhook:.+:brief\.received$/);
      const body = JSON.parse(JSON.parse(received!.payload).body);
      expect(body).toMatchObject({ type: 'brief.received', data: { briefId } });
      expect(JSON.stringify(body)).not.toMatch(/@buyer\.example/);

      expect(
        (await post(session, `/firm/integrations/webhooks/${endpoint.id}/remove`, {})).statusCode,
      ).toBe(303);
    });
  });
});
