import { randomUUID } from 'node:crypto';
import { queueEmail } from '../outbox/queue';
import { audit } from './audit';
import type { ServiceContext } from './context';
import { ServiceError } from './context';
import { hashToken, newToken } from './secrets';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { leadLinksEmail } from './emails';
import { briefLink } from './lifecycle';
import { DAY_MS } from '../domain/matching/dates';

/**
 * Sign-in by email link and database sessions. Tokens and session ids are random 256-bit
 * values; only their SHA-256 is stored, so a copy of the database opens no account.
 */

export const SIGN_IN_LINK_MINUTES = 15;
export const SESSION_DAYS = 30;
/** Sliding sessions: last-seen is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

export type Role = 'admin' | 'firm';
export type FirmRole = 'owner' | 'member';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  firmId: string | null;
  firmRole: FirmRole | null;
  /** The firm's status as of this request ('suspended' closes the workspace but its account pages). */
  firmStatus?: string | null;
  firmStatusReason?: string | null;
  sessionHash: string;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The account an address signs in with, if any (addresses are stored normalised). */
export function userByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/**
 * A single-use sign-in link for an address, written inside the caller's transaction so the
 * account change and its email exist together. Every sign-in link is issued here.
 */
export async function issueSignInLink(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  email: string,
  now: Date,
): Promise<{ link: string; tokenHash: string }> {
  const token = newToken();
  const tokenHash = hashToken(token);
  await trx
    .insertInto('signInTokens')
    .values({
      tokenHash,
      email,
      purpose: 'sign-in',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString(),
      usedAt: null,
    })
    .execute();
  return { link: `${ctx.config.publicUrl}/sign-in/${token}`, tokenHash };
}

/**
 * Emails a single-use sign-in link when the address belongs to an active user. Unknown
 * addresses get the same answer and no email, so the form cannot be used to find accounts.
 */
export async function requestSignIn(ctx: ServiceContext, rawEmail: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const user = await userByEmail(trx, email);
    if (!user) {
      // A firm that is not yet a user signs in with the address its briefs go to: it gets the
      // links to its open leads (no account needed), sent only to that address.
      await sendLeadLinks(trx, ctx, email, now);
      return;
    }
    if (user.disabledAt) return;
    const { link, tokenHash } = await issueSignInLink(trx, ctx, email, now);
    await queueEmail(
      trx,
      ctx.secrets,
      `signin:${tokenHash}`,
      {
        to: email,
        subject: 'Your Auditmatch sign-in link',
        text: `Use this link to sign in to Auditmatch:\n\n${link}\n\nIt works once and expires in ${SIGN_IN_LINK_MINUTES} minutes. If you did not ask to sign in, ignore this email.\n\n— Auditmatch`,
      },
      now,
    );
  });
}

/** The lead links of every open brief addressed to this lead address, in one email. */
async function sendLeadLinks(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  email: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const leads = await trx
    .selectFrom('briefs')
    .innerJoin('firms', 'firms.id', 'briefs.firmId')
    .innerJoin('quoteRequests', 'quoteRequests.id', 'briefs.requestId')
    .select([
      'briefs.id',
      'briefs.status',
      'firms.name',
      'quoteRequests.reference',
      'quoteRequests.expiresAt',
    ])
    .where('firms.leadEmail', '=', email)
    .where('firms.status', '=', 'active')
    .where('briefs.status', 'in', ['sent', 'accepted'])
    .where('quoteRequests.status', 'in', ['confirmed', 'active'])
    .where('quoteRequests.expiresAt', '>=', at)
    .orderBy('briefs.sentAt', 'desc')
    .limit(20)
    .execute();
  if (leads.length === 0) return;
  await queueEmail(
    trx,
    ctx.secrets,
    `lead-links:${hashToken(`${email}:${at}`)}`,
    leadLinksEmail(
      email,
      leads[0]!.name,
      leads.map((l) => ({
        reference: l.reference,
        status: l.status,
        link: briefLink(ctx, l.id, new Date(l.expiresAt)),
      })),
    ),
    now,
  );
}

/**
 * Uses a sign-in link: single use, unexpired. Returns a new session token (a fresh id on
 * every sign-in, so a session fixed before sign-in is never promoted).
 */
