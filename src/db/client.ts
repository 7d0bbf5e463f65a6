import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, type Dialect, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: a schema to work in, so tests can share one server without colliding. */
  searchPath?: string;
  /** PostgreSQL pool size; instances behind a load balancer share the server's connections. */
  poolSize?: number;
}

export function openDatabase(target: Config['database'], options: DatabaseOptions = {}): Db {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, options);
}

/** How many prepared statements a SQLite connection keeps: more than the app has distinct queries. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely's SQLite driver prepares every query afresh; compiling the SQL was about a fifth of the
 * driver's time. Statements are kept by their SQL text, least recently used dropped first.
 * better-sqlite3 re-prepares a kept statement by itself when the schema changes under it.
 */
function withStatementCache(connection: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => connection.close(),
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      // A statement still being iterated (a streamed query) cannot run again: prepare another.
      if (statement && !statement.busy) {
        statements.delete(sqlText);
      } else {
        statement = connection.prepare(sqlText);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value as string);
        }
      }
      statements.set(sqlText, statement);
      return statement;
    },
  };
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    // Owner-only: the folder and the file hold sealed contact details, sessions and keys'
    // salts. SQLite gives its -wal and -shm files the main file's permissions.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const connection = new SqliteDatabase(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // The probe asks the connection directly, not through Kysely's one-connection queue.
  return dbOver('sqlite', new SqliteDialect({ database: withStatementCache(connection) }), () =>
    connection.prepare('select 1').get(),
  );
}

// int8 (count(*), sums) arrives as a string by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

function openPostgres(url: string, options: DatabaseOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    // JIT off: the app runs short indexed statements, and the planner compiled one whose
    // estimate ran high (a partial index full of dead entries after a bulk update) for 270 ms
    // on each request, against 0.3 ms to run it. No parallel workers, for the same reason: a
    // page of 200 leads read by index planned two workers, whose start-up took 55 ms of its
    // 110 ms (27–33 ms without them) at a million requests.
    options: [
      '-c jit=off',
      '-c max_parallel_workers_per_gather=0',
      ...(options.searchPath ? [`-c search_path=${options.searchPath}`] : []),
    ].join(' '),
  });
  // A dropped connection (database restart) must not crash the process: the pool replaces it.
  // The pool only listens to idle clients; one checked out (say, between the statements of a
  // transaction) emits 'error' itself, and an unheard 'error' event ends the process. With this
  // listener the failure reaches the query instead, and the pool drops the broken client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return dbOver('postgres', new PostgresDialect({ pool }), (kysely) =>
    sql`select 1`.execute(kysely),
  );
}

/** Kysely over one engine, with the column-name mapping every query relies on, and its health probe. */
function dbOver(
  dialect: DialectName,
  driver: Dialect,
  probe: (kysely: Kysely<Database>) => unknown,
): Db {
  const kysely = new Kysely<Database>({ dialect: driver, plugins: [new CamelCasePlugin()] });
  return {
    kysely,
    dialect,
    async ping() {
      try {
        await probe(kysely);
        return true;
      } catch {
        return false;
      }
    },
    close: () => kysely.destroy(),
  };
}
