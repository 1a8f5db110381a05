/**
 * `okta-aiw`: a custom app made with Okta's App Integration Wizard ("Classic"). "For any custom
 * app integrations created using the AIW, all SCIM operations that update a User object … are
 * always sent through a PUT method request", and groups likewise
 * (https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20). A public trace of an
 * AIW app shows every write as a PUT, deactivation and group membership included, and a group
 * push as lookup → POST → GET → PUT (Rostr lab, "Phase 3 — SCIM provisioning", 2026).
 */
import type { GroupLink, IdpGroup } from '../directory.js';
import { IdpOperationFailed, type Profile } from '../profile.js';
import {
  GROUP_SCHEMA,
  OKTA_RETRY_POLICY,
  OKTA_SOURCES,
  OktaClient,
  handleOktaEvent,
  listPage,
  lookupQuery,
  oktaHeaders,
  responseDetail,
  succeeded,
  type OktaAppType,
} from './okta-common.js';

/** `PUT /Groups/{id}` with the full member list, in the captured shape (OKTA_CAPTURES_2019). */
async function putGroup(okta: OktaClient, group: IdpGroup, link: GroupLink, purpose: string): Promise<void> {
  const members = okta.provisionedMembers(group);
  await okta.expect('PUT', `/Groups/${link.id}`, purpose, {
    body: {
      schemas: [GROUP_SCHEMA],
      id: link.id,
      displayName: group.displayName,
      members: members.map(({ value, display }) => ({ value, display })),
    },
  });
  link.displayName = group.displayName;
  link.members = members.map((member) => member.key);
}

/**
 * The group lookup "when Okta has to update a group whose id it does not know":
 * `GET /Groups?filter=displayName eq "…"&startIndex=1&count=100` (current Okta guide as quoted by
 * the Rostr lab write-up; only seen second-hand), percent-encoded like the user lookup.
 */
async function lookupGroup(okta: OktaClient, group: IdpGroup): Promise<string | undefined> {
  const response = await okta.send('GET', '/Groups', 'lookup group by displayName', { query: lookupQuery('displayName', group.displayName) });
  if (response.status === 404) return undefined;
  if (!succeeded(response)) throw new IdpOperationFailed(`Okta: lookup group by displayName failed: ${responseDetail(response)}`);
  const page = listPage(response);
  if (!page) throw new IdpOperationFailed(`Okta: lookup group by displayName failed: the target's ${response.status} response is not a ListResponse`);
  const found = page.resources.find((resource) => typeof resource['id'] === 'string');
  return found?.['id'] as string | undefined;
}

export const oktaAiwAppType: OktaAppType = {
  // The PUT after the match carries `active: true`; AIW apps never PATCH.
  reactivatesMatchByPatch: false,

  async setActive(okta, _person, link, active) {
    await okta.putActive(link, active);
  },

  async pushGroup(okta, group) {
    const existing = okta.context.links.groups[group.key];
    if (existing) {
      await putGroup(okta, group, existing, 'push group');
      return;
    }
    const matchId = await lookupGroup(okta, group);
    let link: GroupLink;
    if (matchId === undefined) {
      link = await okta.createGroup(group);
    } else {
      link = { id: matchId, displayName: group.displayName, members: [] };
      okta.context.links.groups[group.key] = link;
    }
    await okta.read(`/Groups/${link.id}`, 'read group before update');
    await putGroup(okta, group, link, 'push group members');
  },

  async updateGroup(okta, group, link, change) {
    await putGroup(okta, group, link, change === 'rename' ? 'rename group' : 'update group members');
  },
};

export const oktaAiwProfile: Profile = {
  name: 'okta-aiw',
  title: 'Okta (App Integration Wizard app)',
  summary:
    'Okta custom SCIM 2.0 app made with the App Integration Wizard: the same lookups, create and headers as OIN apps, but GET then PUT for every user write (deactivation included) and PUT with full member lists for groups',
  sources: OKTA_SOURCES,
  retryPolicy: OKTA_RETRY_POLICY,
  headers: oktaHeaders,
  handle: (event, context) => handleOktaEvent(event, context, oktaAiwAppType),
};
