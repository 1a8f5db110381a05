/**
 * The IdP checks raise no false alarms: every built-in scenario, under its own profile, against
 * the local provider (strict RFC 7644) and through a transparent msw proxy on a real port, gives
 * no error and no warning from the exchange checks and the read-backs. Every finding id is in the
 * catalog, with a reference, and every id a profile puts on IdpOperationFailed is one of them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget, type LocalTarget } from '../../src-main/runner/targets/local-target.js';
import { createRemoteTarget } from '../../src-main/runner/targets/remote-target.js';
import { builtinScenarios, loadBuiltin } from '../../src-main/scenarios/library.js';
import { IDP_FINDINGS } from '../../src-main/verdicts/catalog-idp.js';
import type { Finding } from '../../src-main/verdicts/finding.js';
import { judgedRun } from '../support/faulty-target.js';
import { mswOnPort, type MswOnPort } from '../support/msw-on-port.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const run = (name: string, target: Target) => judgedRun(name, target, { seed: 7 });

const loud = (findings: readonly Finding[]) =>
  findings.filter((finding) => finding.severity !== 'info').map((finding) => `step ${finding.step + 1} ${finding.id}: ${finding.message}`);

// `load` sends raw requests only (200 × 5 of them), which these checks leave to the scenario.
const names = builtinScenarios()
  .map((builtin) => builtin.name)
  .filter((name) => name !== 'load');

describe('the IdP checks against the local provider', () => {
  it.each(names)('%s under its own profile: no error and no warning, every step passed, and read-backs were sent', async (name) => {
    const target: LocalTarget = await createLocalTarget();
    closers.push(() => target.close());
    const { record, findings } = await run(name, target);
    expect(loud(findings)).toEqual([]);
    expect(record.steps.filter((step) => step.outcome !== 'passed' && step.outcome !== 'skipped').map((step) => `${step.name}: ${step.message}`)).toEqual([]);
    const events = loadBuiltin(name).steps.filter((step) => step.kind === 'event' && !['testConnection', 'importUsers', 'importGroups', 'syncCycle'].includes(step.event));
    if (events.length > 0) expect(record.exchanges.some((exchange) => exchange.source === 'scimulator' && exchange.purpose.startsWith('read back'))).toBe(true);
  });
});

describe('a transparent msw proxy in front of the local provider', () => {
  it.each(['okta-lifecycle', 'okta-aiw-lifecycle', 'entra-lifecycle', 'entra-groups', 'okta-group-push', 'onelogin-lifecycle', 'pingfederate-lifecycle', 'jumpcloud-connection-test'])(
    '%s over real HTTP gives no error finding',
    async (name) => {
      const local = await createLocalTarget();
      closers.push(() => local.close());
      const basePath = new URL(local.baseUrl).pathname;
      const proxy: MswOnPort = await mswOnPort(
        http.all('*', async ({ request }) => {
          const url = new URL(request.url);
          const raw = request.url.slice(url.origin.length + basePath.length);
          const at = raw.indexOf('?');
          const headers: [string, string][] = [];
          request.headers.forEach((value, header) => {
            if (!['host', 'connection', 'content-length', 'accept-encoding'].includes(header)) headers.push([header, value]);
          });
          const body = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
          const answer = await local.send({
            method: request.method,
            path: at === -1 ? raw : raw.slice(0, at),
            ...(at === -1 ? {} : { query: raw.slice(at + 1) }),
            headers,
            ...(body === '' ? {} : { body }),
          });
          const noBody = answer.status === 204 || answer.body === undefined;
          return new Response(noBody ? null : answer.body, { status: answer.status, headers: answer.headers });
        }),
      );
      closers.push(() => proxy.close());
      const target = createRemoteTarget({ baseUrl: `${proxy.origin}${basePath}`, auth: { kind: 'bearer', token: local.provider.token } });
      closers.push(() => target.close());
      const { record, findings } = await run(name, target);
      expect(findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.id}: ${finding.message}`)).toEqual([]);
      expect(record.steps.every((step) => step.outcome === 'passed' || step.outcome === 'skipped')).toBe(true);
      // The read-backs went over the wire too, as Scimulator's own requests.
      expect(proxy.received.some((request) => /Scimulator\/.* \(check\)/.test(request.header('user-agent') ?? ''))).toBe(true);
    },
  );
});

describe('the IdP findings catalog', () => {
  it('has unique ids, prefixed by an IdP or sync., each with a severity, a title, why it matters and a public reference', () => {
    const ids = IDP_FINDINGS.map((definition) => definition.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const definition of IDP_FINDINGS) {
      expect(definition.id).toMatch(/^(entra|okta|okta-aiw|onelogin|jumpcloud|pingfederate|sync)\.[a-z0-9-]+$/);
      expect(['error', 'warning', 'info']).toContain(definition.severity);
      expect(definition.title.length, definition.id).toBeGreaterThan(10);
      expect(definition.why.length, definition.id).toBeGreaterThan(30);
      expect(definition.reference.url, definition.id).toMatch(/^https:\/\//);
      if (!definition.id.startsWith('sync.')) expect(definition.profiles?.length, definition.id).toBeGreaterThan(0);
    }
  });

  it('names every finding id a profile puts on IdpOperationFailed', () => {
    const folder = fileURLToPath(new URL('../../src-main/idp/profiles/', import.meta.url));
    const ids = new Set(IDP_FINDINGS.map((definition) => definition.id));
    const used = readdirSync(folder).flatMap((file) => [...readFileSync(`${folder}${file}`, 'utf8').matchAll(/'((?:entra|okta|okta-aiw|onelogin|jumpcloud|pingfederate)\.[a-z0-9-]+)'/g)].map((match) => match[1]!));
    expect(used.length).toBeGreaterThan(5);
    for (const id of used) expect(ids, id).toContain(id);
  });
});
