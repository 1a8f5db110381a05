/**
 * Puts a target's credentials where the IdP places them. A profile writes the AUTHORIZATION
 * placeholder as the value of its `Authorization` header, in the IdP's position and case; the
 * target swaps it for the real value, so the header order on the wire stays the IdP's.
 *
 * A request without the placeholder goes out without credentials: that is how a raw scenario step
 * checks that the target answers 401 to an unauthenticated request.
 */
import { AUTHORIZATION } from '../exchange.js';
import type { HeaderList } from '../http.js';

/** What replaces the placeholder: a value for the IdP's own header, a header of its own, or nothing. */
export type Credential =
  | { readonly kind: 'authorization'; readonly value: string }
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | { readonly kind: 'none' };

export function bearerCredential(token: string): Credential {
  return { kind: 'authorization', value: `Bearer ${token}` };
}

/** RFC 7617: `Basic base64(user:password)`, UTF-8. */
export function basicCredential(username: string, password: string): Credential {
  return { kind: 'authorization', value: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
}

/**
 * The headers with the placeholder replaced. A custom header (`--header 'X-Api-Key: …'`) takes the
 * placeholder's position; with no credentials the placeholder header is dropped.
 */
export function withCredential(headers: HeaderList, credential: Credential): HeaderList {
  const filled: (readonly [string, string])[] = [];
  for (const header of headers) {
    if (header[1] !== AUTHORIZATION) {
      filled.push(header);
    } else if (credential.kind === 'authorization') {
      filled.push([header[0], credential.value]);
    } else if (credential.kind === 'header') {
      filled.push([credential.name, credential.value]);
    }
  }
  return filled;
}

/** Whether the request asks for credentials at all. */
export function wantsCredential(headers: HeaderList): boolean {
  return headers.some(([, value]) => value === AUTHORIZATION);
}
