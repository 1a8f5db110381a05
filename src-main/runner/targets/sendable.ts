/**
 * What HTTP/1.1 can carry. Both targets check a request against the wire's rules before sending,
 * so a raw scenario step with a space in its path fails the same way against `local` as against a
 * URL, instead of the local provider accepting what no socket could send.
 */
import type { OutgoingRequest } from '../http.js';

/** The request cannot be put on the wire as written (a scenario or profile bug, not the target's). */
export class UnsendableRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsendableRequest';
  }
}

/** RFC 9110 §5.6.2 token: header names and methods. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9112 §3.2: the request-target is visible ASCII; anything else must be percent-encoded. */
const REQUEST_TARGET = /^[\x21-\x7e]*$/;
/** RFC 9110 §5.5: no CR, LF or NUL in a field value. */
const FIELD_VALUE = /^[^\r\n\0]*$/;

export function assertSendable(request: OutgoingRequest): void {
  if (!TOKEN.test(request.method)) throw new UnsendableRequest(`invalid HTTP method ${JSON.stringify(request.method)}`);
  if (request.path !== '' && !request.path.startsWith('/')) {
    throw new UnsendableRequest(`the path ${JSON.stringify(request.path)} must start with "/" (it is appended to the base URL)`);
  }
  for (const [part, text] of [['path', request.path], ['query', request.query ?? '']] as const) {
    if (!REQUEST_TARGET.test(text)) {
      throw new UnsendableRequest(
        `the ${part} ${JSON.stringify(text)} has a space, control or non-ASCII character: percent-encode it as the IdP would`,
      );
    }
  }
  for (const [name, value] of request.headers) {
    if (!TOKEN.test(name)) throw new UnsendableRequest(`invalid header name ${JSON.stringify(name)}`);
    if (!FIELD_VALUE.test(value)) throw new UnsendableRequest(`the ${name} header has a line break or NUL in its value`);
  }
}
