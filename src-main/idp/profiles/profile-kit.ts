/**
 * Building blocks shared by the OneLogin, JumpCloud, PingFederate and generic profiles: the RFC
 * 7643/7644 shapes they have in common, reading the target's answers, keeping the IdP's links
 * to the target up to date, and the 429 retry. What differs between IdPs (encodings, methods,
 * header sets, body templates) stays in each profile, next to the source it comes from.
 */
import { isDeepStrictEqual } from 'node:util';
import type { GroupLink, IdpDirectory, IdpGroup, Person, TargetLinks, UserLink } from '../directory.js';
import type { GroupKey, IdpEvent, PersonKey } from '../events.js';
import { IdpOperationFailed, type ProfileContext, type ProfileOptions, type RetryPolicy } from '../profile.js';
import { scimString } from '../query-encoding.js';
import { AUTHORIZATION } from '../../runner/exchange.js';
import { jsonBody, type HeaderList, type ReceivedResponse } from '../../runner/http.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_MEDIA_TYPE = 'application/scim+json';

export type JsonObject = Record<string, unknown>;

/** The event names a person or group the IdP has not provisioned to this target yet. */
export class NotProvisioned extends Error {
  constructor(what: string, event?: IdpEvent['type']) {
    super(`${what} has not been provisioned to this target, so the IdP has nothing to send${event ? ` for ${event}` : ''} (run assignUser / pushGroup first)`);
    this.name = 'NotProvisioned';
  }
}

/** Authorization, Accept, Content-Type (bodies only), User-Agent (unless null): the RFC 7644 §3.1 set. */
export function headerList(accept: string | undefined, contentType: string, userAgent: string | null, withBody: boolean): HeaderList {
  const headers: [string, string][] = [['Authorization', AUTHORIZATION]];
  if (accept !== undefined) headers.push(['Accept', accept]);
  if (withBody) headers.push(['Content-Type', contentType]);
  if (userAgent !== null) headers.push(['User-Agent', userAgent]);
  return headers;
}

/**
 * The §3.1 set with `application/scim+json` both ways (RFC 7644 §8.1) and the IdP's User-Agent
 * (`null`: none), unless the run names another.
 */
export function scimHeaders(defaultUserAgent: string | null): (withBody: boolean, options: ProfileOptions) => HeaderList {
  return (withBody, options) => headerList(SCIM_MEDIA_TYPE, SCIM_MEDIA_TYPE, options.userAgent === undefined ? defaultUserAgent : options.userAgent, withBody);
}

export const succeeded = (response: ReceivedResponse) => response.status >= 200 && response.status < 300;

/** The `detail` of an RFC 7644 error body, when there is one. */
function errorDetail(response: ReceivedResponse): string {
  const body = jsonBody(response);
  if (body && typeof body === 'object' && typeof (body as JsonObject).detail === 'string') return `: ${(body as JsonObject).detail as string}`;
  return '';
}

/** Throws IdpOperationFailed unless the target answered 2xx: the IdP logs the operation as failed. */
export function requireSuccess(response: ReceivedResponse, what: string, idpMessage?: string): void {
  if (!succeeded(response)) throw new IdpOperationFailed(`${what} failed: the target answered ${response.status}${errorDetail(response)}`, idpMessage);
}

/** The `id` of the resource a create returned; without one the IdP cannot link it. */
export function createdId(response: ReceivedResponse, what: string): string {
  requireSuccess(response, what);
  const body = jsonBody(response);
  const id = body && typeof body === 'object' ? (body as JsonObject).id : undefined;
  if (typeof id !== 'string' || id === '') throw new IdpOperationFailed(`${what}: the target's response has no "id", so the IdP cannot link the resource`);
  return id;
}

export interface ListPage {
  readonly resources: JsonObject[];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
}

/** An RFC 7644 §3.4.2 ListResponse; a body that is not one is a failure of the operation. */
export function listPage(response: ReceivedResponse, what: string): ListPage {
  requireSuccess(response, what);
  const body = jsonBody(response);
  if (!body || typeof body !== 'object' || typeof (body as JsonObject).totalResults !== 'number') {
    throw new IdpOperationFailed(`${what}: the target's answer is not a SCIM ListResponse (no numeric "totalResults")`);
  }
  const list = body as JsonObject;
  const resources = Array.isArray(list.Resources) ? (list.Resources.filter((r) => r && typeof r === 'object') as JsonObject[]) : [];
  return {
    resources,
    totalResults: list.totalResults as number,
    startIndex: typeof list.startIndex === 'number' ? list.startIndex : 1,
    itemsPerPage: typeof list.itemsPerPage === 'number' ? list.itemsPerPage : resources.length,
  };
}

