import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { bumpCatalogVersion } from '../../db/firms';
import { emailMatchesDomain, websiteDomain } from '../../domain/domain-signal';
import type { Database } from '../../db/schema';
import { queueEmail } from '../../outbox/queue';
import { audit } from '../audit';
import { type FirmRole, issueSignInLink, type SessionUser, userByEmail } from '../auth';
import { type ServiceContext, ServiceError } from '../context';
import { decide, found } from '../decisions';
import {
  applicationApprovedEmail,
  applicationReceivedEmail,
  applicationRejectedEmail,
  invitationEmail,
} from './emails';
import type { ApplicationInput, InviteInput } from './schemas';
import type { FirmApplicationsTable } from '../../db/schema';

/**
 * Firm accounts: applications to claim or create a profile (approved by the operator), and the
 * team an owner manages. A pending applicant has an account that cannot sign in
 * (`disabledAt` set) until `approveFirmUser`.
 */

export type ApplicationKind = 'claim' | 'new';

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : `firm-${slug || randomUUID().slice(0, 8)}`;
}

/** A user account at a firm: an applicant (disabled until approved) or an invited member. */
async function addFirmUser(
  trx: Kysely<Database>,
  firmId: string,
  person: { email: string; name?: string },
  standing: { firmRole: FirmRole | null; disabledAt: string | null },
  at: string,
): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('users')
    .values({
      id,
      email: person.email,
      name: person.name || null,
      role: 'firm',
      firmId,
      ...standing,
      createdAt: at,
    })
    .execute();
  return id;
}

/**
 * Applies to manage a listed firm ("claim") or a firm not yet listed ("new"). The email must be
 * at the firm website's domain. An address that already has an account gets the same answer and
 * nothing changes, so the form cannot be used to find accounts.
 */
export async function submitApplication(
  ctx: ServiceContext,
  input: ApplicationInput,
): Promise<{ firmName: string }> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    let firm: { id: string; name: string; website: string | null };
    let createdFirm = false;
    if (input.kind === 'claim') {
      const listed = await trx
        .selectFrom('firms')
        .select(['id', 'name', 'website', 'status'])
        .where('slug', '=', input.firm)
        .executeTakeFirst();
      if (!listed || listed.status === 'pending')
        throw new ServiceError(400, 'Choose your firm from the list.', 'firm');
      const domain = websiteDomain(listed.website);
      if (domain && !emailMatchesDomain(input.email, domain)) {
        throw new ServiceError(
          400,
          `Use your work email at ${domain}, the domain of ${listed.name}'s website.`,
          'email',
        );
      }
      firm = listed;
    } else {
      const domain = websiteDomain(input.website);
      if (!domain) {
        throw new ServiceError(
          400,
          "Enter your firm's own website (https://yourfirm.com): not a page on a shared host or a free email provider's site.",
          'website',
        );
      }
      if (!emailMatchesDomain(input.email, domain)) {
        throw new ServiceError(
          400,
          `Use your work email at ${domain}, the domain of the website you entered.`,
          'email',
        );
      }
      firm = { id: randomUUID(), name: input.firmName, website: input.website };
    }

    const existing = await userByEmail(trx, input.email);
    if (existing) return { firmName: firm.name, created: false };

    if (input.kind === 'new') {
      const base = slugify(input.firmName);
      const taken = new Set(
        (
          await trx.selectFrom('firms').select('slug').where('slug', 'like', `${base}%`).execute()
        ).map((r) => r.slug),
      );
      let slug = base;
      for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
      await trx
        .insertInto('firms')
        .values({
          id: firm.id,
          slug,
          name: input.firmName,
          firmType: input.firmType,
          // Pending firms appear nowhere public and are never matched.
          status: 'pending',
          demo: 0,
          website: input.website,
          description: '',
          headquarters: input.headquarters,
          regions: '[]',
          languages: '[]',
          industries: '[]',
          stages: '[]',
          aiSpecialism: 0,
          bookingUrl: null,
          leadEmail: null,
          consultancyLinks: '[]',
          plan: 'free',
          statusReason: 'Applied through the firm workspace',
          reviewMean: null,
          medianResponseHours: null,
          createdAt: at,
          updatedAt: at,
        })
        .execute();
      await bumpCatalogVersion(trx);
      createdFirm = true;
    }

    // Disabled until the operator approves the application.
    const userId = await addFirmUser(trx, firm.id, input, { firmRole: null, disabledAt: at }, at);
    const applicationId = randomUUID();
    await trx
      .insertInto('firmApplications')
      .values({
        id: applicationId,
        userId,
        firmId: firm.id,
        kind: input.kind,
        email: input.email,
        applicantName: input.name,
        note: input.note,
        domainMatches: emailMatchesDomain(input.email, websiteDomain(firm.website)) ? 1 : 0,
        status: 'pending',
        createdAt: at,
        decidedAt: null,
        decidedBy: null,
        decisionReason: null,
      })
      .execute();
    await queueEmail(
      trx,
      ctx.secrets,
      `firm-application:${applicationId}:received`,
      applicationReceivedEmail(input.email, input.name, firm.name),
      now,
    );
    await audit(trx, now, {
      actorKind: 'system',
      action: 'firm.applied',
      subjectKind: 'firm',
      subjectId: firm.id,
      detail: { applicationId, kind: input.kind, userId },
    });
    return { firmName: firm.name, created: createdFirm };
  });
  if (result.created) ctx.catalog.invalidate();
  return { firmName: result.firmName };
}

