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
// The same response as an app page, headers included: the parent sends the headers the app
// answered with (over IPC, keyed by the body's size), and this route answers with them and a body
// of that size. What a page costs beyond writing its own bytes is the app's own per-request work.
const pageHeaders = new Map<number, Record<string, string>>();
process.on('message', (message: { pageHeaders?: Record<string, string>; n?: number }) => {
  if (!message.pageHeaders || message.n === undefined) return;
  pageHeaders.set(message.n, message.pageHeaders);
  process.send?.({ pageHeadersSet: message.n });
});
app.get<{ Querystring: { n?: string } }>('/response', async (request, reply) => {
  const n = Number(request.query.n) || 0;
  const blob = blobs.get(n) ?? randomBytes(n);
  blobs.set(n, blob);
  return reply.headers(pageHeaders.get(n) ?? {}).send(blob);
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
const port = Number(new URL(address).port);
if (process.send) process.send({ ready: true, port, pid: process.pid });
else console.log(`hello-world listening on ${address}`);
process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0));
});
