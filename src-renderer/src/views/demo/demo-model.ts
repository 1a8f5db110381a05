/**
 * Demo mode's model, apart from React. The scenario runs for real, at full speed, once; the demo
 * then reveals it one step at a time (space bar), so a room sees each step's requests with the
 * target's real answers, at the presenter's pace. Nothing is simulated: the IdP side is the
 * scenario's own script, the target side is what the revealed exchanges' responses showed.
 */
import { parse } from 'yaml';
import type { RunExchange } from './run-progress';

// ── Stepping ───────────────────────────────────────────────────────────────────────────────────

export interface Stepper {
  /** How many steps are shown (0: none yet; the current step is `revealed - 1`). */
  readonly revealed: number;
  /**
   * Presses of Space for steps the run had not finished yet: each is shown as soon as the run has
   * it, so a presenter who presses three times sees three steps, however fast the target is.
   */
  readonly pending: number;
}

export const START: Stepper = { revealed: 0, pending: 0 };

/** The presenter is waiting for the target to finish the next step. */
export function isWaiting(stepper: Stepper): boolean {
  return stepper.pending > 0;
}

/**
 * Space: show the next step if the run has finished it; otherwise remember the press. `finished`
 * is how many steps the run has finished (steps run in order), `total` how many it has.
 */
export function advance(stepper: Stepper, finished: number, total: number): Stepper {
  if (stepper.revealed >= total) return { revealed: total, pending: 0 };
  if (stepper.pending === 0 && stepper.revealed < finished) return { revealed: stepper.revealed + 1, pending: 0 };
  return { revealed: stepper.revealed, pending: Math.min(stepper.pending + 1, total - stepper.revealed) };
}

export function back(stepper: Stepper): Stepper {
  return { revealed: Math.max(0, stepper.revealed - 1), pending: 0 };
}

/** The run finished more steps: the steps the presenter asked for are shown now. */
export function settle(stepper: Stepper, finished: number, total: number): Stepper {
  const shown = Math.min(stepper.pending, Math.max(0, Math.min(finished, total) - stepper.revealed));
  return shown === 0 ? stepper : { revealed: stepper.revealed + shown, pending: stepper.pending - shown };
}

export function isOver(stepper: Stepper, total: number): boolean {
  return total > 0 && stepper.revealed >= total;
}

// ── The IdP side: the scenario's script ────────────────────────────────────────────────────────

export interface ScriptStep {
  readonly name: string;
  readonly event?: string;
  /** The people and group the step is about. */
  readonly users: readonly string[];
  readonly group?: string;
}

export interface DemoScript {
  readonly people: readonly { readonly key: string; readonly name: string }[];
  readonly groups: readonly { readonly key: string; readonly name: string }[];
  readonly steps: readonly ScriptStep[];
}

type Loose = Record<string, unknown>;

/**
 * Reads what the demo shows from a scenario's text: its people, groups and steps. The scenario
 * already loaded and ran in Node; this is only for display, so anything unexpected is left out.
 */
export function parseDemoScript(text: string): DemoScript {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return { people: [], groups: [], steps: [] };
  }
  const root = (isObject(document) ? document : {}) as Loose;
  const directory = (isObject(root.directory) ? root.directory : {}) as Loose;
  const steps = (Array.isArray(root.steps) ? root.steps : []).filter(isObject).map((step: Loose, index): ScriptStep => {
    const users = [...strings(step.user), ...strings(step.users)];
    return {
      name: typeof step.name === 'string' ? step.name : `step ${index + 1}`,
      ...(typeof step.event === 'string' ? { event: step.event } : {}),
      users,
      ...(typeof step.group === 'string' ? { group: step.group } : {}),
    };
  });
  const people = (Array.isArray(directory.people) ? directory.people : []).filter(isObject).flatMap((person: Loose) =>
    typeof person.key === 'string' ? [{ key: person.key, name: [person.givenName, person.familyName].filter((part) => typeof part === 'string').join(' ') || person.key }] : [],
  );
  const groups = (Array.isArray(directory.groups) ? directory.groups : []).filter(isObject).flatMap((group: Loose) =>
    typeof group.key === 'string' ? [{ key: group.key, name: typeof group.displayName === 'string' ? group.displayName : group.key }] : [],
  );
  // People the steps mention but the scenario does not declare come from the seeded directory.
  for (const key of steps.flatMap((step) => step.users)) {
    if (!people.some((person) => person.key === key)) people.push({ key, name: key });
  }
  for (const key of steps.flatMap((step) => (step.group ? [step.group] : []))) {
    if (!groups.some((group) => group.key === key)) groups.push({ key, name: key });
  }
  return { people, groups, steps };
}

