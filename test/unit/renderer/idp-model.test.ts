/**
 * The IdP view's rules: what a person's link to the target says, which actions a selection
 * offers (and for whom they are sent), and which attributes an update form changed.
 */
import { describe, expect, it } from 'vitest';
import type { Person, TargetLinks } from '../../../src-main/api/contract';
import { changedAttributes, draftOf, peopleFor, personActions, personLink } from '../../../src-renderer/src/views/idp/idp-model';

const person = (key: string, extra: Partial<Person> = {}): Person => ({
  key,
  objectId: `oid-${key}`,
  userName: `${key}@example.com`,
  givenName: key,
  familyName: 'Test',
  email: `${key}@example.com`,
  active: true,
  ...extra,
});

const links: TargetLinks = {
  users: {
    grace: { id: 'u1', assigned: true, active: true },
    alan: { id: 'u2', assigned: true, active: false },
    ada: { id: 'u3', assigned: false, active: false },
  },
  groups: {},
};

describe('personLink', () => {
  it('says whether the target knows the person and what the IdP last told it', () => {
    expect(personLink(links, 'grace')).toEqual({ state: 'active', id: 'u1' });
    expect(personLink(links, 'alan')).toEqual({ state: 'inactive', id: 'u2' });
    expect(personLink(links, 'ada')).toEqual({ state: 'unassigned', id: 'u3' });
    expect(personLink(links, 'linus')).toEqual({ state: 'not-assigned' });
    expect(personLink(undefined, 'grace')).toEqual({ state: 'not-assigned' });
  });
});

describe('actions on a selection', () => {
  const grace = person('grace');
  const linus = person('linus');
  const alan = person('alan', { active: false });

  it('offers assign for people the target does not have, unassign for people it does', () => {
    expect([...personActions([linus], links)].sort()).toEqual(['assignUser', 'deactivateUser', 'deleteUser', 'updateUser']);
    expect(personActions([grace], links).has('unassignUser')).toBe(true);
    expect(personActions([grace], links).has('assignUser')).toBe(false);
  });

  it('offers update for one person at a time only', () => {
    expect(personActions([grace, linus], links).has('updateUser')).toBe(false);
  });

  it('sends an action only for the people it applies to', () => {
    expect(peopleFor('assignUser', [grace, linus, alan], links).map((p) => p.key)).toEqual(['linus']);
    expect(peopleFor('reactivateUser', [grace, linus, alan], links).map((p) => p.key)).toEqual(['alan']);
    expect(peopleFor('deleteUser', [grace, linus], links)).toHaveLength(2);
  });
});

describe('changedAttributes', () => {
  const grace = person('grace', { title: 'Rear Admiral', manager: 'alan' });

  it('keeps only what changed, trimmed', () => {
    const draft = { ...draftOf(grace), title: ' Admiral ', mobile: '+1 555 0100' };
    expect(changedAttributes(grace, draft)).toEqual({ changes: { title: 'Admiral', mobile: '+1 555 0100' }, problems: [] });
  });

  it('clears an emptied optional attribute, the manager included', () => {
    const draft = { ...draftOf(grace), title: '', manager: '' };
    expect(changedAttributes(grace, draft).changes).toEqual({ title: null, manager: null });
  });

  it('refuses to empty a required attribute', () => {
    const result = changedAttributes(grace, { ...draftOf(grace), email: '  ' });
    expect(result.changes).toEqual({});
    expect(result.problems).toEqual(['Email cannot be empty.']);
  });

  it('finds no change in an untouched form', () => {
    expect(changedAttributes(grace, draftOf(grace)).changes).toEqual({});
  });
});
