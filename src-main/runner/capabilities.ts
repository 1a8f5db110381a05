/**
 * What a target declares it supports, read from its discovery documents: the features of
 * /ServiceProviderConfig (RFC 7643 §5), the resource types and schema extensions of /ResourceTypes
 * (§6) and the attributes of /Schemas (§7). A step that `requires` something the target does not
 * declare is reported as not applicable instead of failing. A target without a document (or with
 * one that does not parse, or a bare array where a ListResponse belongs) declares nothing in it:
 * steps that need it are not applicable either, and the reason says what was missing.
 */
import {
  ATTRIBUTE_PREFIX,
  type AttributeRequirement,
  CAPABILITIES,
  type Capability,
  RESOURCE_TYPE_CAPABILITIES,
  type ResourceTypeCapability,
  type ServiceProviderFeature,
} from '../scenarios/scenario.js';
import { type ReceivedResponse, jsonBody } from './http.js';

export interface CapabilityReading {
  /** The features whose `supported` is exactly `true`. */
  readonly supported: ReadonlySet<Capability>;
  /** Why nothing is declared, when the document could not be read: `GET /ServiceProviderConfig answered 404`. */
  readonly unavailable?: string;
}

/** The resources of a ListResponse document (/ResourceTypes, /Schemas), or why there are none. */
export interface ListReading {
  readonly resources: readonly Readonly<Record<string, unknown>>[];
  /** Why nothing is declared: `GET /Schemas answered 404`. */
  readonly unavailable?: string;
}

/** The discovery documents read so far; each is read once, by the first step that needs it. */
export interface TargetDocuments {
  readonly serviceProviderConfig?: CapabilityReading;
  readonly resourceTypes?: ListReading;
  readonly schemas?: ListReading;
}

export type DiscoveryDocument = keyof TargetDocuments;

export const DOCUMENT_PATHS: Readonly<Record<DiscoveryDocument, string>> = {
  serviceProviderConfig: '/ServiceProviderConfig',
  resourceTypes: '/ResourceTypes',
  schemas: '/Schemas',
};

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const isServiceProviderFeature = (name: Capability): name is ServiceProviderFeature => (CAPABILITIES as readonly string[]).includes(name);
const isResourceTypeCapability = (name: Capability): name is ResourceTypeCapability => (RESOURCE_TYPE_CAPABILITIES as readonly string[]).includes(name);
const isAttributeRequirement = (name: Capability): name is AttributeRequirement => name.startsWith(ATTRIBUTE_PREFIX);

