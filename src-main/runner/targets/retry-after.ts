/**
 * Waiting out a 429 as an IdP does. Okta documents that it retries after the `Retry-After` the
 * server sends (https://support.okta.com/help/s/article/slack-provisioning-jobs-failed-with-error-api-rate-limit-exceeded-rate-limit-exceeded);
 * Microsoft's statements on Entra conflict (https://learn.microsoft.com/answers/questions/2284725
 * says it honours Retry-After; an older feedback item, suggestion 38354572 on feedback.azure.com,
 * says it does not). The profile decides whether to honour it; this module is
 * only the mechanism, and reports every attempt so the run records each exchange.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ReceivedResponse } from '../http.js';
import { TargetUnreachable } from '../target.js';

export interface RetryAfterPolicy {
  /** Wait and retry on a 429 that carries Retry-After. False sends once, whatever comes back. */
  readonly honorRetryAfter: boolean;
  /** The longest wait, in seconds; a longer Retry-After is cut to it. Default 30. */
  readonly maxRetryAfterSeconds?: number;
  /** Retries after the first attempt. Default 1. */
  readonly maxRetries?: number;
  /** Cancels a wait in progress. */
  readonly signal?: AbortSignal;
  /** Waits `ms`; injectable so tests do not wait. Default: a timer, cancelled by `signal`. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for an HTTP-date Retry-After, in ms. Default Date.now. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

export interface SendAttempt {
  /** 0 for the first send, 1 for the first retry. */
  readonly attempt: number;
  readonly response: ReceivedResponse;
  /** What the response's Retry-After asked for, in ms, when it was a 429 with a valid one. */
  readonly retryAfterMs?: number;
  /** How long was waited before the next attempt, when there was one. */
  readonly waitedMs?: number;
}

export interface RetriedResponse {
  /** The last response: the one the IdP acts on. */
  readonly response: ReceivedResponse;
  readonly attempts: readonly SendAttempt[];
}

/**
 * Sends, and on a 429 with a valid Retry-After waits (at most maxRetryAfterSeconds) and sends
 * again, up to maxRetries times. `send` gets the attempt number so the caller can mark a retry in
 * its record. A 429 without a usable Retry-After is returned as is: nothing says how long to wait.
 */
export async function sendWithRetryAfter<R>(
  send: (request: R, attempt: number) => Promise<ReceivedResponse>,
  request: R,
  policy: RetryAfterPolicy,
): Promise<RetriedResponse> {
  const maxRetries = policy.honorRetryAfter ? (policy.maxRetries ?? 1) : 0;
  const capMs = (policy.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS) * 1000;
  const sleep = policy.sleep ?? abortableDelay;
  const now = policy.now ?? Date.now;
  const attempts: SendAttempt[] = [];
  for (let attempt = 0; ; attempt++) {
    const response = await send(request, attempt);
    const retryAfterMs = response.status === 429 ? parseRetryAfter(response.headers['retry-after'], now()) : undefined;
    if (retryAfterMs === undefined || attempt >= maxRetries) {
      attempts.push({ attempt, response, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      return { response, attempts };
    }
    const waitedMs = Math.min(retryAfterMs, capMs);
    attempts.push({ attempt, response, retryAfterMs, waitedMs });
    if (policy.signal?.aborted) throw new TargetUnreachable('cancelled while waiting out a 429');
    await sleep(waitedMs, policy.signal);
  }
}

/**
 * RFC 9110 §10.2.3: `Retry-After: <delay-seconds>` or an HTTP-date, as milliseconds from now
 * (0 for a date in the past); undefined when absent or malformed.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its weekday and month; a bare number with a sign or a fraction is malformed.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    if (signal?.aborted) throw new TargetUnreachable('cancelled while waiting out a 429', { cause: error });
    throw error;
  }
}
