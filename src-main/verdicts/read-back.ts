/**
 * Read-after-write: after an event step, Scimulator reads the user or group back with its own GET
 * (the id the IdP learned, from the links) and compares it with what the IdP's directory says the
 * target should now hold: the attributes the step wrote, `active` as the IdP last told it, the
 * members as target ids, and nothing at all after a delete. Where the IdP's write has a known way
 * of being lost (Entra's "False", Okta's path-less PATCH, Entra's Remove with a value array), the
 * finding names it.
 *
 * Also here, because they judge a step rather than one exchange and need no request of their
 * own: an import's pages (repeats, totalResults). Once a run, after the first user the IdP
 * created, it asks what Okta's SPEC test and Entra's SCIM Validator ask: an upper-cased userName
 * filter finds the user, and a second create of the same user is a 409.
 *
 * Without `check` (`--exact`), only the import checks run.
 */
import type { IdpDirectory, TargetLinks } from '../idp/directory.js';
import type { ProfileName, ProfileRequest } from '../idp/profile.js';
import { eqFilter, formEncode, percentEncode } from '../idp/query-encoding.js';
import type { RunExchange } from '../runner/exchange.js';
import { findingOf } from './catalog.js';
import { idpFinding } from './catalog-idp.js';
import { describeErrorBody } from './error-body.js';
import type { Finding } from './finding.js';
import {
  idpExchangeChecks,
  isObject,
  parseJson,
  patchOperations,
  pathLessActive,
  readActive,
  requestParts,
  resourcePath,
  succeeded,
  type RequestParts,
} from './idp-checks.js';
import type { CheckResponse, StepUnderJudgement } from './judge.js';

type Json = Record<string, unknown>;

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ENTRA_PROFILES: readonly ProfileName[] = ['entra', 'entra-compliant'];
const OKTA_PROFILES: readonly ProfileName[] = ['okta', 'okta-aiw'];

export async function readBackStep(subject: StepUnderJudgement): Promise<Finding[]> {
  const findings: Finding[] = [...importFindings(subject)];
  if (subject.check && subject.event) {
    try {
      findings.push(...(await readBack(subject, subject.check)));
    } catch (error) {
      // A read-back that got no answer is not a verdict on what the IdP wrote; the run's own
      // reachability handling reports the target.
      void error;
    }
  }
  // What an exchange check already said about this step is not said again.
  const already = new Set(
    subject.exchanges.flatMap((exchange) =>
      idpExchangeChecks({ exchange, profile: subject.profile, baseUrl: subject.baseUrl, ...(subject.event ? { event: subject.event } : {}) }).map((finding) => finding.id),
    ),
  );
  return findings.filter((finding) => !already.has(finding.id));
}

/** A write of the step, judged successful, with its parsed request. */
interface Write {
  readonly exchange: RunExchange;
  readonly request: RequestParts;
  readonly responseBody: unknown;
}

function successfulWrites(subject: StepUnderJudgement): Write[] {
  return subject.exchanges.flatMap((exchange) => {
    if (!exchange.response || !succeeded(exchange.response.status)) return [];
    const request = requestParts(exchange, subject.baseUrl);
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return [];
    return [{ exchange, request, responseBody: parseJson(exchange.response.body) }];
  });
}

/** The writes of the step that addressed one resource (a create counts when it returned that id). */
function writesTo(writes: readonly Write[], type: 'Users' | 'Groups', id: string): Write[] {
  return writes.filter(({ request, responseBody }) => {
    const target = resourcePath(request.path);
    if (target?.type !== type) return false;
    if (target.id !== undefined) return target.id === id;
    return request.method === 'POST' && isObject(responseBody) && responseBody.id === id;
  });
}

