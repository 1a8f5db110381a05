/**
 * One exchange of a run, as the run record keeps it: the request exactly as sent (secrets
 * redacted), the response exactly as received, and why it was sent. The provider's request log
 * (src-main/traffic/) records the other side of the same exchanges.
 */
import type { HeaderList } from './http.js';

/** Who sent it: the IdP's own traffic, or a request Scimulator added for its checks. */
export type ExchangeSource = 'idp' | 'scimulator';

export interface RunExchange {
  /** Position in the run, from 1. */
  readonly index: number;
  /** Index of the step that sent it, from 0. */
  readonly step: number;
  readonly source: ExchangeSource;
  /** What it was for: "lookup by userName", "create user". */
  readonly purpose: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly request: {
    readonly method: string;
    /** Absolute URL as sent. */
    readonly url: string;
    /** In the order sent; credentials redacted. */
    readonly headers: HeaderList;
    readonly body?: string;
  };
  /** Absent when no response came (connection refused, timeout, cancelled). */
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  /** Why no response came. */
  readonly error?: string;
  /** Retries before this exchange (429 with Retry-After), when the profile retried. */
  readonly retryOf?: number;
}

/** The placeholder a profile puts where its IdP sends `Authorization`; the target fills it in. */
export const AUTHORIZATION = '{authorization}';
