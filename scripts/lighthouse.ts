/**
 * Lighthouse on the public guide pages (docs/quality.md): starts the real app in this process on a
 * temporary SQLite database with the demo firms, runs Lighthouse 12.2.3 in Debian Chromium on
 * each page, prints one table and writes test-results/lighthouse.json. Exits non-zero when a
 * page misses a target.
 *
 *   npm run lighthouse            # every page
 *   npm run lighthouse -- /advisor  # only the paths given
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoFirms } from '../src/services/seed';
import { buildApp } from '../src/web/app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGES = [
  '/',
  '/frameworks/iso42001',
  '/compare/soc2-vs-iso42001',
  '/advisor',
  '/overlap',
  '/estimate',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];
const TARGETS: Record<Category, number> = {
  performance: 98,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};
const MAX_JS_BYTES = 15 * 1024;
const OUTPUT = join(process.cwd(), 'test-results', 'lighthouse.json');

interface PageResult {
  path: string;
  scores: Record<Category, number>;
  jsBytes: number;
  /** Audits that lost points, so a failure says what to fix. */
  failing: { id: string; title: string; score: number | null }[];
  pass: boolean;
}

/** The canonical URL must be the address Lighthouse loads, so the port is chosen first. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startSite() {
  const dataDir = mkdtempSync(join(tmpdir(), 'auditmatch-lighthouse-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET: 'lighthouse-secret-0123456789abcdef0123456789',
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'warn',
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db.kysely);
  await seedDemoFirms(db.kysely, new Date());
  const app = await buildApp(config, { db });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    baseUrl,
    async close() {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

async function audit(url: string, port: number): Promise<Lhr> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await lighthouse(url, {
        port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const code = result.lhr.runtimeError?.code;
      // A cold Chromium sometimes misses the first navigation start: retry once, as documented.
      if (code === 'NO_NAVSTART' && attempt === 1) continue;
      if (code) throw new Error(`${url}: ${code} ${result.lhr.runtimeError?.message ?? ''}`);
      return result.lhr;
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      if (attempt === 1 && String(code).includes('NO_NAVSTART')) continue;
      throw error;
    }
  }
}

function jsBytes(lhr: Lhr): number {
  const summary = lhr.audits['resource-summary']?.details as
    | { items?: { resourceType: string; transferSize: number }[] }
    | undefined;
  return summary?.items?.find((i) => i.resourceType === 'script')?.transferSize ?? 0;
}

function failingAudits(lhr: Lhr) {
  const ids = new Set(
    CATEGORIES.flatMap((c) =>
      (lhr.categories[c]?.auditRefs ?? []).filter((r) => r.weight > 0).map((r) => r.id),
    ),
  );
  return [...ids]
    .map((id) => lhr.audits[id])
    .filter((a): a is NonNullable<typeof a> => !!a && a.score !== null && a.score < 1)
    .map((a) => ({ id: a.id, title: a.title, score: a.score }));
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

async function main() {
  const paths = process.argv.slice(2).filter((a) => a.startsWith('/'));
  const site = await startSite();
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  const results: PageResult[] = [];
  try {
    for (const path of paths.length > 0 ? paths : PAGES) {
      const lhr = await audit(`${site.baseUrl}${path}`, chrome.port);
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const js = jsBytes(lhr);
      const pass = CATEGORIES.every((c) => scores[c] >= TARGETS[c]) && js <= MAX_JS_BYTES;
      results.push({ path, scores, jsBytes: js, failing: failingAudits(lhr), pass });
    }
  } finally {
    chrome.kill();
    await site.close();
  }

  const header = `${pad('page', 28)}${pad('perf', 6)}${pad('a11y', 6)}${pad('best', 6)}${pad('seo', 6)}${pad('JS bytes', 10)}result`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const r of results) {
    console.log(
      `${pad(r.path, 27)} ${pad(String(r.scores.performance), 6)}${pad(String(r.scores.accessibility), 6)}${pad(String(r.scores['best-practices']), 6)}${pad(String(r.scores.seo), 6)}${pad(String(r.jsBytes), 10)}${r.pass ? 'pass' : 'FAIL'}`,
    );
  }
  console.log(
    `targets: performance >= ${TARGETS.performance}, accessibility/best practices/SEO = 100, JS <= ${MAX_JS_BYTES} bytes`,
  );
  for (const r of results.filter((x) => x.failing.length > 0)) {
    console.log(`\n${r.path} lost points on:`);
    for (const a of r.failing) console.log(`  ${a.id} (${a.score}): ${a.title}`);
  }

  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify({ lighthouse: '12.2.3', chromium: CHROMIUM, targets: { ...TARGETS, maxJsBytes: MAX_JS_BYTES }, at: new Date().toISOString(), pages: results }, null, 2)}\n`,
  );
  console.log(`\nwrote ${OUTPUT}`);
  if (!results.every((r) => r.pass)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
