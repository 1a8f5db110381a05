/** Sends requests to a practice target the way a test wants to write them. */
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import type { ReceivedResponse } from '../../../src-main/runner/http.js';
import type { PracticeTarget } from '../../../src-main/runner/targets/practice-target.js';

export interface SendOptions {
  readonly query?: string;
  readonly body?: unknown;
  /** The Authorization header's value; the target's own token by default, null for none. */
  readonly authorization?: string | null;
}

export async function send(target: PracticeTarget, method: string, path: string, options: SendOptions = {}): Promise<ReceivedResponse> {
  const headers: [string, string][] = [];
  if (options.authorization !== null) headers.push(['Authorization', options.authorization ?? AUTHORIZATION]);
  if (options.body !== undefined) headers.push(['Content-Type', 'application/scim+json; charset=utf-8']);
  return target.send({
    method,
    path,
    headers,
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
}

export function json(response: ReceivedResponse): any /* test convenience: bodies are asserted field by field */ {
  return response.body === undefined ? undefined : JSON.parse(response.body);
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A user body as Okta and Entra both send it (userName = the work email). */
export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    displayName: 'Ada Lovelace',
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
    ...extra,
  };
}