function finding(subject: StepUnderJudgement, id: string, message: string, about: Write | undefined, expected: unknown, actual: unknown): Finding {
  const definition = idpFinding(id);
  return {
    id,
    severity: definition.severity,
    title: definition.title,
    message,
    step: subject.step,
    ...(about ? { exchange: about.exchange.index } : {}),
    expected,
    actual,
    reference: definition.reference,
  };
}

async function readBack(subject: StepUnderJudgement, check: NonNullable<StepUnderJudgement['check']>): Promise<Finding[]> {
  const event = subject.event!;
  const writes = successfulWrites(subject);
  switch (event.type) {
    case 'assignUser':
    case 'updateUser':
    case 'deactivateUser':
    case 'reactivateUser':
    case 'unassignUser':
    case 'deleteUser': {
      const findings = await readBackUser(subject, check, event.user, writes);
      if (event.type === 'assignUser') findings.push(...(await oncePerRun(subject, check, event.user, writes)));
      return findings;
    }
    case 'pushGroup':
    case 'renameGroup':
    case 'addMembers':
    case 'removeMembers':
    case 'deleteGroup':
      return readBackGroup(subject, check, event.group, writes);
    default:
      return [];
  }
}

function get(check: NonNullable<StepUnderJudgement['check']>, path: string, purpose: string, query?: string): Promise<CheckResponse> {
  const request: ProfileRequest = { method: 'GET', path, ...(query === undefined ? {} : { query }), headers: [], purpose };
  return check(request);
}

/** The id the step deleted, when it sent a DELETE that succeeded. */
function deletedId(writes: readonly Write[], type: 'Users' | 'Groups'): { id: string; write: Write } | undefined {
  for (const write of writes) {
    const target = resourcePath(write.request.path);
    if (write.request.method === 'DELETE' && target?.type === type && target.id !== undefined) return { id: target.id, write };
  }
  return undefined;
}

// ---- users -------------------------------------------------------------------------------------

type Attribute = 'userName' | 'displayName' | 'title' | 'name.givenName' | 'name.familyName' | 'email' | 'active' | 'department' | 'employeeNumber' | 'costCenter';
const ENTERPRISE_ATTRIBUTES = ['department', 'employeeNumber', 'costCenter'] as const;

/** The attributes a body or a PATCH value names, by their place in RFC 7643's User. */
function namedIn(object: Json, into: Set<Attribute>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = key.toLowerCase();
    if (name === 'username') into.add('userName');
    else if (name === 'displayname') into.add('displayName');
    else if (name === 'title') into.add('title');
    else if (name === 'active') into.add('active');
    else if (name === 'name.givenname') into.add('name.givenName');
    else if (name === 'name.familyname') into.add('name.familyName');
    else if (name === 'name' && isObject(value)) {
      if ('givenName' in value) into.add('name.givenName');
      if ('familyName' in value) into.add('name.familyName');
    } else if (name === 'emails' || name.startsWith('emails[')) into.add('email');
    else if (name === ENTERPRISE.toLowerCase() && isObject(value)) {
      for (const attribute of ENTERPRISE_ATTRIBUTES) if (attribute in value) into.add(attribute);
    } else if (name.startsWith(`${ENTERPRISE.toLowerCase()}:`)) {
      const attribute = ENTERPRISE_ATTRIBUTES.find((candidate) => candidate.toLowerCase() === name.slice(ENTERPRISE.length + 1));
      if (attribute) into.add(attribute);
    }
  }
}

/** What the step's writes set on the user: attribute names, and whether a PUT carried them. */
function writtenAttributes(writes: readonly Write[]): { attributes: Set<Attribute>; byPut: Set<Attribute> } {
  const attributes = new Set<Attribute>();
  const byPut = new Set<Attribute>();
  for (const { request } of writes) {
    if (request.method === 'PATCH') {
      for (const operation of patchOperations(request.body)) {
        if (operation.op === 'remove') continue;
        if (operation.path !== undefined) namedIn({ [operation.path]: operation.value }, attributes);
        else if (isObject(operation.value)) namedIn(operation.value, attributes);
      }
    } else if ((request.method === 'POST' || request.method === 'PUT') && isObject(request.body)) {
      namedIn(request.body, attributes);
      if (request.method === 'PUT') namedIn(request.body, byPut);
    }
  }
  return { attributes, byPut };
}

