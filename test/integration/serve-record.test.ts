/** `scimulator serve --record FILE`: the traffic that reached the server, as a replayable scenario. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import { startServe } from '../support/cli.js';

interface RecordedStep {
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: Record<string, unknown> };
  expect: { status: number }[];
  save?: Record<string, string>;
}

describe('serve --record', () => {
  it('writes each exchange as a raw step, with created ids turned into captures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-record-'));
    const file = join(dir, 'okta-tenant.yaml');
    const serving = await startServe(['--port', '0', '--db', join(dir, 'd.json'), '--record', file]);
    expect(serving.output()).toContain(`Recording      ${file}`);
    const send = (method: string, path: string, body?: unknown) =>
      fetch(serving.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${serving.token}`,
          'user-agent': 'Okta SCIM Client 1.0.0',
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = (await (
      await send('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ada@example.com',
        password: 'hunter2',
        // A literal "${" in what the IdP sent must survive as text, not become a variable.
        nickName: 'Ada ${not a variable}',
      })
    ).json()) as { id: string };
    await send('PATCH', `/Users/${created.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    await send('GET', `/Users?filter=${encodeURIComponent(`userName eq "ada@example.com"`)}`);
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);

    const scenario = parse(await readFile(file, 'utf8')) as { name: string; steps: RecordedStep[] };
    expect(scenario.name).toBe('okta-tenant');
    expect(scenario.steps.map((step) => `${step.request.method} ${step.request.path} → ${step.expect[0]!.status}`)).toEqual([
      'POST /Users → 201',
      'PATCH /Users/${id1} → 200',
      'GET /Users?filter=userName%20eq%20%22ada%40example.com%22 → 200',
    ]);
    const [create, patch] = scenario.steps;
    expect(create!.save).toEqual({ id1: '$.id' });
    // What the IdP said is kept; credentials and connection headers are not, nor the password.
    expect(create!.request.headers).toMatchObject({ 'user-agent': 'Okta SCIM Client 1.0.0' });
    expect(create!.request.headers).not.toHaveProperty('authorization');
    expect(create!.request.headers).not.toHaveProperty('host');
    expect(create!.request.body).toMatchObject({ userName: 'ada@example.com', password: '[redacted]' });
    expect(patch!.request.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });

    // The recording is a valid scenario, and replays against another target, following its ids.
    const replay = parseScenario(await readFile(file, 'utf8'), { source: file });
    const target = await createLocalTarget();
    try {
      const record = await runScenario({
        scenario: replay,
        target,
        profile: profileByName('generic'),
        runtime: (random, runTag) => createScenarioRuntime(replay, random, runTag, target.baseUrl),
      });
      expect(record.steps.map((step) => step.outcome)).toEqual(['passed', 'passed', 'passed']);
      const [user] = target.provider.store.all('User');
      expect(user).toMatchObject({ userName: 'ada@example.com', nickName: 'Ada ${not a variable}', active: false });
      expect(record.exchanges[1]!.request.url).toBe(`${target.baseUrl}/Users/${user!.id}`);
    } finally {
      await target.close();
    }
  });

  it('writes the recording into a folder that does not exist yet, instead of losing the whole recording', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-record-'));
    const file = join(dir, 'recordings', 'tenant.yaml');
    const serving = await startServe(['--port', '0', '--db', join(dir, 'd.json'), '--record', file]);
    await fetch(`${serving.baseUrl}/Users?count=1`, { headers: { authorization: `Bearer ${serving.token}` } });
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
    expect(serving.output()).not.toContain('Cannot write the recording');
    const scenario = parse(await readFile(file, 'utf8')) as { steps: RecordedStep[] };
    expect(scenario.steps.map((step) => `${step.request.method} ${step.request.path}`)).toEqual(['GET /Users?count=1']);
  });
});
