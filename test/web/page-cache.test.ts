import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { acceptsEncoding, TOKEN_SLOT, TokenPageCache } from '../../src/web/plugins/page-cache';

describe('Accept-Encoding', () => {
  it('reads codings, q-values and the wildcard as RFC 9110 says', () => {
    expect(acceptsEncoding('gzip, deflate, br', 'br')).toBe(true);
    expect(acceptsEncoding('gzip, deflate', 'br')).toBe(false);
    expect(acceptsEncoding('br;q=0, gzip', 'br')).toBe(false);
    expect(acceptsEncoding('BR;Q=0.5', 'br')).toBe(true);
    expect(acceptsEncoding('*', 'gzip')).toBe(true);
    expect(acceptsEncoding('*, gzip;q=0', 'gzip')).toBe(false);
    expect(acceptsEncoding('gzip;q=0, *', 'gzip')).toBe(false);
    expect(acceptsEncoding(['identity', 'gzip'], 'gzip')).toBe(true);
    expect(acceptsEncoding(undefined, 'gzip')).toBe(false);
    expect(acceptsEncoding('', 'gzip')).toBe(false);
  });
});

describe('pages kept around a per-visitor token', () => {
  const page = (body: string) =>
    `<p>${body}</p><input name="_csrf" value="${TOKEN_SLOT}"/><p>end</p>`;

  /** The page as a client with this Accept-Encoding reads it, and whether it came gzipped. */
  async function answer<T>(
    cache: TokenPageCache<T>,
    key: string,
    token: string,
    acceptEncoding?: string,
  ): Promise<{ html: string; gzip: boolean; vary: unknown } | undefined> {
    const kept = cache.get(key);
    if (!kept) return undefined;
    const app = Fastify();
    app.get('/', (request, reply) => cache.send(request, reply, kept, token));
    const res = await app.inject({
      url: '/',
      headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
    });
    await app.close();
    const gzip = res.headers['content-encoding'] === 'gzip';
    // gunzipSync checks the stream's CRC and length: a wrong trailer throws.
    const html = (gzip ? gunzipSync(res.rawPayload) : res.rawPayload).toString();
    return { html, gzip, vary: res.headers.vary };
  }

  it('puts each visitor token in place of the slot, on every answer', async () => {
    const cache = new TokenPageCache<string>();
    const kept = cache.put('k', page('a'), 'data-a');
    expect(kept?.data).toBe('data-a');
    expect((await answer(cache, 'k', 'token-1'))?.html).toBe(
      '<p>a</p><input name="_csrf" value="token-1"/><p>end</p>',
    );
    const again = await answer(cache, 'k', 'token-2');
    expect(again?.html).toBe('<p>a</p><input name="_csrf" value="token-2"/><p>end</p>');
    expect(cache.get('k')?.data).toBe('data-a');
    expect(cache.get('other')).toBeUndefined();
  });

  it('sends the same page gzip-compressed to a client that takes gzip, for any token and size', async () => {
    const cache = new TokenPageCache<number>();
    const long = Array.from({ length: 3000 }, (_, i) => `<li>${i % 97}</li>`).join('');
    cache.put('long', `${long}${page('x')}${long}`, 1);
    cache.put('plain', '<p>no form</p>', 2);
    cache.put('edge', `${TOKEN_SLOT}<p>after</p>`, 3);
    for (const key of ['long', 'plain', 'edge']) {
      for (const token of ['t', 'a-longer-token_with-every-kind-0123456789', '']) {
        const plain = await answer(cache, key, token);
        const zipped = await answer(cache, key, token, 'gzip, deflate, br');
        expect(plain?.gzip).toBe(false);
        expect(zipped?.gzip).toBe(true);
        expect(zipped?.html).toBe(plain?.html);
        expect(zipped?.vary).toBe('accept-encoding');
      }
    }
    expect((await answer(cache, 'edge', 'T', 'br;q=1, gzip;q=0'))?.gzip).toBe(false);
  });

  it('keeps a page without a form as it is, and never caches one with the slot twice', async () => {
    const cache = new TokenPageCache<number>();
    cache.put('plain', '<p>no form</p>', 1);
    expect((await answer(cache, 'plain', 'u'))?.html).toBe('<p>no form</p>');
    const twice = `${TOKEN_SLOT}|${TOKEN_SLOT}`;
    expect(cache.put('twice', twice, 2)).toBeNull();
    expect(cache.get('twice')).toBeUndefined();
  });

  it('holds at most its bound, dropping the oldest page first', () => {
    const cache = new TokenPageCache<number>(3);
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, page(String(i)), i);
    expect(cache.size).toBe(3);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k4')?.data).toBe(4);
  });
});
