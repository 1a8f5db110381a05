/**
 * A bad scenario file is an error that names the file, line and column and says what is wrong in
 * plain words. Each case writes the file as a user would, with the mistake at a known place.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadScenarioFile, parseScenario } from '../../../src-main/scenarios/load.js';
import { ScenarioError } from '../../../src-main/scenarios/scenario-error.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

function errorOf(text: string, source = 'story.yaml'): ScenarioError {
  try {
    parseScenario(text, { source });
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

const PEOPLE = ['directory:', '  people:', '    - key: alice', '    - key: bob', '  groups:', '    - key: engineering'];

describe('syntax errors', () => {
  test('bad YAML keeps the parser’s own line and column', () => {
    const error = errorOf(lines('name: broken', 'steps:', '  - event: assignUser', '    user: [alice', '  - event: syncCycle'));
    const message = 'Flow sequence in block collection must be sufficiently indented and end with a ]: a `[` opened on an earlier line is never closed: add the missing `]`';
    expect(error.message).toBe(`story.yaml:5:3: ${message}`);
    expect(error.issues).toEqual([{ position: { line: 5, column: 3 }, message }]);
  });

  test('a duplicated key is a YAML error at the second key', () => {
    const error = errorOf(lines('name: twice', 'steps:', '  - event: assignUser', '    user: alice', '    user: bob'));
    expect(error.message).toBe('story.yaml:5:5: Map keys must be unique: this key already appears above in the same mapping: keep one of them');
  });

  test('a key indented one space too few points at its line and says to line it up', () => {
    const error = errorOf(lines('name: shy', ...PEOPLE, 'steps:', '  - event: assignUser', '    user: alice', '   expect: [{ status: 201 }]'));
    expect(error.message).toBe(
      'story.yaml:11:1: Sequence item without - indicator: check the indentation of this line: it must line up exactly with the key above it that it belongs beside (e.g. `expect:` under `event:`)',
    );
  });

  test('a JSON path with brackets as a key of a { } mapping says to quote it', () => {
    const error = errorOf(lines('name: flow', 'steps:', '  - request: { method: GET, path: /Users }', '    expect: [{ status: 200, json: { $.Resources[0].userName: ada } }]'));
    expect(error.message).toBe(
      'story.yaml:4:48: Missing , or : between flow map items: inside `{ … }` or `[ … ]`, quote a key or value that contains `[`, `]`, `{`, `}` or `,` (write `"$.emails[0].value": …`), and separate items with `,`',
    );
  });

  test('a tab, a key without its colon and an unclosed quote each say what to do', () => {
    expect(errorOf(lines('name: tab', 'steps:', '\t- event: syncCycle')).message).toBe('story.yaml:3:1: Tabs are not allowed as indentation: indent with spaces');
    expect(errorOf(lines('name: colon', 'steps:', '  - event syncCycle', '    name: x')).message).toBe(
      'story.yaml:3:5: Implicit keys need to be on a single line: a key is missing its colon (write `key: value`), or the line below is indented too far',
    );
    expect(errorOf(lines('name: "quote', 'steps: []')).message).toMatch(/^story\.yaml:3:1: Missing closing "quote: a quote opened above is never closed: close it at the end of its value$/);
  });

  test('bad JSON in a .json file gives the line and column of the mistake', () => {
    const error = errorOf('{\n  "name": "x",\n  "steps": [],\n}\n', 'story.json');
    expect(error.message).toBe('story.json:4:1: invalid JSON: Expected double-quoted property name');
  });

  test('an empty file says what a scenario needs', () => {
    expect(errorOf('# nothing yet\n').message).toBe('story.yaml:1:1: the file is empty: a scenario needs `name` and `steps`');
  });
});

describe('schema errors, in plain words', () => {
  test('an unknown event suggests the closest one', () => {
    const error = errorOf(lines('name: typo', ...PEOPLE, 'steps:', '  - event: assignUsr', '    user: alice'));
    expect(error.message).toBe('story.yaml:9:12: step 1: unknown event `assignUsr` (did you mean `assignUser`?)');
  });

  test('an event without the field it needs', () => {
    const error = errorOf(lines('name: missing', ...PEOPLE, 'steps:', '  - event: testConnection', '  - event: assignUser', '  - event: renameGroup', '    group: engineering'));
    expect(error.message).toBe(
      ['story.yaml:10:5: step 2: `assignUser` needs `user`', 'story.yaml:11:5: step 3: `renameGroup` needs `displayName`'].join('\n'),
    );
  });

  test('addMembers needs a group and users', () => {
    const error = errorOf(lines('name: members', ...PEOPLE, 'steps:', '  - event: addMembers', '    users: [alice]'));
    expect(error.message).toBe('story.yaml:9:5: step 1: `addMembers` needs `group`');
  });

  test('a field that does not apply to the event is pointed at', () => {
    const error = errorOf(lines('name: extra', ...PEOPLE, 'steps:', '  - event: pushGroup', '    group: engineering', '    user: alice'));
    expect(error.message).toBe('story.yaml:11:5: step 1: `user` does not apply to `pushGroup`');
  });

  test('a wrong type names the field and what was found', () => {
    const error = errorOf(lines('name: load', 'steps:', '  - event: syncCycle', '    repeat: five'));
    expect(error.message).toBe('story.yaml:4:13: step 1: expected a number for `repeat`, got the text "five"');
    const fraction = errorOf(lines('name: load', 'steps:', '  - event: syncCycle', '    repeat: 2.5'));
    expect(fraction.message).toBe('story.yaml:4:13: step 1: expected a whole number for `repeat`, got 2.5');
  });

  test('an unknown field suggests the closest one', () => {
    const error = errorOf(lines('name: fields', 'steps:', '  - event: syncCycle', '    expcet: []'));
    expect(error.message).toBe('story.yaml:4:5: step 1: unknown field `expcet` (did you mean `expect`?)');
  });

  test('a step with both an event and a request', () => {
    const error = errorOf(lines('name: both', 'steps:', '  - event: syncCycle', '    request: { method: GET, path: /Users }'));
    expect(error.message).toBe('story.yaml:3:5: step 1: a step has either `event` or `request`, not both');
  });

  test('a step with neither', () => {
    const error = errorOf(lines('name: neither', 'steps:', '  - name: nothing to do'));
    expect(error.message).toBe('story.yaml:3:5: step 1: a step needs `event` (an IdP event) or `request` (a raw request)');
  });

  test('an unknown profile suggests the closest and lists them all', () => {
    const error = errorOf(lines('name: p', 'profile: entra-compliance', 'steps:', '  - event: syncCycle'));
    expect(error.message).toBe(
      'story.yaml:2:10: unknown profile `entra-compliance` (did you mean `entra-compliant`?); the profiles are okta, okta-aiw, entra, entra-compliant, onelogin, jumpcloud, pingfederate, generic',
    );
  });

  test('concurrency without repeat, and a bad status', () => {
    const error = errorOf(lines('name: c', 'steps:', '  - event: syncCycle', '    concurrency: 4', '    expect:', '      - status: ok'));
    expect(error.message).toBe(
      [
        'story.yaml:4:5: step 1: `concurrency` needs `repeat` (how many repetitions)',
        'story.yaml:6:17: step 1: expected a status code (100 to 599) or a list of them for `status`, got the text "ok"',
      ].join('\n'),
    );
  });

  test('schema errors in a JSON file point into the JSON', () => {
    const error = errorOf('{\n  "name": "j",\n  "steps": [\n    { "event": "assignUser" }\n  ]\n}\n', 'story.json');
    expect(error.message).toBe('story.json:4:5: step 1: `assignUser` needs `user`');
  });
});

describe('cross-reference errors', () => {
  test('an unknown person key suggests the closest person', () => {
    const error = errorOf(lines('name: who', ...PEOPLE, 'steps:', '  - event: assignUser', '    user: alicia'));
    expect(error.message).toBe('story.yaml:10:11: step 1: `alicia` is not a person of the directory (did you mean `alice`?)');
  });

  test('unknown members, groups and managers are each reported', () => {
    const error = errorOf(
      lines(
        'name: refs',
        'directory:',
        '  people:',
        '    - key: alice',
        '      manager: carol',
        '  groups:',
        '    - key: sales',
        '      members: [alice, bobb]',
        'steps:',
        '  - event: addMembers',
        '    group: sale',
        '    users: [alice, zed]',
      ),
    );
    expect(error.message).toBe(
      [
        'story.yaml:5:16: manager `carol` is not a person of the directory (its people are `alice`: add `carol` under `directory.people`)',
        'story.yaml:8:24: member `bobb` is not a person of the directory (its people are `alice`: add `bobb` under `directory.people`)',
        'story.yaml:11:12: step 1: `sale` is not a group of the directory (did you mean `sales`?)',
        'story.yaml:12:20: step 1: `zed` is not a person of the directory (its people are `alice`: add `zed` under `directory.people`)',
      ].join('\n'),
    );
  });

  test('a group no key is close to lists the groups there are, and says where to add it', () => {
    const error = errorOf(lines('name: g', ...PEOPLE, 'steps:', '  - event: pushGroup', '    group: marketing'));
    expect(error.message).toBe('story.yaml:10:12: step 1: `marketing` is not a group of the directory (its groups are `engineering`: add `marketing` under `directory.groups`)');
  });

  test('generated people are user1..userN and may not be redeclared', () => {
    const ok = parseScenario(lines('name: gen', 'directory: { generate: 3 }', 'steps:', '  - event: assignUser', '    user: user3'), { source: 's.yaml' });
    expect(ok.directory).toEqual({ generate: 3 });
    const error = errorOf(lines('name: gen', 'directory:', '  generate: 3', '  people:', '    - key: user2', 'steps:', '  - event: assignUser', '    user: user4'));
    expect(error.message).toBe(
      [
        'story.yaml:5:12: person `user2` clashes with a generated person (`generate: 3` makes user1 to user3)',
        'story.yaml:8:11: step 1: `user4` is not a person of the directory (`generate: 3` makes user1 to user3)',
      ].join('\n'),
    );
  });

  test('an undefined variable is pointed at inside the string', () => {
    const error = errorOf(
      lines('name: vars', 'variables:', '  email: ${unique.email}', 'steps:', '  - request:', '      method: GET', '      path: /Users?filter=userName+eq+%22${emial}%22'),
    );
    expect(error.message).toBe(
      'story.yaml:7:42: step 1: `${emial}` is not defined (did you mean `${email}`?): declare it under `variables` or `save` it in an earlier step',
    );
  });

  test('a saved value used before the step that saves it', () => {
    const error = errorOf(
      lines(
        'name: order',
        ...PEOPLE,
        'steps:',
        '  - request: { method: GET, path: "/Users/${aliceId}" }',
        '  - event: assignUser',
        '    user: alice',
        '    save: { aliceId: $.id }',
      ),
    );
    expect(error.message).toBe('story.yaml:9:43: step 1: `${aliceId}` is used before it is saved (step 2 saves it)');
  });

  test('bad selectors, JSON paths and patterns are found before the run', () => {
    const error = errorOf(
      lines(
        'name: checks',
        'steps:',
        '  - event: syncCycle',
        '    expect:',
        '      - exchange: post /Users',
        '        json:',
        '          $.emails[0: x',
        '          $.id: /[/',
        '    save:',
        '      id: $..id',
      ),
    );
    expect(error.message).toBe(
      [
        'story.yaml:5:19: step 1: invalid exchange selector `post /Users`: `post` is not understood (write the method in capitals: `POST`)',
        'story.yaml:7:11: step 1: invalid JSON path `$.emails[0`: expected `]` at character 11',
        "story.yaml:8:17: step 1: `/[/` is not a valid regular expression (Invalid regular expression: /[/: Unterminated character class)",
        'story.yaml:10:11: step 1: invalid JSON path `$..id`: expected a member name at character 3',
      ].join('\n'),
    );
  });
});

describe('exchange selectors with a typo', () => {
  test('a misspelt method or quantifier suggests the right one before the run, instead of a check that never matches', () => {
    const error = errorOf(
      lines(
        'name: typos',
        'steps:',
        '  - event: syncCycle',
        '    expect:',
        '      - { exchange: PSOT /Users, status: 201 }',
        '      - { exchange: lats GET, status: 200 }',
        '    save: { id: { exchange: all PATHC, path: $.id } }',
      ),
    );
    expect(error.message).toBe(
      [
        'story.yaml:5:21: step 1: invalid exchange selector `PSOT /Users`: `PSOT` is not an HTTP method (did you mean `POST`?)',
        'story.yaml:6:21: step 1: invalid exchange selector `lats GET`: `lats` is not understood (did you mean `last`?)',
        'story.yaml:7:29: step 1: invalid exchange selector `all PATHC`: `PATHC` is not an HTTP method (did you mean `PATCH`?)',
      ].join('\n'),
    );
  });

  test('a method far from every standard one is kept, for a raw request that sends it', () => {
    expect(() => parseScenario(lines('name: purge', 'steps:', '  - request: { method: PURGE, path: /Users }', '    expect: [{ exchange: PURGE /Users, status: 405 }]'), { source: 's.yaml' })).not.toThrow();
  });
});

describe('loadScenarioFile', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  test('names the file as given in its messages, and reads JSON by extension', async () => {
    directory = await mkdtemp(join(tmpdir(), 'scimulator-scenario-'));
    const yamlPath = join(directory, 'bad.yaml');
    await writeFile(yamlPath, lines('name: bad', 'steps:', '  - event: deactivateUser'));
    await expect(loadScenarioFile(yamlPath)).rejects.toThrow(`${yamlPath}:3:5: step 1: \`deactivateUser\` needs \`user\``);
    const jsonPath = join(directory, 'good.json');
    await writeFile(jsonPath, JSON.stringify({ name: 'good', steps: [{ event: 'testConnection' }] }));
    const scenario = await loadScenarioFile(jsonPath);
    expect(scenario.source).toBe(jsonPath);
    expect(scenario.steps).toEqual([{ kind: 'event', event: 'testConnection', position: { line: 1, column: 25 } }]);
  });

  test('a missing file is a ScenarioError that says so', async () => {
    const error = await loadScenarioFile('no-such-scenario.yaml').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toBe('no-such-scenario.yaml: cannot read the scenario: no such file');
  });
});

describe('checks written for some IdPs', () => {
  test('`profiles` on a check names known profiles; a misspelt one is an error at its line', () => {
    const scenario = parseScenario(
      lines('name: scoped', 'description: d', ...PEOPLE, 'steps:', '  - event: assignUser', '    user: alice', '    expect:', '      - { exchange: POST /Users, status: 201, profiles: [okta, okta-aiw] }'),
      { source: 'story.yaml' },
    );
    expect(scenario.steps[0]!.expect![0]!.profiles).toEqual(['okta', 'okta-aiw']);
    const error = errorOf(lines('name: scoped', 'description: d', ...PEOPLE, 'steps:', '  - event: assignUser', '    user: alice', '    expect:', '      - { status: 201, profiles: [okra] }'));
    expect(error.message).toMatch(/^story\.yaml:13:\d+: step 1: item 1 of `profiles` must be one of okta, okta-aiw, .* \(did you mean `okta`\?\)$/);
  });
});
