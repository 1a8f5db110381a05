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
import { rfcExchangeFindings } from './rfc-checks.js';

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
  readonly check?: (request: ProfileRequest) => Promise<CheckResponse>;
}

/** The answer to one of Scimulator's own requests, and the exchange that records it: a finding's evidence. */
export type CheckResponse = ReceivedResponse & { readonly exchange?: number };

export interface Judge {
  /** Findings about one exchange of the IdP's, as soon as it is recorded. */
  exchange(subject: ExchangeUnderJudgement): Finding[];
  /** Findings about a finished step, e.g. reading back what it wrote. */
  step(subject: StepUnderJudgement): Promise<Finding[]>;
}

/** A check of one exchange: pure, synchronous, as the run records it. */
export type ExchangeCheck = (subject: ExchangeUnderJudgement) => Finding[];
/** A check of a finished step; may send Scimulator's own requests through `subject.check`. */
export type StepCheck = (subject: StepUnderJudgement) => Promise<Finding[]>;

export interface JudgeOptions {
  /** Run after the RFC checks on every IdP exchange (e.g. what each IdP accepts). */
  readonly extraExchangeChecks?: readonly ExchangeCheck[];
  /** Run in order on every finished step (e.g. reading back what the step wrote). */
  readonly stepChecks?: readonly StepCheck[];
}

/**
 * One Judge for the runner: the RFC 7643/7644 checks on every exchange, then the extra exchange
 * checks, and the step checks in order (in order, so their own requests do not interleave).
 */
export function createJudge(options: JudgeOptions = {}): Judge {
  const exchangeChecks: readonly ExchangeCheck[] = [rfcExchangeFindings, ...(options.extraExchangeChecks ?? [])];
  const stepChecks = options.stepChecks ?? [];
  return {
    exchange: (subject) => exchangeChecks.flatMap((check) => check(subject)),
    async step(subject) {
      const findings: Finding[] = [];
      for (const check of stepChecks) findings.push(...(await check(subject)));
      return findings;
    },
  };
}
