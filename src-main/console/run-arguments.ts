/**
 * The runs slice's untrusted arguments, checked field by field: they come from a web page (the
 * browser host) or the renderer, and a wrong shape must be a 400 with a clear message, never a
 * run that sends something nobody asked for.
 */
import type { IdpActionArgs, ReportFormat, StartRunArgs } from '../api/contract.js';
import { IDP_EVENT_TYPES, type IdpEvent, type PersonChanges } from '../idp/events.js';
import { PROFILE_NAMES, isProfileName, type ProfileName } from '../idp/profile.js';
import { InvalidCommandArguments } from './invalid-arguments.js';
import { checkScenarioRef } from './scenarios.js';

export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'junit', 'json', 'har'];

const START_RUN_FIELDS = new Set(['scenario', 'target', 'profile', 'compareTarget', 'exact', 'keep', 'seed']);
const REQUIRED_CHANGES = ['userName', 'givenName', 'familyName', 'email'] as const;
const CLEARABLE_CHANGES = ['displayName', 'title', 'department', 'employeeNumber', 'costCenter', 'mobile', 'locale', 'manager'] as const;

function objectOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCommandArguments(`${what} is an object`);
  return value as Record<string, unknown>;
}

function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidCommandArguments(`${what} is a non-empty string; got ${JSON.stringify(value)}`);
  return value;
}

function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidCommandArguments(`${what} is true or false`);
  return value;
}

export function checkProfile(value: unknown, what = 'profile'): ProfileName {
  if (typeof value !== 'string' || !isProfileName(value)) {
    throw new InvalidCommandArguments(`${what} is one of ${PROFILE_NAMES.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkRunId(value: unknown, what = 'runId'): string {
  return nonEmptyString(value, what);
}

export function checkReportFormat(value: unknown): ReportFormat {
  if (typeof value !== 'string' || !(REPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidCommandArguments(`A report format is one of ${REPORT_FORMATS.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as ReportFormat;
}

export function checkStartRunArgs(args: unknown): StartRunArgs {
  const value = objectOf(args, 'startRun\'s argument');
  const unknown = Object.keys(value).filter((key) => !START_RUN_FIELDS.has(key));
  if (unknown.length > 0) throw new InvalidCommandArguments(`startRun does not take ${unknown.map((key) => `"${key}"`).join(', ')}`);
  const seed = value.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
    throw new InvalidCommandArguments(`seed is a whole number from 0 to 4294967295; got ${JSON.stringify(seed)}`);
  }
  const exact = optionalBoolean(value.exact, 'exact');
  const keep = optionalBoolean(value.keep, 'keep');
  return {
    scenario: checkScenarioRef(value.scenario),
    target: nonEmptyString(value.target, 'target'),
    ...(value.profile === undefined ? {} : { profile: checkProfile(value.profile) }),
    ...(value.compareTarget === undefined ? {} : { compareTarget: nonEmptyString(value.compareTarget, 'compareTarget') }),
    ...(exact === undefined ? {} : { exact }),
    ...(keep === undefined ? {} : { keep }),
    ...(seed === undefined ? {} : { seed: seed as number }),
  };
}

function personKeys(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidCommandArguments(`${what} is a non-empty list of person keys`);
  return value.map((key, i) => nonEmptyString(key, `${what}[${i}]`));
}

function checkChanges(value: unknown): PersonChanges {
  const changes = objectOf(value, 'updateUser\'s "changes"');
  const allowed = new Set<string>([...REQUIRED_CHANGES, ...CLEARABLE_CHANGES]);
  const result: Record<string, string | null> = {};
  for (const [name, change] of Object.entries(changes)) {
    if (!allowed.has(name)) throw new InvalidCommandArguments(`updateUser cannot change "${name}"; it changes ${[...allowed].join(', ')}`);
    const clearable = (CLEARABLE_CHANGES as readonly string[]).includes(name);
    if (!(typeof change === 'string' || (clearable && change === null))) {
      throw new InvalidCommandArguments(`"changes.${name}" is ${clearable ? 'a string, or null to clear it' : 'a string'}`);
    }
    result[name] = change;
  }
  if (Object.keys(result).length === 0) throw new InvalidCommandArguments('updateUser needs at least one change');
  return result as PersonChanges;
}

export function checkIdpEvent(value: unknown): IdpEvent {
  const event = objectOf(value, 'The IdP event');
  const type = event.type;
  if (typeof type !== 'string' || !(IDP_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidCommandArguments(`An IdP event's "type" is one of ${IDP_EVENT_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  }
  const typed = type as IdpEvent['type'];
  switch (typed) {
    case 'testConnection':
    case 'importUsers':
    case 'importGroups':
    case 'syncCycle':
      return { type: typed };
    case 'assignUser':
    case 'deactivateUser':
    case 'reactivateUser':
    case 'unassignUser':
    case 'deleteUser':
      return { type: typed, user: nonEmptyString(event.user, `${typed}'s "user"`) };
    case 'updateUser':
      return { type: typed, user: nonEmptyString(event.user, 'updateUser\'s "user"'), changes: checkChanges(event.changes) };
    case 'pushGroup':
    case 'deleteGroup':
      return { type: typed, group: nonEmptyString(event.group, `${typed}'s "group"`) };
    case 'renameGroup':
      return { type: typed, group: nonEmptyString(event.group, 'renameGroup\'s "group"'), displayName: nonEmptyString(event.displayName, 'renameGroup\'s "displayName"') };
    case 'addMembers':
    case 'removeMembers':
      return { type: typed, group: nonEmptyString(event.group, `${typed}'s "group"`), users: personKeys(event.users, `${typed}'s "users"`) };
  }
}

export function checkIdpActionArgs(args: unknown): IdpActionArgs {
  const value = objectOf(args, 'runIdpAction\'s argument');
  return { profile: checkProfile(value.profile), target: nonEmptyString(value.target, 'target'), event: checkIdpEvent(value.event) };
}
