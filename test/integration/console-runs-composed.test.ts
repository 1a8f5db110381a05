/**
 * The runs service over the console's real neighbours, as the hosts compose them: the targets
 * service (local and practice targets) and the IdP directory service (seeded, on disk). A person of
 * the seeded directory is assigned to the local provider and to a practice product by IdP actions;
 * the directory file on disk learns each target's id; a pushed group follows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src-main/console/event-hub.js';
import { openIdpDirectoryService, type IdpDirectoryService } from '../../src-main/console/idp-directory-service.js';
import { openRunHistory } from '../../src-main/console/run-history.js';
import { createRunService, type RunService } from '../../src-main/console/runs.js';
import { createScenarioService } from '../../src-main/console/scenarios.js';
import { createMemoryVault } from '../../src-main/console/secret-vault.js';
import { openTargetService, type TargetService } from '../../src-main/console/targets.js';
import { createProvider, type Provider } from '../../src-main/provider.js';

async function finished(runs: RunService, runId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await runs.listRuns()).find((run) => run.id === runId)?.summary) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('console runs over the targets and IdP directory services', () => {
  let dir: string;
  let provider: Provider;
  let targets: TargetService;
  let idp: IdpDirectoryService;
  let runs: RunService;
  const hub = createEventHub();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-console-composed-'));
    provider = await createProvider();
    targets = await openTargetService({ vault: createMemoryVault(), local: { ...provider, baseUrl: 'http://127.0.0.1:1/scim/v2' }, events: hub });
    idp = await openIdpDirectoryService({ file: join(dir, 'idp-directory.json'), events: hub });
    runs = createRunService({ targets, idp, events: hub, history: await openRunHistory(join(dir, 'runs.json')), scenarios: createScenarioService() });
  });

  afterEach(async () => {
    await runs.close();
    await targets.close();
    await provider.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('assigns a seeded person to the local provider and a practice product, and the directory file remembers both', async () => {
    const person = (await idp.getIdpDirectory()).people[0]!;
    const practice = (await targets.listTargets()).find((target) => target.kind === 'practice')!;
    const idpEvents: unknown[] = [];
    const unsubscribe = hub.subscribe('idp', (payload) => idpEvents.push(payload));

    const onLocal = await runs.runIdpAction({ profile: 'entra', target: 'local', event: { type: 'assignUser', user: person.key } });
    const onPractice = await runs.runIdpAction({ profile: 'entra', target: practice.id, event: { type: 'assignUser', user: person.key } });
    await finished(runs, onLocal.runId);
    await finished(runs, onPractice.runId);
    unsubscribe();

    expect((await runs.getRun(onLocal.runId)).summary.outcome).toBe('passed');
    const local = (await provider.handle({ method: 'GET', url: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${person.userName}"`)}`, origin: 'http://x', headers: { authorization: `Bearer ${provider.token}` } })).body;
    expect(JSON.parse(String(local)).totalResults).toBe(1);

    const view = await idp.getIdpDirectory();
    const targetKeys = Object.keys(view.links);
    expect(targetKeys).toEqual(expect.arrayContaining(['local']));
    expect(targetKeys.length).toBe(2);
    for (const key of targetKeys) expect(view.links[key]!.users[person.key]?.assigned).toBe(true);
    // Saved to the directory's own file, and announced.
    const onDisk = JSON.parse(await readFile(join(dir, 'idp-directory.json'), 'utf8'));
    expect(Object.keys(onDisk.targets).length).toBe(2);
    expect(idpEvents.length).toBeGreaterThanOrEqual(2);

    // The next action on the same target updates the user the first one created.
    const before = provider.store.count('User');
    const rename = await runs.runIdpAction({ profile: 'entra', target: 'local', event: { type: 'updateUser', user: person.key, changes: { title: 'Chief Tester' } } });
    await finished(runs, rename.runId);
    expect((await runs.getRun(rename.runId)).summary.outcome).toBe('passed');
    expect(provider.store.count('User')).toBe(before);
  });

  it('runs a built-in against a practice target through the targets service', async () => {
    const practice = (await targets.listTargets()).find((target) => target.kind === 'practice')!;
    const { runId } = await runs.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: practice.id });
    await finished(runs, runId);
    const record = await runs.getRun(runId);
    expect(record.summary.unreachable).toBeUndefined();
    expect(record.exchanges.length).toBeGreaterThan(5);
    expect((await runs.listRuns())[0]!.target).toEqual({ id: practice.id, name: practice.name, baseUrl: practice.baseUrl });
    await expect(runs.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'remote:nope' })).rejects.toThrow(/remote:nope/);
  });
});
