/**
 * An RFC 7644-exact SCIM client, no vendor's quirks: it reads what the target declares
 * (`/ServiceProviderConfig`, `/ResourceTypes`) and uses exactly that: PATCH when `patch` is
 * supported and PUT otherwise, `If-Match` when `etag` is, filters when `filter` is and a paged
 * list matched client-side otherwise; lowercase operations, JSON booleans, member removal by a
 * value filter, `application/scim+json` both ways, and its own User-Agent.
 * Source: RFC 7643 and RFC 7644 (https://www.rfc-editor.org/rfc/rfc7644), sections cited inline.
 */
import { SCIMULATOR_VERSION } from '../../version.js';
import { isDeepStrictEqual } from 'node:util';
import type { IdpGroup, Person, TargetLinks } from '../directory.js';
import type { IdpEvent } from '../events.js';
import type { Profile, ProfileContext, ProfileSource } from '../profile.js';
import { eqFilter, percentEncode } from '../query-encoding.js';
import { jsonBody, type HeaderList, type ReceivedResponse } from '../../runner/http.js';
import {
  ENTERPRISE_SCHEMA,
  GROUP_SCHEMA,
  type JsonObject,
  type Send,
  assignWithLookup,
  createdId,
  forgetUser,
  foundGroupLink,
  groupLink,
  groupUpdate,
  importAndLink,
  listPage,
  memberValues,
  membershipChanges,
  patchBody,
  readAllPages,
  requireSuccess,
  rfcUser,
  sameText,
  scimHeaders,
  sender,
  singleMatch,
  succeeded,
  syncChanged,
  userLink,
  RFC_RETRY_POLICY,
} from './profile-kit.js';

const SOURCES: readonly ProfileSource[] = [
  { id: 'rfc7643', title: 'RFC 7643: SCIM Core Schema', url: 'https://www.rfc-editor.org/rfc/rfc7643' },
  { id: 'rfc7644', title: 'RFC 7644: SCIM Protocol', url: 'https://www.rfc-editor.org/rfc/rfc7644' },
];

/** Scimulator's version, as the CLI reports it (src-main/hosts/cli.ts). */
export { SCIMULATOR_VERSION };
export const GENERIC_USER_AGENT = `Scimulator/${SCIMULATOR_VERSION} (generic)`;
const PAGE_SIZE = 100;

/** What the target declared, read once per run and target (one ProfileContext). */
export interface TargetCapabilities {
  readonly patch: boolean;
  readonly filter: boolean;
  /** The most resources a filter or page may return (`filter.maxResults`). */
  readonly maxResults?: number;
  readonly etag: boolean;
  readonly usersEndpoint: string;
  readonly groupsEndpoint: string;
  /** The User resource type lists the enterprise extension (RFC 7643 §6 `schemaExtensions`). */
  readonly enterprise: boolean;
}

interface RunState {
  readonly capabilities: TargetCapabilities;
  /** Last known version (ETag) of each resource by target id, for If-Match (RFC 7644 §3.14). */
  readonly versions: Map<string, string>;
}

const supported = (config: JsonObject, feature: string) => {
  const value = config[feature];
  return typeof value === 'object' && value !== null && (value as JsonObject).supported === true;
};

/** A ResourceType's endpoint as a path below the base URL (RFC 7643 §6: relative, e.g. "/Users"). */
const endpointPath = (endpoint: unknown, fallback: string) =>
  typeof endpoint === 'string' && /^\/?[A-Za-z0-9._~-]+$/.test(endpoint) ? (endpoint.startsWith('/') ? endpoint : `/${endpoint}`) : fallback;

/**
 * RFC 7644 §4: `/ServiceProviderConfig` and `/ResourceTypes`. A target without a readable
 * configuration is taken to declare nothing optional: no PATCH, filter or ETags (§3.5.2, §3.4.2.2
 * and §3.14 make each of them optional), and the usual endpoints with the enterprise extension.
 */
