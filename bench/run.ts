import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIntake } from './intake';
import { type Figure, formatTable } from './lib/report';
import { PREVIEW_REQUESTS, runMatchPreview } from './match-preview';
import { runPages } from './pages';
import { runScale, type ScaleTarget } from './scale';
import { runScaleLoad } from './scale-load';

/**
 * `npm run bench`: every performance figure of docs/quality.md in one table, and the same figures in
 * bench/results/latest.json for comparing versions. Settings (environment variables):
 *   BENCH_SECONDS         seconds of load on each server per page, in five windows (default 10)
 *   BENCH_REQUESTS        requests per match-preview size and per intake engine (default 1000)
 *   BENCH_ROUNDS          rounds of match-preview requests, median reported (default 3)
 *   BENCH_DATABASE_URL    PostgreSQL for the intake figure (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_ONLY            comma-separated parts to run: preview, intake, pages, scale, scale-load
 *   BENCH_PAGES           comma-separated page ids to measure (default all): home, framework,
 *                         comparison, firm, directory, preview, preview-api, preview-new
 *                         (default all; scale and scale-load need the scaled data below)
 *   SCALE_REQUESTS_PER_ROUTE  timed requests per route over the scaled data (default 200)
 *   SCALE_PG_URL, SCALE_PG_FIXTURES          a PostgreSQL database filled by `npm run seed:scale`,
 *                                            and the fixtures file it wrote
 *   SCALE_SQLITE_DIR, SCALE_SQLITE_FIXTURES  the same for a SQLite data folder
 *   SCALE_APP_SECRET      the APP_SECRET the data was generated with (sealed contacts)
 *   SCALE_LOAD_SECONDS    seconds of two-instance mixed traffic over the PostgreSQL data (default 30)
 *   REDIS_URL             the Redis the two instances share (default redis://127.0.0.1:6379)
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const requests = Number(process.env.BENCH_REQUESTS ?? PREVIEW_REQUESTS);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'preview,intake,pages,scale,scale-load').split(','),
);
const log = (line: string) => console.error(line);

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: HERE,
      encoding: 'utf8',
    }).trim();
  } catch {
    return null;
  }
}

const startedAt = new Date();
const loadBefore = loadavg();
const figures: Figure[] = [];
/** Routes over scaled data: printed as their own table. */
const scaleFigures: Figure[] = [];

if (only.has('preview')) {
  log(`match preview: ${requests} requests × ${rounds} rounds at 100 / 1,000 / 10,000 firms`);
  figures.push(...(await runMatchPreview({ requests, rounds, log })));
}
if (only.has('intake')) {
  log(`intake end to end: ${requests} requests per database`);
  figures.push(await runIntake('sqlite', { requests, log }));
  figures.push(await runIntake('postgres', { requests, log }));
}
if (only.has('pages')) {
  log(`pages: ${seconds} s per run, hello-world and each page in alternating windows`);
  figures.push(...(await runPages({ seconds, log })));
}

if (only.has('scale')) {
  const common = {
    APP_SECRET: process.env.SCALE_APP_SECRET ?? 'bench-secret-0123456789abcdef0123456789abcdef',
    SMTP_URL: 'smtp://127.0.0.1:2525',
  };
  const targets: ScaleTarget[] = [];
  if (process.env.SCALE_PG_URL && process.env.SCALE_PG_FIXTURES) {
    targets.push({
      label: 'PostgreSQL',
      env: { ...common, DATABASE_URL: process.env.SCALE_PG_URL },
      fixtures: process.env.SCALE_PG_FIXTURES,
    });
  }
  if (process.env.SCALE_SQLITE_DIR && process.env.SCALE_SQLITE_FIXTURES) {
    targets.push({
      label: 'SQLite',
      env: { ...common, DATA_DIR: process.env.SCALE_SQLITE_DIR },
      fixtures: process.env.SCALE_SQLITE_FIXTURES,
    });
  }
  if (targets.length === 0)
    log(
      'scale: skipped (set SCALE_PG_URL/SCALE_PG_FIXTURES or SCALE_SQLITE_DIR/SCALE_SQLITE_FIXTURES after npm run seed:scale)',
    );
  for (const target of targets) {
    log(`scale: every route over the data of ${target.fixtures} on ${target.label}`);
    scaleFigures.push(
      ...(await runScale(target, {
        requests: Number(process.env.SCALE_REQUESTS_PER_ROUTE ?? 200),
        log,
      })),
    );
  }
}

if (only.has('scale-load')) {
  if (process.env.SCALE_PG_URL && process.env.SCALE_PG_FIXTURES)
    scaleFigures.push(
      ...(await runScaleLoad(
        {
          url: process.env.SCALE_PG_URL,
          fixtures: process.env.SCALE_PG_FIXTURES,
          appSecret:
            process.env.SCALE_APP_SECRET ?? 'bench-secret-0123456789abcdef0123456789abcdef',
          redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        },
        { seconds: Number(process.env.SCALE_LOAD_SECONDS ?? 30), log },
      )),
    );
  else log('scale load: skipped (set SCALE_PG_URL/SCALE_PG_FIXTURES after npm run seed:scale)');
}

const table = formatTable(figures);
console.log(table);
if (scaleFigures.length > 0)
  console.log(`\nScale: every route over the scaled data\n\n${formatTable(scaleFigures)}`);

const out = join(HERE, 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit: commit(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg(),
      settings: { seconds, requests, rounds, parts: [...only] },
      figures,
      scale: scaleFigures,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwritten to ${out}`);
const failed = [...figures, ...scaleFigures].filter((f) => f.pass === false);
if (failed.length > 0) console.log(`${failed.length} target(s) missed.`);
