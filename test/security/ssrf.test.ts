import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isPrivateAddress,
  resolvesToPrivateAddress,
  webhookSender,
} from '../../src/outbox/webhook';
import type { SessionUser } from '../../src/services/auth';
import type { ServiceContext } from '../../src/services/context';
import { webhookEndpointSchema } from '../../src/services/firm/schemas';
import { registerWebhook } from '../../src/services/firm/webhooks';
import { describeEachEngine } from '../helpers/databases';
import { seedDemo, serviceContext, TestClock } from '../helpers/requests';
import { storedFirmUser } from '../helpers/users';

/**
 * Webhooks are the one place the server connects where a firm tells it to. Only globally
 * routable unicast addresses may be reached in production: checked when the endpoint is
 * registered and again at every connection, for every address a name resolves to.
 */

/** Each range the earlier hand-written check missed, and the ones it had. */
const NOT_PUBLIC = [
  '::ffff:7f00:1', // IPv4-mapped loopback, in hex
  '::ffff:a00:1', // IPv4-mapped 10.0.0.1
  '::ffff:10.0.0.1',
  '::ffff:127.0.0.1',
  '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '198.18.0.1', // benchmarking
  '198.19.255.254',
  '192.0.0.8', // IETF protocol assignments
  '240.0.0.1', // reserved
  '255.255.255.255',
  '224.0.0.1', // multicast
  '239.255.255.250',
  'ff02::1',
  '192.0.2.10', // documentation
  '2001:db8::1',
  '127.0.0.1',
  '10.1.2.3',
  '172.20.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '::',
  '::1',
  '[::1]',
  'fd00::1',
  'fe80::1',
  '2002:7f00:1::1', // 6to4 of loopback
  '2001::1', // Teredo
];
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '2606:4700::1111',
  '[2a00:1450:4001:80b::200e]',
  'crm.example',
];

describe('which addresses are public', () => {
  it('refuses every range that is not globally routable unicast', () => {
    for (const ip of NOT_PUBLIC) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of PUBLIC) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('refuses those addresses when a webhook is registered in production', () => {
    const schema = webhookEndpointSchema(false);
    for (const ip of NOT_PUBLIC) {
      const host = ip.includes(':') ? `[${ip.replace(/^\[|\]$/g, '')}]` : ip;
      const parsed = schema.safeParse({ url: `https://${host}/hooks`, events: ['brief.received'] });
      expect(parsed.success, host).toBe(false);
    }
    expect(
      schema.safeParse({ url: 'https://crm.example.com/hooks', events: ['brief.received'] })
        .success,
    ).toBe(true);
  });

  it('judges a name by every address it resolves to', async () => {
    expect(await resolvesToPrivateAddress('localhost')).toBe(true);
    expect(await resolvesToPrivateAddress('[::ffff:7f00:1]')).toBe(true);
    expect(await resolvesToPrivateAddress('8.8.8.8')).toBe(false);
  });
});

describeEachEngine('webhooks in production reach public addresses only', (t) => {
  const clock = new TestClock();
  let ctx: ServiceContext;
  let server: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    await seedDemo(t(), clock);
    const base = serviceContext(t(), clock);
    ctx = { ...base, config: { ...base.config, env: 'production' } };
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  async function owner(): Promise<SessionUser> {
    const firm = await ctx.db.kysely
      .selectFrom('firms')
      .select('id')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return storedFirmUser(ctx, firm.id);
  }

  it('refuses at registration a name that resolves to a private address', async () => {
    const user = await owner();
    await expect(
      registerWebhook(ctx, user, {
        url: `https://localhost:${port}/hooks`,
        events: ['brief.received'],
      }),
    ).rejects.toMatchObject({ status: 400, field: 'url' });
  });

  it('refuses at connect time an endpoint stored before the rules, literal or by name', async () => {
    const user = await owner();
    const sender = webhookSender(ctx.db, ctx.secrets, {
      allowPrivateAddresses: false,
      now: clock.now,
      timeoutMs: 2000,
    });
    for (const url of [
      `https://198.18.0.1:${port}/`,
      `https://[::ffff:7f00:1]:${port}/`,
      `https://localhost:${port}/`,
    ]) {
      const id = randomUUID();
      await ctx.db.kysely
        .insertInto('webhookEndpoints')
        .values({
          id,
          firmId: user.firmId!,
          url,
          secretEnc: ctx.secrets.encrypt('whsec_c2VjcmV0'),
          events: '["brief.received"]',
          createdAt: clock.now().toISOString(),
          disabledAt: null,
        })
        .execute();
      await expect(
        sender.send(JSON.stringify({ endpointId: id, webhookId: 'msg_1', body: '{}' }), 'k'),
        url,
      ).rejects.toThrow(/public|private/);
    }
    expect(hits).toBe(0);
  });
});
