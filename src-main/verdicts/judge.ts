/**
 * How a run is judged: every exchange as it is recorded (the RFC's rules, what the profile's IdP
 * accepts), and every finished step (read-after-write: what was written is what is read back),
 * the latter with Scimulator's own requests, which `--exact` leaves out.
 */
import type { IdpDirectory, TargetLinks } from '../idp/directory.js';
import type { IdpEvent } from '../idp/events.js';
import type { ProfileName, ProfileRequest } from '../idp/profile.js';
import type { RunExchange } from '../runner/exchange.js';
import type { ReceivedResponse } from '../runner/http.js';
import type { Finding } from './finding.js';

export interface ExchangeUnderJudgement {
  readonly exchange: RunExchange;
  /** The step's event, when the step is one. */
  readonly event?: IdpEvent;
  readonly profile: ProfileName;
  readonly baseUrl: string;
}

export interface StepUnderJudgement {
  readonly step: number;
  readonly event?: IdpEvent;
  readonly profile: ProfileName;
  readonly baseUrl: string;
  /** The IdP exchanges the step sent, in order. */
  readonly exchanges: readonly RunExchange[];
  readonly directory: IdpDirectory;
  readonly links: TargetLinks;
  /**
   * Sends one of Scimulator's own requests (User-Agent `Scimulator/<version> (check)`), recorded
   * as such; undefined under `--exact`, where nothing but the IdP's traffic is sent.
   */
  readonly check?: (request: ProfileRequest) => Promise<ReceivedResponse>;
}

export interface Judge {
  /** Findings about one exchange of the IdP's, as soon as it is recorded. */
  exchange(subject: ExchangeUnderJudgement): Finding[];
  /** Findings about a finished step, e.g. reading back what it wrote. */
  step(subject: StepUnderJudgement): Promise<Finding[]>;
}
