/**
 * A run record for the report tests, made by the real runner against the local provider: a
 * connection test, an assignment whose expectation cannot hold (the provider answers 201, the
 * scenario says 200), a raw create whose body is hostile markup, a request the wire cannot carry
 * (an errored step) and a delete Okta never sends (a skipped step). The judge is a stand-in that
 * files hand-made findings on chosen exchanges (the real checks live in src-main/verdicts/), with
 * markup, quotes and control characters in them, so every report has something to escape.
 */
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import type { Finding } from '../../src-main/verdicts/finding.js';
import type { Judge } from '../../src-main/verdicts/judge.js';

/** Markup a report must show as text and never run. */
export const HOSTILE = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';

/** Characters XML 1.0 cannot hold, in a finding's message. */
export const CONTROL = 'bell\u0007 escape\u001b[31m nul\u0000 end]]>';

const SCENARIO = `
name: reports-demo
description: An Okta lifecycle with one expectation that cannot hold, a hostile body, an unsendable request and a step Okta never sends
profile: okta
directory:
  people:
    - { key: grace, givenName: Grace, familyName: Hopper, title: Rear Admiral }
steps:
  - name: test API credentials
    event: testConnection
  - name: assign Grace
    event: assignUser
    user: grace
    expect:
      - { exchange: POST /Users, status: 200 }
  - name: create a user whose name is markup
    request:
      method: POST
      path: /Users
      headers: { Content-Type: application/scim+json }
      body:
        schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
        userName: "hostile.\${run.tag}@example.com"
        displayName: ${JSON.stringify(HOSTILE)}
    expect:
      - { status: 201 }
  - name: a path with a space
    request: { method: GET, path: "/Users/not sendable" }
  - name: delete Grace
    event: deleteUser
    user: grace
`;

const RFC_3_3 = { title: 'RFC 7644 §3.3', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.3' };

/** Findings filed by hand, as the real judge would file them, on chosen exchanges. */
export const standInJudge: Judge = {
  exchange({ exchange }): Finding[] {
    const findings: Finding[] = [];
    if (exchange.step === 0 && exchange.index === 1) {
      findings.push({
        id: 'test.list-without-etag',
        severity: 'warning',
        title: 'The list response has no ETag',
        message: 'A SHOULD, not a MUST: clients cannot use conditional requests.',
        step: exchange.step,
        exchange: exchange.index,
        reference: { title: 'RFC 7644 §3.14', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.14' },
      });
    }
    if (exchange.step === 1 && exchange.request.method === 'POST') {
      findings.push({
        id: 'test.create-location',
        severity: 'error',
        title: 'The create response is not what Okta expects',
        message: 'Okta reads the new id from the body and the Location header.',
        step: exchange.step,
        exchange: exchange.index,
        expected: { status: 201, location: 'https://…/Users/{id}' },
        actual: { status: exchange.response?.status, location: exchange.response?.headers.location },
        reference: RFC_3_3,
      });
    }
    if (exchange.step === 2) {
      findings.push({
        id: 'test.hostile-echo',
        severity: 'error',
        title: `The response echoes ${HOSTILE} & "quotes"`,
        message: `Control characters: ${CONTROL}`,
        step: exchange.step,
        exchange: exchange.index,
        expected: 'plain text',
        actual: HOSTILE,
        reference: { title: 'A link that must not run', url: 'javascript:window.__pwned=true' },
      });
      findings.push({
        id: 'test.note',
        severity: 'info',
        title: 'The display name holds markup',
        message: 'Worth knowing, not wrong.',
        step: exchange.step,
        exchange: exchange.index,
        reference: RFC_3_3,
      });
    }
    return findings;
  },
  async step() {
    return [];
  },
};

/** The record of the demo run. */
export async function demoRecord(): Promise<RunRecord> {
  const target = await createLocalTarget();
  try {
    const scenario = parseScenario(SCENARIO, { source: 'reports-demo.yaml' });
    return await runScenario({
      scenario,
      target,
      profile: profileByName('okta'),
      seed: 7,
      judge: standInJudge,
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      sleep: async () => undefined,
    });
  } finally {
    await target.close();
  }
}
