/**
 * `entra`: Microsoft Entra ID's provisioning engine as it behaves by default (a non-gallery
 * SCIM app without tenant-URL flags). Its PATCH bodies deviate from RFC 7644 in the ways
 * Microsoft documents for the default behaviour (scim-compatibility:
 * https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility):
 * capitalised ops (`Add`, `Replace`, `Remove`), `active` as the strings "True"/"False", one
 * `Replace` per changed attribute, and member removal as `path: "members"` with a value array.
 * Everything else (requests, order, headers, lookups, probe) is in entra-common.ts.
 */
import type { Profile } from '../profile.js';
import { createEntraProfile, type PatchDialect } from './entra-common.js';

const CAPITALISED = { add: 'Add', replace: 'Replace', remove: 'Remove' } as const;

export const entraDialect: PatchDialect = {
  // "op": "Replace" / "Add" / "Remove" (scim-compatibility, "Without feature flag").
  op: (kind) => CAPITALISED[kind],
  // "value": "False" (scim-compatibility, "Requests made to disable users", without flag).
  boolean: (value) => (value ? 'True' : 'False'),
  // One operation per attribute with its path (scim-compatibility, "Requests to replace
  // multiple attributes", without flag; "Update User [Multi-valued properties]" in
  // https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups).
  attributeOperations: (changes) => changes.map((change) => ({ op: CAPITALISED[change.kind], path: change.path, value: change.value })),
  // {"op":"Remove","path":"members","value":[{"value":"u1091"}]} (scim-compatibility,
  // "Requests made to remove a group member", without flag): RFC 7644 §3.5.2.2 read literally
  // would remove every member; the value array names the ones to remove.
  memberRemoval: (ids) => [{ op: 'Remove', path: 'members', value: ids.map((id) => ({ value: id })) }],
};

export const entraProfile: Profile = createEntraProfile({
  name: 'entra',
  title: 'Microsoft Entra ID',
  summary:
    'Entra provisioning by default: random-GUID probe, lookups before writes, PATCH with Add/Replace/Remove, "True"/"False" strings, member removal by value array, "$ref": null, manager as a bare id',
  dialect: entraDialect,
});
