/**
 * What Okta's SCIM 2.0 client does the same way in OIN apps and in App Integration Wizard (AIW)
 * apps: its headers, its user body, its lookups before writes, import paging, and what it treats
 * as a failure. The two app types differ only in how they write updates (PATCH or PUT), which
 * each profile supplies as an OktaAppType (okta.ts, okta-aiw.ts).
 *
 * Sources are cited by URL next to each behaviour; the full list is OKTA_SOURCES. Where a source
 * is a capture without a public URL, it is named as the reference notes name it.
 */
import { createHash } from 'node:crypto';
import type { GroupLink, IdpGroup, Person, UserLink } from '../directory.js';
import type { GroupKey, IdpEvent, PersonKey } from '../events.js';
import {
  IdpOperationFailed,
  UnsupportedByIdp,
  type ProfileContext,
  type ProfileOptions,
  type ProfileSource,
  type RetryPolicy,
} from '../profile.js';
import { eqFilter, percentEncode } from '../query-encoding.js';
import { NotProvisioned } from './profile-kit.js';
import { AUTHORIZATION } from '../../runner/exchange.js';
import { jsonBody, type HeaderList, type ReceivedResponse } from '../../runner/http.js';

export const OKTA_SCIM_20 = 'https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20';
export const OKTA_SCIM_11 = 'https://developer.okta.com/docs/reference/scim/scim-11/';
/** The 2019 "SCIM Protocol" page, whose examples were captured from Okta's SCIM Test App. */
export const OKTA_CAPTURES_2019 = 'https://github.com/oktadeveloper/okta-blog-archive/pull/1956';
export const OKTA_CONNECT_GUIDE = 'https://developer.okta.com/docs/guides/scim-provisioning-integration-connect/main/';
export const OKTA_RATE_LIMIT_ARTICLE =
  'https://support.okta.com/help/s/article/slack-provisioning-jobs-failed-with-error-api-rate-limit-exceeded-rate-limit-exceeded';
export const OKTA_EMPTY_GROUP_PUSH = 'https://github.com/Captain-P-Goldfish/SCIM-SDK/issues/757';
export const OKTA_REACTIVATION = 'https://github.com/grokability/snipe-it/issues/14481';
export const OKTA_LOWERCASE_OPS = 'https://github.com/pydantic/logfire/issues/2355';

export const OKTA_SOURCES: readonly ProfileSource[] = [
  { id: 'okta-scim-20', title: 'Okta: SCIM 2.0 protocol reference ("Okta and SCIM Version 2.0")', url: OKTA_SCIM_20 },
  { id: 'okta-scim-11', title: 'Okta: SCIM 1.1 protocol reference', url: OKTA_SCIM_11 },
  {
    id: 'okta-captures-2019',
    title: "Okta: SCIM Protocol page (2019 revision), requests captured from Okta's SCIM Test App, and its review thread",
    url: OKTA_CAPTURES_2019,
  },
  { id: 'okta-connect-guide', title: 'Okta: Connect your SCIM API service to Okta', url: OKTA_CONNECT_GUIDE },
  { id: 'okta-rate-limit', title: 'Okta Support: provisioning jobs failed with API rate limit exceeded', url: OKTA_RATE_LIMIT_ARTICLE },
  { id: 'scim-sdk-757', title: 'SCIM-SDK #757: Okta "Push now" on an empty group', url: OKTA_EMPTY_GROUP_PUSH },
  { id: 'snipe-it-14481', title: 'snipe-it #14481: Okta reactivating a matched remote user', url: OKTA_REACTIVATION },
  { id: 'logfire-2355', title: 'logfire #2355: Okta sends lowercase PATCH ops', url: OKTA_LOWERCASE_OPS },
];

/** "OKTA will automatically retry … based on the number returned by … Retry-After header" (OKTA_RATE_LIMIT_ARTICLE). */
export const OKTA_RETRY_POLICY: RetryPolicy = { honorRetryAfter: true, source: OKTA_RATE_LIMIT_ARTICLE };

