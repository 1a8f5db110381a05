/**
 * The practice targets, judged as `scimulator run` judges them: for each documented behaviour of
 * LiteLLM, Open WebUI and Metabase that Okta or Entra trips on, the scenario that exercises it
 * reports an error finding with the expected id, whose message names what the product does. The
 * same scenarios against the local provider, with the same judge, give no error and no warning.
 *
 * Two behaviours of Metabase (a PUT that changes the email, a PUT /Groups with no members) are
 * sent by Okta AIW apps but by no built-in scenario; two small scenarios below exercise them.
 */
import { createFullJudge } from '../../src-main/verdicts/full-judge.js';
import { afterAll, describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { isProfileName } from '../../src-main/idp/profile.js';
import type { PracticeName } from '../../src-main/practice/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { createPracticeTarget } from '../../src-main/runner/targets/practice-target.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import type { Scenario } from '../../src-main/scenarios/scenario.js';

const AIW_EMAIL_CHANGE = parseScenario(
  `
name: okta-aiw-email-change
description: "Okta AIW: a user's email changes (GET, then PUT of the whole user)"
profile: okta-aiw
directory:
  people:
    - { key: mary, givenName: Mary, familyName: Jackson }
steps:
  - { name: assign Mary, event: assignUser, user: mary }
  - { name: Mary's email changes, event: updateUser, user: mary, changes: { email: "mary.jackson.\${run.tag}@nasa.example.com" } }
`,
  { source: 'practice-verdicts:okta-aiw-email-change' },
);

const AIW_LAST_MEMBER_LEAVES = parseScenario(
  `
name: okta-aiw-last-member-leaves
description: "Okta AIW: the only member of a group is removed (PUT with an empty member list)"
profile: okta-aiw
directory:
  people:
    - { key: mary, givenName: Mary, familyName: Jackson }
  groups:
    - { key: wind, displayName: "Wind Tunnel \${run.tag}", members: [mary] }
steps:
  - { name: assign Mary, event: assignUser, user: mary }
  - { name: push Wind Tunnel, event: pushGroup, group: wind }
  - { name: remove Mary, event: removeMembers, group: wind, users: [mary] }
`,
  { source: 'practice-verdicts:okta-aiw-last-member-leaves' },
);

const BUILTINS = ['okta-lifecycle', 'okta-group-push', 'okta-aiw-lifecycle', 'entra-lifecycle', 'entra-groups', 'entra-compliant-lifecycle'] as const;
const EXTRA: Record<string, Scenario> = { 'okta-aiw-email-change': AIW_EMAIL_CHANGE, 'okta-aiw-last-member-leaves': AIW_LAST_MEMBER_LEAVES };
type ScenarioName = (typeof BUILTINS)[number] | keyof typeof EXTRA;

/** A behaviour of the product, the scenario that makes the IdP trip on it, and the finding it gives. */
interface Expectation {
  readonly behaviour: string;
  readonly scenario: ScenarioName;
  readonly id: string;
  /** What the message must say, so the developer recognises the behaviour. */
  readonly message: RegExp;
}

const EXPECTED: Record<PracticeName, readonly Expectation[]> = {
  litellm: [
    { behaviour: 'the user id is the userName', scenario: 'okta-lifecycle', id: 'rfc.resource-id-from-client', message: /"id" "grace\.hopper\.\w+@example\.com", the userName the client sent/ },
    { behaviour: 'the userName filter is matched exactly (user_id ==)', scenario: 'okta-lifecycle', id: 'okta.username-filter-case-sensitive', message: /did not find "grace\.hopper/ },
    { behaviour: 'PUT /Users answers a 500 and changes nothing', scenario: 'okta-lifecycle', id: 'okta.request-failed', message: /PUT \/Users\/\S+ \(update user\) answered 500: Internal Server Error/ },
    { behaviour: "PATCH /Users answers a 500: Okta's deactivation is lost", scenario: 'okta-lifecycle', id: 'okta.path-less-patch-unsupported', message: /answered 500: Internal Server Error to \{"op":"replace","value":\{"active":false\}\}/ },
    { behaviour: 'PATCH /Users answers a 500 (Entra, lower-case ops)', scenario: 'entra-compliant-lifecycle', id: 'entra.request-failed', message: /PATCH \/Users\/\S+ \(update user\) answered 500/ },
    { behaviour: "the PATCH model refuses Entra's capitalised ops (Literal['add','remove','replace'])", scenario: 'entra-lifecycle', id: 'entra.request-failed', message: /answered 422: Input should be 'add', 'remove' or 'replace' \(at body\.Operations\.0\.op\).*"op": "(Add|Replace)"/ },
    { behaviour: 'PATCH /Groups answers a 500 (Okta)', scenario: 'okta-group-push', id: 'okta.group-rename-failed', message: /PATCH \/Groups\/\S+ answered 500: Internal Server Error/ },
    { behaviour: 'PATCH /Groups fails (Entra)', scenario: 'entra-groups', id: 'entra.group-patch-status', message: /PATCH \/Groups\/\S+ answered 422/ },
    { behaviour: 'group members are dropped', scenario: 'okta-aiw-lifecycle', id: 'sync.group-members', message: /is missing katherine .*members the IdP sent were dropped/ },
    { behaviour: 'errors are FastAPI bodies, not the SCIM Error schema', scenario: 'entra-lifecycle', id: 'rfc.error-not-scim', message: /answered 422 with FastAPI's validation error \{"detail": \[/ },
    { behaviour: 'a duplicate answers 409 with {"detail": {"error": …}}', scenario: 'okta-lifecycle', id: 'rfc.error-not-scim', message: /answered 409 with FastAPI's \{"detail": \{…\}\} \(an HTTPException\) \("User already exists with username/ },
    { behaviour: 'no discovery endpoints', scenario: 'entra-lifecycle', id: 'entra.schema-discovery-failed', message: /GET \/Schemas answered 404 \("Not Found"\): there is no \/Schemas route/ },
  ],
  'open-webui': [
    { behaviour: '/Schemas returns a bare JSON array', scenario: 'entra-lifecycle', id: 'entra.schema-discovery-failed', message: /answered a bare JSON array of 2 schema\(s\), not a ListResponse/ },
    { behaviour: '/Schemas returns a bare JSON array (RFC)', scenario: 'entra-lifecycle', id: 'rfc.list-not-list-response', message: /GET \/Schemas answered a bare JSON array of 2 item\(s\)/ },
    { behaviour: 'the group list ignores the filter', scenario: 'entra-groups', id: 'entra.filter-ignored', message: /the filter was ignored: 2 groups came back for displayName eq "Finance \w+" \(1 with another displayName: "Silicon \w+"\)/ },
    { behaviour: "the group list ignores the filter (Entra's probe)", scenario: 'entra-compliant-lifecycle', id: 'entra.probe-matched', message: /filtered for a random GUID that no resource has, and 1 came back/ },
    { behaviour: 'a duplicate email is a 409 with a {"detail": …} body', scenario: 'okta-lifecycle', id: 'rfc.error-not-scim', message: /answered 409 with FastAPI's \{"detail": "…"\} \(an HTTPException\) \("User with email \S+ already exists"\)/ },
    { behaviour: "user PATCH ignores path-less ops: Okta's deactivation does nothing", scenario: 'okta-lifecycle', id: 'okta.path-less-patch-unsupported', message: /"active": true: the path-less replace was ignored/ },
    { behaviour: 'user PATCH ignores ops on other paths (Entra: name.familyName, emails[type eq "work"].value)', scenario: 'entra-lifecycle', id: 'sync.user-attributes', message: /email \["amy\.hood\.\w+@example\.com"\] \(written: "amy\.hood-smith\.\w+@example\.com"\), name\.familyName "Hood" \(written: "Hood-Smith"\)/ },
    { behaviour: 'Entra\'s "False" counts as true', scenario: 'entra-lifecycle', id: 'entra.string-boolean-misread', message: /set "active" to the string "False", and the response shows the user still active/ },
    { behaviour: "group PATCH ignores Entra's Remove with a value array", scenario: 'entra-groups', id: 'entra.remove-members-by-value', message: /is still listing jensen .*the listed members were not removed/ },
    { behaviour: "group PATCH ignores Okta's path-less rename", scenario: 'okta-group-push', id: 'sync.group-display-name', message: /wrote displayName "Platform Engineering \w+" and GET \/Groups\/\S+ reads back "Engineering \w+"/ },
  ],
  metabase: [
    { behaviour: "user PATCH refuses a path-less op: Okta's deactivation fails", scenario: 'okta-lifecycle', id: 'okta.path-less-patch-unsupported', message: /answered 400: patch-ops: .* to \{"op":"replace","value":\{"active":false\}\}/ },
    { behaviour: 'user PATCH answers 400 "Unsupported path" for other paths', scenario: 'entra-lifecycle', id: 'entra.request-failed', message: /answered 400: Unsupported path: emails\[type eq "work"\]\.value/ },
    { behaviour: 'no group PATCH route (Okta)', scenario: 'okta-group-push', id: 'okta.group-rename-failed', message: /PATCH \/Groups\/\S+ answered 404: API endpoint does not exist\./ },
    { behaviour: 'no group PATCH route (Entra)', scenario: 'entra-groups', id: 'entra.group-patch-status', message: /PATCH \/Groups\/\S+ answered 404: API endpoint does not exist\./ },
    { behaviour: 'no user DELETE route', scenario: 'entra-lifecycle', id: 'entra.request-failed', message: /DELETE \/Users\/\S+ \(delete user\) answered 404: API endpoint does not exist\./ },
    { behaviour: 'no discovery endpoints', scenario: 'entra-lifecycle', id: 'entra.schema-discovery-failed', message: /GET \/Schemas answered 404 \("API endpoint does not exist\."\): there is no \/Schemas route/ },
    { behaviour: 'SCIM errors carry "status" as a number', scenario: 'entra-lifecycle', id: 'rfc.error-status-not-string', message: /"status": 400; write it as a string: "400"/ },
    { behaviour: 'a PUT that changes the email is 400 "You may not update the email of an existing user."', scenario: 'okta-aiw-email-change', id: 'okta.request-failed', message: /PUT \/Users\/\S+ \(update user\) answered 400: You may not update the email of an existing user\./ },
    { behaviour: 'PUT /Groups with an empty members list leaves the old members', scenario: 'okta-aiw-last-member-leaves', id: 'sync.group-members', message: /is still listing mary .*members the IdP removed are still there/ },
  ],
};

function scenarioNamed(name: ScenarioName): Scenario {
  return EXTRA[name] ?? loadBuiltin(name);
}

/** A run as `scimulator run` makes it: judged by the RFC checks, the IdP's checks and read-back. */
async function judgedRun(scenario: Scenario, target: Target): Promise<RunRecord> {
  const profileName = scenario.profile ?? 'generic';
  if (!isProfileName(profileName)) throw new Error(`bad profile ${profileName}`);
  try {
    return await runScenario({
      scenario,
      target,
      profile: profileByName(profileName),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      sleep: async () => undefined,
      seed: 7,
      judge: createFullJudge(),
    });
  } finally {
    await target.close();
  }
}

// Each scenario runs once per target; the rows of a table share its record.
const runs = new Map<string, Promise<RunRecord>>();
function practiceRun(practice: PracticeName, name: ScenarioName): Promise<RunRecord> {
  const key = `${practice} ${name}`;
  if (!runs.has(key)) runs.set(key, judgedRun(scenarioNamed(name), createPracticeTarget(practice)));
  return runs.get(key)!;
}
afterAll(() => runs.clear());

describe.each(Object.keys(EXPECTED) as PracticeName[])('practice:%s, judged', (practice) => {
  it.each(EXPECTED[practice].map((row) => [row.behaviour, row] as const))('%s', async (_behaviour, row) => {
    const record = await practiceRun(practice, row.scenario);
    const errors = record.findings.filter((finding) => finding.severity === 'error');
    const same = errors.filter((finding) => finding.id === row.id);
    expect(same.length, `${row.scenario} gave no error ${row.id}; its errors: ${[...new Set(errors.map((finding) => finding.id))].join(', ')}`).toBeGreaterThan(0);
    expect(same.map((finding) => finding.message), `no ${row.id} message matches ${row.message}`).toContainEqual(expect.stringMatching(row.message));
    // An error finding fails the run: `scimulator run` exits 1.
    expect(record.summary.findings?.error ?? 0).toBeGreaterThan(0);
  }, 60_000);
});

describe('where a finding points', () => {
  it("points a finding drawn from Scimulator's own check at that check's exchange, which shows the evidence", async () => {
    // Open WebUI answers the duplicate create (Scimulator's check, after the IdP's POST → 201) with FastAPI's body.
    const record = await practiceRun('open-webui', 'okta-lifecycle');
    const duplicate = record.findings.find((finding) => finding.id === 'rfc.error-not-scim' && finding.message.includes('that already exists'));
    expect(duplicate).toBeDefined();
    const exchange = record.exchanges.find((candidate) => candidate.index === duplicate!.exchange);
    expect(exchange).toMatchObject({ source: 'scimulator', purpose: 'create the same user again (expects 409)', request: { method: 'POST' }, response: { status: 409 } });
  }, 60_000);
});

describe('the same scenarios against the local provider, with the same judge', () => {
  // verdict-builtins.test.ts runs every built-in with the RFC checks alone; this adds the IdP
  // checks and read-back, which is what `scimulator run` judges with.
  it.each([...BUILTINS, ...Object.keys(EXTRA)] as ScenarioName[])('%s: no error or warning finding', async (name) => {
    const record = await judgedRun(scenarioNamed(name), await createLocalTarget());
    const alarms = record.findings.filter((finding) => finding.severity !== 'info');
    expect(alarms.map((finding) => `${finding.id} (step ${finding.step + 1}): ${finding.message}`)).toEqual([]);
    expect(record.steps.filter((step) => step.outcome !== 'passed' && step.outcome !== 'skipped').map((step) => `${step.name}: ${step.outcome} ${step.message ?? ''}`)).toEqual([]);
  }, 60_000);
});
