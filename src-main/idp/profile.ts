/**
 * A profile is one identity provider's client behaviour: it turns an IdP-neutral event into the
 * exact HTTP sequence that IdP sends (order, methods, query encoding, headers, body shapes,
 * lookups before writes), and decides, as that IdP does, what counts as a failure.
 *
 * Profiles program against ProfileContext only: they never see whether the target is the local
 * provider in memory or a remote URL, and they never touch sockets.
 */
import type { IdpDirectory, TargetLinks } from './directory.js';
import type { IdpEvent } from './events.js';
import type { HeaderList, OutgoingRequest, ReceivedResponse } from '../runner/http.js';

export const PROFILE_NAMES = ['okta', 'okta-aiw', 'entra', 'entra-compliant', 'onelogin', 'jumpcloud', 'pingfederate', 'generic'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** A document a profile's behaviour is taken from (cited next to the code that reproduces it). */
export interface ProfileSource {
  readonly id: string;
  readonly title: string;
  readonly url: string;
}

/** Options where sources disagree or are silent; each profile documents its defaults. */
export interface ProfileOptions {
  /** User-Agent to send; `null` sends none. Default: the profile's documented one (Entra: none). */
  readonly userAgent?: string | null;
  /** Whether the IdP provisions groups too (Entra's group probe in the connection test). Default true. */
  readonly groups?: boolean;
  /** Whether to wait and retry once on 429 with Retry-After. Default: the profile's documented behaviour. */
  readonly honorRetryAfter?: boolean;
  /** The longest Retry-After the run will wait, in seconds. Default 30. */
  readonly maxRetryAfterSeconds?: number;
}

/** One request as a profile sends it, with what it is for (shown in progress and records). */
export interface ProfileRequest extends OutgoingRequest {
  /** A short description: "lookup by userName", "create user", "deactivate". */
  readonly purpose: string;
}

export interface ProfileContext {
  readonly directory: IdpDirectory;
  /** What the IdP knows of this target: ids, assignments, last sent state. Profiles update it. */
  readonly links: TargetLinks;
  readonly options: ProfileOptions;
  /** Seeded randomness (passwords, probe GUIDs), so a run can be replayed exactly. */
  readonly random: Random;
  /**
   * The same object for every event of one run against one target (each event gets its own
   * context, to record its exchanges under its step): what a profile learns once per run, such as
   * the generic client's discovery, is kept under this key.
   */
  readonly session: object;
  /** Sends a request to the target and records the exchange. Never throws for an HTTP status. */
  send(request: ProfileRequest): Promise<ReceivedResponse>;
}

export interface Random {
  /** A version-4 UUID. */
  uuid(): string;
  /** `length` characters from `alphabet`. */
  string(length: number, alphabet?: string): string;
}

/**
 * The IdP would treat this operation as failed (Entra quarantines on a 404 for a filter; Okta
 * fails an assignment whose create response has no id). Thrown by profiles; the runner records
 * it as the step's failure with the IdP's own wording.
 */
export class IdpOperationFailed extends Error {
  constructor(
    message: string,
    /** The IdP's own words for it, when documented (e.g. Okta's "Create new user returned empty user"). */
    readonly idpMessage?: string,
    /**
     * The id of the finding that explains it (src-main/verdicts/catalog-idp.ts), so the step's
     * failure and the verdict name the same problem.
     */
    readonly finding?: string,
  ) {
    super(message);
    this.name = 'IdpOperationFailed';
  }
}

/** The event cannot be expressed by this IdP (Okta never deletes users). Not a failure of the target. */
export class UnsupportedByIdp extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedByIdp';
  }
}

/** What an IdP does, by default, when a target answers 429 with Retry-After. */
export interface RetryPolicy {
  /** Waits the Retry-After and retries; `ProfileOptions.honorRetryAfter` overrides it. */
  readonly honorRetryAfter: boolean;
  /** The public source that says so. */
  readonly source: string;
}

export interface Profile {
  readonly name: ProfileName;
  /** "Okta (OIN app)". */
  readonly title: string;
  /** One line: what this profile reproduces. */
  readonly summary: string;
  readonly sources: readonly ProfileSource[];
  /** The IdP's documented 429 behaviour; absent means it is undocumented and the run does not retry by default. */
  readonly retryPolicy?: RetryPolicy;
  /** The headers every request carries, in order, for a request with or without a body. */
  headers(withBody: boolean, options: ProfileOptions): HeaderList;
  /** Sends the IdP's sequence for one event. Throws IdpOperationFailed or UnsupportedByIdp. */
  handle(event: IdpEvent, context: ProfileContext): Promise<void>;
}
