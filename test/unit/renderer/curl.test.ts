/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlCommand, shellQuote } from '../../../src-renderer/src/model/curl.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';

function exchange(request: Partial<RunExchange['request']>): RunExchange {
  return {
    index: 1,
    step: 0,
    source: 'idp',
    purpose: 'create user',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 3,
    request: { method: 'GET', url: 'http://127.0.0.1:8080/scim/v2/Users', headers: [], ...request },
  };
}

/** The words a POSIX shell makes of the command, with `curl` swapped for a printer of its arguments. */
function wordsOf(command: string, env: Record<string, string> = {}): string[] {
  const script = command.replace(/^curl /, `printf '%s\\0' `);
  const output = execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return output.split('\0').slice(0, -1);
}

describe('Copy as curl', () => {
  it('sends the method, URL, headers in order and body exactly, through a real shell', () => {
    const body = `{"userName":"o'brien@example.com","note":"$HOME \`id\` \\n ! * ?"}`;
    const command = curlCommand(
      exchange({
        method: 'POST',
        url: 'https://scim.example/v2/Users?filter=userName eq "x"&count=1',
        headers: [
          ['Content-Type', 'application/scim+json; charset=utf-8'],
          ['Accept', 'application/scim+json'],
          ['User-Agent', 'Okta SCIM Client 1.0.0'],
        ],
        body,
      }),
    );
    expect(wordsOf(command)).toEqual([
      '-X',
      'POST',
      'https://scim.example/v2/Users?filter=userName eq "x"&count=1',
      '-H',
      'Content-Type: application/scim+json; charset=utf-8',
      '-H',
      'Accept: application/scim+json',
      '-H',
      'User-Agent: Okta SCIM Client 1.0.0',
      '--data-raw',
      body,
    ]);
  });

  it('leaves out -X for a GET and the headers curl computes itself', () => {
    const command = curlCommand(exchange({ headers: [['Host', 'x'], ['Content-Length', '12'], ['Accept', '*/*']] }));
    expect(wordsOf(command)).toEqual(['http://127.0.0.1:8080/scim/v2/Users', '-H', 'Accept: */*']);
  });

  it('puts the local token back where the record redacted Authorization, when the target is local', () => {
    const command = curlCommand(exchange({ headers: [['Authorization', '[redacted]']] }), { target: 'local', localToken: 'tok-123' });
    expect(wordsOf(command)).toContain('Authorization: Bearer tok-123');
  });

  it('recognises the local provider by its base URL too', () => {
    const command = curlCommand(exchange({ headers: [['Authorization', '[redacted]']] }), {
      localToken: 'tok-123',
      localBaseUrl: 'http://127.0.0.1:8080/scim/v2',
    });
    expect(command).toContain('Bearer tok-123');
  });

  it('sends a local run\'s request to the provider where it is served, not to the in-process host the record names', () => {
    const command = curlCommand(exchange({ url: 'http://local.scimulator/scim/v2/Users?filter=userName%20eq%20%22a%22' }), {
      target: 'local',
      localBaseUrl: 'http://127.0.0.1:8080/scim/v2',
    });
    expect(wordsOf(command)).toEqual(['http://127.0.0.1:8080/scim/v2/Users?filter=userName%20eq%20%22a%22']);
  });

  it('uses a $SCIM_TOKEN placeholder the shell expands for any other target, never the local token', () => {
    const command = curlCommand(exchange({ url: 'https://remote.example/scim/Users', headers: [['Authorization', '[redacted]']] }), {
      target: 'practice:litellm',
      localToken: 'tok-123',
      localBaseUrl: 'http://127.0.0.1:8080/scim/v2',
    });
    expect(command).not.toContain('tok-123');
    expect(command).toContain('$SCIM_TOKEN');
    expect(wordsOf(command, { SCIM_TOKEN: 'secret-from-env' })).toContain('Authorization: Bearer secret-from-env');
  });

  it('quotes only what the shell would read differently', () => {
    expect(shellQuote('application/json')).toBe('application/json');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
