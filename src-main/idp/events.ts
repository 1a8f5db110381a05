/**
 * What happens in the identity provider, said the same way for every IdP: an admin assigns a
 * person to the app, changes their title, pushes a group. A profile (src-main/idp/profiles/)
 * turns each event into the HTTP sequence its IdP sends, so any scenario runs under any profile.
 */

/** A person's key in the IdP's directory (e.g. `alice`), not an id of the target. */
export type PersonKey = string;
/** A group's key in the IdP's directory (e.g. `engineering`). */
export type GroupKey = string;

/** The attributes of a person an event may change; `null` clears one. */
export interface PersonChanges {
  readonly userName?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly displayName?: string | null;
  readonly email?: string;
  readonly title?: string | null;
  readonly department?: string | null;
  readonly employeeNumber?: string | null;
  readonly costCenter?: string | null;
  readonly mobile?: string | null;
  readonly locale?: string | null;
  /** Another person's key. */
  readonly manager?: PersonKey | null;
}

export type IdpEvent =
  /** The admin's "Test connection" / "Test API credentials" button. */
  | { readonly type: 'testConnection' }
  /** The person is assigned to the app (created in the target, or matched and linked). */
  | { readonly type: 'assignUser'; readonly user: PersonKey }
  /** Profile attributes change in the IdP and are pushed to the target. */
  | { readonly type: 'updateUser'; readonly user: PersonKey; readonly changes: PersonChanges }
  /** The person is deactivated (suspended) in the IdP. */
  | { readonly type: 'deactivateUser'; readonly user: PersonKey }
  | { readonly type: 'reactivateUser'; readonly user: PersonKey }
  /** The person is unassigned from the app (Okta and Entra both disable; neither deletes). */
  | { readonly type: 'unassignUser'; readonly user: PersonKey }
  /** The person is deleted for good in the IdP (Entra's hard delete). */
  | { readonly type: 'deleteUser'; readonly user: PersonKey }
  /** The group is pushed to / assigned to the app, with its current members. */
  | { readonly type: 'pushGroup'; readonly group: GroupKey }
  | { readonly type: 'renameGroup'; readonly group: GroupKey; readonly displayName: string }
  | { readonly type: 'addMembers'; readonly group: GroupKey; readonly users: readonly PersonKey[] }
  | { readonly type: 'removeMembers'; readonly group: GroupKey; readonly users: readonly PersonKey[] }
  /** The group is unlinked / deleted in the IdP and removed from the target. */
  | { readonly type: 'deleteGroup'; readonly group: GroupKey }
  /** The IdP imports the target's users (Okta "Import"), paging as the IdP pages. */
  | { readonly type: 'importUsers' }
  | { readonly type: 'importGroups' }
  /** A full provisioning cycle over everything assigned (Entra's every-40-minutes cycle). */
  | { readonly type: 'syncCycle' };

export type IdpEventType = IdpEvent['type'];

export const IDP_EVENT_TYPES = [
  'testConnection',
  'assignUser',
  'updateUser',
  'deactivateUser',
  'reactivateUser',
  'unassignUser',
  'deleteUser',
  'pushGroup',
  'renameGroup',
  'addMembers',
  'removeMembers',
  'deleteGroup',
  'importUsers',
  'importGroups',
  'syncCycle',
] as const satisfies readonly IdpEventType[];

// Every event type is listed above: a new one is a compile error here until it is.
type Unlisted = Exclude<IdpEventType, (typeof IDP_EVENT_TYPES)[number]>;
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyEventListed;
