import type { LeniencyNote } from '../scim/leniency.js';

/**
 * One recorded HTTP exchange. The same record on both sides of the product: the provider's
 * request log keeps what reached the local server, and the mock IdP records what it sent to a
 * target. A module of its own (types only) so that the renderer can import it without the
 * Node-side log implementation.
 */
export interface RequestLogEntry {
  readonly seq: number;
  readonly startedAt: string;
  readonly method: string;
  readonly url: string;
  /** Request headers with Authorization redacted. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  requestBody?: string;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  responseBody?: string;
  readonly durationMs: number;
  /** Non-fatal remarks, each with a stable code (docs/leniencies.md): coerced "False" strings, ignored attributes... */
  readonly notes: readonly LeniencyNote[];
}
