/**
 * The mock IdP's own directory: the people and groups an admin manages in Okta or Entra, and,
 * per target, what the IdP has learned about them there (the target's ids, whether they are
 * assigned, what was last sent). A real IdP keeps exactly this, which is why its second sync
 * updates instead of creating. Kept apart from the provider's directory: it is the other side.
 */
import type { GroupKey, PersonChanges, PersonKey } from './events.js';

export interface Person {
  readonly key: PersonKey;
  /** The IdP's own immutable id: Entra's objectId (a GUID); Okta's `00u…` id is derived from it. */
  readonly objectId: string;
  userName: string;
  givenName: string;
  familyName: string;
  displayName?: string;
  email: string;
  title?: string;
  department?: string;
  employeeNumber?: string;
  costCenter?: string;
  mobile?: string;
  locale?: string;
  /** Key of this person's manager in the IdP directory. */
  manager?: PersonKey;
  /** Deactivated / suspended in the IdP. */
  active: boolean;
}

export interface IdpGroup {
  readonly key: GroupKey;
  readonly objectId: string;
  displayName: string;
  description?: string;
  members: PersonKey[];
}

/** What the IdP knows of one person in one target. */
export interface UserLink {
  /** The target's `id`, learned from its create or lookup response. */
  id: string;
  /** Assigned to the app (an unassigned user is kept disabled in the target, not deleted). */
  assigned: boolean;
  /** Whether the IdP last told the target the user is active. */
  active: boolean;
  /** The SCIM representation last sent, so that a profile can send only what changed (Entra). */
  lastSent?: Record<string, unknown>;
}

export interface GroupLink {
  id: string;
  /** Display name last sent. */
  displayName: string;
  /** Member keys the target was last told about. */
  members: PersonKey[];
}

/** Everything one IdP knows about one target. */
export interface TargetLinks {
  users: Record<PersonKey, UserLink>;
  groups: Record<GroupKey, GroupLink>;
}

export interface IdpDirectoryDocument {
  people: Person[];
  groups: IdpGroup[];
  /** Links by target key (its base URL, or `local`). */
  targets: Record<string, TargetLinks>;
}

export class UnknownPerson extends Error {
  constructor(readonly key: string) {
    super(`No person "${key}" in the IdP directory`);
    this.name = 'UnknownPerson';
  }
}

export class UnknownGroup extends Error {
  constructor(readonly key: string) {
    super(`No group "${key}" in the IdP directory`);
    this.name = 'UnknownGroup';
  }
}

const CLEARABLE = ['displayName', 'title', 'department', 'employeeNumber', 'costCenter', 'mobile', 'locale', 'manager'] as const;

export class IdpDirectory {
  private readonly people = new Map<PersonKey, Person>();
  private readonly groups = new Map<GroupKey, IdpGroup>();
  private readonly targets = new Map<string, TargetLinks>();

  constructor(document?: IdpDirectoryDocument) {
    for (const person of document?.people ?? []) this.people.set(person.key, structuredClone(person));
    for (const group of document?.groups ?? []) this.groups.set(group.key, structuredClone(group));
    for (const [key, links] of Object.entries(document?.targets ?? {})) this.targets.set(key, structuredClone(links));
  }

  person(key: PersonKey): Person {
    const person = this.people.get(key);
    if (!person) throw new UnknownPerson(key);
    return person;
  }

  group(key: GroupKey): IdpGroup {
    const group = this.groups.get(key);
    if (!group) throw new UnknownGroup(key);
    return group;
  }

  hasPerson(key: PersonKey): boolean {
    return this.people.has(key);
  }

  hasGroup(key: GroupKey): boolean {
    return this.groups.has(key);
  }

  allPeople(): Person[] {
    return [...this.people.values()];
  }

  allGroups(): IdpGroup[] {
    return [...this.groups.values()];
  }

  addPerson(person: Person): void {
    if (this.people.has(person.key)) throw new Error(`The IdP directory already has a person "${person.key}"`);
    this.people.set(person.key, person);
  }

  addGroup(group: IdpGroup): void {
    if (this.groups.has(group.key)) throw new Error(`The IdP directory already has a group "${group.key}"`);
    for (const member of group.members) this.person(member);
    this.groups.set(group.key, group);
  }

  /** Applies an admin's edit to a person; `null` clears an optional attribute. */
  updatePerson(key: PersonKey, changes: PersonChanges): Person {
    const person = this.person(key);
    if (changes.manager) this.person(changes.manager);
    for (const [name, value] of Object.entries(changes) as [keyof PersonChanges, string | null | undefined][]) {
      if (value === undefined) continue;
      if (value === null) {
        if (!(CLEARABLE as readonly string[]).includes(name)) throw new Error(`"${name}" cannot be cleared`);
        delete (person as unknown as Record<string, unknown>)[name];
      } else {
        (person as unknown as Record<string, unknown>)[name] = value;
      }
    }
    return person;
  }

  /**
   * Removes a person as an admin deleting them does: out of every group, no longer anyone's
   * manager, and forgotten by every target's links.
   */
  removePerson(key: PersonKey): void {
    this.person(key);
    this.people.delete(key);
    for (const group of this.groups.values()) group.members = group.members.filter((member) => member !== key);
    for (const person of this.people.values()) if (person.manager === key) delete person.manager;
    for (const links of this.targets.values()) delete links.users[key];
  }

  /** Removes a group and every target's link to it. */
  removeGroup(key: GroupKey): void {
    this.group(key);
    this.groups.delete(key);
    for (const links of this.targets.values()) delete links.groups[key];
  }

  /** Replaces everything (people, groups, links) with the document's, keeping this object. */
  replaceWith(document: IdpDirectoryDocument): void {
    this.people.clear();
    this.groups.clear();
    this.targets.clear();
    for (const person of document.people) this.people.set(person.key, structuredClone(person));
    for (const group of document.groups) this.groups.set(group.key, structuredClone(group));
    for (const [key, links] of Object.entries(document.targets)) this.targets.set(key, structuredClone(links));
  }

  /** The IdP's knowledge of one target, created empty on first use. */
  linksFor(target: string): TargetLinks {
    let links = this.targets.get(target);
    if (!links) {
      links = { users: {}, groups: {} };
      this.targets.set(target, links);
    }
    return links;
  }

  toDocument(): IdpDirectoryDocument {
    return structuredClone({
      people: this.allPeople(),
      groups: this.allGroups(),
      targets: Object.fromEntries(this.targets),
    });
  }
}
