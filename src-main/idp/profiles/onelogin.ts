/**
 * OneLogin's SCIM connectors ("SCIM v2 Enterprise" by default): a `+`-encoded userName filter
 * with a trailing `&`, PUT to resource URLs that end in a bare `?`, bodies from the admin's SCIM
 * JSON template with OneLogin's own schema URNs, and group membership by PATCH.
 * Sources are thin: one observed capture (goauthentik/authentik#11249) and a third-party setup
 * guide (scim.dev). Everything they do not show follows RFC 7644 and says so where it is done.
 */
import type { IdpGroup, Person, TargetLinks } from '../directory.js';
import type { IdpEvent } from '../events.js';
import type { Profile, ProfileContext, ProfileSource } from '../profile.js';
import { eqFilter, formEncode } from '../query-encoding.js';
import {
  type JsonObject,
  type Send,
  assignWithLookup,
  createEmptyGroup,
  createdId,
  forgetUser,
  foundGroupLink,
  groupLink,
  groupUpdate,
  importAndLink,
  listPage,
  lookupOne,
  managerId,
  patchBody,
  requireSuccess,
  scimHeaders,
  sender,
  syncChanged,
  userLink,
  RFC_RETRY_POLICY,
} from './profile-kit.js';

const AUTHENTIK_CAPTURE = 'https://github.com/goauthentik/authentik/issues/11249';
const SCIM_DEV_GUIDE = 'https://scim.dev/guide/applications/onelogin';

const SOURCES: readonly ProfileSource[] = [
  { id: 'authentik-11249', title: 'OneLogin "SCIM v2 Enterprise" traffic in an nginx log (goauthentik/authentik#11249)', url: AUTHENTIK_CAPTURE },
  { id: 'scim-dev-onelogin', title: 'scim.dev: setting up OneLogin (connectors, SCIM JSON Template)', url: SCIM_DEV_GUIDE },
  { id: 'rfc7644', title: 'RFC 7644: SCIM Protocol', url: 'https://www.rfc-editor.org/rfc/rfc7644' },
];

/** The "SCIM v2 Enterprise" template's URNs, not the RFC 7643 ones (authentik#11249). */
export const ONELOGIN_CORE_SCHEMA = 'urn:scim:schemas:core:2.0';
export const ONELOGIN_ENTERPRISE_SCHEMA = 'urn:scim:schemas:extension:enterprise:2.0';
/** The "SCIM Provisioner with SAML (Core Schema)" template's URN (scim.dev guide). */
export const ONELOGIN_CORE_1_SCHEMA = 'urn:scim:schemas:core:1.0';

/**
 * In the authentik#11249 nginx log, the field where the combined log format puts the User-Agent
 * (after the referer "-") reads `"application/json"` on every OneLogin request. The issue does
 * not show the log format, so this is an inference; `userAgent` overrides it.
 */
export const ONELOGIN_USER_AGENT = 'application/json';

export interface OneLoginSettings {
  /**
   * Which connector's default template: `scim-v2-enterprise` (default; core + enterprise
   * attributes under OneLogin's 2.0 URNs, as captured) or `core-schema` (the "SCIM Provisioner
   * with SAML (Core Schema)" template: `urn:scim:schemas:core:1.0`, userName and name only).
   */
  readonly connector?: 'scim-v2-enterprise' | 'core-schema';
}

