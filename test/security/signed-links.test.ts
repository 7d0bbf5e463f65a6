import { describe, expect, it } from 'vitest';
import { Secrets } from '../../src/services/secrets';

const secrets = new Secrets('test-secret-0123456789abcdef0123456789abcdef');

// An attack run found `/b/<token>~` and `/b/<token>.bak` opening the same brief: a capability
// link must have exactly one spelling.
describe('a signed link has one spelling', () => {
  const claims = { b: 'brief-1', exp: 2_000_000_000 };
  const token = secrets.sign(claims);

  it('verifies the link as signed', () => {
    expect(secrets.verify(token)).toEqual(claims);
  });

  it.each([
    ['a backup suffix', `${token}~`],
    ['an extra part', `${token}.bak`],
    ['an empty extra part', `${token}.`],
    ['base64 padding', `${token}=`],
  ])('refuses the link with %s', (_case, variant) => {
    expect(secrets.verify(variant)).toBeNull();
  });
});
