import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import type { ServiceContext } from '../src/services/context';
import { SmtpSink } from '../test/helpers/smtp-sink';
import { type ServerProcess, startServer } from '../test/slow/harness';
import { type Figure, ms } from './lib/report';
import type { ScaleFixtures } from './lib/scale';
import { CLIENT_ADDRESS, ensureWrk, lua, runWrkScript } from './lib/wrk';
import { addApiKeys, credentialsFor, routes } from './scale';

/**
 * Two instances of the real server (`auditmatch serve`, each with its background job) on one
 * PostgreSQL database filled by `npm run seed:scale`, rate limits shared through Redis, under
 * mixed traffic from two wrk processes at once (one per instance): every route of the scale
 * table, signed in as the firm, the operator and the API key where the route needs it, plus
 * match previews. Read-mostly by design: the writes (intake, confirmation, mail exactly once
 * across instances) are the load test's (test/slow/load.test.ts), on an empty database.
 *
 * On two cores the instances, both wrk processes, PostgreSQL and Redis share the machine, so
 * the latencies include queueing behind each other: the figures are for "no error under load
 * at this size" and for comparing runs, not for a single request's speed (the scale table).
 */

/** Requests in flight per instance. */
const CONNECTIONS = 8;
/** URLs per route in the mix (lists walk their pages, the buyer page its tokens). */
const URLS_PER_ROUTE = 20;

export interface ScaleLoadOptions {
  seconds: number;
  log: (line: string) => void;
}

const rssMb = (pid: number) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
};

interface MixEntry {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** wrk's `request`: the mix in turn from `offset`, a distinct client address each. */
function mixScript(mix: readonly MixEntry[], offset: number): string {
  const entries = mix
    .map((e) => {
      const headers = Object.entries({ ...e.headers, 'accept-encoding': 'gzip, deflate, br' })
        .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
        .join(', ');
      return `{ ${lua(e.method)}, ${lua(e.path)}, { ${headers} }, ${e.body ? lua(e.body) : 'nil'} }`;
    })
    .join(',\n');
  return `
local mix = {${entries}}
local n = ${offset}
request = function()
  n = n + 1
  local e = mix[(n % #mix) + 1]
  local headers = {}
  for k, v in pairs(e[3]) do headers[k] = v end
  headers["x-forwarded-for"] = ${CLIENT_ADDRESS}
  return wrk.format(e[1], e[2], headers, e[4])
end
`;
}

const runMix = (server: ServerProcess, mix: readonly MixEntry[], seconds: number, offset: number) =>
  runWrkScript(mixScript(mix, offset), { url: server.url, connections: CONNECTIONS, seconds });

/** Every route of the scale table as wrk requests, with the credentials each needs. */
async function trafficMix(
  url: string,
  fixtures: ScaleFixtures,
  appSecret: string,
): Promise<MixEntry[]> {
  const config = loadConfig({ APP_SECRET: appSecret, DATABASE_URL: url });
  const db = openDatabase(config.database);
  try {
    const keys = await addApiKeys(db, fixtures.busiestFirmId);
    // The routes' cursors are walked through the list services, which read only these two.
    const ctx = { db, now: () => new Date() } as unknown as ServiceContext;
    // SCALE_SKIP: route names (or parts of them) to leave out, comma-separated, as in the scale table.
    const skip = (process.env.SCALE_SKIP ?? '').split(',').filter(Boolean);
    const specs = (await routes(ctx, fixtures)).filter(
      (r) => !skip.some((s) => r.name.includes(s)),
    );
    const headersFor = credentialsFor(fixtures, keys);
    const mix: MixEntry[] = [];
    for (let n = 0; n < URLS_PER_ROUTE; n++)
      for (const spec of specs)
        mix.push({ method: 'GET', path: spec.url(n), headers: headersFor(spec, n) });
    const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
    for (let n = 0; n < URLS_PER_ROUTE; n++)
      mix.push({
        method: 'POST',
        path: '/api/v1/match-preview',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          frameworks: [{ framework: 'soc2', variant: 'type2' }],
          stage: 'series-a',
          headcount: 40 + n,
          region: 'north-america',
          industry: 'saas',
          neededBy: nextYear,
          aiExposure: 'uses-ai',
        }),
      });
    return mix;
  } finally {
    await db.close();
  }
}