function expectedValue(attribute: Exclude<Attribute, 'active'>, subject: StepUnderJudgement, key: string): string | undefined {
  const person = subject.directory.person(key);
  switch (attribute) {
    case 'name.givenName':
      return person.givenName;
    case 'name.familyName':
      return person.familyName;
    case 'email':
      return person.email;
    default:
      return person[attribute];
  }
}

function actualValue(attribute: Exclude<Attribute, 'active'>, resource: Json): unknown {
  const name = isObject(resource.name) ? resource.name : {};
  const enterprise = isObject(resource[ENTERPRISE]) ? resource[ENTERPRISE] : {};
  switch (attribute) {
    case 'name.givenName':
      return name.givenName;
    case 'name.familyName':
      return name.familyName;
    case 'email':
      return Array.isArray(resource.emails) ? resource.emails.filter(isObject).map((email) => email.value) : undefined;
    case 'department':
    case 'employeeNumber':
    case 'costCenter':
      return enterprise[attribute];
    default:
      return resource[attribute];
  }
}

async function readBackUser(subject: StepUnderJudgement, check: NonNullable<StepUnderJudgement['check']>, key: string, allWrites: readonly Write[]): Promise<Finding[]> {
  const deleted = deletedId(allWrites, 'Users');
  if (deleted) {
    const response = await get(check, `/Users/${deleted.id}`, 'read back: the deleted user is gone');
    if (response.status !== 200) return [];
    return [finding(subject, 'sync.user-not-deleted', `DELETE /Users/${deleted.id} answered success, but GET /Users/${deleted.id} still answers 200.`, deleted.write, { status: 404 }, { status: 200 })];
  }
  const link = subject.links.users[key];
  if (!link || !subject.directory.hasPerson(key)) return [];
  const writes = writesTo(allWrites, 'Users', link.id);
  const last = writes.at(-1);
  const response = await get(check, `/Users/${link.id}`, 'read back user');
  const resource = response.status === 200 ? parseJson(response.body) : undefined;
  if (!isObject(resource)) {
    const event = subject.event!.type;
    const hidden = ENTRA_PROFILES.includes(subject.profile) && (event === 'deactivateUser' || event === 'unassignUser') && response.status === 404;
    return [
      finding(
        subject,
        hidden ? 'entra.disabled-user-hidden' : 'sync.user-missing',
        `GET /Users/${link.id} of "${key}" answered ${response.status}${response.status === 200 ? ' without a JSON user' : ''}${hidden ? '; return disabled users too, with "active": false' : ''}.`,
        last,
        { status: 200 },
        { status: response.status },
      ),
    ];
  }
  const findings: Finding[] = [];
  const { attributes, byPut } = writtenAttributes(writes);
  const differing: Record<string, { expected: unknown; actual: unknown }> = {};
  const dropped: Record<string, { expected: unknown; actual: unknown }> = {};
  for (const attribute of attributes) {
    if (attribute === 'active') continue;
    const expected = expectedValue(attribute, subject, key);
    if (expected === undefined) continue;
    const actual = actualValue(attribute, resource);
    const same = attribute === 'email' ? Array.isArray(actual) && actual.includes(expected) : actual === expected;
    if (same) continue;
    const missing = actual === undefined || (Array.isArray(actual) && actual.length === 0);
    (missing && byPut.has(attribute) ? dropped : differing)[attribute] = { expected, actual: actual ?? null };
  }
  const pick = (entries: Record<string, { expected: unknown; actual: unknown }>, side: 'expected' | 'actual') =>
    Object.fromEntries(Object.entries(entries).map(([name, values]) => [name, values[side]]));
  if (Object.keys(dropped).length > 0) {
    findings.push(
      finding(
        subject,
        'sync.put-drops-attributes',
        `The PUT to /Users/${link.id} carried ${Object.keys(dropped).join(', ')}, and GET /Users/${link.id} no longer has ${Object.keys(dropped).length === 1 ? 'it' : 'them'}.`,
        last,
        pick(dropped, 'expected'),
        pick(dropped, 'actual'),
      ),
    );
  }
  if (Object.keys(differing).length > 0) {
    findings.push(
      finding(
        subject,
        'sync.user-attributes',
        `GET /Users/${link.id} of "${key}" reads back ${Object.entries(differing).map(([name, v]) => `${name} ${JSON.stringify(v.actual)} (written: ${JSON.stringify(v.expected)})`).join(', ')}.`,
        last,
        pick(differing, 'expected'),
        pick(differing, 'actual'),
      ),
    );
  }
  if (attributes.has('active')) {
    const actual = readActive(resource.active);
    if (actual !== link.active && !(actual === undefined && link.active)) {
      findings.push(activeFinding(subject, link.id, link.active, resource.active, writes));
    }
  }
  return findings;
}

