import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { enqueue } from '../../outbox/queue';
import { resolvesToPrivateAddress, type WebhookMessage } from '../../outbox/webhook';
import { audit } from '../audit';
import { ownerFirm } from './integrations';
import type { SessionUser } from '../auth';
import { type ServiceContext, ServiceError } from '../context';
import type { ScopeInput } from '../intake/schemas';
import type { WebhookEndpointInput, WebhookEvent } from './schemas';
import { anonymiseScope } from './scope';

/**
 * Signed webhooks to a firm's CRM (Standard Webhooks). Events carry no buyer contact: a CRM
 * fetches it from `GET /api/v1/leads` with an API key, where every read is audit-logged like a
 * view in the workspace.
 */

/**
 * Queues one event for each of the firm's live endpoints that asked for it, inside the caller's
 * transaction: the event exists exactly when the change does. Keys start with the request's
 * prefix (`req:<id>:`), so erasing a buyer's data drops pending events too.
 */
export async function enqueueFirmEvent(
  trx: Kysely<Database>,
  ctx: Pick<ServiceContext, 'now'>,
  event: { firmId: string; type: WebhookEvent; keyPrefix: string; data: Record<string, unknown> },
): Promise<number> {
  const now = ctx.now();
  const endpoints = await trx
    .selectFrom('webhookEndpoints')
    .select(['id', 'events'])
    .where('firmId', '=', event.firmId)
    .where('disabledAt', 'is', null)
    .execute();
  let queued = 0;
  for (const endpoint of endpoints) {
    if (!(JSON.parse(endpoint.events) as string[]).includes(event.type)) continue;
    const message: WebhookMessage = {
      endpointId: endpoint.id,
      webhookId: `msg_${randomUUID().replaceAll('-', '')}`,
      body: JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data }),
    };
    const added = await enqueue(
      trx,
      {
        channel: 'webhook',
        idempotencyKey: `${event.keyPrefix}:webhook:${endpoint.id}:${event.type}`,
        payload: JSON.stringify(message),
      },
      now,
    );
    if (added) queued++;
  }
  return queued;
}

type EventContext = Pick<ServiceContext, 'now' | 'config'>;
const leadUrl = (ctx: EventContext, briefId: string) =>
  `${ctx.config.publicUrl}/firm/leads/${briefId}`;

type BriefRef = { firmId: string; briefId: string; requestId: string };

/**
 * An event about one brief: keyed by request and brief (so a retried step queues it once), with
 * the brief's id and the workspace page of the lead beside the event's own data.
 */
export function briefEvent(
  trx: Kysely<Database>,
  ctx: EventContext,
  type: WebhookEvent,
  brief: BriefRef,
  data: Record<string, unknown>,
) {
  return enqueueFirmEvent(trx, ctx, {
    firmId: brief.firmId,
    type,
    keyPrefix: `req:${brief.requestId}:brief:${brief.briefId}`,
    data: { briefId: brief.briefId, ...data, url: leadUrl(ctx, brief.briefId) },
  });
}

/** `brief.received`: the anonymised scope and the answer deadline, queued by `sendBriefs`. */
export function briefReceived(
  trx: Kysely<Database>,
  ctx: EventContext,
  brief: BriefRef & { respondBy: Date; scope: ScopeInput },
) {
  return briefEvent(trx, ctx, 'brief.received', brief, {
    respondBy: brief.respondBy.toISOString(),
    scope: anonymiseScope(brief.scope),
  });
}

/** A Standard Webhooks secret: "whsec_" and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Registers an endpoint; the signing secret is returned this once and stored encrypted. */
export async function registerWebhook(
  ctx: ServiceContext,
  user: SessionUser,
  input: WebhookEndpointInput,
): Promise<{ id: string; secret: string }> {
  const firmId = ownerFirm(user);
  // The form refused private address literals; a public-looking name is resolved here, and at
  // every delivery again, so it cannot point the server at its own network.
  if (
    ctx.config.env === 'production' &&
    (await resolvesToPrivateAddress(new URL(input.url).hostname))
  ) {
    throw new ServiceError(400, 'must be a public address, not a private or local one', 'url');
  }
  const now = ctx.now();
  const secret = newWebhookSecret();
  const id = randomUUID();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const live = await trx
      .selectFrom('webhookEndpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('firmId', '=', firmId)
      .where('disabledAt', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= 5)
      throw new ServiceError(
        409,
        'A firm can have at most 5 webhook endpoints; remove one first.',
        'url',
      );
    await trx
      .insertInto('webhookEndpoints')
      .values({
        id,
        firmId,
        url: input.url,
        secretEnc: ctx.secrets.encrypt(secret),
        events: JSON.stringify(input.events),
        createdAt: now.toISOString(),
        disabledAt: null,
      })
      .execute();
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: user.id,
      action: 'webhook.registered',
      subjectKind: 'webhook-endpoint',
      subjectId: id,
      detail: { firmId, url: input.url, events: input.events },
    });
  });
  return { id, secret };
}
