import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { changeFirmStatus } from '../../src/services/admin/firms';
import { FRONT_DOOR_MS } from '../../src/web/plugins/front-door';
import { firstActiveFirm } from '../helpers/rows';
import { describeEachEngine } from '../helpers/databases';
import { appOn, useApp } from '../helpers/app';
import { insertUser } from '../helpers/users';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request over a real socket: the front door sits in the server's handler, before Fastify. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The head without what differs on every answer (date, request id). */
function steadyHead(answer: Answer) {
  const { date: _date, 'x-request-id': _id, ...rest } = answer.headers;
  return rest;
}

const BROWSER = { host: 'localhost', 'accept-encoding': 'gzip, deflate, br' };

describeEachEngine('the front door for cached pages', (t) => {
  let app: FastifyInstance;
  let port: number;
  /** Requests that reached Fastify (routing and hooks), counted by a hook of the test's own. */
  let routed = 0;
  let clock = Date.parse('2026-12-07T10:00:00Z');
  useApp(
    t,
    (a) => {
      app = a;
    },
    {
      now: () => new Date(clock),
      beforeReady: (a) => {
        a.addHook('onRequest', (_request, _reply, done) => {
          routed++;
          done();
        });
      },
    },
  );
  beforeAll(async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  /** Routed requests during `action`. */
  async function routedDuring(action: () => Promise<unknown>): Promise<number> {
    const before = routed;
    await action();
    return routed - before;
  }

  it('answers a page again before routing, with the head and bytes the app sent', async () => {
    for (const path of ['/frameworks/soc2', '/compare/soc2-vs-iso42001', '/']) {
      for (const coding of ['br', 'gzip']) {
        const headers = { ...BROWSER, 'accept-encoding': coding };
        // The door answers any coding once the route answered one; past its second, the route again.
        clock += FRONT_DOOR_MS;
        let first: Answer | undefined;
        // The first request renders or hits the cache through the route; the next two do not route.
        expect(
          await routedDuring(async () => {
            first = await get(port, path, headers);
          }),
        ).toBe(1);
        let again: Answer | undefined;
        expect(
          await routedDuring(async () => {
            again = await get(port, path, headers);
            again = await get(port, path, headers);
          }),
        ).toBe(0);
        expect(first?.status).toBe(200);
        expect(again?.status).toBe(200);
        expect(steadyHead(again as Answer)).toEqual(steadyHead(first as Answer));
        expect(again?.headers['content-encoding']).toBe(coding);
        expect(again?.headers['content-security-policy']).toContain("default-src 'self'");
        expect(again?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(again?.headers['x-request-id']).not.toBe(first?.headers['x-request-id']);
        expect(again?.body.equals(first?.body as Buffer)).toBe(true);
      }
    }
  });

  it('answers a revalidation with the same 304 as the app', async () => {
    const page = await get(port, '/frameworks', BROWSER);
    const etag = page.headers.etag as string;
    clock += FRONT_DOOR_MS;
    const viaApp = await get(port, '/frameworks', { ...BROWSER, 'if-none-match': etag });
    let viaDoor: Answer | undefined;
    expect(
      await routedDuring(async () => {
        viaDoor = await get(port, '/frameworks', { ...BROWSER, 'if-none-match': etag });
      }),
    ).toBe(0);
    expect(viaApp.status).toBe(304);
    expect(viaDoor?.status).toBe(304);
    expect(viaDoor?.body.length).toBe(0);
    expect(steadyHead(viaDoor as Answer)).toEqual(steadyHead(viaApp));
  });

  it('leaves to the app whatever it is not sure of', async () => {
    await get(port, '/frameworks/iso42001', BROWSER);
    // Another method, a client that takes no compression, a Host this development server refuses.
    expect(await routedDuring(() => get(port, '/frameworks/iso42001', BROWSER, 'HEAD'))).toBe(1);
    const plain = await get(port, '/frameworks/iso42001', { host: 'localhost' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<html');
    const refused = await get(port, '/frameworks/iso42001', { ...BROWSER, host: 'evil.example' });
    expect(refused.status).toBe(421);
    // Its time is up: the route answers again (and the door with it for the next second).
    clock += FRONT_DOOR_MS;
    expect(await routedDuring(() => get(port, '/frameworks/iso42001', BROWSER))).toBe(1);
    expect(await routedDuring(() => get(port, '/frameworks/iso42001', BROWSER))).toBe(0);
  });

  it('never shows a suspended firm: the catalog moving sends the next request to the route', async () => {
    const firm = await firstActiveFirm(app.ctx.db.kysely);
    const profile = `/firms/${firm.slug}`;
    expect((await get(port, profile, BROWSER)).status).toBe(200);
    expect(await routedDuring(() => get(port, profile, BROWSER))).toBe(0);
    const adminId = randomUUID();
    await insertUser(
      app.ctx.db.kysely,
      {
        id: adminId,
        email: 'ops@auditmatch.example',
        name: null,
        role: 'admin',
        firmId: null,
        firmRole: null,
      },
      new Date(clock),
    );
    await changeFirmStatus(
      app.ctx,
      { action: 'suspend', firmId: firm.id, reason: 'Licence under review' },
      adminId,
    );
    let after: Answer | undefined;
    expect(
      await routedDuring(async () => {
        after = await get(port, profile, BROWSER);
      }),
    ).toBe(1);
    expect(after?.status).toBe(404);
    expect(await routedDuring(() => get(port, profile, BROWSER))).toBe(1);
  });

  it("echoes a proxy's request id as the app does, and leaves an unusual one to the app", async () => {
    const behindProxy = await appOn(t(), { seed: false, config: { trustProxy: 1 } });
    try {
      await behindProxy.listen({ host: '127.0.0.1', port: 0 });
      const address = behindProxy.server.address();
      const proxied = typeof address === 'object' && address ? address.port : 0;
      for (let i = 0; i < 2; i++) {
        const answer = await get(proxied, '/frameworks', { ...BROWSER, 'x-request-id': 'lb-7f3a' });
        expect(answer.headers['x-request-id']).toBe('lb-7f3a');
        const unusual = await get(proxied, '/frameworks', { ...BROWSER, 'x-request-id': 'a b' });
        expect(unusual.status).toBe(200);
        expect(unusual.headers['x-request-id']).toBe('a b');
      }
    } finally {
      await behindProxy.close();
    }
  });
});
