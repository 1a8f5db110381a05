/**
 * The console's IdP directory: the people and groups the IdP view shows and edits, and what the IdP
 * has learned about each target, kept in idp-directory.json (the `--idp-state` format of
 * idp/idp-state.ts, so the file also works with `scimulator run --idp-state`). Seeded with a small
 * company on first open. Implements the IdP-directory slice of the contract and the
 * IdpDirectoryHolder the runs service updates during actions.
 */
import { randomUUID } from 'node:crypto';
import type { GroupInput, IdpDirectoryView, PersonInput } from '../api/contract.js';
import { IdpDirectory, type IdpDirectoryDocument, type IdpGroup, type Person } from '../idp/directory.js';
import { IDP_STATE_FORMAT, IDP_STATE_VERSION } from '../idp/idp-state.js';
import { createWriteQueue, openConsoleFile } from './console-file.js';
import { seedIdpDirectory } from './idp-seed.js';
import { InvalidCommandArguments } from './invalid-arguments.js';
import type { ConsoleEventSink, IdpDirectoryCommands, IdpDirectoryHolder } from './ports.js';

export interface IdpDirectoryServiceOptions {
  /** idp-directory.json; in memory when absent. */
  readonly file?: string;
  readonly events: ConsoleEventSink;
}

export type IdpDirectoryService = IdpDirectoryCommands & IdpDirectoryHolder;

interface IdpDirectoryFile extends IdpDirectoryDocument {
  format: typeof IDP_STATE_FORMAT;
  version: typeof IDP_STATE_VERSION;
}

/** Keys appear in scenarios and event payloads: short, and safe in YAML and URLs. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const OPTIONAL_TEXT = ['displayName', 'title', 'department', 'employeeNumber', 'costCenter', 'mobile', 'locale'] as const;
const MAX_TEXT = 256;

function fileProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const file = value as Partial<IdpDirectoryFile>;
  if (file.format !== IDP_STATE_FORMAT) return `no "format": "${IDP_STATE_FORMAT}"`;
  if (file.version !== IDP_STATE_VERSION) return `version ${String(file.version)}, this Scimulator reads version ${IDP_STATE_VERSION}`;
  if (!Array.isArray(file.people) || !Array.isArray(file.groups)) return 'no "people" or "groups" list';
  if (typeof file.targets !== 'object' || file.targets === null) return 'no "targets" object';
  if (file.people.some((person) => typeof person?.key !== 'string')) return 'a person without a key';
  if (file.groups.some((group) => typeof group?.key !== 'string' || !Array.isArray(group.members))) return 'a group without a key or members';
  return undefined;
}

export async function openIdpDirectoryService(options: IdpDirectoryServiceOptions): Promise<IdpDirectoryService> {
  const db = await openConsoleFile<IdpDirectoryFile>(options.file, 'a Scimulator IdP directory', fileProblem);
  const fresh = db.data === null;
  const directory = new IdpDirectory(db.data ?? seedIdpDirectory());
  const enqueue = createWriteQueue();
  let revision = 0;

  const save = (): Promise<void> =>
    enqueue(async () => {
      db.data = { format: IDP_STATE_FORMAT, version: IDP_STATE_VERSION, ...directory.toDocument() };
      await db.write();
      revision += 1;
      options.events.emit('idp', { revision });
    });

  /**
   * Applies an edit and writes it; when the write fails, the directory goes back to what is on
   * disk, so what the console shows never differs from what a restart would load.
   */
  const edit = async <R>(change: () => R): Promise<R> => {
    const before = directory.toDocument();
    const result = change();
    try {
      await save();
    } catch (error) {
      directory.replaceWith(before);
      throw error;
    }
    return result;
  };

  if (fresh) await save();

  return {
    directory,
    save,

    async getIdpDirectory(): Promise<IdpDirectoryView> {
      const document = directory.toDocument();
      return { people: document.people, groups: document.groups, links: document.targets };
    },

    async savePerson(input: PersonInput): Promise<Person> {
      const person = validPerson(input);
      return edit(() => {
        if (person.manager !== undefined) {
          if (person.manager === person.key) throw new InvalidCommandArguments('A person cannot be their own manager');
          if (!directory.hasPerson(person.manager)) throw new InvalidCommandArguments(`No person "${person.manager}" to be the manager`);
        }
        const clash = directory
          .allPeople()
          .find((other) => other.key !== person.key && other.userName.toLowerCase() === person.userName.toLowerCase());
        if (clash) throw new InvalidCommandArguments(`The username ${person.userName} is already ${clash.displayName ?? clash.key}'s`);
        if (person.objectId !== undefined) {
          const owner = directory.allPeople().find((other) => other.objectId === person.objectId);
          if (owner && owner.key !== person.key) throw new InvalidCommandArguments(`A person's key cannot change (this is "${owner.key}")`);
        }
        if (directory.hasPerson(person.key)) {
          const existing = directory.person(person.key);
          // In place: a run holding this person sees the edit. Absent optional attributes are cleared.
          const record = existing as unknown as Record<string, unknown>;
          for (const name of [...OPTIONAL_TEXT, 'manager'] as const) delete record[name];
          const { objectId: _ignored, key: _key, ...fields } = person;
          Object.assign(existing, fields);
          return structuredClone(existing);
        }
        const added: Person = { ...person, objectId: person.objectId ?? randomUUID() };
        directory.addPerson(added);
        return structuredClone(added);
      });
    },

    async deletePerson(key: string): Promise<void> {
      if (typeof key !== 'string') throw new InvalidCommandArguments('deletePerson takes a person key');
      await edit(() => {
        if (!directory.hasPerson(key)) throw new InvalidCommandArguments(`No person "${key}" in the IdP directory`);
        directory.removePerson(key);
      });
    },

    async saveGroup(input: GroupInput): Promise<IdpGroup> {
      const group = validGroup(input);
      return edit(() => {
        const unknown = group.members.filter((member) => !directory.hasPerson(member));
        if (unknown.length > 0) throw new InvalidCommandArguments(`No person ${unknown.map((key) => `"${key}"`).join(', ')} in the IdP directory`);
        if (group.objectId !== undefined) {
          const owner = directory.allGroups().find((other) => other.objectId === group.objectId);
          if (owner && owner.key !== group.key) throw new InvalidCommandArguments(`A group's key cannot change (this is "${owner.key}")`);
        }
        if (directory.hasGroup(group.key)) {
          const existing = directory.group(group.key);
          existing.displayName = group.displayName;
          existing.members = [...group.members];
          if (group.description === undefined) delete existing.description;
          else existing.description = group.description;
          return structuredClone(existing);
        }
        const added: IdpGroup = { ...group, objectId: group.objectId ?? randomUUID() };
        directory.addGroup(added);
        return structuredClone(added);
      });
    },

    async deleteIdpGroup(key: string): Promise<void> {
      if (typeof key !== 'string') throw new InvalidCommandArguments('deleteIdpGroup takes a group key');
      await edit(() => {
        if (!directory.hasGroup(key)) throw new InvalidCommandArguments(`No group "${key}" in the IdP directory`);
        directory.removeGroup(key);
      });
    },

    async resetIdpDirectory(): Promise<void> {
      await edit(() => directory.replaceWith(seedIdpDirectory()));
    },
  };
}

