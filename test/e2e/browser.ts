import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate';
import { startBackgroundWork } from '../../src/services/maintenance';
import { seedDemoFirms } from '../../src/services/seed';
import { buildApp } from '../../src/web/app';
import { openTestDatabase, type TestDatabase } from '../helpers/engines';
import { linksIn, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * How long a browser action (click, wait, screenshot) may take before the test fails. A guard
 * against a hang, not a speed check: a full-page screenshot has taken over 10 s on a busy machine.
 */
export const ACTION_TIMEOUT_MS = 60_000;
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** A missing browser fails the run: browser tests are part of the suite, never silently skipped. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RunningSite {
  app: FastifyInstance;
  baseUrl: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real app on a loopback port, on a fresh SQLite file with the demo firms. With `smtpUrl`,
 * the background work runs too, so the outbox delivers every email to that SMTP peer.
 */
export async function startSite(options: { smtpUrl?: string } = {}): Promise<RunningSite> {
  const database = await openTestDatabase('sqlite');
  await migrateToLatest(database.db.kysely);
  await seedDemoFirms(database.db.kysely, new Date());
  const config = options.smtpUrl
    ? { ...database.config, smtpUrl: options.smtpUrl }
    : database.config;
  const app = await buildApp(config, { db: database.db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The outbox looks for due emails every 100 ms rather than every second: a journey waits for
  // a dozen emails, each of which otherwise sat in the outbox half a second on average.
  const background = options.smtpUrl ? startBackgroundWork(app.ctx, app.log, 100) : null;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    async close() {
      await background?.stop();
      await app.close();
      await database.cleanup();
    },
  };
}

export interface BrowserSite {
  site: RunningSite;
  browser: Browser;
  /** The SMTP peer the site mails to (only with `mail: true`). */
  sink: SmtpSink;
}

/**
 * The site, a browser and (with `mail`) an SMTP peer for the describe block it is called in:
 * opened before its tests, after clearing the screenshots named `screenshots-*`, and closed
 * after them. Read the fields inside hooks and tests.
 */
export function openBrowserSite(
  options: { screenshots?: string; mail?: boolean } = {},
): BrowserSite {
  const env = {} as BrowserSite;
  beforeAll(async () => {
    if (options.screenshots) resetScreenshots(options.screenshots);
    if (options.mail) env.sink = await startSmtpSink();
    env.site = await startSite(options.mail ? { smtpUrl: env.sink.url } : {});
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.site?.close();
    await env.sink?.stop();
  });
  return env;
}

/** Clears this file's earlier artifacts (`<prefix>-…`), so the folder shows only this run's. */
export function resetScreenshots(prefix: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const file of readdirSync(SCREENSHOT_DIR)) {
    if (file.startsWith(`${prefix}-`)) rmSync(join(SCREENSHOT_DIR, file), { force: true });
  }
}

/**
 * Screenshots are kept only when SCREENSHOTS is set (`SCREENSHOTS=1 npm run test:e2e`): they
 * assert nothing, and a full-page capture of each checked page was about a quarter of the
 * browser tests' time (13 s of 56 s in the operator and guides walks).
 */
const KEEP_SCREENSHOTS = Boolean(process.env.SCREENSHOTS);

/**
 * Runs axe on the page as it is now and, with SCREENSHOTS set, saves a full-page screenshot as
 * an artifact (JPEG: encoding a long page as PNG cost about a tenth of the browser tests' time).
 */
export async function checkPage(page: Page, name: string) {
  if (KEEP_SCREENSHOTS)
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `${name}.jpg`),
      fullPage: true,
      quality: 80,
    });
  // axe is loaded once per document, through the DevTools protocol (the site's CSP forbids eval).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const summary = await page.evaluate(axeViolations);
  expect(summary, `axe violations on ${name}`).toEqual([]);
}

/**
 * Runs in the page: every axe rule on the whole document, violations only (ADR 0029). Calling
 * axe-core directly costs about half of what `@axe-core/playwright` did per check: it loaded and
 * configured axe afresh each time and ran it through its frame machinery on pages with no frames.
 */
async function axeViolations(): Promise<string[]> {
  const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
    resultTypes: ['violations'],
  });
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** Follows a link of the main navigation and waits until the page at `url` (a glob) has loaded. */
export async function followMainNav(page: Page, link: string, url: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  await page.waitForURL(url);
}

/** Waits until the one element the locator names is on screen (strict: several fail). */
export const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });

/** Waits until the first element the locator names is on screen. */
export const shown = (locator: Locator) => visible(locator.first());

/** An emailed link opened on the site under test: emails point at PUBLIC_URL, the site listens on a loopback port. */
export function onSite(site: RunningSite, link: string): string {
  const url = new URL(link);
  return `${site.baseUrl}${url.pathname}${url.search}`;
}

/**
 * Signs in from the sign-in page the browser shows, as a person does: asks for a link, reads it
 * from the SMTP peer, opens it and presses the button.
 */
export async function signInFromEmail(
  page: Page,
  site: RunningSite,
  sink: SmtpSink,
  email: string,
) {
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await shown(page.getByText('a sign-in link is on its way'));
  const mail = await sink.waitFor(
    (m) => m.to.includes(email.toLowerCase()) && m.subject === 'Your Auditmatch sign-in link',
    'with the sign-in link',
  );
  const link = linksIn(mail).find((l) => new URL(l).pathname.startsWith('/sign-in/'));
  expect(link, 'a /sign-in/ link in the email').toBeDefined();
  await page.goto(onSite(site, link!));
  await page.getByRole('button', { name: 'Sign in' }).click();
}
