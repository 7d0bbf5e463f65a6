import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageId, smtpSender } from '../../src/outbox/email';
import { backoffMs, MAX_ATTEMPTS, retryDead } from '../../src/outbox/queue';
import { OUTBOX_BATCH, OUTBOX_IN_FLIGHT, OutboxWorker } from '../../src/outbox/worker';
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

  /** A mail server of its own and a worker sending to it, for `run`; both stopped after it. */
  async function withWorker(
    options: ConstructorParameters<typeof SmtpSink>[0],
    run: (sink: SmtpSink, worker: OutboxWorker) => Promise<void>,
  ) {
    const own = new SmtpSink(options);
    await own.start();
    const { worker, close } = instance(own);
    try {
      await run(own, worker);
    } finally {
      await close();
      await own.stop();
    }
  }

  /** A worker sending to `sink` as one app instance would; `close` stops it and its sender. */
  function instance(sink: SmtpSink, now = clock.now, leaseMs?: number) {
    const sender = smtpSender(sink.url, ctx.config.mailFrom);
    const log = recordingLog();
    const worker = new OutboxWorker(
      ctx.db,
      ctx.secrets,
      { email: sender },
      log,
      now,
      undefined,
      leaseMs,
    );
    return {
      worker,
      log,
      async close() {
        await worker.stop();
        sender.close();
      },
    };
  }

  it('100 requests arrive while SMTP is down; after it returns each confirmation arrives exactly once', async () => {
    // The sender pools its connections (the default), so when the server is back the 100
    // messages go over a few sessions rather than 100.
    const { worker, log, close } = instance(sink);
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
      const received = await sink.waitForCount(100);
      expect(received).toHaveLength(100);

      const ids = received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(100);
      const expected = new Map(
        requests.map((r) => [messageId(`req:${r.id}:confirm`, ctx.config.mailFrom), r.email]),
      );
      expect(new Set(ids)).toEqual(new Set(expected.keys()));
      for (const message of received) {
        const email = expected.get(message.messageId)!;
        expect(message.to).toEqual([email]);
        expect(message.toHeader).toContain(email);
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
      await close();
    }
  });

  it('a message refused for good is dead-lettered after MAX_ATTEMPTS, and retryDead revives it', async () => {
    const { worker, log, close } = instance(picky);
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
      expect(picky.messages.map((m) => m.to)).toEqual([[fine.email]]);

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
      expect(picky.messages.filter((m) => m.to.includes(bounce.email))).toHaveLength(1);
      expect(
        picky.messages.filter((m) => m.messageId === messageId(key, ctx.config.mailFrom)),
      ).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('one pass sends its batch over a few pooled SMTP connections, and a dropped connection is replaced', () =>
    withWorker({}, async (steady, worker) => {
      const first = await Promise.all(Array.from({ length: 20 }, () => submit(ctx)));
      expect(await worker.drain()).toBe(20);
      expect((await steady.waitForCount(20)).map((m) => m.to[0]).sort()).toEqual(
        first.map((r) => r.email).sort(),
      );
      // Several messages in flight: at most one pooled session per lane, never one per message.
      expect(steady.connections).toBeGreaterThanOrEqual(1);
      expect(steady.connections).toBeLessThanOrEqual(OUTBOX_IN_FLIGHT);

      // The server goes away and comes back: the pooled session is gone, a new one is opened.
      await steady.stop();
      await steady.start();
      const second = await Promise.all(Array.from({ length: 5 }, () => submit(ctx)));
      let sent = await worker.drain();
      if (sent < 5) {
        // A send on the dead session fails and is retried after its backoff, never lost.
        clock.advance(backoffMs(1) + 1_000);
        sent += await worker.drain();
      }
      expect(sent).toBe(5);
      const received = await steady.waitForCount(25);
      expect(
        received
          .slice(20)
          .map((m) => m.to[0])
          .sort(),
      ).toEqual(second.map((r) => r.email).sort());
      const before = OUTBOX_IN_FLIGHT;
      expect(steady.connections).toBeGreaterThan(1);
      expect(steady.connections).toBeLessThanOrEqual(before + OUTBOX_IN_FLIGHT + 1);
    }));

  it('a running worker drains a backlog in back-to-back passes, not one batch per interval', () =>
    withWorker({}, async (steady, worker) => {
      const backlog = await Promise.all(
        Array.from({ length: 2 * OUTBOX_BATCH + 10 }, () => submit(ctx)),
      );
      // An hour between idle passes: only full batches followed at once can deliver all of them.
      worker.start(3_600_000, 0);
      const received = await steady.waitForCount(backlog.length);
      expect(received.map((m) => m.to[0]).sort()).toEqual(backlog.map((r) => r.email).sort());
      await worker.stop(); // lets the pass that sent the last one record it
      const rows = await outbox(backlog.map((r) => `req:${r.id}:confirm`));
      // Each went out on its first try: no failed attempt recorded.
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 0]));
      expect(rows).toHaveLength(backlog.length);
    }));

  it('with a slow mail server a pass keeps several messages in flight, each sent exactly once', () =>
    withWorker({ dataDelayMs: 300 }, async (slow, worker) => {
      const requests = await Promise.all(Array.from({ length: 12 }, () => submit(ctx)));
      expect(await worker.drain()).toBe(12);
      // While one message waits on the slow server the next lanes open their own sessions.
      expect(slow.connections).toBeGreaterThan(1);
      expect(slow.connections).toBeLessThanOrEqual(OUTBOX_IN_FLIGHT);
      const ids = slow.messages.map((m) => m.messageId).sort();
      expect(ids).toEqual(
        requests.map((r) => messageId(`req:${r.id}:confirm`, ctx.config.mailFrom)).sort(),
      );
      const rows = await outbox(requests.map((r) => `req:${r.id}:confirm`));
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 0]));
    }));

  it('with a slow mail server a pass stops before its lease ends, so a second instance never sends a message twice', async () => {
    const slow = new SmtpSink({ dataDelayMs: 300 });
    await slow.start();
    const leaseMs = 2_000;
    // Leases are in real time here: the test clock's present, moving on as the wall clock does.
    const from = clock.now().getTime();
    const started = Date.now();
    const realClock = () => new Date(from + (Date.now() - started));
    const a = instance(slow, realClock, leaseMs);
    const b = instance(slow, realClock, leaseMs);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const requests = await Promise.all(Array.from({ length: 10 }, () => submit(ctx)));
      const expected = requests.map((r) => messageId(`req:${r.id}:confirm`, ctx.config.mailFrom));
      // A claims all ten and needs 3 s to send them; B comes while A's lease has run out.
      const first = a.worker.runOnce();
      await sleep(leaseMs + 100);
      const second = b.worker.runOnce();
      let sent = (await first) + (await second);
      for (let pass = 0; sent < 10 && pass < 10; pass++) {
        await sleep(leaseMs + 100);
        sent += await (pass % 2 ? a : b).worker.runOnce();
      }
      expect(sent).toBe(10);
      const ids = slow.messages.map((m) => m.messageId);
      expect(ids.sort()).toEqual(expected.sort());
    } finally {
      await a.close();
      await b.close();
      await slow.stop();
    }
  });
});
