/**
 * The journal record format: what the store writes is what the reader accepts, line for line
 * and as a run of lines, and the reader's checks catch the records replay could not apply.
 */
import { describe, expect, it } from 'vitest';
import type { StoredResource } from '../../../src-main/scim/resource.js';
import {
  CLEAR_OP,
  decodeLine,
  decodeRun,
  deleteOp,
  membersOp,
  putOp,
  recordLine,
  recordProblem,
  settingOp,
} from '../../../src-main/store/journal-record.js';

const CREATED = '2025-01-01T00:00:00.000Z';
const meta = (resourceType: 'User' | 'Group') => ({ resourceType, created: CREATED, lastModified: CREATED, revision: 2 });
const alice: StoredResource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'alice\nsmith', meta: meta('User') };
const team: StoredResource = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Team',
  members: [{ value: 'u1' }],
  meta: meta('Group'),
};

const lines = [
  recordLine(1, [putOp('User', JSON.stringify(alice)), putOp('Group', JSON.stringify(team))].join(',')),
  recordLine(2, membersOp(team, { remove: ['u0'], upsert: [{ value: 'u1', type: 'User' }], count: 1 })),
  recordLine(3, [deleteOp('User', 'u"1'), settingOp('token', 'secret'), CLEAR_OP].join(',')),
];

describe('journal record format', () => {
  it('writes one newline-terminated line per record, even for values holding newlines', () => {
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.indexOf('\n')).toBe(line.length - 1);
    }
  });

  it('reads back every record it writes, one line at a time, and finds nothing wrong with it', () => {
    for (const [index, line] of lines.entries()) {
      const record = decodeLine(Buffer.from(line.slice(0, -1)));
      expect(recordProblem(record)).toBeUndefined();
      expect(record).toMatchObject({ seq: index + 1 });
    }
    expect(decodeLine(Buffer.from(lines[0].slice(0, -1)))).toMatchObject({
      ops: [{ op: 'put', type: 'User', resource: { userName: 'alice\nsmith' } }, { op: 'put', type: 'Group' }],
    });
  });

  it('reads a run of lines as one array, and reports a run with a bad line so it can be read line by line', () => {
    const text = lines.join('');
    // One spare byte in front, as the line reader provides.
    const buffer = Buffer.from(` ${text}`);
    const newlines = [...text.matchAll(/\n/g)].map((match) => (match.index ?? 0) + 1);
    expect(decodeRun(buffer, 1, buffer.length, newlines)?.map((record) => (record as { seq: number }).seq)).toEqual([1, 2, 3]);

    const damaged = Buffer.from(` ${lines[0]}{"seq":2,"op${lines[2]}`);
    const damagedNewlines = [...damaged.toString('latin1').matchAll(/\n/g)].map((match) => match.index ?? 0);
    expect(decodeRun(damaged, 1, damaged.length, damagedNewlines)).toBeUndefined();
    expect(damaged.toString('latin1', 1, damaged.length - 1)).toBe(`${lines[0]}{"seq":2,"op${lines[2].slice(0, -1)}`);
  });

  it.each([
    ['not an object', [], /not a JSON object/],
    ['no seq', { ops: [] }, /no positive integer "seq"/],
    ['seq 0', { seq: 0, ops: [] }, /no positive integer "seq"/],
    ['no ops', { seq: 1 }, /no "ops" array/],
    ['an unknown op', { seq: 1, ops: [{ op: 'merge' }] }, /unknown op "merge"/],
    ['a put without a type', { seq: 1, ops: [{ op: 'put', resource: alice }] }, /put: needs a type/],
    ['a put of a malformed resource', { seq: 1, ops: [{ op: 'put', type: 'User', resource: { id: 'x' } }] }, /put: the resource/],
    ['a put of a user as a group', { seq: 1, ops: [{ op: 'put', type: 'Group', resource: alice }] }, /stored as a Group/],
    ['a delete without an id', { seq: 1, ops: [{ op: 'delete', type: 'User' }] }, /delete: needs a type and an id/],
    ['a members op for another group', { seq: 1, ops: [{ op: 'members', id: 'g2', group: team, remove: [], upsert: [], count: 1 }] }, /members: needs an id/],
    ['a members op with bad upserts', { seq: 1, ops: [{ op: 'members', id: 'g1', group: team, remove: [], upsert: [{}], count: 1 }] }, /"upsert"/],
    ['a setting with a number', { seq: 1, ops: [{ op: 'setting', key: 'k', value: 1 }] }, /setting: needs a string key and value/],
  ])('names what is wrong with a record with %s', (_name, record, problem) => {
    expect(recordProblem(record)).toMatch(problem);
  });
});
