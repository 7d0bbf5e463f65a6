import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Email, type EmailSender, openEmail, sealEmail } from '../../src/outbox/email';
import { claimDue, enqueue } from '../../src/outbox/queue';
import { OutboxWorker } from '../../src/outbox/worker';
import type { ServiceContext } from '../../src/services/context';
import { describeEachEngine } from '../helpers/databases';
import { recordingLog, secondDb, serviceContext, TestClock } from '../helpers/requests';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts deliveries per idempotency key; a short pause per send lets two workers interleave. */
function recordingSender(): EmailSender & { sent: { key: string; email: Email }[] } {
  const sent: { key: string; email: Email }[] = [];
  return {
    sent,
    async send(email, key) {
      await sleep(1);
      sent.push({ key, email });
    },
    close() {},
  };
}

function letter(i: number): Email {
  return { to: `firm-${i}@firms.example`, subject: `Brief ${i}`, text: `Hello ${i}` };
}

describeEachEngine('the outbox queue', (t) => {
  const clock = new TestClock();
  let ctx: ServiceContext;
  let other: Awaited<ReturnType<typeof secondDb>>;

  beforeAll(async () => {
    ctx = serviceContext(t(), clock);
    other = await secondDb(t(), 6);
  });
  afterAll(async () => {
    await other?.close();
  });

  /** A worker that sends email through `sender`, on `db` (a second pool is a second instance). */
  function emailWorker(db: ServiceContext['db'], sender: EmailSender) {
    return new OutboxWorker(db, ctx.secrets, { email: sender }, recordingLog(), clock.now);
  }

  async function rows(prefix: string) {
    return ctx.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('idempotencyKey', 'like', `${prefix}%`)
      .orderBy('idempotencyKey')
      .execute();
  }

  it('keeps one message per idempotency key', async () => {
    const intro = (n: number) =>
      enqueue(
        ctx.db.kysely,
        {
          channel: 'email',
          idempotencyKey: 'dup:intro',
          payload: sealEmail(ctx.secrets, letter(n)),
        },
        clock.now(),
      );
    expect(await intro(1)).toBe(true);
    expect(await intro(2)).toBe(false);
    // Also when both arrive at once.
    const racing = await Promise.all(
      [3, 4, 5].map((i) =>
        enqueue(
          ctx.db.kysely,
          {
            channel: 'email',
            idempotencyKey: 'dup:race',
            payload: sealEmail(ctx.secrets, letter(i)),
          },
          clock.now(),
        ),
      ),
    );
    expect(racing.filter(Boolean)).toHaveLength(1);

    const stored = await rows('dup:');
    expect(stored.map((r) => r.idempotencyKey)).toEqual(['dup:intro', 'dup:race']);
    expect(openEmail(ctx.secrets, stored[0]!.payload).subject).toBe('Brief 1');
    expect(stored.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
  });

  it('queues a message exactly when the change that causes it commits', async () => {
    await expect(
      ctx.db.kysely.transaction().execute(async (trx) => {
        await enqueue(
          trx,
          {
            channel: 'email',
            idempotencyKey: 'tx:rolled-back',
            payload: sealEmail(ctx.secrets, letter(9)),
          },
          clock.now(),
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rows('tx:')).toHaveLength(0);
  });

  it('two workers draining 50 messages at once deliver each exactly once', async () => {
    for (let i = 0; i < 50; i++) {
      await enqueue(
        ctx.db.kysely,
        {
          channel: 'email',
          idempotencyKey: `two:${String(i).padStart(2, '0')}`,
          payload: sealEmail(ctx.secrets, letter(i)),
        },
        clock.now(),
      );
    }
    const one = recordingSender();
    const two = recordingSender();
    const workerOne = emailWorker(ctx.db, one);
    // On PostgreSQL the second worker has its own pool, like a second app instance.
    const workerTwo = emailWorker(other.db, two);
    const work = async (worker: OutboxWorker) => {
      let total = 0;
      for (;;) {
        const sent = await worker.runOnce(4);
        total += sent;
        if (sent === 0) return total;
      }
    };
    const [byOne, byTwo] = await Promise.all([work(workerOne), work(workerTwo)]);

    const keys = [...one.sent, ...two.sent].map((s) => s.key).filter((k) => k.startsWith('two:'));
    expect(keys).toHaveLength(50);
    expect(new Set(keys).size).toBe(50);
    // Everything due went out once (the earlier tests' messages too), nothing twice.
    const all = [...one.sent, ...two.sent].map((s) => s.key);
    expect(new Set(all).size).toBe(all.length);
    expect(byOne + byTwo).toBe(all.length);
    // Both took part: the claim split the work rather than serialising it on one worker.
    expect(one.sent.length).toBeGreaterThan(0);
    expect(two.sent.length).toBeGreaterThan(0);
    for (const s of [...one.sent, ...two.sent].filter((x) => x.key.startsWith('two:')))
      expect(s.email.subject).toBe(`Brief ${Number(s.key.slice(4))}`);
    const stored = await rows('two:');
    expect(stored.every((r) => r.status === 'sent' && r.attempts === 0 && r.sentAt !== null)).toBe(
      true,
    );
    expect(await workerOne.drain()).toBe(0);
    expect(await workerTwo.drain()).toBe(0);
  });

  it('a message claimed by a worker that died is delivered once its lease runs out', async () => {
    await enqueue(
      ctx.db.kysely,
      { channel: 'email', idempotencyKey: 'lease:one', payload: sealEmail(ctx.secrets, letter(7)) },
      clock.now(),
    );
    // A worker claims it and dies before sending.
    const claimed = await claimDue(other.db.kysely, other.db.dialect, clock.now(), 10, 60_000);
    expect(claimed.map((c) => c.idempotencyKey)).toEqual(['lease:one']);

    const sender = recordingSender();
    const worker = emailWorker(ctx.db, sender);
    expect(await worker.drain()).toBe(0);
    clock.advance(30_000);
    expect(await worker.drain()).toBe(0);
    clock.advance(31_000);
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(sender.sent.map((s) => s.key)).toEqual(['lease:one']);
    const [row] = await rows('lease:');
    expect(row?.status).toBe('sent');
  });
});