/** The single resource a lookup found, undefined for none; several matches is the IdP's error. */
export function singleMatch(page: ListPage, what: string): JsonObject | undefined {
  if (page.resources.length > 1) throw new IdpOperationFailed(`${what}: the target returned ${page.resources.length} resources for a unique attribute`);
  const found = page.resources[0];
  if (found && typeof found.id !== 'string') throw new IdpOperationFailed(`${what}: the matching resource has no "id"`);
  return found;
}

/** A GET with the IdP's lookup query (a filter on a unique attribute): the one match, or undefined. */
export async function lookupOne(send: Send, what: string, endpoint: string, query: string): Promise<JsonObject | undefined> {
  return singleMatch(listPage(await send(what, 'GET', endpoint, { query }), what), what);
}

/**
 * What these IdPs do on a 429: none documents it, so the profiles behave as an RFC client would
 * and wait out the Retry-After the server sends (RFC 6585 §4), once.
 */
export const RFC_RETRY_POLICY: RetryPolicy = { honorRetryAfter: true, source: 'https://www.rfc-editor.org/rfc/rfc6585#section-4' };

export interface SendOptions {
  readonly query?: string;
  readonly body?: string;
  /** Sent after the profile's own headers (the generic client's If-Match). */
  readonly extraHeaders?: HeaderList;
}

export type Send = (purpose: string, method: string, path: string, options?: SendOptions) => Promise<ReceivedResponse>;

/** A `send` that puts the profile's headers on every request (the run applies the 429 policy). */
export function sender(context: ProfileContext, headers: (withBody: boolean, options: ProfileOptions) => HeaderList): Send {
  return (purpose, method, path, options = {}) =>
    context.send({
      method,
      path,
      ...(options.query === undefined ? {} : { query: options.query }),
      headers: [...headers(options.body !== undefined, context.options), ...(options.extraHeaders ?? [])],
      ...(options.body === undefined ? {} : { body: options.body }),
      purpose,
    });
}

/**
 * Reads every page of a resource type the RFC 7644 §3.4.2.4 way (`startIndex` from 1, `count`
 * per page) until `totalResults` is reached or a page comes back empty.
 */
export async function readAllPages(send: Send, endpoint: string, pageSize: number, what: string): Promise<JsonObject[]> {
  const all: JsonObject[] = [];
  for (let startIndex = 1; ; ) {
    const page = listPage(await send(`${what}, page at ${startIndex}`, 'GET', endpoint, { query: `startIndex=${startIndex}&count=${pageSize}` }), what);
    all.push(...page.resources);
    startIndex += page.resources.length;
    if (page.resources.length === 0 || startIndex > page.totalResults) return all;
  }
}

/** importUsers / importGroups: every page of the collection, linked by userName or displayName. */
export async function importAndLink(
  send: Send,
  context: ProfileContext,
  type: 'importUsers' | 'importGroups',
  pageSize: number,
  endpoints: { readonly usersEndpoint: string; readonly groupsEndpoint: string } = { usersEndpoint: '/Users', groupsEndpoint: '/Groups' },
): Promise<void> {
  if (type === 'importUsers') linkImportedUsers(await readAllPages(send, endpoints.usersEndpoint, pageSize, 'import users'), context.directory, context.links);
  else linkImportedGroups(await readAllPages(send, endpoints.groupsEndpoint, pageSize, 'import groups'), context.directory, context.links);
}

/** Links the target's users to the IdP's people with the same userName (what an import does). */
function linkImportedUsers(resources: readonly JsonObject[], directory: IdpDirectory, links: TargetLinks): void {
  for (const resource of resources) {
    const person = personByUserName(directory, resource.userName);
    if (!person || typeof resource.id !== 'string' || links.users[person.key]) continue;
    links.users[person.key] = { id: resource.id, assigned: true, active: resource.active !== false };
  }
}

/** The IdP's keys of the members a target's group lists (members it never provisioned are not its to name). */
export function memberKeysIn(group: JsonObject, links: TargetLinks): PersonKey[] {
  const ids = Array.isArray(group.members) ? group.members.map((member) => (member as JsonObject | null)?.value) : [];
  return Object.entries(links.users)
    .filter(([, link]) => ids.includes(link.id))
    .map(([key]) => key);
}

