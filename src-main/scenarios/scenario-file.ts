/**
 * A scenario file's data as written, once it has passed the JSON Schema: the shape the loader
 * reads before it builds the Scenario (scenario.ts), where requests are flattened into steps and
 * captures normalised.
 */
import type { IdpEventType, PersonChanges } from '../idp/events.js';
import type { ProfileName } from '../idp/profile.js';
import type { Capability, DirectoryFixtures, SentBy } from './scenario.js';

export interface ExpectationData {
  readonly exchange?: string;
  readonly status?: number | readonly number[];
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly json?: Readonly<Record<string, unknown>>;
  readonly profiles?: readonly ProfileName[];
}

export type CaptureData = string | { readonly exchange?: string; readonly path: string };

export interface StepData {
  readonly name?: string;
  readonly event?: IdpEventType;
  readonly request?: {
    readonly method: string;
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
    readonly sentBy?: SentBy;
    readonly fitToSchema?: boolean;
  };
  readonly user?: string;
  readonly users?: readonly string[];
  readonly group?: string;
  readonly displayName?: string;
  readonly changes?: PersonChanges;
  readonly expect?: readonly ExpectationData[];
  readonly save?: Readonly<Record<string, CaptureData>>;
  readonly repeat?: number;
  readonly concurrency?: number;
  readonly requires?: readonly Capability[];
  readonly cleanup?: boolean;
}

export interface ScenarioFileData {
  readonly name: string;
  readonly description?: string;
  readonly profile?: ProfileName;
  readonly directory?: DirectoryFixtures;
  readonly variables?: Readonly<Record<string, string>>;
  readonly steps: readonly StepData[];
}
