/**
 * `scimulator run` judges every run: the real binary against a target that misbehaves one way at a
 * time (msw handlers in front of a real local provider, served on a port) reports that finding under
 * its step, ends with the one-line summary and exits 1; the same scenario against the local
 * provider, or through a transparent proxy, reports nothing and exits 0.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, type Provider } from '../../src-main/provider.js';
import type { ScimResponse } from '../../src-main/scim/http-types.js';
import { runCli } from '../support/cli.js';
import { mswOnPort, type MswOnPort } from '../support/msw-on-port.js';

const TOKEN = 'cli-verdicts-token';
const LAST_LINE = /^(\d+) errors?, (\d+) warnings?, (\d+) steps?, (\d+) exchanges?, \d+(\.\d+)? m?s$/;

/** Okta's flow plus one request of the IdP's own that is answered with an error. */
const SCENARIO = `
name: verdicts-under-test
description: "Okta assigns a user, then reads one that does not exist"
profile: okta
directory:
  people:
    - { key: ada, givenName: Ada, familyName: Lovelace }
steps:
  - name: test API credentials
    event: testConnection
  - name: assign Ada
    event: assignUser
    user: ada
  - name: read a user that does not exist
    request: { method: GET, path: /Users/00919288221112222 }
    expect:
      - { status: 404 }
`;

type Mutation = (response: ScimResponse, request: Request) => ScimResponse;

let provider: Provider;
let server: MswOnPort;
let scenarioFile: string;

/** Every request goes to the real provider; `mutate` bends its answer. */
function proxy(mutate: Mutation) {
  return http.all('*', async ({ request }) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const body = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.clone().text();
    const answered = await provider.handle({ method: request.method, url: url.pathname + url.search, headers, origin: url.origin, ...(body === '' ? {} : { body }) });
    const bent = mutate({ ...answered, headers: { ...answered.headers } }, request);
    return new Response(bent.body === undefined || bent.body === '' ? null : bent.body, { status: bent.status, headers: bent.headers });
  });
}

function json(response: ScimResponse, change: (body: Record<string, unknown>) => void): ScimResponse {
  if (response.body === undefined || response.body === '') return response;
  const body = JSON.parse(response.body) as Record<string, unknown>;
  change(body);
  return { ...response, body: JSON.stringify(body) };
}

const isCreate = (request: Request) => request.method === 'POST' && /\/Users$/.test(new URL(request.url).pathname);

const MISBEHAVIOURS: { name: string; id: string; step: number; mutate: Mutation }[] = [
  {
    name: 'every body labelled text/plain',
    id: 'rfc.content-type-not-json',
    step: 1,
    mutate: (response) => (response.body ? { ...response, headers: { ...response.headers, 'content-type': 'text/plain' } } : response),
  },
  {
    name: 'Error bodies without "status"',
    id: 'rfc.error-status-missing',
    step: 3,
    mutate: (response) => (response.status >= 400 ? json(response, (body) => delete body.status) : response),
  },
  {
    name: '"totalResults" as a string',
    id: 'rfc.list-total-results',
    step: 1,
    mutate: (response, request) => (request.method === 'GET' && /\/(Users|Groups)$/.test(new URL(request.url).pathname) ? json(response, (body) => (body.totalResults = String(body.totalResults))) : response),
  },
  {
    name: 'a create without a Location header',
    id: 'rfc.create-location-missing',
    step: 2,
    mutate: (response, request) => {
      if (!isCreate(request)) return response;
      const { location: _dropped, ...headers } = response.headers;
      return { ...response, headers };
    },
  },
  {
    name: 'a create with a relative meta.location',
    id: 'rfc.meta-location-not-absolute',
    step: 2,
    mutate: (response, request) =>
      isCreate(request)
        ? json({ ...response, headers: { ...response.headers, location: new URL(response.headers.location!).pathname } }, (body) => {
            const meta = body.meta as { location: string };
            meta.location = new URL(meta.location).pathname;
          })
        : response,
  },
  {
    name: 'the password echoed on create',
    id: 'rfc.password-returned',
    step: 2,
    mutate: (response, request) => (isCreate(request) ? json(response, (body) => (body.password = 'Tr0ub4dor&3')) : response),
  },
];

function lines(stdout: string): string[] {
  return stdout.trimEnd().split('\n');
}

beforeAll(async () => {
  provider = await createProvider({ token: TOKEN });
  server = await mswOnPort(proxy((response) => response));
  const dir = await mkdtemp(join(tmpdir(), 'scimulator-verdicts-'));
  scenarioFile = join(dir, 'verdicts-under-test.yaml');
  await writeFile(scenarioFile, SCENARIO);
});

afterAll(async () => {
  await server.close();
  await provider.close();
});

describe('scimulator run judges every run', () => {
  it('against the local provider: no findings, the one-line summary last, exit 0', async () => {
    const result = await runCli(['run', scenarioFile, '--target', 'local']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const last = lines(result.stdout).at(-1)!;
    expect(last).toMatch(LAST_LINE);
    expect(LAST_LINE.exec(last)!.slice(1, 5)).toEqual(['0', '0', '3', expect.stringMatching(/^\d+$/)]);
  });

  it('through a transparent proxy in front of the local provider: no findings, exit 0', async () => {
    server.use(proxy((response) => response));
    const result = await runCli(['run', scenarioFile, '--target', `${server.origin}/scim/v2`, '--token', TOKEN]);
    expect(result.code, result.stdout).toBe(0);
    expect(lines(result.stdout).at(-1)).toMatch(/^0 errors, 0 warnings, 3 steps, \d+ exchanges, /);
  });

  for (const misbehaviour of MISBEHAVIOURS) {
    it(`${misbehaviour.name}: ${misbehaviour.id} under step ${misbehaviour.step}, exit 1`, async () => {
      server.use(proxy(misbehaviour.mutate));
      const result = await runCli(['run', scenarioFile, '--target', `${server.origin}/scim/v2`, '--token', TOKEN]);
      expect(result.code, result.stdout).toBe(1);
      const output = lines(result.stdout);
      // Printed under its step: after the step's heading, before the next one.
      const heading = output.findIndex((line) => line.startsWith(`${misbehaviour.step}. `));
      const next = output.findIndex((line, i) => i > heading && /^\d+\. /.test(line));
      const under = output.slice(heading, next === -1 ? undefined : next);
      expect(under.some((line) => line.includes(`error ${misbehaviour.id} `)), under.join('\n')).toBe(true);
      // The summary groups it under Errors with its reference, and the last line counts it.
      const errors = output.findIndex((line) => /^Errors \(\d+\)$/.test(line));
      expect(errors).toBeGreaterThan(-1);
      expect(output.slice(errors).some((line) => line.trim().startsWith(misbehaviour.id) && line.includes('https://www.rfc-editor.org/rfc/rfc764'))).toBe(true);
      const counts = LAST_LINE.exec(output.at(-1)!);
      expect(counts, output.at(-1)).not.toBeNull();
      expect(Number(counts![1])).toBeGreaterThan(0);
    });
  }
});
