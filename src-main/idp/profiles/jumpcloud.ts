/**
 * JumpCloud's custom SCIM integration: a connection test that creates a real test user and test
 * group and removes them again, a lookup before every create, groups matched by displayName and
 * never created empty, and group membership PATCHed as a value array without a filter.
 * Sources: JumpCloud's support article on custom SCIM integrations (the test, the event names,
 * the group rules) and a vendor knowledge-base note on the member PATCH shape (below). Where
 * they are silent (headers, update method, import) the profile does what RFC 7644 says.
 */
import type { Person, TargetLinks } from '../directory.js';
import type { IdpEvent } from '../events.js';
import type { Profile, ProfileContext, ProfileSource } from '../profile.js';
import { eqFilter, percentEncode } from '../query-encoding.js';
import type { ReceivedResponse } from '../../runner/http.js';
import {
  GROUP_SCHEMA,
  type JsonObject,
  USER_SCHEMA,
  type Send,
  assignWithLookup,
  createEmptyGroup,
  createdId,
  forgetUser,
  foundGroupLink,
  groupUpdate,
  importAndLink,
  lookupOne,
  membershipChanges,
  patchBody,
  requireSuccess,
  rfcUser,
  scimHeaders,
  sender,
  syncChanged,
  userLink,
  RFC_RETRY_POLICY,
} from './profile-kit.js';

const CUSTOM_SCIM_ARTICLE = 'https://jumpcloud.com/support/provision-and-manage-users-and-groups-in-apps-using-custom-scim-identity-management-integration';

const SOURCES: readonly ProfileSource[] = [
  { id: 'jc-custom-scim', title: 'JumpCloud: Identity Management using a Custom SCIM Integration', url: CUSTOM_SCIM_ARTICLE },
  { id: 'jc-member-patch', title: 'uni-moni KB: JumpCloud SCIM setup (member PATCH shape)', url: 'https://app.uni-moni.com/en/kb/sso-setup-jumpcloud' },
  { id: 'rfc7644', title: 'RFC 7644: SCIM Protocol', url: 'https://www.rfc-editor.org/rfc/rfc7644' },
];

/** DELETE answered with these means "this target does not support DELETE" (RFC 9110 §15.5.6, §15.6.2). */
const DELETE_UNSUPPORTED = new Set([405, 501]);

export interface JumpCloudSettings {
  /**
   * The "Test User Email" the admin enters: the test user's userName and email. Default: a fresh
   * `scimulator-jc-test-<random>@example.com` per test, so a leftover never collides.
   */
  readonly testUserEmail?: string;
  /**
   * How users are updated and deactivated. JumpCloud does not document it; `put` (default)
   * replaces the whole resource, which every RFC 7644 target supports (PATCH is optional,
   * §3.5.2). `patch` sends `replace` operations.
   */
  readonly userUpdateMethod?: 'put' | 'patch';
}

