/**
 * Open WebUI's experimental SCIM 2.0 router as its code behaves, mounted at `/api/v1/scim/v2`.
 * Cited by function: open_webui routers/scim.py (every endpoint, `get_scim_auth`, `user_to_scim`,
 * `group_to_scim`, `scim_error`). Users are Open WebUI accounts (`email`, `name`, `role`, where the
 * role "pending" means inactive); groups keep a plain list of user ids.
 */
import { randomUUID } from 'node:crypto';
import {
  type Check,
  type PydanticError,
  anything,
  bool,
  fastapiJson,
  fastapiUnrouted,
  httpException,
  internalServerError,
  list,
  model,
  noContent,
  optional,
  parseJsonBody,
  pythonIsoformat,
  queryInt,
  queryStr,
  required,
  str,
  validateBody,
  validationFailed,
} from './fastapi.js';
import type { PracticeDirectory, PracticeOptions, PracticeProvider } from './practice.js';
import { bodyText, originOf, queryPairs, rawTargetOf } from './raw-target.js';
import { type Route, routeHandlers } from './routes.js';

const BASE_PATH = '/api/v1/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface WebuiUser {
  readonly id: string;
  name: string;
  email: string;
  role: 'admin' | 'user' | 'pending';
  profile_image_url: string;
  /** Epoch seconds, as Open WebUI stores them. */
  readonly created_at: number;
  updated_at: number;
  readonly sequence: number;
}

interface WebuiGroup {
  readonly id: string;
  name: string;
  user_ids: string[];
  readonly created_at: number;
  updated_at: number;
  readonly sequence: number;
}

type Json = Record<string, unknown>;

// routers/scim.py: the request models (`SCIMUserCreateRequest`, `SCIMUserUpdateRequest`, …).
const scimName = model({
  formatted: optional(str),
  familyName: optional(str),
  givenName: optional(str),
  middleName: optional(str),
  honorificPrefix: optional(str),
  honorificSuffix: optional(str),
});
const scimEmail = model({ value: required(str), type: optional(str, 'work'), primary: optional(bool, true), display: optional(str) });
const scimPhoto = model({ value: required(str), type: optional(str, 'photo'), primary: optional(bool, true), display: optional(str) });
const userCreate = model({
  schemas: optional(list(str), [USER_SCHEMA]),
  externalId: optional(str),
  userName: required(str),
  name: optional(scimName),
  // Required, though RFC 7643 makes both optional: an IdP that omits either gets a 422.
  displayName: required(str),
  emails: required(list(scimEmail)),
  active: optional(bool, true),
  password: optional(str),
  photos: optional(list(scimPhoto)),
});
const userUpdate = model({
  schemas: optional(list(str), [USER_SCHEMA]),
  id: optional(str),
  externalId: optional(str),
  userName: optional(str),
  name: optional(scimName),
  displayName: optional(str),
  emails: optional(list(scimEmail)),
  active: optional(bool),
  photos: optional(list(scimPhoto)),
});
const groupMember = model(
  { value: required(str), ref: optional(str), type: optional(str, 'User'), display: optional(str) },
  { ref: '$ref' },
);
const groupCreate = model({ schemas: optional(list(str), [GROUP_SCHEMA]), displayName: required(str), members: optional(list(groupMember), []) });
const groupUpdate = model({ schemas: optional(list(str), [GROUP_SCHEMA]), displayName: optional(str), members: optional(list(groupMember)) });
// `value: Optional[Any]`: the value is never checked, so Entra's "False" reaches the handler as a string.
const patchRequest = model({
  schemas: optional(list(str)),
  Operations: required(list(model({ op: required(str), path: optional(str), value: optional(anything) }))),
});

