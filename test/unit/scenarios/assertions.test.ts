/**
 * A step's expectations checked against its exchanges, and its captures read from them: each
 * result says what was checked, expected, found and where the check is written.
 */
import { describe, expect, test } from 'vitest';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import { captureValues, evaluateExpectations } from '../../../src-main/scenarios/assertions.js';
import { SelectorError, parseSelector, selectExchanges } from '../../../src-main/scenarios/exchange-selector.js';
import { createRandom } from '../../../src-main/idp/random.js';
import { Interpolator } from '../../../src-main/scenarios/interpolate.js';
import { parseScenario } from '../../../src-main/scenarios/load.js';

const BASE = 'https://scim.example.test/scim/v2';
let index = 0;

function exchange(method: string, path: string, status: number | undefined, body?: unknown, options: Partial<RunExchange> = {}): RunExchange {
  index++;
  return {
    index,
    step: 0,
    source: 'idp',
    purpose: 'test',
    startedAt: '2026-03-01T12:00:00.000Z',
    durationMs: 3,
    request: { method, url: `${BASE}${path}`, headers: [] },
    ...(status === undefined
      ? { error: 'connection refused' }
      : {
          response: {
            status,
            headers: { 'content-type': 'application/scim+json', ...(status === 201 ? { location: `${BASE}/Users/42` } : {}) },
            ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
          },
        }),
    ...options,
  };
}

