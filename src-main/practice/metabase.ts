/**
 * Metabase Enterprise's SCIM v2 API as its code behaves, mounted at `/api/ee/scim/v2`. Cited by
 * function from metabase-enterprise.scim.v2.api (enterprise/backend/src/metabase_enterprise/scim/v2/api.clj):
 * the `defendpoint`s, `user-filter-clause`, `group-filter-clause`, `update-group-membership`,
 * `throw-scim-error`; and metabase-enterprise.scim.auth `+scim-auth`. Users are Metabase accounts
 * (`email`, `first_name`, `last_name`, `is_active`), groups are permission groups; the built-in
 * "All Users" and "Administrators" groups are invisible to SCIM.
 */
import { randomBytes } from 'node:crypto';
import { http } from 'msw';
import type { PracticeDirectory, PracticeOptions, PracticeProvider } from './practice.js';
import { bodyText, originOf, percentDecode, queryPairs, rawTargetOf } from './raw-target.js';
import { type Route, routeHandlers } from './routes.js';

const BASE_PATH = '/api/ee/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const DEFAULT_LIMIT = 100;

interface MetabaseUser {
  readonly id: number;
  readonly entity_id: string;
  first_name: string;
  last_name: string;
  email: string;
  locale: string | null;
  is_active: boolean;
}

interface MetabaseGroup {
  readonly id: number;
  readonly entity_id: string;
  name: string;
}

type Json = Record<string, unknown>;

/** Metabase's entity ids: 21-character NanoIDs. */
function nanoid(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  return [...randomBytes(21)].map((byte) => alphabet[byte % 64]).join('');
}

