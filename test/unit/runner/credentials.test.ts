/** The AUTHORIZATION placeholder swapped for each kind of credential, in the IdP's position. */
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import { basicCredential, bearerCredential, withCredential } from '../../../src-main/runner/targets/credentials.js';

const headers = [
  ['User-Agent', 'Okta SCIM Client 1.0.0'],
  ['authorization', AUTHORIZATION],
  ['Accept', 'application/scim+json'],
] as const;

describe('withCredential', () => {
  it('keeps the IdP\'s header name case and position for Authorization', () => {
    expect(withCredential(headers, bearerCredential('t0k'))).toEqual([
      ['User-Agent', 'Okta SCIM Client 1.0.0'],
      ['authorization', 'Bearer t0k'],
      ['Accept', 'application/scim+json'],
    ]);
  });

  it('puts a custom header where Authorization was', () => {
    expect(withCredential(headers, { kind: 'header', name: 'X-Api-Key', value: 'k' })).toEqual([
      ['User-Agent', 'Okta SCIM Client 1.0.0'],
      ['X-Api-Key', 'k'],
      ['Accept', 'application/scim+json'],
    ]);
  });

  it('drops the placeholder when there are no credentials, and never sends it', () => {
    const sent = withCredential(headers, { kind: 'none' });
    expect(sent).toEqual([['User-Agent', 'Okta SCIM Client 1.0.0'], ['Accept', 'application/scim+json']]);
  });

  it('leaves an Authorization header the scenario wrote itself alone', () => {
    const own = [['Authorization', 'Bearer wrong-on-purpose']] as const;
    expect(withCredential(own, bearerCredential('t0k'))).toEqual(own);
  });
});

describe('basicCredential', () => {
  it('is RFC 7617 Basic over UTF-8 user:password', () => {
    expect(basicCredential('Aladdin', 'open sesame')).toEqual({ kind: 'authorization', value: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' });
    expect(basicCredential('test', '123£')).toEqual({ kind: 'authorization', value: 'Basic dGVzdDoxMjPCow==' });
  });
});