export const OKTA_USER_AGENT = 'Okta SCIM Client 1.0.0';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Okta pages imports and pads every lookup with count=100 (OKTA_SCIM_20, "Retrieve Users"). */
export const OKTA_PAGE_SIZE = 100;

/**
 * Okta's headers, in the order of the capture from Okta's SCIM Test App (OKTA_CAPTURES_2019),
 * confirmed by the Firezone engineers' 2023 capture (Okta → localtunnel). `Content-Length`,
 * `Host` and `Connection` are the transport's and are left to it.
 */
export function oktaHeaders(withContentType: boolean, options: ProfileOptions): HeaderList {
  const userAgent = options.userAgent === undefined ? OKTA_USER_AGENT : options.userAgent;
  const headers: [string, string][] = [
    ['Accept', 'application/scim+json'],
    ['Accept-Charset', 'utf-8'],
  ];
  if (withContentType) headers.push(['Content-Type', 'application/scim+json; charset=utf-8']);
  if (userAgent !== null) headers.push(['User-Agent', userAgent]);
  headers.push(['Authorization', AUTHORIZATION], ['Accept-Encoding', 'gzip,deflate']);
  return headers;
}

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Okta's user id for a person, e.g. `00ujl29u0le5T6Aj10h7`: `00u` and 17 letters and digits.
 * Okta sends it as `externalId` on create (OKTA_SCIM_20). Derived from the person's objectId, so
 * the same person always has the same Okta id, run after run.
 */
export function oktaUserId(objectId: string): string {
  const digest = createHash('sha256').update(objectId).digest();
  let id = '00u';
  for (let i = 0; i < 17; i++) id += BASE62[digest[i]! % BASE62.length];
  return id;
}

