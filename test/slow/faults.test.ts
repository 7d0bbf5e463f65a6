import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { messageId } from '../../src/outbox/email';
import {
  call,
  cliResult,
  freePort,
  MAIL_FROM,
  type Outcome,
  pgReachable,
  pgSchema,
  postRequest,
  runLoops,
  type ServerProcess,
  SOC2_SCOPE_QUERY,
  sleep,
  startServer,
  submitForm,
  waitFor,
} from './harness';
import { linkPath, type SunkMessage, SmtpSink } from '../helpers/smtp-sink';

/**
 * Faults as tests: the server killed with SIGKILL mid-traffic, PostgreSQL restarted under
 * traffic, the mail server away for a while, and a data folder that cannot be written.
 */

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Reads the SQLite database of a server, running or not (WAL lets a reader in beside it). */
function readSqlite<T>(dataDir: string, read: (db: SqliteDatabase.Database) => T): T {
  const db = new SqliteDatabase(join(dataDir, 'auditmatch.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

async function mailTo(
  sink: SmtpSink,
  to: string,
  subjectStart: string,
  timeoutMs = 20_000,
): Promise<SunkMessage> {
  return waitFor(
    `"${subjectStart}" to ${to}`,
    () => sink.messages.find((m) => m.to.includes(to) && m.subject.startsWith(subjectStart)),
    timeoutMs,
  );
}

/**
 * One buyer all the way to its contact shared: request, confirm from the email, send the brief
 * to two proposed firms, each firm accepts from its email link, and the buyer shares its
 * details with each firm that accepted (the contact reaches a firm only by a share or a call).
 */
async function journeyToIntroductions(
  base: string,
  sink: SmtpSink,
  email: string,
): Promise<number> {
  const request = await postRequest(base, email);
  expect(request.status).toBe(202);
  const confirmPath = linkPath(await mailTo(sink, email, 'Confirm'), '/r/confirm/');
  expect(confirmPath).toBeTruthy();
  const { post: confirmed } = await submitForm(base, confirmPath!, confirmPath!);
  expect(confirmed?.status).toBe(303);
  const privatePath = confirmed!.headers.get('location')!;
  const page = await call(`${base}${privatePath}`);
  const firms = [...page.body.matchAll(/id="choose-([0-9a-f-]{36})"/g)]
    .map((m) => m[1]!)
    .slice(0, 2);
  expect(firms.length).toBe(2);
  const before = sink.messages.length;
  const { post: sent } = await submitForm(
    base,
    privatePath,
    `${privatePath}/briefs`,
    firms.map((f) => ['firm', f]),
  );
  expect(sent?.status).toBe(303);
  const briefs = await waitFor(
    'the two briefs',
    () => {
      const found = sink.messages.slice(before).filter((m) => m.subject.startsWith('New brief'));
      return found.length >= 2 ? found : undefined;
    },
    20_000,
  );
  let accepted = 0;
  for (const brief of briefs) {
    const briefPath = linkPath(brief, '/b/')!;
    const { post } = await submitForm(base, briefPath, `${briefPath}/accept`);
    // 303 accepted; 409 when the firm has just run out of monthly capacity (also a valid answer).
    expect([303, 409]).toContain(post?.status);
    if (post?.status === 303) accepted++;
  }
  const withShares = await call(`${base}${privatePath}`);
  const shares = [
    ...withShares.body.matchAll(/action="[^"]*\/briefs\/([0-9a-f-]{36})\/share"/g),
  ].map((m) => m[1]!);
  expect(shares.length).toBe(accepted);
  for (const briefId of shares) {
    const { post } = await submitForm(base, privatePath, `${privatePath}/briefs/${briefId}/share`);
    expect(post?.status).toBe(303);
  }
  return shares.length;
}

const SHARED_SUBJECT = /^The buyer of request .* shared its details with you$/;

describe('faults', () => {
  test('SIGKILL mid-traffic: no accepted request lost, every email delivered, no introduction twice', async () => {
    const sink = new SmtpSink();
    await sink.start();
    cleanups.push(() => sink.stop());
    const dataDir = tempDir('auditmatch-kill-');
    const port = await freePort();
    const env = { SMTP_URL: sink.url, RATE_LIMIT_MULTIPLIER: '1000' };
    let server: ServerProcess = await startServer({ dataDir, port, env });
    cleanups.push(() => server.stop());
    const base = server.url;

    // Introductions before the crash: two buyers, fully delivered; a third accepted just before the kill.
    let introductions = 0;
    introductions += await journeyToIntroductions(base, sink, 'intro-1@kill.example.com');
    introductions += await journeyToIntroductions(base, sink, 'intro-2@kill.example.com');
    await waitFor(
      'introductions delivered',
      () => sink.messages.filter((m) => SHARED_SUBJECT.test(m.subject)).length >= introductions,
      20_000,
    );
    introductions += await journeyToIntroductions(base, sink, 'intro-3@kill.example.com');
    expect(introductions).toBeGreaterThanOrEqual(2);

    // A stream of quote requests; the server is killed in the middle of it and restarted.
    const accepted: { reference: string; email: string }[] = [];
    const statuses = new Map<number | string, number>();
    let n = 0;
    let phase: 'before' | 'down' | 'after' = 'before';
    let killedAt = 0;
    const stream = runLoops(4, 9, async () => {
      const startedIn = phase;
      const email = `stream-${n++}@kill.example.com`;
      const outcome = await postRequest(base, email, n);
      const key = outcome.status || outcome.error || 'no answer';
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (outcome.status === 202)
        accepted.push({
          reference: (JSON.parse(outcome.body) as { reference: string }).reference,
          email,
        });
      // While the server is down, answers are refused connections: do not spin.
      await sleep(outcome.status === 202 ? 150 : 100);
      if (outcome.status !== 202 && startedIn === 'after')
        throw new Error(`after the restart: ${key} ${outcome.body.slice(0, 200)}`);
    });
    await sleep(2500);
    const acceptedBeforeKill = accepted.length;
    phase = 'down';
    killedAt = Date.now();
    await server.kill9();
    expect(server.child.signalCode).toBe('SIGKILL');
    await sleep(500);
    server = await startServer({ dataDir, port, env });
    phase = 'after';
    const restartedAt = Date.now();
    await stream;

    // Nothing accepted is lost: every 202 exists in the database, exactly once.
    const rows = readSqlite(
      dataDir,
      (db) =>
        db.prepare('select id, reference from quote_requests').all() as {
          id: string;
          reference: string;
        }[],
    );
    const references = new Set(rows.map((r) => r.reference));
    expect(references.size).toBe(rows.length);
    for (const a of accepted)
      expect(references.has(a.reference), `request ${a.reference} survived the kill`).toBe(true);

    // The outbox delivers everything after the restart (a lease held by the killed worker expires in 60 s).
    const keys = () =>
      readSqlite(
        dataDir,
        (db) =>
          db.prepare('select idempotency_key as k, status from outbox').all() as {
            k: string;
            status: string;
          }[],
      );
    await waitFor(
      'every queued email delivered after the restart',
      () => {
        const ids = new Set(sink.messages.map((m) => m.messageId));
        return keys().every((o) => o.status === 'sent' && ids.has(messageId(o.k, MAIL_FROM)));
      },
      90_000,
      250,
    );
    const drainedAfter = Date.now() - restartedAt;
    // Accepting an old brief again after the restart (a page left open) must not introduce anyone twice.
    const oldBrief = sink.messages.find((m) => m.subject.startsWith('New brief'))!;
    const briefPath = linkPath(oldBrief, '/b/')!;
    const { post: again } = await submitForm(
      server.url,
      `/match?preview=1&${SOC2_SCOPE_QUERY}`,
      `${briefPath}/accept`,
    );
    expect(again?.status).toBe(409);
    await sleep(2500);
    await server.stop();

    const outbox = keys();
    const copies = new Map<string, SunkMessage[]>();
    for (const m of sink.messages) copies.set(m.messageId, [...(copies.get(m.messageId) ?? []), m]);
    // Every confirmation of an accepted request, and every introduction, delivered.
    for (const r of rows)
      expect(
        copies.has(messageId(`req:${r.id}:confirm`, MAIL_FROM)),
        `confirmation of ${r.reference}`,
      ).toBe(true);
    const introKeys = outbox.filter((o) => o.k.endsWith(':contact-shared'));
    expect(introKeys.length).toBe(introductions);
    const introFirmMessages = sink.messages.filter((m) => SHARED_SUBJECT.test(m.subject));
    expect(new Set(introFirmMessages.map((m) => m.messageId)).size).toBe(introductions);
    for (const o of introKeys)
      expect(copies.get(messageId(o.k, MAIL_FROM))?.length, `introduction ${o.k}`).toBe(1);
    // Nothing delivered that the outbox does not hold, and no message twice — except, at most,
    // the one message the killed worker had handed to SMTP but not yet marked sent: it goes
    // again under the same Message-ID, which mail systems use to drop the copy.
    const wanted = new Set(outbox.map((o) => messageId(o.k, MAIL_FROM)));
    expect([...copies.keys()].filter((id) => !wanted.has(id))).toEqual([]);
    const twice = [...copies.entries()].filter(([, list]) => list.length > 1);
    expect(twice.length).toBeLessThanOrEqual(1);
    for (const [, list] of twice) {
      expect(list.length).toBe(2);
      expect(list[0]!.receivedAt).toBeLessThanOrEqual(killedAt);
    }

    console.log('\nSIGKILL mid-traffic');
    console.table({
      'quote requests answered 202': { value: accepted.length },
      '… of which before the kill': { value: acceptedBeforeKill },
      'answers by status': {
        value: [...statuses.entries()].map(([s, c]) => `${s}×${c}`).join(' '),
      },
      'requests in the database': { value: rows.length },
      'accepted requests missing': {
        value: accepted.filter((a) => !references.has(a.reference)).length,
      },
      'emails in the outbox / delivered (distinct Message-ID)': {
        value: `${outbox.length} / ${copies.size}`,
      },
      'contacts shared / delivered twice': {
        value: `${introductions} / ${introKeys.filter((o) => (copies.get(messageId(o.k, MAIL_FROM))?.length ?? 0) > 1).length}`,
      },
      'copies resent after the kill (same Message-ID)': { value: twice.length },
      'outbox drained after the restart in': { value: `${drainedAfter} ms` },
    });
  }, 180_000);

  test('PostgreSQL restarted under traffic: /readyz reports it, the app recovers without a restart', async (context) => {
    const cluster = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql')[0] : undefined;
    if (!isRoot || !cluster || (!process.env.TEST_DATABASE_URL && !(await pgReachable())))
      return context.skip();
    const pgctl = (action: 'stop' | 'start') =>
      run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', action], {
        timeout: 60_000,
      });
    const pg = await pgSchema('slow_fault');
    cleanups.push(() => pg.drop());
    const server = await startServer({
      dataDir: tempDir('auditmatch-pg-'),
      env: { DATABASE_URL: pg.url, RATE_LIMIT_MULTIPLIER: '1000' },
    });
    cleanups.push(() => server.stop());

    const log: { at: number; label: string; outcome: Outcome }[] = [];
    const ready: { at: number; status: number }[] = [];
    let stop = false;
    let n = 0;
    const traffic = Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        while (!stop) {
          const at = Date.now();
          const outcome =
            worker % 2 === 0
              ? await postRequest(server.url, `pg-${n++}@restart.example.com`, n)
              : await call(`${server.url}/match?preview=1&${SOC2_SCOPE_QUERY}`);
          log.push({
            at,
            label: worker % 2 === 0 ? 'POST /api/v1/requests' : 'GET /match?preview=1',
            outcome,
          });
          await sleep(outcome.status >= 500 ? 100 : 20);
        }
      }),
    );
    const poller = (async () => {
      while (!stop) {
        const at = Date.now();
        const res = await call(`${server.url}/readyz`, { timeoutMs: 10_000 });
        ready.push({ at, status: res.status });
        await sleep(100);
      }
    })();

    let downAt = 0;
    let upAt = 0;
    let recoveredAt = 0;
    try {
      await sleep(2000);
      downAt = Date.now();
      await pgctl('stop');
      await waitFor(
        '/readyz 503 while PostgreSQL is down',
        () => ready.some((r) => r.at > downAt && r.status === 503),
        15_000,
      );
      await sleep(2000);
      await pgctl('start');
      upAt = Date.now();
    } catch (error) {
      const t0 = downAt;
      console.log(
        'readyz since the stop:',
        ready
          .filter((r) => r.at > t0 - 1000)
          .map((r) => `${r.at - t0}:${r.status}`)
          .join(' '),
      );
      console.log(
        'requests since the stop:',
        log
          .filter((l) => l.at > t0 - 1000)
          .map(
            (l) =>
              `${l.at - t0}:${l.outcome.status || l.outcome.error}:${Math.round(l.outcome.ms)}`,
          )
          .join(' '),
      );
      console.log(server.output().slice(-3000));
      throw error;
    } finally {
      // Never leave the shared server down, whatever happened above.
      await run('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).catch(() =>
        pgctl('start').catch(() => {}),
      );
    }
    await waitFor(
      '/readyz 200 after PostgreSQL is back',
      () => ready.some((r) => r.at > upAt && r.status === 200),
      30_000,
    );
    recoveredAt = ready.find((r) => r.at > upAt && r.status === 200)!.at;
    await sleep(3000);
    stop = true;
    await Promise.all([traffic, poller]);

    // The process stayed up and answered everything: no refused connection, no request left hanging.
    expect(server.alive()).toBe(true);
    expect(log.filter((l) => l.outcome.status === 0).map((l) => l.outcome.error)).toEqual([]);
    expect(ready.filter((r) => r.status === 0)).toEqual([]);
    // Failures only while the database was away, and only as server errors (5xx), never a 2xx lie.
    const during = (at: number) => at >= downAt - 500 && at <= recoveredAt;
    const failures = log.filter((l) => ![200, 202].includes(l.outcome.status));
    for (const f of failures) {
      expect(f.outcome.status).toBeGreaterThanOrEqual(500);
      expect(during(f.at), `${f.label} failed ${f.at - recoveredAt} ms after recovery`).toBe(true);
    }
    const after = log.filter((l) => l.at > recoveredAt);
    expect(after.length).toBeGreaterThan(10);
    expect(
      after.filter((l) => ![200, 202].includes(l.outcome.status)).map((l) => l.outcome.status),
    ).toEqual([]);
    expect(ready.filter((r) => r.at > recoveredAt).every((r) => r.status === 200)).toBe(true);
    const final = await call(`${server.url}/readyz`);
    expect(final.status).toBe(200);

    // No accepted request lost.
    const accepted = log
      .filter((l) => l.outcome.status === 202)
      .map((l) => (JSON.parse(l.outcome.body) as { reference: string }).reference);
    const stored = new Set(
      (await pg.db.kysely.selectFrom('quoteRequests').select('reference').execute()).map(
        (r) => r.reference,
      ),
    );
    for (const reference of accepted)
      expect(stored.has(reference), `request ${reference}`).toBe(true);

    console.log('\nPostgreSQL restart under traffic');
    console.table({
      'outage (stop → start)': { value: `${upAt - downAt} ms` },
      '/readyz 503 answers': { value: ready.filter((r) => r.status === 503).length },
      'back to ready after start': { value: `${recoveredAt - upAt} ms` },
      'requests / failed (all 5xx, during the outage)': {
        value: `${log.length} / ${failures.length} (${[...new Set(failures.map((f) => f.outcome.status))].join(', ') || '-'})`,
      },
      'requests after recovery / failed': { value: `${after.length} / 0` },
      'accepted requests stored': { value: `${accepted.length} / ${accepted.length}` },
    });
  }, 120_000);

  test('SMTP down while requests arrive, then back: every message delivered once', async () => {
    const sink = new SmtpSink();
    await sink.start();
    await sink.stop(); // the port is known; nothing listens on it now
    cleanups.push(() => sink.stop());
    const dataDir = tempDir('auditmatch-smtp-');
    const server = await startServer({
      dataDir,
      env: { SMTP_URL: sink.url, OUTBOX_BACKOFF_MS: '500', RATE_LIMIT_MULTIPLIER: '10' },
    });
    cleanups.push(() => server.stop());

    const references: string[] = [];
    for (let i = 0; i < 30; i++) {
      const outcome = await postRequest(server.url, `smtp-${i}@outage.example.com`, i);
      expect(outcome.status).toBe(202);
      references.push((JSON.parse(outcome.body) as { reference: string }).reference);
    }
    // Every message has been tried and has failed at least once while the mail server was away.
    await waitFor(
      'a failed attempt for every message',
      () =>
        readSqlite(
          dataDir,
          (db) =>
            (
              db
                .prepare(
                  "select count(*) as n from outbox where attempts > 0 and status = 'pending'",
                )
                .get() as { n: number }
            ).n,
        ) === 30,
      20_000,
      200,
    );
    expect(sink.messages.length).toBe(0);
    await sleep(1500);

    await sink.start();
    const expected = readSqlite(dataDir, (db) =>
      (db.prepare('select idempotency_key as k from outbox').all() as { k: string }[]).map((o) =>
        messageId(o.k, MAIL_FROM),
      ),
    );
    expect(expected.length).toBe(30);
    await waitFor(
      'all 30 delivered',
      () => expected.every((id) => sink.messages.some((m) => m.messageId === id)),
      30_000,
      200,
    );
    await sleep(2000); // room for a stray second copy to show up
    const copies = sink.copiesById();
    expect(sink.messages.length).toBe(30);
    for (const id of expected) expect(copies.get(id)).toBe(1);
    const outbox = readSqlite(
      dataDir,
      (db) =>
        db.prepare('select status, attempts from outbox').all() as {
          status: string;
          attempts: number;
        }[],
    );
    expect(outbox.every((o) => o.status === 'sent')).toBe(true);
    await server.stop();

    console.log('\nSMTP outage');
    console.table({
      'requests accepted while SMTP was down': { value: references.length },
      'delivery attempts before it came back (max per message)': {
        value: Math.max(...outbox.map((o) => o.attempts)),
      },
      'delivered / copies': { value: `${copies.size} / ${sink.messages.length}` },
    });
  }, 120_000);

  describe('a data folder that cannot be written', () => {
    /** `serve` must end non-zero with one line naming the folder, not a stack trace, and quickly. */
    async function expectCleanRefusal(
      dataDir: string,
      code: RegExp,
      env: Record<string, string> = {},
    ) {
      const port = await freePort();
      const result = await cliResult(
        ['serve'],
        {
          NODE_ENV: 'development',
          DATA_DIR: dataDir,
          PORT: String(port),
          LOG_LEVEL: 'warn',
          ...env,
        },
        30_000,
      );
      const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
      expect(result.code, lines.join('\n')).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^auditmatch: cannot write to the data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `,
        ),
      );
      expect(lines[0]).toMatch(code);
      return lines[0]!;
    }

    function integrity(dataDir: string) {
      const db = new SqliteDatabase(join(dataDir, 'auditmatch.sqlite'), { fileMustExist: true });
      try {
        return {
          check: db.pragma('integrity_check', { simple: true }),
          firms: (db.prepare('select count(*) as n from firms').get() as { n: number }).n,
        };
      } finally {
        db.close();
      }
    }

    const results: Record<string, { value: string }> = {};
    afterAll(() => {
      console.log('\nUnwritable data folder');
      console.table(results);
    });

    test('a path under a regular file', async () => {
      const dir = tempDir('auditmatch-notdir-');
      writeFileSync(join(dir, 'file'), 'not a folder');
      results['DATA_DIR under a file'] = {
        value: await expectCleanRefusal(join(dir, 'file', 'data'), /ENOTDIR|EEXIST/),
      };
    }, 60_000);

    /** A small tmpfs of our own, so it can be made read-only or filled up. */
    async function smallDisk(): Promise<string | null> {
      if (!isRoot) return null;
      const mountPoint = tempDir('auditmatch-disk-');
      try {
        await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
      } catch {
        return null;
      }
      cleanups.push(() => run('umount', ['-l', mountPoint]).then(() => undefined));
      const dataDir = join(mountPoint, 'data');
      const seeded = await cliResult(
        ['seed'],
        { NODE_ENV: 'development', DATA_DIR: dataDir },
        60_000,
      );
      expect(seeded.code, seeded.stderr).toBe(0);
      return mountPoint;
    }

    test('a read-only file system', async (context) => {
      const mountPoint = await smallDisk();
      if (!mountPoint) return context.skip();
      const dataDir = join(mountPoint, 'data');
      const before = integrity(dataDir);
      await run('mount', ['-o', 'remount,ro', mountPoint]);
      try {
        results['read-only, existing database'] = {
          value: await expectCleanRefusal(dataDir, /SQLITE_(CANTOPEN|READONLY)|EROFS/),
        };
        // A first start there (no development secret yet) fails just as clearly.
        results['read-only, first start'] = {
          value: await expectCleanRefusal(join(mountPoint, 'fresh'), /EROFS|ENOENT/),
        };
      } finally {
        await run('mount', ['-o', 'remount,rw', mountPoint]);
      }
      expect(integrity(dataDir)).toEqual({ check: 'ok', firms: before.firms });
      expect(before.firms).toBeGreaterThan(0);
    }, 90_000);

    test('a full disk', async (context) => {
      const mountPoint = await smallDisk();
      if (!mountPoint) return context.skip();
      const dataDir = join(mountPoint, 'data');
      const before = integrity(dataDir);
      // Fill every last block.
      const filler = join(mountPoint, 'filler');
      mkdirSync(filler);
      const block = Buffer.alloc(64 * 1024, 1);
      for (let i = 0; i < 10_000; i++) {
        try {
          writeFileSync(join(filler, String(i)), block);
        } catch {
          try {
            writeFileSync(join(filler, `${i}-small`), Buffer.alloc(512, 1));
          } catch {
            break;
          }
        }
      }
      results['full disk, existing database'] = {
        value: await expectCleanRefusal(dataDir, /SQLITE_(FULL|IOERR)|ENOSPC/),
      };
      rmSync(filler, { recursive: true, force: true });
      expect(integrity(dataDir)).toEqual({ check: 'ok', firms: before.firms });
    }, 90_000);
  });
});
