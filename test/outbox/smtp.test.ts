import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageId, smtpSender } from '../../src/outbox/email';
import { backoffMs, MAX_ATTEMPTS, retryDead } from '../../src/outbox/queue';
import { OutboxWorker } from '../../src/outbox/worker';
import type { ServiceContext } from '../../src/services/context';
import { describeEachEngine } from '../helpers/databases';
import {
  recordingLog,
  serviceContext,
  type SubmittedRequest,
  submit,
  TestClock,
} from '../helpers/requests';
import { SmtpSink } from '../helpers/smtp-sink';

/**
 * "Nothing lost": every email goes through the outbox, so an SMTP outage delays mail and never
 * drops or duplicates it. The mail server here is a real SMTP peer the test takes away.
 */
describeEachEngine('email delivery through an SMTP outage', (t) => {
  const clock = new TestClock();
  const sink = new SmtpSink();
  let bouncing = true;
  const picky = new SmtpSink({
    rejectRecipient: (address) => bouncing && address.startsWith('bounce-'),
  });
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = serviceContext(t(), clock);
    // Take a port, then go down: the app's SMTP_URL points at a server that is not there.
    await sink.start();
    await sink.stop();
    await picky.start();
  });
  afterAll(async () => {
    await sink.stop();
    await picky.stop();
  });

  async function outbox(keys: string[]) {
    return ctx.db.kysely
      .selectFrom('outbox')
      .select(['idempotencyKey', 'status', 'attempts', 'nextAttemptAt', 'lastError'])
      .where('idempotencyKey', 'in', keys)
      .execute();
  }

  it('100 requests arrive while SMTP is down; after it returns each confirmation arrives exactly once', async () => {
    // A pooled transport (SMTP_URL may say ?pool=true) reuses connections: the sink greets each
    // new connection only after 100 ms, which would make 100 separate sessions slow.
    const sender = smtpSender(`${sink.url}?pool=true`, ctx.config.mailFrom);
    const log = recordingLog();
    const worker = new OutboxWorker(ctx.db, ctx.secrets, { email: sender }, log, clock.now);
    try {
      const requests: SubmittedRequest[] = [];
      for (let i = 0; i < 10; i++) {
        requests.push(...(await Promise.all(Array.from({ length: 10 }, () => submit(ctx)))));
      }
      const keys = requests.map((r) => `req:${r.id}:confirm`);
      expect(new Set(keys).size).toBe(100);

      // Two passes while the server is away: every attempt fails and is rescheduled, none is lost.
      for (const attempt of [1, 2]) {
        expect(await worker.runOnce(500)).toBe(0);
        const rows = await outbox(keys);
        expect(rows).toHaveLength(100);
        for (const row of rows) {
          expect(row.status).toBe('pending');
          expect(row.attempts).toBe(attempt);
          expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
          expect(row.nextAttemptAt).toBe(
            new Date(clock.now().getTime() + backoffMs(attempt)).toISOString(),
          );
        }
        expect(
          log.entries.filter((e) => e.msg === 'outbox delivery failed; retry scheduled'),
        ).toHaveLength(100 * attempt);
        if (attempt === 1) clock.advance(backoffMs(1) + 1_000);
      }
      expect(sink.messages).toHaveLength(0);

      // The server comes back on the same address. Retries wait for their backoff…
      const port = sink.port;
      await sink.start();
      expect(sink.port).toBe(port);
      expect(await worker.drain()).toBe(0);
      expect(sink.messages).toHaveLength(0);
      // …and once it has passed, every message goes out.
      clock.advance(backoffMs(2) + 1_000);
      expect(await worker.drain()).toBe(100);
      const received = await sink.waitFor(100);
      expect(received).toHaveLength(100);

      const ids = received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(100);
      const expected = new Map(
        requests.map((r) => [messageId(`req:${r.id}:confirm`, ctx.config.mailFrom), r.email]),
      );
      expect(new Set(ids)).toEqual(new Set(expected.keys()));
      for (const message of received) {
        const email = expected.get(message.messageId)!;
        expect(message.envelopeTo).toEqual([email]);
        expect(message.to).toContain(email);
        expect(message.subject).toBe('Confirm your request for audit quotes');
        expect(message.raw).toContain('/r/confirm/');
      }
      for (const row of await outbox(keys)) {
        expect(row.status).toBe('sent');
        expect(row.attempts).toBe(2);
      }

      // Nothing is sent twice, however often the worker runs.
      clock.advance(86_400_000);
      expect(await worker.drain()).toBe(0);
      expect(await worker.runOnce(500)).toBe(0);
      expect(sink.messages).toHaveLength(100);
    } finally {
      await worker.stop();
      sender.close();
    }
  }, 60_000);

  it('a message refused for good is dead-lettered after MAX_ATTEMPTS, and retryDead revives it', async () => {
    const sender = smtpSender(picky.url, ctx.config.mailFrom);
    const log = recordingLog();
    const worker = new OutboxWorker(ctx.db, ctx.secrets, { email: sender }, log, clock.now);
    try {
      const bounce = await submit(ctx, { email: `bounce-${Date.now()}@buyer.example` });
      const fine = await submit(ctx);
      const key = `req:${bounce.id}:confirm`;

      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        await worker.runOnce(50);
        const [row] = await outbox([key]);
        expect(row?.attempts).toBe(attempt);
        expect(row?.status).toBe(attempt < MAX_ATTEMPTS ? 'pending' : 'dead');
        expect(row?.lastError).toMatch(/550|reject/i);
        clock.advance(backoffMs(attempt) + 1_000);
      }
      expect(log.entries.filter((e) => e.msg === 'outbox message dead-lettered')).toHaveLength(1);
      // The other buyer's email was not held up by the bad one.
      expect(picky.messages.map((m) => m.envelopeTo)).toEqual([[fine.email]]);

      // A dead letter stays put, however much time passes.
      clock.advance(7 * 86_400_000);
      expect(await worker.drain()).toBe(0);
      const [dead] = await outbox([key]);
      expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });

      // The operator fixes the cause and retries it: one fresh delivery, exactly once.
      bouncing = false;
      const row = await ctx.db.kysely
        .selectFrom('outbox')
        .select('id')
        .where('idempotencyKey', '=', key)
        .executeTakeFirstOrThrow();
      expect(await retryDead(ctx.db.kysely, row.id, clock.now())).toBe(true);
      expect(await retryDead(ctx.db.kysely, row.id, clock.now())).toBe(false);
      expect(await worker.drain()).toBe(1);
      expect(await worker.drain()).toBe(0);
      const [sent] = await outbox([key]);
      expect(sent?.status).toBe('sent');
      expect(picky.messages.filter((m) => m.envelopeTo.includes(bounce.email))).toHaveLength(1);
      expect(
        picky.messages.filter((m) => m.messageId === messageId(key, ctx.config.mailFrom)),
      ).toHaveLength(1);
    } finally {
      await worker.stop();
      sender.close();
    }
  }, 60_000);
});
