/**
 * The console's IdP directory: seeded with a realistic small company on first open, kept in
 * idp-directory.json (the --idp-state format), edited with validation, and announced with a
 * revision on every change.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleEvents, PersonInput } from '../../../src-main/api/contract.js';
import { openIdpDirectoryService, type IdpDirectoryService } from '../../../src-main/console/idp-directory-service.js';
import { InvalidCommandArguments } from '../../../src-main/console/invalid-arguments.js';
import type { ConsoleEventSink } from '../../../src-main/console/ports.js';
import { openIdpState } from '../../../src-main/idp/idp-state.js';

let dir: string;
let file: string;
const revisions: number[] = [];
const events: ConsoleEventSink = {
  emit<E extends keyof ConsoleEvents>(event: E, payload: ConsoleEvents[E]) {
    if (event === 'idp') revisions.push((payload as ConsoleEvents['idp']).revision);
  },
};
const open = (): Promise<IdpDirectoryService> => openIdpDirectoryService({ file, events });

const newPerson: PersonInput = {
  key: 'zoe',
  userName: 'zoe.quinn@example.com',
  givenName: 'Zoe',
  familyName: 'Quinn',
  email: 'zoe.quinn@example.com',
  title: 'Designer',
  active: true,
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-idp-'));
  file = join(dir, 'idp-directory.json');
  revisions.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the seeded directory', () => {
  it('starts with people who have departments, titles and managers, and groups of them, saved at once', async () => {
    const idp = await open();
    const view = await idp.getIdpDirectory();
    expect(view.people.length).toBeGreaterThanOrEqual(10);
    const ada = view.people.find((person) => person.key === 'ada')!;
    expect(ada).toMatchObject({ userName: 'ada.abe@example.com', givenName: 'Ada', familyName: 'Abe', active: true });
    expect(view.people.filter((person) => person.manager !== undefined).length).toBe(view.people.length - 1);
    expect(view.people.some((person) => !person.active)).toBe(true);
    expect(view.groups.map((group) => group.displayName)).toEqual(['All Staff', 'Engineering', 'Sales', 'IT Admins']);
    for (const group of view.groups) expect(group.members.length).toBeGreaterThan(0);
    expect(view.links).toEqual({});
    // The same people on every machine, so screenshots and demos match.
    const again = await openIdpDirectoryService({ events });
    expect((await again.getIdpDirectory()).people).toEqual(view.people);
    // On disk in the --idp-state format, which `scimulator run --idp-state` reads.
    const state = await openIdpState(file);
    expect(state.directory.allPeople()).toEqual(view.people);
  });
});

describe('editing', () => {
  it('adds a person, keeps them after a restart and announces each change with a new revision', async () => {
    const idp = await open();
    const added = await idp.savePerson({ ...newPerson, manager: 'ada' });
    expect(added.objectId).toMatch(/^[0-9a-f-]{36}$/);
    await idp.savePerson({ ...newPerson, objectId: added.objectId, title: 'Lead Designer', manager: undefined });
    expect(revisions).toEqual([1, 2, 3]);
    const reopened = await open();
    const zoe = (await reopened.getIdpDirectory()).people.find((person) => person.key === 'zoe')!;
    expect(zoe).toMatchObject({ title: 'Lead Designer', objectId: added.objectId });
    expect(zoe.manager).toBeUndefined();
  });

  it('edits in place, so a run holding the directory sees the edit', async () => {
    const idp = await open();
    const held = idp.directory.person('ada');
    await idp.savePerson({ ...held, title: 'Chief Executive' });
    expect(held.title).toBe('Chief Executive');
  });

  it('refuses a person with an unknown manager, a taken username, a changed key or missing fields', async () => {
    const idp = await open();
    const taken = (await idp.getIdpDirectory()).people[1]!;
    const cases: [unknown, string][] = [
      [{ ...newPerson, manager: 'nobody' }, 'No person "nobody" to be the manager'],
      [{ ...newPerson, manager: 'zoe' }, 'cannot be their own manager'],
      [{ ...newPerson, userName: taken.userName.toUpperCase() }, `The username ${taken.userName.toUpperCase()} is already`],
      [{ ...newPerson, objectId: taken.objectId }, `A person's key cannot change (this is "${taken.key}")`],
      [{ ...newPerson, key: 'has space' }, 'A person key is 1 to 64 letters'],
      [{ ...newPerson, givenName: '' }, 'The given name is required'],
      [{ ...newPerson, email: 'not-an-email' }, 'not-an-email is not an email address'],
      [{ ...newPerson, title: 'a\nb' }, 'cannot contain line breaks'],
      [null, 'savePerson takes one person'],
    ];
    for (const [input, message] of cases) {
      const attempt = idp.savePerson(input as PersonInput);
      await expect(attempt, message).rejects.toThrow(InvalidCommandArguments);
      await expect(attempt).rejects.toThrow(message);
    }
    expect((await idp.getIdpDirectory()).people.some((person) => person.key === 'zoe')).toBe(false);
  });

  it('deletes a person from every group and as anyone’s manager', async () => {
    const idp = await open();
    const reportsOfAlan = (await idp.getIdpDirectory()).people.filter((person) => person.manager === 'alan');
    expect(reportsOfAlan.length).toBeGreaterThan(0);
    idp.directory.linksFor('local').users.alan = { id: 'u-1', assigned: true, active: true };
    await idp.deletePerson('alan');
    const view = await idp.getIdpDirectory();
    expect(view.people.some((person) => person.key === 'alan')).toBe(false);
    expect(view.people.some((person) => person.manager === 'alan')).toBe(false);
    expect(view.groups.some((group) => group.members.includes('alan'))).toBe(false);
    expect(view.links.local!.users.alan).toBeUndefined();
    await expect(idp.deletePerson('alan')).rejects.toThrow('No person "alan"');
  });

  it('adds, edits and deletes groups, whose members must exist', async () => {
    const idp = await open();
    const group = await idp.saveGroup({ key: 'design', displayName: 'Design', members: ['ada', 'ada', 'grace'] });
    expect(group.members).toEqual(['ada', 'grace']);
    await expect(idp.saveGroup({ key: 'design', displayName: 'Design', members: ['ghost'] })).rejects.toThrow('No person "ghost"');
    await idp.saveGroup({ key: 'design', displayName: 'Product Design', members: ['grace'] });
    expect((await idp.getIdpDirectory()).groups.find((g) => g.key === 'design')).toMatchObject({ displayName: 'Product Design', members: ['grace'], objectId: group.objectId });
    await expect(idp.saveGroup({ key: 'design', displayName: ' ', members: [] })).rejects.toThrow('The group name is required');
    await idp.deleteIdpGroup('design');
    expect((await open()).directory.hasGroup('design')).toBe(false);
  });

  it('resets to the seeded company and forgets every target link', async () => {
    const idp = await open();
    const seeded = await idp.getIdpDirectory();
    await idp.savePerson(newPerson);
    idp.directory.linksFor('local').users.ada = { id: 'u-1', assigned: true, active: true };
    await idp.save();
    await idp.resetIdpDirectory();
    const view = await idp.getIdpDirectory();
    expect(view).toEqual(seeded);
    expect((await open()).directory.hasPerson('zoe')).toBe(false);
  });
});

describe('idp-directory.json', () => {
  it('refuses a corrupt or foreign file with its name and leaves it untouched', async () => {
    await writeFile(file, '{"format": "scimulator-idp-state", "people": [');
    await expect(open()).rejects.toThrow(`${file} is not valid JSON`);
    await writeFile(file, '{"format": "scimulator-targets", "version": 1, "targets": []}');
    await expect(open()).rejects.toThrow(`${file} is not a Scimulator IdP directory: no "format": "scimulator-idp-state"`);
    expect(await readFile(file, 'utf8')).toBe('{"format": "scimulator-targets", "version": 1, "targets": []}');
  });
});
