import { randomUUID } from 'node:crypto';
import { audit } from '../audit';
import type { SessionUser } from '../auth';
import { type ServiceContext, ServiceError } from '../context';
import { changed, decide } from '../decisions';
import { hashToken, newToken } from '../secrets';

/**
 * API keys for a firm's own systems: 256 random bits behind a recognisable prefix, shown once,
 * stored as a SHA-256 hash (a copied database opens nothing), revocable at once.
 */

export const API_KEY_PREFIX = 'amk_';

export interface ApiKeyView {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export async function integrationsOf(
  ctx: ServiceContext,
  firmId: string,
): Promise<{ keys: ApiKeyView[]; webhooks: WebhookEndpointView[] }> {
  const [keys, hooks] = await Promise.all([
    ctx.db.kysely
      .selectFrom('apiKeys')
      .select(['id', 'label', 'createdAt', 'lastUsedAt', 'revokedAt'])
      .where('firmId', '=', firmId)
      .orderBy('createdAt', 'desc')
      .execute(),
    ctx.db.kysely
      .selectFrom('webhookEndpoints')
      .select(['id', 'url', 'events', 'createdAt'])
      .where('firmId', '=', firmId)
      .where('disabledAt', 'is', null)
      .orderBy('createdAt')
      .execute(),
  ]);
  return { keys, webhooks: hooks.map((h) => ({ ...h, events: JSON.parse(h.events) as string[] })) };
}

/** The firm an owner manages the integrations of; refused for members and while suspended. */
export function ownerFirm(user: SessionUser): string {
  if (user.role !== 'firm' || !user.firmId || user.firmRole !== 'owner') {
    throw new ServiceError(403, 'Only an owner of the firm can manage its integrations.');
  }
  if (user.firmStatus === 'suspended') {
    throw new ServiceError(
      403,
      'Your firm is suspended on Auditmatch: it cannot create keys or webhooks until it is reinstated.',
    );
  }
  return user.firmId;
}

/** Creates a key and returns it this once; only its hash is kept. */
export async function createApiKey(
  ctx: ServiceContext,
  user: SessionUser,
  label: string,
): Promise<{ id: string; key: string }> {
  const firmId = ownerFirm(user);
  const now = ctx.now();
  const key = `${API_KEY_PREFIX}${newToken()}`;
  const id = randomUUID();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('apiKeys')
      .values({
        id,
        firmId,
        keyHash: hashToken(key),
        label,
        createdAt: now.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      })
      .execute();
    await audit(trx, now, {
      actorKind: 'firm-user',
      actorId: user.id,
      action: 'api-key.created',
      subjectKind: 'api-key',
      subjectId: id,
      detail: { firmId, label },
    });
  });
  return { id, key };
}

/** What an owner can retire, and the column that says it was retired. */
const RETIRABLE = {
  'api-key': {
    table: 'apiKeys',
    stamp: 'revokedAt',
    action: 'api-key.revoked',
    missing: 'This key does not exist or was already revoked.',
  },
  'webhook-endpoint': {
    table: 'webhookEndpoints',
    stamp: 'disabledAt',
    action: 'webhook.removed',
    missing: 'This webhook endpoint does not exist or was already removed.',
  },
} as const;

/**
 * Retires one of the owner's firm's integrations at once, once: an API key stops opening the
 * API, an endpoint stops receiving events (queued ones for it are skipped). Another firm's, or
 * one already retired, answers 404 like a missing one.
 */
export async function retireIntegration(
  ctx: ServiceContext,
  user: SessionUser,
  kind: keyof typeof RETIRABLE,
  id: string,
): Promise<void> {
  const firmId = ownerFirm(user);
  const { table, stamp, action, missing } = RETIRABLE[kind];
  await decide(ctx, { actorKind: 'firm-user', actorId: user.id }, async (trx, now, record) => {
    const updated = await trx
      .updateTable(table)
      .set(stamp, now.toISOString())
      .where('id', '=', id)
      .where('firmId', '=', firmId)
      .where(stamp, 'is', null)
      .executeTakeFirst();
    changed(updated.numUpdatedRows, missing, undefined, 404);
    await record({ action, subjectKind: kind, subjectId: id, detail: { firmId } });
  });
}

/**
 * The firm behind a bearer key (with its status, so a suspended firm's key is refused with the
 * reason), or null for a missing, malformed, unknown or revoked key.
 */
export async function apiKeyFirm(
  ctx: ServiceContext,
  key: string | undefined,
): Promise<{
  id: string;
  firmId: string;
  firmStatus: string;
  firmStatusReason: string | null;
} | null> {
  if (!key?.startsWith(API_KEY_PREFIX) || !/^[A-Za-z0-9_-]{40,80}$/.test(key)) return null;
  const row = await ctx.db.kysely
    .selectFrom('apiKeys')
    .innerJoin('firms', 'firms.id', 'apiKeys.firmId')
    .select([
      'apiKeys.id',
      'apiKeys.firmId',
      'apiKeys.lastUsedAt',
      'firms.status as firmStatus',
      'firms.statusReason as firmStatusReason',
    ])
    .where('apiKeys.keyHash', '=', hashToken(key))
    .where('apiKeys.revokedAt', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = ctx.now();
  // Last use to the minute is enough, and spares a write on every call.
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > 60_000) {
    await ctx.db.kysely
      .updateTable('apiKeys')
      .set({ lastUsedAt: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    id: row.id,
    firmId: row.firmId,
    firmStatus: row.firmStatus,
    firmStatusReason: row.firmStatusReason,
  };
}
