/**
 * A profile driven against the local provider in memory, capturing every exchange it sends: what
 * the profile tests compare with the IdPs' documented requests. The runner's local target does
 * the same for real runs; this harness keeps profile tests free of the runner.
 */
import { applyAfterSending, applyBeforeSending } from '../../src-main/idp/apply-event.js';
import { IdpDirectory } from '../../src-main/idp/directory.js';
import type { IdpEvent } from '../../src-main/idp/events.js';
import { type GroupInput, type PersonInput, groupFrom, personFrom } from '../../src-main/idp/people.js';
import type { Profile, ProfileContext, ProfileOptions, ProfileRequest } from '../../src-main/idp/profile.js';
import { createRandom } from '../../src-main/idp/random.js';
import { createProvider, type Provider } from '../../src-main/provider.js';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import type { ReceivedResponse } from '../../src-main/runner/http.js';

export const HARNESS_TOKEN = 'profile-harness-token';
export const HARNESS_ORIGIN = 'http://scim.test';

export interface CapturedExchange {
  readonly request: ProfileRequest;
  readonly response: ReceivedResponse;
}

export interface ProfileHarness {
  readonly provider: Provider;
  readonly directory: IdpDirectory;
  readonly context: ProfileContext;
  /** Every exchange sent so far, in order. */
  readonly exchanges: CapturedExchange[];
  /** Applies one event to the IdP directory as the runner does, runs it, and returns the exchanges it sent. */
  run(event: IdpEvent): Promise<CapturedExchange[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly profile: Profile;
  readonly people?: readonly PersonInput[];
  readonly groups?: readonly GroupInput[];
  readonly options?: ProfileOptions;
  readonly seed?: number;
  /** Answers instead of the provider for matching requests (e.g. a target that breaks a rule). */
  readonly intercept?: (request: ProfileRequest) => ReceivedResponse | undefined;
}

export async function createProfileHarness(options: HarnessOptions): Promise<ProfileHarness> {
  const provider = await createProvider({ token: HARNESS_TOKEN });
  const random = createRandom(options.seed ?? 7);
  const directory = new IdpDirectory();
  (options.people ?? []).forEach((input, i) => directory.addPerson(personFrom(input, random, 'run1', i)));
  for (const input of options.groups ?? []) directory.addGroup(groupFrom(input, random, 'run1'));
  const exchanges: CapturedExchange[] = [];

  const context: ProfileContext = {
    directory,
    links: directory.linksFor('local'),
    options: options.options ?? {},
    random,
    session: {},
    async send(request) {
      const intercepted = options.intercept?.(request);
      if (intercepted) {
        exchanges.push({ request, response: intercepted });
        return intercepted;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) {
        const lower = name.toLowerCase();
        const actual = value === AUTHORIZATION ? `Bearer ${HARNESS_TOKEN}` : value;
        headers[lower] = headers[lower] === undefined ? actual : `${headers[lower]}, ${actual}`;
      }
      const response = await provider.handle({
        method: request.method,
        url: `${provider.basePath}${request.path}${request.query === undefined ? '' : `?${request.query}`}`,
        headers,
        origin: HARNESS_ORIGIN,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const received: ReceivedResponse = {
        status: response.status,
        headers: response.headers,
        ...(response.body === undefined ? {} : { body: response.body }),
      };
      exchanges.push({ request, response: received });
      return received;
    },
  };

  return {
    provider,
    directory,
    context,
    exchanges,
    async run(event) {
      const before = exchanges.length;
      applyBeforeSending(event, directory);
      await options.profile.handle(event, context);
      applyAfterSending(event, directory, 'local');
      return exchanges.slice(before);
    },
    close: () => provider.close(),
  };
}
