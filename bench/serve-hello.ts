import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';

/**
 * The baseline for page throughput: a bare Fastify hello-world, the most a Node process on this
 * machine serves. Started as a child by bench/pages.ts; listens on argv[2] (0: any free port)
 * and reports the port it got over IPC.
 */
const app = Fastify({ logger: false });
app.get('/', async () => 'hello world');
// The same number of bytes as an app page, already compressed, with nothing else to do: shows
// how much of a page's cost is only its size on this machine.
const blobs = new Map<number, Buffer>();
app.get<{ Querystring: { n?: string } }>('/bytes', async (request, reply) => {
  const n = Math.min(Math.max(Number(request.query.n) || 0, 0), 1_000_000);
  const blob = blobs.get(n) ?? randomBytes(n);
  blobs.set(n, blob);
  return reply.type('text/html; charset=utf-8').header('content-encoding', 'br').send(blob);
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
const port = Number(new URL(address).port);
if (process.send) process.send({ ready: true, port, pid: process.pid });
else console.log(`hello-world listening on ${address}`);
process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0));
});
