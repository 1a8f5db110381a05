/**
 * What differs between two runs of a scenario (the same scenario against two targets, or a run
 * against a saved baseline), and between what a step expected and what it got. Exchanges are paired
 * step by step, then in order by method and normalised path; each pair compares the normalised
 * request, the status, the headers a client acts on (Content-Type, whether Location and ETag are
 * there) and the normalised body. The result is plain data: the console shows it, render.ts prints
 * it and the HTML report lays it out side by side.
 */
import { create, type Delta } from 'jsondiffpatch';
import type { RunExchange } from '../runner/exchange.js';
import type { RunRecord } from '../runner/run-record.js';
import type { StepOutcome, StepSummary } from '../runner/run-events.js';
import { Normaliser, canonicalJson, type NormalisedRequest } from './normalize.js';

/** One difference at a JSON path (`$` is the whole value). */
export interface Change {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** The value in A (absent when added in B). */
  readonly a?: unknown;
  /** The value in B (absent when removed in B). */
  readonly b?: unknown;
}

export interface HeaderDifference {
  /** `Content-Type` (compared by media type), `Location` or `ETag` (compared by presence). */
  readonly name: string;
  /** The header's value in A, undefined when absent. */
  readonly a?: string;
  readonly b?: string;
}

export interface ExchangePair {
  readonly kind: 'pair';
  /** Exchange indexes in A and B (RunExchange.index). */
  readonly index: { readonly a: number; readonly b: number };
  readonly purpose: string;
  readonly source: RunExchange['source'];
  readonly request: { readonly a: NormalisedRequest; readonly b: NormalisedRequest };
  /** The request itself differs (query or body): the IdP was told different things. */
  readonly requestDelta?: Delta;
  readonly requestChanges?: readonly Change[];
  /** Present only when the statuses differ; null when no response came. */
  readonly status?: { readonly a: number | null; readonly b: number | null };
  readonly headerDifferences?: readonly HeaderDifference[];
  /** jsondiffpatch's delta of the normalised response bodies (A → B). */
  readonly bodyDelta?: Delta;
  /** The same delta as a list of changes by JSON path. */
  readonly bodyChanges?: readonly Change[];
  /** Nothing above differs. */
  readonly same: boolean;
}

export interface UnpairedExchange {
  readonly kind: 'only-in-a' | 'only-in-b';
  readonly index: number;
  readonly purpose: string;
  readonly source: RunExchange['source'];
  readonly request: NormalisedRequest;
  readonly status: number | null;
}

export type ExchangeDiff = ExchangePair | UnpairedExchange;

export interface StepDiff {
  readonly index: number;
  readonly name: string;
  readonly outcome: { readonly a?: StepOutcome; readonly b?: StepOutcome };
  readonly exchanges: readonly ExchangeDiff[];
  /** Exchanges that differ or are unpaired, plus one when the outcomes differ. */
  readonly differences: number;
}

export interface RunSide {
  readonly label: string;
  readonly target: string;
  readonly baseUrl: string;
  readonly scenario: string;
  readonly profile: string;
  readonly seed: number;
  readonly startedAt: string;
}

export interface RunDiffCounts {
  readonly pairs: number;
  readonly identical: number;
  readonly differing: number;
  readonly onlyInA: number;
  readonly onlyInB: number;
  readonly stepOutcomesDiffering: number;
}

export interface RunDiff {
  readonly a: RunSide;
  readonly b: RunSide;
  readonly steps: readonly StepDiff[];
  readonly counts: RunDiffCounts;
  /** No exchange and no step outcome differs. */
  readonly identical: boolean;
}

export interface DiffLabels {
  readonly a?: string;
  readonly b?: string;
}

/** Items of a multi-valued attribute are matched by what identifies them, so a changed `type` reads as a change, not a swap. */
function objectHash(item: object, index?: number): string {
  const record = item as Record<string, unknown>;
  if (typeof record.op === 'string') return `op:${record.op}:${typeof record.path === 'string' ? record.path : ''}:${index ?? ''}`;
  for (const key of ['value', 'id', '$ref', 'name', 'displayName'] as const) {
    if (typeof record[key] === 'string') return `${key}:${record[key]}`;
  }
  return canonicalJson(item);
}

// No text diffs: a changed string reads best as the old and the new value in full.
const differ = create({ objectHash, arrays: { detectMove: false } });

