import { MAX_ATTEMPTS, retryDead } from '../../outbox/queue';
import type { ServiceContext } from '../context';
import { ServiceError } from '../context';
import { decide, operator, rowToDecide } from '../decisions';

/**
 * Deliveries that need a look: dead letters (out of attempts) and messages still retrying.
 * The sealed payload never leaves the database here: it carries addresses and contact, and
 * the key, channel and last error say enough to act on.
 */

export interface TroubledMessage {
  id: string;
  channel: string;
  idempotencyKey: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
}

export interface OutboxTrouble {
  dead: TroubledMessage[];
  failing: TroubledMessage[];
  maxAttempts: number;
  pending: number;
}

const COLUMNS = [
  'id',
  'channel',
  'idempotencyKey',
  'status',
  'attempts',
  'lastError',
  'nextAttemptAt',
  'createdAt',
] as const;

export async function outboxTrouble(ctx: ServiceContext): Promise<OutboxTrouble> {
  const db = ctx.db.kysely;
  const [dead, failing, pending] = await Promise.all([
    db
      .selectFrom('outbox')
      .select(COLUMNS)
      .where('status', '=', 'dead')
      .orderBy('createdAt', 'desc')
      .limit(200)
      .execute(),
    db
      .selectFrom('outbox')
      .select(COLUMNS)
      .where('status', '=', 'pending')
      .where('attempts', '>', 0)
      .orderBy('nextAttemptAt')
      .limit(200)
      .execute(),
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
  ]);
  return { dead, failing, maxAttempts: MAX_ATTEMPTS, pending: Number(pending.n) };
}

/** Gives a dead letter a fresh set of attempts; the worker picks it up on its next pass. */
export async function retryMessage(
  ctx: ServiceContext,
  messageId: string,
  adminId: string,
): Promise<void> {
  await decide(ctx, operator(adminId), async (trx, now, record) => {
    const message = await rowToDecide(
      trx,
      'outbox',
      messageId,
      'This message does not exist.',
      'messageId',
    );
    // An erased payload (the buyer deleted its data, or retention passed) has nothing left to send.
    if (message.payload === '')
      throw new ServiceError(
        409,
        'This message was erased (data deletion or retention) and cannot be sent again.',
        'messageId',
      );
    if (!(await retryDead(trx, message.id, now)))
      throw new ServiceError(
        409,
        'Only a dead letter can be retried; this message is still being delivered or was sent.',
        'messageId',
      );
    await record({
      action: 'outbox.retried',
      subjectKind: 'outbox',
      subjectId: message.id,
      detail: { channel: message.channel, key: message.idempotencyKey },
    });
  });
}
