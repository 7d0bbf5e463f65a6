import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FirmCatalog } from '../src/services/catalog';
import { DemandTally } from '../src/services/demand';
import type { ServiceContext } from '../src/services/context';
import { previewMatch, submitRequest } from '../src/services/intake';
import { QuoteRequestSchema } from '../src/services/intake/schemas';
import { Secrets } from '../src/services/secrets';
import { seedDemoFirms } from '../src/services/seed';
import { type EngineName, openTestDatabase } from '../test/helpers/engines';
import { type Figure, ms } from './lib/report';
import { median, percentile } from './lib/stats';
import { syntheticScopes } from './lib/synthetic';

/**
 * Intake end to end, in process: validate the submitted JSON (QuoteRequestSchema), store the
 * request with its sealed contact and its confirmation email in the outbox (submitRequest, one
 * transaction), and match it (previewMatch), against the demo catalog on each database.
 */

export const INTAKE_REQUESTS = 1_000;
export const INTAKE_P99_TARGET_MS = 25;
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function postgresUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
}

/** True when PostgreSQL answers at `url` within two seconds. */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** What a form or API client sends: unknown JSON, validated like the routes validate it. */
function submissions(count: number, today: string): unknown[] {
  return syntheticScopes(count, today, { seed: 11 }).map((scope, i) => ({
    scope,
    contact: {
      name: `Bench Buyer ${i}`,
      // A fresh address each time: an address may hold only a few unconfirmed requests a day.
      email: `buyer-${i}-${Date.now()}@bench.example.com`,
      company: `Bench Company ${i % 97}`,
      ...(i % 3 === 0 ? { phone: '+44 20 7946 0000' } : {}),
    },
    consent: true,
  }));
}

export async function runIntake(
  engine: EngineName,
  options: { requests: number; log: (line: string) => void },
): Promise<Figure> {
  const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const base = {
    id: `intake.${engine}.p99`,
    figure: `intake end to end p99, ${label}`,
    target: `≤ ${INTAKE_P99_TARGET_MS} ms`,
  };
  if (engine === 'postgres') {
    const url = postgresUrl();
    if (!(await postgresReachable(url))) {
      return {
        ...base,
        value: '—',
        pass: null,
        note: `skipped: PostgreSQL not reachable at ${url}`,
      };
    }
    // The test helper reads its server from TEST_DATABASE_URL and works in a private schema.
    process.env.TEST_DATABASE_URL = url;
  }
  const t = await openTestDatabase(engine);
  try {
    const now = new Date();
    const ctx: ServiceContext = {
      config: t.config,
      db: t.db,
      secrets: new Secrets(t.config.appSecret),
      catalog: new FirmCatalog(t.db),
      demand: new DemandTally(),
      now: () => new Date(),
    };
    await seedDemoFirms(t.db.kysely, now);
    const bodies = submissions(options.requests + 50, now.toISOString().slice(0, 10));
    const intake = async (body: unknown) => {
      const input = QuoteRequestSchema.parse(body);
      await submitRequest(ctx, input);
      return previewMatch(ctx, input.scope);
    };
    for (const body of bodies.slice(0, 50)) await intake(body);
    const times: number[] = [];
    for (const body of bodies.slice(50)) {
      const start = performance.now();
      await intake(body);
      times.push(performance.now() - start);
    }
    const outbox = await t.db.kysely
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(outbox.n) !== bodies.length) {
      throw new Error(`expected ${bodies.length} outbox rows, found ${outbox.n}`);
    }
    const p99 = percentile(times, 99);
    options.log(`  ${label}: p50 ${ms(median(times))} p99 ${ms(p99)}`);
    return {
      ...base,
      value: ms(p99),
      pass: p99 <= INTAKE_P99_TARGET_MS,
      measured: p99,
      unit: 'ms',
      note: `p50 ${ms(median(times))}, ${times.length} requests, demo catalog`,
    };
  } finally {
    await t.cleanup();
  }
}