/** jsondiffpatch's delta of two normalised values; undefined when they are equal. */
export function jsonDelta(a: unknown, b: unknown): Delta {
  return differ.diff(a, b);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A delta as one change per JSON path, in document order. */
export function changesOf(delta: Delta, path = '$'): Change[] {
  if (delta === undefined) return [];
  if (Array.isArray(delta)) {
    if (delta.length === 1) return [{ path, kind: 'added', b: delta[0] }];
    if (delta.length === 2) return [{ path, kind: 'changed', a: delta[0], b: delta[1] }];
    if (delta[2] === 0) return [{ path, kind: 'removed', a: delta[0] }];
    return []; // a move (3) or a text diff (2): neither is produced by this differ
  }
  const changes: Change[] = [];
  if ((delta as { _t?: unknown })._t === 'a') {
    const entries = Object.entries(delta).filter(([key]) => key !== '_t');
    const removed = entries.filter(([key]) => key.startsWith('_'));
    const rest = entries.filter(([key]) => !key.startsWith('_'));
    for (const [key, value] of removed) {
      const entry = value as unknown[];
      if (entry[2] === 0) changes.push({ path: `${path}[${key.slice(1)}]`, kind: 'removed', a: entry[0] });
    }
    for (const [key, value] of rest) changes.push(...changesOf(value as Delta, `${path}[${key}]`));
    return changes;
  }
  for (const [key, value] of Object.entries(delta)) changes.push(...changesOf(value as Delta, childPath(path, key)));
  return changes;
}

function headerOf(exchange: RunExchange, name: string): string | undefined {
  const headers = exchange.response?.headers ?? {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function mediaType(value: string | undefined): string | undefined {
  return value?.split(';')[0]?.trim().toLowerCase();
}

function headerDifferences(a: RunExchange, b: RunExchange): HeaderDifference[] {
  const differences: HeaderDifference[] = [];
  if (!a.response || !b.response) return differences;
  const contentA = headerOf(a, 'content-type');
  const contentB = headerOf(b, 'content-type');
  if (mediaType(contentA) !== mediaType(contentB)) {
    differences.push({ name: 'Content-Type', ...(contentA === undefined ? {} : { a: contentA }), ...(contentB === undefined ? {} : { b: contentB }) });
  }
  for (const [name, key] of [['Location', 'location'], ['ETag', 'etag']] as const) {
    const valueA = headerOf(a, key);
    const valueB = headerOf(b, key);
    if ((valueA === undefined) !== (valueB === undefined)) {
      differences.push({ name, ...(valueA === undefined ? {} : { a: 'present' }), ...(valueB === undefined ? {} : { b: 'present' }) });
    }
  }
  return differences;
}

function pairKey(request: NormalisedRequest): string {
  return `${request.method} ${request.path}`;
}

function pairOf(a: RunExchange, b: RunExchange, normaliseA: Normaliser, normaliseB: Normaliser): ExchangePair {
  const request = { a: normaliseA.request(a), b: normaliseB.request(b) };
  const requestDelta = jsonDelta({ query: request.a.query, body: request.a.body }, { query: request.b.query, body: request.b.body });
  const responseA = normaliseA.response(a);
  const responseB = normaliseB.response(b);
  const statusA = responseA?.status ?? null;
  const statusB = responseB?.status ?? null;
  const bodyDelta = jsonDelta(responseA?.body, responseB?.body);
  const headers = headerDifferences(a, b);
  const bodyChanges = changesOf(bodyDelta);
  const requestChanges = changesOf(requestDelta);
  return {
    kind: 'pair',
    index: { a: a.index, b: b.index },
    purpose: a.purpose,
    source: a.source,
    request,
    ...(requestDelta === undefined ? {} : { requestDelta, requestChanges }),
    ...(statusA === statusB ? {} : { status: { a: statusA, b: statusB } }),
    ...(headers.length === 0 ? {} : { headerDifferences: headers }),
    ...(bodyDelta === undefined ? {} : { bodyDelta, bodyChanges }),
    same: requestDelta === undefined && statusA === statusB && headers.length === 0 && bodyDelta === undefined,
  };
}

function unpaired(kind: UnpairedExchange['kind'], exchange: RunExchange, normalise: Normaliser): UnpairedExchange {
  return {
    kind,
    index: exchange.index,
    purpose: exchange.purpose,
    source: exchange.source,
    request: normalise.request(exchange),
    status: exchange.response?.status ?? null,
  };
}

/**
 * The exchanges of one step paired: each of A's, in order, with the first of B's not yet paired
 * that has the same method and normalised path; the rest are only in A or only in B.
 */
function pairStep(a: readonly RunExchange[], b: readonly RunExchange[], normaliseA: Normaliser, normaliseB: Normaliser): ExchangeDiff[] {
  const keysB = b.map((exchange) => pairKey(normaliseB.request(exchange)));
  const used = new Set<number>();
  const result: ExchangeDiff[] = [];
  for (const exchange of a) {
    const key = pairKey(normaliseA.request(exchange));
    const match = keysB.findIndex((candidate, position) => !used.has(position) && candidate === key);
    if (match < 0) {
      result.push(unpaired('only-in-a', exchange, normaliseA));
      continue;
    }
    used.add(match);
    result.push(pairOf(exchange, b[match]!, normaliseA, normaliseB));
  }
  b.forEach((exchange, position) => {
    if (!used.has(position)) result.push(unpaired('only-in-b', exchange, normaliseB));
  });
  return result;
}

function side(record: RunRecord, label: string): RunSide {
  return {
    label,
    target: record.target.key,
    baseUrl: record.target.baseUrl,
    scenario: record.scenario.name,
    profile: record.profile,
    seed: record.seed,
    startedAt: record.startedAt,
  };
}

function byStep(exchanges: readonly RunExchange[]): Map<number, RunExchange[]> {
  const steps = new Map<number, RunExchange[]>();
  for (const exchange of exchanges) steps.set(exchange.step, [...(steps.get(exchange.step) ?? []), exchange]);
  return steps;
}

/** Every difference between two runs of a scenario, A the reference and B the one compared with it. */
export function diffRuns(a: RunRecord, b: RunRecord, labels: DiffLabels = {}): RunDiff {
  const normaliseA = Normaliser.of(a);
  const normaliseB = Normaliser.of(b);
  const exchangesA = byStep(a.exchanges);
  const exchangesB = byStep(b.exchanges);
  const stepIndexes = [
    ...new Set([...a.steps.map((step) => step.index), ...b.steps.map((step) => step.index), ...exchangesA.keys(), ...exchangesB.keys()]),
  ].sort((x, y) => x - y);
  const steps: StepDiff[] = stepIndexes.map((index) => {
    const stepA = a.steps.find((step) => step.index === index);
    const stepB = b.steps.find((step) => step.index === index);
    const exchanges = pairStep(exchangesA.get(index) ?? [], exchangesB.get(index) ?? [], normaliseA, normaliseB);
    const outcome = { ...(stepA ? { a: stepA.outcome } : {}), ...(stepB ? { b: stepB.outcome } : {}) };
    const differing = exchanges.filter((exchange) => exchange.kind !== 'pair' || !exchange.same).length;
    return {
      index,
      name: stepA?.name ?? stepB?.name ?? `step ${index + 1}`,
      outcome,
      exchanges,
      differences: differing + (outcome.a === outcome.b ? 0 : 1),
    };
  });
  const all = steps.flatMap((step) => step.exchanges);
  const pairs = all.filter((exchange): exchange is ExchangePair => exchange.kind === 'pair');
  const counts: RunDiffCounts = {
    pairs: pairs.length,
    identical: pairs.filter((pair) => pair.same).length,
    differing: pairs.filter((pair) => !pair.same).length,
    onlyInA: all.filter((exchange) => exchange.kind === 'only-in-a').length,
    onlyInB: all.filter((exchange) => exchange.kind === 'only-in-b').length,
    stepOutcomesDiffering: steps.filter((step) => step.outcome.a !== step.outcome.b).length,
  };
  return {
    a: side(a, labels.a ?? a.target.key),
    b: side(b, labels.b ?? b.target.key),
    steps,
    counts,
    identical: counts.differing === 0 && counts.onlyInA === 0 && counts.onlyInB === 0 && counts.stepOutcomesDiffering === 0,
  };
}

/** The differences of the steps that have any. */
export function differingSteps(diff: RunDiff): StepDiff[] {
  return diff.steps.filter((step) => step.differences > 0);
}

/** A failed assertion as expected vs actual, with a structural diff when both are JSON objects or arrays. */
export interface ExpectedDiff {
  readonly step: number;
  readonly check: string;
  readonly line?: number;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Expected → actual, by JSON path; only when both values are objects or arrays. */
  readonly changes?: readonly Change[];
}

function structured(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** Expected vs actual for each failed assertion of a step (the assertion holds both already). */
export function diffExpected(step: StepSummary): ExpectedDiff[] {
  return step.assertions
    .filter((assertion) => !assertion.passed)
    .map((assertion) => {
      const changes = structured(assertion.expected) && structured(assertion.actual) ? changesOf(jsonDelta(assertion.expected, assertion.actual)) : undefined;
      return {
        step: step.index,
        check: assertion.check,
        ...(assertion.line === undefined ? {} : { line: assertion.line }),
        expected: assertion.expected,
        actual: assertion.actual,
        ...(changes === undefined ? {} : { changes }),
      };
    });
}
