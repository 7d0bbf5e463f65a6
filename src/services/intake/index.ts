import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  countProposedFirms,
  lockBuyer,
  lockRequest,
  type QuoteRequestRow,
  requestState,
  siblingRequests,
} from '../../db/requests';
import type { Database } from '../../db/schema';
import { decideConfirmation } from '../../domain/lifecycle/decisions';
import {
  isOpenRequest,
  REQUEST_LIFETIME_DAYS,
  type RequestStatus,
} from '../../domain/lifecycle/states';
import { type MatchResult, match, NEEDED_BY_NOT_FUTURE } from '../../domain/matching';
import { queueEmail } from '../../outbox/queue';
import { buyerAddress } from '../private-links';
import { audit } from '../audit';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { changed } from '../decisions';
import { accessEmail, confirmEmail } from '../emails';
import { hashToken, newToken } from '../secrets';
import { applyEffects, decideWithdrawEverything, scopeOf } from '../lifecycle';
import { CONSENT_TEXT, type QuoteRequestInput, type ScopeInput } from './schemas';
import { toMatchScope } from './scope';
import { countDemand } from '../demand';
import { currentRotation, nextRotation } from './store';
import { DAY_MS, isoDay } from '../../domain/matching/dates';

export const CONFIRM_LINK_HOURS = 48;
/** More unconfirmed requests than this from one address in a day looks like abuse of someone's inbox. */
export const MAX_UNCONFIRMED_PER_EMAIL_PER_DAY = 3;

/**
 * A date that is not after today is refused before anything is matched or stored, with the
 * words the matcher and the estimator use. `field` is where the date sits in the caller's input.
 */
export function refusePastDate(ctx: ServiceContext, scope: ScopeInput, field: string): void {
  if (scope.neededBy <= isoDay(ctx.now())) throw new ServiceError(400, NEEDED_BY_NOT_FUTURE, field);
}

/** Shows the three firms for a scope before any contact is given. Stores anonymous counts only. */
export async function previewMatch(ctx: ServiceContext, scope: ScopeInput): Promise<MatchResult> {
  refusePastDate(ctx, scope, 'neededBy');
  const firms = await ctx.catalog.firms();
  const result = match(firms, toMatchScope(scope, firms), {
    today: isoDay(ctx.now()),
    rotation: await ctx.catalog.rotation(),
  });
  countPreview(ctx, scope);
  return result;
}

/** Counts a preview shown again from a cache: what was asked for and where, never by whom. */
export function countPreview(ctx: ServiceContext, scope: ScopeInput): void {
  ctx.demand.add(
    isoDay(ctx.now()),
    scope.frameworks.map((f) => f.framework),
    scope.region,
  );
}

