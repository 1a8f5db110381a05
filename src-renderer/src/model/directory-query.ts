/**
 * What the directory shows (tab, filter, page, sort), kept in the URL (`#/provider?tab=groups&…`)
 * so that a reload or a shared link lands on the same rows. Parsing is forgiving: a hand-edited
 * URL with a bad number falls back to the default rather than breaking the view.
 */
import type { ListResourcesArgs, ResourceType } from '../../../src-main/api/contract';

export type SortOrder = 'ascending' | 'descending';

export interface DirectoryQuery {
  readonly type: ResourceType;
  readonly filter: string;
  /** 1-based, as in SCIM. */
  readonly startIndex: number;
  readonly count: number;
  readonly sortBy?: string;
  readonly sortOrder?: SortOrder;
}

export const PAGE_SIZES = [20, 50, 100, 500, 1000] as const;
export const DEFAULT_PAGE_SIZE = PAGE_SIZES[0];

/** "Newest first" is a sort like any other: by creation time, descending. */
export const NEWEST_FIRST = { sortBy: 'meta.created', sortOrder: 'descending' } as const;

const TAB_PARAM: Record<ResourceType, string> = { User: 'users', Group: 'groups' };

function positiveInt(text: string | undefined, fallback: number): number {
  if (text === undefined || !/^\d+$/.test(text)) return fallback;
  const value = Number(text);
  return value >= 1 ? value : fallback;
}

export function queryFromParams(params: Readonly<Record<string, string>>): DirectoryQuery {
  const type: ResourceType = params.tab === 'groups' ? 'Group' : 'User';
  const count = positiveInt(params.count, DEFAULT_PAGE_SIZE);
  const sortBy = params.sort?.trim() || undefined;
  return {
    type,
    filter: params.filter ?? '',
    startIndex: positiveInt(params.start, 1),
    count: (PAGE_SIZES as readonly number[]).includes(count) ? count : DEFAULT_PAGE_SIZE,
    ...(sortBy === undefined ? {} : { sortBy, sortOrder: params.order === 'desc' ? 'descending' : 'ascending' }),
  };
}

/** The URL params of a query; defaults are left out (undefined removes the param) so URLs stay short. */
export function paramsOfQuery(query: DirectoryQuery): Record<string, string | undefined> {
  return {
    tab: query.type === 'User' ? undefined : TAB_PARAM[query.type],
    filter: query.filter || undefined,
    start: query.startIndex > 1 ? String(query.startIndex) : undefined,
    count: query.count === DEFAULT_PAGE_SIZE ? undefined : String(query.count),
    sort: query.sortBy,
    order: query.sortBy !== undefined && query.sortOrder === 'descending' ? 'desc' : undefined,
  };
}

/** A column header click: ascending, then descending, then the server's own order. Back to page 1. */
export function toggleSort(query: DirectoryQuery, sortBy: string): DirectoryQuery {
  const { sortBy: _previous, sortOrder: _order, ...rest } = query;
  if (query.sortBy !== sortBy) return { ...rest, startIndex: 1, sortBy, sortOrder: 'ascending' };
  if (query.sortOrder !== 'descending') return { ...rest, startIndex: 1, sortBy, sortOrder: 'descending' };
  return { ...rest, startIndex: 1 };
}

export function isNewestFirst(query: DirectoryQuery): boolean {
  return query.sortBy === NEWEST_FIRST.sortBy && query.sortOrder === NEWEST_FIRST.sortOrder;
}

export function withNewestFirst(query: DirectoryQuery, on: boolean): DirectoryQuery {
  const { sortBy: _sortBy, sortOrder: _sortOrder, ...rest } = query;
  return on ? { ...rest, startIndex: 1, ...NEWEST_FIRST } : { ...rest, startIndex: 1 };
}

/** The aria-sort of a column header. */
export function ariaSort(query: DirectoryQuery, sortBy: string): 'ascending' | 'descending' | 'none' {
  return query.sortBy === sortBy ? (query.sortOrder ?? 'ascending') : 'none';
}

export function listArgs(query: DirectoryQuery): ListResourcesArgs {
  return {
    type: query.type,
    ...(query.filter ? { filter: query.filter } : {}),
    startIndex: query.startIndex,
    count: query.count,
    ...(query.sortBy === undefined ? {} : { sortBy: query.sortBy, sortOrder: query.sortOrder ?? 'ascending' }),
  };
}
