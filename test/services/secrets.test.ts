import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateEncryptionKey } from '../../src/services/rotate-keys';
import { hashToken, newToken, Secrets } from '../../src/services/secrets';
import { describeEachEngine, type TestDatabase } from '../helpers/databases';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

describe('Secrets', () => {
  const secrets = new Secrets(SECRET);

  it('seals and opens values, with a fresh IV each time', () => {
    const a = secrets.encrypt('ada@adalabs.example');
    const b = secrets.encrypt('ada@adalabs.example');
    expect(a).not.toBe(b);
    expect(a).not.toContain('ada@');
    expect(secrets.decrypt(a)).toBe('ada@adalabs.example');
  });

  it('refuses tampered ciphertexts and unknown keys', () => {
    const sealed = secrets.encrypt('contact');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => secrets.decrypt(parts.join('.'))).toThrow();
    expect(() =>
      new Secrets('another-secret-0123456789abcdef0123456789ab').decrypt(sealed),
    ).toThrow();
  });

  it('signs claims and rejects any change to them', () => {
    const token = secrets.sign({ b: 'brief-1', exp: 2_000_000_000 });
    expect(secrets.verify(token)).toEqual({ b: 'brief-1', exp: 2_000_000_000 });
    const [data, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ b: 'brief-2', exp: 2_000_000_000 })).toString('base64url')}.${mac}`;
    expect(secrets.verify(forged)).toBeNull();
    expect(secrets.verify(`${data}.`)).toBeNull();
    expect(secrets.verify('garbage')).toBeNull();
  });

  it('makes tokens of 256 bits and stores only their hash', () => {
    const token = newToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });
});

describeEachEngine('key rotation', (t) => {
  let database: TestDatabase;
  beforeAll(() => {
    database = t();
  });
  afterAll(() => undefined);

  it('re-seals every contact under the new key so the old key can be dropped', async () => {
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('hex');
    const before = new Secrets(SECRET, oldKey);
    const at = new Date().toISOString();
    await database.db.kysely
      .insertInto('quoteRequests')
      .values({
        id: 'r1',
        reference: 'AM-ROTATE01',
        status: 'confirmed',
        scope: '{}',
        contactNameEnc: before.encrypt('Ada'),
        contactEmailEnc: before.encrypt('ada@x.example'),
        companyEnc: before.encrypt('Ada Labs'),
        phoneEnc: null,
        emailHash: null,
        consentText: 'yes',
        consentAt: at,
        confirmTokenHash: null,
        confirmExpiresAt: null,
        confirmedAt: at,
        accessTokenHash: null,
        matchResult: null,
        algorithmVersion: null,
        createdAt: at,
        updatedAt: at,
        expiresAt: at,
        contactErasedAt: null,
      })
      .execute();
    const during = new Secrets(SECRET, newKey, [oldKey]);
    const first = await rotateEncryptionKey({
      db: database.db,
      secrets: during,
      now: () => new Date(),
    });
    expect(first.requests).toBe(1);
    expect(
      (await rotateEncryptionKey({ db: database.db, secrets: during, now: () => new Date() }))
        .requests,
    ).toBe(0);
    const after = new Secrets(SECRET, newKey);
    const row = await database.db.kysely
      .selectFrom('quoteRequests')
      .selectAll()
      .where('id', '=', 'r1')
      .executeTakeFirstOrThrow();
    expect(after.decrypt(row.contactEmailEnc!)).toBe('ada@x.example');
    expect(() => before.decrypt(row.contactEmailEnc!)).toThrow();
  });
});
