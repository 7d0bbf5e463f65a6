import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';
import { Secrets } from '../src/services/secrets';
import { SCALE_SIZES, type ScaleSummary, generateScaleData } from './lib/scale';

/**
 * `npm run seed:scale [-- SIZE]`: fills the database of DATABASE_URL (PostgreSQL) or DATA_DIR
 * (SQLite) with a year of synthetic traffic. SIZE is tiny, small, medium or full (default
 * medium), or set SCALE_FIRMS and SCALE_REQUESTS. The handles the bench needs (sign-in tokens,
 * the busiest firm, buyer links) are written to SCALE_FIXTURES (default
 * bench/results/scale-fixtures.json). Refuses a database that already holds requests.
 */
const size = (process.argv[2] ?? process.env.SCALE_SIZE ?? 'medium') as keyof typeof SCALE_SIZES;
const named = SCALE_SIZES[size];
if (!named) {
  console.error(`unknown size ${size}: use ${Object.keys(SCALE_SIZES).join(', ')}`);
  process.exit(2);
}
const firms = Number(process.env.SCALE_FIRMS ?? named.firms);
const requests = Number(process.env.SCALE_REQUESTS ?? named.requests);
const config = loadConfig(process.env);
const db = openDatabase(config.database);
try {
  await migrateToLatest(db.kysely);
  const secrets = new Secrets(
    config.appSecret,
    config.encryptionKey,
    config.previousEncryptionKeys,
  );
  console.error(`generating ${firms} firms and ${requests} requests into ${db.dialect}`);
  const out = process.env.SCALE_FIXTURES ?? 'bench/results/scale-fixtures.json';
  const write = (summary: ScaleSummary) =>
    writeFileSync(out, `${JSON.stringify({ dialect: db.dialect, ...summary }, null, 2)}\n`);
  const summary = await generateScaleData(db, secrets, {
    firms,
    requests,
    log: (line) => console.error(line),
    checkpoint: write,
  });
  write(summary);
  console.log(JSON.stringify(summary.counts));
  console.log(`${summary.seconds.toFixed(0)} s; fixtures in ${out}`);
} finally {
  await db.close();
}
