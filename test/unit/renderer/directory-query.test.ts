/** The directory's URL state: what a reload or a shared link brings back, and how sorting cycles. */
import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  isNewestFirst,
  listArgs,
  paramsOfQuery,
  queryFromParams,
  toggleSort,
  withNewestFirst,
  type DirectoryQuery,
} from '../../../src-renderer/src/model/directory-query.js';
import { nextStart, pageInfo, previousStart } from '../../../src-renderer/src/model/paging.js';

const defined = (params: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));

describe('directory query in the URL', () => {
  it('defaults to users, unfiltered, first page of 20, in the server’s order', () => {
    expect(queryFromParams({})).toEqual({ type: 'User', filter: '', startIndex: 1, count: 20 });
    expect(defined(paramsOfQuery(queryFromParams({})))).toEqual({});
  });

  it('round-trips tab, filter, page, page size and sort', () => {
    const query: DirectoryQuery = { type: 'Group', filter: 'displayName co "eng"', startIndex: 41, count: 100, sortBy: 'displayName', sortOrder: 'descending' };
    const params = defined(paramsOfQuery(query));
    expect(params).toEqual({ tab: 'groups', filter: 'displayName co "eng"', start: '41', count: '100', sort: 'displayName', order: 'desc' });
    expect(queryFromParams(params)).toEqual(query);
  });

  it('clears the params a default leaves behind (undefined removes them from the URL)', () => {
    const params = paramsOfQuery({ type: 'User', filter: '', startIndex: 1, count: 20 });
    expect(params).toEqual({ tab: undefined, filter: undefined, start: undefined, count: undefined, sort: undefined, order: undefined });
  });

  it('falls back to defaults for hand-edited nonsense', () => {
    expect(queryFromParams({ tab: 'widgets', start: '-3', count: '7' })).toEqual({ type: 'User', filter: '', startIndex: 1, count: 20 });
    expect(queryFromParams({ start: '1e3', count: 'lots' })).toMatchObject({ startIndex: 1, count: 20 });
    expect(queryFromParams({ sort: '  ' })).not.toHaveProperty('sortBy');
  });

  it('cycles a column through ascending, descending and unsorted, back to page 1', () => {
    const start: DirectoryQuery = { type: 'User', filter: 'active eq true', startIndex: 61, count: 20 };
    const ascending = toggleSort(start, 'userName');
    expect(ascending).toEqual({ ...start, startIndex: 1, sortBy: 'userName', sortOrder: 'ascending' });
    expect(ariaSort(ascending, 'userName')).toBe('ascending');
    expect(ariaSort(ascending, 'displayName')).toBe('none');
    const descending = toggleSort(ascending, 'userName');
    expect(descending.sortOrder).toBe('descending');
    expect(toggleSort(descending, 'userName')).toEqual({ ...start, startIndex: 1 });
    // Another column starts over at ascending.
    expect(toggleSort(descending, 'displayName')).toMatchObject({ sortBy: 'displayName', sortOrder: 'ascending' });
  });

  it('treats newest first as a sort by meta.created, descending', () => {
    const query = withNewestFirst({ type: 'User', filter: '', startIndex: 21, count: 20, sortBy: 'userName', sortOrder: 'ascending' }, true);
    expect(query).toMatchObject({ sortBy: 'meta.created', sortOrder: 'descending', startIndex: 1 });
    expect(isNewestFirst(query)).toBe(true);
    expect(defined(paramsOfQuery(query))).toEqual({ sort: 'meta.created', order: 'desc' });
    const off = withNewestFirst(query, false);
    expect(isNewestFirst(off)).toBe(false);
    expect(off).not.toHaveProperty('sortBy');
  });

  it('asks the server for exactly what is shown', () => {
    expect(listArgs({ type: 'User', filter: '', startIndex: 1, count: 20 })).toEqual({ type: 'User', startIndex: 1, count: 20 });
    expect(listArgs({ type: 'Group', filter: 'x', startIndex: 3, count: 50, sortBy: 'displayName' })).toEqual({
      type: 'Group',
      filter: 'x',
      startIndex: 3,
      count: 50,
      sortBy: 'displayName',
      sortOrder: 'ascending',
    });
  });
});

describe('paging', () => {
  it('describes a page as the pager shows it', () => {
    expect(pageInfo(26, 1, 20)).toEqual({ first: 1, last: 20, total: 26, hasPrevious: false, hasNext: true });
    expect(pageInfo(26, 21, 6)).toEqual({ first: 21, last: 26, total: 26, hasPrevious: true, hasNext: false });
    expect(pageInfo(0, 1, 0)).toEqual({ first: 0, last: 0, total: 0, hasPrevious: false, hasNext: false });
  });

  it('never pages before the first resource', () => {
    expect(previousStart(11, 20)).toBe(1);
    expect(previousStart(41, 20)).toBe(21);
    expect(nextStart(21, 20)).toBe(41);
  });
});
