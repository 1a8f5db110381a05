/**
 * The command line's target flags: what each combination means, and a usage error naming the
 * flags when they do not fit together (the CLI exits 2 with it).
 */
import { describe, expect, it } from 'vitest';
import type { LocalTarget } from '../../../src-main/runner/targets/local-target.js';
import { TargetUsageError, targetChoiceFrom, targetFrom } from '../../../src-main/runner/targets/target-from.js';

const URL_ = 'https://scim.example.com/scim/v2';

describe('targetChoiceFrom', () => {
  it('local', () => {
    expect(targetChoiceFrom({ target: 'local' })).toEqual({ kind: 'local' });
  });

  it('a URL with each auth mode', () => {
    expect(targetChoiceFrom({ target: URL_ })).toEqual({ kind: 'remote', options: { baseUrl: URL_, auth: { kind: 'none' } } });
    expect(targetChoiceFrom({ target: URL_, token: 't', insecure: true, timeoutMs: 5000 })).toEqual({
      kind: 'remote',
      options: { baseUrl: URL_, auth: { kind: 'bearer', token: 't' }, insecure: true, timeoutMs: 5000 },
    });
    expect(targetChoiceFrom({ target: URL_, basic: 'svc:pa:ss' })).toMatchObject({
      options: { auth: { kind: 'basic', username: 'svc', password: 'pa:ss' } },
    });
    expect(targetChoiceFrom({ target: URL_, header: 'X-Api-Key:  k 1 ' })).toMatchObject({
      options: { auth: { kind: 'header', name: 'X-Api-Key', value: 'k 1' } },
    });
    expect(targetChoiceFrom({ target: URL_, oauthTokenUrl: 'https://login.example.com/token', clientId: 'i', clientSecret: 's' })).toMatchObject({
      options: {
        auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://login.example.com/token', clientId: 'i', clientSecret: 's', clientAuthentication: 'basic' },
      },
    });
    expect(targetChoiceFrom({
      target: URL_, oauthTokenUrl: 'https://login.example.com/token', clientId: 'i', clientSecret: 's', oauthScope: 'scim', oauthClientAuth: 'body',
    })).toMatchObject({ options: { auth: { scope: 'scim', clientAuthentication: 'body' } } });
  });

  it.each([
    [{ target: 'ftp://scim.example.com/' }, '--target takes "local" or an http(s):// SCIM base URL: not an http(s) URL: ftp://scim.example.com/'],
    [{ target: 'scim.example.com' }, '--target takes "local" or an http(s):// SCIM base URL: not a URL: scim.example.com'],
    [{ target: `${URL_}?tenant=1` }, `--target takes "local" or an http(s):// SCIM base URL: a SCIM base URL has no query or fragment: ${URL_}?tenant=1`],
    [{ target: 'https://user:pw@scim.example.com/' }, '--target takes "local" or an http(s):// SCIM base URL: put credentials in the auth options, not in the URL: https://scim.example.com'],
    [{ target: URL_, token: 't', basic: 'u:p' }, '--token and --basic are alternatives: pass one way to authenticate'],
    [{ target: URL_, header: 'X-Key: k', clientId: 'i' }, '--header and --oauth-token-url are alternatives: pass one way to authenticate'],
    [{ target: URL_, token: '' }, '--token is empty'],
    [{ target: URL_, basic: 'nopassword' }, '--basic takes user:password'],
    [{ target: URL_, basic: ':pw' }, '--basic takes user:password'],
    [{ target: URL_, header: 'X-Key k' }, `--header takes 'Name: value', got "X-Key k"`],
    [{ target: URL_, header: 'Bad Name: v' }, `--header takes 'Name: value', got "Bad Name: v"`],
    [{ target: URL_, clientId: 'i' }, 'OAuth client credentials need --oauth-token-url, --client-id, --client-secret: missing --oauth-token-url, --client-secret'],
    [{ target: URL_, oauthTokenUrl: 'https://l/token', clientId: 'i' }, 'OAuth client credentials need --oauth-token-url, --client-id, --client-secret: missing --client-secret'],
    [{ target: URL_, oauthTokenUrl: 'login/token', clientId: 'i', clientSecret: 's' }, '--oauth-token-url takes an http(s):// URL, got "login/token"'],
    [{ target: URL_, oauthTokenUrl: 'https://l/token', clientId: 'i', clientSecret: 's', oauthClientAuth: 'jwt' }, '--oauth-client-auth takes basic or body, got "jwt"'],
    [{ target: 'local', token: 't' }, "--token: the local target uses the local provider's own token; drop the flag or pass a URL"],
    [{ target: URL_, timeoutMs: 0 }, 'the timeout must be a positive number, got 0'],
  ])('refuses %j', (flags, message) => {
    expect(() => targetChoiceFrom(flags)).toThrow(TargetUsageError);
    expect(() => targetChoiceFrom(flags)).toThrow(message);
  });
});

describe('targetFrom', () => {
  it('creates the local target, with the local options passed to the provider', async () => {
    const target = await targetFrom({ target: 'local' }, { token: 'local-token' });
    try {
      expect(target.key).toBe('local');
      expect((target as LocalTarget).provider.token).toBe('local-token');
    } finally {
      await target.close();
    }
  });

  it('creates a remote target keyed by its base URL', async () => {
    const target = await targetFrom({ target: `${URL_}/`, token: 't' });
    try {
      expect(target.key).toBe(URL_);
      expect(target.baseUrl).toBe(URL_);
    } finally {
      await target.close();
    }
  });
});
