/**
 * A run as a stream of events: what the CLI prints, the console shows live and tests assert on.
 * The run record (run-record.ts) is what remains when the stream is over.
 */
import type { Finding, Severity } from '../verdicts/finding.js';
import type { RunExchange } from './exchange.js';

export type StepOutcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface AssertionResult {
  /** What was checked, e.g. `POST /Users status`. */
  readonly check: string;
  readonly passed: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Where the assertion is written in the scenario file. */
  readonly line?: number;
}

/**
 * A check the run did not apply, and why: written for another IdP's traffic than the run sends
 * (see check-scope.ts), or after a setup step left out under --exact. Never counted as passed.
 */
export interface NotAppliedCheck {
  readonly check: string;
  readonly reason: string;
  readonly line?: number;
}

/** What a repeated step measured: the target under load. */
export interface LoadStats {
  readonly requests: number;
  /** Exchanges answered 5xx or not at all, and failed repetitions. */
  readonly errors: number;
  readonly errorRate: number;
  readonly requestsPerSecond: number;
  /** Latency of the exchanges, in milliseconds. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /**
   * Present when the run record keeps only a sample of the step's exchanges in full (every
   * failed one, and a bounded sample of the rest: see runner/repetition-sample.ts). The counts
   * and latencies above still cover every request; the step's `exchanges` counts every request
   * sent, `kept` how many of them the record holds. Its checks ran on every exchange as it came
   * back: `checks` of them, `checksPassed` passed; the step's `assertions` list those of the kept
   * exchanges, so every failed one.
   */
  readonly sampled?: { readonly kept: number; readonly checks: number; readonly checksPassed: number };
}

export interface StepSummary {
  readonly index: number;
  readonly name: string;
  readonly outcome: StepOutcome;
  readonly durationMs: number;
  readonly exchanges: number;
  readonly assertions: readonly AssertionResult[];
  /** Checks of the step that were not applied; absent when every check was. */
  readonly notApplied?: readonly NotAppliedCheck[];
  /** Why the step failed or errored (the IdP's failure, an unreachable target), or was skipped. */
  readonly message?: string;
  /** For a step with `repeat`. */
  readonly load?: LoadStats;
  /** How many findings the step produced, by severity (when the run is judged). */
  readonly findings?: Readonly<Record<Severity, number>>;
}

export interface RunSummary {
  readonly outcome: 'passed' | 'failed' | 'error' | 'cancelled';
  readonly steps: { readonly passed: number; readonly failed: number; readonly error: number; readonly skipped: number };
  readonly exchanges: number;
  readonly durationMs: number;
  /** Why the run stopped early: the target could not be reached. */
  readonly unreachable?: string;
  /** Findings by severity, when the run is judged. */
  readonly findings?: Readonly<Record<Severity, number>>;
}

export type RunEvent =
  | { readonly type: 'run-started'; readonly scenario: string; readonly profile: string; readonly target: string; readonly steps: number }
  | { readonly type: 'step-started'; readonly index: number; readonly name: string }
  | { readonly type: 'exchange'; readonly exchange: RunExchange }
  | { readonly type: 'finding'; readonly finding: Finding }
  | { readonly type: 'step-finished'; readonly step: StepSummary }
  | { readonly type: 'run-finished'; readonly summary: RunSummary };
