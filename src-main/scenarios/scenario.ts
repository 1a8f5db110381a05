/**
 * A scenario: a provisioning story told as IdP events (assign Alice, deactivate her, push a
 * group) and raw requests, with the IdP's directory fixtures, variables, captures and
 * assertions. Written as YAML or JSON (see scenario.schema.json); this is its parsed form.
 */
import type { IdpEventType, PersonChanges } from '../idp/events.js';
import type { GroupInput, PersonInput } from '../idp/people.js';
import type { ProfileName } from '../idp/profile.js';

/** The optional features RFC 7643 §5 lets a service provider declare in /ServiceProviderConfig. */
export const CAPABILITIES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;
export type ServiceProviderFeature = (typeof CAPABILITIES)[number];
/** What a target declares in /ResourceTypes (RFC 7643 §6): a Group resource type, the enterprise User extension. */
export const RESOURCE_TYPE_CAPABILITIES = ['groups', 'enterpriseUser'] as const;
export type ResourceTypeCapability = (typeof RESOURCE_TYPE_CAPABILITIES)[number];
/** An attribute the target's /Schemas (RFC 7643 §7) must define: `attribute:title`, `attribute:name.givenName`. */
export type AttributeRequirement = `attribute:${string}`;
export const ATTRIBUTE_PREFIX = 'attribute:';
export type Capability = ServiceProviderFeature | ResourceTypeCapability | AttributeRequirement;

/** Where something was written in the scenario file (1-based), for error messages. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A person or group as a scenario's fixtures write it: the IdP directory's own input form (people.ts). */
export type PersonFixture = PersonInput;
export type GroupFixture = GroupInput;

/** The IdP's directory a scenario starts from: fixtures, and people generated beside them. */
export interface DirectoryFixtures {
  /** Also generate this many people, keyed `user1`…`userN` (people.ts `generatedPeople`). */
  readonly generate?: number;
  readonly people?: readonly PersonFixture[];
  readonly groups?: readonly GroupFixture[];
}

/** A check on one exchange of a step. */
export interface Expectation {
  /**
   * Which exchange(s) of the step, among the IdP's own (grammar in exchange-selector.ts):
   * `last` (default), `first`, `all`, `#2`, or `[first|last|all] [METHOD] [/path-prefix]`,
   * e.g. `POST /Users`, `all PATCH /Groups`.
   */
  readonly exchange?: string;
  /** Expected status, or any of several. */
  readonly status?: number | readonly number[];
  /** Header name (any case) → expected value (exact), `/regex/`, or `null` for absent. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /**
   * JSON path into the response body (`$.Resources[0].userName`, subset in json-path.ts) →
   * expected value; `/regex/` for strings; `null` also matches a missing value.
   */
  readonly json?: Readonly<Record<string, unknown>>;
  /**
   * The IdPs whose traffic the check is written for (Okta's `00u…` externalId); under another
   * profile it is not applied. Without it the check applies to every profile.
   */
  readonly profiles?: readonly ProfileName[];
  readonly position?: SourcePosition;
  /** Where each check is written: `status`, `headers.<name>`, `json.<path>` → position. */
  readonly checkPositions?: Readonly<Record<string, SourcePosition>>;
}

/** A value to keep for later steps: a JSON path into the response of a selected exchange. */
export interface Capture {
  /** JSON path into the response body, e.g. `$.id`. */
  readonly path: string;
  /** Selector as in Expectation; default: the step's last exchange with a JSON response body. */
  readonly exchange?: string;
  readonly position?: SourcePosition;
}

interface StepCommon {
  /** Shown in progress and reports; defaults to a description of the event or request. */
  readonly name?: string;
  readonly expect?: readonly Expectation[];
  /** Variable name → where to read its value (`userId: $.id`); usable as `${userId}` in later steps. */
  readonly save?: Readonly<Record<string, Capture>>;
  /** Run the step this many times (load). */
  readonly repeat?: number;
  /** How many repetitions run at once. */
  readonly concurrency?: number;
  /**
   * Capabilities the step needs, as the target's /ServiceProviderConfig, /ResourceTypes and
   * /Schemas declare them; the step is skipped as not applicable when the target declares one
   * unsupported or does not say.
   */
  readonly requires?: readonly Capability[];
  /** Removes what the run created (or checks the removal); skipped under `--keep`. */
  readonly cleanup?: boolean;
  readonly position?: SourcePosition;
}

export interface EventStep extends StepCommon {
  readonly kind: 'event';
  readonly event: IdpEventType;
  readonly user?: string;
  readonly users?: readonly string[];
  readonly group?: string;
  readonly displayName?: string;
  readonly changes?: PersonChanges;
}

export type SentBy = 'idp' | 'scimulator' | 'setup';

/** Whether a raw step is Scimulator's own request (a check or setup) rather than the IdP's. */
export function isOwnRequest(step: Step): boolean {
  return step.kind === 'request' && (step.sentBy === 'scimulator' || step.sentBy === 'setup');
}

export interface RequestStep extends StepCommon {
  readonly kind: 'request';
  readonly method: string;
  /** Below the base URL; may carry a query string, sent as written. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON value (sent as JSON) or a string (sent as is). */
  readonly body?: unknown;
  /**
   * `scimulator`: Scimulator's own check (a read-back), not the IdP's: sent with Scimulator's
   * User-Agent and left out under `--exact`. `setup`: Scimulator's own request that arranges the
   * target for the story (the app already has users); sent and left out the same way, and once one
   * is left out, the checks of the steps after it are not applied. Default `idp`.
   */
  readonly sentBy?: SentBy;
  /** Leave out of the body what the target's /Schemas does not define. */
  readonly fitToSchema?: boolean;
}

export type Step = EventStep | RequestStep;

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly profile?: ProfileName;
  readonly directory?: DirectoryFixtures;
  /**
   * Values for `${name}` in strings, resolved once per run in the order written (a value may use
   * generators and earlier variables); generators such as `${unique.email}` need no declaration.
   */
  readonly variables?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
  /** Where the scenario came from: `builtin:okta-lifecycle` or a file path. */
  readonly source: string;
}
