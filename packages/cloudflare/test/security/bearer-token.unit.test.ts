import { describe, expect, it } from 'vitest';
import { bearerTokenMatches } from '../../src/security/bearer-token.js';

const withAuthorization = (value?: string) =>
  new Request('https://admin/', value === undefined ? {} : { headers: { authorization: value } });

describe('bearerTokenMatches', () => {
  it('accepts exactly the configured token', async () => {
    expect(await bearerTokenMatches(withAuthorization('Bearer s3cret-token'), 's3cret-token')).toBe(true);
  });

  it.each([
    undefined,
    '',
    'Bearer ',
    's3cret-token',
    'Bearer s3cret-toke',
    'Bearer s3cret-tokenX',
    'bearer s3cret-token',
    'Basic s3cret-token',
  ])('refuses %j', async (header) => {
    expect(await bearerTokenMatches(withAuthorization(header), 's3cret-token')).toBe(false);
  });

  it('is closed when no token is configured, whatever is presented', async () => {
    for (const expected of [undefined, '', 42, null]) {
      expect(await bearerTokenMatches(withAuthorization('Bearer '), expected)).toBe(false);
      expect(await bearerTokenMatches(withAuthorization('Bearer undefined'), expected)).toBe(false);
    }
  });
});