function text(value: unknown, label: string, required: boolean): string | undefined {
  if (value === undefined || value === null || (!required && value === '')) return undefined;
  if (typeof value !== 'string') throw new InvalidCommandArguments(`${label} is text`);
  const trimmed = value.trim();
  if (required && trimmed === '') throw new InvalidCommandArguments(`${label} is required`);
  if (trimmed.length > MAX_TEXT) throw new InvalidCommandArguments(`${label} has at most ${MAX_TEXT} characters`);
  if (/[\0\r\n]/.test(trimmed)) throw new InvalidCommandArguments(`${label} cannot contain line breaks`);
  return trimmed === '' ? undefined : trimmed;
}

function validKey(value: unknown, what: string): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new InvalidCommandArguments(`A ${what} key is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return value;
}

type ValidPerson = Omit<Person, 'objectId'> & { objectId?: string };

function validPerson(input: unknown): ValidPerson {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidCommandArguments('savePerson takes one person');
  const p = input as Record<string, unknown>;
  const key = validKey(p.key, 'person');
  const userName = text(p.userName, 'The username', true)!;
  const email = text(p.email, 'The email', true)!;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new InvalidCommandArguments(`${email} is not an email address`);
  if (p.active !== undefined && typeof p.active !== 'boolean') throw new InvalidCommandArguments('active is true or false');
  const person: ValidPerson = {
    key,
    userName,
    givenName: text(p.givenName, 'The given name', true)!,
    familyName: text(p.familyName, 'The family name', true)!,
    email,
    active: p.active !== false,
  };
  for (const name of OPTIONAL_TEXT) {
    const value = text(p[name], name, false);
    if (value !== undefined) person[name] = value;
  }
  if (p.manager !== undefined && p.manager !== null && p.manager !== '') person.manager = validKey(p.manager, 'manager');
  if (p.objectId !== undefined) {
    if (typeof p.objectId !== 'string' || p.objectId === '') throw new InvalidCommandArguments('objectId is a non-empty string');
    person.objectId = p.objectId;
  }
  return person;
}

type ValidGroup = Omit<IdpGroup, 'objectId'> & { objectId?: string };

function validGroup(input: unknown): ValidGroup {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidCommandArguments('saveGroup takes one group');
  const g = input as Record<string, unknown>;
  const key = validKey(g.key, 'group');
  if (g.members !== undefined && (!Array.isArray(g.members) || g.members.some((member) => typeof member !== 'string'))) {
    throw new InvalidCommandArguments('members is a list of person keys');
  }
  const description = text(g.description, 'The description', false);
  const group: ValidGroup = {
    key,
    displayName: text(g.displayName, 'The group name', true)!,
    members: [...new Set((g.members as string[] | undefined) ?? [])],
    ...(description === undefined ? {} : { description }),
  };
  if (g.objectId !== undefined) {
    if (typeof g.objectId !== 'string' || g.objectId === '') throw new InvalidCommandArguments('objectId is a non-empty string');
    group.objectId = g.objectId;
  }
  return group;
}
