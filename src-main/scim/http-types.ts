/**
 * The provider's own request/response shape. The SCIM handler is a function from ScimRequest to
 * ScimResponse; node:http, msw (Fetch Request/Response) and the desktop app are thin adapters
 * around it. Plain objects rather than Fetch classes keep the hot path allocation-light.
 */
export interface ScimRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/scim/v2/Users?filter=userName%20eq%20%22x%22`. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  /** `http://host:port` the client addressed; used for absolute `meta.location`. */
  readonly origin: string;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export type ScimHandler = (request: ScimRequest) => Promise<ScimResponse>;
