import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { realFirmCount } from '../../src/services/seed';
import { appOn, statusOf } from '../helpers/app';
import { describeEachEngine } from '../helpers/databases';

/** Defaults that are safe when someone forgets a setting. */

describe('the SQLite database on disk', () => {
  it('creates the data folder and the database file owner-only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'auditmatch-perm-')), 'data');
    const file = join(dir, 'auditmatch.sqlite');
    const db = openDatabase({ kind: 'sqlite', file });
    try {
      await migrateToLatest(db.kysely);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o077).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describeEachEngine('safe defaults', (t) => {
  describe('outside production', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await appOn(t());
    });
    afterAll(async () => {
      await app?.close();
    });

    it('answers only to this machine’s host names (no DNS rebinding)', async () => {
      for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'localhost']) {
        expect(
          (await app.inject({ method: 'GET', url: '/', headers: { host } })).statusCode,
          host,
        ).toBe(200);
      }
      for (const host of ['attacker.example', 'attacker.example:3000', '192.168.1.20:3000']) {
        const res = await app.inject({ method: 'GET', url: '/dev/mailbox', headers: { host } });
        expect(res.statusCode, host).toBe(421);
        expect(res.body).not.toContain('/sign-in/');
        expect(res.headers['x-frame-options']).toBe('DENY');
      }
    });

    it('shows the development mailbox to this machine only', async () => {
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox' })).statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/dev/mailbox', remoteAddress: '203.0.113.5' }))
          .statusCode,
      ).toBe(404);
      // A forwarded header does not make a remote peer local.
      expect(
        (
          await app.inject({
            method: 'GET',
            url: '/dev/mailbox',
            remoteAddress: '203.0.113.5',
            headers: { 'x-forwarded-for': '127.0.0.1' },
          })
        ).statusCode,
      ).toBe(404);
    });

    it('counts firms that are not demo ones, for the warning at start-up', async () => {
      expect(await realFirmCount(app.ctx.db.kysely)).toBe(0);
    });
  });

  describe('in production', () => {
    let plain: FastifyInstance;
    let withToken: FastifyInstance;
    const token = 'metrics-token-0123456789abcdef';
    beforeAll(async () => {
      const db = t();
      plain = await appOn({ ...db, config: { ...db.config, env: 'production' } }, { seed: false });
      withToken = await appOn(
        { ...db, config: { ...db.config, env: 'production', metricsToken: token } },
        { seed: false },
      );
    });
    afterAll(async () => {
      await plain?.close();
      await withToken?.close();
    });

    it('never serves the development mailbox', async () => {
      expect((await plain.inject({ method: 'GET', url: '/dev/mailbox' })).statusCode).toBe(404);
    });

    it('serves /metrics only with its token, even to a local peer such as a reverse proxy', async () => {
      expect((await plain.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect((await withToken.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect(await statusOf(withToken, '/metrics', { authorization: 'Bearer wrong' })).toBe(404);
      const ok = await withToken.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.5',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('process_cpu');
    });
  });
});
