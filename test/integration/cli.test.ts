import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../support/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-cli-'));
});

describe('scimulator CLI', () => {
  it('prints help for the program and for serve', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('serve');
    const serve = await runCli(['serve', '--help']);
    expect(serve.code).toBe(0);
    for (const flag of ['--host', '--port', '--db', '--token', '--seed']) expect(serve.stdout).toContain(flag);
  });

  it('rejects unknown flags and bad values with one line and exit code 2', async () => {
    for (const args of [['serve', '--bogus'], ['serve', '--port', 'abc'], ['serve', '--port', '70000'], ['serve', '--seed', '-3'], ['frobnicate']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/error/i);
    }
  });

  it('serves on a free port, seeds, persists its token and stops cleanly on SIGTERM and SIGINT', async () => {
    const db = join(dir, 'directory.json');
    const first = await startServe(['--port', '0', '--db', db, '--seed', '30']);
    expect(first.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(first.baseUrl).not.toContain(':0/');
    const list = await fetch(`${first.baseUrl}/Users?count=5`, { headers: { authorization: `Bearer ${first.token}` } });
    const body = (await list.json()) as { totalResults: number; Resources: { userName: string; name: { givenName: string } }[] };
    expect(body.totalResults).toBe(30);
    expect(body.Resources[0]!.userName).toMatch(/@example\.com$/);
    const groups = await fetch(`${first.baseUrl}/Groups`, { headers: { authorization: `Bearer ${first.token}` } });
    expect(((await groups.json()) as { totalResults: number }).totalResults).toBeGreaterThan(1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServe(['--port', '0', '--db', db]);
    expect(second.token).toBe(first.token);
    expect(second.output()).toContain('30 users');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('uses the token given with --token', async () => {
    const serving = await startServe(['--port', '0', '--db', join(dir, 'd.json'), '--token', 'my-token']);
    expect(serving.token).toBe('my-token');
    const ok = await fetch(`${serving.baseUrl}/ServiceProviderConfig`, { headers: { authorization: 'Bearer my-token' } });
    expect(ok.status).toBe(200);
    const port = new URL(serving.baseUrl).port;
    const clash = await runCli(['serve', '--port', port, '--db', join(dir, 'other.json')]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`127.0.0.1:${port} is already in use`);
    const sameDb = await runCli(['serve', '--port', '0', '--db', join(dir, 'd.json')]);
    expect(sameDb.code).toBe(1);
    expect(sameDb.stderr).toContain(`in use by another Scimulator process (pid ${serving.child.pid})`);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
  });

  it('refuses to start on a corrupt database, naming the file, and leaves it untouched', async () => {
    const db = join(dir, 'corrupt.json');
    await writeFile(db, '{"users": [ {"id": "x", ');
    const result = await runCli(['serve', '--port', '0', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(db);
    expect(await readFile(db, 'utf8')).toBe('{"users": [ {"id": "x", ');
  });

  it('exports, imports and resets the directory', async () => {
    const db = join(dir, 'source.json');
    const serving = await startServe(['--port', '0', '--db', db, '--seed', '12']);
    serving.child.kill('SIGTERM');
    await serving.exited;
    const exported = join(dir, 'export.json');
    expect((await runCli(['db', 'export', '--db', db, '--out', exported])).code).toBe(0);
    const document = JSON.parse(await readFile(exported, 'utf8')) as { users: unknown[]; groups: unknown[] };
    expect(document.users).toHaveLength(12);

    const copy = join(dir, 'copy.json');
    const imported = await runCli(['db', 'import', exported, '--db', copy]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('12 users');
    const reexported = await runCli(['db', 'export', '--db', copy]);
    expect(JSON.parse(reexported.stdout)).toEqual(document);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ users: [document.users[0], document.users[0]], groups: [] }));
    const refused = await runCli(['db', 'import', bad, '--db', copy]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('users[1] repeats the id');
    expect(JSON.parse((await runCli(['db', 'export', '--db', copy])).stdout)).toEqual(document);

    expect((await runCli(['db', 'reset', '--db', copy])).code).toBe(2); // --yes is required
    expect((await runCli(['db', 'reset', '--db', copy, '--yes'])).code).toBe(0);
    const empty = JSON.parse((await runCli(['db', 'export', '--db', copy])).stdout) as { users: unknown[] };
    expect(empty.users).toEqual([]);
  });
});
