/**
 * PingFederate's "SCIM Provisioner" connector: users matched by a userName filter, created with
 * POST, updated and disabled with PUT (the connector has no user PATCH), groups found by listing
 * every group, group membership by PATCH, and a configurable "Remove User Action".
 * Sources: the connector's feature table and settings reference on docs.pingidentity.com (below).
 */
import type { IdpGroup, Person, TargetLinks } from '../directory.js';
import type { IdpEvent } from '../events.js';
import { type Profile, type ProfileContext, type ProfileSource, UnsupportedByIdp } from '../profile.js';
import { formEncode, percentEncode, scimString } from '../query-encoding.js';
import {
  GROUP_SCHEMA,
  type JsonObject,
  type Send,
  assignWithLookup,
  createdId,
  forgetUser,
  foundGroupLink,
  groupLink,
  groupUpdate,
  listPage,
  lookupOne,
  memberValues,
  membershipChanges,
  patchBody,
  requireSuccess,
  rfcUser,
  sameText,
  scimHeaders,
  sender,
  syncChanged,
  userLink,
  RFC_RETRY_POLICY,
} from './profile-kit.js';

const SOURCES: readonly ProfileSource[] = [
  {
    id: 'pf-connector',
    title: 'PingFederate SCIM Connector: features (filtering, PATCH support)',
    url: 'https://docs.pingidentity.com/integrations/scim/pf_scim_connector.html',
  },
  {
    id: 'pf-settings',
    title: 'PingFederate SCIM Connector settings reference (Filter Expression, Remove User Action)',
    url: 'https://docs.pingidentity.com/integrations/scim/setup/pf_scim_connector_scim_connector_settings_reference.html',
  },
  {
    id: 'pf-users-groups',
    title: 'PingFederate SCIM Connector: user and group management',
    url: 'https://docs.pingidentity.com/integrations/scim/pf_scim_connector_user_and_group_management.html',
  },
  {
    id: 'apache-httpclient-ua',
    title: 'Apache HttpClient 4.x default User-Agent (VersionInfo.getUserAgent)',
    url: 'https://github.com/apache/httpcomponents-core/blob/4.4.x/httpcore/src/main/java/org/apache/http/util/VersionInfo.java',
  },
];

/**
 * The connector is a Java add-on, and the one claim on record about its traffic (a GitHub-internal
 * test that treats `Apache-HttpClient/…` as PingFederate, cited in the reference notes as
 * third-party) names Apache HttpClient, whose 4.x builder always sends
 * `Apache-HttpClient/<version> (Java/<java.version>)` (VersionInfo.getUserAgent, source above).
 * A Java client that sends no User-Agent would be the less likely guess; the version numbers are
 * the last 4.5 release on a Java 11 runtime, and `userAgent` overrides the whole value.
 */
export const PINGFEDERATE_USER_AGENT = 'Apache-HttpClient/4.5.14 (Java/11.0.22)';

export interface PingFederateSettings {
  /**
   * "Remove User Action" for a user unassigned or deleted in the source: `disable` (the
   * documented default, a PUT with `active: false`) or `delete` (DELETE /Users/{id}).
   * https://docs.pingidentity.com/integrations/scim/setup/pf_scim_connector_scim_connector_settings_reference.html
   */
  readonly removeUserAction?: 'disable' | 'delete';
  /**
   * The connector's "Filter Expression" override, `%s` standing for the userName; default
   * `userName eq "%s"`. The value is escaped as a SCIM string (RFC 7644 §3.4.2.2) so that a
   * quote in a userName cannot end the literal.
   */
  readonly filterExpression?: string;
  /**
   * How the filter is written into the query. Ping does not document it. `form` (default):
   * space → `+`, `"` → `%22`, which is what both Java paths a connector would use produce:
   * java.net.URLEncoder (https://docs.oracle.com/en/java/javase/11/docs/api/java.base/java/net/URLEncoder.html)
   * and Apache HttpClient's URIBuilder, which form-encodes query parameters through
   * URLEncodedUtils. `percent` writes `%20` (RFC 3986).
   */
  readonly filterEncoding?: 'form' | 'percent';
  /** Group updates by PATCH (default; "PATCH groups: Yes", configurable) or by a full PUT. */
  readonly groupUpdateMethod?: 'patch' | 'put';
}

const DEFAULT_FILTER = 'userName eq "%s"';

