/**
 * The `entra-compliant` profile (Entra with the `aadOptscim062020` flag) against the local
 * provider: the PATCH bodies the flag changes, compared with the "With feature flag" requests
 * Microsoft documents (test/fixtures/entra-documented-requests.json), the state they leave, and
 * that the provider needs none of the default engine's leniencies for them. Requests and their
 * order are otherwise the default engine's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IdpEvent } from '../../../src-main/idp/events.js';
import type { Profile } from '../../../src-main/idp/profile.js';
import { entraProfile } from '../../../src-main/idp/profiles/entra.js';
import { entraCompliantProfile } from '../../../src-main/idp/profiles/entra-compliant.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import { createProfileHarness, type HarnessOptions, type ProfileHarness } from '../../support/profile-harness.js';
import { DOCUMENTED_HEADERS, documented, documentedBody, exactPerson, recentNotes, withIds } from '../../support/entra-documented.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BODY_HEADERS = [
  ['Authorization', AUTHORIZATION],
  ['Content-type', DOCUMENTED_HEADERS['Content-type']],
];
const DEFAULT_ENGINE_QUIRKS = ['capitalized-patch-op', 'string-boolean', 'remove-by-value-array'];

let harness: ProfileHarness;
afterEach(() => harness?.close());

async function start(options: Partial<HarnessOptions> = {}, profile: Profile = entraCompliantProfile): Promise<ProfileHarness> {
  harness = await createProfileHarness({ profile, ...options });
  return harness;
}

const userId = (key: string) => harness.context.links.users[key]!.id;
const groupId = (key: string) => harness.context.links.groups[key]!.id;
const storedUser = (key: string) => harness.provider.store.get('User', userId(key));
const storedMembers = (key: string) =>
  ((harness.provider.store.get('Group', groupId(key))?.members ?? []) as { value: string }[]).map((member) => member.value).sort();
const allNoteCodes = (): string[] => harness.provider.log.entries().flatMap((entry) => entry.notes.map((note) => note.code));

describe('entra-compliant: the requests the aadOptscim062020 flag changes', () => {
  it('deactivate and unassign PATCH "replace" active with false; reactivate with true', async () => {
    await start({ people: [{ key: 'ada' }] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    const disable = documented('disable_user', 'flag');

    const [off] = await harness.run({ type: 'deactivateUser', user: 'ada' });
    expect(off!.request.method).toBe(disable.method);
    expect(off!.request.path).toBe(`/Users/${userId('ada')}`);
    expect(off!.request.headers).toEqual(BODY_HEADERS);
    expect(withIds(off!.request.body)).toBe(documentedBody(disable));
    expect(storedUser('ada')?.active).toBe(false);
    expect(recentNotes(harness)[0]).toEqual([]);

    const [on] = await harness.run({ type: 'reactivateUser', user: 'ada' });
    expect(withIds(on!.request.body)).toBe(documentedBody(disable).replace('false', 'true'));
    expect(storedUser('ada')?.active).toBe(true);

    const [unassign] = await harness.run({ type: 'unassignUser', user: 'ada' });
    expect(withIds(unassign!.request.body)).toBe(documentedBody(disable));
    expect(storedUser('ada')?.active).toBe(false);
  });

  it('an attribute the target lacks is one lowercase "add" with its path', async () => {
    await start();
    harness.directory.addPerson(exactPerson({ key: 'u', objectId: 'o1', userName: 'u@example.com', email: 'u@example.com', givenName: 'G', familyName: 'F' }));
    await harness.run({ type: 'assignUser', user: 'u' });
    const [, patch] = await harness.run({ type: 'updateUser', user: 'u', changes: { title: 'Babs' } });
    const expected = documented('add_single_value_string', 'flag').body as { Operations: object[] };
    expect(withIds(patch!.request.body)).toBe(JSON.stringify({ ...expected, Operations: [{ ...expected.Operations[0], path: 'title' }] }));
    expect(storedUser('u')?.title).toBe('Babs');
  });

  it('several attributes are the filtered email path, then one path-less replace with dotted and URN keys', async () => {
    await start();
    harness.directory.addPerson(exactPerson({ key: 'u', objectId: 'o1', userName: 'u@test.microsoft.com', email: 'u@test.microsoft.com', givenName: 'G', familyName: 'F', displayName: 'G F', employeeNumber: '1' }));
    await harness.run({ type: 'assignUser', user: 'u' });
    const [get, patch] = await harness.run({
      type: 'updateUser',
      user: 'u',
      changes: { displayName: 'Bjfe', email: 'TestMhvaes@test.microsoft.com', givenName: 'Kkom', familyName: 'Unua', employeeNumber: 'Aklq' },
    });
    expect(get!.request.method).toBe('GET');
    expect(withIds(patch!.request.body)).toBe(documentedBody(documented('replace_multiple_attributes', 'flag')));
    expect(storedUser('u')).toMatchObject({
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua' },
      emails: [{ type: 'work', value: 'TestMhvaes@test.microsoft.com' }],
      [ENTERPRISE]: { employeeNumber: 'Aklq' },
    });
  });

  it('removing a member is "remove" with a members[value eq "…"] filter, which removes only that member', async () => {
    await start({ people: [{ key: 'ada' }, { key: 'bob' }, { key: 'cy' }], groups: [{ key: 'g', members: ['ada', 'bob', 'cy'] }] });
    for (const user of ['ada', 'bob', 'cy']) await harness.run({ type: 'assignUser', user });
    await harness.run({ type: 'pushGroup', group: 'g' });

    const [patch] = await harness.run({ type: 'removeMembers', group: 'g', users: ['bob'] });
    expect(patch!.request.path).toBe(`/Groups/${groupId('g')}`);
    expect(withIds(patch!.request.body, { [userId('bob')]: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' })).toBe(documentedBody(documented('remove_member', 'flag')));
    expect(storedMembers('g')).toEqual([userId('ada'), userId('cy')].sort());
    expect(recentNotes(harness)[0]).toEqual([]);

    const [both] = await harness.run({ type: 'removeMembers', group: 'g', users: ['ada', 'cy'] });
    expect(JSON.parse(both!.request.body!).Operations).toEqual([
      { op: 'remove', path: `members[value eq "${userId('ada')}"]` },
      { op: 'remove', path: `members[value eq "${userId('cy')}"]` },
    ]);
    expect(storedMembers('g')).toEqual([]);
  });

  it('the manager, member adds and renames keep their shapes with lowercase ops', async () => {
    await start({ people: [{ key: 'boss' }, { key: 'alice', manager: 'boss' }], groups: [{ key: 'g', members: ['alice'] }] });
    await harness.run({ type: 'assignUser', user: 'boss' });
    const [, , manager] = await harness.run({ type: 'assignUser', user: 'alice' });
    expect(JSON.parse(manager!.request.body!).Operations).toEqual([{ op: 'add', path: `${ENTERPRISE}:manager`, value: userId('boss') }]);
    expect((storedUser('alice')?.[ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(userId('boss'));

    const [, , add] = await harness.run({ type: 'pushGroup', group: 'g' });
    expect(JSON.parse(add!.request.body!).Operations).toEqual([{ op: 'add', path: 'members', value: [{ $ref: null, value: userId('alice') }] }]);
    const [rename] = await harness.run({ type: 'renameGroup', group: 'g', displayName: 'renamed' });
    expect(JSON.parse(rename!.request.body!).Operations).toEqual([{ op: 'replace', path: 'displayName', value: 'renamed' }]);
    expect(rename!.response.status).toBe(204);
  });
});

describe('entra-compliant: everything else is the default engine', () => {
  const lifecycle: IdpEvent[] = [
    { type: 'testConnection' },
    { type: 'assignUser', user: 'boss' },
    { type: 'assignUser', user: 'alice' },
    { type: 'updateUser', user: 'alice', changes: { title: 'Principal', department: 'Research' } },
    { type: 'pushGroup', group: 'g' },
    { type: 'addMembers', group: 'g', users: ['boss'] },
    { type: 'removeMembers', group: 'g', users: ['alice'] },
    { type: 'renameGroup', group: 'g', displayName: 'renamed' },
    { type: 'deactivateUser', user: 'alice' },
    { type: 'reactivateUser', user: 'alice' },
    { type: 'unassignUser', user: 'alice' },
    { type: 'syncCycle' },
    { type: 'deleteUser', user: 'boss' },
    { type: 'deleteGroup', group: 'g' },
    { type: 'importUsers' },
  ];

  async function traffic(profile: Profile): Promise<string[]> {
    await start({ people: [{ key: 'boss' }, { key: 'alice', manager: 'boss' }], groups: [{ key: 'g', members: ['alice'] }] }, profile);
    for (const event of lifecycle) await harness.run(event);
    const ids = new Map<string, string>();
    const normalise = (text: string) =>
      text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
        if (!ids.has(id)) ids.set(id, `<id${ids.size}>`);
        return ids.get(id)!;
      });
    const lines = harness.exchanges.map((exchange) =>
      normalise(`${exchange.request.method} ${exchange.request.path}?${exchange.request.query ?? ''} ${JSON.stringify(exchange.request.headers)} → ${exchange.response.status}`),
    );
    await harness.close();
    return lines;
  }

  it('sends the same requests in the same order, with the same headers, as the default engine', async () => {
    const compliant = await traffic(entraCompliantProfile);
    const standard = await traffic(entraProfile);
    expect(compliant).toEqual(standard);
    expect(compliant.length).toBeGreaterThan(20);
  });

  it('needs none of the default engine\'s leniencies, and the default engine needs all of them', async () => {
    await start({ people: [{ key: 'boss' }, { key: 'alice', manager: 'boss' }], groups: [{ key: 'g', members: ['alice'] }] }, entraCompliantProfile);
    for (const event of lifecycle) await harness.run(event);
    const compliant = new Set(allNoteCodes());
    for (const code of DEFAULT_ENGINE_QUIRKS) expect(compliant.has(code), code).toBe(false);
    // "$ref": null and the bare manager id are not among the flag's changes.
    expect([...compliant].sort()).toEqual(['complex-as-bare-value', 'null-ref', 'unknown-schema-uri']);
    await harness.close();

    await start({ people: [{ key: 'boss' }, { key: 'alice', manager: 'boss' }], groups: [{ key: 'g', members: ['alice'] }] }, entraProfile);
    for (const event of lifecycle) await harness.run(event);
    expect([...new Set(allNoteCodes())].sort()).toEqual([...DEFAULT_ENGINE_QUIRKS, 'complex-as-bare-value', 'null-ref', 'unknown-schema-uri'].sort());
  });
});