export async function runScaleLoad(
  target: { url: string; fixtures: string; appSecret: string; redisUrl: string },
  options: ScaleLoadOptions,
): Promise<Figure[]> {
  if (!ensureWrk(options.log)) {
    options.log('scale load: skipped (wrk is not installed)');
    return [];
  }
  const file = JSON.parse(readFileSync(target.fixtures, 'utf8')) as {
    fixtures: ScaleFixtures;
    counts: Record<string, number>;
  };
  const mix = await trafficMix(target.url, file.fixtures, target.appSecret);
  const sink = new SmtpSink();
  await sink.start();
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: target.url,
    REDIS_URL: target.redisUrl,
    APP_SECRET: target.appSecret,
    SMTP_URL: sink.url,
    TRUST_PROXY: '1',
    // Far above the traffic: one client address per request, but the API keys and sessions are few.
    RATE_LIMIT_MULTIPLIER: '10000',
    LOG_LEVEL: 'warn',
  };
  const instances: ServerProcess[] = [];
  try {
    for (const _ of [1, 2]) {
      const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-scale-load-data-'));
      instances.push(await startServer({ dataDir, env }));
    }
    options.log(
      `scale load: two instances on ${target.url} with Redis, ${mix.length} URLs in the mix, ${CONNECTIONS} connections each, ${options.seconds} s`,
    );
    // Warm both (catalog load, statement caches) before the timed run.
    await Promise.all(instances.map((i, k) => runMix(i, mix, 3, k * 7919)));
    const outcomes = await Promise.all(
      instances.map((i, k) => runMix(i, mix, options.seconds, 100_000 + k * 7919)),
    );
    const alive = instances.every((i) => i.alive());
    const rss = instances.map((i) => rssMb(i.child.pid ?? 0));
    const size = `${file.counts.quote_requests?.toLocaleString('en')} requests, ${file.counts.firms?.toLocaleString('en')} firms`;
    const figures: Figure[] = outcomes.map((o, k) => {
      const clean = o.socketErrors + o.statusErrors + o.timeouts === 0;
      options.log(
        `scale load instance ${k + 1}: ${o.requests} requests in ${o.seconds.toFixed(1)} s (${(o.requests / o.seconds).toFixed(0)}/s), p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms, max ${o.max.toFixed(0)} ms, errors ${o.socketErrors}/${o.statusErrors}/${o.timeouts}, RSS ${rss[k]?.toFixed(0)} MB`,
      );
      return {
        id: `scale-load.instance-${k + 1}`,
        figure: `two instances (PostgreSQL + Redis), mixed traffic at ${size}: instance ${k + 1}`,
        value: `${(o.requests / o.seconds).toFixed(0)} req/s, p50 ${ms(o.p50)} / p99 ${ms(o.p99)}, RSS ${rss[k]?.toFixed(0) ?? '?'} MB`,
        target: 'no error, no status ≥ 400, no timeout; instance alive',
        pass: clean && alive,
        measured: o.p99,
        unit: 'ms',
        note: `${o.requests} requests, ${CONNECTIONS} connections; socket errors ${o.socketErrors}, status ≥ 400 ${o.statusErrors}, timeouts ${o.timeouts}; max ${o.max.toFixed(0)} ms`,
      };
    });
    if (!alive || figures.some((f) => !f.pass))
      for (const i of instances)
        options.log(`instance ${i.url} output:\n${i.output().slice(-3000)}`);
    return figures;
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await sink.stop();
  }
}
