import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client';
import type { Secrets } from '../services/secrets';
import { type EmailSender, openEmail } from './email';
import { type ClaimedMessage, claimDue, markFailed, markSent } from './queue';

/** Messages claimed per pass. */
export const OUTBOX_BATCH = 25;
/** A pass's claim on its messages; see `pass` for how it is kept from running out mid-send. */
export const OUTBOX_LEASE_MS = 60_000;
/**
 * Messages a pass sends at once. Each claimed row is sent by exactly one of these lanes, under
 * the pass's lease, so exactly-once holds as with one lane; the pooled SMTP transport opens up
 * to this many sessions (nodemailer's pool allows five).
 */
export const OUTBOX_IN_FLIGHT = 4;

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
    /** How long claimed messages stay this worker's (see claimDue). */
    private readonly leaseMs = OUTBOX_LEASE_MS,
    /** Messages in flight at once within a pass. */
    private readonly inFlight = OUTBOX_IN_FLIGHT,
  ) {}

  /** Passes every `intervalMs` while idle; the first after `firstPassMs`. */
  start(intervalMs = 1000, firstPassMs = intervalMs) {
    const tick = () => {
      this.runOnce()
        // A full batch means more may be waiting: the next pass starts at once, so a backlog
        // drains at the speed of the mail server rather than one batch a second.
        .then((sent) => (sent >= OUTBOX_BATCH ? 0 : intervalMs))
        .catch((error) => {
          this.log.warn({ err: error }, 'outbox pass failed; will retry');
          return intervalMs;
        })
        .then((delay) => {
          if (this.timer) this.timer = setTimeout(tick, delay);
        });
    };
    this.timer = setTimeout(tick, firstPassMs);
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass; returns how many messages were sent. Passes never overlap within an instance. */
  async runOnce(batch = OUTBOX_BATCH): Promise<number> {
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
    const claimed = await claimDue(
      this.db.kysely,
      this.db.dialect,
      this.now(),
      batch,
      this.leaseMs,
    );
    const started = performance.now();
    let sent = 0;
    const queue = [...claimed];
    // Several lanes take the claimed rows one at a time; a row taken by a lane is never taken again.
    const lane = async () => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        const outcome = await this.handle(message, started);
        if (outcome === 'stop') return;
        if (outcome === 'sent') sent++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.inFlight, queue.length) }, lane));
    return sent;
  }

  /** Sends one claimed message and records the outcome; 'stop' when the pass must take no more rows. */
  private async handle(
    message: ClaimedMessage,
    started: number,
  ): Promise<'sent' | 'failed' | 'stop'> {
    // Once the lease runs out another instance may claim these rows, and a message still being
    // sent here would go out twice. No send starts after half the lease: one send takes at most
    // the SMTP timeouts (about 20 s) and the rest of a 60 s lease covers it. The rows not
    // tried stay locked until the lease ends, then any worker takes them.
    if (performance.now() - started > this.leaseMs / 2) return 'stop';
    try {
      await this.deliver(message);
      await markSent(this.db.kysely, message.id, this.now());
      return 'sent';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const dead = await markFailed(
        this.db.kysely,
        message,
        reason,
        this.now(),
        this.backoffBaseMs,
      );
      this.log[dead ? 'error' : 'warn'](
        { outboxId: message.id, attempts: message.attempts + 1, reason },
        dead ? 'outbox message dead-lettered' : 'outbox delivery failed; retry scheduled',
      );
      return 'failed';
    }
  }

  private async deliver(message: ClaimedMessage) {
    if (message.channel === 'email') {
      await this.senders.email.send(
        openEmail(this.secrets, message.payload),
        message.idempotencyKey,
      );
    } else if (message.channel === 'webhook' && this.senders.webhook) {
      await this.senders.webhook.send(message.payload, message.idempotencyKey);
    } else {
      throw new Error(`no sender for channel ${message.channel}`);
    }
  }
}
