/**
 * `okta`: an Okta Integration Network (OIN) SCIM 2.0 app. "For new OIN app integrations …
 * activating a user, deactivating a user … [go] through a PATCH method request. All other updates
 * to User objects are handled through a PUT method request", and groups are updated by PATCH
 * (https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20). PATCH vs PUT is fixed
 * per app, with no fallback: a 501 on PATCH fails the operation and leaves an admin task
 * (Okta engineer in https://github.com/oktadeveloper/okta-blog-archive/pull/1956).
 * Ops are lowercase (`replace`, `add`, `remove`; https://github.com/pydantic/logfire/issues/2355).
 */
import type { GroupLink, IdpGroup } from '../directory.js';
import type { Profile } from '../profile.js';
import { eqFilter } from '../query-encoding.js';
import {
  OKTA_RETRY_POLICY,
  OKTA_SOURCES,
  OktaClient,
  PATCH_SCHEMA,
  handleOktaEvent,
  oktaHeaders,
  type OktaAppType,
} from './okta-common.js';

const memberValue = ({ value, display }: { value: string; display: string }) => ({ value, display });

/** `replace` of `members` with the whole list: "Push now" (OKTA_SCIM_20, full push; `[]` for an empty group, OKTA_EMPTY_GROUP_PUSH). */
async function replaceMembers(okta: OktaClient, group: IdpGroup, link: GroupLink): Promise<void> {
  const members = okta.provisionedMembers(group);
  await okta.expect('PATCH', `/Groups/${link.id}`, 'replace group members', {
    body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'members', value: members.map(memberValue) }] },
  });
  link.members = members.map((member) => member.key);
}

export const oktaOinAppType: OktaAppType = {
  reactivatesMatchByPatch: true,

  async setActive(okta, _person, link, active) {
    await okta.patchActive(link, active);
  },

  async pushGroup(okta, group) {
    const existing = okta.context.links.groups[group.key];
    if (existing) {
      // "Push now": the rename PATCH precedes every membership update (OKTA_SCIM_20).
      await okta.patchGroupName(group, existing);
      await replaceMembers(okta, group, existing);
      return;
    }
    const link = await okta.createGroup(group);
    const members = okta.provisionedMembers(group);
    if (members.length === 0) return;
    await okta.patchGroupName(group, link);
    await okta.expect('PATCH', `/Groups/${link.id}`, 'add group members', {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: members.map(memberValue) }] },
    });
    link.members = members.map((member) => member.key);
  },

  async updateGroup(okta, group, link, change) {
    if (change === 'rename') {
      await okta.patchGroupName(group, link);
      return;
    }
    const members = okta.provisionedMembers(group);
    const added = members.filter((member) => !link.members.includes(member.key));
    const removed = link.members.filter((key) => !members.some((member) => member.key === key));
    if (added.length === 0 && removed.length === 0) return;
    // One PATCH: a filtered `remove` per member, then one `add` (OKTA_SCIM_20, "Update Group memberships").
    const operations: unknown[] = removed.map((key) => ({
      op: 'remove',
      path: `members[${eqFilter('value', okta.context.links.users[key]!.id)}]`,
    }));
    if (added.length > 0) operations.push({ op: 'add', path: 'members', value: added.map(memberValue) });
    await okta.patchGroupName(group, link);
    await okta.expect('PATCH', `/Groups/${link.id}`, 'update group members', { body: { schemas: [PATCH_SCHEMA], Operations: operations } });
    link.members = members.map((member) => member.key);
  },
};

export const oktaProfile: Profile = {
  name: 'okta',
  title: 'Okta (OIN app)',
  summary:
    'Okta Integration Network SCIM 2.0 app: lookup with startIndex=1&count=100, POST with a random password and externalId 00u…, GET then PUT for profile changes, path-less PATCH for (de)activation, group push by PATCH with a rename before each membership change, never DELETE /Users',
  sources: OKTA_SOURCES,
  retryPolicy: OKTA_RETRY_POLICY,
  headers: oktaHeaders,
  handle: (event, context) => handleOktaEvent(event, context, oktaOinAppType),
};
