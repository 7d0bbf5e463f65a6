import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { PROJECT_ROOT } from '../paths';
import { parseFirmFile } from './firm-import/parse';
import { type ImportSummary, upsertFirms } from './firm-import/upsert';

const DEMO_FILE = join(PROJECT_ROOT, 'src', 'data', 'demo-firms.json');

/** Loads the fictional demo firms through the same validation and upsert as a real import. */
export async function seedDemoFirms(db: Kysely<Database>, now: Date): Promise<ImportSummary> {
  const parsed = parseFirmFile(DEMO_FILE, await readFile(DEMO_FILE, 'utf8'));
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new Error(`demo data is invalid: row ${first?.row} ${first?.field}: ${first?.message}`);
  }
  return upsertFirms(db, parsed.records, now, { kind: 'system' });
}

export async function firmCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('firms')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Firms that are not the fictional demo ones: a sign that this database holds real data. */
export async function realFirmCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('firms')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('demo', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