export type IdpPersonState = 'not-assigned' | 'active' | 'deactivated' | 'unassigned' | 'deleted';

/** Each person's state in the IdP after the first `revealed` steps of the script. */
export function idpStateAt(script: DemoScript, revealed: number): Map<string, IdpPersonState> {
  const states = new Map<string, IdpPersonState>(script.people.map((person) => [person.key, 'not-assigned']));
  for (const step of script.steps.slice(0, revealed)) {
    const next = EVENT_STATE[step.event ?? ''];
    if (!next) continue;
    for (const user of step.users) states.set(user, next);
  }
  return states;
}

const EVENT_STATE: Record<string, IdpPersonState> = {
  assignUser: 'active',
  reactivateUser: 'active',
  deactivateUser: 'deactivated',
  unassignUser: 'unassigned',
  deleteUser: 'deleted',
};

// ── The target side: what the exchanges showed ─────────────────────────────────────────────────

export interface TargetUser {
  readonly id: string;
  readonly userName: string;
  readonly active: boolean;
}

export interface TargetGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members: number;
}

export interface TargetView {
  readonly users: ReadonlyMap<string, TargetUser>;
  readonly groups: ReadonlyMap<string, TargetGroup>;
}

/**
 * The target's users and groups as the exchanges' responses showed them, in order: a created or
 * returned resource is what the target said it is; a 204 PATCH applies the `active` it was sent;
 * a 2xx DELETE removes it.
 */
export function targetViewFrom(exchanges: readonly RunExchange[]): TargetView {
  const users = new Map<string, TargetUser>();
  const groups = new Map<string, TargetGroup>();
  for (const exchange of exchanges) {
    const status = exchange.response?.status;
    if (status === undefined || status >= 300) continue;
    const where = resourcePath(exchange.request.url);
    if (!where) continue;
    const body = json(exchange.response?.body);
    const store = where.type === 'Users' ? users : groups;
    if (exchange.request.method === 'DELETE' && where.id) {
      store.delete(where.id);
      continue;
    }
    const resources = isObject(body) && Array.isArray(body.Resources) ? body.Resources.filter(isObject) : isObject(body) && typeof body.id === 'string' ? [body] : [];
    for (const resource of resources) {
      if (where.type === 'Users') {
        const user = userOf(resource);
        if (user) users.set(user.id, user);
      } else {
        const group = groupOf(resource);
        if (group) groups.set(group.id, group);
      }
    }
    if (resources.length === 0 && exchange.request.method === 'PATCH' && where.id && where.type === 'Users') {
      const active = patchedActive(json(exchange.request.body));
      const known = users.get(where.id);
      if (known && active !== undefined) users.set(where.id, { ...known, active });
    }
  }
  return { users, groups };
}

function resourcePath(url: string): { type: 'Users' | 'Groups'; id?: string } | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /\/(Users|Groups)(?:\/([^/?]+))?\/?$/.exec(pathname);
  if (!match) return undefined;
  return { type: match[1] as 'Users' | 'Groups', ...(match[2] ? { id: decodeURIComponent(match[2]) } : {}) };
}

function userOf(resource: Loose): TargetUser | undefined {
  if (typeof resource.id !== 'string') return undefined;
  return { id: resource.id, userName: typeof resource.userName === 'string' ? resource.userName : resource.id, active: resource.active !== false };
}

function groupOf(resource: Loose): TargetGroup | undefined {
  if (typeof resource.id !== 'string') return undefined;
  return {
    id: resource.id,
    displayName: typeof resource.displayName === 'string' ? resource.displayName : resource.id,
    members: Array.isArray(resource.members) ? resource.members.length : 0,
  };
}

/** The `active` a PATCH sets, path-less (Okta: `{ value: { active } }`) or with `path: active`. */
function patchedActive(body: unknown): boolean | undefined {
  if (!isObject(body) || !Array.isArray(body.Operations)) return undefined;
  let active: boolean | undefined;
  for (const operation of body.Operations.filter(isObject)) {
    const value = operation.value;
    if (typeof operation.path === 'string' && operation.path.toLowerCase() === 'active') {
      if (typeof value === 'boolean') active = value;
      else if (value === 'True' || value === 'False' || value === 'true' || value === 'false') active = String(value).toLowerCase() === 'true';
    } else if (isObject(value) && typeof value.active === 'boolean') {
      active = value.active;
    }
  }
  return active;
}

function json(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
