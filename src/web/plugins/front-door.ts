import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setBounded } from '../../domain/collections';
import { cachedPagesServed } from './operations';
import { type CachedPage, codingFor } from './page-cache';

/**
 * How long the front door answers for a URL after the route last did: one second. Within it a
 * route's own checks before its cache (the firm still listed, today's date in the directory's
 * key) are taken as they were; the catalog they read is itself up to two seconds behind
 * another instance's change, so this adds no staleness of a new kind (ADR 0032).
 */
export const FRONT_DOOR_MS = 1000;

/** The whole head of each answer for one page: security, page and length headers, built once. */
interface Answers {
  br: Record<string, string | number>;
  gzip: Record<string, string | number>;
  notModified: Record<string, string | number>;
}

interface Door {
  page: CachedPage;
  answers: Answers;
  /** The catalog version the page was rendered from; 0 for pages that read no firm (versions start at 1). */
  catalogVersion: number;
  /** Until when (the app's clock, ms) the front door may answer for the route. */
  until: number;
}

export interface FrontDoorOptions {
  /** The headers every answer carries (securityHeaders). */
  securityHeaders: Readonly<Record<string, string>>;
  /** Whether a page rendered from this catalog version is still current; false makes the route answer. */
  catalogCurrent: (version: number) => boolean;
  /** The app's clock (injected in tests). */
  now: () => Date;
  /** When the client's x-request-id is trusted (behind a proxy), as Fastify's requestIdHeader. */
  trustRequestId: boolean;
  /** Outside production: whether the Host header names this machine; false lets the app refuse it. */
  hostAllowed: ((host: string | undefined) => boolean) | null;
}

const MAX_DOORS = 1000;
/** A request id as proxies write them: printable ASCII, no spaces, at most 200 characters. */
const ORDINARY_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Cached public pages answered before routing. Once a route has answered a GET from the page
 * cache, the same URL is answered for a second straight from that cache entry, with the same
 * head, without Fastify's routing, hooks, request and reply objects: on a cached page those
 * were most of the per-request work left (ADR 0032). Anything the door is not sure of (another
 * method, a new URL, a catalog that moved or is due a check, a client that takes neither Brotli
 * nor gzip, an unknown Host in development, a server closing) goes to the app as before.
 */
export class FrontDoor {
  private readonly doors = new Map<string, Door>();
  private readonly answersOf = new WeakMap<CachedPage, Answers>();
  private open = true;

  constructor(private readonly options: FrontDoorOptions) {}

  /** Called by the page cache each time a route answers a GET from it with 200 or 304. */
  remember(url: string, catalogVersion: number, page: CachedPage): void {
    let answers = this.answersOf.get(page);
    if (!answers) {
      answers = this.answersFor(page);
      this.answersOf.set(page, answers);
    }
    const until = this.options.now().getTime() + FRONT_DOOR_MS;
    setBounded(this.doors, url, { page, answers, catalogVersion, until }, MAX_DOORS);
  }

  /** Answers the request from a remembered page and returns true, or returns false for the app to answer. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !this.open) return false;
    const door = this.doors.get(req.url as string);
    if (door === undefined) return false;
    const { options } = this;
    if (door.catalogVersion !== 0 && !options.catalogCurrent(door.catalogVersion)) return false;
    if (options.now().getTime() >= door.until) {
      // Its route answers now (and tells the door again); until then it holds no page.
      this.doors.delete(req.url as string);
      return false;
    }
    const { headers } = req;
    if (options.hostAllowed && !options.hostAllowed(headers.host)) return false;
    let status = 200;
    let answer: Record<string, string | number>;
    let body: Buffer | undefined;
    if (headers['if-none-match'] === door.page.etag) {
      status = 304;
      answer = door.answers.notModified;
    } else {
      const coding = codingFor(headers['accept-encoding']);
      if (coding === 'identity') return false;
      answer = door.answers[coding];
      body = door.page[coding];
    }
    let id: string | undefined;
    if (options.trustRequestId) {
      const incoming = headers['x-request-id'];
      // An id the proxy gave is echoed, as the app does; an unusual one goes to the app, so
      // nothing the client wrote can make writeHead throw here, outside the app's error handling.
      if (incoming && (typeof incoming !== 'string' || !ORDINARY_ID.test(incoming))) return false;
      id = incoming;
    }
    // The shared head object is written into the response synchronously by writeHead, so
    // setting this answer's id on it just before is safe and saves a copy per request.
    answer['x-request-id'] = id || randomUUID();
    res.writeHead(status, answer);
    res.end(body);
    cachedPagesServed.inc();
    return true;
  }

  /** From now on every request goes to the app (which answers 503 while it closes). */
  close(): void {
    this.open = false;
    this.doors.clear();
  }

  private answersFor(page: CachedPage): Answers {
    const { securityHeaders } = this.options;
    return {
      br: { ...securityHeaders, ...page.headers.br, 'content-length': page.br.length },
      gzip: { ...securityHeaders, ...page.headers.gzip, 'content-length': page.gzip.length },
      notModified: { ...securityHeaders, ...page.headers.notModified },
    };
  }
}
