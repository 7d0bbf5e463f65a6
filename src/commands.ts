import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { type Config, ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { migrateToLatest } from './db/migrate';
import { createAdmin } from './services/auth';
import { expireBriefs } from './services/briefs';
import { purgeExpired } from './services/buyer';
import { FirmCatalog } from './services/catalog';
import { DemandTally } from './services/demand';
import { parseFirmFile } from './services/firm-import/parse';
import { rotateEncryptionKey } from './services/rotate-keys';
import { Secrets } from './services/secrets';
import { upsertFirms } from './services/firm-import/upsert';
import { startBackgroundWork } from './services/maintenance';
import { firmCount, realFirmCount, seedDemoFirms } from './services/seed';
import { buildApp } from './web/app';

const HELP = `auditmatch — the Auditmatch service and its maintenance commands

Usage: auditmatch <command> [arguments]

Commands:
  serve               migrate the database, seed demo firms into an empty database
                      (outside production), and serve the site
  migrate             apply pending database migrations and exit
  seed                load the fictional demo firms (idempotent)
  import-firms FILE   validate and import firms from a JSON or CSV file
                      (all or nothing; see docs/import-format.md)
  create-admin EMAIL  create the operator account (signs in by email link)
  rotate-keys         re-encrypt stored contact details under ENCRYPTION_KEY
                      (old keys in ENCRYPTION_KEY_PREVIOUS); see docs/decisions
  purge               expire unanswered briefs and erase contact details past
                      the retention period (the server also does this every minute)
  help, --help        show this help

Configuration comes from environment variables; see README.md.`;

/**
 * Where a command reads its configuration and writes its lines: the process's environment and
 * console from `cli.ts`, captured ones in tests (which run every command in-process but one).
 */
export interface CommandIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

/** The data folder cannot be written (read-only, full, not a folder, no permission): one line, no stack. */
class DataFolderError extends Error {}

const DATA_FOLDER_CODES = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'ENOTDIR',
  'EEXIST',
]);
const SQLITE_WRITE_CODES = /^SQLITE_(READONLY|CANTOPEN|FULL|IOERR|PERM)/;

function dataFolder(env: CommandIo['env']): string {
  return resolve(env.DATA_DIR || './data');
}

/** Runs a start-up step that writes to the data folder, turning file-system refusals into DataFolderError. */
async function inDataFolder<T>(env: CommandIo['env'], work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { code, path } = error as { code?: unknown; path?: unknown };
    // mkdir on a read-only file system can report ENOENT for the folder it could not create.
    const missingFolder =
      code === 'ENOENT' && typeof path === 'string' && path.startsWith(dataFolder(env));
    if (
      typeof code === 'string' &&
      (DATA_FOLDER_CODES.has(code) || SQLITE_WRITE_CODES.test(code) || missingFolder)
    ) {
      throw new DataFolderError(`cannot write to the data folder ${dataFolder(env)}: ${code}`);
    }
    throw error;
  }
}

async function serve(config: Config, io: CommandIo) {
  const db = await inDataFolder(io.env, () => openDatabase(config.database));
  const applied = await inDataFolder(io.env, async () => {
    try {
      const names = await migrateToLatest(db.kysely);
      if (config.env !== 'production' && (await firmCount(db.kysely)) === 0) {
        const seeded = await seedDemoFirms(db.kysely, new Date());
        io.out(`Seeded ${seeded.created.length} fictional demo firms.`);
      }
      return names;
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  });
  const app = await buildApp(config, { db });
  if (applied.length > 0) app.log.info({ applied }, 'migrations applied');
  const realFirms = config.env === 'production' ? 0 : await realFirmCount(db.kysely);
  if (realFirms > 0) {
    // A deployment that forgot NODE_ENV=production: development pages and defaults on real data.
    const warning = `NOT IN PRODUCTION MODE: this database holds ${realFirms} real (non-demo) firm(s) but NODE_ENV is "${config.env}". Set NODE_ENV=production.`;
    app.log.warn({ env: config.env, realFirms }, warning);
    io.err(`\n*** WARNING: ${warning} ***\n`);
  }
  const background = startBackgroundWork(app.ctx, app.log);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    await background.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
}

async function withDatabase<T>(
  config: Config,
  work: (db: ReturnType<typeof openDatabase>) => Promise<T>,
) {
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db.kysely);
    return await work(db);
  } finally {
    await db.close();
  }
}

