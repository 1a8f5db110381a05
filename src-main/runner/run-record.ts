/**
 * The run record: a versioned JSON document of everything a run did (profile, target, steps,
 * every exchange in full with headers, bodies and timings, credentials redacted; a sampled load
 * step keeps its failed exchanges and a sample, see LoadStats.sampled). `--save` writes
 * it; verdicts, diffs and reports read it. It is built from the run's event stream, so whatever
 * the CLI or the console saw is exactly what is kept.
 */
import type { Finding } from '../verdicts/finding.js';
import type { RunExchange } from './exchange.js';
import type { RunEvent, RunSummary, StepSummary } from './run-events.js';

export const RUN_RECORD_FORMAT = 'scimulator-run';
export const RUN_RECORD_VERSION = 1;

export interface RunRecord {
  readonly format: typeof RUN_RECORD_FORMAT;
  readonly version: typeof RUN_RECORD_VERSION;
  readonly scenario: { readonly name: string; readonly source: string; readonly description: string };
  readonly profile: string;
  readonly target: { readonly key: string; readonly baseUrl: string };
  /** Only the IdP's own traffic was sent. */
  readonly exact: boolean;
  /** Seed of the run's randomness: the same seed sends the same bytes. */
  readonly seed: number;
  /** The tag that made this run's names unique. */
  readonly runTag: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly steps: readonly StepSummary[];
  readonly exchanges: readonly RunExchange[];
  /** What the run found, in the order found (empty when the run was not judged). */
  readonly findings: readonly Finding[];
  readonly summary: RunSummary;
}

export interface RunRecordHeader {
  readonly scenario: RunRecord['scenario'];
  readonly profile: string;
  readonly target: RunRecord['target'];
  readonly exact: boolean;
  readonly seed: number;
  readonly runTag: string;
  readonly startedAt: string;
}

/** Collects a run's events into its record. */
export class RunRecorder {
  private readonly steps: StepSummary[] = [];
  private readonly exchanges: RunExchange[] = [];
  private readonly findings: Finding[] = [];
  private summary: RunSummary | undefined;

  constructor(private readonly header: RunRecordHeader) {}

  readonly listener = (event: RunEvent): void => {
    if (event.type === 'exchange') this.exchanges.push(event.exchange);
    else if (event.type === 'finding') this.findings.push(event.finding);
    else if (event.type === 'step-finished') this.steps.push(event.step);
    else if (event.type === 'run-finished') this.summary = event.summary;
  };

  record(finishedAt: string): RunRecord {
    if (!this.summary) throw new Error('The run has not finished');
    return {
      format: RUN_RECORD_FORMAT,
      version: RUN_RECORD_VERSION,
      ...this.header,
      finishedAt,
      steps: this.steps,
      exchanges: this.exchanges,
      findings: this.findings,
      summary: this.summary,
    };
  }
}