/** Links the target's groups to the IdP's groups with the same displayName. */
function linkImportedGroups(resources: readonly JsonObject[], directory: IdpDirectory, links: TargetLinks): void {
  for (const resource of resources) {
    const group = directory.allGroups().find((candidate) => sameText(resource.displayName, candidate.displayName));
    if (!group || typeof resource.id !== 'string' || links.groups[group.key]) continue;
    links.groups[group.key] = { id: resource.id, displayName: group.displayName, members: memberKeysIn(resource, links) };
  }
}

/** The link to a group a lookup found: what it holds is what the IdP now knows the target was told. */
export function foundGroupLink(found: JsonObject, links: TargetLinks): GroupLink {
  return { id: found.id as string, displayName: String(found.displayName), members: memberKeysIn(found, links) };
}

export interface UserAssignment {
  /** The IdP's lookup for this person's user in the target. */
  readonly find: (person: Person) => Promise<JsonObject | undefined>;
  /** The body a create sends. */
  readonly body: (person: Person) => JsonObject;
  /** Sends the create; the new user's id. */
  readonly create: (body: JsonObject) => Promise<string>;
  /** Brings a user the IdP linked before, or just found, up to date. */
  readonly update: (key: PersonKey) => Promise<void>;
}

/**
 * Assignment as these IdPs do it: a person not linked yet is looked up; without a match the user
 * is created (and the body kept as what the target holds); a match, or a user linked before, is
 * marked assigned and updated, since nothing is known to have been sent to it.
 */
export async function assignWithLookup(context: ProfileContext, key: PersonKey, how: UserAssignment): Promise<void> {
  const person = context.directory.person(key);
  const existing = context.links.users[key];
  if (existing) {
    existing.assigned = true;
  } else {
    const found = await how.find(person);
    if (!found) {
      const body = how.body(person);
      context.links.users[key] = { id: await how.create(body), assigned: true, active: person.active, lastSent: body };
      return;
    }
    context.links.users[key] = { id: found.id as string, assigned: true, active: found.active !== false };
  }
  await how.update(key);
}

export function userLink(links: TargetLinks, key: PersonKey, event: IdpEvent['type']): UserLink {
  const link = links.users[key];
  if (!link) throw new NotProvisioned(`Person "${key}"`, event);
  return link;
}

export function groupLink(links: TargetLinks, key: GroupKey, event: IdpEvent['type']) {
  const link = links.groups[key];
  if (!link) throw new NotProvisioned(`Group "${key}"`, event);
  return link;
}

/**
 * The target ids of the given people that the IdP has provisioned. An IdP can only name members
 * by ids the target gave it, so people it never provisioned are left out, as Okta and Entra do.
 */
export function linkedMembers(links: TargetLinks, keys: readonly PersonKey[]): { key: PersonKey; id: string }[] {
  return keys.flatMap((key) => {
    const link = links.users[key];
    return link ? [{ key, id: link.id }] : [];
  });
}

/** Forgets a user the target no longer has, also as a member of the groups the IdP linked. */
export function forgetUser(links: TargetLinks, key: PersonKey): void {
  delete links.users[key];
  for (const group of Object.values(links.groups)) group.members = group.members.filter((member) => member !== key);
}

/** The manager's id in the target, when the IdP has provisioned the manager there. */
export function managerId(person: Person, links: TargetLinks): string | undefined {
  return person.manager === undefined ? undefined : links.users[person.manager]?.id;
}

export interface RfcUserOptions {
  /** RFC 7643 §3.1: `externalId` is the client's own identifier, here the IdP's object id. */
  readonly externalId: boolean;
  /** Send the enterprise extension (RFC 7643 §4.3). */
  readonly enterprise: boolean;
}

/** A User as RFC 7643 §4.1 and §4.3 describe it, with the attributes this person has. */
export function rfcUser(person: Person, links: TargetLinks, options: RfcUserOptions): JsonObject {
  const enterprise: JsonObject = {};
  if (person.employeeNumber !== undefined) enterprise.employeeNumber = person.employeeNumber;
  if (person.costCenter !== undefined) enterprise.costCenter = person.costCenter;
  if (person.department !== undefined) enterprise.department = person.department;
  const manager = managerId(person, links);
  if (manager !== undefined) enterprise.manager = { value: manager };
  const sendEnterprise = options.enterprise && Object.keys(enterprise).length > 0;

  const user: JsonObject = { schemas: sendEnterprise ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA] };
  if (options.externalId) user.externalId = person.objectId;
  user.userName = person.userName;
  user.name = {
    givenName: person.givenName,
    familyName: person.familyName,
    ...(person.displayName === undefined ? {} : { formatted: person.displayName }),
  };
  if (person.displayName !== undefined) user.displayName = person.displayName;
  user.emails = [{ value: person.email, type: 'work', primary: true }];
  if (person.mobile !== undefined) user.phoneNumbers = [{ value: person.mobile, type: 'mobile' }];
  if (person.title !== undefined) user.title = person.title;
  if (person.locale !== undefined) user.locale = person.locale;
  user.active = person.active;
  if (sendEnterprise) user[ENTERPRISE_SCHEMA] = enterprise;
  return user;
}

