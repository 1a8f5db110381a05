/**
 * `entra-compliant`: Microsoft Entra ID with the `aadOptscim062020` tenant-URL flag, which
 * "alters the following behaviors: requests made to disable users, requests to add a
 * single-value string attribute, requests to replace multiple attributes, requests to remove a
 * group member" (scim-compatibility: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility).
 * Lowercase ops, JSON booleans, member removal by a value filter, and several attributes in one
 * path-less `replace`. Everything else is the default engine's (entra-common.ts). Whether Entra
 * forwards the flag as a query parameter on each request is undocumented; it is not sent.
 */
import type { Profile } from '../profile.js';
import { createEntraProfile, type PatchDialect, type PatchOperation } from './entra-common.js';
import { scimString } from '../query-encoding.js';

export const entraCompliantDialect: PatchDialect = {
  op: (kind) => kind,
  // "value": false (scim-compatibility, "Requests made to disable users", with flag).
  boolean: (value) => value,
  /**
   * With the flag, "replace multiple attributes" is a filtered-path `replace` for the work
   * email, then one path-less `replace` whose value has the other attributes under their dotted
   * or URN paths as keys ("name.givenName", "urn:…:employeeNumber"). A single attribute keeps
   * its path, as in "add a single-value string attribute" (`{"op":"add","path":"nickName",…}`).
   */
  attributeOperations(changes) {
    const filtered = changes.filter((change) => change.path.includes('['));
    const plain = changes.filter((change) => !change.path.includes('['));
    const operations: PatchOperation[] = filtered.map((change) => ({ op: change.kind, path: change.path, value: change.value }));
    if (plain.length === 1) operations.push({ op: plain[0]!.kind, path: plain[0]!.path, value: plain[0]!.value });
    if (plain.length > 1) operations.push({ op: 'replace', value: Object.fromEntries(plain.map((change) => [change.path, change.value])) });
    return operations;
  },
  // {"op":"remove","path":"members[value eq \"7f4b…\"]"} (scim-compatibility, "Requests made to
  // remove a group member", with flag); one operation per member, in one PATCH.
  memberRemoval: (ids) => ids.map((id) => ({ op: 'remove', path: `members[value eq ${scimString(id)}]` })),
};

export const entraCompliantProfile: Profile = createEntraProfile({
  name: 'entra-compliant',
  title: 'Microsoft Entra ID (aadOptscim062020)',
  summary:
    'Entra provisioning with the aadOptscim062020 flag: as entra, but lowercase ops, JSON booleans, member removal by members[value eq "…"] and several attributes in one path-less replace',
  dialect: entraCompliantDialect,
});
