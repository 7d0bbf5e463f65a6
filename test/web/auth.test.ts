import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createAdmin } from '../../src/services/auth';
import { linkIn, postForm, queuedEmails, useApp } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';

describeEachEngine('sign-in by email link', (t) => {
  let app: FastifyInstance;
  let clock = new Date('2026-11-28T10:00:00Z');
  useApp(t, (built) => (app = built), { now: () => clock });
  beforeAll(async () => {
    await createAdmin(app.ctx, 'ops@auditmatch.example');
  });

  const post = (url: string, body: Record<string, string>, from = '/sign-in') =>
    postForm(app, url, body, { formPage: from });

  it('sends a link only to known accounts, with the same answer for unknown ones', async () => {
    const known = await post('/sign-in', { email: 'OPS@auditmatch.example' });
    const unknown = await post('/sign-in', { email: 'nobody@auditmatch.example' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(known.body).toContain('If this address has an Auditmatch account');
    expect(unknown.body).toContain('If this address has an Auditmatch account');
    const mails = (await queuedEmails(app)).filter((m) => m.key.startsWith('signin:'));
    expect(mails.map((m) => m.to)).toEqual(['ops@auditmatch.example']);
  });

  it('signs in once per link, sets a hardened cookie, and refuses reused, expired and forged links', async () => {
    const [mail] = (await queuedEmails(app)).filter((m) => m.key.startsWith('signin:'));
    const path = linkIn(mail!.text, '/sign-in/');
    expect((await app.inject(path)).statusCode).toBe(200);
    const signedIn = await post(path, {}, path);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/admin');
    const cookie = signedIn.cookies.find((c) => c.name === 'am_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect((await post(path, {}, path)).statusCode).toBe(410);
    expect(
      (await post('/sign-in/forgedforgedforgedforgedforgedforgedforged12', {}, path)).statusCode,
    ).toBe(410);

    await post('/sign-in', { email: 'ops@auditmatch.example' });
    const [, second] = (await queuedEmails(app)).filter((m) => m.key.startsWith('signin:'));
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await post(linkIn(second!.text, '/sign-in/'), {}, path)).statusCode).toBe(410);
  });
});
