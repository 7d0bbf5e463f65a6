import { createHash } from 'node:crypto';
import {
  brotliCompressSync,
  constants,
  crc32,
  deflateRawSync,
  gunzipSync,
  gzipSync,
} from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setBounded } from '../../domain/collections';
import { DATA_VERSION } from '../../domain/frameworks';
import type { FrontDoor } from './front-door';
import { cachedPagesServed } from './operations';

declare module 'fastify' {
  interface FastifyReply {
    /** Set when the answer came whole from the page cache. */
    fromPageCache?: boolean;
  }
}

/**
 * A page as the page cache keeps it. Only the compressed forms are kept (a tenth of the
 * memory): browsers accept both, other clients often gzip only, and the rare client that
 * accepts neither gets the gzip unpacked.
 */
export interface CachedPage {
  br: Buffer;
  gzip: Buffer;
  etag: string;
  /** The answer's headers per coding, built when the page is cached rather than on every request. */
  headers: {
    br: Record<string, string>;
    gzip: Record<string, string>;
    identity: Record<string, string>;
    notModified: Record<string, string>;
  };
}

/**
 * The coding to answer with for an Accept-Encoding value. Browsers send one of a handful of
 * values, so the answer is remembered per value (bounded) instead of parsing the header again.
 */
const codingMemo = new Map<string, 'br' | 'gzip' | 'identity'>();
export function codingFor(header: string | string[] | undefined): 'br' | 'gzip' | 'identity' {
  if (typeof header !== 'string')
    return acceptsEncoding(header, 'br')
      ? 'br'
      : acceptsEncoding(header, 'gzip')
        ? 'gzip'
        : 'identity';
  let coding = codingMemo.get(header);
  if (coding === undefined) {
    coding = acceptsEncoding(header, 'br')
      ? 'br'
      : acceptsEncoding(header, 'gzip')
        ? 'gzip'
        : 'identity';
    if (codingMemo.size >= 64) codingMemo.clear();
    codingMemo.set(header, coding);
  }
  return coding;
}

/** Whether an Accept-Encoding value takes gzip, remembered per value like `codingFor`. */
const gzipMemo = new Map<string, boolean>();
function acceptsGzip(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return acceptsEncoding(header, 'gzip');
  let accepted = gzipMemo.get(header);
  if (accepted === undefined) {
    accepted = acceptsEncoding(header, 'gzip');
    if (gzipMemo.size >= 64) gzipMemo.clear();
    gzipMemo.set(header, accepted);
  }
  return accepted;
}

function pageHeaders(etag: string): CachedPage['headers'] {
  const common = { etag, 'cache-control': 'public, max-age=60', vary: 'accept-encoding' };
  const html = { ...common, 'content-type': 'text/html; charset=utf-8' };
  return {
    br: { ...html, 'content-encoding': 'br' },
    gzip: { ...html, 'content-encoding': 'gzip' },
    identity: html,
    notModified: common,
  };
}

const MAX_ENTRIES = 1000;

/**
 * True when Accept-Encoding lists the coding (or `*`) without refusing it with `q=0`.
 * An exact mention wins over `*`, as RFC 9110 section 12.5.3 says.
 */
export function acceptsEncoding(
  header: string | string[] | undefined,
  wanted: 'br' | 'gzip',
): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  let wildcard = false;
  for (const part of value.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== wanted && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = !q || Number(q.slice(2)) > 0;
    if (coding === wanted) return allowed;
    wildcard = allowed;
  }
  return wildcard;
}

/**
 * JSON answers that are the same for everyone asking the same question while what they depend
 * on stays put (the key says what that is): serialised once, sent as they are. Bounded, oldest
 * entry out first.
 */
export class AnswerCache<T> {
  private readonly answers = new Map<string, T>();

  constructor(private readonly maxEntries = 500) {}

  get(key: string): T | undefined {
    return this.answers.get(key);
  }

  put(key: string, answer: T): void {
    setBounded(this.answers, key, answer, this.maxEntries);
  }
}

/**
 * Guides (catalog version 0) never change while the process runs, so their one compression
 * may take the slowest, smallest setting (the comparison page: 8.5 KB instead of 9.9 KB at the
 * fast setting, ~30 ms once). Catalog pages are rendered again whenever a firm changes.
 */
function brotli(html: string, catalogVersion: number): Buffer {
  return brotliCompressSync(html, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: catalogVersion === 0 ? 11 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(html),
    },
  });
}

/**
 * Public pages rendered once per key (the URL unless the route gives a better one),
 * framework-data version and firm-catalog version. The cache is bounded and evicts the oldest
 * entry, so a scraper walking random query strings cannot grow it; routes whose pages depend on
 * a few parsed parameters (the directory) key on those instead of the URL.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();

  /** `door`: told of each GET answered from the cache, so it can answer the next ones before routing. */
  constructor(private readonly door?: FrontDoor) {}

  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    catalogVersion: number,
    render: () => string | Promise<string>,
    key: string = request.url,
  ) {
    const fullKey = `${DATA_VERSION}:${catalogVersion}:${key}`;
    let page = this.pages.get(fullKey);
    const hit = page !== undefined;
    if (!page) {
      const html = await render();
      if (reply.statusCode !== 200) return reply.type('text/html; charset=utf-8').send(html);
      const etag = `"${createHash('sha1').update(html).digest('base64url').slice(0, 20)}"`;
      page = {
        br: brotli(html, catalogVersion),
        gzip: gzipSync(html),
        etag,
        headers: pageHeaders(etag),
      };
      setBounded(this.pages, fullKey, page, MAX_ENTRIES);
    }
    // An answer from the cache is not worth an access-log line (see AccessLog): a CDN in front
    // logs these. The render that filled the cache keeps its line.
    if (hit) {
      reply.fromPageCache = true;
      cachedPagesServed.inc();
    }
    if (this.door && request.method === 'GET' && reply.statusCode === 200)
      this.door.remember(request.url, catalogVersion, page);
    if (request.headers['if-none-match'] === page.etag)
      return reply.headers(page.headers.notModified).code(304).send();
    const coding = codingFor(request.headers['accept-encoding']);
    reply.headers(page.headers[coding]);
    return reply.send(coding === 'identity' ? gunzipSync(page.gzip) : page[coding]);
  }

  clear() {
    this.pages.clear();
  }
}