export function createPingFederateProfile(settings: PingFederateSettings = {}): Profile {
  const removeUserAction = settings.removeUserAction ?? 'disable';
  const filterExpression = settings.filterExpression ?? DEFAULT_FILTER;
  const encode = settings.filterEncoding === 'percent' ? percentEncode : formEncode;
  const groupUpdateMethod = settings.groupUpdateMethod ?? 'patch';

  const headers = scimHeaders(PINGFEDERATE_USER_AGENT);

  /** The template with `%s` replaced by the escaped value (what sits between the quotes). */
  const userFilter = (userName: string) => {
    const quoted = scimString(userName).slice(1, -1);
    return filterExpression.replace(/%s/g, () => quoted);
  };

  // The connector synchronizes users on userName and maps core and enterprise attributes; no
  // source says it sends externalId, so it does not.
  const userBody = (person: Person, links: TargetLinks, active = person.active) => ({
    ...rfcUser(person, links, { externalId: false, enterprise: true }),
    active,
  });

  async function putUser(send: Send, context: ProfileContext, key: string, active: boolean, purpose: string) {
    const link = userLink(context.links, key, 'updateUser');
    const body = userBody(context.directory.person(key), context.links, active);
    // "PATCH users: No" in the feature table: every user change, disable included, is a PUT.
    requireSuccess(await send(purpose, 'PUT', `/Users/${link.id}`, { body: JSON.stringify(body) }), purpose);
    link.active = active;
    link.lastSent = body;
  }

  const assignUser = (send: Send, context: ProfileContext, key: string) =>
    assignWithLookup(context, key, {
      // "PingFederate synchronizes users based on the userName attribute in the target service."
      find: (person) => lookupOne(send, 'lookup by userName', '/Users', `filter=${encode(userFilter(person.userName))}`),
      body: (person) => userBody(person, context.links),
      create: async (body) => createdId(await send('create user', 'POST', '/Users', { body: JSON.stringify(body) }), 'create user'),
      update: (linked) => putUser(send, context, linked, context.directory.person(linked).active, 'update user'),
    });

  async function removeUser(send: Send, context: ProfileContext, key: string, event: IdpEvent['type']) {
    const link = userLink(context.links, key, event);
    if (removeUserAction === 'delete') {
      requireSuccess(await send('delete user', 'DELETE', `/Users/${link.id}`), 'delete user');
      forgetUser(context.links, key);
      return;
    }
    await putUser(send, context, key, false, 'disable user');
    link.assigned = false;
  }

  /** "The connector allows group filtering by retrieving all groups and finding a match." */
  async function findGroupByListing(send: Send, displayName: string): Promise<JsonObject | undefined> {
    let page = listPage(await send('list all groups', 'GET', '/Groups'), 'list all groups');
    const groups = [...page.resources];
    // A target may page on its own (RFC 7644 §3.4.2.4); follow it until every group was seen.
    while (page.resources.length > 0 && groups.length < page.totalResults) {
      const query = `startIndex=${groups.length + 1}&count=${page.itemsPerPage}`;
      page = listPage(await send('list all groups', 'GET', '/Groups', { query }), 'list all groups');
      groups.push(...page.resources);
    }
    return groups.find((group) => sameText(group.displayName, displayName));
  }

  const groupBody = (group: IdpGroup, ids: readonly string[]) => ({ schemas: [GROUP_SCHEMA], displayName: group.displayName, members: memberValues(ids) });

  /** Renames and membership changes since the target was last told, by PATCH or a full PUT. */
  async function updateGroup(send: Send, context: ProfileContext, group: IdpGroup, event: IdpEvent['type']) {
    const link = groupLink(context.links, group.key, event);
    const update = groupUpdate(context.links, group, link);
    if (update.operations.length === 0) return;
    if (groupUpdateMethod === 'put') {
      const body = groupBody(group, update.wanted.map((member) => member.id));
      requireSuccess(await send('replace group', 'PUT', `/Groups/${link.id}`, { body: JSON.stringify(body) }), 'replace group');
    } else {
      requireSuccess(await send('update group', 'PATCH', `/Groups/${link.id}`, { body: patchBody(update.operations) }), 'update group');
    }
    update.sent();
  }

  async function pushGroup(send: Send, context: ProfileContext, key: string) {
    const group = context.directory.group(key);
    if (!context.links.groups[key]) {
      const found = await findGroupByListing(send, group.displayName);
      if (found) {
        context.links.groups[key] = foundGroupLink(found, context.links);
      } else {
        const wanted = membershipChanges(context.links, group.members, []).wanted;
        const id = createdId(await send('create group', 'POST', '/Groups', { body: JSON.stringify(groupBody(group, wanted.map((m) => m.id))) }), 'create group');
        context.links.groups[key] = { id, displayName: group.displayName, members: wanted.map((m) => m.key) };
        return;
      }
    }
    await updateGroup(send, context, group, 'pushGroup');
  }

  const profile: Profile = {
    name: 'pingfederate',
    title: 'PingFederate (SCIM Provisioner connector)',
    summary: 'userName filter then POST; PUT for every user change; groups matched by listing /Groups; membership by PATCH; Remove User Action disable or delete',
    sources: SOURCES,
    retryPolicy: RFC_RETRY_POLICY,
    headers,
    async handle(event, context) {
      const send = sender(context, headers);
      switch (event.type) {
        case 'testConnection':
          // The provisioner has no test button; it checks the target on each operation.
          throw new UnsupportedByIdp('PingFederate has no connection test for the SCIM connector; it finds out on each provisioning operation');
        case 'assignUser':
          return assignUser(send, context, event.user);
        case 'updateUser':
          return putUser(send, context, event.user, context.directory.person(event.user).active, 'update user');
        case 'deactivateUser':
          return putUser(send, context, event.user, false, 'disable user');
        case 'reactivateUser':
          return putUser(send, context, event.user, true, 'enable user');
        case 'unassignUser':
        case 'deleteUser':
          // Removal from the provisioning scope and deletion in the datastore both run the
          // configured Remove User Action.
          return removeUser(send, context, event.user, event.type);
        case 'pushGroup':
          return pushGroup(send, context, event.group);
        case 'renameGroup':
        case 'addMembers':
        case 'removeMembers':
          return updateGroup(send, context, context.directory.group(event.group), event.type);
        case 'deleteGroup': {
          const link = groupLink(context.links, event.group, event.type);
          requireSuccess(await send('delete group', 'DELETE', `/Groups/${link.id}`), 'delete group');
          delete context.links.groups[event.group];
          return;
        }
        case 'importUsers':
        case 'importGroups':
          throw new UnsupportedByIdp('PingFederate provisions outbound only; it never imports users or groups from the target');
        case 'syncCycle':
          // The provisioning engine polls the datastore and sends what changed since last time.
          return syncChanged(context, {
            userBody: (person) => userBody(person, context.links),
            updateUser: (key) => putUser(send, context, key, context.directory.person(key).active, 'update user'),
            syncGroup: (key) => updateGroup(send, context, context.directory.group(key), event.type),
          });
      }
    },
  };
  return profile;
}

export const pingfederateProfile = createPingFederateProfile();
