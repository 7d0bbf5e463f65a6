import { benchApp } from './lib/app';

/**
 * The app as the page benchmark measures it (bench/lib/app.ts). Started as a child by
 * bench/pages.ts; listens on argv[2] (0: any free port) and reports the port it got over IPC.
 */
const port = Number(process.argv[2] ?? 0);
const { app, stop: stopApp } = await benchApp(port);
const address = await app.listen({ host: '127.0.0.1', port });
const actual = Number(new URL(address).port);
if (process.send) process.send({ ready: true, port: actual, pid: process.pid });
else console.log(`app listening on ${address}`);
// The benchmark asks for the memory breakdown behind the RSS it reads from /proc.
process.on('message', (message: { memory?: boolean }) => {
  if (message.memory) process.send?.({ memory: process.memoryUsage() });
});

async function stop() {
  await stopApp();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
