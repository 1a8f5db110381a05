/**
 * `scimulator practice NAME` serves one practice target over real HTTP from the built CLI, and
 * stops cleanly on SIGINT (exit 0); `--target practice:NAME` runs a built-in against it in process.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';

describe('scimulator practice', () => {
  it('serves practice:litellm on a free port, answers a list with its token, and stops on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'practice', 'litellm', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect.poll(() => /Bearer token\s+\S+/.test(output), { timeout: 15_000 }).toBe(true);
      const baseUrl = /SCIM base URL\s+(\S+)/.exec(output)![1]!;
      const token = /Bearer token\s+(\S+)/.exec(output)![1]!;
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);

      const created = await fetch(`${baseUrl}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com' }] }),
      });
      expect(created.status).toBe(201);
      const list = await fetch(`${baseUrl}/Users?filter=userName+eq+%22ada%40example.com%22`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toBe('application/scim+json');
      expect(await list.json()).toMatchObject({ totalResults: 1, Resources: [{ id: 'ada@example.com' }] });

      const refused = await fetch(`${baseUrl}/Users`);
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses an unknown product with exit 2, naming the three', async () => {
    const result = await runCli(['practice', 'okta']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('practice takes one of litellm, open-webui, metabase; got "okta"');
  });

  it('runs a built-in against --target practice:open-webui, exiting 1 for the steps the product fails', async () => {
    const result = await runCli(['run', 'entra-lifecycle', '--target', 'practice:open-webui']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Satya is kept, inactive');
  });
});
