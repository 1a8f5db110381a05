/**
 * The composed services over a data directory: each keeps its own file there, the host is
 * described for ServerInfo, and a corrupt file stops start-up with its name rather than being
 * replaced.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleApi } from '../../../src-main/api/console-api.js';
import { createConsoleServices } from '../../../src-main/console/compose.js';
import { createMemoryVault } from '../../../src-main/console/secret-vault.js';
import { createProvider, type Provider } from '../../../src-main/provider.js';

let dir: string;
let provider: Provider;
const local = () => ({ ...provider, baseUrl: 'http://127.0.0.1:9/scim/v2' });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-compose-'));
  provider = await createProvider();
});
afterEach(async () => {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createConsoleServices', () => {
  it('keeps targets and the IdP directory in their own files in the data directory, and says so in ServerInfo', async () => {
    const dataDir = join(dir, 'data');
    const services = await createConsoleServices({ provider: local(), dataDir, vault: createMemoryVault(), hostKind: 'browser' });
    await services.targets.saveTarget({ name: 'Acme', baseUrl: 'https://acme.example/scim/v2', auth: { kind: 'none' } });
    expect((await readdir(dataDir)).sort()).toEqual(['idp-directory.json', 'targets.json']);
    const info = await createConsoleApi({ ...local(), origin: 'http://127.0.0.1:9' }, services).getServerInfo();
    expect(info).toMatchObject({ host: 'browser', secretsPersisted: false, dataDir });
    await services.close();
  });

  it('keeps everything in memory without a data directory', async () => {
    const services = await createConsoleServices({ provider: local(), vault: createMemoryVault(), hostKind: 'browser' });
    expect(services.host.dataDir).toBeUndefined();
    expect((await services.idp.getIdpDirectory()).people.length).toBeGreaterThan(0);
    await services.close();
  });

  it('refuses to start over a corrupt file, names it, and leaves it as it was', async () => {
    await writeFile(join(dir, 'idp-directory.json'), 'not json');
    await expect(createConsoleServices({ provider: local(), dataDir: dir, vault: createMemoryVault(), hostKind: 'electron' })).rejects.toThrow(
      `${join(dir, 'idp-directory.json')} is not valid JSON`,
    );
    expect(await readFile(join(dir, 'idp-directory.json'), 'utf8')).toBe('not json');
  });
});
