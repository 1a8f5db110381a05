import { describe, expect, it } from 'vitest';
import type { TargetSummary } from '../../../src-main/api/contract';
import {
  emptyForm,
  formFromTarget,
  serverErrorAt,
  toSaveArgs,
  validateForm,
  type TargetForm,
} from '../../../src-renderer/src/views/targets/target-form';

const savedOauth: TargetSummary = {
  id: 'staging',
  kind: 'remote',
  name: 'Staging',
  baseUrl: 'https://scim.example.com/v2',
  auth: {
    kind: 'oauth-client-credentials',
    tokenUrl: 'https://login.example.com/token',
    clientId: 'console',
    scope: 'scim',
    clientAuthentication: 'body',
    secretSaved: true,
  },
  insecure: true,
  timeoutMs: 12_500,
  builtIn: false,
};

const filled = (changes: Partial<TargetForm>): TargetForm => ({ ...emptyForm(), name: 'Mine', baseUrl: 'https://scim.example.com', ...changes });

describe('the remote target form', () => {
  it('shows a saved target without any secret and keeps the secret when the field stays empty', () => {
    const form = formFromTarget(savedOauth);
    expect(form).toMatchObject({ clientSecret: '', clientId: 'console', timeout: '12.5', insecure: true, clientAuthentication: 'body' });
    expect(validateForm(form, savedOauth)).toEqual({});
    const args = toSaveArgs(form);
    expect(args).toEqual({
      id: 'staging',
      name: 'Staging',
      baseUrl: 'https://scim.example.com/v2',
      auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://login.example.com/token', clientId: 'console', scope: 'scim', clientAuthentication: 'body' },
      insecure: true,
      timeoutMs: 12_500,
    });
    expect(JSON.stringify(args)).not.toContain('clientSecret');
  });

  it('sends a secret that was typed', () => {
    expect(toSaveArgs(filled({ authKind: 'bearer', token: 's3cret' })).auth).toEqual({ kind: 'bearer', token: 's3cret' });
    expect(toSaveArgs(filled({ authKind: 'basic', username: ' ann ', password: 'pw' })).auth).toEqual({ kind: 'basic', username: 'ann', password: 'pw' });
    expect(toSaveArgs(filled({ authKind: 'header', headerName: 'X-API-Key', headerValue: 'k' })).auth).toEqual({ kind: 'header', name: 'X-API-Key', value: 'k' });
    expect(toSaveArgs(filled({ authKind: 'none', token: 'ignored' })).auth).toEqual({ kind: 'none' });
  });

  it('asks for a secret when none is saved for that kind of auth', () => {
    expect(validateForm(filled({ authKind: 'bearer' }))).toEqual({ token: 'Required: nothing is saved for this yet.' });
    // Switching a saved OAuth target to bearer: the saved secret is the client secret, not a token.
    expect(validateForm({ ...formFromTarget(savedOauth), authKind: 'bearer' }, savedOauth)).toHaveProperty('token');
  });

  it('says what is wrong with each field', () => {
    const errors = validateForm(
      filled({ name: ' ', baseUrl: 'scim.example.com', authKind: 'oauth-client-credentials', tokenUrl: 'nope', clientId: '', clientSecret: 'x', timeout: '-1' }),
    );
    expect(Object.keys(errors).sort()).toEqual(['baseUrl', 'clientId', 'name', 'timeout', 'tokenUrl']);
    expect(errors.baseUrl).toContain('https://');
    expect(validateForm(filled({ authKind: 'header', headerName: 'Bad Header', headerValue: 'v' }))).toHaveProperty('headerName');
  });

  it('places the server’s validation message at the field it names', () => {
    expect(serverErrorAt('baseUrl must be an absolute http(s) URL.')).toEqual({ baseUrl: 'baseUrl must be an absolute http(s) URL.' });
    expect(serverErrorAt('A target named "Staging" already exists.')).toEqual({ form: 'A target named "Staging" already exists.' });
    expect(serverErrorAt('Scimulator isn’t reachable at http://127.0.0.1:1. Is it still running?')).toHaveProperty('form');
  });
});
