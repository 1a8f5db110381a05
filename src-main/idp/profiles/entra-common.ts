/**
 * Microsoft Entra ID's provisioning client, shared by the `entra` (default engine) and
 * `entra-compliant` (`aadOptscim062020` tenant-URL flag) profiles. Both send the same requests
 * in the same order; the flag changes only how PATCH bodies are written (op casing, booleans,
 * member removal, multi-attribute replace), which each profile supplies as its PatchDialect.
 *
 * Comments next to each behaviour cite these Microsoft Learn pages by the short name in front:
 * - tutorial: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
 * - scim-compatibility: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
 * - how-provisioning-works: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works
 * - known-issues: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/known-issues
 * Other sources are cited by their full URL.
 */
import type { IdpGroup, Person, UserLink } from '../directory.js';
import type { GroupKey, IdpEvent, PersonKey } from '../events.js';
import {
  IdpOperationFailed,
  UnsupportedByIdp,
  type Profile,
  type ProfileContext,
  type ProfileName,
  type ProfileOptions,
  type ProfileRequest,
  type ProfileSource,
  type RetryPolicy,
} from '../profile.js';
import { eqFilter, formEncode } from '../query-encoding.js';
import { AUTHORIZATION } from '../../runner/exchange.js';
import { jsonBody, type HeaderList, type ReceivedResponse } from '../../runner/http.js';
import {
  MANAGER_PATH,
  attributeChanges,
  createUserBody,
  currentActive,
  currentManager,
  sentByCreate,
  type AttributeChange,
} from './entra-user.js';

const TUTORIAL = 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups';
const COMPATIBILITY = 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility';
const QUARANTINE = 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status';