/** `{"value": id}` member values, as RFC 7643 §4.2 writes group members. */
export const memberValues = (ids: readonly string[]) => ids.map((value) => ({ value }));

export function patchBody(operations: readonly JsonObject[]): string {
  return JSON.stringify({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
}

/** RFC 7644 §3.5.2.2: one member removed by a value filter in the path. */
export function removeMemberByFilter(id: string): JsonObject {
  return { op: 'remove', path: `members[value eq ${scimString(id)}]` };
}

/** POST /Groups with the displayName alone (members follow in a PATCH); the new group's link. */
export async function createEmptyGroup(send: Send, group: IdpGroup): Promise<GroupLink> {
  const body = { schemas: [GROUP_SCHEMA], displayName: group.displayName };
  return { id: createdId(await send('create group', 'POST', '/Groups', { body: JSON.stringify(body) }), 'create group'), displayName: group.displayName, members: [] };
}

export interface GroupUpdate {
  /** RFC 7644 §3.5.2 operations: rename, add members, remove members; none when nothing changed. */
  readonly operations: JsonObject[];
  /** The members the target should have, as the IdP can name them. */
  readonly wanted: { key: PersonKey; id: string }[];
  /** After the target accepted the update: remembers the group as the IdP told it. */
  readonly sent: () => void;
}

/**
 * What the IdP would send to bring the target's group to its own. Members leave by a value filter
 * in the path (RFC 7644 §3.5.2.2) or, with `valueArray`, as a `remove` whose value lists them
 * (JumpCloud).
 */
export function groupUpdate(links: TargetLinks, group: IdpGroup, link: GroupLink, removeBy: 'filter' | 'valueArray' = 'filter'): GroupUpdate {
  const changes = membershipChanges(links, group.members, link.members);
  const operations: JsonObject[] = [];
  if (link.displayName !== group.displayName) operations.push({ op: 'replace', path: 'displayName', value: group.displayName });
  if (changes.add.length > 0) operations.push({ op: 'add', path: 'members', value: memberValues(changes.add.map((m) => m.id)) });
  if (removeBy === 'filter') for (const member of changes.remove) operations.push(removeMemberByFilter(member.id));
  else if (changes.remove.length > 0) operations.push({ op: 'remove', path: 'members', value: memberValues(changes.remove.map((m) => m.id)) });
  return {
    operations,
    wanted: changes.wanted,
    sent: () => {
      link.displayName = group.displayName;
      link.members = changes.wanted.map((m) => m.key);
    },
  };
}

export interface SyncCycleSteps {
  /** The body the IdP would send for this person now. */
  readonly userBody: (person: Person) => JsonObject;
  readonly updateUser: (key: PersonKey) => Promise<void>;
  readonly syncGroup: (key: GroupKey) => Promise<void>;
}

/** A provisioning cycle: every assigned user whose body changed since it was last sent, then every linked group. */
export async function syncChanged(context: ProfileContext, steps: SyncCycleSteps): Promise<void> {
  for (const [key, link] of Object.entries(context.links.users)) {
    if (link.assigned && !isDeepStrictEqual(steps.userBody(context.directory.person(key)), link.lastSent)) await steps.updateUser(key);
  }
  for (const key of Object.keys(context.links.groups)) await steps.syncGroup(key);
}

/** Case-insensitive equality, as RFC 7643 declares `userName` and `displayName` (caseExact false). */
export const sameText = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** People the IdP knows by their userName, for linking what an import found. */
export function personByUserName(directory: IdpDirectory, userName: unknown): Person | undefined {
  return directory.allPeople().find((person) => sameText(userName, person.userName));
}

/** Who should be a member and is not, and who is and should not be, as the IdP last told the target. */
export function membershipChanges(links: TargetLinks, desired: readonly PersonKey[], told: readonly PersonKey[]) {
  const wanted = linkedMembers(links, desired);
  return {
    wanted,
    add: wanted.filter((member) => !told.includes(member.key)),
    remove: linkedMembers(links, told.filter((key) => !desired.includes(key))),
  };
}
