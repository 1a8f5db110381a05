/**
 * The RFC 7643/7644 rules every response is held to, whoever the client is. Each id is stable:
 * docs/findings.md documents it, reports and CI filters name it, and a rule that changes meaning
 * gets a new id. Severity follows the RFC's words: MUST/SHALL/REQUIRED is an error, SHOULD a
 * warning.
 */
import type { FindingDefinition, Reference } from './finding.js';

const rfc7644 = (section: string): Reference => ({
  title: `RFC 7644 §${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc7644#section-${section}`,
});
const rfc7643 = (section: string): Reference => ({
  title: `RFC 7643 §${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc7643#section-${section}`,
});

export const RFC_FINDINGS = [
  // Status codes of successful operations.
  {
    id: 'rfc.create-status',
    severity: 'error',
    title: 'A create does not answer 201 Created',
    why: 'RFC 7644 says a successful POST that creates a resource SHALL answer 201; clients that treat anything else as "not created" retry or give up, and duplicates follow.',
    reference: rfc7644('3.3'),
  },
  {
    id: 'rfc.read-status',
    severity: 'error',
    title: 'A successful read or query does not answer 200 OK',
    why: 'A GET that found what was asked for answers 200 with the resource or a ListResponse; a 204 or other 2xx leaves the client with nothing to read.',
    reference: rfc7644('3.4.1'),
  },
  {
    id: 'rfc.replace-status',
    severity: 'error',
    title: 'A replace (PUT) does not answer 200 OK',
    why: 'A successful PUT answers 200 with the entire resource, which is how the client learns what the server kept.',
    reference: rfc7644('3.5.1'),
  },
  {
    id: 'rfc.patch-status',
    severity: 'error',
    title: 'A PATCH answers neither 200 OK nor 204 No Content',
    why: 'A successful PATCH answers 200 with the entire resource, or 204 with no body; any other success code leaves the client unsure whether the change took.',
    reference: rfc7644('3.5.2'),
  },
  {
    id: 'rfc.delete-status',
    severity: 'error',
    title: 'A delete does not answer 204 No Content',
    why: 'RFC 7644 says a successful DELETE SHALL answer 204 No Content.',
    reference: rfc7644('3.6'),
  },
  {
    id: 'rfc.empty-query-not-found',
    severity: 'error',
    title: 'A query that matches nothing answers 404 instead of an empty ListResponse',
    why: 'A query that matches no resource is a success with totalResults 0. IdPs look a user up by filter before creating it; a 404 there reads as a failure (Microsoft Entra quarantines the job).',
    reference: rfc7644('3.4.2'),
  },
  // Media type and bodies.
  {
    id: 'rfc.content-type-not-json',
    severity: 'error',
    title: 'A response body is not labelled as JSON',
    why: 'SCIM bodies are JSON identified by the application/scim+json media type (application/json is tolerated); a body labelled text/html, text/plain or nothing at all is refused by clients that check the media type before parsing.',
    reference: rfc7644('3.8'),
  },
  {
    id: 'rfc.content-type-not-scim',
    severity: 'warning',
    title: 'The response is application/json, not application/scim+json',
    why: 'SCIM identifies its bodies with application/scim+json and servers must honour "Accept: application/scim+json"; most IdPs parse application/json anyway, but stricter clients (and the Microsoft SCIM Validator) stop on it.',
    reference: rfc7644('8.1'),
  },
  {
    id: 'rfc.resource-body-missing',
    severity: 'error',
    title: 'A successful response carries no resource',
    why: 'A create (201), a read by id (200), a PUT (200) and a PATCH answered 200 return the resource as a JSON object; an empty body, null or text leaves the client without the id and values it needs.',
    reference: rfc7644('3.3'),
  },
  // The Error schema.
  {
    id: 'rfc.error-not-scim',
    severity: 'error',
    title: 'An error response is not a SCIM Error',
    why: 'Errors are returned in the body as JSON using the Error schema (urn:ietf:params:scim:api:messages:2.0:Error), so the IdP can show the admin what went wrong; a framework error page, an empty body or another JSON shape loses the reason.',
    reference: rfc7644('3.12'),
  },
  {
    id: 'rfc.error-status-missing',
    severity: 'error',
    title: 'A SCIM Error has no "status"',
    why: '"status" is REQUIRED in every Error body; clients (and Okta\'s SPEC tests) read it.',
    reference: rfc7644('3.12'),
  },
  {
    id: 'rfc.error-status-not-string',
    severity: 'error',
    title: 'A SCIM Error\'s "status" is not a JSON string',
    why: '"status" is the HTTP status code expressed as a JSON string ("404", not 404); strictly typed clients fail to read a number.',
    reference: rfc7644('3.12'),
  },
  {
    id: 'rfc.error-status-mismatch',
    severity: 'error',
    title: 'A SCIM Error\'s "status" differs from the HTTP status',
    why: '"status" is the HTTP status code of the response; a body that says something else makes clients act on the wrong error.',
    reference: rfc7644('3.12'),
  },
  {
    id: 'rfc.error-scim-type-unknown',
    severity: 'warning',
    title: 'A SCIM Error\'s "scimType" is not one the RFC defines',
    why: 'Clients switch on scimType (uniqueness, invalidFilter, mutability, …); a keyword outside the RFC\'s table is not recognised.',
    reference: rfc7644('3.12'),
  },
  {
    id: 'rfc.conflict-without-uniqueness',
    severity: 'error',
    title: 'A create that conflicts answers 409 without scimType "uniqueness"',
    why: 'A create that conflicts with an existing resource MUST answer 409 with scimType "uniqueness"; that is how a client tells "already there, match it" from other conflicts.',
    reference: rfc7644('3.3'),
  },
  // ListResponse.
  {
    id: 'rfc.list-not-list-response',
    severity: 'error',
    title: 'A query does not answer a ListResponse',
    why: 'Query responses (GET on /Users, /Groups, /Schemas, /ResourceTypes and POST /.search) MUST be a JSON object identified by urn:ietf:params:scim:api:messages:2.0:ListResponse; a bare array or another shape is not read as a result list.',
    reference: rfc7644('3.4.2'),
  },
  {
    id: 'rfc.list-total-results',
    severity: 'error',
    title: 'A ListResponse has no integer "totalResults"',
    why: '"totalResults" is REQUIRED and is a non-negative integer; IdPs read it to decide whether a user exists and how many pages to fetch ("1" as a string or a missing value breaks both).',
    reference: rfc7644('3.4.2'),
  },
  {
    id: 'rfc.list-paging-fields',
    severity: 'error',
    title: 'A ListResponse\'s "startIndex" or "itemsPerPage" is missing or not an integer',
    why: '"startIndex" and "itemsPerPage" are integers, REQUIRED when the page holds fewer results than "totalResults"; without them an importing IdP cannot page.',
    reference: rfc7644('3.4.2'),
  },
  {
    id: 'rfc.list-resources',
    severity: 'error',
    title: 'A ListResponse\'s "Resources" is missing or not an array',
    why: '"Resources" is REQUIRED when totalResults is not zero and is an array of resources.',
    reference: rfc7644('3.4.2'),
  },
  {
    id: 'rfc.list-count-exceeded',
    severity: 'error',
    title: 'A query returns more resources than "count" asked for',
    why: 'When "count" is given the server MUST NOT return more results than that; a client paging through thousands of users counts on it.',
    reference: rfc7644('3.4.2.4'),
  },
  {
    id: 'rfc.list-start-index',
    severity: 'error',
    title: 'A page does not start at the "startIndex" asked for',
    why: '"startIndex" is the 1-based index of the first result of the page (a value below 1 is read as 1); a page that starts elsewhere makes a paging client skip or repeat resources.',
    reference: rfc7644('3.4.2.4'),
  },
  {
    id: 'rfc.list-counts-inconsistent',
    severity: 'error',
    title: 'A ListResponse\'s counts contradict its "Resources"',
    why: '"itemsPerPage" is the number of resources in the page and "totalResults" the number of all results; a page with more resources than "totalResults", or an "itemsPerPage" that is not the page\'s size, misleads every paging client.',
    reference: rfc7644('3.4.2'),
  },
  // Resources.
  {
    id: 'rfc.resource-id-missing',
    severity: 'error',
    title: 'A returned resource has no "id"',
    why: 'Every representation of a resource MUST include a non-empty "id"; it is what the IdP stores to update, disable and delete the resource later.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.resource-id-from-client',
    severity: 'error',
    title: 'The resource\'s "id" is a value the client sent (externalId or userName)',
    why: '"id" is always issued by the service provider, stable and never reassigned; an id copied from externalId or userName changes when the client\'s value changes, and the IdP loses the resource.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.resource-schemas-missing-core',
    severity: 'error',
    title: 'A returned resource\'s "schemas" does not list its core schema',
    why: '"schemas" is REQUIRED and lists the URIs of the schemas whose attributes the resource holds (urn:ietf:params:scim:schemas:core:2.0:User for a user); clients that validate it reject the resource.',
    reference: rfc7643('3'),
  },
  {
    id: 'rfc.password-returned',
    severity: 'error',
    title: 'The password is returned',
    why: 'The User "password" attribute has "returned" never: it MUST NOT appear in any response, hashed or not, since responses are logged and displayed.',
    reference: rfc7643('4.1.1'),
  },
  {
    id: 'rfc.attributes-not-honoured',
    severity: 'warning',
    title: 'A resource holds attributes the "attributes" parameter did not ask for',
    why: '"attributes" overrides the default set: the response holds the requested attributes and those returned "always" (id, schemas) only. Servers that ignore it send whole resources, members lists included, where the IdP asked for one value.',
    reference: rfc7644('3.4.2.5'),
  },
  {
    id: 'rfc.excluded-attributes-returned',
    severity: 'warning',
    title: 'A resource holds attributes "excludedAttributes" removed',
    why: '"excludedAttributes" removes attributes from the default set; Microsoft Entra asks for groups with excludedAttributes=members so that a group of thousands is not sent on every lookup.',
    reference: rfc7644('3.4.2.5'),
  },
  // meta.
  {
    id: 'rfc.meta-missing',
    severity: 'warning',
    title: 'A returned resource has no "meta"',
    why: '"meta" (resourceType, created, lastModified, location, version) is returned by default; clients use meta.location to address the resource and meta.version for ETags.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.meta-resource-type',
    severity: 'error',
    title: '"meta.resourceType" is not the resource\'s type',
    why: '"meta.resourceType" names the resource type ("User", "Group", case-exact) of the resource returned.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.meta-datetime',
    severity: 'error',
    title: '"meta.created" or "meta.lastModified" is not a dateTime',
    why: 'DateTime values MUST be valid xsd:dateTime strings with a date and a time (2008-01-23T04:56:22Z); epoch numbers or locale strings are not parsed by clients.',
    reference: rfc7643('2.3.5'),
  },
  {
    id: 'rfc.meta-location-not-absolute',
    severity: 'error',
    title: '"meta.location" is not an absolute URI',
    why: '"meta.location" is the URI of the resource; a relative path cannot be used without guessing the base the server meant.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.meta-location-wrong-resource',
    severity: 'error',
    title: '"meta.location" does not point at the resource',
    why: '"meta.location" is the URI of the resource being returned, ending with its "id"; a client that follows it reaches another resource or none.',
    reference: rfc7643('3.1'),
  },
  {
    id: 'rfc.meta-version-etag-mismatch',
    severity: 'error',
    title: '"meta.version" differs from the ETag header',
    why: '"meta.version" must be the same as the ETag header of the response; a client that sends one back in If-Match gets a 412 it cannot explain.',
    reference: rfc7644('3.14'),
  },
  {
    id: 'rfc.create-location-missing',
    severity: 'error',
    title: 'A create answers without a Location header',
    why: 'The URI of a created resource SHALL be in the Location header (and in meta.location); clients that follow Location have nowhere to go.',
    reference: rfc7644('3.3'),
  },
  {
    id: 'rfc.create-location-mismatch',
    severity: 'error',
    title: 'A create\'s Location header differs from "meta.location"',
    why: 'The Location header and meta.location both carry the URI of the created resource; two different URIs leave the client guessing which one is real.',
    reference: rfc7644('3.3'),
  },
] as const satisfies readonly FindingDefinition[];

export type RfcFindingId = (typeof RFC_FINDINGS)[number]['id'];