/** The documents a step with `required` needs, in the order they are read. */
export function documentsNeeded(required: readonly Capability[]): DiscoveryDocument[] {
  const needed: DiscoveryDocument[] = [];
  if (required.some(isServiceProviderFeature)) needed.push('serviceProviderConfig');
  if (required.some(isResourceTypeCapability)) needed.push('resourceTypes');
  if (required.some(isAttributeRequirement)) needed.push('schemas');
  return needed;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Reads the capabilities from the response to `GET /ServiceProviderConfig`. */
export function capabilitiesFrom(response: ReceivedResponse, capabilities: readonly Capability[]): CapabilityReading {
  if (response.status !== 200) return { supported: new Set(), unavailable: `GET /ServiceProviderConfig answered ${response.status}` };
  const body = jsonBody(response);
  if (!isObject(body)) {
    return { supported: new Set(), unavailable: 'GET /ServiceProviderConfig did not answer a JSON object' };
  }
  const supported = capabilities.filter((name) => {
    const feature = body[name];
    return isObject(feature) && feature.supported === true;
  });
  return { supported: new Set(supported) };
}

/** Reads the resources of a ListResponse answered to `GET <path>` (RFC 7644 §4: discovery answers a ListResponse). */
export function listFrom(response: ReceivedResponse, path: string): ListReading {
  if (response.status !== 200) return { resources: [], unavailable: `GET ${path} answered ${response.status}` };
  const body = jsonBody(response);
  if (Array.isArray(body)) return { resources: [], unavailable: `GET ${path} answered a bare JSON array, not a ListResponse` };
  if (!isObject(body)) return { resources: [], unavailable: `GET ${path} did not answer a JSON object` };
  const resources = body.Resources ?? [];
  if (!Array.isArray(resources)) return { resources: [], unavailable: `GET ${path} answered a ListResponse whose Resources is not a list` };
  return { resources: resources.filter(isObject) };
}

const sameName = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function resourceTypeHolds(name: ResourceTypeCapability, resourceTypes: ListReading): boolean {
  if (name === 'groups') return resourceTypes.resources.some((type) => sameName(type.schema, GROUP_SCHEMA));
  const user = resourceTypes.resources.find((type) => sameName(type.schema, USER_SCHEMA));
  const extensions = user?.schemaExtensions;
  return Array.isArray(extensions) && extensions.some((extension) => isObject(extension) && sameName(extension.schema, ENTERPRISE_USER_SCHEMA));
}

/** Whether an attribute list defines `path` (`name.givenName`: a sub-attribute); names are case-insensitive (RFC 7643 §2.1). */
function definesPath(attributes: unknown, path: readonly string[]): boolean {
  if (!Array.isArray(attributes) || path.length === 0) return false;
  const attribute: unknown = attributes.find((candidate) => isObject(candidate) && sameName(candidate.name, path[0]!));
  if (!isObject(attribute)) return false;
  return path.length === 1 || definesPath(attribute.subAttributes, path.slice(1));
}

/**
 * Whether /Schemas defines `attribute` (without the `attribute:` prefix). A name qualified by a
 * schema URN (`urn:…:enterprise:2.0:User:manager`) is looked up in that schema; a bare name in
 * every schema the target publishes.
 */
function schemaDefines(attribute: string, schemas: ListReading): boolean {
  const owner = schemas.resources.find((schema) => typeof schema.id === 'string' && attribute.toLowerCase().startsWith(`${schema.id.toLowerCase()}:`));
  if (owner !== undefined) return definesPath(owner.attributes, attribute.slice(String(owner.id).length + 1).split('.'));
  return schemas.resources.some((schema) => definesPath(schema.attributes, attribute.split('.')));
}

/** Why a step that needs `required` does not apply to a target with `reading`; undefined when it applies. */
export function notApplicableReason(required: readonly Capability[], reading: CapabilityReading): string | undefined {
  const reason = serviceProviderReason(required.filter(isServiceProviderFeature), reading);
  return reason === undefined ? undefined : `Not applicable: ${reason}`;
}

function serviceProviderReason(required: readonly ServiceProviderFeature[], reading: CapabilityReading): string | undefined {
  const missing = required.filter((name) => !reading.supported.has(name));
  if (missing.length === 0) return undefined;
  const names = missing.join(', ');
  if (reading.unavailable !== undefined) return `the target does not declare ${names} support (${reading.unavailable})`;
  return `the target declares ${names} unsupported in /ServiceProviderConfig`;
}

function resourceTypesReason(required: readonly ResourceTypeCapability[], reading: ListReading): string | undefined {
  const missing = required.filter((name) => !resourceTypeHolds(name, reading));
  if (missing.length === 0) return undefined;
  const names = missing.join(', ');
  if (reading.unavailable !== undefined) return `the target does not declare ${names} (${reading.unavailable})`;
  const what = missing.map((name) =>
    name === 'groups' ? `no resource type has the schema ${GROUP_SCHEMA}` : `the User resource type lists no schema extension ${ENTERPRISE_USER_SCHEMA}`,
  );
  return `the target's /ResourceTypes does not declare ${names} (${what.join('; ')})`;
}

function schemasReason(required: readonly AttributeRequirement[], reading: ListReading): string | undefined {
  const missing = required.map((name) => name.slice(ATTRIBUTE_PREFIX.length)).filter((attribute) => !schemaDefines(attribute, reading));
  if (missing.length === 0) return undefined;
  const names = missing.join(', ');
  if (reading.unavailable !== undefined) return `the target does not declare the attribute ${names} (${reading.unavailable})`;
  return `the target's /Schemas does not define ${names}`;
}

/**
 * Why a step that needs `required` does not apply to a target whose documents are `documents`
 * (each one `documentsNeeded` names must have been read); undefined when it applies.
 */
export function whyNotApplicable(required: readonly Capability[], documents: TargetDocuments): string | undefined {
  const unread: CapabilityReading & ListReading = { supported: new Set(), resources: [], unavailable: 'not read' };
  const reasons = [
    serviceProviderReason(required.filter(isServiceProviderFeature), documents.serviceProviderConfig ?? unread),
    resourceTypesReason(required.filter(isResourceTypeCapability), documents.resourceTypes ?? unread),
    schemasReason(required.filter(isAttributeRequirement), documents.schemas ?? unread),
  ].filter((reason): reason is string => reason !== undefined);
  return reasons.length === 0 ? undefined : `Not applicable: ${reasons.join('; ')}`;
}

/** Attributes every resource has (RFC 7643 §3.1): never left out, whatever /Schemas lists. */
const COMMON_ATTRIBUTES = new Set(['schemas', 'id', 'externalid', 'meta']);

/**
 * A request body made to fit the target's /Schemas: top-level attributes no published schema
 * defines are left out, and so are extension objects (and their URNs in `schemas`) of schemas the
 * target does not publish, or their members it does not define. A target that publishes no
 * /Schemas declares nothing, so the body is sent as written. Returns the names left out.
 */
export function fitBodyToSchemas(body: Readonly<Record<string, unknown>>, schemas: ListReading): { body: Record<string, unknown>; leftOut: string[] } {
  if (schemas.unavailable !== undefined || schemas.resources.length === 0) return { body: { ...body }, leftOut: [] };
  const fitted: Record<string, unknown> = {};
  const leftOut: string[] = [];
  const published = (urn: string) => schemas.resources.find((schema) => typeof schema.id === 'string' && schema.id.toLowerCase() === urn.toLowerCase());
  for (const [key, value] of Object.entries(body)) {
    if (COMMON_ATTRIBUTES.has(key.toLowerCase())) {
      fitted[key] = value;
    } else if (key.toLowerCase().startsWith('urn:')) {
      const schema = published(key);
      if (!schema || !isObject(value)) {
        leftOut.push(key);
        continue;
      }
      const inner: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(value)) {
        if (definesPath(schema.attributes, [name])) inner[name] = member;
        else leftOut.push(`${key}:${name}`);
      }
      fitted[key] = inner;
    } else if (schemaDefines(key, schemas)) {
      fitted[key] = value;
    } else {
      leftOut.push(key);
    }
  }
  if (Array.isArray(fitted.schemas)) {
    fitted.schemas = fitted.schemas.filter((urn) => typeof urn !== 'string' || !leftOut.includes(urn));
  }
  return { body: fitted, leftOut };
}
