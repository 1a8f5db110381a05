/**
 * A person as Microsoft Entra ID provisions them to a SCIM app with the default attribute
 * mappings: the create body, and the same attributes as flat PATCH paths so that an update can
 * send only what differs from the target's current state.
 *
 * Default mappings ("Default user and group attribute mapping" table):
 * https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
 * userPrincipalName → userName, mail → emails[type eq "work"].value, mailNickname → externalId
 * (sent as the objectId here, see externalIdOf),
 * displayName → displayName, givenName → name.givenName, surname → name.familyName,
 * jobTitle → title, mobile → phoneNumbers[type eq "mobile"].value, department and employeeId →
 * the enterprise department and employeeNumber, manager → the enterprise manager,
 * IsSoftDeleted → active. Person attributes with no default mapping (costCenter, locale) are
 * not sent: Entra provisions only mapped attributes.
 */
import type { Person } from '../directory.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const MANAGER_PATH = `${ENTERPRISE_USER}:manager`;
export const WORK_EMAIL_PATH = 'emails[type eq "work"].value';
export const MOBILE_PHONE_PATH = 'phoneNumbers[type eq "mobile"].value';

type Json = Record<string, unknown>;

/** One mapped attribute: where Entra writes it, and how to read it back from the target. */
interface MappedAttribute {
  readonly path: string;
  readonly from: (person: Person) => string | undefined;
  readonly read: (resource: Json) => unknown;
}

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** `value` of the element of a multi-valued attribute whose `type` is `type`. */
function typedValue(resource: Json, attribute: string, type: string): unknown {
  const values = resource[attribute];
  if (!Array.isArray(values)) return undefined;
  const element = values.map(object).find((entry) => typeof entry?.type === 'string' && entry.type.toLowerCase() === type);
  return element?.value;
}

/**
 * externalId. The tutorial's mapping table maps mailNickname → externalId, and its current
 * create example sends a GUID there ("externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef").
 * The IdP directory has no mailNickname, and deriving one from userName would be wrong: Entra
 * stores mailNickname once (derived from the UPN at creation,
 * https://learn.microsoft.com/en-us/entra/fundamentals/how-to-create-delete-users) and a rename
 * leaves it alone; the tutorial's userName update sends userName only. The person's objectId,
 * an immutable GUID, reproduces the documented example and, like mailNickname, never follows a rename.
 */
export function externalIdOf(person: Person): string {
  return person.objectId;
}

/**
 * Null and empty source values are skipped: "If an attribute is null on the user object, it is
 * skipped" (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/known-issues).
 */
const present = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/**
 * The mapped attributes in the order Entra lists them in a multi-attribute PATCH: the scim-
 * compatibility page's "replace multiple attributes" example sends displayName, the work email,
 * name.givenName, name.familyName, externalId, employeeNumber in this order, and the tutorial's
 * multi-valued update sends the work email before name.familyName. The positions of userName,
 * title, the mobile phone and department are not documented.
 * https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
 */
const MAPPED: readonly MappedAttribute[] = [
  { path: 'userName', from: (p) => present(p.userName), read: (r) => r.userName },
  { path: 'displayName', from: (p) => present(p.displayName), read: (r) => r.displayName },
  { path: WORK_EMAIL_PATH, from: (p) => present(p.email), read: (r) => typedValue(r, 'emails', 'work') },
  { path: 'name.givenName', from: (p) => present(p.givenName), read: (r) => object(r.name)?.givenName },
  { path: 'name.familyName', from: (p) => present(p.familyName), read: (r) => object(r.name)?.familyName },
  { path: 'externalId', from: (p) => present(externalIdOf(p)), read: (r) => r.externalId },
  { path: 'title', from: (p) => present(p.title), read: (r) => r.title },
  { path: MOBILE_PHONE_PATH, from: (p) => present(p.mobile), read: (r) => typedValue(r, 'phoneNumbers', 'mobile') },
  { path: `${ENTERPRISE_USER}:department`, from: (p) => present(p.department), read: (r) => object(r[ENTERPRISE_USER])?.department },
  { path: `${ENTERPRISE_USER}:employeeNumber`, from: (p) => present(p.employeeNumber), read: (r) => object(r[ENTERPRISE_USER])?.employeeNumber },
];