async function discover(send: Send): Promise<TargetCapabilities> {
  const configResponse = await send('read ServiceProviderConfig', 'GET', '/ServiceProviderConfig');
  const configBody = succeeded(configResponse) ? jsonBody(configResponse) : undefined;
  const config = configBody && typeof configBody === 'object' ? (configBody as JsonObject) : {};
  const filter = config.filter as JsonObject | undefined;

  const typesResponse = await send('read ResourceTypes', 'GET', '/ResourceTypes');
  const typesBody = succeeded(typesResponse) ? jsonBody(typesResponse) : undefined;
  // A ListResponse (RFC 7644 §4); some servers answer a bare array.
  const types = Array.isArray(typesBody)
    ? (typesBody as JsonObject[])
    : typesBody && typeof typesBody === 'object' && Array.isArray((typesBody as JsonObject).Resources)
      ? ((typesBody as JsonObject).Resources as JsonObject[])
      : [];
  const userType = types.find((type) => type?.name === 'User');
  const groupType = types.find((type) => type?.name === 'Group');
  const extensions = Array.isArray(userType?.schemaExtensions) ? (userType.schemaExtensions as JsonObject[]) : undefined;

  return {
    patch: supported(config, 'patch'),
    filter: supported(config, 'filter'),
    ...(typeof filter?.maxResults === 'number' && filter.maxResults > 0 ? { maxResults: filter.maxResults } : {}),
    etag: supported(config, 'etag'),
    usersEndpoint: endpointPath(userType?.endpoint, '/Users'),
    groupsEndpoint: endpointPath(groupType?.endpoint, '/Groups'),
    enterprise: extensions === undefined ? true : extensions.some((extension) => extension?.schema === ENTERPRISE_SCHEMA),
  };
}

/**
 * The attributes of a representation as PATCH paths: top-level attributes, and each
 * enterprise attribute under its URN-qualified path (RFC 7644 §3.10).
 */
function patchPaths(representation: JsonObject | undefined): Map<string, unknown> {
  const paths = new Map<string, unknown>();
  for (const [name, value] of Object.entries(representation ?? {})) {
    if (name === 'schemas') continue;
    if (name === ENTERPRISE_SCHEMA && value && typeof value === 'object') {
      for (const [sub, subValue] of Object.entries(value as JsonObject)) paths.set(`${ENTERPRISE_SCHEMA}:${sub}`, subValue);
    } else {
      paths.set(name, value);
    }
  }
  return paths;
}

/** `replace` for what changed, `remove` for what is gone (RFC 7644 §3.5.2.2, §3.5.2.3). */
export function userPatchOperations(previous: JsonObject | undefined, next: JsonObject): JsonObject[] {
  const before = patchPaths(previous);
  const after = patchPaths(next);
  const operations: JsonObject[] = [];
  for (const [path, value] of after) if (!isDeepStrictEqual(before.get(path), value)) operations.push({ op: 'replace', path, value });
  for (const path of before.keys()) if (!after.has(path)) operations.push({ op: 'remove', path });
  return operations;
}

