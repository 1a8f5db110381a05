/**
 * LiteLLM proxy's SCIM v2 endpoint as its code behaves: FastAPI router `scim_router` mounted at
 * `/scim/v2`, users and teams in Prisma tables, the proxy's API-key auth. Every quirk an IdP trips
 * on is cited by file and function: litellm proxy/management_endpoints/scim/scim_v2.py (the
 * endpoints), …/scim/scim_transformations.py (`ScimTransformations`, the response bodies),
 * types/proxy/management_endpoints/scim_v2.py (the request models) and proxy/auth/user_api_key_auth.py.
 */
import { randomUUID } from 'node:crypto';
import {
  type Check,
  type PydanticError,
  bool,
  email,
  fastapiJson,
  fastapiUnrouted,
  httpException,
  internalServerError,
  list,
  literal,
  model,
  noContent,
  optional,
  parseJsonBody,
  pythonIsoformat,
  queryInt,
  queryStr,
  required,
  str,
  anything,
  validateBody,
  validationFailed,
} from './fastapi.js';
import type { PracticeDirectory, PracticeOptions, PracticeProvider } from './practice.js';
import { bodyText, queryPairs, rawTargetOf } from './raw-target.js';
import { type Route, routeHandlers } from './routes.js';

const BASE_PATH = '/scim/v2';
const SCIM_JSON = 'application/scim+json';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

interface LitellmUser {
  readonly user_id: string;
  user_email: string | null;
  user_alias: string | null;
  teams: string[];
  readonly scim_metadata: { readonly givenName: string | null; readonly familyName: string | null };
  readonly created_at: Date;
  updated_at: Date;
  readonly sequence: number;
}

interface LitellmTeam {
  readonly team_id: string;
  team_alias: string | null;
  /** The plain id list PUT writes and the group list reads. */
  members: string[];
  /** What `new_team` writes on create and the single-group GET reads: a different column. */
  readonly members_with_roles: { readonly user_id: string; readonly user_email: string | null; readonly role: string }[];
  readonly created_at: Date;
  updated_at: Date;
  readonly sequence: number;
}

// litellm types/proxy/management_endpoints/scim_v2.py: the request models.
const scimUserName = model({
  familyName: required(str),
  givenName: required(str),
  formatted: optional(str),
  middleName: optional(str),
  honorificPrefix: optional(str),
  honorificSuffix: optional(str),
});
const scimUser = model({
  schemas: required(list(str)),
  id: optional(str),
  externalId: optional(str),
  meta: optional(anything),
  userName: required(str),
  name: required(scimUserName),
  displayName: optional(str),
  active: optional(bool, true),
  emails: optional(list(model({ value: required(email), type: optional(str), primary: optional(bool) }))),
  groups: optional(list(model({ value: required(str), display: optional(str), type: optional(str, 'direct') }))),
});
const scimGroup = model({
  schemas: required(list(str)),
  id: optional(str),
  externalId: optional(str),
  meta: optional(anything),
  displayName: required(str),
  members: optional(list(model({ value: required(str), display: optional(str) }))),
});
// `op: Literal["add", "remove", "replace"]`: Entra's capitalised `Replace`/`Add`/`Remove` fail here.
const scimPatchOp = model({
  schemas: optional(list(str)),
  Operations: required(list(model({ op: required(literal('add', 'remove', 'replace')), path: optional(str), value: optional(anything) }))),
});

type Json = Record<string, unknown>;

