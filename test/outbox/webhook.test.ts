import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmailSender } from '../../src/outbox/email';
import { MAX_ATTEMPTS } from '../../src/outbox/queue';
import { signWebhook, verifyWebhook, webhookSender } from '../../src/outbox/webhook';
import { OutboxWorker } from '../../src/outbox/worker';
import { respondToBrief, sendBriefs } from '../../src/services/briefs';
import type { ServiceContext } from '../../src/services/context';
import { registerWebhook } from '../../src/services/firm/webhooks';
import { changeFirmStatus } from '../../src/services/admin/firms';
import { describeEachEngine } from '../helpers/databases';
import {
  confirmedRequest,
  recordingLog,
  resetCapacity,
  seededContext,
  TestClock,
} from '../helpers/requests';
import { firmActor, storedFirmUser } from '../helpers/users';

/**
 * Webhooks against a real HTTP receiver on 127.0.0.1: the receiver checks the Standard Webhooks
 * signature as a CRM would; one answering 500 sees retries with the same webhook-id until the
 * outbox dead-letters the event.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(
  status: number,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status === 200 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/auditmatch`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const silentEmail: EmailSender = { async send() {}, close() {} };

/** An outbox worker that delivers webhooks (to loopback receivers too) and drops email. */
function deliveringWorker(ctx: ServiceContext, clock: TestClock) {
  const webhook = webhookSender(ctx.db, ctx.secrets, {
    allowPrivateAddresses: true,
    now: clock.now,
    timeoutMs: 5000,
  });
  return new OutboxWorker(
    ctx.db,
    ctx.secrets,
    { email: silentEmail, webhook },
    recordingLog(),
    clock.now,
  );
}