async function importFirms(config: Config, io: CommandIo, file: string | undefined) {
  if (!file) throw new UsageError('import-firms needs a FILE (JSON or CSV)');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`cannot read ${file}`);
  });
  const parsed = parseFirmFile(basename(file), text);
  if (!parsed.ok) {
    io.err(`${file}: ${parsed.problems.length} problem(s); nothing was imported.`);
    for (const p of parsed.problems) io.err(`  row ${p.row}, ${p.field}: ${p.message}`);
    return 1;
  }
  const summary = await withDatabase(config, (db) =>
    upsertFirms(db.kysely, parsed.records, new Date()),
  );
  io.out(
    `Imported ${parsed.records.length} firm(s): ${summary.created.length} created, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged.`,
  );
  return 0;
}

async function main(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command ? 0 : 1;
  }
  if (args.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const config = await inDataFolder(io.env, () => loadConfig(io.env));
  switch (command) {
    case 'serve':
      await serve(config, io);
      return -1;
    case 'migrate': {
      const db = openDatabase(config.database);
      const applied = await migrateToLatest(db.kysely).finally(() => db.close());
      io.out(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.join(', ')}.`);
      return 0;
    }
    case 'seed': {
      const summary = await withDatabase(config, (db) => seedDemoFirms(db.kysely, new Date()));
      io.out(
        `Demo firms: ${summary.created.length} created, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged.`,
      );
      return 0;
    }
    case 'import-firms':
      return importFirms(config, io, args[0]);
    case 'create-admin': {
      const email = args[0];
      if (!email) throw new UsageError('create-admin needs an EMAIL');
      const outcome = await withDatabase(config, (db) =>
        createAdmin({ db, now: () => new Date() }, email),
      );
      io.out(`Operator ${email}: ${outcome}. Sign in at ${config.publicUrl}/sign-in.`);
      return 0;
    }
    case 'rotate-keys': {
      const result = await withDatabase(config, (db) =>
        rotateEncryptionKey({
          db,
          secrets: new Secrets(
            config.appSecret,
            config.encryptionKey,
            config.previousEncryptionKeys,
          ),
          now: () => new Date(),
        }),
      );
      io.out(
        `Re-encrypted ${result.requests} request(s), ${result.outbox} queued email(s), ${result.webhooks} webhook secret(s).`,
      );
      return 0;
    }
    case 'purge': {
      const result = await withDatabase(config, async (db) => {
        const ctx = {
          config,
          db,
          secrets: new Secrets(
            config.appSecret,
            config.encryptionKey,
            config.previousEncryptionKeys,
          ),
          catalog: new FirmCatalog(db),
          demand: new DemandTally(),
          now: () => new Date(),
        };
        return { expiredBriefs: await expireBriefs(ctx), ...(await purgeExpired(ctx)) };
      });
      io.out(
        `Expired ${result.expiredBriefs} brief(s); erased contact of ${result.requests} request(s) and ${result.emails} sent email(s).`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * Runs one command and returns its exit code (-1 while `serve` serves). Refusals the operator
 * can act on (configuration, usage, the data folder) are one line, no stack.
 */
export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof UsageError ||
      error instanceof DataFolderError
    ) {
      io.err(`auditmatch: ${error.message}`);
      if (error instanceof UsageError) io.err('Run "auditmatch --help" for usage.');
    } else {
      io.err(`auditmatch: failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}