export interface FirmApplicationView {
  id: string;
  userId: string;
  kind: ApplicationKind;
  email: string;
  applicantName: string;
  note: string;
  domainMatches: boolean;
  createdAt: string;
  firm: {
    id: string;
    slug: string;
    name: string;
    website: string | null;
    status: string;
    hasOwner: boolean;
  };
}

/** Applications waiting for the operator, oldest first (for the operator console). */
/** The most applications the console lists at once, the longest waiting first. */
export const APPLICATION_LIST_LIMIT = 100;

export async function pendingFirmApplications(ctx: ServiceContext): Promise<FirmApplicationView[]> {
  const rows = await ctx.db.kysely
    .selectFrom('firmApplications')
    .innerJoin('firms', 'firms.id', 'firmApplications.firmId')
    .select([
      'firmApplications.id',
      'firmApplications.userId',
      'firmApplications.kind',
      'firmApplications.email',
      'firmApplications.applicantName',
      'firmApplications.note',
      'firmApplications.domainMatches',
      'firmApplications.createdAt',
      'firms.id as firmId',
      'firms.slug',
      'firms.name',
      'firms.website',
      'firms.status as firmStatus',
    ])
    .where('firmApplications.status', '=', 'pending')
    .where('firmApplications.userId', 'is not', null)
    .orderBy('firmApplications.createdAt')
    .orderBy('firmApplications.id')
    .limit(APPLICATION_LIST_LIMIT)
    .execute();
  if (rows.length === 0) return [];
  // Only the owners of these firms: reading every owner cost 16 ms at 10,000 firms with no
  // application waiting.
  const owners = new Set(
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('firmId')
        .where('firmRole', '=', 'owner')
        .where('disabledAt', 'is', null)
        .where(
          'firmId',
          'in',
          rows.map((r) => r.firmId),
        )
        .execute()
    ).map((u) => u.firmId),
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId!,
    kind: r.kind as ApplicationKind,
    email: r.email,
    applicantName: r.applicantName,
    note: r.note,
    domainMatches: r.domainMatches === 1,
    createdAt: r.createdAt,
    firm: {
      id: r.firmId,
      slug: r.slug,
      name: r.name,
      website: r.website,
      status: r.firmStatus,
      hasOwner: owners.has(r.firmId),
    },
  }));
}

/** The account's application awaiting the operator, with the firm it names; refused when there is none. */
async function pendingApplication(trx: Kysely<Database>, userId: string) {
  const application = await trx
    .selectFrom('firmApplications')
    .selectAll()
    .where('userId', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!application?.firmId)
    throw new ServiceError(404, 'There is no pending application for this account.');
  const firm = await trx
    .selectFrom('firms')
    .select(['id', 'name', 'status'])
    .where('id', '=', application.firmId)
    .executeTakeFirstOrThrow();
  return {
    application: application as FirmApplicationsTable & { firmId: string; userId: string },
    firm,
  };
}

/**
 * The operator approves an applicant: the account can sign in, as the firm's owner when it has
 * none yet (otherwise as a member the owner can promote by re-inviting), and a firm created by
 * the application becomes active. Matching still needs verified credentials and services.
 */
