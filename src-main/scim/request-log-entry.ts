import type { LeniencyNote } from './leniency.js';

/**
 * One recorded exchange, as the request log hands it out. A module of its own so that the
 * renderer can import the type without the Node-side log implementation.
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
