/**
 * A scenario: a provisioning story told as IdP events (assign Alice, deactivate her, push a
 * group) and raw requests, with the IdP's directory fixtures, variables, captures and
 * assertions. Written as YAML or JSON (see scenario.schema.json); this is its parsed form.
 */
import type { IdpEventType, PersonChanges } from '../idp/events.js';
import type { ProfileName } from '../idp/profile.js';

/** Where something was written in the scenario file (1-based), for error messages. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface PersonFixture {
  readonly key: string;
  readonly userName?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly title?: string;
  readonly department?: string;
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly mobile?: string;
  readonly locale?: string;
  readonly manager?: string;
  readonly active?: boolean;
}

export interface GroupFixture {
  readonly key: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly members?: readonly string[];
}

/** A check on one exchange of a step. */
export interface Expectation {
  /**
   * Which exchange: `last` (default), `first`, `all`, or `METHOD /path-prefix` (e.g. `POST /Users`),
   * matching the IdP's exchanges of the step in order.
   */
  readonly exchange?: string;
  /** Expected status, or any of several. */
  readonly status?: number | readonly number[];
  /** Header name → expected value (exact) or `/regex/`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON path into the response body (`$.Resources[0].userName`) → expected value; `/regex/` for strings. */
  readonly json?: Readonly<Record<string, unknown>>;
  readonly position?: SourcePosition;
}

interface StepCommon {
  /** Shown in progress and reports; defaults to a description of the event or request. */
  readonly name?: string;
  readonly expect?: readonly Expectation[];
  /** Variable name → JSON path into the last exchange's response body. */
  readonly save?: Readonly<Record<string, string>>;
  /** Run the step this many times (load). */
  readonly repeat?: number;
  /** How many repetitions run at once. */
  readonly concurrency?: number;
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

export interface RequestStep extends StepCommon {
  readonly kind: 'request';
  readonly method: string;
  /** Below the base URL; may carry a query string, sent as written. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON value (sent as JSON) or a string (sent as is). */
  readonly body?: unknown;
}

export type Step = EventStep | RequestStep;

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly profile?: ProfileName;
  readonly directory?: {
    readonly people?: readonly PersonFixture[];
    readonly groups?: readonly GroupFixture[];
  };
  /** Values for `${name}` in strings; generators such as `${unique.email}` need no declaration. */
  readonly variables?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
  /** Where the scenario came from: `builtin:okta-lifecycle` or a file path. */
  readonly source: string;
}
