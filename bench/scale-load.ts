import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import type { ServiceContext } from '../src/services/context';
import { SESSION_COOKIE } from '../src/web/plugins/session';
import { SmtpSink } from '../test/helpers/smtp-sink';
import { type Figure, ms } from './lib/report';
import type { ScaleFixtures } from './lib/scale';
import { ensureWrk } from './lib/wrk';
import { addApiKeys, type RouteSpec, routes } from './scale';

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

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Requests in flight per instance. */
const CONNECTIONS = 8;
/** URLs per route in the mix (lists walk their pages, the buyer page its tokens). */
const URLS_PER_ROUTE = 20;

export interface ScaleLoadOptions {
  seconds: number;
  log: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Instance {
  url: string;
  pid: number;
  child: ChildProcess;
  output: () => string;
}

/** `auditmatch serve` on `port`, ready once /healthz answers (a generous wait: the first start migrates). */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${output.slice(-2000)}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`instance not ready: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, pid: child.pid ?? 0, child, output: () => output };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
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

const lua = (s: string) => JSON.stringify(s);

/** wrk's script: the mix in turn (each connection its own offset), a distinct client address each. */
function script(mix: readonly MixEntry[], offset: number): string {
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
  headers["x-forwarded-for"] = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format(e[1], e[2], headers, e[4])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f %f %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
`;
}

interface WrkOutcome {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  socketErrors: number;
  statusErrors: number;
  timeouts: number;
}

function runWrkMix(url: string, mix: readonly MixEntry[], seconds: number, offset: number) {
  const dir = mkdtempSync(join(tmpdir(), 'auditmatch-scale-load-'));
  const file = join(dir, 'mix.lua');
  writeFileSync(file, script(mix, offset));
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', file, url];
  return new Promise<WrkOutcome>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      const m = /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(
        out,
      );
      if (!m) return reject(new Error(`wrk gave no result: ${out.slice(-500)}`));
      const [, requests, us, p50, p99, max, connect, read, write, status, timeout] = m.map(
        Number,
      ) as number[];
      resolve({
        requests: requests!,
        seconds: us! / 1e6,
        p50: p50! / 1000,
        p99: p99! / 1000,
        max: max! / 1000,
        socketErrors: connect! + read! + write!,
        statusErrors: status!,
        timeouts: timeout!,
      });
    });
  });
}

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
    const cookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });
    const headersFor = (spec: RouteSpec, n: number): Record<string, string> =>
      spec.as === 'firm'
        ? cookie(fixtures.firmSessionToken)
        : spec.as === 'admin'
          ? cookie(fixtures.adminSessionToken)
          : spec.as === 'key'
            ? { authorization: `Bearer ${keys[n % keys.length]}` }
            : {};
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
    HOST: '127.0.0.1',
    DATABASE_URL: target.url,
    REDIS_URL: target.redisUrl,
    APP_SECRET: target.appSecret,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Auditmatch <hello@auditmatch.local>',
    TRUST_PROXY: '1',
    // Far above the traffic: one client address per request, but the API keys and sessions are few.
    RATE_LIMIT_MULTIPLIER: '10000',
    LOG_LEVEL: 'warn',
  };
  const instances: Instance[] = [];
  try {
    for (const _ of [1, 2]) {
      const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-scale-load-data-'));
      instances.push(await startInstance({ ...env, DATA_DIR: dataDir }));
    }
    options.log(
      `scale load: two instances on ${target.url} with Redis, ${mix.length} URLs in the mix, ${CONNECTIONS} connections each, ${options.seconds} s`,
    );
    // Warm both (catalog load, statement caches) before the timed run.
    await Promise.all(instances.map((i, k) => runWrkMix(i.url, mix, 3, k * 7919)));
    const outcomes = await Promise.all(
      instances.map((i, k) => runWrkMix(i.url, mix, options.seconds, 100_000 + k * 7919)),
    );
    const alive = instances.every((i) => i.child.exitCode === null);
    const rss = instances.map((i) => rssMb(i.pid));
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
    await Promise.all(instances.map(stopInstance));
    await sink.stop();
  }
}