/** Names the way a write of `active` is known to get lost, for the profile that writes it so. */
function activeFinding(subject: StepUnderJudgement, id: string, expected: boolean, actual: unknown, writes: readonly Write[]): Finding {
  const stringFalse = writes.find((write) =>
    patchOperations(write.request.body).some((operation) => operation.path?.toLowerCase() === 'active' && operation.value === 'False'),
  );
  const pathLess = writes.find((write) => write.request.method === 'PATCH' && pathLessActive(write.request.body) !== undefined);
  const put = writes.find((write) => write.request.method === 'PUT' && isObject(write.request.body) && typeof write.request.body.active === 'boolean');
  const readBack = `GET /Users/${id} reads back "active": ${JSON.stringify(actual ?? null)}`;
  if (subject.profile === 'entra' && !expected && stringFalse) {
    return finding(subject, 'entra.string-boolean-misread', `Entra sent {"op":"Replace","path":"active","value":"False"} and ${readBack}: read "False" as false.`, stringFalse, { active: false }, { active: actual ?? null });
  }
  if (subject.profile === 'okta' && pathLess) {
    return finding(
      subject,
      'okta.path-less-patch-unsupported',
      `Okta sent {"op":"replace","value":{"active":${expected}}} (no "path") and ${readBack}: apply a path-less replace's value as a set of attributes.`,
      pathLess,
      { active: expected },
      { active: actual ?? null },
    );
  }
  if (subject.profile === 'okta-aiw' && put) {
    return finding(subject, 'okta-aiw.put-active-ignored', `Okta sent PUT /Users/${id} with "active": ${expected} and ${readBack}.`, put, { active: expected }, { active: actual ?? null });
  }
  return finding(subject, 'sync.user-active', `The IdP wrote "active": ${expected} and ${readBack}.`, stringFalse ?? pathLess ?? put ?? writes.at(-1), { active: expected }, { active: actual ?? null });
}

// ---- groups ------------------------------------------------------------------------------------

function writesMembers(write: Write): boolean {
  const { request } = write;
  if (request.method === 'PATCH') {
    return patchOperations(request.body).some((operation) =>
      operation.path !== undefined ? operation.path.toLowerCase().startsWith('members') : isObject(operation.value) && 'members' in operation.value,
    );
  }
  return isObject(request.body) && 'members' in request.body;
}

function writesDisplayName(write: Write): boolean {
  const { request } = write;
  if (request.method === 'PATCH') {
    return patchOperations(request.body).some((operation) =>
      operation.path !== undefined ? operation.path.toLowerCase() === 'displayname' : isObject(operation.value) && 'displayName' in operation.value,
    );
  }
  return isObject(request.body) && 'displayName' in request.body;
}

