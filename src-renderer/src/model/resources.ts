/**
 * Projects SCIM resources into table rows. The server's JSON is shown as-is elsewhere; these rows
 * pick the attributes a person scanning a directory looks for, with the usual SCIM fallbacks.
 */
import type { ScimResourceJson } from '../../../src-main/api/contract';

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface UserRow {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string;
  readonly workEmail: string;
  readonly department: string;
  readonly active: boolean | undefined;
}

export interface GroupRow {
  readonly id: string;
  readonly displayName: string;
  readonly members: number;
  readonly externalId: string;
}

type Json = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1); a server may return `userName` or
 * `username`. The console is a diagnostic tool, so it reads either rather than showing blanks.
 */
function attr(resource: Json, name: string): unknown {
  if (name in resource) return resource[name];
  const lower = name.toLowerCase();
  const key = Object.keys(resource).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : resource[key];
}

export function toUserRow(user: ScimResourceJson): UserRow {
  const name = attr(user, 'name');
  const formatted = isRecord(name)
    ? text(attr(name, 'formatted')) || [text(attr(name, 'givenName')), text(attr(name, 'familyName'))].filter(Boolean).join(' ')
    : '';
  const enterprise = attr(user, ENTERPRISE_USER);
  const active = attr(user, 'active');
  return {
    id: user.id,
    userName: text(attr(user, 'userName')),
    displayName: text(attr(user, 'displayName')) || formatted,
    workEmail: pickEmail(attr(user, 'emails')),
    department: isRecord(enterprise) ? text(attr(enterprise, 'department')) : '',
    active: typeof active === 'boolean' ? active : undefined,
  };
}

/** The work address if typed so, else the primary one, else the first. */
function pickEmail(emails: unknown): string {
  if (!Array.isArray(emails)) return '';
  const records = emails.filter(isRecord);
  const chosen =
    records.find((email) => text(attr(email, 'type')).toLowerCase() === 'work') ??
    records.find((email) => attr(email, 'primary') === true) ??
    records[0];
  return chosen ? text(attr(chosen, 'value')) : '';
}

export function toGroupRow(group: ScimResourceJson): GroupRow {
  const members = attr(group, 'members');
  return {
    id: group.id,
    displayName: text(attr(group, 'displayName')),
    members: Array.isArray(members) ? members.length : 0,
    externalId: text(attr(group, 'externalId')),
  };
}
