import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/services/auth';
import type { ServiceContext } from '../../src/services/context';
import { emailMatchesDomain, websiteDomain } from '../../src/domain/domain-signal';
import {
  changeMemberRole,
  inviteMember,
  submitApplication,
  teamOf,
} from '../../src/services/firm/accounts';
import { firmProfile, toProfileRecord, updateProfile } from '../../src/services/firm/profile';
import { FirmRecord } from '../../src/services/firm-import/record';
import { decideWebsiteChange } from '../../src/services/admin/website-changes';
import { pendingWebsiteOf } from '../../src/services/firm/website-changes';
import { describeEachEngine } from '../helpers/databases';
import { seededContext, TestClock } from '../helpers/requests';
import { storedFirmUser } from '../helpers/users';

/** What the operator relies on to trust a firm's account: its domain, and a record of changes. */

describe('the domain signal', () => {
  it('compares the whole host and gives no signal for shared hosts, pages under a path or free mail', () => {
    expect(websiteDomain('https://www.acme-audit.com/')).toBe('acme-audit.com');
    expect(emailMatchesDomain('jo@acme-audit.com', 'acme-audit.com')).toBe(true);
    expect(emailMatchesDomain('jo@mail.acme-audit.com', 'acme-audit.com')).toBe(true);
    expect(emailMatchesDomain('jo@notacme-audit.com', 'acme-audit.com')).toBe(false);
    // Every firm with a page on one shared host used to match every other.
    expect(websiteDomain('https://sites.google.com/view/acme-audit')).toBeNull();
    expect(websiteDomain('https://acme.wixsite.com/audit')).toBeNull();
    expect(websiteDomain('https://hosting.example/firms/acme')).toBeNull();
    expect(websiteDomain('https://gmail.com')).toBeNull();
    expect(emailMatchesDomain('jo@gmail.com', 'gmail.com')).toBe(false);
  });
});

describeEachEngine('firm trust', (t) => {
  const clock = new TestClock();
  let ctx: ServiceContext;
  let owner: SessionUser;

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    const firm = await ctx.db.kysely
      .selectFrom('firms')
      .select(['id', 'slug'])
      .where('status', '=', 'active')
      .where('website', 'is not', null)
      .executeTakeFirstOrThrow();
    const email = `owner@${websiteDomain((await firmProfile(ctx, firm.id)).firm.website)}`;
    owner = await storedFirmUser(ctx, firm.id, { email });
  });

  it('refuses a new firm whose website is a free-mail provider or a shared host', async () => {
    const base = {
      kind: 'new' as const,
      firmName: 'Gmail Audit Co',
      firmType: 'cpa-firm' as const,
      headquarters: 'US' as const,
      name: 'Sam Spoof',
      note: '',
    };
    for (const [website, email] of [
      ['https://gmail.com', 'sam@gmail.com'],
      ['https://sam.wixsite.com', 'sam@sam.wixsite.com'],
      ['https://hosting.example/sam', 'sam@hosting.example'],
    ] as const) {
      await expect(
        submitApplication(ctx, { ...base, website, email }),
        website,
      ).rejects.toMatchObject({ status: 400, field: 'website' });
    }
    expect(
      await ctx.db.kysely
        .selectFrom('firms')
        .select('id')
        .where('name', '=', 'Gmail Audit Co')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('records a website change with both addresses, and an invited address, in the audit log', async () => {
    const profile = await firmProfile(ctx, owner.firmId!);
    const before = profile.firm.website;
    const record = FirmRecord.parse({
      ...toProfileRecord(profile),
      website: 'https://elsewhere.example',
    });
    await updateProfile(ctx, owner, record);
    // The firm is approved: the change waits for the operator (test/security/website-review.test.ts).
    const waiting = await pendingWebsiteOf(ctx.db.kysely, owner.firmId!);
    await decideWebsiteChange(
      ctx,
      { changeId: waiting!.id, decision: 'approve', note: '' },
      randomUUID(),
    );
    const change = await ctx.db.kysely
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'firm.website-changed')
      .where('subjectId', '=', owner.firmId!)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(change.detail ?? 'null')).toEqual({
      from: before,
      to: 'https://elsewhere.example',
    });
    // Saving again without a change writes no second entry.
    await updateProfile(ctx, owner, record);
    expect(
      await ctx.db.kysely
        .selectFrom('auditLog')
        .select('id')
        .where('action', '=', 'firm.website-changed')
        .where('subjectId', '=', owner.firmId!)
        .execute(),
    ).toHaveLength(1);

    await inviteMember(ctx, owner, { email: 'mia@elsewhere.example', name: 'Mia' });
    const invited = await ctx.db.kysely
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'team.invited')
      .where('actorId', '=', owner.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(invited.detail ?? 'null')).toMatchObject({ email: 'mia@elsewhere.example' });
  });

  it('lets an owner promote a member and hand over ownership, never leaving the firm without an owner', async () => {
    const { userId } = await inviteMember(ctx, owner, {
      email: `new-owner@${websiteDomain((await firmProfile(ctx, owner.firmId!)).firm.website)}`,
      name: 'Nia',
    });
    const roles = async () =>
      Object.fromEntries((await teamOf(ctx, owner.firmId!)).map((m) => [m.id, m.firmRole]));
    // The only owner cannot step down.
    await expect(changeMemberRole(ctx, owner, owner.id, 'member')).rejects.toMatchObject({
      status: 409,
    });
    const member = { ...owner, id: userId, firmRole: 'member' as const };
    await expect(changeMemberRole(ctx, member, owner.id, 'member')).rejects.toMatchObject({
      status: 403,
    });
    await changeMemberRole(ctx, owner, userId, 'owner');
    await changeMemberRole(ctx, owner, owner.id, 'member');
    const after = await roles();
    expect(after[userId]).toBe('owner');
    expect(after[owner.id]).toBe('member');
    const actions = (
      await ctx.db.kysely
        .selectFrom('auditLog')
        .select('action')
        .where('actorId', '=', owner.id)
        .execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['team.promoted', 'team.demoted']));
    await expect(changeMemberRole(ctx, owner, randomUUID(), 'owner')).rejects.toMatchObject({
      status: 404,
    });
  });
});