/** Entra's default member removal: `Remove` on `members` with a value array; the ids it names. */
function removedByValueArray(write: Write): string[] {
  return patchOperations(write.request.body).flatMap((operation) =>
    operation.op === 'remove' && operation.path?.toLowerCase() === 'members' && Array.isArray(operation.value)
      ? operation.value.filter(isObject).map((member) => String(member.value))
      : [],
  );
}

async function readBackGroup(subject: StepUnderJudgement, check: NonNullable<StepUnderJudgement['check']>, key: string, allWrites: readonly Write[]): Promise<Finding[]> {
  const deleted = deletedId(allWrites, 'Groups');
  if (deleted) {
    const response = await get(check, `/Groups/${deleted.id}`, 'read back: the deleted group is gone');
    if (response.status !== 200) return [];
    return [finding(subject, 'sync.group-not-deleted', `DELETE /Groups/${deleted.id} answered success, but GET /Groups/${deleted.id} still answers 200.`, deleted.write, { status: 404 }, { status: 200 })];
  }
  const link = subject.links.groups[key];
  if (!link) return [];
  const writes = writesTo(allWrites, 'Groups', link.id);
  if (writes.length === 0) return [];
  const response = await get(check, `/Groups/${link.id}`, 'read back group');
  const resource = response.status === 200 ? parseJson(response.body) : undefined;
  if (!isObject(resource)) {
    return [
      finding(subject, 'sync.group-missing', `GET /Groups/${link.id} of "${key}" answered ${response.status}.`, writes.at(-1), { status: 200 }, { status: response.status }),
    ];
  }
  const findings: Finding[] = [];
  const named = writes.filter(writesDisplayName).at(-1);
  if (named && resource.displayName !== link.displayName) {
    findings.push(
      finding(
        subject,
        'sync.group-display-name',
        `The IdP wrote displayName ${JSON.stringify(link.displayName)} and GET /Groups/${link.id} reads back ${JSON.stringify(resource.displayName ?? null)}.`,
        named,
        { displayName: link.displayName },
        { displayName: resource.displayName ?? null },
      ),
    );
  }
  const membership = writes.filter(writesMembers);
  if (membership.length > 0) findings.push(...compareMembers(subject, subject.links, link.id, link.members, resource, membership));
  return findings;
}

function compareMembers(subject: StepUnderJudgement, links: TargetLinks, groupId: string, memberKeys: readonly string[], resource: Json, writes: readonly Write[]): Finding[] {
  const idOf = (key: string) => links.users[key]?.id;
  const expected = memberKeys.map(idOf).filter((id): id is string => id !== undefined);
  const actual = Array.isArray(resource.members) ? resource.members.filter(isObject).map((member) => String(member.value)) : [];
  const known = new Set(Object.values(links.users).map((link) => link.id));
  const missing = expected.filter((id) => !actual.includes(id));
  // Values that are no user the IdP provisioned (e.g. a placeholder in place of the member's id).
  const strangers = [...new Set(actual.filter((id) => !known.has(id)))];
  // Members the IdP never provisioned are not its to judge.
  const extra = actual.filter((id) => known.has(id) && !expected.includes(id));
  if (missing.length === 0 && extra.length === 0) return [];
  const keyOf = new Map(Object.entries(links.users).map(([key, link]) => [link.id, key]));
  const describe = (ids: readonly string[]) => ids.map((id) => `${keyOf.get(id) ?? '?'} (${id})`).join(', ');
  const parts = [
    ...(missing.length > 0 ? [`missing ${describe(missing)}`] : []),
    ...(extra.length > 0 ? [`still listing ${describe(extra)}`] : []),
  ];
  const instead = missing.length > 0 && strangers.length > 0 ? ` (it lists ${strangers.slice(0, 3).map((value) => JSON.stringify(value)).join(', ')} instead, no user the IdP provisioned)` : '';
  const byValueArray = writes.find((write) => removedByValueArray(write).length > 0);
  if (subject.profile === 'entra' && byValueArray) {
    const removed = removedByValueArray(byValueArray);
    const kept = removed.filter((id) => actual.includes(id));
    const how = kept.length > 0 ? 'the listed members were not removed' : 'members that were not listed were removed too';
    return [
      finding(
        subject,
        'entra.remove-members-by-value',
        `Entra sent {"op":"Remove","path":"members","value":[${removed.map((id) => `{"value":"${id}"}`).join(',')}]} and GET /Groups/${groupId} is ${parts.join(' and ')}: ${how}. Remove exactly the members in the value array.`,
        byValueArray,
        { members: [...expected].sort() },
        { members: [...actual].sort() },
      ),
    ];
  }
  return [
    finding(
      subject,
      'sync.group-members',
      `GET /Groups/${groupId} is ${parts.join(' and ')}${instead}, after the IdP's membership change: ${[
        ...(missing.length > 0 ? ['members the IdP sent were dropped'] : []),
        ...(extra.length > 0 ? ['members the IdP removed are still there'] : []),
      ].join(', and ')}.`,
      writes.at(-1),
      { members: [...expected].sort() },
      { members: [...actual].sort() },
    ),
  ];
}