/** The attributes Entra would write for this person, by PATCH path (absent ones left out). */
export function mappedValues(person: Person): Map<string, string> {
  const values = new Map<string, string>();
  for (const attribute of MAPPED) {
    const value = attribute.from(person);
    if (value !== undefined) values.set(attribute.path, value);
  }
  return values;
}

/** An attribute whose value in the target differs from Entra's. */
export interface AttributeChange {
  readonly path: string;
  readonly value: string;
  /**
   * `add` when the target has no value yet, `replace` otherwise. The scim-compatibility page
   * shows `Add` for "a single-value string attribute" and `Replace` for changed ones
   * (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility);
   * that Entra picks by the target's current value is inferred (a target whose GET omits
   * `active` is sent `Add` for it, https://github.com/rancher/rancher/issues/54025).
   */
  readonly kind: 'add' | 'replace';
}

/**
 * What Entra would PATCH: every mapped attribute whose target value differs. Attributes the
 * person no longer has are left alone: clearing target values is not supported for outbound
 * app provisioning (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/clear-attribute-values).
 */
export function attributeChanges(person: Person, resource: unknown): AttributeChange[] {
  const current = object(resource) ?? {};
  const changes: AttributeChange[] = [];
  for (const attribute of MAPPED) {
    const wanted = attribute.from(person);
    if (wanted === undefined) continue;
    const now = attribute.read(current);
    if (now === wanted) continue;
    changes.push({ path: attribute.path, value: wanted, kind: now === undefined || now === null ? 'add' : 'replace' });
  }
  return changes;
}

/** The target's `active`, reading a string "True"/"False" as a target that stored Entra's string would return it. */
export function currentActive(resource: unknown): boolean | undefined {
  const active = object(resource)?.active;
  if (typeof active === 'boolean') return active;
  if (typeof active === 'string' && /^(true|false)$/i.test(active)) return active.toLowerCase() === 'true';
  return undefined;
}

/** The target's enterprise manager id: `{ "value": id }`, or the bare id Entra itself writes. */
export function currentManager(resource: unknown): string | undefined {
  const manager = object(object(resource)?.[ENTERPRISE_USER])?.manager;
  if (typeof manager === 'string') return manager;
  const value = object(manager)?.value;
  return typeof value === 'string' ? value : undefined;
}

/**
 * POST /Users as the tutorial's create example: schemas core + enterprise, externalId, userName,
 * active, then the other attributes in alphabetical order (emails, meta, name, roles), with the
 * client-sent `meta.resourceType`, `name.formatted` ("givenName familyName") and an empty
 * `roles`. The older example 2 orders its extra attributes the same way (displayName after
 * addresses, phoneNumbers and title after name). The manager is never in the create: Entra
 * writes reference attributes in a separate update after the user exists
 * (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works).
 * https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
 */
export function createUserBody(person: Person): Json {
  const body: Json = {
    schemas: [CORE_USER, ENTERPRISE_USER],
    externalId: externalIdOf(person),
    userName: person.userName,
    active: person.active,
  };
  const displayName = present(person.displayName);
  if (displayName !== undefined) body.displayName = displayName;
  body.emails = [{ primary: true, type: 'work', value: person.email }];
  body.meta = { resourceType: 'User' };
  body.name = {
    formatted: `${person.givenName} ${person.familyName}`,
    familyName: person.familyName,
    givenName: person.givenName,
  };
  const mobile = present(person.mobile);
  if (mobile !== undefined) body.phoneNumbers = [{ type: 'mobile', value: mobile }];
  body.roles = [];
  const title = present(person.title);
  if (title !== undefined) body.title = title;
  const enterprise: Json = {};
  const department = present(person.department);
  const employeeNumber = present(person.employeeNumber);
  if (department !== undefined) enterprise.department = department;
  if (employeeNumber !== undefined) enterprise.employeeNumber = employeeNumber;
  if (Object.keys(enterprise).length > 0) body[ENTERPRISE_USER] = enterprise;
  return body;
}

/** What a create sent, as PATCH paths: the starting point of `lastSent`. */
export function sentByCreate(person: Person): Record<string, unknown> {
  return { ...Object.fromEntries(mappedValues(person)), active: person.active };
}
