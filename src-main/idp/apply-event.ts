/**
 * What an event changes in the IdP's own directory. The runner applies it before the profile
 * sends anything (the admin changed the title, then Okta pushes it), and removes deleted people
 * and groups after (the profile still needs to know whom to delete). Idempotent: applying an
 * event twice leaves the directory as applying it once.
 */
import type { IdpDirectory } from './directory.js';
import type { IdpEvent } from './events.js';

export function applyBeforeSending(event: IdpEvent, directory: IdpDirectory): void {
  switch (event.type) {
    case 'updateUser':
      directory.updatePerson(event.user, event.changes);
      return;
    case 'deactivateUser':
      directory.person(event.user).active = false;
      return;
    case 'reactivateUser':
      directory.person(event.user).active = true;
      return;
    case 'renameGroup':
      directory.group(event.group).displayName = event.displayName;
      return;
    case 'addMembers': {
      const group = directory.group(event.group);
      for (const user of event.users) {
        directory.person(user);
        if (!group.members.includes(user)) group.members.push(user);
      }
      return;
    }
    case 'removeMembers': {
      const group = directory.group(event.group);
      for (const user of event.users) directory.person(user);
      group.members = group.members.filter((member) => !event.users.includes(member));
      return;
    }
    case 'assignUser':
    case 'unassignUser':
    case 'deleteUser':
      directory.person(event.user);
      return;
    case 'pushGroup':
    case 'deleteGroup':
      directory.group(event.group);
      return;
    case 'testConnection':
    case 'importUsers':
    case 'importGroups':
    case 'syncCycle':
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`Unknown event ${String((unhandled as { type: string }).type)}`);
    }
  }
}

/** After a delete was sent: the IdP forgets what it knew of the person or group in this target. */
export function applyAfterSending(event: IdpEvent, directory: IdpDirectory, targetKey: string): void {
  const links = directory.linksFor(targetKey);
  if (event.type === 'deleteUser') {
    delete links.users[event.user];
  } else if (event.type === 'deleteGroup') {
    delete links.groups[event.group];
  }
}