const lookup = exchange('GET', '/Users?filter=userName+eq+%22alice%40example.com%22&startIndex=1&count=100', 200, { totalResults: 0, Resources: [] });
const create = exchange('POST', '/Users', 201, {
  id: '42',
  userName: 'alice@example.com',
  active: true,
  emails: [{ value: 'alice@example.com', primary: true }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engineering' },
});
const managerPatch = exchange('PATCH', '/Users/42', 204);
// The exchanges of one sender, as the runner hands them over (its own read-backs are a separate step).
const STEP = [lookup, create, managerPatch];

describe('exchange selectors', () => {
  const pick = (selector: string) => selectExchanges(parseSelector(selector), STEP, BASE).map((e) => e.index);

  test('by position, method and path prefix', () => {
    expect(pick('last')).toEqual([managerPatch.index]);
    expect(pick('first')).toEqual([lookup.index]);
    expect(pick('all')).toEqual([lookup.index, create.index, managerPatch.index]);
    expect(pick('#2')).toEqual([create.index]);
    expect(pick('#4')).toEqual([]);
    expect(pick('POST /Users')).toEqual([create.index]);
    expect(pick('GET')).toEqual([lookup.index]);
    expect(pick('all /Users')).toEqual([lookup.index, create.index, managerPatch.index]);
    expect(pick('/Users/')).toEqual([managerPatch.index]);
    expect(pick('first /Users?filter=userName')).toEqual([lookup.index]);
    expect(pick('/Use')).toEqual([]);
    expect(pick('DELETE /Users')).toEqual([]);
  });

  test('malformed selectors say what is not understood', () => {
    expect(() => parseSelector('')).toThrow(new SelectorError('', 'it is empty'));
    expect(() => parseSelector('#0')).toThrow('invalid exchange selector `#0`: exchanges are counted from #1');
    expect(() => parseSelector('#1 POST')).toThrow('invalid exchange selector `#1 POST`: `#N` stands alone');
    expect(() => parseSelector('newest POST')).toThrow(
      'invalid exchange selector `newest POST`: `newest` is not understood (expected `first`, `last`, `all`, `#N`, a METHOD in capitals or a /path)',
    );
    expect(() => parseSelector('last post /Users')).toThrow(
      'invalid exchange selector `last post /Users`: `post` is not understood (write the method in capitals: `POST`)',
    );
  });
});

describe('expectations', () => {
  test('passing checks report what was expected and found, with the line of each check', () => {
    const results = evaluateExpectations(
      [
        {
          exchange: 'POST /Users',
          status: [200, 201],
          headers: { 'Content-Type': '/^application\\/scim\\+json/', Location: '/\\/Users\\/42$/', 'Retry-After': null },
          json: { '$.active': true, '$.emails[?(@.primary == true)].value': '/@example\\.com$/', "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']": { department: 'Engineering' }, '$.nickName': null },
          position: { line: 10, column: 7 },
          checkPositions: { status: { line: 11, column: 9 }, 'json.$.active': { line: 16, column: 11 } },
        },
      ],
      STEP,
      { baseUrl: BASE },
    );
    expect(results).toEqual([
      { check: 'POST /Users status', passed: true, expected: [200, 201], actual: 201, line: 11 },
      { check: 'POST /Users header Content-Type', passed: true, expected: '/^application\\/scim\\+json/', actual: 'application/scim+json', line: 10 },
      { check: 'POST /Users header Location', passed: true, expected: '/\\/Users\\/42$/', actual: `${BASE}/Users/42`, line: 10 },
      { check: 'POST /Users header Retry-After', passed: true, expected: null, actual: undefined, line: 10 },
      { check: 'POST /Users $.active', passed: true, expected: true, actual: true, line: 16 },
      { check: 'POST /Users $.emails[?(@.primary == true)].value', passed: true, expected: '/@example\\.com$/', actual: 'alice@example.com', line: 10 },
      {
        check: "POST /Users $['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']",
        passed: true,
        expected: { department: 'Engineering' },
        actual: { department: 'Engineering' },
        line: 10,
      },
      { check: 'POST /Users $.nickName', passed: true, expected: null, actual: undefined, line: 10 },
    ]);
  });

  test('failing checks carry the actual value', () => {
    const results = evaluateExpectations(
      [{ status: 200, json: { '$.id': '42' }, position: { line: 20, column: 7 } }, { exchange: 'first', json: { '$.totalResults': 1, '$.Resources.length': 0 } }],
      STEP,
      { baseUrl: BASE },
    );
    expect(results).toEqual([
      { check: 'PATCH /Users/42 status', passed: false, expected: 200, actual: 204, line: 20 },
      { check: 'PATCH /Users/42 $.id', passed: false, expected: '42', actual: 'the response has no JSON body', line: 20 },
      { check: 'GET /Users $.totalResults', passed: false, expected: 1, actual: 0 },
      { check: 'GET /Users $.Resources.length', passed: true, expected: 0, actual: 0 },
    ]);
  });

  test('`all` checks every selected exchange; a selector that matches nothing fails saying what was sent', () => {
    const results = evaluateExpectations([{ exchange: 'all', status: 200 }, { exchange: 'DELETE /Users', status: 204, position: { line: 3, column: 1 } }], STEP, { baseUrl: BASE });
    expect(results.map((result) => [result.check, result.passed])).toEqual([
      ['GET /Users status', true],
      ['POST /Users status', false],
      ['PATCH /Users/42 status', false],
      ['DELETE /Users exchange', false],
    ]);
    expect(results[3]).toEqual({
      check: 'DELETE /Users exchange',
      passed: false,
      expected: 'an exchange matching `DELETE /Users`',
      actual: 'the step sent GET /Users, POST /Users, PATCH /Users/42',
      line: 3,
    });
  });

  test('an exchange without a response fails every check on it', () => {
    const refused = exchange('POST', '/Users', undefined);
    expect(evaluateExpectations([{ status: 201, headers: { Location: null } }], [refused], { baseUrl: BASE })).toEqual([
      { check: 'POST /Users status', passed: false, expected: 201, actual: 'no response (connection refused)' },
      { check: 'POST /Users header Location', passed: false, expected: null, actual: 'no response (connection refused)' },
    ]);
  });

  test('expected values are interpolated with the run’s variables', () => {
    const values = new Interpolator({ random: createRandom(1), runTag: 'abc123' });
    values.set('userId', '42');
    const results = evaluateExpectations([{ exchange: 'POST /Users', json: { '$.id': '${userId}' }, headers: { Location: `${BASE}/Users/\${userId}` } }], STEP, {
      baseUrl: BASE,
      resolve: (value) => values.value(value),
    });
    expect(results.map((result) => [result.expected, result.passed])).toEqual([
      [`${BASE}/Users/42`, true],
      ['42', true],
    ]);
  });

  test('positions from a loaded scenario become the lines of its results', () => {
    const scenario = parseScenario(
      ['name: lines', 'steps:', '  - event: syncCycle', '    expect:', '      - exchange: POST /Users', '        status: 409', '        json:', '          $.userName: alice@example.com', ''].join('\n'),
      { source: 'lines.yaml' },
    );
    const results = evaluateExpectations(scenario.steps[0]!.expect!, STEP, { baseUrl: BASE });
    expect(results.map((result) => [result.check, result.passed, result.line])).toEqual([
      ['POST /Users status', false, 6],
      ['POST /Users $.userName', true, 8],
    ]);
  });
});

describe('captures', () => {
  test('by default read the last exchange with a JSON body, so a trailing 204 PATCH does not hide the create', () => {
    const outcome = captureValues({ userId: { path: '$.id', position: { line: 7, column: 7 } }, email: { path: '$.emails[0].value' } }, STEP, { baseUrl: BASE });
    expect(outcome.values).toEqual({ userId: '42', email: 'alice@example.com' });
    expect(outcome.results).toEqual([
      { check: 'save userId from POST /Users $.id', passed: true, expected: '$.id', actual: '42', line: 7 },
      { check: 'save email from POST /Users $.emails[0].value', passed: true, expected: '$.emails[0].value', actual: 'alice@example.com' },
    ]);
  });

  test('read the selected exchange, and fail saying why nothing was captured', () => {
    const outcome = captureValues(
      { total: { exchange: 'GET /Users', path: '$.totalResults' }, missing: { exchange: 'POST', path: '$.meta.version' }, none: { exchange: 'DELETE', path: '$.id' }, empty: { exchange: 'PATCH', path: '$.id' } },
      STEP,
      { baseUrl: BASE },
    );
    expect(outcome.values).toEqual({ total: 0 });
    expect(outcome.results).toEqual([
      { check: 'save total from GET /Users $.totalResults', passed: true, expected: '$.totalResults', actual: 0 },
      { check: 'save missing from POST /Users $.meta.version', passed: false, expected: 'a value at $.meta.version', actual: 'nothing there' },
      { check: 'save none', passed: false, expected: 'an exchange matching `DELETE`', actual: 'the step sent GET /Users, POST /Users, PATCH /Users/42' },
      { check: 'save empty from PATCH /Users/42 $.id', passed: false, expected: 'a value at $.id', actual: 'the response has no JSON body' },
    ]);
  });
});
