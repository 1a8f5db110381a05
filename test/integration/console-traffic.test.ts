/**
 * The local provider's traffic as the console exports it: "Export HAR" must give a file HAR tools
 * load (valid against the HAR 1.2 JSON Schema) with no secret in it, and "Save as scenario" a
 * scenario that replays the selected exchanges against another target and passes there. Also the
 * directory's sorting (SCIM sortBy/sortOrder) as the console's table asks for it.
 */
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harValidator } from '../support/har-schema.js';
import { createConsoleApi, type ConsoleApi } from '../../src-main/api/console-api.js';
import type { TrafficHar } from '../../src-main/console/traffic-har.js';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createRemoteTarget } from '../../src-main/runner/targets/remote-target.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import { ENTERPRISE, GROUP_SCHEMA, patchOp, startTestServer, TEST_TOKEN, user, type TestServer } from '../support/provider.js';

const PASSWORD = 'Sup3r-secret-Pa55';

let server: TestServer;
let replayTarget: TestServer;
let api: ConsoleApi;
let validateHar: ValidateFunction;
let createdId: string;

const seqOf = (predicate: (entry: { method: string; url: string; status: number }) => boolean): number[] =>
  server.provider.log.entries().filter(predicate).map((entry) => entry.seq);

beforeAll(async () => {
  server = await startTestServer();
  replayTarget = await startTestServer();
  api = createConsoleApi(server.provider);
  validateHar = await harValidator();

  const created = await server.scim('POST', '/Users', user('ada@example.com', { password: PASSWORD, displayName: 'Ada', [ENTERPRISE]: { department: 'R&D' }, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE] }));
  expect(created.status).toBe(201);
  createdId = created.body.id as string;
  expect((await server.scim('PATCH', `/Users/${createdId}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
  expect((await server.scim('GET', `/Users/${createdId}`)).status).toBe(200);
  expect((await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Readers', members: [{ value: createdId }] })).status).toBe(201);
  expect((await server.scim('GET', '/Users/does-not-exist')).status).toBe(404);
  // The console's own read: never part of a saved scenario.
  await api.listResources({ type: 'User' });
});

afterAll(async () => {
  await server?.close();
  await replayTarget?.close();
});

describe('exportTrafficHar', () => {
  it('exports the whole log as valid HAR 1.2, oldest first, with absolute URLs', async () => {
    const report = await api.exportTrafficHar();
    expect(report.fileName).toMatch(/^scimulator-traffic-.*\.har$/);
    expect(report.mimeType).toBe('application/json');
    const har = JSON.parse(report.content) as TrafficHar;
    expect(validateHar(har), JSON.stringify(validateHar.errors, null, 2)).toBe(true);
    const logged = server.provider.log.entries();
    expect(har.log.entries.map((entry) => entry._seq)).toEqual(logged.map((entry) => entry.seq).sort((a, b) => a - b));
    const post = har.log.entries.find((entry) => entry.request.method === 'POST' && entry.request.url.endsWith('/Users'))!;
    expect(post.request.url).toBe(`${server.base}/Users`);
    expect(post.response.status).toBe(201);
    expect(post.response.statusText).toBe('Created');
    expect(post.response.content.text).toContain(createdId);
    expect(post.request.postData?.mimeType).toBe('application/scim+json');
    const notFound = har.log.entries.find((entry) => entry.response.status === 404)!;
    expect(notFound.response.content.mimeType).toContain('json');
  });

  it('keeps no credential and no password', async () => {
    const { content } = await api.exportTrafficHar();
    expect(content).not.toContain(TEST_TOKEN);
    expect(content).not.toContain(PASSWORD);
    expect(content).toContain('Bearer [redacted]');
  });

  it('exports only the selected exchanges, and refuses what is not a list of seqs', async () => {
    const seqs = seqOf((entry) => entry.method === 'PATCH' || entry.status === 404);
    expect(seqs).toHaveLength(2);
    const har = JSON.parse((await api.exportTrafficHar(seqs)).content) as TrafficHar;
    expect(validateHar(har)).toBe(true);
    expect(har.log.entries.map((entry) => entry.request.method)).toEqual(['PATCH', 'GET']);
    await expect(api.exportTrafficHar(['1'] as unknown as number[])).rejects.toThrow(/sequence numbers/);
  });
});

describe('scenarioFromTraffic', () => {
  it("writes the selected SCIM exchanges as raw steps that replay and pass against another target", async () => {
    const seqs = seqOf(() => true);
    const yaml = await api.scenarioFromTraffic(seqs, 'ada-lifecycle');
    // The console's own list request, not the client's traffic, is left out.
    expect(yaml).not.toContain('Scimulator-Console');
    // Ids the first server assigned become captures, so the replay follows the new target's ids.
    expect(yaml).not.toContain(createdId);
    expect(yaml).not.toContain(PASSWORD);
    const scenario = parseScenario(yaml, { source: 'saved.yaml', format: 'yaml' });
    expect(scenario.name).toBe('ada-lifecycle');
    expect(scenario.steps).toHaveLength(5);

    const target = createRemoteTarget({ baseUrl: replayTarget.base, auth: { kind: 'bearer', token: TEST_TOKEN } });
    try {
      const record = await runScenario({
        scenario,
        target,
        profile: profileByName('generic'),
        runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      });
      expect(record.steps.map((step) => step.outcome)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    } finally {
      await target.close();
    }
    expect(replayTarget.provider.store.count('Group')).toBe(1);
  });

  it('says why when nothing selected can be replayed', async () => {
    await expect(api.scenarioFromTraffic([])).rejects.toThrow(/at least one exchange/);
    await expect(api.scenarioFromTraffic([999_999])).rejects.toThrow(/still in the request log/);
    const consoleOnly = server.provider.log.entries().filter((entry) => (entry.requestHeaders['user-agent'] ?? '').startsWith('Scimulator-Console')).map((entry) => entry.seq);
    await expect(api.scenarioFromTraffic(consoleOnly)).rejects.toThrow(/console's own requests/);
  });
});

describe('listResources sorting', () => {
  it('passes sortBy and sortOrder to the server, newest first by meta.created', async () => {
    for (const name of ['carol@example.com', 'bob@example.com']) expect((await server.scim('POST', '/Users', user(name))).status).toBe(201);
    const names = async (args: Parameters<ConsoleApi['listResources']>[0]) => {
      const result = await api.listResources(args);
      if (!result.ok) throw new Error(result.error.detail);
      return (result.list.Resources ?? []).map((resource) => resource.userName);
    };
    expect(await names({ type: 'User', sortBy: 'userName' })).toEqual(['ada@example.com', 'bob@example.com', 'carol@example.com']);
    expect(await names({ type: 'User', sortBy: 'userName', sortOrder: 'descending' })).toEqual(['carol@example.com', 'bob@example.com', 'ada@example.com']);
    expect(await names({ type: 'User', sortBy: 'meta.created', sortOrder: 'descending' })).toEqual(['bob@example.com', 'carol@example.com', 'ada@example.com']);
    const bad = await api.listResources({ type: 'User', sortBy: 'nope' });
    expect(bad.ok).toBe(false);
    await expect(api.listResources({ type: 'User', sortOrder: 'up' as 'ascending' })).rejects.toThrow(/sortOrder/);
  });
});