// ---- once a run: what Okta's SPEC test and Entra's SCIM Validator ask --------------------------

const probed = new WeakMap<IdpDirectory, Set<string>>();

async function oncePerRun(subject: StepUnderJudgement, check: NonNullable<StepUnderJudgement['check']>, key: string, writes: readonly Write[]): Promise<Finding[]> {
  const okta = OKTA_PROFILES.includes(subject.profile);
  if (!okta && !ENTRA_PROFILES.includes(subject.profile)) return [];
  const link = subject.links.users[key];
  const create = writes.find((write) => write.request.method === 'POST' && resourcePath(write.request.path)?.type === 'Users' && isObject(write.responseBody) && write.responseBody.id === link?.id);
  if (!link || !create) return [];
  const done = probed.get(subject.directory) ?? new Set<string>();
  probed.set(subject.directory, done);
  const findings: Finding[] = [];
  const userName = subject.directory.person(key).userName;

  if (!done.has('case') && userName.toUpperCase() !== userName) {
    done.add('case');
    const filter = eqFilter('userName', userName.toUpperCase());
    const query = okta ? `filter=${percentEncode(filter)}&startIndex=1&count=100` : `filter=${formEncode(filter)}`;
    const response = await get(check, '/Users', 'userName filter in other case', query);
    const list = parseJson(response.body);
    const resources = isObject(list) && Array.isArray(list.Resources) ? list.Resources.filter(isObject) : [];
    if (response.status !== 200 || !resources.some((resource) => resource.id === link.id)) {
      findings.push(
        finding(
          subject,
          okta ? 'okta.username-filter-case-sensitive' : 'entra.username-filter-case-sensitive',
          `GET /Users?${query} did not find "${userName}" (answered ${response.status} with ${resources.length} resource(s)): compare userName case-insensitively in filters.`,
          create,
          { status: 200, contains: link.id },
          { status: response.status, ids: resources.map((resource) => resource.id) },
        ),
      );
    }
  }

  if (!done.has('duplicate') && isObject(create.request.body)) {
    done.add('duplicate');
    // The same user again, as the SPEC test and the Validator send it; a redacted password is left out.
    const { password: _password, ...body } = create.request.body;
    void _password;
    const response = await check({ method: 'POST', path: '/Users', headers: [], body: JSON.stringify(body), purpose: 'create the same user again (expects 409)' });
    const conflict = response.status === 409 ? describeErrorBody(response.body) : undefined;
    if (conflict && !conflict.scim) {
      // The IdP shows the admin the 409's detail; a framework's own error body loses it.
      findings.push(
        findingOf('rfc.error-not-scim', {
          message: `POST /Users with the userName "${userName}" that already exists answered 409 with ${conflict.shape}${conflict.reason === undefined ? '' : ` ("${conflict.reason}")`}, not the SCIM Error schema: answer {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness", "detail": "…"}.`,
          step: subject.step,
          // An IdP finding is about the IdP's write; this one is about a response, the check's own.
          exchange: response.exchange ?? create.exchange.index,
          expected: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' },
          actual: parseJson(response.body) ?? response.body ?? null,
        }),
      );
    }
    if (response.status !== 409) {
      const created = parseJson(response.body);
      const duplicateId = succeeded(response.status) && isObject(created) && typeof created.id === 'string' ? created.id : undefined;
      // Leave the target as the IdP left it.
      if (duplicateId !== undefined && duplicateId !== link.id) await check({ method: 'DELETE', path: `/Users/${duplicateId}`, headers: [], purpose: 'remove the duplicate user' });
      findings.push(
        finding(
          subject,
          okta ? 'okta.duplicate-not-409' : 'entra.duplicate-not-409',
          `POST /Users with the userName "${userName}" that already exists answered ${response.status}${duplicateId ? ` and created a second user (${duplicateId}, removed again)` : ''}: answer 409 with a SCIM Error (scimType "uniqueness").`,
          create,
          { status: 409 },
          { status: response.status },
        ),
      );
    }
  }
  return findings;
}

