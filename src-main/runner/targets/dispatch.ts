/**
 * One HTTP exchange over an undici dispatcher, the remote target's transport. It drives
 * `Dispatcher.dispatch` with its own handler rather than `Agent.request`: `request` wraps every
 * response body in a Readable stream and every request in an AsyncResource and, with a deadline,
 * an AbortSignal with its listeners, which under a `load` step cost the load generator more CPU
 * than the server spends answering. Here the body's chunks are collected as they come and joined
 * once, the deadline is one plain timer, and the caller's cancellation signal (when there is one)
 * one listener. The bytes on the wire are the same: the method, the request-target and the
 * header list go to undici exactly as `request` would pass them.
 */
import type { Dispatcher } from 'undici';
import { cancelled, describeTransportError, timedOut } from './unreachable.js';

export interface RawResponse {
  readonly status: number;
  /** As undici parses them: lower-case names, a repeated header as an array. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bytes: Buffer;
}

export interface DispatchRequest {
  readonly origin: string;
  /** The request-target exactly as sent. */
  readonly path: string;
  readonly method: string;
  /** Name, value, name, value…: in order, repeats kept. */
  readonly headers: string[];
  readonly body?: string;
}

/**
 * Sends one request and resolves with the whole response, or rejects with a TargetUnreachable
 * saying why none came: the deadline passed (`timeoutMs` from now), the caller cancelled, or the
 * transport failed.
 */
export function dispatchOnce(dispatcher: Dispatcher, request: DispatchRequest, timeoutMs: number, signal: AbortSignal | undefined): Promise<RawResponse> {
  const url = `${request.origin}${request.path}`;
  if (signal?.aborted) return Promise.reject(cancelled(url));
  return new Promise<RawResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    /** Why the request was given up before undici could be told (it had not started yet). */
    let givenUp: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];

    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    };
    /** Stops waiting now, with `error`; undici is told to drop the request as soon as it can be. */
    const giveUp = (error: Error) => {
      if (settled) return;
      settle();
      reject(error);
      if (controller) controller.abort(error);
      else givenUp = error;
    };
    const onCancel = () => giveUp(cancelled(url));
    const timer = setTimeout(() => giveUp(timedOut(timeoutMs, url)), timeoutMs);
    signal?.addEventListener('abort', onCancel, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (givenUp) started.abort(givenUp);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders as Record<string, string | string[] | undefined>;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        settle();
        resolve({ status, headers, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
      onResponseError(_controller, error) {
        if (settled) return;
        settle();
        reject(describeTransportError(error, url));
      },
    };
    try {
      dispatcher.dispatch(
        { origin: request.origin, path: request.path, method: request.method as Dispatcher.HttpMethod, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) },
        handler,
      );
    } catch (error) {
      if (!settled) {
        settle();
        reject(describeTransportError(error, url));
      }
    }
  });
}
