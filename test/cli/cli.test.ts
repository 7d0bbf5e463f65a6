import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands';
import { openDatabase } from '../../src/db/client';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'bin', 'auditmatch.js');
const BASE_ENV = { NODE_ENV: 'development', LOG_LEVEL: 'silent' };

/** Runs the real command in a child process, as an operator would. */
async function spawned(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...BASE_ENV, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Runs the same command in this process, its lines captured: starting Node and tsx for each of
 * a dozen runs cost most of this file's time. One case runs the installed command in a child
 * process, for what only a process shows (its exit code and its stderr as a whole).
 */
async function auditmatch(args: string[], env: Record<string, string>) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCommand(args, {
    env: { ...BASE_ENV, ...env },
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

// A child process on a busy machine is slow to start, so the time limit only guards a hang.
describe('the auditmatch command', { timeout: 180_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-cli-'));
    env = { DATA_DIR: dataDir };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function firmCount() {
    const db = openDatabase({ kind: 'sqlite', file: join(dataDir, 'auditmatch.sqlite') });
    const rows = await db.kysely.selectFrom('firms').select('slug').execute();
    await db.close();
    return rows.length;
  }

  it('prints help naming every command', async () => {
    const { code, stdout } = await auditmatch(['--help'], env);
    expect(code).toBe(0);
    for (const command of [
      'serve',
      'migrate',
      'seed',
      'import-firms FILE',
      'create-admin EMAIL',
      'purge',
    ]) {
      expect(stdout).toContain(command);
    }
  });

  it('stops on a bad configuration with one line naming the variable', async () => {
    const { code, stderr } = await spawned(['migrate'], { ...env, PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('PORT');
    const prod = await spawned(['migrate'], { ...env, NODE_ENV: 'production' });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain('APP_SECRET');
  });

  it('refuses an import with errors whole, reporting row and field', async () => {
    await auditmatch(['migrate'], env);
    const { code, stderr } = await auditmatch(
      ['import-firms', 'test/fixtures/import/bad.csv'],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('nothing was imported');
    expect(stderr).toMatch(/row \d+, \S+: /);
    expect(await firmCount()).toBe(0);
  });

  it('imports a good file, and the same file again changes nothing', async () => {
    const first = await auditmatch(['import-firms', 'test/fixtures/import/good.json'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/[1-9]\d* created, 0 updated, 0 unchanged/);
    const count = await firmCount();
    expect(count).toBeGreaterThan(0);
    const again = await auditmatch(['import-firms', 'test/fixtures/import/good.json'], env);
    expect(again.stdout).toMatch(/0 created, 0 updated, [1-9]\d* unchanged/);
    expect(await firmCount()).toBe(count);
  });

  it('seeds the demo firms idempotently and creates the operator', async () => {
    const seeded = await auditmatch(['seed'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/Demo firms: \d+ created/);
    const again = await auditmatch(['seed'], env);
    expect(again.stdout).toMatch(/0 created, 0 updated/);
    const admin = await auditmatch(['create-admin', 'ops@auditmatch.example'], env);
    expect(admin.stdout).toContain('created');
    const bad = await auditmatch(['create-admin', 'not-an-email'], env);
    expect(bad.code).toBe(1);
  });

  it('rejects an unknown command with a hint', async () => {
    const { code, stderr } = await auditmatch(['frobnicate'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown command');
  });
});
