/** SCIM paging (1-based startIndex) translated into what a pager shows. */
export interface PageInfo {
  readonly first: number;
  readonly last: number;
  readonly total: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
}

export function pageInfo(total: number, startIndex: number, shown: number): PageInfo {
  const first = shown === 0 ? 0 : startIndex;
  const last = shown === 0 ? 0 : startIndex + shown - 1;
  return { first, last, total, hasPrevious: startIndex > 1, hasNext: last < total };
}

export function previousStart(startIndex: number, pageSize: number): number {
  return Math.max(1, startIndex - pageSize);
}

export function nextStart(startIndex: number, pageSize: number): number {
  return startIndex + pageSize;
}