export async function approveFirmUser(
  ctx: ServiceContext,
  userId: string,
  adminId: string,
): Promise<{ firmRole: 'owner' | 'member' }> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const { application, firm } = await pendingApplication(trx, userId);
    const owner = await trx
      .selectFrom('users')
      .select('id')
      .where('firmId', '=', firm.id)
      .where('firmRole', '=', 'owner')
      .where('disabledAt', 'is', null)
      .executeTakeFirst();
    const firmRole = owner ? ('member' as const) : ('owner' as const);
    await trx
      .updateTable('users')
      .set({ disabledAt: null, firmRole })
      .where('id', '=', userId)
      .execute();
    await trx
      .updateTable('firmApplications')
      .set({ status: 'approved', decidedAt: at, decidedBy: adminId })
      .where('id', '=', application.id)
      .execute();
    let activated = false;
    if (application.kind === 'new' && firm.status === 'pending') {
      await trx
        .updateTable('firms')
        .set({ status: 'active', statusReason: null, updatedAt: at })
        .where('id', '=', firm.id)
        .execute();
      await bumpCatalogVersion(trx);
      activated = true;
    }
    const { link } = await issueSignInLink(trx, ctx, application.email, now);
    await queueEmail(
      trx,
      ctx.secrets,
      `firm-application:${application.id}:approved`,
      applicationApprovedEmail(
        application.email,
        firm.name,
        link,
        `${ctx.config.publicUrl}/sign-in`,
      ),
      now,
    );
    await audit(trx, now, {
      actorKind: 'admin',
      actorId: adminId,
      action: 'firm-user.approved',
      subjectKind: 'user',
      subjectId: userId,
      detail: {
        firmId: firm.id,
        firmRole,
        applicationId: application.id,
        firmActivated: activated,
      },
    });
    return { firmRole, activated };
  });
  if (result.activated) ctx.catalog.invalidate();
  return { firmRole: result.firmRole };
}

/** The operator turns an application down: the pending account is deleted, and so is a firm it created. */
export async function rejectFirmApplication(
  ctx: ServiceContext,
  userId: string,
  adminId: string,
  reason: string,
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  const removedFirm = await ctx.db.kysely.transaction().execute(async (trx) => {
    const { application, firm } = await pendingApplication(trx, userId);
    await trx
      .updateTable('firmApplications')
      .set({ status: 'rejected', decidedAt: at, decidedBy: adminId, decisionReason: reason })
      .where('id', '=', application.id)
      .execute();
    await trx
      .deleteFrom('users')
      .where('id', '=', userId)
      .where('disabledAt', 'is not', null)
      .execute();
    let removed = false;
    if (application.kind === 'new' && firm.status === 'pending') {
      await trx.deleteFrom('firms').where('id', '=', firm.id).execute();
      await bumpCatalogVersion(trx);
      removed = true;
    }
    await queueEmail(
      trx,
      ctx.secrets,
      `firm-application:${application.id}:rejected`,
      applicationRejectedEmail(application.email, firm.name, reason),
      now,
    );
    await audit(trx, now, {
      actorKind: 'admin',
      actorId: adminId,
      action: 'firm-user.rejected',
      subjectKind: 'user',
      subjectId: userId,
      detail: { firmId: firm.id, applicationId: application.id, reason, firmRemoved: removed },
    });
    return removed;
  });
  if (removedFirm) ctx.catalog.invalidate();
}

// ---- The team ----

export interface TeamMember {
  id: string;
  email: string;
  name: string | null;
  firmRole: 'owner' | 'member' | null;
  pending: boolean;
  createdAt: string;
}

export async function teamOf(ctx: ServiceContext, firmId: string): Promise<TeamMember[]> {
  const rows = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'email', 'name', 'firmRole', 'disabledAt', 'createdAt'])
    .where('firmId', '=', firmId)
    .where('role', '=', 'firm')
    .orderBy('createdAt')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    firmRole: r.firmRole as TeamMember['firmRole'],
    pending: r.disabledAt !== null,
    createdAt: r.createdAt,
  }));
}

function assertOwner(user: SessionUser): string {
  if (user.role !== 'firm' || !user.firmId || user.firmRole !== 'owner') {
    throw new ServiceError(403, 'Only an owner of the firm can manage its team.');
  }
  return user.firmId;
}

