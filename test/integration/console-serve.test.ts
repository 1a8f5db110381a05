/**
 * `scimulator serve` runs the full console: its targets, IdP directory and run history live next
 * to the --db file, a secret typed into the browser console never reaches the disk, and a corrupt
 * console file stops start-up with its name instead of being replaced.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServingCli } from '../support/cli.js';

const CONSOLE_BUILT = existsSync(fileURLToPath(new URL('../../out/renderer/index.html', import.meta.url)));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-serve-console-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openConsole(serving: ServingCli): Promise<{ origin: string; cookie: string }> {
  await expect.poll(() => /Console\s+(http\S+)/.exec(serving.output())?.[1]).toBeDefined();
  const url = /Console\s+(http\S+)/.exec(serving.output())![1]!;
  const response = await fetch(url, { redirect: 'manual' });
  return { origin: new URL(url).origin, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]! };
}

const call = async (origin: string, cookie: string, name: string, args: unknown[]) => {
  const response = await fetch(`${origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(args) });
  return { status: response.status, json: (await response.json()) as unknown };
};

async function stop(serving: ServingCli): Promise<void> {
  serving.child.kill('SIGTERM');
  expect(await serving.exited).toBe(0);
}

describe.skipIf(!CONSOLE_BUILT)('serve with the console', () => {
  it('keeps targets and the IdP directory in a folder named after the database, and the browser host keeps secrets in memory', async () => {
    const db = join(dir, 'directory.json');
    const consoleDir = join(dir, 'directory.console');
    const first = await startServe(['--port', '0', '--db', db]);
    try {
      const { origin, cookie } = await openConsole(first);
      const info = await call(origin, cookie, 'getServerInfo', []);
      expect(info.json).toMatchObject({ host: 'browser', secretsPersisted: false, dataDir: consoleDir });
      const saved = await call(origin, cookie, 'saveTarget', [{ name: 'Acme', baseUrl: 'https://acme.example/scim/v2', auth: { kind: 'bearer', token: 'tok-never-on-disk' } }]);
      expect(saved).toMatchObject({ status: 200, json: { id: 'acme', auth: { kind: 'bearer', secretSaved: true } } });
      expect(existsSync(join(consoleDir, 'idp-directory.json'))).toBe(true);
      expect(await readFile(join(consoleDir, 'targets.json'), 'utf8')).not.toContain('tok-never-on-disk');
    } finally {
      await stop(first);
    }

    // Another database in the same folder has its own targets: the two never share a file.
    const other = await startServe(['--port', '0', '--db', join(dir, 'other.json')]);
    try {
      const { origin, cookie } = await openConsole(other);
      const targets = (await call(origin, cookie, 'listTargets', [])).json as { id: string }[];
      expect(targets.map((target) => target.id)).not.toContain('acme');
    } finally {
      await stop(other);
    }

    const second = await startServe(['--port', '0', '--db', db]);
    try {
      const { origin, cookie } = await openConsole(second);
      const targets = (await call(origin, cookie, 'listTargets', [])).json as { id: string; auth: unknown }[];
      expect(targets.find((target) => target.id === 'acme')?.auth).toEqual({ kind: 'bearer', secretSaved: false });
    } finally {
      await stop(second);
    }
  });

  it('refuses to start over a corrupt console file, names it, and leaves it untouched', async () => {
    const file = join(dir, 'directory.console', 'targets.json');
    await mkdir(join(dir, 'directory.console'), { recursive: true });
    await writeFile(file, '{"format": "scimulator-targets",');
    const result = await runCli(['serve', '--port', '0', '--db', join(dir, 'directory.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file} is not valid JSON`);
    expect(await readFile(file, 'utf8')).toBe('{"format": "scimulator-targets",');
  });
});
