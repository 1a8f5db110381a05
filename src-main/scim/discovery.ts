/**
 * Discovery documents (RFC 7644 §4, RFC 7643 §5–7), generated from the same definitions the
 * server runs on so they describe exactly what it does.
 */
import { type AttributeDef, type SchemaDef, commonAttributes } from './schema/definitions.js';
import { type ResourceTypeDef, allSchemas, resourceTypes } from './schema/resource-types.js';
import type { ScimObject } from './resource.js';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ServerLimits {
  /** Bulk: operations per request. */
  readonly maxOperations: number;
  /** Bytes per request body (Bulk and everything else). */
  readonly maxPayloadSize: number;
  /** Filter/list: most resources in one response. */
  readonly maxResults: number;
  /** Page size when the client gives no `count`. */
  readonly defaultCount: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxOperations: 1000,
  maxPayloadSize: 1024 * 1024,
  maxResults: 1000,
  defaultCount: 100,
};

const STARTED = new Date().toISOString();

export function serviceProviderConfig(baseUrl: string, limits: ServerLimits): ScimObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://github.com/scimulator/scimulator#readme',
    patch: { supported: true },
    bulk: { supported: true, maxOperations: limits.maxOperations, maxPayloadSize: limits.maxPayloadSize },
    filter: { supported: true, maxResults: limits.maxResults },
    // A password is accepted on create/replace but not stored, so it cannot be changed in a meaningful way.
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with the bearer token printed by `scimulator serve`.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
      created: STARTED,
      lastModified: STARTED,
    },
  };
}

export function resourceTypeDocument(resourceType: ResourceTypeDef, baseUrl: string): ScimObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema.id,
    schemaExtensions: resourceType.extensions.map((extension) => ({
      schema: extension.schema.id,
      required: extension.required,
    })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${resourceType.name}` },
  };
}

function attributeDocument(attribute: AttributeDef): ScimObject {
  const document: ScimObject = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
  };
  if (attribute.type !== 'complex' && attribute.type !== 'boolean') document.caseExact = attribute.caseExact;
  if (attribute.canonicalValues && attribute.canonicalValues.length > 0) document.canonicalValues = [...attribute.canonicalValues];
  if (attribute.referenceTypes) document.referenceTypes = [...attribute.referenceTypes];
  document.mutability = attribute.mutability;
  document.returned = attribute.returned;
  if (attribute.type !== 'complex' && attribute.type !== 'boolean') document.uniqueness = attribute.uniqueness;
  if (attribute.subAttributes) document.subAttributes = attribute.subAttributes.map(attributeDocument);
  return document;
}

/**
 * The attributes a schema document lists. For a resource type's core schema (User, Group) the
 * common attributes `id`, `externalId` and `meta` come first: RFC 7643 §3.1 says they are not
 * part of any schema but that schema definitions MAY list them, and tools that validate
 * responses against `/Schemas` flag every attribute the document does not declare. Only the
 * document changes; filters, PATCH and projection keep resolving common attributes through
 * findCommonAttribute, whose definitions are the ones listed here. `schemas` stays out, as in
 * RFC 7643 §8.7.1. Extension schemas (the enterprise User) describe no resource of their own.
 */
function listedAttributes(schema: SchemaDef): readonly AttributeDef[] {
  const core = resourceTypes.some((type) => type.schema === schema);
  return core ? [...commonAttributes, ...schema.attributes] : schema.attributes;
}

export function schemaDocument(schema: SchemaDef, baseUrl: string): ScimObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: listedAttributes(schema).map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export const listOf = (resources: ScimObject[]): ScimObject => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
});

export const allResourceTypeDocuments = (baseUrl: string) => resourceTypes.map((type) => resourceTypeDocument(type, baseUrl));
export const allSchemaDocuments = (baseUrl: string) => allSchemas.map((schema) => schemaDocument(schema, baseUrl));
