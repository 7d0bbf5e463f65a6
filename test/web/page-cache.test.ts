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

  it('puts each visitor token in place of the slot, on the first answer and on every later one', () => {
    const cache = new TokenPageCache<string>();
    const first = cache.put('k', page('a'), 'data-a', 'token-1');
    expect(first.toString()).toBe('<p>a</p><input name="_csrf" value="token-1"/><p>end</p>');
    const again = cache.get('k', 'token-2');
    expect(again?.page.toString()).toBe('<p>a</p><input name="_csrf" value="token-2"/><p>end</p>');
    expect(again?.data).toBe('data-a');
    expect(cache.get('other', 'token-2')).toBeUndefined();
  });

  it('keeps a page without a form as it is, and never caches one with the slot twice', () => {
    const cache = new TokenPageCache<number>();
    expect(cache.put('plain', '<p>no form</p>', 1, 't').toString()).toBe('<p>no form</p>');
    expect(cache.get('plain', 'u')?.page.toString()).toBe('<p>no form</p>');
    const twice = `${TOKEN_SLOT}|${TOKEN_SLOT}`;
    expect(cache.put('twice', twice, 2, 't').toString()).toBe('t|t');
    expect(cache.get('twice', 't')).toBeUndefined();
  });

  it('holds at most its bound, dropping the oldest page first', () => {
    const cache = new TokenPageCache<number>(3);
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, page(String(i)), i, 't');
    expect(cache.size).toBe(3);
    expect(cache.get('k0', 't')).toBeUndefined();
    expect(cache.get('k1', 't')).toBeUndefined();
    expect(cache.get('k4', 't')?.data).toBe(4);
  });
});