/** Python truthiness, which `patch_user` applies to the `active` value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

export function createOpenWebuiPractice(options: PracticeOptions = {}): PracticeProvider {
  const token = options.token ?? 'practice-open-webui-scim-token';
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const seconds = () => Math.floor(now().getTime() / 1000);
  const users = new Map<string, WebuiUser>();
  const groups = new Map<string, WebuiGroup>();
  let sequence = 0;

  // An Open WebUI instance always has its first sign-up as admin; `create_group` needs one
  // (`Users.get_super_admin_user()`), and it shows in the user list like any account.
  const adminAt = seconds();
  users.set('practice-admin', {
    id: 'practice-admin',
    name: 'Practice Admin',
    email: 'admin@open-webui.practice',
    role: 'admin',
    profile_image_url: '/user.png',
    created_at: adminAt,
    updated_at: adminAt,
    sequence: ++sequence,
  });

  /** routers/scim.py `get_scim_auth`: HTTPException details, 401. */
  function refusal(request: Request): Response | undefined {
    const authorization = request.headers.get('authorization');
    if (!authorization) return httpException(401, 'Authorization header required', { 'www-authenticate': 'Bearer' });
    const parts = authorization.split(/\s+/).filter((part) => part !== '');
    if (parts.length !== 2) return httpException(401, 'Invalid authorization format. Expected: Bearer ');
    if ((parts[0] as string).toLowerCase() !== 'bearer') return httpException(401, 'Invalid authentication scheme');
    if (parts[1] !== token) return httpException(401, 'Invalid SCIM token');
    return undefined;
  }

  /** JSON decoding, then the `Depends(get_scim_auth)` dependency, then query and body validation. */
  async function prepare(
    request: Request,
    checks: { readonly body?: Check; readonly paging?: boolean },
  ): Promise<{ response: Response } | { body: Json; startIndex: number; count: number; filter: string | undefined }> {
    const parsed = parseJsonBody(checks.body ? await bodyText(request) : '');
    if (!parsed.ok) return { response: parsed.response };
    const denied = refusal(request);
    if (denied) return { response: denied };
    const errors: PydanticError[] = [];
    const pairs = queryPairs(rawTargetOf(request).query);
    // `get_users`/`get_groups`: `count: int = Query(20, ge=1, le=100)`.
    const startIndex = checks.paging ? queryInt(pairs, 'startIndex', 1, { ge: 1 }, errors) : 1;
    const count = checks.paging ? queryInt(pairs, 'count', 20, { ge: 1, le: 100 }, errors) : 20;
    const body = checks.body ? (validateBody(parsed.value, checks.body, errors) as Json) : {};
    if (errors.length > 0) return { response: validationFailed(errors) };
    return { body, startIndex, count, filter: queryStr(pairs, 'filter') };
  }

  const iso = (epochSeconds: number) => pythonIsoformat(new Date(epochSeconds * 1000), false);

  /** routers/scim.py `user_to_scim` (every Optional field rendered, null included, as response_model does). */
  function userResource(user: WebuiUser, origin: string): Json {
    const space = user.name.indexOf(' ');
    const givenName = user.name ? (space < 0 ? user.name : user.name.slice(0, space)) : '';
    const familyName = user.name && space >= 0 ? user.name.slice(space + 1) : '';
    const memberOf = [...groups.values()].filter((group) => group.user_ids.includes(user.id));
    return {
      schemas: [USER_SCHEMA],
      id: user.id,
      externalId: null,
      // The email, whatever userName the IdP sent.
      userName: user.email,
      name: { formatted: user.name, familyName, givenName, middleName: null, honorificPrefix: null, honorificSuffix: null },
      displayName: user.name,
      emails: [{ value: user.email, type: 'work', primary: true, display: null }],
      active: user.role !== 'pending',
      photos: user.profile_image_url ? [{ value: user.profile_image_url, type: 'photo', primary: true, display: null }] : null,
      groups:
        memberOf.length > 0
          ? memberOf.map((group) => ({ value: group.id, display: group.name, $ref: `${origin}/api/v1/scim/v2/Groups/${group.id}`, type: 'direct' }))
          : null,
      meta: {
        resourceType: 'User',
        created: iso(user.created_at),
        lastModified: iso(user.updated_at),
        location: `${origin}/api/v1/scim/v2/Users/${user.id}`,
        version: null,
      },
    };
  }

  /** routers/scim.py `group_to_scim`: ids that are not users are left out of the response. */
  function groupResource(group: WebuiGroup, origin: string): Json {
    const members = group.user_ids
      .map((id) => users.get(id))
      .filter((user): user is WebuiUser => user !== undefined)
      .map((user) => ({ value: user.id, $ref: `${origin}/api/v1/scim/v2/Users/${user.id}`, type: 'User', display: user.name }));
    return {
      schemas: [GROUP_SCHEMA],
      id: group.id,
      displayName: group.name,
      members,
      meta: {
        resourceType: 'Group',
        created: iso(group.created_at),
        lastModified: iso(group.updated_at),
        location: `${origin}/api/v1/scim/v2/Groups/${group.id}`,
        version: null,
      },
    };
  }

  const listResponse = (total: number, startIndex: number, resources: Json[]): Json => ({
    schemas: [LIST_SCHEMA],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  });

  /** Models `Users.get_user_by_email`: the account store compares emails case-insensitively. */
  const userByEmail = (address: string) => [...users.values()].find((user) => user.email.toLowerCase() === address.toLowerCase());

  function update(user: WebuiUser, changes: Partial<Pick<WebuiUser, 'name' | 'email' | 'role' | 'profile_image_url'>>): void {
    Object.assign(user, changes);
    user.updated_at = seconds();
  }

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/ServiceProviderConfig',
      // `get_service_provider_config`: no authentication at all on the three discovery routes.
      handle: () =>
        fastapiJson(200, {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
          patch: { supported: true },
          bulk: { supported: false, maxOperations: 1000, maxPayloadSize: 1048576 },
          filter: { supported: true, maxResults: 200 },
          changePassword: { supported: false },
          sort: { supported: false },
          etag: { supported: false },
          authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication using OAuth 2.0 Bearer Token' }],
        }),
    },
    {
      method: 'GET',
      path: '/ResourceTypes',
      // `get_resource_types`: a bare JSON array, not a ListResponse.
      handle: (request) => {
        const origin = originOf(request);
        return fastapiJson(
          200,
          (['User', 'Group'] as const).map((kind) => ({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
            id: kind,
            name: kind,
            endpoint: `/${kind}s`,
            schema: kind === 'User' ? USER_SCHEMA : GROUP_SCHEMA,
            meta: { location: `${origin}/api/v1/scim/v2/ResourceTypes/${kind}`, resourceType: 'ResourceType' },
          })),
        );
      },
    },
    {
      method: 'GET',
      path: '/Schemas',
      // `get_schemas`: a bare JSON array of two abridged schemas.
      handle: () =>
        fastapiJson(200, [
          {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
            id: USER_SCHEMA,
            name: 'User',
            description: 'User Account',
            attributes: [
              { name: 'userName', type: 'string', required: true, uniqueness: 'server' },
              { name: 'displayName', type: 'string', required: true },
              { name: 'emails', type: 'complex', multiValued: true, required: true },
              { name: 'active', type: 'boolean', required: false },
            ],
          },
          {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
            id: GROUP_SCHEMA,
            name: 'Group',
            description: 'Group',
            attributes: [
              { name: 'displayName', type: 'string', required: true },
              { name: 'members', type: 'complex', multiValued: true, required: false },
            ],
          },
        ]),
    },
    {
      method: 'GET',
      path: '/Users',
      // `get_users`
      async handle(request) {
        const ready = await prepare(request, { paging: true });
        if ('response' in ready) return ready.response;
        const origin = originOf(request);
        const filter = ready.filter;
        if (filter && filter.includes('userName eq')) {
          // `filter.split('"')[1]`: the text between the first two quotes; no quote is an
          // IndexError, which nothing catches.
          const quoted = filter.split('"');
          if (quoted.length < 2) return internalServerError();
          const user = userByEmail(quoted[1] as string);
          return fastapiJson(200, listResponse(user ? 1 : 0, ready.startIndex, user ? [userResource(user, origin)] : []));
        }
        // Any other filter is ignored: every user, paged (`Users.get_users`, newest first).
        const all = [...users.values()].sort((a, b) => b.created_at - a.created_at || b.sequence - a.sequence);
        const page = all.slice(ready.startIndex - 1, ready.startIndex - 1 + ready.count);
        return fastapiJson(200, listResponse(all.length, ready.startIndex, page.map((user) => userResource(user, origin))));
      },
    },
    {
      method: 'GET',
      path: '/Users/:id',
      // `get_user`: the only route whose 404 is a SCIM Error (`scim_error`, scimType invalidValue).
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const user = users.get(params['id'] ?? '');
        if (!user) return fastapiJson(404, { schemas: [ERROR_SCHEMA], status: '404', detail: `User ${params['id']} not found`, scimType: 'invalidValue' });
        return fastapiJson(200, userResource(user, originOf(request)));
      },
    },
    {
      method: 'POST',
      path: '/Users',
      // `create_user`
      async handle(request) {
        const ready = await prepare(request, { body: userCreate });
        if ('response' in ready) return ready.response;
        const body = ready.body;
        const userName = body['userName'] as string;
        // The duplicate check looks up the userName among the emails; the account takes the first
        // email, so a userName that is not the email is lost (and never found by the filter).
        if (userByEmail(userName)) return httpException(409, `User with email ${userName} already exists`);
        const emails = body['emails'] as Json[];
        const nameObject = body['name'] as Json | null;
        let name = body['displayName'] as string;
        if (nameObject) {
          if (nameObject['formatted']) name = nameObject['formatted'] as string;
          else if (nameObject['givenName'] || nameObject['familyName']) {
            name = `${(nameObject['givenName'] as string | null) ?? ''} ${(nameObject['familyName'] as string | null) ?? ''}`.trim();
          }
        }
        const photos = body['photos'] as Json[] | null;
        const at = seconds();
        const user: WebuiUser = {
          id: newId(),
          name,
          email: emails.length > 0 ? (emails[0]?.['value'] as string) : userName,
          profile_image_url: photos && photos.length > 0 ? (photos[0]?.['value'] as string) : '/user.png',
          role: body['active'] ? 'user' : 'pending',
          created_at: at,
          updated_at: at,
          sequence: ++sequence,
        };
        users.set(user.id, user);
        return fastapiJson(201, userResource(user, originOf(request)));
      },
    },
    {
      method: 'PUT',
      path: '/Users/:id',
      // `update_user`: a partial update despite the verb; what is absent is kept.
      async handle(request, params) {
        const ready = await prepare(request, { body: userUpdate });
        if ('response' in ready) return ready.response;
        const user = users.get(params['id'] ?? '');
        if (!user) return httpException(404, `User ${params['id']} not found`);
        const body = ready.body;
        const changes: Partial<Pick<WebuiUser, 'name' | 'email' | 'role' | 'profile_image_url'>> = {};
        if (body['userName']) changes.email = body['userName'] as string;
        const nameObject = body['name'] as Json | null;
        if (body['displayName']) changes.name = body['displayName'] as string;
        else if (nameObject) {
          if (nameObject['formatted']) changes.name = nameObject['formatted'] as string;
          else if (nameObject['givenName'] || nameObject['familyName']) {
            changes.name = `${(nameObject['givenName'] as string | null) ?? ''} ${(nameObject['familyName'] as string | null) ?? ''}`.trim();
          }
        }
        const emails = body['emails'] as Json[] | null;
        if (emails && emails.length > 0) changes.email = emails[0]?.['value'] as string;
        if (body['active'] !== null) changes.role = body['active'] ? 'user' : 'pending';
        const photos = body['photos'] as Json[] | null;
        if (photos && photos.length > 0) changes.profile_image_url = photos[0]?.['value'] as string;
        update(user, changes);
        return fastapiJson(200, userResource(user, originOf(request)));
      },
    },
    {
      method: 'PATCH',
      path: '/Users/:id',
      // `patch_user`
      async handle(request, params) {
        const ready = await prepare(request, { body: patchRequest });
        if ('response' in ready) return ready.response;
        const user = users.get(params['id'] ?? '');
        if (!user) return httpException(404, `User ${params['id']} not found`);
        const changes: Partial<Pick<WebuiUser, 'name' | 'email' | 'role'>> = {};
        for (const operation of ready.body['Operations'] as Json[]) {
          const op = (operation['op'] as string).toLowerCase();
          const path = operation['path'] as string | null;
          const value = operation['value'];
          // Only `replace`, only these exact paths. `add`/`remove` and every path-less operation
          // (Okta's `{"op": "replace", "value": {"active": false}}`) are skipped without a word.
          if (op !== 'replace') continue;
          // `"user" if value else "pending"`: Python truthiness, so Entra's "False" is true.
          if (path === 'active') changes.role = truthy(value) ? 'user' : 'pending';
          else if (path === 'userName' || path === 'emails[primary eq true].value') changes.email = value as string;
          else if (path === 'displayName' || path === 'name.formatted') changes.name = value as string;
        }
        if (Object.keys(changes).length > 0) update(user, changes);
        return fastapiJson(200, userResource(user, originOf(request)));
      },
    },
    {
      method: 'DELETE',
      path: '/Users/:id',
      // `delete_user`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const id = params['id'] ?? '';
        if (!users.has(id)) return httpException(404, `User ${id} not found`);
        users.delete(id);
        for (const group of groups.values()) group.user_ids = group.user_ids.filter((member) => member !== id);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/Groups',
      // `get_groups`: `filter` is accepted and never read; every group, paged.
      async handle(request) {
        const ready = await prepare(request, { paging: true });
        if ('response' in ready) return ready.response;
        const origin = originOf(request);
        const all = [...groups.values()].sort((a, b) => b.updated_at - a.updated_at || b.sequence - a.sequence);
        const page = all.slice(ready.startIndex - 1, ready.startIndex - 1 + ready.count);
        return fastapiJson(200, listResponse(all.length, ready.startIndex, page.map((group) => groupResource(group, origin))));
      },
    },
    {
      method: 'GET',
      path: '/Groups/:id',
      // `get_group`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const group = groups.get(params['id'] ?? '');
        if (!group) return httpException(404, `Group ${params['id']} not found`);
        return fastapiJson(200, groupResource(group, originOf(request)));
      },
    },
    {
      method: 'POST',
      path: '/Groups',
      // `create_group`: member ids are stored as given, users or not; names need not be unique.
      async handle(request) {
        const ready = await prepare(request, { body: groupCreate });
        if ('response' in ready) return ready.response;
        const at = seconds();
        const group: WebuiGroup = {
          id: newId(),
          name: ready.body['displayName'] as string,
          user_ids: ((ready.body['members'] as Json[] | null) ?? []).map((member) => member['value'] as string),
          created_at: at,
          updated_at: at,
          sequence: ++sequence,
        };
        groups.set(group.id, group);
        return fastapiJson(201, groupResource(group, originOf(request)));
      },
    },
    {
      method: 'PUT',
      path: '/Groups/:id',
      // `update_group`: the name when given, the members when the list is present.
      async handle(request, params) {
        const ready = await prepare(request, { body: groupUpdate });
        if ('response' in ready) return ready.response;
        const group = groups.get(params['id'] ?? '');
        if (!group) return httpException(404, `Group ${params['id']} not found`);
        if (ready.body['displayName']) group.name = ready.body['displayName'] as string;
        const members = ready.body['members'] as Json[] | null;
        if (members !== null) group.user_ids = members.map((member) => member['value'] as string);
        group.updated_at = seconds();
        return fastapiJson(200, groupResource(group, originOf(request)));
      },
    },
    {
      method: 'PATCH',
      path: '/Groups/:id',
      // `patch_group`
      async handle(request, params) {
        const ready = await prepare(request, { body: patchRequest });
        if ('response' in ready) return ready.response;
        const group = groups.get(params['id'] ?? '');
        if (!group) return httpException(404, `Group ${params['id']} not found`);
        let name = group.name;
        const ids = [...group.user_ids];
        for (const operation of ready.body['Operations'] as Json[]) {
          const op = (operation['op'] as string).toLowerCase();
          const path = operation['path'] as string | null;
          const value = operation['value'];
          if (op === 'replace') {
            if (path === 'displayName') name = value as string;
            else if (path === 'members') {
              // `[member["value"] for member in value]`: anything but a list of objects with a
              // value raises, and nothing catches it.
              if (!Array.isArray(value) || !value.every((member) => typeof member === 'object' && member !== null && 'value' in member)) {
                return internalServerError();
              }
              ids.splice(0, ids.length, ...value.map((member: Json) => member['value'] as string));
            }
            // Okta's path-less `{"op": "replace", "value": {"id": …, "displayName": …}}` (its rename)
            // matches neither path and is skipped.
          } else if (op === 'add') {
            if (path === 'members' && Array.isArray(value)) {
              for (const member of value) {
                if (typeof member === 'object' && member !== null && 'value' in member && !ids.includes((member as Json)['value'] as string)) {
                  ids.push((member as Json)['value'] as string);
                }
              }
            }
          } else if (op === 'remove') {
            // Only `members[value eq "…"]`; Entra's `{"op": "Remove", "path": "members", "value":
            // [{"value": …}]}` has the path `members` and is skipped: nobody is removed.
            if (path && path.startsWith('members[value eq')) {
              const quoted = path.split('"');
              if (quoted.length < 2) return internalServerError();
              const index = ids.indexOf(quoted[1] as string);
              if (index >= 0) ids.splice(index, 1);
            }
          }
        }
        group.name = name;
        group.user_ids = ids;
        group.updated_at = seconds();
        return fastapiJson(200, groupResource(group, originOf(request)));
      },
    },
    {
      method: 'DELETE',
      path: '/Groups/:id',
      // `delete_group`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const id = params['id'] ?? '';
        if (!groups.has(id)) return httpException(404, `Group ${id} not found`);
        groups.delete(id);
        return noContent();
      },
    },
  ];

  return {
    name: 'open-webui',
    title: 'Open WebUI',
    basePath: BASE_PATH,
    token,
    handlers: routeHandlers(BASE_PATH, routes, (_request, allowed) => fastapiUnrouted(allowed)),
    directory(): PracticeDirectory {
      return {
        users: [...users.values()].map((user) => ({ id: user.id, userName: user.email, active: user.role !== 'pending' })),
        groups: [...groups.values()].map((group) => ({ id: group.id, displayName: group.name, members: [...group.user_ids] })),
      };
    },
  };
}
