/**
 * `--target practice:NAME`: a practice provider (a real product's SCIM endpoint, reproduced as msw
 * handlers) behind the Target interface. Requests run through msw's `getResponse` in this process:
 * no global is patched and no socket is opened, as for `local`.
 */
import { getResponse } from 'msw';
import { createPractice, type PracticeName, type PracticeOptions, type PracticeProvider } from '../../practice/index.js';
import { practiceRequest } from '../../practice/raw-target.js';
import type { OutgoingRequest, ReceivedResponse } from '../http.js';
import { TargetUnreachable, type Target } from '../target.js';
import { bearerCredential, withCredential } from './credentials.js';
import { UnsendableRequest, assertSendable } from './sendable.js';

/** Like `local.scimulator`: a name nothing resolves, so the URLs in a run record are stable. */
export function practiceOrigin(name: PracticeName): string {
  return `http://practice.${name}.scimulator`;
}

export interface PracticeTarget extends Target {
  /** The product behind the handlers, for a test or a read-back to inspect what it stored. */
  readonly practice: PracticeProvider;
}

export function createPracticeTarget(name: PracticeName, options: PracticeOptions = {}): PracticeTarget {
  const practice = createPractice(name, options);
  const origin = practiceOrigin(name);
  const credential = bearerCredential(practice.token);
  let closed = false;
  return {
    key: `practice:${name}`,
    baseUrl: `${origin}${practice.basePath}`,
    practice,
    async send(request: OutgoingRequest, signal?: AbortSignal): Promise<ReceivedResponse> {
      assertSendable(request);
      if (closed) throw new TargetUnreachable(`the practice target ${name} is closed`);
      if (signal?.aborted) throw new TargetUnreachable('cancelled before the request was sent');
      const rawTarget = `${practice.basePath}${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
      const headers = new Headers();
      let fetchRequest: Request;
      try {
        for (const [headerName, value] of withCredential(request.headers, credential)) headers.append(headerName, value);
        const carriesBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
        fetchRequest = practiceRequest(origin, rawTarget, { method: request.method, headers, ...(carriesBody ? { body: request.body } : {}) });
      } catch (error) {
        // Fetch refuses what HTTP/1.1 cannot carry either (a header value outside Latin-1).
        throw new UnsendableRequest(`the request cannot be sent: ${(error as Error).message}`);
      }
      let response: Response | undefined;
      try {
        response = await getResponse([...practice.handlers], fetchRequest);
      } catch (error) {
        throw new TargetUnreachable(`the practice target ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      // Every product ends its handlers with a catch-all, so no answer means a handler is broken.
      if (!response) throw new TargetUnreachable(`the practice target ${name} gave no response`);
      const received: Record<string, string> = {};
      response.headers.forEach((value, headerName) => {
        received[headerName.toLowerCase()] = value;
      });
      const body = await response.text();
      return { status: response.status, headers: received, ...(body === '' ? {} : { body }) };
    },
    async close() {
      closed = true;
    },
  };
}
