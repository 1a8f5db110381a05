/**
 * Valid scenarios load into the Scenario the runner plays, with positions for later reports; the
 * published schema is one ajv accepts in strict mode and agrees with the engine's own lists.
 */
import { readdir, readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { describe, expect, test } from 'vitest';
import { IDP_EVENT_TYPES } from '../../../src-main/idp/events.js';
import type { GroupInput, PersonInput } from '../../../src-main/idp/people.js';
import { PROFILE_NAMES } from '../../../src-main/idp/profile.js';
import { loadScenarioFile, parseScenario } from '../../../src-main/scenarios/load.js';
import { scenarioSchema } from '../../../src-main/scenarios/schema-validation.js';

const FIXTURES = new URL('../../fixtures/scenarios/valid/', import.meta.url);
const SCHEMA_FILE = new URL('../../../src-main/scenarios/scenario.schema.json', import.meta.url);

async function fixtureFiles(): Promise<string[]> {
  return (await readdir(FIXTURES)).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
}

/** Positions removed, to compare what two spellings of a scenario mean. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'position' && key !== 'checkPositions' && key !== 'source')
        .map(([key, element]) => [key, withoutPositions(element)]),
    );
  }
  return value;
}

describe('the published schema', () => {
  test('compiles under ajv strict mode', async () => {
    const schema = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as object;
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
  });

  test('every property has a description, so editors can show it', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      for (const [name, property] of Object.entries((record.properties as Record<string, unknown> | undefined) ?? {})) {
        // `false` forbids a field for one event; `true` only marks one as known.
        if (typeof property === 'boolean') continue;
        const described = typeof (property as { description?: unknown }).description === 'string' || '$ref' in (property as object);
        if (!described) missing.push(`${path}/properties/${name}`);
      }
      // An `if` only matches on a field (`event: assignUser`); it declares nothing to describe.
      for (const [key, child] of Object.entries(record)) if (key !== 'if' && typeof child === 'object') visit(child, `${path}/${key}`);
    };
    visit(scenarioSchema, '#');
    expect(missing).toEqual([]);
  });

  test('lists exactly the engine’s events, profiles and fixture fields', () => {
    const definitions = scenarioSchema.definitions;
    expect(definitions.step.properties.event.enum).toEqual([...IDP_EVENT_TYPES]);
    expect(scenarioSchema.properties.profile.enum).toEqual([...PROFILE_NAMES]);
    // Typed lists: a field renamed in people.ts fails to compile here.
    const personFields: (keyof PersonInput)[] = ['key', 'userName', 'givenName', 'familyName', 'displayName', 'email', 'title', 'department', 'employeeNumber', 'costCenter', 'mobile', 'locale', 'manager', 'active'];
    const groupFields: (keyof GroupInput)[] = ['key', 'displayName', 'description', 'members'];
    expect(Object.keys(definitions.person.properties)).toEqual(personFields);
    expect(Object.keys(definitions.group.properties)).toEqual(groupFields);
  });
});

describe('valid scenarios', () => {
  test('every example in the fixtures validates and loads', async () => {
    const files = await fixtureFiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const scenario = await loadScenarioFile(new URL(file, FIXTURES).pathname);
      expect(scenario.steps.length, file).toBeGreaterThan(0);
    }
  });

  test('a YAML scenario loads into steps with their positions', async () => {
    const path = new URL('lifecycle.yaml', FIXTURES).pathname;
    const scenario = await loadScenarioFile(path);
    expect(scenario).toMatchObject({ name: 'lifecycle-example', profile: 'okta', source: path, variables: { email: '${unique.email}' } });
    expect(scenario.directory?.people?.map((person) => person.key)).toEqual(['alice', 'bob']);
    expect(scenario.steps.map((step) => (step.kind === 'event' ? step.event : `${step.method} ${step.path}`))).toEqual([
      'testConnection',
      'assignUser',
      'updateUser',
      'deactivateUser',
      'reactivateUser',
      'pushGroup',
      'renameGroup',
      'addMembers',
      'GET /Users/${aliceId}',
    ]);
    const assign = scenario.steps[1]!;
    expect(assign).toEqual({
      kind: 'event',
      event: 'assignUser',
      name: 'Assign Alice',
      user: 'alice',
      position: { line: 22, column: 5 },
      expect: [
        {
          exchange: 'POST /Users',
          status: 201,
          headers: { 'Content-Type': '/application\\/scim\\+json/' },
          json: {
            '$.active': true,
            '$.name.givenName': 'Alice',
            "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department": 'Engineering',
          },
          position: { line: 26, column: 9 },
          checkPositions: {
            status: { line: 27, column: 9 },
            'headers.Content-Type': { line: 29, column: 11 },
            'json.$.active': { line: 31, column: 11 },
            'json.$.name.givenName': { line: 32, column: 11 },
            "json.$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department": { line: 33, column: 11 },
          },
        },
      ],
      save: { aliceId: { path: '$.id', position: { line: 35, column: 7 } } },
    });
    expect(scenario.steps[2]).toMatchObject({ kind: 'event', event: 'updateUser', changes: { title: 'Staff Engineer', mobile: null } });
    expect(scenario.steps[8]).toMatchObject({ kind: 'request', method: 'GET', headers: { Accept: 'application/scim+json' }, position: { line: 53 } });
  });

  test('the same scenario written as JSON means the same', async () => {
    const text = await readFile(new URL('lifecycle.yaml', FIXTURES), 'utf8');
    const fromYaml = parseScenario(text, { source: 'lifecycle.yaml' });
    const asJson = JSON.stringify(parseDocument(text).toJS(), null, 2);
    const fromJson = parseScenario(asJson, { source: 'lifecycle.json' });
    expect(fromJson.source).toBe('lifecycle.json');
    expect(withoutPositions(fromJson)).toEqual(withoutPositions(fromYaml));
  });

  test('a JSON scenario with load steps and captures from a selected exchange', async () => {
    const scenario = await loadScenarioFile(new URL('load.json', FIXTURES).pathname);
    expect(scenario.directory).toEqual({ generate: 3 });
    expect(scenario.steps[0]).toMatchObject({ kind: 'request', method: 'POST', path: '/Users', repeat: 50, concurrency: 10 });
    expect(scenario.steps[1]).toMatchObject({ kind: 'event', event: 'assignUser', user: 'user2', save: { userId: { exchange: 'POST /Users', path: '$.id' } } });
  });

  test('the format can be given explicitly', () => {
    const scenario = parseScenario('{"name": "inline", "steps": [{"event": "importUsers"}]}', { source: 'builtin:inline', format: 'json' });
    expect(scenario).toMatchObject({ name: 'inline', description: '', source: 'builtin:inline', steps: [{ kind: 'event', event: 'importUsers' }] });
  });
});
