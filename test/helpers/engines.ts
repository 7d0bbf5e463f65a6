import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type Config, loadConfig } from '../../src/config';
import { type Db, openDatabase } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';

export type EngineName = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const ENGINES: EngineName[] = process.env.TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestDatabase {
  db: Db;
  config: Config;
  cleanup(): Promise<void>;
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    PUBLIC_URL: 'http://localhost:3000',
    ...env,
  });
}

/** A fresh, migrated database: a temporary SQLite file, or a private schema on the PostgreSQL server. */
export async function openTestDatabase(engine: EngineName): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-test-'));
  if (engine === 'sqlite') {
    const config = testConfig(dataDir);
    const db = openDatabase(config.database);
    await migrateToLatest(db.kysely);
    return {
      db,
      config,
      async cleanup() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase({ kind: 'postgres', url });
  await sql`create schema ${sql.id(schema)}`.execute(admin.kysely);
  const config = testConfig(dataDir, { DATABASE_URL: url });
  const db = openDatabase(config.database, { searchPath: schema, poolSize: 12 });
  await migrateToLatest(db.kysely, schema);
  return {
    db,
    config,
    async cleanup() {
      await db.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.kysely);
      await admin.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the event loop one turn. SQLite answers synchronously, so a long run of queries settles
 * its promises as microtasks only and the process never reads its pipe to the test runner; a
 * reply the runner sent meanwhile is then read only after its 60 s wait has run out ("Timeout
 * calling onTaskUpdate" on a busy machine). Long property runs call this between steps.
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
