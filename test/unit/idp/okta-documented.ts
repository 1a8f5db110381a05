/**
 * Okta's documented requests (test/fixtures/okta-documented-requests.json, transcribed from
 * https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20 and the 2019 captures of
 * https://github.com/oktadeveloper/okta-blog-archive/pull/1956) and what the Okta profile tests
 * need around them: the documented test user, and a direct line to the local provider.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { PersonInput } from '../../../src-main/idp/people.js';
import { HARNESS_ORIGIN, HARNESS_TOKEN, type CapturedExchange, type ProfileHarness } from '../../support/profile-harness.js';

export interface DocumentedRequest {
  readonly name: string;
  readonly method: string;
  readonly path?: string;
  readonly raw_path?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface DocumentedFile {
  readonly headers_get: Record<string, string>;
  readonly headers_with_body: Record<string, string>;
  readonly requests: readonly DocumentedRequest[];
}

export const documented = JSON.parse(
  readFileSync(new URL('../../fixtures/okta-documented-requests.json', import.meta.url), 'utf8'),
) as DocumentedFile;

/** The documented request whose name starts with `name`. */
export function documentedRequest(name: string): DocumentedRequest {
  const found = documented.requests.find((request) => request.name.startsWith(name));
  if (!found) throw new Error(`No documented Okta request "${name}"`);
  return found;
}

/** The documented query string, in its documented order and encoding. */
export function documentedQuery(request: DocumentedRequest): string {
  if (request.raw_path !== undefined) return request.raw_path.slice(request.raw_path.indexOf('?') + 1);
  return Object.entries(request.query ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The documented headers minus the transport's own (Host, Connection, Content-Length), Authorization as the profile's placeholder. */
export function documentedHeaders(withBody: boolean, authorization: string): [string, string][] {
  const headers = withBody ? documented.headers_with_body : documented.headers_get;
  return Object.entries(headers)
    .filter(([name]) => !['Host', 'Connection', 'Content-Length'].includes(name))
    .map(([name, value]) => [name, name === 'Authorization' ? authorization : value]);
}

/** The user of Okta's examples, with nothing mapped beyond the documented create body. */
export const TEST_USER: PersonInput = {
  key: 'test',
  userName: 'test.user@okta.local',
  givenName: 'Test',
  familyName: 'User',
  displayName: 'Test User',
  email: 'test.user@okta.local',
  locale: 'en-US',
};

/** Drops the attributes people.ts generates that Okta's documented user does not have. */
export function onlyDocumentedAttributes(harness: ProfileHarness, key: string): void {
  harness.directory.updatePerson(key, { title: null, department: null, employeeNumber: null });
}

/**
 * The request body with the run's values replaced by the documented ones (ids, generated
 * password, Okta id), serialised so that key order counts.
 */
export function normalisedBody(exchange: CapturedExchange, replacements: Readonly<Record<string, string>>): string {
  let text = exchange.request.body ?? '';
  for (const [actual, wanted] of Object.entries(replacements)) text = text.split(actual).join(wanted);
  return JSON.stringify(JSON.parse(text));
}

export function expectDocumentedBody(exchange: CapturedExchange, request: DocumentedRequest, replacements: Readonly<Record<string, string>> = {}): void {
  expect(normalisedBody(exchange, replacements)).toBe(JSON.stringify(request.body));
}

/** Method, path and raw query of each exchange, for comparing sequences at a glance. */
export function requestLines(exchanges: readonly CapturedExchange[]): string[] {
  return exchanges.map(({ request }) => `${request.method} ${request.path}${request.query === undefined ? '' : `?${request.query}`}`);
}

/** Talks to the local provider directly (as the SP's admin would), bypassing the profile. */
export async function providerRequest(
  harness: ProfileHarness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await harness.provider.handle({
    method,
    url: `${harness.provider.basePath}${path}`,
    headers: { authorization: `Bearer ${HARNESS_TOKEN}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' },
    origin: HARNESS_ORIGIN,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
}

/** A user that exists in the target before Okta is connected. */
export async function existingUser(harness: ProfileHarness, userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await providerRequest(harness, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Old', familyName: 'Name', middleName: 'Kept' },
    emails: [{ value: userName, type: 'work', primary: true, display: userName }],
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body['id'] as string;
}