/** A short reference people can read out on a call; not a secret. */
function newReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  return `AM-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Stores a quote request with its contact sealed, and queues the confirmation email in the same
 * transaction. Nothing is matched out until the address is confirmed. The form's idempotency key
 * makes Back + submit, double clicks and retries one request: the same key answers with the
 * request it already stored.
 */
export async function submitRequest(
  ctx: ServiceContext,
  input: QuoteRequestInput,
  idempotencyKey?: string,
): Promise<{ id: string; reference: string; repeated: boolean }> {
  refusePastDate(ctx, input.scope, 'scope.neededBy');
  const now = ctx.now();
  const at = now.toISOString();
  const { secrets } = ctx;
  const emailHash = secrets.keyedHash(input.contact.email);
  const key = idempotencyKey ? `${emailHash}:${idempotencyKey}` : null;
  const earlier = key ? await requestForKey(ctx, key) : null;
  if (earlier) return { ...earlier, repeated: true };
  const id = randomUUID();
  const reference = newReference();
  const confirmToken = newToken();
  const confirmExpires = new Date(now.getTime() + CONFIRM_LINK_HOURS * 3_600_000).toISOString();

  try {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const since = new Date(now.getTime() - DAY_MS).toISOString();
      const recent = await trx
        .selectFrom('quoteRequests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('emailHash', '=', emailHash)
        .where('status', '=', 'unconfirmed')
        .where('createdAt', '>', since)
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= MAX_UNCONFIRMED_PER_EMAIL_PER_DAY) {
        throw new ServiceError(
          409,
          'Several unconfirmed requests already wait for this address. Confirm one from your inbox, or try again tomorrow.',
          'contact.email',
        );
      }
      await trx
        .insertInto('quoteRequests')
        .values({
          id,
          reference,
          status: 'unconfirmed',
          scope: JSON.stringify(input.scope),
          contactNameEnc: secrets.encrypt(input.contact.name),
          contactEmailEnc: secrets.encrypt(input.contact.email),
          companyEnc: secrets.encrypt(input.contact.company),
          phoneEnc: input.contact.phone ? secrets.encrypt(input.contact.phone) : null,
          emailHash,
          consentText: CONSENT_TEXT,
          consentAt: at,
          confirmTokenHash: hashToken(confirmToken),
          confirmExpiresAt: confirmExpires,
          confirmedAt: null,
          accessTokenHash: null,
          idempotencyKey: key,
          matchResult: null,
          matchRotation: await currentRotation(trx),
          algorithmVersion: null,
          createdAt: at,
          updatedAt: at,
          expiresAt: confirmExpires,
          contactErasedAt: null,
        })
        .execute();
      await queueEmail(
        trx,
        secrets,
        `req:${id}:confirm`,
        confirmEmail(
          input.contact.email,
          input.contact.name,
          `${ctx.config.publicUrl}/r/confirm/${confirmToken}`,
          CONFIRM_LINK_HOURS,
        ),
        now,
      );
      await countDemand(
        trx,
        isoDay(now),
        'request',
        input.scope.frameworks.map((f) => f.framework),
        input.scope.region,
      );
      await audit(trx, now, {
        actorKind: 'buyer',
        action: 'request.submitted',
        subjectKind: 'quote-request',
        subjectId: id,
        detail: { reference, frameworks: input.scope.frameworks.map((f) => f.framework) },
      });
    });
  } catch (error) {
    // Two sends of one form at the same moment: the unique key lets one in; the other answers with it.
    const stored = key ? await requestForKey(ctx, key) : null;
    if (stored) return { ...stored, repeated: true };
    throw error;
  }
  return { id, reference, repeated: false };
}

async function requestForKey(
  ctx: ServiceContext,
  key: string,
): Promise<{ id: string; reference: string } | null> {
  const row = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select(['id', 'reference'])
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
  return row ?? null;
}

export interface ConfirmationTarget {
  id: string;
  reference: string;
  status: RequestStatus;
  expired: boolean;
  /** Another open request of the same address for an overlapping scope: the same need. */
  duplicateOf: { reference: string } | null;
}

/** Finds the request a confirmation link belongs to, without using it up (GET shows a button). */
export async function findConfirmation(
  ctx: ServiceContext,
  token: string,
): Promise<ConfirmationTarget | null> {
  const row = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .selectAll()
    .where('confirmTokenHash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const at = ctx.now().toISOString();
  const state = await requestState(ctx.db.kysely, row);
  const outcome = decideConfirmation({
    request: state,
    siblings: await siblingRequests(ctx.db.kysely, row, at),
  });
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    expired: row.confirmExpiresAt !== null && row.confirmExpiresAt < at,
    duplicateOf: outcome.kind === 'duplicate' ? { reference: outcome.of.reference } : null,
  };
}

export type Confirmation =
  | { kind: 'confirmed'; accessToken: string; requestId: string }
  /** The address already has an open request for this need: nothing was matched. */
  | { kind: 'duplicate'; requestId: string; openReference: string };

/**
 * What the buyer chose for a confirmation link while another request of its address is open for
 * the same need: `resend` closes this one and sends the open one's private link again; `replace`
 * withdraws the open one (its firms are told) and confirms this one.
 */
export type DuplicateChoice = 'resend' | 'replace';

/**
 * Confirms the buyer's address: matches now, stores the proposals with their breakdown and
 * algorithm version, and issues the private-page link. The confirmation token works once. An
 * address with an open request for an overlapping scope gets no second round of introductions:
 * the buyer is asked whether to replace that request or to have its link sent again.
 */
export async function confirmRequest(
  ctx: ServiceContext,
  token: string,
  choice?: DuplicateChoice,
): Promise<Confirmation> {
  const now = ctx.now();
  const at = now.toISOString();
  const accessToken = newToken();
  const firms = await ctx.catalog.firms();
  const target = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select(['id', 'emailHash'])
    .where('confirmTokenHash', '=', hashToken(token))
    .executeTakeFirst();
  if (!target)
    throw new ServiceError(
      404,
      'This confirmation link is not valid or has already been used. Your private page link is in the email we sent after confirming.',
    );
  const confirmed = await ctx.db.kysely
    .transaction()
    .execute(async (trx): Promise<Confirmation> => {
      // Buyer first, then request: two confirmations for one address run one after the other.
      await lockBuyer(trx, ctx.db.dialect, target.emailHash);
      const request = await lockRequest(trx, ctx.db.dialect, target.id);
      if (
        !request ||
        request.status !== 'unconfirmed' ||
        request.confirmTokenHash !== hashToken(token)
      ) {
        throw new ServiceError(
          404,
          'This confirmation link is not valid or has already been used. Your private page link is in the email we sent after confirming.',
        );
      }
      if (request.confirmExpiresAt !== null && request.confirmExpiresAt < at) {
        throw new ServiceError(
          410,
          'This confirmation link has expired. Please send your request again.',
        );
      }
      const scope = scopeOf(request);
      const state = await requestState(trx, request);
      const outcome = decideConfirmation({
        request: state,
        siblings: await siblingRequests(trx, request, at),
      });
      if (outcome.kind === 'duplicate') {
        if (choice === undefined)
          return { kind: 'duplicate', requestId: request.id, openReference: outcome.of.reference };
        if (choice === 'resend') {
          await closeAsDuplicate(trx, ctx, request, outcome.of, now);
          return { kind: 'duplicate', requestId: request.id, openReference: outcome.of.reference };
        }
        for (const open of outcome.all) await replaceOpenRequest(trx, ctx, open.id, now);
      }
      // Match with the rotation the buyer's preview used, so the firms it saw are the firms it gets;
      // the shared counter still moves on, so the next buyer's near-ties rotate.
      await nextRotation(trx);
      const result = match(firms, toMatchScope(scope, firms), {
        today: isoDay(now),
        rotation: request.matchRotation,
      });
      const updated = await trx
        .updateTable('quoteRequests')
        .set({
          // The token stays (single use is by status): a used link can still say the request is confirmed.
          status: 'confirmed',
          confirmedAt: at,
          matchResult: JSON.stringify(result),
          algorithmVersion: result.algorithmVersion,
          updatedAt: at,
          expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_DAYS * DAY_MS).toISOString(),
        })
        .where('id', '=', request.id)
        .where('status', '=', 'unconfirmed')
        .executeTakeFirst();
      changed(updated.numUpdatedRows, 'This request was confirmed a moment ago.');
      await trx
        .insertInto('requestLinks')
        .values({ tokenHash: hashToken(accessToken), requestId: request.id, createdAt: at })
        .execute();
      const proposals = [
        ...result.proposals.map((p) => ({ p, status: 'proposed' as const })),
        ...result.alternates.map((p) => ({ p, status: 'alternate' as const })),
      ];
      if (proposals.length > 0) {
        await trx
          .insertInto('proposals')
          .values(
            proposals.map(({ p, status }) => ({
              id: randomUUID(),
              requestId: request.id,
              firmId: p.firmId,
              rank: p.rank,
              score: p.score,
              breakdown: JSON.stringify(p.breakdown),
              reasons: JSON.stringify(p.reasons),
              algorithmVersion: result.algorithmVersion,
              status,
              createdAt: at,
            })),
          )
          .execute();
      }
      // Its proposals within the promised three, kept on the request (migration 015).
      await countProposedFirms(trx, request.id);
      const email = ctx.secrets.decrypt(request.contactEmailEnc!);
      const name = ctx.secrets.decrypt(request.contactNameEnc!);
      await queueEmail(
        trx,
        ctx.secrets,
        `req:${request.id}:access`,
        accessEmail(email, name, `${ctx.config.publicUrl}/r/${accessToken}`, request.reference),
        now,
      );
      await countDemand(
        trx,
        isoDay(now),
        'confirmed',
        scope.frameworks.map((f) => f.framework),
        scope.region,
      );
      await audit(trx, now, {
        actorKind: 'buyer',
        action: 'request.confirmed',
        subjectKind: 'quote-request',
        subjectId: request.id,
        detail: {
          proposals: result.proposals.map((p) => p.firmId),
          algorithmVersion: result.algorithmVersion,
          shortfall: result.shortfall ? result.shortfall.eligibleCount : null,
        },
      });
      return { kind: 'confirmed', accessToken, requestId: request.id };
    });
  // The rotation moved: this instance's next preview reads it again rather than wait for the check.
  ctx.catalog.invalidate();
  return confirmed;
}

/**
 * The second request for a need already open is closed unmatched and its contact erased at once;
 * the open request's private link is sent again (a new link: the one the buyer holds keeps working).
 */
async function closeAsDuplicate(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  request: QuoteRequestRow,
  open: { id: string; reference: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const email = ctx.secrets.decrypt(request.contactEmailEnc!);
  const name = ctx.secrets.decrypt(request.contactNameEnc!);
  await trx
    .updateTable('quoteRequests')
    .set({
      status: 'withdrawn',
      confirmTokenHash: null,
      contactNameEnc: null,
      contactEmailEnc: null,
      companyEnc: null,
      phoneEnc: null,
      emailHash: null,
      contactErasedAt: at,
      updatedAt: at,
    })
    .where('id', '=', request.id)
    .execute();
  await issueAccessLink(trx, ctx, { id: open.id, reference: open.reference }, { email, name }, now);
  await audit(trx, now, {
    actorKind: 'buyer',
    action: 'request.duplicate-closed',
    subjectKind: 'quote-request',
    subjectId: request.id,
    detail: { openRequest: open.id },
  });
}

/** The open request gives way to the newer one: withdrawn as replaced, its firms told. */
async function replaceOpenRequest(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  openId: string,
  now: Date,
): Promise<void> {
  const open = await lockRequest(trx, ctx.db.dialect, openId);
  if (!open) return;
  const decision = await decideWithdrawEverything(trx, open, 'request-replaced', now.toISOString());
  if (!decision.ok) throw new ServiceError(decision.refusal.status, decision.refusal.message);
  await applyEffects({ trx, ctx, request: open, scope: scopeOf(open), now }, decision.effects);
}

/**
 * A new private-page link for the request, emailed to its address. Earlier links keep working,
 * so a link sent again (after a lost email, a duplicate request) never breaks one the buyer holds.
 */
export async function issueAccessLink(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  request: { id: string; reference: string },
  contact: { email: string; name: string },
  now: Date,
): Promise<void> {
  const token = newToken();
  const tokenHash = hashToken(token);
  await trx
    .insertInto('requestLinks')
    .values({ tokenHash, requestId: request.id, createdAt: now.toISOString() })
    .execute();
  await queueEmail(
    trx,
    ctx.secrets,
    `req:${request.id}:access:${tokenHash.slice(0, 16)}`,
    accessEmail(
      contact.email,
      contact.name,
      `${ctx.config.publicUrl}/r/${token}`,
      request.reference,
    ),
    now,
  );
}

/**
 * A used confirmation link, opened again: the request is already confirmed, and its private link
 * is sent again to the address that confirmed it (a new link; the one the buyer holds keeps working).
 */
export async function resendFromConfirmation(
  ctx: ServiceContext,
  token: string,
): Promise<{ reference: string }> {
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom('quoteRequests')
      .selectAll()
      .where('confirmTokenHash', '=', hashToken(token))
      .executeTakeFirst();
    if (
      !request ||
      !request.contactEmailEnc ||
      !request.contactNameEnc ||
      !isOpenRequest(request, now.toISOString())
    ) {
      throw new ServiceError(404, 'This confirmation link is not valid, or its request is closed.');
    }
    await resendLink(trx, ctx, request, now, 'confirmation-link');
    return { reference: request.reference };
  });
}

/** A new private-page link for a request whose contact is still held, sent to its address and logged. */
async function resendLink(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  request: QuoteRequestRow,
  now: Date,
  via: 'confirmation-link' | 'lost-link form',
): Promise<void> {
  const contact = buyerAddress(ctx.secrets, request);
  if (!contact) return;
  await issueAccessLink(trx, ctx, request, contact, now);
  await audit(trx, now, {
    actorKind: 'buyer',
    action: 'request.link-resent',
    subjectKind: 'quote-request',
    subjectId: request.id,
    detail: { via },
  });
}

/**
 * "I lost my private link": every open request of this address gets a new link, sent only to the
 * address. The caller answers the same whether or not there was any, so the form reveals nothing.
 */
export async function resendPrivateLinks(ctx: ServiceContext, email: string): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  const emailHash = ctx.secrets.keyedHash(email.trim().toLowerCase());
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const requests = await trx
      .selectFrom('quoteRequests')
      .selectAll()
      .where('emailHash', '=', emailHash)
      .where('status', 'in', ['confirmed', 'active'])
      .where('expiresAt', '>=', at)
      .execute();
    for (const request of requests) {
      if (request.contactEmailEnc && request.contactNameEnc)
        await resendLink(trx, ctx, request, now, 'lost-link form');
    }
  });
}
