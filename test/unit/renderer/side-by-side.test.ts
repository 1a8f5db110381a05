import { describe, expect, it } from 'vitest';
import { changesOf, jsonDelta } from '../../../src-main/diffs/diff.js';
import { jsonLines, sideBySide } from '../../../src-renderer/src/model/side-by-side.js';

const marked = (result: ReturnType<typeof sideBySide>) =>
  result.rows.filter((row) => row.kind !== 'same').map((row) => [row.kind, row.a?.text.trim(), row.b?.text.trim()]);

describe('diff view model: two values side by side', () => {
  it('pretty-prints with the JSON path of every line, in diff.ts notation', () => {
    const lines = jsonLines({ userName: 'a', 'urn:x:User': { manager: 'm' }, emails: [{ value: 'e' }] });
    expect(lines.map((line) => line.path)).toEqual([
      '$',
      '$.userName',
      '$["urn:x:User"]',
      '$["urn:x:User"].manager',
      '$["urn:x:User"]',
      '$.emails',
      '$.emails[0]',
      '$.emails[0].value',
      '$.emails[0]',
      '$.emails',
      '$',
    ]);
    expect(lines[1].text).toBe('  "userName": "a",');
  });

  it('marks expected vs actual line by line, pairing lines by path', () => {
    const result = sideBySide({ status: 201, active: true }, { status: 200, active: true, extra: 1 });
    // "active" is the same value; only its trailing comma moved.
    expect(marked(result)).toEqual([
      ['changed', '"status": 201,', '"status": 200,'],
      ['added', undefined, '"extra": 1'],
    ]);
    expect(result.differences).toBe(2);
  });

  it('with a RunDiff\'s changes, marks only those paths: a server id that differs is not a difference', () => {
    const a = { id: 'aaa-111', userName: 'x', active: true, title: 'Dev' };
    const b = { id: 'bbb-222', userName: 'x', active: false };
    // What diff.ts computes on the normalised bodies (ids mapped to <User 1> on both sides).
    const changes = changesOf(jsonDelta({ id: '<User 1>', userName: 'x', active: true, title: 'Dev' }, { id: '<User 1>', userName: 'x', active: false }));
    const result = sideBySide(a, b, changes);
    expect(marked(result)).toEqual([
      ['changed', '"active": true,', '"active": false'],
      ['removed', '"title": "Dev"', undefined],
    ]);
    expect(result.rows.find((row) => row.a?.path === '$.id')?.kind).toBe('same');
  });

  it('marks every line inside a changed object, both sides', () => {
    const result = sideBySide({ name: { given: 'A' } }, { name: 'A' }, [{ path: '$.name', kind: 'changed', a: { given: 'A' }, b: 'A' }]);
    expect(result.rows.filter((row) => row.kind === 'changed').length).toBeGreaterThanOrEqual(1);
    expect(result.rows.filter((row) => row.kind === 'removed').map((row) => row.a?.text.trim())).toContain('"given": "A"');
  });

  it('lays out scalars and absent values', () => {
    expect(marked(sideBySide(201, 200))).toEqual([['changed', '201', '200']]);
    expect(sideBySide(undefined, 'x').differences).toBe(1);
  });
});
