import { randomBytes, randomUUID } from 'node:crypto';
import { type MatchResult, match, NEEDED_BY_NOT_FUTURE } from '../../domain/matching';
import { sealEmail } from '../../outbox/email';
import { enqueue } from '../../outbox/queue';
import { audit } from '../audit';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { accessEmail, confirmEmail } from '../emails';
import { hashToken, newToken } from '../secrets';
import { CONSENT_TEXT, type QuoteRequestInput, type ScopeInput } from './schemas';
import { toMatchScope } from './scope';
import { countDemand } from '../demand';
import { currentRotation, nextRotation } from './store';

export const CONFIRM_LINK_HOURS = 48;
/** After this, a confirmed request takes no new firms; its contact is purged after the retention period. */
export const REQUEST_LIFETIME_DAYS = 60;
/** More unconfirmed requests than this from one address in a day looks like abuse of someone's inbox. */
export const MAX_UNCONFIRMED_PER_EMAIL_PER_DAY = 3;

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A date that is not after today is refused before anything is matched or stored, with the
 * words the matcher and the estimator use. `field` is where the date sits in the caller's input.
 */
export function refusePastDate(ctx: ServiceContext, scope: ScopeInput, field: string): void {
  if (scope.neededBy <= day(ctx.now())) throw new ServiceError(400, NEEDED_BY_NOT_FUTURE, field);
}

/** Shows the three firms for a scope before any contact is given. Stores anonymous counts only. */
export async function previewMatch(ctx: ServiceContext, scope: ScopeInput): Promise<MatchResult> {
  refusePastDate(ctx, scope, 'neededBy');
  const firms = await ctx.catalog.firms();
  const result = match(firms, toMatchScope(scope, firms), {
    today: day(ctx.now()),
    rotation: await ctx.catalog.rotation(),
  });
  countPreview(ctx, scope);
  return result;
}

/** Counts a preview shown again from a cache: what was asked for and where, never by whom. */
export function countPreview(ctx: ServiceContext, scope: ScopeInput): void {
  ctx.demand.add(day(ctx.now()), scope.frameworks.map((f) => f.framework), scope.region);
}

/** A short reference people can read out on a call; not a secret. */
function newReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  return `AM-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Stores a quote request with its contact sealed, and queues the confirmation email in the same
 * transaction. Nothing is matched out until the address is confirmed.
 */
export async function submitRequest(
  ctx: ServiceContext,
  input: QuoteRequestInput,
): Promise<{ id: string; reference: string }> {
  refusePastDate(ctx, input.scope, 'scope.neededBy');
  const now = ctx.now();
  const at = now.toISOString();
  const { secrets } = ctx;
  const emailHash = secrets.keyedHash(input.contact.email);
  const id = randomUUID();
  const reference = newReference();
  const confirmToken = newToken();
  const confirmExpires = new Date(now.getTime() + CONFIRM_LINK_HOURS * 3_600_000).toISOString();

  await ctx.db.kysely.transaction().execute(async (trx) => {
    const since = new Date(now.getTime() - 86_400_000).toISOString();
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
        matchResult: null,
        matchRotation: await currentRotation(trx),
        algorithmVersion: null,
        createdAt: at,
        updatedAt: at,
        expiresAt: confirmExpires,
        contactErasedAt: null,
      })
      .execute();
    await enqueue(
      trx,
      {
        channel: 'email',
        idempotencyKey: `req:${id}:confirm`,
        payload: sealEmail(
          secrets,
          confirmEmail(
            input.contact.email,
            input.contact.name,
            `${ctx.config.publicUrl}/r/confirm/${confirmToken}`,
            CONFIRM_LINK_HOURS,
          ),
        ),
      },
      now,
    );
    await countDemand(trx, day(now), 'request', input.scope.frameworks.map((f) => f.framework), input.scope.region);
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'request.submitted',
      subjectKind: 'quote-request',
      subjectId: id,
      detail: { reference, frameworks: input.scope.frameworks.map((f) => f.framework) },
    });
  });
  return { id, reference };
}

export interface ConfirmationTarget {
  id: string;
  reference: string;
  status: string;
  expired: boolean;
}

/** Finds the request a confirmation link belongs to, without using it up (GET shows a button). */
export async function findConfirmation(ctx: ServiceContext, token: string): Promise<ConfirmationTarget | null> {
  const row = await ctx.db.kysely
    .selectFrom('quoteRequests')
    .select(['id', 'reference', 'status', 'confirmExpiresAt'])
    .where('confirmTokenHash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    expired: row.confirmExpiresAt !== null && row.confirmExpiresAt < ctx.now().toISOString(),
  };
}

/**
 * Confirms the buyer's address: matches now, stores the proposals with their breakdown and
 * algorithm version, and issues the private-page link. The confirmation token works once.
 */
export async function confirmRequest(ctx: ServiceContext, token: string): Promise<{ accessToken: string; requestId: string }> {
  const now = ctx.now();
  const at = now.toISOString();
  const accessToken = newToken();
  const firms = await ctx.catalog.firms();
  const confirmed = await ctx.db.kysely.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom('quoteRequests')
      .selectAll()
      .where('confirmTokenHash', '=', hashToken(token))
      .executeTakeFirst();
    if (!request || request.status !== 'unconfirmed') {
      throw new ServiceError(404, 'This confirmation link is not valid or has already been used. Your private page link is in the email we sent after confirming.');
    }
    if (request.confirmExpiresAt !== null && request.confirmExpiresAt < at) {
      throw new ServiceError(410, 'This confirmation link has expired. Please send your request again.');
    }
    const scope = JSON.parse(request.scope) as ScopeInput;
    // Match with the rotation the buyer's preview used, so the firms it saw are the firms it gets;
    // the shared counter still moves on, so the next buyer's near-ties rotate.
    await nextRotation(trx);
    const rotation = request.matchRotation;
    const result = match(firms, toMatchScope(scope, firms), { today: day(now), rotation });
    // Confirming is single-use: the update only succeeds while the token is still unused.
    const updated = await trx
      .updateTable('quoteRequests')
      .set({
        status: 'confirmed',
        confirmTokenHash: null,
        confirmedAt: at,
        accessTokenHash: hashToken(accessToken),
        matchResult: JSON.stringify(result),
        algorithmVersion: result.algorithmVersion,
        updatedAt: at,
        expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_DAYS * 86_400_000).toISOString(),
      })
      .where('id', '=', request.id)
      .where('status', '=', 'unconfirmed')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw new ServiceError(409, 'This request was confirmed a moment ago.');
    }
    const proposals = [
      ...result.proposals.map((p) => ({ p, status: 'proposed' })),
      ...result.alternates.map((p) => ({ p, status: 'alternate' })),
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
    const email = ctx.secrets.decrypt(request.contactEmailEnc!);
    const name = ctx.secrets.decrypt(request.contactNameEnc!);
    await enqueue(
      trx,
      {
        channel: 'email',
        idempotencyKey: `req:${request.id}:access`,
        payload: sealEmail(ctx.secrets, accessEmail(email, name, `${ctx.config.publicUrl}/r/${accessToken}`, request.reference)),
      },
      now,
    );
    await countDemand(trx, day(now), 'confirmed', scope.frameworks.map((f) => f.framework), scope.region);
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
    return { accessToken, requestId: request.id };
  });
  // The rotation moved: this instance's next preview reads it again rather than wait for the check.
  ctx.catalog.invalidate();
  return confirmed;
}
