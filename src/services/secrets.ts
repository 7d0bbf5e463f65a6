import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * The service's cryptography in one place: contact encryption at rest, token hashing,
 * keyed hashes and signed links. Keys are derived from APP_SECRET unless ENCRYPTION_KEY is
 * given; see docs/decisions/0007-contact-encryption.md for rotation.
 */

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'auditmatch', purpose, 32));
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class Secrets {
  private readonly encryptionKey: Buffer;
  private readonly decryptionKeys: Map<string, Buffer>;
  private readonly hashKey: Buffer;
  private readonly signingKey: Buffer;

  constructor(appSecret: string, encryptionKeyHex?: string, previousKeysHex: string[] = []) {
    this.encryptionKey = encryptionKeyHex
      ? Buffer.from(encryptionKeyHex, 'hex')
      : derive(appSecret, 'contact-encryption-v1');
    this.decryptionKeys = new Map(
      [this.encryptionKey, ...previousKeysHex.map((k) => Buffer.from(k, 'hex'))].map((k) => [
        keyId(k),
        k,
      ]),
    );
    this.hashKey = derive(appSecret, 'keyed-hash-v1');
    this.signingKey = derive(appSecret, 'link-signing-v1');
  }

  /** AES-256-GCM with a random 96-bit IV; the key id lets old ciphertexts be read after rotation. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', keyId(this.encryptionKey), b64(iv), b64(cipher.getAuthTag()), b64(body)].join(
      '.',
    );
  }

  decrypt(sealed: string): string {
    const [version, id, iv, tag, body] = sealed.split('.');
    const key = id ? this.decryptionKeys.get(id) : undefined;
    if (version !== 'v1' || !key || !iv || !tag || body === undefined) {
      throw new Error('cannot decrypt: unknown format or key');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, unb64(iv));
    decipher.setAuthTag(unb64(tag));
    return Buffer.concat([decipher.update(unb64(body)), decipher.final()]).toString('utf8');
  }

  /** True when the value was sealed with a key other than the current one (needs re-encryption). */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== keyId(this.encryptionKey);
  }

  /** Stable keyed hash (HMAC-SHA256) for looking values up without storing them in clear. */
  keyedHash(value: string): string {
    return createHmac('sha256', this.hashKey).update(value).digest('hex');
  }

  /** Signs a small payload into a URL-safe token; `verify` returns it only if untampered. */
  sign(payload: Record<string, string | number>): string {
    const data = b64(Buffer.from(JSON.stringify(payload)));
    const mac = b64(createHmac('sha256', this.signingKey).update(data).digest());
    return `${data}.${mac}`;
  }

  /**
   * One spelling per link: exactly `data.mac` with the MAC as `sign` writes it. A lenient decode
   * would let `<token>~` or `<token>.bak` open the same page, so a capability link would have
   * many addresses (and caches, logs and referrer filters would see them as different).
   */
  verify<T extends Record<string, string | number>>(token: string): T | null {
    const parts = token.split('.');
    if (parts.length !== 2) return null;
    const [data, mac] = parts as [string, string];
    if (!data || !mac) return null;
    const expected = Buffer.from(
      b64(createHmac('sha256', this.signingKey).update(data).digest()),
      'latin1',
    );
    const given = Buffer.from(mac, 'latin1');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return JSON.parse(unb64(data).toString('utf8')) as T;
    } catch {
      return null;
    }
  }
}

/** A bearer token for a link or a cookie: 256 random bits. Only its hash is ever stored. */
export function newToken(): string {
  return b64(randomBytes(32));
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
