/**
 * What the handler's modules share while answering one request: the parsed request (an
 * Exchange) and the provider's fixed parts (a HandlerContext). Passed down explicitly rather than
 * captured in closures, so each module is a set of plain functions.
 */
import { invalidSyntax } from './errors.js';
import type { ScimRequest } from './http-types.js';
import type { ServerLimits } from './discovery.js';
import type { DirectoryPort } from './directory-port.js';
import type { Notes } from './values.js';

export interface HandlerContext {
  readonly store: DirectoryPort;
  readonly limits: ServerLimits;
  /** Where the SCIM API is mounted, without a trailing slash, e.g. `/scim/v2`. */
  readonly basePath: string;
  /** The clock for `meta.created` / `meta.lastModified`. */
  readonly now: () => Date;
  /** Ids of created resources. */
  readonly newId: () => string;
}

export interface Exchange {
  readonly method: string;
  /** Path segments below the base path, percent-decoded. */
  readonly segments: readonly string[];
  /** Query parameters by lower-cased name. */
  readonly query: ReadonlyMap<string, string>;
  readonly headers: ScimRequest['headers'];
  readonly body: string | undefined;
  /** Absolute SCIM base URL as the client addressed it: prefix of every `meta.location`. */
  readonly baseUrl: string;
  /** Leniencies applied while answering; recorded with the exchange. */
  readonly notes: Notes;
  /** Request-log sequence of this exchange (Bulk operations share their request's). */
  readonly seq: number | undefined;
}

export function parseBody(ex: Exchange): unknown {
  if (ex.body === undefined || ex.body.trim() === '') throw invalidSyntax('The request needs a JSON body');
  try {
    return JSON.parse(ex.body);
  } catch (error) {
    throw invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