export function createGenericProfile(): Profile {
  const states = new WeakMap<ProfileContext['session'], Promise<RunState>>();

  const headers = scimHeaders(GENERIC_USER_AGENT);

  /**
   * Discovery once per run against one target (its ProfileContext.session; every event has its
   * own context): a long-lived profile object serves many runs and targets, so the answer is kept
   * per session, not in the profile.
   */
  function stateFor(context: ProfileContext, send: Send, fresh = false): Promise<RunState> {
    const { session } = context;
    let state = states.get(session);
    if (!state || fresh) {
      state = discover(send).then((capabilities) => ({ capabilities, versions: new Map<string, string>() }));
      states.set(session, state);
      // A failed discovery is not kept: the next event asks again.
      state.catch(() => states.delete(session));
    }
    return state;
  }

  /** Remembers the version a response names: its ETag header, or meta.version of each resource. */
  function noteVersions(state: RunState, response: ReceivedResponse, id?: string) {
    if (id !== undefined && response.headers.etag) state.versions.set(id, response.headers.etag);
    const body = jsonBody(response);
    if (!body || typeof body !== 'object') return;
    const resources = Array.isArray((body as JsonObject).Resources) ? ((body as JsonObject).Resources as JsonObject[]) : [body as JsonObject];
    for (const resource of resources) {
      const version = (resource?.meta as JsonObject | undefined)?.version;
      if (typeof resource?.id === 'string' && typeof version === 'string') state.versions.set(resource.id, version);
    }
  }

  function client(context: ProfileContext, send: Send, state: RunState) {
    const { capabilities } = state;

    /** Sends a write on one resource, with If-Match when the target supports ETags (§3.14). */
    async function write(purpose: string, method: string, path: string, id: string, body?: string): Promise<ReceivedResponse> {
      const ifMatch = async (): Promise<HeaderList> => {
        if (!capabilities.etag) return [];
        if (!state.versions.has(id)) noteVersions(state, await send(`read version for ${purpose}`, 'GET', path), id);
        const version = state.versions.get(id);
        return version === undefined ? [] : [['If-Match', version]];
      };
      const sendWrite = async (extraHeaders: HeaderList) => send(purpose, method, path, { ...(body === undefined ? {} : { body }), extraHeaders });
      let extraHeaders = await ifMatch();
      let response = await sendWrite(extraHeaders);
      if (response.status === 412 && extraHeaders.length > 0) {
        // The resource changed since its version was read (a group membership changes a member's
        // version too): read it again and retry once, as RFC 7644 §3.14's 412 asks a client to.
        state.versions.delete(id);
        extraHeaders = await ifMatch();
        response = await sendWrite(extraHeaders);
      }
      requireSuccess(response, purpose);
      if (method === 'DELETE') state.versions.delete(id);
      else noteVersions(state, response, id);
      return response;
    }

    /** The one resource whose attribute equals the value: a filter (§3.4.2.2), or every page matched here. */
    async function findOne(endpoint: string, attribute: string, value: string, what: string): Promise<JsonObject | undefined> {
      if (capabilities.filter) {
        const response = await send(what, 'GET', endpoint, { query: `filter=${percentEncode(eqFilter(attribute, value))}` });
        noteVersions(state, response);
        return singleMatch(listPage(response, what), what);
      }
      const pageSize = Math.min(PAGE_SIZE, capabilities.maxResults ?? PAGE_SIZE);
      const all = await readAllPages(send, endpoint, pageSize, what);
      for (const resource of all) {
        const version = (resource.meta as JsonObject | undefined)?.version;
        if (typeof resource.id === 'string' && typeof version === 'string') state.versions.set(resource.id, version);
      }
      return singleMatch({ resources: all.filter((resource) => sameText(resource[attribute], value)), totalResults: 0, startIndex: 1, itemsPerPage: 0 }, what);
    }

    const userBody = (person: Person, links: TargetLinks) => rfcUser(person, links, { externalId: true, enterprise: capabilities.enterprise });
    const userPath = (id: string) => `${capabilities.usersEndpoint}/${id}`;
    const groupPath = (id: string) => `${capabilities.groupsEndpoint}/${id}`;

    /** Brings the target's user up to the IdP's: PATCH of what changed, or PUT of the whole. */
    async function syncUser(key: string, event: IdpEvent['type']) {
      const link = userLink(context.links, key, event);
      const body = userBody(context.directory.person(key), context.links);
      if (!capabilities.patch) {
        await write('replace user', 'PUT', userPath(link.id), link.id, JSON.stringify(body));
      } else {
        const operations = userPatchOperations(link.lastSent, body);
        if (operations.length > 0) await write('update user', 'PATCH', userPath(link.id), link.id, patchBody(operations));
      }
      link.active = body.active as boolean;
      link.lastSent = body;
    }

    /** Activates or deactivates: `replace` of `active` alone, or a PUT of the whole user. */
    async function setActive(key: string, event: IdpEvent['type'], active: boolean) {
      const link = userLink(context.links, key, event);
      const body = { ...userBody(context.directory.person(key), context.links), active };
      const purpose = active ? 'activate user' : 'deactivate user';
      if (capabilities.patch) await write(purpose, 'PATCH', userPath(link.id), link.id, patchBody([{ op: 'replace', path: 'active', value: active }]));
      else await write(purpose, 'PUT', userPath(link.id), link.id, JSON.stringify(body));
      link.active = active;
      // After a PATCH of `active` alone, the target holds what was sent before plus that.
      link.lastSent = capabilities.patch && link.lastSent ? { ...link.lastSent, active } : body;
    }

    const assignUser = (key: string) =>
      assignWithLookup(context, key, {
        find: (person) => findOne(capabilities.usersEndpoint, 'userName', person.userName, 'lookup by userName'),
        body: (person) => userBody(person, context.links),
        create: async (body) => {
          const response = await send('create user', 'POST', capabilities.usersEndpoint, { body: JSON.stringify(body) });
          const id = createdId(response, 'create user');
          noteVersions(state, response, id);
          return id;
        },
        update: (linked) => syncUser(linked, 'assignUser'),
      });

    const groupBody = (group: IdpGroup, ids: readonly string[]) => ({ schemas: [GROUP_SCHEMA], externalId: group.objectId, displayName: group.displayName, members: memberValues(ids) });

    async function syncGroup(group: IdpGroup) {
      const link = groupLink(context.links, group.key, 'pushGroup');
      const update = groupUpdate(context.links, group, link);
      if (update.operations.length === 0) return;
      if (capabilities.patch) {
        await write('update group', 'PATCH', groupPath(link.id), link.id, patchBody(update.operations));
      } else {
        await write('replace group', 'PUT', groupPath(link.id), link.id, JSON.stringify(groupBody(group, update.wanted.map((m) => m.id))));
      }
      update.sent();
    }

    async function pushGroup(group: IdpGroup) {
      if (!context.links.groups[group.key]) {
        const found = await findOne(capabilities.groupsEndpoint, 'displayName', group.displayName, 'lookup group by displayName');
        if (!found) {
          const wanted = membershipChanges(context.links, group.members, []).wanted;
          const response = await send('create group', 'POST', capabilities.groupsEndpoint, { body: JSON.stringify(groupBody(group, wanted.map((m) => m.id))) });
          const id = createdId(response, 'create group');
          noteVersions(state, response, id);
          context.links.groups[group.key] = { id, displayName: group.displayName, members: wanted.map((m) => m.key) };
          return;
        }
        context.links.groups[group.key] = foundGroupLink(found, context.links);
      }
      await syncGroup(group);
    }

    return { write, assignUser, syncUser, setActive, pushGroup, syncGroup, userBody, userPath, groupPath };
  }

  return {
    name: 'generic',
    title: 'Generic RFC 7644 client',
    summary: 'reads /ServiceProviderConfig and /ResourceTypes, then uses PATCH or PUT, filters or paged lists, and If-Match as the target declares',
    sources: SOURCES,
    retryPolicy: RFC_RETRY_POLICY,
    headers,
    async handle(event, context) {
      // RFC 6585 §4: a 429's Retry-After says when to try again; an exact client waits for it.
      const send = sender(context, headers);
      if (event.type === 'testConnection') {
        await stateFor(context, send, true);
        // Discovery may be open to anyone (RFC 7644 §4); a read of one user proves the credentials.
        const state = await stateFor(context, send);
        listPage(await send('read one user', 'GET', state.capabilities.usersEndpoint, { query: 'startIndex=1&count=1' }), 'connection test');
        return;
      }
      const state = await stateFor(context, send);
      const scim = client(context, send, state);
      switch (event.type) {
        case 'assignUser':
          return scim.assignUser(event.user);
        case 'updateUser':
          return scim.syncUser(event.user, event.type);
        case 'deactivateUser':
        case 'reactivateUser':
          return scim.setActive(event.user, event.type, event.type === 'reactivateUser');
        case 'unassignUser':
          // RFC 7644 says nothing of assignment; like the IdPs it is modelled on, the user is kept and deactivated.
          await scim.setActive(event.user, event.type, false);
          context.links.users[event.user]!.assigned = false;
          return;
        case 'deleteUser': {
          const link = userLink(context.links, event.user, event.type);
          await scim.write('delete user', 'DELETE', scim.userPath(link.id), link.id);
          forgetUser(context.links, event.user);
          return;
        }
        case 'pushGroup':
          return scim.pushGroup(context.directory.group(event.group));
        case 'renameGroup':
        case 'addMembers':
        case 'removeMembers':
          groupLink(context.links, event.group, event.type);
          return scim.syncGroup(context.directory.group(event.group));
        case 'deleteGroup': {
          const link = groupLink(context.links, event.group, event.type);
          await scim.write('delete group', 'DELETE', scim.groupPath(link.id), link.id);
          delete context.links.groups[event.group];
          return;
        }
        case 'importUsers':
        case 'importGroups':
          return importAndLink(send, context, event.type, Math.min(PAGE_SIZE, state.capabilities.maxResults ?? PAGE_SIZE), state.capabilities);
        case 'syncCycle':
          return syncChanged(context, {
            userBody: (person) => scim.userBody(person, context.links),
            updateUser: (key) => scim.syncUser(key, event.type),
            syncGroup: (key) => scim.syncGroup(context.directory.group(key)),
          });
      }
    },
  };
}

export const genericProfile = createGenericProfile();
