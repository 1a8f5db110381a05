/** The JSON path subset scenarios use to read responses: each path names at most one value. */
import { describe, expect, test } from 'vitest';
import { JsonPathError, evaluateJsonPath, parseJsonPath } from '../../../src-main/scenarios/json-path.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = {
  id: '2819c223',
  userName: 'bjensen@example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  active: false,
  nickName: null,
  [ENTERPRISE]: { department: 'Tour Operations', manager: { value: '26118915' } },
};
const list = { totalResults: 2, Resources: [{ id: 'a' }, { id: 'b' }], length: 'not the count' };

const value = (path: string, document: unknown = user) => evaluateJsonPath(path, document);

describe('evaluation', () => {
  test.each([
    ['$', user],
    ['$.id', '2819c223'],
    ['$.name.givenName', 'Barbara'],
    ['$.emails[0].value', 'bjensen@example.com'],
    ['$.emails[-1].type', 'home'],
    [`$['${ENTERPRISE}'].department`, 'Tour Operations'],
    [`$["${ENTERPRISE}"]["manager"].value`, '26118915'],
    ["$.emails[?(@.type == 'home')].value", 'babs@jensen.org'],
    ['$.emails[?(@.primary==true)].type', 'work'],
    ["$.emails[?(@.type != 'work')].value", 'babs@jensen.org'],
    ['$.emails.length', 2],
    ['$.userName.length', 19],
    ['$.active', false],
    ['$.nickName', null],
  ])('%s', (path, expected) => {
    expect(value(path)).toEqual({ found: true, value: expected });
  });

  test('a path that leads nowhere is not found (not undefined, not null)', () => {
    for (const path of ['$.missing', '$.name.middleName', '$.emails[2]', '$.id.value', "$.emails[?(@.type == 'other')]", '$.name[0]', '$.active.length']) {
      expect(value(path), path).toEqual({ found: false });
    }
  });

  test('`.length` is the count of a list, unless an object has a real `length` member', () => {
    expect(value('$.Resources.length', list)).toEqual({ found: true, value: 2 });
    expect(value('$.length', list)).toEqual({ found: true, value: 'not the count' });
    expect(value('$.Resources[1].id', list)).toEqual({ found: true, value: 'b' });
  });

  test('escaped quotes in a bracketed name', () => {
    expect(value("$['it\\'s']", { "it's": 1 })).toEqual({ found: true, value: 1 });
  });
});

describe('parse errors say where', () => {
  test.each([
    ['id', 'invalid JSON path `id`: expected `$` at character 1'],
    ['$.', 'invalid JSON path `$.`: expected a member name at character 3'],
    ['$..id', 'invalid JSON path `$..id`: expected a member name at character 3'],
    ['$.emails[0', 'invalid JSON path `$.emails[0`: expected `]` at character 11'],
    ['$.emails[*]', 'invalid JSON path `$.emails[*]`: expected an index at character 10'],
    ["$['urn", "invalid JSON path `$['urn`: unclosed ' at character 7"],
    ['$.emails[?(@.type = 1)]', 'invalid JSON path `$.emails[?(@.type = 1)]`: expected `==` or `!=` at character 19'],
    ['$.emails[?(@.type == work)]', 'invalid JSON path `$.emails[?(@.type == work)]`: expected a value (a quoted string, a number, true, false or null) at character 22'],
    ['$ id', 'invalid JSON path `$ id`: expected `.` or `[` at character 2'],
  ])('%s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});