/** Stands in for the visitor's CSRF token while a page is rendered for reuse; needs no escaping. */
export const TOKEN_SLOT = 'csrf0slot0b7e4c19a2';

interface PageAroundToken<T> {
  /** The bytes before and after the token; a page with no form (nothing to request) is one part. */
  parts: [Buffer] | [Buffer, Buffer];
  gzip: GzipAroundToken;
  data: T;
}

/**
 * A gzip stream with a gap for the token, compressed once: the part before the gap ends on a
 * byte boundary (sync flush) and does not end the stream; the token goes in as a stored block;
 * the part after is compressed on its own (a fresh deflate refers only to its own bytes) and
 * ends the stream. Only the checksum is worked out per request (a CRC of the token and the
 * part after), instead of compressing the whole page.
 */
interface GzipAroundToken {
  head: Buffer;
  tail: Buffer;
  crcBefore: number;
  after: Buffer;
  size: number;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);

function gzipAroundToken(parts: [Buffer] | [Buffer, Buffer]): GzipAroundToken {
  const [before, after = Buffer.alloc(0)] = parts;
  return {
    head: Buffer.concat([
      GZIP_HEADER,
      deflateRawSync(before, { finishFlush: constants.Z_SYNC_FLUSH }),
    ]),
    tail: deflateRawSync(after),
    crcBefore: crc32(before),
    after,
    size: before.length + after.length,
  };
}

/** CRC-32 continued over `data`; Node 20's crc32 gave 0 for some empty inputs, which add nothing anyway. */
function crcOn(data: Buffer, crc: number): number {
  return data.length === 0 ? crc : crc32(data, crc);
}

function gzipWithToken(gzip: GzipAroundToken, token: Buffer): Buffer {
  // A stored block (BFINAL 0, type 00) of the token's bytes: length and its complement.
  const stored = Buffer.from([
    0,
    token.length & 0xff,
    token.length >> 8,
    ~token.length & 0xff,
    (~token.length >> 8) & 0xff,
  ]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crcOn(gzip.after, crcOn(token, gzip.crcBefore)), 0);
  trailer.writeUInt32LE((gzip.size + token.length) >>> 0, 4);
  return Buffer.concat([gzip.head, stored, token, gzip.tail, trailer]);
}

const TOKEN_PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', vary: 'accept-encoding' };
const TOKEN_PAGE_GZIP_HEADERS = { ...TOKEN_PAGE_HEADERS, 'content-encoding': 'gzip' };

/**
 * Pages that are the same for everyone but for one per-visitor value, the CSRF token of the form
 * they carry (the match preview). The page is rendered once with `TOKEN_SLOT` in place of the
 * token and kept as the bytes before and after it, plain and gzip-compressed; each visitor's
 * token goes in between. Bounded like PageCache, oldest entry out first. `data` is what the
 * route needs on a hit without rendering (the preview's counts).
 */
export class TokenPageCache<T> {
  private readonly pages = new Map<string, PageAroundToken<T>>();

  constructor(private readonly maxEntries = 200) {}

  /** The page kept for `key`, or undefined when it is not cached. */
  get(key: string): PageAroundToken<T> | undefined {
    return this.pages.get(key);
  }

  /** Keeps a page rendered with TOKEN_SLOT; null (not kept) when the slot is there more than once. */
  put(key: string, html: string, data: T): PageAroundToken<T> | null {
    const split = html.split(TOKEN_SLOT);
    if (split.length > 2) return null;
    const parts = split.map((part) => Buffer.from(part)) as [Buffer] | [Buffer, Buffer];
    const page = { parts, gzip: gzipAroundToken(parts), data };
    setBounded(this.pages, key, page, this.maxEntries);
    return page;
  }

  /** Sends the page with `token` in place: gzip-compressed when the client takes gzip. */
  send(request: FastifyRequest, reply: FastifyReply, page: PageAroundToken<T>, token: string) {
    const [before, after] = page.parts;
    // A page with no form has no slot: nothing goes in.
    const bytes = after ? Buffer.from(token) : Buffer.alloc(0);
    if (acceptsGzip(request.headers['accept-encoding']))
      return reply.headers(TOKEN_PAGE_GZIP_HEADERS).send(gzipWithToken(page.gzip, bytes));
    return reply
      .headers(TOKEN_PAGE_HEADERS)
      .send(after ? Buffer.concat([before, bytes, after]) : before);
  }

  get size(): number {
    return this.pages.size;
  }
}