export function createLitellmPractice(options: PracticeOptions = {}): PracticeProvider {
  const token = options.token ?? 'sk-practice-litellm';
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const users = new Map<string, LitellmUser>();
  const teams = new Map<string, LitellmTeam>();
  let sequence = 0;

  /**
   * litellm proxy/auth/user_api_key_auth.py `_user_api_key_auth_builder`: the master key, else a
   * virtual key (which must start with `sk-`, and this practice proxy has none); every refusal is
   * re-raised as a ProxyException, rendered `{"error": {message, type, param, code}}`.
   */
  function refusal(request: Request): Response | undefined {
    const header = request.headers.get('authorization');
    let message: string;
    if (header === null) message = 'Authentication Error, No api key passed in.';
    else {
      const key = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (key === token) return undefined;
      if (key === '') message = `Authentication Error, Malformed API Key passed in. Ensure Key has \`Bearer \` prefix. Passed in: ${header}`;
      else if (!key.startsWith('sk-')) message = `Authentication Error, LiteLLM Virtual Key expected. Received=${key}, expected to start with 'sk-'.`;
      else message = 'Authentication Error, Invalid proxy server token passed';
    }
    return fastapiJson(401, { error: { message, type: 'auth_error', param: 'None', code: '401' } });
  }

  /**
   * FastAPI's order for one endpoint: the JSON body is decoded first, then the route's
   * dependencies run (`user_api_key_auth`), then query and body are validated together.
   */
  async function prepare(
    request: Request,
    checks: { readonly body?: Check; readonly paging?: boolean },
  ): Promise<{ response: Response } | { body: Json | undefined; startIndex: number; count: number; filter: string | undefined }> {
    const parsed = parseJsonBody(checks.body ? await bodyText(request) : '');
    if (!parsed.ok) return { response: parsed.response };
    const denied = refusal(request);
    if (denied) return { response: denied };
    const errors: PydanticError[] = [];
    const pairs = queryPairs(rawTargetOf(request).query);
    // scim_v2.py `get_users`/`get_groups`: `startIndex: int = Query(1, ge=1)`, `count: int = Query(10, ge=1, le=100)`.
    const startIndex = checks.paging ? queryInt(pairs, 'startIndex', 1, { ge: 1 }, errors) : 1;
    const count = checks.paging ? queryInt(pairs, 'count', 10, { ge: 1, le: 100 }, errors) : 10;
    const body = checks.body ? (validateBody(parsed.value, checks.body, errors) as Json | undefined) : undefined;
    if (errors.length > 0) return { response: validationFailed(errors) };
    return { body, startIndex, count, filter: queryStr(pairs, 'filter') };
  }

  const scimJson = (status: number, body: unknown) => fastapiJson(status, body, SCIM_JSON);
  const newestFirst = <T extends { created_at: Date; sequence: number }>(a: T, b: T) =>
    b.created_at.getTime() - a.created_at.getTime() || b.sequence - a.sequence;

  /** scim_transformations.py `transform_litellm_user_to_scim_user`: always active, userName = the email. */
  function userResource(user: LitellmUser): Json {
    const fallbackName = user.user_alias !== null && user.user_alias !== '' ? user.user_alias : null;
    return {
      schemas: [USER_SCHEMA],
      id: user.user_id,
      externalId: null,
      meta: { resourceType: 'User', created: pythonIsoformat(user.created_at), lastModified: pythonIsoformat(user.updated_at) },
      // `_get_scim_user_name`: the email, or a placeholder; never the userName the IdP sent.
      userName: user.user_email || 'Unknown Display Name',
      name: {
        familyName: user.scim_metadata.familyName || fallbackName || 'Unknown Family Name',
        givenName: user.scim_metadata.givenName || fallbackName || 'Unknown User',
        formatted: null,
        middleName: null,
        honorificPrefix: null,
        honorificSuffix: null,
      },
      displayName: user.user_email || 'Unknown Display Name',
      // `active=True` whatever was sent or stored: LiteLLM has no inactive SCIM user.
      active: true,
      emails: user.user_email ? [{ value: user.user_email, type: null, primary: true }] : [],
      groups: user.teams
        .map((teamId) => teams.get(teamId))
        .filter((team): team is LitellmTeam => team !== undefined)
        .map((team) => ({ value: team.team_id, display: team.team_alias, type: 'direct' })),
    };
  }

  function groupMeta(team: LitellmTeam): Json {
    return { resourceType: 'Group', created: pythonIsoformat(team.created_at), lastModified: pythonIsoformat(team.updated_at) };
  }

  /** scim_v2.py `get_groups` (and `update_group`'s response): members from the plain `members` list. */
  function listedGroup(team: LitellmTeam, memberIds: readonly string[] = team.members): Json {
    const members = memberIds
      .map((id) => users.get(id))
      .filter((user): user is LitellmUser => user !== undefined)
      .map((user) => ({ value: user.user_id, display: user.user_email || user.user_id }));
    return { schemas: [GROUP_SCHEMA], id: team.team_id, externalId: null, meta: groupMeta(team), displayName: team.team_alias ?? team.team_id, members };
  }

  /**
   * scim_transformations.py `transform_litellm_team_to_scim_group` (create and single GET): members
   * from `members_with_roles`, whose value is the member's email, which `create_group` never sets,
   * so every member reads back as "Unknown Member Value".
   */
  function transformedGroup(team: LitellmTeam): Json {
    const members = team.members_with_roles.map((member) => ({ value: member.user_email || 'Unknown Member Value', display: member.user_email }));
    return { schemas: [GROUP_SCHEMA], id: team.team_id, externalId: null, meta: groupMeta(team), displayName: team.team_alias ?? team.team_id, members };
  }

  /** `filter.split("userName eq ")[1].strip("\"'")`: everything after the words, quotes stripped. */
  function afterWords(filter: string, words: string): string | undefined {
    const parts = filter.split(words);
    return parts.length < 2 ? undefined : (parts[1] as string).replace(/^["']+|["']+$/g, '');
  }

  function listResponse(total: number, startIndex: number, count: number, resources: Json[]): Json {
    return { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: Math.min(count, resources.length), Resources: resources };
  }

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/Users',
      // scim_v2.py `get_users`
      async handle(request) {
        const ready = await prepare(request, { paging: true });
        if ('response' in ready) return ready.response;
        let matching = [...users.values()];
        const filter = ready.filter;
        // "Very basic filter support": a substring test, then a split on the words; any other filter
        // (or an `and`, `co`, `sw` …) is ignored and the whole table listed.
        if (filter) {
          if (filter.includes('userName eq')) {
            const value = afterWords(filter, 'userName eq ');
            if (value === undefined) return httpException(500, { error: 'Error retrieving users: list index out of range' });
            // The userName is matched against `user_id`, which create set to the userName.
            matching = matching.filter((user) => user.user_id === value);
          } else if (filter.includes('emails.value eq')) {
            const value = afterWords(filter, 'emails.value eq ');
            if (value === undefined) return httpException(500, { error: 'Error retrieving users: list index out of range' });
            matching = matching.filter((user) => user.user_email === value);
          }
        }
        // `order={"created_at": "desc"}`: newest first, not the order they were created in.
        const page = matching.sort(newestFirst).slice(ready.startIndex - 1, ready.startIndex - 1 + ready.count);
        return scimJson(200, listResponse(matching.length, ready.startIndex, ready.count, page.map(userResource)));
      },
    },
    {
      method: 'GET',
      path: '/Users/:id',
      // scim_v2.py `get_user`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const user = users.get(params['id'] ?? '');
        if (!user) return httpException(404, { error: `User not found with ID: ${params['id']}` });
        return scimJson(200, userResource(user));
      },
    },
    {
      method: 'POST',
      path: '/Users',
      // scim_v2.py `create_user`
      async handle(request) {
        const ready = await prepare(request, { body: scimUser });
        if ('response' in ready) return ready.response;
        const body = ready.body as Json;
        const userName = body['userName'] as string;
        const name = body['name'] as Json;
        const emails = body['emails'] as Json[] | null;
        // The id is the userName; a second create with it is a 409 in FastAPI's shape.
        if (userName && users.has(userName)) {
          return httpException(409, { error: `User already exists with username: ${userName}` });
        }
        const userId = userName || newId();
        const groups = (body['groups'] as Json[] | null) ?? [];
        const at = now();
        const user: LitellmUser = {
          user_id: userId,
          user_email: emails && emails.length > 0 ? (emails[0]?.['value'] as string) : null,
          user_alias: name['givenName'] as string,
          teams: groups.map((group) => group['value'] as string).filter((teamId) => teams.has(teamId)),
          scim_metadata: { givenName: name['givenName'] as string, familyName: name['familyName'] as string },
          created_at: at,
          updated_at: at,
          sequence: ++sequence,
        };
        users.set(userId, user);
        // `active` is not stored: a user created inactive reads back active.
        return scimJson(201, userResource(user));
      },
    },
    {
      method: 'PUT',
      path: '/Users/:id',
      // scim_v2.py `update_user` is `return None` under `response_model=SCIMUser`. FastAPI (since
      // 0.80, fastapi/fastapi#2725) validates that None against the model and raises
      // ResponseValidationError, which nothing handles: a plain 500, and nothing is changed.
      async handle(request) {
        const ready = await prepare(request, { body: scimUser });
        if ('response' in ready) return ready.response;
        return internalServerError();
      },
    },
    {
      method: 'PATCH',
      path: '/Users/:id',
      // scim_v2.py `patch_user`: a 404 for an unknown id, else `return None`, the same 500 as PUT;
      // no operation is applied, so deactivation never happens.
      async handle(request, params) {
        const ready = await prepare(request, { body: scimPatchOp });
        if ('response' in ready) return ready.response;
        if (!users.has(params['id'] ?? '')) return httpException(404, { error: `User not found with ID: ${params['id']}` });
        return internalServerError();
      },
    },
    {
      method: 'DELETE',
      path: '/Users/:id',
      // scim_v2.py `delete_user`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const id = params['id'] ?? '';
        const user = users.get(id);
        if (!user) return httpException(404, { error: `User not found with ID: ${id}` });
        for (const teamId of user.teams) {
          const team = teams.get(teamId);
          if (team) team.members = team.members.filter((member) => member !== id);
        }
        users.delete(id);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/Groups',
      // scim_v2.py `get_groups`: only `displayName eq`, by the same split; the rest ignored.
      async handle(request) {
        const ready = await prepare(request, { paging: true });
        if ('response' in ready) return ready.response;
        let matching = [...teams.values()];
        const filter = ready.filter;
        if (filter && filter.includes('displayName eq')) {
          const value = afterWords(filter, 'displayName eq ');
          if (value === undefined) return httpException(500, { error: 'Error retrieving groups: list index out of range' });
          matching = matching.filter((team) => team.team_alias === value);
        }
        const page = matching.sort(newestFirst).slice(ready.startIndex - 1, ready.startIndex - 1 + ready.count);
        return scimJson(200, listResponse(matching.length, ready.startIndex, ready.count, page.map((team) => listedGroup(team))));
      },
    },
    {
      method: 'GET',
      path: '/Groups/:id',
      // scim_v2.py `get_group`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const team = teams.get(params['id'] ?? '');
        if (!team) return httpException(404, { error: `Group not found with ID: ${params['id']}` });
        return scimJson(200, transformedGroup(team));
      },
    },
    {
      method: 'POST',
      path: '/Groups',
      // scim_v2.py `create_group`
      async handle(request) {
        const ready = await prepare(request, { body: scimGroup });
        if ('response' in ready) return ready.response;
        const body = ready.body as Json;
        const teamId = (body['id'] as string | null) || newId();
        if (teams.has(teamId)) return httpException(409, { error: `Group already exists with ID: ${teamId}` });
        // Members that are not existing users are dropped without a word.
        const memberIds = ((body['members'] as Json[] | null) ?? []).map((member) => member['value'] as string).filter((id) => users.has(id));
        const at = now();
        const team: LitellmTeam = {
          team_id: teamId,
          team_alias: body['displayName'] as string,
          // `new_team` fills members_with_roles, not the `members` list the group list reads.
          members: [],
          members_with_roles: memberIds.map((id) => ({ user_id: id, user_email: null, role: 'user' })),
          created_at: at,
          updated_at: at,
          sequence: ++sequence,
        };
        teams.set(teamId, team);
        for (const id of memberIds) users.get(id)?.teams.push(teamId);
        return scimJson(201, transformedGroup(team));
      },
    },
    {
      method: 'PUT',
      path: '/Groups/:id',
      // scim_v2.py `update_group`: the one write that works; unknown members dropped silently.
      async handle(request, params) {
        const ready = await prepare(request, { body: scimGroup });
        if ('response' in ready) return ready.response;
        const id = params['id'] ?? '';
        const team = teams.get(id);
        if (!team) return httpException(404, { error: `Group not found with ID: ${id}` });
        const body = ready.body as Json;
        const memberIds = ((body['members'] as Json[] | null) ?? []).map((member) => member['value'] as string).filter((memberId) => users.has(memberId));
        const previous = team.members;
        team.team_alias = body['displayName'] as string;
        team.members = memberIds;
        team.updated_at = now();
        for (const memberId of memberIds) {
          const user = users.get(memberId);
          if (user && !previous.includes(memberId) && !user.teams.includes(id)) user.teams.push(id);
        }
        for (const memberId of previous) {
          const user = users.get(memberId);
          if (user && !memberIds.includes(memberId)) user.teams = user.teams.filter((teamId) => teamId !== id);
        }
        return scimJson(200, listedGroup(team, memberIds));
      },
    },
    {
      method: 'PATCH',
      path: '/Groups/:id',
      // scim_v2.py `patch_group`: 404 or `return None` (a 500, as for users); membership never changes.
      async handle(request, params) {
        const ready = await prepare(request, { body: scimPatchOp });
        if ('response' in ready) return ready.response;
        if (!teams.has(params['id'] ?? '')) return httpException(404, { error: `Group not found with ID: ${params['id']}` });
        return internalServerError();
      },
    },
    {
      method: 'DELETE',
      path: '/Groups/:id',
      // scim_v2.py `delete_group`
      async handle(request, params) {
        const ready = await prepare(request, {});
        if ('response' in ready) return ready.response;
        const id = params['id'] ?? '';
        const team = teams.get(id);
        if (!team) return httpException(404, { error: `Group not found with ID: ${id}` });
        for (const memberId of team.members) {
          const user = users.get(memberId);
          if (user) user.teams = user.teams.filter((teamId) => teamId !== id);
        }
        teams.delete(id);
        return noContent();
      },
    },
  ];

  return {
    name: 'litellm',
    title: 'LiteLLM proxy',
    basePath: BASE_PATH,
    token,
    // No /ServiceProviderConfig, /ResourceTypes or /Schemas route: FastAPI's 404 `{"detail": "Not Found"}`.
    handlers: routeHandlers(BASE_PATH, routes, (_request, allowed) => fastapiUnrouted(allowed)),
    directory(): PracticeDirectory {
      return {
        // LiteLLM stores no active flag: every user it has is active.
        users: [...users.values()].map((user) => ({ id: user.user_id, userName: user.user_id, active: true })),
        groups: [...teams.values()].map((team) => ({
          id: team.team_id,
          displayName: team.team_alias ?? team.team_id,
          members: [...new Set([...team.members, ...team.members_with_roles.map((member) => member.user_id)])],
        })),
      };
    },
  };
}