export function createJumpCloudProfile(settings: JumpCloudSettings = {}): Profile {
  const updateMethod = settings.userUpdateMethod ?? 'put';

  // JumpCloud documents no headers: the RFC 7644 §3.1/§8.1 set, and no User-Agent unless asked
  // for, rather than an invented one.
  const headers = scimHeaders(null);

  // "There are no special attribute mapping or extension schemas required": core User plus the
  // enterprise attributes the person has (RFC 7643 §4.3).
  const userBody = (person: Person, links: TargetLinks) => rfcUser(person, links, { externalId: false, enterprise: true });

  /** `user_update_provision` / `user_deprovision`: the whole user, or `replace` operations. */
  async function writeUser(send: Send, id: string, body: JsonObject, purpose: string, activeOnly: boolean): Promise<ReceivedResponse> {
    if (updateMethod === 'put') return send(purpose, 'PUT', `/Users/${id}`, { body: JSON.stringify(body) });
    const { schemas: _schemas, ...attributes } = body;
    void _schemas;
    const operation = activeOnly ? { op: 'replace', path: 'active', value: body.active } : { op: 'replace', value: attributes };
    return send(purpose, 'PATCH', `/Users/${id}`, { body: patchBody([operation]) });
  }

  async function updateUser(send: Send, context: ProfileContext, key: string, event: IdpEvent['type'], activeOnly = false) {
    const link = userLink(context.links, key, event);
    const person = context.directory.person(key);
    const body = userBody(person, context.links);
    const purpose = activeOnly ? (person.active ? 'activate user' : 'deactivate user') : 'update user';
    requireSuccess(await writeUser(send, link.id, body, purpose, activeOnly), purpose);
    link.active = person.active;
    link.lastSent = body;
  }

  /** `user_lookup_provision`: "trying to lookup a user to determine if the user needs to be created or updated". */
  const assignUser = (send: Send, context: ProfileContext, key: string) =>
    assignWithLookup(context, key, {
      find: (person) => lookupOne(send, 'lookup user', '/Users', `filter=${percentEncode(eqFilter('userName', person.userName))}`),
      body: (person) => userBody(person, context.links),
      create: async (body) => createdId(await send('create user', 'POST', '/Users', { body: JSON.stringify(body) }), 'create user'),
      update: (linked) => updateUser(send, context, linked, 'assignUser'),
    });

  /** `user_delete_provision`, or deactivation when the target does not support DELETE for users. */
  async function deleteUser(send: Send, context: ProfileContext, key: string) {
    const link = userLink(context.links, key, 'deleteUser');
    const response = await send('delete user', 'DELETE', `/Users/${link.id}`);
    if (DELETE_UNSUPPORTED.has(response.status)) {
      const person = context.directory.person(key);
      const body = { ...userBody(person, context.links), active: false };
      requireSuccess(await writeUser(send, link.id, body, 'deactivate user', true), 'deactivate user');
      Object.assign(link, { assigned: false, active: false, lastSent: body });
      return;
    }
    requireSuccess(response, 'delete user');
    forgetUser(context.links, key);
  }

  /**
   * `group_create_provision` / `group_update_provision`. "Empty groups are not created"; an
   * existing group "when the user group name in JumpCloud matches" is taken over, so the lookup
   * is by displayName; members arrive in a PATCH whose value is an array of `{value}` with no
   * filter ("Azure AD-style value=[{value:uid}] without an RFC filter", uni-moni KB).
   */
  async function syncGroup(send: Send, context: ProfileContext, key: string) {
    const group = context.directory.group(key);
    let link = context.links.groups[key];
    if (!link) {
      if (membershipChanges(context.links, group.members, []).wanted.length === 0) return;
      const found = await lookupOne(send, 'lookup group', '/Groups', `filter=${percentEncode(eqFilter('displayName', group.displayName))}`);
      link = found ? foundGroupLink(found, context.links) : await createEmptyGroup(send, group);
      context.links.groups[key] = link;
    }
    const update = groupUpdate(context.links, group, link, 'valueArray');
    if (update.operations.length === 0) return;
    requireSuccess(await send('update group', 'PATCH', `/Groups/${link.id}`, { body: patchBody(update.operations) }), 'update group');
    update.sent();
  }

  /**
   * "A test user and test group are created to test the integration. Both will be deleted if the
   * DELETE method is supported by the service provider. If the DELETE method is not supported for
   * users, then the test user will be deactivated" (JumpCloud support article). A 405 or 501 on
   * DELETE is how a target says it does not support the method; the group is then left behind,
   * as JumpCloud documents no fallback for groups.
   */
  async function testConnection(send: Send, context: ProfileContext) {
    const tag = context.random.string(8);
    const email = settings.testUserEmail ?? `scimulator-jc-test-${tag}@example.com`;
    const testUser: JsonObject = {
      schemas: [USER_SCHEMA],
      userName: email,
      name: { givenName: 'JumpCloud', familyName: 'Test User' },
      emails: [{ value: email, type: 'work', primary: true }],
      active: true,
    };
    const userId = createdId(await send('create test user', 'POST', '/Users', { body: JSON.stringify(testUser) }), 'create test user');
    const testGroup = { schemas: [GROUP_SCHEMA], displayName: `JumpCloud Test Group ${tag}` };
    const groupId = createdId(await send('create test group', 'POST', '/Groups', { body: JSON.stringify(testGroup) }), 'create test group');

    const groupDeleted = await send('delete test group', 'DELETE', `/Groups/${groupId}`);
    if (!DELETE_UNSUPPORTED.has(groupDeleted.status)) requireSuccess(groupDeleted, 'delete test group');
    const userDeleted = await send('delete test user', 'DELETE', `/Users/${userId}`);
    if (!DELETE_UNSUPPORTED.has(userDeleted.status)) return requireSuccess(userDeleted, 'delete test user');
    const deactivated = { ...testUser, active: false };
    requireSuccess(await writeUser(send, userId, deactivated, 'deactivate test user', true), 'deactivate test user');
  }

  return {
    name: 'jumpcloud',
    title: 'JumpCloud (custom SCIM integration)',
    summary: 'connection test creates and removes a test user and group; lookup before create; groups by displayName, never empty; member PATCH with a value array',
    sources: SOURCES,
    retryPolicy: RFC_RETRY_POLICY,
    headers,
    async handle(event, context) {
      // JumpCloud documents no 429 handling; RFC 6585 §4's Retry-After is honoured by default.
      const send = sender(context, headers);
      switch (event.type) {
        case 'testConnection':
          return testConnection(send, context);
        case 'assignUser':
          return assignUser(send, context, event.user);
        case 'updateUser':
          return updateUser(send, context, event.user, event.type);
        case 'deactivateUser':
        case 'reactivateUser':
          return updateUser(send, context, event.user, event.type, true);
        case 'unassignUser': {
          // `user_deprovision`: "change an existing user to inactive".
          const link = userLink(context.links, event.user, event.type);
          const body = { ...userBody(context.directory.person(event.user), context.links), active: false };
          requireSuccess(await writeUser(send, link.id, body, 'deactivate user', true), 'deactivate user');
          Object.assign(link, { assigned: false, active: false, lastSent: body });
          return;
        }
        case 'deleteUser':
          return deleteUser(send, context, event.user);
        case 'pushGroup':
        case 'renameGroup':
        case 'addMembers':
        case 'removeMembers':
          // "All associated groups are synced whenever there is a membership or group change event."
          return syncGroup(send, context, event.group);
        case 'deleteGroup': {
          // "Managed groups deleted in JumpCloud are deleted in the app"; a group never created
          // (it was empty) has nothing to delete.
          const link = context.links.groups[event.group];
          if (!link) return;
          requireSuccess(await send('delete group', 'DELETE', `/Groups/${link.id}`), 'delete group');
          delete context.links.groups[event.group];
          return;
        }
        case 'importUsers':
        case 'importGroups':
          // Undocumented for JumpCloud: RFC 7644 §3.4.2.4 paging, 100 a page.
          return importAndLink(send, context, event.type, 100);
        case 'syncCycle':
          return syncChanged(context, {
            userBody: (person) => userBody(person, context.links),
            updateUser: (key) => updateUser(send, context, key, event.type),
            syncGroup: (key) => syncGroup(send, context, key),
          });
      }
    },
  };
}

export const jumpcloudProfile = createJumpCloudProfile();
