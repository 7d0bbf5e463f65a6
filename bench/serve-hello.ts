import Fastify from 'fastify';

/**
 * The baseline for page throughput: a bare Fastify hello-world, the most a Node process on this
 * machine serves. Started as a child by bench/pages.ts; listens on argv[2] (0: any free port)
 * and reports the port it got over IPC.
 */
const app = Fastify({ logger: false });
app.get('/', async () => 'hello world');
const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
const port = Number(new URL(address).port);
if (process.send) process.send({ ready: true, port, pid: process.pid });
else console.log(`hello-world listening on ${address}`);
process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0));
});
