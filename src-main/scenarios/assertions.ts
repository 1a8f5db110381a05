/**
 * A step's `expect` list checked against the exchanges the step produced, and its `save` captures
 * read from them. Each check becomes an AssertionResult that says what was checked, what was
 * expected, what came back and where the check is written, so a failure reads on its own.
 *
 * Expected values: a status is a number or a list of accepted ones; a header or JSON value is
 * compared exactly (JSON values structurally, key order aside), except that a string written
 * `/regex/flags` is matched as a regular expression, and `null` also accepts a missing value (as
 * SCIM treats null and unassigned alike, RFC 7643 section 2.5).
 */
import type { RunExchange } from '../runner/exchange.js';
import type { AssertionResult } from '../runner/run-events.js';
import { type ExchangeSelector, describeExchange, parseSelector, selectExchanges } from './exchange-selector.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import type { Capture, Expectation, SourcePosition } from './scenario.js';

export interface AssertionOptions {
  /** The target's base URL, to name exchanges by their path below it. */
  readonly baseUrl: string;
  /** Resolves `${…}` in expected values (Interpolator.value); without it they are compared as written. */
  readonly resolve?: (value: unknown) => unknown;
}

const PATTERN = /^\/(.+)\/([dgimsuy]*)$/s;

/** The regular expression a `/regex/flags` string stands for, or undefined for a plain string. */
export function expectedPattern(value: unknown): RegExp | undefined {
  if (typeof value !== 'string') return undefined;
  const match = PATTERN.exec(value);
  return match ? new RegExp(match[1]!, match[2]) : undefined;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((element, i) => jsonEqual(element, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/** Whether an actual value (undefined: missing) satisfies an expected one. */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  const pattern = expectedPattern(expected);
  if (pattern) return typeof actual === 'string' && pattern.test(actual);
  return actual !== undefined && jsonEqual(expected, actual);
}

function parseBody(body: string | undefined): { json: true; value: unknown } | { json: false } {
  if (body === undefined || body.trim() === '') return { json: false };
  try {
    return { json: true, value: JSON.parse(body) as unknown };
  } catch {
    return { json: false };
  }
}

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function lineOf(position: SourcePosition | undefined): { line?: number } {
  return position ? { line: position.line } : {};
}

function selectorOf(text: string | undefined): ExchangeSelector {
  return parseSelector(text ?? 'last');
}

function noMatch(check: string, selector: string, exchanges: readonly RunExchange[], baseUrl: string, position: SourcePosition | undefined): AssertionResult {
  const sent = exchanges.map((exchange) => describeExchange(exchange, baseUrl));
  return {
    check,
    passed: false,
    expected: `an exchange matching \`${selector}\``,
    actual: sent.length === 0 ? 'the step sent no request' : `the step sent ${sent.join(', ')}`,
    ...lineOf(position),
  };
}

/** Every check of every expectation, in the order written (one result per selected exchange). */
export function evaluateExpectations(
  expectations: readonly Expectation[],
  exchanges: readonly RunExchange[],
  options: AssertionOptions,
): AssertionResult[] {
  const resolve = options.resolve ?? ((value: unknown) => value);
  const results: AssertionResult[] = [];
  for (const expectation of expectations) {
    const selectorText = expectation.exchange ?? 'last';
    const selected = selectExchanges(selectorOf(expectation.exchange), exchanges, options.baseUrl);
    if (selected.length === 0) {
      results.push(noMatch(`${selectorText} exchange`, selectorText, exchanges, options.baseUrl, expectation.position));
      continue;
    }
    const positionOf = (check: string) => lineOf(expectation.checkPositions?.[check] ?? expectation.position);
    for (const exchange of selected) {
      const label = describeExchange(exchange, options.baseUrl);
      const response = exchange.response;
      const noResponse = `no response (${exchange.error ?? 'none came'})`;

      if (expectation.status !== undefined) {
        const accepted = typeof expectation.status === 'number' ? [expectation.status] : expectation.status;
        results.push({
          check: `${label} status`,
          passed: response !== undefined && accepted.includes(response.status),
          expected: expectation.status,
          actual: response?.status ?? noResponse,
          ...positionOf('status'),
        });
      }

      for (const [name, written] of Object.entries(expectation.headers ?? {})) {
        const expected = resolve(written);
        const actual = response ? headerOf(response.headers, name) : undefined;
        results.push({
          check: `${label} header ${name}`,
          passed: response !== undefined && matches(expected, actual),
          expected,
          actual: response ? actual : noResponse,
          ...positionOf(`headers.${name}`),
        });
      }

      // Parsed only for JSON checks: a load step's `status` check over hundreds of 100-user pages
      // would otherwise parse every page for nothing.
      const jsonChecks = Object.entries(expectation.json ?? {});
      const body = response && jsonChecks.length > 0 ? parseBody(response.body) : { json: false as const };
      for (const [path, written] of jsonChecks) {
        const expected = resolve(written);
        const check = `${label} ${path}`;
        const position = positionOf(`json.${path}`);
        if (!response || !body.json) {
          results.push({ check, passed: false, expected, actual: response ? 'the response has no JSON body' : noResponse, ...position });
          continue;
        }
        const found = evaluateJsonPath(parseJsonPath(path), body.value);
        const actual = found.found ? found.value : undefined;
        results.push({ check, passed: matches(expected, actual), expected, actual, ...position });
      }
    }
  }
  return results;
}

export interface CaptureOutcome {
  /** Variable name → captured value, for Interpolator.set. */
  readonly values: Record<string, unknown>;
  /** One result per capture: passed with the value, or failed saying why nothing was captured. */
  readonly results: AssertionResult[];
}

/**
 * Reads a step's `save` captures. Without a selector a capture reads the step's last exchange with
 * a JSON response body, so `userId: $.id` reads the create response even when the IdP sends a
 * manager PATCH (204, no body) after it.
 */
export function captureValues(
  save: Readonly<Record<string, Capture>>,
  exchanges: readonly RunExchange[],
  options: Pick<AssertionOptions, 'baseUrl'>,
): CaptureOutcome {
  const values: Record<string, unknown> = {};
  const results: AssertionResult[] = [];
  for (const [name, capture] of Object.entries(save)) {
    const selected =
      capture.exchange === undefined
        ? exchanges.filter((exchange) => parseBody(exchange.response?.body).json).slice(-1)
        : selectExchanges(selectorOf(capture.exchange), exchanges, options.baseUrl).slice(-1);
    const exchange = selected[0];
    const check = `save ${name}`;
    if (!exchange) {
      results.push(noMatch(check, capture.exchange ?? 'last with a JSON body', exchanges, options.baseUrl, capture.position));
      continue;
    }
    const body = parseBody(exchange.response?.body);
    const found = body.json ? evaluateJsonPath(parseJsonPath(capture.path), body.value) : undefined;
    const label = `${check} from ${describeExchange(exchange, options.baseUrl)} ${capture.path}`;
    if (found?.found) {
      values[name] = found.value;
      results.push({ check: label, passed: true, expected: capture.path, actual: found.value, ...lineOf(capture.position) });
    } else {
      results.push({
        check: label,
        passed: false,
        expected: `a value at ${capture.path}`,
        actual: body.json ? 'nothing there' : 'the response has no JSON body',
        ...lineOf(capture.position),
      });
    }
  }
  return { values, results };
}
