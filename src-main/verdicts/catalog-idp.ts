/**
 * The findings about what a real identity provider would trip on (per profile), and about
 * read-after-write consistency (`sync.*`: what an IdP wrote is what a GET returns, what it removed
 * is gone). Each says what is wrong in words a developer of the target recognises, why it matters
 * and which public document says so. Checked by idp-checks.ts (one exchange) and read-back.ts (a
 * finished step).
 */
import type { FindingDefinition, Reference } from './finding.js';

const ENTRA_TUTORIAL: Reference = {
  title: 'Microsoft Entra: Develop and plan provisioning for a SCIM endpoint',
  url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups',
};
const ENTRA_QUARANTINE: Reference = {
  title: 'Microsoft Entra: Application provisioning in quarantine status',
  url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status',
};
const ENTRA_COMPATIBILITY: Reference = {
  title: 'Microsoft Entra: Known issues with SCIM 2.0 protocol compliance (disable users, remove a group member)',
  url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility',
};
const ENTRA_VALIDATOR: Reference = {
  title: 'Microsoft Entra: Validate a SCIM endpoint (SCIM Validator)',
  url: 'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/scim-validator-tutorial',
};
const OKTA_SCIM_20: Reference = {
  title: 'Okta: SCIM 2.0 protocol reference',
  url: 'https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20',
};
const OKTA_SPEC_TEST: Reference = {
  title: 'Okta SCIM 2.0 SPEC Test (Runscope suite)',
  url: 'https://github.com/okta/okta-developer-docs/blob/master/packages/@okta/vuepress-site/.vuepress/public/standards/SCIM/SCIMFiles/Okta-SCIM-20-SPEC-Test.json',
};
const ONELOGIN_CAPTURE: Reference = {
  title: 'OneLogin "SCIM v2 Enterprise" traffic (goauthentik/authentik#11249)',
  url: 'https://github.com/goauthentik/authentik/issues/11249',
};
const JUMPCLOUD_ARTICLE: Reference = {
  title: 'JumpCloud: Identity Management using a Custom SCIM Integration',
  url: 'https://jumpcloud.com/support/provision-and-manage-users-and-groups-in-apps-using-custom-scim-identity-management-integration',
};
const PINGFEDERATE_CONNECTOR: Reference = {
  title: 'PingFederate SCIM Connector',
  url: 'https://docs.pingidentity.com/integrations/scim/pf_scim_connector.html',
};
const RFC7644_PATCH: Reference = { title: 'RFC 7644 §3.5.2 (Modifying with PATCH)', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2' };
const RFC7644_PUT: Reference = { title: 'RFC 7644 §3.5.1 (Replacing with PUT)', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1' };
const RFC7644_DELETE: Reference = { title: 'RFC 7644 §3.6 (Deleting resources)', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.6' };
const RFC7644_RETRIEVE: Reference = { title: 'RFC 7644 §3.4.1 (Retrieving a known resource)', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1' };

const ENTRA = ['entra', 'entra-compliant'] as const;
const OKTA = ['okta', 'okta-aiw'] as const;

export const IDP_FINDINGS: readonly FindingDefinition[] = [
  // ---- Microsoft Entra ID ----------------------------------------------------------------------
  {
    id: 'entra.filter-404',
    severity: 'error',
    title: 'A filter that matches nothing answers 404 instead of 200 with an empty ListResponse',
    why:
      'Entra looks every user and group up with a filter before it writes, and starts each cycle with a filter for a random GUID. ' +
      'A 404 there is a documented quarantine reason ("An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response"): the job stops provisioning.',
    reference: ENTRA_QUARANTINE,
    profiles: ENTRA,
  },
  {
    id: 'entra.filter-not-list-response',
    severity: 'error',
    title: 'A filter answers 200 but not with a SCIM ListResponse',
    why: 'Entra reads the matches from the ListResponse\'s "Resources"; anything else fails the lookup, and with it the create or update that needed it.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.probe-matched',
    severity: 'error',
    title: "The connection test's filter for a random GUID returns resources (is the filter ignored?)",
    why:
      'Test Connection filters for a user (and a group) that cannot exist and "the expected correct response is HTTP 200 OK with an empty SCIM ListResponse". ' +
      'A target that ignores the filter fails the test, and would link every Entra user to the wrong account.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.filter-ignored',
    severity: 'error',
    title: 'A lookup filter is ignored: users or groups that do not match come back',
    why:
      'Entra looks every user up by userName (every group by displayName) before it writes, and takes a match as the account to link. ' +
      'A target that ignores the filter and lists everyone has Entra link the wrong account, or fail the group with "displayName must be unique".',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.schema-discovery-failed',
    severity: 'error',
    title: 'GET /Schemas does not answer a ListResponse of schemas (no schema discovery)',
    why:
      'Entra reads /Schemas when a gallery app\'s provisioning configuration is saved, to learn which attributes the app holds; it expects a ListResponse of Schema resources. ' +
      'A missing route (404) or a bare JSON array fails schema discovery.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.create-without-id',
    severity: 'error',
    title: 'POST /Users or POST /Groups answers without an "id"',
    why: 'Entra caches the target\'s id from the create response and writes every later update to /Users/{id}; without it the create counts as failed and is retried.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.group-patch-status',
    severity: 'error',
    title: 'A group PATCH does not answer 204 (or 200)',
    why: 'Entra renames groups and adds or removes members with PATCH /Groups/{id} and expects 204 No Content (200 is accepted); any other status fails the membership change.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.string-boolean-misread',
    severity: 'error',
    title: 'The string "False" is taken as true: Entra\'s disable leaves the user active',
    why:
      'By default Entra disables a user with {"op":"Replace","path":"active","value":"False"}, a string. A target that reads any non-empty string as true keeps the user active, ' +
      'so someone removed from the app in Entra can still sign in.',
    reference: ENTRA_COMPATIBILITY,
    profiles: ['entra'],
  },
  {
    id: 'entra.remove-members-by-value',
    severity: 'error',
    title: 'A "Remove" of members with a value array does not remove just those members',
    why:
      'By default Entra removes members with {"op":"Remove","path":"members","value":[{"value":"<id>"}]}. The listed members must go and the others stay: ' +
      'a target that ignores it keeps people in groups they left; one that drops every member locks the rest of the group out.',
    reference: ENTRA_COMPATIBILITY,
    profiles: ['entra'],
  },
  {
    id: 'entra.disabled-user-hidden',
    severity: 'error',
    title: 'A disabled user is no longer returned',
    why: 'Entra expects users to be returned regardless of "active" ("the only time the user shouldn\'t be returned is when it\'s hard deleted"); a hidden user is matched again and re-created.',
    reference: ENTRA_TUTORIAL,
    profiles: ENTRA,
  },
  {
    id: 'entra.duplicate-not-409',
    severity: 'error',
    title: 'Creating a user whose userName exists does not answer 409 Conflict',
    why: 'Entra re-sends a create that timed out and expects 409 for the user that was in fact created; the SCIM Validator\'s "create a duplicate user" test requires 409.',
    reference: ENTRA_VALIDATOR,
    profiles: ENTRA,
  },
  {
    id: 'entra.username-filter-case-sensitive',
    severity: 'error',
    title: 'The userName filter is case-sensitive',
    why: 'userName is case-insensitive (RFC 7643 §4.1.1, caseExact false); the SCIM Validator filters for an existing user "with different case" and Entra\'s matching would otherwise create duplicates.',
    reference: ENTRA_VALIDATOR,
    profiles: ENTRA,
  },
  {
    id: 'entra.request-failed',
    severity: 'error',
    title: 'The target rejects a request Entra needs to succeed',
    why: 'Entra logs the operation as failed and retries it in later cycles; when most operations fail, the job goes to quarantine.',
    reference: ENTRA_QUARANTINE,
    profiles: ENTRA,
  },

  // ---- Okta ------------------------------------------------------------------------------------
  {
    id: 'okta.create-without-id',
    severity: 'error',
    title: 'The create response has no "id" (Okta: "Create new user returned empty user")',
    why: 'Okta links the app user to the id in the create response; without it the assignment fails with "Create new user returned empty user" and becomes an admin task.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },
  {
    id: 'okta.path-less-patch-unsupported',
    severity: 'error',
    title: 'A path-less PATCH {"op":"replace","value":{"active":false}} is ignored or rejected',
    why:
      'Okta OIN apps (de)activate users with a replace that has no "path" and an object value (RFC 7644 §3.5.2.3 allows it). ' +
      'A target that ignores it leaves a deactivated Okta user active in the app; one that rejects it turns every deactivation into a failed task.',
    reference: OKTA_SCIM_20,
    profiles: ['okta'],
  },
  {
    id: 'okta-aiw.put-active-ignored',
    severity: 'error',
    title: 'A PUT with "active": false does not deactivate the user',
    why: 'Okta App Integration Wizard apps deactivate and reactivate by GET then PUT of the whole user with "active" changed; a target that ignores "active" in PUT keeps deactivated users active.',
    reference: OKTA_SCIM_20,
    profiles: ['okta-aiw'],
  },
  {
    id: 'okta.duplicate-not-409',
    severity: 'error',
    title: 'Creating a user whose userName exists does not answer 409 Conflict',
    why: 'Okta expects "409 Conflict" with a SCIM Error for a duplicate user and shows its detail to the admin; the SPEC test POSTs the same user twice and requires 409.',
    reference: OKTA_SPEC_TEST,
    profiles: OKTA,
  },
  {
    id: 'okta.paging-not-integer',
    severity: 'error',
    title: 'A list response\'s paging fields (totalResults, startIndex, itemsPerPage) are missing or not integers',
    why: 'Okta pages imports by totalResults and startIndex and requires them as integers; a string "100" or a missing totalResults fails the import.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },
  {
    id: 'okta.import-unstable-order',
    severity: 'error',
    title: 'Import pages repeat or skip resources (the order is not stable)',
    why: 'Okta imports 100 at a time with startIndex and expects a stable order; a page that repeats resources means others are never imported.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },
  {
    id: 'okta.import-total-mismatch',
    severity: 'error',
    title: '"totalResults" does not match the resources the pages hold',
    why: 'Okta stops paging when startIndex passes totalResults: an understated total leaves users out of the import, an overstated one has Okta ask for pages that are not there.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },
  {
    id: 'okta.group-rename-failed',
    severity: 'error',
    title: 'The group rename PATCH with "id" in its value fails',
    why:
      'Okta sends {"op":"replace","value":{"id":"<id>","displayName":"…"}} before every membership update; a target that rejects the read-only "id" in the value fails every group push.',
    reference: OKTA_SCIM_20,
    profiles: ['okta'],
  },
  {
    id: 'okta.username-filter-case-sensitive',
    severity: 'error',
    title: 'The userName filter is case-sensitive (Okta\'s SPEC test looks a user up by upper-cased userName)',
    why: 'userName is case-insensitive (RFC 7643 §4.1.1); a case-sensitive lookup misses an existing user, so Okta creates it again and gets a 409.',
    reference: OKTA_SPEC_TEST,
    profiles: OKTA,
  },
  {
    id: 'okta.filter-ignored',
    severity: 'error',
    title: 'A lookup filter is ignored: users or groups that do not match come back',
    why:
      'Okta looks a user up by userName (a group by displayName) before it creates one and links the match it gets back; ' +
      'a target that ignores the filter and lists everyone has Okta link the assignment to someone else\'s account.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },
  {
    id: 'okta.request-failed',
    severity: 'error',
    title: 'The target rejects a request Okta needs to succeed',
    why: 'Okta fails the operation and leaves a task for the admin to retry by hand.',
    reference: OKTA_SCIM_20,
    profiles: OKTA,
  },

  // ---- OneLogin, JumpCloud, PingFederate -------------------------------------------------------
  {
    id: 'onelogin.trailing-question-mark',
    severity: 'error',
    title: 'A resource URL ending in a bare "?" (PUT /Users/{id}?) is not routed',
    why: 'OneLogin writes every user update to /Users/{id}? with an empty query; a router that does not ignore the "?" fails every update.',
    reference: ONELOGIN_CAPTURE,
    profiles: ['onelogin'],
  },
  {
    id: 'onelogin.schema-urn-rejected',
    severity: 'error',
    title: 'OneLogin\'s schema URNs (urn:scim:schemas:core:2.0) are rejected',
    why: 'OneLogin\'s SCIM v2 Enterprise template sends "urn:scim:schemas:core:2.0" and "urn:scim:schemas:extension:enterprise:2.0" in "schemas"; rejecting them fails every create and update.',
    reference: ONELOGIN_CAPTURE,
    profiles: ['onelogin'],
  },
  {
    id: 'onelogin.request-failed',
    severity: 'error',
    title: 'The target rejects a request OneLogin needs to succeed',
    why: 'OneLogin logs the provisioning as failed for that user or group.',
    reference: ONELOGIN_CAPTURE,
    profiles: ['onelogin'],
  },
  {
    id: 'jumpcloud.delete-unsupported',
    severity: 'info',
    title: 'DELETE is not supported: JumpCloud deactivates instead, and the test user must be deleted by hand',
    why: 'JumpCloud\'s connection test creates a real test user; "if the DELETE method is not supported for users, then the test user will be deactivated and will have to be manually deleted".',
    reference: JUMPCLOUD_ARTICLE,
    profiles: ['jumpcloud'],
  },
  {
    id: 'jumpcloud.request-failed',
    severity: 'error',
    title: 'The target rejects a request JumpCloud needs to succeed',
    why: 'JumpCloud logs the provisioning event (user_create_provision, group_update_provision, …) as failed.',
    reference: JUMPCLOUD_ARTICLE,
    profiles: ['jumpcloud'],
  },
  {
    id: 'pingfederate.request-failed',
    severity: 'error',
    title: 'The target rejects a request PingFederate needs to succeed',
    why: 'PingFederate\'s provisioner logs the failure as a warning and retries the user on its next poll of the datastore.',
    reference: PINGFEDERATE_CONNECTOR,
    profiles: ['pingfederate'],
  },

  // ---- Read-after-write ------------------------------------------------------------------------
  {
    id: 'sync.user-missing',
    severity: 'error',
    title: 'A user the IdP just wrote cannot be read back by its id',
    why: 'Every IdP addresses later updates to /Users/{id} with the id it learned; a user that cannot be read there cannot be updated or deactivated.',
    reference: RFC7644_RETRIEVE,
  },
  {
    id: 'sync.user-attributes',
    severity: 'error',
    title: 'A user attribute the IdP wrote reads back different',
    why: 'What was written is what the app must show: a name, email or title that does not stick means the app and the IdP disagree about who the user is.',
    reference: RFC7644_PATCH,
  },
  {
    id: 'sync.put-drops-attributes',
    severity: 'error',
    title: 'A PUT drops attributes it was given',
    why: 'IdPs that update with PUT (Okta, OneLogin, PingFederate) send the whole user each time; an attribute the PUT carried and the target then lacks is lost on every update.',
    reference: RFC7644_PUT,
  },
  {
    id: 'sync.user-active',
    severity: 'error',
    title: '"active" reads back different from what the IdP wrote',
    why: 'A deactivation that does not stick leaves a person who left with access to the app; a reactivation that does not stick locks them out.',
    reference: RFC7644_PATCH,
  },
  {
    id: 'sync.user-not-deleted',
    severity: 'error',
    title: 'A deleted user can still be read',
    why: 'After DELETE /Users/{id} answered success, the user must be gone (RFC 7644 §3.6: "the service provider MUST return a 404").',
    reference: RFC7644_DELETE,
  },
  {
    id: 'sync.group-missing',
    severity: 'error',
    title: 'A group the IdP just wrote cannot be read back by its id',
    why: 'IdPs address renames and membership changes to /Groups/{id}; a group that cannot be read there cannot be kept in sync.',
    reference: RFC7644_RETRIEVE,
  },
  {
    id: 'sync.group-display-name',
    severity: 'error',
    title: 'A group\'s displayName reads back different from what the IdP wrote',
    why: 'IdPs match groups by displayName: a rename that does not stick makes the next lookup miss, and the group is created again.',
    reference: RFC7644_PATCH,
  },
  {
    id: 'sync.group-members',
    severity: 'error',
    title: 'A group\'s members read back different from what the IdP wrote',
    why: 'Group membership usually grants access in the app: a member who was not added is locked out, one who was not removed keeps access.',
    reference: RFC7644_PATCH,
  },
  {
    id: 'sync.group-not-deleted',
    severity: 'error',
    title: 'A deleted group can still be read',
    why: 'After DELETE /Groups/{id} answered success, the group must be gone (RFC 7644 §3.6).',
    reference: RFC7644_DELETE,
  },
];

const BY_ID = new Map(IDP_FINDINGS.map((definition) => [definition.id, definition]));

/** The definition of one of these findings; an unknown id is a programming error. */
export function idpFinding(id: string): FindingDefinition {
  const definition = BY_ID.get(id);
  if (!definition) throw new Error(`No IdP finding "${id}" in catalog-idp.ts`);
  return definition;
}