// ---- import paging -----------------------------------------------------------------------------

function importFindings(subject: StepUnderJudgement): Finding[] {
  const event = subject.event?.type;
  if (!OKTA_PROFILES.includes(subject.profile) || (event !== 'importUsers' && event !== 'importGroups')) return [];
  const pages = subject.exchanges.flatMap((exchange) => {
    const request = requestParts(exchange, subject.baseUrl);
    if (request.method !== 'GET' || !/(^|&)startIndex=/.test(request.query ?? '') || !exchange.response || !succeeded(exchange.response.status)) return [];
    const body = parseJson(exchange.response.body);
    if (!isObject(body) || !Array.isArray(body.Resources) || typeof body.totalResults !== 'number') return [];
    return [{ exchange, total: body.totalResults, resources: body.Resources.filter(isObject) }];
  });
  if (pages.length === 0) return [];
  const findings: Finding[] = [];
  const seen = new Map<unknown, number>();
  for (const page of pages) {
    const repeated = page.resources.filter((resource) => seen.has(resource.id)).map((resource) => resource.id);
    if (repeated.length > 0) {
      findings.push(
        finding(
          subject,
          'okta.import-unstable-order',
          `The page at ${new URLSearchParams(requestParts(page.exchange, subject.baseUrl).query).get('startIndex')} repeats ${repeated.length} resource(s) an earlier page returned (first: ${JSON.stringify(repeated[0])}): sort by a stable key (e.g. id or creation) so each startIndex names the same position.`,
          { exchange: page.exchange, request: requestParts(page.exchange, subject.baseUrl), responseBody: undefined },
          { repeated: 0 },
          { repeated: repeated.length, ids: repeated.slice(0, 5) },
        ),
      );
      break;
    }
    for (const resource of page.resources) seen.set(resource.id, page.exchange.index);
  }
  const held = pages.reduce((sum, page) => sum + page.resources.length, 0);
  const total = pages[0]!.total;
  const finished = pages.at(-1)!;
  if (held !== total && !subject.exchanges.some((exchange) => exchange.response && !succeeded(exchange.response.status))) {
    findings.push(
      finding(
        subject,
        'okta.import-total-mismatch',
        `The import's pages held ${held} resource(s) but totalResults said ${total}: totalResults must count every resource that matches, across all pages.`,
        { exchange: finished.exchange, request: requestParts(finished.exchange, subject.baseUrl), responseBody: undefined },
        { totalResults: held },
        { totalResults: total },
      ),
    );
  }
  return findings;
}
