/** createJudge: one Judge for the runner, the RFC checks first, then the extra exchange checks, and the step checks in order. */
import { describe, expect, it } from 'vitest';
import { IdpDirectory } from '../../../src-main/idp/directory.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import { findingOf } from '../../../src-main/verdicts/catalog.js';
import { createJudge, type StepUnderJudgement } from '../../../src-main/verdicts/judge.js';

const BASE = 'https://app.example.com/scim/v2';
const deleted: RunExchange = {
  index: 4,
  step: 1,
  source: 'idp',
  purpose: 'delete user',
  startedAt: '2026-01-02T03:04:05Z',
  durationMs: 1,
  request: { method: 'DELETE', url: `${BASE}/Users/u1`, headers: [] },
  response: { status: 200, headers: {} },
};

describe('createJudge', () => {
  it('runs the RFC checks on every exchange, then the extra checks, with the same subject', () => {
    const seen: string[] = [];
    const judge = createJudge({
      extraExchangeChecks: [
        (subject) => {
          seen.push(`${subject.profile} ${subject.exchange.index} ${subject.event?.type}`);
          return [findingOf('rfc.delete-status', { message: 'from the extra check', step: subject.exchange.step, exchange: subject.exchange.index })];
        },
      ],
    });
    const findings = judge.exchange({ exchange: deleted, profile: 'entra', baseUrl: BASE, event: { type: 'deleteUser', user: 'alice' } });
    expect(findings.map((finding) => finding.message)).toEqual(['DELETE /Users/u1 answered 200; a successful DELETE answers 204 No Content.', 'from the extra check']);
    expect(seen).toEqual(['entra 4 deleteUser']);
  });

  it('runs the step checks one after another, so their own requests never interleave', async () => {
    const order: string[] = [];
    const slow = async () => {
      order.push('first started');
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('first done');
      return [findingOf('rfc.meta-missing', { message: 'a', step: 1 })];
    };
    const fast = async () => {
      order.push('second started');
      return [findingOf('rfc.meta-missing', { message: 'b', step: 1 })];
    };
    const subject: StepUnderJudgement = { step: 1, profile: 'okta', baseUrl: BASE, exchanges: [deleted], directory: new IdpDirectory(), links: new IdpDirectory().linksFor(BASE) };
    const findings = await createJudge({ stepChecks: [slow, fast] }).step(subject);
    expect(findings.map((finding) => finding.message)).toEqual(['a', 'b']);
    expect(order).toEqual(['first started', 'first done', 'second started']);
  });

  it('without options judges exchanges by the RFC alone and finds nothing about steps', async () => {
    const judge = createJudge();
    expect(judge.exchange({ exchange: deleted, profile: 'okta', baseUrl: BASE }).length).toBe(0);
    expect(await judge.step({ step: 1, profile: 'okta', baseUrl: BASE, exchanges: [], directory: new IdpDirectory(), links: new IdpDirectory().linksFor(BASE) })).toEqual([]);
  });
});
