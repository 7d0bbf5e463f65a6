import Fastify, { type FastifyInstance } from 'fastify';
import { benchApp } from './lib/app';
import { median } from './lib/stats';
import { pageSpecs } from './pages';

/**
 * Process CPU time per request through `inject` (routing, hooks, handler, reply; no socket), for
 * the pages of the page benchmark, beside a bare Fastify hello-world and a bare Fastify sending
 * each page's exact Brotli bytes, measured in the same process in alternating rounds. On a busy
 * machine CPU time per request moves far less than wall-clock throughput; the difference between
 * the app and the same-bytes server is the app's own per-request work.
 *
 *   node --import tsx bench/cpu-inject.ts [REQUESTS] [ROUNDS] [PAGE_ID…]
 */

const [requests = '4000', rounds = '5', ...only] = process.argv.slice(2);
const { app, stop } = await benchApp(0);

const hello = Fastify({ logger: false });
hello.get('/', async () => 'hello world');
const bytes = Fastify({ logger: false });
const blobs = new Map<string, Buffer>();
bytes.get('/*', async (request, reply) =>
  reply
    .type('text/html; charset=utf-8')
    .header('content-encoding', 'br')
    .send(blobs.get(request.url)),
);

const HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
const CONCURRENCY = 50;

async function cpuPerRequest(
  server: FastifyInstance,
  path: (n: number) => string,
  post: string | undefined,
  count: number,
): Promise<number> {
  let n = 0;
  const one = async () => {
    const i = n++;
    const res = await server.inject({
      method: post ? 'POST' : 'GET',
      url: path(i),
      headers: {
        ...HEADERS,
        'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        ...(post ? { 'content-type': 'application/json' } : {}),
      },
      ...(post ? { payload: post } : {}),
    });
    if (res.statusCode !== 200)
      throw new Error(`${path(i)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  };
  const run = async (total: number) => {
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (n < total) await one();
    });
    await Promise.all(workers);
  };
  await run(Math.min(count, 500)); // warm-up: caches filled, code optimised
  n = 0;
  const before = process.cpuUsage();
  await run(count);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const specs = pageSpecs().filter(
  (s) => s.kind !== 'info' && (only.length === 0 || only.includes(s.id)),
);
for (const spec of specs) {
  if (spec.kind === 'cached') {
    const res = await app.inject({ url: spec.path(0), headers: HEADERS });
    blobs.set(spec.path(0), res.rawPayload);
  }
}
const results = new Map<string, number[]>();
const add = (key: string, value: number) => results.set(key, [...(results.get(key) ?? []), value]);
for (let round = 0; round < Number(rounds); round++) {
  add('hello-world', await cpuPerRequest(hello, () => '/', undefined, Number(requests)));
  for (const spec of specs) {
    add(spec.id, await cpuPerRequest(app, spec.path, spec.post, Number(requests)));
    if (spec.kind === 'cached')
      add(
        `${spec.id} same bytes`,
        await cpuPerRequest(bytes, spec.path, undefined, Number(requests)),
      );
  }
}
const helloUs = median(results.get('hello-world')!);
for (const [key, us] of results) {
  const m = median(us);
  console.error(
    `${key.padEnd(24)} ${m.toFixed(1).padStart(7)} µs CPU/request  (hello ÷ this ${(helloUs / m).toFixed(2)}; rounds ${us.map((u) => u.toFixed(0)).join(', ')})`,
  );
}
for (const spec of specs.filter((s) => s.kind === 'cached')) {
  const bare = median(results.get(`${spec.id} same bytes`)!);
  console.error(
    `${spec.id}: same bytes ÷ app ${(bare / median(results.get(spec.id)!)).toFixed(2)}`,
  );
}
await stop();
process.exit(0);
