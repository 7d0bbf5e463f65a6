import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { seedDemoFirms } from '../../src/services/seed';
import { buildApp } from '../../src/web/app';

/**
 * The app as the page benchmarks measure it: production settings on a fresh SQLite database in
 * a temporary folder, seeded with the demo firms. TRUST_PROXY is on so the load generator can
 * give each request its own X-Forwarded-For address: the per-address rate limits stay in the
 * request path but do not turn the match preview into a stream of 429s.
 */
export async function benchApp(
  port: number,
): Promise<{ app: FastifyInstance; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    APP_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    PUBLIC_URL: `http://127.0.0.1:${port || 3000}`,
    TRUST_PROXY: '1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? '',
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db.kysely);
  await seedDemoFirms(db.kysely, new Date());
  const app = await buildApp(config, { db });
  return {
    app,
    async stop() {
      await app.close().catch(() => {});
      await db.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