/** `filter=userName%20eq%20%22…%22&startIndex=1&count=100`: Okta pads lookups with paging (OKTA_SCIM_20). */
export function lookupQuery(attribute: string, value: string): string {
  return `filter=${percentEncode(eqFilter(attribute, value))}&startIndex=1&count=${OKTA_PAGE_SIZE}`;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The SCIM error's `detail`, or the status line when the target said nothing useful. */
export function responseDetail(response: ReceivedResponse): string {
  const body = jsonBody(response);
  const detail = isObject(body) && typeof body['detail'] === 'string' ? body['detail'] : undefined;
  return detail === undefined ? `the target answered ${response.status}` : `the target answered ${response.status}: ${detail}`;
}

export const succeeded = (response: ReceivedResponse): boolean => response.status >= 200 && response.status < 300;

/** A ListResponse's resources and total; Okta also reads lowercase keys (OKTA_CAPTURES_2019). */
export function listPage(response: ReceivedResponse): { resources: Json[]; total: number } | undefined {
  const body = jsonBody(response);
  if (!isObject(body)) return undefined;
  const resources = body['Resources'] ?? body['resources'] ?? [];
  const total = body['totalResults'] ?? body['totalresults'];
  if (!Array.isArray(resources) || typeof total !== 'number') return undefined;
  return { resources: resources.filter(isObject), total };
}

/** How an app type writes: OIN apps PATCH, AIW apps GET then PUT (OKTA_SCIM_20, "PUT vs PATCH"). */
export interface OktaAppType {
  /** Tells the target the user is (in)active: deactivation, reactivation, unassignment. */
  setActive(okta: OktaClient, person: Person, link: UserLink, active: boolean): Promise<void>;
  /** Reactivates a matched inactive user before its profile push (OIN: PATCH); AIW's PUT carries `active: true` instead. */
  readonly reactivatesMatchByPatch: boolean;
  /** Pushes a group: creates it the first time, "Push now" afterwards. */
  pushGroup(okta: OktaClient, group: IdpGroup): Promise<void>;
  /** Sends a rename or a membership change of a pushed group. */
  updateGroup(okta: OktaClient, group: IdpGroup, link: GroupLink, change: 'rename' | 'members'): Promise<void>;
}

export interface SendOptions {
  readonly query?: string;
  readonly body?: unknown;
}

/** One event's conversation with the target, as Okta holds it. */
export class OktaClient {
  constructor(readonly context: ProfileContext) {}

  async send(method: string, path: string, purpose: string, options: SendOptions = {}): Promise<ReceivedResponse> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    // The captured DELETE /Groups/{id} carries Content-Type without a body (OKTA_CAPTURES_2019).
    const withContentType = body !== undefined || method === 'DELETE';
    return this.context.send({
      method,
      path,
      ...(options.query === undefined ? {} : { query: options.query }),
      headers: oktaHeaders(withContentType, this.context.options),
      ...(body === undefined ? {} : { body }),
      purpose,
    });
  }

  /** Sends and requires a 2xx; anything else fails the operation as Okta fails it (a task for the admin). */
  async expect(method: string, path: string, purpose: string, options: SendOptions = {}): Promise<ReceivedResponse> {
    const response = await this.send(method, path, purpose, options);
    if (!succeeded(response)) throw new IdpOperationFailed(`Okta: ${purpose} failed: ${responseDetail(response)}`);
    return response;
  }

  /** GET a resource and return its representation. */
  async read(path: string, purpose: string): Promise<Json> {
    const response = await this.expect('GET', path, purpose);
    const body = jsonBody(response);
    if (!isObject(body)) throw new IdpOperationFailed(`Okta: ${purpose} failed: the target's ${response.status} response is not a JSON object`);
    return body;
  }

  person(key: PersonKey): Person {
    return this.context.directory.person(key);
  }

  /** The link of a person Okta has provisioned to this app; anything else is a scenario error. */
  assignedLink(key: PersonKey): UserLink {
    const link = this.context.links.users[key];
    if (!link) throw new NotProvisioned(`Person "${key}"`);
    if (!link.assigned) throw new IdpOperationFailed(`"${key}" is not assigned to this Okta app: assign the user first`);
    return link;
  }

  groupLink(key: GroupKey): GroupLink {
    const link = this.context.links.groups[key];
    if (!link) throw new IdpOperationFailed(`Group "${key}" is not pushed to this Okta app: push the group first`);
    return link;
  }

  /**
   * The person's profile as Okta's SCIM 2.0 app maps it, keys in the order of the documented
   * create body (OKTA_SCIM_20, "Create the User"). Attributes beyond the documented body appear
   * only when the person has them: `title` and the mobile phone after `locale` (their place is
   * not documented), and the enterprise extension last, its URN added to `schemas`, as observed
   * when enterprise attributes are mapped (Rostr lab, "Phase 3 — SCIM provisioning").
   */
  profile(person: Person): Json {
    const enterprise = this.enterprise(person);
    const profile: Json = {
      schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
      userName: person.userName,
      name: { givenName: person.givenName, familyName: person.familyName },
      emails: [{ primary: true, value: person.email, type: 'work' }],
    };
    if (person.displayName !== undefined) profile['displayName'] = person.displayName;
    if (person.locale !== undefined) profile['locale'] = person.locale;
    if (person.title !== undefined) profile['title'] = person.title;
    if (person.mobile !== undefined) profile['phoneNumbers'] = [{ value: person.mobile, type: 'mobile' }];
    profile['externalId'] = oktaUserId(person.objectId);
    if (enterprise) profile[ENTERPRISE_SCHEMA] = enterprise;
    return profile;
  }

  /**
   * Enterprise attributes. Okta sends the manager as the admin maps it; the mock sends the
   * manager's id in this target when Okta knows it, so that the target can resolve it.
   */
  private enterprise(person: Person): Json | undefined {
    const enterprise: Json = {};
    if (person.employeeNumber !== undefined) enterprise['employeeNumber'] = person.employeeNumber;
    if (person.costCenter !== undefined) enterprise['costCenter'] = person.costCenter;
    if (person.department !== undefined) enterprise['department'] = person.department;
    const managerId = person.manager === undefined ? undefined : this.context.links.users[person.manager]?.id;
    if (managerId !== undefined) enterprise['manager'] = { value: managerId };
    return Object.keys(enterprise).length === 0 ? undefined : enterprise;
  }

  /**
   * The create body: the profile plus `groups: []`, a random `password` ("Okta sends a random
   * password in its request to create a new user", OKTA_CONNECT_GUIDE) and `active: true`, in the
   * documented order (OKTA_SCIM_20).
   */
  createBody(person: Person): Json {
    const { [ENTERPRISE_SCHEMA]: enterprise, ...core } = this.profile(person);
    return {
      ...core,
      groups: [],
      password: this.context.random.string(8),
      active: true,
      ...(enterprise === undefined ? {} : { [ENTERPRISE_SCHEMA]: enterprise }),
    };
  }

  /**
   * Okta's PUT body: the target's own representation (read-only `id`, `meta`, `groups`, even a
   * `password` included) with Okta's profile merged in (OKTA_CAPTURES_2019; Firezone's 2023
   * capture: "IdP data merged with whatever returned from GET /Users/:id"). An attribute cleared
   * in Okta since the last push is removed.
   */
  mergedUser(current: Json, person: Person, link: UserLink): Json {
    const profile = this.profile(person);
    const before = link.lastSent ?? {};
    const merged: Json = { ...current };
    const schemas = Array.isArray(current['schemas']) ? [...(current['schemas'] as unknown[])] : [USER_SCHEMA];
    if (profile[ENTERPRISE_SCHEMA] !== undefined && !schemas.includes(ENTERPRISE_SCHEMA)) schemas.push(ENTERPRISE_SCHEMA);
    merged['schemas'] = schemas;
    merged['userName'] = profile['userName'];
    merged['name'] = { ...(isObject(current['name']) ? current['name'] : {}), ...(profile['name'] as Json) };
    merged['emails'] = mergeTyped(current['emails'], 'work', { primary: true, value: person.email, type: 'work' });
    for (const key of ['displayName', 'locale', 'title', 'externalId'] as const) {
      if (profile[key] !== undefined) merged[key] = profile[key];
      else if (before[key] !== undefined) delete merged[key];
    }
    if (person.mobile !== undefined) {
      merged['phoneNumbers'] = mergeTyped(current['phoneNumbers'], 'mobile', { value: person.mobile, type: 'mobile' });
    } else if (before['phoneNumbers'] !== undefined) {
      const phones = Array.isArray(current['phoneNumbers']) ? current['phoneNumbers'].filter((p) => !(isObject(p) && p['type'] === 'mobile')) : [];
      if (phones.length === 0) delete merged['phoneNumbers'];
      else merged['phoneNumbers'] = phones;
    }
    const enterpriseNow = (profile[ENTERPRISE_SCHEMA] as Json | undefined) ?? {};
    const enterpriseBefore = isObject(before[ENTERPRISE_SCHEMA]) ? before[ENTERPRISE_SCHEMA] : {};
    const enterprise: Json = { ...(isObject(current[ENTERPRISE_SCHEMA]) ? current[ENTERPRISE_SCHEMA] : {}), ...enterpriseNow };
    for (const key of Object.keys(enterpriseBefore)) if (enterpriseNow[key] === undefined) delete enterprise[key];
    if (Object.keys(enterprise).length > 0) merged[ENTERPRISE_SCHEMA] = enterprise;
    else delete merged[ENTERPRISE_SCHEMA];
    return merged;
  }

  /**
   * A profile push: `GET /Users/{id}` then `PUT /Users/{id}` with the full resource, for every
   * profile change in both app types (OKTA_SCIM_20, "Update a specific User (PUT)").
   */
  async pushProfile(person: Person, link: UserLink, active?: boolean): Promise<void> {
    const current = await this.read(`/Users/${link.id}`, 'read user before update');
    const body = this.mergedUser(current, person, link);
    if (active !== undefined) body['active'] = active;
    await this.expect('PUT', `/Users/${link.id}`, 'update user', { body });
    link.lastSent = this.profile(person);
    if (active !== undefined) link.active = active;
  }

  /** `GET /Users/{id}` then `PUT` with `active` changed: how AIW apps (de)activate (OKTA_SCIM_20; Firezone's capture). */
  async putActive(link: UserLink, active: boolean): Promise<void> {
    const current = await this.read(`/Users/${link.id}`, 'read user before update');
    await this.expect('PUT', `/Users/${link.id}`, active ? 'reactivate user' : 'deactivate user', { body: { ...current, active } });
    link.active = active;
  }

  /** The path-less `replace` of `active` that OIN apps send (OKTA_SCIM_20, "Update a specific User (PATCH)"). */
  async patchActive(link: UserLink, active: boolean): Promise<void> {
    await this.expect('PATCH', `/Users/${link.id}`, active ? 'reactivate user' : 'deactivate user', {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active } }] },
    });
    link.active = active;
  }

  /**
   * Assignment: the existence check by userName (OKTA_SCIM_20, "Determine if the User already
   * exists"), then create, or link the match and push Okta's profile onto it.
   */
  async assign(key: PersonKey, app: OktaAppType): Promise<void> {
    const person = this.person(key);
    const existing = this.context.links.users[key];
    if (existing?.assigned) {
      await this.pushProfile(person, existing);
      return;
    }
    const match = await this.lookupUser(person);
    if (!match) {
      await this.createUser(person);
      return;
    }
    const link: UserLink = { id: match.id, assigned: true, active: match.active };
    this.context.links.users[key] = link;
    // A matched inactive user is reactivated (snipe-it #14481: "delay in reactivating remote User").
    if (!match.active && app.reactivatesMatchByPatch) await this.patchActive(link, true);
    await this.pushProfile(person, link, match.active ? undefined : true);
  }

  /** The first matching user, or undefined: Okta reads a 404 or an empty ListResponse as "no match" (OKTA_SCIM_20). */
  private async lookupUser(person: Person): Promise<{ id: string; active: boolean } | undefined> {
    const response = await this.send('GET', '/Users', 'lookup by userName', { query: lookupQuery('userName', person.userName) });
    if (response.status === 404) return undefined;
    if (!succeeded(response)) throw new IdpOperationFailed(`Okta: lookup by userName failed: ${responseDetail(response)}`);
    const page = listPage(response);
    if (!page) throw new IdpOperationFailed(`Okta: lookup by userName failed: the target's ${response.status} response is not a ListResponse`);
    const found = page.resources.find((resource) => typeof resource['id'] === 'string');
    if (!found) return undefined;
    return { id: found['id'] as string, active: found['active'] !== false };
  }

  private async createUser(person: Person): Promise<void> {
    const body = this.createBody(person);
    const response = await this.send('POST', '/Users', 'create user', { body });
    // A duplicate is a 409 with an Error body (OKTA_SCIM_20); Okta shows the target's detail.
    if (!succeeded(response)) throw new IdpOperationFailed(`Okta: create user "${person.userName}" failed: ${responseDetail(response)}`);
    const created = jsonBody(response);
    const id = isObject(created) && typeof created['id'] === 'string' && created['id'] !== '' ? created['id'] : undefined;
    if (id === undefined) {
      throw new IdpOperationFailed(
        `Okta: create user "${person.userName}" failed: the target's ${response.status} response has no "id"`,
        'Create new user returned empty user', // OKTA_SCIM_20, "Create the User"
        'okta.create-without-id',
      );
    }
    const { password: _password, groups: _groups, active: _active, ...profile } = body;
    this.context.links.users[person.key] = { id, assigned: true, active: true, lastSent: profile };
  }

  /** Members Okta may push: only people assigned to the app (OKTA_SCIM_20, "Update Group memberships"). */
  provisionedMembers(group: IdpGroup): { key: PersonKey; value: string; display: string }[] {
    const members: { key: PersonKey; value: string; display: string }[] = [];
    for (const key of group.members) {
      const link = this.context.links.users[key];
      if (link?.assigned) members.push({ key, value: link.id, display: this.person(key).userName });
    }
    return members;
  }

  /** The `{id, displayName}` replace OIN apps send on rename and before every membership update (OKTA_SCIM_20). */
  async patchGroupName(group: IdpGroup, link: GroupLink): Promise<void> {
    await this.expect('PATCH', `/Groups/${link.id}`, 'update group name', {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { id: link.id, displayName: group.displayName } }] },
    });
    link.displayName = group.displayName;
  }

  /** `POST /Groups` with `members: []` (OKTA_SCIM_20, "Create Groups"); the id is required as for users. */
  async createGroup(group: IdpGroup): Promise<GroupLink> {
    const response = await this.expect('POST', '/Groups', 'create group', {
      body: { schemas: [GROUP_SCHEMA], displayName: group.displayName, members: [] },
    });
    const created = jsonBody(response);
    const id = isObject(created) && typeof created['id'] === 'string' && created['id'] !== '' ? created['id'] : undefined;
    if (id === undefined) {
      throw new IdpOperationFailed(`Okta: create group "${group.displayName}" failed: the target's ${response.status} response has no "id"`, undefined, 'okta.create-without-id');
    }
    const link: GroupLink = { id, displayName: group.displayName, members: [] };
    this.context.links.groups[group.key] = link;
    return link;
  }

  /**
   * Import: `GET /{type}?startIndex=1&count=100`, then `startIndex+100` while `totalResults` says
   * there is more (OKTA_SCIM_20, "Retrieve Users"). Stops early on an empty page, so a target
   * that overstates `totalResults` cannot keep the run paging for ever.
   */
  async importAll(resourceType: 'Users' | 'Groups'): Promise<Json[]> {
    const resources: Json[] = [];
    for (let startIndex = 1; ; startIndex += OKTA_PAGE_SIZE) {
      const purpose = `import ${resourceType.toLowerCase()} (page from ${startIndex})`;
      const response = await this.expect('GET', `/${resourceType}`, purpose, { query: `startIndex=${startIndex}&count=${OKTA_PAGE_SIZE}` });
      const page = listPage(response);
      if (!page) throw new IdpOperationFailed(`Okta: ${purpose} failed: the target's response is not a ListResponse with integer totalResults`, undefined, 'okta.paging-not-integer');
      resources.push(...page.resources);
      if (page.resources.length === 0 || startIndex + OKTA_PAGE_SIZE > page.total) return resources;
    }
  }

  /**
   * Imported users: Okta skips inactive ones (Rostr lab: 9 returned, 8 scanned). An active user
   * whose userName is a person's in the directory is linked, as an admin confirming Okta's exact
   * username match does; the others would become new Okta users, which the mock does not model.
   */
  linkImportedUsers(resources: readonly Json[]): void {
    const byUserName = new Map(this.context.directory.allPeople().map((p) => [p.userName.toLowerCase(), p]));
    for (const resource of resources) {
      if (resource['active'] === false || typeof resource['id'] !== 'string' || typeof resource['userName'] !== 'string') continue;
      const person = byUserName.get(resource['userName'].toLowerCase());
      if (!person || this.context.links.users[person.key]?.assigned) continue;
      this.context.links.users[person.key] = { id: resource['id'], assigned: true, active: true };
    }
  }
}

