import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoFirms } from '../src/services/seed';
import { buildApp } from '../src/web/app';

/**
 * The app as the page benchmark measures it: production settings on a fresh SQLite database in
 * a temporary folder, seeded with the demo firms. Started as a child by bench/pages.ts; listens
 * on argv[2] (0: any free port) and reports the port it got over IPC.
 *
 * TRUST_PROXY is on so the load generator can give each request its own X-Forwarded-For
 * address: the per-address rate limits stay in the request path but do not turn the match
 * preview into a stream of 429s.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-bench-'));
const port = Number(process.argv[2] ?? 0);
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
const address = await app.listen({ host: '127.0.0.1', port });
const actual = Number(new URL(address).port);
if (process.send) process.send({ ready: true, port: actual, pid: process.pid });
else console.log(`app listening on ${address}`);
// The benchmark asks for the memory breakdown behind the RSS it reads from /proc.
process.on('message', (message: { memory?: boolean }) => {
  if (message.memory) process.send?.({ memory: process.memoryUsage() });
});

async function stop() {
  await app.close().catch(() => {});
  await db.close().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
