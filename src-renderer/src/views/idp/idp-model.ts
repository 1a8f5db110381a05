/**
 * The IdP view's rules, apart from React: what a person's or group's link to the chosen target
 * says, which actions make sense for a selection, and which attributes an edit changed.
 */
import type { IdpEvent, IdpGroup, Person, TargetLinks } from '../../../../src-main/api/contract';

type PersonChanges = Extract<IdpEvent, { type: 'updateUser' }>['changes'];
export type { PersonChanges };

/**
 * not-assigned: the target has never heard of them; assigned-active / assigned-inactive: what the
 * IdP last told the target; unassigned: removed from the app, kept disabled in the target.
 */
export type PersonLinkState = 'not-assigned' | 'active' | 'inactive' | 'unassigned';

export interface PersonLink {
  readonly state: PersonLinkState;
  /** The target's id for them. */
  readonly id?: string;
}

export function personLink(links: TargetLinks | undefined, key: string): PersonLink {
  const link = links?.users[key];
  if (!link) return { state: 'not-assigned' };
  if (!link.assigned) return { state: 'unassigned', id: link.id };
  return { state: link.active ? 'active' : 'inactive', id: link.id };
}

export interface GroupLinkView {
  readonly pushed: boolean;
  readonly id?: string;
  /** Members the target was last told about. */
  readonly members: number;
  /** The name in the target differs from the IdP's: a rename is waiting to be pushed. */
  readonly renamed: boolean;
}

export function groupLink(links: TargetLinks | undefined, group: IdpGroup): GroupLinkView {
  const link = links?.groups[group.key];
  if (!link) return { pushed: false, members: 0, renamed: false };
  return { pushed: true, id: link.id, members: link.members.length, renamed: link.displayName !== group.displayName };
}

export type PersonActionType = 'assignUser' | 'updateUser' | 'deactivateUser' | 'reactivateUser' | 'unassignUser' | 'deleteUser';

/** Which person actions apply to at least one of the selected people (update: one at a time). */
export function personActions(selected: readonly Person[], links: TargetLinks | undefined): ReadonlySet<PersonActionType> {
  const actions = new Set<PersonActionType>();
  for (const person of selected) {
    const { state } = personLink(links, person.key);
    if (state === 'not-assigned' || state === 'unassigned') actions.add('assignUser');
    if (state === 'active' || state === 'inactive') actions.add('unassignUser');
    if (person.active) actions.add('deactivateUser');
    else actions.add('reactivateUser');
    actions.add('deleteUser');
  }
  if (selected.length === 1) actions.add('updateUser');
  return actions;
}

/**
 * The people an action is sent for: those it applies to. Assigning someone already assigned, or
 * deactivating someone already inactive, would only add noise to the exchanges.
 */
export function peopleFor(action: PersonActionType, selected: readonly Person[], links: TargetLinks | undefined): Person[] {
  return selected.filter((person) => {
    const { state } = personLink(links, person.key);
    switch (action) {
      case 'assignUser':
        return state === 'not-assigned' || state === 'unassigned';
      case 'unassignUser':
        return state === 'active' || state === 'inactive';
      case 'deactivateUser':
        return person.active;
      case 'reactivateUser':
        return !person.active;
      default:
        return true;
    }
  });
}

/** The attributes the update form edits, in the order shown. */
export const PERSON_ATTRIBUTES = [
  { name: 'userName', label: 'User name', required: true },
  { name: 'givenName', label: 'Given name', required: true },
  { name: 'familyName', label: 'Family name', required: true },
  { name: 'displayName', label: 'Display name', required: false },
  { name: 'email', label: 'Email', required: true },
  { name: 'title', label: 'Title', required: false },
  { name: 'department', label: 'Department', required: false },
  { name: 'employeeNumber', label: 'Employee number', required: false },
  { name: 'costCenter', label: 'Cost center', required: false },
  { name: 'mobile', label: 'Mobile', required: false },
  { name: 'locale', label: 'Locale', required: false },
  { name: 'manager', label: 'Manager', required: false },
] as const satisfies readonly { name: keyof PersonChanges; label: string; required: boolean }[];

export type PersonAttribute = (typeof PERSON_ATTRIBUTES)[number]['name'];
export type PersonDraft = Record<PersonAttribute, string>;

export function draftOf(person: Person): PersonDraft {
  const draft = {} as PersonDraft;
  for (const { name } of PERSON_ATTRIBUTES) draft[name] = person[name] ?? '';
  return draft;
}

/**
 * What the form changed: only attributes whose value differs, trimmed; an emptied optional
 * attribute is cleared (null). A required attribute left empty is a problem, not a change.
 */
export function changedAttributes(person: Person, draft: PersonDraft): { changes: PersonChanges; problems: string[] } {
  const changes: Record<string, string | null> = {};
  const problems: string[] = [];
  for (const { name, label, required } of PERSON_ATTRIBUTES) {
    const value = draft[name].trim();
    if (value === (person[name] ?? '')) continue;
    if (value === '') {
      if (required) problems.push(`${label} cannot be empty.`);
      else changes[name] = null;
    } else {
      changes[name] = value;
    }
  }
  return { changes: changes as PersonChanges, problems };
}

/** A readable list of changes ("title, mobile"), for the run's label. */
export function describeChanges(changes: PersonChanges): string {
  return Object.keys(changes).join(', ') || 'nothing';
}
