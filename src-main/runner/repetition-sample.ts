/**
 * Which repetitions of a repeated (load) step the run record keeps in full. A `load` run sends
 * thousands of requests; keeping every exchange with its body (a list step alone keeps 1,000
 * pages of 100 users) costs the load generator more than sending them, and the record nobody can
 * read. So a step whose checks look at each exchange on its own is checked repetition by
 * repetition as it runs, and the record keeps:
 *
 * - every repetition that failed, errored, failed a check or drew a finding;
 * - the first SAMPLE_FIRST repetitions to complete, and about SAMPLE_SPREAD more spread evenly
 *   over the rest (the target under full load, not only warming up);
 * - the last repetition to complete (what a `last` capture reads), and the last one with a JSON
 *   body (what a capture without a selector reads).
 *
 * Latency, throughput and error counts always cover every exchange; the step's `load.sampled`
 * says how many exchanges were kept and how many checks ran. A step whose checks need the whole
 * list (`first`, `#3`, `last POST`) keeps everything, as any other step does.
 */
import { parseSelector } from '../scenarios/exchange-selector.js';
import type { Step } from '../scenarios/scenario.js';
import type { RunExchange } from './exchange.js';
import type { AssertionResult } from './run-events.js';

export const SAMPLE_FIRST = 10;
export const SAMPLE_SPREAD = 10;

/** One repetition's exchanges and the checks run on them. */
export interface Repetition {
  readonly exchanges: readonly RunExchange[];
  readonly assertions: readonly AssertionResult[];
}

function isPlain(selector: string | undefined, quantifiers: readonly string[]): boolean {
  if (selector === undefined) return true;
  try {
    const parsed = parseSelector(selector);
    return parsed.kind === 'match' && parsed.method === undefined && parsed.path === undefined && quantifiers.includes(parsed.quantifier);
  } catch {
    return false;
  }
}

/**
 * Whether a repeated step can be checked per repetition and sampled: every expectation looks at
 * `all` exchanges (so checking each repetition's is the same as checking the step's), and every
 * capture reads the first or last exchange, or the last with a JSON body.
 */
export function sampleable(step: Step): boolean {
  if ((step.repeat ?? 1) <= 1) return false;
  const expectations = step.expect ?? [];
  if (!expectations.every((expectation) => expectation.exchange !== undefined && isPlain(expectation.exchange, ['all']))) return false;
  return Object.values(step.save ?? {}).every((capture) => isPlain(capture.exchange, ['first', 'last']));
}

function hasJsonBody(repetition: Repetition): boolean {
  return repetition.exchanges.some((exchange) => {
    const body = exchange.response?.body;
    if (body === undefined || body.trim() === '') return false;
    try {
      JSON.parse(body);
      return true;
    } catch {
      return false;
    }
  });
}

export class RepetitionSample {
  private completed = 0;
  private readonly stride: number;
  /** The last completed repetition, and the last with a JSON body, while not kept otherwise. */
  private last: Repetition | undefined;
  private lastWithJson: Repetition | undefined;
  private readonly wantsJsonLast: boolean;

  constructor(repeat: number, step: Step) {
    this.stride = Math.max(1, Math.ceil((repeat - SAMPLE_FIRST) / SAMPLE_SPREAD));
    this.wantsJsonLast = Object.values(step.save ?? {}).some((capture) => capture.exchange === undefined);
  }

  /**
   * A repetition has completed; returns the repetitions to keep now, in the order they completed.
   * `mustKeep`: it failed, a check failed, or it drew a finding.
   */
  offer(repetition: Repetition, mustKeep: boolean): Repetition[] {
    const ordinal = this.completed++;
    const keep = mustKeep || ordinal < SAMPLE_FIRST || (ordinal - SAMPLE_FIRST) % this.stride === this.stride - 1;
    // A newer repetition completed: the held "last" is no longer last.
    this.last = undefined;
    if (keep) {
      if (this.lastWithJson !== undefined && hasJsonBody(repetition)) this.lastWithJson = undefined;
      return [repetition];
    }
    this.last = repetition;
    if (this.wantsJsonLast && hasJsonBody(repetition)) this.lastWithJson = repetition;
    return [];
  }

  /** The held repetitions, once every repetition has completed, in the order they completed. */
  finish(): Repetition[] {
    const held = [this.lastWithJson, this.last].filter((repetition): repetition is Repetition => repetition !== undefined);
    const unique = [...new Set(held)];
    return unique.sort((a, b) => (a.exchanges[0]?.index ?? 0) - (b.exchanges[0]?.index ?? 0));
  }
}