function json(status: number, body: unknown, contentType = 'application/json; charset=utf-8'): Response {
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

/** `scim-response`: the SCIM content type on success. */
const scimResponse = (body: unknown, status = 200) => json(status, body, 'application/scim+json');

/**
 * `throw-scim-error`: an ex-info whose data (minus `:status-code`) Metabase's API exception
 * middleware renders as the body, so `status` is a JSON number, not the string RFC 7644 asks for.
 */
const scimError = (status: number, detail: string) => json(status, { schemas: [ERROR_SCHEMA], detail, status });

/**
 * A `defendpoint` whose malli schema refused its input: 400 with `errors` (the schema's description
 * per parameter) and `specific-errors` (malli's humanized explanation). The wording of malli's
 * messages is reproduced for the cases SCIM clients hit; the structure is Metabase's.
 */
function invalidParameter(param: string, description: string, specific: unknown): Response {
  return json(400, { errors: { [param]: description }, 'specific-errors': { [param]: specific } });
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const edn = (value: unknown) => (value === undefined || value === null ? 'nil' : JSON.stringify(value));
const missing = ['missing required key, received: nil'];
const notNonBlank = (value: unknown) => [`should be a non-blank string, received: ${edn(value)}`];

/** The `SCIMUser` malli schema: the errors by key, or undefined when the user fits. */
function scimUserErrors(user: unknown): unknown {
  if (!isObject(user)) return ['invalid type'];
  const errors: Json = {};
  if (!Array.isArray(user['schemas'])) errors['schemas'] = 'schemas' in user ? ['invalid type'] : missing;
  else if (!user['schemas'].every(nonBlank)) errors['schemas'] = user['schemas'].map((item) => (nonBlank(item) ? null : notNonBlank(item)));
  if (!('userName' in user)) errors['userName'] = missing;
  else if (!nonBlank(user['userName'])) errors['userName'] = notNonBlank(user['userName']);
  const name = user['name'];
  if (!('name' in user)) errors['name'] = missing;
  else if (!isObject(name)) errors['name'] = ['invalid type'];
  else {
    const nameErrors: Json = {};
    for (const key of ['givenName', 'familyName']) {
      if (!(key in name)) nameErrors[key] = missing;
      else if (typeof name[key] !== 'string') nameErrors[key] = [`should be a string, received: ${edn(name[key])}`];
    }
    if (Object.keys(nameErrors).length > 0) errors['name'] = nameErrors;
  }
  const emails = user['emails'];
  if (!('emails' in user)) errors['emails'] = missing;
  else if (!Array.isArray(emails)) errors['emails'] = ['invalid type'];
  else {
    const each = emails.map((entry) => {
      if (!isObject(entry)) return ['invalid type'];
      const entryErrors: Json = {};
      if (!('value' in entry)) entryErrors['value'] = missing;
      else if (!nonBlank(entry['value'])) entryErrors['value'] = notNonBlank(entry['value']);
      if ('primary' in entry && typeof entry['primary'] !== 'boolean') entryErrors['primary'] = [`should be a boolean, received: ${edn(entry['primary'])}`];
      return Object.keys(entryErrors).length > 0 ? entryErrors : null;
    });
    if (each.some((entry) => entry !== null)) errors['emails'] = each;
  }
  if ('active' in user && typeof user['active'] !== 'boolean') errors['active'] = [`should be a boolean, received: ${edn(user['active'])}`];
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** The `SCIMGroup` malli schema. */
function scimGroupErrors(group: unknown): unknown {
  if (!isObject(group)) return ['invalid type'];
  const errors: Json = {};
  if (!Array.isArray(group['schemas'])) errors['schemas'] = 'schemas' in group ? ['invalid type'] : missing;
  if (!('displayName' in group)) errors['displayName'] = missing;
  else if (!nonBlank(group['displayName'])) errors['displayName'] = notNonBlank(group['displayName']);
  if ('members' in group) {
    const members = group['members'];
    if (!Array.isArray(members)) errors['members'] = ['invalid type'];
    else {
      const each = members.map((member) => (isObject(member) && nonBlank(member['value']) ? null : isObject(member) ? { value: 'value' in member ? notNonBlank(member['value']) : missing } : ['invalid type']));
      if (each.some((entry) => entry !== null)) errors['members'] = each;
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * The `UserPatch` malli schema: every operation needs `op` and a `value` that is a non-blank string
 * or a boolean. Okta's path-less `{"op": "replace", "value": {"active": false}}` fails here.
 */
function userPatchErrors(patch: unknown): unknown {
  if (!isObject(patch)) return ['invalid type'];
  const errors: Json = {};
  if (!Array.isArray(patch['schemas'])) errors['schemas'] = 'schemas' in patch ? ['invalid type'] : missing;
  const operations = patch['Operations'];
  if (!('Operations' in patch)) errors['Operations'] = missing;
  else if (!Array.isArray(operations)) errors['Operations'] = ['invalid type'];
  else {
    const each = operations.map((operation) => {
      if (!isObject(operation)) return ['invalid type'];
      const operationErrors: Json = {};
      if (!('op' in operation)) operationErrors['op'] = missing;
      else if (!nonBlank(operation['op'])) operationErrors['op'] = notNonBlank(operation['op']);
      const value = operation['value'];
      if (!('value' in operation)) operationErrors['value'] = missing;
      else if (!nonBlank(value) && typeof value !== 'boolean') {
        operationErrors['value'] = [`should be either a non-blank string or a boolean, received: ${edn(value)}`];
      }
      return Object.keys(operationErrors).length > 0 ? operationErrors : null;
    });
    if (each.some((entry) => entry !== null)) errors['Operations'] = each;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

const USER_DESCRIPTION = 'map where {:schemas -> <sequence of value must be a non-blank string.>, :userName -> <value must be a non-blank string.>, :name -> <map where {:givenName -> <string>, :familyName -> <string>}>, :emails -> <sequence of map where {:value -> <value must be a non-blank string.>, :type (optional) -> <value must be a non-blank string.>, :primary (optional) -> <boolean>}>, :active (optional) -> <boolean>}';
const GROUP_DESCRIPTION = 'map where {:schemas -> <sequence of value must be a non-blank string.>, :displayName -> <value must be a non-blank string.>, :members (optional) -> <sequence of map where {:value -> <value must be a non-blank string.>, :$ref (optional) -> <value must be a non-blank string.>}>}';
const PATCH_DESCRIPTION = 'map where {:schemas -> <sequence of value must be a non-blank string.>, :Operations -> <sequence of map where {:op -> <value must be a non-blank string.>, :value -> <value must be a non-blank string., or value must be a valid boolean string (\'true\' or \'false\').>}>}';
const POSITIVE_INT = 'nullable value must be an integer greater than zero.';

export function createMetabasePractice(options: PracticeOptions = {}): PracticeProvider {
  const token = options.token ?? 'mb_practice_metabase_scim_key';
  const newId = options.newId ?? nanoid;
  const users: MetabaseUser[] = [];
  const groups: MetabaseGroup[] = [];
  /** permission_group_membership rows: group id → user ids. */
  const memberships = new Map<number, Set<number>>();
  let nextUserId = 1;
  let nextGroupId = 1;

  // The two groups every Metabase has, and the admin who set it up: SCIM lists the admin with the
  // other users, and never shows these groups (`get-group-by-entity-id`).
  const allUsers: MetabaseGroup = { id: nextGroupId++, entity_id: newId(), name: 'All Users' };
  const administrators: MetabaseGroup = { id: nextGroupId++, entity_id: newId(), name: 'Administrators' };
  groups.push(allUsers, administrators);
  memberships.set(allUsers.id, new Set());
  memberships.set(administrators.id, new Set());
  const admin: MetabaseUser = { id: nextUserId++, entity_id: newId(), first_name: 'Practice', last_name: 'Admin', email: 'admin@metabase.practice', locale: null, is_active: true };
  users.push(admin);
  memberships.get(allUsers.id)?.add(admin.id);
  memberships.get(administrators.id)?.add(admin.id);

  const managed = (group: MetabaseGroup) => group.id !== allUsers.id && group.id !== administrators.id;
  const userByEntityId = (id: string) => users.find((user) => user.entity_id === id);
  const groupByEntityId = (id: string) => groups.find((group) => group.entity_id === id && managed(group));

  /** `mb-user->scim` with `:scim_user_group_memberships` (managed groups only, by entity id). */
  function userResource(user: MetabaseUser, origin: string): Json {
    const memberOf = groups
      .filter((group) => managed(group) && memberships.get(group.id)?.has(user.id))
      .sort((a, b) => a.entity_id.localeCompare(b.entity_id));
    return {
      schemas: [USER_SCHEMA],
      id: user.entity_id,
      userName: user.email,
      name: { givenName: user.first_name, familyName: user.last_name },
      emails: [{ value: user.email, type: 'work', primary: true }],
      groups: memberOf.map((group) => ({ value: group.entity_id, $ref: `${origin}${BASE_PATH}/Groups/${group.entity_id}`, display: group.name })),
      locale: user.locale,
      active: user.is_active,
      meta: { resourceType: 'User' },
    };
  }

  /** `mb-group->scim`; `withMembers` false where the endpoint does not hydrate `:scim_group_members`. */
  function groupResource(group: MetabaseGroup, origin: string, withMembers: boolean): Json {
    const members = withMembers
      ? users
          .filter((user) => memberships.get(group.id)?.has(user.id))
          .sort((a, b) => a.entity_id.localeCompare(b.entity_id))
          .map((user) => ({ value: user.entity_id, $ref: `${origin}${BASE_PATH}/Users/${user.entity_id}`, display: user.email }))
      : [];
    return { schemas: [GROUP_SCHEMA], id: group.entity_id, members, displayName: group.name, meta: { resourceType: 'Group' } };
  }

  /** `update-group-membership`: replaces the members with the users found among the entity ids. */
  function setMembers(group: MetabaseGroup, entityIds: readonly string[]): void {
    const ids = users.filter((user) => entityIds.includes(user.entity_id)).map((user) => user.id);
    memberships.set(group.id, new Set(ids));
  }

  /** The GET list parameters: `startIndex` and `count` must be positive ints; the filter is decoded twice. */
  function listParameters(request: Request): Response | { limit: number; offset: number; filter: string | undefined } {
    const pairs = queryPairs(rawTargetOf(request).query);
    const lookup = (name: string) => [...pairs].reverse().find(([key]) => key === name)?.[1];
    const parsed: Record<string, number | undefined> = {};
    for (const [name, param] of [['startIndex', 'start-index'], ['count', 'c']] as const) {
      const given = lookup(name);
      if (given === undefined) continue;
      if (!/^\d+$/.test(given) || Number(given) < 1) return invalidParameter(param, POSITIVE_INT, [`should be a positive int, received: ${edn(given)}`]);
      parsed[name] = Number(given);
    }
    const raw = lookup('filter');
    if (raw !== undefined && raw.trim() === '') return invalidParameter('filter-param', 'nullable value must be a non-blank string.', notNonBlank(raw));
    // Ring has already form-decoded the parameter; the endpoint decodes it again (`codec/url-decode`).
    return {
      limit: parsed['count'] ?? DEFAULT_LIMIT,
      offset: parsed['startIndex'] === undefined ? 0 : parsed['startIndex'] - 1,
      filter: raw === undefined ? undefined : percentDecode(raw),
    };
  }

  const listBody = (total: number, offset: number, limit: number, resources: Json[]): Json => ({
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex: offset + 1,
    itemsPerPage: resources.length < limit ? resources.length : limit,
    Resources: resources,
  });

  async function jsonBodyOf(request: Request): Promise<unknown> {
    const text = await bodyText(request);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/Users',
      // `GET /Users`
      handle(request) {
        const params = listParameters(request);
        if (params instanceof Response) return params;
        let matching = [...users];
        if (params.filter !== undefined) {
          // `user-filter-clause`: exactly `userName eq "…"`, nothing else, or a 400.
          const match = /^userName eq "(.*)"$/.exec(params.filter);
          if (!match) return scimError(400, `Unsupported filter parameter: ${params.filter}`);
          const wanted = (match[1] as string).toLowerCase();
          matching = matching.filter((user) => user.email.toLowerCase() === wanted);
        }
        const page = matching.sort((a, b) => a.id - b.id).slice(params.offset, params.offset + params.limit);
        const origin = originOf(request);
        return scimResponse(listBody(matching.length, params.offset, params.limit, page.map((user) => userResource(user, origin))));
      },
    },
    {
      method: 'GET',
      path: '/Users/:id',
      handle(request, params) {
        const user = userByEntityId(params['id'] ?? '');
        if (!user) return scimError(404, 'User not found');
        // A single GET returns a plain map: the JSON middleware's content type, not SCIM's.
        return json(200, userResource(user, originOf(request)));
      },
    },
    {
      method: 'POST',
      path: '/Users',
      // `POST /Users`: the email is the userName (`scim-user->mb`), not `emails[0]`.
      async handle(request) {
        const body = await jsonBodyOf(request);
        const errors = scimUserErrors(body);
        if (errors !== undefined) return invalidParameter('scim-user', USER_DESCRIPTION, errors);
        const user = body as Json;
        const email = user['userName'] as string;
        if (users.some((existing) => existing.email.toLowerCase() === email.toLowerCase())) return scimError(409, 'Email address is already in use');
        const name = user['name'] as Json;
        const created: MetabaseUser = {
          id: nextUserId++,
          entity_id: newId(),
          first_name: name['givenName'] as string,
          last_name: name['familyName'] as string,
          email: email.toLowerCase(),
          locale: null,
          is_active: user['active'] === undefined ? true : (user['active'] as boolean),
        };
        users.push(created);
        memberships.get(allUsers.id)?.add(created.id);
        return scimResponse(userResource(created, originOf(request)), 201);
      },
    },
    {
      method: 'PUT',
      path: '/Users/:id',
      // `PUT /Users/:id`
      async handle(request, params) {
        const body = await jsonBodyOf(request);
        const errors = scimUserErrors(body);
        if (errors !== undefined) return invalidParameter('scim-user', USER_DESCRIPTION, errors);
        const user = body as Json;
        const current = userByEntityId(params['id'] ?? '');
        if (!current) return scimError(404, 'User not found');
        const email = ((user['emails'] as Json[])[0] ?? {})['value'];
        // Compared as given, case and all, with the stored (lower-cased) email.
        if (email !== current.email) return scimError(400, 'You may not update the email of an existing user.');
        if (user['active'] === undefined) {
          // `scim-user->mb` puts `:is_active nil` in the update, which the NOT NULL column refuses;
          // the endpoint wraps the database's message.
          return scimError(400, 'Error updating user: ERROR: null value in column "is_active" of relation "core_user" violates not-null constraint');
        }
        const name = user['name'] as Json;
        current.first_name = name['givenName'] as string;
        current.last_name = name['familyName'] as string;
        current.email = (user['userName'] as string).toLowerCase();
        current.is_active = user['active'] as boolean;
        return scimResponse(userResource(current, originOf(request)));
      },
    },
    {
      method: 'PATCH',
      path: '/Users/:id',
      // `PATCH /Users/:id`: "Supports specific replace operations, but not arbitrary patches."
      async handle(request, params) {
        const body = await jsonBodyOf(request);
        const errors = userPatchErrors(body);
        if (errors !== undefined) return invalidParameter('patch-ops', PATCH_DESCRIPTION, errors);
        const user = userByEntityId(params['id'] ?? '');
        if (!user) return scimError(404, 'User not found');
        const updates: Partial<MetabaseUser> = {};
        for (const operation of (body as Json)['Operations'] as Json[]) {
          // Anything but `replace` is skipped; a replace of any other path (or none) fails the
          // whole request, inside the transaction, so nothing of it is applied.
          if ((operation['op'] as string).toLowerCase() !== 'replace') continue;
          const value = operation['value'] as string | boolean;
          const path = operation['path'];
          if (path === 'active') updates.is_active = String(value).toLowerCase() === 'true';
          else if (path === 'userName') updates.email = String(value);
          else if (path === 'name.givenName') updates.first_name = String(value);
          else if (path === 'name.familyName') updates.last_name = String(value);
          // `(format "Unsupported path: %s" nil)` prints Java's "null" for a path-less operation.
          else return scimError(400, `Unsupported path: ${path === undefined || path === null ? 'null' : String(path)}`);
        }
        Object.assign(user, updates);
        return scimResponse(userResource(user, originOf(request)));
      },
    },
    {
      method: 'GET',
      path: '/Groups',
      // `GET /Groups`: groups are listed without their members.
      handle(request) {
        const params = listParameters(request);
        if (params instanceof Response) return params;
        let matching = groups.filter(managed);
        if (params.filter !== undefined) {
          // `group-filter-clause`: only `displayName eq "…"`; otherwise an ex-info whose only data
          // is the filter, so the 400's body is `{"filter": "…"}` and nothing else.
          const match = /^displayName eq "(.*)"$/.exec(params.filter);
          if (!match) return json(400, { filter: params.filter });
          matching = matching.filter((group) => group.name === match[1]);
        }
        const page = matching.sort((a, b) => a.id - b.id).slice(params.offset, params.offset + params.limit);
        const origin = originOf(request);
        return scimResponse(listBody(matching.length, params.offset, params.limit, page.map((group) => groupResource(group, origin, false))));
      },
    },
    {
      method: 'GET',
      path: '/Groups/:id',
      handle(request, params) {
        const group = groupByEntityId(params['id'] ?? '');
        if (!group) return scimError(404, 'Group not found');
        return json(200, groupResource(group, originOf(request), true));
      },
    },
    {
      method: 'POST',
      path: '/Groups',
      // `POST /Groups`: names are unique case-insensitively, the built-in groups' names included.
      async handle(request) {
        const body = await jsonBodyOf(request);
        const errors = scimGroupErrors(body);
        if (errors !== undefined) return invalidParameter('scim-group', GROUP_DESCRIPTION, errors);
        const group = body as Json;
        const name = group['displayName'] as string;
        if (groups.some((existing) => existing.name.toLowerCase() === name.toLowerCase())) return scimError(409, 'A group with that name already exists');
        const created: MetabaseGroup = { id: nextGroupId++, entity_id: newId(), name };
        groups.push(created);
        memberships.set(created.id, new Set());
        const entityIds = ((group['members'] as Json[] | undefined) ?? []).map((member) => member['value'] as string);
        if (entityIds.length > 0) setMembers(created, entityIds);
        return scimResponse(groupResource(created, originOf(request), true), 201);
      },
    },
    {
      method: 'PUT',
      path: '/Groups/:id',
      // `PUT /Groups/:id`: `(when (seq entity-ids) …)`, so an empty member list changes nothing.
      async handle(request, params) {
        const body = await jsonBodyOf(request);
        const errors = scimGroupErrors(body);
        if (errors !== undefined) return invalidParameter('scim-group', GROUP_DESCRIPTION, errors);
        const group = groupByEntityId(params['id'] ?? '');
        if (!group) return scimError(404, 'Group not found');
        group.name = (body as Json)['displayName'] as string;
        const entityIds = (((body as Json)['members'] as Json[] | undefined) ?? []).map((member) => member['value'] as string);
        if (entityIds.length > 0) setMembers(group, entityIds);
        return scimResponse(groupResource(group, originOf(request), true));
      },
    },
    {
      method: 'DELETE',
      path: '/Groups/:id',
      handle(_request, params) {
        const group = groupByEntityId(params['id'] ?? '');
        if (!group) return scimError(404, 'Group not found');
        groups.splice(groups.indexOf(group), 1);
        memberships.delete(group.id);
        return new Response(null, { status: 204, headers: { 'content-type': 'application/scim+json' } });
      },
    },
  ];

  // No DELETE /Users/:id and no PATCH /Groups/:id: Compojure matches no route, and Metabase's API
  // answers any unknown endpoint with the same plain-text 404, whatever the method.
  const handlers = [
    // `+scim-auth` wraps the whole SCIM router: authentication comes before routing.
    http.all('*', ({ request }) => metabaseRefusal(request, token)),
    ...routeHandlers(BASE_PATH, routes, () => new Response('API endpoint does not exist.', { status: 404, headers: { 'content-type': 'text/plain' } })),
  ];

  return {
    name: 'metabase',
    title: 'Metabase',
    basePath: BASE_PATH,
    token,
    handlers,
    directory(): PracticeDirectory {
      return {
        users: users.map((user) => ({ id: user.entity_id, userName: user.email, active: user.is_active })),
        groups: groups.filter(managed).map((group) => ({
          id: group.entity_id,
          displayName: group.name,
          members: users.filter((user) => memberships.get(group.id)?.has(user.id)).map((user) => user.entity_id),
        })),
      };
    },
  };
}

/** `+scim-auth`: `Bearer (.*)` matched against the header; anything else is the plain 401. */
function metabaseRefusal(request: Request, token: string): Response | undefined {
  const match = /^Bearer (.*)$/s.exec(request.headers.get('authorization') ?? '');
  if (match && match[1] === token) return undefined;
  return new Response('Unauthenticated', { status: 401, headers: { 'content-type': 'text/plain' } });
}
