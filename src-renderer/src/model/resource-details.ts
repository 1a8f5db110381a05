/**
 * What the resource drawer shows besides the JSON: the references a person follows (a user's
 * groups and manager, a group's members) and the resource's meta, read with the same lenient
 * attribute lookup as the table rows.
 */
import type { ResourceType, ScimResourceJson } from '../../../src-main/api/contract';
import { ENTERPRISE_USER } from './resources';

export interface ResourceLink {
  readonly type: ResourceType | undefined;
  readonly id: string;
  readonly label: string;
}

export interface ResourceDetails {
  readonly title: string;
  readonly groups: readonly ResourceLink[];
  readonly members: readonly ResourceLink[];
  readonly manager: ResourceLink | undefined;
  readonly meta: readonly (readonly [string, string])[];
}

type Json = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function attr(resource: Json, name: string): unknown {
  if (name in resource) return resource[name];
  const lower = name.toLowerCase();
  const key = Object.keys(resource).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : resource[key];
}

function references(value: unknown, fallbackType: ResourceType | undefined): ResourceLink[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((item) => {
    const id = text(attr(item, 'value'));
    if (id === '') return [];
    const declared = text(attr(item, 'type'));
    const type = declared === 'User' || declared === 'Group' ? declared : fallbackType;
    return [{ type, id, label: text(attr(item, 'display')) || id }];
  });
}

export function resourceDetails(type: ResourceType, resource: ScimResourceJson): ResourceDetails {
  const enterprise = attr(resource, ENTERPRISE_USER);
  const manager = isRecord(enterprise) ? attr(enterprise, 'manager') : undefined;
  const managerId = isRecord(manager) ? text(attr(manager, 'value')) : '';
  const meta = attr(resource, 'meta');
  const title =
    type === 'User'
      ? text(attr(resource, 'userName')) || text(attr(resource, 'displayName')) || resource.id
      : text(attr(resource, 'displayName')) || resource.id;
  return {
    title,
    groups: type === 'User' ? references(attr(resource, 'groups'), 'Group') : [],
    // A member without a type is a user far more often than a nested group.
    members: type === 'Group' ? references(attr(resource, 'members'), 'User') : [],
    manager: managerId === '' ? undefined : { type: 'User', id: managerId, label: text(attr(manager as Json, 'displayName')) || managerId },
    meta: isRecord(meta)
      ? (['resourceType', 'created', 'lastModified', 'version', 'location'] as const).flatMap((name) => {
          const value = attr(meta, name);
          return typeof value === 'string' && value !== '' ? [[name, value] as const] : [];
        })
      : [],
  };
}
