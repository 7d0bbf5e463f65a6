import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function waitForReady(
  base: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  // A hang guard, never a speed check: on a busy machine the build and start take minutes.
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready within 240 s:\n${output()}`);
}

/** `npm start` as the README gives it: the bundled server, on the embedded database with demo data. */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the server, serves pages, stylesheet and demo firms, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    let output = '';
    child = spawn('npm', ['start'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    await waitForReady(base, child, () => output);

    const home = await fetch(`${base}/`);
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('Demo data');
    const css = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(css).toBeTruthy();
    expect((await fetch(`${base}${css}`)).status).toBe(200);
    const directory = await (await fetch(`${base}/firms`)).text();
    const firm = /href="(\/firms\/[a-z0-9-]+)"/.exec(directory)?.[1];
    expect(firm).toBeTruthy();
    expect((await fetch(`${base}${firm}`)).status).toBe(200);
    // One access-log line per request, naming the route pattern, never the URL with its secret
    // (written once the answer is out); pages answered whole from the page cache write none.
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    await (await fetch(`${base}/r/${token}`)).text();
    for (let i = 0; i < 100 && !output.includes('"route":"/r/:token"'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('"route":"/r/:token"');
    expect(output).not.toContain(token);
    expect((await fetch(`${base}${firm}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(output.match(/"route":"\/firms\/:slug"/g) ?? []).toHaveLength(1);

    // The whole process group gets SIGTERM, as from a service manager; npm itself dies by the
    // signal, the server finishes its requests and closes. 'close' waits for its output too.
    const closed = new Promise<void>((resolve) => child?.on('close', () => resolve()));
    process.kill(-child.pid!, 'SIGTERM');
    await closed;
    expect(output).toContain('shutting down');
    expect(
      await fetch(`${base}/readyz`).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused');
  });
});
