import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScimValue, StoredMember } from '../../../src-main/scim/resource.js';
import { applyMembersDelta, diffMembers } from '../../../src-main/store/member-delta.js';

const member = (value: string, display?: string): StoredMember =>
  display === undefined ? { value, type: 'User' } : { value, type: 'User', display };

/** Replays a delta the way the store does at open: `contains` answers from the old list. */
function replay(before: ScimValue[], after: ScimValue[]): ScimValue[] | string | undefined {
  const diff = diffMembers(before, after);
  if (!diff) return undefined;
  const values = new Set(before.map((item) => (item as StoredMember).value));
  return applyMembersDelta([...before], diff.delta, (value) => values.has(value));
}

describe('diffMembers / applyMembersDelta', () => {
  it('describes an append as one upsert and reports it as added', () => {
    const before = [member('a'), member('b')];
    const diff = diffMembers(before, [...before, member('c')]);
    expect(diff?.delta).toEqual({ remove: [], upsert: [member('c')], count: 3 });
    expect(diff?.added).toEqual(['c']);
  });

  it('describes removals and in-place edits', () => {
    const before = [member('a'), member('b'), member('c')];
    const diff = diffMembers(before, [member('a', 'Alice'), member('c')]);
    expect(diff?.delta).toEqual({ remove: ['b'], upsert: [member('a', 'Alice')], count: 2 });
    expect(diff?.added).toEqual([]);
  });

  it('refuses reorders and duplicates (the caller journals the whole group)', () => {
    expect(diffMembers([member('a'), member('b')], [member('b'), member('a')])).toBeUndefined();
    expect(diffMembers([member('a'), member('b')], [member('b'), member('a'), member('c')])).toBeUndefined();
    expect(diffMembers([member('a')], [member('a'), member('a')])).toBeUndefined();
    expect(diffMembers([member('a'), member('b')], [member('a'), member('c'), member('b')])).toBeUndefined();
  });

  it('reports a delta that does not fit its base instead of guessing', () => {
    const result = applyMembersDelta([member('a')], { remove: [], upsert: [], count: 5 }, () => true);
    expect(result).toMatch(/yields 1 members/);
  });

  it('replays to exactly the new list for any add/remove/edit change (property)', () => {
    const values = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 });
    fc.assert(
      fc.property(values, fc.array(fc.boolean()), fc.array(fc.boolean()), values, (base, keepMask, editMask, extra) => {
        const before = base.map((value) => member(value));
        const kept = before
          .filter((_, index) => keepMask[index] ?? true)
          .map((item, index) => (editMask[index] ? member(item.value, `edited ${item.value}`) : item));
        const appended = extra.filter((value) => !base.includes(value)).map((value) => member(value));
        const after = [...kept, ...appended];
        const replayed = replay(before, after);
        expect(replayed).toEqual(after);
      }),
    );
  });

  it('either replays exactly or declines, for arbitrary lists (property)', () => {
    const list = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e').map((value) => member(value)), { maxLength: 8 });
    fc.assert(
      fc.property(list, list, (before, after) => {
        const replayed = replay(before, after);
        if (replayed !== undefined) expect(replayed).toEqual(after);
      }),
    );
  });
});
