/**
 * Demo mode's model: the space bar reveals the run's steps one at a time and never shows a step
 * the run has not finished; the two sides show what the script did and what the target answered.
 */
import { describe, expect, it } from 'vitest';
import {
  advance,
  back,
  idpStateAt,
  isOver,
  isWaiting,
  parseDemoScript,
  settle,
  START,
  type Stepper,
  targetViewFrom,
} from '../../../src-renderer/src/views/demo/demo-model';
import type { RunExchange } from '../../../src-renderer/src/views/demo/run-progress';

describe('stepping', () => {
  it('reveals one finished step per press', () => {
    let stepper = advance(START, 3, 5);
    expect(stepper).toEqual({ revealed: 1, pending: 0 });
    stepper = advance(stepper, 3, 5);
    expect(stepper.revealed).toBe(2);
  });

  it('waits for a step the run has not finished, and shows it when it has', () => {
    const waiting = advance({ revealed: 2, pending: 0 }, 2, 5);
    expect(waiting).toEqual({ revealed: 2, pending: 1 });
    expect(isWaiting(waiting)).toBe(true);
    expect(settle(waiting, 2, 5)).toBe(waiting);
    expect(settle(waiting, 3, 5)).toEqual({ revealed: 3, pending: 0 });
  });

  it('keeps every press made while waiting, and shows those steps as the run finishes them', () => {
    let stepper = advance(START, 0, 5);
    stepper = advance(stepper, 0, 5);
    stepper = advance(stepper, 0, 5);
    expect(stepper).toEqual({ revealed: 0, pending: 3 });
    stepper = settle(stepper, 2, 5);
    expect(stepper).toEqual({ revealed: 2, pending: 1 });
    stepper = settle(stepper, 5, 5);
    expect(stepper).toEqual({ revealed: 3, pending: 0 });
    expect(isWaiting(stepper)).toBe(false);
  });

  it('never asks for more steps than the scenario has', () => {
    let stepper: Stepper = { revealed: 4, pending: 0 };
    for (let press = 0; press < 5; press++) stepper = advance(stepper, 4, 5);
    expect(stepper).toEqual({ revealed: 4, pending: 1 });
  });

  it('does not jump ahead when the run finishes steps nobody asked for', () => {
    const stepper = { revealed: 1, pending: 0 };
    expect(settle(stepper, 5, 5)).toBe(stepper);
  });

  it('stops at the last step and goes back one at a time, never below the start', () => {
    const end = advance({ revealed: 5, pending: 0 }, 5, 5);
    expect(end.revealed).toBe(5);
    expect(isOver(end, 5)).toBe(true);
    expect(back(end).revealed).toBe(4);
    expect(back(START).revealed).toBe(0);
  });
});

const SCRIPT = `
name: lifecycle
profile: okta
directory:
  people:
    - { key: grace, givenName: Grace, familyName: Hopper }
    - { key: alan, givenName: Alan, familyName: Turing }
steps:
  - name: assign grace
    event: assignUser
    user: grace
  - name: assign the others
    event: assignUser
    users: [alan, ada]
  - name: deactivate alan
    event: deactivateUser
    user: alan
  - name: check
    request: { method: GET, path: /Users }
`;

describe('the IdP side', () => {
  it('reads people and steps from the scenario, including people only the steps mention', () => {
    const script = parseDemoScript(SCRIPT);
    expect(script.people.map((person) => person.name)).toEqual(['Grace Hopper', 'Alan Turing', 'ada']);
    expect(script.steps.map((step) => step.name)).toEqual(['assign grace', 'assign the others', 'deactivate alan', 'check']);
    expect(script.steps[1].users).toEqual(['alan', 'ada']);
  });

  it('gives each person the state the revealed steps left them in', () => {
    const script = parseDemoScript(SCRIPT);
    expect(idpStateAt(script, 0).get('grace')).toBe('not-assigned');
    expect(Object.fromEntries(idpStateAt(script, 3))).toEqual({ grace: 'active', alan: 'deactivated', ada: 'active' });
  });

  it('shows nothing rather than failing on text that is not a scenario', () => {
    expect(parseDemoScript('steps: [ unclosed')).toEqual({ people: [], groups: [], steps: [] });
    expect(parseDemoScript('just a string').steps).toEqual([]);
  });
});

let index = 0;
function exchange(method: string, path: string, status: number | undefined, responseBody?: unknown, requestBody?: unknown): RunExchange {
  index += 1;
  return {
    index,
    step: 0,
    source: 'idp',
    purpose: '',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    request: { method, url: `http://127.0.0.1:9/scim/v2${path}`, headers: [], ...(requestBody ? { body: JSON.stringify(requestBody) } : {}) },
    ...(status === undefined ? { error: 'ECONNREFUSED' } : { response: { status, headers: {}, ...(responseBody ? { body: JSON.stringify(responseBody) } : {}) } }),
  };
}

describe('the target side', () => {
  it('builds the users the responses showed: created, deactivated by a 204 PATCH, deleted', () => {
    const view = targetViewFrom([
      exchange('GET', '/Users?filter=userName eq "grace"', 200, { Resources: [] }),
      exchange('POST', '/Users', 201, { id: 'u1', userName: 'grace', active: true }),
      exchange('POST', '/Users', 201, { id: 'u2', userName: 'alan', active: true }),
      exchange('PATCH', '/Users/u2', 204, undefined, { Operations: [{ op: 'replace', value: { active: false } }] }),
      exchange('PATCH', '/Users/u1', 204, undefined, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }),
      exchange('DELETE', '/Users/u1', 204),
    ]);
    expect([...view.users.values()]).toEqual([{ id: 'u2', userName: 'alan', active: false }]);
  });

  it('ignores failed and unanswered exchanges', () => {
    const view = targetViewFrom([
      exchange('POST', '/Users', 409, { id: 'nope', userName: 'x' }),
      exchange('POST', '/Users', undefined),
    ]);
    expect(view.users.size).toBe(0);
  });

  it('takes groups with their member counts from the responses', () => {
    const view = targetViewFrom([exchange('POST', '/Groups', 201, { id: 'g1', displayName: 'Engineering', members: [{ value: 'u1' }, { value: 'u2' }] })]);
    expect(view.groups.get('g1')).toEqual({ id: 'g1', displayName: 'Engineering', members: 2 });
  });
});