describeEachEngine('signed webhooks through the outbox', (t) => {
  const clock = new TestClock();
  let ctx: ServiceContext;
  let ok: Awaited<ReturnType<typeof receiver>>;
  let failing: Awaited<ReturnType<typeof receiver>>;

  const worker = () => deliveringWorker(ctx, clock);

  const firmOwner = (firmId: string) => storedFirmUser(ctx, firmId);

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    await resetCapacity(ctx);
    ok = await receiver(200);
    failing = await receiver(500);
  });
  afterAll(async () => {
    await ok?.close();
    await failing?.close();
  });

  it('delivers brief.received and lead.accepted with a signature the receiver verifies', async () => {
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[0]!;
    const owner = await firmOwner(firmId);
    const { secret } = await registerWebhook(ctx, owner, {
      url: ok.url,
      events: ['brief.received', 'lead.accepted'],
    });

    await sendBriefs(ctx, request.id, [firmId]);
    const brief = await ctx.db.kysely
      .selectFrom('briefs')
      .select('id')
      .where('requestId', '=', request.id)
      .executeTakeFirstOrThrow();
    await respondToBrief(
      ctx,
      brief.id,
      { action: 'accept' },
      { kind: 'firm-user', id: owner.id, firmId },
    );
    await worker().drain();

    expect(ok.received).toHaveLength(2);
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const delivery of ok.received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(delivery.headers['webhook-timestamp']).toBe(String(now));
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifyWebhook(secret, delivery.headers, delivery.body, now)).toBe(true);
      // A tampered body, another secret or a replay long after fails.
      expect(
        verifyWebhook(secret, delivery.headers, delivery.body.replace('brief', 'briefs'), now),
      ).toBe(false);
      expect(
        verifyWebhook(
          `whsec_${Buffer.from('another secret of 24 byt').toString('base64')}`,
          delivery.headers,
          delivery.body,
          now,
        ),
      ).toBe(false);
      expect(verifyWebhook(secret, delivery.headers, delivery.body, now + 3600)).toBe(false);
    }
    const events = ok.received.map(
      (d) => JSON.parse(d.body) as { type: string; data: { briefId: string } },
    );
    // The outbox does not promise order (a retried event arrives after later ones); each event says what it is.
    expect(events.map((e) => e.type).sort()).toEqual(['brief.received', 'lead.accepted']);
    expect(events.every((e) => e.data.briefId === brief.id)).toBe(true);
    // Events carry no buyer contact.
    expect(ok.received.some((d) => d.body.includes(request.email))).toBe(false);

    // The signature is the documented HMAC: anyone can recompute it from the secret.
    const first = ok.received[0]!;
    const expected = signWebhook(
      secret,
      String(first.headers['webhook-id']),
      Number(first.headers['webhook-timestamp']),
      first.body,
    );
    expect(first.headers['webhook-signature']).toBe(expected);

    const rows = await ctx.db.kysely
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('channel', '=', 'webhook')
      .where('idempotencyKey', 'like', `req:${request.id}:%`)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('retries a receiver that answers 500 with the same webhook-id, then dead-letters the event', async () => {
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[1]!;
    const owner = await firmOwner(firmId);
    await registerWebhook(ctx, owner, { url: failing.url, events: ['brief.received'] });
    await sendBriefs(ctx, request.id, [firmId]);

    const w = worker();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await w.runOnce();
      expect(failing.received).toHaveLength(attempt);
      // Past the longest backoff (capped at an hour), so the next pass retries.
      clock.advance(2 * 3_600_000);
    }
    await w.runOnce();

    expect(failing.received).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(failing.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
    const row = await ctx.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('channel', '=', 'webhook')
      .where('idempotencyKey', 'like', `req:${request.id}:%`)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'dead',
      attempts: MAX_ATTEMPTS,
      lastError: 'webhook endpoint answered HTTP 500',
    });
  });

  it('skips an endpoint the firm removed after the event was queued', async () => {
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[2]!;
    const owner = await firmOwner(firmId);
    await registerWebhook(ctx, owner, { url: ok.url, events: ['brief.received'] });
    await sendBriefs(ctx, request.id, [firmId]);
    // Remove every endpoint of this firm: an earlier test may have registered one for the same firm.
    await ctx.db.kysely
      .updateTable('webhookEndpoints')
      .set({ disabledAt: clock.now().toISOString() })
      .where('firmId', '=', firmId)
      .execute();
    const before = ok.received.length;
    await worker().drain();
    expect(ok.received).toHaveLength(before);
    const row = await ctx.db.kysely
      .selectFrom('outbox')
      .select('status')
      .where('idempotencyKey', 'like', `req:${request.id}:%webhook%`)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
  });

  it('refuses private and loopback addresses in production, where the endpoint itself is checked at delivery', async () => {
    // Which addresses are private is tested in test/security/ssrf.test.ts.
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[0]!;
    const owner = await firmOwner(firmId);
    const { id } = await registerWebhook(ctx, owner, { url: ok.url, events: ['brief.received'] });
    const production = webhookSender(ctx.db, ctx.secrets, {
      allowPrivateAddresses: false,
      now: clock.now,
    });
    const before = ok.received.length;
    const message = JSON.stringify({ endpointId: id, webhookId: 'msg_test', body: '{}' });
    await expect(production.send(message, 'test')).rejects.toThrow('not a public https address');
    expect(ok.received).toHaveLength(before);
  });
});

describeEachEngine('webhooks of a suspended firm', (t) => {
  const clock = new TestClock();
  let ctx: ServiceContext;
  let ok: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    ctx = await seededContext(t(), clock);
    await resetCapacity(ctx);
    ok = await receiver(200);
  });
  afterAll(async () => {
    await ok?.close();
  });

  it('are not delivered once the firm is suspended, even when queued before', async () => {
    const request = await confirmedRequest(ctx);
    const firmId = request.proposed[0]!;
    const id = randomUUID();
    await ctx.db.kysely
      .insertInto('users')
      .values({
        id,
        email: `o-${id.slice(0, 6)}@firm.example`,
        name: null,
        role: 'firm',
        firmId,
        firmRole: 'owner',
        createdAt: clock.now().toISOString(),
        disabledAt: null,
      })
      .execute();
    await registerWebhook(ctx, firmActor(firmId, { id }), {
      url: ok.url,
      events: ['brief.received', 'brief.withdrawn'],
    });
    await sendBriefs(ctx, request.id, [firmId]);
    // Queued, then the firm is suspended before the worker runs: its CRM hears nothing more.
    await changeFirmStatus(
      ctx,
      { firmId, action: 'suspend', reason: 'Under review' },
      '00000000-0000-4000-8000-00000000a0a0',
    );
    await deliveringWorker(ctx, clock).drain();
    expect(ok.received).toEqual([]);
  });
});
