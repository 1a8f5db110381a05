/**
 * The requests Microsoft documents for Entra provisioning (test/fixtures/entra-documented-requests.json,
 * transcribed from Microsoft Learn; each entry names its source URL), and what the Entra profile
 * tests need to compare captured traffic with them: ids mapped to the documented ones, query
 * strings decoded in order, people with exactly the documented attribute values.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Person } from '../../src-main/idp/directory.js';
import type { ProfileHarness } from './profile-harness.js';
import { HARNESS_ORIGIN, HARNESS_TOKEN } from './profile-harness.js';

export interface DocumentedRequest {
  readonly name: string;
  readonly method: string;
  readonly path?: string;
  readonly variant?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Record<string, unknown>;
  readonly expect?: { readonly status?: number | readonly number[] };
  readonly source: string;
}

interface Fixture {
  readonly common_headers_documented: Readonly<Record<string, string>>;
  readonly requests: readonly DocumentedRequest[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/entra-documented-requests.json', import.meta.url), 'utf8')) as Fixture;

/** Header names as Microsoft's examples write them: `Authorization`, `Content-type`. */
export const DOCUMENTED_HEADERS = fixture.common_headers_documented;

/** The one documented request of that name; `default` or `flag` picks a variant when there are several. */
export function documented(name: string, variant?: 'default' | 'flag'): DocumentedRequest {
  const matches = fixture.requests.filter(
    (request) =>
      request.name === name &&
      (variant === undefined || (variant === 'flag' ? request.variant === 'aadOptscim062020' : request.variant?.startsWith('default'))),
  );
  if (matches.length !== 1) throw new Error(`${matches.length} documented requests named ${name} (${variant ?? 'any variant'})`);
  return matches[0]!;
}

/** The documented body serialized, keys in the documented order. */
export function documentedBody(request: DocumentedRequest): string {
  return JSON.stringify(request.body);
}

/** A sent body with the target's ids replaced by the documented ones, re-serialized in its own key order. */
export function withIds(body: string | undefined, ids: Readonly<Record<string, string>> = {}): string {
  if (body === undefined) throw new Error('the request has no body');
  let text = body;
  for (const [actual, documentedId] of Object.entries(ids)) text = text.split(actual).join(documentedId);
  return JSON.stringify(JSON.parse(text));
}

/** The query string's parameters, decoded, in the order sent. */
export function queryParameters(raw: string | undefined): [string, string][] {
  return [...new URLSearchParams(raw ?? '')];
}

/** The status a documented request expects, as a list. */
export function documentedStatuses(request: DocumentedRequest): readonly number[] {
  const status = request.expect?.status;
  if (status === undefined) throw new Error(`${request.name} documents no status`);
  return typeof status === 'number' ? [status] : status;
}

/** The last path segment of a documented path: the doc's placeholder id. */
export function documentedId(request: DocumentedRequest): string {
  if (!request.path) throw new Error(`${request.name} documents no path`);
  return request.path.slice(request.path.lastIndexOf('/') + 1);
}

/** A person with exactly these attributes and no generated ones (no title, department…). */
export function exactPerson(fields: Pick<Person, 'key' | 'objectId' | 'userName' | 'givenName' | 'familyName' | 'email'> & Partial<Person>): Person {
  return { active: true, ...fields };
}

/** A request straight to the target, bypassing the IdP: what an admin of the app changes by hand. */
export async function targetRequest(harness: ProfileHarness, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary SCIM JSON
  const response = await harness.provider.handle({
    method,
    url: `${harness.provider.basePath}${path}`,
    headers: { authorization: `Bearer ${HARNESS_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    origin: HARNESS_ORIGIN,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}: ${response.body ?? ''}`).toBeLessThan(300);
  return { status: response.status, body: response.body ? JSON.parse(response.body) : undefined };
}

/** The leniency codes the provider recorded for its most recent `count` requests, oldest first. */
export function recentNotes(harness: ProfileHarness, count = 1): string[][] {
  return harness.provider.log
    .entries()
    .slice(-count)
    .map((entry) => entry.notes.map((note) => note.code));
}