/**
 * The owner adds a member: an account at the firm's domain and an emailed sign-in link, in one
 * transaction. Members answer briefs and edit the profile; only owners manage the team and
 * integrations.
 */
export async function inviteMember(
  ctx: ServiceContext,
  owner: SessionUser,
  input: InviteInput,
): Promise<{ userId: string }> {
  const firmId = assertOwner(owner);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const firm = await trx
      .selectFrom('firms')
      .select(['name', 'website'])
      .where('id', '=', firmId)
      .executeTakeFirstOrThrow();
    const domain = websiteDomain(firm.website);
    if (domain && !emailMatchesDomain(input.email, domain)) {
      throw new ServiceError(
        400,
        `Invite an address at ${domain}, your firm's website domain.`,
        'email',
      );
    }
    const existing = await userByEmail(trx, input.email);
    if (existing)
      throw new ServiceError(409, 'This address already has an Auditmatch account.', 'email');
    const userId = await addFirmUser(
      trx,
      firmId,
      input,
      { firmRole: 'member', disabledAt: null },
      at,
    );
    const { link, tokenHash } = await issueSignInLink(trx, ctx, input.email, now);
    await queueEmail(
      trx,
      ctx.secrets,
      `signin:${tokenHash}`,
      invitationEmail(
        input.email,
        firm.name,
        owner.name ?? owner.email,
        link,
        `${ctx.config.publicUrl}/sign-in`,
      ),
      now,
    );
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: owner.id,
      action: 'team.invited',
      subjectKind: 'user',
      subjectId: userId,
      detail: { firmId, email: input.email },
    });
    return { userId };
  });
}

/** The owner removes someone from the firm: the account and all its sessions go at once. */
export async function removeMember(
  ctx: ServiceContext,
  owner: SessionUser,
  userId: string,
): Promise<void> {
  const firmId = assertOwner(owner);
  if (userId === owner.id)
    throw new ServiceError(
      409,
      'You cannot remove yourself. Ask another owner, or the Auditmatch team.',
    );
  await decide(ctx, { actorKind: 'firm-user', actorId: owner.id }, async (trx, _now, record) => {
    const target = found(
      await trx
        .selectFrom('users')
        .select(['id', 'firmRole'])
        .where('id', '=', userId)
        .where('firmId', '=', firmId)
        .where('role', '=', 'firm')
        .executeTakeFirst(),
      'This person is not in your team.',
    );
    await trx.deleteFrom('users').where('id', '=', userId).execute();
    await record({
      action: 'team.removed',
      subjectKind: 'user',
      subjectId: userId,
      detail: { firmId, firmRole: target.firmRole },
    });
  });
}

/**
 * The owner makes a member an owner, or an owner a member (themselves included): ownership is
 * transferred by promoting someone, then stepping down. A firm always keeps at least one owner,
 * and an account still awaiting approval cannot be promoted.
 */
export async function changeMemberRole(
  ctx: ServiceContext,
  owner: SessionUser,
  userId: string,
  firmRole: 'owner' | 'member',
): Promise<void> {
  const firmId = assertOwner(owner);
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const team = await trx
      .selectFrom('users')
      .select(['id', 'firmRole', 'disabledAt'])
      .where('firmId', '=', firmId)
      .where('role', '=', 'firm')
      .execute();
    const target = team.find((u) => u.id === userId);
    if (!target) throw new ServiceError(404, 'This person is not in your team.');
    if (target.firmRole === firmRole) return;
    if (firmRole === 'owner' && target.disabledAt !== null) {
      throw new ServiceError(
        409,
        'This account is still awaiting approval; it can become an owner once it can sign in.',
      );
    }
    const owners = team.filter((u) => u.firmRole === 'owner' && u.disabledAt === null);
    if (firmRole === 'member' && owners.length <= 1) {
      throw new ServiceError(
        409,
        'The firm needs at least one owner: make someone else an owner first.',
      );
    }
    await trx.updateTable('users').set({ firmRole }).where('id', '=', userId).execute();
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: owner.id,
      action: firmRole === 'owner' ? 'team.promoted' : 'team.demoted',
      subjectKind: 'user',
      subjectId: userId,
      detail: { firmId, firmRole },
    });
  });
}
