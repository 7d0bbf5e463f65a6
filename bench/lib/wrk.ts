import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * wrk, the native HTTP load generator: it costs the machine far less per request than a load
 * generator written in JavaScript, so on two cores the server under test gets its core. Paths
 * (and a POST body) come from a small Lua script; each request carries a distinct
 * X-Forwarded-For so the app's per-address rate limits stay in the path without answering 429.
 */

export interface LoadResult {
  /** Requests per second over the run. */
  rps: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Answers outside 2xx/3xx, and socket errors and timeouts. */
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadSpec {
  port: number;
  /** Paths in turn; `uniqueHeadcount` makes every request's path new (a scope never seen before). */
  paths: readonly string[];
  uniqueHeadcount?: boolean;
  /** Counter start for unique paths, so successive windows never repeat one another's. */
  offset?: number;
  post?: { body: string; contentType: string };
  seconds: number;
  connections: number;
}

let available: boolean | null = null;

/** True when wrk runs here; installs the Debian package first when running as root (as CI installs Chromium). */
export function ensureWrk(log: (line: string) => void): boolean {
  if (available !== null) return available;
  const runs = () => spawnSync('wrk', ['--version']).error === undefined;
  if (!runs() && process.getuid?.() === 0) {
    log('wrk is missing: apt-get install -y wrk');
    try {
      execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
    } catch {
      // Not installable here (no network, not Debian): the caller falls back to autocannon.
    }
  }
  available = runs();
  return available;
}

/** CPU sets for the servers and the load generator: separate cores when there are at least two, and taskset exists. */
export function cpuPlan(): { server: string | null; load: string | null } {
  const hasTaskset = spawnSync('taskset', ['--version']).error === undefined;
  const n = cpus().length;
  if (!hasTaskset || n < 2) return { server: null, load: null };
  return { server: String(n - 1), load: n > 2 ? `0-${n - 2}` : '0' };
}

export const lua = (s: string) => JSON.stringify(s);

/** Lua that gives each request a distinct client address (`n`: the request's number). */
export const CLIENT_ADDRESS =
  'string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)';

/** The end of every script: one RESULT line that `runWrkScript` reads. */
const DONE = `
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f %f %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
`;

function script(spec: LoadSpec): string {
  const paths = spec.paths.map(lua).join(',\n');
  const method = spec.post ? '"POST"' : '"GET"';
  const body = spec.post ? lua(spec.post.body) : 'nil';
  const contentType = spec.post ? `, ["content-type"] = ${lua(spec.post.contentType)}` : '';
  return `
local paths = {${paths}}
local n = ${spec.offset ?? 0}
request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  ${spec.uniqueHeadcount ? 'path = string.gsub(path, "headcount=%d+", "headcount=" .. (1000 + n % 990000))' : ''}
  local ip = ${CLIENT_ADDRESS}
  return wrk.format(${method}, path, { ["accept-encoding"] = "gzip, deflate, br", ["x-forwarded-for"] = ip${contentType} }, ${body})
end
`;
}

/** What one wrk run measured: latencies in ms, and its errors by kind. */
export interface WrkRun {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  socketErrors: number;
  /** Answers with a status of 400 or more. */
  statusErrors: number;
  timeouts: number;
}

/**
 * One wrk run (one thread; pinned to the load generator's cores when `cpu` is given) of a
 * script that defines `request` (the RESULT line is added here).
 */
export function runWrkScript(
  requestLua: string,
  run: { url: string; connections: number; seconds: number },
  cpu: string | null = null,
): Promise<WrkRun> {
  const dir = mkdtempSync(join(tmpdir(), 'auditmatch-wrk-'));
  const file = join(dir, 'script.lua');
  writeFileSync(file, requestLua + DONE);
  const args = [
    '-t1',
    `-c${run.connections}`,
    `-d${run.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    file,
    run.url,
  ];
  const [command, argv] = cpu ? ['taskset', ['-c', cpu, 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      const line =
        /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
      if (!line) return reject(new Error(`wrk gave no result: ${out.slice(-500)}`));
      const [, requests, durationUs, p50, p99, max, connect, read, write, status, timeout] =
        line.map(Number) as number[];
      resolve({
        requests: requests!,
        seconds: durationUs! / 1e6,
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

/** One wrk run of a page list (see `LoadSpec`). */
export async function runWrk(spec: LoadSpec, cpu: string | null): Promise<LoadResult> {
  const run = await runWrkScript(
    script(spec),
    { url: `http://127.0.0.1:${spec.port}`, connections: spec.connections, seconds: spec.seconds },
    cpu,
  );
  return {
    rps: run.requests / run.seconds,
    p50: run.p50,
    p99: run.p99,
    non2xx: run.statusErrors,
    errors: run.socketErrors,
    timeouts: run.timeouts,
  };
}