export async function completeSignIn(
  ctx: ServiceContext,
  token: string,
): Promise<{ sessionToken: string; user: SessionUser }> {
  const now = ctx.now();
  const at = now.toISOString();
  const sessionToken = newToken();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('signInTokens')
      .set({ usedAt: at })
      .where('tokenHash', '=', hashToken(token))
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', at)
      .returning(['email'])
      .executeTakeFirst();
    if (!used)
      throw new ServiceError(
        410,
        'This sign-in link has expired or was already used. Ask for a new one.',
      );
    const user = await userByEmail(trx, used.email);
    if (!user || user.disabledAt) throw new ServiceError(403, 'This account is not active.');
    const sessionHash = hashToken(sessionToken);
    await trx
      .insertInto('sessions')
      .values({
        idHash: sessionHash,
        userId: user.id,
        createdAt: at,
        expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY_MS).toISOString(),
        lastSeenAt: at,
      })
      .execute();
    await audit(trx, now, {
      actorKind: user.role === 'admin' ? 'admin' : 'firm-user',
      actorId: user.id,
      action: 'user.signed-in',
    });
    return {
      sessionToken,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role as Role,
        firmId: user.firmId,
        firmRole: user.firmRole as FirmRole | null,
        firmStatus: null,
        firmStatusReason: null,
        sessionHash,
      },
    };
  });
}

/** The signed-in user for a session cookie, or null when absent, expired or disabled. */
export async function userForSession(
  ctx: ServiceContext,
  sessionToken: string | undefined,
): Promise<SessionUser | null> {
  if (!sessionToken || !/^[A-Za-z0-9_-]{40,64}$/.test(sessionToken)) return null;
  const now = ctx.now();
  const idHash = hashToken(sessionToken);
  const row = await ctx.db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .leftJoin('firms', 'firms.id', 'users.firmId')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.firmId',
      'users.firmRole',
      'users.disabledAt',
      'sessions.expiresAt',
      'sessions.lastSeenAt',
      'firms.status as firmStatus',
      'firms.statusReason as firmStatusReason',
    ])
    .where('sessions.idHash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.disabledAt || row.expiresAt < now.toISOString()) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    await ctx.db.kysely
      .updateTable('sessions')
      .set({
        lastSeenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY_MS).toISOString(),
      })
      .where('idHash', '=', idHash)
      .execute();
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    firmId: row.firmId,
    firmRole: row.firmRole as FirmRole | null,
    firmStatus: row.firmStatus ?? null,
    firmStatusReason: row.firmStatusReason ?? null,
    sessionHash: idHash,
  };
}

export async function signOut(
  ctx: ServiceContext,
  user: SessionUser,
  everywhere: boolean,
): Promise<void> {
  const query = ctx.db.kysely.deleteFrom('sessions');
  await (everywhere
    ? query.where('userId', '=', user.id)
    : query.where('idHash', '=', user.sessionHash)
  ).execute();
  await audit(ctx.db.kysely, ctx.now(), {
    actorKind: user.role === 'admin' ? 'admin' : 'firm-user',
    actorId: user.id,
    action: everywhere ? 'user.signed-out-everywhere' : 'user.signed-out',
  });
}

/** Creates (or promotes) the operator account; used by `auditmatch create-admin EMAIL`. */
export async function createAdmin(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  rawEmail: string,
): Promise<'created' | 'promoted' | 'unchanged'> {
  const email = normaliseEmail(rawEmail);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new ServiceError(400, `"${rawEmail}" is not an email address`, 'email');
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const existing = await userByEmail(trx, email);
    let outcome: 'created' | 'promoted' | 'unchanged';
    if (!existing) {
      await trx
        .insertInto('users')
        .values({
          id: randomUUID(),
          email,
          name: null,
          role: 'admin',
          firmId: null,
          firmRole: null,
          createdAt: now.toISOString(),
          disabledAt: null,
        })
        .execute();
      outcome = 'created';
    } else if (existing.role !== 'admin' || existing.disabledAt) {
      await trx
        .updateTable('users')
        .set({ role: 'admin', firmId: null, firmRole: null, disabledAt: null })
        .where('id', '=', existing.id)
        .execute();
      outcome = 'promoted';
    } else {
      outcome = 'unchanged';
    }
    if (outcome !== 'unchanged')
      await audit(trx, now, {
        actorKind: 'cli',
        action: 'admin.created',
        subjectKind: 'user',
        subjectId: email,
      });
    return outcome;
  });
}
