/**
 * Read-after-write as a run does it: Scimulator's own GETs (its User-Agent, source scimulator)
 * after each event step, none under --exact, where only what the IdP's own exchanges show is
 * judged; a finding the exchange already gave is not given again by the read-back.
 */
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_USER_AGENT } from '../../src-main/version.js';
import { faultyTarget, judgedRun, type Forward } from '../support/faulty-target.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const pathLess = async (request: Request) =>
  ((JSON.parse(await request.clone().text()) as { Operations: { path?: string }[] }).Operations ?? []).some((operation) => operation.path === undefined);

/** Okta's path-less deactivation ignored; the answer either shows it (the unchanged user) or hides it (204). */
const ignoresPathLess = (answer: 'user' | '204') => (forward: Forward) => [
  http.patch('*/Users/:id', async ({ request }) => {
    if (!(await pathLess(request))) return undefined;
    return answer === '204' ? new HttpResponse(null, { status: 204 }) : forward(new Request(request.url, { method: 'GET', headers: request.headers }));
  }),
];

describe('read-back', () => {
  it('reads every written user and group back with its own User-Agent, recorded as Scimulator\'s', async () => {
    const target = await faultyTarget(() => []);
    closers.push(() => target.close());
    const { record, findings } = await judgedRun('okta-group-push', target);
    expect(findings).toEqual([]);
    const own = record.exchanges.filter((exchange) => exchange.source === 'scimulator' && exchange.purpose.startsWith('read back'));
    expect(own.some((exchange) => /\/Users\/[^/?]+$/.test(exchange.request.url))).toBe(true);
    expect(own.some((exchange) => /\/Groups\/[^/?]+$/.test(exchange.request.url))).toBe(true);
    for (const exchange of own) expect(exchange.request.headers).toContainEqual(['User-Agent', CHECK_USER_AGENT]);
  });

  it('finds the lost deactivation by reading back, and names the exchange that was lost', async () => {
    const target = await faultyTarget(ignoresPathLess('204'));
    closers.push(() => target.close());
    const { record, findings } = await judgedRun('okta-lifecycle', target);
    const lost = findings.filter((finding) => finding.id === 'okta.path-less-patch-unsupported');
    // The deactivation and the unassignment are lost; the reactivation in between changes
    // nothing in the target and is not a finding.
    expect(lost.map((finding) => record.steps[finding.step]!.name)).toEqual(['deactivate the report', 'unassign the manager (Okta deactivates, never deletes)']);
    const patch = record.exchanges.find((exchange) => exchange.index === lost[0]!.exchange)!;
    expect(patch).toMatchObject({ source: 'idp', request: { method: 'PATCH' }, response: { status: 204 } });
    expect(lost[0]!.message).toMatch(/"active": true/);
  });

  it('under --exact sends nothing of its own: the 204 hides the loss, the unchanged user still shows it', async () => {
    const hidden = await faultyTarget(ignoresPathLess('204'));
    closers.push(() => hidden.close());
    const quiet = await judgedRun('okta-lifecycle', hidden, { exact: true });
    expect(quiet.record.exchanges.filter((exchange) => exchange.source === 'scimulator')).toEqual([]);
    expect(quiet.findings.filter((finding) => finding.id === 'okta.path-less-patch-unsupported')).toEqual([]);

    const shown = await faultyTarget(ignoresPathLess('user'));
    closers.push(() => shown.close());
    const loud = await judgedRun('okta-lifecycle', shown, { exact: true });
    expect(loud.record.exchanges.filter((exchange) => exchange.source === 'scimulator')).toEqual([]);
    expect(loud.findings.filter((finding) => finding.id === 'okta.path-less-patch-unsupported').map((finding) => finding.expected)).toEqual([{ active: false }, { active: false }]);
  });

  it('does not repeat what the exchange check already said about the step', async () => {
    const target = await faultyTarget(ignoresPathLess('user'));
    closers.push(() => target.close());
    const { findings, record } = await judgedRun('okta-lifecycle', target);
    const deactivate = record.steps.findIndex((step) => step.name === 'deactivate the report');
    expect(findings.filter((finding) => finding.step === deactivate).map((finding) => finding.id)).toEqual(['okta.path-less-patch-unsupported']);
  });
});