export const ENTRA_SOURCES: readonly ProfileSource[] = [
  { id: 'scim-tutorial', title: 'Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID', url: TUTORIAL },
  { id: 'scim-compatibility', title: 'Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service', url: COMPATIBILITY },
  { id: 'how-provisioning-works', title: 'How Application Provisioning works in Microsoft Entra ID', url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works' },
  { id: 'quarantine', title: 'Application provisioning in quarantine status', url: QUARANTINE },
  { id: 'known-issues', title: 'Known issues for provisioning in Microsoft Entra ID', url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/known-issues' },
  { id: 'account-discovery', title: 'Discover identities in target applications with Account Discovery', url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-to-account-discovery' },
  { id: 'probe-encoding', title: 'AzureAD/SCIMReferenceCode#63: the random-GUID probe as sent', url: 'https://github.com/AzureAD/SCIMReferenceCode/issues/63' },
  { id: 'group-lookup', title: 'Microsoft Q&A 923479: group lookup by displayName (Microsoft staff answer)', url: 'https://learn.microsoft.com/en-us/answers/questions/923479' },
  { id: 'manager-bare-id', title: 'Captain-P-Goldfish/SCIM-SDK#686: manager PATCHed as a bare id', url: 'https://github.com/Captain-P-Goldfish/SCIM-SDK/issues/686' },
  { id: 'read-by-id', title: 'MicrosoftDocs/azure-docs#11784: GET /Users/{id} before an update', url: 'https://github.com/MicrosoftDocs/azure-docs/issues/11784' },
  { id: 'user-agent', title: 'kortix-ai/suna#7297: Entra sent no User-Agent', url: 'https://github.com/kortix-ai/suna/pull/7297' },
  { id: 'retry-after', title: 'Microsoft Q&A 2284725: 429 and Retry-After', url: 'https://learn.microsoft.com/en-us/answers/questions/2284725' },
];

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** Entra's own group schema URI, sent beside the core one (tutorial, "Create Group"). */
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Account Discovery's page size: undocumented; RFC 7644 §3.4.2.4 paging with 100 per page is assumed. */
export const DISCOVERY_PAGE_SIZE = 100;


/** The exact wording of the quarantine reason for a 404 where a 200 was expected. */
export const QUARANTINE_404 =
  'SCIM Compliance issue: An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response.';
/** The exact wording of the quarantine reason for rejected credentials. */
export const QUARANTINE_CREDENTIALS =
  'Invalid credentials: When attempting to authorize,  access to the target application, we received a response from the target application that indicates the credentials provided are invalid.';

export interface PatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

/** How one Entra behaviour writes PATCH bodies: the only thing `aadOptscim062020` changes. */
export interface PatchDialect {
  /** An operation name as sent: `Replace` by default, `replace` with the flag. */
  op(kind: 'add' | 'replace' | 'remove'): string;
  /** A boolean as sent in `active`: `"False"` by default, `false` with the flag. */
  boolean(value: boolean): boolean | string;
  /** The operations that write changed attributes. */
  attributeOperations(changes: readonly AttributeChange[]): PatchOperation[];
  /** The operations that remove members (by their target ids) from a group. */
  memberRemoval(ids: readonly string[]): PatchOperation[];
}

export interface EntraProfileSpec {
  readonly name: Extract<ProfileName, 'entra' | 'entra-compliant'>;
  readonly title: string;
  readonly summary: string;
  readonly dialect: PatchDialect;
}

/**
 * `Authorization` and, on bodies, `Content-type: application/scim+json` with a lower-case `t`,
 * exactly as the tutorial's request examples write it (examples 2 and 5, "Authorization: Bearer
 * ...", "Content-type: application/scim+json"): nothing else is documented (no Accept).
 * User-Agent: Microsoft documents none; a 2026 report says Entra sent none
 * (https://github.com/kortix-ai/suna/pull/7297) while a GitHub fixture expects
 * "Microsoft Azure AD SCIM provisioning…" (maybe only for its gallery app). Default: none;
 * `options.userAgent` sets one.
 */
export function entraHeaders(withBody: boolean, options: ProfileOptions): HeaderList {
  const headers: [string, string][] = [['Authorization', AUTHORIZATION]];
  if (withBody) headers.push(['Content-type', 'application/scim+json']);
  if (typeof options.userAgent === 'string') headers.push(['User-Agent', options.userAgent]);
  return headers;
}

/**
 * 429: Microsoft's statements conflict. Its provisioning docs describe failed operations being
 * retried in later cycles (escrow, https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status),
 * and custom non-gallery apps have no rate limiting (Microsoft Q&A 1233453,
 * https://learn.microsoft.com/en-us/answers/questions/1233453); a 2025 Q&A answer says the
 * client suspends for Retry-After and retries (https://learn.microsoft.com/en-us/answers/questions/2284725).
 * Default: a 429 fails the operation; `honorRetryAfter: true` has the run wait and retry once.
 */
export const ENTRA_RETRY_POLICY: RetryPolicy = {
  honorRetryAfter: false,
  source: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status',
};

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

export function createEntraProfile(spec: EntraProfileSpec): Profile {
  return {
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    sources: ENTRA_SOURCES,
    retryPolicy: ENTRA_RETRY_POLICY,
    headers: entraHeaders,
    handle: (event, context) => new EntraClient(spec.dialect, context).handle(event),
  };
}

interface Send {
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly body?: unknown;
  readonly purpose: string;
}

/** One event's worth of Entra's client, over the context's directory and links. */
class EntraClient {
  constructor(
    private readonly dialect: PatchDialect,
    private readonly context: ProfileContext,
  ) {}

  async handle(event: IdpEvent): Promise<void> {
    switch (event.type) {
      case 'testConnection':
        return this.probe();
      case 'assignUser':
        return this.assignUser(event.user);
      // The runner has already applied the admin's change to the IdP directory (idp/apply-event.ts).
      case 'updateUser':
        return this.updateUser(event.user);
      case 'deactivateUser':
        return this.setActive(event.user, false);
      case 'reactivateUser':
        return this.setActive(event.user, true);
      case 'unassignUser':
        return this.unassignUser(event.user);
      case 'deleteUser':
        return this.deleteUser(event.user);
      case 'pushGroup':
        return this.pushGroup(event.group);
      case 'renameGroup':
        return this.renameGroup(event.group);
      case 'addMembers':
        return this.addMembers(event.group, event.users);
      case 'removeMembers':
        return this.removeMembers(event.group, event.users);
      case 'deleteGroup':
        return this.deleteGroup(event.group);
      case 'importUsers':
        return this.discoverAccounts();
      case 'importGroups':
        // Account Discovery "retrieves all user accounts from a target application"; nothing
        // in Entra lists a SCIM app's groups (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-to-account-discovery).
        throw new UnsupportedByIdp('Microsoft Entra ID never lists a SCIM app\'s groups: Account Discovery reads users only, and provisioning looks groups up by displayName');
      case 'syncCycle':
        return this.syncCycle();
    }
  }

  // ---- transport ---------------------------------------------------------------------------

  private async send(request: Send): Promise<ReceivedResponse> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const outgoing: ProfileRequest = {
      method: request.method,
      path: request.path,
      ...(request.query === undefined ? {} : { query: request.query }),
      headers: entraHeaders(body !== undefined, this.context.options),
      ...(body === undefined ? {} : { body }),
      purpose: request.purpose,
    };
    // A 429 the run chose to wait out (ProfileOptions.honorRetryAfter) was retried by the run already.
    return this.context.send(outgoing);
  }

  /** A write or read that must succeed; anything but 2xx fails the operation, as Entra logs it. */
  private async expectSuccess(request: Send): Promise<ReceivedResponse> {
    const response = await this.send(request);
    if (response.status < 200 || response.status > 299) throw this.failure(request, response);
    return response;
  }

  private failure(request: Send, response: ReceivedResponse): IdpOperationFailed {
    const where = `${request.method} ${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
    const detail = object(jsonBody(response))?.detail;
    const said = typeof detail === 'string' ? `: ${detail}` : '';
    if (response.status === 404 && request.method === 'GET') {
      // A 404 where Entra expects 200 is a quarantine reason of its own.
      const finding = request.query?.includes('filter=') ? 'entra.filter-404' : 'entra.request-failed';
      return new IdpOperationFailed(`${request.purpose}: ${where} answered 404 instead of 200${said}`, QUARANTINE_404, finding);
    }
    if (response.status === 401 || response.status === 403) {
      return new IdpOperationFailed(`${request.purpose}: ${where} answered ${response.status}${said}`, QUARANTINE_CREDENTIALS, 'entra.request-failed');
    }
    if (response.status === 429) {
      return new IdpOperationFailed(
        `${request.purpose}: ${where} answered 429${said}; Entra retries the object in a later cycle` +
          (this.context.options.honorRetryAfter ? ' (Retry-After missing, or a second 429)' : ''),
      );
    }
    const finding = request.method === 'PATCH' && request.path.startsWith('/Groups/') ? 'entra.group-patch-status' : 'entra.request-failed';
    return new IdpOperationFailed(`${request.purpose}: ${where} answered ${response.status}${said}`, undefined, finding);
  }

  /**
   * A filter query. It must answer 200 with a ListResponse, never 404 for no match: "Filter
   * queries … should return a ListResponse", and a 404 here is what puts a job in quarantine
   * (tutorial; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status).
   */
  private async search(request: Send): Promise<Json[]> {
    const response = await this.send(request);
    if (response.status !== 200) throw this.failure(request, response);
    const list = object(jsonBody(response));
    const resources = list?.Resources ?? [];
    const schemas = list?.schemas;
    if (!list || !Array.isArray(resources) || (Array.isArray(schemas) && !schemas.includes(LIST_RESPONSE))) {
      throw new IdpOperationFailed(`${request.purpose}: ${request.method} ${request.path} did not answer a SCIM ListResponse`, undefined, 'entra.filter-not-list-response');
    }
    return resources.map((resource) => object(resource) ?? {});
  }

  // ---- requests ----------------------------------------------------------------------------

  /**
   * Form-encoded filters (`+` for spaces, `%22` for quotes), as observed:
   * `filter=userName+eq+%22cf4d78e8-…%22` (https://github.com/AzureAD/SCIMReferenceCode/issues/63).
   * Matching attribute: userName (the default mapping's userPrincipalName, tutorial).
   */
  private findUsers(userName: string, purpose: string): Promise<Json[]> {
    return this.search({ method: 'GET', path: '/Users', query: `filter=${formEncode(eqFilter('userName', userName))}`, purpose });
  }

  /**
   * `excludedAttributes=members` first, then the filter, as observed:
   * `/Groups?excludedAttributes=members&filter=displayName+eq+%22TEST%22`
   * (https://learn.microsoft.com/en-us/answers/questions/923479); "Use the displayName attribute
   * to query groups" (tutorial).
   */
  private findGroups(displayName: string, purpose: string): Promise<Json[]> {
    return this.search({
      method: 'GET',
      path: '/Groups',
      query: `excludedAttributes=members&filter=${formEncode(eqFilter('displayName', displayName))}`,
      purpose,
    });
  }

  private patch(path: string, operations: readonly PatchOperation[], purpose: string): Promise<ReceivedResponse> {
    return this.expectSuccess({ method: 'PATCH', path, body: { schemas: [PATCH_OP], Operations: operations }, purpose });
  }

  // ---- connection test and cycles ----------------------------------------------------------

  /**
   * "Test Connection queries the SCIM endpoint for a user that doesn't exist, using a random
   * GUID as the matching property … The expected correct response is HTTP 200 OK with an empty
   * SCIM ListResponse message", and Entra "makes requests to fetch a random user and group" (tutorial).
   * The same probe starts every cycle (https://github.com/AzureAD/SCIMReferenceCode/issues/63).
   * The group probe's form is inferred from the group lookup; it is sent when groups are provisioned.
   */
  private async probe(): Promise<void> {
    const users = await this.findUsers(this.context.random.uuid(), 'probe for a random user');
    if (users.length > 0) throw this.probeMatched('user', users.length);
    if (this.context.options.groups === false) return;
    const groups = await this.findGroups(this.context.random.uuid(), 'probe for a random group');
    if (groups.length > 0) throw this.probeMatched('group', groups.length);
  }

  private probeMatched(kind: string, count: number): IdpOperationFailed {
    return new IdpOperationFailed(
      `The probe for a random ${kind} matched ${count} resource(s): Entra expects an empty ListResponse for a value that cannot exist (does the target ignore the filter?)`,
      undefined,
      'entra.probe-matched',
    );
  }

  /**
   * A full cycle (as after "Restart provisioning"): the probe, then every assigned user read by
   * its cached id and patched where it differs, then every pushed group. Entra reads the target
   * by id before writing (observed: `GET /Users/1813229` first, https://github.com/MicrosoftDocs/azure-docs/issues/11784),
   * and "checks the current attribute value in the identity store before updating it" (tutorial, example 4).
   */
  private async syncCycle(): Promise<void> {
    await this.probe();
    for (const [key, link] of Object.entries(this.context.links.users)) {
      if (link.assigned) await this.reconcileUser(key);
      else if (link.active) await this.writeActive(link, false);
    }
    for (const key of Object.keys(this.context.links.groups)) await this.pushGroup(key);
  }

  // ---- users -------------------------------------------------------------------------------

  /** A user Entra manages in the target: linked and assigned. */
  private managed(key: PersonKey): UserLink | undefined {
    const link = this.context.links.users[key];
    return link?.assigned ? link : undefined;
  }

  private async assignUser(key: PersonKey): Promise<void> {
    const link = this.context.links.users[key];
    if (link) {
      // The id is cached after the first match and used from then on (how-provisioning-works).
      link.assigned = true;
      return this.reconcileUser(key);
    }
    return this.matchOrCreate(this.context.directory.person(key));
  }

  /**
   * "Query the target with the matching attribute; create if not found, else update" and cache
   * the id (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works).
   */
  private async matchOrCreate(person: Person): Promise<void> {
    const found = await this.findUsers(person.userName, 'lookup by userName');
    if (found.length > 1) {
      throw new IdpOperationFailed(`lookup by userName: ${found.length} users match userName "${person.userName}"; Entra needs exactly one match`);
    }
    const match = found[0];
    if (match) {
      const id = match.id;
      if (typeof id !== 'string') throw new IdpOperationFailed('lookup by userName: the matching user has no "id"');
      this.context.links.users[person.key] = { id, assigned: true, active: currentActive(match) ?? true, lastSent: {} };
      return this.writeDifferences(person, match);
    }
    const request: Send = { method: 'POST', path: '/Users', body: createUserBody(person), purpose: 'create user' };
    const response = await this.expectSuccess(request);
    const id = object(jsonBody(response))?.id;
    // "id" must be in every returned resource (tutorial, "Create User").
    if (typeof id !== 'string' || id === '') throw new IdpOperationFailed(`create user: POST /Users answered ${response.status} without an "id"`, undefined, 'entra.create-without-id');
    this.context.links.users[person.key] = { id, assigned: true, active: person.active, lastSent: sentByCreate(person) };
    await this.writeManager(person, undefined);
  }

  /** GET the user by its cached id and PATCH what differs; a user gone from the target is matched again. */
  private async reconcileUser(key: PersonKey): Promise<void> {
    const person = this.context.directory.person(key);
    const link = this.context.links.users[key];
    if (!link) return this.matchOrCreate(person);
    const request: Send = { method: 'GET', path: `/Users/${link.id}`, purpose: 'read user' };
    const response = await this.send(request);
    if (response.status === 404) {
      // Inferred: the cached id is stale, so Entra matches (and creates) again.
      delete this.context.links.users[key];
      return this.matchOrCreate(person);
    }
    if (response.status !== 200) throw this.failure(request, response);
    await this.writeDifferences(person, jsonBody(response));
  }

  /** The attribute PATCH (only what differs, `active` last), then the manager in its own PATCH. */
  private async writeDifferences(person: Person, current: unknown): Promise<void> {
    const link = this.context.links.users[person.key]!;
    const changes = attributeChanges(person, current);
    const operations = this.dialect.attributeOperations(changes);
    const active = currentActive(current);
    if (active !== person.active) {
      operations.push({ op: this.dialect.op(active === undefined ? 'add' : 'replace'), path: 'active', value: this.dialect.boolean(person.active) });
    }
    if (operations.length > 0) {
      await this.patch(`/Users/${link.id}`, operations, 'update user');
      link.active = person.active;
      link.lastSent = { ...link.lastSent, ...Object.fromEntries(changes.map((change) => [change.path, change.value])), active: person.active };
    }
    await this.writeManager(person, currentManager(current));
  }

  /**
   * The manager as the manager's target id, bare, on the enterprise URN path, in a PATCH of its
   * own after the user exists (observed: https://github.com/Captain-P-Goldfish/SCIM-SDK/issues/686;
   * reference attributes are written "in a separate update", how-provisioning-works). A manager
   * Entra does not manage in the target is not written (known-issues: the reference waits until
   * the manager is provisioned); a cleared manager is not sent (nulls are skipped).
   */
  private async writeManager(person: Person, current: string | undefined): Promise<void> {
    if (person.manager === undefined) return;
    const manager = this.managed(person.manager);
    if (!manager || manager.id === current) return;
    const link = this.context.links.users[person.key]!;
    const operation = { op: this.dialect.op(current === undefined ? 'add' : 'replace'), path: MANAGER_PATH, value: manager.id };
    await this.patch(`/Users/${link.id}`, [operation], 'set manager');
    link.lastSent = { ...link.lastSent, [MANAGER_PATH]: manager.id };
  }

  /** Profile changes reach the target only for a user Entra manages (assigned, in scope). */
  private async updateUser(key: PersonKey): Promise<void> {
    if (this.managed(key)) await this.reconcileUser(key);
  }

  private async setActive(key: PersonKey, active: boolean): Promise<void> {
    const link = this.managed(key);
    if (!link || link.active === active) return;
    await this.writeActive(link, active);
  }

  /**
   * "When a user … is unassigned from an app … a disable request is sent"; Entra never deletes
   * on unassignment (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works).
   */
  private async unassignUser(key: PersonKey): Promise<void> {
    const link = this.context.links.users[key];
    if (!link) return;
    link.assigned = false;
    if (link.active) await this.writeActive(link, false);
  }

  /**
   * `{"op":"Replace","path":"active","value":"False"}` by default, `"replace"` and `false` with
   * the flag (scim-compatibility, "Requests made to disable users"); enabling is the same with
   * True/true (inferred from the IsSoftDeleted → active mapping).
   */
  private async writeActive(link: UserLink, active: boolean): Promise<void> {
    const operation = { op: this.dialect.op('replace'), path: 'active', value: this.dialect.boolean(active) };
    await this.patch(`/Users/${link.id}`, [operation], active ? 'enable user' : 'disable user');
    link.active = active;
    link.lastSent = { ...link.lastSent, active };
  }

  /**
   * DELETE only when the user is hard-deleted in Entra (30 days after a soft delete, or purged):
   * how-provisioning-works; `DELETE /Users/{id}` → 204 (tutorial, "Delete User").
   */
  private async deleteUser(key: PersonKey): Promise<void> {
    const person = this.context.directory.person(key);
    const link = this.context.links.users[key];
    if (link) {
      await this.expectSuccess({ method: 'DELETE', path: `/Users/${link.id}`, purpose: 'delete user' });
      delete this.context.links.users[key];
    }
    // A hard-deleted user leaves every group, in Entra and (through the target's own delete) in the target.
    for (const group of this.context.directory.allGroups()) group.members = group.members.filter((member) => member !== person.key);
    for (const groupLink of Object.values(this.context.links.groups)) groupLink.members = groupLink.members.filter((member) => member !== person.key);
  }

  /**
   * Account Discovery is Entra's only listing of a SCIM app's users: it "uses pagination to
   * retrieve all user accounts" per RFC 7644 §3.4.2.4
   * (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-to-account-discovery).
   * The parameters are undocumented: `startIndex=1&count=100`, then the next index, is assumed.
   * Provisioning itself never imports.
   */
  private async discoverAccounts(): Promise<void> {
    let startIndex = 1;
    for (;;) {
      const request: Send = { method: 'GET', path: '/Users', query: `startIndex=${startIndex}&count=${DISCOVERY_PAGE_SIZE}`, purpose: 'account discovery' };
      const response = await this.send(request);
      if (response.status !== 200) throw this.failure(request, response);
      const list = object(jsonBody(response));
      const resources = list?.Resources;
      const total = list?.totalResults;
      if (!Array.isArray(resources) || typeof total !== 'number') {
        throw new IdpOperationFailed(`account discovery: GET /Users?${request.query} did not answer a SCIM ListResponse`);
      }
      startIndex += resources.length;
      if (resources.length === 0 || startIndex > total) return;
    }
  }

  // ---- groups ------------------------------------------------------------------------------

  /** Target ids of the members Entra manages in the target, keyed by person. */
  private memberIds(keys: readonly PersonKey[]): Map<PersonKey, string> {
    const ids = new Map<PersonKey, string>();
    for (const key of keys) {
      const link = this.managed(key);
      if (link) ids.set(key, link.id);
    }
    return ids;
  }

  /**
   * Lookup by displayName → `POST /Groups` with no members ("Groups are created with an empty
   * members list") → `PATCH` Add members; a pushed group is read by id with
   * `excludedAttributes=members`, renamed if it differs and its membership brought up to date
   * (tutorial, "Groups").
   */
  private async pushGroup(key: GroupKey): Promise<void> {
    const group = this.context.directory.group(key);
    const link = this.context.links.groups[key];
    if (link) {
      const request: Send = { method: 'GET', path: `/Groups/${link.id}`, query: 'excludedAttributes=members', purpose: 'read group' };
      const response = await this.send(request);
      if (response.status === 404) {
        delete this.context.links.groups[key];
        return this.pushGroup(key);
      }
      if (response.status !== 200) throw this.failure(request, response);
      if (object(jsonBody(response))?.displayName !== group.displayName) await this.writeDisplayName(group);
      return this.syncMembers(group);
    }
    const found = await this.findGroups(group.displayName, 'lookup group by displayName');
    if (found.length > 1) {
      throw new IdpOperationFailed(`lookup group by displayName: ${found.length} groups are named "${group.displayName}"; displayName must be unique for Entra`);
    }
    const match = found[0];
    if (match) {
      if (typeof match.id !== 'string') throw new IdpOperationFailed('lookup group by displayName: the matching group has no "id"');
      this.context.links.groups[key] = { id: match.id, displayName: group.displayName, members: [] };
      return this.syncMembers(group);
    }
    const body = { schemas: [CORE_GROUP, ADSCIM_GROUP], externalId: group.objectId, displayName: group.displayName, meta: { resourceType: 'Group' } };
    const response = await this.expectSuccess({ method: 'POST', path: '/Groups', body, purpose: 'create group' });
    const id = object(jsonBody(response))?.id;
    if (typeof id !== 'string' || id === '') throw new IdpOperationFailed(`create group: POST /Groups answered ${response.status} without an "id"`, undefined, 'entra.create-without-id');
    this.context.links.groups[key] = { id, displayName: group.displayName, members: [] };
    return this.syncMembers(group);
  }

  /** Adds the managed members the target was not told about, removes those no longer members. */
  private async syncMembers(group: IdpGroup): Promise<void> {
    const link = this.context.links.groups[group.key]!;
    const wanted = this.memberIds(group.members);
    const toAdd = new Map([...wanted].filter(([key]) => !link.members.includes(key)));
    const toRemove = this.memberIds(link.members.filter((key) => !group.members.includes(key)));
    // Members that are no longer managed (unassigned, deleted) are forgotten without a request.
    link.members = link.members.filter((key) => group.members.includes(key) && wanted.has(key));
    await this.writeAddMembers(group.key, toAdd);
    await this.writeRemoveMembers(group.key, toRemove);
  }

  /** `{"op":"Add","path":"members","value":[{"$ref":null,"value":"…"}]}` (tutorial, "Update Group [Add Members]"). */
  private async writeAddMembers(key: GroupKey, members: Map<PersonKey, string>): Promise<void> {
    if (members.size === 0) return;
    const link = this.context.links.groups[key]!;
    const value = [...members.values()].map((id) => ({ $ref: null, value: id }));
    await this.patch(`/Groups/${link.id}`, [{ op: this.dialect.op('add'), path: 'members', value }], 'add members');
    link.members.push(...[...members.keys()].filter((member) => !link.members.includes(member)));
  }

  private async writeRemoveMembers(key: GroupKey, members: Map<PersonKey, string>): Promise<void> {
    if (members.size === 0) return;
    const link = this.context.links.groups[key]!;
    await this.patch(`/Groups/${link.id}`, this.dialect.memberRemoval([...members.values()]), 'remove members');
    link.members = link.members.filter((member) => !members.has(member));
  }

  /** `{"op":"Replace","path":"displayName","value":"…"}`, answered 204 (tutorial, "Update Group [Non-member attributes]"). */
  private async writeDisplayName(group: IdpGroup): Promise<void> {
    const link = this.context.links.groups[group.key]!;
    await this.patch(`/Groups/${link.id}`, [{ op: this.dialect.op('replace'), path: 'displayName', value: group.displayName }], 'rename group');
    link.displayName = group.displayName;
  }

  private async renameGroup(key: GroupKey): Promise<void> {
    const group = this.context.directory.group(key);
    const link = this.context.links.groups[key];
    if (link && link.displayName !== group.displayName) await this.writeDisplayName(group);
  }

  private async addMembers(key: GroupKey, users: readonly PersonKey[]): Promise<void> {
    const link = this.context.links.groups[key];
    if (!link) return;
    const toAdd = new Map([...this.memberIds(users)].filter(([member]) => !link.members.includes(member)));
    await this.writeAddMembers(key, toAdd);
  }

  private async removeMembers(key: GroupKey, users: readonly PersonKey[]): Promise<void> {
    const link = this.context.links.groups[key];
    if (!link) return;
    await this.writeRemoveMembers(key, this.memberIds(users.filter((member) => link.members.includes(member))));
  }

  /** `DELETE /Groups/{id}` → 204 (tutorial, "Delete Group"). */
  private async deleteGroup(key: GroupKey): Promise<void> {
    const link = this.context.links.groups[key];
    if (!link) return;
    await this.expectSuccess({ method: 'DELETE', path: `/Groups/${link.id}`, purpose: 'delete group' });
    delete this.context.links.groups[key];
  }
}
