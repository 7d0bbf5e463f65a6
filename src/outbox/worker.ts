import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client';
import type { Secrets } from '../services/secrets';
import { type EmailSender, openEmail } from './email';
import { type ClaimedMessage, claimDue, markFailed, markSent } from './queue';

export interface Senders {
  email: EmailSender;
  /** Webhooks are signed and posted by the firm-integrations sender; absent until configured. */
  webhook?: { send(payload: string, idempotencyKey: string): Promise<void> };
}

/**
 * Delivers due outbox messages: claim a batch under a lease, send each, then mark it sent or
 * schedule a retry with backoff (dead after MAX_ATTEMPTS). Safe to run in every instance.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly senders: Senders,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => Date = () => new Date(),
    /** First retry delay after a failed delivery (OUTBOX_BACKOFF_MS); doubles per attempt. */
    private readonly backoffBaseMs = 30_000,
  ) {}

  start(intervalMs = 1000) {
    const tick = () => {
      this.runOnce()
        .catch((error) => this.log.warn({ err: error }, 'outbox pass failed; will retry'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass; returns how many messages were sent. Passes never overlap within an instance. */
  async runOnce(batch = 25): Promise<number> {
    if (this.running) return this.running;
    this.running = this.pass(batch).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs passes until nothing is due (tests and the CLI use this). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.runOnce();
      total += sent;
      if (sent === 0) return total;
    }
  }

  private async pass(batch: number): Promise<number> {
    const claimed = await claimDue(this.db.kysely, this.db.dialect, this.now(), batch);
    let sent = 0;
    for (const message of claimed) {
      try {
        await this.deliver(message);
        await markSent(this.db.kysely, message.id, this.now());
        sent++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const dead = await markFailed(this.db.kysely, message, reason, this.now(), this.backoffBaseMs);
        this.log[dead ? 'error' : 'warn'](
          { outboxId: message.id, attempts: message.attempts + 1, reason },
          dead ? 'outbox message dead-lettered' : 'outbox delivery failed; retry scheduled',
        );
      }
    }
    return sent;
  }

  private async deliver(message: ClaimedMessage) {
    if (message.channel === 'email') {
      await this.senders.email.send(openEmail(this.secrets, message.payload), message.idempotencyKey);
    } else if (message.channel === 'webhook' && this.senders.webhook) {
      await this.senders.webhook.send(message.payload, message.idempotencyKey);
    } else {
      throw new Error(`no sender for channel ${message.channel}`);
    }
  }
}
