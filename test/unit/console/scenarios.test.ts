import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCommandArguments } from '../../../src-main/console/invalid-arguments.js';
import { createScenarioService } from '../../../src-main/console/scenarios.js';
import { scenarioSchema } from '../../../src-main/scenarios/schema-validation.js';

const GOOD = `name: my-story
description: Alice joins
profile: okta
directory:
  people:
    - key: alice
steps:
  - event: assignUser
    user: alice
  - event: deactivateUser
    user: alice
`;

/** Two problems: an unknown event on line 5 and a step without its user on line 6. */
const BROKEN = `name: broken
description: nothing works
steps:
  - event: assignUser
  - event: frobnicate
`;

describe('createScenarioService', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-scenarios-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the built-ins with their description, profile and step count', async () => {
    const builtins = await createScenarioService().listBuiltinScenarios();
    const okta = builtins.find((info) => info.name === 'okta-lifecycle');
    expect(okta).toMatchObject({ ref: { kind: 'builtin', name: 'okta-lifecycle' }, profile: 'okta' });
    expect(okta!.description.length).toBeGreaterThan(10);
    expect(okta!.steps).toBeGreaterThan(3);
    expect(builtins.map((info) => info.name)).toContain('entra-lifecycle');
  });

  it('reads a built-in as read-only text, and loads it', async () => {
    const service = createScenarioService();
    const text = await service.readScenario({ kind: 'builtin', name: 'okta-lifecycle' });
    expect(text.readOnly).toBe(true);
    expect(text.text).toContain('name: okta-lifecycle');
    expect((await service.load({ kind: 'builtin', name: 'okta-lifecycle' })).name).toBe('okta-lifecycle');
    await expect(service.readScenario({ kind: 'builtin', name: '../../package' })).rejects.toThrow(/Unknown built-in scenario/);
  });

  it('lists the scenario files of an opened folder, broken ones with their problems', async () => {
    await writeFile(join(dir, 'good.yaml'), GOOD);
    await writeFile(join(dir, 'broken.yml'), BROKEN);
    await writeFile(join(dir, 'notes.txt'), 'not a scenario');
    await mkdir(join(dir, 'nested.yaml'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'deeper.yaml'), GOOD);
    const folder = await createScenarioService().openScenarioFolder(dir);
    expect(folder.folder).toBe(dir);
    expect(folder.files.map((file) => file.ref)).toEqual([
      { kind: 'file', path: join(dir, 'broken.yml') },
      { kind: 'file', path: join(dir, 'good.yaml') },
    ]);
    expect(folder.files[1]).toMatchObject({ name: 'my-story', description: 'Alice joins', profile: 'okta', steps: 2 });
    expect(folder.files[1]!.issues).toBeUndefined();
    expect(folder.files[0]!.name).toBe('broken.yml');
    expect(folder.files[0]!.issues!.length).toBeGreaterThanOrEqual(2);
    expect(folder.files[0]!.issues!.every((issue) => typeof issue.line === 'number' && typeof issue.column === 'number')).toBe(true);
  });

  it('says plainly when a folder cannot be opened', async () => {
    const service = createScenarioService();
    await expect(service.openScenarioFolder(join(dir, 'missing'))).rejects.toThrow(/does not exist/);
    await expect(service.openScenarioFolder('relative/path')).rejects.toThrow(InvalidCommandArguments);
  });

  it('reads and writes files only inside opened folders', async () => {
    const service = createScenarioService();
    const path = join(dir, 'story.yaml');
    await writeFile(path, GOOD);
    await expect(service.readScenario({ kind: 'file', path })).rejects.toThrow(/not in an opened scenario folder/);
    await expect(service.saveScenarioFile(path, GOOD)).rejects.toThrow(/not in an opened scenario folder/);
    await expect(service.load({ kind: 'file', path })).rejects.toThrow(/not in an opened scenario folder/);

    await service.openScenarioFolder(dir);
    expect(await service.readScenario({ kind: 'file', path })).toEqual({ text: GOOD, readOnly: false, path });
    // Not a scenario file, or in a sub-folder, or out through `..`: refused.
    await expect(service.saveScenarioFile(join(dir, 'evil.sh'), 'rm -rf /')).rejects.toThrow(/not a scenario file/);
    await mkdir(join(dir, 'sub'));
    await expect(service.saveScenarioFile(join(dir, 'sub', 'x.yaml'), GOOD)).rejects.toThrow(/not in an opened scenario folder/);
    await expect(service.saveScenarioFile(join(dir, 'sub', '..', '..', 'x.yaml'), GOOD)).rejects.toThrow(/not in an opened scenario folder/);
    await expect(service.saveScenarioFile('x.yaml', GOOD)).rejects.toThrow(InvalidCommandArguments);
  });

  it('does not follow a link out of the opened folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'scimulator-outside-'));
    try {
      await writeFile(join(outside, 'secret.json'), '{"name":"secret"}');
      await symlink(join(outside, 'secret.json'), join(dir, 'link.json'));
      const service = createScenarioService();
      await service.openScenarioFolder(dir);
      await expect(service.readScenario({ kind: 'file', path: join(dir, 'link.json') })).rejects.toThrow(/outside the opened scenario folders/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('saves a new or changed file whole and returns what it now is, problems included', async () => {
    const service = createScenarioService();
    await service.openScenarioFolder(dir);
    const path = join(dir, 'new.yaml');
    const saved = await service.saveScenarioFile(path, GOOD);
    expect(saved).toMatchObject({ ref: { kind: 'file', path }, name: 'my-story', steps: 2 });
    expect(await readFile(path, 'utf8')).toBe(GOOD);
    // Work in progress is saved even when it does not load yet.
    const broken = await service.saveScenarioFile(path, BROKEN);
    expect(broken.issues!.length).toBeGreaterThan(0);
    expect(await readFile(path, 'utf8')).toBe(BROKEN);
    // No temporary file is left behind.
    expect((await readdir(dir)).sort()).toEqual(['new.yaml']);
    await expect(service.load({ kind: 'file', path })).rejects.toThrow(/frobnicate/);
  });

  it('validates editor text: every problem at its line and column', async () => {
    const service = createScenarioService();
    expect(await service.validateScenario(GOOD)).toEqual([]);
    const problems = await service.validateScenario(BROKEN, 'broken.yaml');
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.map((problem) => problem.line)).toEqual(expect.arrayContaining([4, 5]));
    expect(problems.find((problem) => problem.line === 5)!.message).toMatch(/frobnicate/);
    // JSON is checked as JSON when the file name says so.
    const json = await service.validateScenario('{"name": "x",', 'story.json');
    expect(json[0]!.message).toMatch(/invalid JSON/);
    const syntax = await service.validateScenario('name: [unclosed\n');
    expect(syntax[0]!.line).toBeGreaterThanOrEqual(1);
    await expect(service.validateScenario(42 as never)).rejects.toThrow(InvalidCommandArguments);
  });

  it('loads unsaved editor text', async () => {
    const scenario = await createScenarioService().load({ kind: 'text', text: GOOD });
    expect(scenario.steps).toHaveLength(2);
  });

  it('returns the scenario JSON Schema (a copy)', async () => {
    const schema = (await createScenarioService().scenarioSchema()) as Record<string, unknown>;
    expect(schema).toEqual(scenarioSchema);
    schema.title = 'changed';
    expect(await createScenarioService().scenarioSchema()).toEqual(scenarioSchema);
  });

  it('picks a folder with the host picker, or answers null without one', async () => {
    expect(await createScenarioService().pickScenarioFolder()).toBeNull();
    expect(await createScenarioService({ pickFolder: async () => dir }).pickScenarioFolder()).toBe(dir);
  });

  it('refuses scenario references of the wrong shape', async () => {
    const service = createScenarioService();
    await expect(service.readScenario({ kind: 'url', href: 'x' } as never)).rejects.toThrow(InvalidCommandArguments);
    await expect(service.readScenario(null as never)).rejects.toThrow(InvalidCommandArguments);
    await expect(service.load({ kind: 'builtin' } as never)).rejects.toThrow(InvalidCommandArguments);
  });
});
