import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startFlags } from './pages';
import { median } from './lib/stats';
import { cpuPlan, ensureWrk, runWrk } from './lib/wrk';

/**
 * Server CPU time per request, for comparing builds of the app on a busy machine: wall-clock
 * throughput moves with the neighbours' load, but the CPU time the server process is charged per
 * answer moves far less. Each bundle (built with `bin/build.mjs` from bench/serve-app.ts) is
 * started pinned to its core, loaded with wrk for a few seconds, and charged from /proc; the
 * bundles take turns, round after round, and the medians are printed.
 *
 *   node --import tsx bench/cpu-per-request.ts PATH SECONDS ROUNDS dist/a.mjs dist/b.mjs …
 */

const [path = '/', seconds = '5', rounds = '3', ...bundles] = process.argv.slice(2);
if (bundles.length === 0 || !ensureWrk(console.error)) {
  console.error('usage: cpu-per-request.ts PATH SECONDS ROUNDS BUNDLE… (needs wrk)');
  process.exit(2);
}

/** utime + stime of a process, in seconds (Linux clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(bundle: string): Promise<{ port: number; pid: number; stop: () => void }> {
  const pin = cpuPlan().server;
  const args = [...startFlags(), resolve(bundle), '0'];
  const child = spawn(
    pin ? 'taskset' : process.execPath,
    pin ? ['-c', pin, process.execPath, ...args] : args,
    {
      cwd: resolve(dirname(bundle), '..'),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return new Promise((ok) => {
    child.on('message', (m: { ready?: boolean; port?: number; pid?: number }) => {
      if (m.ready && m.port && m.pid)
        ok({ port: m.port, pid: m.pid, stop: () => child.kill('SIGTERM') });
    });
  });
}

const results = new Map<string, { us: number[]; rps: number[] }>(
  bundles.map((b) => [b, { us: [], rps: [] }]),
);
for (let round = 0; round < Number(rounds); round++) {
  for (const bundle of bundles) {
    const server = await start(bundle);
    const load = { port: server.port, paths: [path], seconds: Number(seconds), connections: 50 };
    await runWrk({ ...load, seconds: 2 }, cpuPlan().load);
    const before = cpuSeconds(server.pid);
    const result = await runWrk(load, cpuPlan().load);
    const used = cpuSeconds(server.pid) - before;
    const requests = result.rps * Number(seconds);
    results.get(bundle)!.us.push((used / requests) * 1e6);
    results.get(bundle)!.rps.push(result.rps);
    server.stop();
    await new Promise((r) => setTimeout(r, 500));
  }
}
for (const [bundle, r] of results) {
  console.log(
    `${bundle}: ${median(r.us).toFixed(1)} µs CPU per request (rounds ${r.us.map((x) => x.toFixed(1)).join(', ')}), ${Math.round(median(r.rps))} req/s`,
  );
}
