/**
 * The `local` target: the SCIM provider in this process, reached only through its handler
 * (ScimRequest → ScimResponse), exactly the function the HTTP host wraps. No socket is opened, so a
 * run against `local` measures the provider and the profile, never the network stack.
 */
import { createProvider, type Provider, type ProviderOptions } from '../../provider.js';
import type { HeaderList, OutgoingRequest, ReceivedResponse } from '../http.js';
import { requestUrl } from '../http.js';
import { TargetUnreachable, type Target } from '../target.js';
import { bearerCredential, withCredential } from './credentials.js';
import { assertSendable } from './sendable.js';

/**
 * The origin the in-process provider is told it was addressed at, so `meta.location` and the run
 * record's URLs are absolute and stable from run to run. It names no real host: `.scimulator` is not
 * a top-level domain, and nothing ever connects to it.
 */
export const LOCAL_ORIGIN = 'http://local.scimulator';

export const LOCAL_TARGET_KEY = 'local';

export interface LocalTarget extends Target {
  /** The provider behind the handler, for a run or a test to inspect its directory and log. */
  readonly provider: Provider;
}

/**
 * A local target over a provider of its own: in memory unless `db` names a file. `close()` closes
 * the provider.
 */
export async function createLocalTarget(options: ProviderOptions = {}): Promise<LocalTarget> {
  const provider = await createProvider(options);
  return localTarget(provider, true);
}

/**
 * A local target over a provider someone else runs (the desktop app's). `close()` leaves the
 * provider open.
 */
export function localTargetFor(provider: Provider): LocalTarget {
  return localTarget(provider, false);
}

function localTarget(provider: Provider, owned: boolean): LocalTarget {
  const credential = bearerCredential(provider.token);
  let closed = false;
  return {
    key: LOCAL_TARGET_KEY,
    baseUrl: `${LOCAL_ORIGIN}${provider.basePath}`,
    provider,
    async send(request: OutgoingRequest, signal?: AbortSignal): Promise<ReceivedResponse> {
      assertSendable(request);
      if (closed) throw new TargetUnreachable('the local target is closed');
      if (signal?.aborted) throw new TargetUnreachable('cancelled before the request was sent');
      let response;
      try {
        response = await provider.handle({
          method: request.method,
          url: requestUrl(provider.basePath, request),
          headers: headerRecord(withCredential(request.headers, credential)),
          origin: LOCAL_ORIGIN,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
      } catch (error) {
        // The handler answers every request, errors included; a throw means the provider is gone.
        throw new TargetUnreachable(`the local provider failed: ${(error as Error).message}`, { cause: error });
      }
      return {
        status: response.status,
        headers: response.headers,
        ...(response.body === undefined || response.body === '' ? {} : { body: response.body }),
      };
    },
    async close() {
      closed = true;
      if (owned) await provider.close();
    },
  };
}

/**
 * The handler's header record: names lower-cased, repeated headers joined with ", " as an HTTP
 * server joins them (RFC 9110 §5.3).
 */
export function headerRecord(headers: HeaderList): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
  }
  return record;
}
