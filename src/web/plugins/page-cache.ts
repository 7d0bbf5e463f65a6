import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATA_VERSION } from '../../domain/frameworks';

interface CachedPage {
  html: string;
  etag: string;
}

const MAX_ENTRIES = 1000;

/**
 * Public pages rendered once per URL, framework-data version and firm-catalog version.
 * Keys are whole URLs, so a scraper walking random query strings can fill the cache:
 * it is bounded and evicts the oldest entry.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();

  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    catalogVersion: number,
    render: () => string | Promise<string>,
  ) {
    const key = `${DATA_VERSION}:${catalogVersion}:${request.url}`;
    let page = this.pages.get(key);
    if (!page) {
      const html = await render();
      if (reply.statusCode !== 200) return reply.type('text/html; charset=utf-8').send(html);
      page = { html, etag: `"${createHash('sha1').update(html).digest('base64url').slice(0, 20)}"` };
      if (this.pages.size >= MAX_ENTRIES) {
        const oldest = this.pages.keys().next().value;
        if (oldest !== undefined) this.pages.delete(oldest);
      }
      this.pages.set(key, page);
    }
    reply.header('etag', page.etag).header('cache-control', 'public, max-age=60');
    if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(page.html);
  }

  clear() {
    this.pages.clear();
  }
}
