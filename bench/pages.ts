import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon, { type RawRequest, type Result } from 'autocannon';
import { type Figure, kb } from './lib/report';
import { COMPANY_STAGES, FRAMEWORK_IDS, REGIONS } from '../src/domain/vocabulary';
import { median } from './lib/stats';
import { addDays, syntheticScopes } from './lib/synthetic';
import { cpuPlan, ensureWrk, type LoadResult, runWrk } from './lib/wrk';

/**
 * Public pages over HTTP on loopback: throughput against a bare Fastify hello-world (both
 * servers in child processes, autocannon in this one), bytes per page, and the app's memory
 * after the load.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const CONNECTIONS = 50;
export const CACHED_RATIO_TARGET = 0.6;
export const DYNAMIC_RATIO_TARGET = 0.2;
/** The match page over its 64 scopes and POST /api/v1/match-preview. */
export const PREVIEW_RATIO_TARGET = 0.3;
/** A cached page against a bare Fastify sending the same bytes. */
export const SAME_BYTES_RATIO_TARGET = 0.8;
export const JS_BYTES_TARGET = 15 * 1024;
export const TOTAL_BYTES_TARGET = 60 * 1024;
export const RSS_TARGET_MB = 150;

interface Server {
  child: ChildProcess;
  port: number;
  pid: number;
  stderr: () => string;
}

/** The Node flags `npm start` runs the server with (package.json), so the app child runs the same way. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(HERE, '..', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * Starts a bench server as a child process and waits for it to report its port. The app is
 * bundled and run as `npm start` runs the real server (bin/build.mjs, same flags); the
 * hello-world runs as it is.
 */