export function createOneLoginProfile(settings: OneLoginSettings = {}): Profile {
  const connector = settings.connector ?? 'scim-v2-enterprise';

  // Content-Type and Accept are not in the capture: RFC 7644 §3.1 / §8.1 media type.
  const headers = scimHeaders(ONELOGIN_USER_AGENT);

  /**
   * A resource URL as OneLogin writes it: `PUT /Users/{id}?` with an empty query (authentik#11249).
   * Used for every request on one resource; only the PUT is captured, the rest is inferred.
   */
  const resource = (type: 'Users' | 'Groups', id: string) => `/${type}/${id}?`;

  /**
   * The lookup as captured: `GET /Users?filter=userName+eq+%22onelogin-test-user01%22&`, form
   * encoding, a trailing `&` and no startIndex/count (authentik#11249).
   */
  const lookupQuery = (attribute: string, value: string) => `filter=${formEncode(eqFilter(attribute, value))}&`;

  /**
   * The body the template produces. Captured start: `{"schemas":["urn:scim:schemas:core:2.0",
   * "urn:scim:schemas:extension:enterprise:2.0"],"userName":…,"name":{"familyName":…,"givenName":…`
   * (authentik#11249); the rest of the default template is not public, so the remaining
   * attributes are the RFC 7643 ones, the enterprise ones under OneLogin's extension key.
   */
  function templateBody(person: Person, links: TargetLinks, active = person.active): JsonObject {
    if (connector === 'core-schema') {
      // scim.dev's template: userName and name {givenName, familyName, formatted}; plus `active`,
      // without which the connector could not express a suspension at all.
      return {
        schemas: [ONELOGIN_CORE_1_SCHEMA],
        userName: person.userName,
        name: { givenName: person.givenName, familyName: person.familyName, ...(person.displayName === undefined ? {} : { formatted: person.displayName }) },
        active,
      };
    }
    const body: JsonObject = {
      schemas: [ONELOGIN_CORE_SCHEMA, ONELOGIN_ENTERPRISE_SCHEMA],
      userName: person.userName,
      name: { familyName: person.familyName, givenName: person.givenName, ...(person.displayName === undefined ? {} : { formatted: person.displayName }) },
    };
    if (person.displayName !== undefined) body.displayName = person.displayName;
    body.emails = [{ value: person.email, type: 'work', primary: true }];
    if (person.title !== undefined) body.title = person.title;
    // Deactivation as a PUT of `active: false` is an assumption: no source shows it.
    body.active = active;
    const enterprise: JsonObject = {};
    if (person.department !== undefined) enterprise.department = person.department;
    if (person.employeeNumber !== undefined) enterprise.employeeNumber = person.employeeNumber;
    if (person.costCenter !== undefined) enterprise.costCenter = person.costCenter;
    const manager = managerId(person, links);
    if (manager !== undefined) enterprise.manager = { value: manager };
    if (Object.keys(enterprise).length > 0) body[ONELOGIN_ENTERPRISE_SCHEMA] = enterprise;
    return body;
  }

  async function putUser(send: Send, context: ProfileContext, key: string, event: IdpEvent['type'], active?: boolean) {
    const link = userLink(context.links, key, event);
    const person = context.directory.person(key);
    const body = templateBody(person, context.links, active ?? person.active);
    requireSuccess(await send('update user', 'PUT', resource('Users', link.id), { body: JSON.stringify(body) }), 'update user');
    link.active = active ?? person.active;
    link.lastSent = body;
  }

  const assignUser = (send: Send, context: ProfileContext, key: string) =>
    assignWithLookup(context, key, {
      find: (person) => lookupOne(send, 'lookup by userName', '/Users', lookupQuery('userName', person.userName)),
      body: (person) => templateBody(person, context.links),
      // POST to the collection: the capture shows no create, so no `?` is added here (RFC 7644 §3.3).
      create: async (body) => createdId(await send('create user', 'POST', '/Users', { body: JSON.stringify(body) }), 'create user'),
      // "PUT for the existing/updated user" right after a lookup that found it (authentik#11249).
      update: (linked) => putUser(send, context, linked, 'assignUser'),
    });

  /**
   * Group creation "worked" in the capture but its requests are not shown; adding a member was a
   * PATCH on the group (answered 405 by authentik). So: lookup (the user lookup's encoding),
   * POST without members, then RFC 7644 §3.5.2 PATCH operations for membership and renames.
   */
  async function syncGroup(send: Send, context: ProfileContext, group: IdpGroup) {
    let link = context.links.groups[group.key];
    if (!link) {
      const found = await lookupOne(send, 'lookup group', '/Groups', lookupQuery('displayName', group.displayName));
      link = found ? foundGroupLink(found, context.links) : await createEmptyGroup(send, group);
      context.links.groups[group.key] = link;
    }
    const update = groupUpdate(context.links, group, link);
    if (update.operations.length === 0) return;
    requireSuccess(await send('update group', 'PATCH', resource('Groups', link.id), { body: patchBody(update.operations) }), 'update group');
    update.sent();
  }

  return {
    name: 'onelogin',
    title: 'OneLogin (SCIM v2 Enterprise connector)',
    summary: "userName filter with '+' and a trailing '&'; PUT /Users/{id}? with OneLogin's urn:scim:schemas URNs; group membership by PATCH",
    sources: SOURCES,
    retryPolicy: RFC_RETRY_POLICY,
    headers,
    async handle(event, context) {
      // No source on 429s: Retry-After (RFC 6585 §4) is honoured by default.
      const send = sender(context, headers);
      switch (event.type) {
        case 'testConnection': {
          // "Enable" "will try to establish an initial connection to the SCIM base URL" (scim.dev);
          // what it sends is not shown. This sends the one GET shape on record, for a userName
          // no one has, and wants a ListResponse back.
          const query = lookupQuery('userName', `onelogin-connection-test-${context.random.uuid()}`);
          listPage(await send('connection test', 'GET', '/Users', { query }), 'connection test');
          return;
        }
        case 'assignUser':
          return assignUser(send, context, event.user);
        case 'updateUser':
        case 'deactivateUser':
        case 'reactivateUser':
          return putUser(send, context, event.user, event.type);
        case 'unassignUser':
          // Not documented: the user is kept and suspended (a PUT with `active: false`).
          await putUser(send, context, event.user, event.type, false);
          userLink(context.links, event.user, event.type).assigned = false;
          return;
        case 'deleteUser': {
          const link = userLink(context.links, event.user, event.type);
          requireSuccess(await send('delete user', 'DELETE', resource('Users', link.id)), 'delete user');
          forgetUser(context.links, event.user);
          return;
        }
        case 'pushGroup':
          return syncGroup(send, context, context.directory.group(event.group));
        case 'renameGroup':
        case 'addMembers':
        case 'removeMembers':
          groupLink(context.links, event.group, event.type);
          return syncGroup(send, context, context.directory.group(event.group));
        case 'deleteGroup': {
          const link = groupLink(context.links, event.group, event.type);
          requireSuccess(await send('delete group', 'DELETE', resource('Groups', link.id)), 'delete group');
          delete context.links.groups[event.group];
          return;
        }
        case 'importUsers':
        case 'importGroups':
          // Not documented for OneLogin: RFC 7644 §3.4.2.4 paging, 100 a page.
          return importAndLink(send, context, event.type, 100);
        case 'syncCycle':
          return syncChanged(context, {
            userBody: (person) => templateBody(person, context.links),
            updateUser: (key) => putUser(send, context, key, event.type),
            syncGroup: (key) => syncGroup(send, context, context.directory.group(key)),
          });
      }
    },
  };
}

export const oneloginProfile = createOneLoginProfile();
