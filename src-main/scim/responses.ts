/** Building SCIM responses: every body is `application/scim+json`, every error the RFC's Error schema. */
import type { ScimError } from './errors.js';
import type { ScimResponse } from './http-types.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** `headers` must be a fresh object: the response takes it over. */
export function respond(status: number, body?: unknown, headers: Record<string, string> = {}): ScimResponse {
  headers['content-type'] = SCIM_CONTENT_TYPE;
  return body === undefined ? { status, headers } : { status, headers, body: JSON.stringify(body) };
}

export function errorResponse(error: ScimError, headers: Record<string, string> = {}): ScimResponse {
  return respond(error.status, error.toBody(), headers);
}