/** Replaces the value of the entry of `type` in a multi-valued attribute, keeping the target's other entries and sub-attributes. */
function mergeTyped(current: unknown, type: string, value: Json): Json[] {
  const entries = Array.isArray(current) ? current.filter(isObject).map((entry) => ({ ...entry })) : [];
  const index = entries.findIndex((entry) => entry['type'] === type);
  const primary = type === 'work' && index < 0 ? entries.findIndex((entry) => entry['primary'] === true) : -1;
  const at = index >= 0 ? index : primary;
  if (at >= 0) entries[at] = { ...entries[at], ...value };
  else entries.unshift(value);
  return entries;
}

/**
 * The events both app types handle alike; `app` supplies the writes that differ. The runner has
 * already applied the event to the IdP's own directory (src-main/idp/apply-event.ts): a changed
 * person or group is read from there, and what the target was last told from `context.links`.
 */
export async function handleOktaEvent(event: IdpEvent, context: ProfileContext, app: OktaAppType): Promise<void> {
  const okta = new OktaClient(context);
  switch (event.type) {
    case 'testConnection':
      // "Okta makes two requests … The query parameters that Okta sends at this point are always constant" (OKTA_SCIM_11).
      await okta.expect('GET', '/Users', 'test connection', { query: 'startIndex=1&count=2' });
      if (context.options.groups !== false) await okta.expect('GET', '/Groups', 'test connection (groups)', { query: 'startIndex=1&count=100' });
      return;
    case 'assignUser':
      await okta.assign(event.user, app);
      return;
    case 'updateUser':
      await okta.pushProfile(okta.person(event.user), okta.assignedLink(event.user));
      return;
    case 'deactivateUser':
    case 'reactivateUser':
      await app.setActive(okta, okta.person(event.user), okta.assignedLink(event.user), event.type === 'reactivateUser');
      return;
    case 'unassignUser': {
      // Unassignment deactivates; the user is never deleted (OKTA_SCIM_20, "Delete Users").
      const link = okta.assignedLink(event.user);
      await app.setActive(okta, okta.person(event.user), link, false);
      link.assigned = false;
      return;
    }
    case 'deleteUser':
      throw new UnsupportedByIdp(`Okta never deletes users in a SCIM app: "Okta doesn't perform DELETE operations on User objects" (${OKTA_SCIM_20})`);
    case 'pushGroup':
      await app.pushGroup(okta, context.directory.group(event.group));
      return;
    case 'renameGroup':
      await app.updateGroup(okta, context.directory.group(event.group), okta.groupLink(event.group), 'rename');
      return;
    case 'addMembers':
    case 'removeMembers':
      // The change sent is the difference between the group now and what the target was last told.
      await app.updateGroup(okta, context.directory.group(event.group), okta.groupLink(event.group), 'members');
      return;
    case 'deleteGroup': {
      // "Unlink pushed group" > "Delete the group in the target app" (OKTA_SCIM_20, "Delete Groups").
      const link = okta.groupLink(event.group);
      await okta.expect('DELETE', `/Groups/${link.id}`, 'delete group');
      delete context.links.groups[event.group];
      return;
    }
    case 'importUsers':
      okta.linkImportedUsers(await okta.importAll('Users'));
      return;
    case 'importGroups':
      // Imported groups become app groups in Okta, apart from pushed groups: nothing is linked.
      await okta.importAll('Groups');
      return;
    case 'syncCycle':
      await syncCycle(okta, app);
      return;
  }
}

/**
 * Okta has no provisioning cycle: it pushes on each change (its CRUD suite waits 20–40 s for
 * event-driven pushes, Okta-SCIM-20-CRUD-Test.json in okta/okta-developer-docs). The nearest
 * admin action is a full re-push: every assigned, active user's profile (GET then PUT, as on
 * any profile change) and "Push now" on every pushed group.
 */
async function syncCycle(okta: OktaClient, app: OktaAppType): Promise<void> {
  const { directory, links } = okta.context;
  for (const person of directory.allPeople()) {
    const link = links.users[person.key];
    if (link?.assigned && link.active) await okta.pushProfile(person, link);
  }
  for (const group of directory.allGroups()) {
    if (links.groups[group.key]) await app.pushGroup(okta, group);
  }
}