async function startServer(script: 'serve-app.ts' | 'serve-hello.ts'): Promise<Server> {
  let args = ['--import', 'tsx', join(HERE, script), '0'];
  if (script === 'serve-app.ts') {
    const { bundle } = await import('../bin/build.mjs');
    await bundle('bench/serve-app.ts', 'dist/bench-serve-app.mjs');
    args = [...startFlags(), join(HERE, '..', 'dist', 'bench-serve-app.mjs'), '0'];
  }
  const pin = cpuPlan().server;
  const child = spawn(
    pin ? 'taskset' : process.execPath,
    pin ? ['-c', pin, process.execPath, ...args] : args,
    {
      cwd: join(HERE, '..'),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${errors}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${errors}`));
    });
    child.on('message', (message: { ready?: boolean; port?: number; pid?: number }) => {
      if (!message.ready || !message.port || !message.pid) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, port: message.port, pid: message.pid, stderr: () => errors });
    });
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      server.child.kill('SIGKILL');
      resolve();
    }, 5_000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

/**
 * Hands the bare server the headers an app page answered with, for its `/response` route: all
 * but those Node writes itself (date, connection, keep-alive, content-length).
 */
async function pageHeadersFor(server: Server, n: number, headers: Headers): Promise<void> {
  const own = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
  const pageHeaders: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!own.has(name)) pageHeaders[name] = value;
  });
  await new Promise<void>((resolve) => {
    const onMessage = (message: { pageHeadersSet?: number }) => {
      if (message.pageHeadersSet !== n) return;
      server.child.off('message', onMessage);
      resolve();
    };
    server.child.on('message', onMessage);
    server.child.send({ pageHeaders, n });
  });
}

/** The app child's own view of its memory (process.memoryUsage), asked over IPC. */
function memoryOf(server: Server): Promise<NodeJS.MemoryUsage | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 2000);
    server.child.once('message', (message: { memory?: NodeJS.MemoryUsage }) => {
      clearTimeout(timer);
      resolve(message.memory ?? null);
    });
    server.child.send({ memory: true });
  });
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kbs = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kbs === undefined ? null : Number(kbs) / 1024;
  } catch {
    return null;
  }
}

/** A distinct client address per request, so per-address rate limits never answer 429. */
function forwardedFor(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

interface PageSpec {
  id: string;
  name: string;
  /** Which target applies; 'info' rows explain a figure and have none. */
  kind: 'cached' | 'dynamic' | 'preview' | 'info';
  /** The path of the n-th request. */
  path: (n: number) => string;
  /** Every request a path never asked before (a new headcount each time). */
  unique?: boolean;
  /** A JSON body to POST instead of a GET. */
  post?: string;
  /** Also measure a bare Fastify sending as many (Brotli) bytes as this page: what its size alone costs. */
  sizeBaseline?: boolean;
}

/** The match form's query for a synthetic scope, as the browser submits it with ?preview=1. */
export function previewQuery(scope: ReturnType<typeof syntheticScopes>[number]): string {
  const q = new URLSearchParams({ preview: '1' });
  for (const f of scope.frameworks) {
    q.append('framework', f.framework);
    if (f.variant) q.append(`variant_${f.framework}`, f.variant);
  }
  q.append('stage', scope.stage);
  q.append('headcount', String(scope.headcount));
  q.append('region', scope.region);
  q.append('industry', scope.industry);
  q.append('neededBy', scope.neededBy);
  if (scope.budget) q.append('budget', scope.budget);
  q.append('aiExposure', scope.aiExposure);
  if (scope.language) q.append('language', scope.language);
  return `/match?${q.toString()}`;
}

function demoSlug(): string {
  const file = join(HERE, '..', 'src', 'data', 'demo-firms.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    firms: { slug: string; status?: string }[];
  };
  const firm = data.firms.find((f) => (f.status ?? 'active') === 'active');
  if (!firm) throw new Error('no active demo firm');
  return firm.slug;
}

export function pageSpecs(): PageSpec[] {
  const today = new Date().toISOString().slice(0, 10);
  const previews = syntheticScopes(64, today, { seed: 5 }).map((s) =>
    previewQuery({ ...s, neededBy: addDays(today, 200 + (s.headcount % 150)) }),
  );
  const slug = demoSlug();
  const directoryFilters = FRAMEWORK_IDS.flatMap((framework) =>
    REGIONS.flatMap((region) =>
      COMPANY_STAGES.map(
        (stage) => `/firms?framework=${framework}&region=${region}&stage=${stage}`,
      ),
    ),
  );
  return [
    { id: 'home', name: 'home /', kind: 'cached', path: () => '/', sizeBaseline: true },
    {
      id: 'framework',
      name: 'framework /frameworks/soc2',
      kind: 'cached',
      path: () => '/frameworks/soc2',
      sizeBaseline: true,
    },
    {
      id: 'comparison',
      name: 'comparison /compare/soc2-vs-iso42001',
      kind: 'cached',
      path: () => '/compare/soc2-vs-iso42001',
      sizeBaseline: true,
    },
    {
      id: 'firm',
      name: `firm profile /firms/${slug}`,
      kind: 'cached',
      path: () => `/firms/${slug}`,
      sizeBaseline: true,
    },
    {
      id: 'directory',
      name: `directory /firms?framework=…&region=…&stage=… (${directoryFilters.length} choices in turn)`,
      kind: 'dynamic',
      // Cached per filter choice: each choice renders once, then is served from the cache.
      path: (n) => directoryFilters[n % directoryFilters.length] as string,
    },
    {
      id: 'preview',
      name: `match preview /match?preview=1&… (${previews.length} scopes in turn)`,
      kind: 'preview',
      path: (n) => previews[n % previews.length] as string,
    },
    {
      id: 'preview-api',
      name: 'POST /api/v1/match-preview (one scope)',
      kind: 'preview',
      path: () => '/api/v1/match-preview',
      post: JSON.stringify({
        frameworks: [{ framework: 'soc2', variant: 'type2' }],
        stage: 'series-a',
        headcount: 40,
        region: 'north-america',
        industry: 'saas',
        neededBy: addDays(today, 300),
        aiExposure: 'uses-ai',
      }),
    },
    {
      id: 'preview-new',
      name: 'match preview, a scope never seen before on every request',
      kind: 'info',
      // A headcount no earlier request used makes a new URL: every request matches and renders.
      path: (n) =>
        (previews[n % previews.length] as string).replace(/headcount=\d+/, `headcount=${1000 + n}`),
      unique: true,
    },
  ];
}

/** Pages whose weight is measured: every public page a visitor can land on. */
function weightPaths(specs: PageSpec[]): { id: string; path: string }[] {
  return [
    ...specs
      .filter((s) => s.kind !== 'info' && !s.post)
      .map((s) => ({ id: s.id, path: s.path(0) })),
    { id: 'directory-unfiltered', path: '/firms' },
    { id: 'match-form', path: '/match' },
    { id: 'how-matching-works', path: '/how-matching-works' },
  ];
}

/** What a comparison measures on one server: a page's paths in turn (or a POST), for one window. */
interface Target {
  port: number;
  path: (n: number) => string;
  unique?: boolean;
  post?: string;
}

let windowCounter = 0;

/** One window of load: wrk when it runs here (pinned off the servers' core), autocannon otherwise. */
async function measure(target: Target, seconds: number): Promise<LoadResult> {
  const offset = ++windowCounter * 20_000;
  if (ensureWrk(() => {})) {
    return runWrk(
      {
        port: target.port,
        paths: Array.from({ length: target.unique ? 64 : 576 }, (_, i) => target.path(i)),
        seconds,
        connections: CONNECTIONS,
        offset,
        ...(target.unique ? { uniqueHeadcount: true } : {}),
        ...(target.post ? { post: { body: target.post, contentType: 'application/json' } } : {}),
      },
      cpuPlan().load,
    );
  }
  let n = offset;
  const result: Result = await autocannon({
    url: `http://127.0.0.1:${target.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request: RawRequest) => {
          n++;
          return {
            ...request,
            path: target.path(n),
            ...(target.post ? { method: 'POST', body: target.post } : {}),
            headers: {
              ...request.headers,
              // As a browser sends it: a server may answer with a compressed page.
              'accept-encoding': 'gzip, deflate, br',
              'x-forwarded-for': forwardedFor(n),
              ...(target.post ? { 'content-type': 'application/json' } : {}),
            },
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Windows per comparison: the baseline and the page alternate this many times. */
export const WINDOWS = 5;

interface Comparison {
  /** Median over the windows of (page req/s ÷ baseline req/s in the window just before). */
  ratio: number;
  ratios: number[];
  /** Mean req/s over the windows. */
  baselineRps: number;
  pageRps: number;
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * Throughput of `page` against `baseline`, measured in alternating short windows (baseline,
 * page, baseline, page, …) after a warm-up of each. This machine is shared: its speed moves
 * by a factor of two within a minute, so one long run of each would compare two different
 * machines. Each window's ratio compares neighbours; the median of the ratios is the figure.
 */
async function compare(baseline: Target, page: Target, seconds: number): Promise<Comparison> {
  const window = Math.max(1, Math.round(seconds / WINDOWS));
  await measure(baseline, window);
  await measure(page, window);
  const windows: { baseline: LoadResult; page: LoadResult }[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const before = await measure(baseline, window);
    windows.push({ baseline: before, page: await measure(page, window) });
  }
  const pages = windows.map((w) => w.page);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const ratios = windows.map((w) => w.page.rps / w.baseline.rps);
  return {
    ratio: median(ratios),
    ratios,
    baselineRps: mean(windows.map((w) => w.baseline.rps)),
    pageRps: mean(pages.map((r) => r.rps)),
    latency: {
      p50: median(pages.map((r) => r.p50)),
      p99: Math.max(...pages.map((r) => r.p99)),
    },
    non2xx: sum(pages.map((r) => r.non2xx)),
    errors: sum(pages.map((r) => r.errors)),
    timeouts: sum(pages.map((r) => r.timeouts)),
  };
}

interface PageWeight {
  path: string;
  html: number;
  css: number;
  js: number;
}

const gz = (body: Buffer) => gzipSync(body).length;
const short = (path: string) => (path.length > 44 ? `${path.slice(0, 43)}…` : path);

async function pageWeight(port: number, path: string): Promise<PageWeight | null> {
  const base = `http://127.0.0.1:${port}`;
  const response = await fetch(base + path);
  if (response.status !== 200) return null;
  const html = Buffer.from(await response.arrayBuffer());
  const text = html.toString('utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const styles = [...text.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\brel="stylesheet"/.test(tag))
    .map((tag) => attr(tag, 'href'));
  const scripts = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => attr(m[0], 'src'));
  const fetchGz = async (url: string | undefined) => {
    if (!url) return 0;
    const asset = await fetch(new URL(url.replace(/&amp;/g, '&'), base));
    return asset.ok ? gz(Buffer.from(await asset.arrayBuffer())) : 0;
  };
  const sum = async (urls: (string | undefined)[]) =>
    (await Promise.all([...new Set(urls)].map(fetchGz))).reduce((a, b) => a + b, 0);
  return { path, html: gz(html), css: await sum(styles), js: await sum(scripts) };
}

export interface PagesOptions {
  seconds: number;
  log: (line: string) => void;
}

export async function runPages(options: PagesOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const plan = cpuPlan();
  options.log(
    `load generator: ${ensureWrk(options.log) ? 'wrk' : 'autocannon (wrk not available)'}; ${plan.server ? `servers pinned to CPU ${plan.server}, load generator to CPU ${plan.load}` : 'no pinning (taskset missing or one core)'}`,
  );
  const hello = await startServer('serve-hello.ts');
  let app: Server | null = null;
  try {
    app = await startServer('serve-app.ts');
    // BENCH_PAGES (ids, comma-separated) measures only those pages: for trying one change quickly.
    const only = process.env.BENCH_PAGES?.split(',');
    const specs = pageSpecs().filter((spec) => !only || only.includes(spec.id));

    // Bytes first, on a quiet server.
    for (const { id, path } of weightPaths(specs)) {
      const weight = await pageWeight(app.port, path);
      if (!weight) {
        figures.push({
          id: `bytes.${id}`,
          figure: `page weight: ${short(path)}`,
          value: '—',
          target: '≤ 15 KB JS, ≤ 60 KB total',
          pass: null,
          note: `skipped: ${path} does not answer 200 yet`,
        });
        continue;
      }
      const total = weight.html + weight.css + weight.js;
      figures.push({
        id: `bytes.${id}`,
        figure: `page weight (gzip): ${short(path)}`,
        value: `HTML ${kb(weight.html)} + CSS ${kb(weight.css)} + JS ${kb(weight.js)} = ${kb(total)}`,
        target: '≤ 15 KB JS, ≤ 60 KB total',
        pass: weight.js <= JS_BYTES_TARGET && total <= TOTAL_BYTES_TARGET,
        measured: total,
        unit: 'bytes',
      });
    }

    // Throughput: each page right after its own hello-world run, so both see the same machine.
    for (const spec of specs) {
      const first = await fetch(`http://127.0.0.1:${app.port}${spec.path(0)}`, {
        headers: {
          'x-forwarded-for': '192.0.2.1',
          ...(spec.post ? { 'content-type': 'application/json' } : {}),
        },
        ...(spec.post ? { method: 'POST', body: spec.post } : {}),
      });
      await first.arrayBuffer();
      const target =
        spec.kind === 'cached'
          ? CACHED_RATIO_TARGET
          : spec.kind === 'dynamic'
            ? DYNAMIC_RATIO_TARGET
            : spec.kind === 'preview'
              ? PREVIEW_RATIO_TARGET
              : null;
      const base = {
        id: `throughput.${spec.id}`,
        figure: `req/s ratio: ${spec.name}`,
        target: target === null ? '—' : `≥ ${target}`,
      };
      if (first.status !== 200) {
        figures.push({
          ...base,
          value: '—',
          pass: null,
          note: `skipped: answers ${first.status}, not 200 (not built yet?)`,
        });
        options.log(`  ${spec.name}: skipped (${first.status})`);
        continue;
      }
      const result = await compare(
        { port: hello.port, path: () => '/' },
        {
          port: app.port,
          path: spec.path,
          ...(spec.unique ? { unique: true } : {}),
          ...(spec.post ? { post: spec.post } : {}),
        },
        options.seconds,
      );
      const ratio = result.ratio;
      const problems = result.non2xx + result.errors + result.timeouts;
      options.log(
        `  ${spec.name}: ${Math.round(result.pageRps)} req/s vs hello-world ${Math.round(result.baselineRps)} req/s; ratio per window ${result.ratios.map((r) => r.toFixed(2)).join(' ')} → ${ratio.toFixed(2)}; latency p99 ${result.latency.p99} ms${problems ? `; ${result.non2xx} non-2xx, ${result.errors} errors` : ''}`,
      );
      figures.push({
        ...base,
        value: `${ratio.toFixed(2)} (${Math.round(result.pageRps)} / ${Math.round(result.baselineRps)} req/s)`,
        pass: problems > 0 ? false : target === null ? null : ratio >= target,
        measured: ratio,
        unit: 'ratio',
        note:
          `median of ${WINDOWS} windows' ratios (${result.ratios.map((r) => r.toFixed(2)).join(', ')}), ${options.seconds} s of each server, ${CONNECTIONS} connections; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms` +
          (problems > 0
            ? `; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`
            : ''),
      });
    }

    for (const spec of specs.filter((x) => x.sizeBaseline)) {
      const page = await fetch(`http://127.0.0.1:${app.port}${spec.path(0)}`, {
        headers: { 'accept-encoding': 'br' },
      });
      await page.arrayBuffer();
      // fetch unpacks the body; the header gives the bytes that went over the wire.
      const bytes = Number(page.headers.get('content-length'));
      const sized = await compare(
        { port: hello.port, path: () => '/' },
        { port: hello.port, path: () => `/bytes?n=${bytes}` },
        options.seconds,
      );
      const ratio = sized.ratio;
      const appFigure = figures.find((f) => f.id === `throughput.${spec.id}`);
      const ofSameBytes =
        typeof appFigure?.measured === 'number' ? appFigure.measured / ratio : null;
      options.log(
        `  bare Fastify sending ${bytes} bytes: ${Math.round(sized.pageRps)} req/s = ${ratio.toFixed(2)} of hello-world`,
      );
      figures.push({
        id: `throughput.${spec.id}.same-body`,
        figure: `req/s ratio: ${spec.id} ÷ bare Fastify sending a body of its ${kb(bytes)} (Brotli)`,
        value:
          ofSameBytes === null
            ? '—'
            : `${ofSameBytes.toFixed(2)} (bare: ${ratio.toFixed(2)} of hello-world, ${Math.round(sized.pageRps)} req/s)`,
        target: '—',
        pass: null,
        ...(ofSameBytes === null ? {} : { measured: ofSameBytes, unit: 'ratio' }),
        note: 'the body alone, without the 19 header lines the page answers with: what the body costs',
      });
      // The same response, headers included (security headers, ETag, caching, request id):
      // every byte the app writes, so what is left is the app's own work per request.
      await pageHeadersFor(hello, bytes, page.headers);
      const same = await compare(
        { port: hello.port, path: () => '/' },
        { port: hello.port, path: () => `/response?n=${bytes}` },
        options.seconds,
      );
      const ofSameResponse =
        typeof appFigure?.measured === 'number' ? appFigure.measured / same.ratio : null;
      options.log(
        `  bare Fastify sending the same response: ${Math.round(same.pageRps)} req/s = ${same.ratio.toFixed(2)} of hello-world`,
      );
      figures.push({
        id: `throughput.${spec.id}.same-bytes`,
        figure: `req/s ratio: ${spec.id} ÷ bare Fastify sending the same response (${kb(bytes)} Brotli and its headers)`,
        value:
          ofSameResponse === null
            ? '—'
            : `${ofSameResponse.toFixed(2)} (bare: ${same.ratio.toFixed(2)} of hello-world, ${Math.round(same.pageRps)} req/s)`,
        target: `≥ ${SAME_BYTES_RATIO_TARGET}`,
        pass: ofSameResponse === null ? null : ofSameResponse >= SAME_BYTES_RATIO_TARGET,
        ...(ofSameResponse === null ? {} : { measured: ofSameResponse, unit: 'ratio' }),
        note: "the app's ratio to hello-world divided by the bare same-response server's ratio, both medians of alternating windows",
      });
    }

    const rss = rssMb(app.pid);
    const memory = await memoryOf(app);
    figures.push({
      id: 'memory.rss',
      figure: 'app RSS after the page benchmark (SQLite)',
      value: rss === null ? '—' : `${rss.toFixed(0)} MB`,
      target: `≤ ${RSS_TARGET_MB} MB`,
      pass: rss === null ? null : rss <= RSS_TARGET_MB,
      ...(rss === null
        ? { note: 'skipped: /proc not readable' }
        : {
            measured: rss,
            unit: 'MB',
            ...(memory
              ? {
                  note: `V8 heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}; outside the heap (buffers, SQLite) ${mb(memory.external)}; run with ${startFlags().join(' ')}`,
                }
              : {}),
          }),
    });
  } finally {
    if (app) await stopServer(app);
    await stopServer(hello);
  }
  return figures;
}
