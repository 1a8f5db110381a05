/**
 * Which checks a run applies: a check on a request the run's IdP does not send is not applied only
 * when the run tells the story as another IdP than the scenario's; under the scenario's own IdP
 * the same missing request is a failure (the profile or the scenario is wrong).
 */
import { describe, expect, it } from 'vitest';
import { CheckScope } from '../../../src-main/runner/check-scope.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import type { Step } from '../../../src-main/scenarios/scenario.js';

const BASE = 'http://target.test/scim/v2';
const put: RunExchange = {
  index: 0,
  step: 0,
  source: 'idp',
  purpose: 'deactivate user',
  startedAt: '2026-12-07T00:00:00.000Z',
  durationMs: 1,
  request: { method: 'PUT', url: `${BASE}/Users/1`, headers: [] },
  response: { status: 200, headers: {} },
};
const deactivate: Step = {
  kind: 'event',
  event: 'deactivateUser',
  user: 'alan',
  expect: [{ exchange: 'PATCH /Users/', status: [200, 204] }, { exchange: 'PUT /Users/', status: 200 }],
  save: { version: { exchange: 'PATCH /Users/', path: '$.meta.version' } },
};

describe('CheckScope', () => {
  it('applies every check under the scenario\'s own profile, so a request it does not send fails', () => {
    const scope = new CheckScope({ profile: 'okta', writtenFor: 'okta', baseUrl: BASE });
    expect(scope.expectations(deactivate, [put])).toEqual({ applied: deactivate.expect, notApplied: [] });
    expect(Object.keys(scope.captures(deactivate, 3, [put]).applied)).toEqual(['version']);
  });

  it('under another profile, does not apply a check or capture on a request that profile does not send, and says why', () => {
    const scope = new CheckScope({ profile: 'okta-aiw', writtenFor: 'okta', baseUrl: BASE });
    const { applied, notApplied } = scope.expectations(deactivate, [put]);
    expect(applied).toEqual([deactivate.expect![1]]);
    expect(notApplied).toEqual([{ check: 'PATCH /Users/ exchange', reason: "okta-aiw sends no such request here; the scenario is written for okta's traffic" }]);
    expect(scope.captures(deactivate, 3, [put]).applied).toEqual({});
    expect(scope.whyUnset('version')).toBe("step 3 did not capture it: okta-aiw sends no such request here; the scenario is written for okta's traffic");
  });

  it('does not apply a check marked for other profiles, even when its request was sent', () => {
    const step: Step = { ...deactivate, expect: [{ exchange: 'PUT /Users/', status: 200, profiles: ['okta-aiw'] }] };
    expect(new CheckScope({ profile: 'okta-aiw', writtenFor: 'okta', baseUrl: BASE }).expectations(step, [put]).notApplied).toEqual([]);
    expect(new CheckScope({ profile: 'pingfederate', writtenFor: 'okta', baseUrl: BASE }).expectations(step, [put]).notApplied).toEqual([
      { check: 'PUT /Users/ exchange', reason: 'written for okta-aiw; this run sends as pingfederate' },
    ]);
  });

  it('after a setup step left out under --exact, applies no check, and names the step', () => {
    const scope = new CheckScope({ profile: 'okta', writtenFor: 'okta', baseUrl: BASE });
    scope.setupLeftOut(2);
    scope.setupLeftOut(4);
    expect(scope.expectations(deactivate, [put]).notApplied.map((check) => check.reason)).toEqual(
      Array(2).fill('the target is not as the scenario arranges it: step 2 sets it up and is left out under --exact'),
    );
  });
});
